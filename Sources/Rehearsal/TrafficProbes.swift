import AccessControl
import Foundation
import TenantModel

/// The attempts a rehearsal replays: production traffic turned into `AccessAttempt`s, or a
/// synthesized probe set. Each distinct attempt carries how many rows it stands for.
public struct ReplaySet: Sendable {
    public var attempts: [AccessAttempt] = []
    public var weights: [Int] = []
    public var rows = 0
    public var unmapped = 0
    public var source = "probes"
    /// Every client address probed: the known locations plus the addresses only the plan's
    /// rules name.
    public var locations: [String] = []
    /// Where someone is known to connect from: the current rules' addresses, the outside
    /// address, the admin workstation (probes) or the addresses administrators' traffic
    /// comes from. Only these count
    /// for the lockout verdict: a range the plan introduces is no evidence that an
    /// administrator sits in it.
    public var knownLocations: [String] = []

    mutating func add(_ attempt: AccessAttempt, index: inout [AccessAttempt: Int]) {
        rows += 1
        if let i = index[attempt] { weights[i] += 1; return }
        index[attempt] = attempts.count
        attempts.append(attempt)
        weights.append(1)
    }
}

public enum TrafficProbes {
    /// The outside address every probe set includes.
    public static let outsideAddress = "203.0.113.250"
    /// The simulator's admin workstation: the address the shell connects from.
    public static let adminWorkstationAddress = "198.51.100.10"

