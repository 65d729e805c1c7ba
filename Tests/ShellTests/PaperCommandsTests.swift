import Foundation
import Testing
import TenantModel
import TenantStore
@testable import Shell

/// The acceptance test of the cmdlet language: every command of the white paper
/// (shared/spec/paper-commands.ps1), run line by line against the brittest fixture, does
/// what its `# =>` comment says — and the lines the paper got wrong fail with the real
/// error and change nothing.
@Suite(.serialized) struct PaperCommandsTests {
    static let paperPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/spec/paper-commands.ps1").path

    /// The paper's command lines, without comments and blank lines.
    static func commandLines() throws -> [String] {
        let text = try String(contentsOfFile: paperPath, encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter {
            let t = $0.trimmingCharacters(in: .whitespaces)
            return !t.isEmpty && !t.hasPrefix("#")
        }
    }

    struct Step {
        let line: String
        /// The line without its `# =>` comment.
        var code: String { line.components(separatedBy: "   # =>").first ?? line }
        let result: RunResult
        let before: Tenant
        let after: Tenant
    }

    /// Runs every line in one session, as an admin pasting them one after another.
    static func runPaper() throws -> (steps: [Step], directory: String, session: ShellSession) {
        let directory = temporaryDirectory()
        let (session, _) = try makeShell("brittest", connected: false, workingDirectory: directory)
        var steps: [Step] = []
        for line in try commandLines() {
            let before = session.tenant
            let result = Interpreter(session: session).run(line)
            steps.append(Step(line: line, result: result, before: before, after: session.tenant))
        }
        return (steps, directory, session)
    }

    func step(_ steps: [Step], _ fragment: String, occurrence: Int = 0) throws -> Step {
        let matches = steps.filter { $0.line.contains(fragment) }
        return try #require(matches.indices.contains(occurrence) ? matches[occurrence] : nil, "no paper line contains \(fragment)")
    }

    func mailbox(_ t: Tenant, _ alias: String) throws -> Mailbox {
        try #require(t.mailboxes.first { $0.alias == alias })
    }

    @Test func thePaperFileIsThere() throws {
        #expect(try Self.commandLines().count >= 50)
    }

    @Test func everyLineDoesWhatThePaperSays() throws {
        let (steps, directory, session) = try Self.runPaper()
        let britton = "britton@brittest.onmicrosoft.com"

        // Lines that must succeed without any error.
        let failing = Set(["-Action Allow ", "-Action Deny ", "Disable_Offline_Rules\u{201D}"])
        for s in steps where !failing.contains(where: { s.code.contains($0) }) {
            #expect(s.result.errors.isEmpty, "\(s.line)\n→ \(s.result.errors.map(\.message))")
        }

        // Connecting with basic authentication.
        #expect(session.psSessions.first?.user == britton)
        #expect(try step(steps, "Import-PSSession").after.mailboxes.count == 29)

        // Unified audit log.
        let enable = try step(steps, "Enable-OrganizationCustomization")
        #expect(enable.before.organizationConfig.isDehydrated && !enable.after.organizationConfig.isDehydrated)
        #expect(try step(steps, "Set-AdminAuditLogConfig").after.adminAuditLogConfig.unifiedAuditLogIngestionEnabled)
        let getConfig = try step(steps, "Get-AdminAuditLogConfig")
        #expect(getConfig.result.output.count == 1)
        if case .object(let o)? = getConfig.result.output.first { #expect(o.property("UnifiedAuditLogIngestionEnabled")?.text == "True") }

        // Mailbox auditing.
        #expect(try step(steps, "Set-Mailbox -AuditEnabled $true").after.mailboxes.allSatisfy(\.auditEnabled))
        let loginLine = try step(steps, "-AuditOwner @{Add=\u{201D}MailboxLogin\u{201D}}")
        for m in loginLine.after.mailboxes {
            #expect(m.auditOwner.contains(.MailboxLogin) == (m.recipientTypeDetails == .UserMailbox), "\(m.alias)")
            let old = try mailbox(loginLine.before, m.alias)
            #expect(m.auditOwner.isSuperset(of: old.auditOwner), "nothing removed from \(m.alias)")
        }
        let big = try step(steps, "-AuditOwner @{Add=\u{201D}Create,SoftDelete")
        let adele = try mailbox(big.after, "adele")
        #expect(adele.auditOwner.isSuperset(of: AuditActionSet([.Create, .SoftDelete, .HardDelete, .Update, .Move, .MoveToDeletedItems,
                                                                 .MailboxLogin, .UpdateFolderPermissions, .UpdateCalendarDelegation, .UpdateInboxRules])))
        #expect(adele.auditDelegate.contains(.FolderBind) && adele.auditAdmin.contains(.MessageBind) && adele.auditAdmin.contains(.Copy))
        #expect(adele.defaultAuditSet.isEmpty, "every logon type was customised")
        #expect(try step(steps, "-AuditLogAgeLimit 730").after.mailboxes.allSatisfy { $0.auditLogAgeLimit == .days(730) })

        // Per-user MFA: every user Enabled.
        #expect(try step(steps, "Foreach { Set-MsolUser").after.users.allSatisfy { $0.strongAuthenticationState == .Enabled })

        // The exported files.
        let enabledCsv = try String(contentsOfFile: directory + "/MailboxAuditing_Enabled.csv", encoding: .utf8)
        let rows = enabledCsv.split(separator: "\n")
        // Select-Object names a column as the object spells the property, not as typed.
        #expect(rows.first == "\"PrimarySmtpAddress\",\"AuditEnabled\"")
        #expect(rows.count == 30)
        #expect(rows.dropFirst().allSatisfy { $0.hasSuffix(",\"True\"") })
        let configs = try String(contentsOfFile: directory + "/MailBox_Auditing_Configs.csv", encoding: .utf8)
        #expect(configs.hasPrefix("\"PrimarySmtpAddress\",\"AuditAdmin\",\"AuditDelegate\",\"AuditOwner\",\"AuditLogAgeLimit\"\n"))
        let mfa = try String(contentsOfFile: directory + "/MFA_Status.csv", encoding: .utf8)
        #expect(mfa.hasPrefix("\"UserPrincipalName\",\"MFA Status\"\n"))
        #expect(mfa.contains("\"\(britton)\",\"Enabled\""))
        let cas = try String(contentsOfFile: directory + "/CASMailbox_EnabledServices.csv", encoding: .utf8)
        let header = String(cas.split(separator: "\n")[0])
        #expect(header.hasPrefix("\"PrimarySmtpAddress\","))
        for column in ["ActiveSyncEnabled", "OWAEnabled", "ImapEnabled", "PopEnabled", "MAPIEnabled"] {
            #expect(header.contains("\"\(column)\""), "\(column) in \(header)")
        }

        // Mobile devices: the iOS report has an empty DeviceMode column, and no error.
        let report = try step(steps, "Where-Object {$_.DeviceOS.StartsWith(")
        #expect(report.result.output.count == 10)
        if case .object(let o)? = report.result.output.first {
            #expect(o.propertyNames.last == "DeviceMode")
            #expect(o.property("DeviceMode")?.isNull == true)
            #expect(o.property("DeviceOS")?.text.hasPrefix("iOS") == true)
        }
        let allowLists = try step(steps, "-ActiveSyncAllowedDeviceIDs @(")
        let brittonBox = try mailbox(allowLists.after, "britton")
        #expect(brittonBox.cas.activeSyncAllowedDeviceIDs == ["ApplF17XQ1NZ0D5", "ApplC39K2M8PQ7R", "ApplDX3Q5R9T2LM"], "the list is replaced")
        #expect(brittonBox.cas.activeSyncBlockedDeviceIDs == ["SEC09A4E1C2B7F3"])
        let policy = try step(steps, "New-MobileDeviceMailboxPolicy")
        let strong = try #require(policy.after.mobileDeviceMailboxPolicies.first { $0.name == "Strong_Password_and_Encryption" })
        #expect(strong.isDefault && policy.after.mobileDeviceMailboxPolicies.filter(\.isDefault).count == 1)
        #expect(strong.maxInactivityTimeLock == .limited(.minutes(15)))
        #expect(strong.passwordExpiration == .limited(.days(90)))
        #expect(strong.maxPasswordFailedAttempts == .limited(15))
        #expect(try step(steps, "Get-Mailbox -ResultSize Unlimited | Set-CASMailbox -ActiveSyncMailBoxPolicy").after.mailboxes
            .allSatisfy { $0.cas.activeSyncMailboxPolicy == "Strong_Password_and_Encryption" })
        #expect(try step(steps, "-AttachmentsEnabled $False").after.mobileDeviceMailboxPolicies.first { $0.name == "Strong_Password_and_Encryption" }?.attachmentsEnabled == false)

        // OWA policies: the typo fails for every mailbox and changes nothing; the corrected line works.
        let owaNew = try step(steps, "New-OWAMailboxPolicy")
        #expect(owaNew.after.owaMailboxPolicies.first { $0.name == "Disable_Offline_And_Rules" }?.isDefault == true)
        let owaSet = try step(steps, "-AllowOffline NoComputers")
        let owaPolicy = try #require(owaSet.after.owaMailboxPolicies.first { $0.name == "Disable_Offline_And_Rules" })
        #expect(owaPolicy.allowOfflineOn.rawValue == "NoComputers" && owaPolicy.rulesEnabled == false)
        let typo = try step(steps, "Disable_Offline_Rules\u{201D}")
        #expect(typo.result.errors.count == 29)
        #expect(typo.result.errors.allSatisfy { $0.message.contains("couldn't be found") })
        #expect(typo.after.mailboxes == typo.before.mailboxes, "nothing changes")
        #expect(try step(steps, "Set-CASMailbox -OWAMailboxPolicy \u{201C}Disable_Offline_And_Rules").after.mailboxes
            .allSatisfy { $0.cas.owaMailboxPolicy == "Disable_Offline_And_Rules" })
        #expect(try step(steps, "Get-Mailbox -ResultSize Unlimited | Set-CASMailbox -OWAEnabled $False").after.mailboxes.allSatisfy { !$0.cas.owaEnabled })

        // ActiveSync device access rule.
        let rule = try step(steps, "New-ActiveSyncDeviceAccessRule")
        #expect(rule.after.deviceAccessRules.map(\.name) == ["Android (DeviceType)"])
        #expect(try step(steps, "Get-ActiveSyncDeviceAccessRule", occurrence: 0).result.output.count == 1)

        // Client access rules: the paper's -Action Allow/Deny lines fail and create nothing.
        for s in steps where s.code.contains("-Action Allow ") || s.code.contains("-Action Deny ") {
            #expect(s.result.errors.first?.errorId == "ParameterArgumentTransformationError,New-ClientAccessRule", "\(s.line)")
            #expect(s.after.clientAccessRules == s.before.clientAccessRules, "nothing created by \(s.line)")
        }
        let listed = try step(steps, "Get-ClientAccessRule", occurrence: 0)
        #expect(listed.after.clientAccessRules.map(\.name) == ["AllowRemotePS", "Deny_Non_Company_IPs_Except_for_ActiveSync"])
        #expect(listed.after.clientAccessRules.map(\.priority) == [1, 2])
        let test = try step(steps, "Test-ClientAccessRule")
        #expect(test.result.output.count == 1)
        if case .object(let o)? = test.result.output.first { #expect(o.property("Name")?.text == "Deny_Non_Company_IPs_Except_for_ActiveSync") }
        #expect(try step(steps, "Get-ClientAccessRule | Remove-ClientAccessRule").after.clientAccessRules.isEmpty)
        let bypass = try step(steps, "Temporary_Vendor_Bypass -Action")
        #expect(bypass.after.clientAccessRules.map(\.name) == ["Temporary_Vendor_Bypass", "Restrict_AdminCenter_And_Services"])
        #expect(bypass.after.clientAccessRules.map(\.priority) == [1, 2])
        let removed = try step(steps, "Remove-ClientAccessRule Temporary_Vendor_Bypass")
        #expect(removed.after.clientAccessRules.map(\.name) == ["Restrict_AdminCenter_And_Services"])
        #expect(removed.after.clientAccessRules.first?.priority == 1)
        #expect(try step(steps, "Get-ActiveSyncDeviceAccessRule | Remove-ActiveSyncDeviceAccessRule").after.deviceAccessRules.isEmpty)
    }

    @Test func enableOrganizationCustomizationTwiceIsTheRealError() throws {
        let (session, _) = try makeShell("brittest")
        run(session, "Enable-OrganizationCustomization")
        let before = session.tenant
        let second = run(session, "Enable-OrganizationCustomization")
        #expect(second.errors.first?.message == "This operation is not required. Organization is already enabled for customization.")
        #expect(session.tenant == before)
    }

    @Test func exchangeCmdletsAreNotRecognizedBeforeConnecting() throws {
        let (session, _) = try makeShell("brittest", connected: false)
        #expect(run(session, "Get-Mailbox").errors.first?.errorId == "CommandNotFoundException")
        #expect(run(session, "Get-MsolUser -All").errors.first?.errorId == "CommandNotFoundException")
    }

    @Test func aWrongPasswordCannotOpenTheSession() throws {
        let (session, _) = try makeShell("brittest", connected: false)
        let result = run(session, """
            $c = New-Object System.Management.Automation.PSCredential ("britton@brittest.onmicrosoft.com", (ConvertTo-SecureString "wrong" -AsPlainText -Force))
            $s = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri https://outlook.office365.com/powershell-liveid/ -Credential $c -Authentication Basic -AllowRedirection
            """)
        #expect(result.errors.first?.message.contains("Access is denied") == true)
        #expect(session.psSessions.isEmpty && !session.exchangeImported)
    }
}
