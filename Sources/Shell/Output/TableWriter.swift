/// How a column's text sits in its cell. The raw values are PowerShell's `TextAlignment`
/// constants (Undefined 0, Left 1, Center 2, Right 3).
public enum TextAlignment: Int, Sendable {
    case undefined = 0, left = 1, center = 2, right = 3
}

/// A table ready to lay out: labels, the widths a view asks for (0 = size to content),
/// alignments and the rows' display strings. Widths are settled only when the table is
/// written, against the width of the output (console or `Out-String -Width`), as
/// PowerShell settles them in Out-Default rather than in Format-Table.
struct TableSpec: Sendable {
    var labels: [String]
    var widths: [Int]
    var alignments: [TextAlignment]
    var rows: [TableRow] = []
    /// `-AutoSize`: widths from the content even when the view fixes them.
    var autoSize = false
    /// `-Wrap`: long cells wrap onto more lines instead of being cut with `…`.
    var wrap = false
    var hideHeader = false
}

/// A row of a table, or an object printed out of band inside it (a string, or an object
/// that does not fit the table's view, which PowerShell shows as a list at that point).
enum TableRow: Sendable {
    case cells([String])
    case text(String)
    case list([ListItem])
}

/// One `Label : Value` line of a list entry.
struct ListItem: Sendable {
    var label: String
    var value: String
}

/// PowerShell's TableWriter and ColumnWidthManager (FormatAndOutput/common/TableWriter.cs,
/// ColumnWidthManager.cs), line for line where the layout shows: one space between
/// columns, the last column not padded, dashes as long as the label (or the column),
/// cells cut to `…` (U+2026) when too long.
enum TableWriter {
    static let ellipsis: Character = "\u{2026}"

    /// The lines of a table (without the blank lines that frame it).
    static func lines(_ spec: TableSpec, width screenWidth: Int) -> [String] {
        let count = spec.labels.count
        guard count > 0 else { return [] }
        // A view that leaves the first column's width open, or -AutoSize, sizes every column
        // to its widest label or cell (OutCommandInner caches the objects for that; the
        // simulator has them all at once, so it measures all of them).
        var widths = spec.widths
        if spec.autoSize || widths.first == 0 {
            widths = spec.labels.map(TextCells.length)
            for case .cells(let cells) in spec.rows {
                for k in 0..<min(count, cells.count) { widths[k] = max(widths[k], TextCells.length(cells[k])) }
            }
        }
        // The console needs at least five columns, or PowerShell writes no table at all.
        guard screenWidth >= 5 else { return [] }
        ColumnWidthManager.calculate(&widths, tableWidth: screenWidth)
        guard widths.contains(where: { $0 >= 1 }) else { return [] }
        let alignments = spec.alignments.map { $0 == .undefined ? TextAlignment.left : $0 }

        var out: [String] = []
        if !spec.hideHeader {
            out += multiLineRow(spec.labels, widths: widths, alignments: alignments)
            let dashes = (0..<count).map { k -> String in
                guard widths[k] > 0 else { return "" }
                var n = widths[k]
                let label = spec.labels[k]
                if !label.isEmpty { n = min(n, TextCells.length(label)) }
                return String(repeating: "-", count: n)
            }
            out.append(singleLineRow(dashes, widths: widths, alignments: alignments))
        }
        for row in spec.rows {
            switch row {
            case .cells(var cells):
                if cells.count < count { cells += Array(repeating: "", count: count - cells.count) }
                if spec.wrap {
                    out += multiLineRow(cells, widths: widths, alignments: alignments)
                } else {
                    out.append(singleLineRow(cells, widths: widths, alignments: alignments))
                }
            case .text(let text):
                out.append(text)
            case .list(let items):
                out.append("")
                out += ListWriter.lines(items, width: screenWidth)
                out.append("")
            }
        }
        return out
    }

    /// TableWriter.GenerateRow: one line, each cell cut or padded to its column.
    static func singleLineRow(_ values: [String], widths: [Int], alignments: [TextAlignment]) -> String {
        var line = ""
        for k in widths.indices {
            let addPadding = k != widths.count - 1
            guard widths[k] > 0 else { continue }
            if k > 0 { line += " " }
            line += field(values[k], width: widths[k], alignment: alignments[k], addPadding: addPadding)
        }
        return line
    }

