import Foundation
import TenantModel

/// The output side of the shell: formatting (Format-Table, Format-List, Out-String), the
/// output and host streams (Write-Output, Write-Host), and files and text (Export-Csv,
/// Import-Csv, ConvertTo-Json, ConvertFrom-Json). Behaviour and sources: Docs/output.md.
enum OutputCmdlets {
    static let definitions: [CmdletDefinition] = [
        outNull,
        formatTable, formatList, outString, writeOutput, writeHost, exportCsv, importCsv, convertToJson, convertFromJson,
    ]

    // MARK: Formatting

    static let formatTable = CmdletDefinition(
        "Format-Table", module: .core, synopsis: "Formats the output as a table.",
        parameters: [
            ParameterDefinition("Property", .objects, position: 0,
                                help: "The properties to show, in order: names (wildcards allowed) or @{Name=...; Expression={...}; Width=...; Alignment=...}."),
            ParameterDefinition("AutoSize", .switchParameter, help: "Size every column to its widest value, even when the type's view fixes the widths."),
            ParameterDefinition("Wrap", .switchParameter, help: "Wrap long values onto more lines instead of cutting them with an ellipsis."),
            ParameterDefinition("HideTableHeaders", .switchParameter, help: "Leave out the column labels and the dashes under them."),
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to format."),
        ],
        collectsInput: true
    ) { context, bound, input in
        let values = input?.enumerated ?? bound.value("InputObject").map { [$0] } ?? []
        let specs = try propertySpecs(bound, cmdletClass: "FormatTableCommand")
        let segments = OutputFormatter.tableSegments(values, properties: specs, autoSize: bound.isOn("AutoSize"), wrap: bound.isOn("Wrap"),
                                                         hideHeaders: bound.isOn("HideTableHeaders"), evaluate: evaluator(context))
        return segments.map(OutputFormatter.marker)
    }

    static let formatList = CmdletDefinition(
        "Format-List", module: .core, synopsis: "Formats the output as a list of properties, each on its own line.",
        parameters: [
            ParameterDefinition("Property", .objects, position: 0,
                                help: "The properties to show: names (wildcards allowed; * for all) or calculated properties."),
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to format."),
        ],
        collectsInput: true
    ) { context, bound, input in
        let values = input?.enumerated ?? bound.value("InputObject").map { [$0] } ?? []
        let specs = try propertySpecs(bound, cmdletClass: "FormatListCommand")
        let segments = OutputFormatter.listSegments(values, properties: specs, evaluate: evaluator(context))
        return segments.map(OutputFormatter.marker)
    }

