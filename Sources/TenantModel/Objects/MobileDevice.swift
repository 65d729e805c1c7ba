import Foundation

/// A mobile device partnership (`Get-MobileDevice`). [EXCHANGE-FACTS 2.4]
public struct MobileDevice: SchemaObject, Hashable {
    /// The mailbox the partnership belongs to.
    public var mailboxGuid: UUID
    /// The mailbox's name, for the Identity path.
    public var mailboxName: String
    public var guid: UUID
    public var deviceId: String
    public var deviceType: String
    public var deviceModel: String
    public var deviceOS: String
    public var deviceOSLanguage: String? = nil
    public var deviceUserAgent: String? = nil
    public var deviceImei: String? = nil
    public var deviceMobileOperator: String? = nil
    public var deviceTelephoneNumber: String? = nil
    public var friendlyName: String? = nil
    public var userDisplayName: String
    /// When the device first synchronised; nil until it has.
    public var firstSyncTime: Date? = nil
    public var lastSyncAttemptTime: Date? = nil
    public var lastSuccessSync: Date? = nil
    public var deviceAccessState: DeviceAccessState = .Unknown
    public var deviceAccessStateReason: DeviceAccessStateReason = .Unknown
    /// The device access rule that decided the state (nil when a list or the default decided).
    public var deviceAccessControlRule: String? = nil
    /// The EAS protocol version (`ClientVersion`, `DeviceActiveSyncVersion`).
    public var clientVersion: String? = "16.1"
    public var clientType: MobileClientType = .EAS
    /// Bit 1 disabled, bit 2 managed, bit 4 compliant. [EXCHANGE-FACTS 2.4]
    public var provisioningFlags = 0
    /// The mobile device mailbox policy last applied to the device.
    public var devicePolicyApplied: String? = nil
    /// Whether the device can enforce a mobile device mailbox policy (provisioning).
    public var isProvisionable = true
    public var whenCreated: Date
    public var whenChanged: Date

    public init(mailboxGuid: UUID, mailboxName: String, guid: UUID, deviceId: String, deviceType: String,
                deviceModel: String? = nil, deviceOS: String, userDisplayName: String, whenCreated: Date) {
        self.mailboxGuid = mailboxGuid
        self.mailboxName = mailboxName
        self.guid = guid
        self.deviceId = deviceId
        self.deviceType = deviceType
        // A device that never sent a model gets its type as model. [EXCHANGE-FACTS 2.4, INFERRED]
        self.deviceModel = deviceModel ?? deviceType
        self.deviceOS = deviceOS
        self.userDisplayName = userDisplayName
        self.whenCreated = whenCreated
        self.whenChanged = whenCreated
    }

    public var isDisabled: Bool { provisioningFlags & 1 != 0 }
    public var isManaged: Bool { provisioningFlags & 2 != 0 }
    public var isCompliant: Bool { provisioningFlags & 4 != 0 }

    /// `DeviceType§DeviceId`, the partnership object's name.
    public var name: String { "\(deviceType)§\(deviceId)" }

    /// `<mailbox>\ExchangeActiveSyncDevices\<DeviceType>§<DeviceId>`.
    public var identity: String { "\(mailboxName)\\ExchangeActiveSyncDevices\\\(name)" }

