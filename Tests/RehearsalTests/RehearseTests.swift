import AccessControl
import Foundation
import Testing
import TenantModel
import TenantStore
@testable import Rehearsal

/// The white paper's client access rule plans, plan errors, the matrix and the JSON format.
@Suite struct RehearseTests {
    static let restrict = "New-ClientAccessRule -Name Restrict_AdminCenter_And_Services -Action DenyAccess -AnyOfProtocols ExchangeAdminCenter,ExchangeWebServices,PowerShellWebServices,RemotePowerShell –ExceptAnyOfClientIPAddressesOrRanges 255.255.255.0/24"
    static let allowAdmin = "New-ClientAccessRule -Name AllowAdminWorkstation -Action AllowAccess -AnyOfProtocols RemotePowerShell,ExchangeAdminCenter -AnyOfClientIPAddressesOrRanges 198.51.100.10 -Priority 1"

    static func brittest() throws -> Tenant { try TenantSource.loadFixture("brittest") }

    @Test func paperPlanLocksTheAdminOut() throws {
        let tenant = try Self.brittest()
        let result = Rehearsal.rehearse(plan: Self.restrict + "\n", tenant: tenant)
        let r = result.report
        #expect(r.planErrors.isEmpty)
        #expect(r.exitCode == Rehearsal.exitLockout)
        #expect(r.verdict == "lockout")
        #expect(r.summary.lockedOutAdministrators.contains("britton@brittest.onmicrosoft.com"))
        let britton = try #require(r.administrators.first { $0.user == "britton@brittest.onmicrosoft.com" })
        #expect(britton.reachableBefore && !britton.reachableAfter && britton.lockedOut)
        // The range the plan names is probed, but doesn't count as a place the admin is.
        let planOnly = try #require(britton.paths.first { $0.location == "255.255.255.0" && $0.protocol == "RemotePowerShell" })
        #expect(!planOnly.known)
        #expect(planOnly.after.outcome == "Allowed")
        // The real tenant is untouched; the copy has the rule.
        #expect(tenant.clientAccessRules.isEmpty)
        #expect(result.after.clientAccessRules.map(\.name) == ["Restrict_AdminCenter_And_Services"])
        #expect(r.human().contains("LOCKOUT"))
    }

    @Test func allowingTheAdminFirstIsSafe() throws {
        let tenant = try Self.brittest()
        let r = Rehearsal.rehearse(plan: Self.allowAdmin + "\n" + Self.restrict + "\n", tenant: tenant).report
        #expect(r.planErrors.isEmpty)
        #expect(r.exitCode == Rehearsal.exitOK)
        #expect(r.summary.lockedOutAdministrators.isEmpty)
        let britton = try #require(r.administrators.first { $0.user == "britton@brittest.onmicrosoft.com" })
        #expect(britton.reachableAfter)
        let fromOutside = try #require(britton.paths.first { $0.location == TrafficProbes.outsideAddress && $0.protocol == "RemotePowerShell" })
        #expect(fromOutside.after.outcome == "Denied")
        #expect(fromOutside.after.by == "Restrict_AdminCenter_And_Services")
        // Everyone's EWS from outside is lost, by the Restrict rule.
        let ews = r.changes.filter { $0.protocol == "ExchangeWebServices" }
        #expect(ews.count == r.summary.users - r.matrix.filter { !$0.cells.contains { $0.protocol == "ExchangeWebServices" } }.count)
        #expect(ews.allSatisfy { $0.after.by == "Restrict_AdminCenter_And_Services" && $0.direction == "lost" })
        #expect(ews.allSatisfy { $0.group == "ClientAccessRule: Restrict_AdminCenter_And_Services" })
    }

    @Test func planErrorsAreFoundAndNothingIsApplied() throws {
        let tenant = try Self.brittest()
        let plan = """
        # the white paper's rule, as printed
        New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess -AnyOfProtocols RemotePowerShell -Priority 1
        New-ClientAccessRule -Name “Deny_Non_Company_IPs_Except_for_ActiveSync” -Action Deny -ExceptAnyOfProtocols ExchangeActiveSync -Priority 2 -ExceptAnyOfClientIPAddressesOrRanges 255.255.255.255

        """
        let result = Rehearsal.rehearse(plan: plan, tenant: tenant)
        let r = result.report
        #expect(r.exitCode == Rehearsal.exitPlanErrors)
        #expect(r.verdict == "planErrors")
        #expect(r.planErrors.count == 1)
        let e = try #require(r.planErrors.first)
        #expect(e.line == 3)
        #expect(e.text.contains("-Action Deny"))
        #expect(e.errorId.hasPrefix("ParameterArgumentTransformationError"))
        #expect(tenant.clientAccessRules.isEmpty)
        #expect(!result.after.clientAccessRules.contains { $0.name.contains("Deny_Non_Company") })
    }

    @Test func syntaxErrorRunsNothing() throws {
        let tenant = try Self.brittest()
        let r = Rehearsal.rehearse(plan: Self.allowAdmin + "\nSet-CASMailbox -Identity \"adele@brittest.onmicrosoft.com -ImapEnabled $false\n", tenant: tenant)
        #expect(r.report.exitCode == Rehearsal.exitPlanErrors)
        #expect(r.after.clientAccessRules.isEmpty)
    }

