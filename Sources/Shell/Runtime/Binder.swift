import Foundation
import TenantModel

/// Binds a command's arguments to its parameters as PowerShell does: by name (exact, alias,
/// or unambiguous prefix), then by position, then from the pipeline per record; converts
/// each argument to the parameter's type with Exchange's converters; reports PowerShell's
/// binding errors pointing at the offending text.
struct Binder {
    let definition: CmdletDefinition
    let call: CommandCall
    let interpreter: Interpreter
    let parameters: [ParameterDefinition]

    init(definition: CmdletDefinition, call: CommandCall, interpreter: Interpreter) {
        self.definition = definition
        self.call = call
        self.interpreter = interpreter
        var all = definition.parameters + CommonParameters.all
        if definition.supportsShouldProcess { all += CommonParameters.shouldProcess }
        self.parameters = all
    }

    var cmdlet: String { definition.name }

    /// The command named in FullyQualifiedErrorId: a compiled cmdlet's .NET class
    /// (`Microsoft.PowerShell.Commands.SelectObjectCommand`); an imported Exchange or
    /// MSOnline command's own name.
    var errorSource: String { definition.errorSource }

    func bindingError(_ message: String, id: String, span: SourceSpan, category: ErrorCategory = .InvalidArgument,
                      reason: String = "ParameterBindingException") -> ShellError {
        ShellError(message: message, category: category, reason: reason, errorId: "\(id),\(errorSource)",
                   activity: cmdlet, span: span)
    }

