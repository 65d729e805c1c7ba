import Foundation

/// A Swift type that can stand in an Exchange property: it knows its ``ValueType``, shows
/// itself as a ``PropertyValue`` and converts from one the way Exchange's converters do
/// (text is parsed; numbers widen to the type where Exchange allows it).
public protocol PropertyConvertible: Hashable, Sendable {
    static var valueType: ValueType { get }
    var propertyValue: PropertyValue { get }
    static func convert(from value: PropertyValue) throws(ValueConversionError) -> Self
}

extension PropertyConvertible {
    static func conversionError(_ value: PropertyValue, _ reason: String, valid: [String] = []) -> ValueConversionError {
        ValueConversionError(typeName: valueType.typeName, value: value.displayText, reason: reason, validValues: valid)
    }
}

extension Bool: PropertyConvertible {
    public static var valueType: ValueType { .bool }
    public var propertyValue: PropertyValue { .bool(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> Bool {
        switch value {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .string(let s):
            switch s.lowercased() {
            case "true", "$true": return true
            case "false", "$false": return false
            default: break
            }
        default: break
        }
        throw conversionError(value, "String was not recognized as a valid Boolean.", valid: ["True", "False"])
    }
}

extension Int: PropertyConvertible {
    public static var valueType: ValueType { .int(nil) }
    public var propertyValue: PropertyValue { .int(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> Int {
        switch value {
        case .int(let i): return i
        case .string(let s):
            if let i = Int(s.trimmingCharacters(in: .whitespaces)) { return i }
        default: break
        }
        throw conversionError(value, "Input string was not in a correct format.")
    }
}

extension String: PropertyConvertible {
    public static var valueType: ValueType { .string }
    public var propertyValue: PropertyValue { .string(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> String {
        switch value {
        case .null: return ""
        case .list(let items) where items.count == 1: return try convert(from: items[0])
        case .list: throw conversionError(value, "Cannot convert a list to a single string.")
        default: return value.canonicalText
        }
    }
}

extension Date: PropertyConvertible {
    public static var valueType: ValueType { .date }
    public var propertyValue: PropertyValue { .date(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> Date {
        switch value {
        case .date(let d): return d
        case .string(let s):
            if let d = ISO8601.parse(s) ?? PowerShellDateFormat.parseDisplay(s) { return d }
        default: break
        }
        throw conversionError(value, "String was not recognized as a valid DateTime.")
    }
}

extension UUID: PropertyConvertible {
    public static var valueType: ValueType { .guid }
    public var propertyValue: PropertyValue { .guid(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> UUID {
        switch value {
        case .guid(let g): return g
        case .string(let s):
            if let g = UUID(uuidString: s.trimmingCharacters(in: CharacterSet(charactersIn: "{} "))) { return g }
        default: break
        }
        throw conversionError(value, "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).")
    }
}

/// A nullable property (`$null` clears it).
extension Optional: PropertyConvertible where Wrapped: PropertyConvertible {
    public static var valueType: ValueType { .optional(Wrapped.valueType) }
    public var propertyValue: PropertyValue { self.map(\.propertyValue) ?? .null }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> Wrapped? {
        if case .null = value { return nil }
        if case .string(let s) = value, s.isEmpty, Wrapped.self != String.self { return nil }
        return try Wrapped.convert(from: value)
    }
}

/// A multi-valued property. A single value becomes a one-element list; a comma inside
/// one text value splits it, as Exchange's MultiValuedProperty converter does for flag lists.
extension Array: PropertyConvertible where Element: PropertyConvertible {
    public static var valueType: ValueType { .multiValued(Element.valueType) }
    public var propertyValue: PropertyValue { .list(map(\.propertyValue)) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> [Element] {
        switch value {
        case .null: return []
        case .list(let items):
            var out: [Element] = []
            for item in items { out += try convert(from: item) }
            return out
        case .string(let s) where Element.splitsOnComma && s.contains(","):
            var out: [Element] = []
            for part in s.split(separator: ",") {
                out.append(try Element.convert(from: .string(part.trimmingCharacters(in: .whitespaces))))
            }
            return out
        default:
            return [try Element.convert(from: value)]
        }
    }
}

extension PropertyConvertible {
    /// Whether a comma inside a single text value separates several values of this type.
    /// True for enumerations and IP ranges (Exchange splits flag lists and address lists);
    /// false for free text.
    public static var splitsOnComma: Bool {
        switch valueType {
        case .enumeration, .ipRange, .smtpAddress: return true
        default: return false
        }
    }
}

extension PowerShellDateFormat {
    /// Parses `M/d/yyyy h:mm:ss AM` and `M/d/yyyy H:mm:ss` (UTC), the form PowerShell prints.
    public static func parseDisplay(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard let datePart = parts.first else { return nil }
        let dmy = datePart.split(separator: "/").compactMap { Int($0) }
        guard dmy.count == 3 else { return nil }
        var comps = DateComponents()
        comps.month = dmy[0]; comps.day = dmy[1]; comps.year = dmy[2]
        comps.hour = 0; comps.minute = 0; comps.second = 0
        if parts.count >= 2 {
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            guard hms.count >= 2 else { return nil }
            var h = hms[0]
            if parts.count >= 3 {
                let ampm = parts[2].uppercased()
                if ampm == "PM", h < 12 { h += 12 }
                if ampm == "AM", h == 12 { h = 0 }
            }
            comps.hour = h; comps.minute = hms[1]; comps.second = hms.count > 2 ? hms[2] : 0
        }
        return utcCalendar.date(from: comps)
    }
}
