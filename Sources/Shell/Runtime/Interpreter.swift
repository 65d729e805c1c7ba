import Foundation
import TenantModel

/// The result of running a script.
public struct RunResult: @unchecked Sendable {
    /// Every object the script's statements output, in order.
    public var output: [PSValue] = []
    /// Every error, terminating or not.
    public var errors: [ShellError] = []
    /// True when a terminating error occurred (exec exits 1).
    public var hadTerminatingError = false
}

/// A terminating error that also stops the script (`-ErrorAction Stop`, `throw`).
struct ScriptStop: Error {
    let error: ShellError
}

/// Runs the shell language against a session: statements, pipelines, expressions, and
/// cmdlet invocation through the binder.
public final class Interpreter: @unchecked Sendable {
    public let session: ShellSession
    /// When true, each top-level statement's output is rendered to the host.
    public var rendersOutput = true
    private var result = RunResult()
    private var source = ""
    private var scopes: [[String: PSValue]] = []

    public init(session: ShellSession) { self.session = session }

    // MARK: Running

    /// Parses and runs a script. A parse error runs nothing (as in PowerShell).
    @discardableResult
    public func run(_ script: String) -> RunResult {
        result = RunResult()
        source = script
        let statements: [Statement]
        do {
            statements = try Parser.parse(script)
        } catch {
            report(error)
            result.hadTerminatingError = true
            return result
        }
        for statement in statements {
            do {
                let values = try execute(statement)
                result.output += values
                if rendersOutput, !values.isEmpty { session.host.write(OutputRendering.render(values)) }
            } catch let stop as ScriptStop {
                report(stop.error)
                result.hadTerminatingError = true
                break
            } catch let error as ShellError {
                report(error)
                result.hadTerminatingError = true
            } catch {
                report(ShellError(message: "\(error)", errorId: "RuntimeException"))
                result.hadTerminatingError = true
            }
        }
        return result
    }

    /// Runs `body` with `run`'s error handling, `text` standing in as the source line.
    func runSynthetic(_ text: String, _ body: () throws -> [PSValue]) -> RunResult {
        result = RunResult()
        source = text
        do {
            result.output = try body()
        } catch let stop as ScriptStop {
            report(stop.error)
            result.hadTerminatingError = true
        } catch let error as ShellError {
            report(error)
            result.hadTerminatingError = true
        } catch {
            report(ShellError(message: "\(error)", errorId: "RuntimeException"))
            result.hadTerminatingError = true
        }
        return result
    }

    /// Records an error and shows it to the host.
    func report(_ error: ShellError) {
        result.errors.append(error)
        session.host.writeError(ErrorRendering.render(error, source: source))
        var errors = session.variables["error"].map { $0.enumerated } ?? []
        errors.insert(.string(error.message), at: 0)
        session.variables["error"] = .array(PSArray(errors))
    }

    // MARK: Variables

    func variable(_ name: String) -> PSValue {
        let lower = name.lowercased()
        switch lower {
        case "true": return .true
        case "false": return .false
        case "null": return .null
        case "psitem": return lookup("_")
        default: return lookup(lower)
        }
    }

    private func lookup(_ lower: String) -> PSValue {
        for scope in scopes.reversed() { if let v = scope[lower] { return v } }
        if lower.hasPrefix("env:") {
            return ProcessInfo.processInfo.environment[String(lower.dropFirst(4)).uppercased()].map(PSValue.string) ?? .null
        }
        return session.variables[lower] ?? .null
    }

    func setVariable(_ name: String, _ value: PSValue, span: SourceSpan) throws {
        let lower = name.lowercased()
        if ["true", "false", "null"].contains(lower) {
            throw ShellError(message: "Cannot overwrite variable \(name) because it is read-only or constant.",
                             category: .WriteError, reason: "SessionStateUnauthorizedAccessException",
                             errorId: "VariableNotWritable", span: span)
        }
        for i in scopes.indices.reversed() where scopes[i][lower] != nil {
            scopes[i][lower] = value
            return
        }
        session.variables[lower] = value
    }