    /// TableWriter.GenerateTableRow: cells word-wrapped onto as many lines as the tallest
    /// needs; the last column with content on a line loses its trailing blanks.
    static func multiLineRow(_ values: [String], widths: [Int], alignments: [TextAlignment]) -> [String] {
        let visible = widths.indices.filter { widths[$0] > 0 }
        guard !visible.isEmpty else { return [] }
        var columns: [[String]] = []
        for (i, k) in visible.enumerated() {
            let addPadding = i != visible.count - 1
            var cellLines = TextCells.wrap(values[k], first: widths[k], following: widths[k])
            if addPadding || alignments[k] == .right || alignments[k] == .center {
                cellLines = cellLines.map { TextCells.length($0) < widths[k]
                    ? field($0, width: widths[k], alignment: alignments[k], addPadding: addPadding) : $0 }
            }
            if i > 0 { cellLines = cellLines.map { " " + $0 } }
            columns.append(cellLines)
        }
        let rowCount = columns.map(\.count).max() ?? 0
        var lastWithContent = Array(repeating: 0, count: rowCount)
        for row in 0..<rowCount {
            for col in columns.indices where columns[col].count > row { lastWithContent[row] = col }
        }
        for col in columns.indices {
            var blanks = 0
            if col < columns.count - 1 { blanks = widths[visible[col]] + (col > 0 ? 1 : 0) }
            let missing = rowCount - columns[col].count
            if missing > 0 {
                for row in (rowCount - missing)..<rowCount {
                    columns[col].append(col > lastWithContent[row] ? "" : String(repeating: " ", count: blanks))
                }
            }
        }
        return (0..<rowCount).map { row in
            var line = ""
            for col in columns.indices {
                let value = columns[col][row]
                line += col == lastWithContent[row] && rowCount > 1 ? TextCells.trimEnd(value) : value
            }
            return line
        }
    }

    /// TableWriter.GenerateRowField: the text of one cell at its width.
    static func field(_ value: String, width: Int, alignment: TextAlignment, addPadding: Bool) -> String {
        var s = TextCells.truncateAtNewLine(value)
        let length = TextCells.length(s)
        if length < width {
            let pad = width - length
            switch alignment {
            case .right: s = String(repeating: " ", count: pad) + s
            case .center:
                s = String(repeating: " ", count: pad / 2) + s
                if addPadding { s += String(repeating: " ", count: pad - pad / 2) }
            default:
                if addPadding { s += String(repeating: " ", count: pad) }
            }
        } else if length > width {
            let keep = width - 1
            if keep > 0 {
                s = alignment == .right ? String(ellipsis) + String(s.suffix(keep)) : String(s.prefix(keep)) + String(ellipsis)
            } else {
                s = alignment == .right ? String(s.suffix(width)) : String(s.prefix(width))
            }
        }
        return s
    }
}

/// ColumnWidthManager.CalculateColumnWidths: open widths (0) share what the fixed ones
/// leave, one column at a time; when the table is too wide the last visible column shrinks
/// and, below one character, is hidden (-1), until it fits.
enum ColumnWidthManager {
    static func calculate(_ widths: inout [Int], tableWidth: Int) {
        if assign(&widths, tableWidth: tableWidth) { return }
        trimToFit(&widths, tableWidth: tableWidth)
    }

    private static func assign(_ widths: inout [Int], tableWidth: Int) -> Bool {
        if widths.allSatisfy({ $0 > 0 }) {
            return widths.reduce(0, +) + widths.count - 1 <= tableWidth
        }
        let fixed = widths.map { $0 > 0 }
        for k in widths.indices where widths[k] == 0 { widths[k] = 1 }
        var available = tableWidth - currentWidth(widths)
        if available < 0 { return false }
        while available > 0 {
            for k in widths.indices where !fixed[k] {
                widths[k] += 1
                available -= 1
                if available == 0 { break }
            }
        }
        return true
    }

    private static func trimToFit(_ widths: inout [Int], tableWidth: Int) {
        while true {
            let excess = currentWidth(widths) - tableWidth
            if excess <= 0 { return }
            let last = (widths.firstIndex { $0 < 0 } ?? widths.count) - 1
            if last < 0 { return }
            let shrunk = widths[last] - excess
            widths[last] = shrunk < 1 ? -1 : shrunk
        }
    }

