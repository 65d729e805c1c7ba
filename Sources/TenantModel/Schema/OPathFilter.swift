import Foundation

/// The subset of Exchange's OPATH filter syntax that `-Filter` on Get-Mailbox, Get-CASMailbox
/// and Get-MobileDevice takes: `Property -eq 'value'`, `-ne`, `-like`/`-notlike` with `*`,
/// `-gt`/`-ge`/`-lt`/`-le`, `-and`, `-or`, `-not`, parentheses, and the system values
/// `$true`, `$false`, `$null`. Values may be single- or double-quoted or bare words.
/// [OPS docs-conceptual recipient-filters.md, "Additional OPATH syntax information"]
///
/// Parsing checks every property name against the object's filterable properties, so a
/// bad filter fails before any object is read, as Exchange's binder does.
public struct OPathFilter: Sendable {
    public indirect enum Node: Sendable {
        case and(Node, Node)
        case or(Node, Node)
        case not(Node)
        case compare(property: String, op: Operator, value: Literal)
    }

    public enum Operator: String, Sendable {
        case eq, ne, like, notlike, gt, ge, lt, le
    }

    public enum Literal: Sendable, Equatable {
        case text(String)
        case bool(Bool)
        case null
    }

    /// Why a filter was refused, and where (1-based character position).
    public enum Failure: Error, Equatable {
        case syntax(position: Int)
        case unknownProperty(String, position: Int)
    }

    /// The filter as written.
    public let text: String
    public let root: Node

    /// Parses `text`; `properties` are the filterable property names (matched ignoring case,
    /// stored in their canonical spelling).
    public static func parse(_ text: String, properties: [String]) throws(Failure) -> OPathFilter {
        var source = text.trimmedWhitespace
        // A script block argument (`-Filter {X -eq 'y'}`) arrives with its braces.
        if source.hasPrefix("{"), source.hasSuffix("}") { source = String(source.dropFirst().dropLast()) }
        var parser = Parser(tokens: try Lexer.tokens(source), properties: properties, end: source.count + 1)
        let root = try parser.parseExpression()
        guard parser.atEnd else { throw .syntax(position: parser.currentPosition) }
        return OPathFilter(text: text, root: root)
    }

    /// Whether the object whose properties `lookup` reads passes the filter. `lookup`
    /// returns a property's value and declared type by canonical name.
    public func matches(_ lookup: (String) -> (PropertyValue, ValueType)?) -> Bool {
        Self.evaluate(root, lookup)
    }

    private static func evaluate(_ node: Node, _ lookup: (String) -> (PropertyValue, ValueType)?) -> Bool {
        switch node {
        case .and(let a, let b): return evaluate(a, lookup) && evaluate(b, lookup)
        case .or(let a, let b): return evaluate(a, lookup) || evaluate(b, lookup)
        case .not(let a): return !evaluate(a, lookup)
        case .compare(let property, let op, let literal):
            let (value, type) = lookup(property) ?? (.null, .string)
            return compare(value, type: type, op, literal)
        }
    }

    /// One comparison. A multi-valued property matches `-eq`/`-like` when any value does,
    /// and `-ne`/`-notlike` when none does; `$null` matches blank values and empty lists.
    public static func compare(_ value: PropertyValue, type: ValueType, _ op: Operator, _ literal: Literal) -> Bool {
        let items: [PropertyValue]
        switch value {
        case .list(let list): items = list
        case .null: items = []
        case .string(let s) where s.isEmpty: items = []
        default: items = [value]
        }
        switch literal {
        case .null:
            switch op {
            case .eq: return items.isEmpty
            case .ne: return !items.isEmpty
            default: return false
            }
        case .bool(let b):
            let hit = items.contains { $0 == .bool(b) }
            switch op {
            case .eq: return hit
            case .ne: return !hit
            default: return false
            }
        case .text(let t):
            switch op {
            case .eq: return items.contains { equals($0, t, type: type) }
            case .ne: return !items.contains { equals($0, t, type: type) }
            case .like: return items.contains { wildcard(t, $0.displayText) }
            case .notlike: return !items.contains { wildcard(t, $0.displayText) }
            case .gt, .ge, .lt, .le:
                return items.contains { item in
                    guard let order = ordering(item, t, type: type) else { return false }
                    switch op {
                    case .gt: return order == .orderedDescending
                    case .ge: return order != .orderedAscending
                    case .lt: return order == .orderedAscending
                    default: return order != .orderedDescending
                    }
                }
            }
        }
    }

