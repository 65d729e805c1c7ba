/// The declared type of a property or parameter: what binding converts to, what tab
/// completion offers and what the docs print.
public indirect enum ValueType: Hashable, Sendable {
    case bool
    case int(ClosedRange<Int>?)
    case string
    case date
    case guid
    case enumeration(EnumDescriptor)
    case timeSpan
    case byteSize
    case ipRange
    case smtpAddress
    case unlimited(ValueType)
    case multiValued(ValueType)
    case optional(ValueType)

    /// The .NET type name Exchange reports in conversion errors.
    public var typeName: String {
        switch self {
        case .bool: return "System.Boolean"
        case .int: return "System.Int32"
        case .string: return "System.String"
        case .date: return "System.DateTime"
        case .guid: return "System.Guid"
        case .enumeration(let e): return e.typeName
        case .timeSpan: return "Microsoft.Exchange.Data.EnhancedTimeSpan"
        case .byteSize: return "Microsoft.Exchange.Data.ByteQuantifiedSize"
        case .ipRange: return "Microsoft.Exchange.Data.IPRange"
        case .smtpAddress: return "Microsoft.Exchange.Data.SmtpAddress"
        case .unlimited(let inner): return "Microsoft.Exchange.Data.Unlimited`1[\(inner.typeName)]"
        case .multiValued(let inner): return "Microsoft.Exchange.Data.MultiValuedProperty`1[\(inner.typeName)]"
        case .optional(let inner): return inner.typeName
        }
    }

    /// A short name for help text and docs (`Boolean`, `Unlimited<EnhancedTimeSpan>`).
    public var shortName: String {
        switch self {
        case .bool: return "Boolean"
        case .int: return "Int32"
        case .string: return "String"
        case .date: return "DateTime"
        case .guid: return "Guid"
        case .enumeration(let e): return e.shortName
        case .timeSpan: return "EnhancedTimeSpan"
        case .byteSize: return "ByteQuantifiedSize"
        case .ipRange: return "IPRange"
        case .smtpAddress: return "SmtpAddress"
        case .unlimited(let inner): return "Unlimited<\(inner.shortName)>"
        case .multiValued(let inner): return "MultiValuedProperty<\(inner.shortName)>"
        case .optional(let inner): return inner.shortName
        }
    }

    /// Enumerator names where the type (or its element type) is an enumeration.
    public var enumeratorNames: [String] {
        switch self {
        case .enumeration(let e): return e.names
        case .unlimited(let i), .multiValued(let i), .optional(let i): return i.enumeratorNames
        case .bool: return ["$true", "$false"]
        default: return []
        }
    }

    public var isMultiValued: Bool {
        switch self {
        case .multiValued: return true
        case .optional(let i): return i.isMultiValued
        default: return false
        }
    }
}

/// Names an Exchange enumeration and its enumerators in declaration order.
public struct EnumDescriptor: Hashable, Sendable {
    public let typeName: String
    public let names: [String]

    public init(typeName: String, names: [String]) {
        self.typeName = typeName
        self.names = names
    }

    public var shortName: String { typeName.split(separator: ".").last.map(String.init) ?? typeName }
}
