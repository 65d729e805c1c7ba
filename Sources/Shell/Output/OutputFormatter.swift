import Foundation
import TenantModel

/// PowerShell 7's formatting of output: what Out-Default prints for a statement's output,
/// and the tables and lists of Format-Table / Format-List. The layout rules (and where each
/// comes from) are in Docs/output.md.
public enum OutputFormatter {
    /// The console width the simulator formats for (the width PowerShell falls back to
    /// when it has no console).
    public static let defaultWidth = 120

    /// `$FormatEnumerationLimit`: how many items of a collection a cell shows before `…`.
    public static let enumerationLimit = 4

    /// Out-Default: the text PowerShell prints for these output objects, every line ending
    /// in `\n`.
    public static func render(_ values: [PSValue], width: Int = defaultWidth) -> String {
        text(of: defaultSegments(values), tableWidth: width, listWidth: width)
    }

    /// `Format-Table [-Property names] [-AutoSize]` followed by Out-Default.
    public static func renderTable(_ values: [PSValue], properties: [String]?, autoSize: Bool, width: Int = defaultWidth) -> String {
        let specs = properties.map { $0.map { PropertySpec(name: $0) } }
        let segments = tableSegments(values, properties: specs, autoSize: autoSize, wrap: false, hideHeaders: false, evaluate: nil)
        return text(of: segments, tableWidth: width, listWidth: width)
    }

    /// `Format-List [-Property names]` followed by Out-Default.
    public static func renderList(_ values: [PSValue], properties: [String]?, width: Int = defaultWidth) -> String {
        let specs = properties.map { $0.map { PropertySpec(name: $0) } }
        let segments = listSegments(values, properties: specs, evaluate: nil)
        return text(of: segments, tableWidth: width, listWidth: width)
    }

    // MARK: Display strings

    /// The text of a value in a table cell or list line (PSObjectHelper.SmartToString):
    /// collections as `{a, b, c, d…}`, `$null` as nothing, everything else its ToString.
    public static func displayText(_ value: PSValue) -> String {
        switch value {
        case .null: return ""
        case .array(let a): return braced(a.items.map(elementName))
        case .hashtable(let h): return braced(h.keys.map { .string($0) }.map(elementName))
        case .object(let o): return o.toStringText
        default: return value.text
        }
    }

    private static func braced(_ names: [String]) -> String {
        var out = "{"
        for (i, name) in names.enumerated() {
            if i == enumerationLimit { out.append(TableWriter.ellipsis); break }
            if i > 0 { out += ", " }
            out += name
        }
        return out + "}"
    }

    /// An item inside a collection: its ToString, or `$null` (GetObjectName).
    private static func elementName(_ value: PSValue) -> String {
        if case .null = value { return "$null" }
        return value.toStringText
    }

    /// ComputeDefaultAlignment: numbers and booleans right, everything else (strings, dates,
    /// deserialized Exchange values) left, judged on the first object's value.
    static func defaultAlignment(_ value: PSValue?) -> TextAlignment {
        switch value {
        case .int?, .double?, .bool?: return .right
        default: return .left
        }
    }

    /// A DateTime on its own prints through its view as `Monday, June 17, 2019 2:00:00 PM`.
    static func longDate(_ date: Date) -> String {
        let c = CivilTime(date)
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
        let weekday = weekdays[((days % 7) + 7 + 4) % 7]
        let h12 = c.hour % 12 == 0 ? 12 : c.hour % 12
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(weekday), \(months[c.month - 1]) \(c.day), \(c.year) \(h12):\(pad(c.minute)):\(pad(c.second)) \(c.hour < 12 ? "AM" : "PM")"
    }

    // MARK: Segments

    /// A unit of formatted output: a table, a list, or lines printed as they are.
    enum Segment: Sendable {
        case table(TableSpec)
        case list([ListRow])
        case text([String])
        /// Lines framed by blank lines (a DateTime's view).
        case complex([String])
    }

    enum ListRow: Sendable {
        case entry([ListItem])
        case text(String)
        /// An object printed out of band in the middle of a list (framed by blank lines).
        case outOfBand([ListItem])
    }

