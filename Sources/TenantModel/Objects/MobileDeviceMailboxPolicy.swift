import Foundation

/// A mobile device mailbox policy (`Get/New/Set-MobileDeviceMailboxPolicy`): the Exchange
/// ActiveSync settings pushed to devices. Every tenant has the built-in policy "Default"
/// (IsDefault True); new policies start with the same defaults and IsDefault False.
/// [EXCHANGE-FACTS 2.5; OPS New-MobileDeviceMailboxPolicy]
public struct MobileDeviceMailboxPolicy: SchemaObject, Hashable {
    public var name: String
    /// Only one policy is the default; making one the default clears the flag on the others
    /// (the tenant enforces that, not the object). [OPS New-MobileDeviceMailboxPolicy]
    public var isDefault = false
    public var guid: UUID
    public var whenCreated: Date
    public var whenChanged: Date

    /// Devices that can't enforce the policy may still sync. Default True. [EXCHANGE-FACTS 2.5]
    public var allowNonProvisionableDevices = true
    public var alphanumericPasswordRequired = false
    public var attachmentsEnabled = true
    /// Exchange stores `DeviceEncryptionEnabled` in this same flag (the schema exposes both
    /// names). [EXSRC MobileMailboxPolicy; OPS New-MobileDeviceMailboxPolicy]
    public var requireStorageCardEncryption = false
    public var passwordEnabled = false
    public var passwordRecoveryEnabled = false
    public var devicePolicyRefreshInterval: Unlimited<EnhancedTimeSpan> = .unlimited
    public var allowSimplePassword = true
    /// 0 to 2147482624 bytes (2097151 KB) or Unlimited. [OPS New-MobileDeviceMailboxPolicy]
    public var maxAttachmentSize: Unlimited<ByteQuantifiedSize> = .unlimited
    /// No default is documented; the code's initial flags set it. INFERRED [EXSRC MobileMailboxPolicySchema]
    public var wssAccessEnabled = true
    /// No default is documented; the code's initial flags set it. INFERRED [EXSRC MobileMailboxPolicySchema]
    public var uncAccessEnabled = true
    /// 1 to 16, or $null (blank, the default). [OPS New-MobileDeviceMailboxPolicy]
    public var minPasswordLength: Int? = nil
    /// 00:01:00 to 01:00:00, or Unlimited (the default). [OPS New-MobileDeviceMailboxPolicy]
    public var maxInactivityTimeLock: Unlimited<EnhancedTimeSpan> = .unlimited
    /// 4 to 16, or Unlimited (the default). [OPS New-MobileDeviceMailboxPolicy]
    public var maxPasswordFailedAttempts: Unlimited<Int> = .unlimited
    /// 1.00:00:00 to 730.00:00:00, or Unlimited (the default). [OPS New-MobileDeviceMailboxPolicy]
    public var passwordExpiration: Unlimited<EnhancedTimeSpan> = .unlimited
    /// 0 to 50. [OPS New-MobileDeviceMailboxPolicy]
    public var passwordHistory = 0
    /// Cloud only. [OPS New-MobileDeviceMailboxPolicy]
    public var allowApplePushNotifications = true
    /// Cloud only. [OPS New-MobileDeviceMailboxPolicy]
    public var allowMicrosoftPushNotifications = true
    /// Cloud only. [OPS New-MobileDeviceMailboxPolicy]
    public var allowGooglePushNotifications = true
    public var allowStorageCard = true
    public var allowCamera = true
    public var requireDeviceEncryption = false
    public var allowUnsignedApplications = true
    public var allowUnsignedInstallationPackages = true
    public var allowWiFi = true
    public var allowTextMessaging = true
    public var allowPOPIMAPEmail = true
    public var allowIrDA = true
    public var requireManualSyncWhenRoaming = false
    public var allowDesktopSync = true
    public var allowHTMLEmail = true
    public var requireSignedSMIMEMessages = false
    public var requireEncryptedSMIMEMessages = false
    public var allowSMIMESoftCerts = true
    public var allowBrowser = true
    public var allowConsumerEmail = true
    public var allowRemoteDesktop = true
    public var allowInternetSharing = true
    public var allowBluetooth: BluetoothType = .Allow
    public var maxCalendarAgeFilter: CalendarAgeFilterType = .All
    public var maxEmailAgeFilter: EmailAgeFilterType = .All
    public var requireSignedSMIMEAlgorithm: SignedSMIMEAlgorithmType = .SHA1
    public var requireEncryptionSMIMEAlgorithm: EncryptionSMIMEAlgorithmType = .TripleDES
    public var allowSMIMEEncryptionAlgorithmNegotiation: SMIMEEncryptionAlgorithmNegotiationType = .AllowAnyAlgorithmNegotiation
    /// 1 to 4 character sets. [OPS New-MobileDeviceMailboxPolicy]
    public var minPasswordComplexCharacters = 1
    /// 0 to 2147483647 or Unlimited (the default). [OPS New-MobileDeviceMailboxPolicy]
    public var maxEmailBodyTruncationSize: Unlimited<Int> = .unlimited
    /// 0 to 2147483647 or Unlimited (the default). [OPS New-MobileDeviceMailboxPolicy]
    public var maxEmailHTMLBodyTruncationSize: Unlimited<Int> = .unlimited
    public var unapprovedInROMApplicationList: [String] = []
    /// Exchange's ApprovedApplicationCollection, kept as its display strings.
    public var approvedApplicationList: [String] = []
    public var allowExternalDeviceManagement = false
    public var allowMobileOTAUpdate = true
    public var irmEnabled = true

