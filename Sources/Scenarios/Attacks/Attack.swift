import AccessControl
import Foundation
import Shell
import TenantModel
import TenantStore

/// An attack kind: a macro that expands into ordinary sign-in attempts, mailbox actions and
/// cmdlets, so everything it leaves behind (decisions, lockouts, records) is what those
/// would leave. Each kind is one file in this folder, listed once in ``AttackRegistry``.
///
/// A kind declares the step keys it reads beyond ``AttackCommon``'s, and the measures it
/// reports beyond the common ones, so the parser can refuse anything else with the valid
/// choices.
public protocol Attack: Sendable {
    /// The `kind:` value (`password-spray`).
    static var kind: String { get }
    /// One line for the format reference and error messages.
    static var summary: String { get }
    /// Keys of the step this kind reads beyond the common ones.
    static var fields: [String] { get }
    /// Measures this kind reports (expect keys) beyond attempts, allowed, denied,
    /// quarantined, compromised, confirmed and locked.
    static var measures: [String] { get }
    /// Reads the step: the common fields are already read; `fields` holds the whole step.
    static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> Self
    /// Runs the attack against the scenario's tenant.
    func run(in environment: AttackEnvironment) -> AttackReport
}

/// Every attack kind the runner knows.
public enum AttackRegistry {
    public static let kinds: [any Attack.Type] = [
        PasswordSprayAttack.self,
        BruteForceAttack.self,
        CredentialStuffingAttack.self,
        NewDeviceSyncAttack.self,
        MailForwardingRuleAttack.self,
        MailboxDelegationAttack.self,
        MassMailReadAttack.self,
        AuditTamperingAttack.self,
        MfaDowngradeAttack.self,
    ]

    public static var names: [String] { kinds.map { $0.kind } }

    public static func kind(named name: String) -> (any Attack.Type)? {
        kinds.first { $0.kind == name.lowercased() }
    }
}

/// Which users an attack targets.
public enum UserSelection: Sendable, Hashable {
    /// Every user in the directory, in directory order.
    case all
    case list([String])
}

/// The fields every attack understands. [SPEC §7]
public struct AttackCommon: Sendable {
    public static let keys = ["kind", "users", "user", "password", "passwords", "protocol", "protocols", "from", "port", "auth",
                              "mfa", "client", "device", "interval", "jitter"]

    public var users: UserSelection
    /// Empty when the step names none (some kinds have a default).
    public var passwords: [PasswordSpec]
    /// At least one; attempts cycle through them. Default AzureAD.
    public var protocols: [AccessProtocol]
    /// Source addresses; attempts cycle through them.
    public var from: [String]
    public var port: Int?
    public var auth: ClientAccessAuthenticationMethod?
    public var mfaDone: Bool
    public var userAgent: String?
    public var device: DeviceInfo?
    /// The pause between two attempts on the simulated clock (default 1s).
    public var interval: TimeInterval
    /// Up to this much more, chosen from the scenario's seed, added to each pause.
    public var jitter: TimeInterval

    /// The client of attempt number `n` (0-based): protocols and addresses taken in turn.
    public func client(_ n: Int) -> ClientSpec {
        ClientSpec(accessProtocol: protocols[n % protocols.count], from: from[n % from.count], port: port, auth: auth,
                   mfaDone: mfaDone, userAgent: userAgent, middleTier: false, device: device)
    }
}

/// What an attack can do to the scenario's tenant: the same operations as the steps.
public protocol AttackEnvironment: AnyObject {
    var tenant: Tenant { get }
    /// The UPNs of a selection, in the order given (`all`: directory order).
    func users(_ selection: UserSelection) -> [String]
    /// One sign-in: evaluated, its changes applied and its records written.
    func signIn(user: String, password: PasswordSpec, client: ClientSpec) -> AccessDecision
    /// A sign-in followed by one mailbox action (the decision is the sign-in's if it was refused).
    func act(user: String, password: PasswordSpec, client: ClientSpec, action: MailboxAction, mailbox: String?,
             params: [String: String]) -> AccessDecision
    /// Cmdlets, as `user` (nil: the fixture's administrator). Returns the shell's result.
    func run(_ script: String, as user: String?) -> RunResult
    /// Moves the simulated clock forward (log retention is applied when the step ends).
    func pause(_ seconds: TimeInterval)
    /// A number in 0..<bound from the scenario's seed.
    func random(below bound: Int) -> Int
}

