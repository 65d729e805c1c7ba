/// A mobile device's access state. [EXCHANGE-FACTS 2.1]
public enum DeviceAccessState: String, ExchangeEnum {
    case Unknown, Allowed, Blocked, Quarantined, DeviceDiscovery
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DeviceAccessState"
}

/// Why a device has its access state. Numeric values as in Exchange (6–12 autoblock,
/// 51–53 external MDM). [EXCHANGE-FACTS 2.1]
public enum DeviceAccessStateReason: String, ExchangeEnum {
    case Unknown, Global, Individual, DeviceRule, Upgrade, Policy
    case UserAgentsChanges, RecentCommands, Watsons, OutOfBudgets, SyncCommands, EnableNotificationEmail, CommandFrequency
    case ExternallyManaged, ExternalCompliance, ExternalEnrollment
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DeviceAccessStateReason"

    public var numericValue: Int {
        switch self {
        case .Unknown: 0
        case .Global: 1
        case .Individual: 2
        case .DeviceRule: 3
        case .Upgrade: 4
        case .Policy: 5
        case .UserAgentsChanges: 6
        case .RecentCommands: 7
        case .Watsons: 8
        case .OutOfBudgets: 9
        case .SyncCommands: 10
        case .EnableNotificationEmail: 11
        case .CommandFrequency: 12
        case .ExternallyManaged: 51
        case .ExternalCompliance: 52
        case .ExternalEnrollment: 53
        }
    }
}

/// `-AccessLevel` of a device access rule and `-DefaultAccessLevel` of the organization.
public enum DeviceAccessLevel: String, ExchangeEnum {
    case Allow, Block, Quarantine
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DeviceAccessLevel"

    /// The access state a device gets from this level.
    public var resultingState: DeviceAccessState {
        switch self {
        case .Allow: .Allowed
        case .Block: .Blocked
        case .Quarantine: .Quarantined
        }
    }
}

/// `-Characteristic` of a device access rule. [EXCHANGE-FACTS 2.1]
public enum DeviceAccessCharacteristic: String, ExchangeEnum {
    case DeviceType, DeviceModel, DeviceOS, UserAgent, XMSWLHeader
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.DeviceAccessCharacteristic"
}

/// How a device reaches the mailbox (`ClientType` on Get-MobileDevice). EAS is the default;
/// the others are the Outlook-service partnerships. (Exact EXO enum UNCONFIRMED.)
public enum MobileClientType: String, ExchangeEnum {
    case EAS, MOWA, Outlook, REST, UniversalOutlook
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.MobileClientType"
}
