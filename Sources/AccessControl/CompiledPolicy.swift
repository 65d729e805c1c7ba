import Foundation
import TenantModel

/// The tenant's access configuration compiled once, so that deciding an attempt parses no
/// text and allocates nothing for the rules: client access rules as a flat array in priority
/// order (IP conditions as merged sorted intervals, username patterns lower-cased, protocol
/// and authentication sets as bit masks, the recipient filter parsed), the ActiveSync device
/// rules indexed, and the authentication policies by name.
///
/// Compile again when ``Tenant/policyRevision`` changes; ``revision`` records the one this
/// was compiled from.
public struct CompiledPolicy: Sendable {
    /// The tenant's ``Tenant/policyRevision`` when this was compiled.
    public let revision: Int
    /// True for Test-ClientAccessRule's view, which counts disabled rules. [EXCHANGE-FACTS 1.6]
    public let includesDisabledRules: Bool
    /// The client access rules that take part, in priority order (disabled ones skipped
    /// unless ``includesDisabledRules``). [EXCHANGE-FACTS 1.3]
    public let clientAccessRules: [CompiledClientAccessRule]
    /// The ActiveSync device access rules, indexed by characteristic. [EXCHANGE-FACTS 2.2]
    public let deviceRules: DeviceRuleIndex
    /// `Get-OrganizationConfig` DefaultAuthenticationPolicy.
    public let defaultAuthenticationPolicyName: String?
    private let authenticationPolicies: [String: AuthenticationPolicy]
    /// The rules' conditions as flat tables, what matching reads.
    let table: RuleTable

    public init(_ tenant: Tenant, includeDisabledRules: Bool = false) {
        revision = tenant.policyRevision
        includesDisabledRules = includeDisabledRules
        let rules = tenant.clientAccessRules.filter { includeDisabledRules || $0.enabled }
        clientAccessRules = rules.map(CompiledClientAccessRule.init)
        table = RuleTable(rules)
        deviceRules = DeviceRuleIndex(tenant.deviceAccessRules)
        defaultAuthenticationPolicyName = tenant.organizationConfig.defaultAuthenticationPolicy
        var byName: [String: AuthenticationPolicy] = [:]
        for p in tenant.authenticationPolicies {
            byName[p.name] = p
            let folded = p.name.lowercased()
            if byName[folded] == nil { byName[folded] = p }
        }
        authenticationPolicies = byName
    }

    /// The authentication policy of that name (exact, else ignoring case).
    public func authenticationPolicy(named name: String) -> AuthenticationPolicy? {
        authenticationPolicies[name] ?? authenticationPolicies[name.lowercased()]
    }

    /// Every rule that matches, in priority order: Test-ClientAccessRule's answer.
    public func matchingRules(_ attempt: ClientAccessRuleAttempt) -> [CompiledClientAccessRule] {
        let key = attempt.key
        let account = AccountName.lowered(attempt.loweredAccountName)
        var out: [CompiledClientAccessRule] = []
        var next = 0
        while let i = table.firstMatch(from: next, key, account: account, filter: { table.filters[$0]?.evaluate(attempt.recipientAttributes) ?? false }) {
            out.append(clientAccessRules[i])
            next = i + 1
        }
        return out
    }

    /// The rule whose action applies: the first that matches (none: implicitly allowed).
    public func decidingRule(_ attempt: ClientAccessRuleAttempt) -> CompiledClientAccessRule? {
        table.firstMatch(from: 0, attempt.key, account: .lowered(attempt.loweredAccountName)) {
            table.filters[$0]?.evaluate(attempt.recipientAttributes) ?? false
        }.map { clientAccessRules[$0] }
    }

    /// The pipeline's form: the first rule matching a directory user's connection. A rule's
    /// recipient filter reads `user` and, for CustomAttribute1–15, the user's mailbox.
    func decidingRule(_ key: ConnectionKey, user: User, tenant: Tenant, mailbox: (User, Tenant) -> Mailbox?) -> CompiledClientAccessRule? {
        table.firstMatch(from: 0, key, account: .upn(user.userPrincipalName)) { i in
            table.filters[i]?.evaluate { name in
                UserRecipientFilter.value(of: name, user: user, mailbox: name.hasPrefix("CustomAttribute") ? mailbox(user, tenant) : nil)
            } ?? false
        }.map { clientAccessRules[$0] }
    }
}

/// One client access rule as decisions name it. [EXCHANGE-FACTS 1.2]
public struct CompiledClientAccessRule: Sendable, Hashable {
    public let name: String
    public let guid: UUID
    public let priority: Int
    public let enabled: Bool
    public let action: ClientAccessRulesAction
    public let scope: ClientAccessRulesScope

