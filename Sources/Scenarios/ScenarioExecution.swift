import AccessControl
import Rehearsal
import AuditLog
import Foundation
import Shell
import TenantModel

/// Runs one scenario's steps against its own copy of the tenant: a shell session connected
/// as the fixture's first global administrator, the clock set to `start`, an audit trail
/// seeded from `seed`. Sign-ins go through the access evaluator with a compiled policy kept
/// until the tenant's access configuration changes; their state changes are applied and
/// their events recorded, exactly as a front end does. Not shared between threads: each
/// scenario has its own.
final class ScenarioExecution: AttackEnvironment {
    let scenario: Scenario
    let session: ShellSession
    let interpreter: Interpreter
    let verbose: Bool
    private(set) var log: [String] = []
    private var compiled: (revision: Int, policy: CompiledPolicy)?
    private var rng: IdentifierGenerator
    private var wrongPasswords = 0
    /// Attacks make many attempts whose traces nobody reads unless `--verbose`.
    private var inAttack = false
    private let scratch: String

    init(scenario: Scenario, tenant: Tenant, policy: (revision: Int, policy: CompiledPolicy)?, verbose: Bool) {
        self.scenario = scenario
        self.verbose = verbose
        var t = tenant
        if let start = scenario.start { t.clock = SimClock(now: start) }
        // Files a step writes (Export-Csv) go to a scratch folder, never into the repository.
        scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("tenantsim-scenario-\(UUID().uuidString)")
        // The connection cmdlets sign in through the access pipeline, as a `signin` step does.
        session = ShellSession(tenant: t, host: BufferHost(), authenticator: PipelineAuthenticator(), workingDirectory: scratch)
        session.audit = AuditTrail(seed: scenario.seed)
        session.connectAsAdministrator()
        interpreter = Interpreter(session: session)
        interpreter.rendersOutput = false
        rng = IdentifierGenerator(seed: scenario.seed ^ 0xA77A_C4E5)
        if let policy, policy.revision == t.policyRevision { compiled = policy }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    var tenant: Tenant { session.tenant }

    // MARK: Running

    /// Runs the steps in order; stops at the first unmet expectation.
    func run() -> ScenarioResult {
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let started = DispatchTime.now().uptimeNanoseconds
        var failure: StepFailure?
        var ran = 0
        for step in scenario.steps {
            ran += 1
            if let f = perform(step) {
                failure = f
                break
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return ScenarioResult(file: scenario.file, title: scenario.title, tags: scenario.tags, topic: scenario.topic,
                              status: failure == nil ? .passed : .failed, seconds: seconds, stepsRun: ran,
                              stepCount: scenario.steps.count, failure: failure, log: log, endedAt: session.tenant.now)
    }

    func perform(_ step: Step) -> StepFailure? {
        func fail(_ what: String, expected: String, seen: String) -> StepFailure {
            StepFailure(location: step.location, includedFrom: step.includedFrom, step: step.name.map { "\(what) (\($0))" } ?? what,
                        expected: expected, seen: seen)
        }
        switch step.action {
        case .run(let spec):
            let what = "run " + Self.firstLine(spec.script) + (spec.user.map { " as \($0)" } ?? "")
            if let user = spec.user, session.tenant.user(upn: user) == nil {
                return fail(what, expected: "to run as \(user)", seen: "there is no user \(user) in the tenant")
            }
            let before = session.tenant
            let result = run(spec.script, as: spec.user)
            note("L\(step.location.line) \(what): \(result.output.count) objects, \(result.errors.count) errors")
            var expectation = RunExpectation()
            expectation.ok = true
            if case .run(let e)? = step.expectation { expectation = e }
            if let problem = RunChecks.check(expectation, result: result, script: spec.script, before: before, after: session.tenant) {
                return fail(what, expected: problem.expected, seen: problem.seen)
            }
        case .signIn(let spec):
            let what = "signin \(spec.user) over \(spec.client.accessProtocol.rawValue) from \(spec.client.from)"
            if let problem = missingAppPassword(spec) { return fail(what, expected: "an app password for \(spec.user)", seen: problem) }
            let decision = signIn(user: spec.user, password: spec.password, client: spec.client)
            note("L\(step.location.line) \(what) → \(Self.describe(decision))", trace: decision)
            if case .decision(let e)? = step.expectation, let problem = DecisionChecks.check(e, decision) {
                return fail(what, expected: problem, seen: Self.describe(decision) + "\n" + decision.explanation)
            }
        case .act(let spec):
            let s = spec.signIn
            let what = "act \(spec.action.rawValue) by \(s.user)\(spec.mailbox.map { " on \($0)" } ?? "") via \(s.client.accessProtocol.rawValue)"
            if let problem = missingAppPassword(s) { return fail(what, expected: "an app password for \(s.user)", seen: problem) }
            let decision = act(user: s.user, password: s.password, client: s.client, action: spec.action, mailbox: spec.mailbox,
                               params: spec.params, compliantDevice: spec.compliantDevice)
            note("L\(step.location.line) \(what) → \(Self.describe(decision))", trace: decision)
            if case .decision(let e)? = step.expectation, let problem = DecisionChecks.check(e, decision) {
                return fail(what, expected: problem, seen: Self.describe(decision) + "\n" + decision.explanation)
            }
        case .attack(let spec):
            let what = "attack \(spec.kind)"
            inAttack = true
            let report = spec.attack.run(in: self)
            inAttack = false
            session.audit.expire(now: session.tenant.now, tenant: session.tenant)
            note("L\(step.location.line) \(what): " + report.summary.replacingOccurrences(of: "\n", with: "\n    "))
            if case .attack(let e)? = step.expectation, let problem = AttackChecks.check(e, report) {
                return fail(what, expected: problem, seen: report.summary)
            }
        case .wait(let spec):
            pause(spec.seconds)
            session.audit.expire(now: session.tenant.now, tenant: session.tenant)
            note("L\(step.location.line) wait \(spec.text) → \(ISO8601.format(session.tenant.now))")
        case .rehearse(let spec):
            let result = Rehearsal.rehearse(plan: spec.plan, planName: "step at line \(step.location.line)", tenant: session.tenant)
            let r = result.report
            let seen = "exit \(r.exitCode) (\(r.verdict)), locked out [\(r.summary.lockedOutAdministrators.joined(separator: ", "))], \(r.planErrors.count) plan errors, \(r.summary.changedCells) changed cells, \(r.summary.devicesChanged) devices changed"
            note("L\(step.location.line) rehearse → \(seen)")
            if case .rehearse(let e)? = step.expectation {
                var problems: [String] = []
                if let exit = e.exit, exit != r.exitCode { problems.append("exit \(exit)") }
                if let upns = e.lockedOut,
                   Set(upns.map { $0.lowercased() }) != Set(r.summary.lockedOutAdministrators.map { $0.lowercased() }) {
                    problems.append("locked out [\(upns.joined(separator: ", "))]")
                }
                if let n = e.planErrors, n != r.planErrors.count { problems.append("\(n) plan errors") }
                if let n = e.changed, n != r.summary.changedCells { problems.append("\(n) changed cells") }
                if let n = e.devicesChanged, n != r.summary.devicesChanged { problems.append("\(n) devices changed") }
                if !problems.isEmpty {
                    let errors = r.planErrors.map { "line \($0.line): \($0.message)" }.joined(separator: "\n")
                    return fail("rehearse", expected: problems.joined(separator: ", "), seen: seen + (errors.isEmpty ? "" : "\n" + errors))
                }
            }
        case .logs(let query):
            let search = LogSearch(query)
            let entries = search.entries(in: session.audit, tenant: session.tenant)
            let matching = entries.filter(search.matches)
            let what = "logs \(query.source.rawValue) where " + (query.conditions.isEmpty ? "(any record)"
                : query.conditions.map { "\($0.field)=\($0.patterns.joined(separator: "|"))" }.joined(separator: ", "))
            note("L\(step.location.line) \(what): \(matching.count) of \(entries.count) records")
            if case .logs(let e)? = step.expectation, !e.accepts(matching.count) {
                return fail(what, expected: "\(e) matching records", seen: LogChecks.seen(search, entries: entries, matching: matching))
            }
        }
        return nil
    }

    private func note(_ line: String, trace decision: AccessDecision? = nil) {
        guard verbose else { return }
        log.append(line)
        if let decision { log += decision.trace.map { "    \($0.stage.rawValue): \($0.result.rawValue) — \($0.detail)" } }
    }

    static func firstLine(_ script: String) -> String {
        let line = script.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let more = script.trimmingCharacters(in: .whitespacesAndNewlines).contains("\n")
        return (trimmed.count > 70 ? String(trimmed.prefix(67)) + "..." : trimmed) + (more ? " …" : "")
    }

    static func describe(_ d: AccessDecision) -> String {
        var text = "\(d.outcome.rawValue) (reason \(d.reason)"
        if let by = d.by { text += ", by \(by)" }
        if let code = d.code { text += ", code \(code)" }
        return text + ")"
    }

    private func missingAppPassword(_ spec: SignInSpec) -> String? {
        guard spec.password == .appPassword, let user = session.tenant.user(upn: spec.user), user.appPasswords.isEmpty else { return nil }
        return "\(user.userPrincipalName) has no app password. Per-user MFA gives a user one when they register; or give AppPasswords in the tenant's overrides."
    }

    // MARK: What steps and attacks do

    func users(_ selection: UserSelection) -> [String] {
        switch selection {
        case .all: session.tenant.users.map(\.userPrincipalName)
        case .list(let list): list
        }
    }

    func password(_ spec: PasswordSpec, for upn: String) -> String {
        let user = session.tenant.user(upn: upn)
        switch spec {
        case .correct:
            return user?.password ?? "Unknown-User-Password-1!"
        case .wrong:
            // A different wrong password each time: smart lockout doesn't count a repeated one.
            repeat { wrongPasswords += 1 } while user?.password == "Wrong-Guess-\(wrongPasswords)!"
            return "Wrong-Guess-\(wrongPasswords)!"
        case .appPassword:
            return user?.appPasswords.first ?? "no-app-password-issued"
        case .literal(let text):
            return text
        }
    }

    func attempt(user: String, password: PasswordSpec, client: ClientSpec) -> AccessAttempt {
        AccessAttempt(user: user, accessProtocol: client.accessProtocol, clientIP: client.from,
                      clientPort: client.port ?? ClientSpec.defaultPort(for: client.accessProtocol),
                      authentication: client.authentication, password: self.password(password, for: user), mfaCompleted: client.mfaDone,
                      userAgent: client.userAgent ?? client.device?.userAgent, isMiddleTierApp: client.middleTier, device: client.device)
    }

    /// The compiled access configuration, recompiled only when the tenant's policy revision moved.
    func policy() -> CompiledPolicy {
        let revision = session.tenant.policyRevision
        if let c = compiled, c.revision == revision { return c.policy }
        let p = CompiledPolicy(session.tenant)
        compiled = (revision, p)
        return p
    }

    func signIn(user: String, password: PasswordSpec, client: ClientSpec) -> AccessDecision {
        let evaluation = AccessEvaluator.evaluate(attempt(user: user, password: password, client: client), in: session.tenant,
                                                  policy: policy(), explain: verbose || !inAttack)
        session.tenant.apply(evaluation.changes)
        session.record(evaluation.events)
        return evaluation.decision
    }

    func act(user: String, password: PasswordSpec, client: ClientSpec, action: MailboxAction, mailbox: String?,
             params: [String: String]) -> AccessDecision {
        act(user: user, password: password, client: client, action: action, mailbox: mailbox, params: params, compliantDevice: false)
    }

    func act(user: String, password: PasswordSpec, client: ClientSpec, action: MailboxAction, mailbox: String?,
             params: [String: String], compliantDevice: Bool) -> AccessDecision {
        let signIn = self.signIn(user: user, password: password, client: client)
        guard signIn.outcome == .Allowed else { return signIn }
        let request = MailboxActionRequest(actor: user, action: action, mailbox: mailbox, accessProtocol: client.accessProtocol,
                                           userAgent: client.userAgent ?? client.device?.userAgent, clientIP: client.from,
                                           clientPort: client.port ?? ClientSpec.defaultPort(for: client.accessProtocol), params: params,
                                           device: client.device, isCompliantDevice: compliantDevice)
        let evaluation = MailboxActionEvaluator.evaluate(request, in: session.tenant)
        session.tenant.apply(evaluation.changes)
        session.record(evaluation.events)
        var decision = evaluation.decision
        decision.trace = signIn.trace + decision.trace
        return decision
    }

    func run(_ script: String, as user: String?) -> RunResult {
        guard let user else { return interpreter.run(script) }
        let saved = (session.exchangeIdentity, session.msolIdentity, session.exchangeImported)
        let upn = session.tenant.user(upn: user)?.userPrincipalName ?? user
        session.exchangeIdentity = upn
        session.msolIdentity = upn
        session.exchangeImported = true
        defer {
            // A step that connected or disconnected on its own keeps what it did.
            if session.exchangeIdentity == upn { session.exchangeIdentity = saved.0 }
            if session.msolIdentity == upn { session.msolIdentity = saved.1 }
            if session.exchangeIdentity == saved.0 { session.exchangeImported = saved.2 }
        }
        return interpreter.run(script)
    }

    func pause(_ seconds: TimeInterval) {
        guard seconds > 0 else { return }
        session.tenant.clock.advance(by: seconds)
    }

    func random(below bound: Int) -> Int { rng.next(below: max(1, bound)) }
}
