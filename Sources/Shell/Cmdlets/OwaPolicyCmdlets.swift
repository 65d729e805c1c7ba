import Foundation
import TenantModel

/// `New/Set/Get/Remove-OwaMailboxPolicy`. Creating or changing one needs a hydrated tenant
/// (Enable-OrganizationCustomization). [OPS New-OwaMailboxPolicy.md, Set-OwaMailboxPolicy.md,
/// Remove-OwaMailboxPolicy.md; EXCHANGE-FACTS 3.2, 5.2]
enum OwaPolicyCmdlets {
    static let definitions: [CmdletDefinition] = [getPolicy, newPolicy, setPolicy, removePolicy]

    static let identityParameter = ParameterDefinition(
        "Identity", .identity("MailboxPolicyIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
        help: "The Outlook on the web mailbox policy: its name or GUID, or a policy from Get-OwaMailboxPolicy.")

    /// A switch on New- and Set-OwaMailboxPolicy in Exchange Online (a Boolean on the mobile
    /// policy cmdlets). [OPS New-OwaMailboxPolicy.md]
    static let isDefaultParameter = ParameterDefinition(
        "IsDefault", .switchParameter,
        help: "Make this the default policy; the old default stops being default.")

    static let getPolicy = CmdletDefinition(
        "Get-OwaMailboxPolicy", module: .exchange,
        synopsis: "Gets Outlook on the web mailbox policies.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxPolicyIdParameter"), position: 0, pipeline: .byValue,
                                help: "The policy's name or GUID. Omit for every policy."),
        ],
        body: { context, parameters, _ in family.getBody(context, parameters) })

    static let newPolicy = CmdletDefinition(
        "New-OwaMailboxPolicy", module: .exchange,
        synopsis: "Creates an Outlook on the web mailbox policy with the default settings; change them with Set-OwaMailboxPolicy.",
        parameters: [
            ParameterDefinition("Name", .string, position: 0, mandatory: true,
                                help: "The name of the new policy (up to 64 characters, unique)."),
            isDefaultParameter,
        ],
        supportsShouldProcess: true, requiresHydration: true,
        body: { context, parameters, _ in try family.newBody(context, parameters) })

    static let setPolicy = CmdletDefinition(
        "Set-OwaMailboxPolicy", module: .exchange,
        synopsis: "Changes an Outlook on the web mailbox policy.",
        parameters: [identityParameter]
            + ExchangeSupport.settableParameters(OwaMailboxPolicy.schema, except: ["IsDefault"], help: help)
            + [isDefaultParameter],
        supportsShouldProcess: true, requiresHydration: true,
        body: { context, parameters, _ in try family.setBody(context, parameters) })

    static let removePolicy = CmdletDefinition(
        "Remove-OwaMailboxPolicy", module: .exchange,
        synopsis: "Removes an Outlook on the web mailbox policy that no mailbox uses.",
        parameters: [
            identityParameter,
            ParameterDefinition("Force", .switchParameter,
                                help: "Remove the policy even though mailboxes use it; they go back to the default policy."),
        ],
        supportsShouldProcess: true, confirmsByDefault: true,
        body: { context, parameters, _ in try family.removeBody(context, parameters) })

    static let curatedHelp: [String: String] = [
        "Name": "A new name for the policy (up to 64 characters, unique).",
        "AllowOfflineOn": "Where offline Outlook on the web is allowed: PrivateComputersOnly, NoComputers or AllComputers (on-premises only in effect).",
        "RulesEnabled": "Let users view, create and change server-side Inbox rules in Outlook on the web.",
        "ActionForUnknownFileAndMIMETypes": "What happens to attachments of types no list names: Allow, ForceSave or Block.",
        "ConditionalAccessPolicy": "Limit access from unmanaged devices: Off, ReadOnly or ReadOnlyPlusAttachmentsBlocked.",
        "AllowedFileTypes": "Attachment extensions users may open in the browser.",
        "AllowedMimeTypes": "Attachment MIME types users may open in the browser.",
        "BlockedFileTypes": "Attachment extensions users can't open or save.",
        "BlockedMimeTypes": "Attachment MIME types users can't open or save.",
        "ForceSaveFileTypes": "Attachment extensions that must be saved before opening.",
        "ForceSaveMimeTypes": "Attachment MIME types that must be saved before opening.",
        "DefaultTheme": "The theme users get by default.",
        "LogonAndErrorLanguage": "The LCID of the sign-in and error pages (0: the browser's language).",
        "OutboundCharset": "Character set of outgoing messages: AutoDetect, AlwaysUTF8 or UserLanguageChoice.",
        "WebPartsFrameOptionsType": "Where Outlook on the web may be framed: None, SameOrigin or Deny.",
        "OutlookDataFile": "What users may do with .pst files in the new Outlook for Windows.",
        "DirectFileAccessOnPublicComputersEnabled": "Let users on public computers open attachments directly.",
        "DirectFileAccessOnPrivateComputersEnabled": "Let users on private computers open attachments directly.",
        "WacViewingOnPublicComputersEnabled": "Let users on public computers view Office attachments in the browser.",
        "WacViewingOnPrivateComputersEnabled": "Let users on private computers view Office attachments in the browser.",
        "ForceWacViewingFirstOnPublicComputers": "Public computers must view Office attachments in the browser before opening them.",
        "ForceWacViewingFirstOnPrivateComputers": "Private computers must view Office attachments in the browser before opening them.",
        "GroupCreationEnabled": "Let users create Microsoft 365 Groups in Outlook on the web.",
        "OWALightEnabled": "Offer the light version of Outlook on the web.",
        "UseGB18030": "Use the GB18030 character set instead of GB2312 for Chinese text.",
        "UseISO885915": "Use ISO-8859-15 instead of ISO-8859-1 for Western European text.",
        "SkipCreateUnifiedGroupCustomSharepointClassification": "Skip the custom SharePoint classification page when users create Microsoft 365 Groups.",
        "AdditionalStorageProvidersAvailable": "Let users connect other storage providers (Box, Dropbox, ...) for attachments.",
        "AttachmentsOfflineEnabledWin": "Let the new Outlook for Windows keep attachments offline.",
        "HideClassicOutlookToggleOut": "Hide the toggle back to classic Outlook in the new Outlook for Windows.",
        "OfflineEnabledWeb": "Let Outlook on the web keep mail available offline.",
        "OfflineEnabledWin": "Let the new Outlook for Windows keep mail available offline.",
        "ItemsToOtherAccountsEnabled": "Let users move or copy items to other accounts in the new Outlook for Windows.",
        "PersonalAccountsEnabled": "Let users add personal accounts to the new Outlook for Windows.",
    ]

    static let help = MailboxPolicySupport.help(OwaMailboxPolicy.schema,
                                                defaults: OwaMailboxPolicy(name: "", guid: UUID(), created: Date(timeIntervalSince1970: 0)),
                                                curated: curatedHelp, noun: "users of the policy")

    static func view(_ policy: OwaMailboxPolicy) -> PSValue {
        .object(PSObject.view(policy, typeName: TypeNames.owaMailboxPolicy, ref: .owaPolicy(policy.guid)))
    }

    static func index(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        try ExchangeSupport.namedIndex(identity, in: context.tenant.owaMailboxPolicies, name: { $0.name }, guid: { $0.guid },
                                       ref: { if case .owaPolicy(let g) = $0 { g } else { nil } }, context)
    }

    static let container = "OWA Mailbox Policies"

    static let family = MailboxPolicyFamily<OwaMailboxPolicy>(
        list: \.owaMailboxPolicies, link: \.owaMailboxPolicy, container: container,
        makeDefault: { $0.makeDefaultOwaMailboxPolicy(named: $1) }, view: view, index: index, newNormalizesEdits: false)
}
