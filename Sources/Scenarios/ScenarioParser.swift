import AccessControl
import Foundation
import TenantModel
import TenantStore
import Yams

/// A parsed scenario and what the parser would like to point out without refusing it
/// (`tenantsim run --strict` refuses those too).
public struct ParsedScenario: Sendable {
    public var scenario: Scenario
    public var warnings: [FixtureError]
}

/// Reads scenario files (SPEC §7, Docs/scenarios.md). Every unknown key, wrong type and
/// missing required key is an error with the file, line, column and the valid choices; the
/// first error stops the file.
public struct ScenarioParser: Sendable {
    public static let scenarioKeys = ["scenario", "description", "tags", "tenant", "start", "seed", "steps"]
    public static let stepKeys = StepKind.allCases.map(\.rawValue)
    static let clientKeys = ["user", "from", "port", "auth", "password", "mfa", "client", "device", "middle-tier"]
    static let signInKeys = ["user", "protocol"] + clientKeys.dropFirst()
    static let actKeys = ["user", "via"] + clientKeys.dropFirst() + ["action", "mailbox", "params", "compliant"]
    static let deviceKeys = ["id", "type", "model", "os", "useragent", "provisionable"]
    static let decisionKeys = ["decision", "reason", "by", "code"]
    static let attackCountKeys = ["attempts", "allowed", "denied", "quarantined"]
    static let attackUserKeys = ["compromised", "confirmed", "locked"]
    static let logExpectKeys = ["count", "at-least", "at-most", "none"]
    /// Where an attack comes from when the step names no address (TEST-NET-3, RFC 5737).
    public static let defaultAttackerAddress = "203.0.113.50"

    /// Folders searched for fixture files named by a relative path that isn't beside the
    /// scenario (`mock-tenant/` of the working directory is added by ``init(fixtureDirectories:)``).
    public var fixtureDirectories: [String]

    public init(fixtureDirectories: [String]? = nil) {
        self.fixtureDirectories = fixtureDirectories
            ?? [(FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("mock-tenant")]
    }

    /// Reads and parses a scenario file.
    public func parse(file: String) throws(FixtureError) -> ParsedScenario {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw FixtureError(file: file, line: 1, column: 1, message: "The scenario file can't be read: \(error.localizedDescription)")
        }
        return try parse(text: text, file: file)
    }

    public func parse(text: String, file: String) throws(FixtureError) -> ParsedScenario {
        var state = ParseState(parser: self, file: file)
        let scenario = try state.scenario(text: text)
        return ParsedScenario(scenario: scenario, warnings: state.warnings)
    }

    /// A `--tenant` value: a fixture name, or a fixture path relative to the working
    /// directory or to mock-tenant/.
    public func base(named text: String) throws(FixtureError) -> TenantReference.Base {
        try ParseState(parser: self, file: "--tenant").base(text, node: nil, doc: YAMLDocument(file: "--tenant"))
    }

    /// Whether a file holds a step list (for `include:`) rather than a scenario: its top
    /// level is a list. Folder runs skip such files.
    public static func isStepFile(text: String) -> Bool {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") || t == "---" { continue }
            return t.hasPrefix("- ") || t == "-" || t.hasPrefix("[")
        }
        return false
    }
}

private struct ParseState {
    let parser: ScenarioParser
    let file: String
    var warnings: [FixtureError] = []

    init(parser: ScenarioParser, file: String) {
        self.parser = parser
        self.file = file
    }

    func location(_ node: Node?, in doc: YAMLDocument) -> FileLocation {
        let e = doc.error(node, "")
        return FileLocation(file: e.file, line: e.line, column: e.column)
    }

    mutating func warn(_ node: Node?, _ message: String, in doc: YAMLDocument) {
        warnings.append(doc.error(node, message))
    }

    // MARK: The scenario

