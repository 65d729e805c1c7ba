import AccessControl
import Foundation
import TenantStore

/// `brute-force`: many passwords against one account, one after another — what smart
/// lockout exists for. [MITRE ATT&CK T1110.001]
///
/// Fields: `user` (or `users` with one entry), `passwords` (a list; `correct` and `wrong`
/// may appear in it) or `attempts: n` (n different wrong passwords), `then-correct: true`
/// (one more attempt with the right password at the end — does lockout still stop it?),
/// `stop-on-success` (default true), and the common fields (`interval` default 1s).
public struct BruteForceAttack: Attack {
    public static let kind = "brute-force"
    public static let summary = "many passwords × one user, one after another; meets smart lockout"
    public static let fields = ["attempts", "then-correct", "stop-on-success"]
    public static let measures: [String] = []

    public var common: AttackCommon
    public var user: String
    public var passwords: [PasswordSpec]
    public var stopOnSuccess: Bool

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> BruteForceAttack {
        guard case .list(let users) = common.users, users.count == 1 else {
            throw fields.error(fields.value("users") ?? fields.value("user"),
                               "A brute-force attack targets one user: give `user: name@domain`.")
        }
        var passwords = common.passwords
        if let n = try fields.int("attempts", minimum: 1) {
            guard passwords.isEmpty else {
                throw fields.error(fields.value("attempts"), "Give either `passwords:` or `attempts:` for a brute-force attack, not both.")
            }
            passwords = Array(repeating: .wrong, count: n)
        }
        if try fields.bool("then-correct") == true { passwords.append(.correct) }
        guard !passwords.isEmpty else {
            throw fields.missing("attempts", hint: "how many wrong passwords to try, or `passwords:` with a list")
        }
        return BruteForceAttack(common: common, user: users[0], passwords: passwords,
                                stopOnSuccess: try fields.bool("stop-on-success") ?? true)
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for (n, password) in passwords.enumerated() {
            if n > 0 { environment.pauseBetweenAttempts(common) }
            let decision = environment.signIn(user: user, password: password, client: common.client(n))
            report.count(user: user, decision)
            if stopOnSuccess, decision.outcome == .Allowed { break }
        }
        return report
    }
}
