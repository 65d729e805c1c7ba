import Foundation
import TenantModel

/// `-UseQuotes`: when Export-Csv quotes a field (PowerShell 7; Always is the default).
public enum CsvQuoteKind: String, Sendable, CaseIterable {
    case never = "Never", always = "Always", asNeeded = "AsNeeded"
}

public struct CsvWriteOptions: Sendable {
    public var delimiter: Character = ","
    public var quoteKind: CsvQuoteKind = .always
    /// `-QuoteFields`: only these columns are quoted (names ignore case).
    public var quoteFields: [String]?
    /// `-IncludeTypeInformation`: a `#TYPE` line first (PowerShell 7 leaves it out by default).
    public var includeTypeInformation = false
    public var noHeader = false

    public init(delimiter: Character = ",", quoteKind: CsvQuoteKind = .always, quoteFields: [String]? = nil,
                includeTypeInformation: Bool = false, noHeader: Bool = false) {
        self.delimiter = delimiter
        self.quoteKind = quoteKind
        self.quoteFields = quoteFields
        self.includeTypeInformation = includeTypeInformation
        self.noHeader = noHeader
    }
}

/// PowerShell 7's CSV conversion (CsvCommands.cs: ExportCsvHelper, ImportCsvHelper).
public enum CsvFormat {
    // MARK: Writing

    /// The columns an object gives (BuildPropertyNames): an object's properties in order,
    /// a hashtable's keys; a string has its one property, Length; an array the properties
    /// of `System.Object[]`; other values none.
    public static func propertyNames(of value: PSValue) -> [String] {
        switch value {
        case .object(let o): return o.propertyNames
        case .hashtable(let h): return h.keys
        case .string: return ["Length"]
        case .array: return ["Length", "LongLength", "Rank", "SyncRoot", "IsReadOnly", "IsFixedSize", "IsSynchronized", "Count"]
        default: return []
        }
    }

