import Foundation
import Rehearsal
import TenantModel

extension BenchCommand {
    /// Rehearsing a 25-rule plan (20 client access rules, Exchange Online's limit, and 5
    /// device access rules) on a 10,000-user generated tenant with 100,000 traffic rows: the
    /// plan checked and applied in a copy, every distinct attempt replayed before and after,
    /// changed cells and devices explained (target under 2 s). Then the JSON report of it.
    func rehearsalBench() -> [BenchResult] {
        let tenant = TenantGenerator(.init(users: 10_000, seed: 7)).generate()
        let plan = RehearseBenchWorkload.plan(rules: 25)
        let traffic = RehearseBenchWorkload.traffic(rows: 100_000, tenant: tenant)
        let (report, seconds) = measure {
            Rehearsal.rehearse(plan: plan, planName: "bench.ps1", tenant: tenant, traffic: traffic).report
        }
        let (json, jsonSeconds) = measure { report.json() }
        return [BenchResult(name: "rehearse",
                            detail: "25-rule plan, 10,000 users, 100,000 traffic rows (\(report.distinctAttempts) distinct), \(report.summary.changedCells) changed cells, \(report.summary.devicesChanged) devices changed, \(report.planErrors.count) plan errors",
                            value: seconds, unit: "s", target: .atMost(2.0)),
                BenchResult(name: "rehearse_json", detail: "the JSON report of that rehearsal (\(json.utf8.count / 1_048_576) MiB)",
                            value: jsonSeconds, unit: "s", target: nil)]
    }
}
