import AccessControl
import Foundation
import Shell
import TenantModel

/// What `tenantsim rehearse` computes: the plan checked and applied in a copy, every attempt
/// replayed before and after, and the report.
public struct RehearsalResult: Sendable {
    public var report: RehearsalReport
    /// The tenant after the plan (a copy; the input tenant is untouched).
    public var after: Tenant
}

public enum Rehearsal {
    public static let exitOK = 0
    public static let exitLockout = 3
    public static let exitPlanErrors = 4

    // MARK: The plan

    /// Runs the plan statement by statement in a throwaway session on a copy of `tenant`,
    /// connected as the tenant's first global administrator, and collects every error with
    /// its line. A syntax error runs nothing. Returns the copy as the plan left it.
    public static func check(plan: String, tenant: Tenant) -> (errors: [RehearsalReport.PlanError], after: Tenant) {
        let lines = plan.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        func lineText(_ n: Int) -> String { n >= 1 && n <= lines.count ? lines[n - 1] : "" }
        let session = ShellSession(tenant: tenant, host: BufferHost())
        session.connectAsAdministrator()
        let interpreter = Interpreter(session: session)
        interpreter.rendersOutput = false
        let statements: [Statement]
        do {
            statements = try Parser.parse(plan)
        } catch {
            let line = error.span?.line ?? 1
            return ([.init(line: line, text: lineText(line), message: error.message, errorId: error.errorId)], tenant)
        }
        let chars = Array(plan)
        var errors: [RehearsalReport.PlanError] = []
        for statement in statements {
            let span = statement.span
            let text = String(chars[max(0, span.start)..<min(chars.count, max(span.start, span.end))])
            let result = interpreter.run(text)
            for error in result.errors {
                let line = span.line + max(0, (error.span?.line ?? 1) - 1)
                errors.append(.init(line: line, text: lineText(line), message: error.message, errorId: error.errorId))
            }
        }
        return (errors, session.tenant)
    }

    // MARK: Rehearsing

    /// Checks and applies `plan` in a copy of `tenant`, replays `traffic` (or the probe set)
    /// before and after, and reports.
    public static func rehearse(plan: String, planName: String = "plan", tenant before: Tenant, traffic: [TrafficRecord]? = nil) -> RehearsalResult {
        var clock = PhaseClock()
        let (planErrors, after) = check(plan: plan, tenant: before)
        clock.lap("check and apply the plan")
        let replay = traffic.map { TrafficProbes.replay($0, before: before, after: after) } ?? TrafficProbes.synthesize(before: before, after: after)
        clock.lap("build the attempts")
        var report = compare(before: before, after: after, replay: replay, clock: &clock)
        report.plan = planName
        report.planErrors = planErrors
        let locked = report.summary.lockedOutAdministrators
        report.exitCode = !planErrors.isEmpty ? exitPlanErrors : (!locked.isEmpty ? exitLockout : exitOK)
        report.verdict = !planErrors.isEmpty ? "planErrors" : (!locked.isEmpty ? "lockout" : "ok")
        return RehearsalResult(report: report, after: after)
    }

    /// Replays `replay` on both tenants and builds the report (plan fields left empty).
    public static func compare(before: Tenant, after: Tenant, replay: ReplaySet) -> RehearsalReport {
        var clock = PhaseClock()
        return compare(before: before, after: after, replay: replay, clock: &clock)
    }

