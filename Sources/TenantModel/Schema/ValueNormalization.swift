import Foundation

extension ValueType {
    /// Converts `value` to this type the way Exchange's converters would, returning the
    /// canonical typed value (`.timeSpan`, `.enumCase`, a `.list` of typed items, ...).
    /// Binding uses this to refuse a bad argument before any object is touched.
    public func normalize(_ value: PropertyValue) throws(ValueConversionError) -> PropertyValue {
        switch self {
        case .bool: return try Bool.convert(from: value).propertyValue
        case .int(let range):
            let i = try Int.convert(from: value)
            if let range, !range.contains(i) {
                throw ValueConversionError(typeName: typeName, value: value.displayText,
                                           reason: "The value must be between \(range.lowerBound) and \(range.upperBound).")
            }
            return .int(i)
        case .string: return .string(try String.convert(from: value))
        case .date: return .date(try Date.convert(from: value))
        case .guid: return .guid(try UUID.convert(from: value))
        case .timeSpan: return .timeSpan(try EnhancedTimeSpan.convert(from: value))
        case .byteSize: return .byteSize(try ByteQuantifiedSize.convert(from: value))
        case .ipRange: return .ipRange(try IPRange.convert(from: value))
        case .smtpAddress: return .smtpAddress(try SmtpAddress.convert(from: value))
        case .enumeration(let e):
            let text: String
            switch value {
            case .enumCase(_, let name): text = name
            default: text = value.displayText
            }
            let t = text.trimmedWhitespace
            if let exact = e.names.first(where: { $0 == t }) ?? e.names.first(where: { $0.lowercased() == t.lowercased() }) {
                return .enumCase(type: e.typeName, name: exact)
            }
            throw ValueConversionError(
                typeName: e.typeName, value: text,
                reason: "Unable to match the identifier name \(text) to a valid enumerator name. Specify one of the following enumerator names and try again:\n\(e.names.joined(separator: ", "))",
                validValues: e.names)
        case .unlimited(let inner):
            if case .unlimited = value { return .unlimited }
            if case .string(let s) = value, s.trimmedWhitespace.lowercased() == "unlimited" { return .unlimited }
            do { return try inner.normalize(value) } catch {
                throw ValueConversionError(typeName: typeName, value: error.value, reason: error.reason,
                                           validValues: ["Unlimited"] + error.validValues)
            }
        case .optional(let inner):
            if case .null = value { return .null }
            if case .string(let s) = value, s.isEmpty, inner != .string { return .null }
            return try inner.normalize(value)
        case .multiValued(let inner):
            switch value {
            case .null: return .list([])
            case .list(let items):
                var out: [PropertyValue] = []
                for item in items {
                    let n = try normalize(item)
                    if case .list(let parts) = n { out += parts } else { out.append(n) }
                }
                return .list(out)
            case .string(let s) where inner.splitsOnComma && s.contains(","):
                var out: [PropertyValue] = []
                for part in s.split(separator: ",") { out.append(try inner.normalize(.string(part.trimmedWhitespace))) }
                return .list(out)
            default:
                return .list([try inner.normalize(value)])
            }
        }
    }

    /// Whether a comma inside one text value separates values of this (element) type.
    var splitsOnComma: Bool {
        switch self {
        case .enumeration, .ipRange, .smtpAddress: return true
        case .optional(let i), .unlimited(let i): return i.splitsOnComma
        default: return false
        }
    }

    /// The element type of a multi-valued type (self otherwise).
    public var elementType: ValueType {
        switch self {
        case .multiValued(let i): return i
        case .optional(let i): return i.elementType
        default: return self
        }
    }
}
