// Enumerations of the mobile device mailbox policy (`New/Set-MobileDeviceMailboxPolicy`).
// Names, .NET types and declaration order (which is the order Exchange lists valid values
// in conversion errors) are from [EXSRC Microsoft.Exchange.Data.Directory.SystemConfiguration];
// the value lists match [OPS New-MobileDeviceMailboxPolicy]. [EXCHANGE-FACTS 2.5]

/// `-AllowBluetooth`. Default Allow.
public enum BluetoothType: String, ExchangeEnum {
    case Disable, HandsfreeOnly, Allow
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.BluetoothType"
}

/// `-MaxCalendarAgeFilter`. Default All.
public enum CalendarAgeFilterType: String, ExchangeEnum {
    case All, TwoWeeks, OneMonth, ThreeMonths, SixMonths
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.CalendarAgeFilterType"
}

/// `-MaxEmailAgeFilter`. Default All.
public enum EmailAgeFilterType: String, ExchangeEnum {
    case All, OneDay, ThreeDays, OneWeek, TwoWeeks, OneMonth
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.EmailAgeFilterType"
}

/// `-RequireSignedSMIMEAlgorithm`. Default SHA1.
public enum SignedSMIMEAlgorithmType: String, ExchangeEnum {
    case SHA1, MD5
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.SignedSMIMEAlgorithmType"
}

/// `-RequireEncryptionSMIMEAlgorithm`. Default TripleDES.
public enum EncryptionSMIMEAlgorithmType: String, ExchangeEnum {
    case TripleDES, DES, RC2128bit, RC264bit, RC240bit
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.EncryptionSMIMEAlgorithmType"
}

/// `-AllowSMIMEEncryptionAlgorithmNegotiation`. Default AllowAnyAlgorithmNegotiation.
public enum SMIMEEncryptionAlgorithmNegotiationType: String, ExchangeEnum {
    case BlockNegotiation, OnlyStrongAlgorithmNegotiation, AllowAnyAlgorithmNegotiation
    public static let typeName = "Microsoft.Exchange.Data.Directory.SystemConfiguration.SMIMEEncryptionAlgorithmNegotiationType"
}
