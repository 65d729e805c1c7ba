import Foundation
import TenantModel

/// The benchmark's workload: a plan of client access rules and synthetic sign-in traffic
/// for a generated tenant (`tenantsim bench` rehearses 25 rules × 100,000 rows on 10,000 users).
public enum RehearseBenchWorkload {
    static let protocolSets = ["IMAP4", "POP3", "ExchangeWebServices", "OutlookWebApp", "REST", "ExchangeActiveSync", "RemotePowerShell,ExchangeAdminCenter"]

    static let deviceRules = ["-QueryString Android -Characteristic DeviceType -AccessLevel Quarantine",
                              "-QueryString iPad -Characteristic DeviceType -AccessLevel Allow",
                              "-QueryString WindowsPhone -Characteristic DeviceType -AccessLevel Block",
                              "-QueryString \"iOS 9.3.5\" -Characteristic DeviceOS -AccessLevel Block",
                              "-QueryString \"Android 6.0\" -Characteristic DeviceOS -AccessLevel Block"]

    /// `rules` rule lines: up to 20 New-ClientAccessRule lines (Exchange Online's limit) —
    /// allow and deny rules on 10.i.0.0/16 ranges, some scoped to user name patterns or with
    /// an exception range, the admin workstation allowed first — then ActiveSync device
    /// access rules for the rest.
    public static func plan(rules: Int) -> String {
        var lines = ["New-ClientAccessRule -Name AllowAdminWorkstation -Action AllowAccess -AnyOfProtocols RemotePowerShell,ExchangeAdminCenter -AnyOfClientIPAddressesOrRanges 198.51.100.10 -Priority 1"]
        let clientRules = min(rules, 20)
        for i in rules > 20 ? 0..<(rules - 20) : 0..<0 {
            lines.append("New-ActiveSyncDeviceAccessRule \(deviceRules[i % deviceRules.count])")
        }
        for i in 1..<max(clientRules, 1) {
            var line = "New-ClientAccessRule -Name \"Rule \(i)\" -Action \(i % 3 == 0 ? "AllowAccess" : "DenyAccess") -AnyOfProtocols \(protocolSets[i % protocolSets.count]) -AnyOfClientIPAddressesOrRanges 10.\(i).0.0/16"
            if i % 4 == 1 { line += " -UserNameMatchesAnyOfPatterns \"*user\(i)*\"" }
            if i % 5 == 2 { line += " -ExceptAnyOfClientIPAddressesOrRanges 10.\(i).1.0/24" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let clientApps: [(String, String)] = [
        ("Browser", "Office 365 Exchange Online"), ("IMAP4", "Office 365 Exchange Online"), ("Exchange ActiveSync", "Office 365 Exchange Online"),
        ("Mobile Apps and Desktop clients", "Microsoft Office"), ("Authenticated SMTP", "Office 365 Exchange Online"), ("POP3", "Office 365 Exchange Online"),
        ("Exchange Web Services", "Office 365 Exchange Online"), ("Mobile Apps and Desktop clients", "Outlook Mobile"),
        ("Mobile Apps and Desktop clients", "Microsoft Exchange REST API Based Powershell"),
    ]

    /// `rows` sign-ins spread over the tenant's users, client apps and addresses inside and
    /// outside the plan's ranges.
    public static func traffic(rows: Int, tenant: Tenant) -> [TrafficRecord] {
        let users = tenant.users
        guard !users.isEmpty else { return [] }
        var records: [TrafficRecord] = []
        records.reserveCapacity(rows)
        for i in 0..<rows {
            let user = users[(i &* 7919) % users.count]
            let (app, application) = clientApps[i % clientApps.count]
            let ip = i % 4 == 3 ? "203.0.113.\(i % 250)" : "10.\(i % 26).\((i / 26) % 4).\(i % 200 + 1)"
            records.append(TrafficRecord(user: user.userPrincipalName, ipAddress: ip, clientApp: app, application: application,
                                         errorCode: 0, time: nil))
        }
        return records
    }
}
