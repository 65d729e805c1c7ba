import Foundation
import TenantModel

/// PowerShell's operators with its conversion rules: the left operand's type decides how
/// the right one converts; string comparisons ignore case unless `-c...`.
enum Operators {
    static func toInt(_ v: PSValue) -> Int? {
        switch v {
        case .int(let i): return i
        case .double(let d): return d.isFinite ? Int(d.rounded()) : nil
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Int(s.trimmedWhitespace) ?? Double(s.trimmedWhitespace).map { Int($0.rounded()) }
        case .exchange(.int(let i)): return i
        default: return nil
        }
    }

    static func toDouble(_ v: PSValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Double(s.trimmedWhitespace)
        case .null: return 0
        default: return nil
        }
    }

    static func isNumeric(_ v: PSValue) -> Bool {
        switch v { case .int, .double: return true; default: return false }
    }

    static func conversionError(_ v: PSValue, to type: String, span: SourceSpan) -> ShellError {
        ShellError(message: "Cannot convert value \"\(v.text)\" to type \"\(type)\". Error: \"Input string was not in a correct format.\"",
                   category: .InvalidArgument, reason: "RuntimeException", errorId: "InvalidCastFromStringToInteger", span: span)
    }

    // MARK: Arithmetic

    static func arithmetic(_ op: BinaryOperator, _ lhs: PSValue, _ rhs: PSValue, span: SourceSpan) throws -> PSValue {
        switch (op, lhs) {
        case (.add, .string(let s)): return .string(s + rhs.text)
        case (.add, .array(let a)):
            return .array(PSArray(a.items + rhs.enumerated.filter { _ in true }, typeName: "System.Object[]"))
        case (.add, .hashtable(let h)):
            guard case .hashtable(let other) = rhs else { break }
            let merged = PSHashtable(h.pairs)
            for (k, v) in other.pairs {
                if merged[k] != nil {
                    throw ShellError(message: "Item has already been added. Key in dictionary: '\(k)'  Key being added: '\(k)'",
                                     category: .InvalidOperation, reason: "ArgumentException", errorId: "System.ArgumentException", span: span)
                }
                merged[k] = v
            }
            return .hashtable(merged)
        case (.add, .date(let d)):
            if let n = toDouble(rhs) { return .date(d.addingTimeInterval(n / 10_000_000)) }
        case (.multiply, .string(let s)):
            if let n = toInt(rhs), n >= 0 { return .string(String(repeating: s, count: n)) }
        case (.multiply, .array(let a)):
            if let n = toInt(rhs), n >= 0 { return .array(PSArray(Array(repeating: a.items, count: n).flatMap { $0 })) }
        default: break
        }
        let l = lhs.isNull ? PSValue.int(0) : lhs
        guard let a = numeric(l), let b = numeric(rhs.isNull ? .int(0) : rhs) else {
            let bad = numeric(l) == nil ? l : rhs
            throw ShellError(
                message: "Method invocation failed because [\(bad.typeName)] does not contain a method named 'op_\(opName(op))'.",
                category: .InvalidOperation, reason: "RuntimeException", errorId: "MethodNotFound", span: span)
        }
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            case .divide:
                guard y != 0 else { throw divideByZero(span) }
                return x % y == 0 ? .int(x / y) : .double(Double(x) / Double(y))
            case .modulo:
                guard y != 0 else { throw divideByZero(span) }
                return .int(x % y)
            default: break
            }
        default:
            let x = toDouble(a)!, y = toDouble(b)!
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide:
                guard y != 0 else { throw divideByZero(span) }
                return .double(x / y)
            case .modulo: return .double(x.truncatingRemainder(dividingBy: y))
            default: break
            }
        }
        return .null
    }

    static func opName(_ op: BinaryOperator) -> String {
        switch op {
        case .add: return "Addition"
        case .subtract: return "Subtraction"
        case .multiply: return "Multiply"
        case .divide: return "Division"
        case .modulo: return "Modulus"
        default: return "Unknown"
        }
    }

    static func divideByZero(_ span: SourceSpan) -> ShellError {
        ShellError(message: "Attempted to divide by zero.", category: .NotSpecified, reason: "RuntimeException",
                   errorId: "RuntimeException", span: span)
    }

    /// A number for arithmetic: numbers, numeric strings, booleans.
    static func numeric(_ v: PSValue) -> PSValue? {
        switch v {
        case .int, .double: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .string(let s):
            let t = s.trimmedWhitespace
            if t.isEmpty { return .int(0) }
            if let i = Int(t) { return .int(i) }
            if let d = Double(t) { return .double(d) }
            return nil
        default: return nil
        }
    }

    // MARK: Binary operators

    static func binary(_ op: BinaryOperator, _ lhs: PSValue, _ rhs: PSValue, span: SourceSpan) throws -> PSValue {
        switch op {
        case .xor: return .bool(lhs.isTruthy != rhs.isTruthy)
        case .add, .subtract, .multiply, .divide, .modulo: return try arithmetic(op, lhs, rhs, span: span)
        case .comparison(let cmp, let caseSensitive): return compare(cmp, lhs, rhs, caseSensitive: caseSensitive)
        case .join: return .string(lhs.enumerated.map(\.text).joined(separator: rhs.text))
        case .split:
            let pattern = rhs.enumerated.first?.text ?? " "
            var out: [PSValue] = []
            for item in lhs.enumerated {
                out += regexSplit(item.text, pattern).map(PSValue.string)
            }
            return .array(PSArray(out))
        case .replace(let caseSensitive):
            let parts = rhs.enumerated
            let pattern = parts.first?.text ?? ""
            let replacement = parts.count > 1 ? parts[1].text : ""
            guard let regex = try? NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive]) else {
                throw invalidRegex(pattern, span)
            }
            func replace(_ s: String) -> String {
                regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: replacement)
            }
            if case .array(let a) = lhs { return .array(PSArray(a.items.map { .string(replace($0.text)) })) }
            return .string(replace(lhs.text))
        case .format: return .string(format(lhs.text, rhs.enumerated))
        case .range:
            guard let a = toInt(lhs), let b = toInt(rhs) else { throw conversionError(lhs, to: "System.Int32", span: span) }
            return .array(PSArray((a <= b ? Array(a...b) : Array((b...a).reversed())).map(PSValue.int)))
        case .and: return .bool(lhs.isTruthy && rhs.isTruthy)
        case .or: return .bool(lhs.isTruthy || rhs.isTruthy)
        }
    }

    static func invalidRegex(_ pattern: String, _ span: SourceSpan) -> ShellError {
        ShellError(message: "The regular expression pattern \(pattern) is not valid.", category: .InvalidOperation,
                   reason: "RuntimeException", errorId: "InvalidRegularExpression", span: span)
    }

    static func regexSplit(_ text: String, _ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [text] }
        var out: [String] = []
        var last = text.startIndex
        for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let r = Range(m.range, in: text) else { continue }
            out.append(String(text[last..<r.lowerBound]))
            last = r.upperBound
        }
        out.append(String(text[last...]))
        return out
    }

    /// .NET composite formatting: `{0}`, `{1,5}`, `{0:N2}` (N, D, X, P, F basics).
    static func format(_ template: String, _ args: [PSValue]) -> String {
        var out = ""
        var chars = Array(template)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" { out.append("{"); chars = chars.dropFirst(); continue }
                var spec = ""
                while let d = chars.first, d != "}" { spec.append(d); chars = chars.dropFirst() }
                chars = chars.dropFirst()
                let parts = spec.split(separator: ":", maxSplits: 1)
                let indexPart = parts.first.map(String.init) ?? ""
                let alignParts = indexPart.split(separator: ",")
                let index = Int(alignParts.first ?? "") ?? 0
                var text = args.indices.contains(index) ? args[index].text : ""
                if parts.count > 1, args.indices.contains(index), let d = toDouble(args[index]) {
                    let f = String(parts[1])
                    let digits = Int(f.dropFirst()) ?? 2
                    switch f.first?.uppercased() {
                    case "N": text = groupedNumber(d, digits: digits)
                    case "F": text = String(format: "%.\(digits)f", d)
                    case "D": text = String(Int(d)).leftPadded(Int(f.dropFirst()) ?? 0)
                    case "X": text = String(Int(d), radix: 16, uppercase: f.first == "X")
                    case "P": text = groupedNumber(d * 100, digits: digits) + " %"
                    default: break
                    }
                }
                if alignParts.count > 1, let width = Int(alignParts[1].trimmedWhitespace) {
                    if width > 0 { text = text.leftPadded(width, with: " ") } else { text = text.padding(toLength: max(text.count, -width), withPad: " ", startingAt: 0) }
                }
                out += text
            } else if c == "}", chars.first == "}" {
                out.append("}")
                chars = chars.dropFirst()
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func groupedNumber(_ d: Double, digits: Int) -> String {
        let s = String(format: "%.\(digits)f", abs(d))
        let parts = s.split(separator: ".")
        var whole = ""
        for (i, ch) in parts[0].reversed().enumerated() {
            if i > 0, i % 3 == 0 { whole.append(",") }
            whole.append(ch)
        }
        return (d < 0 ? "-" : "") + String(whole.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }

    // MARK: Comparison

    static func compare(_ op: ComparisonOperator, _ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) -> PSValue {
        switch op {
        case .contains, .notcontains:
            let found = lhs.enumerated.contains { equal($0, rhs, caseSensitive: caseSensitive) }
            return .bool(op == .contains ? found : !found)
        case .in, .notin:
            let found = rhs.enumerated.contains { equal($0, lhs, caseSensitive: caseSensitive) }
            return .bool(op == .in ? found : !found)
        default: break
        }
        if case .array(let a) = lhs {
            return .array(PSArray(a.items.filter { scalarCompare(op, $0, rhs, caseSensitive: caseSensitive) }))
        }
        return .bool(scalarCompare(op, lhs, rhs, caseSensitive: caseSensitive))
    }

    static func scalarCompare(_ op: ComparisonOperator, _ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) -> Bool {
        switch op {
        case .eq: return equal(lhs, rhs, caseSensitive: caseSensitive)
        case .ne: return !equal(lhs, rhs, caseSensitive: caseSensitive)
        case .gt: return order(lhs, rhs, caseSensitive: caseSensitive).map { $0 > 0 } ?? false
        case .ge: return order(lhs, rhs, caseSensitive: caseSensitive).map { $0 >= 0 } ?? false
        case .lt: return order(lhs, rhs, caseSensitive: caseSensitive).map { $0 < 0 } ?? false
        case .le: return order(lhs, rhs, caseSensitive: caseSensitive).map { $0 <= 0 } ?? false
        case .like: return wildcardMatch(lhs.text, rhs.text, caseSensitive: caseSensitive)
        case .notlike: return !wildcardMatch(lhs.text, rhs.text, caseSensitive: caseSensitive)
        case .match: return regexMatch(lhs.text, rhs.text, caseSensitive: caseSensitive)
        case .notmatch: return !regexMatch(lhs.text, rhs.text, caseSensitive: caseSensitive)
        default: return false
        }
    }

    /// `-eq`: the right operand converts to the left one's type.
    static func equal(_ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) -> Bool {
        switch lhs {
        case .null: return rhs.isNull
        case .bool(let b): return rhs.isNull ? false : b == rhs.isTruthy
        case .int, .double:
            guard let x = toDouble(lhs), let y = numeric(rhs).flatMap(toDouble) else { return false }
            return x == y
        case .date(let d):
            if case .date(let e) = rhs { return d == e }
            return lhs.text.lowercased() == rhs.text.lowercased()
        case .object(let a):
            if case .object(let b) = rhs { return a === b }
            return false
        case .hashtable(let a):
            if case .hashtable(let b) = rhs { return a === b }
            return false
        default:
            if rhs.isNull { return false }
            return caseSensitive ? lhs.text == rhs.text : lhs.text.lowercased() == rhs.text.lowercased()
        }
    }

    /// Ordering for -gt/-lt/Sort-Object: numbers numerically, dates by time, text ignoring case.
    static func order(_ lhs: PSValue, _ rhs: PSValue, caseSensitive: Bool) -> Int? {
        switch lhs {
        case .int, .double:
            guard let x = toDouble(lhs), let y = numeric(rhs).flatMap(toDouble) else { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        case .date(let d):
            let other: Date?
            if case .date(let e) = rhs { other = e } else { other = ISO8601.parse(rhs.text) ?? PowerShellDateFormat.parseDisplay(rhs.text) }
            guard let e = other else { return nil }
            return d < e ? -1 : (d > e ? 1 : 0)
        case .exchange(.timeSpan(let t)):
            guard let o = try? EnhancedTimeSpan.convert(from: rhs.propertyValue) else { return nil }
            return t < o ? -1 : (t > o ? 1 : 0)
        case .null:
            return rhs.isNull ? 0 : -1
        default:
            let a = caseSensitive ? lhs.text : lhs.text.lowercased()
            let b = caseSensitive ? rhs.text : rhs.text.lowercased()
            return a < b ? -1 : (a > b ? 1 : 0)
        }
    }

    /// PowerShell wildcards: `*`, `?`, `[abc]`, `[a-z]`, backtick escapes.
    static func wildcardMatch(_ text: String, _ pattern: String, caseSensitive: Bool) -> Bool {
        let t = Array(caseSensitive ? text : text.lowercased())
        let p = Array(caseSensitive ? pattern : pattern.lowercased())
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i * (p.count + 1) + j
            if let m = memo[key] { return m }
            var result: Bool
            if j == p.count {
                result = i == t.count
            } else if p[j] == "*" {
                result = match(i, j + 1) || (i < t.count && match(i + 1, j))
            } else if i == t.count {
                result = false
            } else if p[j] == "?" {
                result = match(i + 1, j + 1)
            } else if p[j] == "[", let close = p[(j + 1)...].firstIndex(of: "]") {
                let set = p[(j + 1)..<close]
                var ok = false
                var k = set.startIndex
                while k < set.endIndex {
                    if k + 2 < set.endIndex, set[k + 1] == "-" {
                        if t[i] >= set[k] && t[i] <= set[k + 2] { ok = true }
                        k += 3
                    } else {
                        if t[i] == set[k] { ok = true }
                        k += 1
                    }
                }
                result = ok && match(i + 1, close + 1)
            } else if p[j] == "`", j + 1 < p.count {
                result = t[i] == p[j + 1] && match(i + 1, j + 2)
            } else {
                result = t[i] == p[j] && match(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }

    static func regexMatch(_ text: String, _ pattern: String, caseSensitive: Bool) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive]) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    // MARK: Casts

    static func cast(_ value: PSValue, to type: String, span: SourceSpan, interpreter: Interpreter) throws -> PSValue {
        let t = type.lowercased().replacingOccurrences(of: "system.", with: "")
        switch t {
        case "int", "int32", "int64", "long":
            guard let i = toInt(value) ?? (value.isNull ? 0 : nil) else { throw conversionError(value, to: "System.Int32", span: span) }
            return .int(i)
        case "double", "decimal", "float", "single":
            guard let d = toDouble(value) else { throw conversionError(value, to: "System.Double", span: span) }
            return .double(d)
        case "string": return .string(value.isNull ? "" : value.text)
        case "bool", "boolean": return .bool(value.isTruthy)
        case "array", "object[]", "string[]", "collections.arraylist":
            let items = value.isNull ? [] : value.enumerated
            return .array(PSArray(t == "string[]" ? items.map { .string($0.text) } : items,
                                  typeName: t == "collections.arraylist" ? "System.Collections.ArrayList" : "System.Object[]"))
        case "datetime":
            if case .date = value { return value }
            if let d = ISO8601.parse(value.text) ?? PowerShellDateFormat.parseDisplay(value.text) { return .date(d) }
            throw ShellError(message: "Cannot convert value \"\(value.text)\" to type \"System.DateTime\". Error: \"String '\(value.text)' was not recognized as a valid DateTime.\"",
                             category: .InvalidArgument, reason: "RuntimeException", errorId: "InvalidCastParseTargetInvocationWithFormatProvider", span: span)
        case "pscustomobject", "management.automation.pscustomobject":
            if case .hashtable(let h) = value { return .object(PSObject(properties: h.pairs)) }
            return value
        case "ordered", "hashtable", "collections.hashtable":
            return value
        case "guid":
            if let g = UUID.parse(value.text) { return .exchange(.guid(g)) }
            throw conversionError(value, to: "System.Guid", span: span)
        case "scriptblock":
            var parser = Parser(value.text)
            do {
                let body = try parser.statementList(terminator: nil)
                return .scriptBlock(ScriptBlock(body: body, text: value.text))
            } catch { throw error }
        case "void": return .null
        default:
            throw ShellError(message: "Unable to find type [\(type)].", category: .InvalidOperation,
                             reason: "RuntimeException", errorId: "TypeNotFound", span: span)
        }
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
