import AccessControl
import Foundation
import TenantModel
import TenantStore

/// `mailbox-delegation`: with a stolen administrator account, the attacker gives an account
/// they control rights on the victims' mailboxes, then reads them as a delegate — mail keeps
/// flowing to the attacker after the victims change their passwords. [MITRE ATT&CK T1098.002;
/// golden t1098.002_Mail Account Delegation full access permissions.*, t1098.002_Mail account delegation-SendAs permission.csv]
///
/// The administrator signs in to Exchange Online PowerShell (RemotePowerShell, Basic unless
/// `auth` says otherwise, with its own password) and, through the shell, runs
/// `Add-MailboxPermission -Identity <victim> -AccessRights FullAccess -User <delegate>
/// -InheritanceType All` per mailbox — the ExchangeAdmin record of the golden capture.
/// SendAs is granted with Add-RecipientPermission (Identity, Trustee, AccessRights SendAs);
/// the shell has no such cmdlet yet, so that grant goes through the mailbox action evaluator,
/// which writes the same record. The delegate then signs in over `via` and reads each
/// mailbox: a Delegate logon — MailItemsAccessed for E5 mailboxes, nothing in the mailbox
/// audit log for E3 ones (reads are an E5 action) — and, with `send-as-to`, sends one
/// message as the victim (a SendAs record, audited by default for delegates).
///
/// Fields: `admin` (required), `mailbox`/`mailboxes` (the victims, required), `delegate`
/// (default the admin itself), `rights` (`FullAccess` and/or `SendAs`; default FullAccess),
/// `via` (the delegate's client, default OutlookWebApp), `password` (the delegate's,
/// default `correct`), `read` (messages read per mailbox, newest first; default all; `0`:
/// grant only — the delegate doesn't sign in unless it sends),
/// `send-as-to` (a recipient), and the common fields (`from`, `mfa`, `auth` for the admin's
/// connection).
///
/// Measures: `granted` (grants that succeeded), `items` (messages read as a delegate),
/// `sent` (messages sent as a victim), `refused` (grants, reads or sends refused).
public struct MailboxDelegationAttack: Attack {
    public static let kind = "mailbox-delegation"
    public static let summary = "T1098.002: a stolen admin grants FullAccess/SendAs on victims' mailboxes to a controlled account, which reads them as Delegate"
    public static let fields = ["admin", "mailbox", "mailboxes", "delegate", "rights", "via", "read", "send-as-to"]
    public static let measures = ["granted", "items", "sent", "refused"]

