import Foundation
import TenantModel

/// The .NET methods scripts call on strings, collections, dates and hashtables, and the
/// few static members the shell supports.
enum Methods {
    static func call(_ object: PSValue, _ name: String, _ args: [PSValue], span: SourceSpan, interpreter: Interpreter) throws -> PSValue {
        let lower = name.lowercased()
        func arg(_ i: Int) -> PSValue { args.indices.contains(i) ? args[i] : .null }
        func notFound() -> ShellError {
            ShellError(message: "Method invocation failed because [\(object.typeName)] does not contain a method named '\(name)'.",
                       category: .InvalidOperation, reason: "RuntimeException", errorId: "MethodNotFound", span: span)
        }
        switch object {
        case .null:
            throw ShellError(message: "You cannot call a method on a null-valued expression.", category: .InvalidOperation,
                             reason: "RuntimeException", errorId: "InvokeMethodOnNull", span: span)
        case .string(let s):
            // .NET string methods are case-sensitive (ordinal/culture), unlike PowerShell operators.
            switch lower {
            case "startswith": return .bool(s.hasPrefix(arg(0).text))
            case "endswith": return .bool(s.hasSuffix(arg(0).text))
            case "contains": return .bool(s.contains(arg(0).text))
            case "tolower", "tolowerinvariant": return .string(s.lowercased())
            case "toupper", "toupperinvariant": return .string(s.uppercased())
            case "trim":
                if args.isEmpty { return .string(s.trimmingCharacters(in: .whitespacesAndNewlines)) }
                return .string(s.trimmingCharacters(in: CharacterSet(charactersIn: args.map(\.text).joined())))
            case "trimstart":
                let set = args.isEmpty ? CharacterSet.whitespacesAndNewlines : CharacterSet(charactersIn: args.map(\.text).joined())
                return .string(String(s.drop { $0.unicodeScalars.allSatisfy(set.contains) }))
            case "trimend":
                let set = args.isEmpty ? CharacterSet.whitespacesAndNewlines : CharacterSet(charactersIn: args.map(\.text).joined())
                return .string(String(s.reversed().drop { $0.unicodeScalars.allSatisfy(set.contains) }.reversed()))
            case "split":
                let separators = args.isEmpty ? [" "] : args.flatMap { a -> [String] in
                    if case .array(let arr) = a { return arr.items.map(\.text) }
                    return a.text.count > 1 && args.count == 1 ? a.text.map(String.init) : [a.text]
                }
                var parts = [s]
                for sep in separators where !sep.isEmpty {
                    parts = parts.flatMap { $0.components(separatedBy: sep) }
                }
                return .array(PSArray(parts.map(PSValue.string), typeName: "System.String[]"))
            case "replace": return .string(s.replacingOccurrences(of: arg(0).text, with: arg(1).text))
            case "substring":
                let chars = Array(s)
                guard let start = Operators.toInt(arg(0)), start >= 0, start <= chars.count else { throw outOfRange(span) }
                let length = args.count > 1 ? Operators.toInt(arg(1)) ?? 0 : chars.count - start
                guard length >= 0, start + length <= chars.count else { throw outOfRange(span) }
                return .string(String(chars[start..<(start + length)]))
            case "indexof":
                guard let r = s.range(of: arg(0).text) else { return .int(-1) }
                return .int(s.distance(from: s.startIndex, to: r.lowerBound))
            case "tostring": return .string(s)
            case "equals": return .bool(s == arg(0).text)
            case "padleft": return .string(s.leftPadded(Operators.toInt(arg(0)) ?? 0, with: args.count > 1 ? arg(1).text.first ?? " " : " "))
            case "padright":
                let w = Operators.toInt(arg(0)) ?? 0
                return .string(s.count >= w ? s : s + String(repeating: args.count > 1 ? arg(1).text : " ", count: w - s.count))
            case "gettype": return .string("System.String")
            default: throw notFound()
            }
        case .array(let a):
            switch lower {
            case "contains": return .bool(a.items.contains { Operators.equal($0, arg(0), caseSensitive: true) })
            case "indexof": return .int(a.items.firstIndex { Operators.equal($0, arg(0), caseSensitive: true) } ?? -1)
            case "toarray": return .array(PSArray(a.items))
            case "gettype": return .string(a.typeName)
            case "tostring": return .string(a.typeName)
            default:
                // Method calls enumerate over collections as member access does (PowerShell 3+).
                var out: [PSValue] = []
                for item in a.items { out.append(try call(item, name, args, span: span, interpreter: interpreter)) }
                return .array(PSArray(out))
            }
        case .hashtable(let h):
            switch lower {
            case "containskey", "contains": return .bool(h[arg(0).text] != nil)
            case "add":
                guard h[arg(0).text] == nil else {
                    throw ShellError(message: "Exception calling \"Add\" with \"2\" argument(s): \"Item has already been added. Key in dictionary: '\(arg(0).text)'  Key being added: '\(arg(0).text)'\"",
                                     category: .NotSpecified, reason: "MethodInvocationException", errorId: "ArgumentException", span: span)
                }
                h[arg(0).text] = arg(1)
                return .null
            case "remove": h[arg(0).text] = nil; return .null
            default: throw notFound()
            }
        case .date(let d):
            switch lower {
            case "adddays": return .date(d.addingTimeInterval((Operators.toDouble(arg(0)) ?? 0) * 86_400))
            case "addhours": return .date(d.addingTimeInterval((Operators.toDouble(arg(0)) ?? 0) * 3_600))
            case "addminutes": return .date(d.addingTimeInterval((Operators.toDouble(arg(0)) ?? 0) * 60))
            case "addseconds": return .date(d.addingTimeInterval(Operators.toDouble(arg(0)) ?? 0))
            case "tostring": return .string(args.isEmpty ? PSValue.date(d).text : dateFormat(d, arg(0).text))
            case "touniversaltime", "tolocaltime": return object
            default: throw notFound()
            }
        case .object(let o):
            switch lower {
            case "tostring": return .string(o.toStringText)
            case "gettype": return .string(o.typeNames.first ?? "System.Object")
            case "psobject": return object
            default:
                throw notFound()
            }
        default:
            switch lower {
            case "tostring": return .string(object.text)
            case "gettype": return .string(object.typeName)
            case "equals": return .bool(Operators.equal(object, arg(0), caseSensitive: true))
            case "compareto": return .int(Operators.order(object, arg(0), caseSensitive: true) ?? 0)
            default: throw notFound()
            }
        }
    }

