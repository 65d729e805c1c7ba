/// Every cmdlet the shell knows, and PowerShell's aliases. Each cmdlet group (a file under
/// Cmdlets/) contributes its definitions; this is the one list of groups.
public struct CmdletRegistry: @unchecked Sendable {
    public private(set) var definitions: [CmdletDefinition]
    private var byName: [String: Int]
    public let aliases: [String: String]

    public static let standardAliases: [String: String] = [
        "select": "Select-Object", "where": "Where-Object", "?": "Where-Object", "foreach": "ForEach-Object",
        "%": "ForEach-Object", "sort": "Sort-Object", "ft": "Format-Table", "fl": "Format-List",
        "measure": "Measure-Object", "group": "Group-Object", "echo": "Write-Output", "write": "Write-Output",
        "epcsv": "Export-Csv", "ipcsv": "Import-Csv", "gcm": "Get-Command", "help": "Get-Help", "man": "Get-Help",
        "oss": "Out-String",
    ]

    public init(_ groups: [[CmdletDefinition]], aliases: [String: String] = CmdletRegistry.standardAliases) {
        definitions = groups.flatMap { $0 }
        var index: [String: Int] = [:]
        for (i, d) in definitions.enumerated() {
            precondition(index[d.name.lowercased()] == nil, "cmdlet \(d.name) is defined twice")
            index[d.name.lowercased()] = i
        }
        byName = index
        self.aliases = aliases
    }

    /// The cmdlet a name (or alias) refers to, ignoring case.
    public func resolve(_ name: String) -> CmdletDefinition? {
        let lower = name.lowercased()
        if let i = byName[lower] { return definitions[i] }
        if let target = aliases[lower], let i = byName[target.lowercased()] { return definitions[i] }
        return nil
    }

    /// Adds or replaces cmdlets (the simulator layers add theirs on top of the standard set).
    public mutating func register(_ new: [CmdletDefinition]) {
        for d in new {
            if let i = byName[d.name.lowercased()] {
                definitions[i] = d
            } else {
                byName[d.name.lowercased()] = definitions.count
                definitions.append(d)
            }
        }
    }

    /// Every cmdlet of the shell: language utilities, output, connections and Exchange/MSOnline.
    public static let standard = CmdletRegistry(CmdletGroups.all)
}