    /// The parameter a written name refers to: exact name or alias first, then a unique prefix.
    func resolve(_ written: String, span: SourceSpan) throws(ShellError) -> ParameterDefinition {
        let lower = written.lowercased()
        if let exact = parameters.first(where: { $0.name.lowercased() == lower || $0.aliases.contains { $0.lowercased() == lower } }) {
            return exact
        }
        let candidates = parameters.filter { $0.name.lowercased().hasPrefix(lower) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty {
            throw bindingError("A parameter cannot be found that matches parameter name '\(written)'.",
                               id: "NamedParameterNotFound", span: span)
        }
        throw bindingError("Parameter cannot be processed because the parameter name '\(written)' is ambiguous. Possible matches include: \(candidates.map { "-" + $0.name }.joined(separator: " ")).",
                           id: "AmbiguousParameter", span: span)
    }

    /// Binds every argument written on the command line.
    mutating func bindArguments() throws -> BoundParameters {
        var bound = BoundParameters()
        var positional: [Expression] = []
        var i = 0
        let args = call.arguments
        while i < args.count {
            switch args[i] {
            case .positional(let e):
                positional.append(e)
                i += 1
            case .parameter(let name, let colonValue, let span):
                let p = try resolve(name, span: span)
                guard !bound.has(p.name) else {
                    throw bindingError("Cannot bind parameter because parameter '\(p.name)' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".",
                                       id: "ParameterAlreadyBound", span: span)
                }
                if p.isSwitch {
                    let value = try colonValue.map { try interpreter.evaluate($0) } ?? .true
                    bound.set(p.name, .value(.bool(value.isTruthy)), span: colonValue?.span ?? span)
                    i += 1
                    continue
                }
                var valueExpr = colonValue
                if valueExpr == nil {
                    if i + 1 < args.count, case .positional(let next) = args[i + 1] {
                        valueExpr = next
                        i += 1
                    } else {
                        throw bindingError("Missing an argument for parameter '\(p.name)'. Specify a parameter of type '\(p.type.dotNetName)' and try again.",
                                           id: "MissingArgument", span: span)
                    }
                }
                let value = try interpreter.evaluate(valueExpr!)
                bound.set(p.name, try convert(value, for: p, span: valueExpr!.span), span: valueExpr!.span)
                i += 1
            }
        }
        let positionalParameters = parameters.filter { $0.position != nil }.sorted { $0.position! < $1.position! }
        var next = positionalParameters.makeIterator()
        for (index, e) in positional.enumerated() {
            var target: ParameterDefinition?
            while let p = next.next() {
                if !bound.has(p.name) { target = p; break }
            }
            if let p = target, p.takesRemainingArguments {
                var rest: [PSValue] = []
                for r in positional[index...] { rest.append(try interpreter.evaluate(r)) }
                bound.set(p.name, .value(.array(PSArray(rest))), span: e.span)
                break
            }
            guard let p = target else {
                let value = try interpreter.evaluate(e)
                throw bindingError("A positional parameter cannot be found that accepts argument '\(value.text)'.",
                                   id: "PositionalParameterNotFound", span: e.span)
            }
            bound.set(p.name, try convert(try interpreter.evaluate(e), for: p, span: e.span), span: e.span)
        }
        return bound
    }

    /// Binds one pipeline record to the parameters that take pipeline input and are not
    /// already bound: by value first, then by property name.
    func bindPipeline(_ record: PSValue, into bound: inout BoundParameters) throws(ShellError) {
        var boundAny = false
        for p in parameters where !bound.has(p.name) {
            switch p.pipeline {
            case .byValue, .byValueAndPropertyName:
                if accepts(record, p) {
                    bound.set(p.name, try convert(record, for: p, span: call.span), span: call.span)
                    boundAny = true
                    continue
                }
                fallthrough
            case .byPropertyName:
                guard p.pipeline != .byValue, case .object(let o) = record else { continue }
                for name in [p.name] + p.aliases {
                    if let v = o.property(name) {
                        bound.set(p.name, try convert(v, for: p, span: call.span), span: call.span)
                        boundAny = true
                        break
                    }
                }
            case .none:
                continue
            }
        }
        if !boundAny, parameters.contains(where: { $0.pipeline != .none }) == false || !anyPipelineTarget(bound) {
            throw ShellError(
                message: "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.",
                category: .InvalidArgument, reason: "ParameterBindingException", errorId: "InputObjectNotBound,\(errorSource)",
                activity: cmdlet, targetName: record.text, span: call.span)
        }
    }

    func anyPipelineTarget(_ bound: BoundParameters) -> Bool {
        parameters.contains { $0.pipeline != .none && bound.has($0.name) }
    }

    /// Whether a record binds by value to a parameter.
    func accepts(_ record: PSValue, _ p: ParameterDefinition) -> Bool {
        switch p.type {
        case .identity, .object, .objects: return true
        case .string, .strings: if case .string = record { return true } else { return false }
        case .exchange: if case .object = record { return false } else { return true }
        default: return false
        }
    }

    /// Reports missing mandatory parameters (PowerShell prompts only at a terminal; the
    /// shell never prompts for them).
    func checkMandatory(_ bound: BoundParameters, pipelineSupplies: Bool) throws(ShellError) {
        let missing = definition.parameters.filter { $0.mandatory && !bound.has($0.name) && !(pipelineSupplies && $0.pipeline != .none) }
        guard !missing.isEmpty else { return }
        throw ShellError(
            message: "Cannot process command because of one or more missing mandatory parameters: \(missing.map(\.name).joined(separator: " ")).",
            category: .InvalidArgument, reason: "ParameterBindingException", errorId: "MissingMandatoryParameter,\(errorSource)",
            activity: cmdlet, span: call.span)
    }

    // MARK: Conversion

    func transformationError(_ p: ParameterDefinition, _ detail: String, span: SourceSpan) -> ShellError {
        ShellError(message: "Cannot process argument transformation on parameter '\(p.name)'. \(detail)",
                   category: .InvalidData, reason: "ParameterBindingArgumentTransformationException",
                   errorId: "ParameterArgumentTransformationError,\(errorSource)", activity: cmdlet, span: span)
    }

    func convert(_ value: PSValue, for p: ParameterDefinition, span: SourceSpan) throws(ShellError) -> BoundValue {
        switch p.type {
        case .switchParameter:
            return .value(.bool(value.isTruthy))
        case .bool:
            switch value {
            case .bool, .int, .double: return .value(.bool(value.isTruthy))
            default:
                throw transformationError(p, "Cannot convert value \"\(value.typeName)\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.", span: span)
            }
        case .int:
            guard let i = Operators.toInt(value) else {
                throw transformationError(p, "Cannot convert value \"\(value.text)\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\"", span: span)
            }
            return .value(.int(i))
        case .string:
            if case .array(let a) = value, a.items.count > 1 {
                throw transformationError(p, "Cannot convert 'System.Object[]' to the type 'System.String' required by parameter '\(p.name)'. Specified method is not supported.", span: span)
            }
            return .value(value.isNull ? .null : .string(value.enumerated.first?.text ?? ""))
        case .strings:
            return .value(.array(PSArray(value.isNull ? [] : value.enumerated.map { .string($0.text) }, typeName: "System.String[]")))
        case .date:
            if case .date = value { return .value(value) }
            guard let d = ISO8601.parse(value.text) ?? PowerShellDateFormat.parseDisplay(value.text) else {
                throw transformationError(p, "Cannot convert value \"\(value.text)\" to type \"System.DateTime\". Error: \"String '\(value.text)' was not recognized as a valid DateTime.\"", span: span)
            }
            return .value(.date(d))
        case .scriptBlock:
            guard case .scriptBlock = value else {
                throw transformationError(p, "Cannot convert the \"\(value.text)\" value of type \"\(value.typeName)\" to type \"System.Management.Automation.ScriptBlock\".", span: span)
            }
            return .value(value)
        case .hashtable:
            guard case .hashtable = value else {
                throw transformationError(p, "Cannot convert the \"\(value.text)\" value of type \"\(value.typeName)\" to type \"System.Collections.Hashtable\".", span: span)
            }
            return .value(value)
        case .credential:
            if case .object(let o) = value, o.typeNames.first == TypeNames.psCredential { return .value(value) }
            if case .string = value { return .value(value) }
            throw transformationError(p, "Cannot convert the \"\(value.text)\" value of type \"\(value.typeName)\" to type \"System.Management.Automation.PSCredential\".", span: span)
        case .secureString:
            if case .object(let o) = value, o.secret != nil { return .value(value) }
            throw transformationError(p, "Cannot convert the \"\(value.text)\" value of type \"\(value.typeName)\" to type \"System.Security.SecureString\".", span: span)
        case .identity, .object:
            return .value(value)
        case .objects:
            return .value(.array(PSArray(value.enumerated)))
        case .exchange(let type):
            if type.isMultiValued, case .hashtable(let h) = value {
                var add: [PropertyValue] = [], remove: [PropertyValue] = []
                for (key, v) in h.pairs {
                    let normalized: PropertyValue
                    do { normalized = try type.normalize(v.propertyValue) } catch {
                        throw transformationError(p, error.description, span: span)
                    }
                    guard case .list(let items) = normalized else { continue }
                    switch key.lowercased() {
                    case "add": add += items
                    case "remove": remove += items
                    default:
                        throw transformationError(p, "Cannot convert the \"System.Collections.Hashtable\" value of type \"System.Collections.Hashtable\" to type \"\(type.typeName)\". The hashtable can contain only the keys Add and Remove; found '\(key)'.", span: span)
                    }
                }
                return .edit(add: add, remove: remove)
            }
            if case .bool = type.elementType.unwrappedBool {
                switch value {
                case .bool, .int, .double, .null: break
                default:
                    throw transformationError(p, "Cannot convert value \"\(value.typeName)\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.", span: span)
                }
                if case .null = value, case .bool = type { return .converted(.bool(false)) }
            }
            do {
                return .converted(try type.normalize(value.propertyValue))
            } catch {
                throw transformationError(p, error.description, span: span)
            }
        }
    }
}

extension ValueType {
    /// `.bool` when this is a (possibly optional) Boolean, for PowerShell's strict bool binding.
    var unwrappedBool: ValueType {
        switch self {
        case .optional(let i): return i.unwrappedBool
        default: return self
        }
    }
}
