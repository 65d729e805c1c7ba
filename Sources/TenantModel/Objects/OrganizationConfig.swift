import Foundation

/// The tenant's Exchange organization settings (`Get/Set-OrganizationConfig`).
public struct OrganizationConfig: SchemaObject, Hashable {
    /// The organization's name: the tenant's initial domain (`brittest.onmicrosoft.com`).
    public var name: String
    public var guid: UUID
    /// True until `Enable-OrganizationCustomization` has run once. A new tenant is
    /// dehydrated. [EXCHANGE-FACTS 5.2]
    public var isDehydrated = true
    /// False = mailbox auditing on by default is active for the organization (since
    /// January 2019). [EXCHANGE-FACTS 4.1]
    public var auditDisabled = false
    /// Modern authentication for Outlook; on for tenants created since August 2017.
    public var oAuth2ClientProfileEnabled = true
    /// The organization-wide EWS switch; null means not set (EWS allowed). [EXCHANGE-FACTS 3.1]
    public var ewsEnabled: Bool? = nil
    public var ewsApplicationAccessPolicy: EwsApplicationAccessPolicy? = nil
    public var ewsAllowList: [String] = []
    public var ewsBlockList: [String] = []
    public var ewsAllowOutlook: Bool? = nil
    public var ewsAllowMacOutlook: Bool? = nil
    public var ewsAllowEntourage: Bool? = nil
    /// The authentication policy applied to users without one of their own.
    public var defaultAuthenticationPolicy: String? = nil
    /// Whether CAS mailboxes' PublicFolderClientAccess is honoured. [EXCHANGE-FACTS 3.1]
    public var publicFolderShowClientControl = false
    public var mailTipsAllTipsEnabled = true
    public var auditLogAgeLimitDefault = EnhancedTimeSpan.days(90)

    public init(name: String, guid: UUID) {
        self.name = name
        self.guid = guid
    }

    public static let schema = ObjectSchema<OrganizationConfig>("OrganizationConfig", [
        .init(readOnly: "Name", \.name),
        .init(computed: "Identity", \.name),
        .init(readOnly: "Guid", \.guid),
        .init(readOnly: "IsDehydrated", \.isDehydrated),
        .init("AuditDisabled", \.auditDisabled),
        .init("OAuth2ClientProfileEnabled", \.oAuth2ClientProfileEnabled),
        .init("EwsEnabled", \.ewsEnabled),
        .init("EwsApplicationAccessPolicy", \.ewsApplicationAccessPolicy),
        .init("EwsAllowList", \.ewsAllowList),
        .init("EwsBlockList", \.ewsBlockList),
        .init("EwsAllowOutlook", \.ewsAllowOutlook),
        .init("EwsAllowMacOutlook", \.ewsAllowMacOutlook),
        .init("EwsAllowEntourage", \.ewsAllowEntourage),
        .init("DefaultAuthenticationPolicy", \.defaultAuthenticationPolicy),
        .init("PublicFolderShowClientControl", \.publicFolderShowClientControl),
        .init("MailTipsAllTipsEnabled", \.mailTipsAllTipsEnabled),
    ])
}

/// `Get/Set-AdminAuditLogConfig`. One object per tenant, "Admin Audit Log Settings".
/// [EXCHANGE-FACTS 5.1]
public struct AdminAuditLogConfig: SchemaObject, Hashable {
    public var name = "Admin Audit Log Settings"
    /// The unified audit log switch. The cmdlet reference gives $true as the default;
    /// tenants of 2019 (the white paper's) had it off, and their fixtures say so.
    public var unifiedAuditLogIngestionEnabled = true
    public var adminAuditLogEnabled = true
    public var adminAuditLogAgeLimit = EnhancedTimeSpan.days(90)
    public var adminAuditLogCmdlets: [String] = ["*"]
    public var adminAuditLogParameters: [String] = ["*"]
    public var adminAuditLogExcludedCmdlets: [String] = []
    public var logLevel: AdminAuditLogLevel = .None
    public var testCmdletLoggingEnabled = false

    public init() {}

    public static let schema = ObjectSchema<AdminAuditLogConfig>("AdminAuditLogConfig", [
        .init(readOnly: "Name", \.name),
        .init(computed: "Identity", \.name),
        .init("UnifiedAuditLogIngestionEnabled", \.unifiedAuditLogIngestionEnabled),
        .init("AdminAuditLogEnabled", \.adminAuditLogEnabled),
        .init("AdminAuditLogAgeLimit", \.adminAuditLogAgeLimit),
        .init("AdminAuditLogCmdlets", \.adminAuditLogCmdlets),
        .init("AdminAuditLogParameters", \.adminAuditLogParameters),
        .init("AdminAuditLogExcludedCmdlets", \.adminAuditLogExcludedCmdlets),
        .init("LogLevel", \.logLevel),
        .init("TestCmdletLoggingEnabled", \.testCmdletLoggingEnabled),
    ])
}

