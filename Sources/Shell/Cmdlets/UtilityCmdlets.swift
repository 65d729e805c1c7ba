import Foundation
import TenantModel

/// PowerShell 7's object cmdlets: Select-Object, Where-Object, Sort-Object, ForEach-Object,
/// Measure-Object and Group-Object. Each follows PowerShell's own implementation
/// (PowerShell/PowerShell: src/Microsoft.PowerShell.Commands.Utility/commands/utility/
/// Select-Object.cs, Sort-Object.cs, OrderObjectBase.cs, ObjectCommandComparer.cs,
/// Group-Object.cs, Measure-Object.cs; src/System.Management.Automation/engine/InternalCommands.cs
/// for Where-Object and ForEach-Object), including its error messages and error ids.
enum UtilityCmdlets {
    static let definitions: [CmdletDefinition] = [selectObject, whereObject, sortObject, forEachObject,
                                                  measureObject, groupObject]

    // MARK: Shared: records, errors

    /// The records a cmdlet works on: the piped records (all at once for collecting cmdlets),
    /// else `-InputObject` as one object (PowerShell does not enumerate -InputObject).
    static func records(_ parameters: BoundParameters, _ input: PSValue?) -> [PSValue] {
        if case .array(let a)? = input { return a.items }
        if let input { return [input] }
        if parameters.has("InputObject") { return [parameters.value("InputObject") ?? .null] }
        return []
    }

    /// An error with PowerShell's FullyQualifiedErrorId (`Id,Microsoft.PowerShell.Commands.XCommand`).
    static func error(_ message: String, id: String, command: String, category: ErrorCategory, reason: String,
                      target: String = "", terminating: Bool = true) -> ShellError {
        ShellError(message: message, category: category, reason: reason,
                   errorId: "\(id),Microsoft.PowerShell.Commands.\(command)", targetName: target, isTerminating: terminating)
    }

    /// `ValidateRange(0, int.MaxValue)` on -First/-Last/-Skip/-SkipLast.
    static func validateNonNegative(_ parameters: BoundParameters, _ names: [String], command: String) throws {
        for name in names {
            guard let v = parameters.int(name), v < 0 else { continue }
            throw error("Cannot validate argument on parameter '\(name)'. The \(v) argument is less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.",
                        id: "ParameterArgumentValidationError", command: command, category: .InvalidData,
                        reason: "ParameterBindingValidationException")
        }
    }

    static func ambiguousParameterSet(_ command: String) -> ShellError {
        error("Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.",
              id: "AmbiguousParameterSet", command: command, category: .InvalidArgument, reason: "ParameterBindingException")
    }

    static func missingMandatory(_ name: String, command: String) -> ShellError {
        error("Cannot process command because of one or more missing mandatory parameters: \(name).",
              id: "MissingMandatoryParameter", command: command, category: .InvalidArgument, reason: "ParameterBindingException")
    }

    /// What a script block returns as one value (ScriptBlock.DoInvokeReturnAsIs): nothing is
    /// `$null`, one object is itself, several are an array.
    static func collapse(_ values: [PSValue]) -> PSValue {
        switch values.count {
        case 0: return .null
        case 1: return values[0]
        default: return .array(PSArray(values))
        }
    }

    /// The message of an error a script block raised, whatever carried it.
    static func message(of error: Error) -> String {
        if let e = error as? ShellError { return e.message }
        if let stop = error as? ScriptStop { return stop.error.message }
        return "\(error)"
    }

    /// Runs a property expression's script block as PSPropertyExpression does: exceptions are
    /// caught and returned (Select-Object drops them; Sort-Object and Group-Object report them).
    static func evaluate(_ block: ScriptBlock, on record: PSValue, _ context: CmdletContext) -> (value: PSValue, error: String?) {
        do {
            return (collapse(try context.interpreter.invoke(block, input: record)), nil)
        } catch {
            return (.null, message(of: error))
        }
    }

    // MARK: Shared: members of values

    /// `WildcardPattern.ContainsWildcardCharacters`: `*`, `?`, `[`, `]`, unless escaped with a backtick.
    static func hasWildcards(_ pattern: String) -> Bool {
        var escaped = false
        for c in pattern {
            if escaped { escaped = false; continue }
            if c == "`" { escaped = true; continue }
            if c == "*" || c == "?" || c == "[" || c == "]" { return true }
        }
        return false
    }

    /// A case-insensitive wildcard match, PowerShell's `-like`.
    static func wildcardMatch(_ text: String, _ pattern: String) -> Bool {
        Interpreter.compare(.like, .string(text), .string(pattern)).isTruthy
    }

    /// The property names of a value, in its own order. A hashtable's keys act as properties
    /// (PSPropertyExpression wraps a hashtable as a PSCustomObject).
    static func propertyNames(_ value: PSValue) -> [String] {
        switch value {
        case .object(let o): return o.propertyNames
        case .hashtable(let h): return h.keys
        case .string: return ["Length"]
        case .date: return ["Date", "Day", "Hour", "Minute", "Month", "Second", "Year"]
        case .array: return ["Length", "Count"]
        default: return []
        }
    }

    /// PSPropertyExpression.ResolveNames for a name: the matching properties, spelled as the
    /// object spells them (so `Select primarysmtpaddress` makes a `PrimarySmtpAddress` column).
    static func resolveNames(_ pattern: String, on value: PSValue) -> [String] {
        if hasWildcards(pattern) {
            var names = propertyNames(value).filter { wildcardMatch($0, pattern) }
            if names.isEmpty, case .hashtable = value {
                names = ["Count", "Keys", "Values"].filter { wildcardMatch($0, pattern) }
            }
            return names
        }
        if case .object(let o) = value { return o.canonicalName(pattern).map { [$0] } ?? [] }
        let lower = pattern.lowercased()
        if let name = propertyNames(value).first(where: { $0.lowercased() == lower }) { return [name] }
        if case .hashtable = value, let name = ["Count", "Keys", "Values"].first(where: { $0.lowercased() == lower }) {
            return [name]
        }
        return []
    }

    /// The value of a property `resolveNames` found.
    static func propertyValue(_ value: PSValue, _ name: String, _ context: CmdletContext) -> PSValue {
        switch value {
        case .object(let o): return o.property(name) ?? .null
        case .hashtable(let h): return h[name] ?? context.interpreter.member(value, name)
        default: return context.interpreter.member(value, name)
        }
    }

    /// The .NET type Select-Object names its output after (`Selected.<type>`): the input's base
    /// object type. Objects from the Exchange session are deserialized property bags, whose
    /// base object is a PSCustomObject, as are objects made in the shell.
    static func baseTypeName(_ value: PSValue) -> String {
        if case .object(let o) = value {
            let first = o.typeNames.first ?? TypeNames.psCustomObject
            if first.hasPrefix("Deserialized.") || first.hasPrefix("Selected.") || o.typeNames.contains(TypeNames.psCustomObject) {
                return TypeNames.psCustomObject
            }
            return first
        }
        return value.typeName
    }

    // MARK: Shared: property parameters (PowerShell's MshParameter processing)

    /// A property expression: a property name (wildcards allowed) or a script block.
    enum PropertyExpression {
        case name(String)
        case script(ScriptBlock)

        /// PSPropertyExpression.ToString(): the name, or the script block's text without braces.
        var text: String {
            switch self {
            case .name(let n): return n
            case .script(let s): return s.text
            }
        }

        var hasWildcards: Bool {
            if case .name(let n) = self { return UtilityCmdlets.hasWildcards(n) }
            return false
        }
    }

    /// One entry of -Property after its hashtable (if any) was checked and normalized.
    struct ExpressionParameter {
        var expression: PropertyExpression
        var name: String?
        var ascending: Bool?
        var descending: Bool?
    }

    /// A hashtable key a cmdlet accepts in calculated properties, with the types its value may have.
    struct HashKey {
        enum Kind { case expression, string, boolean }
        let name: String
        let secondary: [String]
        let kind: Kind

