import Foundation
import TenantModel

/// A value in the shell: PowerShell's dynamic types, reduced to what the cmdlets and the
/// white paper's commands use. Objects and hashtables are references, as in PowerShell.
public indirect enum PSValue: @unchecked Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case date(Date)
    /// An Exchange-typed scalar (EnhancedTimeSpan, an enumeration value, Unlimited, IPRange,
    /// SmtpAddress, ByteQuantifiedSize, Guid): prints as Exchange prints it and compares by text.
    case exchange(PropertyValue)
    case array(PSArray)
    case hashtable(PSHashtable)
    case scriptBlock(ScriptBlock)
    case object(PSObject)

    public static let `true` = PSValue.bool(true)
    public static let `false` = PSValue.bool(false)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value from an Exchange property: lists become arrays typed as PowerShell sees a
    /// deserialized MultiValuedProperty (`System.Collections.ArrayList`).
    public init(_ property: PropertyValue) {
        switch property {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .string(let s): self = .string(s)
        case .date(let d): self = .date(d)
        case .list(let items): self = .array(PSArray(items.map(PSValue.init), typeName: "System.Collections.ArrayList"))
        default: self = .exchange(property)
        }
    }

    /// PowerShell's string conversion (`"$x"`, `-eq` against a string, Export-Csv fields):
    /// `True`, numbers in invariant culture, dates as `M/d/yyyy h:mm:ss AM`, arrays joined
    /// with spaces (as `"$array"` does).
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return PSValue.formatDouble(d)
        case .string(let s): return s
        case .date(let d): return PowerShellDateFormat.display(d)
        case .exchange(let p): return p.displayText
        case .array(let a): return a.items.map(\.text).joined(separator: " ")
        case .hashtable: return "System.Collections.Hashtable"
        case .scriptBlock(let s): return s.text
        case .object(let o): return o.toStringText
        }
    }

    /// What .NET's ToString gives: Export-Csv and Select-Object's string casts use this,
    /// so a collection prints as its type name.
    public var toStringText: String {
        switch self {
        case .array(let a): return a.typeName
        default: return text
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        var s = String(d)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// PowerShell truthiness: `$null`, `$false`, 0, "" and empty arrays are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a):
            if a.items.isEmpty { return false }
            if a.items.count == 1 { return a.items[0].isTruthy }
            return true
        default: return true
        }
    }

    /// The elements a pipeline enumerates: arrays unroll, everything else is one item,
    /// `$null` is one `$null` item when it stands alone in a pipeline.
    public var enumerated: [PSValue] {
        if case .array(let a) = self { return a.items }
        return [self]
    }

    /// PowerShell's type name for `GetType().FullName`-style messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "System.Boolean"
        case .int: return "System.Int32"
        case .double: return "System.Double"
        case .string: return "System.String"
        case .date: return "System.DateTime"
        case .exchange(let p):
            switch p {
            case .timeSpan: return "Microsoft.Exchange.Data.EnhancedTimeSpan"
            case .enumCase(let type, _): return type
            case .guid: return "System.Guid"
            case .ipRange: return "Microsoft.Exchange.Data.IPRange"
            case .smtpAddress: return "Microsoft.Exchange.Data.SmtpAddress"
            case .byteSize: return "Microsoft.Exchange.Data.ByteQuantifiedSize"
            case .unlimited: return "Microsoft.Exchange.Data.Unlimited"
            default: return "System.Object"
            }
        case .array(let a): return a.typeName
        case .hashtable: return "System.Collections.Hashtable"
        case .scriptBlock: return "System.Management.Automation.ScriptBlock"
        case .object(let o): return o.typeNames.first ?? "System.Management.Automation.PSCustomObject"
        }
    }

    /// The value as an Exchange property value, for binding to a cmdlet parameter.
    public var propertyValue: PropertyValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .string(PSValue.formatDouble(d))
        case .string(let s): return .string(s)
        case .date(let d): return .date(d)
        case .exchange(let p): return p
        case .array(let a): return .list(a.items.map(\.propertyValue))
        case .object(let o):
            if let identity = o.identityText { return .string(identity) }
            return .string(o.toStringText)
        default: return .string(text)
        }
    }
}

/// An array, with the .NET type PowerShell would report for it (`System.Object[]` for
/// `@()` and comma lists; `System.Collections.ArrayList` for deserialized Exchange lists).
public struct PSArray: @unchecked Sendable {
    public var items: [PSValue]
    public var typeName: String

    public init(_ items: [PSValue], typeName: String = "System.Object[]") {
        self.items = items
        self.typeName = typeName
    }
}

/// `@{...}`: keys compare ignoring case and keep their insertion order.
public final class PSHashtable: @unchecked Sendable {
    public private(set) var keys: [String] = []
    private var values: [String: PSValue] = [:]
    private var originalKey: [String: String] = [:]

    public init() {}

    public init(_ pairs: [(String, PSValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public subscript(key: String) -> PSValue? {
        get { values[key.lowercased()] }
        set {
            let k = key.lowercased()
            if let newValue {
                if values[k] == nil { keys.append(key); originalKey[k] = key }
                values[k] = newValue
            } else if values.removeValue(forKey: k) != nil {
                keys.removeAll { $0.lowercased() == k }
                originalKey[k] = nil
            }
        }
    }

    public var pairs: [(String, PSValue)] { keys.map { ($0, values[$0.lowercased()]!) } }
    public var count: Int { keys.count }
}

/// `{ ... }`: a parsed block with its source text.
public struct ScriptBlock: @unchecked Sendable {
    public let body: [Statement]
    public let text: String

    public init(body: [Statement], text: String) {
        self.body = body
        self.text = text
    }
}
