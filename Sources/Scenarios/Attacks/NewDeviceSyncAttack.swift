import AccessControl
import Foundation
import TenantModel
import TenantStore

/// `new-device-sync`: stolen credentials set up on the attacker's own phone — an Exchange
/// ActiveSync partnership for a device the victim never owned, which then syncs the mailbox
/// until someone removes it. [MITRE ATT&CK T1078.004, T1098.005 (device registration)]
///
/// Each sync is an ordinary ActiveSync sign-in, so the whole device flow decides it: the
/// mailbox's block and allow lists, device discovery, the device access rules
/// (UserAgent → DeviceOS → DeviceModel → DeviceType), the organization's DefaultAccessLevel
/// and the mobile device mailbox policy. The first sync creates the partnership
/// (Get-MobileDevice lists it as Allowed, Quarantined, Blocked or DeviceDiscovery).
///
/// Fields: `user`/`users` (required), `password` (default `correct`), `device` (default an
/// Android phone, `androidc1548832960`, that sends its model and OS), `syncs` (syncs per
/// user, default 1, `interval` apart — a second sync after 15 minutes is past device
/// discovery), `read` (messages the phone downloads after an allowed sync, default 0), and
/// the common fields. Only ExchangeActiveSync is a protocol here.
///
/// Measures: `partnerships` (new device partnerships), `items` (messages synced to the phone).
public struct NewDeviceSyncAttack: Attack {
    public static let kind = "new-device-sync"
    public static let summary = "stolen credentials on a new ActiveSync phone: a partnership Allowed, Quarantined or Blocked by the device flow"
    public static let fields = ["syncs", "read"]
    public static let measures = ["partnerships", "items"]

    public var common: AttackCommon
    public var syncs: Int
    public var read: Int

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> NewDeviceSyncAttack {
        var common = common
        _ = try AttackSupport.targets(common, fields, what: "whose stolen credentials the phone signs in with", required: true)
        if AttackSupport.namesProtocol(fields) {
            guard common.protocols.allSatisfy({ $0 == .ExchangeActiveSync }) else {
                throw fields.error(fields.value("protocol") ?? fields.value("protocols"),
                                   "A new-device-sync attack syncs over ExchangeActiveSync only; leave `protocol` out or give ExchangeActiveSync.")
            }
        }
        common.protocols = [.ExchangeActiveSync]
        guard common.passwords.count <= 1 else {
            throw fields.error(fields.value("passwords"), "A new-device-sync attack uses one `password:` per user (default correct).")
        }
        if common.device == nil { common.device = AttackSupport.attackerDevice }
        return NewDeviceSyncAttack(common: common, syncs: try fields.int("syncs", minimum: 1) ?? 1, read: try fields.int("read") ?? 0)
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        let password = common.passwords.first ?? .correct
        let before = Set(environment.tenant.mobileDevices.map { "\($0.mailboxGuid)|\($0.deviceId.lowercased())" })
        var n = 0
        for user in environment.users(common.users) {
            for _ in 0..<syncs {
                if n > 0 { environment.pauseBetweenAttempts(common) }
                let client = common.client(n)
                n += 1
                let decision = environment.signIn(user: user, password: password, client: client)
                report.count(user: user, decision)
                guard decision.outcome == .Allowed, read > 0 else { continue }
                let result = environment.perform(environment.request(user, .read, mailbox: nil, client: client, params: ["Count": String(read)]),
                                                 password: password, client: client)
                if result.outcome == .Allowed { report.measures["items", default: 0] += AttackSupport.readable(user, limit: read, in: environment.tenant) }
            }
        }
        report.measures["partnerships"] = environment.tenant.mobileDevices.filter {
            !before.contains("\($0.mailboxGuid)|\($0.deviceId.lowercased())")
        }.count
        return report
    }
}
