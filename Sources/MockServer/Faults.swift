import AuditLog
import Foundation
import Synchronization

/// A fault rule: which requests it hits, and what they get instead of (or besides) the answer.
public struct FaultRule: Sendable, Hashable {
    public var id: String
    /// A route template (`/v1.0/users`) or a path prefix ending in `*`; nil matches every route.
    public var route: String?
    /// An InvokeCommand cmdlet name; nil matches any.
    public var cmdlet: String?
    public var method: String?
    /// Chance of hitting a matching request (0...1); 1 when omitted.
    public var probability: Double
    /// Hit only every n-th matching request.
    public var everyNth: Int?
    /// The status answered (429, 500, 503...); nil for latency only.
    public var status: Int?
    /// Seconds, for `Retry-After` on a 429/503.
    public var retryAfter: Int?
    /// Seconds added before answering.
    public var latency: Double
    /// How many times the rule may fire; nil for no limit.
    public var limit: Int?

    public init(id: String, route: String? = nil, cmdlet: String? = nil, method: String? = nil, probability: Double = 1,
                everyNth: Int? = nil, status: Int? = nil, retryAfter: Int? = nil, latency: Double = 0, limit: Int? = nil) {
        self.id = id
        self.route = route
        self.cmdlet = cmdlet
        self.method = method
        self.probability = probability
        self.everyNth = everyNth
        self.status = status
        self.retryAfter = retryAfter
        self.latency = latency
        self.limit = limit
    }
}

/// What a rule decided for one request.
public struct FaultDecision: Sendable {
    public var ruleId: String
    public var status: Int?
    public var retryAfter: Int?
    public var latency: Double
}

/// Per-rule counters, and whether clients honoured the `Retry-After` they were given.
public struct FaultStats: Sendable, Hashable {
    public var matched = 0
    public var fired = 0
    /// Requests a client sent on the same route before its `Retry-After` had passed.
    public var retriedTooSoon = 0
    /// Requests sent after waiting at least `Retry-After`.
    public var retriedAfterWaiting = 0
}

/// Injects faults by route or cmdlet, deterministically (a seeded generator), and checks
/// whether clients honoured `Retry-After`.
public final class FaultInjector: Sendable {
    private struct State {
        var rules: [FaultRule] = []
        var stats: [String: FaultStats] = [:]
        var rng: UInt64 = 0x5EED_FA17
        /// (client, route) → (rule, earliest allowed retry).
        var pendingRetries: [String: (rule: String, notBefore: ContinuousClock.Instant)] = [:]
    }
    private let state = Mutex(State())

    public var rules: [FaultRule] { state.withLock { $0.rules } }

    public func stats(_ id: String) -> FaultStats? { state.withLock { $0.stats[id] } }

    /// Adds or replaces (by id) a rule.
    public func add(_ rule: FaultRule) {
        state.withLock { s in
            s.rules.removeAll { $0.id == rule.id }
            s.rules.append(rule)
            s.stats[rule.id] = FaultStats()
        }
    }

    @discardableResult
    public func remove(_ id: String) -> Bool {
        state.withLock { s in
            let before = s.rules.count
            s.rules.removeAll { $0.id == id }
            return s.rules.count != before
        }
    }

    public func clear() {
        state.withLock { $0 = State() }
    }

    static func matches(_ rule: FaultRule, request: SimRequest, route: String?, cmdlet: String?) -> Bool {
        if let m = rule.method, m.uppercased() != request.method { return false }
        if let c = rule.cmdlet, c.caseInsensitiveCompare(cmdlet ?? "") != .orderedSame { return false }
        if let r = rule.route {
            if r.hasSuffix("*") {
                if !request.path.lowercased().hasPrefix(String(r.dropLast()).lowercased()) { return false }
            } else if r.caseInsensitiveCompare(route ?? "") != .orderedSame && r.caseInsensitiveCompare(request.path) != .orderedSame {
                return false
            }
        }
        return true
    }

    /// `cmdlet` is only worked out (it parses an InvokeCommand body) when a rule exists.
    func decide(request: SimRequest, route: String?, cmdlet: () -> String?) -> FaultDecision? {
        state.withLock { s in
            guard !s.rules.isEmpty else { return nil }
            let cmdlet = cmdlet()
            for rule in s.rules where Self.matches(rule, request: request, route: route, cmdlet: cmdlet) {
                var st = s.stats[rule.id] ?? FaultStats()
                st.matched += 1
                // A request from a client that was told to wait: did it?
                let key = "\(request.clientIP) \(route ?? request.path)"
                if let pending = s.pendingRetries[key], pending.rule == rule.id {
                    if ContinuousClock.now < pending.notBefore { st.retriedTooSoon += 1 } else { st.retriedAfterWaiting += 1 }
                    s.pendingRetries[key] = nil
                }
                var fire = true
                if let n = rule.everyNth, n > 1 { fire = st.matched % n == 0 }
                if fire, rule.probability < 1 {
                    s.rng &+= 0x9E37_79B9_7F4A_7C15
                    var z = s.rng
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    z ^= z >> 31
                    fire = Double(z >> 11) / Double(1 << 53) < rule.probability
                }
                if let limit = rule.limit, st.fired >= limit { fire = false }
                if fire {
                    st.fired += 1
                    if let retry = rule.retryAfter, rule.status != nil {
                        s.pendingRetries[key] = (rule.id, ContinuousClock.now + .seconds(retry))
                    }
                }
                s.stats[rule.id] = st
                if fire { return FaultDecision(ruleId: rule.id, status: rule.status, retryAfter: rule.retryAfter, latency: rule.latency) }
            }
            return nil
        }
    }
}