    /// Runs `block` with `$_`/`$PSItem` set to `input`; returns what it outputs.
    public func invoke(_ block: ScriptBlock, input: PSValue?, arguments: [PSValue] = []) throws -> [PSValue] {
        var scope: [String: PSValue] = [:]
        if let input { scope["_"] = input }
        scope["args"] = .array(PSArray(arguments))
        scopes.append(scope)
        defer { scopes.removeLast() }
        return try executeBlock(block.body)
    }

    // MARK: Statements

    func execute(_ statement: Statement) throws -> [PSValue] {
        switch statement {
        case .pipeline(let p):
            return try runPipeline(p)
        case .assignment(let target, let op, let valueStatement, let span):
            var value = try collapse(try execute(valueStatement), statement: valueStatement)
            if op != .assign {
                let current = try evaluate(target)
                value = try Operators.arithmetic(op == .add ? .add : .subtract, current, value, span: span)
            }
            try assign(target, value, span: span)
            return []
        case .ifStatement(let clauses, let elseBody, _):
            for clause in clauses where try collapse(try runPipeline(clause.condition), statement: nil).isTruthy {
                return try executeBlock(clause.body)
            }
            if let elseBody { return try executeBlock(elseBody) }
            return []
        case .foreachStatement(let name, let collection, let body, _):
            var out: [PSValue] = []
            for item in try runPipeline(collection) {
                try setVariable(name, item, span: statement.span)
                out += try executeBlock(body)
            }
            return out
        }
    }

    /// Runs statements in order. A statement-terminating error ends only its statement: it is
    /// reported and the next statement runs, as in PowerShell; `-ErrorAction Stop` ends them all.
    func executeBlock(_ body: [Statement]) throws -> [PSValue] {
        var out: [PSValue] = []
        for s in body {
            do {
                out += try execute(s)
            } catch let error as ShellError {
                report(error)
            }
        }
        return out
    }

    /// The value of a statement used as an expression: one item unwrapped, several as an array.
    func collapse(_ values: [PSValue], statement: Statement?) throws -> PSValue {
        // A bare expression keeps its own value (an array stays an array, even of one).
        if case .pipeline(let p)? = statement, p.elements.count == 1, case .expression(let e) = p.elements[0] {
            return try evaluate(e)
        }
        switch values.count {
        case 0: return .null
        case 1: return values[0]
        default: return .array(PSArray(values))
        }
    }

    func assign(_ target: Expression, _ value: PSValue, span: SourceSpan) throws {
        switch target {
        case .variable(let name, let s):
            try setVariable(name, value, span: s)
        case .member(let objectExpr, let nameExpr, let s):
            let object = try evaluate(objectExpr)
            let name = try memberName(nameExpr)
            switch object {
            case .object(let o): o.set(o.canonicalName(name) ?? name, value)
            case .hashtable(let h): h[name] = value
            case .null:
                throw ShellError(message: "The property '\(name)' cannot be found on this object. Verify that the property exists and can be set.",
                                 category: .InvalidOperation, reason: "RuntimeException", errorId: "PropertyAssignmentException", span: s)
            default:
                throw ShellError(message: "'\(name)' is a ReadOnly property.", category: .InvalidOperation,
                                 reason: "RuntimeException", errorId: "PropertyAssignmentException", span: s)
            }
        case .index(let objectExpr, let indexExpr, let s):
            let index = try evaluate(indexExpr)
            switch (objectExpr, try evaluate(objectExpr)) {
            case (_, .hashtable(let h)): h[index.text] = value
            case (.variable(let name, let vs), .array(var a)):
                guard case .int(var i) = index else { throw indexError(s) }
                if i < 0 { i += a.items.count }
                guard a.items.indices.contains(i) else {
                    throw ShellError(message: "Index was outside the bounds of the array.", category: .InvalidOperation,
                                     reason: "IndexOutOfRangeException", errorId: "System.IndexOutOfRangeException", span: s)
                }
                a.items[i] = value
                try setVariable(name, .array(a), span: vs)
            default: throw indexError(s)
            }
        default:
            throw ShellError(message: "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
                             category: .ParserError, reason: "ParseException", errorId: "InvalidLeftHandSide", span: span)
        }
    }