    static let outString = CmdletDefinition(
        "Out-String", module: .core, synopsis: "Outputs the formatted text of objects as one string (or one string per line with -Stream).",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to format."),
            ParameterDefinition("Width", .int, help: "The number of characters in each line (at least 2); tables default to 120, lists to no limit."),
            ParameterDefinition("Stream", .switchParameter, help: "Output each line as its own string."),
            ParameterDefinition("NoNewline", .switchParameter, help: "Join the lines without line breaks."),
        ],
        collectsInput: true
    ) { _, bound, input in
        let values = input?.enumerated ?? bound.value("InputObject").map { [$0] } ?? []
        let width = bound.int("Width")
        if let width, width < 2 {
            throw validationError("Width", "The \(width) argument is less than the minimum allowed range of 2. Supply an argument that is greater than or equal to 2 and then try the command again.",
                                  cmdletClass: "OutStringCommand", bound: bound)
        }
        // Out-String's line output is int.MaxValue wide unless -Width: tables then take the
        // console's width, lists do not wrap. [OutStringCommand.cs]
        let lines = OutputFormatter.lines(of: OutputFormatter.defaultSegments(values),
                                          tableWidth: width ?? OutputFormatter.defaultWidth, listWidth: width ?? Int.max)
        if bound.isOn("Stream") { return lines.map { .string($0) } }
        if bound.isOn("NoNewline") { return [.string(lines.joined())] }
        return [.string(lines.map { $0 + "\n" }.joined())]
    }

    // MARK: Streams

    static let writeOutput = CmdletDefinition(
        "Write-Output", module: .core, synopsis: "Writes objects to the pipeline.",
        parameters: [
            ParameterDefinition("InputObject", .object, position: 0, mandatory: true, pipeline: .byValue, help: "The objects to send down the pipeline."),
            ParameterDefinition("NoEnumerate", .switchParameter, help: "Send a collection as one object instead of its items."),
        ]
    ) { _, bound, record in
        let value = bound.value("InputObject") ?? record ?? .null
        return bound.isOn("NoEnumerate") ? [value] : value.enumerated
    }

    static let consoleColor = ParameterType.exchange(.enumeration(EnumDescriptor(
        typeName: "System.ConsoleColor",
        names: ["Black", "DarkBlue", "DarkGreen", "DarkCyan", "DarkRed", "DarkMagenta", "DarkYellow", "Gray", "DarkGray",
                "Blue", "Green", "Cyan", "Red", "Magenta", "Yellow", "White"])))

    static let writeHost = CmdletDefinition(
        "Write-Host", module: .core, synopsis: "Writes text to the host (not to the pipeline).",
        parameters: [
            ParameterDefinition("Object", .object, position: 0, pipeline: .byValue, help: "What to write; collections are written item by item."),
            ParameterDefinition("NoNewline", .switchParameter, help: "Do not end the text with a line break."),
            ParameterDefinition("Separator", .object, help: "The text between items of a collection (a space by default)."),
            ParameterDefinition("ForegroundColor", consoleColor, help: "The text color (the simulator prints plain text)."),
            ParameterDefinition("BackgroundColor", consoleColor, help: "The background color (the simulator prints plain text)."),
        ]
    ) { context, bound, record in
        let separator = bound.value("Separator").map { $0.toStringText } ?? " "
        let text = hostText(bound.value("Object") ?? record ?? .null, separator: separator)
        // -NoNewline: the host's plain write, which adds no line end.
        if bound.isOn("NoNewline") { context.session.host.write(text) } else { context.session.host.writeHost(text) }
        return []
    }

    /// Write-Host's text: a string as it is, a collection item by item with the separator,
    /// anything else its ToString (a hashtable enumerates its DictionaryEntry objects).
    static func hostText(_ value: PSValue, separator: String) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s
        case .array(let a): return a.items.map { hostText($0, separator: separator) }.joined(separator: separator)
        case .hashtable(let h): return h.keys.map { _ in "System.Collections.DictionaryEntry" }.joined(separator: separator)
        default: return value.toStringText
        }
    }

    // MARK: CSV

    static let quoteKind = ParameterType.exchange(.enumeration(EnumDescriptor(
        typeName: "Microsoft.PowerShell.Commands.BaseCsvWritingCommand+QuoteKind", names: CsvQuoteKind.allCases.map(\.rawValue))))

    static let exportCsv = CmdletDefinition(
        "Export-Csv", module: .core, synopsis: "Writes objects to a CSV file, one row per object.",
        parameters: [
            ParameterDefinition("Path", .string, position: 0, help: "The file to write (relative paths resolve against the working directory)."),
            ParameterDefinition("LiteralPath", .string, aliases: ["PSPath", "LP"], help: "The file to write, taken literally."),
            ParameterDefinition("InputObject", .object, mandatory: true, pipeline: .byValue, help: "The objects to export."),
            ParameterDefinition("Delimiter", .string, position: 1, help: "The character between fields (a comma by default)."),
            ParameterDefinition("UseCulture", .switchParameter, help: "Use the culture's list separator (a comma in en-US)."),
            ParameterDefinition("NoTypeInformation", .switchParameter, aliases: ["NTI"], help: "No #TYPE line (the default in PowerShell 7)."),
            ParameterDefinition("IncludeTypeInformation", .switchParameter, aliases: ["ITI"], help: "Start the file with a #TYPE line naming the objects' type."),
            ParameterDefinition("Append", .switchParameter, help: "Add rows to the end of the file; its header decides the columns."),
            ParameterDefinition("Force", .switchParameter, help: "With -Append, write rows whose objects lack some of the file's columns."),
            ParameterDefinition("NoClobber", .switchParameter, aliases: ["NoOverwrite"], help: "Refuse to overwrite an existing file."),
            ParameterDefinition("Encoding", .string, help: "utf8NoBOM (default), utf8, utf8BOM, ascii, unicode, bigendianunicode, utf32, bigendianutf32, oem."),
            ParameterDefinition("UseQuotes", quoteKind, aliases: ["UQ"], help: "Always (default), AsNeeded or Never quote fields."),
            ParameterDefinition("QuoteFields", .strings, aliases: ["QF"], help: "Quote only these columns."),
            ParameterDefinition("NoHeader", .switchParameter, help: "Write no header line."),
        ],
        supportsShouldProcess: true, collectsInput: true
    ) { context, bound, input in
        let values = input?.enumerated ?? bound.value("InputObject").map { [$0] } ?? []
        let cmdletClass = "ExportCsvCommand"
        try exclusive(bound, "QuoteFields", "UseQuotes", id: "CannotSpecifyQuoteFieldsAndUseQuotes", cmdletClass: cmdletClass)
        try exclusive(bound, "IncludeTypeInformation", "NoTypeInformation", id: "CannotSpecifyIncludeTypeInformationAndNoTypeInformation", cmdletClass: cmdletClass)
        var options = CsvWriteOptions()
        options.delimiter = try delimiter(bound, cmdletClass: cmdletClass)
        if let q = bound.string("UseQuotes"), let kind = CsvQuoteKind.allCases.first(where: { $0.rawValue.lowercased() == q.lowercased() }) {
            options.quoteKind = kind
        }
        options.quoteFields = bound.strings("QuoteFields")
        options.includeTypeInformation = bound.isOn("IncludeTypeInformation")
        options.noHeader = bound.isOn("NoHeader")
        let path = try filePath(bound, cmdletClass: cmdletClass)
        var export = CsvFileExport(path: resolve(path, context.session), displayPath: path)
        export.options = options
        export.encoding = try encoding(bound, cmdletClass: cmdletClass)
        export.append = bound.isOn("Append")
        export.force = bound.isOn("Force")
        export.noClobber = bound.isOn("NoClobber")
        guard context.shouldProcess(target: path) else { return [] }
        try export.write(values)
        return []
    }

    static let importCsv = CmdletDefinition(
        "Import-Csv", module: .core, synopsis: "Reads a CSV file into objects whose properties are its columns (all values strings).",
        parameters: [
            ParameterDefinition("Path", .strings, position: 0, pipeline: .byValue, help: "The file(s) to read."),
            ParameterDefinition("LiteralPath", .strings, aliases: ["PSPath", "LP"], help: "The file(s) to read, taken literally."),
            ParameterDefinition("Delimiter", .string, position: 1, help: "The character between fields (a comma by default)."),
            ParameterDefinition("UseCulture", .switchParameter, help: "Use the culture's list separator (a comma in en-US)."),
            ParameterDefinition("Header", .strings, help: "Column names to use; the file's first line is then data."),
            ParameterDefinition("Encoding", .string, help: "The file's encoding when it has no byte-order mark (utf8NoBOM by default)."),
        ]
    ) { context, bound, record in
        let cmdletClass = "ImportCsvCommand"
        let paths = bound.strings("Path") ?? bound.strings("LiteralPath") ?? record.map { $0.enumerated.map(\.text) } ?? []
        if bound.has("Path") == bound.has("LiteralPath") && record == nil {
            throw ShellError(message: "You must specify either the -Path or -LiteralPath parameters, but not both.", category: .InvalidData,
                             reason: "InvalidOperationException", errorId: "CannotSpecifyPathAndLiteralPath,Microsoft.PowerShell.Commands.\(cmdletClass)")
        }
        let delimiter = try delimiter(bound, cmdletClass: cmdletClass)
        let encoding = try encoding(bound, cmdletClass: cmdletClass)
        var out: [PSValue] = []
        var warned = false
        for path in paths {
            let resolved = resolve(path, context.session)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
                throw ShellError(message: "Could not find file '\(resolved)'.", category: .ReadError, reason: "FileNotFoundException",
                                 errorId: "FileOpenFailure,Microsoft.PowerShell.Commands.\(cmdletClass)")
            }
            guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: resolved) else {
                throw ShellError(message: "Access to the path '\(resolved)' is denied.", category: .ReadError, reason: "UnauthorizedAccessException",
                                 errorId: "FileOpenFailure,Microsoft.PowerShell.Commands.\(cmdletClass)")
            }
            let table = CsvFormat.parse(encoding.decode(Array(data)), delimiter: delimiter, header: bound.strings("Header"))
            if let duplicate = CsvFormat.duplicateName(table.header) {
                throw ShellError(message: "The member \"\(duplicate)\" is already present.", category: .NotSpecified,
                                 reason: "ExtendedTypeSystemException",
                                 errorId: "AlreadyPresentPSMemberInfoInternalCollectionAdd,Microsoft.PowerShell.Commands.\(cmdletClass)")
            }
            let (objects, usedDefault) = CsvFormat.objects(table)
            if usedDefault, !warned {
                warned = true
                context.writeWarning("One or more headers were not specified. Default names starting with \"H\" have been used in place of any missing headers.")
            }
            out += objects.map { .object($0) }
        }
        return out
    }

    // MARK: JSON

    static let escapeHandling = ParameterType.exchange(.enumeration(EnumDescriptor(
        typeName: "Newtonsoft.Json.StringEscapeHandling", names: ["Default", "EscapeNonAscii", "EscapeHtml"])))

    static let convertToJson = CmdletDefinition(
        "ConvertTo-Json", module: .core, synopsis: "Converts objects to JSON text.",
        parameters: [
            ParameterDefinition("InputObject", .object, position: 0, mandatory: true, pipeline: .byValue, help: "The objects to convert."),
            ParameterDefinition("Depth", .int, help: "How many levels of contained objects to include (2 by default, at most 100)."),
            ParameterDefinition("Compress", .switchParameter, help: "Leave out white space and line breaks."),
            ParameterDefinition("EnumsAsStrings", .switchParameter, help: "Write enumeration values as their names (Exchange values always are)."),
            ParameterDefinition("AsArray", .switchParameter, help: "Write an array even for a single object."),
            ParameterDefinition("EscapeHandling", escapeHandling, help: "Default, EscapeNonAscii or EscapeHtml."),
        ],
        collectsInput: true
    ) { context, bound, input in
        let cmdletClass = "ConvertToJsonCommand"
        let depth = bound.int("Depth") ?? 2
        if depth > 100 {
            throw validationError("Depth", "The \(depth) argument is greater than the maximum allowed range of 100. Supply an argument that is less than or equal to 100 and then try the command again.",
                                  cmdletClass: cmdletClass, bound: bound)
        }
        if depth < 0 {
            throw validationError("Depth", "The \(depth) argument is less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.",
                                  cmdletClass: cmdletClass, bound: bound)
        }
        let objects = input?.enumerated ?? [bound.value("InputObject") ?? .null]
        guard !objects.isEmpty else { return [] }
        let target = objects.count > 1 || bound.isOn("AsArray") ? PSValue.array(PSArray(objects)) : objects[0]
        var (json, truncated) = JsonFormat.serialize(target, depth: depth, compress: bound.isOn("Compress"))
        switch bound.string("EscapeHandling")?.lowercased() {
        case "escapenonascii": json = escapeNonAscii(json, html: false)
        case "escapehtml": json = escapeNonAscii(json, html: true)
        default: break
        }
        if truncated { context.writeWarning(JsonFormat.depthWarning(depth)) }
        return [.string(json)]
    }

    /// Newtonsoft's EscapeNonAscii (and EscapeHtml, which also escapes `< > & ' "` inside
    /// strings) applied to already-written JSON.
    static func escapeNonAscii(_ json: String, html: Bool) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for u in json.unicodeScalars {
            if inString {
                if escaped { escaped = false; out.unicodeScalars.append(u); continue }
                if u == "\\" { escaped = true; out.unicodeScalars.append(u); continue }
                if u == "\"" { inString = false; out.unicodeScalars.append(u); continue }
                let htmlChar = html && "<>&'".unicodeScalars.contains(u)
                if u.value > 0x7E || htmlChar {
                    for unit in String(u).utf16 {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(u)
                }
            } else {
                if u == "\"" { inString = true }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static let convertFromJson = CmdletDefinition(
        "ConvertFrom-Json", module: .core, synopsis: "Converts JSON text into objects.",
        parameters: [
            ParameterDefinition("InputObject", .object, position: 0, mandatory: true, pipeline: .byValue, help: "The JSON text."),
            ParameterDefinition("AsHashtable", .switchParameter, help: "Make hashtables instead of objects."),
            ParameterDefinition("Depth", .int, help: "The deepest nesting allowed (1024 by default)."),
            ParameterDefinition("NoEnumerate", .switchParameter, help: "Output a JSON array as one array object."),
        ],
        collectsInput: true
    ) { _, bound, input in
        let texts = (input?.enumerated ?? [bound.value("InputObject") ?? .null]).map(\.text)
        guard !texts.isEmpty else { return [] }
        let asHashtable = bound.isOn("AsHashtable"), noEnumerate = bound.isOn("NoEnumerate")
        func convert(_ text: String) throws(ShellError) -> [PSValue] {
            do {
                guard let node = try JsonFormat.parse(text) else { return [] }
                let value = JsonFormat.value(node, asHashtable: asHashtable)
                return noEnumerate ? [value] : value.enumerated
            } catch {
                throw ShellError(message: "Conversion from JSON failed with error: \(error.message)", category: .NotSpecified,
                                 reason: "ArgumentException", errorId: "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand")
            }
        }
        // Several input strings are either each a JSON text, or together one (lines of a
        // file): the first decides. [ConvertFromJsonCommand.EndProcessing]
        if texts.count == 1 { return try convert(texts[0]) }
        if let first = try? convert(texts[0]) {
            var out = first
            for text in texts.dropFirst() { out += try convert(text) }
            return out
        }
        return try convert(texts.joined(separator: "\n"))
    }

    // MARK: Helpers

    static func evaluator(_ context: CmdletContext) -> OutputFormatter.Evaluator {
        { block, value in
            let out = try context.interpreter.invoke(block, input: value)
            return out.count == 1 ? out[0] : out.isEmpty ? .null : .array(PSArray(out))
        }
    }

    /// `-Property` items: names, script blocks, or hashtables with Name/Label, Expression,
    /// Width and Alignment (keys may be shortened to any unambiguous prefix).
    static func propertySpecs(_ bound: BoundParameters, cmdletClass: String) throws(ShellError) -> [OutputFormatter.PropertySpec]? {
        guard let value = bound.value("Property"), !value.isNull else { return nil }
        var specs: [OutputFormatter.PropertySpec] = []
        for item in value.enumerated {
            switch item {
            case .scriptBlock(let block):
                specs.append(.init(name: nil, expression: block, label: nil, width: nil, alignment: nil))
            case .hashtable(let h):
                var spec = OutputFormatter.PropertySpec(name: nil, expression: nil, label: nil, width: nil, alignment: nil)
                for (key, v) in h.pairs {
                    let k = key.lowercased()
                    func isKey(_ full: String) -> Bool { !k.isEmpty && full.hasPrefix(k) }
                    if isKey("expression") {
                        if case .scriptBlock(let b) = v { spec.expression = b } else { spec.name = v.text }
                    } else if isKey("label") || isKey("name") {
                        spec.label = v.text
                    } else if isKey("width") {
                        if case .int(let w) = v { spec.width = w } else { spec.width = Int(v.text) }
                    } else if isKey("alignment") {
                        switch v.text.lowercased() {
                        case "left": spec.alignment = .left
                        case "right": spec.alignment = .right
                        case "center": spec.alignment = .center
                        default:
                            throw ShellError(message: "The Alignment key value \"\(v.text)\" is not valid. Valid values are: Left, Center, Right.",
                                             category: .InvalidArgument, reason: "NotSupportedException",
                                             errorId: "FormatObjectDeserializerIllegalAlignment,Microsoft.PowerShell.Commands.\(cmdletClass)")
                        }
                    } else if isKey("formatstring") {
                        continue
                    } else {
                        throw ShellError(message: "The \"\(key)\" key is not valid.", category: .InvalidArgument, reason: "NotSupportedException",
                                         errorId: "DictionaryKeyIllegal,Microsoft.PowerShell.Commands.\(cmdletClass)")
                    }
                }
                if spec.expression == nil, spec.name == nil {
                    throw ShellError(message: "The \"Expression\" key is missing.", category: .InvalidArgument, reason: "NotSupportedException",
                                     errorId: "DictionaryKeyMandatoryEntry,Microsoft.PowerShell.Commands.\(cmdletClass)")
                }
                specs.append(spec)
            default:
                specs.append(.init(name: item.text))
            }
        }
        return specs
    }

    static func exclusive(_ bound: BoundParameters, _ a: String, _ b: String, id: String, cmdletClass: String) throws(ShellError) {
        guard bound.has(a), bound.has(b) else { return }
        throw ShellError(message: "You must specify either the -\(a) or -\(b) parameters, but not both.", category: .InvalidData,
                         reason: "InvalidOperationException", errorId: "\(id),Microsoft.PowerShell.Commands.\(cmdletClass)")
    }

    static func filePath(_ bound: BoundParameters, cmdletClass: String) throws(ShellError) -> String {
        let path = bound.string("Path"), literal = bound.string("LiteralPath")
        guard (path == nil) != (literal == nil), let p = path ?? literal else {
            throw ShellError(message: "You must specify either the -Path or -LiteralPath parameters, but not both.", category: .InvalidData,
                             reason: "InvalidOperationException", errorId: "CannotSpecifyPathAndLiteralPath,Microsoft.PowerShell.Commands.\(cmdletClass)")
        }
        return p
    }

    /// A path against the session's working directory, normalized as .NET does (`./`, `..`).
    static func resolve(_ path: String, _ session: ShellSession) -> String {
        var p = path
        if p == "~" || p.hasPrefix("~/") { p = NSHomeDirectory() + p.dropFirst() }
        return (session.resolvePath(p) as NSString).standardizingPath
    }

    static func delimiter(_ bound: BoundParameters, cmdletClass: String) throws(ShellError) -> Character {
        guard let text = bound.string("Delimiter") else { return "," }
        guard text.count == 1, let c = text.first else {
            throw ShellError(message: "Cannot process argument transformation on parameter 'Delimiter'. Cannot convert value \"\(text)\" to type \"System.Char\". Error: \"String must be exactly one character long.\"",
                             category: .InvalidData, reason: "ParameterBindingArgumentTransformationException",
                             errorId: "ParameterArgumentTransformationError,Microsoft.PowerShell.Commands.\(cmdletClass)", span: bound.spans["Delimiter"])
        }
        return c
    }

    static func encoding(_ bound: BoundParameters, cmdletClass: String) throws(ShellError) -> TextFileEncoding {
        guard let text = bound.string("Encoding") else { return .utf8NoBOM }
        guard let e = TextFileEncoding(argument: text) else {
            throw ShellError(message: "Cannot process argument transformation on parameter 'Encoding'. '\(text)' is not a supported encoding name. For information on defining a custom encoding, see the documentation for the Encoding.RegisterProvider method. (Parameter 'name')",
                             category: .InvalidData, reason: "ParameterBindingArgumentTransformationException",
                             errorId: "ParameterArgumentTransformationError,Microsoft.PowerShell.Commands.\(cmdletClass)", span: bound.spans["Encoding"])
        }
        return e
    }

    static func validationError(_ parameter: String, _ message: String, cmdletClass: String, bound: BoundParameters) -> ShellError {
        ShellError(message: "Cannot validate argument on parameter '\(parameter)'. \(message)", category: .InvalidData,
                   reason: "ParameterBindingValidationException",
                   errorId: "ParameterArgumentValidationError,Microsoft.PowerShell.Commands.\(cmdletClass)", span: bound.spans[parameter])
    }
}

extension OutputCmdlets {
    /// Out-Null: swallows its input (admins pipe noisy cmdlets into it).
    static let outNull = CmdletDefinition(
        "Out-Null", module: .core, synopsis: "Discards its input instead of printing it.",
        parameters: [ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to discard.")],
        collectsInput: true
    ) { _, _, _ in [] }
}
