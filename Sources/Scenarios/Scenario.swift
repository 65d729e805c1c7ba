import AccessControl
import Foundation
import TenantModel
import Yams

/// Where something is in a scenario or step file: what failure messages and format errors
/// point at (`file:line:column`, the form editors understand).
public struct FileLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
    /// `file:line`, for failure messages about a step.
    public var fileAndLine: String { "\(file):\(line)" }
}

/// One scenario file, parsed: a small story told as steps against its own copy of a tenant.
/// The format is SPEC §7; Docs/scenarios.md is its reference.
public struct Scenario: Sendable {
    /// The file the scenario was read from, as it was named (relative to the run's working
    /// directory when it was found by folder).
    public var file: String
    /// `scenario:`: the title.
    public var title: String
    public var description: String
    public var tags: [String]
    public var tenant: TenantReference
    /// `start:`: the simulated clock when the first step runs; nil keeps the fixture's clock.
    public var start: Date?
    /// `seed:`: fixes the audit record identifiers and any randomness (attack jitter).
    public var seed: UInt64
    /// The steps in order, `include`s already expanded.
    public var steps: [Step]
    /// Where the `scenario:` key is.
    public var location: FileLocation

    public init(file: String, title: String, description: String, tags: [String], tenant: TenantReference, start: Date?,
                seed: UInt64, steps: [Step], location: FileLocation) {
        self.file = file
        self.title = title
        self.description = description
        self.tags = tags
        self.tenant = tenant
        self.start = start
        self.seed = seed
        self.steps = steps
        self.location = location
    }

    /// The topic a report groups the scenario under: its folder (`mfa`, `logging`, ...).
    public var topic: String {
        let folder = (file as NSString).deletingLastPathComponent
        let last = (folder as NSString).lastPathComponent
        return last.isEmpty || last == "." ? "scenarios" : last
    }
}

/// The `tenant:` of a scenario: which tenant it starts from, and what it changes on top.
public struct TenantReference: Sendable {
    public enum Base: Sendable, Hashable {
        /// A built-in fixture (`brittest`, `contoso`) or `mock-tenant/<name>.yaml`.
        case named(String)
        /// A fixture file, already resolved to a path that exists.
        case file(String)
        /// A fixture written inside the scenario (same schema as a fixture file); it is loaded
        /// when the file is parsed, so its errors point into the scenario.
        case inline(InlineTenant)
    }

    public var base: Base
    /// `overrides:` — sections of a fixture applied on top of the base.
    public var overrides: YAMLNode?
    public var location: FileLocation

    public init(base: Base, overrides: YAMLNode? = nil, location: FileLocation) {
        self.base = base
        self.overrides = overrides
        self.location = location
    }
}

/// An inline tenant, compared by where it was written (each one is its own tenant).
public struct InlineTenant: Sendable, Hashable {
    public var tenant: Tenant
    public var location: FileLocation

    public static func == (a: InlineTenant, b: InlineTenant) -> Bool { a.location == b.location }
    public func hash(into hasher: inout Hasher) { hasher.combine(location) }
}

/// A composed YAML subtree kept for later (overrides are applied when the tenant is known).
/// Yams' nodes are immutable trees of values; nothing mutates them after composing.
public struct YAMLNode: @unchecked Sendable {
    public let node: Node
    public init(_ node: Node) { self.node = node }
}

/// One step: what it does, what it expects, and where it was written.
public struct Step: Sendable {
    public var action: StepAction
    public var expectation: Expectation?
    /// `name:` — an optional label shown in reports.
    public var name: String?
    public var location: FileLocation
    /// The `include` steps that brought this step in, outermost first.
    public var includedFrom: [FileLocation]

    public init(action: StepAction, expectation: Expectation?, name: String?, location: FileLocation, includedFrom: [FileLocation] = []) {
        self.action = action
        self.expectation = expectation
        self.name = name
        self.location = location
        self.includedFrom = includedFrom
    }

    public var kind: StepKind { action.kind }
}

public enum StepKind: String, Sendable, CaseIterable {
    case run, signin, act, attack, wait, logs, include, rehearse
}

