import Foundation

/// A property value as the shell, fixtures and the store see it: dynamically typed,
/// printable the way Exchange prints it, and parseable from the way admins type it.
///
/// Objects keep their properties as typed Swift values; `PropertyValue` is the common
/// currency at their edges (see ``PropertyConvertible``).
public indirect enum PropertyValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case date(Date)
    case guid(UUID)
    /// The value of an Exchange enumeration: the type's name and the enumerator's name.
    case enumCase(type: String, name: String)
    case timeSpan(EnhancedTimeSpan)
    case byteSize(ByteQuantifiedSize)
    case ipRange(IPRange)
    case smtpAddress(SmtpAddress)
    /// The `Unlimited` marker of an `Unlimited<T>` property.
    case unlimited
    /// A multi-valued property.
    case list([PropertyValue])

    /// The text PowerShell shows for this value (`True`, `730.00:00:00`, `Unlimited`, `{a, b}`).
    public var displayText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .string(let s): return s
        case .date(let d): return PowerShellDateFormat.display(d)
        case .guid(let g): return g.uuidString.lowercased()
        case .enumCase(_, let name): return name
        case .timeSpan(let t): return t.description
        case .byteSize(let b): return b.description
        case .ipRange(let r): return r.description
        case .smtpAddress(let a): return a.description
        case .unlimited: return "Unlimited"
        case .list(let items): return "{" + items.map(\.displayText).joined(separator: ", ") + "}"
        }
    }

    /// The text that fixtures and the store use: like `displayText`, but dates are ISO 8601
    /// and lists are not brace-wrapped (lists are written as YAML sequences).
    public var canonicalText: String {
        switch self {
        case .date(let d): return ISO8601.format(d)
        case .list(let items): return items.map(\.canonicalText).joined(separator: ",")
        default: return displayText
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}

/// Dates as PowerShell 7 prints them on Linux with the en-US culture: `11/29/2026 12:57:04 PM`.
/// Times are UTC; the simulator has no local time zone.
public enum PowerShellDateFormat {
    public static func display(_ date: Date) -> String {
        let c = CivilTime(date)
        let h12 = c.hour % 12 == 0 ? 12 : c.hour % 12
        return "\(c.month)/\(c.day)/\(c.year) \(h12):\(pad2(c.minute)):\(pad2(c.second)) \(c.hour < 12 ? "AM" : "PM")"
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}

/// A UTC date split into calendar fields with integer arithmetic (no Calendar on hot paths).
public struct CivilTime: Hashable, Sendable {
    public var year, month, day, hour, minute, second: Int

    public init(_ date: Date) {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var secs = total % 86_400
        if secs < 0 { secs += 86_400; days -= 1 }
        (year, month, day) = CivilTime.civil(fromDays: days)
        hour = secs / 3_600
        minute = secs % 3_600 / 60
        second = secs % 60
    }

    /// The date of these fields, or nil when a field is out of range (Feb 30, hour 24).
    public static func date(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0..<24).contains(hour), (0..<60).contains(minute),
              (0..<60).contains(second) else { return nil }
        let days = CivilTime.days(year: year, month: month, day: day)
        guard CivilTime.civil(fromDays: days) == (year, month, day) else { return nil }
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// ISO 8601 in UTC with a `Z`, second precision: the form fixtures and the store use.
public enum ISO8601 {
    public static func format(_ date: Date) -> String {
        let c = CivilTime(date)
        func p(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return "\(p(c.year, 4))-\(p(c.month, 2))-\(p(c.day, 2))T\(p(c.hour, 2)):\(p(c.minute, 2)):\(p(c.second, 2))Z"
    }

    /// Parses `2026-03-02T09:00:00Z`, `2026-03-02T09:00:00`, `2026-03-02T09:00Z` or `2026-03-02` (UTC);
    /// fractional seconds are accepted and dropped.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { scalars -> Date? in
            var start = 0, end = scalars.count
            while start < end, scalars[start] == 32 { start += 1 }
            while end > start, scalars[end - 1] == 32 { end -= 1 }
            func num(_ from: Int, _ len: Int) -> Int? {
                guard start + from + len <= end else { return nil }
                var v = 0
                for i in (start + from)..<(start + from + len) {
                    let c = scalars[i]
                    guard c >= 48 && c <= 57 else { return nil }
                    v = v * 10 + Int(c - 48)
                }
                return v
            }
            guard end - start >= 10, let y = num(0, 4), scalars[start + 4] == 45, let mo = num(5, 2),
                  scalars[start + 7] == 45, let d = num(8, 2) else { return nil }
            var h = 0, mi = 0, s = 0
            var i = start + 10
            if i < end {
                guard scalars[i] == 84 || scalars[i] == 32 else { return nil } // 'T' or ' '
                guard let hh = num(i - start + 1, 2), end > i + 3, scalars[i + 3] == 58, let mm = num(i - start + 4, 2) else { return nil }
                h = hh; mi = mm; i += 6
                if i < end, scalars[i] == 58 {
                    guard let ss = num(i - start + 1, 2) else { return nil }
                    s = ss; i += 3
                    if i < end, scalars[i] == 46 {
                        i += 1
                        while i < end, scalars[i] >= 48, scalars[i] <= 57 { i += 1 }
                    }
                }
                if i < end, scalars[i] == 90 { i += 1 } // 'Z'
                guard i == end else { return nil }
            }
            return CivilTime.date(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        }
    }
}
