import Foundation

/// A mailbox's client access settings (`Get/Set-CASMailbox`): the protocol switches and the
/// ActiveSync device lists and policy links. Defaults per [EXCHANGE-FACTS 3.1].
public struct CASMailbox: Hashable, Sendable {
    public var activeSyncEnabled = true
    public var owaEnabled = true
    public var owaForDevicesEnabled = true
    public var ewsEnabled = true
    /// No default stated by Microsoft; shown blank. (UNCONFIRMED)
    public var ewsAllowOutlook: Bool? = nil
    public var ewsAllowMacOutlook = true
    public var ewsAllowEntourage = true
    public var ewsApplicationAccessPolicy: EwsApplicationAccessPolicy? = nil
    public var ewsAllowList: [String] = []
    public var ewsBlockList: [String] = []
    public var imapEnabled = true
    public var popEnabled = true
    public var mapiEnabled = true
    public var macOutlookEnabled = true
    public var outlookMobileEnabled = true
    public var oneWinNativeOutlookEnabled = true
    public var universalOutlookEnabled = true
    public var publicFolderClientAccess = false
    /// $null inherits the organization's `Set-TransportConfig -SmtpClientAuthenticationDisabled`.
    public var smtpClientAuthenticationDisabled: Bool? = nil
    /// The mobile device mailbox policy; nil means the organization's default policy.
    public var activeSyncMailboxPolicy: String? = nil
    /// The OWA mailbox policy; nil means the organization's default policy.
    public var owaMailboxPolicy: String? = nil
    public var activeSyncAllowedDeviceIDs: [String] = []
    public var activeSyncBlockedDeviceIDs: [String] = []
    public var activeSyncDebugLogging = false
    public var activeSyncSuppressReadReceipt = false
    public var imapUseProtocolDefaults = true
    public var popUseProtocolDefaults = true
    public var showGalAsDefaultView = true

    public init() {}

    /// The settings as Exchange names them, in Get-CASMailbox order. The policy links here
    /// are the raw links (nil = organization default); ``CASMailboxView`` resolves them.
    public static let schema = ObjectSchema<CASMailbox>("CASMailboxSettings", [
        .init("ActiveSyncEnabled", \.activeSyncEnabled),
        .init("OWAEnabled", \.owaEnabled),
        .init("OWAforDevicesEnabled", \.owaForDevicesEnabled),
        .init("EwsEnabled", \.ewsEnabled),
        .init("EwsAllowOutlook", \.ewsAllowOutlook),
        .init("EwsAllowMacOutlook", \.ewsAllowMacOutlook),
        .init("EwsAllowEntourage", \.ewsAllowEntourage),
        .init("EwsApplicationAccessPolicy", \.ewsApplicationAccessPolicy),
        .init("EwsAllowList", \.ewsAllowList),
        .init("EwsBlockList", \.ewsBlockList),
        .init("ImapEnabled", \.imapEnabled),
        .init("PopEnabled", \.popEnabled),
        .init("MAPIEnabled", \.mapiEnabled),
        .init("MacOutlookEnabled", \.macOutlookEnabled),
        .init("OutlookMobileEnabled", \.outlookMobileEnabled),
        .init("OneWinNativeOutlookEnabled", \.oneWinNativeOutlookEnabled),
        .init("UniversalOutlookEnabled", \.universalOutlookEnabled),
        .init("PublicFolderClientAccess", \.publicFolderClientAccess),
        .init("SmtpClientAuthenticationDisabled", \.smtpClientAuthenticationDisabled),
        .init("ActiveSyncAllowedDeviceIDs", \.activeSyncAllowedDeviceIDs),
        .init("ActiveSyncBlockedDeviceIDs", \.activeSyncBlockedDeviceIDs),
        .init("ActiveSyncMailboxPolicy", \.activeSyncMailboxPolicy),
        .init("OwaMailboxPolicy", \.owaMailboxPolicy),
        .init("ActiveSyncDebugLogging", \.activeSyncDebugLogging),
        .init("ActiveSyncSuppressReadReceipt", \.activeSyncSuppressReadReceipt),
        .init("ImapUseProtocolDefaults", \.imapUseProtocolDefaults),
        .init("PopUseProtocolDefaults", \.popUseProtocolDefaults),
        .init("ShowGalAsDefaultView", \.showGalAsDefaultView),
    ])

    /// Whether SMTP client submission is allowed, resolving the `$null` inheritance.
    public func smtpClientAuthenticationAllowed(organizationDisabled: Bool) -> Bool {
        !(smtpClientAuthenticationDisabled ?? organizationDisabled)
    }
}

/// The view of a mailbox that `Get-CASMailbox` returns: its identity and the CAS settings.
/// The policy properties resolve to the organization's default policy where the mailbox has
/// none, so this view needs the tenant's defaults to print them.
public struct CASMailboxView: SchemaObject, Hashable {
    public var mailbox: Mailbox
    public var defaultActiveSyncPolicy: String
    public var defaultOwaPolicy: String
    public var hasActiveSyncDevicePartnership: Bool

    public init(mailbox: Mailbox, defaultActiveSyncPolicy: String, defaultOwaPolicy: String, hasActiveSyncDevicePartnership: Bool) {
        self.mailbox = mailbox
        self.defaultActiveSyncPolicy = defaultActiveSyncPolicy
        self.defaultOwaPolicy = defaultOwaPolicy
        self.hasActiveSyncDevicePartnership = hasActiveSyncDevicePartnership
    }

    public var activeSyncMailboxPolicy: String { mailbox.cas.activeSyncMailboxPolicy ?? defaultActiveSyncPolicy }
    public var activeSyncMailboxPolicyIsDefaulted: Bool { mailbox.cas.activeSyncMailboxPolicy == nil }
    public var owaMailboxPolicy: String { mailbox.cas.owaMailboxPolicy ?? defaultOwaPolicy }

    public static let schema: ObjectSchema<CASMailboxView> = {
        let identity: [PropertyDefinition<CASMailboxView>] = [
            .init(computed: "Identity", \.mailbox.name),
            .init(computed: "Name", \.mailbox.name),
            .init(computed: "DisplayName", \.mailbox.displayName),
            .init(computed: "PrimarySmtpAddress", \.mailbox.primarySmtpAddress),
            .init(computed: "Guid", \.mailbox.guid),
        ]
        // The policy links show the organization default where the mailbox has none; setting
        // $null goes back to following the default (IsDefaulted True). [EXCHANGE-FACTS 2.3]
        let resolved: [String: PropertyDefinition<CASMailboxView>] = [
            "ActiveSyncMailboxPolicy": .init("ActiveSyncMailboxPolicy", as: String?.self,
                                             get: { $0.activeSyncMailboxPolicy }, set: { $0.mailbox.cas.activeSyncMailboxPolicy = $1 }),
            "OwaMailboxPolicy": .init("OwaMailboxPolicy", as: String?.self,
                                      get: { $0.owaMailboxPolicy }, set: { $0.mailbox.cas.owaMailboxPolicy = $1 }),
        ]
        var props = identity
        for p in CASMailbox.schema.properties {
            props.append(resolved[p.name] ?? p.lifted(\CASMailboxView.mailbox.cas))
            if p.name == "ActiveSyncMailboxPolicy" {
                props.append(.init(computed: "ActiveSyncMailboxPolicyIsDefaulted", \.activeSyncMailboxPolicyIsDefaulted))
            }
        }
        props.append(.init(computed: "HasActiveSyncDevicePartnership", \.hasActiveSyncDevicePartnership))
        return ObjectSchema("CASMailbox", props)
    }()
}
