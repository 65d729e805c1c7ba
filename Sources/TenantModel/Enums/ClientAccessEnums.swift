/// Protocols a client access rule can name. Declaration order is the enum order of
/// Exchange's code; `UniversalOutlook` came later. [EXCHANGE-FACTS 1.2, 1.6]
public enum ClientAccessProtocol: String, ExchangeEnum {
    case ExchangeWebServices, RemotePowerShell, OutlookAnywhere, POP3, IMAP4, OutlookWebApp
    case ExchangeAdminCenter, ExchangeActiveSync, OfflineAddressBook, PowerShellWebServices, REST
    case UniversalOutlook
    public static let typeName = "Microsoft.Exchange.Data.ClientAccessProtocol"
}

/// Authentication types a client access rule can test. [EXCHANGE-FACTS 1.2]
public enum ClientAccessAuthenticationMethod: String, ExchangeEnum {
    case BasicAuthentication, NonBasicAuthentication, AdfsAuthentication
    case CertificateBasedAuthentication, OAuthAuthentication
    public static let typeName = "Microsoft.Exchange.Data.ClientAccessAuthenticationMethod"
}

/// `-Action` of a client access rule: only these two names exist (`Allow`/`Deny` are doc bugs).
public enum ClientAccessRulesAction: String, ExchangeEnum {
    case AllowAccess, DenyAccess
    public static let typeName = "Microsoft.Exchange.Data.ClientAccessRulesAction"
}

/// `-Scope` (shown as `RuleScope`): end-user connections only, or also middle-tier apps.
public enum ClientAccessRulesScope: String, ExchangeEnum {
    case All, Users
    public static let typeName = "Microsoft.Exchange.Data.ClientAccessRulesScope"
}
