import AuditLog
import Foundation
import Testing
@testable import AccessControl
import TenantModel
import TenantStore

/// Mailbox actions after sign-in: rights, logon types, client policies, changes and events.
@Suite struct MailboxActionTests {
    static let adele = "adele@brittest.onmicrosoft.com"
    static let britton = "britton@brittest.onmicrosoft.com"
    static let william = "william@brittest.onmicrosoft.com"

    func act(_ tenant: Tenant, _ actor: String, _ action: MailboxAction, mailbox: String? = nil, via: AccessProtocol = .OutlookWebApp,
             params: [String: String] = [:], device: DeviceInfo? = nil, compliant: Bool = false) -> AccessEvaluation {
        MailboxActionEvaluator.evaluate(
            MailboxActionRequest(actor: actor, action: action, mailbox: mailbox, accessProtocol: via,
                                 userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", clientIP: "203.0.113.7", clientPort: 51000,
                                 params: params, device: device, isCompliantDevice: compliant),
            in: tenant)
    }

    func mailboxEvents(_ e: AccessEvaluation) -> [MailboxActionEvent] {
        e.events.compactMap { if case .mailboxAction(let m) = $0 { m } else { nil } }
    }

    func cmdletEvents(_ e: AccessEvaluation) -> [AdminCmdletEvent] {
        e.events.compactMap { if case .adminCmdlet(let c) = $0 { c } else { nil } }
    }

    func messages(_ tenant: Tenant, _ upn: String) -> [MailMessage] {
        let box = tenant.mailboxes[tenant.mailboxPositions(matching: upn)[0]]
        return tenant.messages.filter { $0.mailboxGuid == box.guid }
    }

    // MARK: Names

    @Test(arguments: ["read", "search", "send", "send-as", "send-on-behalf", "move", "soft-delete", "hard-delete",
                      "create-inbox-rule", "update-folder-permissions", "add-delegate", "download-attachment"])
    func everyScenarioActionNameIsKnown(name: String) {
        #expect(MailboxAction.named(name)?.rawValue == name)
    }

    // MARK: Logon types

