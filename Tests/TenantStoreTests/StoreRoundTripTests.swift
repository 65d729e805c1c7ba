import Foundation
import Testing
import TenantModel
import TenantStore

/// contoso.yaml is being written; its tests run once it is compiled into EmbeddedFixtures.
private func contosoIsEmbedded() -> Bool { EmbeddedFixtures.all["contoso"] != nil }

/// Saving a tenant and loading it back — through the SQLite store or through a fixture
/// export — gives the identical tenant: nothing an admin or a scenario changed is lost.
@Suite struct StoreRoundTripTests {
    // MARK: Tenants to round-trip

    static func generated() -> Tenant {
        TenantGenerator(.init(users: 300, seed: 2024, messagesPerMailbox: 3, mailboxesWithMessages: 40)).generate()
    }

    /// Sets a property by its Exchange name, as the shell's Set-* cmdlets do.
    static func set<T: SchemaObject>(_ object: inout T, _ name: String, _ value: PropertyValue) throws {
        let property = try #require(T.schema.property(named: name), "\(T.schema.typeName).\(name)")
        try property.set(&object, value)
    }

    static func ipRanges(_ texts: [String]) throws -> [IPRange] { try texts.map { try IPRange.parse($0) } }

    /// One object of every kind, each with non-default values on several properties.
    static func everyKind() throws -> Tenant {
        let created = ISO8601.parse("2021-03-01T10:00:00Z")!
        let domain = "roundtrip.onmicrosoft.com"
        let info = TenantInfo(displayName: "Round Trip Ltd", tenantId: UUID(uuidString: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a")!,
                              initialDomain: domain, domains: [domain, "roundtrip.example"], licenseTier: .E5,
                              createdDateTime: created)
        var t = Tenant(info: info, now: created.addingTimeInterval(90 * 86_400), seed: 77)
        t.clock.advance(by: 3_723)

        t.organizationConfig.isDehydrated = false
        try set(&t.organizationConfig, "AuditDisabled", .bool(true))
        try set(&t.organizationConfig, "EwsEnabled", .bool(false))
        try set(&t.organizationConfig, "EwsApplicationAccessPolicy", .string("EnforceBlockList"))
        try set(&t.organizationConfig, "EwsBlockList", .list([.string("MacOutlook/*"), .string("OutlookService/*")]))
        try set(&t.organizationConfig, "DefaultAuthenticationPolicy", .string("Block Basic Auth"))
        try set(&t.adminAuditLogConfig, "UnifiedAuditLogIngestionEnabled", .bool(false))
        try set(&t.adminAuditLogConfig, "AdminAuditLogAgeLimit", .string("180"))
        try set(&t.adminAuditLogConfig, "LogLevel", .string("Verbose"))
        try set(&t.transportConfig, "SmtpClientAuthenticationDisabled", .bool(true))
        try set(&t.transportConfig, "MaxSendSize", .string("25MB"))
        try set(&t.activeSyncOrganizationSettings, "DefaultAccessLevel", .string("Quarantine"))
        try set(&t.activeSyncOrganizationSettings, "AdminMailRecipients", .list([.string("secops@\(domain)")]))
        try set(&t.activeSyncOrganizationSettings, "UserMailInsert", .string("Call the service desk on 555-0100: your device, your data."))

        try set(&t.remoteDomains[0], "AutoForwardEnabled", .bool(false))
        var partner = RemoteDomain(name: "Partner", domainName: "partner.example", guid: t.ids.newGuid())
        try set(&partner, "AllowedOOFType", .string("None"))
        t.remoteDomains.append(partner)

        var auth = AuthenticationPolicy(name: "Block Basic Auth", guid: t.ids.newGuid())
        try set(&auth, "AllowBasicAuthActiveSync", .bool(true))
        try set(&auth, "AllowBasicAuthSmtp", .bool(true))
        t.authenticationPolicies = [auth]

        var strict = MobileDeviceMailboxPolicy(name: "Strict", guid: t.ids.newGuid(), created: created)
        try set(&strict, "PasswordEnabled", .bool(true))
        try set(&strict, "MinPasswordLength", .int(8))
        try set(&strict, "MaxInactivityTimeLock", .string("00:15"))
        try set(&strict, "AllowBluetooth", .string("HandsfreeOnly"))
        t.mobileDeviceMailboxPolicies.append(strict)
        t.makeDefaultMobileDeviceMailboxPolicy(named: "Strict")
        var owa = OwaMailboxPolicy(name: "No Downloads", guid: t.ids.newGuid(), created: created)
        try set(&owa, "ConditionalAccessPolicy", .string("ReadOnly"))
        try set(&owa, "BlockedFileTypes", .list([.string(".exe"), .string(".iso")]))
        t.owaMailboxPolicies.append(owa)
        t.makeDefaultOwaMailboxPolicy(named: "No Downloads")

        t.deviceAccessRules.append(ActiveSyncDeviceAccessRule(queryString: "Android", characteristic: .DeviceType,
                                                              accessLevel: .Block, guid: t.ids.newGuid(), whenCreated: created))

        var allowAdmins = ClientAccessRule(name: "Allow admin network", action: .AllowAccess, guid: t.ids.newGuid(),
                                           priority: 0, whenCreated: created)
        allowAdmins.anyOfProtocols = [.RemotePowerShell, .ExchangeAdminCenter]
        allowAdmins.anyOfClientIPAddressesOrRanges = try ipRanges(["198.51.100.0/24", "2001:db8:10::/48", "192.0.2.10-192.0.2.20"])
        allowAdmins.usernameMatchesAnyOfPatterns = ["*\\admin*"]
        var blockLegacy = ClientAccessRule(name: "Block legacy protocols", action: .DenyAccess, guid: t.ids.newGuid(),
                                           priority: 0, whenCreated: created)
        blockLegacy.anyOfProtocols = [.POP3, .IMAP4, .ExchangeWebServices]
        blockLegacy.anyOfAuthenticationTypes = [.BasicAuthentication]
        blockLegacy.exceptAnyOfClientIPAddressesOrRanges = try ipRanges(["203.0.113.7", "2001:db8::1"])
        blockLegacy.exceptUsernameMatchesAnyOfPatterns = ["*\\svc-scanner"]
        blockLegacy.userRecipientFilter = "Department -eq 'Sales' -and CountryOrRegion -eq 'IE'"
        blockLegacy.scope = .Users
        blockLegacy.enabled = false
        t.insertClientAccessRule(blockLegacy, priority: nil)
        t.insertClientAccessRule(allowAdmins, priority: 1)

        var user = User(userPrincipalName: "ana@\(domain)", displayName: "Ana Folau", objectId: t.ids.newGuid(),
                        password: "Str0ng-Passw0rd!", whenCreated: created)
        user.firstName = "Ana"
        user.strongAuthenticationState = .Enforced
        user.strongAuthenticationMethods = [.PhoneAppNotification, .OneWaySMS]
        user.appPasswords = ["qwertyuiopasdfgh", "zxcvbnmlkjhgfdsa"]
        user.adminRoles = [DirectoryRole.exchangeAdministrator]
        user.licenses = ["ENTERPRISEPREMIUM"]
        user.countryOrRegion = "IE"
        user.department = "Sales"
        user.authenticationPolicy = "Block Basic Auth"
        user.failedSignInCount = 3
        user.lockedUntil = t.now.addingTimeInterval(60)
        try t.addUser(user)
        var unlicensed = User(userPrincipalName: "kiosk@\(domain)", displayName: "Kiosk", objectId: t.ids.newGuid(),
                              password: "Kiosk-1!", whenCreated: created)
        unlicensed.blockCredential = true
        try t.addUser(unlicensed)

        var mailbox = Mailbox(name: "ana", displayName: "Ana Folau", primarySmtpAddress: SmtpAddress(user.userPrincipalName)!,
                              guid: t.ids.newGuid(), userObjectId: user.objectId, licenseTier: .E5, whenCreated: created)
        try set(&mailbox, "AuditEnabled", .bool(true))
        try set(&mailbox, "AuditLogAgeLimit", .string("365"))
        try set(&mailbox, "AuditOwner", .list([.string("MailboxLogin"), .string("HardDelete")]))
        try set(&mailbox, "AuditAdmin", .list([.string("FolderBind"), .string("Copy")]))
        try set(&mailbox, "ForwardingSmtpAddress", .string("smtp:ana.folau@outlook.example"))
        try set(&mailbox, "DeliverToMailboxAndForward", .bool(true))
        try set(&mailbox, "CustomAttribute7", .string("VIP"))
        try set(&mailbox, "ProhibitSendQuota", .string("Unlimited"))
        mailbox.emailAddresses.append("smtp:ana@roundtrip.example")
        mailbox.cas.imapEnabled = false
        mailbox.cas.popEnabled = false
        mailbox.cas.ewsEnabled = false
        mailbox.cas.smtpClientAuthenticationDisabled = false
        mailbox.cas.activeSyncAllowedDeviceIDs = ["ApplF17XQ1NZ0D5"]
        mailbox.cas.activeSyncBlockedDeviceIDs = ["SEC09A4E1C2B7F3", "androidc1234567"]
        mailbox.cas.activeSyncMailboxPolicy = "Default"
        mailbox.cas.owaMailboxPolicy = "OwaMailboxPolicy-Default"
        try t.addMailbox(mailbox)

        var shared = Mailbox(name: "payroll", displayName: "Payroll", primarySmtpAddress: SmtpAddress("payroll@\(domain)")!,
                             recipientTypeDetails: .SharedMailbox, guid: t.ids.newGuid(), userObjectId: nil, licenseTier: .E3,
                             whenCreated: created)
        shared.restoreDefaultAuditSet([])
        shared.setAuditActions(AuditActionSet([.SendAs]), for: .Delegate)
        shared.hiddenFromAddressListsEnabled = true
        try t.addMailbox(shared)
        try t.addMailbox(Mailbox(name: "room1", displayName: "Room 1", primarySmtpAddress: SmtpAddress("room1@\(domain)")!,
                                 recipientTypeDetails: .RoomMailbox, guid: t.ids.newGuid(), userObjectId: nil, licenseTier: .E5,
                                 whenCreated: created))

        var device = MobileDevice(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, guid: t.ids.newGuid(),
                                  deviceId: "ApplF17XQ1NZ0D5", deviceType: "iPhone", deviceModel: "iPhone15C3",
                                  deviceOS: "iOS 18.1 22B83", userDisplayName: mailbox.displayName, whenCreated: created)
        device.deviceAccessState = .Quarantined
        device.deviceAccessStateReason = .DeviceRule
        device.deviceAccessControlRule = "Android (DeviceType)"
        device.provisioningFlags = 6
        device.firstSyncTime = created.addingTimeInterval(3_600)
        device.friendlyName = "Ana's iPhone"
        device.clientType = .REST
        device.clientVersion = nil
        device.isProvisionable = false
        t.mobileDevices.append(device)

        var rule = InboxRule(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, ruleIdentity: 16_005_619_284_058_300_017,
                             name: "Forward everything", priority: 1)
        rule.forwardTo = ["drop@evil.example"]
        rule.subjectOrBodyContainsWords = ["invoice", "payment"]
        rule.stopProcessingRules = true
        rule.markAsRead = true
        t.inboxRules.append(rule)
        var hidden = InboxRule(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, ruleIdentity: 16_005_619_284_058_300_018,
                               name: ".", priority: 2)
        hidden.moveToFolder = "RSS Subscriptions"
        hidden.deleteMessage = true
        hidden.enabled = false
        hidden.inError = true
        t.inboxRules.append(hidden)

        // Contents are listed mailbox by mailbox, in mailbox order, as a fixture groups them.
        var denied = MailboxPermission(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, user: "kiosk@\(domain)",
                                       accessRights: [.SendAs])
        denied.deny = true
        t.mailboxPermissions.append(denied)
        var full = MailboxPermission(mailboxGuid: shared.guid, mailboxName: shared.name, user: user.userPrincipalName,
                                     accessRights: [.FullAccess, .ReadPermission])
        full.isInherited = true
        t.mailboxPermissions.append(full)

        let projects = MailFolder(mailboxGuid: mailbox.guid, folderId: MailFolder.folderId(mailbox: mailbox.guid, name: "Projects"),
                                  name: "Projects", folderType: "User")
        t.folders.append(projects)
        var m1 = MailMessage(mailboxGuid: mailbox.guid, itemId: "AAMkAGRoundTrip0001AAA=", folderId: projects.folderId,
                             internetMessageId: "<r1@roundtrip.example>", subject: "Q3 plan: draft #2",
                             from: "boss@roundtrip.example", to: [user.userPrincipalName, "team@roundtrip.example"],
                             receivedTime: created.addingTimeInterval(7_200), sizeBytes: 48_213)
        m1.attachments = ["plan.xlsx", "notes, v2.docx"]
        m1.isRead = true
        t.messages.append(m1)
        t.messages.append(MailMessage(mailboxGuid: mailbox.guid, itemId: "AAMkAGRoundTrip0002AAA=",
                                      folderId: MailFolder.folderId(mailbox: mailbox.guid, name: "Sent Items"),
                                      internetMessageId: "<r2@roundtrip.example>", subject: "null",
                                      from: user.userPrincipalName, to: ["boss@roundtrip.example"], receivedTime: created, sizeBytes: 2_048))
        var tool = AppRegistration(displayName: "Round Trip Tool", appId: t.ids.newGuid())
        try set(&tool, "ClientSecret", .string("s3cret: with \"quotes\" and # a hash"))
        try set(&tool, "Roles", .list([.string("User.Read.All"), .string("Exchange.ManageAsApp")]))
        t.applications.append(tool)
        var retired = AppRegistration(displayName: "Retired public client", appId: t.ids.newGuid())
        try set(&retired, "Enabled", .bool(false))
        t.applications.append(retired)

        _ = t.ids.newGuid()
        return t
    }

    // MARK: Helpers

    /// A fresh directory under the temporary directory, removed by `body`'s caller.
    static func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsim-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir)
    }

    static func storeRoundTrip(_ tenant: Tenant) throws -> Tenant? {
        let db = try TenantDatabase()
        try db.save(tenant)
        return try db.load()
    }

    static func exportRoundTrip(_ tenant: Tenant) throws -> Tenant {
        try FixtureLoader(file: "x").load(text: FixtureWriter.yaml(tenant))
    }

    /// The first property that differs, to say *what* a failed round trip lost.
    static func firstDifference(_ a: Tenant, _ b: Tenant) -> String? {
        func diff<T>(_ kind: String, _ xs: [T], _ ys: [T], _ schema: ObjectSchema<T>) -> String? {
            guard xs.count == ys.count else { return "\(kind): \(xs.count) objects became \(ys.count)" }
            for (i, (x, y)) in zip(xs, ys).enumerated() {
                for p in schema.properties where p.get(x) != p.get(y) {
                    return "\(kind)[\(i)].\(p.name): \(p.get(x).displayText) became \(p.get(y).displayText)"
                }
            }
            return nil
        }
        func equal<T: Equatable>(_ kind: String, _ x: T, _ y: T) -> String? { x == y ? nil : "\(kind) (outside the schema)" }
        let checks: [() -> String?] = [
            { diff("Tenant", [a.info], [b.info], TenantInfo.schema) },
            { diff("OrganizationConfig", [a.organizationConfig], [b.organizationConfig], OrganizationConfig.schema) },
            { diff("AdminAuditLogConfig", [a.adminAuditLogConfig], [b.adminAuditLogConfig], AdminAuditLogConfig.schema) },
            { diff("TransportConfig", [a.transportConfig], [b.transportConfig], TransportConfig.schema) },
            { diff("ActiveSyncOrganizationSettings", [a.activeSyncOrganizationSettings], [b.activeSyncOrganizationSettings],
                   ActiveSyncOrganizationSettings.schema) },
            { diff("RemoteDomain", a.remoteDomains, b.remoteDomains, RemoteDomain.schema) },
            { diff("AuthenticationPolicy", a.authenticationPolicies, b.authenticationPolicies, AuthenticationPolicy.schema) },
            { diff("MobileDeviceMailboxPolicy", a.mobileDeviceMailboxPolicies, b.mobileDeviceMailboxPolicies,
                   MobileDeviceMailboxPolicy.schema) },
            { diff("OwaMailboxPolicy", a.owaMailboxPolicies, b.owaMailboxPolicies, OwaMailboxPolicy.schema) },
            { diff("ActiveSyncDeviceAccessRule", a.deviceAccessRules, b.deviceAccessRules, ActiveSyncDeviceAccessRule.schema) },
            { diff("ClientAccessRule", a.clientAccessRules, b.clientAccessRules, ClientAccessRule.schema) },
            { diff("AppRegistration", a.applications, b.applications, AppRegistration.schema) },
            { diff("User", a.users, b.users, User.schema) },
            { diff("Mailbox", a.mailboxes, b.mailboxes, Mailbox.persistenceSchema) },
            { diff("MobileDevice", a.mobileDevices, b.mobileDevices, MobileDevice.schema) },
            { diff("InboxRule", a.inboxRules, b.inboxRules, InboxRule.schema) },
            { diff("MailboxPermission", a.mailboxPermissions, b.mailboxPermissions, MailboxPermission.schema) },
            { diff("MailFolder", a.folders, b.folders, MailFolder.schema) },
            { diff("MailMessage", a.messages, b.messages, MailMessage.schema) },
            { a.now != b.now ? "clock \(a.now) vs \(b.now)" : nil },
            { a.ids != b.ids ? "identifier state" : nil },
            { equal("users", a.users, b.users) }, { equal("mailboxes", a.mailboxes, b.mailboxes) },
            { equal("mobileDevices", a.mobileDevices, b.mobileDevices) }, { equal("inboxRules", a.inboxRules, b.inboxRules) },
            { equal("mailboxPermissions", a.mailboxPermissions, b.mailboxPermissions) },
            { equal("folders", a.folders, b.folders) }, { equal("messages", a.messages, b.messages) },
            { equal("policies", a.mobileDeviceMailboxPolicies, b.mobileDeviceMailboxPolicies) },
            { equal("OWA policies", a.owaMailboxPolicies, b.owaMailboxPolicies) },
        ]
        for check in checks { if let d = check() { return d } }
        return nil
    }

    static func expectSame(_ loaded: Tenant?, _ original: Tenant, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let loaded = try #require(loaded, sourceLocation: sourceLocation)
        #expect(loaded == original, "first difference: \(firstDifference(original, loaded) ?? "none by schema")",
                sourceLocation: sourceLocation)
    }

    // MARK: The store

    @Test("A generated 300-user tenant saves and loads back identical")
    func generatedStore() throws {
        let t = Self.generated()
        try Self.expectSame(try Self.storeRoundTrip(t), t)
    }

    @Test("A tenant with one of every object kind, customised, saves and loads back identical")
    func everyKindStore() throws {
        let t = try Self.everyKind()
        try Self.expectSame(try Self.storeRoundTrip(t), t)
    }

    @Test("The hand-built tenant really differs from a new one on the properties it customises")
    func everyKindIsCustomised() throws {
        let t = try Self.everyKind()
        let mailbox = try #require(t.mailboxes.first)
        #expect(mailbox.defaultAuditSet == [.Delegate])
        #expect(t.defaultMobileDeviceMailboxPolicy.name == "Strict")
        #expect(t.defaultOwaMailboxPolicy.name == "No Downloads")
        #expect(t.clientAccessRules.map(\.name) == ["Allow admin network", "Block legacy protocols"])
        #expect(t.users[0].strongAuthenticationState == .Enforced)
    }

    @Test("The brittest fixture saves and loads back identical")
    func brittestStore() throws {
        let t = try TenantSource.loadFixture("brittest")
        try Self.expectSame(try Self.storeRoundTrip(t), t)
    }

    @Test("The contoso fixture saves and loads back identical", .enabled(if: contosoIsEmbedded()))
    func contosoStore() throws {
        let t = try TenantSource.loadFixture("contoso")
        try Self.expectSame(try Self.storeRoundTrip(t), t)
    }

    @Test("A fixture's applications save and load back identical", arguments: ["brittest", "contoso"])
    func applicationsStore(fixture: String) throws {
        let t = try TenantSource.loadFixture(fixture)
        let loaded = try #require(try Self.storeRoundTrip(t))
        #expect(!t.applications.isEmpty)
        #expect(loaded.applications == t.applications)
    }

    @Test("A file database runs in WAL mode and reopening it loads the same tenant")
    func fileDatabase() throws {
        let t = try Self.everyKind()
        try Self.withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("tenant.sqlite").path
            let db = try TenantDatabase(path: path)
            try db.save(t)
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            let reopened = try TenantDatabase(path: path)
            try Self.expectSame(try reopened.load(), t)
        }
    }

    @Test("An empty database holds no tenant", arguments: [false, true])
    func emptyDatabase(onDisk: Bool) throws {
        try Self.withTemporaryDirectory { dir in
            let db = try TenantDatabase(path: onDisk ? dir.appendingPathComponent("empty.sqlite").path : nil)
            #expect(try db.load() == nil)
        }
    }

    @Test("A second save replaces the first: the counts are the second tenant's")
    func secondSaveReplaces() throws {
        let first = Self.generated()
        let second = try Self.everyKind()
        let db = try TenantDatabase()
        try db.save(first)
        try db.save(second)
        let loaded = try #require(try db.load())
        #expect(loaded.counts.map { $0.1 } == second.counts.map { $0.1 })
        try Self.expectSame(loaded, second)
    }

    @Test("Saving a smaller tenant after a larger one leaves no objects of the larger behind")
    func shrinkingSave() throws {
        let db = try TenantDatabase()
        try db.save(try Self.everyKind())
        let empty = Tenant(info: TenantInfo(displayName: "Empty", tenantId: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!,
                                            initialDomain: "empty.onmicrosoft.com", licenseTier: .E3,
                                            createdDateTime: ISO8601.parse("2020-01-01T00:00:00Z")!),
                           now: ISO8601.parse("2020-01-02T00:00:00Z")!, seed: 3)
        try db.save(empty)
        let loaded = try #require(try db.load())
        #expect(loaded.users.isEmpty && loaded.mailboxes.isEmpty && loaded.clientAccessRules.isEmpty)
        try Self.expectSame(loaded, empty)
    }

    // MARK: Fixture export

    @Test("A generated 300-user tenant exported as a fixture loads back identical")
    func generatedExport() throws {
        let t = Self.generated()
        try Self.expectSame(try Self.exportRoundTrip(t), t)
    }

    @Test("A tenant with one of every object kind exported as a fixture loads back identical")
    func everyKindExport() throws {
        let t = try Self.everyKind()
        try Self.expectSame(try Self.exportRoundTrip(t), t)
    }

    @Test("The brittest fixture exported loads back identical")
    func brittestExport() throws {
        let t = try TenantSource.loadFixture("brittest")
        try Self.expectSame(try Self.exportRoundTrip(t), t)
    }

    @Test("The contoso fixture exported loads back identical", .enabled(if: contosoIsEmbedded()))
    func contosoExport() throws {
        let t = try TenantSource.loadFixture("contoso")
        try Self.expectSame(try Self.exportRoundTrip(t), t)
    }

    @Test("A fixture's applications exported load back identical", arguments: ["brittest", "contoso"])
    func applicationsExport(fixture: String) throws {
        let t = try TenantSource.loadFixture(fixture)
        #expect(!t.applications.isEmpty)
        #expect(try Self.exportRoundTrip(t).applications == t.applications)
    }

    @Test("Export keeps the tenant's order of objects that belong to different mailboxes")
    func exportKeepsCrossMailboxOrder() throws {
        var t = try Self.everyKind()
        // Add-MailboxPermission adds a grant on the first mailbox after one on the second exists:
        // the tenant keeps mailbox contents grouped in mailbox order, as the fixture nests them.
        let first = t.mailboxes[0]
        t.addMailboxPermission(MailboxPermission(mailboxGuid: first.guid, mailboxName: first.name,
                                                      user: "kiosk@roundtrip.onmicrosoft.com", accessRights: [.ReadPermission]))
        try Self.expectSame(try Self.exportRoundTrip(t), t)
    }

    @Test("Exporting the same tenant twice gives the same text")
    func exportIsStable() throws {
        let t = try Self.everyKind()
        #expect(try FixtureWriter.yaml(t) == FixtureWriter.yaml(Self.exportRoundTrip(t)))
    }
}
