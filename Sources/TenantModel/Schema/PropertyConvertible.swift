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
            if let i = Int(s.trimmedWhitespace) { return i }
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
            if let g = UUID.parse(s) { return g }
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
                out.append(try Element.convert(from: .string(part.trimmedWhitespace)))
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
    /// Impossible dates and times (2/30, hour 25, 13:00 PM) are refused, as .NET's parser does.
    public static func parseDisplay(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard let datePart = parts.first, parts.count <= 3 else { return nil }
        let mdy = datePart.split(separator: "/").compactMap { Int($0) }
        guard mdy.count == 3 else { return nil }
        var hour = 0, minute = 0, second = 0
        if parts.count >= 2 {
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            guard hms.count >= 2, hms.count <= 3 else { return nil }
            hour = hms[0]; minute = hms[1]; second = hms.count > 2 ? hms[2] : 0
            if parts.count == 3 {
                let ampm = parts[2].uppercased()
                guard ampm == "AM" || ampm == "PM", (1...12).contains(hour) else { return nil }
                if ampm == "PM", hour < 12 { hour += 12 }
                if ampm == "AM", hour == 12 { hour = 0 }
            }
        }
        return CivilTime.date(year: mdy[2], month: mdy[0], day: mdy[1], hour: hour, minute: minute, second: second)
    }
}

extension UUID {
    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, optionally in braces, either case.
    public static func parse(_ text: String) -> UUID? {
        var bytes = [UInt8](repeating: 0, count: 16)
        var count = 0, high = true
        var value: UInt8 = 0
        var utf8 = Substring(text.trimmedWhitespace).utf8[...]
        if utf8.first == 123, utf8.last == 125 { utf8 = utf8.dropFirst().dropLast() } // { }
        var position = 0
        for c in utf8 {
            let nibble: UInt8
            switch c {
            case 48...57: nibble = c - 48
            case 97...102: nibble = c - 87
            case 65...70: nibble = c - 55
            case 45:
                guard [8, 13, 18, 23].contains(position) else { return nil }
                position += 1
                continue
            default: return nil
            }
            guard count < 16 else { return nil }
            if high { value = nibble << 4 } else { bytes[count] = value | nibble; count += 1 }
            high.toggle()
            position += 1
        }
        guard count == 16, position == 36 || position == 32 else { return nil }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