extension AttackEnvironment {
    /// The pause between attempts: the interval plus up to `jitter` more.
    public func pauseBetweenAttempts(_ common: AttackCommon) {
        var seconds = common.interval
        if common.jitter > 0 { seconds += Double(random(below: Int(common.jitter * 1_000) + 1)) / 1_000 }
        if seconds > 0 { pause(seconds) }
    }
}

/// What an attack achieved, for `expect:` and for failure messages.
public struct AttackReport: Sendable {
    public var attempts = 0
    public var allowed = 0
    public var denied = 0
    public var quarantined = 0
    /// Users an attempt got into (an Allowed decision), in the order it happened.
    public private(set) var compromised: [String] = []
    /// Users whose password the attempts proved right, whether or not they got in (a denial
    /// after the credential stage — MFA, a rule, a protocol switch — still confirms it).
    public private(set) var confirmed: [String] = []
    /// Users smart lockout locked during the attack.
    public private(set) var locked: [String] = []
    /// The kind's own measures (`rules`, `items`, ...).
    public var measures: [String: Int] = [:]
    /// Decisions by user and outcome, for explanations: "adele@…: Denied InvalidCredentials ×9".
    public private(set) var tally: [String: [String: Int]] = [:]
    private var tallyOrder: [String] = []

    public init() {}

    /// Reasons decided before the password was checked, or by a wrong password.
    static let unconfirmedReasons: Set<String> = ["UserNotFound", "AccountDisabled", "AccountLocked", "InvalidCredentials", "BasicAuthBlocked"]

    /// Counts one attempt's decision.
    public mutating func count(user: String, _ decision: AccessDecision) {
        attempts += 1
        switch decision.outcome {
        case .Allowed:
            allowed += 1
            Self.add(user, to: &compromised)
        case .Denied: denied += 1
        case .Quarantined: quarantined += 1
        }
        if !Self.unconfirmedReasons.contains(decision.reason) { Self.add(user, to: &confirmed) }
        if decision.reason == "AccountLocked" { Self.add(user, to: &locked) }
        let key = "\(decision.outcome.rawValue) \(decision.reason)"
        if tally[user] == nil { tallyOrder.append(user) }
        tally[user, default: [:]][key, default: 0] += 1
    }

    private static func add(_ user: String, to list: inout [String]) {
        if !list.contains(where: { $0.lowercased() == user.lowercased() }) { list.append(user) }
    }

    /// A user-list measure by name.
    public func users(_ key: String) -> [String] {
        switch key {
        case "compromised": compromised
        case "confirmed": confirmed
        case "locked": locked
        default: []
        }
    }

    /// A count measure by name.
    public func count(_ key: String) -> Int? {
        switch key {
        case "attempts": attempts
        case "allowed": allowed
        case "denied": denied
        case "quarantined": quarantined
        default: measures[key]
        }
    }

    /// A readable summary: the totals, then each user's decisions.
    public var summary: String {
        var lines = ["\(attempts) attempts: \(allowed) allowed, \(denied) denied, \(quarantined) quarantined"
                     + (compromised.isEmpty ? "" : "; compromised \(compromised.joined(separator: ", "))")
                     + (locked.isEmpty ? "" : "; locked \(locked.joined(separator: ", "))")]
        for (k, v) in measures.sorted(by: { $0.key < $1.key }) { lines.append("\(k): \(v)") }
        for user in tallyOrder.prefix(12) {
            let parts = (tally[user] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            lines.append("\(user): \(parts.joined(separator: ", "))")
        }
        if tallyOrder.count > 12 { lines.append("… and \(tallyOrder.count - 12) more users") }
        return lines.joined(separator: "\n")
    }
}
