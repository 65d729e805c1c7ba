import Foundation
import Rehearsal
import Shell
import TenantModel
import TenantStore
import Testing

@Suite struct ImportRoundTripTests {
    /// The white paper's four export lines and a full export of every other cmdlet.
    static let exportScript = """
        Get-Mailbox -ResultSize Unlimited | Select PrimarySMTPAddress, AuditEnabled | Export-Csv -NoTypeInformation MailboxAuditing_Enabled.csv
        Get-Mailbox -ResultSize Unlimited | Select PrimarySmtpAddress,AuditAdmin,AuditDelegate,AuditOwner,AuditLogAgeLimit | Export-Csv -NoTypeInformation MailBox_Auditing_Configs.csv
        Get-MsolUser -All | Select UserPrincipalname, @{N="MFA Status";E={$_.StrongAuthenticationRequirements.State}} | Export-csv -NoTypeInformation MFA_Status.csv
        Get-CASMailbox -ResultSize Unlimited | Select PrimarySMTPAddress,*Enabled | Export-Csv -NoTypeInformation CASMailbox_EnabledServices.csv
        Get-Mailbox -ResultSize Unlimited | Export-Csv -NoTypeInformation mailboxes.csv
        Get-CASMailbox -ResultSize Unlimited | Export-Csv -NoTypeInformation cas.csv
        Get-MobileDevice | Export-Csv -NoTypeInformation devices.csv
        Get-MsolUser -All | Export-Csv -NoTypeInformation users.csv
        Get-ClientAccessRule | Export-Csv -NoTypeInformation car.csv
        Get-ActiveSyncDeviceAccessRule | Export-Csv -NoTypeInformation dar.csv
        Get-MobileDeviceMailboxPolicy | Export-Csv -NoTypeInformation mdmp.csv
        Get-OwaMailboxPolicy | Export-Csv -NoTypeInformation owa.csv
        Get-OrganizationConfig | Export-Csv -NoTypeInformation org.csv
        Get-AdminAuditLogConfig | Export-Csv -NoTypeInformation aal.csv
        """

    /// Single-valued persisted properties of `schema` whose values differ between a and b.
    static func differences<T>(_ a: T, _ b: T, _ schema: ObjectSchema<T>, skip: Set<String> = []) -> [String] {
        schema.properties.filter { $0.isPersisted && !$0.valueType.isMultiValued && !skip.contains($0.name) }.compactMap { p in
            p.get(a) == p.get(b) ? nil : "\(p.name): \(p.get(a).canonicalText) vs \(p.get(b).canonicalText)"
        }
    }

    func exportAndImport(_ fixture: String) throws -> (Tenant, ImportResult, String) {
        let original = try TenantSource.loadFixture(fixture)
        let dir = importTemporaryDirectory()
        let (session, _) = importShell(original, in: dir)
        try importRun(session, Self.exportScript)
        let result = try TenantImporter().importDirectory(dir)
        return (original, result, dir)
    }

