import AccessControl
import Foundation
import TenantModel

// The matching lives in AccessControl, below both front ends; these names keep Shell code and
// its tests (which see Shell through @testable import) reading as before.
typealias ClientAccessRuleMatcher = AccessControl.ClientAccessRuleMatcher
typealias ClientAccessRuleAttempt = AccessControl.ClientAccessRuleAttempt
typealias UserRecipientFilter = AccessControl.UserRecipientFilter

/// `Get/New/Set/Remove/Test-ClientAccessRule`. [EXCHANGE-FACTS 1]
enum ClientAccessRuleCmdlets {
    static let definitions: [CmdletDefinition] = [get, new, set, remove, test]

    // MARK: Parameters

    private static let authTypes = [ClientAccessAuthenticationMethod].valueType
    private static let protocols = [ClientAccessProtocol].valueType
    private static let ipRanges = [IPRange].valueType
    private static let strings = [String].valueType

    /// The conditions, exceptions and settings New- and Set-ClientAccessRule share. [EXCHANGE-FACTS 1.2]
    private static let ruleParameters: [ParameterDefinition] = [
        ParameterDefinition("AnyOfAuthenticationTypes", .exchange(authTypes),
                            help: "Condition: the connection uses one of these authentication types."),
        ParameterDefinition("ExceptAnyOfAuthenticationTypes", .exchange(authTypes),
                            help: "Exception: the connection uses one of these authentication types."),
        ParameterDefinition("AnyOfClientIPAddressesOrRanges", .exchange(ipRanges),
                            help: "Condition: the client IP is one of these addresses, ranges (a-b) or CIDR blocks."),
        ParameterDefinition("ExceptAnyOfClientIPAddressesOrRanges", .exchange(ipRanges),
                            help: "Exception: the client IP is one of these addresses, ranges (a-b) or CIDR blocks."),
        ParameterDefinition("AnyOfProtocols", .exchange(protocols),
                            help: "Condition: the connection uses one of these protocols (none: every protocol)."),
        ParameterDefinition("ExceptAnyOfProtocols", .exchange(protocols),
                            help: "Exception: the connection uses one of these protocols."),
        ParameterDefinition("AnyOfSourceTcpPortNumbers", .exchange(strings),
                            help: "Reserved for internal Microsoft use."),
        ParameterDefinition("ExceptAnyOfSourceTcpPortNumbers", .exchange(strings),
                            help: "Reserved for internal Microsoft use."),
        ParameterDefinition("UsernameMatchesAnyOfPatterns", .exchange(strings),
                            help: "Condition: the account name (Domain\\User) matches one of these * patterns."),
        ParameterDefinition("ExceptUsernameMatchesAnyOfPatterns", .exchange(strings),
                            help: "Exception: the account name (Domain\\User) matches one of these * patterns."),
        ParameterDefinition("UserIsMemberOf", .exchange(strings), help: "Reserved for internal Microsoft use."),
        ParameterDefinition("ExceptUserIsMemberOf", .exchange(strings), help: "Reserved for internal Microsoft use."),
        ParameterDefinition("UserRecipientFilter", .string,
                            help: "Condition: an OPATH filter on City, Company, CountryOrRegion, CustomAttribute1-15, Department, Office, PostalCode, StateOrProvince, StreetAddress."),
        ParameterDefinition("Enabled", .exchange(.bool), help: "Whether the rule is enabled (default $true)."),
        ParameterDefinition("Priority", .int,
                            help: "The rule's position, 1 = first; an existing position pushes later rules down, another value puts the rule last."),
        ParameterDefinition("Scope", .exchange(ClientAccessRulesScope.valueType),
                            help: "Users (end-user connections only) or All (also middle-tier apps); shown as RuleScope."),
    ]

