import AccessControl
import Foundation
import TenantModel

/// One sign-in read from production: what the sign-in log says about it.
public struct TrafficRecord: Hashable, Sendable {
    public var user: String
    public var ipAddress: String
    /// Graph's `clientAppUsed` / the export's "Client app".
    public var clientApp: String
    /// Graph's `appDisplayName` / the export's "Application".
    public var application: String
    public var operatingSystem: String?
    public var browser: String?
    /// 0 for a success; the AADSTS code otherwise.
    public var errorCode: Int
    public var time: String?

    public init(user: String, ipAddress: String, clientApp: String, application: String = "", operatingSystem: String? = nil,
                browser: String? = nil, errorCode: Int = 0, time: String? = nil) {
        self.user = user
        self.ipAddress = ipAddress
        self.clientApp = clientApp
        self.application = application
        self.operatingSystem = operatingSystem
        self.browser = browser
        self.errorCode = errorCode
        self.time = time
    }
}

/// A traffic file that could not be read.
public struct TrafficError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The protocol and authentication a sign-in log's client app stands for.
public struct ClientAppMapping: Hashable, Sendable {
    public var accessProtocol: AccessProtocol
    public var authentication: ClientAccessAuthenticationMethod
    public var isMiddleTierApp: Bool

    /// Maps Graph's `clientAppUsed` (and the application, for modern clients) to what the
    /// access pipeline evaluates; nil for a client app the simulator doesn't know.
    public static func map(clientApp: String, application: String) -> ClientAppMapping? {
        let app = application.lowercased()
        switch clientApp.trimmingCharacters(in: .whitespaces).lowercased() {
        case "imap4", "imap": return .init(accessProtocol: .IMAP4, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "pop3", "pop": return .init(accessProtocol: .POP3, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "authenticated smtp", "smtp": return .init(accessProtocol: .SMTP, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "exchange activesync": return .init(accessProtocol: .ExchangeActiveSync, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "exchange web services": return .init(accessProtocol: .ExchangeWebServices, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "exchange online powershell", "exchange online powershell (remote powershell)":
            return .init(accessProtocol: .RemotePowerShell, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "mapi over http", "mapi": return .init(accessProtocol: .MAPI, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "outlook anywhere (rpc over http)", "outlook anywhere":
            return .init(accessProtocol: .OutlookAnywhere, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "offline address book": return .init(accessProtocol: .OfflineAddressBook, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "outlook service": return .init(accessProtocol: .UniversalOutlook, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "other clients": return .init(accessProtocol: .REST, authentication: .BasicAuthentication, isMiddleTierApp: false)
        case "browser":
            if app.contains("admin center") || app.contains("admin portal") || app.contains("exchange admin") {
                return .init(accessProtocol: .ExchangeAdminCenter, authentication: .OAuthAuthentication, isMiddleTierApp: false)
            }
            return .init(accessProtocol: .OutlookWebApp, authentication: .OAuthAuthentication, isMiddleTierApp: false)
        case "mobile apps and desktop clients":
            if app.contains("powershell") && (app.contains("azure active directory") || app.contains("msol") || app.contains("graph")) {
                return .init(accessProtocol: .AzureAD, authentication: .OAuthAuthentication, isMiddleTierApp: false)
            }
            if app.contains("powershell") { return .init(accessProtocol: .RemotePowerShell, authentication: .OAuthAuthentication, isMiddleTierApp: false) }
            if app.contains("outlook mobile") { return .init(accessProtocol: .REST, authentication: .OAuthAuthentication, isMiddleTierApp: true) }
            if app.contains("ios accounts") { return .init(accessProtocol: .ExchangeActiveSync, authentication: .OAuthAuthentication, isMiddleTierApp: false) }
            if app.contains("thunderbird") { return .init(accessProtocol: .IMAP4, authentication: .OAuthAuthentication, isMiddleTierApp: false) }
            if app.contains("admin center") { return .init(accessProtocol: .ExchangeAdminCenter, authentication: .OAuthAuthentication, isMiddleTierApp: false) }
            return .init(accessProtocol: .MAPI, authentication: .OAuthAuthentication, isMiddleTierApp: false)
        default:
            return nil
        }
    }
}

/// Reads sign-in samples: the Entra admin center's CSV export of the sign-in logs and the
/// JSON of Graph's `/auditLogs/signIns`.
public enum TrafficReader {
    /// Reads a file, recognised by its content (JSON starts with `{` or `[`).
    public static func read(path: String) throws -> [TrafficRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { throw TrafficError("Cannot read the traffic file \(path).") }
        return try read(data: data, name: path)
    }

    public static func read(data: Data, name: String = "traffic") throws -> [TrafficRecord] {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else { throw TrafficError("\(name): not UTF-8 text.") }
        let first = text.first { !$0.isWhitespace }
        if first == "{" || first == "[" { return try readGraphJSON(bytes, name: name) }
        return try readEntraCSV(text, name: name)
    }

    // MARK: Graph JSON

    public static func readGraphJSON(_ data: Data, name: String = "traffic") throws -> [TrafficRecord] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw TrafficError("\(name): not valid JSON (\(error.localizedDescription)).")
        }
        let items: [Any]
        if let dict = object as? [String: Any] {
            guard let value = dict["value"] as? [Any] else { throw TrafficError("\(name): a Graph response needs a \"value\" array of signIn objects.") }
            items = value
        } else if let array = object as? [Any] {
            items = array
        } else {
            throw TrafficError("\(name): expected {\"value\": [signIn, ...]}.")
        }
        var records: [TrafficRecord] = []
        records.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let s = item as? [String: Any] else { throw TrafficError("\(name): value[\(i)] is not an object.") }
            guard let upn = s["userPrincipalName"] as? String, !upn.isEmpty else {
                throw TrafficError("\(name): value[\(i)] has no userPrincipalName.")
            }
            let device = s["deviceDetail"] as? [String: Any]
            let status = s["status"] as? [String: Any]
            let code = (status?["errorCode"] as? Int) ?? Int((status?["errorCode"] as? String) ?? "") ?? 0
            records.append(TrafficRecord(user: upn, ipAddress: (s["ipAddress"] as? String) ?? "",
                                         clientApp: (s["clientAppUsed"] as? String) ?? "",
                                         application: (s["appDisplayName"] as? String) ?? "",
                                         operatingSystem: device?["operatingSystem"] as? String,
                                         browser: device?["browser"] as? String, errorCode: code,
                                         time: s["createdDateTime"] as? String))
        }
        return records
    }

    // MARK: Entra CSV

    /// The columns the reader needs, and the names the export gives them.
    static let userColumns = ["Username", "User principal name", "UserPrincipalName"]
    static let ipColumns = ["IP address", "IP Address", "IPAddress"]
    static let clientAppColumns = ["Client app", "Client App", "ClientAppUsed"]

    public static func readEntraCSV(_ text: String, name: String = "traffic") throws -> [TrafficRecord] {
        let rows = TrafficCSV.parse(text)
        guard let header = rows.first else { throw TrafficError("\(name): the file is empty.") }
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() { index[h.trimmingCharacters(in: .whitespaces).lowercased()] = i }
        func column(_ names: [String]) -> Int? { names.lazy.compactMap { index[$0.lowercased()] }.first }
        guard let userCol = column(userColumns) else {
            throw TrafficError("\(name): no \"Username\" column; this is not an Entra sign-in log export (columns: \(header.prefix(8).joined(separator: ", "))).")
        }
        guard let ipCol = column(ipColumns) else { throw TrafficError("\(name): no \"IP address\" column.") }
        guard let appCol = column(clientAppColumns) else { throw TrafficError("\(name): no \"Client app\" column.") }
        let applicationCol = column(["Application", "App display name"])
        let osCol = column(["Operating System", "Operating system"])
        let browserCol = column(["Browser"])
        let codeCol = column(["Sign-in error code", "Error code"])
        let dateCol = column(["Date (UTC)", "Date"])
        var records: [TrafficRecord] = []
        records.reserveCapacity(rows.count)
        for row in rows.dropFirst() {
            if row.count == 1 && row[0].isEmpty { continue }
            func cell(_ c: Int?) -> String? { c.flatMap { $0 < row.count ? row[$0] : nil } }
            guard let user = cell(userCol), !user.isEmpty else { continue }
            records.append(TrafficRecord(user: user, ipAddress: cell(ipCol) ?? "", clientApp: cell(appCol) ?? "",
                                         application: cell(applicationCol) ?? "", operatingSystem: cell(osCol),
                                         browser: cell(browserCol), errorCode: Int(cell(codeCol) ?? "") ?? 0, time: cell(dateCol)))
        }
        return records
    }
}

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF.
enum TrafficCSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"": quoted = true
                case ",": row.append(field); field = ""
                case "\r": break
                case "\n": row.append(field); field = ""; rows.append(row); row = []
                default: field.unicodeScalars.append(c)
                }
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
