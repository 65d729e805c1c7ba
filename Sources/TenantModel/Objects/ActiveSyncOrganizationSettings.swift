import Foundation

/// The organization's ActiveSync settings (`Get/Set-ActiveSyncOrganizationSettings`).
/// One object per tenant, named "Mobile Mailbox Settings". [EXCHANGE-FACTS 2.3]
public struct ActiveSyncOrganizationSettings: SchemaObject, Hashable {
    public var name = "Mobile Mailbox Settings"
    /// What a device gets when no individual list or device rule decides. Default Allow.
    public var defaultAccessLevel: DeviceAccessLevel = .Allow
    /// Who is notified about quarantined devices. Empty by default.
    public var adminMailRecipients: [SmtpAddress] = []
    /// Text added to the quarantine mail sent to users (≤ 256 characters).
    public var userMailInsert: String? = nil
    /// Text added to the over-the-air notification mail (≤ 256 characters).
    public var otaNotificationMailInsert: String? = nil
    public var allowAccessForUnSupportedPlatform = false
    public var allowRMSSupportForUnenlightenedApps = false
    public var enableMobileMailboxPolicyWhenCAInplace = false

    public init() {}

    public static let schema = ObjectSchema<ActiveSyncOrganizationSettings>("ActiveSyncOrganizationSettings", [
        .init(readOnly: "Name", \.name),
        .init(computed: "Identity", \.name),
        .init("DefaultAccessLevel", \.defaultAccessLevel),
        .init("AdminMailRecipients", \.adminMailRecipients),
        .init("UserMailInsert", \.userMailInsert, validate: maxLength(256)),
        .init("OtaNotificationMailInsert", \.otaNotificationMailInsert, validate: maxLength(256)),
        .init("AllowAccessForUnSupportedPlatform", \.allowAccessForUnSupportedPlatform),
        .init("AllowRMSSupportForUnenlightenedApps", \.allowRMSSupportForUnenlightenedApps),
        .init("EnableMobileMailboxPolicyWhenCAInplace", \.enableMobileMailboxPolicyWhenCAInplace),
    ])
}