public enum AdminAuditLogLevel: String, ExchangeEnum {
    case None, Verbose
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AuditLogLevel"
}

/// `Get/Set-TransportConfig`: the organization's SMTP client authentication switch that
/// CAS mailboxes with `SmtpClientAuthenticationDisabled = $null` inherit. [EXCHANGE-FACTS 3.1]
public struct TransportConfig: SchemaObject, Hashable {
    public var name = "Transport Settings"
    /// SMTP AUTH for the organization. Off (`$false`, i.e. allowed) for a tenant of 2019.
    public var smtpClientAuthenticationDisabled = false
    public var maxSendSize = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 35 << 20))
    public var maxReceiveSize = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 36 << 20))
    public var externalDelayDsnEnabled = true

    public init() {}

    public static let schema = ObjectSchema<TransportConfig>("TransportConfig", [
        .init(readOnly: "Name", \.name),
        .init(computed: "Identity", \.name),
        .init("SmtpClientAuthenticationDisabled", \.smtpClientAuthenticationDisabled),
        .init("MaxSendSize", \.maxSendSize),
        .init("MaxReceiveSize", \.maxReceiveSize),
        .init("ExternalDelayDsnEnabled", \.externalDelayDsnEnabled),
    ])
}

/// `Get/Set-RemoteDomain`: per-destination mail settings; the built-in "Default" covers `*`.
public struct RemoteDomain: SchemaObject, Hashable {
    public var name: String
    public var domainName: String
    public var guid: UUID
    /// Whether automatic forwarding to this domain is allowed (the forwarding-rule defence).
    public var autoForwardEnabled = true
    public var autoReplyEnabled = true
    public var allowedOOFType: AllowedOOFType = .External
    public var deliveryReportEnabled = true
    public var ndrEnabled = true

    public init(name: String, domainName: String, guid: UUID) {
        self.name = name
        self.domainName = domainName
        self.guid = guid
    }

    public static let schema = ObjectSchema<RemoteDomain>("RemoteDomain", [
        .init(readOnly: "Name", \.name),
        .init(computed: "Identity", \.name),
        .init(readOnly: "DomainName", \.domainName),
        .init(readOnly: "Guid", \.guid),
        .init("AutoForwardEnabled", \.autoForwardEnabled),
        .init("AutoReplyEnabled", \.autoReplyEnabled),
        .init("AllowedOOFType", \.allowedOOFType),
        .init("DeliveryReportEnabled", \.deliveryReportEnabled),
        .init("NDREnabled", \.ndrEnabled),
    ])
}

public enum AllowedOOFType: String, ExchangeEnum {
    case External, ExternalLegacy, InternalLegacy, None
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedOOFType"
}

/// `New/Set/Get-AuthenticationPolicy`: per-protocol basic-authentication switches. A new
/// policy blocks basic authentication for every protocol (all switches $false).
public struct AuthenticationPolicy: SchemaObject, Hashable {
    public var name: String
    public var guid: UUID
    public var allowBasicAuthActiveSync = false
    public var allowBasicAuthAutodiscover = false
    public var allowBasicAuthImap = false
    public var allowBasicAuthMapi = false
    public var allowBasicAuthOfflineAddressBook = false
    public var allowBasicAuthOutlookService = false
    public var allowBasicAuthPop = false
    public var allowBasicAuthPowershell = false
    public var allowBasicAuthReportingWebServices = false
    public var allowBasicAuthRpc = false
    public var allowBasicAuthSmtp = false
    public var allowBasicAuthWebServices = false

    public init(name: String, guid: UUID) {
        self.name = name
        self.guid = guid
    }

    public static let schema = ObjectSchema<AuthenticationPolicy>("AuthenticationPolicy", [
        .init(readOnly: "Name", \.name),
        .init(computed: "Identity", \.name),
        .init(readOnly: "Guid", \.guid),
        .init("AllowBasicAuthActiveSync", \.allowBasicAuthActiveSync),
        .init("AllowBasicAuthAutodiscover", \.allowBasicAuthAutodiscover),
        .init("AllowBasicAuthImap", \.allowBasicAuthImap),
        .init("AllowBasicAuthMapi", \.allowBasicAuthMapi),
        .init("AllowBasicAuthOfflineAddressBook", \.allowBasicAuthOfflineAddressBook),
        .init("AllowBasicAuthOutlookService", \.allowBasicAuthOutlookService),
        .init("AllowBasicAuthPop", \.allowBasicAuthPop),
        .init("AllowBasicAuthPowershell", \.allowBasicAuthPowershell),
        .init("AllowBasicAuthReportingWebServices", \.allowBasicAuthReportingWebServices),
        .init("AllowBasicAuthRpc", \.allowBasicAuthRpc),
        .init("AllowBasicAuthSmtp", \.allowBasicAuthSmtp),
        .init("AllowBasicAuthWebServices", \.allowBasicAuthWebServices),
    ])
}