    /// The lines of segments: a table is framed by blank lines, each list entry is followed
    /// by one (BaseOutputtingCommand.cs: FormatStart, GroupEnd, FormatEnd).
    static func lines(of segments: [Segment], tableWidth: Int, listWidth: Int) -> [String] {
        var out: [String] = []
        for segment in segments {
            switch segment {
            case .text(let lines): out += lines
            case .complex(let lines): out += [""] + lines + [""]
            case .table(let spec):
                out.append("")
                out += TableWriter.lines(spec, width: tableWidth)
                out.append("")
            case .list(let rows):
                out.append("")
                for row in rows {
                    switch row {
                    case .entry(let items): out += ListWriter.lines(items, width: listWidth) + [""]
                    case .text(let t): out.append(t)
                    case .outOfBand(let items): out += [""] + ListWriter.lines(items, width: listWidth) + [""]
                    }
                }
            }
        }
        return out
    }

    static func text(of segments: [Segment], tableWidth: Int, listWidth: Int) -> String {
        lines(of: segments, tableWidth: tableWidth, listWidth: listWidth).map { $0 + "\n" }.joined()
    }

    /// Out-Default enumerates collections (at any depth) and skips `$null`.
    static func flatten(_ values: [PSValue]) -> [PSValue] {
        var out: [PSValue] = []
        for v in values {
            switch v {
            case .array(let a): out += flatten(a.items)
            case .null: continue
            default: out.append(v)
            }
        }
        return out
    }

    /// What Out-Default prints: the first object picks the shape (its type's view, else a
    /// table for up to four properties and a list for more); objects of the same shape
    /// follow it; an object that does not fit a view's table comes out of band as a list;
    /// strings and numbers print as lines.
    static func defaultSegments(_ values: [PSValue]) -> [Segment] {
        var builder = SegmentBuilder()
        for value in flatten(values) {
            switch value {
            case .object(let o) where isMarker(o):
                builder.close()
                builder.segments += decodeMarker(o)
            case .object(let o):
                if isScalarObject(o) { builder.addText(o.toStringText); continue }
                if builder.accepts(o) {
                    builder.add(o)
                } else if builder.isOpen {
                    builder.addOutOfBand(allItems(o))
                } else {
                    builder.open(defaultGroup(for: o))
                    builder.add(o)
                }
            case .hashtable(let h):
                if !builder.isDictionary {
                    builder.close()
                    builder.open(.table(columns: dictionaryColumns(), kind: .view(dictionaryView), autoSize: false,
                                        wrap: false, hideHeader: false))
                }
                for row in dictionaryRows(h) { builder.addCells(row) }
            case .date(let d):
                builder.addComplex(longDate(d))
            default:
                builder.addText(value.text)
            }
        }
        builder.close()
        return builder.segments
    }

    /// SecureString and objects without properties print their ToString.
    static func isScalarObject(_ o: PSObject) -> Bool {
        o.typeNames.first == TypeNames.secureString || o.propertyNames.isEmpty
    }

    static func allItems(_ o: PSObject) -> [ListItem] {
        o.properties.map { ListItem(label: $0.0, value: displayText($0.1)) }
    }

    private static func defaultGroup(for o: PSObject) -> Group {
        if let view = FormatViews.view(for: o) {
            switch view.kind {
            case .table(let columns):
                return .table(columns: columns.map { Column(view: $0) }, kind: .view(view), autoSize: false, wrap: false, hideHeader: false)
            case .list(let properties):
                return .list(kind: .view(view), properties: properties.map { $0.map { PropertySpec(name: $0) } })
            }
        }
        if o.propertyNames.count <= 4 {
            return .table(columns: generatedColumns(o, limit: nil), kind: .generated, autoSize: false, wrap: false, hideHeader: false)
        }
        return .list(kind: .generated, properties: nil)
    }

    static let dictionaryView = FormatViews.view(for: [FormatViews.dictionaryEntry])!

    private static func dictionaryColumns() -> [Column] {
        guard case .table(let cols) = dictionaryView.kind else { return [] }
        return cols.map { Column(view: $0) }
    }

    private static func dictionaryRows(_ h: PSHashtable) -> [[String]] {
        h.pairs.map { [$0.0, displayText($0.1)] }
    }

    /// A hashtable entry as an object (Name, Key, Value), for Format-Table/Format-List.
    static func dictionaryEntries(_ h: PSHashtable) -> [PSObject] {
        h.pairs.map { PSObject(typeName: FormatViews.dictionaryEntry, properties: [("Name", .string($0.0)), ("Key", .string($0.0)), ("Value", $0.1)]) }
    }

