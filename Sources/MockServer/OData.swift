import AuditLog
import Foundation
import TenantModel

/// A scalar an OData expression compares: what a property of a row holds, or a literal.
enum ODataScalar: Sendable, Equatable {
    case null
    case string(String)
    case bool(Bool)
    case int(Int)
    case date(Date)

    /// The EDM type name ODataLib uses in its messages.
    var edmName: String {
        switch self {
        case .null: return "null"
        case .string: return "Edm.String"
        case .bool: return "Edm.Boolean"
        case .int: return "Edm.Int32"
        case .date: return "Edm.DateTimeOffset"
        }
    }
}

/// The EDM type of a filterable property.
enum ODataKind: Sendable {
    case string, bool, int, date, guid

    var edmName: String {
        switch self {
        case .string: return "Edm.String"
        case .bool: return "Edm.Boolean"
        case .int: return "Edm.Int32"
        case .date: return "Edm.DateTimeOffset"
        case .guid: return "Edm.Guid"
        }
    }
}

/// Comparison and function operators of `$filter`.
enum ODataOperator: String, Sendable, CaseIterable {
    case eq, ne, gt, ge, lt, le, `in`, startsWith, endsWith

    /// ODataLib's BinaryOperatorKind name (in type-mismatch messages).
    var kindName: String {
        switch self {
        case .eq: return "Equal"
        case .ne: return "NotEqual"
        case .gt: return "GreaterThan"
        case .ge: return "GreaterThanOrEqual"
        case .lt: return "LessThan"
        case .le: return "LessThanOrEqual"
        case .in: return "In"
        case .startsWith: return "startswith"
        case .endsWith: return "endswith"
        }
    }
}

/// One property of a resource as OData sees it: how `$filter` may use it (the operators
/// the resource page lists as "Supports $filter"), whether `$orderby` may, and how to read
/// it from a row.
struct ODataField<Row>: Sendable {
    let name: String
    let kind: ODataKind
    /// Operators allowed in a plain query.
    let operators: Set<ODataOperator>
    /// Operators allowed only as an advanced query (`ConsistencyLevel: eventual` and `$count=true`).
    let advanced: Set<ODataOperator>
    let sortable: Bool
    let get: @Sendable (Row) -> ODataScalar

    init(_ name: String, _ kind: ODataKind, _ operators: Set<ODataOperator>, advanced: Set<ODataOperator> = [], sortable: Bool = false,
         _ get: @escaping @Sendable (Row) -> ODataScalar) {
        self.name = name
        self.kind = kind
        self.operators = operators
        self.advanced = advanced
        self.sortable = sortable
        self.get = get
    }
}

/// What a collection route supports: its OData type, the properties `$select` knows, the
/// filterable/sortable fields, the page sizes, and whether it is a directory object (whose
/// `$count` needs `ConsistencyLevel: eventual`).
struct ODataResource<Row>: Sendable {
    /// `microsoft.graph.user`.
    let typeName: String
    /// The resource name Entra's query errors use (`User`).
    let resourceName: String
    /// Every property `$select` accepts (as Graph spells them).
    let properties: [String]
    let fields: [ODataField<Row>]
    let defaultPageSize: Int
    let maxPageSize: Int
    let isDirectoryObject: Bool
    /// The `$orderby` the service applies when none is given (nil: storage order).
    let defaultOrder: (field: String, descending: Bool)?

    init(typeName: String, resourceName: String, properties: [String], fields: [ODataField<Row>], defaultPageSize: Int,
         maxPageSize: Int, isDirectoryObject: Bool = false, defaultOrder: (field: String, descending: Bool)? = nil) {
        self.typeName = typeName
        self.resourceName = resourceName
        self.properties = properties
        self.fields = fields
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.isDirectoryObject = isDirectoryObject
        self.defaultOrder = defaultOrder
    }