    mutating func scenario(text: String) throws(FixtureError) -> Scenario {
        let doc = YAMLDocument(file: file)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw FixtureError(file: file, line: 1, column: 1, message: "The scenario file is empty; it needs at least `scenario:`, `tenant:` and `steps:`.")
        }
        let root = try doc.compose(text)
        if case .sequence = root {
            throw doc.error(root, "This file is a list of steps (a step file for `include:`), not a scenario. A scenario is a mapping with `scenario:`, `tenant:` and `steps:`.")
        }
        let fields = try FieldReader(root, what: "a scenario", allowed: ScenarioParser.scenarioKeys, doc: doc)
        let title = try fields.requiredString("scenario", hint: "its title")
        let description = try fields.string("description") ?? ""
        if description.isEmpty { warn(root, "The scenario has no `description:`: say what an admin should learn from it.", in: doc) }
        let tags = try fields.strings("tags") ?? []
        guard let tenantNode = fields.value("tenant") else {
            throw fields.missing("tenant", hint: "a fixture name such as brittest, a fixture path, or an inline fixture")
        }
        let tenant = try tenantReference(tenantNode, doc: doc)
        var start: Date?
        if let text = try fields.string("start") {
            guard let d = ISO8601.parse(text.trimmedWhitespace) else {
                throw doc.error(fields.value("start"), "\"start\" must be a UTC date and time such as 2026-03-02T09:00:00Z, not \"\(text)\".")
            }
            start = d
        }
        var seed: UInt64 = 1
        if let text = try fields.string("seed") {
            guard let n = UInt64(text.trimmedWhitespace) else {
                throw doc.error(fields.value("seed"), "\"seed\" must be a whole number from 0 to \(UInt64.max), not \"\(text)\".")
            }
            seed = n
        }
        guard let stepsNode = fields.value("steps") else { throw fields.missing("steps", hint: "the list of steps") }
        let stepNodes = try doc.sequence(stepsNode, what: "steps")
        if stepNodes.isEmpty { warn(stepsNode, "The scenario has no steps.", in: doc) }
        let path = ScenarioFiles.absolute(file)
        var steps: [Step] = []
        for node in stepNodes {
            steps += try step(node, doc: doc, stack: [path], includedFrom: [])
        }
        let scenarioKey = fields.entry("scenario")?.keyNode
        return Scenario(file: file, title: title, description: description, tags: tags, tenant: tenant, start: start, seed: seed,
                        steps: steps, location: location(scenarioKey, in: doc))
    }

    // MARK: Tenant

    func tenantReference(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> TenantReference {
        let loc = location(node, in: doc)
        switch node {
        case .scalar(let s):
            return TenantReference(base: try base(s.string, node: node, doc: doc), location: loc)
        case .mapping:
            let keys = (try? doc.mapping(node, what: "tenant").map { $0.key.lowercased() }) ?? []
            if keys.contains("fixture") || keys.contains("overrides") {
                let fields = try FieldReader(node, what: "the tenant", allowed: ["fixture", "overrides"], doc: doc)
                let name = try fields.requiredString("fixture", hint: "the fixture the overrides apply to")
                var overrides: YAMLNode?
                if let o = fields.value("overrides") {
                    _ = try doc.mapping(o, what: "overrides")
                    overrides = YAMLNode(o)
                }
                return TenantReference(base: try base(name, node: fields.value("fixture"), doc: doc), overrides: overrides, location: loc)
            }
            let tenant = try FixtureLoader(file: file).load(root: node)
            return TenantReference(base: .inline(InlineTenant(tenant: tenant, location: loc)), location: loc)
        default:
            throw doc.error(node, "\"tenant\" must be a fixture name, a fixture path, an inline fixture, or `fixture:` with `overrides:`; not \(doc.kind(node)).")
        }
    }

    /// A fixture name or path: a path is looked for beside the scenario, then in mock-tenant/.
    func base(_ text: String, node: Node?, doc: YAMLDocument) throws(FixtureError) -> TenantReference.Base {
        let name = text.trimmedWhitespace
        let isPath = name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
        if !isPath {
            if TenantSource.fixtureNames.contains(name) { return .named(name) }
            for dir in parser.fixtureDirectories {
                let candidate = (dir as NSString).appendingPathComponent(name + ".yaml")
                if FileManager.default.fileExists(atPath: candidate) { return .file(candidate) }
            }
            throw doc.error(node, "There is no fixture named \"\(name)\". Built-in fixtures: \(TenantSource.fixtureNames.joined(separator: ", ")); or give a path to a fixture .yaml file (relative to this file or to mock-tenant/).")
        }
        var candidates: [String] = []
        if name.hasPrefix("/") {
            candidates = [name]
        } else {
            candidates.append(((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name))
            for dir in parser.fixtureDirectories { candidates.append((dir as NSString).appendingPathComponent(name)) }
            candidates.append(name)
        }
        for c in candidates where FileManager.default.fileExists(atPath: c) {
            return .file(ScenarioFiles.absolute(c))
        }
        throw doc.error(node, "The fixture file \"\(name)\" doesn't exist. Looked in: \(candidates.joined(separator: ", ")).")
    }

    // MARK: Steps

    mutating func step(_ node: Node, doc: YAMLDocument, stack: [String], includedFrom: [FileLocation]) throws(FixtureError) -> [Step] {
        let entries = try doc.mapping(node, what: "A step")
        let kinds = entries.filter { e in StepKind.allCases.contains { $0.rawValue == e.key.lowercased() } }
        guard let kindEntry = kinds.first else {
            throw doc.error(node, "A step needs one of \(ScenarioParser.stepKeys.joined(separator: ", ")); this one has \(entries.map(\.key).joined(separator: ", ")).")
        }
        guard kinds.count == 1 else {
            throw doc.error(kinds[1].keyNode, "A step does one thing; this one has both \"\(kinds[0].key)\" and \"\(kinds[1].key)\". Make them two steps.")
        }
        let kind = StepKind(rawValue: kindEntry.key.lowercased())!
        var allowed = [kind.rawValue, "name"]
        switch kind {
        case .run: allowed += ["as", "expect"]
        case .signin, .act, .attack, .logs, .rehearse: allowed += ["expect"]
        case .wait, .include: break
        }
        let what = "a \(kind.rawValue) step"
        let fields = try FieldReader(node, what: what, allowed: allowed, doc: doc)
        let name = try fields.string("name")
        let loc = location(kindEntry.keyNode, in: doc)
        let value = kindEntry.value

        if kind == .include {
            return try include(value, doc: doc, stack: stack, includedFrom: includedFrom + [loc])
        }

        let action: StepAction
        switch kind {
        case .run:
            let script = try doc.scalar(value, what: "run")
            guard !script.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw doc.error(value, "\"run\" needs the cmdlets to run.")
            }
            action = .run(RunSpec(script: script, user: try fields.string("as")))
        case .signin:
            let f = try FieldReader(value, what: "a signin", allowed: ScenarioParser.signInKeys, doc: doc)
            action = .signIn(try signIn(f, protocolKey: "protocol"))
        case .act:
            let f = try FieldReader(value, what: "an act step's action", allowed: ScenarioParser.actKeys, doc: doc)
            let s = try signIn(f, protocolKey: "via")
            let actionName = try f.choice("action", MailboxAction.allCases.map(\.rawValue))
            guard let actionName, let mailboxAction = MailboxAction.named(actionName) else {
                throw f.missing("action", hint: MailboxAction.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var params: [String: String] = [:]
            if let p = f.value("params") {
                for e in try doc.mapping(p, what: "params") {
                    switch e.value {
                    case .scalar(let s): params[e.key] = s.string
                    case .sequence:
                        let items = try doc.sequence(e.value, what: e.key).map { (n) throws(FixtureError) -> String in try doc.scalar(n, what: e.key) }
                        params[e.key] = items.joined(separator: ",")
                    default: throw doc.error(e.value, "The parameter \"\(e.key)\" must be a value or a list of values, not \(doc.kind(e.value)).")
                    }
                }
            }
            action = .act(ActSpec(signIn: s, action: mailboxAction, mailbox: try f.string("mailbox"), params: params,
                                  compliantDevice: try f.bool("compliant") ?? false))
        case .attack:
            action = .attack(try attack(value, doc: doc))
        case .wait:
            let text = try doc.scalar(value, what: "wait")
            guard let seconds = Durations.parse(text) else {
                throw doc.error(value, "\"wait\" must be a duration such as 90s, 15m, 2h or 3d (or d.hh:mm:ss), not \"\(text)\".")
            }
            action = .wait(WaitSpec(seconds: seconds, text: text))
        case .logs:
            action = .logs(try logQuery(value, doc: doc))
        case .rehearse:
            let f = try FieldReader(value, what: "a rehearse step", allowed: ["plan"], doc: doc)
            guard let plan = try f.string("plan"), !plan.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw f.missing("plan", hint: "the cmdlets of the change, as a PowerShell script")
            }
            action = .rehearse(RehearseSpec(plan: plan))
        case .include:
            fatalError("handled above")
        }

        var expectation: Expectation?
        if let e = fields.value("expect") {
            expectation = try expect(e, for: action, doc: doc)
        } else if kind != .run && kind != .wait {
            warn(kindEntry.keyNode, "This \(kind.rawValue) step has no `expect:`, so it checks nothing.", in: doc)
        }
        return [Step(action: action, expectation: expectation, name: name, location: loc, includedFrom: includedFrom)]
    }

    mutating func include(_ value: Node, doc: YAMLDocument, stack: [String], includedFrom: [FileLocation]) throws(FixtureError) -> [Step] {
        let relative = try doc.scalar(value, what: "include")
        let dir = (doc.file as NSString).deletingLastPathComponent
        let path = relative.hasPrefix("/") ? relative : (dir as NSString).appendingPathComponent(relative)
        let absolute = ScenarioFiles.absolute(path)
        if let i = stack.firstIndex(of: absolute) {
            let cycle = (stack[i...] + [absolute]).map { ($0 as NSString).lastPathComponent }
            throw doc.error(value, "Including \"\(relative)\" makes a cycle: \(cycle.joined(separator: " → ")).")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw doc.error(value, "The step file \"\(relative)\" can't be read (looked at \(path)).")
        }
        let included = YAMLDocument(file: ScenarioFiles.display(path))
        let root = try included.compose(text)
        guard case .sequence = root else {
            throw included.error(root, "A step file holds a list of steps (lines starting with '- '), not \(included.kind(root)).")
        }
        var steps: [Step] = []
        for node in try included.sequence(root, what: "A step file") {
            steps += try step(node, doc: included, stack: stack + [absolute], includedFrom: includedFrom)
        }
        return steps
    }

    // MARK: Sign-ins

    func signIn(_ f: FieldReader, protocolKey: String) throws(FixtureError) -> SignInSpec {
        let user = try f.requiredString("user", hint: "the UPN signing in")
        var accessProtocol = AccessProtocol.AzureAD
        if let text = try f.string(protocolKey) {
            guard let p = AccessProtocol.named(text.trimmedWhitespace) else {
                throw f.error(f.value(protocolKey), "\"\(text)\" isn't a protocol. Valid values: \(AccessProtocol.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            accessProtocol = p
        } else if protocolKey == "via" {
            throw f.missing("via", hint: "the protocol the action comes over, e.g. OutlookWebApp")
        }
        let client = try clientSpec(f, accessProtocol: accessProtocol, defaultAddress: ClientSpec.defaultAddress)
        return SignInSpec(user: user, password: PasswordSpec.parse(try f.string("password") ?? "correct"), client: client)
    }

    func clientSpec(_ f: FieldReader, accessProtocol: AccessProtocol, defaultAddress: String, readsFrom: Bool = true) throws(FixtureError) -> ClientSpec {
        var auth: ClientAccessAuthenticationMethod?
        if let text = try f.string("auth") {
            guard let a = ClientAccessAuthenticationMethod.named(text) else {
                throw f.error(f.value("auth"), "\"\(text)\" isn't an authentication type. Valid values: \(ClientAccessAuthenticationMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            auth = a
        }
        var mfa = false
        if let text = try f.string("mfa") {
            switch text.lowercased() {
            case "done", "true", "yes": mfa = true
            case "none", "false", "no": mfa = false
            default: throw f.error(f.value("mfa"), "\"mfa\" is done or none, not \"\(text)\".")
            }
        }
        var device: DeviceInfo?
        if let d = try f.mapping("device", what: "a device", allowed: ScenarioParser.deviceKeys) {
            device = DeviceInfo(id: try d.requiredString("id", hint: "the DeviceId"), type: try d.requiredString("type", hint: "the DeviceType, e.g. iPhone"),
                                model: try d.string("model"), os: try d.string("os"), userAgent: try d.string("useragent"),
                                provisionable: try d.bool("provisionable") ?? true)
        }
        let from = readsFrom ? try f.string("from") ?? defaultAddress : defaultAddress
        return ClientSpec(accessProtocol: accessProtocol, from: from.trimmedWhitespace, port: try f.int("port"), auth: auth, mfaDone: mfa,
                          userAgent: try f.string("client"), middleTier: try f.bool("middle-tier") ?? false, device: device)
    }

    // MARK: Attacks

    func attack(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> AttackSpec {
        let kindText: String
        do {
            let entries = try doc.mapping(node, what: "An attack")
            guard let k = entries.first(where: { $0.key.lowercased() == "kind" }) else {
                throw doc.error(node, "An attack needs \"kind\" (one of \(AttackRegistry.names.joined(separator: ", "))).")
            }
            kindText = try doc.scalar(k.value, what: "kind")
            guard AttackRegistry.kind(named: kindText) != nil else {
                throw doc.error(k.value, "\"\(kindText)\" isn't an attack kind. Valid kinds: \(AttackRegistry.names.joined(separator: ", ")).")
            }
        }
        let type = AttackRegistry.kind(named: kindText)!
        let f = try FieldReader(node, what: "a \(type.kind) attack", allowed: AttackCommon.keys + type.fields, doc: doc)
        var users = UserSelection.all
        if f.has("user") && f.has("users") {
            throw f.error(f.value("users"), "Give either `user:` or `users:`, not both.")
        }
        if let list = try f.strings("users") {
            users = list.count == 1 && list[0].lowercased() == "all" ? .all : .list(list)
        } else if let one = try f.string("user") {
            users = .list([one])
        }
        if f.has("password") && f.has("passwords") {
            throw f.error(f.value("passwords"), "Give either `password:` or `passwords:`, not both.")
        }
        let passwordTexts = try f.strings(f.has("password") ? "password" : "passwords") ?? []
        let passwords = passwordTexts.map(PasswordSpec.parse)
        if f.has("protocol") && f.has("protocols") {
            throw f.error(f.value("protocols"), "Give either `protocol:` or `protocols:`, not both.")
        }
        var protocols: [AccessProtocol] = []
        let protocolKey = f.has("protocols") ? "protocols" : "protocol"
        for text in try f.strings(protocolKey) ?? ["AzureAD"] {
            guard let p = AccessProtocol.named(text.trimmedWhitespace) else {
                throw f.error(f.value(protocolKey), "\"\(text)\" isn't a protocol. Valid values: \(AccessProtocol.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            protocols.append(p)
        }
        guard !protocols.isEmpty else { throw f.error(f.value(protocolKey), "\"\(protocolKey)\" needs at least one protocol.") }
        let client = try clientSpec(f, accessProtocol: protocols[0], defaultAddress: ScenarioParser.defaultAttackerAddress, readsFrom: false)
        var from = try f.strings("from") ?? [ScenarioParser.defaultAttackerAddress]
        from = from.map(\.trimmedWhitespace)
        guard !from.isEmpty else { throw f.error(f.value("from"), "\"from\" needs at least one address.") }
        let common = AttackCommon(users: users, passwords: passwords, protocols: protocols, from: from, port: client.port, auth: client.auth,
                                  mfaDone: client.mfaDone, userAgent: client.userAgent, device: client.device,
                                  interval: try f.duration("interval") ?? 1, jitter: try f.duration("jitter") ?? 0)
        return AttackSpec(kind: type.kind, attack: try type.parse(common, f))
    }

    // MARK: Logs

    func logQuery(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> LogQuery {
        let f = try FieldReader(node, what: "a logs query", allowed: ["source", "where", "within"], doc: doc)
        guard let sourceText = try f.choice("source", LogQuery.Source.allCases.map(\.rawValue)) else {
            throw f.missing("source", hint: LogQuery.Source.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var conditions: [(field: String, patterns: [String])] = []
        if let w = f.value("where") {
            for e in try doc.mapping(w, what: "where") {
                switch e.value {
                case .scalar(let s): conditions.append((e.key, [s.string]))
                case .sequence(let seq):
                    var patterns: [String] = []
                    for item in seq { patterns.append(try doc.scalar(item, what: e.key)) }
                    conditions.append((e.key, patterns))
                default:
                    throw doc.error(e.value, "\"\(e.key)\" in where must be a value (with * wildcards) or a list of values, not \(doc.kind(e.value)).")
                }
            }
        }
        return LogQuery(source: LogQuery.Source(rawValue: sourceText)!, conditions: conditions, within: try f.duration("within"))
    }

    // MARK: Expectations

    func expect(_ node: Node, for action: StepAction, doc: YAMLDocument) throws(FixtureError) -> Expectation {
        switch action {
        case .run: return .run(try runExpectation(node, doc: doc))
        case .signIn, .act: return .decision(try decisionExpectation(node, doc: doc))
        case .attack(let spec): return .attack(try attackExpectation(node, kind: type(of: spec.attack), doc: doc))
        case .logs: return .logs(try logExpectation(node, doc: doc))
        case .wait: throw doc.error(node, "A wait step expects nothing.")
        case .rehearse: return .rehearse(try rehearseExpectation(node, doc: doc))
        }
    }

    func rehearseExpectation(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> RehearseExpectation {
        let f = try FieldReader(node, what: "a rehearse step's expect",
                                allowed: ["exit", "locked-out", "plan-errors", "changed", "devices-changed"], doc: doc)
        var e = RehearseExpectation()
        e.exit = try f.int("exit")
        if let v = f.value("locked-out") {
            e.lockedOut = try doc.sequence(v, what: "locked-out").map { (n) throws(FixtureError) -> String in try doc.scalar(n, what: "locked-out") }
        }
        e.planErrors = try f.int("plan-errors")
        e.changed = try f.int("changed")
        e.devicesChanged = try f.int("devices-changed")
        return e
    }

    func runExpectation(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> RunExpectation {
        if case .scalar(let s) = node {
            guard s.string.lowercased() == "ok" else {
                throw doc.error(node, "A run step expects `ok`, or a mapping with any of error, output, count; not \"\(s.string)\".")
            }
            var e = RunExpectation()
            e.ok = true
            return e
        }
        let f = try FieldReader(node, what: "a run step's expect", allowed: ["error", "output", "count"], doc: doc)
        var e = RunExpectation()
        e.error = try f.string("error")
        e.count = try f.int("count")
        if let o = f.value("output") {
            var rows: [ExpectedRow] = []
            for item in try doc.sequence(o, what: "output") {
                switch item {
                case .mapping:
                    var props: [(name: String, value: ExpectedValue)] = []
                    for p in try doc.mapping(item, what: "An output row") {
                        props.append((p.key, try expectedValue(p.value, what: p.key, doc: doc)))
                    }
                    rows.append(.properties(props))
                default:
                    rows.append(.value(try expectedValue(item, what: "an output value", doc: doc)))
                }
            }
            e.output = rows
        }
        guard e.error != nil || e.output != nil || e.count != nil else {
            throw doc.error(node, "A run step's expect needs at least one of error, output, count (or just `ok`).")
        }
        return e
    }

    func expectedValue(_ node: Node, what: String, doc: YAMLDocument) throws(FixtureError) -> ExpectedValue {
        switch node {
        case .scalar(let s): return .text(s.string)
        case .sequence(let seq):
            var items: [String] = []
            for i in seq { items.append(try doc.scalar(i, what: what)) }
            return .list(items)
        default:
            throw doc.error(node, "\"\(what)\" must be a value or a list of values, not \(doc.kind(node)).")
        }
    }

    func decisionExpectation(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> DecisionExpectation {
        let outcomes = ["Allowed", "Denied", "Quarantined"]
        var e = DecisionExpectation()
        if case .scalar(let s) = node {
            guard let match = outcomes.first(where: { $0.lowercased() == s.string.lowercased() }) else {
                throw doc.error(node, "A decision is one of \(outcomes.joined(separator: ", ")), or a mapping with any of \(ScenarioParser.decisionKeys.joined(separator: ", ")); not \"\(s.string)\".")
            }
            e.decision = AccessOutcome(rawValue: match)
            return e
        }
        let f = try FieldReader(node, what: "a decision's expect", allowed: ScenarioParser.decisionKeys, doc: doc)
        if let d = try f.choice("decision", outcomes) { e.decision = AccessOutcome(rawValue: d) }
        e.reason = try f.string("reason")
        e.by = try f.string("by")
        if let text = try f.string("code") {
            guard let n = Int(text.trimmedWhitespace) else {
                throw doc.error(f.value("code"), "\"code\" must be a number (an AADSTS code such as 50076, or an EAS status), not \"\(text)\".")
            }
            e.code = n
        }
        guard e.decision != nil || e.reason != nil || e.by != nil || e.code != nil else {
            throw doc.error(node, "The expect needs at least one of \(ScenarioParser.decisionKeys.joined(separator: ", ")).")
        }
        return e
    }

    func attackExpectation(_ node: Node, kind: any Attack.Type, doc: YAMLDocument) throws(FixtureError) -> AttackExpectation {
        let countKeys = ScenarioParser.attackCountKeys + kind.measures
        let f = try FieldReader(node, what: "an attack's expect", allowed: countKeys + ScenarioParser.attackUserKeys, doc: doc)
        var e = AttackExpectation()
        for key in countKeys { if let n = try f.int(key) { e.counts.append((key, n)) } }
        for key in ScenarioParser.attackUserKeys {
            guard let value = f.value(key) else { continue }
            switch value {
            case .scalar(let s) where Int(s.string) != nil: e.users.append((key, .count(Int(s.string)!)))
            case .scalar(let s) where ["none", "[]", ""].contains(s.string.lowercased()): e.users.append((key, .exactly([])))
            case .scalar(let s): e.users.append((key, .exactly([s.string])))
            default: e.users.append((key, .exactly(try f.strings(key) ?? [])))
            }
        }
        guard !e.counts.isEmpty || !e.users.isEmpty else {
            throw doc.error(node, "The expect needs at least one of \((countKeys + ScenarioParser.attackUserKeys).joined(separator: ", ")).")
        }
        return e
    }

    func logExpectation(_ node: Node, doc: YAMLDocument) throws(FixtureError) -> LogExpectation {
        let f = try FieldReader(node, what: "a logs step's expect", allowed: ScenarioParser.logExpectKeys, doc: doc)
        guard f.keys.count == 1 else {
            throw doc.error(node, "A logs step expects exactly one of \(ScenarioParser.logExpectKeys.joined(separator: ", ")).")
        }
        if let n = try f.int("count") { return .count(n) }
        if let n = try f.int("at-least") { return .atLeast(n) }
        if let n = try f.int("at-most") { return .atMost(n) }
        guard try f.bool("none") == true else {
            throw doc.error(f.value("none"), "`none` takes true (no matching record); for a number of records use count or at-least.")
        }
        return .none
    }
}

/// Paths as reports show them, and as cycle checks compare them.
public enum ScenarioFiles {
    public static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (full as NSString).standardizingPath
    }

    /// A path relative to the working directory when it is inside it.
    public static func display(_ path: String) -> String {
        let abs = absolute(path)
        let cwd = (FileManager.default.currentDirectoryPath as NSString).standardizingPath + "/"
        return abs.hasPrefix(cwd) ? String(abs.dropFirst(cwd.count)) : abs
    }
}
