import AuditLog
import Foundation
import TenantModel
import Testing

/// When the tenant logs what: the ingestion switch, organization and mailbox audit settings,
/// bypass, licence, MailItemsAccessed aggregation and throttling, retention.
@Suite("Audit policy")
struct AuditPolicyTests {
    typealias F = AuditFixtures

    func minutes(_ m: Double) -> Date { F.start.addingTimeInterval(m * 60) }

    func withIngestion(_ on: Bool, _ tier: LicenseTier = .E5) -> Tenant {
        var t = F.tenant(tier: tier)
        t.adminAuditLogConfig.unifiedAuditLogIngestionEnabled = on
        return t
    }

    // MARK: Sign-ins

    @Test func everySignInIsInTheSignInLogAndInTheUnifiedLogWhileIngestionIsOn() {
        var trail = AuditTrail()
        trail.record(.signIn(F.signIn(succeeded: true)), in: F.tenant())
        trail.record(.signIn(F.signIn(succeeded: false)), in: F.tenant())
        #expect(trail.signIns.map(\.errorCode) == [0, 50126])
        #expect(trail.unified.map(\.operation) == ["UserLoggedIn", "UserLoginFailed"])
        #expect(trail.unified.allSatisfy { $0.recordType == .AzureActiveDirectoryStsLogon && $0.workload == "AzureActiveDirectory" })
    }

    @Test func withIngestionOffSignInsReachOnlyTheSignInLog() {
        var trail = AuditTrail()
        trail.record(.signIn(F.signIn()), in: withIngestion(false))
        #expect(trail.signIns.count == 1)
        #expect(trail.unified.isEmpty)
    }

    @Test func anUnknownUserSignsInAsTheEmptyObjectId() throws {
        var event = F.signIn("nobody", succeeded: false)
        event.errorCode = 50034
        event.logonError = nil
        var trail = AuditTrail()
        trail.record(.signIn(event), in: F.tenant())
        let data = try #require(trail.unified.first).auditData
        #expect(data["UserKey"] == .string(RecordFactory.emptyGuid))
        #expect(data["LogonError"] == .string("UserAccountNotFound"))
        #expect(trail.signIns.first?.resource["userId"] == .string(RecordFactory.emptyGuid))
    }

    // MARK: The ingestion switch

