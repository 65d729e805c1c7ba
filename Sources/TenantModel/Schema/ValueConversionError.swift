/// A value that could not be converted to a property's type. The texts follow what
/// Exchange's type converters say, so front ends can wrap them in PowerShell's
/// "Cannot process argument transformation" frame or in a fixture's file position.
public struct ValueConversionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The .NET type name Exchange reports, e.g. `Microsoft.Exchange.Data.ClientAccessRulesAction`.
    public var typeName: String
    /// The offending value as it was given.
    public var value: String
    /// Why it failed, in Exchange's words where known.
    public var reason: String
    /// The values that would have been accepted, when they can be listed.
    public var validValues: [String]

    public init(typeName: String, value: String, reason: String, validValues: [String] = []) {
        self.typeName = typeName
        self.value = value
        self.reason = reason
        self.validValues = validValues
    }

    /// `Cannot convert value "x" to type "T". Error: "reason"` — PowerShell's conversion text.
    public var description: String {
        "Cannot convert value \"\(value)\" to type \"\(typeName)\". Error: \"\(reason)\""
    }
}