    /// A field's text: the property's .NET ToString(), or nil when the object lacks the
    /// property or it is `$null` (written as nothing, not even quotes).
    public static func fieldText(_ value: PSValue, _ name: String) -> String? {
        switch value {
        case .object(let o):
            guard let v = o.property(name), !v.isNull else { return nil }
            return v.toStringText
        case .hashtable(let h):
            guard let v = h[name], !v.isNull else { return nil }
            return v.toStringText
        case .string(let s):
            return name.lowercased() == "length" ? String(s.utf16.count) : nil
        case .array(let a):
            switch name.lowercased() {
            case "length", "longlength", "count": return String(a.items.count)
            case "rank": return "1"
            case "syncroot": return a.typeName
            case "isreadonly", "issynchronized": return "False"
            case "isfixedsize": return "True"
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `#TYPE <first type name>` (a `CSV:` prefix from Import-Csv dropped).
    public static func typeLine(of value: PSValue) -> String {
        var name = value.typeName
        if case .object(let o) = value, let first = o.typeNames.first { name = first }
        if name.lowercased().hasPrefix("csv:") { name = String(name.dropFirst(4)) }
        return "#TYPE \(name)"
    }

    public static func headerLine(_ names: [String], options: CsvWriteOptions) -> String {
        names.map { quoted($0, column: $0, options: options) }.joined(separator: String(options.delimiter))
    }

    public static func recordLine(_ value: PSValue, names: [String], options: CsvWriteOptions) -> String {
        names.map { name in fieldText(value, name).map { quoted($0, column: name, options: options) } ?? "" }
            .joined(separator: String(options.delimiter))
    }

    /// Quotes a field as the options say; embedded `"` doubled. AsNeeded quotes a field
    /// holding the delimiter, a line feed or a quote.
    static func quoted(_ text: String, column: String, options: CsvWriteOptions) -> String {
        let always = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if let fields = options.quoteFields {
            return fields.contains { $0.lowercased() == column.lowercased() } ? always : text
        }
        switch options.quoteKind {
        case .always: return always
        case .never: return text
        case .asNeeded:
            return text.unicodeScalars.contains { $0 == "\n" || $0 == "\"" || Character($0) == options.delimiter } ? always : text
        }
    }

    /// ConvertTo-Csv: the lines for these objects (header from the first; later objects'
    /// extra properties dropped, missing ones empty). `$null` items are skipped.
    public static func lines(_ values: [PSValue], options: CsvWriteOptions) -> [String] {
        var names: [String]?
        var out: [String] = []
        for value in values where !value.isNull {
            if names == nil {
                names = propertyNames(of: value)
                if !options.noHeader {
                    if options.includeTypeInformation { out.append(typeLine(of: value)) }
                    out.append(headerLine(names!, options: options))
                }
            }
            out.append(recordLine(value, names: names!, options: options))
        }
        return out
    }

    // MARK: Reading

    /// A parsed CSV text: the `#TYPE` name, the header, the records.
    public struct Table: Sendable {
        public var typeName: String?
        public var header: [String]
        public var records: [[String]]
    }

    /// ImportCsvHelper: an optional `#TYPE` line, lines starting with `#` skipped, the first
    /// record as header (unless one is given; trailing empty names dropped), blank lines
    /// skipped; quotes with `""` inside, delimiters and line breaks inside quotes kept,
    /// blanks before a field and after a closing quote dropped.
    public static func parse(_ text: String, delimiter: Character = ",", header: [String]? = nil) -> Table {
        var reader = Reader(Array(text.unicodeScalars), delimiter: delimiter.unicodeScalars.first ?? ",")
        var typeName: String?
        if reader.peek(is: "#") {
            let line = reader.readLine()
            if line.lowercased().hasPrefix("#type") {
                let t = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                typeName = t.isEmpty ? nil : t
            }
        }
        var names = header
        while names == nil, !reader.atEnd {
            var values = reader.nextRecord()
            while values.count > 1, values.last == "" { values.removeLast() }
            if let first = values.first, first.hasPrefix("#Fields: ") {
                values[0] = String(first.dropFirst(9))
                names = values
            } else if let first = values.first, first.hasPrefix("#") {
                continue
            } else {
                names = values
            }
        }
        var records: [[String]] = []
        while true {
            let values = reader.nextRecord()
            if values.isEmpty { break }
            if values.count == 1, values[0].isEmpty { continue }
            records.append(values)
        }
        return Table(typeName: typeName, header: names ?? [], records: records)
    }

    /// The first duplicate column name (ignoring case), which Import-Csv refuses.
    public static func duplicateName(_ header: [String]) -> String? {
        var seen = Set<String>()
        for name in header where !name.isEmpty {
            if !seen.insert(name.lowercased()).inserted { return name }
        }
        return nil
    }

    /// Import-Csv's objects: string values, `$null` where a record is short, `H1`, `H2`...
    /// for empty column names; with a `#TYPE` line the objects carry that type name and
    /// `CSV:<type>`. The flag says whether a default name was used (Import-Csv warns).
    public static func objects(_ table: Table) -> (objects: [PSObject], usedDefaultNames: Bool) {
        var usedDefault = false
        let objects = table.records.map { values -> PSObject in
            var unspecified = 1
            var properties: [(String, PSValue)] = []
            for (i, name) in table.header.enumerated() {
                var n = name
                if n.isEmpty { n = "H\(unspecified)"; unspecified += 1; usedDefault = true }
                properties.append((n, i < values.count ? .string(values[i]) : .null))
            }
            let o = PSObject(properties: properties)
            if let type = table.typeName { o.typeNames = [type, "CSV:" + type] }
            return o
        }
        return (objects, usedDefault)
    }

    private struct Reader {
        let s: [Unicode.Scalar]
        let delimiter: Unicode.Scalar
        var i = 0

        init(_ s: [Unicode.Scalar], delimiter: Unicode.Scalar) {
            self.s = s
            self.delimiter = delimiter
        }

        var atEnd: Bool { i >= s.count }

        func peek(is c: Unicode.Scalar) -> Bool { i < s.count && s[i] == c }

        mutating func read() -> Unicode.Scalar {
            defer { i += 1 }
            return s[i]
        }

        mutating func readLine() -> String {
            var line = String.UnicodeScalarView()
            while !atEnd {
                let c = read()
                if c == "\n" { break }
                if c == "\r" { if peek(is: "\n") { i += 1 }; break }
                line.append(c)
            }
            return String(line)
        }

        /// IsNewLine: `\r\n`, `\r` or `\n`, consumed.
        mutating func newLine(_ c: Unicode.Scalar) -> String? {
            if c == "\r" {
                if peek(is: "\n") { i += 1; return "\r\n" }
                return "\r"
            }
            return c == "\n" ? "\n" : nil
        }

        mutating func nextRecord() -> [String] {
            var result: [String] = []
            var current = String.UnicodeScalarView()
            var inQuotes = false
            recordLoop: while !atEnd {
                let c = read()
                if c == delimiter {
                    if inQuotes { current.append(c) } else { result.append(String(current)); current = .init() }
                } else if c == "\"" {
                    if inQuotes {
                        if peek(is: "\"") {
                            i += 1
                            current.append("\"")
                        } else {
                            inQuotes = false
                            let end = readTillDelimiter(&current, eatTrailingBlanks: true)
                            result.append(String(current)); current = .init()
                            if end { break recordLoop }
                        }
                    } else if current.isEmpty {
                        inQuotes = true
                    } else {
                        current.append(c)
                        let end = readTillDelimiter(&current, eatTrailingBlanks: false)
                        result.append(String(current)); current = .init()
                        if end { break recordLoop }
                    }
                } else if c == " " || c == "\t" {
                    if inQuotes {
                        current.append(c)
                    } else if current.isEmpty {
                        continue
                    } else {
                        current.append(c)
                        let end = readTillDelimiter(&current, eatTrailingBlanks: true)
                        result.append(String(current)); current = .init()
                        if end { break recordLoop }
                    }
                } else if let nl = newLine(c) {
                    if inQuotes {
                        current.append(contentsOf: nl.unicodeScalars)
                    } else {
                        result.append(String(current)); current = .init()
                        break recordLoop
                    }
                } else {
                    current.append(c)
                }
            }
            if !current.isEmpty { result.append(String(current)) }
            return result
        }

        /// ReadTillNextDelimiter: appends up to the delimiter or line end (returns true at a
        /// record's end); blanks only are dropped when `eatTrailingBlanks`.
        mutating func readTillDelimiter(_ current: inout String.UnicodeScalarView, eatTrailingBlanks: Bool) -> Bool {
            var temp = String.UnicodeScalarView()
            var nonWhite = false
            var end = false
            while true {
                if atEnd { end = true; break }
                let c = read()
                if c == delimiter { break }
                if newLine(c) != nil { end = true; break }
                temp.append(c)
                if c != " " && c != "\t" { nonWhite = true }
            }
            if !(eatTrailingBlanks && !nonWhite) { current.append(contentsOf: temp) }
            return end
        }
    }
}

/// Export-Csv's file handling: create or truncate (or append to) the file, check an
/// appended file's columns, write the lines with `\n` endings in the chosen encoding, a
/// byte-order mark only at the start of a file. Errors are PowerShell's.
public struct CsvFileExport {
    public var path: String
    /// The path as the user wrote it (messages quote it).
    public var displayPath: String
    public var options = CsvWriteOptions()
    public var encoding: TextFileEncoding = .utf8NoBOM
    public var append = false
    public var force = false
    public var noClobber = false
    public var cmdlet = "Export-Csv"

    public init(path: String, displayPath: String) {
        self.path = path
        self.displayPath = displayPath
    }

    static let commandType = "Microsoft.PowerShell.Commands.ExportCsvCommand"

    /// Writes the objects; `$null` items are skipped. With no objects the file is still
    /// created (empty, or just its byte-order mark), as Export-Csv opens it before any input.
    public func write(_ values: [PSValue]) throws(ShellError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue { throw accessDenied() }
        let parent = (path as NSString).deletingLastPathComponent
        var parentIsDirectory: ObjCBool = false
        if !fm.fileExists(atPath: parent, isDirectory: &parentIsDirectory) || !parentIsDirectory.boolValue {
            throw ShellError(message: "Could not find a part of the path '\(path)'.", category: .WriteError,
                             reason: "DirectoryNotFoundException", errorId: "FileOpenFailure,\(CsvFileExport.commandType)", activity: cmdlet)
        }
        if noClobber, !append, exists {
            throw ShellError(message: "File \(displayPath) already exists and NoClobber was specified.", category: .ResourceExists,
                             reason: "IOException", errorId: "NoClobber,\(CsvFileExport.commandType)", activity: cmdlet, targetName: path)
        }

        // -Append to a file with content: its header fixes the columns, its BOM the encoding.
        var existing: [UInt8] = []
        if append, exists { existing = (fm.contents(atPath: path)).map { Array($0) } ?? [] }
        let existingText = encoding.decode(existing)
        let actuallyAppending = append && exists && !existingText.isEmpty
        var fileEncoding = encoding
        var names: [String]?
        if actuallyAppending {
            fileEncoding = TextFileEncoding.detect(existing) ?? encoding
            names = CsvFormat.parse(existingText, delimiter: options.delimiter).header
        }

        var lines: [String] = []
        var columns: [String]?
        for value in values where !value.isNull {
            if columns == nil {
                let own = CsvFormat.propertyNames(of: value)
                if let preexisting = names {
                    let have = Set(own.map { $0.lowercased() })
                    if !force, let missing = preexisting.first(where: { !have.contains($0.lowercased()) }) {
                        throw ShellError(
                            message: "Cannot append CSV content to the following file: \(displayPath). The appended object does not have a property that corresponds to the following column: \(missing). To continue with mismatched properties, add the -Force parameter, and then retry the command.",
                            category: .InvalidData, reason: "InvalidOperationException",
                            errorId: "CannotAppendCsvWithMismatchedPropertyNames,\(CsvFileExport.commandType)", activity: cmdlet, targetName: missing)
                    }
                    columns = preexisting
                } else {
                    columns = own
                    if !options.noHeader {
                        if options.includeTypeInformation { lines.append(CsvFormat.typeLine(of: value)) }
                        lines.append(CsvFormat.headerLine(own, options: options))
                    }
                }
            }
            lines.append(CsvFormat.recordLine(value, names: columns!, options: options))
        }

        // The StreamWriter writes the preamble when it starts at the beginning of the file.
        let startsAtZero = !(append && exists && !existing.isEmpty)
        var bytes = startsAtZero ? fileEncoding.preamble : []
        bytes += fileEncoding.encode(lines.map { $0 + "\n" }.joined())
        let data = Data(bytes)
        if append, exists {
            guard let handle = FileHandle(forWritingAtPath: path) else { throw accessDenied() }
            defer { try? handle.close() }
            do {
                try handle.seekToEnd()
                try handle.write(contentsOf: data)
            } catch { throw accessDenied() }
        } else {
            if exists, !fm.isWritableFile(atPath: path) { throw accessDenied() }
            guard fm.createFile(atPath: path, contents: data) else { throw accessDenied() }
        }
    }

    private func accessDenied() -> ShellError {
        ShellError(message: "Access to the path '\(path)' is denied.", category: .WriteError,
                   reason: "UnauthorizedAccessException", errorId: "FileOpenFailure,\(CsvFileExport.commandType)", activity: cmdlet)
    }
}
