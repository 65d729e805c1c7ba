import Foundation

/// An SMTP address. Exchange keeps the case it was given and compares ignoring case.
public struct SmtpAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let address: String

    public init?(_ text: String) {
        let t = text.trimmedWhitespace
        guard SmtpAddress.isValid(t) else { return nil }
        address = t
    }

    /// RFC 5321-ish check on bytes: a dot-atom local part (≤ 64) and a dotted host name.
    static func isValid(_ t: String) -> Bool {
        var utf8 = Array(t.utf8)
        return utf8.withUnsafeMutableBufferPointer { b -> Bool in
            guard let at = b.lastIndex(of: 64) else { return false } // '@'
            let localLen = at, domainStart = at + 1, domainLen = b.count - domainStart
            guard localLen > 0, localLen <= 64, domainLen > 0, domainLen <= 255 else { return false }
            func isAlnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
            let localSpecials: Set<UInt8> = Set("!#$%&'*+-/=?^_`{|}~".utf8)
            var previousDot = true
            for i in 0..<localLen {
                let c = b[i]
                if c == 46 { // '.'
                    if previousDot { return false }
                    previousDot = true
                } else {
                    guard isAlnum(c) || localSpecials.contains(c) else { return false }
                    previousDot = false
                }
            }
            if previousDot { return false }
            previousDot = true
            var dots = 0
            for i in domainStart..<b.count {
                let c = b[i]
                if c == 46 {
                    if previousDot { return false }
                    previousDot = true
                    dots += 1
                } else {
                    guard isAlnum(c) || c == 45 else { return false }
                    previousDot = false
                }
            }
            return !previousDot && dots > 0
        }
    }

    public var local: String { String(address[..<address.lastIndex(of: "@")!]) }
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }
    public var description: String { address }

    public static func == (a: SmtpAddress, b: SmtpAddress) -> Bool { a.address.lowercased() == b.address.lowercased() }
    public func hash(into h: inout Hasher) { h.combine(address.lowercased()) }
    public static func < (a: SmtpAddress, b: SmtpAddress) -> Bool { a.address.lowercased() < b.address.lowercased() }
}

extension SmtpAddress: PropertyConvertible {
    public static var valueType: ValueType { .smtpAddress }
    public var propertyValue: PropertyValue { .smtpAddress(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> SmtpAddress {
        switch value {
        case .smtpAddress(let a): return a
        case .string(let s):
            // "SMTP:" / "smtp:" proxy prefixes are accepted as Exchange does for addresses.
            let bare = s.lowercased().hasPrefix("smtp:") ? String(s.dropFirst(5)) : s
            if let a = SmtpAddress(bare) { return a }
        default: break
        }
        throw conversionError(value, "The email address \"\(value.displayText)\" isn't correct. Please use this format: user name, the @ sign, followed by the domain name. For example, tonysmith@contoso.com or tony.smith@contoso.com.")
    }
}