    func indexError(_ s: SourceSpan) -> ShellError {
        ShellError(message: "Unable to index into an object of this type.", category: .InvalidOperation,
                   reason: "RuntimeException", errorId: "CannotIndex", span: s)
    }

    // MARK: Pipelines

    func runPipeline(_ p: Pipeline) throws -> [PSValue] {
        var current: [PSValue]?
        for (i, element) in p.elements.enumerated() {
            switch element {
            case .expression(let e):
                let v = try evaluate(e)
                current = i == 0 && p.elements.count == 1 ? v.enumerated : v.enumerated
            case .command(let call):
                current = try invoke(call, input: i == 0 ? nil : (current ?? []))
            }
        }
        return current ?? []
    }

    /// Invokes one command of a pipeline with its input records (nil for the first command).
    func invoke(_ call: CommandCall, input: [PSValue]?) throws -> [PSValue] {
        guard let definition = session.registry.resolve(call.name), session.isAvailable(definition.module) else {
            throw ShellError(
                message: "The term '\(call.name)' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
                category: .ObjectNotFound, reason: "CommandNotFoundException", errorId: "CommandNotFoundException",
                activity: "", targetName: call.name, span: call.nameSpan)
        }
        var binder = Binder(definition: definition, call: call, interpreter: self)
        var bound = try binder.bindArguments()
        let context = CmdletContext(session: session, definition: definition, call: call, interpreter: self)
        context.whatIf = bound.isOn("WhatIf")
        if bound.has("Confirm") {
            if bound.isOn("Confirm") { context.confirmRequested = true } else { context.confirmSuppressed = true }
        }
        context.errorAction = bound.string("ErrorAction")
        let stopOnError = bound.string("ErrorAction")?.lowercased() == "stop"
        let silent = ["silentlycontinue", "ignore"].contains(bound.string("ErrorAction")?.lowercased() ?? "")

        if definition.requiresHydration, session.tenant.organizationConfig.isDehydrated {
            let error = ExchangeSupport.dehydratedError(definition.name)
            if stopOnError { throw ScriptStop(error: error) }
            if !silent { report(error) }
            return []
        }

        var output: [PSValue] = []
        func process(_ parameters: BoundParameters, _ record: PSValue?) throws {
            let before = context.errors.count
            do {
                output += try definition.body(context, parameters, record)
            } catch let error as ShellError {
                var e = error
                if e.activity.isEmpty { e.activity = definition.name }
                if e.span == nil, !e.isRemote { e.span = call.span }
                if stopOnError || e.isTerminating { throw stopOnError ? ScriptStop(error: e) : e }
                if !silent { report(e) }
            }
            if stopOnError, context.errors.count > before {
                throw ScriptStop(error: context.errors[before])
            }
        }

        if let input {
            if definition.collectsInput {
                try binder.checkMandatory(bound, pipelineSupplies: true)
                try process(bound, .array(PSArray(input)))
            } else {
                for record in input {
                    var perRecord = bound
                    if let error = bindRecord(binder, record, &perRecord) {
                        if stopOnError { throw ScriptStop(error: error) }
                        report(error)
                        continue
                    }
                    try process(perRecord, record)
                }
            }
        } else {
            try binder.checkMandatory(bound, pipelineSupplies: false)
            try process(bound, nil)
        }
        if let name = bound.string("OutVariable") { try setVariable(name, .array(PSArray(output)), span: call.span) }
        bound = BoundParameters()
        return output
    }