    public var common: AttackCommon
    public var admin: String
    public var mailboxes: [String]
    public var delegate: String?
    public var rights: [String]
    public var via: AccessProtocol
    public var read: Int?
    public var sendAsTo: String?

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> MailboxDelegationAttack {
        var common = common
        let admin = try fields.requiredString("admin", hint: "the administrator account the attacker holds")
        guard let mailboxes = try AttackSupport.names(fields, one: "mailbox", many: "mailboxes"), !mailboxes.isEmpty else {
            throw fields.missing("mailboxes", hint: "the victims' mailboxes")
        }
        if AttackSupport.namesProtocol(fields) {
            throw fields.error(fields.value("protocol") ?? fields.value("protocols"),
                               "The administrator connects over RemotePowerShell; give the delegate's client with `via:`.")
        }
        common.protocols = [.RemotePowerShell]
        var rights: [String] = []
        for text in try fields.strings("rights") ?? ["FullAccess"] {
            guard let r = ["FullAccess", "SendAs"].first(where: { $0.lowercased() == text.trimmedWhitespace.lowercased() }) else {
                throw fields.error(fields.value("rights"), "\"\(text)\" isn't a right this attack grants. Valid values: FullAccess, SendAs.")
            }
            if !rights.contains(r) { rights.append(r) }
        }
        var via = AccessProtocol.OutlookWebApp
        if let text = try fields.string("via") {
            guard let p = AccessProtocol.named(text.trimmedWhitespace) else {
                throw fields.error(fields.value("via"), "\"\(text)\" isn't a protocol. Valid values: \(AccessProtocol.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            via = p
        }
        guard common.passwords.count <= 1 else {
            throw fields.error(fields.value("passwords"), "Give the delegate's one `password:` (default correct).")
        }
        return MailboxDelegationAttack(common: common, admin: admin, mailboxes: mailboxes, delegate: try fields.string("delegate"),
                                       rights: rights, via: via, read: try fields.int("read"), sendAsTo: try fields.string("send-as-to"))
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        var adminCommon = common
        adminCommon.passwords = [.correct]
        guard let session = AttackSupport.adminSession(environment, admin: admin, common: adminCommon,
                                                       roles: DirectoryRole.exchangeAdminRoles, report: &report) else {
            report.measures["refused", default: 0] += 1
            return report
        }
        let delegate = self.delegate ?? session.upn
        var fullAccess: [String] = []
        var sendAs: [String] = []
        for mailbox in mailboxes {
            if rights.contains("FullAccess") {
                let result = environment.runCmdlets(
                    "Add-MailboxPermission -Identity \(AttackSupport.quoted(mailbox)) -AccessRights FullAccess -User \(AttackSupport.quoted(delegate)) -InheritanceType All",
                    as: session.upn, from: session.address)
                if result.errors.isEmpty { fullAccess.append(mailbox); report.measures["granted", default: 0] += 1 } else {
                    report.measures["refused", default: 0] += 1
                }
            }
            if rights.contains("SendAs") {
                // No Add-RecipientPermission in the shell yet: the evaluator's grant writes the same record.
                var client = AttackSupport.adminClient(adminCommon)
                client.from = session.address
                // A PowerShell client's source port: a fresh one per command, as the golden records show.
                client.port = 1_024 + environment.random(below: 64_511)
                let grant = environment.perform(environment.request(session.upn, .addDelegate, mailbox: mailbox, client: client,
                                                                    params: ["User": delegate, "AccessRights": "SendAs"]),
                                                password: .correct, client: client)
                if grant.outcome == .Allowed { sendAs.append(mailbox); report.measures["granted", default: 0] += 1 } else {
                    report.measures["refused", default: 0] += 1
                }
            }
        }
        let reads = read != 0 && !fullAccess.isEmpty
        let sends = sendAsTo != nil && !sendAs.isEmpty
        guard reads || sends else { return report }

        // The delegate's own session: one sign-in, then the mailboxes one by one.
        environment.pauseBetweenAttempts(common)
        var client = common.client(1)
        client.accessProtocol = via
        client.auth = nil
        client.userAgent = common.userAgent
        if via == .ExchangeActiveSync && client.device == nil { client.device = AttackSupport.attackerDevice }
        let password = common.passwords.first ?? .correct
        let decision = environment.signIn(user: delegate, password: password, client: client)
        report.count(user: delegate, decision)
        guard decision.outcome == .Allowed else { return report }
        if reads {
            for mailbox in fullAccess {
                let params = read.map { ["Count": String($0)] } ?? [:]
                let readable = AttackSupport.readable(mailbox, limit: read, in: environment.tenant)
                let result = environment.perform(environment.request(delegate, .read, mailbox: mailbox, client: client, params: params),
                                                 password: password, client: client)
                if result.outcome == .Allowed { report.measures["items", default: 0] += readable } else { report.measures["refused", default: 0] += 1 }
            }
        }
        if let to = sendAsTo {
            for mailbox in sendAs {
                let result = environment.perform(environment.request(delegate, .sendAs, mailbox: mailbox, client: client,
                                                                     params: ["To": to, "Subject": "Updated bank details for outstanding invoices"]),
                                                 password: password, client: client)
                if result.outcome == .Allowed { report.measures["sent", default: 0] += 1 } else { report.measures["refused", default: 0] += 1 }
            }
        }
        return report
    }
}