    public init(_ rule: ClientAccessRule) {
        name = rule.name
        guid = rule.guid
        priority = rule.priority
        enabled = rule.enabled
        action = rule.action
        scope = rule.scope
    }
}

/// The conditions and exceptions of a list of client access rules as flat tables: one
/// header of plain numbers per rule (protocol and authentication bit masks, slices into the
/// address and pattern tables), every IP condition as merged sorted intervals, every
/// username pattern lower-cased in one byte array. Matching walks the headers without
/// reference counting and reads a table only when a rule has such a condition.
struct RuleTable: Sendable {
    struct Slice: Sendable {
        var start: Int32 = 0
        var count: Int32 = 0
    }

    /// One pattern: its shape and the literal bytes its shortcut compares.
    struct Pattern: Sendable {
        var shape: PatternShape
        var literal: Slice
    }

    /// A rule's address list: intervals per family, or absent (no condition).
    struct Addresses: Sendable {
        var present = false
        var v4 = Slice()
        var v6 = Slice()
    }

    struct Header: Sendable {
        /// Scope Users: not applied to middle-tier apps.
        var usersOnly = false
        var protocols: UInt16 = 0
        var exceptProtocols: UInt16 = 0
        var authenticationTypes: UInt8 = 0
        var exceptAuthenticationTypes: UInt8 = 0
        var addresses = Addresses()
        var exceptAddresses = Addresses()
        /// Slices of `patterns`.
        var patterns = Slice()
        var exceptPatterns = Slice()
        var hasFilter = false
    }

    private(set) var headers: [Header] = []
    private var v4Low: [UInt32] = [], v4High: [UInt32] = []
    private var v6Low: [UInt128] = [], v6High: [UInt128] = []
    /// Every pattern's lower-cased bytes, back to back; `patterns` slices it.
    private var patternBytes: [UInt8] = []
    private var patterns: [Pattern] = []
    /// Each rule's parsed recipient filter: nil without one, or when it doesn't parse (the
    /// header's `hasFilter` tells which; such a rule matches nobody).
    private(set) var filters: [UserRecipientFilter?] = []

    init(_ rules: [ClientAccessRule]) {
        for rule in rules {
            var h = Header()
            h.usersOnly = rule.scope == .Users
            h.protocols = rule.anyOfProtocols.reduce(0) { $0 | ConnectionKey.bit($1) }
            h.exceptProtocols = rule.exceptAnyOfProtocols.reduce(0) { $0 | ConnectionKey.bit($1) }
            h.authenticationTypes = rule.anyOfAuthenticationTypes.reduce(0) { $0 | ConnectionKey.bit($1) }
            h.exceptAuthenticationTypes = rule.exceptAnyOfAuthenticationTypes.reduce(0) { $0 | ConnectionKey.bit($1) }
            h.addresses = addIntervals(rule.anyOfClientIPAddressesOrRanges)
            h.exceptAddresses = addIntervals(rule.exceptAnyOfClientIPAddressesOrRanges)
            h.patterns = addPatterns(rule.usernameMatchesAnyOfPatterns)
            h.exceptPatterns = addPatterns(rule.exceptUsernameMatchesAnyOfPatterns)
            let filterText = rule.userRecipientFilter ?? ""
            h.hasFilter = !filterText.trimmedWhitespace.isEmpty
            filters.append(h.hasFilter ? try? UserRecipientFilter.parse(filterText) : nil)
            headers.append(h)
        }
    }

    private mutating func addIntervals(_ ranges: [IPRange]) -> Addresses {
        guard !ranges.isEmpty else { return Addresses() }
        var v4: [(UInt128, UInt128)] = [], v6: [(UInt128, UInt128)] = []
        for r in ranges {
            if r.lowerBound.family == .v4 { v4.append((r.lowerBound.value, r.upperBound.value)) } else { v6.append((r.lowerBound.value, r.upperBound.value)) }
        }
        var out = Addresses(present: true)
        out.v4.start = Int32(v4Low.count)
        for (low, high) in Self.merged(v4) {
            v4Low.append(UInt32(truncatingIfNeeded: low))
            v4High.append(UInt32(truncatingIfNeeded: high))
        }
        out.v4.count = Int32(v4Low.count) - out.v4.start
        out.v6.start = Int32(v6Low.count)
        for (low, high) in Self.merged(v6) {
            v6Low.append(low)
            v6High.append(high)
        }
        out.v6.count = Int32(v6Low.count) - out.v6.start
        return out
    }

