import Foundation
import Testing
import TenantModel

// Defaults of every object kind but the two policies (PolicyDefaultsTests has those). Each
// row reads the property by its Exchange name through the schema and compares the text
// PowerShell would print, so a row pins both the name and the value.

private let created = ISO8601.parse("2024-02-01T09:00:00Z")!
private let tenantId = UUID(uuidString: "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b")!
private let domain = "defaults.onmicrosoft.com"

private func newTenant(_ tier: LicenseTier = .E5) -> Tenant {
    Tenant(info: TenantInfo(displayName: "Defaults", tenantId: tenantId, initialDomain: domain, licenseTier: tier,
                            createdDateTime: created),
           now: created, seed: 7)
}

private func newMailbox(_ type: RecipientTypeDetails = .UserMailbox, tier: LicenseTier = .E5, guid: UUID? = nil) -> Mailbox {
    Mailbox(name: "ana", displayName: "Ana Folau", primarySmtpAddress: SmtpAddress("ana@\(domain)")!,
            recipientTypeDetails: type, guid: guid ?? UUID(uuidString: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d")!,
            userObjectId: nil, licenseTier: tier, whenCreated: created)
}

/// The text PowerShell shows for `object.<name>`; records an issue when the schema has no such property.
private func shown<T: SchemaObject>(_ object: T, _ name: String) throws -> String {
    let property = try #require(T.schema.property(named: name), "\(T.schema.typeName) has no property \(name)")
    #expect(property.name == name, "the schema spells it \(property.name)")
    return property.get(object).displayText
}

// MARK: - Get-CASMailbox of a new mailbox [EXCHANGE-FACTS 3.1, 2.3]

private let casDefaults: [(String, String)] = [
    ("ActiveSyncEnabled", "True"),
    ("OWAEnabled", "True"),
    ("OWAforDevicesEnabled", "True"),
    ("EwsEnabled", "True"),
    ("EwsAllowOutlook", ""),
    ("EwsAllowMacOutlook", "True"),
    ("EwsAllowEntourage", "True"),
    ("EwsApplicationAccessPolicy", ""),
    ("EwsAllowList", "{}"),
    ("EwsBlockList", "{}"),
    ("ImapEnabled", "True"),
    ("PopEnabled", "True"),
    ("MAPIEnabled", "True"),
    ("MacOutlookEnabled", "True"),
    ("OutlookMobileEnabled", "True"),
    ("OneWinNativeOutlookEnabled", "True"),
    ("UniversalOutlookEnabled", "True"),
    ("PublicFolderClientAccess", "False"),
    ("SmtpClientAuthenticationDisabled", ""),
    ("ActiveSyncAllowedDeviceIDs", "{}"),
    ("ActiveSyncBlockedDeviceIDs", "{}"),
    ("ActiveSyncMailboxPolicy", "Default"),
    ("ActiveSyncMailboxPolicyIsDefaulted", "True"),
    ("OwaMailboxPolicy", "OwaMailboxPolicy-Default"),
    ("ActiveSyncDebugLogging", "False"),
    ("ActiveSyncSuppressReadReceipt", "False"),
    ("ImapUseProtocolDefaults", "True"),
    ("PopUseProtocolDefaults", "True"),
    ("ShowGalAsDefaultView", "True"),
    ("HasActiveSyncDevicePartnership", "False"),
]

/// The defaults each object type gets from the service.
enum ObjectDefaultsTests {}

extension ObjectDefaultsTests {
    @Suite("Get-CASMailbox defaults")
    struct CASMailboxDefaultsTests {
        static func newView() throws -> CASMailboxView {
            var tenant = newTenant()
            let mailbox = newMailbox()
            try tenant.addMailbox(mailbox)
            return tenant.casMailbox(try #require(tenant.mailbox(guid: mailbox.guid)))
        }

        @Test("A new mailbox shows Exchange's default for each CAS setting", arguments: casDefaults)
        func newMailboxDefault(property: String, expected: String) throws {
            #expect(try shown(Self.newView(), property) == expected)
        }

        @Test("Every CAS setting of the mailbox has a row in the defaults table")
        func tableCoversEverySetting() {
            let covered = Set(casDefaults.map(\.0))
            let missing = CASMailbox.schema.propertyNames.filter { !covered.contains($0) }
            #expect(missing.isEmpty)
        }

        @Test("The identity properties are the mailbox's", arguments: [
            ("Identity", "ana"), ("Name", "ana"), ("DisplayName", "Ana Folau"), ("PrimarySmtpAddress", "ana@\(domain)"),
            ("Guid", "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"),
        ])
        func identity(property: String, expected: String) throws {
            #expect(try shown(Self.newView(), property) == expected)
        }
    }
}

// MARK: - Get-Mailbox [EXCHANGE-FACTS 4.1; Set-Mailbox]

private let mailboxDefaults: [(String, String)] = [
    ("Identity", "ana"),
    ("Name", "ana"),
    ("Alias", "ana"),
    ("UserPrincipalName", "ana@\(domain)"),
    ("PrimarySmtpAddress", "ana@\(domain)"),
    ("EmailAddresses", "{SMTP:ana@\(domain)}"),
    ("RecipientTypeDetails", "UserMailbox"),
    ("ExchangeGuid", "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"),
    ("AuditEnabled", "False"),
    ("AuditLogAgeLimit", "90.00:00:00"),
    ("DefaultAuditSet", "{Admin, Delegate, Owner}"),
    ("ForwardingSmtpAddress", ""),
    ("ForwardingAddress", ""),
    ("DeliverToMailboxAndForward", "False"),
    ("GrantSendOnBehalfTo", "{}"),
    ("HiddenFromAddressListsEnabled", "False"),
    ("LitigationHoldEnabled", "False"),
    ("RetainDeletedItemsFor", "14.00:00:00"),
    ("ProhibitSendQuota", "99 GB (106,300,440,576 bytes)"),
    ("ProhibitSendReceiveQuota", "100 GB (107,374,182,400 bytes)"),
    ("IssueWarningQuota", "98 GB (105,226,698,752 bytes)"),
    ("RecoverableItemsQuota", "30 GB (32,212,254,720 bytes)"),
    ("MaxSendSize", "35 MB (36,700,160 bytes)"),
    ("MaxReceiveSize", "36 MB (37,748,736 bytes)"),
    ("CustomAttribute1", ""),
    ("CustomAttribute15", ""),
]

extension ObjectDefaultsTests {
    @Suite("Get-Mailbox defaults")
    struct MailboxDefaultsTests {
        @Test("A new user mailbox shows Exchange's default for each property", arguments: mailboxDefaults)
        func newMailboxDefault(property: String, expected: String) throws {
            #expect(try shown(newMailbox(), property) == expected)
        }

        @Test("The SID is derived from the mailbox GUID, so the same GUID gives the same SID")
        func sidFollowsGuid() throws {
            let sid = try shown(newMailbox(), "Sid")
            #expect(sid.hasPrefix("S-1-5-21-"))
            #expect(sid.split(separator: "-").count == 8)
            #expect(sid == Mailbox.sid(for: newMailbox().guid))
            #expect(sid != (try shown(newMailbox(guid: UUID(uuidString: "11111111-2222-4333-8444-555555555555")!), "Sid")))
        }
    }
}

// MARK: - Mailbox audit default sets [EXCHANGE-FACTS 4.2]

extension ObjectDefaultsTests {
    @Suite("Mailbox audit defaults")
    struct MailboxAuditDefaultsTests {
        @Test("User mailboxes get Microsoft's default actions per logon type, printed in Exchange's flag order", arguments: [
            (LicenseTier.E5, "AuditAdmin",
             "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create, UpdateFolderPermissions, UpdateInboxRules, UpdateCalendarDelegation, ApplyRecord, MailItemsAccessed, Send}"),
            (.E5, "AuditDelegate",
             "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create, UpdateFolderPermissions, UpdateInboxRules, ApplyRecord, MailItemsAccessed}"),
            (.E5, "AuditOwner",
             "{Update, MoveToDeletedItems, SoftDelete, HardDelete, UpdateFolderPermissions, UpdateInboxRules, UpdateCalendarDelegation, ApplyRecord, MailItemsAccessed, Send}"),
            // E3 drops the Audit (Premium) actions MailItemsAccessed and Send.
            (.E3, "AuditAdmin",
             "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create, UpdateFolderPermissions, UpdateInboxRules, UpdateCalendarDelegation, ApplyRecord}"),
            (.E3, "AuditDelegate",
             "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create, UpdateFolderPermissions, UpdateInboxRules, ApplyRecord}"),
            (.E3, "AuditOwner",
             "{Update, MoveToDeletedItems, SoftDelete, HardDelete, UpdateFolderPermissions, UpdateInboxRules, UpdateCalendarDelegation, ApplyRecord}"),
        ])
        func userMailboxSet(tier: LicenseTier, property: String, expected: String) throws {
            #expect(try shown(newMailbox(tier: tier), property) == expected)
        }

        @Test("Shared mailboxes get the same default sets as user mailboxes", arguments: [LicenseTier.E3, .E5])
        func sharedMailboxSets(tier: LicenseTier) throws {
            for property in ["AuditAdmin", "AuditDelegate", "AuditOwner"] {
                #expect(try shown(newMailbox(.SharedMailbox, tier: tier), property) == shown(newMailbox(tier: tier), property))
            }
        }

        @Test("Group mailboxes have the fixed sets whatever the licence", arguments: [
            (LicenseTier.E3, "AuditAdmin", "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create}"),
            (.E3, "AuditDelegate", "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create}"),
            (.E3, "AuditOwner", "{Update, MoveToDeletedItems, SoftDelete, HardDelete}"),
            (.E5, "AuditAdmin", "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create}"),
            (.E5, "AuditDelegate", "{Update, MoveToDeletedItems, SoftDelete, HardDelete, SendAs, SendOnBehalf, Create}"),
            (.E5, "AuditOwner", "{Update, MoveToDeletedItems, SoftDelete, HardDelete}"),
            (.E5, "DefaultAuditSet", "{Admin, Delegate, Owner}"),
        ])
        func groupMailboxSet(tier: LicenseTier, property: String, expected: String) throws {
            #expect(try shown(newMailbox(.GroupMailbox, tier: tier), property) == expected)
        }

        @Test("Every default action is one the logon type can audit", arguments: [LicenseTier.E3, .E5])
        func defaultsAreAllowed(tier: LicenseTier) {
            for type in MailboxAuditLogonType.allCases {
                let defaults = MailboxAuditDefaults.defaultSet(type, tier: tier)
                #expect(defaults.isSubset(of: MailboxAuditDefaults.allowed(type)), "\(type)")
            }
        }
    }
}

// MARK: - Organization-wide objects of a new tenant

extension ObjectDefaultsTests {
    @Suite("Organization object defaults")
    struct OrganizationObjectDefaultsTests {
        @Test("Get-OrganizationConfig of a new tenant", arguments: [
            ("Name", domain),
            ("Identity", domain),
            ("Guid", tenantId.uuidString.lowercased()),
            ("IsDehydrated", "True"),
            ("AuditDisabled", "False"),
            ("OAuth2ClientProfileEnabled", "True"),
            ("EwsEnabled", ""),
            ("EwsApplicationAccessPolicy", ""),
            ("EwsAllowList", "{}"),
            ("EwsBlockList", "{}"),
            ("EwsAllowOutlook", ""),
            ("EwsAllowMacOutlook", ""),
            ("EwsAllowEntourage", ""),
            ("DefaultAuthenticationPolicy", ""),
            ("PublicFolderShowClientControl", "False"),
            ("MailTipsAllTipsEnabled", "True"),
        ])
        func organizationConfig(property: String, expected: String) throws {
            #expect(try shown(newTenant().organizationConfig, property) == expected)
        }

        @Test("Get-AdminAuditLogConfig of a new tenant", arguments: [
            ("Name", "Admin Audit Log Settings"),
            ("Identity", "Admin Audit Log Settings"),
            ("UnifiedAuditLogIngestionEnabled", "True"),
            ("AdminAuditLogEnabled", "True"),
            ("AdminAuditLogAgeLimit", "90.00:00:00"),
            ("AdminAuditLogCmdlets", "{*}"),
            ("AdminAuditLogParameters", "{*}"),
            ("AdminAuditLogExcludedCmdlets", "{}"),
            ("LogLevel", "None"),
            ("TestCmdletLoggingEnabled", "False"),
        ])
        func adminAuditLogConfig(property: String, expected: String) throws {
            #expect(try shown(newTenant().adminAuditLogConfig, property) == expected)
        }

        @Test("Get-ActiveSyncOrganizationSettings of a new tenant", arguments: [
            ("Name", "Mobile Mailbox Settings"),
            ("Identity", "Mobile Mailbox Settings"),
            ("DefaultAccessLevel", "Allow"),
            ("AdminMailRecipients", "{}"),
            ("UserMailInsert", ""),
            ("OtaNotificationMailInsert", ""),
            ("AllowAccessForUnSupportedPlatform", "False"),
            ("AllowRMSSupportForUnenlightenedApps", "False"),
            ("EnableMobileMailboxPolicyWhenCAInplace", "False"),
        ])
        func activeSyncOrganizationSettings(property: String, expected: String) throws {
            #expect(try shown(newTenant().activeSyncOrganizationSettings, property) == expected)
        }

        @Test("Get-TransportConfig of a new tenant", arguments: [
            ("Name", "Transport Settings"),
            ("SmtpClientAuthenticationDisabled", "False"),
            ("MaxSendSize", "35 MB (36,700,160 bytes)"),
            ("MaxReceiveSize", "36 MB (37,748,736 bytes)"),
            ("ExternalDelayDsnEnabled", "True"),
        ])
        func transportConfig(property: String, expected: String) throws {
            #expect(try shown(newTenant().transportConfig, property) == expected)
        }

        @Test("A new tenant has exactly one remote domain, Default for *")
        func onlyDefaultRemoteDomain() {
            #expect(newTenant().remoteDomains.map(\.name) == ["Default"])
        }

        @Test("The Default remote domain allows automatic forwarding and replies", arguments: [
            ("Name", "Default"),
            ("Identity", "Default"),
            ("DomainName", "*"),
            ("AutoForwardEnabled", "True"),
            ("AutoReplyEnabled", "True"),
            ("AllowedOOFType", "External"),
            ("DeliveryReportEnabled", "True"),
            ("NDREnabled", "True"),
        ])
        func defaultRemoteDomain(property: String, expected: String) throws {
            #expect(try shown(try #require(newTenant().remoteDomains.first), property) == expected)
        }

        @Test("A new tenant has no authentication policy and no rules")
        func noPoliciesOrRules() {
            let t = newTenant()
            #expect(t.authenticationPolicies.isEmpty)
            #expect(t.clientAccessRules.isEmpty)
            #expect(t.deviceAccessRules.isEmpty)
            #expect(t.users.isEmpty && t.mailboxes.isEmpty)
        }
    }
}

// MARK: - Authentication policy

private let basicAuthSwitches = [
    "AllowBasicAuthActiveSync", "AllowBasicAuthAutodiscover", "AllowBasicAuthImap", "AllowBasicAuthMapi",
    "AllowBasicAuthOfflineAddressBook", "AllowBasicAuthOutlookService", "AllowBasicAuthPop", "AllowBasicAuthPowershell",
    "AllowBasicAuthReportingWebServices", "AllowBasicAuthRpc", "AllowBasicAuthSmtp", "AllowBasicAuthWebServices",
]

extension ObjectDefaultsTests {
    @Suite("AuthenticationPolicy defaults")
    struct AuthenticationPolicyDefaultsTests {
        @Test("A new authentication policy blocks basic authentication for the protocol", arguments: basicAuthSwitches)
        func blocksBasicAuth(property: String) throws {
            let policy = AuthenticationPolicy(name: "Block Basic Auth", guid: tenantId)
            #expect(try shown(policy, property) == "False")
        }

        @Test("The table names every AllowBasicAuth switch of the policy")
        func tableCoversEverySwitch() {
            let switches = AuthenticationPolicy.schema.propertyNames.filter { $0.hasPrefix("AllowBasicAuth") }
            #expect(switches == basicAuthSwitches)
        }
    }
}

// MARK: - Directory user [EXCHANGE-FACTS 6.1, 6.2]

extension ObjectDefaultsTests {
    @Suite("User defaults")
    struct UserDefaultsTests {
        static let objectId = UUID(uuidString: "755e500a-6c03-46b0-b53b-282f23374e3b")!
        static func newUser() -> User {
            User(userPrincipalName: "ana@\(domain)", displayName: "Ana Folau", objectId: objectId, password: "pw", whenCreated: created)
        }

        @Test("A new user shows the directory's default for each property", arguments: [
            ("StrongAuthenticationState", "Disabled"),
            ("StrongAuthenticationMethods", "{}"),
            ("AppPasswords", "{}"),
            ("BlockCredential", "False"),
            ("AccountEnabled", "True"),
            ("AdminRoles", "{}"),
            ("Licenses", "{}"),
            ("IsLicensed", "False"),
            ("UsageLocation", "US"),
            ("AuthenticationPolicy", ""),
            ("FailedSignInCount", "0"),
            ("LockedUntil", ""),
            ("LockoutCount", "0"),
            ("LastPasswordChange", ""),
            ("Puid", "1003282F23374E3B"),
        ])
        func newUserDefault(property: String, expected: String) throws {
            #expect(try shown(Self.newUser(), property) == expected)
        }

        @Test("AccountEnabled is the inverse of BlockCredential")
        func accountEnabledFollowsBlockCredential() throws {
            var user = Self.newUser()
            try User.schema.property(named: "BlockCredential")!.set(&user, .bool(true))
            #expect(try shown(user, "AccountEnabled") == "False")
        }
    }
}

// MARK: - Mobile device partnership [EXCHANGE-FACTS 2.1, 2.4]

extension ObjectDefaultsTests {
    @Suite("MobileDevice defaults")
    struct MobileDeviceDefaultsTests {
        static func newDevice(model: String? = nil, flags: Int = 0) -> MobileDevice {
            var device = MobileDevice(mailboxGuid: tenantId, mailboxName: "ana", guid: tenantId, deviceId: "ApplF17XQ1NZ0D5",
                                      deviceType: "iPhone", deviceModel: model, deviceOS: "iOS 17.5.1 21F90",
                                      userDisplayName: "Ana Folau", whenCreated: created)
            device.provisioningFlags = flags
            return device
        }

        @Test("A new partnership shows Exchange's default for each property", arguments: [
            ("DeviceAccessState", "Unknown"),
            ("DeviceAccessStateReason", "Unknown"),
            ("DeviceAccessControlRule", ""),
            ("ClientType", "EAS"),
            ("ClientVersion", "16.1"),
            ("DeviceActiveSyncVersion", "16.1"),
            ("ProvisioningFlags", "0"),
            ("IsManaged", "False"),
            ("IsCompliant", "False"),
            ("IsDisabled", "False"),
            ("FirstSyncTime", ""),
            ("DevicePolicyApplied", ""),
            ("FriendlyName", ""),
            ("UserDisplayName", "Ana Folau"),
        ])
        func newDeviceDefault(property: String, expected: String) throws {
            #expect(try shown(Self.newDevice(), property) == expected)
        }

        @Test("A device that never sent a model shows its type as model")
        func modelDefaultsToType() throws {
            #expect(try shown(Self.newDevice(), "DeviceModel") == "iPhone")
            #expect(try shown(Self.newDevice(model: "iPhone14C2"), "DeviceModel") == "iPhone14C2")
        }

        @Test("Name is DeviceType§DeviceId and Identity is <mailbox>\\ExchangeActiveSyncDevices\\<Name>")
        func identityFormat() throws {
            #expect(try shown(Self.newDevice(), "Name") == "iPhone§ApplF17XQ1NZ0D5")
            #expect(try shown(Self.newDevice(), "Identity") == "ana\\ExchangeActiveSyncDevices\\iPhone§ApplF17XQ1NZ0D5")
        }

        @Test("IsDisabled, IsManaged and IsCompliant are ProvisioningFlags bits 1, 2 and 4", arguments: [
            (0, "False", "False", "False"),
            (1, "True", "False", "False"),
            (2, "False", "True", "False"),
            (3, "True", "True", "False"),
            (4, "False", "False", "True"),
            (6, "False", "True", "True"),
            (7, "True", "True", "True"),
            (8, "False", "False", "False"),
        ])
        func flagBits(flags: Int, disabled: String, managed: String, compliant: String) throws {
            let device = Self.newDevice(flags: flags)
            #expect(try shown(device, "IsDisabled") == disabled)
            #expect(try shown(device, "IsManaged") == managed)
            #expect(try shown(device, "IsCompliant") == compliant)
        }
    }
}

// MARK: - Client access rule [EXCHANGE-FACTS 1.2]

extension ObjectDefaultsTests {
    @Suite("ClientAccessRule defaults")
    struct ClientAccessRuleDefaultsTests {
        static func newRule() -> ClientAccessRule {
            ClientAccessRule(name: "Block legacy", action: .DenyAccess, guid: tenantId, priority: 3, whenCreated: created)
        }

        @Test("A new rule is enabled, covers all scopes and has no conditions", arguments: [
            ("Identity", "Block legacy"),
            ("Name", "Block legacy"),
            ("Priority", "3"),
            ("Action", "DenyAccess"),
            ("Enabled", "True"),
            ("DatacenterAdminsOnly", "False"),
            ("RuleScope", "All"),
            ("UserRecipientFilter", ""),
        ])
        func newRuleDefault(property: String, expected: String) throws {
            #expect(try shown(Self.newRule(), property) == expected)
        }

        @Test("Every condition and exception list of a new rule is empty", arguments: [
            "AnyOfAuthenticationTypes", "AnyOfClientIPAddressesOrRanges", "AnyOfProtocols", "AnyOfSourceTcpPortNumbers",
            "ExceptAnyOfAuthenticationTypes", "ExceptAnyOfClientIPAddressesOrRanges", "ExceptAnyOfProtocols",
            "ExceptAnyOfSourceTcpPortNumbers", "UsernameMatchesAnyOfPatterns", "ExceptUsernameMatchesAnyOfPatterns",
            "UserIsMemberOf", "ExceptUserIsMemberOf",
        ])
        func emptyList(property: String) throws {
            #expect(try shown(Self.newRule(), property) == "{}")
        }
    }
}

// MARK: - ActiveSync device access rule names [EXCHANGE-FACTS 2.3]

extension ObjectDefaultsTests {
    @Suite("ActiveSyncDeviceAccessRule names")
    struct DeviceAccessRuleNameTests {
        static func rule(_ query: String, _ characteristic: DeviceAccessCharacteristic) -> ActiveSyncDeviceAccessRule {
            ActiveSyncDeviceAccessRule(queryString: query, characteristic: characteristic, accessLevel: .Block,
                                       guid: tenantId, whenCreated: created)
        }

        @Test("A rule is named \"<QueryString> (<Characteristic>)\"", arguments: [
            ("Android", DeviceAccessCharacteristic.DeviceType, "Android (DeviceType)"),
            ("iPhone", .DeviceType, "iPhone (DeviceType)"),
            ("ContosoPhone", .DeviceModel, "ContosoPhone (DeviceModel)"),
            ("iOS 12.3.1 16F203", .DeviceOS, "iOS 12.3.1 16F203 (DeviceOS)"),
            ("Apple-iPhone10C6/1605.26", .UserAgent, "Apple-iPhone10C6/1605.26 (UserAgent)"),
        ])
        func generatedName(query: String, characteristic: DeviceAccessCharacteristic, expected: String) throws {
            #expect(try shown(Self.rule(query, characteristic), "Name") == expected)
            #expect(try shown(Self.rule(query, characteristic), "Identity") == expected)
        }

        @Test("A name of exactly 64 characters is kept whole")
        func sixtyFourKept() {
            let query = String(repeating: "a", count: 64 - " (DeviceModel)".count)
            let name = Self.rule(query, .DeviceModel).name
            #expect(name.count == 64)
            #expect(name == query + " (DeviceModel)")
        }

        @Test("A longer name is cut to 64 characters and keeps the \" (Characteristic)\" suffix")
        func longNameTruncated() {
            let query = "Android-SAMSUNG-SM-S918B/101.140000 Build/UP1A.231005.007 Mobile Safari EAS 16.1"
            let name = Self.rule(query, .UserAgent).name
            #expect(name.count == 64)
            #expect(name.hasSuffix(" (UserAgent)"))
            #expect(name.hasPrefix("Android-SAMSUNG-SM-S918B/"))
        }

        @Test("Two long query strings that differ only at the end get different names")
        func longNamesStayUnique() {
            let stem = String(repeating: "Contoso-Enterprise-Handset-", count: 3)
            let a = Self.rule(stem + "Model-A", .DeviceModel).name
            let b = Self.rule(stem + "Model-B", .DeviceModel).name
            #expect(a.count == 64 && b.count == 64)
            #expect(a != b)
        }

        @Test("The same long query string always gets the same name")
        func longNameDeterministic() {
            let query = String(repeating: "x", count: 100)
            #expect(Self.rule(query, .DeviceType).name == Self.rule(query, .DeviceType).name)
        }
    }
}