        /// CommandParameterDefinition.FindPartialMatch: the key, or any prefix of it, ignoring case.
        func matches(_ key: String) -> Bool {
            ([name] + secondary).contains { full in
                let k = key.lowercased(), f = full.lowercased()
                return k == f || (k.count < f.count && f.hasPrefix(k))
            }
        }
    }

    static let expressionKey = HashKey(name: "expression", secondary: [], kind: .expression)
    /// Select-Object: Expression and Name (Label is Name's other spelling).
    static let selectKeys = [expressionKey, HashKey(name: "name", secondary: ["label"], kind: .string)]
    /// Sort-Object: Expression, Ascending, Descending.
    static let sortKeys = [expressionKey, HashKey(name: "ascending", secondary: [], kind: .boolean),
                           HashKey(name: "descending", secondary: [], kind: .boolean)]
    /// Group-Object: Expression only, and no wildcards.
    static let groupKeys = [expressionKey]
    static let expressionTypes = "{System.String, System.Management.Automation.ScriptBlock}"

    /// ParameterProcessor.ProcessParameters: names, script blocks and hashtables become
    /// expression parameters; a wrong key, type or value is a terminating error (FormatAndOut_MshParameter).
    static func processParameters(_ items: [PSValue], keys: [HashKey], noGlobbing: Bool, command: String) throws -> [ExpressionParameter] {
        func fail(_ message: String, _ id: String) -> ShellError {
            error(message, id: id, command: command, category: .InvalidArgument, reason: "NotSupportedException")
        }
        func verifyName(_ s: String, inHashtable: Bool) throws -> PropertyExpression {
            if s.isEmpty {
                throw inHashtable ? fail("The \"expression\" key cannot have an empty string value.", "ExpressionEmptyString1")
                                  : fail("An empty string value is not allowed.", "ExpressionEmptyString2")
            }
            if noGlobbing, hasWildcards(s) {
                throw inHashtable ? fail("The \"expression\" key cannot have wildcard characters in value \"\(s)\".", "ExpressionGlobbing1")
                                  : fail("Wildcard characters are not allowed in \"\(s)\".", "ExpressionGlobbing2")
            }
            return .name(s)
        }

        var out: [ExpressionParameter] = []
        for item in items {
            switch item {
            case .string(let s):
                out.append(ExpressionParameter(expression: try verifyName(s, inHashtable: false)))
            case .scriptBlock(let s):
                out.append(ExpressionParameter(expression: .script(s)))
            case .null:
                throw fail("The value of a parameter was null; one of the following types was expected: \(expressionTypes).", "DictionaryKeyUnknownType")
            case .hashtable(let table):
                var seen: Set<String> = []
                var parameter = ExpressionParameter(expression: .name(""))
                var hasExpression = false
                for (key, value) in table.pairs {
                    let matching = keys.filter { $0.matches(key) }
                    guard let def = matching.first else { throw fail("The \(key) key is not valid.", "DictionaryKeyIllegal") }
                    if matching.count > 1 {
                        throw fail("The \(key) key is ambiguous; \(def.name) and \(matching[1].name) conflict.", "DictionaryKeyAmbiguous")
                    }
                    guard seen.insert(def.name).inserted else {
                        throw fail("The duplicated key \"\(key)\" conflicts with \"\(def.name)\".", "DictionaryKeyDuplicate")
                    }
                    switch def.kind {
                    case .expression:
                        switch value {
                        case .null: throw fail("The \(key) key has no value.", "DictionaryKeyMissingValue")
                        case .string(let s): parameter.expression = try verifyName(s, inHashtable: true)
                        case .scriptBlock(let s): parameter.expression = .script(s)
                        default:
                            throw fail("The \"\(key)\" key has a type, \(value.typeName), that is not valid; expected types are \(expressionTypes).", "DictionaryKeyIllegalValue1")
                        }
                        hasExpression = true
                    case .string:
                        switch value {
                        case .null: throw fail("The \(key) key has no value.", "DictionaryKeyMissingValue")
                        case .string(let s): parameter.name = s
                        default:
                            throw fail("The \"\(key)\" key has a type, \(value.typeName), that is not valid; expected type is System.String.", "DictionaryKeyIllegalValue2")
                        }
                    case .boolean:
                        if def.name == "ascending" { parameter.ascending = value.isTruthy } else { parameter.descending = value.isTruthy }
                    }
                }
                guard hasExpression else { throw fail("A mandatory entry for expression is missing.", "DictionaryKeyMandatoryEntry") }
                out.append(parameter)
            default:
                throw fail("Cannot convert \(item.typeName) to one of the following types \(expressionTypes).", "DictionaryKeyUnknownType")
            }
        }
        return out
    }

    // MARK: Shared: ordering (LanguagePrimitives.TryCompare, ObjectCommandComparer)

    /// Strings compare as .NET's culture comparison does (en-US; case-insensitive unless asked).
    static let cultureLocale = Locale(identifier: "en_US")

    static func cultureCompare(_ a: String, _ b: String, caseSensitive: Bool) -> Int {
        switch a.compare(b, options: caseSensitive ? [] : [.caseInsensitive], range: nil, locale: cultureLocale) {
        case .orderedAscending: return -1
        case .orderedDescending: return 1
        case .orderedSame: return 0
        }
    }

    static func number(_ v: PSValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// PowerShell's string-to-number conversion: whitespace trimmed, empty is 0, hex allowed.
    static func parseNumber(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return 0 }
        if t.lowercased().hasPrefix("0x"), let i = Int(t.dropFirst(2), radix: 16) { return Double(i) }
        // Digits, sign, point and exponent only: Swift would also read "nan" and "inf".
        guard t.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
        return Double(t)
    }

    /// LanguagePrimitives.TryConvertTo<double>.
    static func toDouble(_ v: PSValue) -> Double? {
        switch v {
        case .null: return 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return parseNumber(s)
        case .exchange(let p): return parseNumber(p.displayText)
        default: return nil
        }
    }

    /// CompareObjectToNull: `$null` sorts before everything but negative numbers.
    static func nullOrder(_ value: PSValue, valueIsRight: Bool) -> Int {
        let i = valueIsRight ? -1 : 1
        if let d = number(value), d < 0 { return -i }
        return i
    }

