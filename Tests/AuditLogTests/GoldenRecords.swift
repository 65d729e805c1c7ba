import AuditLog
import Foundation
import Testing

/// The real records in `shared/golden/det-eng-samples/dataset` (one AuditData object per line
/// in the .json files; the AuditData column of the portal's .csv exports), read with their
/// key order intact.
enum Golden {
    static let directory: URL = {
        // Tests/AuditLogTests/GoldenRecords.swift → package root → ../shared/golden/...
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/golden/det-eng-samples/dataset")
    }()

    /// Every AuditData object of a golden file.
    static func records(_ file: String) throws -> [JSONObject] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        if file.hasSuffix(".csv") {
            let rows = CSV.parse(body)
            guard let header = rows.first, let column = header.firstIndex(of: "AuditData") else { return [] }
            return try rows.dropFirst().filter { $0.count > column }.map { try OrderedJSON.parseObject($0[column]) }
        }
        return try body.split(whereSeparator: \.isNewline).compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("{\"") ? try OrderedJSON.parseObject(t) : nil
        }
    }

    /// The first record of `file` whose Operation is `operation`.
    static func record(_ file: String, operation: String) throws -> JSONObject {
        let all = try records(file)
        return try #require(all.first { $0["Operation"]?.stringValue == operation }, "no \(operation) in \(file)")
    }

    /// Every golden record of an operation, across all files.
    static func all(operation: String) throws -> [JSONObject] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") || $0.hasSuffix(".csv") }
        return try files.sorted().flatMap { try records($0) }.filter { $0["Operation"]?.stringValue == operation }
    }
}

/// A strict JSON reader that keeps object keys in document order (Foundation's does not).
enum OrderedJSON {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func parseObject(_ text: String) throws -> JSONObject {
        var p = Parser(Array(text.utf8))
        guard case .object(let o) = try p.value() else { throw Failure(description: "not an object") }
        return o
    }

    static func parse(_ text: String) throws -> JSONValue {
        var p = Parser(Array(text.utf8))
        return try p.value()
    }

    struct Parser {
        let b: [UInt8]
        var i = 0
        init(_ b: [UInt8]) { self.b = b }

        mutating func skip() { while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 } }

        mutating func value() throws -> JSONValue {
            skip()
            guard i < b.count else { throw Failure(description: "end of input") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o = JSONObject()
                skip()
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skip()
                    let key = try string()
                    skip()
                    guard b[i] == UInt8(ascii: ":") else { throw Failure(description: "expected : at \(i)") }
                    i += 1
                    o[key] = try value()
                    skip()
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard b[i] == UInt8(ascii: "}") else { throw Failure(description: "expected } at \(i)") }
                    i += 1
                    return .object(o)
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JSONValue] = []
                skip()
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    a.append(try value())
                    skip()
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard b[i] == UInt8(ascii: "]") else { throw Failure(description: "expected ] at \(i)") }
                    i += 1
                    return .array(a)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): i += 4; return .bool(true)
            case UInt8(ascii: "f"): i += 5; return .bool(false)
            case UInt8(ascii: "n"): i += 4; return .null
            default:
                let start = i
                while i < b.count, "-+.eE0123456789".utf8.contains(b[i]) { i += 1 }
                let text = String(decoding: b[start..<i], as: UTF8.self)
                if let n = Int(text) { return .int(n) }
                guard let d = Double(text) else { throw Failure(description: "bad number \(text)") }
                return .double(d)
            }
        }

        mutating func string() throws -> String {
            guard b[i] == UInt8(ascii: "\"") else { throw Failure(description: "expected string at \(i)") }
            i += 1
            var out: [UInt8] = []
            while b[i] != UInt8(ascii: "\"") {
                if b[i] == UInt8(ascii: "\\") {
                    i += 1
                    switch b[i] {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: b[(i + 1)...(i + 4)], as: UTF8.self)
                        let scalar = Unicode.Scalar(UInt32(hex, radix: 16) ?? 0x3F) ?? "?"
                        out += Array(String(scalar).utf8)
                        i += 4
                    default: out.append(b[i])
                    }
                } else {
                    out.append(b[i])
                }
                i += 1
            }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// RFC 4180 rows (quoted fields, doubled quotes, newlines inside quotes).
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                row.append(field); field = ""
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

/// Shape comparison: the same keys (in the same order where asked), the same JSON type per
/// field, and nested objects and array elements of the same shape. Values are not compared.
enum Shape {
    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Differences between `ours` and `golden`, each as a readable line; empty when they match.
    static func differences(_ ours: JSONValue, _ golden: JSONValue, path: String = "$", ordered: Bool = true) -> [String] {
        switch (ours, golden) {
        case (.object(let a), .object(let g)):
            var out: [String] = []
            if ordered ? a.keys != g.keys : Set(a.keys) != Set(g.keys) {
                out.append("\(path): keys \(a.keys) ≠ golden \(g.keys)")
            }
            for k in g.keys {
                if let av = a[k], let gv = g[k] { out += differences(av, gv, path: "\(path).\(k)", ordered: ordered) }
            }
            return out
        case (.array(let a), .array(let g)):
            guard let gFirst = g.first else { return [] }
            return a.enumerated().flatMap { i, element in
                // Name/Value lists: compare with the golden element of the same Name when there is one.
                let name = element.objectValue?["Name"]?.stringValue
                let match = name.flatMap { n in g.first { $0.objectValue?["Name"]?.stringValue == n } } ?? gFirst
                return differences(element, match, path: "\(path)[\(i)]", ordered: ordered)
            }
        case (.int, .double), (.double, .int): return []
        default:
            return kind(ours) == kind(golden) ? [] : ["\(path): \(kind(ours)) ≠ golden \(kind(golden))"]
        }
    }
}

/// Value formats of the real records.
enum Format {
    static func matches(_ text: String?, _ pattern: String) -> Bool {
        guard let text else { return false }
        return text.range(of: pattern, options: .regularExpression) != nil
    }

    /// `2023-05-20T10:54:05`: UTC, no zone letter, no fraction.
    static let creationTime = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"#
    /// A lowercase hyphenated GUID.
    static let guid = #"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"#
    /// `104.28.196.199:28491` or `[2a09:bac5:114:105::1a:9b]:54809`.
    static let addressWithPort = #"^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):\d{1,5}$"#
    /// An address without a port.
    static let address = #"^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)$"#
    /// `TYUPR03MB7029 (15.20.6411.019)`.
    static let server = #"^[A-Z0-9]{5}\d{2}MB\d{4} \(15\.20\.\d{4}\.\d{3}\)$"#
    /// The PUID form of UserKey in admin records.
    static let puid = #"^[0-9A-F]{16}$"#
}
