/// Validators for ``PropertyDefinition`` — Exchange's per-property limits. Each returns the
/// reason a value is refused, or nil.

/// Text of at most `limit` characters (nil passes).
public func maxLength(_ limit: Int) -> @Sendable (String?) -> String? {
    { value in
        guard let value, value.count > limit else { return nil }
        return "The length of the property is too long. The maximum length is \(limit) and the length of the value provided is \(value.count)."
    }
}

/// A whole number in `range`.
public func within(_ range: ClosedRange<Int>) -> @Sendable (Int) -> String? {
    { value in
        range.contains(value) ? nil
            : "The value must be between \(range.lowerBound) and \(range.upperBound)."
    }
}

/// A limited value of an `Unlimited<T>` in `range`; `Unlimited` always passes.
public func within<T: Comparable & PropertyConvertible>(_ range: ClosedRange<T>) -> @Sendable (Unlimited<T>) -> String? {
    { value in
        guard case .limited(let v) = value, !range.contains(v) else { return nil }
        return "The value must be between \(range.lowerBound.propertyValue.displayText) and \(range.upperBound.propertyValue.displayText), or Unlimited."
    }
}

/// An optional value in `range`; nil passes.
public func within<T: Comparable & PropertyConvertible>(_ range: ClosedRange<T>) -> @Sendable (T?) -> String? {
    { value in
        guard let v = value, !range.contains(v) else { return nil }
        return "The value must be between \(range.lowerBound.propertyValue.displayText) and \(range.upperBound.propertyValue.displayText)."
    }
}
