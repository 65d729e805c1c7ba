import Foundation
import TenantModel

/// `Get-CASMailbox` and `Set-CASMailbox`: a mailbox's protocol switches, ActiveSync device
/// lists and policy links. [OPS Get-CASMailbox.md, Set-CASMailbox.md; EXCHANGE-FACTS 2.3, 3.1]
enum CASMailboxCmdlets {
    static let definitions: [CmdletDefinition] = [getCASMailbox, setCASMailbox]

    static let getCASMailbox = CmdletDefinition(
        "Get-CASMailbox", module: .exchange,
        synopsis: "Gets the client access settings of mailboxes (protocols, ActiveSync, policies).",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, pipeline: .byValue,
                                help: "The mailbox: name, alias, email address, UPN or GUID; wildcards (*) allowed. Omit for all mailboxes."),
            ExchangeSupport.resultSizeParameter,
            ParameterDefinition("Filter", .string,
                                help: "An OPATH filter on CAS mailbox properties, e.g. \"OWAEnabled -eq `$false\"."),
        ],
        body: getBody)

    static let setCASMailbox = CmdletDefinition(
        "Set-CASMailbox", module: .exchange,
        synopsis: "Changes a mailbox's client access settings: protocols, ActiveSync device lists and policies.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
                                help: "The mailbox to change: name, alias, email address, UPN or GUID, or a mailbox from Get-Mailbox."),
        ] + ExchangeSupport.settableParameters(CASMailboxView.schema, help: setHelp),
        supportsShouldProcess: true,
        body: setBody)

    static let setHelp: [String: String] = [
        "ActiveSyncEnabled": "Allow Exchange ActiveSync; $false makes every other ActiveSync setting irrelevant (default $true).",
        "OWAEnabled": "Allow Outlook on the web and the new Outlook for Windows (default $true).",
        "OWAforDevicesEnabled": "Allow the old OWA app for iOS and Android (default $true).",
        "EwsEnabled": "Allow Exchange Web Services (default $true).",
        "EwsAllowOutlook": "Allow Outlook for Windows over EWS.",
        "EwsAllowMacOutlook": "Allow Outlook for Mac over EWS (default $true).",
        "EwsAllowEntourage": "Allow Entourage over EWS (default $true).",
        "EwsApplicationAccessPolicy": "EnforceAllowList or EnforceBlockList, with EwsAllowList/EwsBlockList.",
        "EwsAllowList": "User agents allowed over EWS under EnforceAllowList.",
        "EwsBlockList": "User agents blocked over EWS under EnforceBlockList.",
        "ImapEnabled": "Allow IMAP4 (default $true).",
        "PopEnabled": "Allow POP3 (default $true).",
        "MAPIEnabled": "Allow MAPI clients such as Outlook for Windows (default $true).",
        "MacOutlookEnabled": "Allow Outlook for Mac with Microsoft sync (default $true).",
        "OutlookMobileEnabled": "Allow Outlook for iOS and Android (default $true).",
        "OneWinNativeOutlookEnabled": "Allow the new Outlook for Windows (default $true).",
        "UniversalOutlookEnabled": "Allow Windows 10 Mail and Calendar (default $true).",
        "PublicFolderClientAccess": "Allow the Outlook public folder client (default $false).",
        "SmtpClientAuthenticationDisabled": "Refuse authenticated SMTP submission; $null follows Set-TransportConfig.",
        "ActiveSyncAllowedDeviceIDs": "Device IDs always allowed to sync; a list replaces, @{Add=...; Remove=...} edits, $null clears.",
        "ActiveSyncBlockedDeviceIDs": "Device IDs always blocked; a list replaces, @{Add=...; Remove=...} edits, $null clears.",
        "ActiveSyncMailboxPolicy": "The mobile device mailbox policy; $null goes back to the default policy.",
        "OwaMailboxPolicy": "The Outlook on the web mailbox policy; $null goes back to the default policy.",
        "ActiveSyncDebugLogging": "Turn on ActiveSync debug logging for 48 hours.",
        "ActiveSyncSuppressReadReceipt": "Suppress read receipts sent from ActiveSync clients.",
        "ImapUseProtocolDefaults": "Use the organization's IMAP settings for this mailbox.",
        "PopUseProtocolDefaults": "Use the organization's POP settings for this mailbox.",
        "ShowGalAsDefaultView": "Show the global address list as the default recipient picker.",
    ]

    // MARK: Get-CASMailbox

    static func getBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let tenant = context.tenant
        let filter = try OPathFilter.bound(parameters, schema: CASMailboxView.schema, cmdlet: context.definition.name)
        var indexes: [Int]
        if let identity = parameters.value("Identity"), !identity.isNull {
            indexes = MailboxCmdlets.matchingMailboxes(identity, in: tenant)
            if indexes.isEmpty {
                context.writeError(ShellError.objectNotFound(ExchangeSupport.identityText(identity), cmdlet: context.definition.name))
                return []
            }
        } else {
            indexes = tenant.mailboxes.indices.filter { tenant.mailboxes[$0].recipientTypeDetails != .GroupMailbox }
        }
        if let (filter, schema) = filter {
            indexes = indexes.filter { filter.matches(tenant.casMailbox(tenant.mailboxes[$0]), schema: schema) }
        }
        return MailboxCmdlets.limited(indexes, parameters, context) { i in
            let m = tenant.mailboxes[i]
            return .object(PSObject.view(tenant.casMailbox(m), typeName: TypeNames.casMailbox, ref: .mailbox(m.guid)))
        }
    }

    // MARK: Set-CASMailbox

    static func setBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let cmdlet = context.definition.name
        return MailboxCmdlets.setMailbox(context, parameters) { original, tenant throws(ShellError) in
            var view = tenant.casMailbox(original)
            // Both policy links must name an existing policy; a wrong name changes nothing on
            // this mailbox. [paper-commands: the "Disable_Offline_Rules" typo]
            let mobile = try resolvePolicy("ActiveSyncMailboxPolicy", parameters, in: tenant.mobileDeviceMailboxPolicies,
                                           name: { $0.name }, guid: { $0.guid },
                                           ref: { if case .mobilePolicy(let g) = $0 { g } else { nil } }, context)
            let owa = try resolvePolicy("OwaMailboxPolicy", parameters, in: tenant.owaMailboxPolicies,
                                        name: { $0.name }, guid: { $0.guid },
                                        ref: { if case .owaPolicy(let g) = $0 { g } else { nil } }, context)
            let normalized = try ExchangeSetSupport.normalizedEdits(parameters, schema: CASMailboxView.schema, cmdlet: cmdlet)
            var records = try ExchangeSupport.apply(normalized, to: &view, schema: CASMailboxView.schema,
                                                    skip: ["ActiveSyncMailboxPolicy", "OwaMailboxPolicy"], cmdlet: cmdlet)
            // $null goes back to following the default (ActiveSyncMailboxPolicyIsDefaulted True);
            // naming the default policy explicitly does not. [EXCHANGE-FACTS 2.3]
            if let mobile {
                view.mailbox.cas.activeSyncMailboxPolicy = mobile
                records.append(AdminAction.ParameterRecord(name: "ActiveSyncMailboxPolicy", value: mobile ?? ""))
            }
            if let owa {
                view.mailbox.cas.owaMailboxPolicy = owa
                records.append(AdminAction.ParameterRecord(name: "OwaMailboxPolicy", value: owa ?? ""))
            }
            return (view.mailbox, records)
        }
    }

    /// The canonical name of the policy a policy parameter names: `.some(nil)` for `$null`,
    /// nil when the parameter was not given. An unknown name is Exchange's "couldn't be found".
    static func resolvePolicy<T>(_ parameter: String, _ parameters: BoundParameters, in list: [T],
                                 name: (T) -> String, guid: (T) -> UUID, ref: (ObjectRef) -> UUID?,
                                 _ context: CmdletContext) throws(ShellError) -> String?? {
        guard parameters.has(parameter) else { return nil }
        guard let value = parameters.value(parameter), !value.isNull, !value.text.isEmpty else { return .some(nil) }
        let i = try ExchangeSupport.namedIndex(value, in: list, name: name, guid: guid, ref: ref, context)
        return .some(name(list[i]))
    }
}