    static func compare(before: Tenant, after: Tenant, replay: ReplaySet, clock: inout PhaseClock) -> RehearsalReport {
        let policyBefore = CompiledPolicy(before)
        let policyAfter = CompiledPolicy(after)
        let n = replay.attempts.count
        // The bulk replay: no explanations, both sides (and halves) on all cores.
        var outBefore = [AccessOutcome](repeating: .Denied, count: n)
        var outAfter = [AccessOutcome](repeating: .Denied, count: n)
        let chunks = 4
        outBefore.withUnsafeMutableBufferPointer { bp in
            outAfter.withUnsafeMutableBufferPointer { ap in
                nonisolated(unsafe) let b = bp
                nonisolated(unsafe) let a = ap
                DispatchQueue.concurrentPerform(iterations: 2 * chunks) { job in
                    let side = job % 2
                    let lo = n * (job / 2) / chunks, hi = n * (job / 2 + 1) / chunks
                    for i in lo..<hi {
                        if side == 0 {
                            b[i] = AccessEvaluator.evaluate(replay.attempts[i], in: before, policy: policyBefore, explain: false).decision.outcome
                        } else {
                            a[i] = AccessEvaluator.evaluate(replay.attempts[i], in: after, policy: policyAfter, explain: false).decision.outcome
                        }
                    }
                }
            }
        }
        clock.lap("replay before and after")
        // Cells: user × protocol.
        struct Acc { var allowedB = 0, allowedA = 0, quarB = 0, quarA = 0, total = 0; var members: [Int] = [] }
        let protocolCount = AccessProtocol.allCases.count
        let protocolIndex = Dictionary(uniqueKeysWithValues: AccessProtocol.allCases.enumerated().map { ($1, $0) })
        var userNumber: [String: Int] = [:]
        var userOrder: [String] = []
        var cellOf: [Int: Int] = [:]
        var cells: [Acc] = []
        var protocolsUsed = Set<AccessProtocol>()
        for i in 0..<n {
            let a = replay.attempts[i]
            let w = replay.weights[i]
            let u: Int
            if let known = userNumber[a.user] { u = known } else { u = userOrder.count; userNumber[a.user] = u; userOrder.append(a.user) }
            protocolsUsed.insert(a.accessProtocol)
            let key = u * protocolCount + protocolIndex[a.accessProtocol]!
            let c: Int
            if let existing = cellOf[key] { c = existing } else { c = cells.count; cellOf[key] = c; cells.append(Acc()) }
            cells[c].total += w
            switch outBefore[i] { case .Allowed: cells[c].allowedB += w; case .Quarantined: cells[c].quarB += w; case .Denied: break }
            switch outAfter[i] { case .Allowed: cells[c].allowedA += w; case .Quarantined: cells[c].quarA += w; case .Denied: break }
            cells[c].members.append(i)
        }
        let protocols = AccessProtocol.allCases.filter { protocolsUsed.contains($0) }
        func state(_ allowed: Int, _ quarantined: Int, _ total: Int) -> RehearsalReport.CellState {
            let outcome: String
            if allowed == total { outcome = "Allowed" } else if quarantined == total { outcome = "Quarantined" }
            else if allowed == 0 && quarantined == 0 { outcome = "Denied" } else { outcome = "Mixed" }
            return .init(outcome: outcome, allowed: allowed, total: total)
        }
        let sortedUsers = (0..<userOrder.count).map { (userOrder[$0].lowercased(), $0) }.sorted { $0.0 < $1.0 }.map(\.1)

        var matrix: [RehearsalReport.MatrixRow] = []
        var pending: [(user: String, proto: AccessProtocol, cell: Int, rep: Int)] = []
        var allowedBefore = 0, allowedAfter = 0, attempts = 0, losing = 0, gaining = 0, cellCount = 0
        for u in sortedUsers {
            let user = userOrder[u]
            var row = RehearsalReport.MatrixRow(user: user, cells: [])
            for p in protocols {
                guard let c = cellOf[u * protocolCount + protocolIndex[p]!] else { continue }
                let acc = cells[c]
                cellCount += 1
                let b = state(acc.allowedB, acc.quarB, acc.total)
                let a = state(acc.allowedA, acc.quarA, acc.total)
                allowedBefore += acc.allowedB
                allowedAfter += acc.allowedA
                attempts += acc.total
                let changed = b != a || acc.quarB != acc.quarA
                row.cells.append(.init(protocol: p.rawValue, before: b, after: a, changed: changed))
                guard changed else { continue }
                if acc.allowedA < acc.allowedB { losing += 1 }
                if acc.allowedA > acc.allowedB { gaining += 1 }
                // A representative attempt whose outcome differs, explained on both sides below.
                let rep = acc.members.first { outBefore[$0] != outAfter[$0] } ?? acc.members[0]
                pending.append((user, p, c, rep))
            }
            matrix.append(row)
        }
        // Only the changed cells are explained, on all cores.
        var explainedPairs = [(RehearsalReport.Verdict, RehearsalReport.Verdict)?](repeating: nil, count: pending.count)
        let work = pending.map(\.rep)
        explainedPairs.withUnsafeMutableBufferPointer { bp in
            nonisolated(unsafe) let out = bp
            let jobs = min(8, max(1, work.count))
            DispatchQueue.concurrentPerform(iterations: jobs) { job in
                for k in stride(from: job, to: work.count, by: jobs) {
                    let attempt = replay.attempts[work[k]]
                    out[k] = (explained(attempt, before, policyBefore), explained(attempt, after, policyAfter))
                }
            }
        }
        var changes: [RehearsalReport.CellChange] = []
        changes.reserveCapacity(pending.count)
        for (k, item) in pending.enumerated() {
            let acc = cells[item.cell]
            let attempt = replay.attempts[item.rep]
            let (vb, va) = explainedPairs[k]!
            let direction = acc.allowedA < acc.allowedB ? "lost" : (acc.allowedA > acc.allowedB ? "gained" : "changed")
            let decisive = va.outcome == "Allowed" && vb.outcome != "Allowed" ? vb : va
            let group = va.outcome == "Allowed" && vb.outcome != "Allowed"
                ? "No longer denied by \(vb.reason)\(vb.by.map { ": \($0)" } ?? "")"
                : "\(decisive.reason)\(decisive.by.map { ": \($0)" } ?? "")"
            changes.append(.init(user: item.user, protocol: item.proto.rawValue, clientIP: attempt.clientIP, authentication: attempt.authentication.rawValue,
                                 before: vb, after: va, direction: direction, group: group,
                                 allowedBefore: acc.allowedB, allowedAfter: acc.allowedA, attempts: acc.total))
        }

        clock.lap("matrix and explained changes")
        // Administrators' reachability of RemotePowerShell and the admin center.
        let adminLocations = replay.locations
        let known = Set(replay.knownLocations)
        var admins: [RehearsalReport.AdminReachability] = []
        let time = before.now.addingTimeInterval(60)
        for user in before.users where TrafficProbes.isAdministrator(user) {
            var paths: [RehearsalReport.AdminPath] = []
            var reachB = false, reachA = false
            for ip in adminLocations {
                for p in [AccessProtocol.RemotePowerShell, .ExchangeAdminCenter] {
                    let attempt = AccessAttempt(user: user.userPrincipalName, accessProtocol: p, clientIP: ip, authentication: .OAuthAuthentication,
                                                password: user.password, mfaCompleted: true, time: time)
                    let db = AccessEvaluator.evaluate(attempt, in: before, policy: policyBefore, explain: false).decision
                    let da = AccessEvaluator.evaluate(attempt, in: after, policy: policyAfter, explain: false).decision
                    if known.contains(ip) {
                        reachB = reachB || db.outcome == .Allowed
                        reachA = reachA || da.outcome == .Allowed
                    }
                    paths.append(.init(location: ip, protocol: p.rawValue, known: known.contains(ip), before: verdict(db), after: verdict(da)))
                }
            }
            admins.append(.init(user: user.userPrincipalName, roles: user.adminRoles.filter { DirectoryRole.exchangeAdminRoles.contains($0) },
                                paths: paths, reachableBefore: reachB, reachableAfter: reachA, lockedOut: reachB && !reachA))
        }

        clock.lap("administrators")
        // ActiveSync devices: the next sync from outside, before and after.
        var devices: [RehearsalReport.DeviceChange] = []
        var usersById: [UUID: Int] = [:]
        if !before.mobileDevices.isEmpty { for (i, u) in before.users.enumerated() { usersById[u.objectId] = i } }
        for d in before.mobileDevices {
            guard let box = before.mailbox(guid: d.mailboxGuid), let ui = box.userObjectId.flatMap({ usersById[$0] }) else { continue }
            let owner = before.users[ui]
            let attempt = AccessAttempt(user: owner.userPrincipalName, accessProtocol: .ExchangeActiveSync, clientIP: TrafficProbes.outsideAddress,
                                        password: owner.password, userAgent: d.deviceUserAgent, device: TrafficProbes.deviceInfo(d), time: time)
            let db = AccessEvaluator.evaluate(attempt, in: before, policy: policyBefore, explain: false).decision
            let da = AccessEvaluator.evaluate(attempt, in: after, policy: policyAfter, explain: false).decision
            guard db.outcome != da.outcome || db.reason != da.reason || db.by != da.by else { continue }
            devices.append(.init(user: owner.userPrincipalName, deviceId: d.deviceId, deviceType: d.deviceType, deviceModel: d.deviceModel,
                                 before: explained(attempt, before, policyBefore), after: explained(attempt, after, policyAfter),
                                 pathBefore: DevicePath.steps(attempt, tenant: before, policy: policyBefore, decision: db),
                                 pathAfter: DevicePath.steps(attempt, tenant: after, policy: policyAfter, decision: da)))
        }

        clock.lap("devices")
        // MFA gaps: legacy sign-ins still allowed with the password alone after the change.
        var gapProtocols: [String: Set<AccessProtocol>] = [:]
        var gapState: [String: String] = [:]
        for i in 0..<n where replay.attempts[i].isLegacyAuthentication && outAfter[i] == .Allowed {
            let a = replay.attempts[i]
            guard let u = after.user(upn: a.user), u.strongAuthenticationState != .Enforced else { continue }
            gapProtocols[u.userPrincipalName, default: []].insert(a.accessProtocol)
            gapState[u.userPrincipalName] = u.strongAuthenticationState.rawValue
        }
        let gaps = gapProtocols.keys.sorted { $0.lowercased() < $1.lowercased() }.map { upn in
            RehearsalReport.MfaGap(user: upn, mfaState: gapState[upn] ?? "Disabled",
                                   protocols: AccessProtocol.allCases.filter { gapProtocols[upn]!.contains($0) }.map(\.rawValue))
        }

        clock.lap("MFA gaps")
        let locked = admins.filter(\.lockedOut).map(\.user)
        let summary = RehearsalReport.Summary(users: userOrder.count, cells: cellCount, changedCells: changes.count, allowedBefore: allowedBefore,
                                              allowedAfter: allowedAfter, attempts: attempts, cellsLosingAccess: losing, cellsGainingAccess: gaining,
                                              devicesChanged: devices.count, usersWithMfaGaps: gaps.count, lockedOutAdministrators: locked)
        return RehearsalReport(tenant: before.info.initialDomain, plan: "plan", attemptSource: replay.source, attemptRows: replay.rows,
                               distinctAttempts: n, unmappedRows: replay.unmapped, exitCode: 0, verdict: "ok", planErrors: [],
                               summary: summary, protocols: protocols.map(\.rawValue), matrix: matrix, changes: changes,
                               administrators: admins, devices: devices, mfaGaps: gaps, locations: adminLocations,
                               knownLocations: replay.knownLocations)
    }

