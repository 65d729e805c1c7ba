import AuditLog
import Foundation

/// One HTTP request as the simulator sees it, independent of the transport: the Hummingbird
/// adapter builds these, and tests hand them to `SimServer.handle` directly.
public struct SimRequest: Sendable {
    public var method: String
    /// The path without the query, percent-decoded per segment by `segments`.
    public var path: String
    /// Query parameters in order, decoded (`+` is a space, as form encoding has it).
    public var query: [(name: String, value: String)]
    /// Header names are lowercased.
    public var headers: [String: String]
    public var body: Data
    /// The client's address, for access evaluation and the journal.
    public var clientIP: String
    public var clientPort: Int
    /// Set by the transport when the body went over `ServerOptions.maxBodyBytes` and was not read.
    var bodyTooLarge = false

    public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [String: String] = [:],
                body: Data = Data(), clientIP: String = "127.0.0.1", clientPort: Int = 50000) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
        self.body = body
        self.clientIP = clientIP
        self.clientPort = clientPort
    }

    /// Builds a request from a target such as `/v1.0/users?$top=10`.
    public init(_ method: String, _ target: String, headers: [String: String] = [:], body: Data = Data(),
                clientIP: String = "127.0.0.1") {
        let (path, query) = SimRequest.split(target)
        self.init(method: method, path: path, query: query, headers: headers, body: body, clientIP: clientIP)
    }

    /// Splits a request target into its decoded path and query parameters.
    public static func split(_ target: String) -> (String, [(name: String, value: String)]) {
        guard let q = target.firstIndex(of: "?") else { return (target, []) }
        return (String(target[..<q]), parseQuery(String(target[target.index(after: q)...])))
    }

    /// Decodes `a=1&b=x+y` (also the body of a form post).
    public static func parseQuery(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                // Foundation's decoding only when there is something to decode.
                guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return String(s) }
                return String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The path's segments, percent-decoded.
    public var segments: [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            guard segment.utf8.contains(UInt8(ascii: "%")) else { return String(segment) }
            return String(segment).removingPercentEncoding ?? String(segment)
        }
    }

    /// The first query parameter named `name` (case-insensitive, as OData's system options are).
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The request target as sent (path and query), for links and the journal.
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(SimRequest.encode($0.name))=\(SimRequest.encode($0.value))" }.joined(separator: "&")
    }

    static func encode(_ s: String) -> String {
        // Letters, digits and `-._~$,:/@!*'()` (all in the allowed set below) need no work.
        let plain = s.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || "-._~$,:/@!*'()".utf8.contains(b)
        }
        if plain { return s }
        return s.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? s
    }

    private static let queryAllowed: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return allowed
    }()

    /// The body as JSON; nil when empty.
    func jsonBody() throws(RequestError) -> JSONValue? {
        if body.isEmpty { return nil }
        guard let text = String(data: body, encoding: .utf8) else { throw RequestError.malformedJSON("The body is not UTF-8 text.") }
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw RequestError.malformedJSON(JSONDiagnostics.describe(text))
        }
        // Foundation's parser accepts a trailing comma; the services' OData readers don't.
        if let problem = JSONDiagnostics.trailingComma(text) { throw RequestError.malformedJSON(problem) }
        return value
    }
}

/// A problem with the request itself, before any route logic: each API family renders it
/// in its own error shape.
enum RequestError: Error, Equatable {
    case malformedJSON(String)
}

/// Where a JSON text stops being valid, for error messages ("line 1, column 14").
enum JSONDiagnostics {
    /// A comma right before `}` or `]` (outside strings), described as OData's reader does.
    static func trailingComma(_ text: String) -> String? {
        var inString = false, escaped = false
        var line = 1, column = 0
        var pendingComma: (line: Int, column: Int)?
        for byte in text.utf8 {
            column += 1
            if byte == UInt8(ascii: "\n") { line += 1; column = 0 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; pendingComma = nil
            case UInt8(ascii: ","): pendingComma = (line, column)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let at = pendingComma {
                    let scope = byte == UInt8(ascii: "}") ? "Object" : "Array"
                    return "Invalid JSON. An unexpected comma was found in scope '\(scope)' (line \(at.line), column \(at.column)). A comma is only valid between properties of an object or between elements of an array."
                }
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): break
            default: pendingComma = nil
            }
        }
        return nil
    }

    static func describe(_ text: String) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return "The body is not valid JSON."
        } catch {
            let ns = error as NSError
            if let index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int {
                let prefix = text.utf8.prefix(index)
                let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
                let column = prefix.count - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
                return "The body is not valid JSON (line \(line), column \(column))."
            }
            return "The body is not valid JSON."
        }
    }
}

/// One HTTP response.
public struct SimResponse: Sendable {
    public var status: Int
    /// Headers in order; names as the real services spell them.
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Not sent: set by a handler of a mutating route whose request changed nothing (an
    /// InvokeCommand of a Get- cmdlet), so the tenant's revision and --db file stay as they are.
    var readOnly = false

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response (`application/json; charset=utf-8`, or an OData flavour).
    public static func json(_ value: JSONValue, status: Int = 200, contentType: String = "application/json; charset=utf-8",
                            headers: [(name: String, value: String)] = []) -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", contentType)] + headers, body: Data(WireJSON.text(value).utf8))
    }

    public static func empty(_ status: Int = 204, headers: [(name: String, value: String)] = []) -> SimResponse {
        SimResponse(status: status, headers: headers)
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    /// The body parsed as JSON (tests and the journal).
    public var json: JSONValue? {
        guard !body.isEmpty, let text = String(data: body, encoding: .utf8) else { return nil }
        return try? JSONValue.parse(text)
    }
}

/// JSON as the Microsoft services write it on the wire: compact, `/` not escaped (the
/// writer is AuditLog's, which the audit records use with `/` escaped).
public enum WireJSON {
    public static func text(_ value: JSONValue) -> String { value.wireText }

    static func write(_ value: JSONValue, to out: inout String) { value.write(to: &out, escapingSlash: false) }

    static func writeString(_ s: String, to out: inout String) { JSONValue.writeString(s, to: &out, escapingSlash: false) }
}

extension JSONValue {
    /// `[String: JSONValue]`-style member access for request bodies (case-sensitive, as JSON is).
    subscript(key: String) -> JSONValue? { objectValue?[key] }

    var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded(): return Int(d)
        default: return nil
        }
    }
}

/// Dates as Graph and the identity platform write them.
enum WireDate {
    /// `2026-11-29T15:04:05Z` (Graph's DateTimeOffset in UTC, no fraction).
    /// Written from the calendar fields (a formatter per call was a visible share of an
    /// error response); whole seconds, rounded down as ISO8601DateFormatter does.
    static func iso(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        var out = ""
        out.reserveCapacity(20)
        func append(_ value: Int32, width: Int) {
            let digits = String(value)
            if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
            out += digits
        }
        append(fields.tm_year + 1900, width: 4)
        out += "-"
        append(fields.tm_mon + 1, width: 2)
        out += "-"
        append(fields.tm_mday, width: 2)
        out += "T"
        append(fields.tm_hour, width: 2)
        out += ":"
        append(fields.tm_min, width: 2)
        out += ":"
        append(fields.tm_sec, width: 2)
        out += "Z"
        return out
    }

    /// Parses ISO 8601 with or without fractional seconds, or a bare date.
    static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withFullDate]
        return f.date(from: text)
    }
}

// Literals keep the schemas and response bodies readable.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