    /// Equality after converting the filter's text to the property's type (so `90` equals
    /// the timespan `90.00:00:00` and enum names ignore case); plain text otherwise.
    private static func equals(_ item: PropertyValue, _ text: String, type: ValueType) -> Bool {
        if let typed = try? type.elementType.normalize(.string(text)) {
            let inner: PropertyValue
            if case .list(let parts) = typed, parts.count == 1 { inner = parts[0] } else { inner = typed }
            if inner == item { return true }
        }
        return item.displayText.lowercased() == text.lowercased()
    }

    /// How `item` orders against `text`: numbers, dates, timespans and sizes by value,
    /// everything else as text ignoring case.
    private static func ordering(_ item: PropertyValue, _ text: String, type: ValueType) -> ComparisonResult? {
        let typed = try? type.elementType.normalize(.string(text))
        switch (item, typed) {
        case (.int(let a), .int(let b)?): return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        case (.date(let a), .date(let b)?): return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        case (.timeSpan(let a), .timeSpan(let b)?): return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        case (.byteSize(let a), .byteSize(let b)?):
            return a.bytes < b.bytes ? .orderedAscending : a.bytes > b.bytes ? .orderedDescending : .orderedSame
        default:
            return item.displayText.lowercased().compare(text.lowercased())
        }
    }

