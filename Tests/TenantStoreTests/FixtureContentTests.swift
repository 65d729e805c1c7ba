import Foundation
import Testing
import TenantModel
import TenantStore

/// The shipped fixtures (mock-tenant/*.yaml) load and hold what the white paper and the
/// examples rely on.
@Suite struct FixtureContentTests {
    /// `<package root>/mock-tenant/<name>.yaml`, found from this file's path.
    static func fixturePath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // TenantStoreTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // package root
            .appendingPathComponent("mock-tenant")
            .appendingPathComponent("\(name).yaml")
            .path
    }

    static func load(_ name: String) throws -> Tenant {
        do { return try FixtureLoader.load(path: fixturePath(name)) } catch {
            Issue.record("\(error)")
            throw error
        }
    }

    // MARK: brittest — the white paper's tenant

    @Test func brittestTenant() throws {
        let t = try Self.load("brittest")
        #expect(t.info.initialDomain == "brittest.onmicrosoft.com")
        #expect(t.info.displayName == "Brit Test")
        #expect(t.info.licenseTier == .E3)
        #expect(t.organizationConfig.isDehydrated)
        #expect(t.adminAuditLogConfig.unifiedAuditLogIngestionEnabled == false)
        #expect(t.clientAccessRules.isEmpty)
        #expect(t.deviceAccessRules.isEmpty)
        #expect(t.activeSyncOrganizationSettings.defaultAccessLevel == .Allow)
        // Only the built-in policies.
        #expect(t.mobileDeviceMailboxPolicies.map(\.name) == ["Default"])
        #expect(t.mobileDeviceMailboxPolicies[0].isDefault)
        #expect(t.owaMailboxPolicies.map(\.name) == ["OwaMailboxPolicy-Default"])
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: t.info.createdDateTime).year
        #expect(year == 2019)
        #expect(t.now > t.info.createdDateTime)
    }

    @Test func brittestAdmins() throws {
        let t = try Self.load("brittest")
        let britton = try #require(t.user(upn: "britton@brittest.onmicrosoft.com"))
        #expect(britton.adminRoles.contains(DirectoryRole.globalAdministrator))
        #expect(britton.password == "Brit-Test-2019!")
        #expect(britton.strongAuthenticationState == .Disabled)
        #expect(britton.blockCredential == false)
        let joe = try #require(t.user(upn: "joeadmin@brittest.onmicrosoft.com"))
        #expect(joe.adminRoles.contains(DirectoryRole.exchangeAdministrator))
        let vendor = try #require(t.user(upn: "externalvendor@brittest.onmicrosoft.com"))
        #expect(!vendor.adminRoles.isEmpty)
        #expect(vendor.company != nil && vendor.company != "Brit Test")
        let adele = try #require(t.user(upn: "adele@brittest.onmicrosoft.com"))
        let adeleMailbox = try #require(t.mailbox(forUser: adele))
        #expect(adeleMailbox.cas == CASMailbox())
        // Nobody has MFA yet: the paper's basic-auth session must work.
        #expect(t.users.allSatisfy { $0.strongAuthenticationState == .Disabled })
    }

    @Test func brittestBrittonDevices() throws {
        let t = try Self.load("brittest")
        let britton = try #require(t.user(upn: "britton@brittest.onmicrosoft.com"))
        let mailbox = try #require(t.mailbox(forUser: britton))
        let devices = Dictionary(uniqueKeysWithValues: t.devices(ofMailbox: mailbox.guid).map { ($0.deviceId, $0) })
        for id in ["ApplF17XQ1NZ0D5", "ApplC39K2M8PQ7R", "ApplDX3Q5R9T2LM"] {
            let d = try #require(devices[id], "britton has no device \(id)")
            #expect(["iPhone", "iPad"].contains(d.deviceType))
            #expect(d.deviceOS.hasPrefix("iOS"))
            #expect(d.deviceAccessState == .Allowed)
            #expect(d.deviceAccessStateReason == .Global)
        }
        let android = try #require(devices["SEC09A4E1C2B7F3"])
        #expect(android.deviceType == "Android")
        #expect(android.deviceOS.hasPrefix("Android"))
        #expect(android.deviceModel == "SM-G960U")
    }

    @Test func brittestAdminToolApplication() throws {
        let t = try Self.load("brittest")
        #expect(t.applications.count == 1)
        let app = try #require(t.application(appId: "5e1f7a44-9a0b-4c1e-8d2f-6b3a9c0d1e2f"))
        #expect(app.displayName == "TenantSim Admin Tool")
        #expect(app.clientSecret == "brittest-tool-secret")
        #expect(app.enabled)
        #expect(app.roles == ["User.Read.All", "User.ReadWrite.All", "AuditLog.Read.All", "Directory.Read.All", "Policy.Read.All",
                              "Policy.ReadWrite.AuthenticationMethod", "UserAuthenticationMethod.ReadWrite.All",
                              "MailboxSettings.ReadWrite", "Mail.Read", "Exchange.ManageAsApp", "ActivityFeed.Read",
                              "Policy.ReadWrite.ConditionalAccess", "Policy.ReadWrite.SecurityDefaults", "Domain.Read.All",
                              "Organization.Read.All"])
    }

    @Test func brittestMailboxesAndDevices() throws {
        let t = try Self.load("brittest")
        #expect(t.mailboxes.filter { $0.recipientTypeDetails == .UserMailbox }.count >= 25)
        #expect(t.mailboxes.filter { $0.recipientTypeDetails == .SharedMailbox }.count == 1)
        #expect(t.mailboxes.filter { $0.recipientTypeDetails == .RoomMailbox }.count == 1)
        let shared = try #require(t.mailboxes.first { $0.recipientTypeDetails == .SharedMailbox })
        #expect(t.mailboxPermissions.contains { $0.mailboxGuid == shared.guid && $0.accessRights.contains(.FullAccess) })
        #expect(t.mobileDevices.filter { $0.deviceOS.hasPrefix("iOS") }.count >= 10)
        #expect(t.mobileDevices.filter { $0.deviceOS.hasPrefix("Android") }.count >= 5)
        // A new tenant has no rules: every partnership was allowed by the organization default.
        #expect(t.mobileDevices.allSatisfy { $0.deviceAccessState == .Allowed && $0.deviceAccessStateReason == .Global })
        #expect(t.mobileDevices.allSatisfy { $0.deviceAccessControlRule == nil })
        // Every device belongs to a mailbox of the tenant and synced between creation and now.
        for d in t.mobileDevices {
            let mailbox = try #require(t.mailbox(guid: d.mailboxGuid))
            let first = try #require(d.firstSyncTime)
            #expect(first >= mailbox.whenCreated && first <= t.now, "\(d.deviceId) synced before its mailbox existed")
        }
        #expect(t.messages.count >= 12)
        #expect(t.messages.contains { !$0.attachments.isEmpty })
    }

    // MARK: contoso — a lived-in present-day tenant

    @Test func contosoTenant() throws {
        let t = try Self.load("contoso")
        #expect(t.info.licenseTier == .E5)
        #expect(t.info.domains.contains("contoso.com"))
        #expect(t.info.domains.contains("contoso.onmicrosoft.com"))
        #expect(t.organizationConfig.isDehydrated == false)
        #expect(t.adminAuditLogConfig.unifiedAuditLogIngestionEnabled)
        #expect(t.activeSyncOrganizationSettings.defaultAccessLevel == .Quarantine)
        #expect(!t.activeSyncOrganizationSettings.adminMailRecipients.isEmpty)
        #expect(!t.authenticationPolicies.isEmpty)
        #expect(t.users.count >= 18)
    }

    @Test func contosoApplications() throws {
        let t = try Self.load("contoso")
        #expect(t.applications.map(\.displayName) == ["Contoso Security Scanner", "Contoso Read-only Reporter"])
        let scanner = try #require(t.application(appId: "0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13"))
        #expect(scanner.clientSecret == "contoso-scanner-secret")
        #expect(scanner.roles == ["User.Read.All", "AuditLog.Read.All", "Directory.Read.All", "Policy.Read.All", "ActivityFeed.Read"])
        #expect(scanner.enabled)
        let reporter = try #require(t.application(appId: "7a2b9c4d-1e3f-4a5b-8c6d-9e0f1a2b3c4d"))
        #expect(reporter.clientSecret == "contoso-reporter-secret")
        #expect(reporter.roles == ["User.Read.All"])
        #expect(reporter.enabled == false)
    }

    @Test func contosoDevicesCoverEveryAccessState() throws {
        let t = try Self.load("contoso")
        let states = Set(t.mobileDevices.map(\.deviceAccessState))
        #expect(states == Set(DeviceAccessState.allCases))
        let ruleNames = Set(t.deviceAccessRules.map(\.name))
        for d in t.mobileDevices {
            if d.deviceAccessStateReason == .DeviceRule, d.deviceAccessState != .DeviceDiscovery {
                let rule = try #require(d.deviceAccessControlRule, "\(d.deviceId) decided by a rule names none")
                #expect(ruleNames.contains(rule))
            } else {
                #expect(d.deviceAccessControlRule == nil, "\(d.deviceId) names a rule that didn't decide")
            }
        }
        // Devices on the individual lists carry the Individual reason.
        for m in t.mailboxes {
            for d in t.devices(ofMailbox: m.guid) {
                if m.cas.activeSyncBlockedDeviceIDs.contains(d.deviceId) {
                    #expect(d.deviceAccessState == .Blocked && d.deviceAccessStateReason == .Individual)
                }
            }
        }
        #expect(t.mailboxes.contains { !$0.cas.activeSyncBlockedDeviceIDs.isEmpty })
        #expect(t.mailboxes.contains { !$0.cas.activeSyncAllowedDeviceIDs.isEmpty })
    }

    @Test func contosoUsers() throws {
        let t = try Self.load("contoso")
        #expect(t.users.contains { $0.strongAuthenticationState == .Enforced && !$0.appPasswords.isEmpty && !$0.strongAuthenticationMethods.isEmpty })
        #expect(t.users.contains { $0.strongAuthenticationState == .Enabled })
        #expect(t.users.filter { $0.strongAuthenticationState == .Disabled }.count > t.users.count / 2)
        #expect(t.users.filter(\.blockCredential).count == 1)
        #expect(t.mailboxes.contains { !$0.cas.activeSyncEnabled })
        #expect(t.mailboxes.contains { !$0.cas.owaEnabled })
        #expect(t.mailboxes.contains { $0.cas.smtpClientAuthenticationDisabled == true })
        #expect(t.mailboxes.contains { $0.forwardingSmtpAddress != nil })
        #expect(t.mailboxes.contains { !$0.defaultAuditSet.contains(.Owner) && $0.auditOwner.contains(.MailboxLogin) })
        #expect(t.mailboxes.contains { $0.auditLogAgeLimit == .days(180) })
        #expect(t.inboxRules.contains { $0.forwards })
        #expect(t.mailboxes.contains { $0.recipientTypeDetails == .SharedMailbox })
        #expect(!t.mailboxPermissions.isEmpty)
        #expect(!t.messages.isEmpty)
    }

    @Test func contosoPoliciesAndRules() throws {
        let t = try Self.load("contoso")
        #expect(t.clientAccessRules.count >= 3)
        #expect(t.clientAccessRules.map(\.priority) == Array(1...t.clientAccessRules.count))
        #expect(t.clientAccessRules.first?.action == .AllowAccess)
        #expect(t.clientAccessRules.first?.anyOfProtocols == [.RemotePowerShell])
        #expect(t.clientAccessRules.contains { $0.action == .DenyAccess && $0.exceptAnyOfProtocols.contains(.ExchangeActiveSync) })
        let mobileDefaults = t.mobileDeviceMailboxPolicies.filter(\.isDefault)
        #expect(mobileDefaults.count == 1)
        #expect(mobileDefaults.first?.name != "Default")
        #expect(t.mobileDeviceMailboxPolicies.contains { $0.name == "Default" && !$0.isDefault })
        let owaCustom = t.owaMailboxPolicies.filter { $0.name != "OwaMailboxPolicy-Default" }.map(\.name)
        #expect(!owaCustom.isEmpty)
        #expect(t.mailboxes.contains { m in m.cas.owaMailboxPolicy.map { owaCustom.contains($0) } ?? false })
        #expect(t.deviceAccessRules.count >= 3)
        #expect(Set(t.deviceAccessRules.map(\.accessLevel)) == [.Allow, .Block, .Quarantine])
    }
}
