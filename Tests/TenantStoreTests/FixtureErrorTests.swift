import Foundation
import Testing
import TenantModel
import TenantStore

/// A malformed fixture fails with the file, line and column of the offending text and a
/// message that names the problem and, where there is a choice, the valid values. Line and
/// column are 1-based; comments in each fixture text give the line numbers.
@Suite struct FixtureErrorTests {
    static let file = "mock-tenant/bad.yaml"

    /// The error loading `text` throws; records an issue when it loads.
    static func loadError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FixtureError {
        try #require(throws: FixtureError.self, sourceLocation: sourceLocation) {
            try FixtureLoader(file: file).load(text: text)
        }
    }

    static func expect(_ error: FixtureError, line: Int, column: Int, _ phrases: String...,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error.file == file, sourceLocation: sourceLocation)
        #expect(error.line == line, "message: \(error.message)", sourceLocation: sourceLocation)
        #expect(error.column == column, "message: \(error.message)", sourceLocation: sourceLocation)
        for phrase in phrases {
            #expect(error.message.contains(phrase), "message: \(error.message)", sourceLocation: sourceLocation)
        }
    }

    static let header = """
        tenant:
          InitialDomain: bad.onmicrosoft.com

        """

    // MARK: YAML itself

    @Test("A tab in the indentation is a YAML syntax error at that character")
    func tabIndentation() throws {
        let error = try Self.loadError("tenant:\n\tInitialDomain: bad.onmicrosoft.com\n")
        Self.expect(error, line: 2, column: 1, "YAML syntax error", "found character that cannot start any token")
    }

    @Test("An unclosed flow list is a YAML syntax error where the parser found it unfinished")
    func unclosedBracket() throws {
        let error = try Self.loadError("""
            tenant:
              InitialDomain: bad.onmicrosoft.com
              Domains: [bad.onmicrosoft.com, bad.example
            users: []
            """)
        // libyaml reads `users` as another list item and stops at the `:` after it.
        Self.expect(error, line: 4, column: 6, "YAML syntax error", "flow sequence", "did not find expected ',' or ']'")
    }

    @Test("An empty fixture, or one with only comments, is refused", arguments: ["", "# nothing here\n\n"])
    func emptyDocument(text: String) throws {
        Self.expect(try Self.loadError(text), line: 1, column: 1, "The fixture is empty", "`tenant:`")
    }

    @Test("A fixture whose top level is a list is refused")
    func rootNotMapping() throws {
        let error = try Self.loadError("- tenant\n- users\n")
        Self.expect(error, line: 1, column: 1, "The fixture must be a mapping", "not a list")
    }

    @Test("A key given twice in one mapping is refused at its second occurrence")
    func duplicateKey() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                City: Dublin
                City: Cork
            """)
        Self.expect(error, line: 6, column: 5, "\"City\"", "twice")
    }

    @Test("Keys are matched ignoring case, so City and city in one mapping are the same key twice")
    func duplicateKeyDifferentCase() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                City: Dublin
                city: Cork
            """)
        Self.expect(error, line: 6, column: 5, "\"city\" twice")
    }

    // MARK: Sections

    @Test("An unknown section is refused and the message lists the valid sections")
    func unknownSection() throws {
        let error = try Self.loadError(Self.header + """
            user:
              - UserPrincipalName: ana@bad.onmicrosoft.com
            """)
        Self.expect(error, line: 3, column: 1, "Unknown section \"user\"",
                    "Valid sections: tenant, clock, seed, organizationConfig, adminAuditLogConfig, transportConfig, activeSyncOrganizationSettings, remoteDomains, authenticationPolicies, mobileDeviceMailboxPolicies, owaMailboxPolicies, deviceAccessRules, clientAccessRules, applications, users, mailboxes, identifierState.")
    }

    @Test("Section keys are case-sensitive: Tenant is not tenant")
    func sectionCase() throws {
        let error = try Self.loadError("Tenant:\n  InitialDomain: bad.onmicrosoft.com\n")
        Self.expect(error, line: 1, column: 1, "Unknown section \"Tenant\"")
    }

    @Test("A fixture without a tenant section is refused")
    func missingTenant() throws {
        let error = try Self.loadError("clock: 2019-06-17T14:00:00Z\nusers: []\n")
        Self.expect(error, line: 1, column: 1, "needs a `tenant:` section", "InitialDomain")
    }

    @Test("A tenant without InitialDomain is refused at the tenant mapping")
    func missingInitialDomain() throws {
        let error = try Self.loadError("tenant:\n  DisplayName: Bad Tenant\n")
        Self.expect(error, line: 2, column: 3, "needs InitialDomain")
    }

    @Test("A section that must be a list refuses a mapping")
    func sectionOfWrongShape() throws {
        let error = try Self.loadError(Self.header + "users:\n  UserPrincipalName: ana@bad.onmicrosoft.com\n")
        Self.expect(error, line: 4, column: 3, "users must be a list", "not a mapping")
    }

    // MARK: Properties

    @Test("An unknown property on a user is refused at its key and the message lists the user's properties")
    func unknownUserProperty() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                Departmnet: Sales
            """)
        Self.expect(error, line: 5, column: 5, "Unknown property \"Departmnet\" for a user", "Valid properties: UserPrincipalName, DisplayName",
                    "Department", "StrongAuthenticationState")
        // Computed properties can't be set, so they are not offered.
        #expect(!error.message.contains("AccountEnabled"))
    }

    @Test("An unknown property on an application is refused at its key and the message lists the application's properties")
    func unknownApplicationProperty() throws {
        let error = try Self.loadError(Self.header + """
            applications:
              - DisplayName: Scanner
                Secret: hunter2
            """)
        Self.expect(error, line: 5, column: 5, "Unknown property \"Secret\" for an application",
                    "Valid properties: DisplayName, AppId, ClientSecret, Roles, Enabled.")
    }

    @Test("An application's AppId that isn't a GUID is refused at the value")
    func badApplicationAppId() throws {
        let error = try Self.loadError(Self.header + """
            applications:
              - DisplayName: Scanner
                AppId: not-a-guid
            """)
        Self.expect(error, line: 5, column: 12, "\"AppId\" can't be \"not-a-guid\"")
    }

    @Test("A bad enum value is refused at the value and the message lists the enumerators")
    func badEnum() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                StrongAuthenticationState: On
            """)
        Self.expect(error, line: 5, column: 32, "\"StrongAuthenticationState\" can't be \"On\"", "Disabled, Enabled, Enforced")
    }

    @Test("A bad boolean is refused at the value and the message lists True and False")
    func badBoolean() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                mailbox:
                  AuditEnabled: maybe
            """)
        Self.expect(error, line: 6, column: 21, "\"AuditEnabled\" can't be \"maybe\"", "not recognized as a valid Boolean",
                    "Valid values: True, False.")
    }

    @Test("A time span beyond 24855.03:14:07 is refused naming the range")
    func timeSpanOverflow() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                mailbox:
                  AuditLogAgeLimit: 99999
            """)
        Self.expect(error, line: 6, column: 25, "\"AuditLogAgeLimit\" can't be \"99999\"", "between 00:00:00 and 24855.03:14:07")
    }

    @Test("A time span with 25 hours is refused as out of range")
    func timeSpanComponentOutOfRange() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                mailbox:
                  AuditLogAgeLimit: 25:00
            """)
        Self.expect(error, line: 6, column: 25, "\"AuditLogAgeLimit\" can't be \"25:00\"", "out of range")
    }

    @Test("A list given for a single-valued property is refused at the list")
    func listForSingleValue() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                DisplayName: [Ana, Folau]
            """)
        Self.expect(error, line: 5, column: 18, "\"DisplayName\" takes a single String, not a list.")
    }

    @Test("A mapping given for a scalar property is refused at the mapping")
    func mappingForScalar() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                City: {name: Dublin}
            """)
        Self.expect(error, line: 5, column: 11, "\"City\" takes a single value of String, not a mapping.")
    }

    @Test("A computed property can't be set: IsManaged on a device")
    func computedProperty() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                devices:
                  - DeviceId: ApplF17XQ1NZ0D5
                    DeviceType: iPhone
                    DeviceOS: iOS 17.5.1
                    IsManaged: true
            """)
        Self.expect(error, line: 9, column: 9, "\"IsManaged\" is computed by the simulator and can't be set in a fixture.")
    }

    // MARK: Required keys

    @Test("A device without DeviceId is refused at the device")
    func deviceWithoutId() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                devices:
                  - DeviceType: iPhone
                    DeviceOS: iOS 17.5.1
            """)
        Self.expect(error, line: 6, column: 9, "A device needs \"DeviceId\".")
    }

    @Test("A client access rule without Action is refused and the message lists AllowAccess and DenyAccess")
    func ruleWithoutAction() throws {
        let error = try Self.loadError(Self.header + """
            clientAccessRules:
              - Name: Block POP
                AnyOfProtocols: [POP3]
            """)
        Self.expect(error, line: 4, column: 5, "A client access rule needs \"Action\" (one of AllowAccess, DenyAccess).")
    }

    @Test("A client access rule with Action Allow (the doc bug) is refused listing the real names")
    func ruleWithDocBugAction() throws {
        let error = try Self.loadError(Self.header + """
            clientAccessRules:
              - Name: Allow admins
                Action: Allow
            """)
        Self.expect(error, line: 5, column: 13, "\"Action\" can't be \"Allow\"", "AllowAccess, DenyAccess")
    }

    @Test("A mailbox without a user needs RecipientTypeDetails, listing the recipient types")
    func sharedMailboxWithoutType() throws {
        let error = try Self.loadError(Self.header + """
            mailboxes:
              - PrimarySmtpAddress: payroll@bad.onmicrosoft.com
            """)
        Self.expect(error, line: 4, column: 5, "needs \"RecipientTypeDetails\"", "SharedMailbox", "RoomMailbox")
    }

    // MARK: Uniqueness and order

    @Test("A user listed twice (UPNs differing only in case) is refused at the second entry")
    func duplicateUser() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
              - UserPrincipalName: ANA@bad.onmicrosoft.com
            """)
        Self.expect(error, line: 5, column: 5, "The user \"ANA@bad.onmicrosoft.com\" is listed twice.")
    }

    @Test("An application without DisplayName is refused at the application")
    func applicationWithoutDisplayName() throws {
        let error = try Self.loadError(Self.header + """
            applications:
              - AppId: 0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13
            """)
        Self.expect(error, line: 4, column: 5, "An application needs \"DisplayName\".")
    }

    @Test("An application listed twice (names differing only in case) is refused at the second entry")
    func duplicateApplication() throws {
        let error = try Self.loadError(Self.header + """
            applications:
              - DisplayName: Scanner
              - DisplayName: SCANNER
            """)
        Self.expect(error, line: 5, column: 5, "an application named \"SCANNER\" is listed twice.")
    }

    @Test("Two applications with the same AppId are refused, naming both")
    func sharedAppId() throws {
        let error = try Self.loadError(Self.header + """
            applications:
              - DisplayName: Scanner
                AppId: 0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13
              - DisplayName: Reporter
                AppId: 0C7D3E21-5B8A-4F6E-9A1D-2E4F6A8B0C13
            """)
        Self.expect(error, line: 4, column: 3, "\"Scanner\" and \"Reporter\" have the same AppId 0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13.")
    }

    @Test("Client access rules must be listed in priority order: a Priority that skips is refused")
    func priorityOutOfOrder() throws {
        let error = try Self.loadError(Self.header + """
            clientAccessRules:
              - Name: Allow admins
                Action: AllowAccess
                Priority: 1
              - Name: Block POP
                Action: DenyAccess
                Priority: 3
            """)
        Self.expect(error, line: 9, column: 15, "this rule's Priority must be 2, not 3.")
    }

    @Test("Two default mobile device mailbox policies are refused, naming both")
    func twoDefaultMobilePolicies() throws {
        let error = try Self.loadError(Self.header + """
            mobileDeviceMailboxPolicies:
              - Name: Strict
                IsDefault: true
            """)
        Self.expect(error, line: 4, column: 3, "Exactly one mobile device mailbox policy can have IsDefault: true",
                    "these do: Default, Strict.")
    }

    @Test("No default OWA policy is refused")
    func noDefaultOwaPolicy() throws {
        let error = try Self.loadError(Self.header + """
            owaMailboxPolicies:
              - Name: OwaMailboxPolicy-Default
                IsDefault: false
            """)
        Self.expect(error, line: 4, column: 3, "Exactly one OWA mailbox policy must have IsDefault: true; none does.")
    }

    // MARK: Links between objects

    @Test("A mailbox naming an OWA policy the fixture doesn't define is refused at that line, listing the policies")
    func undefinedOwaPolicy() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                mailbox:
                  OwaMailboxPolicy: Locked Down
            """)
        Self.expect(error, line: 6, column: 25, "names the OWA mailbox policy \"Locked Down\"", "Policies: OwaMailboxPolicy-Default.")
    }

    @Test("A mailbox naming a mobile policy the fixture doesn't define is refused at that line, listing the policies")
    func undefinedMobilePolicy() throws {
        let error = try Self.loadError(Self.header + """
            mobileDeviceMailboxPolicies:
              - Name: Strict
            mailboxes:
              - PrimarySmtpAddress: payroll@bad.onmicrosoft.com
                RecipientTypeDetails: SharedMailbox
                ActiveSyncMailboxPolicy: Strictest
            """)
        Self.expect(error, line: 8, column: 30, "names the mobile device mailbox policy \"Strictest\"", "Policies: Default, Strict.")
    }

    @Test("A message in a folder the mailbox doesn't have is refused at Folder, listing the folders")
    func unknownFolder() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                messages:
                  - Subject: Hello
                    Folder: Projects
            """)
        Self.expect(error, line: 7, column: 17, "no folder \"Projects\"",
                    "Folders: Inbox, Sent Items, Deleted Items, Drafts, Archive, Junk Email.")
    }

    @Test("A folder declared under folders: can hold messages")
    func declaredFolderAccepted() throws {
        let t = try FixtureLoader(file: Self.file).load(text: Self.header + """
            users:
              - UserPrincipalName: ana@bad.onmicrosoft.com
                folders:
                  - Name: Projects
                messages:
                  - Subject: Hello
                    Folder: Projects
            """)
        #expect(t.messages.count == 1)
        #expect(t.messages.first?.folderId == t.folders.first?.folderId)
    }

    @Test("An invalid user principal name is refused at the value")
    func invalidUPN() throws {
        let error = try Self.loadError(Self.header + """
            users:
              - UserPrincipalName: ana.bad.onmicrosoft.com
            """)
        Self.expect(error, line: 4, column: 24, "\"ana.bad.onmicrosoft.com\" isn't a valid user principal name")
    }

    // MARK: All or nothing

    static let valid = header + """
        users:
          - UserPrincipalName: ana@bad.onmicrosoft.com
            StrongAuthenticationState: Enforced
            mailbox:
              AuditEnabled: true

        """

    @Test("A valid fixture loads; the same text with one bad line at the end loads no tenant at all")
    func nothingHalfLoaded() throws {
        let tenant = try FixtureLoader(file: Self.file).load(text: Self.valid)
        #expect(tenant.users.count == 1)
        #expect(tenant.mailboxes.first?.auditEnabled == true)
        let error = try Self.loadError(Self.valid + "      AuditLogAgeLimit: forever\n")
        Self.expect(error, line: 8, column: 25, "\"AuditLogAgeLimit\" can't be \"forever\"")
    }

    // MARK: How errors print

    @Test("An error prints as file:line:column: message")
    func description() throws {
        let error = try Self.loadError("tenant:\n  DisplayName: Bad Tenant\n")
        #expect(error.description == "mock-tenant/bad.yaml:2:3: The tenant needs InitialDomain (its *.onmicrosoft.com domain).")
    }

    @Test("A fixture file that can't be read fails at line 1 naming the path")
    func unreadableFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).yaml").path
        let error = try #require(throws: FixtureError.self) { try FixtureLoader.load(path: path) }
        #expect(error.file == path)
        #expect(error.line == 1 && error.column == 1)
        #expect(error.message.contains("can't be read"))
    }
}
