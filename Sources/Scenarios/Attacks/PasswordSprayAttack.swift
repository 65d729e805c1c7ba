import AccessControl
import Foundation
import TenantStore

/// `password-spray`: a few common passwords tried once against many accounts, paced so
/// that no single account sees enough failures to trip smart lockout. [MITRE ATT&CK T1110.003]
///
/// Fields: `users` (a list or `all`, default `all`), `password` or `passwords` (required),
/// `protocol`/`protocols`, `from` (one address or a list, taken in turn), `interval`,
/// `jitter`, and the other common fields. Passwords go round the users one at a time:
/// every user gets the first password before anyone gets the second. An account that was
/// got into is not tried again.
public struct PasswordSprayAttack: Attack {
    public static let kind = "password-spray"
    public static let summary = "one password (or a few) × many users, paced on the simulated clock"
    public static let fields: [String] = []
    public static let measures: [String] = []

    public var common: AttackCommon

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> PasswordSprayAttack {
        guard !common.passwords.isEmpty else {
            throw fields.missing("password", hint: "the password sprayed, or `passwords:` with a list")
        }
        return PasswordSprayAttack(common: common)
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        let users = environment.users(common.users)
        var n = 0
        for password in common.passwords {
            for user in users where !report.compromised.contains(where: { $0.lowercased() == user.lowercased() }) {
                if n > 0 { environment.pauseBetweenAttempts(common) }
                let decision = environment.signIn(user: user, password: password, client: common.client(n))
                report.count(user: user, decision)
                n += 1
            }
        }
        return report
    }
}
