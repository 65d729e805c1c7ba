import Foundation
import TenantModel

/// Get-Help and Get-Command, generated from the registry like everything else about cmdlets.
enum HelpCmdlets {
    static let definitions: [CmdletDefinition] = [getHelp, getCommand]

    static let getCommand = CmdletDefinition(
        "Get-Command", module: .core, synopsis: "Lists the commands available now (Exchange cmdlets appear once connected).",
        parameters: [
            ParameterDefinition("Name", .strings, position: 0, help: "Names or wildcard patterns."),
            ParameterDefinition("Module", .string, help: "Only commands of this module (tmp_exchange, MSOnline, ...)."),
            ParameterDefinition("Noun", .string, help: "Only commands with this noun (wildcards allowed)."),
            ParameterDefinition("Verb", .string, help: "Only commands with this verb (wildcards allowed)."),
        ]
    ) { context, parameters, _ in
        let session = context.session
        var list = session.registry.definitions.filter { session.isAvailable($0.module) }
        if let names = parameters.strings("Name") {
            list = list.filter { d in names.contains { Operators.wildcardMatch(d.name, $0, caseSensitive: false) } }
            if list.isEmpty, let first = names.first, !first.contains("*") {
                throw ShellError(message: "The term '\(first)' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
                                 category: .ObjectNotFound, reason: "CommandNotFoundException",
                                 errorId: "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand", targetName: first)
            }
        }
        if let module = parameters.string("Module") { list = list.filter { $0.module.rawValue.lowercased() == module.lowercased() } }
        if let noun = parameters.string("Noun") { list = list.filter { Operators.wildcardMatch($0.noun, noun, caseSensitive: false) } }
        if let verb = parameters.string("Verb") { list = list.filter { Operators.wildcardMatch($0.verb, verb, caseSensitive: false) } }
        return list.sorted { $0.name.lowercased() < $1.name.lowercased() }.map { d in
            .object(PSObject(typeName: TypeNames.cmdletInfo, properties: [
                ("CommandType", .string(d.module == .exchange ? "Function" : "Cmdlet")), ("Name", .string(d.name)),
                ("Version", .string(d.module == .exchange ? "1.0" : "7.0.0.0")), ("Source", .string(d.module.rawValue)),
            ]))
        }
    }

    static let getHelp = CmdletDefinition(
        "Get-Help", module: .core, synopsis: "Shows a cmdlet's syntax, parameters and synopsis from the registry.",
        parameters: [
            ParameterDefinition("Name", .string, position: 0, help: "The cmdlet (or alias)."),
            ParameterDefinition("Parameter", .string, help: "Show only this parameter."),
            ParameterDefinition("Full", .switchParameter, help: "Show every parameter's description."),
            ParameterDefinition("Detailed", .switchParameter, help: "Same as -Full here."),
            ParameterDefinition("Examples", .switchParameter, help: "Examples are not available; shows the syntax."),
        ]
    ) { context, parameters, _ in
        guard let name = parameters.string("Name") else {
            return [.string("TenantSim shell. Get-Command lists the commands; Get-Help <cmdlet> shows one. Docs/shell.md describes the language.")]
        }
        guard let d = context.session.registry.resolve(name) else {
            throw ShellError(message: "Get-Help could not find \(name) in a help file in this session.",
                             category: .ResourceUnavailable, reason: "HelpNotFoundException",
                             errorId: "HelpNotFound,Microsoft.PowerShell.Commands.GetHelpCommand", targetName: name)
        }
        if let only = parameters.string("Parameter") {
            guard let p = d.parameter(only) ?? d.parameters.first(where: { $0.name.lowercased().hasPrefix(only.lowercased()) }) else {
                throw ShellError(message: "No parameter matches criteria \(only).", category: .InvalidArgument,
                                 reason: "ArgumentException", errorId: "NoParmsFound,Microsoft.PowerShell.Commands.GetHelpCommand")
            }
            return [.string(parameterHelp(p))]
        }
        return [.string(help(d, full: parameters.isOn("Full") || parameters.isOn("Detailed")))]
    }

    /// `Name [-Param] <Type> ...` as PowerShell's SYNTAX section writes it.
    static func syntax(_ d: CmdletDefinition) -> String {
        var parts = [d.name]
        for p in d.parameters {
            var text = p.isSwitch ? "-\(p.name)" : "-\(p.name) <\(p.type.displayName)>"
            if p.position != nil, !p.isSwitch { text = "[-\(p.name)] <\(p.type.displayName)>" }
            parts.append(p.mandatory ? text : "[\(text)]")
        }
        if d.supportsShouldProcess { parts += ["[-WhatIf]", "[-Confirm]"] }
        parts.append("[<CommonParameters>]")
        return parts.joined(separator: " ")
    }