    private static let identityParameter = ParameterDefinition(
        "Identity", .identity("ClientAccessRuleIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
        help: "The rule: its name or GUID, or a rule from Get-ClientAccessRule.")

    // MARK: Get-ClientAccessRule

    static let get = CmdletDefinition(
        "Get-ClientAccessRule", module: .exchange,
        synopsis: "Lists the organization's client access rules in priority order.",
        parameters: [
            ParameterDefinition("Identity", .identity("ClientAccessRuleIdParameter"), position: 0, pipeline: .byValue,
                                help: "The rule to show (name or GUID); all rules when omitted."),
        ]
    ) { context, parameters, _ in
        let rules = context.tenant.clientAccessRules
        if let identity = parameters.value("Identity"), !identity.isNull {
            do {
                let i = try ruleIndex(identity, context)
                return [view(rules[i])]
            } catch {
                context.writeError(shellError(error))
                return []
            }
        }
        return rules.map(view)
    }

    // MARK: New-ClientAccessRule

    static let new = CmdletDefinition(
        "New-ClientAccessRule", module: .exchange,
        synopsis: "Creates a client access rule.",
        parameters: [
            ParameterDefinition("Name", .string, position: 0, mandatory: true, help: "The rule's unique name."),
            ParameterDefinition("Action", .exchange(ClientAccessRulesAction.valueType), mandatory: true,
                                help: "AllowAccess or DenyAccess: what happens to a matching connection."),
        ] + ruleParameters,
        supportsShouldProcess: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        guard let name = parameters.string("Name")?.trimmedWhitespace,
              let action: ClientAccessRulesAction = enumValue(parameters, "Action") else { return [] }
        guard context.shouldProcess(target: name) else { return [] }
        do {
            let rule = try context.session.commit(cmdlet, objectId: name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                // Order of checks as in New-ClientAccessRule: limit, then the rule's own validity. [EXCHANGE-FACTS 1.5]
                guard tenant.clientAccessRules.count < ClientAccessRule.limit else { throw limitError(cmdlet) }
                var ids = tenant.ids
                var rule = ClientAccessRule(name: name, action: action, guid: ids.newGuid(), priority: 0, whenCreated: tenant.now)
                _ = try ExchangeSupport.apply(parameters, to: &rule, schema: ClientAccessRule.schema, skip: ["Name", "Action"], cmdlet: cmdlet)
                if let scope: ClientAccessRulesScope = enumValue(parameters, "Scope") { rule.scope = scope }
                try validate(rule, cmdlet: cmdlet)
                // Saving a second rule of the same name fails in the directory. [container name INFERRED]
                guard !tenant.clientAccessRules.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw ExchangeSetSupport.alreadyExists(name: name, container: "Client Access Rules", tenant: tenant, cmdlet: cmdlet)
                }
                tenant.ids = ids
                tenant.insertClientAccessRule(rule, priority: parameters.int("Priority"))
                return tenant.clientAccessRules.first { $0.guid == rule.guid }!
            }
            return [view(rule)]
        } catch {
            context.writeError(shellError(error))
            return []
        }
    }

    // MARK: Set-ClientAccessRule

    static let set = CmdletDefinition(
        "Set-ClientAccessRule", module: .exchange,
        synopsis: "Changes a client access rule; a plain list replaces a condition, @{Add=...;Remove=...} edits it.",
        parameters: [
            identityParameter,
            ParameterDefinition("Name", .string, help: "A new unique name for the rule."),
            ParameterDefinition("Action", .exchange(ClientAccessRulesAction.valueType),
                                help: "AllowAccess or DenyAccess: what happens to a matching connection."),
        ] + ruleParameters,
        supportsShouldProcess: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do {
            let i = try ruleIndex(identity, context)
            let before = context.tenant.clientAccessRules[i]
            var rule = before
            let edits = try ExchangeSetSupport.normalizedEdits(parameters, schema: ClientAccessRule.schema, cmdlet: cmdlet)
            _ = try ExchangeSupport.apply(edits, to: &rule, schema: ClientAccessRule.schema, cmdlet: cmdlet)
            if let scope: ClientAccessRulesScope = enumValue(parameters, "Scope") { rule.scope = scope }
            rule.name = rule.name.trimmedWhitespace
            guard context.shouldProcess(target: before.name) else { return [] }
            try validate(rule, cmdlet: cmdlet)
            // Set-ClientAccessRule refuses a name another rule has (text UNCONFIRMED:
            // RulesTasksStrings.ClientAccessRulesNameAlreadyInUse). [EXSRC SetClientAccessRule; EXCHANGE-FACTS 1.5]
            if rule.name.lowercased() != before.name.lowercased(),
               context.tenant.clientAccessRules.contains(where: { $0.guid != rule.guid && $0.name.lowercased() == rule.name.lowercased() }) {
                throw ShellError.exchange("The name \"\(rule.name)\" is already used by another client access rule.",
                                          category: .InvalidOperation, exception: "InvalidOperationException",
                                          cmdlet: cmdlet, target: before.name)
            }
            let priority = parameters.int("Priority")
            let moves = priority.map { $0 != before.priority } ?? false
            guard rule != before || moves else {
                ExchangeSetSupport.warnUnchanged(before.name, context)
                return []
            }
            let updated = rule
            context.session.commit(cmdlet, objectId: before.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                guard let j = tenant.clientAccessRules.firstIndex(where: { $0.guid == updated.guid }) else { return }
                var changed = updated
                changed.whenChanged = tenant.now
                tenant.updateClientAccessRule(at: j) { $0 = changed }
                if let priority, moves { tenant.moveClientAccessRule(at: j, toPriority: priority) }
            }
        } catch {
            context.writeError(shellError(error))
        }
        return []
    }

