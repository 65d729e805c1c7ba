import Foundation

/// An SMTP address. Exchange keeps the case it was given and compares ignoring case.
public struct SmtpAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let address: String

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let at = t.lastIndex(of: "@") else { return nil }
        let local = t[..<at], domain = t[t.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, !domain.isEmpty, domain.count <= 255,
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
              local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-/=?^_`{|}~.".contains($0)) }),
              domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else { return nil }
        address = t
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