    /// LanguagePrimitives.TryCompare: the second value converts to the first one's type; nil
    /// when it cannot (or the first is not comparable).
    static func tryCompare(_ a: PSValue, _ b: PSValue, caseSensitive: Bool) -> Int? {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return nullOrder(b, valueIsRight: true)
        case (_, .null): return nullOrder(a, valueIsRight: false)
        default: break
        }
        func sign(_ x: Double, _ y: Double) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch a {
        case .string(let s):
            return cultureCompare(s, b.text, caseSensitive: caseSensitive)
        case .exchange(let p):
            // Exchange's own types reach a remote session as their text.
            return cultureCompare(p.displayText, b.text, caseSensitive: caseSensitive)
        case .int, .double:
            let x = number(a)!
            switch b {
            case .int, .double, .bool: return toDouble(b).map { sign(x, $0) }
            case .string(let t): return parseNumber(t).map { sign(x, $0) }
            default: return nil
            }
        case .bool(let x):
            let y: Bool
            switch b {
            case .object, .hashtable, .scriptBlock: y = true
            default: y = b.isTruthy
            }
            return x == y ? 0 : (x ? 1 : -1)
        case .date(let d):
            let other: Date?
            switch b {
            case .date(let e): other = e
            case .string(let t): other = ISO8601.parse(t) ?? PowerShellDateFormat.parseDisplay(t)
            default: other = nil
            }
            guard let e = other else { return nil }
            return d < e ? -1 : (d > e ? 1 : 0)
        default:
            return nil
        }
    }

    /// ObjectCommandComparer.Compare (ascending): both `$null` are equal; otherwise TryCompare,
    /// falling back to comparing the two values' text.
    static func compareValues(_ a: PSValue, _ b: PSValue, caseSensitive: Bool) -> Int {
        if a.isNull && b.isNull { return 0 }
        if let r = tryCompare(a, b, caseSensitive: caseSensitive) { return r }
        return cultureCompare(a.text, b.text, caseSensitive: caseSensitive)
    }

    /// A sort or group key: a value, or a property the object does not have.
    enum SortKey {
        case missing
        case value(PSValue)

        var value: PSValue {
            if case .value(let v) = self { return v }
            return .null
        }
    }

    /// Compares two key vectors; a missing property sorts after every value, whatever the
    /// direction (ObjectCommandComparer.Compare(ObjectCommandPropertyValue, ...)).
    static func compareKeys(_ a: [SortKey], _ b: [SortKey], ascending: [Bool], caseSensitive: Bool) -> Int {
        for k in ascending.indices {
            let x = k < a.count ? a[k] : .missing
            let y = k < b.count ? b[k] : .missing
            let r: Int
            switch (x, y) {
            case (.value(let v), .value(let w)):
                let c = compareValues(v, w, caseSensitive: caseSensitive)
                r = ascending[k] ? c : -c
            case (.value, .missing): r = -1
            case (.missing, .value): r = 1
            case (.missing, .missing): r = 0
            }
            if r != 0 { return r }
        }
        return 0
    }

    /// OrderByPropertyEntryEvaluationHelper.ProcessObject: one key per expression parameter
    /// (the object itself when there is none). Script errors are reported, and the key is `$null`.
    static func sortKeys(_ record: PSValue, _ parameters: [ExpressionParameter], _ context: CmdletContext, command: String) -> [SortKey] {
        if parameters.isEmpty { return [.value(record)] }
        return parameters.map { p in
            switch p.expression {
            case .script(let block):
                let (value, failure) = evaluate(block, on: record, context)
                if let failure {
                    // PowerShell's category is InvalidResult, which ErrorCategory lacks.
                    context.writeError(error(failure, id: "ExpressionEvaluation", command: command, category: .NotSpecified,
                                             reason: "RuntimeException", target: record.text, terminating: false))
                }
                return .value(value)
            case .name(let name):
                guard let resolved = resolveNames(name, on: record).first else { return .missing }
                return .value(propertyValue(record, resolved, context))
            }
        }
    }

    /// Wildcard names expanded over every input object, in name order (OrderByProperty.ExpandExpressions).
    static func expandWildcards(_ parameters: [ExpressionParameter], over records: [PSValue]) -> [ExpressionParameter] {
        parameters.flatMap { p -> [ExpressionParameter] in
            guard case .name(let pattern) = p.expression, hasWildcards(pattern) else { return [p] }
            var names: [String: String] = [:]
            for r in records where !r.isNull {
                for n in resolveNames(pattern, on: r) { names[n.uppercased()] = names[n.uppercased()] ?? n }
            }
            return names.keys.sorted().map { key in
                var expanded = p
                expanded.expression = .name(names[key]!)
                return expanded
            }
        }
    }
}

// MARK: - Select-Object

extension UtilityCmdlets {
    static let selectObject = CmdletDefinition(
        "Select-Object", module: .core,
        synopsis: "Selects objects or object properties: named, wildcard or calculated properties, the first or last objects, unique ones.",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The object to select from (piped objects are the usual input)."),
            ParameterDefinition("Property", .objects, position: 0,
                                help: "Properties to keep: names (wildcards allowed), script blocks, or @{Name=...; Expression=...} calculated properties."),
            ParameterDefinition("ExcludeProperty", .strings, help: "Properties to leave out (wildcards allowed); alone, it implies -Property *."),
            ParameterDefinition("ExpandProperty", .string, help: "Outputs this property's value instead of an object, enumerating a collection."),
            ParameterDefinition("Unique", .switchParameter, help: "Outputs only one of identical objects (values compared case-sensitively)."),
            ParameterDefinition("First", .int, help: "Outputs this many objects from the start (after -Skip)."),
            ParameterDefinition("Last", .int, help: "Outputs this many objects from the end."),
            ParameterDefinition("Skip", .int, help: "Skips this many objects: from the start, or from the end with -Last alone."),
            ParameterDefinition("SkipLast", .int, help: "Skips this many objects from the end."),
            ParameterDefinition("Index", .objects, help: "Outputs the objects at these 0-based positions."),
            ParameterDefinition("Wait", .switchParameter, help: "Accepted for compatibility: the simulator never stops upstream commands early."),
        ],
        collectsInput: true
    ) { context, parameters, input in
        try select(context, parameters, records(parameters, input).filter { !$0.isNull })
    }

    /// What one input object selects: a new object, or the expanded values.
    private struct Selection {
        var value: PSValue
        var notes: [(String, PSValue)]
        var isNew: Bool
    }

    static func select(_ context: CmdletContext, _ parameters: BoundParameters, _ all: [PSValue]) throws -> [PSValue] {
        let command = "SelectObjectCommand"
        try validateNonNegative(parameters, ["First", "Last", "Skip", "SkipLast"], command: command)
        if parameters.has("SkipLast"), parameters.has("First") || parameters.has("Last") || parameters.has("Skip") || parameters.has("Index") {
            throw ambiguousParameterSet(command)
        }
        if parameters.has("Index"), parameters.has("First") || parameters.has("Last") || parameters.has("Skip") {
            throw ambiguousParameterSet(command)
        }
        var propertyItems = parameters.value("Property")?.enumerated ?? []
        let exclusions = parameters.strings("ExcludeProperty")
        if exclusions != nil, propertyItems.isEmpty { propertyItems = [.string("*")] }
        let properties = try processParameters(propertyItems, keys: selectKeys, noGlobbing: false, command: command)
        let expand = parameters.string("ExpandProperty").flatMap { $0.isEmpty ? nil : $0 }

        let selected = try pick(all, parameters)
        if properties.isEmpty, expand == nil, !parameters.isOn("Unique") { return selected }

        var results: [Selection] = []
        for record in selected {
            results += try selectOne(record, properties, exclusions: exclusions, expand: expand, context)
        }
        if parameters.isOn("Unique") {
            var uniques: [Selection] = []
            for r in results where !uniques.contains(where: { sameSelection($0, r) }) { uniques.append(r) }
            results = uniques
        }
        return results.map(\.value)
    }

    /// -First/-Last/-Skip/-SkipLast/-Index, as SelectObjectQueue streams them.
    static func pick(_ all: [PSValue], _ parameters: BoundParameters) throws -> [PSValue] {
        if let indexes = parameters.value("Index")?.enumerated {
            let wanted = Set(indexes.compactMap { toDouble($0).map { Int($0) } })
            return all.indices.filter { wanted.contains($0) }.map { all[$0] }
        }
        if let skipLast = parameters.int("SkipLast") { return Array(all.dropLast(skipLast)) }
        let skip = parameters.int("Skip") ?? 0
        guard parameters.has("First") || parameters.has("Last") else { return Array(all.dropFirst(skip)) }
        let first = parameters.int("First") ?? 0
        let last = parameters.int("Last") ?? 0
        if first > 0 {
            let afterSkip = all.dropFirst(skip)
            let head = Array(afterSkip.prefix(first))
            guard last > 0 else { return head }
            return head + Array(afterSkip.dropFirst(first).suffix(last))
        }
        guard last > 0 else { return [] }
        let tail = all.suffix(last + skip)
        return Array(tail.prefix(max(0, tail.count - skip)))
    }

    private static func selectOne(_ record: PSValue, _ properties: [ExpressionParameter], exclusions: [String]?, expand: String?,
                                  _ context: CmdletContext) throws -> [Selection] {
        let command = "SelectObjectCommand"
        // No -Property and no -ExpandProperty (only -Unique): the object itself.
        if properties.isEmpty, expand == nil { return [Selection(value: record, notes: [], isNew: false)] }
        func excluded(_ name: String) -> Bool { exclusions?.contains { wildcardMatch(name, $0) } ?? false }

        var matched: [(String, PSValue)] = []
        for p in properties {
            var results: [(String, PSValue)] = []
            switch p.expression {
            case .script(let block):
                let name = p.name ?? block.text
                if !excluded(block.text) { results.append((name, evaluate(block, on: record, context).value)) }
                if p.name == nil, block.text.isEmpty {
                    throw error("A property is an empty script block and does not provide a name.", id: "EmptyScriptBlockAndNoName",
                                command: command, category: .InvalidArgument, reason: "PSArgumentException")
                }
            case .name(let pattern):
                let names = resolveNames(pattern, on: record).filter { !excluded($0) }
                if names.isEmpty, !hasWildcards(pattern) {
                    // A property the object lacks is still a column, empty (Select-Object.cs).
                    if !excluded(pattern) { results.append((p.name ?? pattern, .null)) }
                } else if p.name != nil, names.count > 1 {
                    context.writeError(error("Cannot rename multiple results.", id: "RenamingMultipleResults", command: command,
                                             category: .InvalidOperation, reason: "InvalidOperationException",
                                             target: record.text, terminating: false))
                    continue
                } else {
                    results += names.map { (p.name ?? $0, propertyValue(record, $0, context)) }
                }
            }
            matched += results
        }

        if let expand { return try expandOne(record, expand, notes: matched, context) }

        var seen: Set<String> = []
        var notes: [(String, PSValue)] = []
        for (name, value) in matched {
            if seen.insert(name.lowercased()).inserted {
                notes.append((name, value))
            } else {
                context.writeError(error("The property cannot be processed because the property \"\(name)\" already exists.",
                                         id: "AlreadyExistingUserSpecifiedPropertyNoExpand", command: command,
                                         category: .InvalidOperation, reason: "PSArgumentException", target: record.text,
                                         terminating: false))
            }
        }
        let object = PSObject(typeName: TypeNames.psCustomObject, properties: notes)
        object.typeNames = ["Selected." + baseTypeName(record), TypeNames.psCustomObject, "System.Object"]
        return [Selection(value: .object(object), notes: notes, isNew: true)]
    }

    /// -ExpandProperty: the property's value, or each element of a collection (nulls dropped);
    /// properties also selected are added to expanded objects.
    private static func expandOne(_ record: PSValue, _ expand: String, notes: [(String, PSValue)], _ context: CmdletContext) throws -> [Selection] {
        let command = "SelectObjectCommand"
        let names = resolveNames(expand, on: record)
        guard names.count == 1 else {
            let (message, id) = names.isEmpty ? ("Property \"\(expand)\" cannot be found.", "ExpandPropertyNotFound")
                                              : ("Multiple properties cannot be expanded.", "MutlipleExpandProperties")
            context.writeError(error(message, id: id, command: command, category: .InvalidArgument, reason: "PSArgumentException",
                                     target: record.text, terminating: false))
            return []
        }
        let value = propertyValue(record, names[0], context)
        let items: [PSValue]
        switch value {
        case .null: return []
        case .array(let a): items = a.items.filter { !$0.isNull }
        default: items = [value]
        }
        return items.map { item in
            guard !notes.isEmpty, case .object(let o) = item else { return Selection(value: item, notes: notes, isNew: false) }
            let copy = PSObject(typeName: o.typeNames.first ?? TypeNames.psCustomObject, properties: o.properties, ref: o.ref, secret: o.secret)
            copy.typeNames = o.typeNames
            for (name, v) in notes {
                if copy.hasProperty(name) {
                    context.writeError(error("The property cannot be processed because the property \"\(name)\" already exists.",
                                             id: "AlreadyExistingUserSpecifiedPropertyExpand", command: command,
                                             category: .InvalidOperation, reason: "PSArgumentException", target: record.text,
                                             terminating: false))
                } else {
                    copy.set(name, v)
                }
            }
            return Selection(value: .object(copy), notes: notes, isNew: false)
        }
    }

    /// -Unique: two selections are the same when their base objects compare equal and every
    /// added property has an equal value (ObjectCommandComparer, case-sensitive). Objects'
    /// base objects are not comparable, so they compare by ToString(): every custom or
    /// deserialized object is the same PSCustomObject, and other objects print their type
    /// name, so two objects of one type are duplicates (PowerShell/PowerShell#12059).
    private static func sameSelection(_ a: Selection, _ b: Selection) -> Bool {
        guard a.notes.count == b.notes.count else { return false }
        if !(a.isNew && b.isNew) {
            if a.isNew != b.isNew { return false }
            switch (a.value, b.value) {
            case (.object, .object), (.hashtable, .hashtable):
                if baseTypeName(a.value) != baseTypeName(b.value) { return false }
            default:
                if compareValues(a.value, b.value, caseSensitive: true) != 0 { return false }
            }
        }
        for (name, value) in a.notes {
            guard let other = b.notes.first(where: { $0.0.lowercased() == name.lowercased() }) else { return false }
            if compareValues(value, other.1, caseSensitive: true) != 0 { return false }
        }
        return true
    }
}

