import Foundation
import TenantModel

/// One connection as client access rules see it: what Test-ClientAccessRule is given, and
/// what the access pipeline derives from an ``AccessAttempt``. [EXCHANGE-FACTS 1.3, 1.6]
public struct ClientAccessRuleAttempt: Sendable, Hashable {
    public var clientProtocol: ClientAccessProtocol
    public var authenticationType: ClientAccessAuthenticationMethod
    public var remoteAddress: IPAddress
    public var remotePort: Int
    /// The `Domain\User` name username patterns match against.
    public var accountName: String {
        didSet { loweredAccountName = Array(accountName.lowercased().utf8) }
    }
    /// The account name lower-cased, as bytes (patterns are matched against it).
    public private(set) var loweredAccountName: [UInt8]
    /// UserRecipientFilter properties by lower-cased name (`city`, `customattribute1`, ...).
    public var recipientAttributes: [String: String]
    /// A middle-tier app (Scope All only) rather than an end-user client.
    public var isMiddleTierApp: Bool

    public init(protocol: ClientAccessProtocol, authenticationType: ClientAccessAuthenticationMethod, remoteAddress: IPAddress,
                remotePort: Int, userPrincipalName: String, user: User?, mailbox: Mailbox?, isMiddleTierApp: Bool = false) {
        self.clientProtocol = `protocol`
        self.authenticationType = authenticationType
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        let accountName = ClientAccessRuleMatcher.accountName(userPrincipalName: userPrincipalName)
        self.accountName = accountName
        self.loweredAccountName = Array(accountName.lowercased().utf8)
        self.recipientAttributes = ClientAccessRuleMatcher.recipientAttributes(user: user, mailbox: mailbox)
        self.isMiddleTierApp = isMiddleTierApp
    }

    /// The connection reduced to the numbers a compiled rule tests.
    var key: ConnectionKey {
        ConnectionKey(clientProtocol, authenticationType, address: ConnectionAddress(remoteAddress), isMiddleTierApp: isMiddleTierApp)
    }
}

/// Whether one client access rule matches a connection: the rule compiled once (patterns
/// lower-cased, IP ranges merged, the recipient filter parsed) and tested with `matches`.
/// The access pipeline uses the same compiled form through ``CompiledPolicy``.
/// [EXCHANGE-FACTS 1.3, 1.5]
public struct ClientAccessRuleMatcher: Sendable {
    public let rule: ClientAccessRule
    let table: RuleTable

    public init(_ rule: ClientAccessRule) {
        self.rule = rule
        table = RuleTable([rule])
    }

    /// AND over every non-empty condition, and no non-empty exception matching. Whether the
    /// rule is enabled is the caller's business (Test-ClientAccessRule counts disabled rules).
    public func matches(_ a: ClientAccessRuleAttempt) -> Bool {
        table.firstMatch(from: 0, a.key, account: .lowered(a.loweredAccountName)) { _ in
            table.filters[0]?.evaluate(a.recipientAttributes) ?? false
        } != nil
    }

    /// The rules that match, in priority order. Real evaluation skips disabled rules;
    /// Test-ClientAccessRule counts them as enabled. [EXCHANGE-FACTS 1.6]
    public static func matchingRules(_ rules: [ClientAccessRule], _ attempt: ClientAccessRuleAttempt,
                                     treatDisabledAsEnabled: Bool = false) -> [ClientAccessRule] {
        rules.filter { ($0.enabled || treatDisabledAsEnabled) && ClientAccessRuleMatcher($0).matches(attempt) }
    }

    /// The rule whose action applies: the first enabled match (none: the connection is allowed).
    public static func decidingRule(_ rules: [ClientAccessRule], _ attempt: ClientAccessRuleAttempt) -> ClientAccessRule? {
        rules.first { $0.enabled && ClientAccessRuleMatcher($0).matches(attempt) }
    }

    /// Whether a protocol supports `auth` as an authentication-type filter; other
    /// combinations never match. [EXCHANGE-FACTS 1.5 table]
    public static func supportsAuthenticationFilter(_ p: ClientAccessProtocol, _ auth: ClientAccessAuthenticationMethod) -> Bool {
        ConnectionKey.supportedAuthenticationBits(p) & ConnectionKey.bit(auth) != 0
    }

    /// The save-time check of New/Set-ClientAccessRule: when every protocol the rule names
    /// (conditions and exceptions) is RemotePowerShell, AdfsAuthentication is refused; when
    /// they are all OutlookWebApp/ExchangeAdminCenter, NonBasicAuthentication is.
    /// [EXSRC ClientAccessRulesStorageManager, EXCHANGE-FACTS 1.5]
    public static func authenticationTypesAreValid(_ rule: ClientAccessRule) -> Bool {
        let authTypes = Set(rule.anyOfAuthenticationTypes + rule.exceptAnyOfAuthenticationTypes)
        func namesOnly(_ allowed: Set<ClientAccessProtocol>) -> Bool {
            let named = rule.anyOfProtocols + rule.exceptAnyOfProtocols
            return !named.isEmpty && named.allSatisfy(allowed.contains)
        }
        if namesOnly([.RemotePowerShell]) { return !authTypes.contains(.AdfsAuthentication) }
        if namesOnly([.OutlookWebApp, .ExchangeAdminCenter]) { return !authTypes.contains(.NonBasicAuthentication) }
        return true
    }