    /// A generated table's columns: the object's properties (at most ten, as PowerShell
    /// keeps a generated table to ten), aligned by the first object's values.
    static func generatedColumns(_ o: PSObject, limit: Int?) -> [Column] {
        var names = o.propertyNames
        if let limit, names.count > limit { names = Array(names.prefix(limit)) }
        return names.map { Column(label: $0, source: .property($0), width: 0, alignment: defaultAlignment(o.property($0))) }
    }

    // MARK: Groups

    /// Where a cell's value comes from.
    enum ColumnSource {
        case property(String)
        case expression(ScriptBlock)
    }

    struct Column {
        var label: String
        var source: ColumnSource
        var width: Int
        var alignment: TextAlignment

        init(label: String, source: ColumnSource, width: Int, alignment: TextAlignment) {
            self.label = label
            self.source = source
            self.width = width
            self.alignment = alignment
        }

        init(view c: FormatView.Column) {
            self.init(label: c.label, source: .property(c.property), width: c.width, alignment: c.alignment)
        }
    }

    enum GroupKind {
        case view(FormatView)
        case generated
    }

    enum Group {
        case table(columns: [Column], kind: GroupKind, autoSize: Bool, wrap: Bool, hideHeader: Bool)
        case list(kind: GroupKind, properties: [PropertySpec]?)
    }

    typealias Evaluator = (ScriptBlock, PSValue) throws -> PSValue

    /// Collects rows of the open table or list and closes it into a segment.
    struct SegmentBuilder {
        var segments: [Segment] = []
        var group: Group?
        var table: TableSpec?
        var listRows: [ListRow] = []
        var evaluate: Evaluator?

        var isOpen: Bool { group != nil }

        var isDictionary: Bool {
            if case .table(_, .view(let v), _, _, _)? = group { return v.typeName == FormatViews.dictionaryEntry }
            return false
        }

        /// Whether an object joins the open group: a generated shape takes every object, a
        /// view only objects of its type (FormatViewGenerator.IsObjectApplicable).
        func accepts(_ o: PSObject) -> Bool {
            switch group {
            case .table(_, .view(let v), _, _, _)?, .list(.view(let v), _)?: return FormatViews.applies(v, to: o)
            case .table(_, .generated, _, _, _)?, .list(.generated, _)?: return true
            case nil: return false
            }
        }

        mutating func open(_ g: Group) {
            group = g
            if case .table(let columns, _, let autoSize, let wrap, let hideHeader) = g {
                table = TableSpec(labels: columns.map(\.label), widths: columns.map(\.width),
                                  alignments: columns.map(\.alignment), autoSize: autoSize, wrap: wrap, hideHeader: hideHeader)
            } else {
                listRows = []
            }
        }

        mutating func add(_ o: PSObject) {
            switch group {
            case .table(let columns, _, _, _, _)?:
                addCells(columns.map { cell(o, $0.source) })
            case .list(.view(let v), let properties)?:
                if case .list(let names) = v.kind, let names {
                    listRows.append(.entry(names.map { ListItem(label: $0, value: o.property($0).map(displayText) ?? "") }))
                } else {
                    listRows.append(.entry(items(o, properties)))
                }
            case .list(.generated, let properties)?:
                listRows.append(.entry(items(o, properties)))
            case nil:
                break
            }
        }

        mutating func items(_ o: PSObject, _ properties: [PropertySpec]?) -> [ListItem] {
            guard let properties else { return allItems(o) }
            return OutputFormatter.resolveList(properties, for: o).map { column in
                ListItem(label: column.label, value: displayText(cellValue(o, column.source)))
            }
        }

        mutating func addCells(_ cells: [String]) {
            table?.rows.append(.cells(cells))
        }

        mutating func addOutOfBand(_ items: [ListItem]) {
            if table != nil { table!.rows.append(.list(items)) } else { listRows.append(.outOfBand(items)) }
        }

        mutating func addText(_ text: String) {
            if group != nil {
                if table != nil { table!.rows.append(.text(text)) } else { listRows.append(.text(text)) }
                return
            }
            if case .text(let lines)? = segments.last {
                segments[segments.count - 1] = .text(lines + [text])
            } else {
                segments.append(.text([text]))
            }
        }

