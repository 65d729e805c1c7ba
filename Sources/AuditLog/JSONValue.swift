import Foundation

/// JSON with ordered object keys: audit records keep the field order the real service
/// writes, so the AuditData text reads like the real thing.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Compact JSON as the Management Activity API serialises it (no spaces; `/` escaped as `\/`).
    public var text: String {
        var out = ""
        write(to: &out, escapingSlash: true)
        return out
    }

    /// Compact JSON as Graph and the other REST APIs write it: `/` left as it is.
    public var wireText: String {
        var out = ""
        out.reserveCapacity(256)
        write(to: &out, escapingSlash: false)
        return out
    }

    public func write(to out: inout String, escapingSlash: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null"
        case .string(let s): JSONValue.writeString(s, to: &out, escapingSlash: escapingSlash)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out, escapingSlash: escapingSlash)
            }
            out += "]"
        case .object(let o): o.write(to: &out, escapingSlash: escapingSlash)
        }
    }

    /// A JSON string literal. Most strings need no escaping and are appended whole.
    public static func writeString(_ s: String, to out: inout String, escapingSlash: Bool) {
        out += "\""
        var s = s
        let plain = s.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || (escapingSlash && $0 == UInt8(ascii: "/")) }
        }
        if plain {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where escapingSlash: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }

    /// The value as text for comparisons (`"True"`, numbers, strings; objects as JSON).
    public var displayText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        default: return text
        }
    }

    /// Parses JSON text (objects keep their key order).
    public static func parse(_ text: String) throws -> JSONValue {
        let any = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try from(any: any, orderHint: text)
    }

    private static func from(any: Any, orderHint: String) throws -> JSONValue {
        switch any {
        case is NSNull: return .null
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            if n.doubleValue == n.doubleValue.rounded(), abs(n.doubleValue) < 1e15 { return .int(n.intValue) }
            return .double(n.doubleValue)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(try a.map { try from(any: $0, orderHint: orderHint) })
        case let d as [String: Any]:
            // Order keys by where they first appear in the text (good enough for records).
            let keys = d.keys.sorted { a, b in
                let ra = orderHint.range(of: "\"\(a)\"")?.lowerBound ?? orderHint.endIndex
                let rb = orderHint.range(of: "\"\(b)\"")?.lowerBound ?? orderHint.endIndex
                return ra < rb
            }
            var o = JSONObject()
            for k in keys { o[k] = try from(any: d[k]!, orderHint: orderHint) }
            return .object(o)
        default:
            throw NSError(domain: "JSONValue", code: 1)
        }
    }
}

/// A JSON object whose keys keep their insertion order.
public struct JSONObject: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    // Audit objects are small (a few dozen keys) and built far more often than searched,
    // so an ordered array of pairs beats a dictionary: appending costs no hashing.
    private var entries: [(key: String, value: JSONValue)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        entries.reserveCapacity(elements.count)
        for (k, v) in elements { self[k] = v }
    }

    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// Appends a key known not to be present yet (record builders; no lookup).
    public mutating func append(_ key: String, _ value: JSONValue) {
        entries.append((key, value))
    }

    public var pairs: [(String, JSONValue)] { entries.map { ($0.key, $0.value) } }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for e in entries { hasher.combine(e.key); hasher.combine(e.value) }
    }

    /// The value at a dotted path (`status.errorCode`), descending into objects.
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue = .object(self)
        for part in path.split(separator: ".") {
            guard case .object(let o) = current, let next = o[String(part)] ?? o.caseInsensitive(String(part)) else { return nil }
            current = next
        }
        return current
    }

    func caseInsensitive(_ key: String) -> JSONValue? {
        let lower = key.lowercased()
        return entries.first { $0.key.lowercased() == lower }?.value
    }

    public var text: String { JSONValue.object(self).text }

    func write(to out: inout String, escapingSlash: Bool) {
        out += "{"
        for (i, e) in entries.enumerated() {
            if i > 0 { out += "," }
            JSONValue.writeString(e.key, to: &out, escapingSlash: escapingSlash)
            out += ":"
            e.value.write(to: &out, escapingSlash: escapingSlash)
        }
        out += "}"
    }
}
