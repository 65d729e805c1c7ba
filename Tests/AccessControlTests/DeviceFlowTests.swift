import Foundation
import Testing
@testable import AccessControl
import TenantModel
import TenantStore

/// The ActiveSync device access flow of EXCHANGE-FACTS 2.2, on the fixtures.
@Suite struct DeviceFlowTests {
    static let galaxy = DeviceInfo(id: "SEC09A4E1C2B7F3", type: "Android", model: "SM-G960U", os: "Android 9.0.0",
                                   userAgent: "Android-SAMSUNG-SM-G960U/101.90000")

    func sync(_ tenant: Tenant, _ upn: String, _ device: DeviceInfo, at time: Date? = nil)
        -> (decision: AccessDecision?, report: StageReport, changes: [TenantChange]) {
        let user = tenant.user(upn: upn)!
        let mailbox = tenant.mailbox(forUser: user)!
        let attempt = AccessAttempt(user: upn, accessProtocol: .ExchangeActiveSync, clientIP: "203.0.113.7", password: nil, device: device)
        return ActiveSyncDeviceFlow.evaluate(attempt, user: user, mailbox: mailbox, tenant: tenant, policy: CompiledPolicy(tenant),
                                             now: time ?? tenant.now)
    }

    func partnership(_ changes: [TenantChange]) -> MobileDevice? {
        for case .devicePartnership(let d) in changes { return d }
        return nil
    }

    func setLists(_ tenant: inout Tenant, _ upn: String, blocked: [String] = [], allowed: [String] = []) {
        let user = tenant.user(upn: upn)!
        let i = tenant.mailboxIndex(guid: tenant.mailbox(forUser: user)!.guid)!
        tenant.updateMailbox(at: i) {
            $0.cas.activeSyncBlockedDeviceIDs = blocked
            $0.cas.activeSyncAllowedDeviceIDs = allowed
        }
    }

    func rule(_ query: String, _ characteristic: DeviceAccessCharacteristic, _ level: DeviceAccessLevel, _ tenant: Tenant)
        -> ActiveSyncDeviceAccessRule {
        ActiveSyncDeviceAccessRule(queryString: query, characteristic: characteristic, accessLevel: level, guid: UUID(), whenCreated: tenant.now)
    }

    static let britton = "britton@brittest.onmicrosoft.com"

    // MARK: Lists