    public static let schema = ObjectSchema<MobileDevice>("MobileDevice", [
        .init(computed: "Identity", \.identity),
        .init(computed: "Name", \.name),
        .init("FriendlyName", \.friendlyName, validate: maxLength(64)),
        .init(readOnly: "DeviceId", \.deviceId),
        .init(readOnly: "DeviceImei", \.deviceImei),
        .init(readOnly: "DeviceMobileOperator", \.deviceMobileOperator),
        .init(readOnly: "DeviceOS", \.deviceOS),
        .init(readOnly: "DeviceOSLanguage", \.deviceOSLanguage),
        .init(readOnly: "DeviceTelephoneNumber", \.deviceTelephoneNumber),
        .init(readOnly: "DeviceType", \.deviceType),
        .init(readOnly: "DeviceUserAgent", \.deviceUserAgent),
        .init(readOnly: "DeviceModel", \.deviceModel),
        .init(readOnly: "FirstSyncTime", \.firstSyncTime),
        .init(readOnly: "LastSyncAttemptTime", \.lastSyncAttemptTime),
        .init(readOnly: "LastSuccessSync", \.lastSuccessSync),
        .init(readOnly: "UserDisplayName", \.userDisplayName),
        .init(readOnly: "DeviceAccessState", \.deviceAccessState),
        .init(readOnly: "DeviceAccessStateReason", \.deviceAccessStateReason),
        .init(readOnly: "DeviceAccessControlRule", \.deviceAccessControlRule),
        .init(readOnly: "ClientVersion", \.clientVersion),
        .init(computed: "DeviceActiveSyncVersion", \.clientVersion),
        .init(readOnly: "ClientType", \.clientType),
        .init(computed: "IsManaged", \.isManaged),
        .init(computed: "IsCompliant", \.isCompliant),
        .init(computed: "IsDisabled", \.isDisabled),
        .init(readOnly: "ProvisioningFlags", \.provisioningFlags),
        .init(readOnly: "DevicePolicyApplied", \.devicePolicyApplied),
        .init(readOnly: "IsProvisionable", \.isProvisionable),
        .init(readOnly: "Guid", \.guid),
        .init(readOnly: "MailboxGuid", \.mailboxGuid),
        .init(readOnly: "MailboxName", \.mailboxName),
        .init(readOnly: "WhenCreated", \.whenCreated),
        .init(readOnly: "WhenChanged", \.whenChanged),
    ])
}

/// An ActiveSync device access rule (`New/Set/Get/Remove-ActiveSyncDeviceAccessRule`).
/// [EXCHANGE-FACTS 2.3]
public struct ActiveSyncDeviceAccessRule: SchemaObject, Hashable {
    public var name: String
    public var guid: UUID
    public var characteristic: DeviceAccessCharacteristic
    public var queryString: String
    public var accessLevel: DeviceAccessLevel
    public var whenCreated: Date
    public var whenChanged: Date

    public init(queryString: String, characteristic: DeviceAccessCharacteristic, accessLevel: DeviceAccessLevel,
                guid: UUID, whenCreated: Date) {
        self.name = ActiveSyncDeviceAccessRule.generatedName(queryString: queryString, characteristic: characteristic)
        self.guid = guid
        self.characteristic = characteristic
        self.queryString = queryString
        self.accessLevel = accessLevel
        self.whenCreated = whenCreated
        self.whenChanged = whenCreated
    }

    /// Exchange names a rule `"<QueryString> (<Characteristic>)"`; past 64 characters it is
    /// truncated and a hash inserted so names stay unique. [EXCHANGE-FACTS 2.3]
    public static func generatedName(queryString: String, characteristic: DeviceAccessCharacteristic) -> String {
        let full = "\(queryString) (\(characteristic.rawValue))"
        guard full.count > 64 else { return full }
        let suffix = " (\(characteristic.rawValue))"
        var hash: UInt32 = 2_166_136_261
        for b in queryString.utf8 { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let hashText = String(hash, radix: 16, uppercase: true)
        let keep = 64 - suffix.count - hashText.count - 1
        return String(queryString.prefix(keep)) + "~" + hashText + suffix
    }

    public static let schema = ObjectSchema<ActiveSyncDeviceAccessRule>("ActiveSyncDeviceAccessRule", [
        .init(computed: "Identity", \.name),
        .init(readOnly: "Name", \.name),
        .init(readOnly: "Characteristic", \.characteristic),
        .init(readOnly: "QueryString", \.queryString),
        .init("AccessLevel", \.accessLevel),
        .init(readOnly: "Guid", \.guid),
        .init(readOnly: "WhenCreated", \.whenCreated),
        .init(readOnly: "WhenChanged", \.whenChanged),
    ])
}