        mutating func addComplex(_ line: String) {
            if group != nil { addText(line); return }
            if case .complex(let lines)? = segments.last {
                segments[segments.count - 1] = .complex(lines + [line])
            } else {
                segments.append(.complex([line]))
            }
        }

        mutating func close() {
            if let table { segments.append(.table(table)) } else if group != nil { segments.append(.list(listRows)) }
            group = nil
            table = nil
            listRows = []
        }

        mutating func cell(_ o: PSObject, _ source: ColumnSource) -> String {
            displayText(cellValue(o, source))
        }

        mutating func cellValue(_ o: PSObject, _ source: ColumnSource) -> PSValue {
            switch source {
            case .property(let name): return o.property(name) ?? .null
            case .expression(let block):
                // A calculated property that fails shows an empty cell: PowerShell hides
                // formatting errors unless asked (FormatErrorManager).
                guard let evaluate else { return .null }
                return (try? evaluate(block, .object(o))) ?? .null
            }
        }
    }

    // MARK: Format-Table / Format-List

    /// A `-Property` item: a name (wildcards allowed), or a calculated property.
    public struct PropertySpec: Sendable {
        public var name: String?
        public var expression: ScriptBlock?
        public var label: String?
        public var width: Int?
        public var alignment: TextAlignment?

        public init(name: String) { self.name = name }

        init(name: String?, expression: ScriptBlock?, label: String?, width: Int?, alignment: TextAlignment?) {
            self.name = name
            self.expression = expression
            self.label = label
            self.width = width
            self.alignment = alignment
        }
    }

    /// Table columns from `-Property`, resolved against the first object: wildcards expand
    /// to its matching properties in its order; a plain name it lacks stays as a column.
    static func resolveTable(_ specs: [PropertySpec], for first: PSObject, evaluate: Evaluator?) -> [Column] {
        var columns: [Column] = []
        var seen = Set<String>()
        for spec in specs {
            if let block = spec.expression {
                let sample = (try? evaluate?(block, .object(first))) ?? nil
                columns.append(Column(label: spec.label ?? block.text, source: .expression(block), width: spec.width ?? 0,
                                      alignment: spec.alignment ?? defaultAlignment(sample)))
                continue
            }
            guard let name = spec.name else { continue }
            let names: [String]
            if WildcardText.hasWildcard(name) {
                names = first.propertyNames.filter { WildcardText.matches(name, $0) }
            } else {
                names = [first.canonicalName(name) ?? name]
            }
            for n in names where spec.label != nil || !seen.contains(n.lowercased()) {
                seen.insert(n.lowercased())
                columns.append(Column(label: spec.label ?? n, source: .property(n), width: spec.width ?? 0,
                                      alignment: spec.alignment ?? defaultAlignment(first.property(n))))
            }
        }
        return columns
    }

    /// List lines from `-Property`, resolved for each object; a plain name the object lacks
    /// is left out.
    static func resolveList(_ specs: [PropertySpec], for o: PSObject) -> [Column] {
        var columns: [Column] = []
        var seen = Set<String>()
        for spec in specs {
            if let block = spec.expression {
                columns.append(Column(label: spec.label ?? block.text, source: .expression(block), width: 0, alignment: .left))
                continue
            }
            guard let name = spec.name else { continue }
            let names: [String]
            if WildcardText.hasWildcard(name) {
                names = o.propertyNames.filter { WildcardText.matches(name, $0) }
            } else if let canonical = o.canonicalName(name) {
                names = [canonical]
            } else {
                names = []
            }
            for n in names where spec.label != nil || !seen.contains(n.lowercased()) {
                seen.insert(n.lowercased())
                columns.append(Column(label: spec.label ?? n, source: .property(n), width: 0, alignment: .left))
            }
        }
        return columns
    }