    @Test func theLogonTypeFollowsWhoActsOnWhoseMailbox() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let info = tenant.mailboxes[tenant.mailboxPositions(matching: "info@brittest.onmicrosoft.com")[0]]
        let adeleBox = tenant.mailboxes[tenant.mailboxPositions(matching: Self.adele)[0]]
        let adele = tenant.user(upn: Self.adele)!
        let britton = tenant.user(upn: Self.britton)!
        #expect(MailboxActionEvaluator.logonType(actor: adele, on: adeleBox, in: tenant) == .Owner)
        #expect(MailboxActionEvaluator.logonType(actor: adele, on: info, in: tenant) == .Delegate)
        // A global administrator without a permission on the mailbox has no logon type.
        #expect(MailboxActionEvaluator.logonType(actor: britton, on: adeleBox, in: tenant) == nil)
    }

    @Test func sendOnBehalfMakesADelegate() throws {
        let tenant = try TenantSource.loadFixture("contoso")
        let nora = tenant.mailboxes[tenant.mailboxPositions(matching: "nora.fischer@contoso.com")[0]]
        #expect(MailboxActionEvaluator.logonType(actor: tenant.user(upn: "chloe.dubois@contoso.com")!, on: nora, in: tenant) == .Delegate)
    }

    // MARK: read

    @Test func theOwnerReadsAndEachItemIsABind() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let inbox = messages(tenant, Self.adele).filter { $0.folderId.hasSuffix("inbox") }
        let e = act(tenant, Self.adele, .read, params: ["Folder": "Inbox"])
        #expect(e.decision.outcome == .Allowed)
        #expect(e.decision.reason == "Ok")
        #expect(e.decision.code == 0)
        let events = mailboxEvents(e)
        #expect(events.count == inbox.count)
        let binds = events.filter { $0.operation == .MailItemsAccessed && $0.mailAccessType == "Bind" && $0.logonType == .Owner }
        #expect(binds.count == events.count)
        let shaped = events.filter { $0.clientInfoString == "Client=OWA;Action=ViaProxy" && $0.items.count == 1 && $0.folderPath == "\\Inbox" }
        #expect(shaped.count == events.count)
        #expect(Set(events.map(\.sessionId)).count == 1)
        tenant.apply(e.changes)
        let unread = messages(tenant, Self.adele).filter { $0.folderId.hasSuffix("inbox") && !$0.isRead }
        #expect(unread.isEmpty)
    }

    @Test func readTakesTheNewestCountMatchingTheSubject() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .read, params: ["Subject": "campaign", "Count": "1"])
        let items = mailboxEvents(e).flatMap(\.items)
        #expect(items.map(\.subject) == ["RE: Summer campaign creative - final proofs"])
    }

    @Test func aFolderSyncIsOneSyncRecordPerFolder() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .read, via: .MAPI, params: ["Folder": "Inbox", "MailAccessType": "Sync"])
        let events = mailboxEvents(e)
        #expect(events.count == 1)
        #expect(events[0].mailAccessType == "Sync")
        #expect(events[0].clientInfoString == "Client=MSExchangeRPC")
        #expect(e.changes.isEmpty)
    }

    @Test func aDelegateNeedsFullAccessToReadAnotherMailbox() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let granted = act(tenant, Self.adele, .read, mailbox: "info@brittest.onmicrosoft.com")
        #expect(granted.decision.outcome == .Allowed)
        #expect(mailboxEvents(granted).allSatisfy { $0.logonType == .Delegate })
        #expect(!mailboxEvents(granted).isEmpty)
        let refused = act(tenant, Self.william, .read, mailbox: "info@brittest.onmicrosoft.com")
        #expect(refused.decision.outcome == .Denied)
        #expect(refused.decision.reason == "AccessDenied")
        #expect(refused.decision.by == "FullAccess")
        #expect(refused.events.isEmpty && refused.changes.isEmpty)
    }

    @Test func anAdministratorRoleAloneOpensNoMailbox() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.britton, .read, mailbox: Self.adele)
        #expect(e.decision.outcome == .Denied)
        #expect(e.decision.reason == "AccessDenied")
        #expect(e.decision.explanation.contains("administrator role"))
    }

    @Test func anUnknownActorIsUserNotFound() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, "nobody@brittest.onmicrosoft.com", .read)
        #expect(e.decision.reason == "UserNotFound")
        #expect(e.decision.code == 50034)
    }

    @Test func anUnknownMailboxIsMailboxNotFound() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        #expect(act(tenant, Self.adele, .read, mailbox: "ghost@brittest.onmicrosoft.com").decision.reason == "MailboxNotFound")
    }

    @Test func activeSyncOpensOnlyTheUsersOwnMailbox() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .read, mailbox: "info@brittest.onmicrosoft.com", via: .ExchangeActiveSync)
        #expect(e.decision.reason == "ActionNotSupported")
        #expect(e.decision.by == "ExchangeActiveSync")
    }

    // MARK: search

    @Test func searchIsASearchQueryInitiated() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .search, params: ["Query": "invoice"])
        let events = mailboxEvents(e)
        #expect(events.map(\.operation) == [.SearchQueryInitiated])
        #expect(events[0].logonType == .Owner)
        #expect(events[0].properties == [NameValue("QueryText", "invoice")])
    }

    // MARK: send

    @Test func sendingLogsSendAndDeliversInsideTheOrganization() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .send, params: ["To": "yuki@brittest.onmicrosoft.com, someone@example.com", "Subject": "Proofs"])
        #expect(e.decision.outcome == .Allowed)
        let events = mailboxEvents(e)
        #expect(events.map(\.operation) == [.Send])
        #expect(events[0].logonType == .Owner)
        #expect(events[0].items.first?.subject == "Proofs")
        let yukiBefore = messages(tenant, "yuki@brittest.onmicrosoft.com").count
        tenant.apply(e.changes)
        #expect(messages(tenant, "yuki@brittest.onmicrosoft.com").count == yukiBefore + 1)
        let sent = messages(tenant, Self.adele).filter { $0.subject == "Proofs" }
        #expect(sent.count == 1)
        #expect(sent[0].folderId.hasSuffix("sentitems"))
        #expect(sent[0].from == Self.adele)
    }

    @Test func sendNeedsARecipient() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .send, params: ["Subject": "x"])
        #expect(e.decision.reason == "InvalidParameter")
        #expect(e.decision.by == "To")
    }

    @Test func sendAsNeedsSendAsNotFullAccess() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        // adele has FullAccess on info@, which does not include SendAs.
        let refused = act(tenant, Self.adele, .sendAs, mailbox: "info@brittest.onmicrosoft.com", params: ["To": "x@example.com"])
        #expect(refused.decision.reason == "AccessDenied")
        #expect(refused.decision.by == "SendAs")
        let grant = act(tenant, Self.britton, .addDelegate, mailbox: "info@brittest.onmicrosoft.com", via: .RemotePowerShell,
                        params: ["User": Self.adele, "AccessRights": "SendAs"])
        #expect(grant.decision.outcome == .Allowed)
        #expect(cmdletEvents(grant).map(\.cmdlet) == ["Add-RecipientPermission"])
        tenant.apply(grant.changes)
        let sent = act(tenant, Self.adele, .sendAs, mailbox: "info@brittest.onmicrosoft.com", params: ["To": "x@example.com"])
        #expect(sent.decision.outcome == .Allowed)
        let events = mailboxEvents(sent)
        #expect(events.map(\.operation) == [.SendAs])
        #expect(events[0].logonType == .Delegate)
        #expect(events[0].sendAsUser == "info@brittest.onmicrosoft.com")
        let info = tenant.mailboxes[tenant.mailboxPositions(matching: "info@brittest.onmicrosoft.com")[0]]
        #expect(events[0].mailboxGuid == info.guid)
    }

    @Test func sendOnBehalfNeedsGrantSendOnBehalfTo() throws {
        let tenant = try TenantSource.loadFixture("contoso")
        let ok = act(tenant, "chloe.dubois@contoso.com", .sendOnBehalf, mailbox: "nora.fischer@contoso.com",
                     via: .MAPI, params: ["To": "board@contoso.com", "Subject": "Agenda"])
        #expect(ok.decision.outcome == .Allowed)
        #expect(mailboxEvents(ok).map(\.operation) == [.SendOnBehalf])
        #expect(mailboxEvents(ok)[0].logonType == .Delegate)
        let refused = act(tenant, "ben.carter@contoso.com", .sendOnBehalf, mailbox: "nora.fischer@contoso.com", params: ["To": "x@example.com"])
        #expect(refused.decision.reason == "AccessDenied")
        #expect(refused.decision.by == "GrantSendOnBehalfTo")
    }

    @Test func sendFromAnotherMailboxIsRefused() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .send, mailbox: "info@brittest.onmicrosoft.com", params: ["To": "x@example.com"])
        #expect(e.decision.reason == "AccessDenied")
    }

    // MARK: move and delete

    @Test func movingToDeletedItemsIsMoveToDeletedItems() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .move, params: ["Subject": "verify your mailbox", "Folder": "Deleted Items"])
        let events = mailboxEvents(e)
        #expect(events.map(\.operation) == [.MoveToDeletedItems])
        #expect(events[0].folderPath == "\\Inbox")
        #expect(events[0].destinationFolderPath == "\\Deleted Items")
        tenant.apply(e.changes)
        let moved = messages(tenant, Self.adele).first { $0.subject.contains("verify your mailbox") }!
        #expect(moved.folderId.hasSuffix("deleteditems"))
    }

    @Test func movingElsewhereIsMove() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .move, via: .ExchangeWebServices, params: ["Subject": "invoice", "Folder": "Campaigns"])
        #expect(mailboxEvents(e).map(\.operation) == [.Move])
        #expect(mailboxEvents(e)[0].clientInfoString.hasPrefix("Client=WebServices;"))
    }

    @Test func movingNothingIsItemNotFound() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        #expect(act(tenant, Self.adele, .move, params: ["Subject": "no such", "Folder": "Archive"]).decision.reason == "ItemNotFound")
        #expect(act(tenant, Self.adele, .move, params: ["Subject": "invoice", "Folder": "Nowhere"]).decision.reason == "InvalidParameter")
    }

    @Test func aSoftDeleteGoesToRecoverableItemsAndAHardDeletePurges() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let before = messages(tenant, Self.adele).count
        let soft = act(tenant, Self.adele, .softDelete, params: ["Subject": "Team lunch"])
        #expect(mailboxEvents(soft).map(\.operation) == [.SoftDelete])
        tenant.apply(soft.changes)
        #expect(messages(tenant, Self.adele).count == before)
        #expect(tenant.folders.contains { $0.name == "Recoverable Items" })
        // Out of the client's sight: a plain read no longer sees it.
        #expect(!mailboxEvents(act(tenant, Self.adele, .read)).flatMap(\.items).contains { $0.subject == "Team lunch Friday" })
        let hard = act(tenant, Self.adele, .hardDelete, params: ["Subject": "Team lunch"])
        #expect(mailboxEvents(hard).map(\.operation) == [.HardDelete])
        #expect(mailboxEvents(hard)[0].folderPath == "\\Recoverable Items")
        tenant.apply(hard.changes)
        #expect(messages(tenant, Self.adele).count == before - 1)
    }

    // MARK: Inbox rules

    @Test func owaRulesEnabledFalseDeniesRuleCreationOverOwaButNotOverMapi() throws {
        var tenant = try TenantSource.loadFixture("contoso")
        let lucia = "lucia.moreno@contoso.com"
        let params = ["Name": "fwd", "ForwardTo": "x@evil.example"]
        let owa = act(tenant, lucia, .createInboxRule, params: params)
        #expect(owa.decision.outcome == .Denied)
        #expect(owa.decision.reason == "PolicyDenied")
        #expect(owa.decision.by == "Restricted-Frontline")
        #expect(owa.changes.isEmpty && owa.events.isEmpty)
        let mapi = act(tenant, lucia, .createInboxRule, via: .MAPI, params: params)
        #expect(mapi.decision.outcome == .Allowed)
        let events = mailboxEvents(mapi)
        #expect(events.map(\.operation) == [.UpdateInboxRules])
        #expect(events[0].clientInfoString == "Client=MSExchangeRPC")
        #expect(events[0].properties.first == NameValue("RuleOperation", "AddMailboxRule"))
        #expect(events[0].properties.contains(NameValue("RuleName", "fwd")))
        #expect(events[0].properties.contains { $0.name == "RuleActions" && $0.value.contains("x@evil.example") })
        #expect(cmdletEvents(mapi).isEmpty)
        tenant.apply(mapi.changes)
        let rule = try #require(tenant.inboxRules.first { $0.name == "fwd" })
        #expect(rule.forwardTo == ["x@evil.example"])
        #expect(rule.forwards)
    }

    @Test func anOwaRuleIsANewInboxRuleCmdletShapedLikeTheGoldenRecords() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .createInboxRule, params: ["Name": "ForwardToHeaven", "ForwardTo": "alpha@localhost.com"])
        #expect(e.decision.outcome == .Allowed)
        #expect(mailboxEvents(e).isEmpty)
        let cmdlet = try #require(cmdletEvents(e).first)
        #expect(cmdlet.cmdlet == "New-InboxRule")
        #expect(cmdlet.actor == Self.adele)
        #expect(cmdlet.clientIP == "203.0.113.7:51000")
        #expect(cmdlet.parameters == [NameValue("AlwaysDeleteOutlookRulesBlob", "False"), NameValue("Force", "False"),
                                      NameValue("ForwardTo", "alpha@localhost.com"), NameValue("Name", "ForwardToHeaven"),
                                      NameValue("StopProcessingRules", "True")])
        tenant.apply(e.changes)
        let rule = try #require(tenant.inboxRules.first { $0.name == "ForwardToHeaven" })
        #expect(rule.stopProcessingRules)
        #expect(rule.priority == 1)
    }

    @Test func owaRuleParametersFollowTheObservedOrder() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .createInboxRule,
                    params: ["Name": ".", "MoveToFolder": "Archive", "MarkAsRead": "True", "SubjectContainsWords": "invoice"])
        #expect(cmdletEvents(e).first?.parameters.map(\.name)
            == ["AlwaysDeleteOutlookRulesBlob", "Force", "MoveToFolder", "Name", "SubjectContainsWords", "MarkAsRead", "StopProcessingRules"])
    }

    @Test func aRuleOverPowerShellCarriesOnlyTheGivenParameters() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .createInboxRule, via: .RemotePowerShell, params: ["Name": "r", "DeleteMessage": "true"])
        #expect(cmdletEvents(e).first?.parameters == [NameValue("Name", "r"), NameValue("DeleteMessage", "True")])
    }

    @Test func anAdministratorCreatesARuleInAnotherMailboxOverPowerShell() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.britton, .createInboxRule, mailbox: Self.adele, via: .RemotePowerShell, params: ["Name": "r"])
        #expect(e.decision.outcome == .Allowed)
        #expect(cmdletEvents(e).first?.parameters.contains(NameValue("Mailbox", Self.adele)) == true)
        #expect(act(tenant, Self.britton, .createInboxRule, mailbox: Self.adele, params: ["Name": "r"]).decision.reason == "AccessDenied")
    }

    @Test func aRuleMovingToAMissingFolderIsRefused() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .createInboxRule, params: ["Name": "r", "MoveToFolder": "Nowhere"])
        #expect(e.decision.reason == "InvalidParameter")
        #expect(e.decision.by == "MoveToFolder")
    }

    @Test func activeSyncCannotCreateRules() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        #expect(act(tenant, Self.adele, .createInboxRule, via: .ExchangeActiveSync, params: ["Name": "r"]).decision.reason == "ActionNotSupported")
    }

    // MARK: Permissions

    @Test func folderPermissionsAreUpdateFolderPermissions() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .updateFolderPermissions, via: .MAPI,
                    params: ["Folder": "Inbox", "User": "hannah@brittest.onmicrosoft.com", "AccessRights": "Reviewer"])
        let events = mailboxEvents(e)
        #expect(events.map(\.operation) == [.UpdateFolderPermissions])
        #expect(events[0].folderPath == "\\Inbox")
        #expect(events[0].properties.prefix(2) == [NameValue("MemberUpn", "hannah@brittest.onmicrosoft.com"), NameValue("MemberRights", "Reviewer")])
    }

    @Test func addingADelegateIsAddMailboxPermissionAndMakesADelegateLogon() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.britton, .addDelegate, mailbox: Self.adele, via: .RemotePowerShell, params: ["User": Self.william])
        #expect(e.decision.outcome == .Allowed)
        let cmdlet = try #require(cmdletEvents(e).first)
        #expect(cmdlet.cmdlet == "Add-MailboxPermission")
        #expect(cmdlet.parameters == [NameValue("Identity", Self.adele), NameValue("AccessRights", "FullAccess"),
                                      NameValue("User", Self.william), NameValue("InheritanceType", "All")])
        #expect(mailboxEvents(e).isEmpty)
        tenant.apply(e.changes)
        let read = act(tenant, Self.william, .read, mailbox: Self.adele)
        #expect(read.decision.outcome == .Allowed)
        #expect(mailboxEvents(read).allSatisfy { $0.logonType == .Delegate })
    }

    @Test func onlyAnAdministratorAddsDelegatesAndOnlyOverPowerShell() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let user = act(tenant, Self.adele, .addDelegate, via: .RemotePowerShell, params: ["User": Self.william])
        #expect(user.decision.reason == "AccessDenied")
        #expect(user.decision.by == "Add-MailboxPermission")
        let owa = act(tenant, Self.britton, .addDelegate, mailbox: Self.adele, params: ["User": Self.william])
        #expect(owa.decision.reason == "ActionNotSupported")
    }

    @Test func sendOnBehalfDelegationIsSetMailbox() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.britton, .addDelegate, mailbox: Self.adele, via: .RemotePowerShell,
                    params: ["User": Self.william, "AccessRights": "SendOnBehalf"])
        #expect(cmdletEvents(e).map(\.cmdlet) == ["Set-Mailbox"])
        tenant.apply(e.changes)
        #expect(act(tenant, Self.william, .sendOnBehalf, mailbox: Self.adele, params: ["To": "x@example.com"]).decision.outcome == .Allowed)
    }

    // MARK: Attachments

    @Test func downloadingAnAttachmentBindsTheItem() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let e = act(tenant, Self.adele, .downloadAttachment, params: ["Attachment": "INV-88214.pdf"])
        #expect(e.decision.outcome == .Allowed)
        let events = mailboxEvents(e)
        #expect(events.map(\.operation) == [.MailItemsAccessed])
        #expect(events[0].mailAccessType == "Bind")
        #expect(events[0].items.first?.attachments == ["INV-88214.pdf"])
    }

    @Test func aMobilePolicyWithoutAttachmentsDeniesDownloadsOverActiveSync() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let device = DeviceInfo(id: "ApplF4KWL2P7N3H", type: "iPhone", userAgent: "Apple-iPhone11C8/1605.26")
        let allowed = act(tenant, Self.adele, .downloadAttachment, via: .ExchangeActiveSync, params: ["Attachment": "INV-88214.pdf"], device: device)
        #expect(allowed.decision.outcome == .Allowed)
        #expect(mailboxEvents(allowed)[0].clientInfoString.hasPrefix("Client=ActiveSync;UserAgent=Apple-iPhone11C8/1605.26;"))
        #expect(mailboxEvents(allowed)[0].clientInfoString.hasSuffix("DeviceId=ApplF4KWL2P7N3H&DeviceType=iPhone&Cmd=ItemOperations"))
        tenant.mobileDeviceMailboxPolicies[0].attachmentsEnabled = false
        let denied = act(tenant, Self.adele, .downloadAttachment, via: .ExchangeActiveSync, params: ["Attachment": "INV-88214.pdf"], device: device)
        #expect(denied.decision.outcome == .Denied)
        #expect(denied.decision.reason == "PolicyDenied")
        #expect(denied.decision.by == "Default")
        // Reading over ActiveSync is still fine.
        #expect(act(tenant, Self.adele, .read, via: .ExchangeActiveSync, device: device).decision.outcome == .Allowed)
    }

    @Test func owaBlocksADownloadOfABlockedFileType() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        var msg = messages(tenant, Self.adele)[0]
        msg.itemId = "AAMkAGEXE0000000000AAA="
        msg.attachments = ["invoice.exe"]
        tenant.addMessage(msg)
        let e = act(tenant, Self.adele, .downloadAttachment, params: ["Attachment": "invoice.exe"])
        #expect(e.decision.reason == "PolicyDenied")
        #expect(e.decision.by == "OwaMailboxPolicy-Default" || e.decision.by == tenant.defaultOwaMailboxPolicy.name)
        #expect(e.decision.explanation.contains("BlockedFileTypes"))
    }

    @Test func owaConditionalAccessPolicyStopsDownloadsOnUnmanagedDevices() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.owaMailboxPolicies[0].conditionalAccessPolicy = .ReadOnly
        let params = ["Attachment": "INV-88214.pdf"]
        #expect(act(tenant, Self.adele, .downloadAttachment, params: params).decision.reason == "PolicyDenied")
        #expect(act(tenant, Self.adele, .downloadAttachment, params: params, compliant: true).decision.outcome == .Allowed)
        #expect(act(tenant, Self.adele, .read, params: params).decision.outcome == .Allowed)
        #expect(act(tenant, Self.adele, .downloadAttachment, via: .MAPI, params: params).decision.outcome == .Allowed)
    }

    @Test func owaWithoutDirectFileAccessStopsDownloads() throws {
        var tenant = try TenantSource.loadFixture("contoso")
        // lucia.moreno follows Restricted-Frontline (DirectFileAccessOnPrivateComputersEnabled False).
        let lucia = tenant.mailboxes[tenant.mailboxPositions(matching: "lucia.moreno@contoso.com")[0]]
        var msg = MailMessage(mailboxGuid: lucia.guid, itemId: "AAMkAGLUCIA0000000AAA=",
                              folderId: MailFolder.folderId(mailbox: lucia.guid, name: "Inbox"), internetMessageId: "<l1@contoso.com>",
                              subject: "Shift rota", from: "hana.sato@contoso.com", to: ["lucia.moreno@contoso.com"],
                              receivedTime: tenant.now, sizeBytes: 40_000)
        msg.attachments = ["Rota.xlsx"]
        tenant.addMessage(msg)
        let owa = act(tenant, "lucia.moreno@contoso.com", .downloadAttachment, params: ["Attachment": "Rota.xlsx"])
        #expect(owa.decision.reason == "PolicyDenied")
        #expect(owa.decision.by == "Restricted-Frontline")
        #expect(act(tenant, "lucia.moreno@contoso.com", .downloadAttachment, via: .MAPI, params: ["Attachment": "Rota.xlsx"])
            .decision.outcome == .Allowed)
    }

    @Test func aFullAccessDelegateDownloadsFromASharedMailbox() throws {
        let tenant = try TenantSource.loadFixture("contoso")
        let e = act(tenant, "sara.lopez@contoso.com", .downloadAttachment, mailbox: "accounts.payable@contoso.com",
                    params: ["Attachment": "Adatum_2026-0193.pdf"])
        #expect(e.decision.outcome == .Allowed)
        #expect(mailboxEvents(e)[0].logonType == .Delegate)
    }
}
