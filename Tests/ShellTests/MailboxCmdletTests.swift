import Foundation
import Testing
@testable import Shell
import TenantModel

/// Runs one cmdlet body with its arguments bound as the binder binds them (Exchange values
/// converted and normalized, hashtables on multi-valued parameters as Add/Remove edits,
/// identities left as shell values), so the cmdlets can be tested before and apart from the
/// interpreter.
enum ExchangeCmdletProbe {
    struct Result {
        var output: [PSValue] = []
        var errors: [ShellError] = []
        var warnings: [String] = []
        var text = ""
    }

    /// Runs `cmdlet` once, or once per piped object (each bound to -Identity, as byValue binding does).
    static func run(_ session: ShellSession, _ cmdlet: String, _ arguments: KeyValuePairs<String, PSValue> = [:],
                    piped: [PSValue]? = nil, whatIf: Bool = false, confirm: Bool = false) -> Result {
        guard let definition = session.registry.resolve(cmdlet) else {
            Issue.record("no cmdlet \(cmdlet)")
            return Result()
        }
        let host = session.host as! BufferHost
        let warningsBefore = host.warnings.count
        let outputBefore = host.output.count
        var result = Result()
        let span = SourceSpan(start: 0, end: 0, line: 1, column: 1)
        let context = CmdletContext(session: session, definition: definition,
                                    call: CommandCall(name: cmdlet, nameSpan: span, arguments: [], span: span),
                                    interpreter: Interpreter(session: session))
        context.whatIf = whatIf
        context.confirmSuppressed = !confirm
        do {
            var parameters = BoundParameters()
            for (name, value) in arguments {
                let p = try parameter(definition, name)
                parameters.set(p.name, try bind(value, p))
            }
            for record in piped ?? [.null] {
                var bound = parameters
                if piped != nil { bound.set("Identity", .value(record)) }
                result.output += try definition.body(context, bound, piped == nil ? nil : record)
            }
        } catch let error as ShellError {
            result.errors.append(error)
        } catch {
            Issue.record("unexpected \(error)")
        }
        result.errors = context.errors + result.errors
        result.warnings = Array(host.warnings[warningsBefore...])
        result.text = String(host.output.dropFirst(outputBefore))
        return result
    }

    static func parameter(_ definition: CmdletDefinition, _ name: String) throws -> ParameterDefinition {
        if let exact = definition.parameter(name) { return exact }
        let matches = definition.parameters.filter { $0.name.lowercased().hasPrefix(name.lowercased()) }
        guard matches.count == 1 else {
            throw ShellError(message: "parameter \(name) of \(definition.name): \(matches.count) matches", errorId: "Probe")
        }
        return matches[0]
    }

    static func bind(_ value: PSValue, _ p: ParameterDefinition) throws -> BoundValue {
        guard case .exchange(let type) = p.type else { return .value(value) }
        if case .hashtable(let h) = value, type.isMultiValued {
            return .edit(add: try (h["Add"].map { try type.normalize($0.propertyValue) }).map(items) ?? [],
                         remove: try (h["Remove"].map { try type.normalize($0.propertyValue) }).map(items) ?? [])
        }
        return .converted(try type.normalize(value.propertyValue))
    }

    static func items(_ v: PropertyValue) -> [PropertyValue] {
        if case .list(let l) = v { return l }
        return [v]
    }

    static func edit(add: String) -> PSValue { .hashtable(PSHashtable([("Add", .string(add))])) }
    static func edit(remove: String) -> PSValue { .hashtable(PSHashtable([("Remove", .string(remove))])) }
}

/// True once the interpreter runs scripts; the end-to-end tests wait for it.
let interpreterRuns: Bool = {
    guard let (session, _) = try? makeShell() else { return false }
    return !run(session, "1").output.isEmpty
}()

/// Names of the audit actions in a mailbox's list.
func auditNames(_ session: ShellSession, _ mailbox: Mailbox, _ type: MailboxAuditLogonType) -> Set<String> {
    Set(mailbox.auditActions(for: type).map(\.rawValue))
}