// MARK: - Where-Object

extension UtilityCmdlets {
    /// The simplified syntax's operator switches, and what each compares with.
    static let whereOperators: [(name: String, aliases: [String], op: ComparisonOperator?, caseSensitive: Bool, help: String)] = [
        ("EQ", ["IEQ"], .eq, false, "The property equals -Value (case-insensitive)."),
        ("CEQ", [], .eq, true, "The property equals -Value (case-sensitive)."),
        ("NE", ["INE"], .ne, false, "The property differs from -Value."),
        ("CNE", [], .ne, true, "The property differs from -Value (case-sensitive)."),
        ("GT", ["IGT"], .gt, false, "The property is greater than -Value."),
        ("CGT", [], .gt, true, "The property is greater than -Value (case-sensitive)."),
        ("GE", ["IGE"], .ge, false, "The property is greater than or equal to -Value."),
        ("CGE", [], .ge, true, "The property is greater than or equal to -Value (case-sensitive)."),
        ("LT", ["ILT"], .lt, false, "The property is less than -Value."),
        ("CLT", [], .lt, true, "The property is less than -Value (case-sensitive)."),
        ("LE", ["ILE"], .le, false, "The property is less than or equal to -Value."),
        ("CLE", [], .le, true, "The property is less than or equal to -Value (case-sensitive)."),
        ("Like", ["ILike"], .like, false, "The property matches the wildcard pattern -Value."),
        ("CLike", [], .like, true, "The property matches the wildcard pattern -Value (case-sensitive)."),
        ("NotLike", ["INotLike"], .notlike, false, "The property does not match the wildcard pattern -Value."),
        ("CNotLike", [], .notlike, true, "The property does not match the wildcard pattern -Value (case-sensitive)."),
        ("Match", ["IMatch"], .match, false, "The property matches the regular expression -Value."),
        ("CMatch", [], .match, true, "The property matches the regular expression -Value (case-sensitive)."),
        ("NotMatch", ["INotMatch"], .notmatch, false, "The property does not match the regular expression -Value."),
        ("CNotMatch", [], .notmatch, true, "The property does not match the regular expression -Value (case-sensitive)."),
        ("Contains", ["IContains"], .contains, false, "The property (a collection) contains -Value."),
        ("CContains", [], .contains, true, "The property (a collection) contains -Value (case-sensitive)."),
        ("NotContains", ["INotContains"], .notcontains, false, "The property (a collection) does not contain -Value."),
        ("CNotContains", [], .notcontains, true, "The property (a collection) does not contain -Value (case-sensitive)."),
        ("In", ["IIn"], .in, false, "The property is one of the values in -Value."),
        ("CIn", [], .in, true, "The property is one of the values in -Value (case-sensitive)."),
        ("NotIn", ["INotIn"], .notin, false, "The property is none of the values in -Value."),
        ("CNotIn", [], .notin, true, "The property is none of the values in -Value (case-sensitive)."),
        ("Is", [], nil, false, "The property is of the .NET type named by -Value."),
        ("IsNot", [], nil, false, "The property is not of the .NET type named by -Value."),
        ("Not", [], nil, false, "The property is false, empty or $null."),
    ]