    /// The account name patterns match: `<UPN domain>\<UPN local part>`, e.g.
    /// `brittest.onmicrosoft.com\britton`, after the documentation's `contoso.com\jeff`.
    /// The composition for cloud users is UNCONFIRMED [EXCHANGE-FACTS 1.3]; see Docs/fidelity.md.
    public static func accountName(userPrincipalName upn: String) -> String {
        guard let at = upn.lastIndex(of: "@") else { return upn }
        return String(upn[upn.index(after: at)...]) + "\\" + String(upn[..<at])
    }

    /// A pattern matches the whole name, ignoring case; `*` is any run of characters and
    /// every other character is literal (the regex-escaped, anchored pattern of Exchange's
    /// code). Both arguments lower-cased. [EXCHANGE-FACTS 1.3]
    public static func wildcardMatches(pattern: String, _ text: String) -> Bool {
        wildcardMatches(Array(pattern.utf8), Array(text.utf8))
    }

    /// The same over UTF-8 bytes (`*` is 0x2A and never part of a multi-byte character).
    public static func wildcardMatches(_ p: [UInt8], _ t: [UInt8]) -> Bool {
        Glob.matches(p, t)
    }

    /// The values UserRecipientFilter can test: the directory user's address attributes and
    /// the mailbox's custom attributes, by lower-cased property name.
    public static func recipientAttributes(user: User?, mailbox: Mailbox?) -> [String: String] {
        var out: [String: String] = [:]
        for name in UserRecipientFilter.properties {
            if let v = UserRecipientFilter.value(of: name, user: user, mailbox: mailbox) { out[name.lowercased()] = v }
        }
        return out
    }
}

// MARK: - UserRecipientFilter

/// A client access rule's OPATH recipient filter, over the restricted property set.
/// The documentation names `-eq` (exact) and `-like` (`*` wildcards) with `-and`, `-or` and
/// parentheses; Exchange parses it with its full OPATH parser (QueryParser.Capabilities.All),
/// so the other OPATH operators are accepted too. [EXCHANGE-FACTS 1.2; EXSRC
/// ADClientAccessRule.ValidateUserRecipientFilterParsesWithSchema]
public struct UserRecipientFilter: Sendable {
    /// The properties the filter may name, as Exchange spells them.
    public static let properties: [String] = ["City", "Company", "CountryOrRegion"] + (1...15).map { "CustomAttribute\($0)" }
        + ["Department", "Office", "PostalCode", "StateOrProvince", "StreetAddress"]

    public struct ParseError: Error, Hashable {
        public var message: String
        public var exception: String
    }

    public let filter: OPathFilter

    /// Parses a filter; the error carries the parser's own message (the rule is checked when
    /// it is saved, not when the parameter binds, so there is no "Cannot bind" frame).
    public static func parse(_ text: String) throws(ParseError) -> UserRecipientFilter {
        do throws(OPathFilter.Failure) {
            return UserRecipientFilter(filter: try OPathFilter.parse(text, properties: properties))
        } catch {
            switch error {
            case .syntax(let position):
                throw ParseError(message: "Invalid filter syntax. For a description of the filter parameter syntax see the command help.\n\"\(text)\" at position \(position).",
                                 exception: "ParsingException")
            case .unknownProperty(let name, let position):
                let valid = properties.sorted { $0.lowercased() < $1.lowercased() }.joined(separator: ", ")
                throw ParseError(message: "\"\(name)\" is not a recognized filterable property. Valid property names are: \(valid).\n\"\(text)\" at position \(position).",
                                 exception: "ParsingNonFilterablePropertyException")
            }
        }
    }

    /// Whether a user with these attributes (lower-cased names) passes the filter.
    public func evaluate(_ attributes: [String: String]) -> Bool {
        evaluate { attributes[$0.lowercased()] }
    }

    /// Whether a user passes the filter; `value` reads a property by its canonical name.
    public func evaluate(_ value: (String) -> String?) -> Bool {
        filter.matches { name in (value(name).map(PropertyValue.string) ?? .null, .string) }
    }

    /// A filter property's value for a directory user and their mailbox: the address
    /// attributes are the user's, CustomAttribute1–15 the mailbox's.
    public static func value(of property: String, user: User?, mailbox: Mailbox?) -> String? {
        switch property {
        case "City": return user?.city
        case "Company": return user?.company
        case "CountryOrRegion": return user?.countryOrRegion
        case "Department": return user?.department
        case "Office": return user?.office
        case "PostalCode": return user?.postalCode
        case "StateOrProvince": return user?.stateOrProvince
        case "StreetAddress": return user?.streetAddress
        default:
            guard let mailbox, property.hasPrefix("CustomAttribute"), let n = Int(property.dropFirst(15)),
                  n >= 1, n <= mailbox.customAttributes.count else { return nil }
            return mailbox.customAttributes[n - 1]
        }
    }
}