struct GetMailboxTests {
    @Test func returnsEveryMailboxAsADeserializedMailboxView() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")])
        #expect(r.errors.isEmpty)
        #expect(r.output.count == session.tenant.mailboxes.filter { $0.recipientTypeDetails != .GroupMailbox }.count)
        guard case .object(let first)? = r.output.first else { Issue.record("no object"); return }
        #expect(first.typeNames.first == TypeNames.mailbox)
        #expect(first.ref == .mailbox(session.tenant.mailboxes[0].guid))
        #expect(first.property("LicenseTier") == nil)
        #expect(first.property("AuditLogAgeLimit")?.text == "90.00:00:00")
    }

    enum IdentityForm: String, CaseIterable { case name, alias, smtp, upn, guid, domainAlias }

    @Test(arguments: IdentityForm.allCases)
    func resolvesEveryIdentityForm(_ form: IdentityForm) throws {
        let (session, _) = try makeShell()
        _ = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "Alias": .string("bmanahan")])
        let m = session.tenant.mailboxes.first { $0.name == "britton" }!
        let text: String
        switch form {
        case .name: text = "britton"
        case .alias: text = "BMANAHAN"
        case .smtp: text = m.primarySmtpAddress.address
        case .upn: text = m.userPrincipalName.uppercased()
        case .guid: text = m.guid.uuidString
        case .domainAlias: text = "brittest\\britton"
        }
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Identity": .string(text)])
        #expect(r.errors.isEmpty)
        #expect(r.output.count == 1)
        if case .object(let o)? = r.output.first { #expect(o.ref == .mailbox(m.guid)) }
    }

    @Test func missingIdentityIsExchangesCouldNotBeFound() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Identity": .string("nobody@brittest.onmicrosoft.com")])
        #expect(r.output.isEmpty)
        #expect(r.errors.map(\.message) == [
            "The operation couldn't be performed because object 'nobody@brittest.onmicrosoft.com' couldn't be found on '\(ShellError.exchangeServer)'.",
        ])
        #expect(r.errors.first?.isTerminating == false)
    }

    @Test func wildcardIdentityListsEveryMatch() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Identity": .string("b*")])
        let expected = session.tenant.mailboxes.filter { $0.name.hasPrefix("b") || $0.displayName.lowercased().hasPrefix("b") }.count
        #expect(r.output.count == expected)
        #expect(expected >= 2)
    }

    @Test func recipientTypeDetailsSelectsOnlyThoseTypes() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited"), "RecipientTypeDetails": .string("UserMailbox")])
        #expect(r.output.count == session.tenant.mailboxes.filter { $0.recipientTypeDetails == .UserMailbox }.count)
        #expect(r.output.count < session.tenant.mailboxes.count)
    }

    @Test func resultSizeCutsTheListAndWarns() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .int(3)])
        #expect(r.output.count == 3)
        #expect(r.warnings.count == 1)
        #expect(r.warnings.first?.hasPrefix("By default, only the first 3 items are returned.") == true)
        let all = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")])
        #expect(all.warnings.isEmpty)
    }

    @Test(arguments: [
        ("RecipientTypeDetails -eq 'SharedMailbox'", ["info"]),
        ("RecipientTypeDetails -ne 'UserMailbox' -and Name -like 'board*'", ["boardroom"]),
        ("(Name -eq 'britton') -or (Name -eq 'info')", ["britton", "info"]),
        ("{PrimarySmtpAddress -like 'britton@*'}", ["britton"]),
        ("ForwardingSmtpAddress -ne $null", [String]()),
        ("-not (AuditEnabled -eq $false) -and Name -eq 'britton'", [String]()),
    ])
    func filterSelectsByProperty(_ filter: String, _ names: [String]) throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited"), "Filter": .string(filter)])
        #expect(r.errors.isEmpty)
        let got = r.output.compactMap { v -> String? in if case .object(let o) = v { return o.property("Name")?.text } else { return nil } }
        #expect(got.sorted() == names.sorted())
    }

    @Test func badFilterSyntaxIsExchangesBindingError() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Filter": .string("Name -eq 'britton' -and")])
        #expect(r.output.isEmpty)
        #expect(r.errors.first?.message == """
            Cannot bind parameter 'Filter' to the target. Exception setting "Filter": "Invalid filter syntax. For a description of the filter parameter syntax see the command help.
            "Name -eq 'britton' -and" at position 24."
            """)
        #expect(r.errors.first?.isTerminating == true)
    }

    @Test func unknownFilterPropertyNamesTheValidOnes() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Filter": .string("Department -eq 'IT'")])
        let message = r.errors.first?.message ?? ""
        #expect(message.hasPrefix("Cannot bind parameter 'Filter' to the target. Exception setting \"Filter\": \"\"Department\" is not a recognized filterable property. Valid property names are: Alias, AuditAdmin,"))
        #expect(!message.contains("LicenseTier"))
    }
}

struct SetMailboxTests {
    @Test func auditEnabledOnEveryPipedMailbox() throws {
        let (session, _) = try makeShell()
        let all = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")]).output
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["AuditEnabled": .bool(true)], piped: all)
        #expect(r.errors.isEmpty)
        #expect(session.tenant.mailboxes.allSatisfy { $0.auditEnabled })
    }

    @Test func addingMailboxLoginKeepsTheOtherOwnerActions() throws {
        let (session, _) = try makeShell()
        let before = session.tenant.mailboxes.first { $0.name == "britton" }!
        _ = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "AuditOwner": ExchangeCmdletProbe.edit(add: "MailboxLogin")])
        let after = session.tenant.mailboxes.first { $0.name == "britton" }!
        #expect(auditNames(session, after, .Owner) == auditNames(session, before, .Owner).union(["MailboxLogin"]))
        #expect(after.defaultAuditSet == [.Admin, .Delegate])
    }

    @Test func thePapersCommaListsAddEveryActionToEveryMailbox() throws {
        let (session, _) = try makeShell()
        let all = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")]).output
        let owner = "Create,SoftDelete,HardDelete,Update,Move,MoveToDeletedItems,MailboxLogin,UpdateFolderPermissions,UpdateCalendarDelegation,UpdateInboxRules"
        let delegate = "Create,FolderBind,SendAs,SendOnBehalf,SoftDelete,HardDelete,Update,Move,MoveToDeletedItems,UpdateFolderPermissions,UpdateInboxRules"
        let admin = "Create,FolderBind,MessageBind,SendAs,SendOnBehalf,SoftDelete,HardDelete,Update,Move,Copy,MoveToDeletedItems,UpdateFolderPermissions,UpdateCalendarDelegation,UpdateInboxRules"
        let before = session.tenant.mailboxes
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", [
            "AuditOwner": ExchangeCmdletProbe.edit(add: owner),
            "AuditDelegate": ExchangeCmdletProbe.edit(add: delegate),
            "AuditAdmin": ExchangeCmdletProbe.edit(add: admin),
        ], piped: all)
        #expect(r.errors.isEmpty)
        for (old, new) in zip(before, session.tenant.mailboxes) {
            #expect(auditNames(session, new, .Owner) == auditNames(session, old, .Owner).union(owner.split(separator: ",").map(String.init)))
            #expect(auditNames(session, new, .Delegate) == auditNames(session, old, .Delegate).union(delegate.split(separator: ",").map(String.init)))
            #expect(auditNames(session, new, .Admin) == auditNames(session, old, .Admin).union(admin.split(separator: ",").map(String.init)))
            #expect(new.defaultAuditSet.isEmpty)
        }
    }

    @Test func auditLogAgeLimitInDaysShowsAsATimespan() throws {
        let (session, _) = try makeShell()
        _ = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "AuditLogAgeLimit": .int(730)])
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Identity": .string("britton")])
        guard case .object(let o)? = r.output.first else { Issue.record("no mailbox"); return }
        #expect(o.property("AuditLogAgeLimit")?.text == "730.00:00:00")
    }

    @Test(arguments: [
        ("AuditOwner", "SendAs", "Owner", "None, Create, SoftDelete, HardDelete, Update, Move, MoveToDeletedItems, MailboxLogin and UpdateFolderPermissions"),
        ("AuditDelegate", "MailboxLogin", "Delegate", "None, Create, FolderBind, SendAs, SendOnBehalf, SoftDelete, HardDelete, Update, Move, MoveToDeletedItems and UpdateFolderPermissions"),
        ("AuditAdmin", "MailboxLogin", "Admin", "None, Create, FolderBind, MessageBind, SendAs, SendOnBehalf, SoftDelete, HardDelete, Update, Move, Copy, MoveToDeletedItems and UpdateFolderPermissions"),
    ])
    func anActionTheLogonTypeCannotAuditIsRefused(_ parameter: String, _ action: String, _ logonType: String, _ supported: String) throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), parameter: ExchangeCmdletProbe.edit(add: "Update,\(action)")])
        #expect(r.errors.map(\.message) == ["Invalid audit operation specified. Supported audit operations for \(logonType) are \(supported)."])
        #expect(r.errors.first?.reason == "RecipientTaskException")
        #expect(session.tenant == before)
    }

    @Test func whatIfChangesNothing() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "AuditEnabled": .bool(true)], whatIf: true)
        #expect(session.tenant == before)
        #expect(r.text.hasPrefix("What if:"))
    }

    @Test func ambiguousIdentityMatchesMultipleEntries() throws {
        let (session, _) = try makeShell()
        let twin = Mailbox(name: "twin", displayName: "Twin", primarySmtpAddress: SmtpAddress("britton@brittest.com")!,
                           guid: UUID(), userObjectId: nil, licenseTier: .E3, whenCreated: session.tenant.now)
        try session.tenant.addMailbox(twin)
        let before = session.tenant
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "AuditEnabled": .bool(true)])
        #expect(r.errors.map(\.message) == ["The operation couldn't be performed because 'britton' matches multiple entries."])
        #expect(session.tenant == before)
    }

    @Test func aChangeThatChangesNothingWarns() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "AuditEnabled": .bool(false)])
        #expect(r.warnings == ["The command completed successfully but no settings of 'britton' have been modified."])
        #expect(session.tenant == before)
    }

    @Test func everyChangeGoesThroughTheCommandLayerOnce() throws {
        let (session, _) = try makeShell()
        var actions: [AdminAction] = []
        session.onCommit = { actions.append($0) }
        let all = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")]).output
        _ = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["AuditLogAgeLimit": .int(730)], piped: all)
        #expect(actions.count == all.count)
        #expect(actions.first?.parameters == [AdminAction.ParameterRecord(name: "AuditLogAgeLimit", value: "730.00:00:00")])
    }

    @Test func forwardingAddressMustNameARecipient() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "ForwardingAddress": .string("ghost")])
        #expect(r.errors.first?.message.contains("object 'ghost' couldn't be found") == true)
        _ = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "ForwardingAddress": .string("info@brittest.onmicrosoft.com")])
        #expect(session.tenant.mailboxes.first { $0.name == "britton" }?.forwardingAddress == "info")
    }

    @Test func newPrimaryAddressKeepsTheOldOneAsSecondary() throws {
        let (session, _) = try makeShell()
        _ = ExchangeCmdletProbe.run(session, "Set-Mailbox", ["Identity": .string("britton"), "PrimarySmtpAddress": .string("britton@brittest.com")])
        let m = session.tenant.mailboxes.first { $0.name == "britton" }!
        #expect(m.emailAddresses == ["SMTP:britton@brittest.com", "smtp:britton@brittest.onmicrosoft.com"])
        let r = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["Identity": .string("britton@brittest.onmicrosoft.com")])
        #expect(r.output.count == 1)
    }
}

struct CASMailboxTests {
    func cas(_ session: ShellSession, _ name: String = "britton") -> CASMailboxView {
        session.tenant.casMailbox(session.tenant.mailboxes.first { $0.name == name }!)
    }

    @Test func getReturnsCASViewsOfMailboxes() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Get-CASMailbox", ["Identity": .string("britton@brittest.onmicrosoft.com")])
        guard case .object(let o)? = r.output.first else { Issue.record("no object"); return }
        #expect(o.typeNames.first == TypeNames.casMailbox)
        #expect(o.property("ActiveSyncMailboxPolicy")?.text == "Default")
        #expect(o.property("ActiveSyncMailboxPolicyIsDefaulted")?.text == "True")
        #expect(o.property("OwaMailboxPolicy")?.text == "OwaMailboxPolicy-Default")
        #expect(o.property("HasActiveSyncDevicePartnership")?.text == "True")
    }

    @Test func deviceIDListsAreReplacedNotAppended() throws {
        let (session, _) = try makeShell()
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["ActiveSyncAllowedDeviceIDs": .string("ApplF17XQ1NZ0D5"), "Identity": .string("britton@brittest.onmicrosoft.com")])
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["ActiveSyncBlockedDeviceIDs": .string("SEC09A4E1C2B7F3"), "Identity": .string("britton@brittest.onmicrosoft.com")])
        let list = PSValue.array(PSArray([.string("ApplF17XQ1NZ0D5"), .string("ApplC39K2M8PQ7R"), .string("ApplDX3Q5R9T2LM")]))
        let r = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["ActiveSyncAllowedDeviceIDs": list, "Identity": .string("britton@brittest.onmicrosoft.com")])
        #expect(r.errors.isEmpty)
        #expect(cas(session).mailbox.cas.activeSyncAllowedDeviceIDs == ["ApplF17XQ1NZ0D5", "ApplC39K2M8PQ7R", "ApplDX3Q5R9T2LM"])
        #expect(cas(session).mailbox.cas.activeSyncBlockedDeviceIDs == ["SEC09A4E1C2B7F3"])
    }

    @Test func deviceIDListsTakeAddRemoveEditsAndNullClears() throws {
        let (session, _) = try makeShell()
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncAllowedDeviceIDs": ExchangeCmdletProbe.edit(add: "A1")])
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncAllowedDeviceIDs": ExchangeCmdletProbe.edit(add: "B2")])
        #expect(cas(session).mailbox.cas.activeSyncAllowedDeviceIDs == ["A1", "B2"])
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncAllowedDeviceIDs": ExchangeCmdletProbe.edit(remove: "A1")])
        #expect(cas(session).mailbox.cas.activeSyncAllowedDeviceIDs == ["B2"])
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncAllowedDeviceIDs": .null])
        #expect(cas(session).mailbox.cas.activeSyncAllowedDeviceIDs.isEmpty)
    }

    @Test func anUnknownPolicyErrsPerMailboxAndChangesNothing() throws {
        let (session, _) = try makeShell()
        let all = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")]).output
        let before = session.tenant
        let r = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["OWAMailboxPolicy": .string("Disable_Offline_Rules")], piped: all)
        #expect(r.errors.count == all.count)
        #expect(Set(r.errors.map(\.message)) == [
            "The operation couldn't be performed because object 'Disable_Offline_Rules' couldn't be found on '\(ShellError.exchangeServer)'.",
        ])
        #expect(session.tenant == before)
    }

    @Test func aPolicyNameIsStoredAsThePolicySpellsIt() throws {
        let (session, _) = try makeShell()
        let r = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncMailBoxPolicy": .string("default")])
        #expect(r.errors.isEmpty)
        #expect(cas(session).mailbox.cas.activeSyncMailboxPolicy == "Default")
        #expect(cas(session).activeSyncMailboxPolicyIsDefaulted == false)
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncMailboxPolicy": .null])
        #expect(cas(session).activeSyncMailboxPolicyIsDefaulted == true)
    }

    @Test func owaEnabledFalseOnEveryMailbox() throws {
        let (session, _) = try makeShell()
        let all = ExchangeCmdletProbe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")]).output
        let r = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["OWAEnabled": .bool(false)], piped: all)
        #expect(r.errors.isEmpty)
        #expect(session.tenant.mailboxes.allSatisfy { !$0.cas.owaEnabled })
        let get = ExchangeCmdletProbe.run(session, "Get-CASMailbox", ["ResultSize": .string("Unlimited"), "Filter": .string("OWAEnabled -eq $true")])
        #expect(get.output.isEmpty)
    }

    @Test func whatIfChangesNothing() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        _ = ExchangeCmdletProbe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ImapEnabled": .bool(false)], whatIf: true)
        #expect(session.tenant == before)
    }
}

struct OPathFilterTests {
    let properties = ["Name", "AuditEnabled", "EmailAddresses", "AuditLogAgeLimit"]

    func values(_ name: String) -> (PropertyValue, ValueType)? {
        switch name {
        case "Name": return (.string("Britton"), .string)
        case "AuditEnabled": return (.bool(true), .bool)
        case "EmailAddresses": return (.list([.string("SMTP:b@x.com"), .string("smtp:b@y.com")]), .multiValued(.string))
        case "AuditLogAgeLimit": return (.timeSpan(.days(90)), .timeSpan)
        default: return nil
        }
    }

    @Test(arguments: [
        ("Name -eq 'britton'", true),
        ("name -EQ \"BRITTON\"", true),
        ("Name -ne 'britton'", false),
        ("Name -like 'brit*'", true),
        ("Name -notlike '*x*'", true),
        ("AuditEnabled -eq $true", true),
        ("AuditEnabled -eq 'False'", false),
        ("EmailAddresses -eq 'smtp:b@y.com'", true),
        ("EmailAddresses -like '*@z.com'", false),
        ("AuditLogAgeLimit -eq 90", true),
        ("AuditLogAgeLimit -gt '30.00:00:00'", true),
        ("Name -eq $null", false),
        ("-not (Name -eq 'x') -and (AuditEnabled -eq $true -or Name -eq 'y')", true),
        ("Name -eq ‘britton’", true),
    ])
    func evaluates(_ filter: String, _ expected: Bool) throws {
        let f = try OPathFilter.parse(filter, properties: properties)
        #expect(f.matches(values) == expected)
    }

    @Test(arguments: [
        ("Name -eq", OPathFilter.Failure.syntax(position: 9)),
        ("Name 'x'", .syntax(position: 6)),
        ("(Name -eq 'x'", .syntax(position: 14)),
        ("Name -eq 'x", .syntax(position: 10)),
        ("Name -eq $var", .syntax(position: 10)),
        ("Name -contains 'x'", .syntax(position: 6)),
        ("Title -eq 'x'", .unknownProperty("Title", position: 1)),
    ])
    func refuses(_ filter: String, _ failure: OPathFilter.Failure) {
        #expect(throws: failure) { try OPathFilter.parse(filter, properties: properties) }
    }
}

/// The white paper's mailbox lines, run through the interpreter once it exists.
@Suite(.enabled(if: interpreterRuns))
struct MailboxPaperTests {
    @Test func auditingLinesOfThePaper() throws {
        let (session, _) = try makeShell()
        let script = """
        Get-Mailbox -Resultsize Unlimited | Set-Mailbox -AuditEnabled $true
        Get-Mailbox -ResultSize Unlimited -RecipientTypeDetails UserMailbox | Set-Mailbox -AuditOwner @{Add=”MailboxLogin”}
        Get-Mailbox -ResultSize Unlimited | Set-Mailbox -AuditOwner @{Add=”Create,SoftDelete,HardDelete,Update,Move,MoveToDeletedItems,MailboxLogin,UpdateFolderPermissions,UpdateCalendarDelegation,UpdateInboxRules”} -AuditDelegate @{Add=”Create,FolderBind,SendAs,SendOnBehalf,SoftDelete,HardDelete,Update,Move,MoveToDeletedItems,UpdateFolderPermissions,UpdateInboxRules”} -AuditAdmin @{Add=”Create,FolderBind,MessageBind,SendAs,SendOnBehalf,SoftDelete,HardDelete,Update,Move,Copy,MoveToDeletedItems,UpdateFolderPermissions,UpdateCalendarDelegation,UpdateInboxRules”}
        Get-Mailbox -ResultSize Unlimited | Set-Mailbox -AuditLogAgeLimit 730
        """
        let r = run(session, script)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        for m in session.tenant.mailboxes where m.recipientTypeDetails != .GroupMailbox {
            #expect(m.auditEnabled)
            #expect(m.auditLogAgeLimit.description == "730.00:00:00")
            #expect(m.auditActions(for: .Owner).contains(.MailboxLogin))
            #expect(m.auditActions(for: .Admin).contains(.MessageBind))
        }
        let ages = run(session, "(Get-Mailbox britton).AuditLogAgeLimit").output
        #expect(ages.first?.text == "730.00:00:00")
    }

    @Test func casLinesOfThePaper() throws {
        let (session, _) = try makeShell()
        let script = """
        Set-CASMailbox -ActiveSyncAllowedDeviceIDs ApplF17XQ1NZ0D5 -Identity britton@brittest.onmicrosoft.com
        Set-CASMailbox -ActiveSyncBlockedDeviceIDs SEC09A4E1C2B7F3 -Identity britton@brittest.onmicrosoft.com
        Set-CASMailbox -ActiveSyncAllowedDeviceIDs @(“ApplF17XQ1NZ0D5”,”ApplC39K2M8PQ7R”,”ApplDX3Q5R9T2LM”) -Identity britton@brittest.onmicrosoft.com
        Set-CASMailbox -Identity britton@brittest.onmicrosoft.com -OWAEnabled $False
        Get-Mailbox -ResultSize Unlimited | Set-CASMailbox -OWAEnabled $False
        """
        let r = run(session, script)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        let britton = session.tenant.mailboxes.first { $0.name == "britton" }!
        #expect(britton.cas.activeSyncAllowedDeviceIDs == ["ApplF17XQ1NZ0D5", "ApplC39K2M8PQ7R", "ApplDX3Q5R9T2LM"])
        #expect(britton.cas.activeSyncBlockedDeviceIDs == ["SEC09A4E1C2B7F3"])
        #expect(session.tenant.mailboxes.allSatisfy { !$0.cas.owaEnabled })
    }

    @Test func whatIfInAScriptChangesNothing() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = run(session, "Get-Mailbox -ResultSize Unlimited | Set-Mailbox -AuditEnabled $true -WhatIf")
        #expect(r.errors.isEmpty)
        #expect(session.tenant == before)
    }

    @Test func aScriptBlockFilterWorksAsText() throws {
        let (session, _) = try makeShell()
        let r = run(session, "Get-Mailbox -ResultSize Unlimited -Filter {RecipientTypeDetails -eq \"SharedMailbox\"} | ForEach-Object { $_.Name }")
        #expect(r.output.map(\.text) == ["info"])
        let bad = run(session, "Get-Mailbox -Filter \"Name -eq 'britton' -and\"")
        #expect(bad.errors.first?.message.contains("Invalid filter syntax.") == true)
    }

    @Test func anObjectFromGetMailboxBindsToIdentity() throws {
        let (session, _) = try makeShell()
        let r = run(session, "Get-Mailbox britton | Set-CASMailbox -ImapEnabled $false; (Get-CASMailbox britton).ImapEnabled")
        #expect(r.errors.isEmpty)
        #expect(r.output.map(\.text) == ["False"])
    }

    @Test func theOwaPolicyTypoErrsPerMailboxThenTheCorrectedLineWorks() throws {
        let (session, _) = try makeShell()
        let setup = run(session, """
        Enable-OrganizationCustomization
        New-OWAMailboxPolicy -IsDefault -Name “Disable_Offline_And_Rules”
        Set-OWAMailboxPolicy -Identity “Disable_Offline_And_Rules” -AllowOffline NoComputers -RulesEnabled $False
        """)
        #expect(setup.errors.isEmpty, "\(setup.errors.map(\.message))")
        let before = session.tenant
        let typo = run(session, "Get-Mailbox -ResultSize Unlimited | Set-CASMailbox -OWAMailboxPolicy “Disable_Offline_Rules”")
        #expect(typo.errors.count == session.tenant.mailboxes.count)
        #expect(session.tenant == before)
        let fixed = run(session, "Get-Mailbox -ResultSize Unlimited | Set-CASMailbox -OWAMailboxPolicy “Disable_Offline_And_Rules”")
        #expect(fixed.errors.isEmpty)
        #expect(session.tenant.mailboxes.allSatisfy { $0.cas.owaMailboxPolicy == "Disable_Offline_And_Rules" })
    }
}