    @Test func aDeviceOnBothTheBlockAndTheAllowListIsBlockedIndividually() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        setLists(&tenant, Self.britton, blocked: ["SEC09A4E1C2B7F3"], allowed: ["SEC09A4E1C2B7F3"])
        let r = sync(tenant, Self.britton, Self.galaxy)
        let d = try #require(r.decision)
        #expect(d.outcome == .Denied)
        #expect(d.reason == "Individual")
        #expect(d.by == "ActiveSyncBlockedDeviceIDs")
        #expect(d.code == 129)
        let p = try #require(partnership(r.changes))
        #expect(p.deviceAccessState == .Blocked)
        #expect(p.deviceAccessStateReason == .Individual)
        #expect(p.deviceAccessControlRule == nil)
    }

    @Test func theAllowListBeatsADeviceRuleThatBlocks() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.deviceAccessRules = [rule("Android", .DeviceType, .Block, tenant)]
        setLists(&tenant, Self.britton, allowed: ["SEC09A4E1C2B7F3"])
        let r = sync(tenant, Self.britton, Self.galaxy)
        #expect(r.decision == nil)
        let p = try #require(partnership(r.changes))
        #expect(p.deviceAccessState == .Allowed)
        #expect(p.deviceAccessStateReason == .Individual)
        #expect(r.report.detail.contains("ActiveSyncAllowedDeviceIDs"))
    }

    @Test func deviceIdsInTheListsMatchIgnoringCase() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        setLists(&tenant, Self.britton, blocked: ["sec09a4e1c2b7f3"])
        #expect(sync(tenant, Self.britton, Self.galaxy).decision?.reason == "Individual")
    }

    // MARK: Device rules

    @Test func aUserAgentAllowRuleBeatsADeviceTypeBlockRule() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.deviceAccessRules = [rule("Android", .DeviceType, .Block, tenant),
                                    rule("Android-SAMSUNG-SM-G960U/101.90000", .UserAgent, .Allow, tenant)]
        let r = sync(tenant, Self.britton, Self.galaxy)
        #expect(r.decision == nil)
        let p = try #require(partnership(r.changes))
        #expect(p.deviceAccessState == .Allowed)
        #expect(p.deviceAccessStateReason == .DeviceRule)
        #expect(p.deviceAccessControlRule == "Android-SAMSUNG-SM-G960U/101.90000 (UserAgent)")
    }

    /// The first characteristic with a matching rule decides, in the order UserAgent,
    /// DeviceOS, DeviceModel, DeviceType, whatever the levels. [EXCHANGE-FACTS 2.2 step 7]
    @Test(arguments: [
        (DeviceAccessCharacteristic.DeviceOS, "Android 9.0.0", DeviceAccessCharacteristic.DeviceModel, "SM-G960U"),
        (.DeviceOS, "Android 9.0.0", .DeviceType, "Android"),
        (.DeviceModel, "SM-G960U", .DeviceType, "Android"),
        (.UserAgent, "Android-SAMSUNG-SM-G960U/101.90000", .DeviceOS, "Android 9.0.0"),
    ])
    func theMoreSpecificCharacteristicDecides(winner: DeviceAccessCharacteristic, winnerQuery: String,
                                              loser: DeviceAccessCharacteristic, loserQuery: String) throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.deviceAccessRules = [rule(loserQuery, loser, .Allow, tenant), rule(winnerQuery, winner, .Quarantine, tenant)]
        let r = sync(tenant, Self.britton, Self.galaxy)
        let d = try #require(r.decision)
        #expect(d.outcome == .Quarantined)
        #expect(d.reason == "DeviceRule")
        #expect(d.by == "\(winnerQuery) (\(winner.rawValue))")
        #expect(d.code == nil)
    }

    @Test func queryStringsMatchTheWholeValueIgnoringCase() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.deviceAccessRules = [rule("ANDROID", .DeviceType, .Block, tenant)]
        #expect(sync(tenant, Self.britton, Self.galaxy).decision?.reason == "DeviceRule")
        tenant.deviceAccessRules = [rule("Andr", .DeviceType, .Block, tenant)]
        #expect(sync(tenant, Self.britton, Self.galaxy).decision == nil)
    }

    /// The paper's `New-ActiveSyncDeviceAccessRule -AccessLevel Block -Characteristic
    /// DeviceType -QueryString Android`: the Galaxy is Blocked / DeviceRule on its next sync.
    @Test func thePapersAndroidRuleBlocksTheGalaxyOnItsNextSync() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let before = try #require(tenant.mobileDevices.first { $0.deviceId == "SEC09A4E1C2B7F3" })
        #expect(before.deviceAccessState == .Allowed)
        tenant.deviceAccessRules.append(rule("Android", .DeviceType, .Block, tenant))
        let now = tenant.now.addingTimeInterval(600)
        // The next sync: the device names itself; its model and OS are on the partnership already.
        let r = sync(tenant, Self.britton, DeviceInfo(id: "SEC09A4E1C2B7F3", type: "Android"), at: now)
        let d = try #require(r.decision)
        #expect(d.outcome == .Denied)
        #expect(d.reason == "DeviceRule")
        #expect(d.by == "Android (DeviceType)")
        #expect(d.code == 129)
        tenant.apply(r.changes)
        let after = try #require(tenant.mobileDevices.first { $0.deviceId == "SEC09A4E1C2B7F3" })
        #expect(after.deviceAccessState == .Blocked)
        #expect(after.deviceAccessStateReason == .DeviceRule)
        #expect(after.deviceAccessControlRule == "Android (DeviceType)")
        #expect(after.lastSyncAttemptTime == now)
        #expect(after.lastSuccessSync == before.lastSuccessSync)
        #expect(after.firstSyncTime == before.firstSyncTime)
        #expect(after.deviceModel == "SM-G960U")
        #expect(after.guid == before.guid)
        let fixtureCount = try TenantSource.loadFixture("brittest").mobileDevices.count
        #expect(tenant.mobileDevices.count == fixtureCount)
        // britton's iPhone is untouched by the rule.
        let iphone = DeviceInfo(id: "ApplF17XQ1NZ0D5", type: "iPhone", model: "iPhone10C6", os: "iOS 12.3.1 16F203")
        #expect(sync(tenant, Self.britton, iphone, at: now).decision == nil)
    }

    // MARK: Organization default

    @Test func theOrganizationsQuarantineDefaultQuarantinesAnUnmatchedDevice() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.activeSyncOrganizationSettings.defaultAccessLevel = .Quarantine
        let r = sync(tenant, Self.britton, Self.galaxy)
        let d = try #require(r.decision)
        #expect(d.outcome == .Quarantined)
        #expect(d.reason == "Global")
        #expect(d.by == "Mobile Mailbox Settings")
        #expect(d.code == nil)
        let p = try #require(partnership(r.changes))
        #expect(p.deviceAccessState == .Quarantined)
        #expect(p.deviceAccessStateReason == .Global)
        #expect(p.lastSuccessSync != tenant.now)
    }

    @Test func theOrganizationsBlockDefaultBlocksWithStatus129() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.activeSyncOrganizationSettings.defaultAccessLevel = .Block
        let d = try #require(sync(tenant, Self.britton, Self.galaxy).decision)
        #expect(d.outcome == .Denied)
        #expect(d.reason == "Global")
        #expect(d.code == 129)
    }

    // MARK: Policy

    @Test func aNonProvisionableDeviceUnderAStrictPolicyIsBlockedByPolicy() throws {
        let tenant = try TenantSource.loadFixture("contoso")
        // jordan.lee follows the default policy Contoso-Mobile-Standard (AllowNonProvisionableDevices False);
        // the "iPhone (DeviceType)" rule allows the device first.
        let phone = DeviceInfo(id: "NEWPHONE0001", type: "iPhone", model: "iPhone16C2", os: "iOS 18.6.2 22G100", provisionable: false)
        let r = sync(tenant, "jordan.lee@contoso.com", phone)
        let d = try #require(r.decision)
        #expect(d.outcome == .Denied)
        #expect(d.reason == "Policy")
        #expect(d.by == "Contoso-Mobile-Standard")
        #expect(d.code == 141)
        let p = try #require(partnership(r.changes))
        #expect(p.deviceAccessState == .Blocked)
        #expect(p.deviceAccessStateReason == .Policy)
        #expect(p.deviceAccessControlRule == nil)
        #expect(p.devicePolicyApplied == "Contoso-Mobile-Standard")
    }

    @Test func aNonProvisionableDeviceSyncsUnderAPolicyThatAllowsIt() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        var galaxy = Self.galaxy
        galaxy.provisionable = false
        #expect(sync(tenant, Self.britton, galaxy).decision == nil)
    }

    @Test func theMailboxsOwnMobilePolicyIsTheOneChecked() throws {
        var tenant = try TenantSource.loadFixture("contoso")
        // nora.fischer has Executives-Mobile; make only that one lenient.
        let i = tenant.mobileDeviceMailboxPolicies.firstIndex { $0.name == "Executives-Mobile" }!
        tenant.mobileDeviceMailboxPolicies[i].allowNonProvisionableDevices = true
        let phone = DeviceInfo(id: "NORA2", type: "iPhone", model: "iPhone17C1", os: "iOS 18.6.2 22G100", provisionable: false)
        let r = sync(tenant, "nora.fischer@contoso.com", phone)
        #expect(r.decision == nil)
        #expect(partnership(r.changes)?.devicePolicyApplied == "Executives-Mobile")
    }

    // MARK: The partnership

    @Test func theFirstSyncCreatesThePartnership() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let count = tenant.mobileDevices.count
        let pixel = DeviceInfo(id: "androidc9988776655", type: "Android", userAgent: "Android-Mail/2019.06.02.251234567.release")
        let r = sync(tenant, "william@brittest.onmicrosoft.com", pixel)
        #expect(r.decision == nil)
        tenant.apply(r.changes)
        #expect(tenant.mobileDevices.count == count + 1)
        let p = try #require(tenant.mobileDevices.first { $0.deviceId == "androidc9988776655" })
        #expect(p.firstSyncTime == tenant.now)
        #expect(p.whenCreated == tenant.now)
        #expect(p.lastSyncAttemptTime == tenant.now)
        #expect(p.lastSuccessSync == tenant.now)
        #expect(p.deviceAccessState == .Allowed)
        #expect(p.deviceAccessStateReason == .Global)
        #expect(p.deviceType == "Android")
        #expect(p.deviceModel == "Android")  // a device that sent no model shows its type
        #expect(p.deviceUserAgent == "Android-Mail/2019.06.02.251234567.release")
        #expect(p.clientType == .EAS)
        #expect(p.devicePolicyApplied == "Default")
        #expect(p.userDisplayName == "William Foster")
        #expect(p.identity == "\(p.mailboxName)\\ExchangeActiveSyncDevices\\Android§androidc9988776655")
        // Grouped with william's mailbox: the tenant writes and reads back the same.
        let owner = tenant.mailbox(guid: p.mailboxGuid)!
        #expect(owner.userPrincipalName == "william@brittest.onmicrosoft.com")
    }

    @Test func theSamePartnershipGetsTheSameGuidOnEveryEvaluation() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let device = DeviceInfo(id: "NEW1", type: "iPhone", model: "iPhone11C8", os: "iOS 12.3.1")
        #expect(partnership(sync(tenant, Self.britton, device).changes)?.guid == partnership(sync(tenant, Self.britton, device).changes)?.guid)
    }

    /// With device rules, a brand-new partnership that hasn't sent its device information is
    /// held in DeviceDiscovery for 14 minutes; after that the rules see its type as model.
    @Test func aNewDeviceWithoutDeviceInformationWaitsInDiscovery() throws {
        var tenant = try TenantSource.loadFixture("contoso")
        let bare = DeviceInfo(id: "P9NEWIPHONE", type: "iPhone")
        let first = sync(tenant, "ben.carter@contoso.com", bare)
        let d = try #require(first.decision)
        #expect(d.outcome == .Quarantined)
        #expect(d.reason == "DeviceDiscovery")
        let p = try #require(partnership(first.changes))
        #expect(p.deviceAccessState == .DeviceDiscovery)
        #expect(p.deviceAccessStateReason == .DeviceRule)
        tenant.apply(first.changes)
        let later = sync(tenant, "ben.carter@contoso.com", bare, at: tenant.now.addingTimeInterval(15 * 60))
        #expect(later.decision == nil)
        #expect(partnership(later.changes)?.deviceAccessControlRule == "iPhone (DeviceType)")
    }

    @Test func aDeviceThatSendsItsInformationIsJudgedAtOnce() throws {
        let tenant = try TenantSource.loadFixture("contoso")
        let s9 = DeviceInfo(id: "SECNEW9", type: "SAMSUNGSMG960U", model: "SM-G960U", os: "Android 9.0.0")
        let d = try #require(sync(tenant, "ben.carter@contoso.com", s9).decision)
        #expect(d.reason == "DeviceRule")
        #expect(d.by == "Android 9.0.0 (DeviceOS)")
        #expect(d.outcome == .Denied)
    }

    @Test func withoutRulesThereIsNoDiscoveryWait() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        #expect(sync(tenant, Self.britton, DeviceInfo(id: "BARE1", type: "iPhone")).decision == nil)
    }

    @Test func aRequestWithoutADeviceIsRefused() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let user = tenant.user(upn: Self.britton)!
        let attempt = AccessAttempt(user: Self.britton, accessProtocol: .ExchangeActiveSync, clientIP: "203.0.113.7", password: nil)
        let r = ActiveSyncDeviceFlow.evaluate(attempt, user: user, mailbox: tenant.mailbox(forUser: user)!, tenant: tenant,
                                              policy: CompiledPolicy(tenant), now: tenant.now)
        #expect(r.decision?.outcome == .Denied)
        #expect(r.changes.isEmpty)
    }

    @Test func theReportNamesWhatDecided() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.deviceAccessRules = [rule("Android", .DeviceType, .Block, tenant)]
        let r = sync(tenant, Self.britton, Self.galaxy)
        #expect(r.report.stage == .deviceAccess)
        #expect(r.report.result == .decided)
        #expect(r.report.detail.contains("Android (DeviceType)"))
        #expect(r.decision?.trace == [r.report])
    }

    // MARK: What Get-MobileDevice shows

    /// Get-MobileDevice re-runs the rules on the stored device, so the paper's rule shows
    /// before the Galaxy syncs again; list decisions and Policy blocks stay as stored.
    @Test func getMobileDeviceShowsTheRulesCurrentVerdict() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.deviceAccessRules.append(rule("Android", .DeviceType, .Block, tenant))
        let index = DeviceRuleIndex(tenant.deviceAccessRules)
        let settings = tenant.activeSyncOrganizationSettings
        let galaxy = try #require(tenant.mobileDevices.first { $0.deviceId == "SEC09A4E1C2B7F3" })
        let shown = ActiveSyncDeviceFlow.displayedAccessState(of: galaxy, deviceRules: index, settings: settings)
        #expect(shown.state == .Blocked)
        #expect(shown.reason == .DeviceRule)
        #expect(shown.rule == "Android (DeviceType)")
        let iphone = try #require(tenant.mobileDevices.first { $0.deviceId == "ApplF17XQ1NZ0D5" })
        #expect(ActiveSyncDeviceFlow.displayedAccessState(of: iphone, deviceRules: index, settings: settings).state == .Allowed)
        var individual = galaxy
        individual.deviceAccessState = .Allowed
        individual.deviceAccessStateReason = .Individual
        #expect(ActiveSyncDeviceFlow.displayedAccessState(of: individual, deviceRules: index, settings: settings).state == .Allowed)
    }

    @Test func getMobileDeviceShowsAChangedDefaultAtOnce() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        tenant.activeSyncOrganizationSettings.defaultAccessLevel = .Quarantine
        let iphone = try #require(tenant.mobileDevices.first { $0.deviceId == "ApplF17XQ1NZ0D5" })
        let shown = ActiveSyncDeviceFlow.displayedAccessState(of: iphone, deviceRules: DeviceRuleIndex([]),
                                                              settings: tenant.activeSyncOrganizationSettings)
        #expect(shown.state == .Quarantined)
        #expect(shown.reason == .Global)
    }

    // MARK: The index

    @Test func theRuleIndexKeepsTheFirstRuleForAValue() throws {
        let tenant = try TenantSource.loadFixture("brittest")
        let index = DeviceRuleIndex([rule("iPhone", .DeviceType, .Allow, tenant), rule("IPHONE", .DeviceType, .Block, tenant),
                                     rule("x", .XMSWLHeader, .Block, tenant)])
        #expect(index.rule(.DeviceType, matching: "iphone")?.accessLevel == .Allow)
        #expect(index.rule(.DeviceModel, matching: "iPhone") == nil)
        #expect(index.ruleCount == 3)
    }
}