public enum StepAction: Sendable {
    case run(RunSpec)
    case signIn(SignInSpec)
    case act(ActSpec)
    case attack(AttackSpec)
    case wait(WaitSpec)
    case logs(LogQuery)
    case rehearse(RehearseSpec)

    public var kind: StepKind {
        switch self {
        case .run: .run
        case .signIn: .signin
        case .act: .act
        case .attack: .attack
        case .wait: .wait
        case .logs: .logs
        case .rehearse: .rehearse
        }
    }
}

/// `rehearse:` — a lockdown plan rehearsed on a copy of the scenario's tenant (which the
/// step leaves unchanged), with the synthesized probe set as traffic.
public struct RehearseSpec: Sendable {
    public var plan: String
}

/// What a `rehearse` step expects of the report (any of these).
public struct RehearseExpectation: Sendable, CustomStringConvertible {
    /// `exit:` — 0 nothing bad, 3 an administrator locked out, 4 the plan has errors.
    public var exit: Int?
    /// `locked-out:` — exactly these administrators lose every path (UPNs, any order).
    public var lockedOut: [String]?
    /// `plan-errors:` — how many plan lines would fail.
    public var planErrors: Int?
    /// `changed:` — how many user × protocol cells change.
    public var changed: Int?
    /// `devices-changed:` — how many devices change access state.
    public var devicesChanged: Int?

    public var description: String {
        var parts: [String] = []
        if let exit { parts.append("exit \(exit)") }
        if let lockedOut { parts.append("locked out [\(lockedOut.joined(separator: ", "))]") }
        if let planErrors { parts.append("\(planErrors) plan errors") }
        if let changed { parts.append("\(changed) changed cells") }
        if let devicesChanged { parts.append("\(devicesChanged) devices changed") }
        return parts.joined(separator: ", ")
    }
}

/// `run:` — cmdlets in the shell language.
public struct RunSpec: Sendable {
    public var script: String
    /// `as:` — the UPN the step's connection runs as instead of the fixture's administrator.
    public var user: String?
}

/// `wait:` — a duration on the simulated clock.
public struct WaitSpec: Sendable {
    public var seconds: TimeInterval
    public var text: String
}

/// The password a sign-in presents.
public enum PasswordSpec: Sendable, Hashable, CustomStringConvertible {
    /// The user's password.
    case correct
    /// A wrong password — a different one at each attempt, so smart lockout counts them all.
    case wrong
    /// One of the user's app passwords.
    case appPassword
    case literal(String)

    public var description: String {
        switch self {
        case .correct: "correct"
        case .wrong: "wrong"
        case .appPassword: "app-password"
        case .literal(let s): "\"\(s)\""
        }
    }

    static func parse(_ text: String) -> PasswordSpec {
        switch text.lowercased() {
        case "correct": .correct
        case "wrong": .wrong
        case "app-password": .appPassword
        default: .literal(text)
        }
    }
}

/// The client side of a sign-in: everything but who signs in and with what password.
public struct ClientSpec: Sendable, Hashable {
    public var accessProtocol: AccessProtocol
    public var from: String
    public var port: Int?
    /// nil: the protocol's default (see ``ClientSpec/defaultAuthentication(for:)``).
    public var auth: ClientAccessAuthenticationMethod?
    public var mfaDone: Bool
    public var userAgent: String?
    public var middleTier: Bool
    public var device: DeviceInfo?

    /// The client address a step uses when it names none (a documentation range, RFC 5737).
    public static let defaultAddress = "198.51.100.10"

    /// Legacy protocols sign in with basic authentication unless told otherwise; browsers and
    /// the modern apps with OAuth.
    public static func defaultAuthentication(for p: AccessProtocol) -> ClientAccessAuthenticationMethod {
        switch p {
        case .AzureAD, .OutlookWebApp, .REST, .ExchangeAdminCenter, .UniversalOutlook: .OAuthAuthentication
        default: .BasicAuthentication
        }
    }

    /// The port a client of this protocol connects to when the step names none.
    public static func defaultPort(for p: AccessProtocol) -> Int {
        switch p {
        case .IMAP4: 993
        case .POP3: 995
        case .SMTP: 587
        default: 443
        }
    }