    /// Binds one pipeline record; returns the (non-terminating) binding error, if any.
    private func bindRecord(_ binder: Binder, _ record: PSValue, _ bound: inout BoundParameters) -> ShellError? {
        do {
            try binder.bindPipeline(record, into: &bound)
            try binder.checkMandatory(bound, pipelineSupplies: false)
            return nil
        } catch {
            var e = error
            e.isTerminating = false
            return e
        }
    }

    // MARK: Expressions

    public func evaluate(_ expression: Expression) throws -> PSValue {
        switch expression {
        case .literal(let v, _): return v
        case .bareword(let w, _): return .string(w)
        case .expandableString(let parts, _):
            var out = ""
            for part in parts {
                switch part {
                case .text(let t): out += t
                case .variable(let name): out += variable(name).text
                case .subexpression(let statements):
                    let values = try executeBlock(statements)
                    out += values.map(\.text).joined(separator: " ")
                }
            }
            return .string(out)
        case .variable(let name, _): return variable(name)
        case .arrayLiteral(let items, _):
            var values: [PSValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .array(PSArray(values))
        case .arraySubexpression(let statements, _):
            return .array(PSArray(try executeBlock(statements)))
        case .subexpression(let statements, _):
            let values = try executeBlock(statements)
            return values.count == 1 ? values[0] : (values.isEmpty ? .null : .array(PSArray(values)))
        case .paren(let statement, _):
            if case .pipeline(let p) = statement, p.elements.isEmpty { return .null }
            return try collapse(try execute(statement), statement: statement)
        case .hashtable(let pairs, _):
            let table = PSHashtable()
            for (keyExpr, valueStatement) in pairs {
                let key = try evaluate(keyExpr).text
                table[key] = try collapse(try execute(valueStatement), statement: valueStatement)
            }
            return .hashtable(table)
        case .scriptBlock(let block, _): return .scriptBlock(block)
        case .member(let objectExpr, let nameExpr, _):
            return member(try evaluate(objectExpr), try memberName(nameExpr))
        case .methodCall(let objectExpr, let name, let argExprs, let span):
            let object = try evaluate(objectExpr)
            var args: [PSValue] = []
            for a in argExprs { args.append(try evaluate(a)) }
            return try Methods.call(object, name, args, span: span, interpreter: self)
        case .staticMember(let type, let name, let argExprs, let span):
            var args: [PSValue] = []
            for a in argExprs ?? [] { args.append(try evaluate(a)) }
            return try Methods.callStatic(type, name, args, isMethod: argExprs != nil, span: span, interpreter: self)
        case .index(let objectExpr, let indexExpr, let span):
            return try index(try evaluate(objectExpr), try evaluate(indexExpr), span: span)
        case .unary(let op, let operandExpr, let span):
            let operand = try evaluate(operandExpr)
            switch op {
            case .not, .bang: return .bool(!operand.isTruthy)
            case .negate: return try Operators.arithmetic(.subtract, .int(0), operand, span: span)
            case .plus: return try Operators.arithmetic(.add, .int(0), operand, span: span)
            }
        case .binary(let op, let lhsExpr, let rhsExpr, let span):
            switch op {
            case .and:
                guard try evaluate(lhsExpr).isTruthy else { return .false }
                return .bool(try evaluate(rhsExpr).isTruthy)
            case .or:
                if try evaluate(lhsExpr).isTruthy { return .true }
                return .bool(try evaluate(rhsExpr).isTruthy)
            default:
                return try Operators.binary(op, try evaluate(lhsExpr), try evaluate(rhsExpr), span: span)
            }
        case .cast(let type, let operandExpr, let span):
            return try Operators.cast(try evaluate(operandExpr), to: type, span: span, interpreter: self)
        case .typeLiteral(let type, _):
            return .string(type)
        }
    }

    func memberName(_ expr: Expression) throws -> String {
        switch expr {
        case .literal(let v, _): return v.text
        default: return try evaluate(expr).text
        }
    }

    /// A member of a value, with PowerShell's member enumeration over collections.
    public func member(_ value: PSValue, _ name: String) -> PSValue {
        let lower = name.lowercased()
        switch value {
        case .null:
            return lower == "count" || lower == "length" ? .int(0) : .null
        case .array(let a):
            if lower == "count" || lower == "length" { return .int(a.items.count) }
            var collected: [PSValue] = []
            for item in a.items {
                let v = member(item, name)
                if v.isNull, !hasMember(item, name) { continue }
                if case .array(let inner) = v { collected += inner.items } else { collected.append(v) }
            }
            if collected.isEmpty { return .null }
            return collected.count == 1 ? collected[0] : .array(PSArray(collected))
        case .object(let o):
            if let v = o.property(name) { return v }
            if lower == "count" { return .int(1) }
            return .null
        case .hashtable(let h):
            if let v = h[name] { return v }
            switch lower {
            case "count": return .int(h.count)
            case "keys": return .array(PSArray(h.keys.map(PSValue.string)))
            case "values": return .array(PSArray(h.pairs.map(\.1)))
            default: return .null
            }
        case .string(let s):
            if lower == "length" { return .int(s.count) }
            if lower == "count" { return .int(1) }
            return .null
        case .date(let d):
            let c = CivilTime(d)
            switch lower {
            case "year": return .int(c.year)
            case "month": return .int(c.month)
            case "day": return .int(c.day)
            case "hour": return .int(c.hour)
            case "minute": return .int(c.minute)
            case "second": return .int(c.second)
            case "date": return .date(Date(timeIntervalSince1970: (d.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400))
            case "count": return .int(1)
            default: return .null
            }
        case .exchange(let p):
            if case .timeSpan(let t) = p {
                switch lower {
                case "days": return .int(t.days)
                case "totaldays": return .double(Double(t.seconds) / 86_400)
                case "totalseconds": return .double(Double(t.seconds))
                case "hours": return .int(t.seconds % 86_400 / 3_600)
                case "minutes": return .int(t.seconds % 3_600 / 60)
                default: break
                }
            }
            if lower == "isunlimited" { if case .unlimited = p { return .true }; return .false }
            if lower == "value" { return value }
            return lower == "count" ? .int(1) : .null
        default:
            return lower == "count" ? .int(1) : .null
        }
    }

    func hasMember(_ value: PSValue, _ name: String) -> Bool {
        switch value {
        case .object(let o): return o.hasProperty(name)
        case .hashtable(let h): return h[name] != nil
        default: return false
        }
    }

    func index(_ object: PSValue, _ index: PSValue, span: SourceSpan) throws -> PSValue {
        switch object {
        case .array(let a):
            if case .array(let indexes) = index {
                return .array(PSArray(try indexes.items.map { try self.index(object, $0, span: span) }))
            }
            guard let i = Operators.toInt(index) else { throw indexError(span) }
            let j = i < 0 ? a.items.count + i : i
            return a.items.indices.contains(j) ? a.items[j] : .null
        case .hashtable(let h): return h[index.text] ?? .null
        case .string(let s):
            guard let i = Operators.toInt(index) else { throw indexError(span) }
            let chars = Array(s)
            let j = i < 0 ? chars.count + i : i
            return chars.indices.contains(j) ? .string(String(chars[j])) : .null
        case .null:
            throw ShellError(message: "Cannot index into a null array.", category: .InvalidOperation,
                             reason: "RuntimeException", errorId: "NullArray", span: span)
        case .object(let o):
            if let name = Optional(index.text), let v = o.property(name) { return v }
            guard let i = Operators.toInt(index), i == 0 || i == -1 else { return .null }
            return object
        default:
            guard let i = Operators.toInt(index), i == 0 || i == -1 else { return .null }
            return object
        }
    }

    /// PowerShell's comparison operators (case-insensitive unless `caseSensitive`); for an
    /// array on the left, the matching elements.
    public static func compare(_ op: ComparisonOperator, _ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool = false) -> PSValue {
        Operators.compare(op, lhs, rhs, caseSensitive: caseSensitive)
    }
}