    // MARK: Remove-ClientAccessRule

    static let remove = CmdletDefinition(
        "Remove-ClientAccessRule", module: .exchange,
        synopsis: "Removes a client access rule; the rules after it move up one position.",
        parameters: [identityParameter],
        supportsShouldProcess: true, confirmsByDefault: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do {
            let i = try ruleIndex(identity, context)
            let rule = context.tenant.clientAccessRules[i]
            guard context.shouldProcess(target: rule.name) else { return [] }
            try context.session.commit(cmdlet, objectId: rule.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                guard let index = tenant.clientAccessRules.firstIndex(where: { $0.guid == rule.guid }) else {
                    throw ShellError.objectNotFound(rule.name, cmdlet: cmdlet)
                }
                tenant.removeClientAccessRule(at: index)
            }
        } catch {
            context.writeError(shellError(error))
        }
        return []
    }

    // MARK: Test-ClientAccessRule

    /// Test-ClientAccessRule's -Protocol: every rule protocol but UniversalOutlook. [EXCHANGE-FACTS 1.6]
    private static let testProtocolType = ValueType.enumeration(EnumDescriptor(
        typeName: ClientAccessProtocol.typeName,
        names: ClientAccessProtocol.allCases.filter { $0 != .UniversalOutlook }.map(\.rawValue)))

    static let test = CmdletDefinition(
        "Test-ClientAccessRule", module: .exchange,
        synopsis: "Shows which client access rules a connection would match, in priority order, counting disabled rules as enabled.",
        parameters: [
            ParameterDefinition("AuthenticationType", .exchange(ClientAccessAuthenticationMethod.valueType), mandatory: true,
                                help: "The connection's authentication type."),
            ParameterDefinition("Protocol", .exchange(testProtocolType), mandatory: true, help: "The connection's protocol."),
            ParameterDefinition("RemoteAddress", .string, mandatory: true, help: "The client's IP address (IPv4 or IPv6)."),
            ParameterDefinition("RemotePort", .int, mandatory: true, help: "The client's TCP port, 1 to 65535."),
            ParameterDefinition("User", .identity("MailboxIdParameter"), mandatory: true, help: "The mailbox whose account connects."),
            ParameterDefinition("OAuthClaims", .hashtable, help: "The OAuth claims of a middle-tier app's token."),
        ],
        supportsShouldProcess: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        guard let auth: ClientAccessAuthenticationMethod = enumValue(parameters, "AuthenticationType"),
              let proto: ClientAccessProtocol = enumValue(parameters, "Protocol"),
              let addressText = parameters.string("RemoteAddress"), let port = parameters.int("RemotePort"),
              let user = parameters.value("User") else { return [] }
        guard let address = IPAddress.parse(addressText) else {
            throw ShellError(
                message: "Cannot process argument transformation on parameter 'RemoteAddress'. Cannot convert value \"\(addressText)\" to type \"System.Net.IPAddress\". Error: \"An invalid IP address was specified.\"",
                category: .InvalidData, reason: "ParameterBindingArgumentTransformationException",
                errorId: "ParameterArgumentTransformationError,\(cmdlet)", activity: cmdlet, span: parameters.spans["RemoteAddress"])
        }
        guard (1...65535).contains(port) else {
            let detail = port < 1
                ? "The \(port) argument is less than the minimum allowed range of 1. Supply an argument that is greater than or equal to 1 and then try the command again."
                : "The \(port) argument is greater than the maximum allowed range of 65535. Supply an argument that is less than or equal to 65535 and then try the command again."
            throw ShellError(message: "Cannot validate argument on parameter 'RemotePort'. \(detail)", category: .InvalidData,
                             reason: "ParameterBindingValidationException", errorId: "ParameterArgumentValidationError,\(cmdlet)",
                             activity: cmdlet, span: parameters.spans["RemotePort"])
        }
        do {
            let tenant = context.tenant
            let mailbox = tenant.mailboxes[try ExchangeSupport.mailboxIndex(user, context)]
            let owner = mailbox.userObjectId.flatMap { id in tenant.users.first { $0.objectId == id } }
            let attempt = ClientAccessRuleAttempt(protocol: proto, authenticationType: auth, remoteAddress: address, remotePort: port,
                                                  userPrincipalName: owner?.userPrincipalName ?? mailbox.userPrincipalName,
                                                  user: owner, mailbox: mailbox,
                                                  isMiddleTierApp: parameters.value("OAuthClaims").map { !$0.isNull } ?? false)
            // Disabled rules count as enabled here, and every matching rule is listed. [EXCHANGE-FACTS 1.6]
            return CompiledPolicy(tenant, includeDisabledRules: true).matchingRules(attempt).map { rule in
                PSValue.object(PSObject(typeName: TypeNames.testClientAccessRuleResult, properties: [
                    ("Identity", .string(rule.name)),
                    ("Name", .string(rule.name)),
                    ("Action", PSValue(rule.action.propertyValue)),
                ], ref: .clientAccessRule(rule.guid)))
            }
        } catch {
            context.writeError(shellError(error))
            return []
        }
    }