    /// The addresses the client access rules of `tenants` name: single addresses, and each
    /// range's first address; then the outside address.
    public static func locations(_ tenants: [Tenant], extra: [String] = []) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for e in extra where seen.insert(e).inserted { result.append(e) }
        for tenant in tenants {
            for rule in tenant.clientAccessRules {
                for range in rule.anyOfClientIPAddressesOrRanges + rule.exceptAnyOfClientIPAddressesOrRanges {
                    let text = range.lowerBound.description
                    if seen.insert(text).inserted { result.append(text) }
                }
            }
        }
        if seen.insert(outsideAddress).inserted { result.append(outsideAddress) }
        return result
    }

    static func deviceInfo(_ d: MobileDevice) -> DeviceInfo {
        DeviceInfo(id: d.deviceId, type: d.deviceType, model: d.deviceModel.isEmpty ? nil : d.deviceModel,
                   os: d.deviceOS.isEmpty ? nil : d.deviceOS, userAgent: d.deviceUserAgent, provisionable: d.isProvisionable)
    }

    static func isAdministrator(_ user: User) -> Bool {
        user.adminRoles.contains { DirectoryRole.exchangeAdminRoles.contains($0) }
    }

    /// The protocols a user uses, from the CAS switches (in either tenant) and the admin roles.
    static func protocols(of user: User, before: Tenant, after: Tenant) -> [(AccessProtocol, ClientAccessAuthenticationMethod)] {
        var result: [(AccessProtocol, ClientAccessAuthenticationMethod)] = []
        let boxes = [before.mailboxIndex(ofUser: user).map({ before.mailboxes[$0] }), after.user(upn: user.userPrincipalName).flatMap { after.mailboxIndex(ofUser: $0).map({ after.mailboxes[$0] }) }].compactMap { $0 }
        if boxes.isEmpty {
            result.append((.AzureAD, .OAuthAuthentication))
        } else {
            func any(_ f: (CASMailbox) -> Bool) -> Bool { boxes.contains { f($0.cas) } }
            if any({ $0.owaEnabled }) { result.append((.OutlookWebApp, .OAuthAuthentication)) }
            if any({ $0.mapiEnabled }) { result.append((.MAPI, .OAuthAuthentication)) }
            if any({ $0.ewsEnabled }) { result.append((.ExchangeWebServices, .OAuthAuthentication)) }
            if any({ $0.imapEnabled }) { result.append((.IMAP4, .BasicAuthentication)) }
            if any({ $0.popEnabled }) { result.append((.POP3, .BasicAuthentication)) }
            if any({ $0.smtpClientAuthenticationDisabled != true }) { result.append((.SMTP, .BasicAuthentication)) }
        }
        if isAdministrator(user) {
            result.append((.RemotePowerShell, .OAuthAuthentication))
            result.append((.ExchangeAdminCenter, .OAuthAuthentication))
        }
        return result
    }

    /// Every user × every protocol they use × every location, plus each device's next sync
    /// from every location.
    public static func synthesize(before: Tenant, after: Tenant) -> ReplaySet {
        var set = ReplaySet()
        set.source = "probes"
        set.knownLocations = locations([before], extra: [adminWorkstationAddress])
        set.locations = locations([before, after], extra: [adminWorkstationAddress])
        var index: [AccessAttempt: Int] = [:]
        let time = before.now.addingTimeInterval(60)
        let devices = Dictionary(grouping: before.mobileDevices, by: \.mailboxGuid)
        for user in before.users {
            for (p, auth) in protocols(of: user, before: before, after: after) {
                for ip in set.locations {
                    set.add(AccessAttempt(user: user.userPrincipalName, accessProtocol: p, clientIP: ip, authentication: auth,
                                          password: user.password, mfaCompleted: auth != .BasicAuthentication, time: time), index: &index)
                }
            }
            if let box = before.mailboxIndex(ofUser: user).map({ before.mailboxes[$0] }) {
                for d in devices[box.guid] ?? [] {
                    for ip in set.locations {
                        set.add(AccessAttempt(user: user.userPrincipalName, accessProtocol: .ExchangeActiveSync, clientIP: ip,
                                              password: user.password, userAgent: d.deviceUserAgent, device: deviceInfo(d), time: time),
                                index: &index)
                    }
                }
            }
        }
        return set
    }

    /// Production sign-ins as attempts: the user's real password, MFA done for modern
    /// clients, so the replay shows what the configuration decides.
    public static func replay(_ records: [TrafficRecord], before: Tenant, after: Tenant) -> ReplaySet {
        var set = ReplaySet()
        set.source = "traffic"
        var index: [AccessAttempt: Int] = [:]
        index.reserveCapacity(records.count / 2)
        let time = before.now.addingTimeInterval(60)
        var firstDevice: [UUID: MobileDevice] = [:]
        for d in before.mobileDevices where firstDevice[d.mailboxGuid] == nil { firstDevice[d.mailboxGuid] = d }
        var seenIPs = Set<String>()
        var trafficIPs: [String] = []
        struct AppKey: Hashable { var clientApp: String; var application: String }
        var mappings: [AppKey: ClientAppMapping?] = [:]
        for record in records {
            let appKey = AppKey(clientApp: record.clientApp, application: record.application)
            let cached = mappings[appKey] ?? {
                let m = ClientAppMapping.map(clientApp: record.clientApp, application: record.application)
                mappings[appKey] = .some(m)
                return m
            }()
            guard let mapping = cached else {
                set.unmapped += 1
                continue
            }
            let user = before.user(upn: record.user)
            var device: DeviceInfo? = nil
            if mapping.accessProtocol == .ExchangeActiveSync {
                if let user, let box = before.mailboxIndex(ofUser: user).map({ before.mailboxes[$0] }), let d = firstDevice[box.guid] {
                    device = deviceInfo(d)
                } else {
                    let os = record.operatingSystem ?? "Unknown"
                    let id = "TRAFFIC" + String(UInt32(truncatingIfNeeded: StableHash.of(record.user.lowercased() + os)), radix: 16).uppercased()
                    device = DeviceInfo(id: id, type: os.lowercased().contains("ios") ? "iPhone" : "Android", os: os)
                }
            }
            let ip = record.ipAddress.isEmpty ? outsideAddress : record.ipAddress
            // Administrators' addresses become known locations (where lockouts are judged).
            if let user, isAdministrator(user), seenIPs.insert(ip).inserted { trafficIPs.append(ip) }
            set.add(AccessAttempt(user: user?.userPrincipalName ?? record.user, accessProtocol: mapping.accessProtocol, clientIP: ip,
                                  authentication: mapping.authentication, password: user?.password ?? "",
                                  mfaCompleted: mapping.authentication != .BasicAuthentication,
                                  userAgent: device?.userAgent, isMiddleTierApp: mapping.isMiddleTierApp, device: device, time: time),
                    index: &index)
        }
        set.rows += set.unmapped
        set.knownLocations = locations([before], extra: trafficIPs)
        set.locations = locations([before, after], extra: trafficIPs)
        return set
    }
}

/// FNV-1a, stable across runs (Swift's hashValue is seeded per process).
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
