import Foundation
import Testing
@testable import Shell
import TenantModel

@Suite struct OrganizationCmdletTests {
    // MARK: Enable-OrganizationCustomization [EXCHANGE-FACTS 5.2]

    @Test func enableOrganizationCustomizationHydratesTheTenant() throws {
        let (session, _) = try makeShell()
        #expect(session.tenant.organizationConfig.isDehydrated)
        #expect(run(session, "Enable-OrganizationCustomization").errors.isEmpty)
        #expect(!session.tenant.organizationConfig.isDehydrated)
        let shown = run(session, "Get-OrganizationConfig | Select IsDehydrated").output
        #expect(shown.map { h7Property($0, "IsDehydrated") } == ["False"])
    }

    @Test func enablingASecondTimeIsRefusedWithExchangesError() throws {
        let (session, _) = try makeShell()
        run(session, "Enable-OrganizationCustomization")
        let result = run(session, "Enable-OrganizationCustomization")
        #expect(result.errors.count == 1)
        let error = try #require(result.errors.first)
        #expect(error.message == "This operation is not required. Organization is already enabled for customization.")
        #expect(error.reason == "InvalidOperationException")
        #expect(error.errorId.hasSuffix(",Microsoft.Exchange.Management.Deployment.EnableOrganizationCustomizationTask"))
        #expect(error.isRemote)
    }

    // MARK: Admin audit log [EXCHANGE-FACTS 5.1]

    @Test func thePaperTurnsOnTheUnifiedAuditLog() throws {
        let (session, host) = try makeShell()
        #expect(!session.tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled)
        let result = run(session, """
            Enable-OrganizationCustomization
            Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true
            Get-AdminAuditLogConfig | Select UnifiedAuditLogIngestionEnabled
            """)
        #expect(result.errors.isEmpty)
        #expect(result.output.map { h7Property($0, "UnifiedAuditLogIngestionEnabled") } == ["True"])
        #expect(session.tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled)
        #expect(host.warnings.contains("The admin audit log configuration change you specified could take up to 60 minutes to take effect."))
    }