    static func verdict(_ d: AccessDecision) -> RehearsalReport.Verdict {
        .init(outcome: d.outcome.rawValue, reason: d.reason, by: d.by, detail: nil)
    }

    /// The decision with its deciding stage's sentence.
    static func explained(_ attempt: AccessAttempt, _ tenant: Tenant, _ policy: CompiledPolicy) -> RehearsalReport.Verdict {
        let d = AccessEvaluator.evaluate(attempt, in: tenant, policy: policy, explain: true).decision
        var by = d.by
        // An allowing client access rule decides an Allowed too: name it.
        let carStage = d.trace.first { $0.stage == .clientAccessRules }
        if d.outcome == .Allowed, let s = carStage, s.detail.contains("allows access (AllowAccess)"),
           let name = s.detail.split(separator: "\"").dropFirst().first {
            by = String(name)
        }
        let detail = d.trace.last { $0.result == .decided }?.detail ?? (d.outcome == .Allowed ? carStage?.detail ?? d.trace.last?.detail : d.trace.last?.detail)
        return .init(outcome: d.outcome.rawValue, reason: d.reason, by: by, detail: detail)
    }
}

/// The path an ActiveSync attempt takes: sign-in → client access rules → ActiveSync switch
/// → blocked list → allowed list → device rules → default access level → mobile policy.
public enum DevicePath {
    public static let steps = ["Sign-in", "Client access rules", "ActiveSync switch", "Blocked device IDs", "Allowed device IDs",
                               "Device access rules", "Default access level", "Mobile device policy"]