    /// PowerShell-style wildcard match ignoring case: `*` any run, `?` one character.
    public static func wildcard(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    // MARK: Lexer and parser

    enum Token: Equatable {
        case open, close
        case op(Operator)
        case and, or, not
        case word(String)
        case quoted(String)
        case system(Literal)
    }

    struct Lexed {
        var token: Token
        /// 1-based position of the token's first character.
        var position: Int
    }

    enum Lexer {
        static func tokens(_ source: String) throws(Failure) -> [Lexed] {
            let chars = Array(source)
            var out: [Lexed] = []
            var i = 0
            func isWordChar(_ c: Character) -> Bool {
                !c.isWhitespace && c != "(" && c != ")" && c != "'" && c != "\"" && !isQuote(c)
            }
            while i < chars.count {
                let c = chars[i]
                let start = i + 1
                if c.isWhitespace { i += 1; continue }
                if c == "(" { out.append(Lexed(token: .open, position: start)); i += 1; continue }
                if c == ")" { out.append(Lexed(token: .close, position: start)); i += 1; continue }
                if isQuote(c) {
                    let single = c == "'" || c == "\u{2018}" || c == "\u{2019}" || c == "\u{201A}" || c == "\u{201B}"
                    var text = ""
                    i += 1
                    var closed = false
                    while i < chars.count {
                        let d = chars[i]
                        if isQuote(d) && (single == (d == "'" || d == "\u{2018}" || d == "\u{2019}" || d == "\u{201A}" || d == "\u{201B}")) {
                            // A doubled quote is a literal quote.
                            if i + 1 < chars.count, chars[i + 1] == d { text.append(d); i += 2; continue }
                            closed = true
                            i += 1
                            break
                        }
                        if !single, d == "`", i + 1 < chars.count { text.append(chars[i + 1]); i += 2; continue }
                        text.append(d)
                        i += 1
                    }
                    guard closed else { throw .syntax(position: start) }
                    out.append(Lexed(token: .quoted(text), position: start))
                    continue
                }
                if c == "-" || c == "\u{2013}" || c == "\u{2014}" {
                    var j = i + 1
                    var word = ""
                    while j < chars.count, chars[j].isLetter { word.append(chars[j]); j += 1 }
                    let token: Token?
                    switch word.lowercased() {
                    case "and": token = .and
                    case "or": token = .or
                    case "not": token = .not
                    default: token = Operator(rawValue: word.lowercased()).map(Token.op)
                    }
                    if let token, j == chars.count || !isWordChar(chars[j]) {
                        out.append(Lexed(token: token, position: start))
                        i = j
                        continue
                    }
                    if word.isEmpty == false { throw .syntax(position: start) }
                }
                if c == "$" {
                    var j = i + 1
                    var word = ""
                    while j < chars.count, isWordChar(chars[j]) { word.append(chars[j]); j += 1 }
                    switch word.lowercased() {
                    case "true": out.append(Lexed(token: .system(.bool(true)), position: start))
                    case "false": out.append(Lexed(token: .system(.bool(false)), position: start))
                    case "null": out.append(Lexed(token: .system(.null), position: start))
                    default: throw .syntax(position: start)
                    }
                    i = j
                    continue
                }
                var word = ""
                while i < chars.count, isWordChar(chars[i]) { word.append(chars[i]); i += 1 }
                out.append(Lexed(token: .word(word), position: start))
            }
            return out
        }

        static func isQuote(_ c: Character) -> Bool {
            c == "'" || c == "\"" || c == "\u{2018}" || c == "\u{2019}" || c == "\u{201A}" || c == "\u{201B}"
                || c == "\u{201C}" || c == "\u{201D}" || c == "\u{201E}"
        }
    }

    struct Parser {
        let tokens: [Lexed]
        let properties: [String]
        /// The position just past the last character, where an unfinished filter is reported.
        let end: Int
        var index = 0

        init(tokens: [Lexed], properties: [String], end: Int) {
            self.tokens = tokens
            self.properties = properties
            self.end = end
        }

        var atEnd: Bool { index >= tokens.count }

        /// Where an error points: the current token, or just past the end.
        var currentPosition: Int {
            index < tokens.count ? tokens[index].position : end
        }

        mutating func parseExpression() throws(Failure) -> Node {
            var left = try parseAnd()
            while index < tokens.count, tokens[index].token == .or {
                index += 1
                left = .or(left, try parseAnd())
            }
            return left
        }

        mutating func parseAnd() throws(Failure) -> Node {
            var left = try parseUnary()
            while index < tokens.count, tokens[index].token == .and {
                index += 1
                left = .and(left, try parseUnary())
            }
            return left
        }

        mutating func parseUnary() throws(Failure) -> Node {
            guard index < tokens.count else { throw .syntax(position: currentPosition) }
            switch tokens[index].token {
            case .not:
                index += 1
                return .not(try parseUnary())
            case .open:
                index += 1
                let inner = try parseExpression()
                guard index < tokens.count, tokens[index].token == .close else { throw .syntax(position: currentPosition) }
                index += 1
                return inner
            case .word(let name):
                let position = tokens[index].position
                guard let canonical = properties.first(where: { $0.lowercased() == name.lowercased() }) else {
                    throw .unknownProperty(name, position: position)
                }
                index += 1
                guard index < tokens.count, case .op(let op) = tokens[index].token else { throw .syntax(position: currentPosition) }
                index += 1
                guard index < tokens.count else { throw .syntax(position: currentPosition) }
                let literal: Literal
                switch tokens[index].token {
                case .quoted(let t), .word(let t): literal = .text(t)
                case .system(let s): literal = s
                default: throw .syntax(position: currentPosition)
                }
                index += 1
                return .compare(property: canonical, op: op, value: literal)
            default:
                throw .syntax(position: currentPosition)
            }
        }
    }
}

extension OPathFilter {
    /// Whether a schema object passes the filter.
    public func matches<T>(_ object: T, schema: ObjectSchema<T>) -> Bool {
        matches { name in schema.property(named: name).map { ($0.get(object), $0.valueType) } }
    }
}
