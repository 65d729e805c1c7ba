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

/// Dates as PowerShell 7 prints them on Linux with the en-US culture: `11/29/2026 12:57:04`.
public enum PowerShellDateFormat {
    public static func display(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let hour = c.hour ?? 0
        let h12 = hour % 12 == 0 ? 12 : hour % 12
        return "\(c.month!)/\(c.day!)/\(c.year!) \(h12):\(pad2(c.minute!)):\(pad2(c.second!)) \(hour < 12 ? "AM" : "PM")"
    }

    static let utcCalendar: Calendar = {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal
    }()

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}

/// ISO 8601 in UTC with a `Z`, second precision: the form fixtures and the store use.
public enum ISO8601 {
    public static func format(_ date: Date) -> String {
        let c = PowerShellDateFormat.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func p(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return "\(p(c.year!, 4))-\(p(c.month!, 2))-\(p(c.day!, 2))T\(p(c.hour!, 2)):\(p(c.minute!, 2)):\(p(c.second!, 2))Z"
    }

    /// Parses `2026-03-02T09:00:00Z`, `2026-03-02T09:00:00`, `2026-03-02T09:00Z` or `2026-03-02` (UTC).
    public static func parse(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let scalars = Array(t.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= scalars.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = scalars[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), scalars.count >= 10, scalars[4] == 45, let mo = num(5, 2), scalars[7] == 45, let d = num(8, 2) else { return nil }
        var h = 0, mi = 0, s = 0
        var i = 10
        if i < scalars.count {
            guard scalars[i] == 84 || scalars[i] == 32 else { return nil } // 'T' or ' '
            guard let hh = num(i + 1, 2), scalars.count > i + 3, scalars[i + 3] == 58, let mm = num(i + 4, 2) else { return nil }
            h = hh; mi = mm; i += 6
            if i < scalars.count, scalars[i] == 58 {
                guard let ss = num(i + 1, 2) else { return nil }
                s = ss; i += 3
                if i < scalars.count, scalars[i] == 46 { // fractional seconds: ignored
                    i += 1
                    while i < scalars.count, scalars[i] >= 48, scalars[i] <= 57 { i += 1 }
                }
            }
            if i < scalars.count, scalars[i] == 90 { i += 1 } // 'Z'
            guard i == scalars.count else { return nil }
        }
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        var comps = DateComponents()
        comps.year = y; comps.month = mo; comps.day = d; comps.hour = h; comps.minute = mi; comps.second = s
        guard let date = PowerShellDateFormat.utcCalendar.date(from: comps),
              PowerShellDateFormat.utcCalendar.component(.day, from: date) == d else { return nil }
        return date
    }
}