    /// A protocol switch and a blocked device on the small fixture: exactly those cells change,
    /// with the switch and the list as the reason.
    @Test func matrixAndChanges() throws {
        let tenant = try Self.brittest()
        let plan = """
        Set-CASMailbox -Identity adele@brittest.onmicrosoft.com -ImapEnabled $false
        Set-CASMailbox -ActiveSyncBlockedDeviceIDs ApplF17XQ1NZ0D5 -Identity britton@brittest.onmicrosoft.com
        """
        let r = Rehearsal.rehearse(plan: plan, tenant: tenant).report
        #expect(r.exitCode == 0)
        #expect(r.planErrors.isEmpty)
        let changed = Set(r.changes.map { "\($0.user) \($0.protocol)" })
        #expect(changed == ["adele@brittest.onmicrosoft.com IMAP4", "britton@brittest.onmicrosoft.com ExchangeActiveSync"])
        let imap = try #require(r.changes.first { $0.protocol == "IMAP4" })
        #expect(imap.before.outcome == "Allowed")
        #expect(imap.after.outcome == "Denied")
        #expect(imap.after.reason == "ProtocolDisabled")
        #expect(imap.after.by == "ImapEnabled")
        #expect(imap.allowedAfter == 0 && imap.allowedBefore == imap.attempts)
        let row = try #require(r.matrix.first { $0.user == "adele@brittest.onmicrosoft.com" })
        let cell = try #require(row.cells.first { $0.protocol == "IMAP4" })
        #expect(cell.changed && cell.before.outcome == "Allowed" && cell.after.outcome == "Denied")
        #expect(row.cells.filter(\.changed).count == 1)
        // The blocked device: Allowed → Denied by the blocked list, and its path says so.
        #expect(r.devices.count == 1)
        let device = try #require(r.devices.first)
        #expect(device.deviceId == "ApplF17XQ1NZ0D5")
        #expect(device.after.by == "ActiveSyncBlockedDeviceIDs")
        #expect(device.pathAfter.first { $0.result == "decided" }?.step == "Blocked device IDs")
        #expect(device.pathBefore.first { $0.result == "decided" }?.step == "Default access level")
        // Adele no longer has IMAP as an MFA gap; she still has POP3.
        let gap = try #require(r.mfaGaps.first { $0.user == "adele@brittest.onmicrosoft.com" })
        #expect(!gap.protocols.contains("IMAP4"))
        #expect(gap.protocols.contains("POP3"))
    }

    @Test func jsonFieldNamesAreStable() throws {
        let r = Rehearsal.rehearse(plan: Self.restrict, tenant: try Self.brittest()).report
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["formatVersion", "tenant", "plan", "attemptSource", "attemptRows", "distinctAttempts", "unmappedRows",
                                     "exitCode", "verdict", "planErrors", "summary", "protocols", "matrix", "changes", "administrators",
                                     "devices", "mfaGaps", "locations", "knownLocations"])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(Set(summary.keys) == ["users", "cells", "changedCells", "allowedBefore", "allowedAfter", "attempts", "cellsLosingAccess",
                                      "cellsGainingAccess", "devicesChanged", "usersWithMfaGaps", "lockedOutAdministrators"])
        let change = try #require((object["changes"] as? [[String: Any]])?.first)
        #expect(Set(change.keys) == ["user", "protocol", "clientIP", "authentication", "before", "after", "direction", "group",
                                     "allowedBefore", "allowedAfter", "attempts"])
        let cell = try #require(((object["matrix"] as? [[String: Any]])?.first?["cells"] as? [[String: Any]])?.first)
        #expect(Set(cell.keys) == ["protocol", "before", "after", "changed"])
        // Same input, same bytes.
        let again = Rehearsal.rehearse(plan: Self.restrict, tenant: try Self.brittest()).report
        #expect(again.json() == r.json())
        #expect(try JSONDecoder().decode(RehearsalReport.self, from: Data(r.json().utf8)) == r)
    }

    @Test func trafficReplayDecidesOnConfiguration() throws {
        let tenant = try Self.brittest()
        let records = try TrafficReader.read(data: Data(TrafficReaderTests.entraSample.utf8))
        let r = Rehearsal.rehearse(plan: Self.restrict, tenant: tenant, traffic: records).report
        #expect(r.attemptSource == "traffic")
        #expect(r.attemptRows == 6)
        #expect(r.unmappedRows == 1)
        // Adele's IMAP failed in production (a wrong password) but the replay uses her real one.
        let adele = try #require(r.matrix.first { $0.user == "adele@brittest.onmicrosoft.com" })
        #expect(adele.cells.first { $0.protocol == "IMAP4" }?.before.outcome == "Allowed")
        // Britton's PowerShell from the workstation is denied after: the traffic shows where he is.
        #expect(r.changes.contains { $0.user == "britton@brittest.onmicrosoft.com" && $0.protocol == "RemotePowerShell" })
        #expect(r.knownLocations.contains("198.51.100.10"))
        #expect(r.exitCode == Rehearsal.exitLockout)
    }
}

/// The bench's workload, scaled down: the plan runs cleanly and the replay covers every row.
@Suite struct RehearseBenchWorkloadTests {
    @Test func workloadIsClean() {
        let tenant = TenantGenerator(.init(users: 500, seed: 7)).generate()
        let plan = RehearseBenchWorkload.plan(rules: 25)
        #expect(plan.split(separator: "\n").count == 25)
        let traffic = RehearseBenchWorkload.traffic(rows: 5_000, tenant: tenant)
        let start = Date()
        let result = Rehearsal.rehearse(plan: plan, tenant: tenant, traffic: traffic)
        let r = result.report
        #expect(r.planErrors.isEmpty, "\(r.planErrors)")
        #expect(result.after.clientAccessRules.count == 20)
        #expect(result.after.deviceAccessRules.count == 5)
        #expect(r.attemptRows == 5_000)
        #expect(r.unmappedRows == 0)
        #expect(r.summary.attempts == 5_000)
        #expect(r.summary.changedCells > 0)
        #expect(r.exitCode == Rehearsal.exitOK)
        print("rehearse workload (500 users, 5,000 rows, debug): \(Date().timeIntervalSince(start)) s, \(r.distinctAttempts) distinct")
    }
}
