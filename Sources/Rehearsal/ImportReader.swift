import Foundation
import Shell

/// One value of an imported record, as the file carried it: CSV gives text (or nothing for
/// an empty field), ConvertTo-Json gives typed values, arrays and nested objects.
public indirect enum ImportValue: Sendable, Equatable {
    case null
    case text(String)
    case bool(Bool)
    case int(Int)
    case list([ImportValue])
    case object([(String, ImportValue)])

    public static func == (a: ImportValue, b: ImportValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.text(let x), .text(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `name` of a nested object (ignoring case).
    func member(_ name: String) -> ImportValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String? {
        switch self {
        case .text(let s): return s
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        default: return nil
        }
    }

    /// A list whose items are .NET type names: objects ConvertTo-Json cut at its depth.
    var truncatedObjects: Bool {
        guard case .list(let items) = self, !items.isEmpty else { return false }
        return items.allSatisfy { item in
            guard case .text(let s) = item else { return false }
            return (s.hasPrefix("Microsoft.") || s.hasPrefix("System.")) && !s.contains(" ") && s.split(separator: ".").count >= 3
        }
    }

    /// Text that Export-Csv writes for a collection: its .NET type name.
    var collectionTypeName: String? {
        guard case .text(let s) = self else { return nil }
        if s == "System.Collections.ArrayList" || s == "System.Object[]" || s == "System.String[]" { return s }
        if s.hasPrefix("System.Collections.") && s.contains("`1[") { return s }
        return nil
    }
}

/// One row of a CSV file or one object of a JSON file: where it is, and its fields in order.
public struct ImportRecord: Sendable {
    /// The CSV line the record starts on, or the JSON object's position (1-based).
    public var line: Int
    public var fields: [(name: String, value: ImportValue)]
}

/// A file read as a table: its format, its columns and its records.
public struct ImportTable: Sendable {
    public enum Format: String, Sendable { case csv = "CSV", json = "JSON" }
    public var file: String
    public var format: Format
    public var columns: [String]
    public var records: [ImportRecord]

    /// "line 4" for CSV, "object 4" for JSON.
    func place(_ n: Int) -> String { format == .csv ? "line \(n)" : "object \(n)" }
}

enum ImportReader {
    /// Reads a CSV file (the shell's Import-Csv reader, one record at a time so every record
    /// keeps the line it starts on). An empty field is no value.
    /// An empty file (what Export-Csv leaves when the cmdlet returned nothing) is nil.
    static func csv(_ text: String, file: String) throws(ImportIssue) -> ImportTable? {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        var chunks: [(line: Int, text: String)] = []
        var current = ""
        var inQuotes = false
        var line = 1
        var start = 1
        for c in body {
            if c == "\"" { inQuotes.toggle() }
            if (c == "\n" || c == "\r\n" || c == "\r") && !inQuotes {
                chunks.append((start, current))
                current = ""
                line += 1
                start = line
                continue
            }
            if c == "\n" || c == "\r\n" || c == "\r" { line += 1 }
            current.append(c)
        }
        if !current.isEmpty { chunks.append((start, current)) }
        var header: [String]?
        var records: [ImportRecord] = []
        for chunk in chunks {
            if chunk.text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if header == nil {
                if chunk.text.hasPrefix("#") { continue }
                let names = CsvFormat.parse(chunk.text + "\n").header
                if let dup = CsvFormat.duplicateName(names) {
                    throw ImportIssue(file: file, place: "line \(chunk.line)",
                                      message: "the column \"\(dup)\" appears twice in the header.",
                                      valid: "each column once, as Export-Csv writes them")
                }
                if names.contains(where: { $0.isEmpty }) {
                    throw ImportIssue(file: file, place: "line \(chunk.line)", message: "the header has an empty column name.",
                                      valid: "a header naming every column, as Export-Csv -NoTypeInformation writes it")
                }
                header = names
                continue
            }
            let names = header!
            let values = CsvFormat.parse(chunk.text + "\n", header: names).records.first ?? []
            if values.count > names.count {
                throw ImportIssue(file: file, place: "line \(chunk.line)",
                                  message: "the record has \(values.count) fields but the header has \(names.count) columns.",
                                  valid: "one field per column (quote values that contain commas)")
            }
            var fields: [(String, ImportValue)] = []
            for (i, name) in names.enumerated() {
                let v = i < values.count ? values[i] : ""
                fields.append((name, v.isEmpty ? .null : .text(v)))
            }
            records.append(ImportRecord(line: chunk.line, fields: fields))
        }
        guard let columns = header else {
            if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
            throw ImportIssue(file: file, place: nil, message: "the file is empty: it has no header line.",
                              valid: "a file written by Export-Csv -NoTypeInformation (a header line, then one line per object)")
        }
        return ImportTable(file: file, format: .csv, columns: columns, records: records)
    }

    /// Reads ConvertTo-Json output: an array of objects or one object.
    static func json(_ text: String, file: String) throws(ImportIssue) -> ImportTable? {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
        let node: JsonFormat.Node?
        do { node = try JsonFormat.parse(body) } catch {
            throw ImportIssue(file: file, place: nil, message: "the JSON can't be read: \(error.message)",
                              valid: "the output of ConvertTo-Json (an array of objects or one object)")
        }
        var items: [JsonFormat.Node]
        switch node {
        case .array(let a)?: items = a
        case .object?: items = [node!]
        default:
            throw ImportIssue(file: file, place: nil, message: "the JSON is not an object or an array of objects.",
                              valid: "the output of ConvertTo-Json (an array of objects or one object)")
        }
        var columns: [String] = []
        var seen = Set<String>()
        var records: [ImportRecord] = []
        for (i, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw ImportIssue(file: file, place: "object \(i + 1)", message: "the array item is not an object.",
                                  valid: "an array of objects, one per exported object")
            }
            var fields: [(String, ImportValue)] = []
            for m in members {
                if seen.insert(m.key.lowercased()).inserted { columns.append(m.key) }
                fields.append((m.key, value(m.value)))
            }
            records.append(ImportRecord(line: i + 1, fields: fields))
        }
        items.removeAll()
        return ImportTable(file: file, format: .json, columns: columns, records: records)
    }

    static func value(_ n: JsonFormat.Node) -> ImportValue {
        switch n {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .text(String(d))
        case .string(let s): return .text(s)
        case .array(let a): return .list(a.map(value))
        case .object(let m): return .object(m.map { ($0.key, value($0.value)) })
        }
    }
}
