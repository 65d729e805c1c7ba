import Foundation
import Rehearsal
import TenantModel
import Testing

@Suite struct ImportErrorTests {
    /// One file per kind: a valid first record and a bad value on line 3.
    static let badValues: [(kind: String, file: String, text: String, column: String, valid: String)] = [
        ("Get-Mailbox", "mb.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.onmicrosoft.com\",\"True\"\n\"b@x.onmicrosoft.com\",\"Maybe\"\n",
         "AuditEnabled", "True, False"),
        ("Get-CASMailbox", "cas.csv", "\"PrimarySmtpAddress\",\"ImapEnabled\",\"HasActiveSyncDevicePartnership\"\n\"a@x.onmicrosoft.com\",\"True\",\"False\"\n\"b@x.onmicrosoft.com\",\"yes please\",\"False\"\n",
         "ImapEnabled", "True, False"),
        ("Get-MsolUser", "mfa.csv", "\"UserPrincipalName\",\"MFA Status\"\n\"a@x.onmicrosoft.com\",\"Enforced\"\n\"b@x.onmicrosoft.com\",\"Sometimes\"\n",
         "MFA Status", "Enabled, Enforced"),
        ("Get-MobileDevice", "dev.csv", "\"DeviceId\",\"DeviceType\",\"DeviceOS\",\"MailboxName\",\"DeviceAccessState\"\n\"D1\",\"iPhone\",\"iOS 12\",\"a\",\"Allowed\"\n\"D2\",\"iPhone\",\"iOS 12\",\"a\",\"Permitted\"\n",
         "DeviceAccessState", "Allowed"),
        ("Get-ActiveSyncDeviceAccessRule", "dar.csv", "\"QueryString\",\"Characteristic\",\"AccessLevel\"\n\"iPhone\",\"DeviceType\",\"Allow\"\n\"Android\",\"DeviceType\",\"Deny\"\n",
         "AccessLevel", "Block"),
        ("Get-ClientAccessRule", "car.csv", "\"Name\",\"Priority\",\"Action\"\n\"Allow office\",\"1\",\"AllowAccess\"\n\"Block rest\",\"2\",\"Deny\"\n",
         "Action", "DenyAccess"),
        ("Get-MobileDeviceMailboxPolicy", "mdm.csv", "\"Name\",\"IsDefault\",\"PasswordEnabled\"\n\"Default\",\"True\",\"False\"\n\"Strict\",\"False\",\"Often\"\n",
         "PasswordEnabled", "True, False"),
        ("Get-OwaMailboxPolicy", "owa.csv", "\"Name\",\"IsDefault\",\"DirectFileAccessOnPublicComputersEnabled\"\n\"OwaMailboxPolicy-Default\",\"True\",\"True\"\n\"Kiosk\",\"False\",\"nope\"\n",
         "DirectFileAccessOnPublicComputersEnabled", "True, False"),
        ("Get-OrganizationConfig", "org.csv", "\"Name\",\"AuditDisabled\"\n\"x.onmicrosoft.com\",\"perhaps\"\n",
         "AuditDisabled", "True, False"),
        ("Get-AdminAuditLogConfig", "aal.csv", "\"UnifiedAuditLogIngestionEnabled\"\n\"sometimes\"\n",
         "UnifiedAuditLogIngestionEnabled", "True, False"),
    ]

    @Test(arguments: 0..<badValues.count)
    func badValueNamesFileLineColumnAndValid(_ i: Int) throws {
        let c = Self.badValues[i]
        let dir = importTemporaryDirectory()
        writeImportFile(dir, c.file, c.text)
        let issues = try #require(importIssues(dir, domain: "x.onmicrosoft.com"), "\(c.kind) import should fail")
        #expect(issues.count == 1, "\(issues)")
        let issue = try #require(issues.first)
        #expect(issue.file == c.file)
        let line = c.kind.hasPrefix("Get-OrganizationConfig") || c.kind.hasPrefix("Get-AdminAudit") ? "line 2" : "line 3"
        #expect(issue.place == line, "\(issue)")
        #expect(issue.message.contains("column \"\(c.column)\""), "\(issue)")
        #expect(issue.valid?.contains(c.valid) == true, "\(issue)")
        // Recognised as the right kind when the value is fixed: the same file minus the bad line.
        let good = importTemporaryDirectory()
        let lines = c.text.split(separator: "\n", omittingEmptySubsequences: false)
        if line == "line 2" {
            writeImportFile(good, c.file, c.text.replacingOccurrences(of: "\"perhaps\"", with: "\"True\"")
                .replacingOccurrences(of: "\"sometimes\"", with: "\"True\""))
        } else {
            writeImportFile(good, c.file, lines.prefix(2).joined(separator: "\n") + "\n")
        }
        if c.kind == "Get-MobileDevice" {
            writeImportFile(good, "mb.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.onmicrosoft.com\",\"True\"\n")
        }
        let result = try TenantImporter(domain: "x.onmicrosoft.com").importDirectory(good)
        #expect(result.report.files.first { $0.file == c.file }?.kind?.cmdlet == c.kind)
    }