    // MARK: Helpers

    static func view(_ rule: ClientAccessRule) -> PSValue {
        .object(PSObject.view(rule, typeName: TypeNames.clientAccessRule, ref: .clientAccessRule(rule.guid)))
    }

    private static func ruleIndex(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        try ruleIndex(identity, in: context.tenant, cmdlet: context.definition.name)
    }

    /// Resolves a ClientAccessRuleIdParameter (name, GUID or a rule object) against `tenant`.
    private static func ruleIndex(_ identity: PSValue, in tenant: Tenant, cmdlet: String) throws(ShellError) -> Int {
        let rules = tenant.clientAccessRules
        if case .object(let o) = identity, case .clientAccessRule(let g)? = o.ref, let i = rules.firstIndex(where: { $0.guid == g }) {
            return i
        }
        let text = ExchangeSupport.identityText(identity).trimmedWhitespace
        if let g = UUID.parse(text), let i = rules.firstIndex(where: { $0.guid == g }) { return i }
        let matches = rules.indices.filter { rules[$0].name.lowercased() == text.lowercased() }
        guard let first = matches.first else { throw ShellError.objectNotFound(text, cmdlet: cmdlet) }
        guard matches.count == 1 else { throw ShellError.ambiguousIdentity(text, cmdlet: cmdlet) }
        return first
    }

    /// The rule's own validity, as New- and Set-ClientAccessRule check it before saving:
    /// authentication types against protocols, and the recipient filter against its schema.
    static func validate(_ rule: ClientAccessRule, cmdlet: String) throws(ShellError) {
        if !ClientAccessRuleMatcher.authenticationTypesAreValid(rule) {
            // Text UNCONFIRMED (RulesTasksStrings.ClientAccessRulesAuthenticationTypeInvalid). [EXCHANGE-FACTS 1.5]
            throw ShellError.exchange(
                "The authentication types of this rule aren't supported by its protocols: a rule for RemotePowerShell can't use AdfsAuthentication, and a rule for OutlookWebApp or ExchangeAdminCenter can't use NonBasicAuthentication.",
                category: .InvalidOperation, exception: "InvalidOperationException", cmdlet: cmdlet, target: rule.name)
        }
        if let filter = rule.userRecipientFilter, !filter.trimmedWhitespace.isEmpty {
            do throws(UserRecipientFilter.ParseError) {
                _ = try UserRecipientFilter.parse(filter)
            } catch {
                throw ShellError.exchange(error.message, category: .InvalidArgument, exception: error.exception,
                                          cmdlet: cmdlet, target: rule.name)
            }
        }
    }

    /// Text UNCONFIRMED (RulesTasksStrings.ClientAccessRulesLimitError(limit)). [EXCHANGE-FACTS 1.5]
    static func limitError(_ cmdlet: String) -> ShellError {
        ShellError.exchange(
            "You can't create more than \(ClientAccessRule.limit) client access rules. Remove a rule you no longer need, then try again.",
            category: .InvalidOperation, exception: "InvalidOperationException", cmdlet: cmdlet)
    }

    /// The error as the client access rule cmdlets report it: their tasks live in
    /// Exchange's SystemConfigurationTasks namespace. [EXSRC NewClientAccessRule, SetClientAccessRule]
    static func shellError(_ error: any Error) -> ShellError {
        guard var e = error as? ShellError else { return ShellError(message: String(describing: error), errorId: "UnexpectedError") }
        if e.isRemote, e.activity.hasSuffix("-ClientAccessRule") {
            e.errorId = e.errorId.replacingOccurrences(of: ",Microsoft.Exchange.Management.Tasks.",
                                                       with: ",Microsoft.Exchange.Management.SystemConfigurationTasks.")
        }
        return e
    }

    /// An enumeration parameter, whether the binder converted it or passed text.
    static func enumValue<E: ExchangeEnum>(_ parameters: BoundParameters, _ name: String) -> E? {
        if case .enumCase(_, let n)? = parameters.exchange(name) { return E.named(n) }
        return parameters.string(name).flatMap(E.named)
    }
}