    func field(_ name: String) -> ODataField<Row>? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    func property(_ name: String) -> String? {
        properties.first { $0.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// A parsed `$filter` expression.
indirect enum ODataFilter: Sendable, Equatable {
    case compare(property: String, op: ODataOperator, value: ODataScalar)
    case membership(property: String, values: [ODataScalar])
    case function(ODataOperator, property: String, value: ODataScalar)
    case and(ODataFilter, ODataFilter)
    case or(ODataFilter, ODataFilter)
    case not(ODataFilter)
}

/// The system query options of one request, parsed and checked against a resource.
struct ODataQuery: Sendable {
    var select: [String]?
    var top: Int?
    var skip: Int = 0
    var filter: ODataFilter?
    var filterText: String?
    var orderBy: [(field: String, descending: Bool)] = []
    var count = false
    var advanced = false

    /// The options Graph understands; anything else starting with `$` is refused.
    static let known: Set<String> = ["$select", "$top", "$skiptoken", "$filter", "$orderby", "$count", "$expand", "$search", "$skip", "$format"]

    /// Parses and validates the options against `resource`. Errors are Graph's 400s, naming
    /// the option and the property or position at fault.
    static func parse<Row>(_ request: SimRequest, for resource: ODataResource<Row>) throws(APIError) -> ODataQuery {
        var q = ODataQuery()
        q.advanced = request.header("consistencylevel")?.lowercased() == "eventual"
        // System query options by lowercased name, first occurrence kept (one pass, no per-option scans).
        var options: [String: String] = [:]
        for (name, value) in request.query where name.hasPrefix("$") {
            let key = name.lowercased()
            if options[key] == nil { options[key] = value }
        }
        for (name, _) in request.query where name.hasPrefix("$") && !known.contains(name.lowercased()) {
            // ODataLib's wording for an unknown system query option.
            throw APIError(status: 400, code: "BadRequest",
                           message: "The query specified in the URI is not valid. The query parameter '\(name)' is not supported.")
        }
        for unsupported in ["$expand", "$search", "$skip"] where options[unsupported] != nil {
            throw APIError(status: 400, code: "Request_UnsupportedQuery",
                           message: "The query option '\(unsupported)' is not supported on \(resource.resourceName) by this simulator.")
        }
        if let c = options["$count"] {
            switch c.lowercased() {
            case "true": q.count = true
            case "false": q.count = false
            default:
                throw APIError(status: 400, code: "BadRequest",
                               message: "The query specified in the URI is not valid. '\(c)' is not a valid count option.")
            }
            // Directory objects answer $count only as an advanced query. [microsoftgraph/microsoft-graph-docs#15067]
            if q.count, resource.isDirectoryObject, !q.advanced {
                throw APIError(status: 400, code: "Request_BadRequest", message: "$count is not currently supported.")
            }
        }
        if let s = options["$select"] {
            var names: [String] = []
            for part in s.split(separator: ",", omittingEmptySubsequences: false) {
                let name = part.trimmingCharacters(in: .whitespaces)
                if name == "*" { names = resource.properties; continue }
                guard let known = resource.property(name) else {
                    throw APIError(status: 400, code: "BadRequest",
                                   message: "Could not find a property named '\(name)' on type '\(resource.typeName)'.")
                }
                if !names.contains(known) { names.append(known) }
            }
            q.select = names
        }
        if let t = options["$top"] {
            guard let n = Int(t), n >= 0 else {
                throw APIError(status: 400, code: "BadRequest",
                               message: "Invalid value '\(t)' for $top query option found. The $top query option requires a non-negative integer value.")
            }
            guard n >= 1, n <= resource.maxPageSize else {
                throw APIError(status: 400, code: "Request_BadRequest",
                               message: "Invalid page size specified: '\(n)'. Must be between 1 and \(resource.maxPageSize) inclusive.")
            }
            q.top = n
        }
        if let token = options["$skiptoken"] {
            guard let offset = SkipToken.decode(token) else {
                throw APIError(status: 400, code: "Request_BadRequest",
                               message: "The $skiptoken '\(token)' is not valid. Use the @odata.nextLink the previous page returned.")
            }
            q.skip = offset
        }
        if let f = options["$filter"] {
            guard !f.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError(status: 400, code: "BadRequest", message: "Invalid filter clause: the $filter expression is empty.")
            }
            var parser = FilterParser(text: f)
            let expression = try parser.parse()
            try check(expression, resource: resource, advanced: q.advanced && q.count)
            q.filter = expression
            q.filterText = f
        }
        if let o = options["$orderby"] {
            for part in o.split(separator: ",") {
                let words = part.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                guard let name = words.first, words.count <= 2 else {
                    throw APIError(status: 400, code: "BadRequest", message: "Syntax error in $orderby: '\(o)'.")
                }
                var descending = false
                if words.count == 2 {
                    switch words[1].lowercased() {
                    case "asc": descending = false
                    case "desc": descending = true
                    default: throw APIError(status: 400, code: "BadRequest", message: "Syntax error in $orderby: '\(o)'; expected asc or desc after '\(name)'.")
                    }
                }
                guard let field = resource.field(name) else {
                    if resource.property(name) == nil {
                        throw APIError(status: 400, code: "BadRequest",
                                       message: "Could not find a property named '\(name)' on type '\(resource.typeName)'.")
                    }
                    throw APIError(status: 400, code: "Request_UnsupportedQuery",
                                   message: "Sorting is not supported on property '\(name)' of resource '\(resource.resourceName)'.")
                }
                guard field.sortable else {
                    throw APIError(status: 400, code: "Request_UnsupportedQuery",
                                   message: "Sorting is not supported on property '\(field.name)' of resource '\(resource.resourceName)'.")
                }
                q.orderBy.append((field.name, descending))
            }
            // Directory objects sort a filtered result only as an advanced query. INFERRED wording.
            if resource.isDirectoryObject, q.filter != nil, !(q.advanced && q.count) {
                throw APIError(status: 400, code: "Request_UnsupportedQuery", message: "Sorting not supported for current query.")
            }
        }
        return q
    }

    /// Checks that each property exists, is filterable with that operator, and that the
    /// literal's type fits the property.
    static func check<Row>(_ f: ODataFilter, resource: ODataResource<Row>, advanced: Bool) throws(APIError) {
        func field(_ name: String, _ op: ODataOperator) throws(APIError) -> ODataField<Row> {
            guard let field = resource.field(name) else {
                if resource.property(name) == nil {
                    throw APIError(status: 400, code: "BadRequest",
                                   message: "Could not find a property named '\(name)' on type '\(resource.typeName)'.")
                }
                throw unsupported(name)
            }
            // The real service answers a filter it can't serve with Request_UnsupportedQuery
            // naming the property. [microsoftgraph/microsoft-graph-docs#13583]
            guard field.operators.contains(op) || (advanced && field.advanced.contains(op)) else { throw unsupported(field.name) }
            return field
        }
        func unsupported(_ name: String) -> APIError {
            APIError(status: 400, code: "Request_UnsupportedQuery",
                     message: "Unsupported or invalid query filter clause specified for property '\(name)' of resource '\(resource.resourceName)'.")
        }
        func fits(_ field: ODataField<Row>, _ value: ODataScalar, _ op: ODataOperator) throws(APIError) {
            let ok: Bool
            switch (field.kind, value) {
            case (_, .null): ok = op == .eq || op == .ne
            case (.string, .string), (.guid, .string), (.bool, .bool), (.int, .int), (.date, .date): ok = true
            default: ok = false
            }
            guard ok else {
                throw APIError(status: 400, code: "BadRequest",
                               message: "A binary operator with incompatible types was detected. Found operand types '\(field.kind.edmName)' and '\(value.edmName)' for operator kind '\(op.kindName)'.")
            }
        }
        switch f {
        case .compare(let p, let op, let v):
            let fd = try field(p, op)
            try fits(fd, v, op)
        case .membership(let p, let values):
            let fd = try field(p, .in)
            for v in values { try fits(fd, v, .in) }
        case .function(let op, let p, let v):
            let fd = try field(p, op)
            guard fd.kind == .string, case .string = v else {
                throw APIError(status: 400, code: "BadRequest",
                               message: "No function signature for the function with name '\(op.kindName)' matches the specified arguments. The function signatures considered are: \(op.kindName)(Edm.String Nullable=true, Edm.String Nullable=true).")
            }
        case .and(let a, let b), .or(let a, let b):
            try check(a, resource: resource, advanced: advanced)
            try check(b, resource: resource, advanced: advanced)
        case .not(let a):
            // Directory objects negate only in advanced queries. [Graph aad-advanced-queries]
            if resource.isDirectoryObject, !advanced { throw unsupported(firstProperty(a)) }
            try check(a, resource: resource, advanced: advanced)
        }
    }

    static func firstProperty(_ f: ODataFilter) -> String {
        switch f {
        case .compare(let p, _, _), .membership(let p, _), .function(_, let p, _): return p
        case .and(let a, _), .or(let a, _), .not(let a): return firstProperty(a)
        }
    }

    /// Whether `row` satisfies `filter`. Strings compare ignoring case, as the directory does.
    static func matches<Row>(_ row: Row, _ filter: ODataFilter, _ resource: ODataResource<Row>) -> Bool {
        switch filter {
        case .and(let a, let b): return matches(row, a, resource) && matches(row, b, resource)
        case .or(let a, let b): return matches(row, a, resource) || matches(row, b, resource)
        case .not(let a): return !matches(row, a, resource)
        case .membership(let p, let values):
            guard let field = resource.field(p) else { return false }
            let v = field.get(row)
            return values.contains { compare(v, $0) == 0 }
        case .function(let op, let p, let literal):
            guard let field = resource.field(p), case .string(let s) = field.get(row), case .string(let prefix) = literal else { return false }
            let options: String.CompareOptions = op == .startsWith ? [.caseInsensitive, .anchored] : [.caseInsensitive, .anchored, .backwards]
            return s.range(of: prefix, options: options) != nil
        case .compare(let p, let op, let literal):
            guard let field = resource.field(p) else { return false }
            let v = field.get(row)
            if case .null = literal {
                let isNull = v == .null
                return op == .eq ? isNull : !isNull
            }
            guard let c = compare(v, literal) else { return op == .ne }
            switch op {
            case .eq: return c == 0
            case .ne: return c != 0
            case .gt: return c > 0
            case .ge: return c >= 0
            case .lt: return c < 0
            case .le: return c <= 0
            default: return false
            }
        }
    }

    /// -1, 0, 1; nil when either side is null or the types differ.
    static func compare(_ a: ODataScalar, _ b: ODataScalar) -> Int? {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            switch x.caseInsensitiveCompare(y) {
            case .orderedAscending: return -1
            case .orderedSame: return 0
            case .orderedDescending: return 1
            }
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.date(let x), .date(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        default: return nil
        }
    }
}

/// `$skiptoken`: the offset of the next page, opaque to clients (a fixed prefix, the offset
/// in base 36, and a check letter so edited tokens are refused).
enum SkipToken {
    static let prefix = "RFNwdAoAAQ"
    static let letters = Array("abcdefghijklmnopqrstuvwxyz")

    static func check(_ offset: Int) -> Character { letters[(offset &* 7 &+ 3) % letters.count] }

    static func encode(_ offset: Int) -> String {
        prefix + String(offset, radix: 36).uppercased() + String(check(offset))
    }

    static func decode(_ token: String) -> Int? {
        guard token.hasPrefix(prefix), token.count > prefix.count + 1, let last = token.last else { return nil }
        let digits = token.dropFirst(prefix.count).dropLast()
        guard let n = Int(digits, radix: 36), n >= 0, digits == Substring(String(n, radix: 36).uppercased()), check(n) == last else { return nil }
        return n
    }
}

/// A recursive-descent parser of the `$filter` subset Graph's directory and reporting
/// endpoints accept: comparisons, `in`, `startswith`/`endswith`, `and`, `or`, `not`, parentheses.
/// Syntax errors name the position as ODataLib does ("Syntax error at position N in '...'").
struct FilterParser {
    let text: String
    private let chars: [Character]
    private var pos = 0
    /// Nesting of parentheses and `not`, bounded so a hostile filter can't exhaust the stack.
    private var depth = 0
    static let maxDepth = 64

    init(text: String) {
        self.text = text
        chars = Array(text)
    }

    mutating func parse() throws(APIError) -> ODataFilter {
        let e = try parseOr()
        skipSpaces()
        guard pos == chars.count else { throw syntax() }
        return e
    }

    private func syntax(_ at: Int? = nil) -> APIError {
        APIError(status: 400, code: "BadRequest", message: "Invalid filter clause: Syntax error at position \(at ?? pos) in '\(text)'.")
    }

    private mutating func skipSpaces() {
        while pos < chars.count, chars[pos] == " " { pos += 1 }
    }

    /// The next bare word (letters, digits, `/`, `.`, `_`, `-`, `:`), without consuming it.
    private func peekWord() -> String {
        var i = pos
        while i < chars.count, chars[i] == " " { i += 1 }
        var w = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || "/._-:+".contains(chars[i]) {
            w.append(chars[i])
            i += 1
        }
        return w
    }

    private mutating func keyword(_ k: String) -> Bool {
        let w = peekWord()
        guard w.lowercased() == k else { return false }
        skipSpaces()
        pos += w.count
        return true
    }

    private mutating func parseOr() throws(APIError) -> ODataFilter {
        var left = try parseAnd()
        while keyword("or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(APIError) -> ODataFilter {
        var left = try parseUnary()
        while keyword("and") { left = .and(left, try parseUnary()) }
        return left
    }

    private mutating func parseUnary() throws(APIError) -> ODataFilter {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw APIError(status: 400, code: "BadRequest",
                           message: "Invalid filter clause: the expression is nested more than \(Self.maxDepth) levels deep at position \(pos).")
        }
        skipSpaces()
        if keyword("not") { return .not(try parseUnary()) }
        skipSpaces()
        if pos < chars.count, chars[pos] == "(" {
            pos += 1
            let inner = try parseOr()
            skipSpaces()
            guard pos < chars.count, chars[pos] == ")" else { throw syntax() }
            pos += 1
            return inner
        }
        let start = pos
        let word = identifier()
        guard !word.isEmpty else { throw syntax() }
        skipSpaces()
        if pos < chars.count, chars[pos] == "(" {
            let op: ODataOperator
            switch word.lowercased() {
            case "startswith": op = .startsWith
            case "endswith": op = .endsWith
            default:
                throw APIError(status: 400, code: "BadRequest",
                               message: "Invalid filter clause: An unknown function with name '\(word)' was found at position \(start) in '\(text)'.")
            }
            pos += 1
            skipSpaces()
            let property = identifier()
            guard !property.isEmpty else { throw syntax() }
            skipSpaces()
            guard pos < chars.count, chars[pos] == "," else { throw syntax() }
            pos += 1
            let value = try literal()
            skipSpaces()
            guard pos < chars.count, chars[pos] == ")" else { throw syntax() }
            pos += 1
            return .function(op, property: property, value: value)
        }
        let opWord = peekWord().lowercased()
        if opWord == "in" {
            _ = keyword("in")
            skipSpaces()
            guard pos < chars.count, chars[pos] == "(" else { throw syntax() }
            pos += 1
            var values: [ODataScalar] = []
            repeat {
                values.append(try literal())
                skipSpaces()
                if pos < chars.count, chars[pos] == "," { pos += 1; continue }
                break
            } while true
            guard pos < chars.count, chars[pos] == ")" else { throw syntax() }
            pos += 1
            return .membership(property: word, values: values)
        }
        guard let op = ODataOperator(rawValue: opWord), [.eq, .ne, .gt, .ge, .lt, .le].contains(op) else { throw syntax() }
        _ = keyword(opWord)
        let value = try literal()
        return .compare(property: word, op: op, value: value)
    }

    private mutating func identifier() -> String {
        skipSpaces()
        var w = ""
        while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "/" || chars[pos] == "_" {
            w.append(chars[pos])
            pos += 1
        }
        return w
    }

    private mutating func literal() throws(APIError) -> ODataScalar {
        skipSpaces()
        guard pos < chars.count else { throw syntax() }
        if chars[pos] == "'" {
            pos += 1
            var s = ""
            while true {
                guard pos < chars.count else {
                    throw APIError(status: 400, code: "BadRequest",
                                   message: "Invalid filter clause: There is an unterminated string literal at position \(pos) in '\(text)'.")
                }
                if chars[pos] == "'" {
                    if pos + 1 < chars.count, chars[pos + 1] == "'" { s.append("'"); pos += 2; continue }
                    pos += 1
                    break
                }
                s.append(chars[pos])
                pos += 1
            }
            return .string(s)
        }
        let start = pos
        let word = peekWord()
        guard !word.isEmpty else { throw syntax() }
        pos += word.count
        switch word.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if let n = Int(word) { return .int(n) }
        if word.count >= 10, word.contains("-"), let d = ISO8601.parse(word) { return .date(d) }
        if UUID(uuidString: word) != nil { return .string(word.lowercased()) }
        throw syntax(start)
    }
}

/// Builds collection responses: filter, order, page, then JSON for the page only.
enum ODataCollection {
    /// Graph's content type for OData JSON.
    static let contentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

    /// One object of a collection: `{"@odata.context": "<collection>/$entity", ...}`, with `$select` applied.
    static func entity(_ object: JSONObject, select: [String]?, context: String) -> JSONValue {
        var o: JSONObject = ["@odata.context": .string(context + "/$entity")]
        for (k, val) in project(object, select).pairs { o.append(k, val) }
        return .object(o)
    }

    /// One page of `rows` as `{"@odata.context", "@odata.count"?, "@odata.nextLink"?, "value"}`.
    /// `rows` is only filtered or sorted when the query asks; otherwise the page is a slice.
    static func page<Row>(_ rows: [Row], query: ODataQuery, resource: ODataResource<Row>, context: String, nextLinkBase: String,
                          request: SimRequest, render: (Row, [String]?) -> JSONObject) -> JSONValue {
        var selected = rows
        if let filter = query.filter { selected = selected.filter { ODataQuery.matches($0, filter, resource) } }
        let order = query.orderBy.isEmpty ? resource.defaultOrder.map { [$0] } ?? [] : query.orderBy
        if !order.isEmpty {
            let keys = order.compactMap { o in resource.field(o.field).map { (field: $0, descending: o.descending) } }
            selected = selected.enumerated().sorted { a, b in
                for k in keys {
                    let x = k.field.get(a.element), y = k.field.get(b.element)
                    let c = ODataQuery.compare(x, y) ?? (x == .null ? (y == .null ? 0 : -1) : 1)
                    if c != 0 { return k.descending ? c > 0 : c < 0 }
                }
                return a.offset < b.offset
            }.map(\.element)
        }
        let size = query.top ?? resource.defaultPageSize
        let start = min(query.skip, selected.count)
        let end = min(start + size, selected.count)
        var body = JSONObject()
        var contextURL = context
        if let select = query.select { contextURL += "(" + select.joined(separator: ",") + ")" }
        body["@odata.context"] = .string(contextURL)
        if query.count { body["@odata.count"] = .int(selected.count) }
        if end < selected.count { body["@odata.nextLink"] = .string(nextLink(nextLinkBase, request: request, offset: end)) }
        var values: [JSONValue] = []
        values.reserveCapacity(end - start)
        for i in start..<end { values.append(.object(render(selected[i], query.select))) }
        body["value"] = .array(values)
        return .object(body)
    }

    /// The request again with `$skiptoken` moved to `offset` (and `$top` kept).
    static func nextLink(_ base: String, request: SimRequest, offset: Int) -> String {
        var parts = request.query.filter { $0.name.lowercased() != "$skiptoken" }
            .map { "\(encode($0.name))=\(encode($0.value))" }
        parts.append("$skiptoken=\(SkipToken.encode(offset))")
        return base + request.path + "?" + parts.joined(separator: "&")
    }

    /// Percent-encodes a query name or value; text made only of characters a query may
    /// carry as they are (the usual `$top`, `10`, `id,displayName`) is returned without work.
    static func encode(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x24 || b == 0x2C || b == 0x2D
                || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x27 || b == 0x28 || b == 0x29 || b == 0x2F || b == 0x3A || b == 0x40
        }
        return plain ? text : SimRequest.encode(text)
    }

    /// `$select` applied to a full object: the named properties in the object's order, and
    /// the `@odata.type` annotation kept.
    static func project(_ full: JSONObject, _ select: [String]?) -> JSONObject {
        guard let select else { return full }
        var out = JSONObject()
        for (k, v) in full.pairs where k.hasPrefix("@odata") || select.contains(where: { $0.caseInsensitiveCompare(k) == .orderedSame }) {
            out[k] = v
        }
        return out
    }
}

/// Reads a property from a JSON row by a Graph path (`status/errorCode`).
enum JSONPath {
    static func scalar(_ row: JSONObject, _ path: String) -> ODataScalar {
        var current: JSONValue? = .object(row)
        for part in path.split(separator: "/") { current = current?.objectValue?[String(part)] }
        switch current {
        case .string(let s)?: return .string(s)
        case .bool(let b)?: return .bool(b)
        case .int(let i)?: return .int(i)
        case .double(let d)?: return .int(Int(d))
        default: return .null
        }
    }

    /// A date property stored as ISO text.
    static func date(_ row: JSONObject, _ path: String) -> ODataScalar {
        if case .string(let s) = scalar(row, path), let d = ISO8601.parse(s) { return .date(d) }
        return .null
    }
}