// MARK: - Pattern matching without allocation

/// The account name as username patterns read it: `domain\local`, lower-cased, as bytes.
typealias AccountText = UnsafeBufferPointer<UInt8>

/// A username pattern compiled: its shape decides the cheapest exact test. `*` is any run of
/// characters and everything else literal, matched against the whole name.
/// [EXCHANGE-FACTS 1.3]
enum PatternShape: UInt8, Sendable {
    /// No `*`: the whole name.
    case exact
    /// `text*`
    case prefix
    /// `*text`
    case suffix
    /// `*text*`
    case contains
    /// `*` alone (or only stars): everything.
    case any
    /// Stars inside: the general matcher.
    case general

    /// The shape of a lower-cased pattern and the literal part the shortcuts compare.
    static func of(_ p: [UInt8]) -> (PatternShape, Range<Int>) {
        let star: UInt8 = 0x2A
        let stars = p.indices.filter { p[$0] == star }
        if stars.isEmpty { return (.exact, 0..<p.count) }
        if stars.count == p.count { return (.any, 0..<0) }
        let leading = p.first == star, trailing = p.last == star
        let inner = stars.filter { $0 != 0 && $0 != p.count - 1 }
        guard inner.isEmpty else { return (.general, 0..<p.count) }
        switch (leading, trailing) {
        case (true, true): return p.count >= 2 ? (.contains, 1..<(p.count - 1)) : (.any, 0..<0)
        case (false, true): return (.prefix, 0..<(p.count - 1))
        case (true, false): return (.suffix, 1..<p.count)
        default: return (.general, 0..<p.count)
        }
    }
}

enum Glob {
    /// Anchored match, `*` any run of bytes, every other byte literal; the pattern is
    /// lower-cased already. [EXCHANGE-FACTS 1.3]
    static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: AccountText) -> Bool {
        let star: UInt8 = 0x2A
        let n = t.count
        var pi = 0, ti = 0, starAt = -1, mark = 0
        while ti < n {
            if pi < p.count && p[pi] != star && p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == star {
                starAt = pi; mark = ti; pi += 1
            } else if starAt >= 0 {
                pi = starAt + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == star { pi += 1 }
        return pi == p.count
    }

    /// The same test through a shape's shortcut: `literal` is the pattern without its
    /// leading and trailing star (the whole pattern for `general`).
    @inline(__always)
    static func matches(_ shape: PatternShape, _ literal: UnsafeBufferPointer<UInt8>, _ t: AccountText) -> Bool {
        switch shape {
        case .any: return true
        case .exact: return literal.count == t.count && equal(literal, t, at: 0)
        case .prefix: return literal.count <= t.count && equal(literal, t, at: 0)
        case .suffix: return literal.count <= t.count && equal(literal, t, at: t.count - literal.count)
        case .contains:
            guard literal.count <= t.count else { return false }
            let first = literal[0]
            for i in 0...(t.count - literal.count) where t[i] == first && equal(literal, t, at: i) { return true }
            return false
        case .general: return matches(literal, t)
        }
    }

    @inline(__always)
    private static func equal(_ literal: UnsafeBufferPointer<UInt8>, _ t: AccountText, at offset: Int) -> Bool {
        for j in 0..<literal.count where literal[j] != t[offset + j] { return false }
        return true
    }

    static func matches(_ p: [UInt8], _ t: [UInt8]) -> Bool {
        p.withUnsafeBufferPointer { pattern in t.withUnsafeBufferPointer { matches(pattern, $0) } }
    }
}

/// Where the account name comes from.
enum AccountName {
    /// `domain\local`, already lower-cased (Test-ClientAccessRule's attempt).
    case lowered([UInt8])
    /// A directory user's UPN (the pipeline): composed into a stack buffer, never a string.
    case upn(String)

    func withText<R>(_ body: (AccountText) -> R) -> R {
        switch self {
        case .lowered(let bytes):
            return bytes.withUnsafeBufferPointer(body)
        case .upn(let upn):
            var text = upn
            let fast: R? = text.withUTF8 { source -> R? in
                var at = -1
                for i in source.indices {
                    let b = source[i]
                    if b >= 0x80 { return nil }
                    if b == 0x40 { at = i }
                }
                guard at >= 0 else { return nil }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: source.count) { out -> R in
                    // `domain\local`, ASCII lower-cased.
                    var k = 0
                    for i in (at + 1)..<source.count { out[k] = Self.lower(source[i]); k += 1 }
                    out[k] = 0x5C; k += 1
                    for i in 0..<at { out[k] = Self.lower(source[i]); k += 1 }
                    return body(UnsafeBufferPointer(out))
                }
            }
            if let fast { return fast }
            // Non-ASCII or no `@`: compose and lower-case the slow way (Unicode case mapping).
            let lowered = Array(ClientAccessRuleMatcher.accountName(userPrincipalName: upn).lowercased().utf8)
            return lowered.withUnsafeBufferPointer(body)
        }
    }

    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
}
