/// An SMTP address shown in proxy form, `smtp:user@domain` — how Exchange shows
/// `ForwardingSmtpAddress`. Accepts the address with or without the prefix.
public struct ProxySmtpAddress: Hashable, Sendable, CustomStringConvertible {
    public let address: SmtpAddress

    public init(_ address: SmtpAddress) { self.address = address }

    public var description: String { "smtp:\(address.address)" }
}

extension ProxySmtpAddress: PropertyConvertible {
    public static var valueType: ValueType { .smtpAddress }
    public var propertyValue: PropertyValue { .string(description) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> ProxySmtpAddress {
        ProxySmtpAddress(try SmtpAddress.convert(from: value))
    }
}
