import Foundation

/// Exchange's `ByteQuantifiedSize`: a size in bytes, printed as `10 MB (10,485,760 bytes)`.
/// Parses `10485760`, `10MB`, `10 MB`, `1.5GB`, `512KB`, `2 TB` and Exchange's own printed form.
public struct ByteQuantifiedSize: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    static let units: [(name: String, factor: Int)] = [
        ("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1),
    ]

    public var description: String {
        let unit = Self.units.first { bytes >= $0.factor } ?? ("B", 1)
        let amount: String
        if unit.factor == 1 {
            amount = String(bytes)
        } else {
            // Two decimals, truncated, trailing zeros dropped: 1.99 GB, 30 GB.
            // Hundredths of the remainder only, so that `bytes * 100` cannot overflow.
            let whole = bytes / unit.factor, frac = bytes % unit.factor * 100 / unit.factor
            amount = frac == 0 ? String(whole) : (frac % 10 == 0 ? "\(whole).\(frac / 10)" : "\(whole).\(frac < 10 ? "0" : "")\(frac)")
        }
        return "\(amount) \(unit.name) (\(Self.grouped(bytes)) bytes)"
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    public static func < (a: ByteQuantifiedSize, b: ByteQuantifiedSize) -> Bool { a.bytes < b.bytes }

    public static func parse(_ text: String) -> ByteQuantifiedSize? {
        var t = text.trimmedWhitespace
        if let paren = t.firstIndex(of: "(") { // Exchange's printed form: use the exact byte count
            let inner = t[t.index(after: paren)...].filter { $0.isNumber }
            return Int(inner).map(ByteQuantifiedSize.init(bytes:))
        }
        t = t.uppercased().replacingOccurrences(of: " ", with: "")
        for unit in units where t.hasSuffix(unit.name) {
            let number = String(t.dropLast(unit.name.count))
            guard let v = Double(number), v >= 0, !number.isEmpty else { return nil }
            // `Int(_:)` traps on infinity and on values beyond Int.max ("infKB", "1e30TB").
            let bytes = v * Double(unit.factor)
            guard bytes < Double(Int.max) else { return nil }
            return ByteQuantifiedSize(bytes: Int(bytes))
        }
        guard let v = Int(t), v >= 0 else { return nil }
        return ByteQuantifiedSize(bytes: v)
    }
}

extension ByteQuantifiedSize: PropertyConvertible {
    public static var valueType: ValueType { .byteSize }
    public var propertyValue: PropertyValue { .byteSize(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> ByteQuantifiedSize {
        switch value {
        case .byteSize(let b): return b
        case .int(let i) where i >= 0: return ByteQuantifiedSize(bytes: i)
        case .string(let s): if let b = parse(s) { return b }
        default: break
        }
        throw conversionError(value, "The value \"\(value.displayText)\" isn't a valid byte quantity. Use a number followed by B, KB, MB, GB or TB, for example 10MB.")
    }
}