    /// Sorted by start, overlapping and adjacent intervals joined.
    private static func merged(_ intervals: [(UInt128, UInt128)]) -> [(UInt128, UInt128)] {
        var out: [(UInt128, UInt128)] = []
        for (low, high) in intervals.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, last.1 == .max || low <= last.1 + 1 {
                out[out.count - 1].1 = max(last.1, high)
            } else {
                out.append((low, high))
            }
        }
        return out
    }

    private mutating func addPatterns(_ list: [String]) -> Slice {
        let slice = Slice(start: Int32(patterns.count), count: Int32(list.count))
        for pattern in list {
            let bytes = Array(pattern.lowercased().utf8)
            let (shape, literal) = PatternShape.of(bytes)
            patterns.append(Pattern(shape: shape, literal: Slice(start: Int32(patternBytes.count + literal.lowerBound), count: Int32(literal.count))))
            patternBytes += bytes
        }
        return slice
    }

    /// The first rule at or after `start` whose conditions hold and no exception matches:
    /// AND over the non-empty conditions, any matching exception exempts the connection from
    /// that rule only. `filter(i)` decides the recipient filter of a rule that has one; it is
    /// asked last. [EXCHANGE-FACTS 1.3]
    func firstMatch(from start: Int, _ c: ConnectionKey, account: AccountName, filter: (Int) -> Bool) -> Int? {
        guard start < headers.count else { return nil }
        return withView { view in
            account.withText { text in Self.firstMatch(view, from: start, c, text, filter) }
        }
    }

    /// The tables as raw buffers, so the scan does no reference counting.
    private struct View {
        var headers: UnsafeBufferPointer<Header>
        var patterns: UnsafeBufferPointer<Pattern>
        var patternBytes: UnsafeBufferPointer<UInt8>
        var v4Low: UnsafeBufferPointer<UInt32>, v4High: UnsafeBufferPointer<UInt32>
        var v6Low: UnsafeBufferPointer<UInt128>, v6High: UnsafeBufferPointer<UInt128>
    }

    private func withView<R>(_ body: (View) -> R) -> R {
        headers.withUnsafeBufferPointer { h in
            patterns.withUnsafeBufferPointer { p in
                patternBytes.withUnsafeBufferPointer { b in
                    v4Low.withUnsafeBufferPointer { v4l in
                        v4High.withUnsafeBufferPointer { v4h in
                            v6Low.withUnsafeBufferPointer { v6l in
                                v6High.withUnsafeBufferPointer { v6h in
                                    body(View(headers: h, patterns: p, patternBytes: b, v4Low: v4l, v4High: v4h, v6Low: v6l, v6High: v6h))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func firstMatch(_ v: View, from start: Int, _ c: ConnectionKey, _ text: AccountText, _ filter: (Int) -> Bool) -> Int? {
        for i in start..<v.headers.count {
            let h = v.headers[i]
            // Scope Users: end-user connections only; All: middle-tier apps too. [EXCHANGE-FACTS 1.2]
            if h.usersOnly && c.isMiddleTierApp { continue }
            if h.protocols != 0 && h.protocols & c.protocolBit == 0 { continue }
            // An authentication type counts only where the protocol supports it as a filter. [EXCHANGE-FACTS 1.5]
            if h.authenticationTypes != 0 && h.authenticationTypes & c.authenticationBit & c.supportedAuthenticationBits == 0 { continue }
            if h.exceptProtocols & c.protocolBit != 0 { continue }
            if h.exceptAuthenticationTypes & c.authenticationBit & c.supportedAuthenticationBits != 0 { continue }
            if h.addresses.present && !contains(c.address, h.addresses, v) { continue }
            if h.exceptAddresses.present && contains(c.address, h.exceptAddresses, v) { continue }
            // Username patterns don't work with UniversalOutlook. [EXCHANGE-FACTS 1.2]
            if h.patterns.count > 0 && !(c.usernamePatternsApply && anyPattern(h.patterns, v, text)) { continue }
            if h.exceptPatterns.count > 0 && c.usernamePatternsApply && anyPattern(h.exceptPatterns, v, text) { continue }
            if h.hasFilter && !filter(i) { continue }
            return i
        }
        return nil
    }

    private static func anyPattern(_ slice: Slice, _ v: View, _ text: AccountText) -> Bool {
        for p in Int(slice.start)..<Int(slice.start + slice.count) {
            let pattern = v.patterns[p]
            let literal = UnsafeBufferPointer(rebasing: v.patternBytes[Int(pattern.literal.start)..<Int(pattern.literal.start + pattern.literal.count)])
            if Glob.matches(pattern.shape, literal, text) { return true }
        }
        return false
    }

    private static func contains(_ address: ConnectionAddress, _ a: Addresses, _ v: View) -> Bool {
        switch address {
        case .none: return false
        case .v4(let x): return contains(x, v.v4Low, v.v4High, a.v4)
        case .v6(let x): return contains(x, v.v6Low, v.v6High, a.v6)
        }
    }

    /// The last interval of the slice starting at or before `x` holds it, or none does.
    @inline(__always)
    private static func contains<T: FixedWidthInteger>(_ x: T, _ lows: UnsafeBufferPointer<T>, _ highs: UnsafeBufferPointer<T>, _ slice: Slice) -> Bool {
        var lo = Int(slice.start), hi = Int(slice.start + slice.count)
        let first = lo
        while lo < hi {
            let mid = (lo + hi) >> 1
            if lows[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo > first && x <= highs[lo - 1]
    }
}

// MARK: - The connection as numbers

/// A client address, parsed once per attempt.
enum ConnectionAddress: Sendable, Equatable {
    case none
    case v4(UInt32)
    case v6(UInt128)

    init(_ address: IPAddress) {
        self = address.family == .v4 ? .v4(UInt32(truncatingIfNeeded: address.value)) : .v6(address.value)
    }

    /// Parses IPv4 text without allocating; anything else goes through ``IPAddress/parse(_:)``.
    /// Text that isn't an address gives `.none`, which no IP condition matches.
    init(parsing text: String) {
        var value: UInt32 = 0, part: UInt32 = 0, digits = 0, dots = 0
        var simple = true
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 {
                part = part * 10 + UInt32(b - 0x30)
                digits += 1
                if digits > 3 || part > 255 { simple = false; break }
            } else if b == 0x2E {
                if digits == 0 || dots == 3 { simple = false; break }
                value = value << 8 | part
                part = 0; digits = 0; dots += 1
            } else {
                simple = false
                break
            }
        }
        if simple && dots == 3 && digits > 0 {
            self = .v4(value << 8 | part)
        } else if let parsed = IPAddress.parse(text) {
            self.init(parsed)
        } else {
            self = .none
        }
    }
}

/// What a compiled rule tests about a connection.
struct ConnectionKey: Sendable {
    var protocolBit: UInt16
    var authenticationBit: UInt8
    var supportedAuthenticationBits: UInt8
    var usernamePatternsApply: Bool
    var address: ConnectionAddress
    var isMiddleTierApp: Bool

    init(_ p: ClientAccessProtocol, _ auth: ClientAccessAuthenticationMethod, address: ConnectionAddress, isMiddleTierApp: Bool) {
        protocolBit = Self.bit(p)
        authenticationBit = Self.bit(auth)
        supportedAuthenticationBits = Self.supportedAuthenticationBits(p)
        usernamePatternsApply = p != .UniversalOutlook
        self.address = address
        self.isMiddleTierApp = isMiddleTierApp
    }

    static func bit(_ p: ClientAccessProtocol) -> UInt16 {
        switch p {
        case .ExchangeWebServices: return 1 << 0
        case .RemotePowerShell: return 1 << 1
        case .OutlookAnywhere: return 1 << 2
        case .POP3: return 1 << 3
        case .IMAP4: return 1 << 4
        case .OutlookWebApp: return 1 << 5
        case .ExchangeAdminCenter: return 1 << 6
        case .ExchangeActiveSync: return 1 << 7
        case .OfflineAddressBook: return 1 << 8
        case .PowerShellWebServices: return 1 << 9
        case .REST: return 1 << 10
        case .UniversalOutlook: return 1 << 11
        }
    }

    static func bit(_ a: ClientAccessAuthenticationMethod) -> UInt8 {
        switch a {
        case .BasicAuthentication: return 1 << 0
        case .NonBasicAuthentication: return 1 << 1
        case .AdfsAuthentication: return 1 << 2
        case .CertificateBasedAuthentication: return 1 << 3
        case .OAuthAuthentication: return 1 << 4
        }
    }

    /// The protocol × authentication-type table of the documentation: the types a protocol
    /// supports as a filter. EWS, OAB, Outlook Anywhere, PowerShell Web Services, REST and
    /// UniversalOutlook support none. [EXCHANGE-FACTS 1.5]
    static func supportedAuthenticationBits(_ p: ClientAccessProtocol) -> UInt8 {
        switch p {
        case .ExchangeActiveSync: return bit(.BasicAuthentication) | bit(.CertificateBasedAuthentication) | bit(.OAuthAuthentication)
        case .ExchangeAdminCenter, .OutlookWebApp: return bit(.AdfsAuthentication) | bit(.BasicAuthentication)
        case .IMAP4, .POP3: return bit(.BasicAuthentication) | bit(.OAuthAuthentication)
        case .RemotePowerShell: return bit(.BasicAuthentication) | bit(.NonBasicAuthentication)
        default: return 0
        }
    }
}