    static func steps(_ attempt: AccessAttempt, tenant: Tenant, policy: CompiledPolicy, decision: AccessDecision) -> [RehearsalReport.PathStep] {
        var results = Array(repeating: ("notReached", ""), count: steps.count)
        func mark(_ upTo: Int, decided note: String, skip: Set<Int> = [], result: String = "decided") {
            for i in 0..<upTo { results[i] = skip.contains(i) ? ("skipped", "") : ("passed", "") }
            results[upTo] = (result, note)
        }
        let entra: Set<String> = ["BasicAuthBlocked", "UserNotFound", "AccountDisabled", "AccountLocked", "InvalidCredentials",
                                  "MfaRequired", "MfaRegistrationRequired", "AppPasswordRequired"]
        if entra.contains(decision.reason) { mark(0, decided: "\(decision.outcome.rawValue): \(decision.reason)") }
        else if decision.reason == "ClientAccessRule" { mark(1, decided: "Denied by \(decision.by ?? "a rule")") }
        else if decision.reason == "ProtocolDisabled" { mark(2, decided: "Denied: \(decision.by ?? "switch")") }
        else if let user = tenant.user(upn: attempt.user), let box = tenant.mailboxIndex(ofUser: user).map({ tenant.mailboxes[$0] }) {
            let flow = ActiveSyncDeviceFlow.evaluate(attempt, user: user, mailbox: box, tenant: tenant, policy: policy,
                                                     now: attempt.time ?? tenant.now)
            var device: MobileDevice? = nil
            for case .devicePartnership(let m) in flow.changes { device = m }
            let state = device?.deviceAccessState.rawValue ?? decision.outcome.rawValue
            let reason = device?.deviceAccessStateReason.rawValue ?? decision.reason
            let text = flow.report.detail
            let policyStep = 7
            switch reason {
            case "Individual":
                if state == "Blocked" { mark(3, decided: "Blocked · Individual") }
                else { mark(4, decided: "Allowed · Individual"); results[5] = ("skipped", ""); results[6] = ("skipped", "")
                       results[policyStep] = ("passed", device?.devicePolicyApplied ?? "") }
            case "DeviceRule":
                mark(5, decided: "\(state) · \(device?.deviceAccessControlRule ?? decision.by ?? "DeviceRule")")
                if state == "Allowed" { results[policyStep] = ("passed", device?.devicePolicyApplied ?? ""); results[6] = ("skipped", "") }
            case "Global":
                mark(6, decided: "\(state) · Global")
                if state == "Allowed" { results[policyStep] = ("passed", device?.devicePolicyApplied ?? "") }
            case "Policy":
                if text.contains("ActiveSyncAllowedDeviceIDs") { mark(4, decided: "Allowed · Individual", result: "passed"); results[5] = ("skipped", ""); results[6] = ("skipped", "") }
                else if text.contains("matches the rule") { mark(5, decided: "Allowed by a rule", result: "passed"); results[6] = ("skipped", "") }
                else { mark(6, decided: "Allowed · Global", result: "passed") }
                results[policyStep] = ("decided", "Blocked · Policy (EAS 141)")
            default:
                mark(5, decided: "\(state) (\(reason))")
            }
        }
        return zip(steps, results).map { .init(step: $0, result: $1.0, note: $1.1) }
    }
}

/// Phase timings on standard error when REHEARSAL_PHASES is set (for tuning).
struct PhaseClock {
    let enabled = ProcessInfo.processInfo.environment["REHEARSAL_PHASES"] != nil
    var last = Date()

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data("  \(name): \(String(format: "%.3f", now.timeIntervalSince(last))) s\n".utf8))
        last = now
    }
}