    @Test func turningIngestionOffIsRecordedAndThenNothingMore() {
        var tenant = F.tenant()
        var trail = AuditTrail()
        let off = F.cmdlet("Set-AdminAuditLogConfig", [("UnifiedAuditLogIngestionEnabled", "False")], objectId: "Admin Audit Log Settings")
        // The command layer reports a change after applying it.
        tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled = false
        trail.record(.adminCmdlet(off), in: tenant)
        trail.record(.adminCmdlet(F.cmdlet("Set-Mailbox", [("Identity", "bob")], objectId: "bob", at: minutes(1))), in: tenant)
        trail.record(.signIn(F.signIn(at: minutes(2))), in: tenant)
        trail.record(.directoryChange(F.directory("Update user.", at: minutes(3))), in: tenant)
        trail.record(.mailboxAction(F.action(.SoftDelete, on: F.mailbox(tenant, "bob"), at: minutes(4), items: [F.message(1)])), in: tenant)
        // Running the switch again while it is off writes nothing either.
        trail.record(.adminCmdlet(off), in: tenant)
        #expect(trail.unified.map(\.operation) == ["Set-AdminAuditLogConfig"])
        #expect(trail.unified.first?.auditData["Parameters"] == .array([
            .object(["Name": .string("UnifiedAuditLogIngestionEnabled"), "Value": .string("False")]),
        ]))
        // The other logs go on.
        #expect(trail.signIns.count == 1)
        #expect(trail.mailbox.count == 1)
    }

    @Test func theSwitchIsRecordedOnceWhenReportedBeforeItFlips() {
        var tenant = F.tenant()
        var trail = AuditTrail()
        let off = F.cmdlet("Set-AdminAuditLogConfig", [("UnifiedAuditLogIngestionEnabled", "False")], objectId: "Admin Audit Log Settings")
        trail.record(.adminCmdlet(off), in: tenant)
        tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled = false
        trail.record(.adminCmdlet(off), in: tenant)
        #expect(trail.unified.map(\.operation) == ["Set-AdminAuditLogConfig"])
    }

    @Test func turningIngestionBackOnIsRecordedAndLoggingResumes() {
        let off = withIngestion(false)
        var trail = AuditTrail()
        trail.record(.signIn(F.signIn()), in: off)
        // Already off: the command changes nothing and records nothing.
        trail.record(.adminCmdlet(F.cmdlet("Set-AdminAuditLogConfig", [("UnifiedAuditLogIngestionEnabled", "False")],
                                           objectId: "Admin Audit Log Settings")), in: off)
        #expect(trail.unified.isEmpty)
        let on = withIngestion(true)
        trail.record(.adminCmdlet(F.cmdlet("Set-AdminAuditLogConfig", [("UnifiedAuditLogIngestionEnabled", "True")],
                                           objectId: "Admin Audit Log Settings", at: minutes(1))), in: on)
        trail.record(.signIn(F.signIn(at: minutes(2))), in: on)
        #expect(trail.unified.map(\.operation) == ["Set-AdminAuditLogConfig", "UserLoggedIn"])
    }

    @Test func readOnlyCmdletsAreNeverRecorded() {
        var trail = AuditTrail()
        for cmdlet in ["Get-Mailbox", "Test-ClientAccessRule", "Search-UnifiedAuditLog"] {
            trail.record(.adminCmdlet(F.cmdlet(cmdlet, [], objectId: "")), in: F.tenant())
        }
        #expect(trail.unified.isEmpty)
    }

    @Test func anAdminsCmdletsShareOneSessionIdAndTakeFreshPorts() throws {
        var trail = AuditTrail()
        trail.record(.adminCmdlet(F.cmdlet("Set-Mailbox", [("Identity", "bob")], objectId: "bob")), in: F.tenant())
        trail.record(.adminCmdlet(F.cmdlet("Set-Mailbox", [("Identity", "carol")], objectId: "carol", at: minutes(1))), in: F.tenant())
        let sessions = trail.unified.map { $0.auditData["SessionId"] }
        #expect(sessions[0] == sessions[1])
        #expect(trail.unified[0].clientIP != trail.unified[1].clientIP)
        #expect(trail.unified.allSatisfy { $0.clientIP?.hasPrefix("198.51.100.10:") == true })
    }

    // MARK: Mailbox auditing switches

    @Test func anOrganizationWithAuditDisabledLogsNoMailboxAction() {
        var tenant = F.tenant()
        tenant.organizationConfig.auditDisabled = true
        F.updateMailbox(&tenant, "bob") { $0.auditEnabled = true }
        var trail = AuditTrail()
        for op in [MailboxAuditOperations.SoftDelete, .HardDelete, .Update, .MailItemsAccessed] {
            trail.record(.mailboxAction(F.action(op, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
        }
        #expect(trail.mailbox.isEmpty)
        #expect(trail.unified.isEmpty)
    }

    @Test func mailboxLoginIsLoggedOnlyWhenInAuditOwner() {
        var tenant = F.tenant()
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.MailboxLogin, on: F.mailbox(tenant, "bob"))), in: tenant)
        #expect(trail.mailbox.isEmpty)
        F.updateMailbox(&tenant, "bob") { $0.setAuditActions($0.auditOwner.union([.MailboxLogin]), for: .Owner) }
        trail.record(.mailboxAction(F.action(.MailboxLogin, on: F.mailbox(tenant, "bob"), at: minutes(1))), in: tenant)
        #expect(trail.mailbox.map(\.operation) == [.MailboxLogin])
        #expect(trail.unified.map(\.operation) == ["MailboxLogin"])
        #expect(trail.unified.first?.recordType == .ExchangeItem)
    }

    @Test func anActionOutsideTheLogonTypesSetIsNotLogged() {
        let tenant = F.tenant()
        var trail = AuditTrail()
        // FolderBind is not a default delegate action; SendAs is. [EXCHANGE-FACTS 4.2]
        trail.record(.mailboxAction(F.action(.FolderBind, on: F.mailbox(tenant, "carol"), by: "bob", logonType: .Delegate,
                                             folder: "\\Inbox")), in: tenant)
        trail.record(.mailboxAction(F.action(.SendAs, on: F.mailbox(tenant, "carol"), by: "bob", logonType: .Delegate,
                                             items: [F.message(1, folder: "\\Sent Items")])), in: tenant)
        #expect(trail.mailbox.map(\.operation) == [.SendAs])
        #expect(trail.unified.first?.auditData["LogonType"] == .int(2))
    }

    @Test func aBypassedAccountsActionsAreLoggedNowhere() {
        var tenant = F.tenant()
        F.updateMailbox(&tenant, "bob") { $0.auditBypassEnabled = true }
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.HardDelete, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
        trail.record(.mailboxAction(F.action(.SendAs, on: F.mailbox(tenant, "carol"), by: "bob", logonType: .Delegate,
                                             items: [F.message(2)])), in: tenant)
        trail.record(.mailboxAction(F.action(.MailItemsAccessed, on: F.mailbox(tenant, "carol"), by: "bob", logonType: .Delegate,
                                             items: [F.message(3)])), in: tenant)
        #expect(trail.mailbox.isEmpty)
        #expect(trail.unified.isEmpty)
        // Other accounts acting on bob's mailbox are still logged.
        trail.record(.mailboxAction(F.action(.HardDelete, on: F.mailbox(tenant, "bob"), by: "alice", logonType: .Admin,
                                             items: [F.message(4)])), in: tenant)
        #expect(trail.mailbox.count == 1)
    }

    @Test(arguments: [MailboxAuditOperations.MailItemsAccessed, .Send])
    func premiumActionsAreLoggedForE5MailboxesOnly(_ op: MailboxAuditOperations) {
        var e3 = F.tenant(tier: .E3)
        // Even added to the owner's set by hand, an E3 mailbox does not log them.
        F.updateMailbox(&e3, "bob") { $0.setAuditActions($0.auditOwner.union([op]), for: .Owner); $0.auditEnabled = true }
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(op, on: F.mailbox(e3, "bob"), items: [F.message(1)])), in: e3)
        #expect(trail.mailbox.isEmpty)
        let e5 = F.tenant(tier: .E5)
        trail.record(.mailboxAction(F.action(op, on: F.mailbox(e5, "bob"), items: [F.message(1)])), in: e5)
        #expect(trail.mailbox.map(\.operation) == [op])
        #expect(trail.unified.count == 1)
    }

    @Test func anE3MailboxReachesTheUnifiedLogOnlyWithAuditEnabledSet() {
        var tenant = F.tenant(tier: .E3)
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.SoftDelete, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
        #expect(trail.mailbox.count == 1)
        #expect(trail.unified.isEmpty)
        F.updateMailbox(&tenant, "bob") { $0.auditEnabled = true }
        trail.record(.mailboxAction(F.action(.SoftDelete, on: F.mailbox(tenant, "bob"), at: minutes(1), items: [F.message(2)])), in: tenant)
        #expect(trail.mailbox.count == 2)
        #expect(trail.unified.map(\.operation) == ["SoftDelete"])
    }

    @Test func mailboxAndUnifiedRecordsOfOneActionShareTheirId() throws {
        let tenant = F.tenant()
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.Update, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
        let entry = try #require(trail.mailbox.first)
        #expect(trail.unified.first?.id == entry.id)
        #expect(entry.operationResult == "Succeeded")
        #expect(entry.mailboxOwnerUPN == F.upn("bob"))
        #expect(entry.details["ItemSubject"] == .string("Invoice 1"))
        #expect(entry.details["DirtyProperties"] == .string("IsRead"))
    }

    // MARK: MailItemsAccessed

    func bind(_ n: Int, at time: Date, session: UUID = F.session, in tenant: Tenant, trail: inout AuditTrail) {
        trail.record(.mailboxAction(F.action(.MailItemsAccessed, on: F.mailbox(tenant, "bob"), at: time, items: [F.message(n)],
                                             session: session, accessType: "Bind")), in: tenant)
    }

    @Test func bindsWithinTwoMinutesAreOneRecordAndALaterBindStartsAnother() throws {
        let tenant = F.tenant()
        var trail = AuditTrail()
        bind(1, at: F.start, in: tenant, trail: &trail)
        bind(2, at: F.start.addingTimeInterval(30), in: tenant, trail: &trail)
        bind(3, at: F.start.addingTimeInterval(110), in: tenant, trail: &trail)
        #expect(trail.unified.count == 1)
        #expect(trail.mailbox.count == 1)
        let data = try #require(trail.unified.first).auditData
        #expect(data["OperationCount"] == .int(3))
        #expect(data["CreationTime"] == .string("2024-03-01T09:00:00"))
        let ids = data["Folders"]?.arrayValue?.first?.objectValue?["FolderItems"]?.arrayValue?
            .compactMap { $0.objectValue?["InternetMessageId"]?.stringValue }
        #expect(ids == ["<msg1@contoso.onmicrosoft.com>", "<msg2@contoso.onmicrosoft.com>", "<msg3@contoso.onmicrosoft.com>"])
        #expect(trail.mailbox.first?.details["AuditOperationsCountInAggregatedRecord"] == .int(3))

        bind(4, at: F.start.addingTimeInterval(125), in: tenant, trail: &trail)
        #expect(trail.unified.map { $0.auditData["OperationCount"] } == [.int(3), .int(1)])
    }

    @Test func anotherSessionIsAnotherRecordEvenWithinTheWindow() {
        let tenant = F.tenant()
        var trail = AuditTrail()
        bind(1, at: F.start, in: tenant, trail: &trail)
        bind(2, at: F.start.addingTimeInterval(10), session: UUID(), in: tenant, trail: &trail)
        #expect(trail.unified.count == 2)
    }

    @Test func aMessageBoundAgainWithinTheHourIsNotRecordedAgain() {
        let tenant = F.tenant()
        var trail = AuditTrail()
        bind(1, at: F.start, in: tenant, trail: &trail)
        bind(1, at: minutes(10), in: tenant, trail: &trail)
        #expect(trail.unified.count == 1)
        bind(1, at: minutes(61), in: tenant, trail: &trail)
        #expect(trail.unified.count == 2)
    }

    @Test func syncIsOneRecordPerFolderWithoutItems() throws {
        let tenant = F.tenant()
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.MailItemsAccessed, on: F.mailbox(tenant, "bob"),
                                             items: [F.message(1), F.message(2, folder: "\\Archive")], accessType: "Sync",
                                             client: "Client=MSExchangeRPC")), in: tenant)
        #expect(trail.unified.count == 2)
        let first = try #require(trail.unified.first).auditData
        #expect(first["OperationProperties"]?.arrayValue?.first?.objectValue?["Value"] == .string("Sync"))
        #expect(first["Folders"]?.arrayValue?.first?.objectValue?.keys == ["Id", "Path"])
        #expect(first["OperationCount"] == .int(1))
    }

    @Test func overAThousandRecordsInADayThrottleBindsForADay() throws {
        let tenant = F.tenant()
        var trail = AuditTrail()
        // Each bind in its own session is its own record.
        for n in 0..<1_001 {
            bind(n, at: F.start.addingTimeInterval(Double(n)), session: UUID(), in: tenant, trail: &trail)
        }
        #expect(trail.unified.count == 1_001)
        let throttledFlags = trail.unified.map { $0.auditData["OperationProperties"]?.arrayValue?.last?.objectValue?["Value"] }
        #expect(throttledFlags.dropLast().allSatisfy { $0 == .string("False") })
        #expect(throttledFlags.last == .string("True"))

        bind(5_000, at: minutes(30), session: UUID(), in: tenant, trail: &trail)
        bind(5_001, at: minutes(23 * 60), session: UUID(), in: tenant, trail: &trail)
        #expect(trail.unified.count == 1_001)
        #expect(trail.mailbox.count == 1_001)
        // Sync is not throttled.
        trail.record(.mailboxAction(F.action(.MailItemsAccessed, on: F.mailbox(tenant, "bob"), at: minutes(31), folder: "\\Inbox",
                                             accessType: "Sync")), in: tenant)
        #expect(trail.unified.count == 1_002)
        // A day after throttling began, binds are recorded again.
        bind(5_002, at: F.start.addingTimeInterval(1_000 + 86_400), session: UUID(), in: tenant, trail: &trail)
        #expect(trail.unified.count == 1_003)
    }

    @Test func throttlingCountsOnlyTheLastDay() {
        let tenant = F.tenant()
        var trail = AuditTrail()
        for n in 0..<1_000 { bind(n, at: F.start, session: UUID(), in: tenant, trail: &trail) }
        bind(9_999, at: F.start.addingTimeInterval(86_400), session: UUID(), in: tenant, trail: &trail)
        let flag = trail.unified.last?.auditData["OperationProperties"]?.arrayValue?.last?.objectValue?["Value"]
        #expect(flag == .string("False"))
    }

    // MARK: Directory changes

    @Test func oneChangesRecordsShareTheirRequestIds() throws {
        var trail = AuditTrail()
        for op in ["Update user.", "Disable Strong Authentication.", "Delete application password for user."] {
            trail.record(.directoryChange(F.directory(op)), in: F.tenant())
        }
        trail.record(.directoryChange(F.directory("Update user.", target: "bob", at: minutes(5))), in: F.tenant())
        let inter = trail.unified.map { $0.auditData["InterSystemsId"] }
        #expect(Set(inter.prefix(3)).count == 1)
        #expect(inter[3] != inter[0])
        #expect(Set(trail.unified.map(\.id)).count == 4)
        #expect(trail.unified.allSatisfy { $0.recordType == .AzureActiveDirectory })
    }

    // MARK: Retention

    @Test func anAgeLimitOfZeroDeletesEveryMailboxRecord() {
        var tenant = F.tenant()
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.SoftDelete, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
        trail.record(.mailboxAction(F.action(.SoftDelete, on: F.mailbox(tenant, "carol"), by: "carol", items: [F.message(2)])), in: tenant)
        F.updateMailbox(&tenant, "bob") { $0.auditLogAgeLimit = .zero }
        trail.expire(now: F.start, tenant: tenant)
        #expect(trail.mailbox.map(\.mailboxOwnerUPN) == [F.upn("carol")])
        // The unified log keeps its copy: it has its own retention. [EXCHANGE-FACTS 4.1]
        #expect(trail.unified.count == 2)
    }

    @Test func mailboxRecordsAgeOutAfterTheAgeLimitOnTheClock() {
        let tenant = F.tenant()
        var trail = AuditTrail()
        trail.record(.mailboxAction(F.action(.SoftDelete, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
        trail.expire(now: F.start.addingTimeInterval(89 * 86_400), tenant: tenant)
        #expect(trail.mailbox.count == 1)
        trail.expire(now: F.start.addingTimeInterval(90 * 86_400), tenant: tenant)
        #expect(trail.mailbox.isEmpty)
    }

    @Test(arguments: [(LicenseTier.E3, 180), (.E5, 365)])
    func unifiedRecordsAgeOutAfterTheLicencesRetention(_ tier: LicenseTier, _ days: Int) {
        let tenant = F.tenant(tier: tier)
        var trail = AuditTrail()
        trail.record(.signIn(F.signIn()), in: tenant)
        trail.expire(now: F.start.addingTimeInterval(Double(days - 1) * 86_400), tenant: tenant)
        #expect(trail.unified.count == 1)
        trail.expire(now: F.start.addingTimeInterval(Double(days) * 86_400), tenant: tenant)
        #expect(trail.unified.isEmpty)
        #expect(trail.signIns.count == 1)
    }

    // MARK: Determinism

    @Test func theSameSeedWritesTheSameRecords() {
        func run() -> AuditTrail {
            let tenant = F.tenant()
            var trail = AuditTrail(seed: 42)
            trail.record(.signIn(F.signIn()), in: tenant)
            trail.record(.adminCmdlet(F.cmdlet("Set-Mailbox", [("Identity", "bob")], objectId: "bob")), in: tenant)
            trail.record(.mailboxAction(F.action(.MailItemsAccessed, on: F.mailbox(tenant, "bob"), items: [F.message(1)])), in: tenant)
            trail.record(.directoryChange(F.directory("Update user.")), in: tenant)
            return trail
        }
        #expect(run() == run())
        #expect(run().unified.map(\.auditData.text) == run().unified.map(\.auditData.text))
    }
}
