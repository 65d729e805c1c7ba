import Foundation
import TenantModel

/// The `AllowBasicAuth*` switch of an authentication policy that governs Basic
/// authentication on a protocol. [OXD disable-basic-authentication-in-exchange-online.md,
/// protocol table]
public enum BasicAuthSwitch: String, Sendable, CaseIterable {
    case AllowBasicAuthActiveSync, AllowBasicAuthAutodiscover, AllowBasicAuthImap, AllowBasicAuthMapi
    case AllowBasicAuthOfflineAddressBook, AllowBasicAuthOutlookService, AllowBasicAuthPop, AllowBasicAuthPowershell
    case AllowBasicAuthReportingWebServices, AllowBasicAuthRpc, AllowBasicAuthSmtp, AllowBasicAuthWebServices

    /// Whether the policy lets Basic authentication through on this switch's protocol.
    public func isAllowed(in policy: AuthenticationPolicy) -> Bool {
        switch self {
        case .AllowBasicAuthActiveSync: return policy.allowBasicAuthActiveSync
        case .AllowBasicAuthAutodiscover: return policy.allowBasicAuthAutodiscover
        case .AllowBasicAuthImap: return policy.allowBasicAuthImap
        case .AllowBasicAuthMapi: return policy.allowBasicAuthMapi
        case .AllowBasicAuthOfflineAddressBook: return policy.allowBasicAuthOfflineAddressBook
        case .AllowBasicAuthOutlookService: return policy.allowBasicAuthOutlookService
        case .AllowBasicAuthPop: return policy.allowBasicAuthPop
        case .AllowBasicAuthPowershell: return policy.allowBasicAuthPowershell
        case .AllowBasicAuthReportingWebServices: return policy.allowBasicAuthReportingWebServices
        case .AllowBasicAuthRpc: return policy.allowBasicAuthRpc
        case .AllowBasicAuthSmtp: return policy.allowBasicAuthSmtp
        case .AllowBasicAuthWebServices: return policy.allowBasicAuthWebServices
        }
    }
}

extension AccessProtocol {
    /// The authentication policy switch for Basic authentication on this protocol; nil where
    /// no switch exists (Outlook on the web and the admin center sign in through forms, and an
    /// Entra ID sign-in is not Exchange's). REST and UniversalOutlook share the Outlook
    /// service switch; PowerShell Web Services counts as PowerShell (INFERRED).
    public var basicAuthSwitch: BasicAuthSwitch? {
        switch self {
        case .ExchangeActiveSync: return .AllowBasicAuthActiveSync
        case .IMAP4: return .AllowBasicAuthImap
        case .POP3: return .AllowBasicAuthPop
        case .SMTP: return .AllowBasicAuthSmtp
        case .ExchangeWebServices: return .AllowBasicAuthWebServices
        case .OutlookAnywhere: return .AllowBasicAuthRpc
        case .MAPI: return .AllowBasicAuthMapi
        case .RemotePowerShell, .PowerShellWebServices: return .AllowBasicAuthPowershell
        case .OfflineAddressBook: return .AllowBasicAuthOfflineAddressBook
        case .REST, .UniversalOutlook: return .AllowBasicAuthOutlookService
        case .OutlookWebApp, .ExchangeAdminCenter, .AzureAD: return nil
        }
    }

    /// Whether the protocol reaches a mailbox, so the user needs one and its CAS switches
    /// apply. Exchange Online PowerShell and the admin center work without a mailbox (an
    /// admin needs none), and every user may connect to Exchange Online PowerShell
    /// (RemotePowerShellEnabled is $true by default; RBAC, not the connection, limits what
    /// a non-admin can run). [OPS Set-User RemotePowerShellEnabled]
    public var needsMailbox: Bool {
        switch self {
        case .AzureAD, .RemotePowerShell, .PowerShellWebServices, .ExchangeAdminCenter: return false
        default: return true
        }
    }
}

/// The CASMailbox (and organization) switch that refuses a protocol to a mailbox, if any.
/// [EXCHANGE-FACTS 3.1]
struct ProtocolSwitchCheck {
    /// The switch that refused, e.g. `ImapEnabled`, and what to say about it.
    struct Refusal {
        var by: String
        var detail: String
        var easStatus: Int?
    }

    /// EAS status 126, UserDisabledForSync: ActiveSyncEnabled is $false. [MS-ASCMD status codes]
    static let userDisabledForSync = 126

