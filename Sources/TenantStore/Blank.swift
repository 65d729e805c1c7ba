import Foundation
import TenantModel

/// The blank object of each kind that sparse records are taken against: every property at
/// the service's default, identity fields empty. Records hold what differs from these.
enum Blank {
    static let epoch = Date(timeIntervalSince1970: 0)
    static let zeroGuid = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    static let user = User(userPrincipalName: "", displayName: "", objectId: zeroGuid, password: "", whenCreated: epoch)

    static func mailbox(_ type: RecipientTypeDetails, _ tier: LicenseTier) -> Mailbox {
        Mailbox(name: "", displayName: "", primarySmtpAddress: placeholderAddress, userPrincipalName: "",
                recipientTypeDetails: type, guid: zeroGuid, userObjectId: nil, licenseTier: tier, whenCreated: epoch)
    }

    static let placeholderAddress = SmtpAddress("blank@blank.invalid")!

    static let device = MobileDevice(mailboxGuid: zeroGuid, mailboxName: "", guid: zeroGuid, deviceId: "", deviceType: "",
                                     deviceModel: "", deviceOS: "", userDisplayName: "", whenCreated: epoch)

    static let mobilePolicy = MobileDeviceMailboxPolicy(name: "", guid: zeroGuid, created: epoch)
    static let owaPolicy = OwaMailboxPolicy(name: "", guid: zeroGuid, created: epoch)
    static let deviceRule = ActiveSyncDeviceAccessRule(queryString: "", characteristic: .DeviceType, accessLevel: .Allow,
                                                       guid: zeroGuid, whenCreated: epoch)
    static let clientAccessRule = ClientAccessRule(name: "", action: .AllowAccess, guid: zeroGuid, priority: 0, whenCreated: epoch)
    static let authenticationPolicy = AuthenticationPolicy(name: "", guid: zeroGuid)
    static let remoteDomain = RemoteDomain(name: "", domainName: "", guid: zeroGuid)
    static let application = AppRegistration(displayName: "", appId: zeroGuid)
    static let inboxRule = InboxRule(mailboxGuid: zeroGuid, mailboxName: "", ruleIdentity: 0, name: "", priority: 0)
    static let permission = MailboxPermission(mailboxGuid: zeroGuid, mailboxName: "", user: "", accessRights: [])
    static let folder = MailFolder(mailboxGuid: zeroGuid, folderId: "", name: "", folderType: "")
    static let message = MailMessage(mailboxGuid: zeroGuid, itemId: "", folderId: "", internetMessageId: "", subject: "",
                                     from: "", to: [], receivedTime: epoch, sizeBytes: 0)
    static let tenantInfo = TenantInfo(displayName: "", tenantId: zeroGuid, initialDomain: "", domains: [],
                                       licenseTier: .E3, createdDateTime: epoch)
    static let organizationConfig = OrganizationConfig(name: "", guid: zeroGuid)
}
