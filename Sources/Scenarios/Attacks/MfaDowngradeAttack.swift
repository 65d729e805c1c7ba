import AccessControl
import Foundation
import TenantModel
import TenantStore

/// `mfa-downgrade`: with a stolen administrator account, the attacker switches per-user MFA
/// off for the accounts whose passwords they hold — `Set-MsolUser -StrongAuthenticationRequirements @()`
/// — and the password alone works again everywhere. [MITRE ATT&CK T1556.006; golden
/// t1556_Disable _Strong_Authentication.json, t1556.006_Disable Strong Authentication.csv]
///
/// The administrator signs in to MSOnline (an Entra ID sign-in, `Connect-MsolService`) and
/// runs the command through the shell per user, so the directory audit writes what the golden
/// capture shows: `Update user.`, `Disable Strong Authentication.` and, when app passwords
/// existed, `Delete application password for user.` (AzureActiveDirectory records in the UAL
/// while ingestion is on). Optionally the attacker then signs in as each user.
///
/// Fields: `admin` (required), `user`/`users` (whose MFA to turn off, required),
/// `then-signin` (a protocol: afterwards sign in as each user with their password over it),
/// and the common fields for the admin's sign-in (`password` default `correct`, `from`,
/// `mfa`; protocol AzureAD unless given).
///
/// Measures: `downgraded` (users whose per-user MFA went from Enabled or Enforced to
/// Disabled), `failed` (commands refused, or an account without an authentication
/// administrator role).
public struct MfaDowngradeAttack: Attack {
    public static let kind = "mfa-downgrade"
    public static let summary = "a stolen admin sets users' per-user MFA to Disabled (Set-MsolUser -StrongAuthenticationRequirements @())"
    public static let fields = ["admin", "then-signin"]
    public static let measures = ["downgraded", "failed"]

    public var common: AttackCommon
    public var admin: String
    public var thenSignIn: AccessProtocol?

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> MfaDowngradeAttack {
        var common = common
        _ = try AttackSupport.targets(common, fields, what: "whose per-user MFA the admin turns off", required: true)
        let admin = try fields.requiredString("admin", hint: "the administrator account the attacker holds")
        if !AttackSupport.namesProtocol(fields) { common.protocols = [.AzureAD] }
        if common.passwords.isEmpty { common.passwords = [.correct] }
        var then: AccessProtocol?
        if let text = try fields.string("then-signin") {
            guard let p = AccessProtocol.named(text.trimmedWhitespace) else {
                throw fields.error(fields.value("then-signin"), "\"\(text)\" isn't a protocol. Valid values: \(AccessProtocol.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            then = p
        }
        return MfaDowngradeAttack(common: common, admin: admin, thenSignIn: then)
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        guard let session = AttackSupport.adminSession(environment, admin: admin, common: common, roles: AttackSupport.mfaAdminRoles,
                                                       report: &report) else { return report }
        var downgraded: [String] = []
        for user in environment.users(common.users) {
            let before = environment.tenant.user(upn: user)?.strongAuthenticationState
            let result = environment.runCmdlets("Set-MsolUser -UserPrincipalName \(AttackSupport.quoted(user)) -StrongAuthenticationRequirements @()",
                                                as: session.upn, from: session.address)
            guard result.errors.isEmpty else {
                report.measures["failed", default: 0] += 1
                continue
            }
            if let before, before != .Disabled, environment.tenant.user(upn: user)?.strongAuthenticationState == .Disabled {
                downgraded.append(user)
            }
        }
        report.measures["downgraded"] = downgraded.count
        if let p = thenSignIn {
            for (i, user) in downgraded.enumerated() {
                environment.pauseBetweenAttempts(common)
                var client = common.client(i + 1)
                client.accessProtocol = p
                client.auth = nil
                client.mfaDone = false
                client.userAgent = nil
                if p == .ExchangeActiveSync && client.device == nil { client.device = AttackSupport.attackerDevice }
                report.count(user: user, environment.signIn(user: user, password: .correct, client: client))
            }
        }
        return report
    }
}
