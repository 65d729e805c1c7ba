import Foundation
import TenantModel

/// Which module a cmdlet comes from: Exchange cmdlets exist only once an Exchange session
/// is imported (or Connect-ExchangeOnline ran), MSOnline ones after Connect-MsolService.
public enum CmdletModule: String, Sendable {
    case core = "Microsoft.PowerShell.Utility"
    case exchange = "tmp_exchange"
    case msonline = "MSOnline"
    case connection = "ExchangeOnlineManagement"
    case simulator = "TenantSim"
}

/// How a parameter takes pipeline input.
public enum PipelineBinding: Sendable {
    case none, byValue, byPropertyName, byValueAndPropertyName
}

/// What a parameter's argument converts to.
public indirect enum ParameterType: @unchecked Sendable {
    /// A switch: present or `-Name:$true/$false`.
    case switchParameter
    /// An Exchange-typed value, converted as Exchange converts (enums by name, timespans,
    /// Unlimited, IP ranges, multi-valued lists with `@{Add=...; Remove=...}`).
    case exchange(ValueType)
    /// An Exchange identity (`MailboxIdParameter`, ...): text, or an object from a Get-*.
    case identity(String)
    case string
    case strings
    case int
    case bool
    case date
    case scriptBlock
    case hashtable
    /// Any value, unconverted.
    case object
    /// Any values, as a list.
    case objects
    case credential
    case secureString

    /// The type name help and errors print.
    public var displayName: String {
        switch self {
        case .switchParameter: return "SwitchParameter"
        case .exchange(let t): return t.shortName
        case .identity(let t): return t
        case .string: return "String"
        case .strings: return "String[]"
        case .int: return "Int32"
        case .bool: return "Boolean"
        case .date: return "DateTime"
        case .scriptBlock: return "ScriptBlock"
        case .hashtable: return "Hashtable"
        case .object: return "Object"
        case .objects: return "Object[]"
        case .credential: return "PSCredential"
        case .secureString: return "SecureString"
        }
    }

    /// The .NET type name PowerShell names in conversion errors.
    public var dotNetName: String {
        switch self {
        case .switchParameter: return "System.Management.Automation.SwitchParameter"
        case .exchange(let t): return t.typeName
        case .identity(let t): return "Microsoft.Exchange.Configuration.Tasks.\(t)"
        case .string: return "System.String"
        case .strings: return "System.String[]"
        case .int: return "System.Int32"
        case .bool: return "System.Boolean"
        case .date: return "System.DateTime"
        case .scriptBlock: return "System.Management.Automation.ScriptBlock"
        case .hashtable: return "System.Collections.Hashtable"
        case .object: return "System.Object"
        case .objects: return "System.Object[]"
        case .credential: return "System.Management.Automation.PSCredential"
        case .secureString: return "System.Security.SecureString"
        }
    }

    /// Values tab completion offers.
    public var completions: [String] {
        switch self {
        case .exchange(let t): return t.enumeratorNames
        case .bool: return ["$true", "$false"]
        default: return []
        }
    }
}

/// One parameter of a cmdlet. The registry entry is the single declaration from which
/// binding, completion, Get-Help, Get-Command, the docs and the REST binder derive.
public struct ParameterDefinition: @unchecked Sendable {
    public var name: String
    public var type: ParameterType
    public var position: Int?
    public var mandatory: Bool
    public var pipeline: PipelineBinding
    public var aliases: [String]
    public var help: String
    /// Collects every positional argument left over once it is reached (PowerShell's
    /// ValueFromRemainingArguments), e.g. ForEach-Object's begin/process/end blocks.
    public var takesRemainingArguments = false

    public init(_ name: String, _ type: ParameterType, position: Int? = nil, mandatory: Bool = false,
                pipeline: PipelineBinding = .none, aliases: [String] = [], help: String = "",
                takesRemainingArguments: Bool = false) {
        self.takesRemainingArguments = takesRemainingArguments
        self.name = name
        self.type = type
        self.position = position
        self.mandatory = mandatory
        self.pipeline = pipeline
        self.aliases = aliases
        self.help = help
    }

    public var isSwitch: Bool { if case .switchParameter = type { return true } else { return false } }
}

/// A bound argument: a plain value, or an `@{Add=...; Remove=...}` edit of a multi-valued property.
public enum BoundValue: @unchecked Sendable {
    case value(PSValue)
    /// An Exchange value already converted to the parameter's type.
    case converted(PropertyValue)
    case edit(add: [PropertyValue], remove: [PropertyValue])
}

/// The parameters bound for one invocation (one pipeline record), by canonical name.
public struct BoundParameters: @unchecked Sendable {
    public var values: [String: BoundValue] = [:]
    /// Where each parameter's value was written, for errors that point at it.
    public var spans: [String: SourceSpan] = [:]
    /// Canonical names in the order they were given.
    public var order: [String] = []

    public init() {}

    public func has(_ name: String) -> Bool { values[name] != nil }

    public mutating func set(_ name: String, _ value: BoundValue, span: SourceSpan? = nil) {
        if values[name] == nil { order.append(name) }
        values[name] = value
        if let span { spans[name] = span }
    }

