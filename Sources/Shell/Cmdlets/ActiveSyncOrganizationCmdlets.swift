import Foundation
import TenantModel

/// `Get/Set-ActiveSyncOrganizationSettings`: the organization's default device access level
/// and quarantine notifications. [OPS Set-ActiveSyncOrganizationSettings.md; EXCHANGE-FACTS 2.3]
enum ActiveSyncOrganizationCmdlets {
    static let definitions: [CmdletDefinition] = [getSettings, setSettings]

    static let identityParameter = ParameterDefinition(
        "Identity", .identity("ActiveSyncOrganizationSettingsIdParameter"), position: 0, pipeline: .byValue,
        help: "The settings object, \"Mobile Mailbox Settings\" (there is one per organization).")

    static let getSettings = CmdletDefinition(
        "Get-ActiveSyncOrganizationSettings", module: .exchange,
        synopsis: "Gets the organization's ActiveSync settings.",
        parameters: [identityParameter],
        body: getBody)

    static let setSettings = CmdletDefinition(
        "Set-ActiveSyncOrganizationSettings", module: .exchange,
        synopsis: "Changes the organization's ActiveSync settings, such as the default access level for devices.",
        parameters: [identityParameter] + ExchangeSupport.settableParameters(ActiveSyncOrganizationSettings.schema, help: [
            "DefaultAccessLevel": "What a device gets when no list or rule decides: Allow (default), Block or Quarantine. Applies to existing devices too.",
            "AdminMailRecipients": "Who is told about quarantined devices; a list replaces, @{Add=...; Remove=...} edits.",
            "UserMailInsert": "Text added to the mail users get about a quarantined device (up to 256 characters).",
            "OtaNotificationMailInsert": "Text added to the over-the-air notification mail (up to 256 characters).",
            "AllowAccessForUnSupportedPlatform": "Internal to Microsoft; leave at $false.",
            "AllowRMSSupportForUnenlightenedApps": "Allow Rights Management for apps that don't support it themselves (default $false).",
            "EnableMobileMailboxPolicyWhenCAInplace": "Keep enforcing mobile device mailbox policies where Conditional Access applies (default $false).",
        ]),
        supportsShouldProcess: true,
        body: setBody)

    static let ref = ObjectRef.singleton("ActiveSyncOrganizationSettings")

    /// The identity must name the one settings object when it is given.
    static func check(_ parameters: BoundParameters, _ context: CmdletContext) throws(ShellError) {
        guard let identity = parameters.value("Identity"), !identity.isNull else { return }
        if case .object(let o) = identity, o.ref == ref { return }
        let text = ExchangeSupport.identityText(identity).trimmedWhitespace
        let settings = context.tenant.activeSyncOrganizationSettings
        let accepted = [settings.name.lowercased(), "\(context.tenant.info.initialDomain)\\\(settings.name)".lowercased()]
        guard accepted.contains(text.lowercased()) else { throw ShellError.objectNotFound(text, cmdlet: context.definition.name) }
    }

    static func getBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        do throws(ShellError) {
            try check(parameters, context)
        } catch {
            context.writeError(error)
            return []
        }
        let settings = context.tenant.activeSyncOrganizationSettings
        return [.object(PSObject.view(settings, typeName: TypeNames.activeSyncOrganizationSettings, ref: ref))]
    }

    static func setBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let cmdlet = context.definition.name
        let original = context.tenant.activeSyncOrganizationSettings
        var settings = original
        let records: [AdminAction.ParameterRecord]
        do throws(ShellError) {
            try check(parameters, context)
            let normalized = try ExchangeSetSupport.normalizedEdits(parameters, schema: ActiveSyncOrganizationSettings.schema, cmdlet: cmdlet)
            records = try ExchangeSupport.apply(normalized, to: &settings, schema: ActiveSyncOrganizationSettings.schema, cmdlet: cmdlet)
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: original.name) else { return [] }
        guard settings != original else {
            ExchangeSetSupport.warnUnchanged(original.name, context)
            return []
        }
        let updated = settings
        context.session.commit(cmdlet, objectId: original.name, parameters: records) { tenant in
            tenant.activeSyncOrganizationSettings = updated
        }
        return []
    }
}