    @Test func unknownColumnSet() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "weird.csv", "\"PrimarySmtpAddress\",\"FavouriteColour\"\n\"a@x.com\",\"Blue\"\n")
        let issues = try #require(importIssues(dir))
        #expect(issues.count == 1)
        #expect(issues[0].file == "weird.csv")
        #expect(issues[0].message.contains("unknown column set"))
        #expect(issues[0].message.contains("\"FavouriteColour\""))
        #expect(issues[0].message.contains("Get-Mailbox"))
        #expect(issues[0].valid?.contains("Get-MobileDevice") == true)
    }

    @Test func duplicateIdentityInOneFile() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "a.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"True\"\n\"b@x.com\",\"True\"\n\"A@x.com\",\"False\"\n")
        let issues = try #require(importIssues(dir))
        #expect(issues.map(\.place) == ["line 4"])
        #expect(issues[0].message.contains("duplicate identity \"A@x.com\": line 2 already has it"), "\(issues)")
    }

    @Test func conflictingValuesAcrossFiles() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "a.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"True\"\n")
        writeImportFile(dir, "b.json", "[{\"PrimarySmtpAddress\": \"a@x.com\", \"AuditEnabled\": false, \"AuditLogAgeLimit\": \"90.00:00:00\"}]")
        let issues = try #require(importIssues(dir))
        #expect(issues.count == 1)
        #expect(issues[0].file == "b.json" && issues[0].place == "object 1")
        #expect(issues[0].message.contains("AuditEnabled is \"False\" here but \"True\" in a.csv, line 2"), "\(issues)")
    }

    @Test func sameValuesAcrossFilesMerge() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "a.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"True\"\n")
        writeImportFile(dir, "b.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\",\"AuditLogAgeLimit\"\n\"A@X.COM\",\"true\",\"180.00:00:00\"\n")
        let result = try TenantImporter().importDirectory(dir)
        let m = try #require(result.tenant.mailboxes.first)
        #expect(m.auditEnabled)
        #expect(m.auditLogAgeLimit.description.hasPrefix("180"))
    }

    @Test func everyBadFileIsReportedAndNothingIsWritten() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "ok.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"True\"\n")
        writeImportFile(dir, "bad1.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"Perhaps\"\n")
        writeImportFile(dir, "bad2.json", "{\"DeviceId\": ")
        writeImportFile(dir, "bad3.csv", "\"UserPrincipalName\",\"MFA Status\"\n\"not an address\",\"Enabled\"\n")
        let issues = try #require(importIssues(dir))
        #expect(Set(issues.map(\.file)) == ["bad1.csv", "bad2.json", "bad3.csv"], "\(issues)")
        #expect(issues.first { $0.file == "bad3.csv" }?.message.contains("isn't an email address") == true)
    }

    @Test func shortRecordAndTooManyFields() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "a.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"True\",\"extra\"\n")
        let issues = try #require(importIssues(dir))
        #expect(issues[0].place == "line 2")
        #expect(issues[0].message.contains("3 fields but the header has 2 columns"))
    }

    @Test func deviceWithoutItsMailbox() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "dev.csv", "\"DeviceId\",\"DeviceType\",\"DeviceOS\",\"MailboxName\"\n\"D1\",\"iPhone\",\"iOS 12\",\"ghost\"\n")
        let issues = try #require(importIssues(dir, domain: "x.onmicrosoft.com"))
        #expect(issues[0].message.contains("\"ghost\", which no imported Get-Mailbox"), "\(issues)")
    }

    @Test func emptyExportIsNotAnError() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "car.csv", "")
        writeImportFile(dir, "a.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.com\",\"True\"\n")
        let result = try TenantImporter().importDirectory(dir)
        #expect(result.report.text.contains("car.csv: CSV, recognised as an empty export"))
    }

    @Test func passwordsAreNeverImported() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "u.json", "[{\"UserPrincipalName\": \"a@x.com\", \"Password\": \"Secret-1!\", \"DisplayName\": \"A\"}]")
        let result = try TenantImporter().importDirectory(dir)
        let user = try #require(result.tenant.users.first)
        #expect(user.password != "Secret-1!" && !user.password.isEmpty)
        #expect(result.yaml.contains("Password: \(user.password)"))
        #expect(result.report.text.contains("Password is never imported"))
    }

    @Test func jsonSingleObjectAndCollections() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "org.json", "{\"Name\": \"x.onmicrosoft.com\", \"AuditDisabled\": true, \"Guid\": \"11111111-2222-3333-4444-555555555555\"}")
        writeImportFile(dir, "mb.json", "[{\"PrimarySmtpAddress\": \"a@x.onmicrosoft.com\", \"AuditOwner\": [\"MailboxLogin\", \"Update\"]}]")
        let result = try TenantImporter().importDirectory(dir)
        #expect(result.tenant.info.initialDomain == "x.onmicrosoft.com")
        #expect(result.tenant.info.tenantId.uuidString.lowercased() == "11111111-2222-3333-4444-555555555555")
        #expect(result.tenant.organizationConfig.auditDisabled)
        #expect(result.tenant.mailboxes.first?.auditOwner.map(\.rawValue).sorted() == ["MailboxLogin", "Update"])
    }
}