    public var authentication: ClientAccessAuthenticationMethod { auth ?? Self.defaultAuthentication(for: accessProtocol) }
}

/// `signin:` — one access attempt.
public struct SignInSpec: Sendable {
    public var user: String
    public var password: PasswordSpec
    public var client: ClientSpec
}

/// `act:` — a sign-in, then one mailbox action.
public struct ActSpec: Sendable {
    public var signIn: SignInSpec
    public var action: MailboxAction
    public var mailbox: String?
    public var params: [String: String]
    /// `compliant:` — the browser runs on a managed, compliant device (OWA's ConditionalAccessPolicy).
    public var compliantDevice: Bool
}

/// `attack:` — a macro that expands into ordinary attempts and actions.
public struct AttackSpec: Sendable {
    public var kind: String
    public var attack: any Attack
}

// MARK: Expectations

public enum Expectation: Sendable {
    case run(RunExpectation)
    case decision(DecisionExpectation)
    case attack(AttackExpectation)
    case logs(LogExpectation)
    case rehearse(RehearseExpectation)
}

/// What a `run` step expects. `ok` is the empty set of checks plus "no error".
public struct RunExpectation: Sendable {
    /// `expect: ok` — no error at all.
    public var ok = false
    /// `error:` — some error's message contains this text (ignoring case).
    public var error: String?
    /// `output:` — the output objects, in order, each compared on the properties it names.
    public var output: [ExpectedRow]?
    /// `count:` — how many output objects.
    public var count: Int?
}

/// One expected output object: a mapping of property → text, or a bare value.
public enum ExpectedRow: Sendable {
    case properties([(name: String, value: ExpectedValue)])
    case value(ExpectedValue)
}

/// An expected value: a text (with `*` wildcards) or a list of texts.
public enum ExpectedValue: Sendable, CustomStringConvertible {
    case text(String)
    case list([String])

    public var description: String {
        switch self {
        case .text(let t): t
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        }
    }
}

/// What a `signin` or `act` step expects of the decision (any of the four fields).
public struct DecisionExpectation: Sendable {
    public var decision: AccessOutcome?
    public var reason: String?
    public var by: String?
    public var code: Int?

    public var description: String {
        var parts: [String] = []
        if let decision { parts.append("decision \(decision.rawValue)") }
        if let reason { parts.append("reason \(reason)") }
        if let by { parts.append("by \(by)") }
        if let code { parts.append("code \(code)") }
        return parts.joined(separator: ", ")
    }
}

/// What an `attack` step expects: counts, or the set of users for the user-list measures.
public struct AttackExpectation: Sendable {
    public enum Users: Sendable {
        case count(Int)
        case exactly([String])
    }
    /// `attempts`, `allowed`, `denied`, `quarantined` and the attack's own measures (`rules`, `items`, ...).
    public var counts: [(key: String, value: Int)] = []
    /// `compromised`, `confirmed`, `locked`.
    public var users: [(key: String, value: Users)] = []
}

/// What a `logs` step expects of the number of matching records.
public enum LogExpectation: Sendable, CustomStringConvertible {
    case count(Int)
    case atLeast(Int)
    case atMost(Int)
    case none

    public var description: String {
        switch self {
        case .count(let n): "exactly \(n)"
        case .atLeast(let n): "at least \(n)"
        case .atMost(let n): "at most \(n)"
        case .none: "none"
        }
    }

    func accepts(_ n: Int) -> Bool {
        switch self {
        case .count(let c): n == c
        case .atLeast(let c): n >= c
        case .atMost(let c): n <= c
        case .none: n == 0
        }
    }
}

/// `logs:` — a query over one of the tenant's logs.
public struct LogQuery: Sendable {
    public enum Source: String, Sendable, CaseIterable {
        case unified, mailbox, signin
    }
    public var source: Source
    /// Field (dotted path) → accepted patterns (any of them; `*` wildcards, ignoring case).
    public var conditions: [(field: String, patterns: [String])]
    /// `within:` — only records from the last so many seconds of the simulated clock.
    public var within: TimeInterval?
}
