import Foundation
import Scenarios
import TenantModel
import TenantStore
import Testing

/// The `rehearse` step: a lockdown plan rehearsed on a copy of the scenario's tenant.
@Suite struct RehearseStepTests {
    static let lockout = """
        scenario: A plan that locks the admins out
        description: The paper's restricting rule without an allow rule first.
        tenant: brittest
        steps:
          - rehearse:
              plan: |
                New-ClientAccessRule -Name Restrict -Action DenyAccess -AnyOfProtocols RemotePowerShell,ExchangeAdminCenter -ExceptAnyOfClientIPAddressesOrRanges 255.255.255.0/24
            expect: {exit: EXIT}
          - run: Get-ClientAccessRule
            expect: {count: 0}
        """

    @Test func aLockoutIsCaughtAndTheTenantIsUntouched() throws {
        let dir = try ScenarioRunnerTests.write(["s.yaml": Self.lockout.replacingOccurrences(of: "EXIT", with: "3")])
        let suite = ScenarioRunnerTests.run(dir)
        #expect(suite.results.count == 1)
        #expect(suite.results.filter { !$0.passed }.isEmpty)
    }

    @Test func aWrongExpectationNamesTheLineAndWhatTheReportSaid() throws {
        let dir = try ScenarioRunnerTests.write(["s.yaml": Self.lockout.replacingOccurrences(of: "EXIT", with: "0")])
        let suite = ScenarioRunnerTests.run(dir)
        let result = try #require(suite.results.first)
        #expect(!result.passed)
        let message = (result.failure?.expected ?? "") + " | " + (result.failure?.seen ?? "")
        #expect(message.contains("exit 3"), "\(message)")
        #expect(message.contains("britton@brittest.onmicrosoft.com"), "\(message)")
    }

    @Test func aRehearseStepNeedsAPlan() throws {
        let dir = try ScenarioRunnerTests.write(["s.yaml": """
            scenario: No plan
            description: A rehearse step without its plan.
            tenant: brittest
            steps:
              - rehearse: {}
            """])
        let suite = ScenarioRunnerTests.run(dir)
        #expect(suite.badInput.first?.error.message.contains("plan") == true, "\(suite.badInput)")
    }
}