    static func refusal(_ attempt: AccessAttempt, cas: CASMailbox, tenant: Tenant) -> Refusal? {
        switch attempt.accessProtocol {
        case .OutlookWebApp:
            return cas.owaEnabled ? nil : Refusal(by: "OWAEnabled", detail: "OWAEnabled is $false for this mailbox: Outlook on the web is refused.")
        case .IMAP4:
            return cas.imapEnabled ? nil : Refusal(by: "ImapEnabled", detail: "ImapEnabled is $false for this mailbox: IMAP answers \"User is authenticated but not connected.\"")
        case .POP3:
            return cas.popEnabled ? nil : Refusal(by: "PopEnabled", detail: "PopEnabled is $false for this mailbox: POP answers \"User is authenticated but not connected.\"")
        case .MAPI, .OutlookAnywhere:
            return cas.mapiEnabled ? nil : Refusal(by: "MAPIEnabled", detail: "MAPIEnabled is $false for this mailbox: Outlook (MAPI over HTTP, RPC over HTTP) is refused.")
        case .UniversalOutlook:
            return cas.universalOutlookEnabled ? nil : Refusal(by: "UniversalOutlookEnabled", detail: "UniversalOutlookEnabled is $false for this mailbox: Windows Mail and Calendar is refused.")
        case .ExchangeActiveSync:
            if !cas.activeSyncEnabled {
                return Refusal(by: "ActiveSyncEnabled", detail: "ActiveSyncEnabled is $false for this mailbox: EAS status 126 (UserDisabledForSync).",
                               easStatus: userDisabledForSync)
            }
            return outlookMobile(attempt, cas)
        case .REST:
            return outlookMobile(attempt, cas)
        case .SMTP:
            // $null on the mailbox inherits Set-TransportConfig. [EXCHANGE-FACTS 3.1]
            let organization = tenant.transportConfig.smtpClientAuthenticationDisabled
            guard !cas.smtpClientAuthenticationAllowed(organizationDisabled: organization) else { return nil }
            if cas.smtpClientAuthenticationDisabled == nil {
                return Refusal(by: "TransportConfig.SmtpClientAuthenticationDisabled",
                               detail: "SMTP AUTH is off for the organization (Set-TransportConfig -SmtpClientAuthenticationDisabled $true) and the mailbox follows it.")
            }
            return Refusal(by: "SmtpClientAuthenticationDisabled", detail: "SmtpClientAuthenticationDisabled is $true for this mailbox: SMTP AUTH is refused.")
        case .ExchangeWebServices:
            return ews(attempt, cas: cas, organization: tenant.organizationConfig)
        case .OfflineAddressBook, .AzureAD, .RemotePowerShell, .PowerShellWebServices, .ExchangeAdminCenter:
            return nil
        }
    }

    /// Outlook for iOS and Android reaches the mailbox through Microsoft's middle tier;
    /// OutlookMobileEnabled $false refuses it. [EXCHANGE-FACTS 3.1]
    private static func outlookMobile(_ attempt: AccessAttempt, _ cas: CASMailbox) -> Refusal? {
        guard attempt.isMiddleTierApp, !cas.outlookMobileEnabled, let agent = attempt.userAgent,
              agent.hasPrefix("Outlook-iOS") || agent.hasPrefix("Outlook-Android") else { return nil }
        return Refusal(by: "OutlookMobileEnabled", detail: "OutlookMobileEnabled is $false for this mailbox: Outlook for iOS and Android is refused.")
    }

    /// EWS: the organization switch, the mailbox switch, then the application access policy
    /// (allow or block list of user agents, `*` wildcards). A mailbox's own policy overrides
    /// the organization's ("specific settings override general ones"). [EXCHANGE-FACTS 3.1;
    /// office-developer-exchange-docs controlling-client-application-access-to-ews-in-exchange.md]
    private static func ews(_ attempt: AccessAttempt, cas: CASMailbox, organization: OrganizationConfig) -> Refusal? {
        if organization.ewsEnabled == false {
            return Refusal(by: "OrganizationConfig.EwsEnabled", detail: "EwsEnabled is $false for the organization (Set-OrganizationConfig): EWS is refused to every mailbox.")
        }
        if !cas.ewsEnabled {
            return Refusal(by: "EwsEnabled", detail: "EwsEnabled is $false for this mailbox: EWS is refused.")
        }
        let policy: EwsApplicationAccessPolicy?
        let list: [String]
        let scope: String
        if let own = cas.ewsApplicationAccessPolicy {
            policy = own
            list = own == .EnforceAllowList ? cas.ewsAllowList : cas.ewsBlockList
            scope = "the mailbox's"
        } else {
            policy = organization.ewsApplicationAccessPolicy
            list = policy == .EnforceAllowList ? organization.ewsAllowList : organization.ewsBlockList
            scope = "the organization's"
        }
        guard let policy else { return nil }
        let agent = attempt.userAgent ?? ""
        let listed = list.contains { OPathFilter.wildcard($0, agent) }
        switch policy {
        case .EnforceAllowList where !listed:
            return Refusal(by: "EwsApplicationAccessPolicy",
                           detail: "\(scope.prefix(1).uppercased() + scope.dropFirst()) EwsApplicationAccessPolicy is EnforceAllowList and the user agent \"\(agent)\" isn't on EwsAllowList.")
        case .EnforceBlockList where listed:
            return Refusal(by: "EwsApplicationAccessPolicy",
                           detail: "\(scope.prefix(1).uppercased() + scope.dropFirst()) EwsApplicationAccessPolicy is EnforceBlockList and the user agent \"\(agent)\" is on EwsBlockList.")
        default:
            return nil
        }
    }
}