    /// The raw shell value of a parameter (converted Exchange values come back as shell values).
    public func value(_ name: String) -> PSValue? {
        switch values[name] {
        case .value(let v): return v
        case .converted(let p): return PSValue(p)
        case .edit, nil: return nil
        }
    }

    public func string(_ name: String) -> String? {
        guard let v = value(name), !v.isNull else { return nil }
        return v.text
    }

    public func int(_ name: String) -> Int? {
        switch value(name) {
        case .int(let i): return i
        case .double(let d): return Int(d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    public func strings(_ name: String) -> [String]? {
        guard let v = value(name), !v.isNull else { return nil }
        return v.enumerated.map(\.text)
    }

    /// A switch's state: absent is false; `-Name:$false` is false.
    public func isOn(_ name: String) -> Bool {
        guard let v = value(name) else { return false }
        return v.isTruthy
    }

    /// The converted Exchange value of a parameter.
    public func exchange(_ name: String) -> PropertyValue? {
        if case .converted(let p) = values[name] { return p }
        return nil
    }

    public func scriptBlock(_ name: String) -> ScriptBlock? {
        if case .scriptBlock(let s)? = value(name) { return s }
        return nil
    }
}

/// What a cmdlet does with one pipeline record (or once, when nothing is piped). It returns
/// the objects it outputs; non-terminating errors go to `context.writeError`; a thrown
/// ShellError is terminating.
public typealias CmdletBody = @Sendable (CmdletContext, BoundParameters, PSValue?) throws -> [PSValue]

public struct CmdletDefinition: @unchecked Sendable {
    public var name: String
    public var module: CmdletModule
    public var synopsis: String
    public var parameters: [ParameterDefinition]
    /// Takes -WhatIf and -Confirm.
    public var supportsShouldProcess: Bool
    /// Asks for confirmation unless `-Confirm:$false` (Remove-* cmdlets).
    public var confirmsByDefault: Bool
    /// Receives every pipeline record at once (Sort-Object, Export-Csv, Format-Table):
    /// the body is called once with `.array(records)`.
    public var collectsInput: Bool
    /// Refused in a dehydrated tenant until Enable-OrganizationCustomization ran. [EXCHANGE-FACTS 5.2]
    public var requiresHydration: Bool
    public var body: CmdletBody

    public init(_ name: String, module: CmdletModule, synopsis: String, parameters: [ParameterDefinition],
                supportsShouldProcess: Bool = false, confirmsByDefault: Bool = false, collectsInput: Bool = false,
                requiresHydration: Bool = false, body: @escaping CmdletBody) {
        self.name = name
        self.module = module
        self.synopsis = synopsis
        self.parameters = parameters
        self.supportsShouldProcess = supportsShouldProcess
        self.confirmsByDefault = confirmsByDefault
        self.collectsInput = collectsInput
        self.requiresHydration = requiresHydration
        self.body = body
    }

    public var verb: String { String(name.split(separator: "-").first ?? "") }

    /// What FullyQualifiedErrorId names after the comma: built-in PowerShell cmdlets are
    /// compiled classes (`Microsoft.PowerShell.Commands.SelectObjectCommand`); Exchange
    /// and MSOnline commands of an imported session are named as themselves.
    public var errorSource: String {
        module == .core ? "Microsoft.PowerShell.Commands.\(name.replacingOccurrences(of: "-", with: ""))Command" : name
    }
    public var noun: String { String(name.split(separator: "-").dropFirst().joined(separator: "-")) }

    public func parameter(_ name: String) -> ParameterDefinition? {
        let lower = name.lowercased()
        return parameters.first { $0.name.lowercased() == lower }
    }
}

/// The common parameters every cmdlet takes, and the risk-mitigation ones of cmdlets that
/// support ShouldProcess.
public enum CommonParameters {
    public static let all: [ParameterDefinition] = [
        ParameterDefinition("ErrorAction", .exchange(.enumeration(EnumDescriptor(
            typeName: "System.Management.Automation.ActionPreference",
            names: ["SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend", "Break"]))), aliases: ["ea"],
            help: "What to do on a non-terminating error: Stop makes it terminating."),
        ParameterDefinition("WarningAction", .exchange(.enumeration(EnumDescriptor(
            typeName: "System.Management.Automation.ActionPreference",
            names: ["SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend", "Break"]))), aliases: ["wa"]),
        ParameterDefinition("Verbose", .switchParameter, aliases: ["vb"]),
        ParameterDefinition("Debug", .switchParameter, aliases: ["db"]),
        ParameterDefinition("ErrorVariable", .string, aliases: ["ev"]),
        ParameterDefinition("OutVariable", .string, aliases: ["ov"]),
    ]
    public static let shouldProcess: [ParameterDefinition] = [
        ParameterDefinition("WhatIf", .switchParameter, aliases: ["wi"], help: "Show what would change, and change nothing."),
        ParameterDefinition("Confirm", .switchParameter, aliases: ["cf"], help: "Ask before changing; -Confirm:$false never asks."),
    ]
}