    @Test func setAdminAuditLogConfigIsRefusedInADehydratedTenant() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true")
        #expect(result.errors.first?.message.contains("you first need to run the command: Enable-OrganizationCustomization") == true)
        #expect(!session.tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled)
    }

    @Test func setAdminAuditLogConfigWithAWrongValueChangesNothing() throws {
        let (session, _) = try makeShell()
        run(session, "Enable-OrganizationCustomization")
        let result = run(session, "Set-AdminAuditLogConfig -LogLevel Loud")
        #expect(result.errors.first?.message.contains("None, Verbose") == true)
        #expect(session.tenant.adminAuditLogConfig.logLevel == .None)
    }

    // MARK: Organization, transport, remote domains

    @Test func setOrganizationConfigTurnsOffMailboxAuditingByDefault() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Set-OrganizationConfig -AuditDisabled $true").errors.isEmpty)
        #expect(session.tenant.organizationConfig.auditDisabled)
    }

    @Test func setTransportConfigTurnsOffSmtpAuth() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Set-TransportConfig -SmtpClientAuthenticationDisabled $true").errors.isEmpty)
        #expect(session.tenant.transportConfig.smtpClientAuthenticationDisabled)
        #expect(run(session, "Get-TransportConfig").output.map { h7Property($0, "SmtpClientAuthenticationDisabled") } == ["True"])
    }

    @Test func setRemoteDomainDefaultBlocksAutoForwarding() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Set-RemoteDomain Default -AutoForwardEnabled $false").errors.isEmpty)
        #expect(session.tenant.remoteDomains.first?.autoForwardEnabled == false)
        #expect(run(session, "Get-RemoteDomain").output.map { h7Property($0, "DomainName") } == ["*"])
    }

    @Test func setRemoteDomainOfAnUnknownDomainIsNotFound() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Set-RemoteDomain Nowhere -AutoForwardEnabled $false")
        #expect(result.errors.first?.message.contains("couldn't be found") == true)
    }

    // MARK: Authentication policies

    @Test func aNewAuthenticationPolicyBlocksBasicAuthExceptWhatItsSwitchesAllow() throws {
        let (session, _) = try makeShell()
        let result = run(session, "New-AuthenticationPolicy -Name 'Block Basic Auth' -AllowBasicAuthSmtp")
        #expect(result.errors.isEmpty)
        let policy = try #require(session.tenant.authenticationPolicies.first)
        #expect(policy.allowBasicAuthSmtp)
        #expect(!policy.allowBasicAuthImap && !policy.allowBasicAuthPowershell && !policy.allowBasicAuthActiveSync)
        #expect(h7Property(result.output.first ?? .null, "AllowBasicAuthSmtp") == "True")
    }

    @Test func setAuthenticationPolicyBlocksWithAFalseSwitch() throws {
        let (session, _) = try makeShell()
        run(session, "New-AuthenticationPolicy 'Block Basic Auth' -AllowBasicAuthSmtp")
        #expect(run(session, "Set-AuthenticationPolicy 'Block Basic Auth' -AllowBasicAuthSmtp:$false").errors.isEmpty)
        #expect(session.tenant.authenticationPolicies.first?.allowBasicAuthSmtp == false)
    }

    @Test func theDefaultAuthenticationPolicyMustExist() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Set-OrganizationConfig -DefaultAuthenticationPolicy 'Block Basic Auth'").errors.count == 1)
        #expect(session.tenant.organizationConfig.defaultAuthenticationPolicy == nil)
        run(session, "New-AuthenticationPolicy 'Block Basic Auth'")
        #expect(run(session, "Set-OrganizationConfig -DefaultAuthenticationPolicy 'Block Basic Auth'").errors.isEmpty)
        #expect(session.tenant.organizationConfig.defaultAuthenticationPolicy == "Block Basic Auth")
    }

    @Test func aSecondPolicyOfTheSameNameIsRefused() throws {
        let (session, _) = try makeShell()
        run(session, "New-AuthenticationPolicy 'Block Basic Auth'")
        #expect(run(session, "New-AuthenticationPolicy 'block basic auth'").errors.first?.message.contains("already exists") == true)
        #expect(session.tenant.authenticationPolicies.count == 1)
    }

    // MARK: Inbox rules

    @Suite struct InboxRules {
        @Test func newInboxRuleForwardsOutsideAndGetListsIt() throws {
            let (session, _) = try makeShell()
            let created = run(session, "New-InboxRule -Name fwd -Mailbox adele@brittest.onmicrosoft.com -ForwardTo x@evil.example -MarkAsRead $true")
            #expect(created.errors.isEmpty)
            let rule = try #require(session.tenant.inboxRules.first { $0.name == "fwd" })
            #expect(rule.forwardTo == ["x@evil.example"])
            #expect(rule.markAsRead)
            let listed = run(session, "Get-InboxRule -Mailbox adele")
            #expect(listed.output.map { h7Property($0, "Name") } == ["fwd"])
            #expect(h7Property(listed.output[0], "Identity") == rule.identity)
        }

        @Test func withoutMailboxTheRuleGoesToTheConnectedAdminsMailbox() throws {
            let (session, _) = try makeShell()
            #expect(run(session, "New-InboxRule Vendors -From externalvendor -MoveToFolder 'britton:\\Vendors'").errors.isEmpty)
            let rule = try #require(session.tenant.inboxRules.first { $0.name == "Vendors" })
            let britton = try #require(session.tenant.mailboxes.first { $0.userPrincipalName == "britton@brittest.onmicrosoft.com" })
            #expect(rule.mailboxGuid == britton.guid)
            #expect(rule.from == ["externalvendor@brittest.onmicrosoft.com"])
            #expect(rule.moveToFolder == "Vendors")
        }

        @Test func anUnknownFolderIsRefused() throws {
            let (session, _) = try makeShell()
            let before = session.tenant.inboxRules.count
            let result = run(session, "New-InboxRule x -Mailbox adele -MoveToFolder NoSuchFolder")
            #expect(result.errors.first?.message.contains("couldn't be found") == true)
            #expect(session.tenant.inboxRules.count == before)
        }

        @Test func priorityInsertsAndRemoveRenumbers() throws {
            let (session, _) = try makeShell()
            run(session, "New-InboxRule a -Mailbox adele -DeleteMessage $true; New-InboxRule b -Mailbox adele -DeleteMessage $true")
            run(session, "New-InboxRule c -Mailbox adele -DeleteMessage $true -Priority 1")
            func order() -> [String] { run(session, "Get-InboxRule -Mailbox adele").output.map { h7Property($0, "Name") + h7Property($0, "Priority") } }
            #expect(order() == ["c1", "a2", "b3"])
            #expect(run(session, "Set-InboxRule b -Mailbox adele -Priority 1").errors.isEmpty)
            #expect(order() == ["b1", "c2", "a3"])
            #expect(run(session, "Get-InboxRule -Mailbox adele c | Remove-InboxRule -Confirm:$false").errors.isEmpty)
            #expect(order() == ["b1", "a2"])
        }

        @Test func setChangesTheActionsAndRemoveNeedsConfirmation() throws {
            let (session, _) = try makeShell()
            run(session, "New-InboxRule a -Mailbox adele -ForwardTo x@evil.example")
            #expect(run(session, "Set-InboxRule a -Mailbox adele -ForwardTo @{Add='y@evil.example'} -StopProcessingRules $true").errors.isEmpty)
            let rule = try #require(session.tenant.inboxRules.first { $0.name == "a" })
            #expect(rule.forwardTo == ["x@evil.example", "y@evil.example"])
            #expect(rule.stopProcessingRules)
            #expect(run(session, "Remove-InboxRule a -Mailbox adele").errors.count == 1)
            #expect(session.tenant.inboxRules.contains { $0.name == "a" })
        }
    }

    // MARK: Mailbox permissions and audit bypass

    @Suite struct MailboxPermissions {
        @Test func getShowsTheOwnersSelfEntryFirst() throws {
            let (session, _) = try makeShell()
            let result = run(session, "Get-MailboxPermission adele")
            #expect(result.errors.isEmpty)
            let first = try #require(result.output.first)
            #expect(h7Property(first, "User") == "NT AUTHORITY\\SELF")
            #expect(h7Property(first, "AccessRights") == "FullAccess ReadPermission")
            #expect(h7Property(first, "IsInherited") == "False")
        }

        @Test func addThenRemoveFullAccess() throws {
            let (session, host) = try makeShell()
            let added = run(session, "Add-MailboxPermission -Identity adele -User joeadmin@brittest.onmicrosoft.com -AccessRights FullAccess -AutoMapping $false")
            #expect(added.errors.isEmpty)
            #expect(h7Property(added.output.first ?? .null, "User") == "joeadmin@brittest.onmicrosoft.com")
            let users = run(session, "Get-MailboxPermission adele").output.map { h7Property($0, "User") }
            #expect(users.contains("joeadmin@brittest.onmicrosoft.com"))
            #expect(run(session, "Remove-MailboxPermission adele -User joeadmin -AccessRights FullAccess -Confirm:$false").errors.isEmpty)
            #expect(!run(session, "Get-MailboxPermission adele").output.map { h7Property($0, "User") }.contains("joeadmin@brittest.onmicrosoft.com"))
            run(session, "Remove-MailboxPermission adele -User joeadmin -AccessRights FullAccess -Confirm:$false")
            #expect(host.warnings.last?.contains("because the ACE doesn't exist on the object") == true)
        }

        @Test func addForAnUnknownUserIsNotFound() throws {
            let (session, _) = try makeShell()
            let before = session.tenant.mailboxPermissions
            let result = run(session, "Add-MailboxPermission adele -User nobody -AccessRights FullAccess")
            #expect(result.errors.first?.message.contains("couldn't be found") == true)
            #expect(session.tenant.mailboxPermissions == before)
        }

        @Test func auditBypassIsSetAndShown() throws {
            let (session, _) = try makeShell()
            #expect(run(session, "Set-MailboxAuditBypassAssociation -Identity joeadmin -AuditBypassEnabled $true").errors.isEmpty)
            let shown = run(session, "Get-MailboxAuditBypassAssociation joeadmin").output
            #expect(shown.map { h7Property($0, "AuditBypassEnabled") } == ["True"])
            #expect(session.tenant.mailboxes.first { $0.alias == "joeadmin" }?.auditBypassEnabled == true)
        }
    }
}