    static func outOfRange(_ span: SourceSpan) -> ShellError {
        ShellError(message: "Exception calling \"Substring\": \"Index and length must refer to a location within the string.\"",
                   category: .NotSpecified, reason: "MethodInvocationException", errorId: "ArgumentOutOfRangeException", span: span)
    }

    /// A few .NET custom date formats (`yyyy-MM-dd`, `HH:mm:ss`, `o`).
    static func dateFormat(_ d: Date, _ format: String) -> String {
        if format == "o" || format == "O" { return ISO8601.format(d) }
        if format == "s" { return String(ISO8601.format(d).dropLast()) }
        let c = CivilTime(d)
        var out = format
        for (token, value) in [("yyyy", String(c.year)), ("MM", c.month.padded2), ("dd", c.day.padded2), ("HH", c.hour.padded2),
                               ("mm", c.minute.padded2), ("ss", c.second.padded2)] {
            out = out.replacingOccurrences(of: token, with: value)
        }
        return out
    }

    static func callStatic(_ type: String, _ name: String, _ args: [PSValue], isMethod: Bool, span: SourceSpan,
                           interpreter: Interpreter) throws -> PSValue {
        let t = type.lowercased().replacingOccurrences(of: "system.", with: "")
        let n = name.lowercased()
        switch (t, n) {
        case ("datetime", "now"), ("datetime", "utcnow"): return .date(interpreter.session.tenant.now)
        case ("datetime", "today"):
            let d = interpreter.session.tenant.now.timeIntervalSince1970
            return .date(Date(timeIntervalSince1970: (d / 86_400).rounded(.down) * 86_400))
        case ("guid", "newguid"): return .exchange(.guid(interpreter.session.tenant.ids.newGuidPeek()))
        case ("math", "round"):
            let v = Operators.toDouble(args.first ?? .null) ?? 0
            let digits = args.count > 1 ? Operators.toInt(args[1]) ?? 0 : 0
            let f = pow(10, Double(digits))
            let r = (v * f).rounded(.toNearestOrEven) / f
            return digits == 0 ? .int(Int(r)) : .double(r)
        case ("math", "max"): return Operators.order(args.first ?? .null, args.count > 1 ? args[1] : .null, caseSensitive: false) ?? 0 >= 0 ? args[0] : args[1]
        case ("math", "min"): return Operators.order(args.first ?? .null, args.count > 1 ? args[1] : .null, caseSensitive: false) ?? 0 <= 0 ? args[0] : args[1]
        case ("string", "isnullorempty"): return .bool((args.first ?? .null).text.isEmpty)
        case ("string", "join"): return .string((args.count > 1 ? args[1].enumerated : []).map(\.text).joined(separator: args.first?.text ?? ""))
        case ("string", "empty"): return .string("")
        default:
            throw ShellError(message: "Method invocation failed because [\(type)] does not contain a method named '\(name)'.",
                             category: .InvalidOperation, reason: "RuntimeException", errorId: "MethodNotFound", span: span)
        }
    }
}

extension Int {
    var padded2: String { self < 10 ? "0\(self)" : String(self) }
}

extension IdentifierGenerator {
    /// The GUID the generator would give next, without advancing it (scripts may not mutate the tenant).
    func newGuidPeek() -> UUID {
        var copy = self
        return copy.newGuid()
    }
}