    static let whereObject = CmdletDefinition(
        "Where-Object", module: .core,
        synopsis: "Selects the objects for which a script block is true, or whose property compares as asked (Where-Object Name -eq x).",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The object to test (piped objects are the usual input)."),
            ParameterDefinition("FilterScript", .object, position: 0,
                                help: "The script block that tests $_; in the simplified syntax, the property name (as -Property)."),
            ParameterDefinition("Value", .object, position: 1, help: "The value the property is compared with (simplified syntax)."),
            ParameterDefinition("Property", .string, help: "The property to test or compare (simplified syntax); wildcards allowed."),
        ] + whereOperators.map { ParameterDefinition($0.name, .switchParameter, aliases: $0.aliases, help: $0.help) }
    ) { context, parameters, input in
        guard let record = input ?? (parameters.has("InputObject") ? parameters.value("InputObject") ?? .null : nil) else { return [] }
        return try whereOne(record, context, parameters)
    }

    static func whereOne(_ record: PSValue, _ context: CmdletContext, _ parameters: BoundParameters) throws -> [PSValue] {
        let command = "WhereObjectCommand"
        let operators = whereOperators.filter { parameters.has($0.name) }
        if case .scriptBlock(let block)? = parameters.value("FilterScript") {
            guard operators.isEmpty, !parameters.has("Property"), !parameters.has("Value") else { throw ambiguousParameterSet(command) }
            let result: [PSValue]
            do {
                result = try context.interpreter.invoke(block, input: record)
            } catch let e as ShellError {
                var reported = e
                reported.isTerminating = false
                context.writeError(reported)
                return []
            }
            return collapse(result).isTruthy ? [record] : []
        }

        // The simplified syntax: the property name came positionally (FilterScript) or as
        // -Property; after a named -Property, the first positional argument is the value.
        var positional = parameters.value("FilterScript")
        var given = parameters.value("Value")
        if parameters.has("Property"), let p = positional {
            guard given == nil else { throw ambiguousParameterSet(command) }
            given = p
            positional = nil
        }
        guard operators.count <= 1 else { throw ambiguousParameterSet(command) }
        guard let property = parameters.value("Property").map({ $0.text }) ?? positional.map({ $0.text }) else {
            throw missingMandatory("Property", command: command)
        }
        guard !property.isEmpty else {
            throw error("Cannot validate argument on parameter 'Property'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.",
                        id: "ParameterArgumentValidationError", command: command, category: .InvalidData,
                        reason: "ParameterBindingValidationException")
        }
        let chosen = operators.first
        let valueGiven = given != nil
        let booleanForm = chosen == nil || chosen?.name == "Not"
        // InternalCommands.cs: an explicit operator needs -Value; -Value needs an operator.
        if !valueGiven, !booleanForm {
            throw error("The specified operator requires both the -Property and -Value parameters. Provide values for both parameters, and then try the command again.",
                        id: "ValueNotSpecifiedForWhereObject", command: command, category: .InvalidArgument, reason: "PSArgumentException")
        }
        if valueGiven, chosen == nil {
            throw error("An operator is required to compare the two specified values. Include a valid operator in the command, and then try the command again. For example, Get-Process | Where-Object -Property Name -eq Idle",
                        id: "OperatorNotSpecified", command: command, category: .InvalidArgument, reason: "PSArgumentException")
        }

        let lvalue: PSValue
        if case .hashtable(let h) = record, let v = h[property] {
            lvalue = v
        } else {
            let names = resolveNames(property, on: record)
            if names.count > 1 {
                context.writeError(error("Input name \"\(property)\" is ambiguous. It can be resolved to multiple matched members. Possible matches include:\(names.map { " " + $0 }.joined()).",
                                         id: "AmbiguousPropertyName", command: command, category: .InvalidArgument,
                                         reason: "PSArgumentException", target: record.text, terminating: false))
                return []
            }
            lvalue = names.first.map { propertyValue(record, $0, context) } ?? .null
        }

        let value = given ?? .null
        let passes: Bool
        switch chosen?.name {
        case nil: passes = lvalue.isTruthy
        case "Not": passes = !lvalue.isTruthy
        case "Is": passes = isOfType(lvalue, value.text)
        case "IsNot": passes = !isOfType(lvalue, value.text)
        default: passes = Interpreter.compare(chosen!.op!, lvalue, value, caseSensitive: chosen!.caseSensitive).isTruthy
        }
        return passes ? [record] : []
    }

    /// `-is [type]`: the value's type names, with PowerShell's short type accelerators.
    static func isOfType(_ value: PSValue, _ typeText: String) -> Bool {
        var t = typeText.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        let accelerators = ["string": "System.String", "int": "System.Int32", "bool": "System.Boolean", "double": "System.Double",
                            "datetime": "System.DateTime", "hashtable": "System.Collections.Hashtable",
                            "scriptblock": "System.Management.Automation.ScriptBlock", "array": "System.Array",
                            "pscustomobject": TypeNames.psCustomObject, "psobject": "System.Management.Automation.PSObject",
                            "object": "System.Object"]
        var wanted = (accelerators[t.lowercased()] ?? t).lowercased()
        if !wanted.contains(".") { wanted = "system." + wanted }
        if value.isNull { return false }
        if wanted == "system.object" || wanted == "system.management.automation.psobject" { return true }
        var names: [String]
        switch value {
        case .object(let o): names = o.typeNames
        case .array(let a): names = [a.typeName, "System.Array"]
        default: names = [value.typeName]
        }
        return names.contains { $0.lowercased() == wanted }
    }
}

// MARK: - Sort-Object

extension UtilityCmdlets {
    static let sortObject = CmdletDefinition(
        "Sort-Object", module: .core,
        synopsis: "Sorts objects by property values: $null first, numbers numerically, text ignoring case, dates in time order.",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to sort (piped objects are the usual input)."),
            ParameterDefinition("Property", .objects, position: 0,
                                help: "Sort keys: property names (wildcards allowed), script blocks, or @{Expression=...; Descending=$true}."),
            ParameterDefinition("Descending", .switchParameter, help: "Sorts in descending order (keys with their own Ascending/Descending keep it)."),
            ParameterDefinition("Unique", .switchParameter, help: "Outputs only the first of objects whose keys compare equal."),
            ParameterDefinition("CaseSensitive", .switchParameter, help: "Compares text case-sensitively (lowercase before uppercase)."),
            ParameterDefinition("Stable", .switchParameter, help: "Keeps the input order of objects whose keys are equal."),
            ParameterDefinition("Top", .int, help: "Outputs only this many objects from the start of the sorted list."),
            ParameterDefinition("Bottom", .int, help: "Outputs only this many objects from the end of the sorted list."),
        ],
        collectsInput: true
    ) { context, parameters, input in
        try sort(context, parameters, records(parameters, input).filter { !$0.isNull })
    }

    static func sort(_ context: CmdletContext, _ parameters: BoundParameters, _ all: [PSValue]) throws -> [PSValue] {
        let command = "SortObjectCommand"
        if parameters.has("Top") && parameters.has("Bottom") || (parameters.has("Stable") && (parameters.has("Top") || parameters.has("Bottom"))) {
            throw ambiguousParameterSet(command)
        }
        for name in ["Top", "Bottom"] {
            if let n = parameters.int(name), n < 1 {
                throw error("Cannot validate argument on parameter '\(name)'. The \(n) argument is less than the minimum allowed range of 1. Supply an argument that is greater than or equal to 1 and then try the command again.",
                            id: "ParameterArgumentValidationError", command: command, category: .InvalidData,
                            reason: "ParameterBindingValidationException")
            }
        }
        let caseSensitive = parameters.isOn("CaseSensitive")
        let items = parameters.value("Property")?.enumerated ?? []
        let keyParameters = expandWildcards(try processParameters(items, keys: sortKeys, noGlobbing: false, command: command), over: all)
        guard !all.isEmpty else { return [] }

        let entries = all.map { (record: $0, keys: sortKeys($0, keyParameters, context, command: command)) }
        let width = entries.map(\.keys.count).max() ?? 0
        let defaultAscending = !parameters.isOn("Descending")
        // OrderByProperty.CreateComparer: a key's own Ascending/Descending wins; both given and equal cancel out.
        let ascending = (0..<width).map { k -> Bool in
            guard k < keyParameters.count else { return defaultAscending }
            let p = keyParameters[k]
            switch (p.ascending, p.descending) {
            case (nil, nil): return defaultAscending
            case (let a?, let d?) where a == d: return defaultAscending
            case (let a?, _): return a
            case (nil, let d?): return !d
            }
        }
        // A stable sort: .NET's introsort keeps equal keys in input order for up to 16 objects,
        // and -Stable/-Top/-Bottom always do.
        var sorted = entries.enumerated().sorted { x, y in
            let c = compareKeys(x.element.keys, y.element.keys, ascending: ascending, caseSensitive: caseSensitive)
            return c != 0 ? c < 0 : x.offset < y.offset
        }.map(\.element)
        if parameters.isOn("Unique") {
            var unique: [(record: PSValue, keys: [SortKey])] = []
            for e in sorted where unique.last.map({ compareKeys($0.keys, e.keys, ascending: ascending, caseSensitive: caseSensitive) != 0 }) ?? true {
                unique.append(e)
            }
            sorted = unique
        }
        if let top = parameters.int("Top") { sorted = Array(sorted.prefix(top)) }
        if let bottom = parameters.int("Bottom") { sorted = Array(sorted.suffix(bottom)) }
        return sorted.map(\.record)
    }
}

