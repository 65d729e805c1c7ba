/// The kind of a recipient (`-RecipientTypeDetails`).
public enum RecipientTypeDetails: String, ExchangeEnum {
    case UserMailbox, SharedMailbox, RoomMailbox, EquipmentMailbox, LinkedMailbox
    case DiscoveryMailbox, SchedulingMailbox, GroupMailbox, TeamMailbox, MailUser, MailContact
    public static let typeName = "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails"

    /// Mailbox auditing on by default covers user, shared and group mailboxes, not resource
    /// or public-folder mailboxes. [EXCHANGE-FACTS 4.1]
    public var isCoveredByDefaultAuditing: Bool {
        switch self {
        case .UserMailbox, .SharedMailbox, .GroupMailbox: true
        default: false
        }
    }
}

/// Mailbox permission access rights (`Add-MailboxPermission -AccessRights`).
public enum MailboxRights: String, ExchangeEnum {
    case FullAccess, SendAs, ExternalAccount, DeleteItem, ReadPermission, ChangePermission, ChangeOwner
    public static let typeName = "Microsoft.Exchange.Management.RecipientTasks.MailboxRights"
}

/// Per-user MFA state (MSOnline StrongAuthenticationRequirements; Graph `perUserMfaState`).
/// Disabled is the absence of a requirement. [EXCHANGE-FACTS 6.1, 6.2]
public enum PerUserMfaState: String, ExchangeEnum {
    case Disabled, Enabled, Enforced
    public static let typeName = "Microsoft.Online.Administration.StrongAuthenticationRequirementState"
}

/// An MFA method a user registered (`StrongAuthenticationMethods[].MethodType`).
public enum StrongAuthenticationMethodType: String, ExchangeEnum {
    case OneWaySMS, TwoWayVoiceMobile, TwoWayVoiceOffice, TwoWayVoiceAlternateMobile
    case PhoneAppOTP, PhoneAppNotification
    public static let typeName = "Microsoft.Online.Administration.StrongAuthenticationMethodType"
}

/// The licence class of the tenant's users: it sets audit defaults (MailItemsAccessed and
/// Send only with E5) and retention. [EXCHANGE-FACTS 4.1, 4.2]
public enum LicenseTier: String, ExchangeEnum {
    case E3, E5
    public static let typeName = "TenantSim.LicenseTier"
}

/// `EwsApplicationAccessPolicy` on a CAS mailbox.
public enum EwsApplicationAccessPolicy: String, ExchangeEnum {
    case EnforceAllowList, EnforceBlockList
    public static let typeName = "Microsoft.Exchange.Data.Directory.EwsApplicationAccessPolicy"
}