    private static func currentWidth(_ widths: [Int]) -> Int {
        let visible = widths.filter { $0 > 0 }
        return visible.reduce(0, +) + visible.count - 1
    }
}

/// ListWriter: labels padded to the longest, ` : `, the value; long values wrap under the
/// value column; an empty value still prints `Label : ` (with its trailing blank).
enum ListWriter {
    static func lines(_ items: [ListItem], width: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        let separator = " : "
        guard width - separator.count - 2 >= 0 else { return [] }
        let maxLabel = width - separator.count - 1
        var labelWidth = items.map { TextCells.length($0.label) }.max() ?? 0
        labelWidth = min(labelWidth, maxLabel)
        let labels = items.map { item -> String in
            let n = TextCells.length(item.label)
            if n < labelWidth { return item.label + String(repeating: " ", count: labelWidth - n) + separator }
            return String(item.label.prefix(labelWidth)) + separator
        }
        let prefixWidth = labelWidth + separator.count
        let padding = String(repeating: " ", count: prefixWidth)
        let fieldWidth = width == Int.max ? Int.max : width - prefixWidth
        var out: [String] = []
        for (k, item) in items.enumerated() {
            for (i, line) in TextCells.splitLines(item.value).enumerated() {
                let pieces = TextCells.wrap(line, first: fieldWidth, following: fieldWidth)
                for (j, piece) in pieces.enumerated() {
                    out.append((i == 0 && j == 0 ? labels[k] : padding) + piece)
                }
            }
        }
        return out
    }
}

/// Text measured in console cells and wrapped as PowerShell's StringManipulationHelper does
/// for English: at blanks, words longer than the line cut at the line's end.
enum TextCells {
    /// One cell per character (the simulator does not model double-width characters).
    static func length(_ s: String) -> Int { s.count }

    /// A cell that holds several lines shows its first line and `…`.
    static func truncateAtNewLine(_ s: String) -> String {
        guard let i = s.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return String(s[..<i]) + String(TableWriter.ellipsis)
    }

    /// Splits at `\n`, dropping `\r`.
    static func splitLines(_ s: String) -> [String] {
        let cleaned = s.unicodeScalars.contains("\r") ? String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\r" })) : s
        return cleaned.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// GenerateLinesWithWordWrap.
    static func wrap(_ value: String, first: Int, following: Int) -> [String] {
        guard !value.isEmpty else { return [value] }
        var out: [String] = []
        for line in splitLines(value) {
            if length(line) <= first { out.append(line); continue }
            var spacesLeft = first, lineWidth = first, firstLine = true
            var single = ""
            for word in words(line) {
                let wordToAdd = word.word + word.delimiter
                let wordWidth = length(wordToAdd)
                if lineWidth == 0 {
                    if firstLine { firstLine = false; lineWidth = following }
                    if lineWidth == 0 { break }
                    spacesLeft = lineWidth
                }
                if wordWidth > lineWidth {
                    for ch in wordToAdd {
                        if 1 > spacesLeft {
                            out.append(single)
                            single = String(ch)
                            if firstLine { firstLine = false; lineWidth = following }
                            spacesLeft = lineWidth - 1
                        } else {
                            single.append(ch)
                            spacesLeft -= 1
                        }
                    }
                } else if wordWidth > spacesLeft {
                    out.append(single)
                    single = wordToAdd
                    if firstLine { firstLine = false; lineWidth = following }
                    spacesLeft = lineWidth - wordWidth
                } else {
                    single += wordToAdd
                    spacesLeft -= wordWidth
                }
            }
            out.append(single)
        }
        return out
    }

    /// .NET's TrimEnd(): trailing white space removed.
    static func trimEnd(_ value: String) -> String {
        var s = Substring(value)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }

    private static func words(_ s: String) -> [(word: String, delimiter: String)] {
        var result: [(String, String)] = []
        var current = ""
        for ch in s {
            if ch == " " || ch == "\t" {
                result.append((current, String(ch)))
                current = ""
            } else {
                current.append(ch)
            }
        }
        result.append((current, ""))
        return result
    }
}