// MARK: - ForEach-Object

extension UtilityCmdlets {
    static let forEachObject = CmdletDefinition(
        "ForEach-Object", module: .core,
        synopsis: "Runs a script block for each object ($_), or gets a property or calls a method of each (ForEach-Object Name).",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The object to process (piped objects are the usual input)."),
            ParameterDefinition("Process", .objects, position: 0,
                                help: "The script block run for each object; a name instead gets that property (as -MemberName)."),
            ParameterDefinition("RemainingScripts", .objects, position: 1,
                                help: "Further positional script blocks: {begin} {process} {end}; after a member name, the method's arguments.", takesRemainingArguments: true),
            ParameterDefinition("Begin", .scriptBlock, help: "A script block run once before the first object."),
            ParameterDefinition("End", .scriptBlock, help: "A script block run once after the last object."),
            ParameterDefinition("MemberName", .string, help: "The property to get, or the method to call, on each object."),
            ParameterDefinition("ArgumentList", .objects, aliases: ["Args"], help: "Arguments of the method -MemberName calls."),
        ],
        supportsShouldProcess: true,
        collectsInput: true
    ) { context, parameters, input in
        let all: [PSValue?]
        if case .array(let a)? = input {
            all = a.items
        } else if parameters.has("InputObject") {
            all = [parameters.value("InputObject") ?? .null]
        } else {
            all = [nil]  // nothing piped: the process block still runs once, with $_ = $null
        }
        let process = parameters.value("Process")?.enumerated ?? []
        let remaining = parameters.value("RemainingScripts")?.enumerated ?? []
        if let member = parameters.string("MemberName") {
            return try forEachMember(member, arguments: (parameters.value("ArgumentList")?.enumerated ?? []) + process + remaining,
                                     all, context)
        }
        if let first = process.first, process.count == 1, !isScriptBlock(first), !first.isNull {
            return try forEachMember(first.text, arguments: (parameters.value("ArgumentList")?.enumerated ?? []) + remaining, all, context)
        }
        return try forEachScript(context, parameters, process: process, remaining: remaining, all)
    }

    static func isScriptBlock(_ v: PSValue) -> Bool {
        if case .scriptBlock = v { return true }
        return false
    }

    /// The script block set: InitScriptBlockParameterSet's begin/process/end layout.
    static func forEachScript(_ context: CmdletContext, _ parameters: BoundParameters, process: [PSValue], remaining: [PSValue],
                              _ all: [PSValue?]) throws -> [PSValue] {
        let command = "ForEachObjectCommand"
        if context.whatIf || context.confirmRequested {
            throw error("The -WhatIf and -Confirm parameters are not supported for script blocks.", id: "NoShouldProcessForScriptBlockSet",
                        command: command, category: .InvalidOperation, reason: "InvalidOperationException")
        }
        guard parameters.has("Process") else { throw missingMandatory("Process", command: command) }
        func block(_ v: PSValue) throws -> ScriptBlock? {
            switch v {
            case .scriptBlock(let b): return b
            case .null: return nil
            default:
                throw error("Cannot bind parameter 'Process'. Cannot convert the \"\(v.text)\" value of type \"\(v.typeName)\" to type \"System.Management.Automation.ScriptBlock\".",
                            id: "CannotConvertArgumentNoMessage", command: command, category: .InvalidArgument,
                            reason: "ParameterBindingException")
            }
        }
        var scripts: [ScriptBlock?] = []
        if let begin = parameters.scriptBlock("Begin") { scripts.append(begin) }
        for v in process + remaining { scripts.append(try block(v)) }
        var endScript = parameters.scriptBlock("End")
        var end = scripts.count
        let start = scripts.count > 1 ? 1 : 0
        if !parameters.has("End"), scripts.count > 2 {
            end = scripts.count - 1
            endScript = scripts[end]
        }
        func run(_ b: ScriptBlock, _ input: PSValue) throws -> [PSValue] {
            do {
                return try context.interpreter.invoke(b, input: input)
            } catch let e as ShellError {
                var reported = e
                reported.isTerminating = false
                context.writeError(reported)
                return []
            }
        }
        var out: [PSValue] = []
        if end >= 2, let begin = scripts[0] { out += try run(begin, .null) }
        for record in all {
            for i in start..<end {
                if let b = scripts[i] { out += try run(b, record ?? .null) }
            }
        }
        if let endScript { out += try run(endScript, .null) }
        return out
    }

    /// The member set: a property's value (unrolled), a hashtable key, or a method's result.
    static func forEachMember(_ name: String, arguments: [PSValue], _ all: [PSValue?], _ context: CmdletContext) throws -> [PSValue] {
        let command = "ForEachObjectCommand"
        func unrolled(_ v: PSValue) -> [PSValue] {
            if case .array(let a) = v { return a.items }
            return [v]
        }
        func representation(_ v: PSValue) -> String {
            if v.isNull { return "null" }
            let s = v.toStringText
            return s.isEmpty ? baseTypeName(v) : s
        }
        var out: [PSValue] = []
        for maybeRecord in all {
            let record = maybeRecord ?? .null
            let target = "InputObject: " + representation(record)
            if record.isNull {
                if !arguments.isEmpty {
                    context.writeError(error("You cannot call a method on a null-valued expression.", id: "InvokeMethodOnNull", command: command,
                                             category: .InvalidArgument, reason: "PSArgumentException", terminating: false))
                } else if context.shouldProcess(target: target, action: "Retrieve the value for property '\(name)'") {
                    out.append(.null)
                }
                continue
            }
            if !arguments.isEmpty {
                let action = "Invoke method '\(name)' with arguments: " + arguments.map(representation).joined(separator: ", ")
                guard context.shouldProcess(target: target, action: action) else { continue }
                out += try callMethod(name, on: record, arguments, context).map(unrolled) ?? []
                continue
            }
            if case .hashtable(let h) = record, let v = h[name] {
                if context.shouldProcess(target: target, action: "Retrieve the value for key '\(name)'") { out += unrolled(v) }
                continue
            }
            let names = resolveNames(name, on: record)
            if names.count > 1 {
                context.writeError(error("Input name \"\(name)\" is ambiguous. It can be resolved to multiple matched members. Possible matches include:\(names.map { " " + $0 }.joined()).",
                                         id: "AmbiguousPropertyOrMethodName", command: command, category: .InvalidArgument,
                                         reason: "PSArgumentException", target: record.text, terminating: false))
                continue
            }
            let memberValue = names.isEmpty ? context.interpreter.member(record, name) : propertyValue(record, names[0], context)
            if !names.isEmpty || !memberValue.isNull {
                if context.shouldProcess(target: target, action: "Retrieve the value for property '\(names.first ?? name)'") {
                    out += unrolled(memberValue)
                }
                continue
            }
            // Not a property: a method without arguments, else (outside strict mode) $null.
            if hasWildcards(name) {
                if context.shouldProcess(target: target, action: "Retrieve the value for property '\(name)'") { out.append(.null) }
                continue
            }
            if let result = try callMethod(name, on: record, [], context, silentlyMissing: true) {
                if context.shouldProcess(target: target, action: "Invoke method '\(name)'") { out += unrolled(result) }
            } else if context.shouldProcess(target: target, action: "Retrieve the value for property '\(name)'") {
                out.append(.null)
            }
        }
        return out
    }

    /// Calls `record.name(arguments)` through the interpreter. A missing method is nil when
    /// `silentlyMissing`, else PowerShell's MethodNotFound error; other failures are
    /// MethodInvocationError.
    static func callMethod(_ name: String, on record: PSValue, _ arguments: [PSValue], _ context: CmdletContext,
                           silentlyMissing: Bool = false) throws -> PSValue? {
        let command = "ForEachObjectCommand"
        let span = context.call.span
        do {
            return try Methods.call(record, name, arguments, span: span, interpreter: context.interpreter)
        } catch let e as ShellError {
            if e.errorId.hasPrefix("MethodNotFound") || e.errorId.hasPrefix("MethodCountCouldNotFindBest") {
                if silentlyMissing { return nil }
                context.writeError(error("Input name \"\(name)\" cannot be resolved to a method.", id: "MethodNotFound", command: command,
                                         category: .InvalidArgument, reason: "PSArgumentException", target: record.text,
                                         terminating: false))
                return nil
            }
            context.writeError(error(e.message, id: "MethodInvocationError", command: command, category: .InvalidOperation,
                                     reason: e.reason, target: record.text, terminating: false))
            return nil
        }
    }
}

