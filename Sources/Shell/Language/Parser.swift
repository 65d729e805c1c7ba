import Foundation

/// Parses the shell language (the PowerShell subset of SPEC §4) into statements with exact
/// source positions. It reads characters directly because PowerShell's tokens depend on
/// the mode: in a command's arguments `00:15`, `255.255.255.0/24` and `Microsoft.Exchange`
/// are bare words, while in an expression `-eq` is an operator and `5` a number.
///
/// Typographic quotes (“ ” „ ‘ ’ ‚ ‛) count as quotes and en/em dashes as dashes, as in
/// PowerShell, because admins paste commands from documents.
public struct Parser {
    let chars: [Character]
    let text: String
    var pos = 0
    /// Offsets where each line starts, for line/column.
    let lineStarts: [Int]

    public init(_ text: String) {
        self.text = text
        self.chars = Array(text)
        var starts = [0]
        for (i, c) in chars.enumerated() where c == "\n" || c == "\r\n" { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// Parses a whole script.
    public static func parse(_ text: String) throws(ShellError) -> [Statement] {
        var p = Parser(text)
        let statements = try p.statementList(terminator: nil)
        p.skipTrivia(newlines: true)
        if p.pos < p.chars.count {
            throw p.unexpected()
        }
        return statements
    }

    // MARK: Characters

    static func isDash(_ c: Character) -> Bool { c == "-" || c == "\u{2013}" || c == "\u{2014}" || c == "\u{2015}" }
    static func isDoubleQuote(_ c: Character) -> Bool { c == "\"" || c == "\u{201C}" || c == "\u{201D}" || c == "\u{201E}" }
    static func isSingleQuote(_ c: Character) -> Bool { c == "'" || c == "\u{2018}" || c == "\u{2019}" || c == "\u{201A}" || c == "\u{201B}" }
    static func isNewline(_ c: Character) -> Bool { c == "\n" || c == "\r\n" || c == "\r" }
    static func isIdentifierChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    var current: Character? { pos < chars.count ? chars[pos] : nil }
    func peek(_ offset: Int = 1) -> Character? { pos + offset < chars.count ? chars[pos + offset] : nil }
    var atEnd: Bool { pos >= chars.count }

    func span(from start: Int) -> SourceSpan {
        let (line, column) = location(start)
        return SourceSpan(start: start, end: pos, line: line, column: column)
    }

    func location(_ offset: Int) -> (Int, Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// Skips spaces, tabs, comments and backtick line continuations; newlines too when asked.
    mutating func skipTrivia(newlines: Bool) {
        while let c = current {
            if c == " " || c == "\t" || c == "\u{00A0}" || c == "\u{FEFF}" {
                pos += 1
            } else if c == "`", let n = peek(), Parser.isNewline(n) {
                pos += 2
            } else if c == "#" {
                while let c = current, !Parser.isNewline(c) { pos += 1 }
            } else if c == "<", peek() == "#" {
                pos += 2
                while !atEnd, !(current == "#" && peek() == ">") { pos += 1 }
                pos = min(chars.count, pos + 2)
            } else if newlines, Parser.isNewline(c) {
                pos += 1
            } else {
                break
            }
        }
    }

    // MARK: Errors

    func error(_ message: String, id: String, at start: Int? = nil) -> ShellError {
        let s = start ?? pos
        let (line, column) = location(s)
        return ShellError(message: message, category: .ParserError, reason: "ParseException", errorId: id,
                          activity: "", span: SourceSpan(start: s, end: min(chars.count, s + 1), line: line, column: column))
    }

    func unexpected() -> ShellError {
        var end = pos
        while end < chars.count, !chars[end].isWhitespace { end += 1 }
        let token = String(chars[pos..<max(end, min(chars.count, pos + 1))])
        return error("Unexpected token '\(token)' in expression or statement.", id: "UnexpectedToken")
    }

    // MARK: Statements

    /// Statements separated by `;` or newlines, up to `terminator` (`}` or `)`) or the end.
    mutating func statementList(terminator: Character?) throws(ShellError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            skipTrivia(newlines: true)
            while current == ";" { pos += 1; skipTrivia(newlines: true) }
            guard let c = current else { break }
            if let terminator, c == terminator { break }
            if c == "}" || c == ")" {
                if terminator == nil { throw unexpected() }
                break
            }
            statements.append(try statement())
            skipTrivia(newlines: false)
            if let c = current, c != ";", !Parser.isNewline(c), c != terminator, c != "}", c != ")" {
                throw unexpected()
            }
        }
        return statements
    }

    mutating func keyword(_ word: String) -> Bool {
        let w = Array(word)
        guard pos + w.count <= chars.count else { return false }
        for (i, ch) in w.enumerated() where chars[pos + i].lowercased() != String(ch) { return false }
        if pos + w.count < chars.count, Parser.isIdentifierChar(chars[pos + w.count]) || Parser.isDash(chars[pos + w.count]) {
            return false
        }
        return true
    }

    mutating func statement() throws(ShellError) -> Statement {
        let start = pos
        if keyword("if") { pos += 2; return try ifStatement(start: start) }
        if keyword("foreach") {
            let save = pos
            pos += 7
            skipTrivia(newlines: false)
            if current == "(" { return try foreachStatement(start: start) }
            pos = save
        }
        if current == "$" || current == "[" {
            let save = pos
            if let target = try? postfixExpression(argumentMode: false) {
                skipTrivia(newlines: false)
                var op: AssignmentOperator?
                if current == "=", peek() != "=" { op = .assign; pos += 1 }
                else if current == "+", peek() == "=" { op = .add; pos += 2 }
                else if let c = current, Parser.isDash(c), peek() == "=" { op = .subtract; pos += 2 }
                if let op {
                    skipTrivia(newlines: true)
                    let value = try statement()
                    return .assignment(target: target, op: op, value: value, span: span(from: start))
                }
            }
            pos = save
        }
        return .pipeline(try pipeline())
    }

    mutating func block() throws(ShellError) -> [Statement] {
        skipTrivia(newlines: true)
        guard current == "{" else { throw error("Missing statement block.", id: "MissingStatementBlock") }
        let open = pos
        pos += 1
        let body = try statementList(terminator: "}")
        guard current == "}" else {
            throw error("Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: open)
        }
        pos += 1
        return body
    }

    mutating func parenthesisedPipeline(_ construct: String) throws(ShellError) -> Pipeline {
        skipTrivia(newlines: false)
        guard current == "(" else {
            throw error("Missing '(' after '\(construct)' in \(construct) statement.", id: "MissingOpenParenthesisIn\(construct.capitalized)Statement")
        }
        let open = pos
        pos += 1
        skipTrivia(newlines: true)
        let p = try pipeline()
        skipTrivia(newlines: true)
        guard current == ")" else { throw error("Missing closing ')' after expression in '\(construct)' statement.", id: "MissingEndParenthesisAfterStatement", at: open) }
        pos += 1
        return p
    }

    mutating func ifStatement(start: Int) throws(ShellError) -> Statement {
        var clauses: [(Pipeline, [Statement])] = []
        clauses.append((try parenthesisedPipeline("if"), try block()))
        var elseBody: [Statement]?
        while true {
            let save = pos
            skipTrivia(newlines: true)
            if keyword("elseif") {
                pos += 6
                clauses.append((try parenthesisedPipeline("elseif"), try block()))
            } else if keyword("else") {
                pos += 4
                elseBody = try block()
                break
            } else {
                pos = save
                break
            }
        }
        return .ifStatement(clauses: clauses.map { (condition: $0.0, body: $0.1) }, elseBody: elseBody, span: span(from: start))
    }

    mutating func foreachStatement(start: Int) throws(ShellError) -> Statement {
        skipTrivia(newlines: false)
        let open = pos
        pos += 1 // (
        skipTrivia(newlines: true)
        guard current == "$" else { throw error("Missing variable name after foreach.", id: "MissingVariableNameAfterForeach") }
        pos += 1
        let name = identifier()
        skipTrivia(newlines: true)
        guard keyword("in") else { throw error("Missing 'in' after variable in foreach loop.", id: "MissingInInForeach") }
        pos += 2
        skipTrivia(newlines: true)
        let collection = try pipeline()
        skipTrivia(newlines: true)
        guard current == ")" else { throw error("Missing closing ')' after expression in 'foreach' statement.", id: "MissingEndParenthesisAfterForeach", at: open) }
        pos += 1
        return .foreachStatement(variable: name, collection: collection, body: try block(), span: span(from: start))
    }

    mutating func identifier() -> String {
        let start = pos
        while let c = current, Parser.isIdentifierChar(c) { pos += 1 }
        return String(chars[start..<pos])
    }

    // MARK: Pipelines and commands

    mutating func pipeline() throws(ShellError) -> Pipeline {
        let start = pos
        var elements: [PipelineElement] = [try pipelineElement(first: true)]
        while true {
            skipTrivia(newlines: false)
            guard current == "|", peek() != "|" else { break }
            pos += 1
            skipTrivia(newlines: true)
            guard !atEnd else { throw error("An empty pipe element is not allowed.", id: "EmptyPipeElement") }
            if current == "}" || current == ")" || current == ";" {
                throw error("An empty pipe element is not allowed.", id: "EmptyPipeElement")
            }
            elements.append(try pipelineElement(first: false))
        }
        return Pipeline(elements: elements, span: span(from: start))
    }

    /// Whether the text here starts a command (a name) rather than an expression.
    func startsCommand() -> Bool {
        guard let c = current else { return false }
        if c == "&" { return true }
        if c.isLetter || c == "_" { return true }
        if c == "?" || c == "%" { return peek().map { $0 == " " || $0 == "\t" || $0 == "{" } ?? true }
        return false
    }

    mutating func pipelineElement(first: Bool) throws(ShellError) -> PipelineElement {
        skipTrivia(newlines: false)
        if startsCommand() { return .command(try command()) }
        if !first {
            // PowerShell allows only commands after the first element.
            throw error("Expressions are only allowed as the first element of a pipeline.", id: "ExpressionsMustBeFirstInPipeline")
        }
        return .expression(try expression())
    }

    mutating func command() throws(ShellError) -> CommandCall {
        let start = pos
        if current == "&" { pos += 1; skipTrivia(newlines: false) }
        let nameStart = pos
        while let c = current, !c.isWhitespace, !"|;(){},".contains(c) || (c == "," && false) { pos += 1 }
        let name = String(chars[nameStart..<pos])
        let nameSpan = span(from: nameStart)
        var arguments: [CommandArgument] = []
        while true {
            skipTrivia(newlines: false)
            guard let c = current, !Parser.isNewline(c), c != "|", c != ";", c != ")", c != "}" else { break }
            if Parser.isDash(c), let n = peek(), n.isLetter || n == "_" {
                arguments.append(try parameterArgument())
            } else if Parser.isDash(c), peek() == "-", peek(2).map({ $0.isWhitespace }) ?? true {
                pos += 2 // `--` ends parameters; rare: treat as nothing
            } else {
                arguments.append(.positional(try argumentValue()))
            }
        }
        return CommandCall(name: name, nameSpan: nameSpan, arguments: arguments, span: span(from: start))
    }

    mutating func parameterArgument() throws(ShellError) -> CommandArgument {
        let start = pos
        pos += 1
        let nameStart = pos
        while let c = current, Parser.isIdentifierChar(c) || Parser.isDash(c) && false { pos += 1 }
        let name = String(chars[nameStart..<pos])
        if current == ":" {
            pos += 1
            skipTrivia(newlines: false)
            let value = try argumentValue()
            return .parameter(name: name, value: value, span: span(from: start))
        }
        return .parameter(name: name, value: nil, span: span(from: start))
    }

    /// An argument value, with `,` making a list (`A,B,C`).
    mutating func argumentValue() throws(ShellError) -> Expression {
        let start = pos
        var items = [try argumentPrimary()]
        while true {
            let save = pos
            skipTrivia(newlines: false)
            guard current == "," else { pos = save; break }
            pos += 1
            skipTrivia(newlines: true)
            items.append(try argumentPrimary())
        }
        return items.count == 1 ? items[0] : .arrayLiteral(items, span(from: start))
    }

    /// One argument: a quoted string, a variable or other expression, a number, or a bare word.
    mutating func argumentPrimary() throws(ShellError) -> Expression {
        guard let c = current else { throw error("Missing argument.", id: "MissingArgument") }
        if c == "$" || c == "(" || c == "@" || c == "{" || c == "[" || Parser.isDoubleQuote(c) || Parser.isSingleQuote(c) {
            return try postfixExpression(argumentMode: true)
        }
        let start = pos
        while let ch = current, !ch.isWhitespace, !"|;(){},".contains(ch) {
            if ch == "`", let n = peek(), !Parser.isNewline(n) { pos += 2; continue }
            pos += 1
        }
        let word = String(chars[start..<pos]).replacingOccurrences(of: "`", with: "")
        let s = span(from: start)
        if let number = Parser.number(word) { return .literal(number, s) }
        return .bareword(word, s)
    }

    // MARK: Expressions (PowerShell's precedence, lowest first)

    mutating func expression() throws(ShellError) -> Expression { try logical() }

    /// Reads `-op` if it is one of `ops` (case-insensitive), returning its lowercased name.
    mutating func dashOperator(_ ops: Set<String>) -> String? {
        let save = pos
        skipTrivia(newlines: false)
        guard let c = current, Parser.isDash(c), let n = peek(), n.isLetter else { pos = save; return nil }
        var end = pos + 1
        while end < chars.count, chars[end].isLetter { end += 1 }
        let word = String(chars[(pos + 1)..<end]).lowercased()
        guard ops.contains(word) else { pos = save; return nil }
        pos = end
        skipTrivia(newlines: true)
        return word
    }

    mutating func logical() throws(ShellError) -> Expression {
        let start = pos
        var lhs = try comparison()
        while let op = dashOperator(["and", "or", "xor"]) {
            let rhs = try comparison()
            let bop: BinaryOperator = op == "and" ? .and : (op == "or" ? .or : .xor)
            lhs = .binary(bop, lhs, rhs, span(from: start))
        }
        return lhs
    }

    static let comparisonWords: Set<String> = {
        var words: Set<String> = ["join", "split", "replace", "ireplace", "creplace", "isplit", "csplit"]
        for op in ComparisonOperator.allCases {
            words.insert(op.rawValue)
            words.insert("i" + op.rawValue)
            words.insert("c" + op.rawValue)
        }
        return words
    }()

    mutating func comparison() throws(ShellError) -> Expression {
        let start = pos
        var lhs = try additive()
        while let word = dashOperator(Parser.comparisonWords) {
            let rhs = try additive()
            let op: BinaryOperator
            switch word {
            case "join": op = .join
            case "split", "isplit", "csplit": op = .split
            case "replace", "ireplace": op = .replace(caseSensitive: false)
            case "creplace": op = .replace(caseSensitive: true)
            default:
                var name = word
                var caseSensitive = false
                if let cmp = ComparisonOperator(rawValue: name) {
                    op = .comparison(cmp, caseSensitive: false)
                    break
                }
                caseSensitive = name.hasPrefix("c")
                name.removeFirst()
                op = .comparison(ComparisonOperator(rawValue: name)!, caseSensitive: caseSensitive)
            }
            lhs = .binary(op, lhs, rhs, span(from: start))
        }
        return lhs
    }

    mutating func additive() throws(ShellError) -> Expression {
        let start = pos
        var lhs = try multiplicative()
        while true {
            let save = pos
            skipTrivia(newlines: false)
            guard let c = current, c == "+" || Parser.isDash(c), peek() != "=" else { pos = save; break }
            // `-word` is an operator for the caller, not subtraction.
            if Parser.isDash(c), let n = peek(), n.isLetter { pos = save; break }
            pos += 1
            skipTrivia(newlines: true)
            let rhs = try multiplicative()
            lhs = .binary(c == "+" ? .add : .subtract, lhs, rhs, span(from: start))
        }
        return lhs
    }

    mutating func multiplicative() throws(ShellError) -> Expression {
        let start = pos
        var lhs = try formatExpression()
        while true {
            let save = pos
            skipTrivia(newlines: false)
            guard let c = current, c == "*" || c == "/" || c == "%", peek() != "=" else { pos = save; break }
            pos += 1
            skipTrivia(newlines: true)
            let rhs = try formatExpression()
            lhs = .binary(c == "*" ? .multiply : (c == "/" ? .divide : .modulo), lhs, rhs, span(from: start))
        }
        return lhs
    }

    mutating func formatExpression() throws(ShellError) -> Expression {
        let start = pos
        var lhs = try rangeExpression()
        while dashOperator(["f"]) != nil {
            let rhs = try rangeExpression()
            lhs = .binary(.format, lhs, rhs, span(from: start))
        }
        return lhs
    }

    mutating func rangeExpression() throws(ShellError) -> Expression {
        let start = pos
        let lhs = try unary()
        let save = pos
        skipTrivia(newlines: false)
        if current == ".", peek() == "." {
            pos += 2
            skipTrivia(newlines: true)
            return .binary(.range, lhs, try unary(), span(from: start))
        }
        pos = save
        return lhs
    }

    mutating func unary() throws(ShellError) -> Expression {
        skipTrivia(newlines: false)
        let start = pos
        if current == "!" {
            pos += 1
            skipTrivia(newlines: false)
            return .unary(.bang, try unary(), span(from: start))
        }
        if let c = current, Parser.isDash(c) {
            if let n = peek(), n.isLetter {
                if dashOperator(["not"]) != nil { return .unary(.not, try unary(), span(from: start)) }
                throw unexpected()
            }
            pos += 1
            return .unary(.negate, try unary(), span(from: start))
        }
        if current == "+", let n = peek(), n.isNumber || n == "$" || n == "(" {
            pos += 1
            return .unary(.plus, try unary(), span(from: start))
        }
        return try commaList()
    }

    mutating func commaList() throws(ShellError) -> Expression {
        let start = pos
        var items = [try postfixExpression(argumentMode: false)]
        while true {
            let save = pos
            skipTrivia(newlines: false)
            guard current == "," else { pos = save; break }
            pos += 1
            skipTrivia(newlines: true)
            items.append(try postfixExpression(argumentMode: false))
        }
        return items.count == 1 ? items[0] : .arrayLiteral(items, span(from: start))
    }

    /// A primary followed by `.member`, `.method(...)`, `[index]`, `::static`. In argument
    /// mode a postfix must follow without white space.
    mutating func postfixExpression(argumentMode: Bool) throws(ShellError) -> Expression {
        skipTrivia(newlines: false)
        let start = pos
        var expr = try primary(argumentMode: argumentMode)
        while let c = current {
            if c == ".", let n = peek(), n != "." {
                pos += 1
                let memberStart = pos
                let nameExpr: Expression
                if let q = current, Parser.isDoubleQuote(q) || Parser.isSingleQuote(q) {
                    nameExpr = try stringLiteral()
                } else if current == "$" {
                    nameExpr = try variable()
                } else {
                    let name = identifier()
                    guard !name.isEmpty else { throw error("Missing property name after reference operator.", id: "MissingPropertyName") }
                    nameExpr = .literal(.string(name), span(from: memberStart))
                }
                if current == "(", case .literal(.string(let name), _) = nameExpr {
                    let args = try methodArguments()
                    expr = .methodCall(expr, name, args, span(from: start))
                } else {
                    expr = .member(expr, nameExpr, span(from: start))
                }
            } else if c == "[" {
                let open = pos
                pos += 1
                skipTrivia(newlines: true)
                let index = try expression()
                skipTrivia(newlines: true)
                guard current == "]" else { throw error("Missing ']' after array index expression.", id: "MissingEndSquareBracket", at: open) }
                pos += 1
                expr = .index(expr, index, span(from: start))
            } else {
                break
            }
        }
        return expr
    }

    mutating func methodArguments() throws(ShellError) -> [Expression] {
        let open = pos
        pos += 1
        skipTrivia(newlines: true)
        var args: [Expression] = []
        if current == ")" { pos += 1; return args }
        while true {
            skipTrivia(newlines: true)
            // Arguments are separated by commas, so parse each below the comma operator.
            args.append(try methodArgument())
            skipTrivia(newlines: true)
            if current == "," { pos += 1; continue }
            guard current == ")" else { throw error("Missing ')' in method call.", id: "MissingEndParenthesisInMethodCall", at: open) }
            pos += 1
            return args
        }
    }

    mutating func methodArgument() throws(ShellError) -> Expression {
        let start = pos
        var lhs = try postfixExpression(argumentMode: false)
        // Allow simple operators inside method arguments (e.g. `$a + 1`).
        while true {
            let save = pos
            skipTrivia(newlines: false)
            guard let c = current, c == "+" || c == "*" else { pos = save; break }
            pos += 1
            skipTrivia(newlines: true)
            let rhs = try postfixExpression(argumentMode: false)
            lhs = .binary(c == "+" ? .add : .multiply, lhs, rhs, span(from: start))
        }
        return lhs
    }

    mutating func primary(argumentMode: Bool) throws(ShellError) -> Expression {
        skipTrivia(newlines: false)
        let start = pos
        guard let c = current else { throw error("You must provide a value expression following the operator.", id: "ExpectedValueExpression") }
        if c == "$" {
            if peek() == "(" {
                pos += 1
                return .subexpression(try groupedStatements(open: "(", close: ")"), span(from: start))
            }
            return try variable()
        }
        if c == "@" {
            if peek() == "(" {
                pos += 1
                return .arraySubexpression(try groupedStatements(open: "(", close: ")"), span(from: start))
            }
            if peek() == "{" {
                pos += 1
                return try hashtable(start: start)
            }
            if let n = peek(), Parser.isDoubleQuote(n) || Parser.isSingleQuote(n) {
                return try hereString()
            }
            throw unexpected()
        }
        if c == "(" {
            let open = pos
            pos += 1
            skipTrivia(newlines: true)
            if current == ")" { pos += 1; return .paren(.pipeline(Pipeline(elements: [], span: span(from: open))), span(from: start)) }
            let inner = try statement()
            skipTrivia(newlines: true)
            guard current == ")" else { throw error("Missing closing ')' in expression.", id: "MissingEndParenthesisInExpression", at: open) }
            pos += 1
            return .paren(inner, span(from: start))
        }
        if c == "{" {
            let open = pos
            pos += 1
            let body = try statementList(terminator: "}")
            guard current == "}" else {
                throw error("Missing closing '}' in statement block or type definition.", id: "MissingEndCurlyBrace", at: open)
            }
            pos += 1
            let inner = String(chars[(open + 1)..<(pos - 1)])
            return .scriptBlock(ScriptBlock(body: body, text: inner), span(from: start))
        }
        if Parser.isDoubleQuote(c) || Parser.isSingleQuote(c) { return try stringLiteral() }
        if c == "[" { return try typeExpression(start: start) }
        if Parser.isDash(c), let n = peek(), n.isNumber {
            // A signed number literal (`1,-2`): the sign belongs to the number.
            pos += 1
            let inner = try primary(argumentMode: argumentMode)
            return .unary(.negate, inner, span(from: start))
        }
        if c.isNumber || (c == "." && peek()?.isNumber == true) {
            var end = pos
            while end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "." {
                if chars[end] == ".", end + 1 < chars.count, chars[end + 1] == "." { break }
                end += 1
            }
            let word = String(chars[pos..<end])
            if let n = Parser.number(word) {
                pos = end
                return .literal(n, span(from: start))
            }
            throw error("The numeric constant '\(word)' is not valid.", id: "BadNumericConstant")
        }
        if c.isLetter || c == "_" {
            // A bare word in expression position (e.g. a hashtable key or a member name).
            let word = identifier()
            return .bareword(word, span(from: start))
        }
        throw unexpected()
    }

    mutating func groupedStatements(open: Character, close: Character) throws(ShellError) -> [Statement] {
        let openPos = pos
        pos += 1
        let body = try statementList(terminator: close)
        guard current == close else {
            throw error(close == ")" ? "Missing closing ')' in subexpression." : "Missing closing '\(close)'.",
                        id: "MissingEndParenthesisInSubexpression", at: openPos)
        }
        pos += 1
        return body
    }

    mutating func variable() throws(ShellError) -> Expression {
        let start = pos
        pos += 1 // $
        if current == "{" {
            pos += 1
            let nameStart = pos
            while let c = current, c != "}" { pos += 1 }
            let name = String(chars[nameStart..<pos])
            guard current == "}" else { throw error("Missing closing '}' in variable name.", id: "MissingEndCurlyBrace", at: start) }
            pos += 1
            return .variable(name, span(from: start))
        }
        if current == "_" , !(peek().map(Parser.isIdentifierChar) ?? false) { pos += 1; return .variable("_", span(from: start)) }
        if current == "?" || current == "^" || current == "$" { let n = String(current!); pos += 1; return .variable(n, span(from: start)) }
        var name = identifier()
        if current == ":", let n = peek(), Parser.isIdentifierChar(n) {
            pos += 1
            name += ":" + identifier()
        }
        guard !name.isEmpty else { throw error("Variable reference is not valid. '$' was not followed by a valid variable name character.", id: "InvalidVariableReference", at: start) }
        return .variable(name, span(from: start))
    }

    mutating func typeExpression(start: Int) throws(ShellError) -> Expression {
        pos += 1
        var depth = 1
        let nameStart = pos
        while let c = current {
            if c == "[" { depth += 1 }
            if c == "]" { depth -= 1; if depth == 0 { break } }
            pos += 1
        }
        guard current == "]" else { throw error("Missing ] at end of type token.", id: "EndSquareBracketExpectedAtEndOfType", at: start) }
        let type = String(chars[nameStart..<pos]).trimmingCharacters(in: .whitespaces)
        pos += 1
        if current == ":", peek() == ":" {
            pos += 2
            let member = identifier()
            if current == "(" {
                let args = try methodArguments()
                return .staticMember(type, member, args, span(from: start))
            }
            return .staticMember(type, member, nil, span(from: start))
        }
        let save = pos
        skipTrivia(newlines: false)
        if let c = current, c == "$" || c == "@" || c == "(" || c == "[" || Parser.isDoubleQuote(c) || Parser.isSingleQuote(c) || c.isNumber {
            let operand = try unary()
            return .cast(type, operand, span(from: start))
        }
        pos = save
        return .typeLiteral(type, span(from: start))
    }

    mutating func hashtable(start: Int) throws(ShellError) -> Expression {
        let open = pos
        pos += 1 // {
        var pairs: [(key: Expression, value: Statement)] = []
        while true {
            skipTrivia(newlines: true)
            while current == ";" { pos += 1; skipTrivia(newlines: true) }
            guard let c = current else { throw error("Missing closing '}' in hash literal.", id: "MissingEndCurlyBrace", at: open) }
            if c == "}" { pos += 1; break }
            let key: Expression
            let keyStart = pos
            if Parser.isDoubleQuote(c) || Parser.isSingleQuote(c) {
                key = try stringLiteral()
            } else if c == "$" || c == "(" {
                key = try postfixExpression(argumentMode: false)
            } else {
                while let ch = current, !ch.isWhitespace, ch != "=", ch != ";", ch != "}" { pos += 1 }
                let word = String(chars[keyStart..<pos])
                guard !word.isEmpty else { throw error("Missing key before '=' in hash literal.", id: "MissingHashKey") }
                key = .literal(Parser.number(word) ?? .string(word), span(from: keyStart))
            }
            skipTrivia(newlines: false)
            guard current == "=" else { throw error("Missing '=' operator after key in hash literal.", id: "MissingEqualsInHashLiteral") }
            pos += 1
            skipTrivia(newlines: true)
            let value = try statement()
            pairs.append((key, value))
            skipTrivia(newlines: false)
            if let c = current, c != ";", c != "}", !Parser.isNewline(c) {
                throw error("Missing statement after '=' in hash literal.", id: "MissingStatementInHashLiteral")
            }
        }
        return .hashtable(pairs, span(from: start))
    }

    // MARK: Strings

    mutating func stringLiteral() throws(ShellError) -> Expression {
        let start = pos
        let q = current!
        pos += 1
        if Parser.isSingleQuote(q) {
            var out = ""
            while true {
                guard let c = current else { throw error("The string is missing the terminator: '.", id: "TerminatorExpectedAtEndOfString", at: start) }
                if Parser.isSingleQuote(c) {
                    if let n = peek(), Parser.isSingleQuote(n) { out.append("'"); pos += 2; continue }
                    pos += 1
                    break
                }
                out.append(c)
                pos += 1
            }
            return .literal(.string(out), span(from: start))
        }
        var parts: [StringPart] = []
        var text = ""
        func flush() { if !text.isEmpty { parts.append(.text(text)); text = "" } }
        while true {
            guard let c = current else { throw error("The string is missing the terminator: \".", id: "TerminatorExpectedAtEndOfString", at: start) }
            if Parser.isDoubleQuote(c) {
                if let n = peek(), Parser.isDoubleQuote(n) { text.append("\""); pos += 2; continue }
                pos += 1
                break
            }
            if c == "`", let n = peek() {
                pos += 2
                switch n {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "0": text.append("\0")
                case "a": text.append("\u{07}")
                case "e": text.append("\u{1B}")
                default: text.append(n)
                }
                continue
            }
            if c == "$", let n = peek() {
                if n == "(" {
                    flush()
                    pos += 1
                    parts.append(.subexpression(try groupedStatements(open: "(", close: ")")))
                    continue
                }
                if n == "{" || Parser.isIdentifierChar(n) || n == "_" {
                    flush()
                    guard case .variable(let name, _) = try variable() else { continue }
                    parts.append(.variable(name))
                    continue
                }
            }
            text.append(c)
            pos += 1
        }
        flush()
        if parts.isEmpty { return .literal(.string(""), span(from: start)) }
        if parts.count == 1, case .text(let t) = parts[0] { return .literal(.string(t), span(from: start)) }
        return .expandableString(parts, span(from: start))
    }

    mutating func hereString() throws(ShellError) -> Expression {
        let start = pos
        pos += 1 // @
        let q = current!
        let expandable = Parser.isDoubleQuote(q)
        pos += 1
        while let c = current, !Parser.isNewline(c) { pos += 1 }
        pos += 1
        let bodyStart = pos
        while !atEnd {
            if Parser.isNewline(chars[pos]), pos + 2 < chars.count + 1, let a = peek(), a == q || (expandable ? Parser.isDoubleQuote(a) : Parser.isSingleQuote(a)), peek(2) == "@" {
                let body = String(chars[bodyStart..<pos])
                pos += 3
                if expandable {
                    var inner = Parser("\"" + body.replacingOccurrences(of: "\"", with: "`\"") + "\"")
                    if case .expandableString(let parts, _) = try inner.stringLiteral() { return .expandableString(parts, span(from: start)) }
                }
                return .literal(.string(body), span(from: start))
            }
            pos += 1
        }
        throw error("The string is missing the terminator: \(q)@.", id: "TerminatorExpectedAtEndOfString", at: start)
    }

    // MARK: Numbers

    /// PowerShell number literals: integers, decimals, hex, exponent, and kb/mb/gb/tb/pb multipliers.
    static func number(_ word: String) -> PSValue? {
        var w = word.lowercased()
        guard let first = w.first, first.isNumber || first == "." else { return nil }
        var multiplier = 1
        for (suffix, m) in [("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30), ("tb", 1 << 40), ("pb", 1 << 50)] where w.hasSuffix(suffix) {
            multiplier = m
            w.removeLast(2)
            break
        }
        if w.hasPrefix("0x"), let v = Int(w.dropFirst(2), radix: 16) { return .int(v * multiplier) }
        if w.hasSuffix("l") || w.hasSuffix("d") { w.removeLast() }
        if let i = Int(w) { return .int(i * multiplier) }
        if w.contains(".") || w.contains("e"), let d = Double(w), w.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" || $0 == "+" }) {
            let v = d * Double(multiplier)
            return multiplier > 1 && v == v.rounded() ? .int(Int(v)) : .double(v)
        }
        return nil
    }
}
