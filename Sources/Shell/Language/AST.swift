/// Where a piece of script text stands: character offsets into the source (counted in
/// Characters), and the 1-based line and column of its start — what errors print as
/// `At line:L char:C` and underline.
public struct SourceSpan: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int

    public init(start: Int, end: Int, line: Int, column: Int) {
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }

    public static let none = SourceSpan(start: 0, end: 0, line: 0, column: 0)

    /// A span from the start of `self` to the end of `other`.
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: start, end: max(end, other.end), line: line, column: column)
    }
}

/// A statement of the shell language.
public indirect enum Statement: @unchecked Sendable {
    /// A pipeline, or a bare expression (a pipeline of one expression) whose value is output.
    case pipeline(Pipeline)
    /// `$x = ...`, `$x.Prop = ...`, `$a[0] = ...`, `$x += ...`.
    case assignment(target: Expression, op: AssignmentOperator, value: Statement, span: SourceSpan)
    case ifStatement(clauses: [(condition: Pipeline, body: [Statement])], elseBody: [Statement]?, span: SourceSpan)
    case foreachStatement(variable: String, collection: Pipeline, body: [Statement], span: SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .pipeline(let p): return p.span
        case .assignment(_, _, _, let s), .ifStatement(_, _, let s), .foreachStatement(_, _, _, let s): return s
        }
    }
}

public enum AssignmentOperator: String, Sendable {
    case assign = "="
    case add = "+="
    case subtract = "-="
}

/// `a | b | c`. The first element may be an expression; the others are commands.
public struct Pipeline: @unchecked Sendable {
    public var elements: [PipelineElement]
    public var span: SourceSpan

    public init(elements: [PipelineElement], span: SourceSpan) {
        self.elements = elements
        self.span = span
    }
}

public enum PipelineElement: @unchecked Sendable {
    case command(CommandCall)
    case expression(Expression)

    public var span: SourceSpan {
        switch self {
        case .command(let c): return c.span
        case .expression(let e): return e.span
        }
    }
}

/// A command invocation: its name as written and its arguments in order.
public struct CommandCall: @unchecked Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var arguments: [CommandArgument]
    public var span: SourceSpan

    public init(name: String, nameSpan: SourceSpan, arguments: [CommandArgument], span: SourceSpan) {
        self.name = name
        self.nameSpan = nameSpan
        self.arguments = arguments
        self.span = span
    }
}

/// `-Name`, `-Name:value`, or a positional value. Whether `-Name value` pairs up is the
/// binder's decision (a switch takes no value), so the parser keeps them apart.
public enum CommandArgument: @unchecked Sendable {
    case parameter(name: String, value: Expression?, span: SourceSpan)
    case positional(Expression)

    public var span: SourceSpan {
        switch self {
        case .parameter(_, _, let s): return s
        case .positional(let e): return e.span
        }
    }
}

/// A part of a double-quoted string: literal text, `$var` (with optional `:` scope) or `$(...)`.
public enum StringPart: @unchecked Sendable {
    case text(String)
    case variable(String)
    case subexpression([Statement])
}

public indirect enum Expression: @unchecked Sendable {
    case literal(PSValue, SourceSpan)
    case expandableString([StringPart], SourceSpan)
    /// A bare word in argument position (`Microsoft.Exchange`, `00:15`, `255.255.255.0/24`).
    case bareword(String, SourceSpan)
    case variable(String, SourceSpan)
    /// `a, b, c`.
    case arrayLiteral([Expression], SourceSpan)
    /// `@( ... )`.
    case arraySubexpression([Statement], SourceSpan)
    /// `$( ... )`.
    case subexpression([Statement], SourceSpan)
    /// `( pipeline )`.
    case paren(Statement, SourceSpan)
    case hashtable([(key: Expression, value: Statement)], SourceSpan)
    case scriptBlock(ScriptBlock, SourceSpan)
    /// `x.Name` (the name may itself be an expression: `x.$name`).
    case member(Expression, Expression, SourceSpan)
    /// `x.Method(args)`.
    case methodCall(Expression, String, [Expression], SourceSpan)
    /// `[Type]::Member` / `[Type]::Method(args)`.
    case staticMember(String, String, [Expression]?, SourceSpan)
    case index(Expression, Expression, SourceSpan)
    case unary(UnaryOperator, Expression, SourceSpan)
    case binary(BinaryOperator, Expression, Expression, SourceSpan)
    /// `[type] expr`.
    case cast(String, Expression, SourceSpan)
    /// `[type]` alone.
    case typeLiteral(String, SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .literal(_, let s), .expandableString(_, let s), .bareword(_, let s), .variable(_, let s),
             .arrayLiteral(_, let s), .arraySubexpression(_, let s), .subexpression(_, let s), .paren(_, let s),
             .hashtable(_, let s), .scriptBlock(_, let s), .member(_, _, let s), .methodCall(_, _, _, let s),
             .staticMember(_, _, _, let s), .index(_, _, let s), .unary(_, _, let s), .binary(_, _, _, let s),
             .cast(_, _, let s), .typeLiteral(_, let s):
            return s
        }
    }
}

public enum UnaryOperator: String, Sendable {
    case not = "-not"
    case bang = "!"
    case negate = "-"
    case plus = "+"
}

/// Binary operators. Comparison operators carry their case mode: PowerShell's default
/// is case-insensitive (`-eq` = `-ieq`); `-ceq` is case-sensitive.
public enum BinaryOperator: Hashable, Sendable {
    case and, or, xor
    case add, subtract, multiply, divide, modulo
    case comparison(ComparisonOperator, caseSensitive: Bool)
    case join, split, format, replace(caseSensitive: Bool)
    case range
}

public enum ComparisonOperator: String, Sendable, CaseIterable {
    case eq, ne, gt, ge, lt, le, like, notlike, match, notmatch, contains, notcontains, `in`, notin
}