// MARK: - Measure-Object

extension UtilityCmdlets {
    static let measureObject = CmdletDefinition(
        "Measure-Object", module: .core,
        synopsis: "Counts objects and computes the sum, average, minimum and maximum of a property, or counts lines, words and characters.",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to measure (piped objects are the usual input)."),
            ParameterDefinition("Property", .objects, position: 0, help: "The properties to measure (names, wildcards allowed, or script blocks)."),
            ParameterDefinition("Sum", .switchParameter, help: "Adds up the values."),
            ParameterDefinition("Average", .switchParameter, help: "Averages the values."),
            ParameterDefinition("Maximum", .switchParameter, help: "Finds the largest value."),
            ParameterDefinition("Minimum", .switchParameter, help: "Finds the smallest value."),
            ParameterDefinition("StandardDeviation", .switchParameter, help: "Computes the (sample) standard deviation of the values."),
            ParameterDefinition("AllStats", .switchParameter, help: "All of -Sum, -Average, -Maximum, -Minimum and -StandardDeviation."),
            ParameterDefinition("Line", .switchParameter, help: "Counts the lines of text."),
            ParameterDefinition("Word", .switchParameter, help: "Counts the words of text."),
            ParameterDefinition("Character", .switchParameter, help: "Counts the characters of text."),
            ParameterDefinition("IgnoreWhiteSpace", .switchParameter, help: "Leaves white space out of -Character's count."),
        ],
        collectsInput: true
    ) { context, parameters, input in
        try measure(context, parameters, records(parameters, input).filter { !$0.isNull })
    }

    /// One property's running statistics (Measure-Object.cs's Statistics).
    private struct Statistics {
        var count = 0
        var sum = 0.0
        var mean = 0.0
        var squares = 0.0
        var max: PSValue?
        var min: PSValue?
        var characters = 0
        var words = 0
        var lines = 0
    }

    static func measure(_ context: CmdletContext, _ parameters: BoundParameters, _ all: [PSValue]) throws -> [PSValue] {
        let command = "MeasureObjectCommand"
        let textSwitches = ["Line", "Word", "Character", "IgnoreWhiteSpace"].filter { parameters.has($0) }
        let genericSwitches = ["Sum", "Average", "Maximum", "Minimum", "StandardDeviation", "AllStats"].filter { parameters.has($0) }
        if !textSwitches.isEmpty, !genericSwitches.isEmpty { throw ambiguousParameterSet(command) }
        let isText = !textSwitches.isEmpty
        let all5 = parameters.isOn("AllStats")
        let wantSum = all5 || parameters.isOn("Sum"), wantAverage = all5 || parameters.isOn("Average")
        let wantMax = all5 || parameters.isOn("Maximum"), wantMin = all5 || parameters.isOn("Minimum")
        let wantDeviation = all5 || parameters.isOn("StandardDeviation")
        let wantLines = parameters.isOn("Line"), wantWords = parameters.isOn("Word"), wantCharacters = parameters.isOn("Character")
        let ignoreWhiteSpace = parameters.isOn("IgnoreWhiteSpace")

        let propertyItems = parameters.value("Property")?.enumerated
        let expressions: [PropertyExpression]? = try propertyItems.map { items in
            try items.map { item -> PropertyExpression in
                switch item {
                case .scriptBlock(let b): return .script(b)
                case .null:
                    throw error("Cannot validate argument on parameter 'Property'. The argument is null, empty, or an element of the argument collection contains a null value. Supply a collection that does not contain any null values and then try the command again.",
                                id: "ParameterArgumentValidationError", command: command, category: .InvalidData,
                                reason: "ParameterBindingValidationException")
                default: return .name(item.text)
                }
            }
        }

        var order: [String] = []
        var stats: [String: Statistics] = [:]
        var nonNumeric = false
        func ensure(_ name: String) -> String {
            let key = name.lowercased()
            if stats[key] == nil { stats[key] = Statistics(); order.append(name) }
            return key
        }
        func analyze(_ name: String, _ value: PSValue) {
            let key = ensure(name)
            var s = stats[key]!
            defer { stats[key] = s }
            s.count += 1
            if wantLines || wantWords || wantCharacters {
                let text = value.isNull ? "" : value.text
                if wantCharacters { s.characters += ignoreWhiteSpace ? text.filter { !$0.isWhitespace }.count : text.count }
                if wantWords { s.words += text.split(whereSeparator: { $0.isWhitespace }).count }
                if wantLines, !text.isEmpty { s.lines += text.filter { $0 == "\n" }.count + (text.last == "\n" ? 0 : 1) }
            }
            if wantSum || wantAverage || wantDeviation {
                guard let x = toDouble(value) else {
                    nonNumeric = true
                    context.writeError(error("Input object \"\(value.text)\" is not numeric.", id: "NonNumericInputObject", command: command,
                                             category: .InvalidType, reason: "PSInvalidOperationException", target: value.text,
                                             terminating: false))
                    return
                }
                s.sum += x
                let delta = x - s.mean
                s.mean += delta / Double(s.count)
                s.squares += delta * (x - s.mean)
            }
            if wantMin { s.min = extreme(value, s.min, isMin: true) }
            if wantMax { s.max = extreme(value, s.max, isMin: false) }
        }

        for record in all {
            guard let expressions else { analyze("", record); continue }
            var counted: Set<String> = []
            for e in expressions {
                switch e {
                case .script(let block):
                    guard counted.insert(block.text.lowercased()).inserted else { continue }
                    analyze(block.text, evaluate(block, on: record, context).value)
                case .name(let pattern):
                    let names = resolveNames(pattern, on: record)
                    if names.isEmpty {
                        if !hasWildcards(pattern) { _ = ensure(pattern) }
                        continue
                    }
                    for n in names where counted.insert(n.lowercased()).inserted {
                        analyze(n, propertyValue(record, n, context))
                    }
                }
            }
        }
        if all.isEmpty, expressions == nil { _ = ensure("") }

        var out: [PSValue] = []
        for name in order {
            let s = stats[name.lowercased()]!
            // A property no object had is skipped (an error only under Set-StrictMode).
            if s.count == 0, expressions != nil { continue }
            let property: PSValue = expressions == nil ? .null : .string(name)
            if isText {
                out.append(.object(PSObject(typeName: "Microsoft.PowerShell.Commands.TextMeasureInfo", properties: [
                    ("Lines", wantLines ? .int(s.lines) : .null), ("Words", wantWords ? .int(s.words) : .null),
                    ("Characters", wantCharacters ? .int(s.characters) : .null), ("Property", property),
                ])))
                continue
            }
            let numericExtremes = [s.min, s.max].allSatisfy { $0 == nil || toDouble($0!) != nil }
            func extremeValue(_ v: PSValue?) -> PSValue {
                guard let v, !v.isNull else { return .null }
                return numericExtremes ? .double(toDouble(v)!) : v
            }
            var sum: PSValue = .null, average: PSValue = .null, deviation: PSValue = .null
            if !nonNumeric {
                if wantSum { sum = .double(s.sum) }
                if wantAverage, s.count > 0 { average = .double(s.sum / Double(s.count)) }
                if wantDeviation { deviation = .double(s.count > 1 ? (s.squares / Double(s.count - 1)).squareRoot() : 0) }
            }
            out.append(.object(PSObject(
                typeName: numericExtremes ? TypeNames.measureInfo : "Microsoft.PowerShell.Commands.GenericObjectMeasureInfo",
                properties: [
                    ("Count", .int(s.count)), ("Average", average), ("Sum", sum),
                    ("Maximum", wantMax ? extremeValue(s.max) : .null), ("Minimum", wantMin ? extremeValue(s.min) : .null),
                    ("StandardDeviation", deviation), ("Property", property),
                ])))
        }
        return out
    }

    /// Measure-Object's Compare: numbers compare as numbers; values of different types as text.
    /// A `$null` value becomes the minimum (null sorts first), and the next value replaces it.
    static func extreme(_ value: PSValue, _ current: PSValue?, isMin: Bool) -> PSValue? {
        guard let current, !current.isNull else { return value }
        var a = current.isNull ? current : (toDouble(current).map(PSValue.double) ?? current)
        var b = value.isNull ? value : (toDouble(value).map(PSValue.double) ?? value)
        if !a.isNull, !b.isNull, a.typeName != b.typeName {
            a = .string(a.text)
            b = .string(b.text)
        }
        let c = tryCompare(a, b, caseSensitive: true) ?? cultureCompare(a.text, b.text, caseSensitive: true)
        return (isMin ? c : -c) > 0 ? value : current
    }
}