    @Test(arguments: ["brittest", "contoso"])
    func csvRoundTrip(_ fixture: String) throws {
        let (original, result, _) = try exportAndImport(fixture)
        let imported = result.tenant
        #expect(imported.info.initialDomain == original.info.initialDomain)
        #expect(Set(imported.users.map { $0.userPrincipalName.lowercased() }) == Set(original.users.map { $0.userPrincipalName.lowercased() }))
        #expect(imported.mailboxes.count == original.mailboxes.count)
        for m in original.mailboxes {
            guard let i = imported.mailboxes.first(where: { $0.primarySmtpAddress == m.primarySmtpAddress }) else {
                Issue.record("mailbox \(m.primarySmtpAddress.address) missing"); continue
            }
            let diff = Self.differences(m, i, Mailbox.persistenceSchema, skip: ["LicenseTier"])
            #expect(diff.isEmpty, "\(m.primarySmtpAddress.address): \(diff)")
        }
        for u in original.users {
            guard let i = imported.users.first(where: { $0.userPrincipalName.lowercased() == u.userPrincipalName.lowercased() }) else { continue }
            let diff = Self.differences(u, i, User.schema,
                                        skip: ["Password", "Company", "Puid", "FailedSignInCount", "LockedUntil", "LockoutCount", "LastPasswordChange", "AuthenticationPolicy"])
            #expect(diff.isEmpty, "\(u.userPrincipalName): \(diff)")
            #expect(i.strongAuthenticationState == u.strongAuthenticationState)
            #expect(!i.password.isEmpty && i.password != u.password || u.password.isEmpty)
        }
        #expect(imported.mobileDevices.count == original.mobileDevices.count)
        for d in original.mobileDevices {
            guard let i = imported.mobileDevices.first(where: { $0.deviceId == d.deviceId }) else {
                Issue.record("device \(d.deviceId) missing"); continue
            }
            let diff = Self.differences(d, i, MobileDevice.schema, skip: ["MailboxGuid", "IsProvisionable"])
            #expect(diff.isEmpty, "\(d.deviceId): \(diff)")
        }
        #expect(imported.clientAccessRules.map(\.name) == original.clientAccessRules.map(\.name))
        for (a, b) in zip(original.clientAccessRules, imported.clientAccessRules) {
            #expect(Self.differences(a, b, ClientAccessRule.schema).isEmpty)
        }
        #expect(imported.deviceAccessRules.map(\.name) == original.deviceAccessRules.map(\.name))
        #expect(Set(imported.mobileDeviceMailboxPolicies.map(\.name)) == Set(original.mobileDeviceMailboxPolicies.map(\.name)))
        for p in original.mobileDeviceMailboxPolicies {
            if let i = imported.mobileDeviceMailboxPolicies.first(where: { $0.name == p.name }) {
                #expect(Self.differences(p, i, MobileDeviceMailboxPolicy.schema).isEmpty, "\(p.name)")
            }
        }
        for p in original.owaMailboxPolicies {
            if let i = imported.owaMailboxPolicies.first(where: { $0.name == p.name }) {
                #expect(Self.differences(p, i, OwaMailboxPolicy.schema).isEmpty, "\(p.name)")
            }
        }
        #expect(Self.differences(original.organizationConfig, imported.organizationConfig, OrganizationConfig.schema).isEmpty)
        #expect(Self.differences(original.adminAuditLogConfig, imported.adminAuditLogConfig, AdminAuditLogConfig.schema).isEmpty)
        // The fixture loads back as the same tenant.
        let reloaded = try FixtureLoader(file: "x.yaml").load(text: result.yaml)
        #expect(reloaded.users.map(\.password) == imported.users.map(\.password))
        // The report names the paper's files and the ArrayList columns.
        let text = result.report.text
        #expect(text.contains("MailboxAuditing_Enabled.csv: CSV, recognised as the white paper's MailboxAuditing_Enabled.csv"))
        #expect(text.contains("AuditAdmin arrived as System.Collections.ArrayList"))
        #expect(text.contains("generated password"))
    }

    @Test func paperFilesAlone() throws {
        let original = try TenantSource.loadFixture("brittest")
        let dir = importTemporaryDirectory()
        let (session, _) = importShell(original, in: dir)
        try importRun(session, Self.exportScript.split(separator: "\n").prefix(4).joined(separator: "\n"))
        let result = try TenantImporter(tenantName: "Brit Test").importDirectory(dir)
        #expect(result.report.files.count == 4)
        #expect(result.tenant.info.displayName == "Brit Test")
        #expect(result.tenant.users.count == original.users.count)
        for m in original.mailboxes {
            let i = result.tenant.mailboxes.first { $0.primarySmtpAddress == m.primarySmtpAddress }
            #expect(i?.auditEnabled == m.auditEnabled)
            #expect(i?.cas == m.cas)
        }
    }

    @Test func jsonInput() throws {
        let original = try TenantSource.loadFixture("contoso")
        let dir = importTemporaryDirectory()
        let (session, _) = importShell(original, in: dir)
        for (name, command) in [("mailboxes.json", "Get-Mailbox -ResultSize Unlimited"), ("users.json", "Get-MsolUser -All"),
                                ("car.json", "Get-ClientAccessRule"), ("org.json", "Get-OrganizationConfig")] {
            let r = Interpreter(session: session).run("\(command) | ConvertTo-Json -Depth 4")
            #expect(r.errors.isEmpty)
            guard case .string(let json)? = r.output.first else { Issue.record("no JSON from \(command)"); continue }
            writeImportFile(dir, name, json)
        }
        let result = try TenantImporter().importDirectory(dir)
        let imported = result.tenant
        for u in original.users {
            let i = imported.users.first { $0.userPrincipalName.lowercased() == u.userPrincipalName.lowercased() }
            #expect(i?.strongAuthenticationState == u.strongAuthenticationState)
            #expect(i?.licenses == u.licenses, "\(u.userPrincipalName)")
        }
        for m in original.mailboxes {
            let i = imported.mailboxes.first { $0.primarySmtpAddress == m.primarySmtpAddress }
            #expect(i?.auditOwner == m.auditOwner, "\(m.primarySmtpAddress.address)")
            #expect(i?.auditEnabled == m.auditEnabled)
        }
        #expect(imported.clientAccessRules.map(\.name) == original.clientAccessRules.map(\.name))
        for (a, b) in zip(original.clientAccessRules, imported.clientAccessRules) {
            #expect(a.anyOfProtocols == b.anyOfProtocols)
            #expect(a.anyOfClientIPAddressesOrRanges == b.anyOfClientIPAddressesOrRanges)
        }
        #expect(result.report.files.allSatisfy { $0.format == .json })
    }
}

