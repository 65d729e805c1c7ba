import AccessControl
import AuditLog
import Foundation
import TenantModel
import TenantStore

/// `audit-tampering`: with a stolen administrator account, the attacker blinds the logs before
/// (or after) doing anything else. [MITRE ATT&CK T1562.008, T1562.001; golden
/// t1562-UnifiedAuditlogIngestion-Stopped.json, t1562.008_Disable UAL ingestion.csv,
/// t1562.008_Set-MailboxAuditBypassAssociation.csv, t1562.001_Set-Mailbox-AuditLogAgeLimitoZero.csv]
///
/// The administrator signs in to Exchange Online PowerShell and runs, through the shell (so
/// the one command layer audits each as the golden records show):
/// - `ingestion`: `Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $false` — the
///   last record the unified audit log takes; nothing after it reaches the UAL (the mailbox
///   audit log and the sign-in log go on). [EXCHANGE-FACTS 5.1]
/// - `bypass`: `Set-MailboxAuditBypassAssociation -AuditBypassEnabled $true -Identity <account>`
///   — nothing that account does in any mailbox is audited any more. [EXCHANGE-FACTS 4.1]
/// - `age-limit`: `Set-Mailbox -Identity <mailbox> -AuditLogAgeLimit 0` — the mailbox's
///   audit records go at the next retention pass (when the step ends). [EXCHANGE-FACTS 4.1]
///
/// In the order given: with `ingestion` first, the bypass and age-limit commands themselves
/// never reach the UAL.
///
/// Fields: `admin` (required), `actions` (any of `ingestion`, `bypass`, `age-limit`, in the
/// order to run them; default all three in that order), `bypass` (the accounts to exempt;
/// default the admin), `mailboxes` (whose audit age limit to zero; a list or `all`, default
/// all user and shared mailboxes), `age-limit` (default `0`), and the common fields (`from`,
/// `auth`, `mfa` for the admin's connection; `password` default `correct`).
///
/// Measures: `changes` (commands that succeeded), `failed` (commands refused), `ual-off`
/// (1 when the attack turned ingestion off), `bypassed` (accounts newly exempt), `purged`
/// (mailbox audit records the age limit removes when the step ends).
public struct AuditTamperingAttack: Attack {
    public static let kind = "audit-tampering"
    public static let summary = "a stolen admin turns off UAL ingestion, bypasses mailbox auditing, sets AuditLogAgeLimit 0 — through the shell"
    public static let fields = ["admin", "actions", "bypass", "mailboxes", "age-limit"]
    public static let measures = ["changes", "failed", "ual-off", "bypassed", "purged"]

    public enum Action: String, Sendable, CaseIterable {
        case ingestion, bypass
        case ageLimit = "age-limit"
    }

    public var common: AttackCommon
    public var admin: String
    public var actions: [Action]
    public var bypass: [String]?
    public var mailboxes: [String]?
    public var ageLimit: String

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> AuditTamperingAttack {
        var common = common
        let admin = try fields.requiredString("admin", hint: "the administrator account the attacker holds")
        if !AttackSupport.namesProtocol(fields) { common.protocols = [.RemotePowerShell] }
        var actions: [Action] = []
        for text in try fields.strings("actions") ?? Action.allCases.map(\.rawValue) {
            guard let a = Action(rawValue: text.trimmedWhitespace.lowercased()) else {
                throw fields.error(fields.value("actions"), "\"\(text)\" isn't a tampering action. Valid values: \(Action.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            actions.append(a)
        }
        guard !actions.isEmpty else { throw fields.missing("actions", hint: Action.allCases.map(\.rawValue).joined(separator: ", ")) }
        var mailboxes = try fields.strings("mailboxes")
        if let m = mailboxes, m.count == 1, m[0].lowercased() == "all" { mailboxes = nil }
        if common.passwords.isEmpty { common.passwords = [.correct] }
        return AuditTamperingAttack(common: common, admin: admin, actions: actions, bypass: try fields.strings("bypass"), mailboxes: mailboxes,
                                    ageLimit: try fields.string("age-limit") ?? "0")
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        guard let session = AttackSupport.adminSession(environment, admin: admin, common: common,
                                                       roles: DirectoryRole.exchangeAdminRoles, report: &report) else { return report }
        func command(_ script: String) -> Bool {
            let ok = environment.runCmdlets(script, as: session.upn, from: session.address).errors.isEmpty
            report.measures[ok ? "changes" : "failed", default: 0] += 1
            return ok
        }
        var zeroed: [UUID] = []
        for action in actions {
            switch action {
            case .ingestion:
                let wasOn = environment.tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled
                if command("Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $false"), wasOn,
                   !environment.tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled {
                    report.measures["ual-off"] = 1
                }
            case .bypass:
                for account in bypass ?? [session.upn] {
                    let before = AttackSupport.mailbox(account, in: environment.tenant)?.auditBypassEnabled ?? false
                    if command("Set-MailboxAuditBypassAssociation -AuditBypassEnabled $true -Identity \(AttackSupport.quoted(account))"), !before,
                       AttackSupport.mailbox(account, in: environment.tenant)?.auditBypassEnabled == true {
                        report.measures["bypassed", default: 0] += 1
                    }
                }
            case .ageLimit:
                let names = mailboxes ?? environment.tenant.mailboxes
                    .filter { $0.recipientTypeDetails == .UserMailbox || $0.recipientTypeDetails == .SharedMailbox }
                    .map(\.primarySmtpAddress.address)
                for name in names {
                    if command("Set-Mailbox -Identity \(AttackSupport.quoted(name)) -AuditLogAgeLimit \(AttackSupport.quoted(ageLimit))"),
                       let box = AttackSupport.mailbox(name, in: environment.tenant) {
                        zeroed.append(box.guid)
                    }
                }
            }
        }
        if let logs = environment.logs {
            let now = environment.tenant.now
            report.measures["purged"] = logs.mailbox.filter { r in
                guard zeroed.contains(r.mailboxGuid), let box = environment.tenant.mailbox(guid: r.mailboxGuid) else { return false }
                return now.timeIntervalSince(r.creationTime) >= Double(box.auditLogAgeLimit.seconds)
            }.count
        }
        return report
    }
}
