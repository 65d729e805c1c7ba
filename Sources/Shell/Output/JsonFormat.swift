import Foundation
import TenantModel

/// ConvertTo-Json and ConvertFrom-Json as PowerShell 7 does them (JsonObject.cs with
/// Newtonsoft.Json): two-space indentation, `"key": value`, `\n` line ends on Linux;
/// objects deeper than `-Depth` become their string form with a warning.
public enum JsonFormat {
    /// A JSON value.
    public indirect enum Node: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case array([Node])
        case object([Member])
    }

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: Node
        public init(_ key: String, _ value: Node) { self.key = key; self.value = value }
    }

    /// The warning ConvertTo-Json writes (once) when it cut the object graph at `-Depth`.
    public static func depthWarning(_ depth: Int) -> String {
        "Resulting JSON is truncated as serialization has exceeded the set depth of \(depth)."
    }

    // MARK: ConvertTo-Json

    /// The JSON text of a value, and whether `depth` cut it.
    public static func serialize(_ value: PSValue, depth: Int = 2, compress: Bool = false) -> (json: String, truncated: Bool) {
        var truncated = false
        let n = node(value, depth: 0, maxDepth: depth, truncated: &truncated)
        var out = ""
        write(n, indent: 0, compress: compress, into: &out)
        return (out, truncated)
    }

    /// ProcessValue: scalars as they are; a collection, dictionary or object deeper than
    /// `maxDepth` becomes its string conversion (an array joined with spaces, a hashtable
    /// `System.Collections.Hashtable`, an object its ToString).
    static func node(_ value: PSValue, depth: Int, maxDepth: Int, truncated: inout Bool) -> Node {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .date(let d): return .string(isoDate(d))
        case .exchange(let p): return exchangeNode(p)
        case .scriptBlock(let s): return .string(s.text)
        case .array(let a):
            if depth > maxDepth { truncated = true; return .string(value.text) }
            return .array(a.items.map { node($0, depth: depth + 1, maxDepth: maxDepth, truncated: &truncated) })
        case .hashtable(let h):
            if depth > maxDepth { truncated = true; return .string("System.Collections.Hashtable") }
            return .object(h.pairs.map { Member($0.0, node($0.1, depth: depth + 1, maxDepth: maxDepth, truncated: &truncated)) })
        case .object(let o):
            if depth > maxDepth { truncated = true; return .string(o.toStringText) }
            return .object(o.properties.map { Member($0.0, node($0.1, depth: depth + 1, maxDepth: maxDepth, truncated: &truncated)) })
        }
    }

    /// Exchange values: an enumeration value as its name (our choice: PowerShell writes
    /// an enum's number, but a remote session's values carry only their text), a GUID in
    /// lower case, the rest as Exchange prints them.
    static func exchangeNode(_ p: PropertyValue) -> Node {
        switch p {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .date(let d): return .string(isoDate(d))
        case .list(let items): return .array(items.map(exchangeNode))
        default: return .string(p.displayText)
        }
    }

    /// Newtonsoft's round-trip ISO 8601 for a UTC DateTime: `2019-06-17T14:00:00Z`, with
    /// fractional seconds only when there are some (up to 7 digits, trailing zeros cut).
    static func isoDate(_ date: Date) -> String {
        let c = CivilTime(date)
        func p(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        var s = "\(p(c.year, 4))-\(p(c.month, 2))-\(p(c.day, 2))T\(p(c.hour, 2)):\(p(c.minute, 2)):\(p(c.second, 2))"
        let t = date.timeIntervalSince1970
        let ticks = Int(((t - t.rounded(.down)) * 10_000_000).rounded())
        if ticks > 0 && ticks < 10_000_000 {
            var f = p(ticks, 7)
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s + "Z"
    }

    static func write(_ n: Node, indent: Int, compress: Bool, into out: inout String) {
        let newline = compress ? "" : "\n"
        func pad(_ level: Int) -> String { compress ? "" : String(repeating: "  ", count: level) }
        switch n {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += number(d)
        case .string(let s): out += quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (k, item) in items.enumerated() {
                out += pad(indent + 1)
                write(item, indent: indent + 1, compress: compress, into: &out)
                out += (k < items.count - 1 ? "," : "") + newline
            }
            out += pad(indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (k, m) in members.enumerated() {
                out += pad(indent + 1) + quote(m.key) + (compress ? ":" : ": ")
                write(m.value, indent: indent + 1, compress: compress, into: &out)
                out += (k < members.count - 1 ? "," : "") + newline
            }
            out += pad(indent) + "}"
        }
    }

    /// Newtonsoft writes doubles round-trip with at least one decimal place (`1.0`).
    static func number(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
        var s = "\(d)".replacingOccurrences(of: "e", with: "E")
        if s.contains("E"), !s.contains("E-"), !s.contains("E+") { s = s.replacingOccurrences(of: "E", with: "E+") }
        return s
    }

    /// Newtonsoft's default escaping: `"`, `\`, control characters (`\b \t \n \f \r`, the
    /// rest as `\u00xx`) and U+0085, U+2028, U+2029.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x85 || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    // MARK: ConvertFrom-Json

    public struct ParseError: Error, Sendable {
        public var message: String
    }

    /// Parses JSON text (an empty or blank text is nil).
    public static func parse(_ text: String) throws(ParseError) -> Node? {
        var p = Parser(Array(text.unicodeScalars))
        p.skipBlanks()
        if p.atEnd { return nil }
        let n = try p.value(path: "")
        p.skipBlanks()
        if !p.atEnd {
            throw p.error("Additional text encountered after finished reading JSON content: \(Character(p.s[p.i])).", path: "")
        }
        return n
    }

    /// The shell value of a JSON value: objects as PSCustomObjects (or hashtables), arrays
    /// as `Object[]`, ISO 8601 date strings as dates (as Newtonsoft reads them).
    public static func value(_ n: Node, asHashtable: Bool = false) -> PSValue {
        switch n {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return parseIsoDate(s).map { .date($0) } ?? .string(s)
        case .array(let items): return .array(PSArray(items.map { value($0, asHashtable: asHashtable) }))
        case .object(let members):
            if asHashtable {
                return .hashtable(PSHashtable(members.map { ($0.key, value($0.value, asHashtable: true)) }))
            }
            return .object(PSObject(properties: members.map { ($0.key, value($0.value)) }))
        }
    }

    /// `yyyy-MM-ddTHH:mm:ss[.fffffff][Z|±HH:mm]`, as UTC.
    static func parseIsoDate(_ s: String) -> Date? {
        let c = Array(s.utf8)
        guard c.count >= 19, c[4] == 45, c[7] == 45, c[10] == 84, c[13] == 58, c[16] == 58 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                guard i < c.count, c[i] >= 48, c[i] <= 57 else { return nil }
                v = v * 10 + Int(c[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
              let se = num(17, 2), let base = CivilTime.date(year: y, month: mo, day: d, hour: h, minute: mi, second: se) else { return nil }
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < c.count, c[i] >= 48, c[i] <= 57 { fraction += Double(c[i] - 48) * scale; scale /= 10; i += 1 }
            if i == start { return nil }
        }
        var offset = 0
        if i < c.count {
            if c[i] == 90, i == c.count - 1 {
                i += 1
            } else if (c[i] == 43 || c[i] == 45), c.count == i + 6, c[i + 3] == 58, let oh = num(i + 1, 2), let om = num(i + 4, 2) {
                offset = (c[i] == 43 ? 1 : -1) * (oh * 3600 + om * 60)
                i += 6
            } else {
                return nil
            }
        }
        return base.addingTimeInterval(fraction - Double(offset))
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }

        mutating func skipBlanks() {
            while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
        }

        func error(_ message: String, path: String) -> ParseError {
            var line = 1, column = 0
            for k in 0..<min(i, s.count) {
                if s[k] == "\n" { line += 1; column = 0 } else { column += 1 }
            }
            return ParseError(message: "\(message) Path '\(path)', line \(line), position \(column).")
        }

        mutating func value(path: String) throws(ParseError) -> Node {
            skipBlanks()
            guard !atEnd else { throw error("Unexpected end when reading JSON.", path: path) }
            let c = s[i]
            switch c {
            case "{": return try object(path: path)
            case "[": return try array(path: path)
            case "\"": return .string(try string(path: path))
            case "t": return try literal("true", .bool(true), path: path)
            case "f": return try literal("false", .bool(false), path: path)
            case "n": return try literal("null", .null, path: path)
            default:
                if c == "-" || ("0"..."9").contains(c) { return try number(path: path) }
                i += 1
                throw error("Unexpected character encountered while parsing value: \(Character(c)).", path: path)
            }
        }

        mutating func literal(_ word: String, _ n: Node, path: String) throws(ParseError) -> Node {
            let w = Array(word.unicodeScalars)
            guard i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w else {
                i += 1
                throw error("Unexpected character encountered while parsing value: \(Character(s[i - 1])).", path: path)
            }
            i += w.count
            return n
        }

        mutating func number(path: String) throws(ParseError) -> Node {
            let start = i
            if s[i] == "-" { i += 1 }
            var isDouble = false
            while i < s.count {
                let c = s[i]
                if ("0"..."9").contains(c) { i += 1; continue }
                if c == "." || c == "e" || c == "E" || ((c == "+" || c == "-") && (s[i - 1] == "e" || s[i - 1] == "E")) {
                    isDouble = true
                    i += 1
                    continue
                }
                break
            }
            let text = String(String.UnicodeScalarView(s[start..<i]))
            if !isDouble, let v = Int(text) { return .int(v) }
            guard let d = Double(text) else { throw error("Input string '\(text)' is not a valid number.", path: path) }
            return .double(d)
        }

        mutating func string(path: String) throws(ParseError) -> String {
            i += 1
            var out = String.UnicodeScalarView()
            while i < s.count {
                let c = s[i]
                i += 1
                if c == "\"" { return String(out) }
                if c == "\\" {
                    guard i < s.count else { break }
                    let e = s[i]
                    i += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0C}")
                    case "u":
                        guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16) else {
                            throw error("Invalid Unicode escape sequence.", path: path)
                        }
                        i += 4
                        if (0xD800...0xDBFF).contains(v), i + 6 <= s.count, s[i] == "\\", s[i + 1] == "u",
                           let low = UInt32(String(String.UnicodeScalarView(s[(i + 2)..<(i + 6)])), radix: 16), (0xDC00...0xDFFF).contains(low) {
                            i += 6
                            out.append(Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                        } else {
                            out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                        }
                    default: out.append(e)
                    }
                } else {
                    out.append(c)
                }
            }
            throw error("Unterminated string. Expected delimiter: \".", path: path)
        }

        mutating func array(path: String) throws(ParseError) -> Node {
            i += 1
            var items: [Node] = []
            skipBlanks()
            if i < s.count, s[i] == "]" { i += 1; return .array([]) }
            while true {
                items.append(try value(path: "\(path)[\(items.count)]"))
                skipBlanks()
                guard i < s.count else { throw error("Unexpected end when reading JSON.", path: path) }
                if s[i] == "," { i += 1; continue }
                if s[i] == "]" { i += 1; return .array(items) }
                i += 1
                throw error("After parsing a value an unexpected character was encountered: \(Character(s[i - 1])).", path: path)
            }
        }

        mutating func object(path: String) throws(ParseError) -> Node {
            i += 1
            var members: [Member] = []
            skipBlanks()
            if i < s.count, s[i] == "}" { i += 1; return .object([]) }
            while true {
                skipBlanks()
                guard i < s.count, s[i] == "\"" else {
                    if atEnd { throw error("Unexpected end when reading JSON.", path: path) }
                    i += 1
                    throw error("Invalid property identifier character: \(Character(s[i - 1])).", path: path)
                }
                let key = try string(path: path)
                skipBlanks()
                guard i < s.count, s[i] == ":" else { throw error("Invalid character after parsing property name. Expected ':'.", path: path) }
                i += 1
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                let v = try value(path: childPath)
                if let existing = members.firstIndex(where: { $0.key == key }) {
                    members[existing].value = v
                } else {
                    members.append(Member(key, v))
                }
                skipBlanks()
                guard i < s.count else { throw error("Unexpected end when reading JSON.", path: path) }
                if s[i] == "," { i += 1; continue }
                if s[i] == "}" { i += 1; return .object(members) }
                i += 1
                throw error("After parsing a value an unexpected character was encountered: \(Character(s[i - 1])).", path: childPath)
            }
        }
    }
}

extension JsonFormat {
    /// The JSON tree of a value, as ConvertTo-Json builds it (the REST endpoint's objects).
    public static func tree(_ value: PSValue, depth: Int = 4) -> Node {
        var truncated = false
        return node(value, depth: 0, maxDepth: depth, truncated: &truncated)
    }
}