    /// Format-Table's segments. Without `-Property` an object's table view is used, else a
    /// table of its first ten properties.
    static func tableSegments(_ values: [PSValue], properties: [PropertySpec]?, autoSize: Bool, wrap: Bool,
                              hideHeaders: Bool, evaluate: Evaluator?) -> [Segment] {
        var builder = SegmentBuilder()
        builder.evaluate = evaluate
        for value in expandDictionaries(flatten(values)) {
            switch value {
            case .object(let o) where isMarker(o):
                builder.close()
                builder.segments += decodeMarker(o)
            case .object(let o) where isScalarObject(o):
                builder.addText(o.toStringText)
            case .object(let o):
                if builder.accepts(o) {
                    builder.add(o)
                } else if builder.isOpen {
                    builder.addOutOfBand(allItems(o))
                } else {
                    let columns: [Column]
                    let kind: GroupKind
                    if let properties {
                        columns = resolveTable(properties, for: o, evaluate: evaluate)
                        kind = .generated
                    } else if let view = FormatViews.tableView(for: o), case .table(let cols) = view.kind {
                        columns = cols.map { Column(view: $0) }
                        kind = .view(view)
                    } else {
                        columns = generatedColumns(o, limit: 10)
                        kind = .generated
                    }
                    builder.open(.table(columns: columns, kind: kind, autoSize: autoSize, wrap: wrap, hideHeader: hideHeaders))
                    builder.add(o)
                }
            case .date(let d):
                builder.addText(longDate(d))
            default:
                builder.addText(value.text)
            }
        }
        builder.close()
        return builder.segments
    }

    /// Format-List's segments: each object with its list view, the `-Property` items, or
    /// all its properties.
    static func listSegments(_ values: [PSValue], properties: [PropertySpec]?, evaluate: Evaluator?) -> [Segment] {
        var builder = SegmentBuilder()
        builder.evaluate = evaluate
        for value in expandDictionaries(flatten(values)) {
            switch value {
            case .object(let o) where isMarker(o):
                builder.close()
                builder.segments += decodeMarker(o)
            case .object(let o) where isScalarObject(o):
                builder.addText(o.toStringText)
            case .object(let o):
                if !builder.isOpen { builder.open(.list(kind: .generated, properties: properties)) }
                if properties == nil, let view = FormatViews.listView(for: o), case .list(let names?) = view.kind {
                    builder.listRows.append(.entry(names.map { ListItem(label: $0, value: o.property($0).map(displayText) ?? "") }))
                } else if let properties {
                    let items = OutputFormatter.resolveList(properties, for: o).map { column in
                        ListItem(label: column.label, value: displayText(builder.cellValue(o, column.source)))
                    }
                    builder.listRows.append(.entry(items))
                } else {
                    builder.listRows.append(.entry(allItems(o)))
                }
            case .date(let d):
                builder.addText(longDate(d))
            default:
                builder.addText(value.text)
            }
        }
        builder.close()
        return builder.segments
    }

    /// Formatting enumerates a dictionary into its entries.
    private static func expandDictionaries(_ values: [PSValue]) -> [PSValue] {
        values.flatMap { v -> [PSValue] in
            if case .hashtable(let h) = v { return dictionaryEntries(h).map { .object($0) } }
            return [v]
        }
    }

    // MARK: Format-* output objects

    /// The type of the objects Format-Table and Format-List output. Out-Default, Out-String
    /// and the REST front end print them as the table or list they carry; the layout is
    /// settled only then, at the width of that output (as in PowerShell, where
    /// `ft | Out-String -Width 300` makes a wider table).
    public static let formatDataTypeName = "Microsoft.PowerShell.Commands.Internal.Format.FormatStartData"

    static func isMarker(_ o: PSObject) -> Bool { o.typeNames.first == formatDataTypeName }