@Suite struct ImportJsonRoundTripTests {
    static func allDifferences<T>(_ a: T, _ b: T, _ schema: ObjectSchema<T>, skip: Set<String> = []) -> [String] {
        schema.properties.filter { $0.isPersisted && !skip.contains($0.name) }.compactMap { p in
            p.get(a) == p.get(b) ? nil : "\(p.name): \(p.get(a).canonicalText) vs \(p.get(b).canonicalText)"
        }
    }

    /// Every kind exported with ConvertTo-Json -Depth 4 comes back whole, lists included.
    @Test func everyKindAsJson() throws {
        let original = try TenantSource.loadFixture("contoso")
        let dir = importTemporaryDirectory()
        let (session, _) = importShell(original, in: dir)
        let commands = ["Get-Mailbox -ResultSize Unlimited", "Get-CASMailbox -ResultSize Unlimited", "Get-MobileDevice",
                        "Get-MsolUser -All", "Get-ClientAccessRule", "Get-ActiveSyncDeviceAccessRule",
                        "Get-MobileDeviceMailboxPolicy", "Get-OwaMailboxPolicy", "Get-OrganizationConfig", "Get-AdminAuditLogConfig"]
        for (n, command) in commands.enumerated() {
            let r = Interpreter(session: session).run("\(command) | ConvertTo-Json -Depth 4")
            #expect(r.errors.isEmpty, "\(command)")
            guard case .string(let json)? = r.output.first else { continue }
            writeImportFile(dir, "export\(n).json", json)
        }
        let result = try TenantImporter().importDirectory(dir)
        let imported = result.tenant
        #expect(result.report.files.count == commands.count)
        for m in original.mailboxes {
            guard let i = imported.mailboxes.first(where: { $0.primarySmtpAddress == m.primarySmtpAddress }) else {
                Issue.record("missing \(m.primarySmtpAddress.address)"); continue
            }
            let diff = Self.allDifferences(m, i, Mailbox.persistenceSchema, skip: ["LicenseTier"])
            #expect(diff.isEmpty, "\(m.primarySmtpAddress.address): \(diff)")
        }
        for u in original.users {
            guard let i = imported.users.first(where: { $0.userPrincipalName == u.userPrincipalName }) else { continue }
            let diff = Self.allDifferences(u, i, User.schema, skip: ["Password", "Company", "Puid", "FailedSignInCount", "LockedUntil",
                                                                    "LockoutCount", "LastPasswordChange", "AuthenticationPolicy",
                                                                    "AdminRoles", "AppPasswords"])
            #expect(diff.isEmpty, "\(u.userPrincipalName): \(diff)")
        }
        for (a, b) in zip(original.clientAccessRules, imported.clientAccessRules) {
            let diff = Self.allDifferences(a, b, ClientAccessRule.schema)
            #expect(diff.isEmpty, "\(a.name): \(diff)")
        }
        for (a, b) in zip(original.deviceAccessRules, imported.deviceAccessRules) {
            #expect(Self.allDifferences(a, b, ActiveSyncDeviceAccessRule.schema).isEmpty)
        }
        for p in original.mobileDeviceMailboxPolicies {
            let i = try #require(imported.mobileDeviceMailboxPolicies.first { $0.name == p.name })
            let diff = Self.allDifferences(p, i, MobileDeviceMailboxPolicy.schema)
            #expect(diff.isEmpty, "\(p.name): \(diff)")
        }
        for p in original.owaMailboxPolicies {
            let i = try #require(imported.owaMailboxPolicies.first { $0.name == p.name })
            let diff = Self.allDifferences(p, i, OwaMailboxPolicy.schema)
            #expect(diff.isEmpty, "\(p.name): \(diff)")
        }
        #expect(Self.allDifferences(original.organizationConfig, imported.organizationConfig, OrganizationConfig.schema).isEmpty)
        #expect(Self.allDifferences(original.adminAuditLogConfig, imported.adminAuditLogConfig, AdminAuditLogConfig.schema).isEmpty)
        #expect(imported.info.tenantId == original.info.tenantId)
    }
}