// MARK: - Group-Object

extension UtilityCmdlets {
    static let groupObject = CmdletDefinition(
        "Group-Object", module: .core,
        synopsis: "Groups objects with equal property values into GroupInfo objects (Count, Name, Group), sorted by value.",
        parameters: [
            ParameterDefinition("InputObject", .object, pipeline: .byValue, help: "The objects to group (piped objects are the usual input)."),
            ParameterDefinition("Property", .objects, position: 0,
                                help: "The properties to group by: names (no wildcards), script blocks or @{Expression=...}."),
            ParameterDefinition("NoElement", .switchParameter, help: "Leaves the objects out of the groups (Count and Name only)."),
            ParameterDefinition("AsHashTable", .switchParameter, aliases: ["AHT"], help: "Outputs one hashtable: each value maps to its group's objects."),
            ParameterDefinition("AsString", .switchParameter, help: "With -AsHashTable, makes the keys strings."),
            ParameterDefinition("CaseSensitive", .switchParameter, help: "Groups text case-sensitively."),
        ],
        collectsInput: true
    ) { context, parameters, input in
        try group(context, parameters, records(parameters, input).filter { !$0.isNull })
    }

    static let groupCollectionType = "System.Collections.ObjectModel.Collection`1[System.Management.Automation.PSObject]"

    static func group(_ context: CmdletContext, _ parameters: BoundParameters, _ all: [PSValue]) throws -> [PSValue] {
        let command = "GroupObjectCommand"
        guard !all.isEmpty else { return [] }
        let caseSensitive = parameters.isOn("CaseSensitive")
        let keyParameters = try processParameters(parameters.value("Property")?.enumerated ?? [], keys: groupKeys,
                                                  noGlobbing: true, command: command)
        let asHashTable = parameters.isOn("AsHashTable"), asString = parameters.isOn("AsString")
        if asString, !asHashTable {
            throw error("The command cannot be run because the AsString parameter requires that you specify the AsHashtable parameter.",
                        id: "ArgumentException", command: command, category: .InvalidArgument, reason: "ArgumentException")
        }
        if asHashTable, !asString, keyParameters.count > 1 {
            throw error("The command cannot be run because using the AsHashTable parameter with more than one property requires adding the AsString parameter.",
                        id: "ArgumentException", command: command, category: .InvalidArgument, reason: "ArgumentException")
        }

        let entries = all.map { (record: $0, keys: sortKeys($0, keyParameters, context, command: command)) }
        let ascending = Array(repeating: true, count: entries[0].keys.count)
        func same(_ a: [SortKey], _ b: [SortKey]) -> Bool { compareKeys(a, b, ascending: ascending, caseSensitive: caseSensitive) == 0 }

        // Group-Object.cs: when every key has one type, groups come out sorted by key (a stable
        // sort); with mixed types, in order of first appearance.
        var types: [String?] = entries[0].keys.map { $0.value.isNull ? nil : $0.value.typeName }
        var mixed = false
        for e in entries.dropFirst() where !mixed {
            guard e.keys.count == types.count else { mixed = true; break }
            for (i, k) in e.keys.enumerated() where !k.value.isNull {
                if types[i] == nil { types[i] = k.value.typeName } else if types[i] != k.value.typeName { mixed = true; break }
            }
        }
        var groups: [(keys: [SortKey], items: [PSValue])] = []
        if mixed {
            for e in entries {
                if let i = groups.firstIndex(where: { same($0.keys, e.keys) }) { groups[i].items.append(e.record) } else { groups.append((e.keys, [e.record])) }
            }
        } else {
            let sorted = entries.enumerated().sorted { x, y in
                let c = compareKeys(x.element.keys, y.element.keys, ascending: ascending, caseSensitive: caseSensitive)
                return c != 0 ? c < 0 : x.offset < y.offset
            }.map(\.element)
            for e in sorted {
                if let last = groups.indices.last, same(groups[last].keys, e.keys) { groups[last].items.append(e.record) } else { groups.append((e.keys, [e.record])) }
            }
        }

        if asHashTable {
            let table = PSHashtable()
            for g in groups {
                let key = asString ? groupName(g.keys) : (g.keys.first?.value ?? .null)
                if key.isNull || table[key.text] != nil {
                    let message = "The objects grouped by this property cannot be expanded because there is a key duplication. Provide a valid value for the property, and then try again."
                    context.writeError(error(message, id: message, command: command, category: .InvalidArgument, reason: "Exception",
                                             terminating: false))
                    return []
                }
                table[key.text] = .array(PSArray(g.items, typeName: groupCollectionType))
            }
            return [.hashtable(table)]
        }
        let noElement = parameters.isOn("NoElement")
        return groups.map { g in
            let info = PSObject(typeName: TypeNames.groupInfo, properties: [
                ("Values", .array(PSArray(g.keys.map(\.value), typeName: "System.Collections.ArrayList"))),
                ("Count", .int(g.items.count)),
                ("Group", .array(PSArray(noElement ? [] : g.items, typeName: groupCollectionType))),
                ("Name", groupName(g.keys)),
            ])
            if noElement { info.typeNames = ["Microsoft.PowerShell.Commands.GroupInfoNoElement", TypeNames.groupInfo, "System.Object"] }
            return .object(info)
        }
    }

    /// GroupInfo.BuildName: the values' text joined with ", ", a collection as `{a, b}`, nulls left out.
    static func groupName(_ keys: [SortKey]) -> PSValue {
        .string(keys.compactMap { k -> String? in
            switch k.value {
            case .null: return nil
            case .array(let a): return "{" + a.items.map(\.toStringText).joined(separator: ", ") + "}"
            case let v: return v.toStringText
            }
        }.joined(separator: ", "))
    }
}