    static func parameterHelp(_ p: ParameterDefinition) -> String {
        var out = "-\(p.name) <\(p.type.displayName)>\n    \(p.help)\n"
        let values = p.type.completions
        if !values.isEmpty, p.type.displayName != "Boolean" { out += "    Valid values: \(values.joined(separator: ", "))\n" }
        out += "\n    Required?                    \(p.mandatory ? "true" : "false")\n"
        out += "    Position?                    \(p.position.map { String($0) } ?? "named")\n"
        let pipeline: String
        switch p.pipeline {
        case .none: pipeline = "false"
        case .byValue: pipeline = "true (ByValue)"
        case .byPropertyName: pipeline = "true (ByPropertyName)"
        case .byValueAndPropertyName: pipeline = "true (ByValue, ByPropertyName)"
        }
        out += "    Accept pipeline input?       \(pipeline)\n"
        if !p.aliases.isEmpty { out += "    Aliases                      \(p.aliases.joined(separator: ", "))\n" }
        return out
    }

    static func help(_ d: CmdletDefinition, full: Bool) -> String {
        var out = "\nNAME\n    \(d.name)\n\nSYNOPSIS\n    \(d.synopsis)\n\nSYNTAX\n    \(syntax(d))\n"
        if full {
            out += "\nPARAMETERS\n"
            for p in d.parameters { out += "    " + parameterHelp(p).replacingOccurrences(of: "\n", with: "\n    ") + "\n" }
        }
        let aliases = CmdletRegistry.standardAliases.filter { $0.value == d.name }.map(\.key).sorted()
        if !aliases.isEmpty { out += "\nALIASES\n    \(aliases.joined(separator: ", "))\n" }
        out += "\nREMARKS\n    Get-Help \(d.name) -Full shows every parameter.\n"
        return out
    }
}

/// Docs/cmdlets.md, generated from the registry so the document and the shell never drift.
public enum CmdletDocs {
    public static func markdown(_ registry: CmdletRegistry = .standard) -> String {
        var out = "# Cmdlet reference\n\n"
        out += "Generated from the cmdlet registry (`swift run tenantsim cmdlets --markdown > Docs/cmdlets.md`);\n"
        out += "a test fails when this file and the registry differ. Every cmdlet also takes the common\n"
        out += "parameters -ErrorAction, -WarningAction, -Verbose, -Debug, -ErrorVariable and -OutVariable;\n"
        out += "those marked *ShouldProcess* take -WhatIf and -Confirm.\n\n"
        let groups: [(CmdletModule, String)] = [(.connection, "Connecting"), (.core, "PowerShell and connection cmdlets"),
                                                 (.exchange, "Exchange Online (available after connecting)"),
                                                 (.msonline, "MSOnline (available after Connect-MsolService)"),
                                                 (.simulator, "Simulator cmdlets")]
        for (module, title) in groups {
            let list = registry.definitions.filter { $0.module == module }.sorted { $0.name < $1.name }
            guard !list.isEmpty else { continue }
            out += "## \(title)\n\n"
            for d in list {
                out += "### \(d.name)\n\n\(d.synopsis)\n\n"
                var flags: [String] = []
                if d.supportsShouldProcess { flags.append("*ShouldProcess*") }
                if d.confirmsByDefault { flags.append("asks for confirmation unless `-Confirm:$false`") }
                if d.requiresHydration { flags.append("refused in a dehydrated tenant until Enable-OrganizationCustomization") }
                if !flags.isEmpty { out += flags.joined(separator: "; ") + ".\n\n" }
                out += "```\n\(HelpCmdlets.syntax(d))\n```\n\n"
                if !d.parameters.isEmpty {
                    out += "| parameter | type | position | required | pipeline | description |\n|---|---|---|---|---|---|\n"
                    for p in d.parameters {
                        let pipeline: String
                        switch p.pipeline {
                        case .none: pipeline = ""
                        case .byValue: pipeline = "by value"
                        case .byPropertyName: pipeline = "by property name"
                        case .byValueAndPropertyName: pipeline = "by value, by property name"
                        }
                        var type = p.type.displayName
                        let values = p.type.completions
                        if !values.isEmpty, type != "Boolean", values.count <= 12 { type += ": " + values.joined(separator: ", ") }
                        out += "| \(p.name) | \(type.replacingOccurrences(of: "|", with: "\\|")) | \(p.position.map(String.init) ?? "") | \(p.mandatory ? "yes" : "") | \(pipeline) | \(p.help.replacingOccurrences(of: "|", with: "\\|")) |\n"
                    }
                    out += "\n"
                }
            }
        }
        let aliases = registry.aliases.sorted { $0.key < $1.key }
        out += "## Aliases\n\n| alias | command |\n|---|---|\n"
        for (alias, target) in aliases { out += "| `\(alias)` | \(target) |\n" }
        return out
    }
}
