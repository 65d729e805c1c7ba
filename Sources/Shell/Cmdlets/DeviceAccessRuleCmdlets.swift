import Foundation
import TenantModel

/// `New/Set/Get/Remove-ActiveSyncDeviceAccessRule`: allow, block or quarantine devices by
/// type, model, OS or user agent. [OPS New-ActiveSyncDeviceAccessRule.md; EXCHANGE-FACTS 2.3]
enum DeviceAccessRuleCmdlets {
    static let definitions: [CmdletDefinition] = [getRule, newRule, setRule, removeRule]

    static let identityParameter = ParameterDefinition(
        "Identity", .identity("ActiveSyncDeviceAccessRuleIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
        help: "The rule: its name (\"<QueryString> (<Characteristic>)\") or GUID, or a rule from Get-ActiveSyncDeviceAccessRule.")

    static let accessLevelHelp = "What matching devices get: Allow, Block or Quarantine."

    static let getRule = CmdletDefinition(
        "Get-ActiveSyncDeviceAccessRule", module: .exchange,
        synopsis: "Gets the ActiveSync device access rules.",
        parameters: [
            ParameterDefinition("Identity", .identity("ActiveSyncDeviceAccessRuleIdParameter"), position: 0, pipeline: .byValue,
                                help: "The rule's name or GUID. Omit for every rule."),
        ],
        body: getBody)

    static let newRule = CmdletDefinition(
        "New-ActiveSyncDeviceAccessRule", module: .exchange,
        synopsis: "Creates a device access rule; its name is \"<QueryString> (<Characteristic>)\".",
        parameters: [
            ParameterDefinition("AccessLevel", .exchange(DeviceAccessLevel.valueType), mandatory: true, help: accessLevelHelp),
            ParameterDefinition("Characteristic", .exchange(DeviceAccessCharacteristic.valueType), mandatory: true,
                                help: "What the rule looks at: DeviceType, DeviceModel, DeviceOS, UserAgent or XMSWLHeader."),
            ParameterDefinition("QueryString", .string, mandatory: true,
                                help: "The exact value to match (no wildcards or partial matches), e.g. Android or iPhone."),
        ],
        supportsShouldProcess: true,
        body: newBody)

    static let setRule = CmdletDefinition(
        "Set-ActiveSyncDeviceAccessRule", module: .exchange,
        synopsis: "Changes the access level of a device access rule.",
        parameters: [
            identityParameter,
            ParameterDefinition("AccessLevel", .exchange(DeviceAccessLevel.valueType), help: accessLevelHelp),
        ],
        supportsShouldProcess: true,
        body: setBody)

    static let removeRule = CmdletDefinition(
        "Remove-ActiveSyncDeviceAccessRule", module: .exchange,
        synopsis: "Removes a device access rule.",
        parameters: [identityParameter],
        supportsShouldProcess: true, confirmsByDefault: true,
        body: removeBody)

    static let container = "Mobile Mailbox Settings"

    static func view(_ rule: ActiveSyncDeviceAccessRule) -> PSValue {
        .object(PSObject.view(rule, typeName: TypeNames.deviceAccessRule, ref: .deviceRule(rule.guid)))
    }

    static func index(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        try ExchangeSupport.namedIndex(identity, in: context.tenant.deviceAccessRules, name: { $0.name }, guid: { $0.guid },
                                       ref: { if case .deviceRule(let g) = $0 { g } else { nil } }, context)
    }

    // MARK: Get

    static func getBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let rules = context.tenant.deviceAccessRules
        guard let identity = parameters.value("Identity"), !identity.isNull else { return rules.map(view) }
        do throws(ShellError) {
            return [view(rules[try index(identity, context)])]
        } catch {
            context.writeError(error)
            return []
        }
    }

    // MARK: New

    static func newBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let cmdlet = context.definition.name
        let tenant = context.tenant
        let rule: ActiveSyncDeviceAccessRule
        do {
            let level = try DeviceAccessLevel.convert(from: parameters.exchange("AccessLevel") ?? parameters.value("AccessLevel")?.propertyValue ?? .null)
            let characteristic = try DeviceAccessCharacteristic.convert(
                from: parameters.exchange("Characteristic") ?? parameters.value("Characteristic")?.propertyValue ?? .null)
            let query = parameters.string("QueryString") ?? ""
            rule = ActiveSyncDeviceAccessRule(queryString: query, characteristic: characteristic, accessLevel: level,
                                              guid: MailboxPolicySupport.placeholderGuid, whenCreated: tenant.now)
        } catch {
            context.writeError(ShellError.exchange(error.description, exception: "ArgumentException", cmdlet: cmdlet))
            return []
        }
        // The generated name is the rule's identity, so a second rule for the same value of the
        // same characteristic collides with the first. [EXCHANGE-FACTS 2.3]
        if tenant.deviceAccessRules.contains(where: { $0.name.lowercased() == rule.name.lowercased() }) {
            context.writeError(ExchangeSetSupport.alreadyExists(name: rule.name, container: container, tenant: tenant, cmdlet: cmdlet))
            return []
        }
        guard context.shouldProcess(target: rule.name) else { return [] }
        let created = context.session.commit(cmdlet, objectId: rule.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
            var new = rule
            new.guid = tenant.ids.newGuid()
            tenant.deviceAccessRules.append(new)
            return new
        }
        return [view(created)]
    }

    // MARK: Set

    static func setBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") else { return [] }
        let tenant = context.tenant
        let original: ActiveSyncDeviceAccessRule
        var rule: ActiveSyncDeviceAccessRule
        let records: [AdminAction.ParameterRecord]
        do throws(ShellError) {
            original = tenant.deviceAccessRules[try index(identity, context)]
            rule = original
            records = try ExchangeSupport.apply(parameters, to: &rule, schema: ActiveSyncDeviceAccessRule.schema, cmdlet: cmdlet)
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: original.name) else { return [] }
        guard rule != original else {
            ExchangeSetSupport.warnUnchanged(original.name, context)
            return []
        }
        rule.whenChanged = tenant.now
        let updated = rule
        context.session.commit(cmdlet, objectId: original.name, parameters: records) { tenant in
            guard let i = tenant.deviceAccessRules.firstIndex(where: { $0.guid == updated.guid }) else { return }
            tenant.deviceAccessRules[i] = updated
        }
        return []
    }

    // MARK: Remove

    static func removeBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        guard let identity = parameters.value("Identity") else { return [] }
        let rule: ActiveSyncDeviceAccessRule
        do throws(ShellError) {
            rule = context.tenant.deviceAccessRules[try index(identity, context)]
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: rule.name) else { return [] }
        context.session.commit(context.definition.name, objectId: rule.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
            tenant.deviceAccessRules.removeAll { $0.guid == rule.guid }
        }
        return []
    }
}