    static func marker(_ segment: Segment) -> PSValue {
        func strings(_ s: [String]) -> PSValue { .array(PSArray(s.map { .string($0) })) }
        func pairs(_ items: [ListItem], _ tag: String) -> PSValue {
            .array(PSArray(items.flatMap { [PSValue.string($0.label), .string($0.value)] }, typeName: tag))
        }
        var properties: [(String, PSValue)]
        switch segment {
        case .table(let t):
            let rows = t.rows.map { row -> PSValue in
                switch row {
                case .cells(let c): return .array(PSArray(c.map { .string($0) }, typeName: "Cells"))
                case .text(let s): return .array(PSArray([.string(s)], typeName: "Text"))
                case .list(let items): return pairs(items, "List")
                }
            }
            properties = [("Shape", .string("Table")), ("Labels", strings(t.labels)),
                          ("Widths", .array(PSArray(t.widths.map { .int($0) }))),
                          ("Alignments", .array(PSArray(t.alignments.map { .int($0.rawValue) }))),
                          ("Rows", .array(PSArray(rows))), ("AutoSize", .bool(t.autoSize)), ("Wrap", .bool(t.wrap)),
                          ("HideTableHeaders", .bool(t.hideHeader))]
        case .list(let rows):
            let encoded = rows.map { row -> PSValue in
                switch row {
                case .entry(let items): return pairs(items, "Entry")
                case .text(let s): return .array(PSArray([.string(s)], typeName: "Text"))
                case .outOfBand(let items): return pairs(items, "OutOfBand")
                }
            }
            properties = [("Shape", .string("List")), ("Rows", .array(PSArray(encoded)))]
        case .text(let lines):
            properties = [("Shape", .string("Text")), ("Lines", strings(lines))]
        case .complex(let lines):
            properties = [("Shape", .string("Complex")), ("Lines", strings(lines))]
        }
        return .object(PSObject(typeName: formatDataTypeName, properties: properties))
    }

    static func decodeMarker(_ o: PSObject) -> [Segment] {
        func strings(_ v: PSValue?) -> [String] { (v?.enumerated ?? []).map(\.text) }
        func items(_ a: PSArray) -> [ListItem] {
            stride(from: 0, to: a.items.count - 1, by: 2).map { ListItem(label: a.items[$0].text, value: a.items[$0 + 1].text) }
        }
        switch o.property("Shape")?.text {
        case "Table":
            let rows = (o.property("Rows")?.enumerated ?? []).compactMap { v -> TableRow? in
                guard case .array(let a) = v else { return nil }
                switch a.typeName {
                case "Text": return .text(a.items.first?.text ?? "")
                case "List": return .list(items(a))
                default: return .cells(a.items.map(\.text))
                }
            }
            let widths = (o.property("Widths")?.enumerated ?? []).map { v -> Int in if case .int(let i) = v { return i }; return 0 }
            let alignments = (o.property("Alignments")?.enumerated ?? []).map { v -> TextAlignment in
                if case .int(let i) = v { return TextAlignment(rawValue: i) ?? .undefined }
                return .undefined
            }
            return [.table(TableSpec(labels: strings(o.property("Labels")), widths: widths, alignments: alignments, rows: rows,
                                     autoSize: o.property("AutoSize")?.isTruthy ?? false, wrap: o.property("Wrap")?.isTruthy ?? false,
                                     hideHeader: o.property("HideTableHeaders")?.isTruthy ?? false))]
        case "List":
            let rows = (o.property("Rows")?.enumerated ?? []).compactMap { v -> ListRow? in
                guard case .array(let a) = v else { return nil }
                switch a.typeName {
                case "Text": return .text(a.items.first?.text ?? "")
                case "OutOfBand": return .outOfBand(items(a))
                default: return .entry(items(a))
                }
            }
            return [.list(rows)]
        case "Complex": return [.complex(strings(o.property("Lines")))]
        default: return [.text(strings(o.property("Lines")))]
        }
    }
}

/// PowerShell's `-like` wildcards for property names: `*`, `?`, `[abc]`, case-insensitive.
enum WildcardText {
    static func hasWildcard(_ pattern: String) -> Bool {
        pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            switch p[i] {
            case "*":
                var k = j
                while k <= t.count {
                    if match(i + 1, k) { return true }
                    k += 1
                }
                return false
            case "?":
                return j < t.count && match(i + 1, j + 1)
            case "[":
                guard let close = p[(i + 1)...].firstIndex(of: "]"), j < t.count else { return j < t.count && p[i] == t[j] && match(i + 1, j + 1) }
                let set = p[(i + 1)..<close]
                var ok = false
                var k = set.startIndex
                while k < set.endIndex {
                    if k + 2 < set.endIndex, set[k + 1] == "-" {
                        if set[k] <= t[j] && t[j] <= set[k + 2] { ok = true }
                        k += 3
                    } else {
                        if set[k] == t[j] { ok = true }
                        k += 1
                    }
                }
                return ok && match(close + 1, j + 1)
            default:
                return j < t.count && p[i] == t[j] && match(i + 1, j + 1)
            }
        }
        return match(0, 0)
    }
}
