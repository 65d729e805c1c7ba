// Enumerations of the Outlook on the web mailbox policy (`New/Set-OwaMailboxPolicy`).
// Type names and declaration order are from [EXSRC Microsoft.Exchange.Data.Directory.
// SystemConfiguration] where the on-premises code has the type; the cloud-only types
// (PolicyEnum, OutlookDataFileFeatureState) keep the names [OPS Set-OwaMailboxPolicy] gives
// and an INFERRED namespace. [EXCHANGE-FACTS 3.2]

/// `-ActionForUnknownFileAndMIMETypes`. Default Allow in Exchange Online.
public enum AttachmentBlockingActions: String, ExchangeEnum {
    case Allow, ForceSave, Block
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AttachmentBlockingActions"
}

/// `-AllowOfflineOn`. Default AllComputers.
public enum AllowOfflineOnEnum: String, ExchangeEnum {
    case PrivateComputersOnly, NoComputers, AllComputers
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowOfflineOnEnum"
}

/// `-ConditionalAccessPolicy` (cloud only). Default Off. Namespace INFERRED; enumerator
/// order as [OPS Set-OwaMailboxPolicy] lists them (declaration order UNCONFIRMED).
public enum PolicyEnum: String, ExchangeEnum {
    case Off, ReadOnly, ReadOnlyPlusAttachmentsBlocked
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.PolicyEnum"
}

/// `-WebPartsFrameOptionsType`. Default SameOrigin. `AllowFrom` exists in the code though
/// the cmdlet page lists only None, SameOrigin and Deny.
public enum WebPartsFrameOptions: String, ExchangeEnum {
    case Deny, AllowFrom, None, SameOrigin
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.WebPartsFrameOptions"
}

/// `-OutboundCharset`. Default AutoDetect.
public enum OutboundCharsetOptions: String, ExchangeEnum {
    case AlwaysUTF8, AutoDetect, UserLanguageChoice
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.OutboundCharsetOptions"
}

/// `-OutlookDataFile` (cloud only): what users may do with .pst files. Default Allow.
/// Namespace INFERRED; enumerator order as [OPS Set-OwaMailboxPolicy] lists them.
public enum OutlookDataFileFeatureState: String, ExchangeEnum {
    case Allow, NoExport, NoExportNoGrow, NoExportNoOpen, NoExportNoOpenNoGrow, Deny
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.OutlookDataFileFeatureState"
}
