/// An Exchange enumeration whose Swift cases carry the real enumerator names as raw values.
/// Parsing is by exact name, case-insensitive, as PowerShell's enum conversion does; the
/// error names every valid enumerator.
public protocol ExchangeEnum: PropertyConvertible, CaseIterable, RawRepresentable where RawValue == String {
    /// The .NET type name, e.g. `Microsoft.Exchange.Data.ClientAccessRulesAction`.
    static var typeName: String { get }
}

extension ExchangeEnum {
    public static var descriptor: EnumDescriptor {
        EnumDescriptor(typeName: typeName, names: allCases.map(\.rawValue))
    }

    public static var valueType: ValueType { .enumeration(descriptor) }

    public var propertyValue: PropertyValue { .enumCase(type: Self.typeName, name: rawValue) }

    /// The enumerator whose name equals `text`, ignoring case; nil when none does.
    public static func named(_ text: String) -> Self? {
        let t = text.trimmedWhitespace
        if let exact = Self(rawValue: t) { return exact }
        let lower = t.lowercased()
        return allCases.first { $0.rawValue.lowercased() == lower }
    }

    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> Self {
        let text: String
        switch value {
        case .enumCase(_, let name): text = name
        case .string(let s): text = s
        default: text = value.displayText
        }
        if let match = named(text) { return match }
        let names = allCases.map(\.rawValue)
        throw ValueConversionError(
            typeName: typeName, value: text,
            reason: "Unable to match the identifier name \(text) to a valid enumerator name. Specify one of the following enumerator names and try again:\n\(names.joined(separator: ", "))",
            validValues: names)
    }
}
