/// The default views: how Out-Default shows an object of a given type when the format
/// data (PowerShell's `*.format.ps1xml`, or the format data an Exchange session exports
/// with Import-PSSession) defines a view for it. Sources and our choices are in
/// Docs/output.md.
public struct FormatView: Sendable {
    public enum Kind: Sendable {
        case table([Column])
        /// A list of these properties; nil lists every property of the object.
        case list([String]?)
    }

    public struct Column: Sendable {
        public var label: String
        public var property: String
        /// 0 leaves the width to the content (and makes the whole table size to content).
        public var width: Int
        public var alignment: TextAlignment

        public init(_ label: String, property: String? = nil, width: Int = 0, alignment: TextAlignment = .undefined) {
            self.label = label
            self.property = property ?? label
            self.width = width
            self.alignment = alignment
        }
    }

    public var typeName: String
    public var kind: Kind

    public init(typeName: String, kind: Kind) {
        self.typeName = typeName
        self.kind = kind
    }

    public var isTable: Bool { if case .table = kind { return true } else { return false } }
}

public enum FormatViews {
    /// The type name of the rows of a hashtable's table (PowerShell enumerates a dictionary
    /// into DictionaryEntry objects for display).
    static let dictionaryEntry = "System.Collections.DictionaryEntry"

    public static let all: [FormatView] = [
        // Exchange Online's Get-Mailbox, as its output shows (5 columns: 25, 15, 30, 20, rest).
        // We have no Database property: the column stays, empty. [Docs/output.md]
        FormatView(typeName: TypeNames.mailbox, kind: .table([
            .init("Name", width: 25), .init("Alias", width: 15), .init("Database", width: 30),
            .init("ProhibitSendQuota", width: 20), .init("ExternalDirectoryObjectId"),
        ])),
        // Get-CASMailbox: Name 20 wide, the switches as wide as their labels (reconstruction).
        FormatView(typeName: TypeNames.casMailbox, kind: .table([
            .init("Name", width: 20), .init("ActiveSyncEnabled", width: 17), .init("OWAEnabled", width: 10),
            .init("PopEnabled", width: 10), .init("ImapEnabled", width: 11), .init("MapiEnabled", width: 11),
            .init("SmtpClientAuthenticationDisabled", width: 32),
        ])),
        FormatView(typeName: TypeNames.clientAccessRule, kind: .table([
            .init("Name"), .init("Priority"), .init("Enabled"), .init("DatacenterAdminsOnly"),
        ])),
        FormatView(typeName: TypeNames.deviceAccessRule, kind: .table([
            .init("Name"), .init("Characteristic"), .init("QueryString"), .init("AccessLevel"),
        ])),
        FormatView(typeName: TypeNames.mobileDevice, kind: .list(nil)),
        // MSOnline's Get-MsolUser: the three columns of every Microsoft 365 doc example.
        FormatView(typeName: TypeNames.msolUser, kind: .table([
            .init("UserPrincipalName"), .init("DisplayName"), .init("isLicensed"),
        ])),
        // PowerShell 7's own PSSession view (PowerShellCore_format_ps1xml.cs).
        FormatView(typeName: TypeNames.psSession, kind: .table([
            .init("Id", width: 3, alignment: .right), .init("Name", width: 15), .init("Transport", width: 9),
            .init("ComputerName", width: 15), .init("ComputerType", width: 15), .init("State", width: 13),
            .init("ConfigurationName", width: 20), .init("Availability", width: 13, alignment: .right),
        ])),
        // PowerShell 7's module view (Import-PSSession's output), PowerShellCore_format_ps1xml.cs.
        FormatView(typeName: "System.Management.Automation.PSModuleInfo", kind: .table([
            .init("ModuleType", width: 10, alignment: .left), .init("Version", width: 10, alignment: .left),
            .init("PreRelease", width: 10, alignment: .left), .init("Name", width: 35, alignment: .left),
            .init("ExportedCommands", alignment: .left),
        ])),
        // A hashtable shows as Name/Value rows (DotNetTypes.format.ps1xml, DictionaryEntry).
        FormatView(typeName: dictionaryEntry, kind: .table([
            .init("Name", width: 30), .init("Value"),
        ])),
    ]

    /// The view for an object's type names, matching with or without the `Deserialized.`
    /// prefix as PowerShell's TypeMatch does.
    public static func view(for typeNames: [String]) -> FormatView? {
        for name in typeNames {
            let bare = strip(name).lowercased()
            if let v = all.first(where: { strip($0.typeName).lowercased() == bare }) { return v }
        }
        return nil
    }

    public static func view(for object: PSObject) -> FormatView? { view(for: object.typeNames) }

    /// The table view for Format-Table (a type whose default view is a list has none).
    static func tableView(for object: PSObject) -> FormatView? {
        guard let v = view(for: object), v.isTable else { return nil }
        return v
    }

    /// The list view for Format-List.
    static func listView(for object: PSObject) -> FormatView? {
        guard let v = view(for: object), !v.isTable else { return nil }
        return v
    }

    static func applies(_ view: FormatView, to object: PSObject) -> Bool {
        let bare = strip(view.typeName).lowercased()
        return object.typeNames.contains { strip($0).lowercased() == bare }
    }

    private static func strip(_ name: String) -> String {
        name.hasPrefix("Deserialized.") ? String(name.dropFirst("Deserialized.".count)) : name
    }
}
