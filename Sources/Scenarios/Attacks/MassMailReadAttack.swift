import AccessControl
import AuditLog
import Foundation
import TenantModel
import TenantStore

/// `mass-mail-read`: a signed-in attacker pulls a whole mailbox, message by message — what
/// MailSniper does over EWS, or a Graph client over REST. [MITRE ATT&CK T1114.002]
///
/// Every message opened is a MailItemsAccessed Bind, and the audit trail treats them as
/// Exchange Online does [EXCHANGE-FACTS 4.2]: binds in one context (mailbox, session, client,
/// address, logon type, account) within two minutes of the first are *one* record whose
/// `OperationCount` and `Folders` grow; a message already recorded in that context within the
/// hour is not recorded again; and the record that takes a mailbox over 1,000
/// MailItemsAccessed records in 24 hours carries `IsThrottled` True, after which no Bind
/// record is written for that mailbox for 24 hours — the reading goes on unseen. Only E5
/// (Audit Premium) mailboxes log MailItemsAccessed at all; on E3 the whole read leaves no
/// mailbox record.
///
/// Each address in `from` is one session (a CIDR block is a pool of addresses, one session
/// each — a tool behind rotating proxies): it signs in once, then in every pass reads every
/// message of the mailbox (or `folder`), newest first, one bind every `interval`; passes are
/// `pass-interval` apart.
///
/// Fields: `user` (the reader, required), `mailbox` (whose mailbox; default the reader's
/// own — another mailbox needs FullAccess), `password` (default `correct`), `protocol`
/// (default ExchangeWebServices), `from`, `passes` (default 1), `interval` (between binds,
/// default 1s), `pass-interval` (between passes, default 1h), `folder`, `mail-access-type`
/// (`bind`, or `sync`: one Sync per folder, never throttled), and the common fields.
///
/// Measures: `items` (messages bound or synced), `records` (MailItemsAccessed records the
/// read left in the mailbox audit log), `throttled` (of them, those with IsThrottled True),
/// `logged-items` (the binds those records account for: the sum of their OperationCount).
public struct MassMailReadAttack: Attack {
    public static let kind = "mass-mail-read"
    public static let summary = "many binds over a short time from one or many sessions: MailItemsAccessed aggregation and throttling"
    public static let fields = ["mailbox", "passes", "pass-interval", "folder", "mail-access-type"]
    public static let measures = ["items", "records", "throttled", "logged-items"]

    public var common: AttackCommon
    public var user: String
    public var mailbox: String?
    public var passes: Int
    public var passInterval: TimeInterval
    public var folder: String?
    public var sync: Bool
    public var sessions: [String]

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> MassMailReadAttack {
        var common = common
        guard case .list(let users) = common.users, users.count == 1, fields.has("user") || fields.has("users") else {
            throw fields.error(fields.value("users") ?? fields.value("user"), "A mass-mail-read attack has one reader: give `user: name@domain` (and `mailbox:` to read someone else's).")
        }
        if !AttackSupport.namesProtocol(fields) { common.protocols = [.ExchangeWebServices] }
        guard common.protocols.count == 1 else {
            throw fields.error(fields.value("protocols"), "A mass-mail-read attack reads over one protocol.")
        }
        guard common.passwords.count <= 1 else {
            throw fields.error(fields.value("passwords"), "Give the reader's one `password:` (default correct).")
        }
        if common.protocols[0] == .ExchangeActiveSync && common.device == nil { common.device = AttackSupport.attackerDevice }
        let sessions = AttackSupport.addresses(common.from)
        guard !sessions.isEmpty else { throw fields.error(fields.value("from"), "\"from\" names no address.") }
        let type = try fields.choice("mail-access-type", ["bind", "sync"]) ?? "bind"
        return MassMailReadAttack(common: common, user: users[0], mailbox: try fields.string("mailbox"),
                                  passes: try fields.int("passes", minimum: 1) ?? 1, passInterval: try fields.duration("pass-interval") ?? 3_600,
                                  folder: try fields.string("folder"), sync: type == "sync", sessions: sessions)
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        let password = common.passwords.first ?? .correct
        let target = AttackSupport.mailbox(mailbox ?? user, in: environment.tenant)
        let firstRecord = environment.logs?.mailbox.count ?? 0
        var signedIn: [String: Bool] = [:]
        var started = false
        for pass in 0..<passes {
            if pass > 0 { environment.pause(passInterval) }
            for (index, address) in sessions.enumerated() {
                var client = common.client(index)
                client.from = address
                if signedIn[address] == nil {
                    if started { environment.pauseBetweenAttempts(common) }
                    started = true
                    let decision = environment.signIn(user: user, password: password, client: client)
                    report.count(user: user, decision)
                    signedIn[address] = decision.outcome == .Allowed
                }
                guard signedIn[address] == true, let target else { continue }
                if sync {
                    var params = ["MailAccessType": "Sync"]
                    if let folder { params["Folder"] = folder }
                    environment.pauseBetweenAttempts(common)
                    let result = environment.perform(environment.request(user, .read, mailbox: mailbox, client: client, params: params),
                                                     password: password, client: client)
                    if result.outcome == .Allowed {
                        report.measures["items", default: 0] += AttackSupport.readable(target.primarySmtpAddress.address, folder: folder,
                                                                                       in: environment.tenant)
                    }
                    continue
                }
                for itemId in messages(of: target, in: environment.tenant) {
                    environment.pauseBetweenAttempts(common)
                    let params = ["ItemId": itemId]
                    let result = environment.perform(environment.request(user, .read, mailbox: mailbox, client: client, params: params),
                                                     password: password, client: client)
                    if result.outcome == .Allowed { report.measures["items", default: 0] += 1 } else { break }
                }
            }
        }
        if let logs = environment.logs, let target {
            let records = logs.mailbox.dropFirst(firstRecord).filter { $0.mailboxGuid == target.guid && $0.operation == .MailItemsAccessed }
            report.measures["records"] = records.count
            report.measures["throttled"] = records.filter { r in
                if case .string(let p)? = r.details["OperationProperties"] { return p.contains("IsThrottled:True") }
                return false
            }.count
            report.measures["logged-items"] = records.reduce(0) { sum, r in
                if case .int(let n)? = r.details["AuditOperationsCountInAggregatedRecord"] { return sum + n }
                return sum
            }
        }
        return report
    }

    /// The messages a pass binds, newest first (Recoverable Items left out; `folder` only when named).
    func messages(of box: Mailbox, in tenant: Tenant) -> [String] {
        let recoverable = MailFolder.folderId(mailbox: box.guid, name: "Recoverable Items")
        let only = folder.map { AttackSupport.folderId($0, of: box, in: tenant) }
        return tenant.messages.filter { m in m.mailboxGuid == box.guid && m.folderId != recoverable && (only.map { m.folderId == $0 } ?? true) }
            .sorted { $0.receivedTime > $1.receivedTime }.map(\.itemId)
    }
}
