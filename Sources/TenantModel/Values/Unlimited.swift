import Foundation

/// Exchange's `Unlimited<T>`: either the word `Unlimited` or a value of `T`.
/// `Unlimited` parses case-insensitively; anything else is parsed as `T`.
public enum Unlimited<Value: PropertyConvertible>: Hashable, Sendable, CustomStringConvertible {
    case unlimited
    case limited(Value)

    public var isUnlimited: Bool { if case .unlimited = self { return true } else { return false } }

    public var value: Value? { if case .limited(let v) = self { return v } else { return nil } }

    public var description: String { propertyValue.displayText }
}

extension Unlimited: Comparable where Value: Comparable {
    /// `Unlimited` is larger than every limited value.
    public static func < (a: Unlimited, b: Unlimited) -> Bool {
        switch (a, b) {
        case (.limited(let x), .limited(let y)): return x < y
        case (.limited, .unlimited): return true
        default: return false
        }
    }
}

extension Unlimited: PropertyConvertible {
    public static var valueType: ValueType { .unlimited(Value.valueType) }

    public var propertyValue: PropertyValue {
        switch self {
        case .unlimited: return .unlimited
        case .limited(let v): return v.propertyValue
        }
    }

    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> Unlimited<Value> {
        switch value {
        case .unlimited: return .unlimited
        case .string(let s) where s.trimmedWhitespace.lowercased() == "unlimited": return .unlimited
        default:
            do {
                return .limited(try Value.convert(from: value))
            } catch {
                throw ValueConversionError(typeName: valueType.typeName, value: error.value,
                                           reason: error.reason, validValues: ["Unlimited"] + error.validValues)
            }
        }
    }
}
