import Foundation

/// Exchange's `EnhancedTimeSpan`: a duration with one-second granularity.
///
/// Parsing follows Exchange: a bare number means **days** (`730` is `730.00:00:00`),
/// otherwise .NET's `[d.]hh:mm[:ss]` (`00:15` is fifteen minutes). The largest value is
/// `24855.03:14:07` (Int32.MaxValue seconds, the range of AuditLogAgeLimit's attribute).
/// Printing is .NET's: `[d.]hh:mm:ss`. [EXCHANGE-FACTS 4.1]
public struct EnhancedTimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let seconds: Int

    public static let maxSeconds = Int(Int32.max)
    public static let zero = EnhancedTimeSpan(seconds: 0)
    public static let max = EnhancedTimeSpan(seconds: maxSeconds)

    public init(seconds: Int) {
        precondition(seconds >= 0 && seconds <= EnhancedTimeSpan.maxSeconds, "EnhancedTimeSpan out of range")
        self.seconds = seconds
    }

    public static func days(_ d: Int) -> EnhancedTimeSpan { EnhancedTimeSpan(seconds: d * 86_400) }
    public static func hours(_ h: Int) -> EnhancedTimeSpan { EnhancedTimeSpan(seconds: h * 3_600) }
    public static func minutes(_ m: Int) -> EnhancedTimeSpan { EnhancedTimeSpan(seconds: m * 60) }

    public var days: Int { seconds / 86_400 }

    public var description: String {
        let d = seconds / 86_400
        let h = (seconds % 86_400) / 3_600
        let m = (seconds % 3_600) / 60
        let s = seconds % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let clock = "\(two(h)):\(two(m)):\(two(s))"
        return d > 0 ? "\(d).\(clock)" : clock
    }

    public static func < (a: EnhancedTimeSpan, b: EnhancedTimeSpan) -> Bool { a.seconds < b.seconds }

    public enum ParseError: Error, Equatable {
        /// Not of the form `n`, `hh:mm`, `hh:mm:ss`, `d.hh:mm` or `d.hh:mm:ss`.
        case format
        /// A component is out of range (hours ≥ 24, minutes or seconds ≥ 60).
        case componentOutOfRange
        /// Larger than `24855.03:14:07` or negative.
        case overflow
    }

    public static func parse(_ text: String) throws(ParseError) -> EnhancedTimeSpan {
        let t = text.trimmedWhitespace
        guard !t.isEmpty, !t.hasPrefix("-") else { throw t.hasPrefix("-") ? .overflow : .format }
        // A bare number of days.
        if t.allSatisfy(\.isASCIIDigit) {
            guard t.count <= 8, let d = Int(t) else { throw .overflow }
            return try checked(d * 86_400)
        }
        var days = 0
        var clock = Substring(t)
        if let colon = t.firstIndex(of: ":"), let dot = t.firstIndex(of: "."), dot < colon {
            guard let d = Int(t[..<dot]), t[..<dot].allSatisfy(\.isASCIIDigit) else { throw .format }
            days = d
            clock = t[t.index(after: dot)...]
        }
        var fraction = Substring("")
        let secondDot = clock.firstIndex(of: ".")
        if let secondDot {
            fraction = clock[clock.index(after: secondDot)...]
            clock = clock[..<secondDot]
            guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { throw .format }
        }
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCIIDigit) }) else {
            throw parts.contains(where: { $0.count > 2 && $0.allSatisfy(\.isASCIIDigit) }) ? .componentOutOfRange : .format
        }
        if secondDot != nil && parts.count != 3 { throw .format }
        let h = Int(parts[0])!, m = Int(parts[1])!, s = parts.count == 3 ? Int(parts[2])! : 0
        guard h < 24, m < 60, s < 60 else { throw .componentOutOfRange }
        guard days <= 10_675_199 else { throw .overflow }
        return try checked(days * 86_400 + h * 3_600 + m * 60 + s)
    }

    private static func checked(_ seconds: Int) throws(ParseError) -> EnhancedTimeSpan {
        guard seconds <= maxSeconds else { throw .overflow }
        return EnhancedTimeSpan(seconds: seconds)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension EnhancedTimeSpan: PropertyConvertible {
    public static var valueType: ValueType { .timeSpan }
    public var propertyValue: PropertyValue { .timeSpan(self) }

    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> EnhancedTimeSpan {
        let text: String
        switch value {
        case .timeSpan(let t): return t
        case .int(let days):
            guard days >= 0, days <= maxSeconds / 86_400 else {
                throw conversionError(value, "The value must be between 00:00:00 and \(EnhancedTimeSpan.max).")
            }
            return .days(days)
        case .string(let s): text = s
        default: text = value.displayText
        }
        do {
            return try parse(text)
        } catch .overflow {
            throw conversionError(value, "The value must be between 00:00:00 and \(EnhancedTimeSpan.max).")
        } catch .componentOutOfRange {
            throw conversionError(value, "The TimeSpan could not be parsed because at least one of the numeric components is out of range or contains too many digits.")
        } catch {
            throw conversionError(value, "String was not recognized as a valid TimeSpan.")
        }
    }
}
