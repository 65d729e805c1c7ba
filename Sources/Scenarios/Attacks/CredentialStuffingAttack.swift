import AccessControl
import Foundation
import TenantModel
import TenantStore

/// `credential-stuffing`: user:password pairs known from a breach tried against the tenant
/// over several protocols, one after another, the way MFASweep probes every service for one
/// that takes the password alone. [MITRE ATT&CK T1110.004; golden t1592.004_mfa_sweep.csv]
///
/// It finds the legacy-protocol MFA gap: per-user MFA *Enabled* (not yet registered) still
/// lets IMAP, POP, ActiveSync and EWS in with the password over Basic authentication while
/// the modern sign-in is refused; *Enforced* refuses the password everywhere — unless an
/// app password leaked too (`user:app-password`). [EXCHANGE-FACTS 6.2]
///
/// Fields: `credentials` (a list of `user:password`; the password may be `correct`, `wrong`
/// or `app-password`), or `user`/`users` with `password` (default `correct`: the breach holds
/// the real passwords); `protocols` (default AzureAD, OutlookWebApp, ExchangeWebServices,
/// ExchangeActiveSync, IMAP4, POP3 — every credential is tried over each in turn);
/// `stop-on-success` (default false: sweep every protocol); `from`, `interval`, `device` (for
/// ActiveSync; default an Android phone) and the other common fields.
///
/// Measures: `legacy-allowed` and `modern-allowed` (allowed attempts with Basic and with
/// modern authentication), `mfa-bypassed` (users whose credential MFA refused on one
/// protocol while a Basic protocol let the same credential in).
public struct CredentialStuffingAttack: Attack {
    public static let kind = "credential-stuffing"
    public static let summary = "known user:password pairs over several protocols; finds where MFA doesn't reach (legacy Basic auth)"
    public static let fields = ["credentials", "stop-on-success"]
    public static let measures = ["legacy-allowed", "modern-allowed", "mfa-bypassed"]

    static let defaultProtocols: [AccessProtocol] = [.AzureAD, .OutlookWebApp, .ExchangeWebServices, .ExchangeActiveSync, .IMAP4, .POP3]
    static let mfaReasons: Set<String> = ["MfaRequired", "MfaRegistrationRequired", "AppPasswordRequired"]

    public var common: AttackCommon
    /// The pairs, in the order tried (nil user list: every user in the directory).
    public var credentials: [(user: String, password: PasswordSpec)]
    public var everyone: PasswordSpec?
    public var stopOnSuccess: Bool

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> CredentialStuffingAttack {
        var common = common
        if !AttackSupport.namesProtocol(fields) { common.protocols = defaultProtocols }
        var pairs: [(String, PasswordSpec)] = []
        var everyone: PasswordSpec?
        if let list = try fields.strings("credentials") {
            if fields.has("user") || fields.has("users") || fields.has("password") || fields.has("passwords") {
                throw fields.error(fields.value("credentials"), "Give either `credentials:` (user:password pairs) or `users:` with `password:`, not both.")
            }
            for entry in list {
                guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex, entry.index(after: colon) != entry.endIndex else {
                    throw fields.error(fields.value("credentials"), "Each credential is `user:password` (\"\(entry)\" isn't).")
                }
                pairs.append((String(entry[..<colon]).trimmedWhitespace, PasswordSpec.parse(String(entry[entry.index(after: colon)...]))))
            }
            guard !pairs.isEmpty else { throw fields.missing("credentials", hint: "user:password pairs") }
        } else {
            guard fields.has("user") || fields.has("users") else {
                throw fields.missing("credentials", hint: "a list of user:password pairs, or `users:` with `password:`")
            }
            guard common.passwords.count <= 1 else {
                throw fields.error(fields.value("passwords"), "Credential stuffing tries each user's known password: give one `password:` (default correct) or `credentials:` pairs.")
            }
            let password = common.passwords.first ?? .correct
            switch common.users {
            case .list(let users): pairs = users.map { ($0, password) }
            case .all: everyone = password
            }
        }
        return CredentialStuffingAttack(common: common, credentials: pairs, everyone: everyone,
                                        stopOnSuccess: try fields.bool("stop-on-success") ?? false)
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        let pairs = everyone.map { p in environment.users(.all).map { (user: $0, password: p) } } ?? credentials
        var mfaRefused: [String] = []
        var legacyIn: [String] = []
        var n = 0
        for pair in pairs {
            for index in common.protocols.indices {
                if n > 0 { environment.pauseBetweenAttempts(common) }
                var client = common.client(n)
                client.accessProtocol = common.protocols[index]
                client.from = common.from[n % common.from.count]
                if client.accessProtocol == .ExchangeActiveSync && client.device == nil { client.device = AttackSupport.attackerDevice }
                n += 1
                let decision = environment.signIn(user: pair.user, password: pair.password, client: client)
                report.count(user: pair.user, decision)
                let legacy = client.authentication == .BasicAuthentication
                // The same credential, refused by MFA on one protocol and let in by another.
                let key = pair.user.lowercased() + "\u{0}" + pair.password.description
                if Self.mfaReasons.contains(decision.reason), !mfaRefused.contains(key) { mfaRefused.append(key) }
                if decision.outcome == .Allowed {
                    report.measures[legacy ? "legacy-allowed" : "modern-allowed", default: 0] += 1
                    if legacy, !legacyIn.contains(key) { legacyIn.append(key) }
                    if stopOnSuccess { break }
                }
            }
        }
        report.measures["mfa-bypassed"] = Set(legacyIn.filter { mfaRefused.contains($0) }.map { $0.split(separator: "\u{0}").first.map(String.init) ?? $0 }).count
        return report
    }
}