    /// A new policy as `New-MobileDeviceMailboxPolicy -Name` creates it: all defaults,
    /// IsDefault False.
    public init(name: String, guid: UUID, created: Date) {
        self.name = name
        self.guid = guid
        self.whenCreated = created
        self.whenChanged = created
    }

    /// The built-in policy every tenant has: "Default", IsDefault True. [OPS New-MobileDeviceMailboxPolicy]
    public static func builtInDefault(guid: UUID, created: Date) -> MobileDeviceMailboxPolicy {
        var policy = MobileDeviceMailboxPolicy(name: "Default", guid: guid, created: created)
        policy.isDefault = true
        return policy
    }

    // The ranges of [OPS New-MobileDeviceMailboxPolicy], typed so the schema table below
    // needs no overload resolution.
    static let minPasswordLengthRange: @Sendable (Int?) -> String? = within(1...16)
    static let minPasswordComplexCharactersRange: @Sendable (Int) -> String? = within(1...4)
    static let passwordHistoryRange: @Sendable (Int) -> String? = within(0...50)
    static let maxPasswordFailedAttemptsRange: @Sendable (Unlimited<Int>) -> String? = within(4...16)
    static let maxInactivityTimeLockRange: @Sendable (Unlimited<EnhancedTimeSpan>) -> String? =
        within(EnhancedTimeSpan.minutes(1)...EnhancedTimeSpan.hours(1))
    static let passwordExpirationRange: @Sendable (Unlimited<EnhancedTimeSpan>) -> String? =
        within(EnhancedTimeSpan.days(1)...EnhancedTimeSpan.days(730))
    static let maxAttachmentSizeRange: @Sendable (Unlimited<ByteQuantifiedSize>) -> String? =
        within(ByteQuantifiedSize(bytes: 0)...ByteQuantifiedSize(bytes: 2_147_482_624))
    static let truncationSizeRange: @Sendable (Unlimited<Int>) -> String? = within(0...Int(Int32.max))
    /// The 64-character limit of the OWA policy name, assumed for this policy too (INFERRED).
    static let nameLength: @Sendable (String?) -> String? = maxLength(64)

