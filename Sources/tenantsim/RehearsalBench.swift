import Foundation
import Rehearsal
import TenantModel

extension BenchCommand {
    /// Rehearsing a 25-rule plan on a 10,000-user generated tenant with 100,000 traffic rows:
    /// the plan checked and applied in a copy, every distinct attempt replayed before and
    /// after, changed cells explained, and the JSON report written (target under 2 s).
    func rehearsalBench() -> [BenchResult] {
        let tenant = TenantGenerator(.init(users: 10_000, seed: 7)).generate()
        let plan = RehearseBenchWorkload.plan(rules: 25)
        let traffic = RehearseBenchWorkload.traffic(rows: 100_000, tenant: tenant)
        let (report, seconds) = measure { () -> RehearsalReport in
            let report = Rehearsal.rehearse(plan: plan, planName: "bench.ps1", tenant: tenant, traffic: traffic).report
            _ = report.json()
            return report
        }
        return [BenchResult(name: "rehearse",
                            detail: "25-rule plan, 10,000 users, 100,000 traffic rows (\(report.distinctAttempts) distinct), \(report.summary.changedCells) changed cells, \(report.planErrors.count) plan errors, JSON report",
                            value: seconds, unit: "s", target: .atMost(2.0))]
    }
}