    /// In the order of the MobileMailboxPolicy class's properties, which is the order
    /// `Format-List` shows them; the common directory properties close the list. [EXSRC MobileMailboxPolicy]
    public static let schema = ObjectSchema<MobileDeviceMailboxPolicy>("MobileDeviceMailboxPolicy", [
        .init("AllowNonProvisionableDevices", \.allowNonProvisionableDevices),
        .init("AlphanumericPasswordRequired", \.alphanumericPasswordRequired),
        .init("AttachmentsEnabled", \.attachmentsEnabled),
        .init("DeviceEncryptionEnabled", as: Bool.self,
              get: { (policy: MobileDeviceMailboxPolicy) -> Bool in policy.requireStorageCardEncryption },
              set: { (policy: inout MobileDeviceMailboxPolicy, value: Bool) in policy.requireStorageCardEncryption = value }),
        .init("RequireStorageCardEncryption", \.requireStorageCardEncryption),
        .init("PasswordEnabled", \.passwordEnabled),
        .init("PasswordRecoveryEnabled", \.passwordRecoveryEnabled),
        .init("DevicePolicyRefreshInterval", \.devicePolicyRefreshInterval),
        .init("AllowSimplePassword", \.allowSimplePassword),
        .init("MaxAttachmentSize", \.maxAttachmentSize, validate: maxAttachmentSizeRange),
        .init("WSSAccessEnabled", \.wssAccessEnabled),
        .init("UNCAccessEnabled", \.uncAccessEnabled),
        .init("MinPasswordLength", \.minPasswordLength, validate: minPasswordLengthRange),
        .init("MaxInactivityTimeLock", \.maxInactivityTimeLock, validate: maxInactivityTimeLockRange),
        .init("MaxPasswordFailedAttempts", \.maxPasswordFailedAttempts, validate: maxPasswordFailedAttemptsRange),
        .init("PasswordExpiration", \.passwordExpiration, validate: passwordExpirationRange),
        .init("PasswordHistory", \.passwordHistory, validate: passwordHistoryRange),
        .init("IsDefault", \.isDefault),
        .init("AllowApplePushNotifications", \.allowApplePushNotifications),
        .init("AllowMicrosoftPushNotifications", \.allowMicrosoftPushNotifications),
        .init("AllowGooglePushNotifications", \.allowGooglePushNotifications),
        .init("AllowStorageCard", \.allowStorageCard),
        .init("AllowCamera", \.allowCamera),
        .init("RequireDeviceEncryption", \.requireDeviceEncryption),
        .init("AllowUnsignedApplications", \.allowUnsignedApplications),
        .init("AllowUnsignedInstallationPackages", \.allowUnsignedInstallationPackages),
        .init("AllowWiFi", \.allowWiFi),
        .init("AllowTextMessaging", \.allowTextMessaging),
        .init("AllowPOPIMAPEmail", \.allowPOPIMAPEmail),
        .init("AllowIrDA", \.allowIrDA),
        .init("RequireManualSyncWhenRoaming", \.requireManualSyncWhenRoaming),
        .init("AllowDesktopSync", \.allowDesktopSync),
        .init("AllowHTMLEmail", \.allowHTMLEmail),
        .init("RequireSignedSMIMEMessages", \.requireSignedSMIMEMessages),
        .init("RequireEncryptedSMIMEMessages", \.requireEncryptedSMIMEMessages),
        .init("AllowSMIMESoftCerts", \.allowSMIMESoftCerts),
        .init("AllowBrowser", \.allowBrowser),
        .init("AllowConsumerEmail", \.allowConsumerEmail),
        .init("AllowRemoteDesktop", \.allowRemoteDesktop),
        .init("AllowInternetSharing", \.allowInternetSharing),
        .init("AllowBluetooth", \.allowBluetooth),
        .init("MaxCalendarAgeFilter", \.maxCalendarAgeFilter),
        .init("MaxEmailAgeFilter", \.maxEmailAgeFilter),
        .init("RequireSignedSMIMEAlgorithm", \.requireSignedSMIMEAlgorithm),
        .init("RequireEncryptionSMIMEAlgorithm", \.requireEncryptionSMIMEAlgorithm),
        .init("AllowSMIMEEncryptionAlgorithmNegotiation", \.allowSMIMEEncryptionAlgorithmNegotiation),
        .init("MinPasswordComplexCharacters", \.minPasswordComplexCharacters, validate: minPasswordComplexCharactersRange),
        .init("MaxEmailBodyTruncationSize", \.maxEmailBodyTruncationSize, validate: truncationSizeRange),
        .init("MaxEmailHTMLBodyTruncationSize", \.maxEmailHTMLBodyTruncationSize, validate: truncationSizeRange),
        .init("UnapprovedInROMApplicationList", \.unapprovedInROMApplicationList),
        .init("ApprovedApplicationList", \.approvedApplicationList),
        .init("AllowExternalDeviceManagement", \.allowExternalDeviceManagement),
        .init("AllowMobileOTAUpdate", \.allowMobileOTAUpdate),
        .init("IrmEnabled", \.irmEnabled),
        .init("Name", \.name, validate: { nameLength($0) }),
        .init(computed: "Identity", \.name),
        .init(readOnly: "Guid", \.guid),
        .init(readOnly: "WhenChanged", \.whenChanged),
        .init(readOnly: "WhenCreated", \.whenCreated),
    ])
}
