import Foundation
import TenantModel

/// Something that happened in the tenant that the service may log. The access evaluator,
/// the command layer and the mailbox action evaluator produce events; ``AuditTrail``
/// decides, from the tenant's settings, which records each one becomes.
public enum AuditEvent: Hashable, Sendable {
    case signIn(SignInEvent)
    case adminCmdlet(AdminCmdletEvent)
    case mailboxAction(MailboxActionEvent)
    case directoryChange(DirectoryChangeEvent)
}

/// An Entra ID sign-in, successful or not.
public struct SignInEvent: Hashable, Sendable {
    public var time: Date
    /// The user name as the client sent it.
    public var userPrincipalName: String
    /// The directory user, when one exists.
    public var userObjectId: UUID?
    public var succeeded: Bool
    /// The AADSTS code (0 on success).
    public var errorCode: Int
    /// The UAL `LogonError` name (`InvalidUserNameOrPassword`, ...), nil on success.
    public var logonError: String?
    /// Graph's failureReason text.
    public var failureReason: String?
    public var clientIP: String
    public var clientPort: Int?
    /// The protocol of the attempt (`IMAP4`, `ExchangeActiveSync`, `AzureAD`, ...).
    public var protocolName: String
    /// Graph's clientAppUsed (`Browser`, `IMAP4`, `Exchange ActiveSync`, `Mobile Apps and Desktop clients`, ...).
    public var clientAppUsed: String
    public var applicationId: String
    public var appDisplayName: String
    public var resourceId: String
    public var userAgent: String
    /// `OAuth2:Token`, `OAuth2:Authorize`, `Login:login`, ...
    public var requestType: String
    public var isInteractive: Bool
    /// Whether MFA was required and satisfied: `singleFactorAuthentication` / `multiFactorAuthentication`.
    public var authenticationRequirement: String
    public var deviceOS: String?
    public var browser: String?

    public init(time: Date, userPrincipalName: String, userObjectId: UUID?, succeeded: Bool, errorCode: Int,
                logonError: String?, failureReason: String?, clientIP: String, clientPort: Int?, protocolName: String,
                clientAppUsed: String, applicationId: String, appDisplayName: String, resourceId: String, userAgent: String,
                requestType: String, isInteractive: Bool, authenticationRequirement: String, deviceOS: String?, browser: String?) {
        self.time = time
        self.userPrincipalName = userPrincipalName
        self.userObjectId = userObjectId
        self.succeeded = succeeded
        self.errorCode = errorCode
        self.logonError = logonError
        self.failureReason = failureReason
        self.clientIP = clientIP
        self.clientPort = clientPort
        self.protocolName = protocolName
        self.clientAppUsed = clientAppUsed
        self.applicationId = applicationId
        self.appDisplayName = appDisplayName
        self.resourceId = resourceId
        self.userAgent = userAgent
        self.requestType = requestType
        self.isInteractive = isInteractive
        self.authenticationRequirement = authenticationRequirement
        self.deviceOS = deviceOS
        self.browser = browser
    }
}

/// A cmdlet that changed the tenant (from the shell's one command layer).
public struct AdminCmdletEvent: Hashable, Sendable {
    public var time: Date
    public var cmdlet: String
    public var parameters: [NameValue]
    /// The object the cmdlet changed.
    public var objectId: String
    /// The admin's UPN; nil for the service itself (`NT AUTHORITY\SYSTEM (Microsoft.Exchange.ServiceHost)`).
    public var actor: String?
    public var clientIP: String
    public var succeeded: Bool

    public init(time: Date, cmdlet: String, parameters: [NameValue], objectId: String, actor: String?, clientIP: String, succeeded: Bool) {
        self.time = time
        self.cmdlet = cmdlet
        self.parameters = parameters
        self.objectId = objectId
        self.actor = actor
        self.clientIP = clientIP
        self.succeeded = succeeded
    }
}

/// A name/value pair as audit records list them (`Parameters`, `ExtendedProperties`, ...).
public struct NameValue: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An action on a mailbox (an item read, sent, moved, deleted; a rule or permission changed).
public struct MailboxActionEvent: Hashable, Sendable {
    public var time: Date
    public var operation: MailboxAuditOperations
    public var logonType: MailboxAuditLogonType
    /// Who acted.
    public var actor: String
    public var mailboxGuid: UUID
    /// `Client=OWA;...`, `Client=MSExchangeRPC`, `Client=REST;...`: how the actor connected.
    public var clientInfoString: String
    public var clientIP: String
    public var sessionId: UUID
    /// The items the action touched.
    public var items: [ItemReference]
    /// The folder acted in (path like `\Inbox`).
    public var folderPath: String?
    /// A move's destination folder.
    public var destinationFolderPath: String?
    /// SendAs / SendOnBehalf: whom the mail was sent as.
    public var sendAsUser: String?
    /// OperationProperties / rule parameters (UpdateInboxRules) and similar details.
    public var properties: [NameValue]
    /// MailItemsAccessed: `Bind` or `Sync`.
    public var mailAccessType: String?
    public var succeeded: Bool

    public init(time: Date, operation: MailboxAuditOperations, logonType: MailboxAuditLogonType, actor: String, mailboxGuid: UUID,
                clientInfoString: String, clientIP: String, sessionId: UUID, items: [ItemReference] = [], folderPath: String? = nil,
                destinationFolderPath: String? = nil, sendAsUser: String? = nil, properties: [NameValue] = [],
                mailAccessType: String? = nil, succeeded: Bool = true) {
        self.time = time
        self.operation = operation
        self.logonType = logonType
        self.actor = actor
        self.mailboxGuid = mailboxGuid
        self.clientInfoString = clientInfoString
        self.clientIP = clientIP
        self.sessionId = sessionId
        self.items = items
        self.folderPath = folderPath
        self.destinationFolderPath = destinationFolderPath
        self.sendAsUser = sendAsUser
        self.properties = properties
        self.mailAccessType = mailAccessType
        self.succeeded = succeeded
    }
}

/// A message an action touched.
public struct ItemReference: Hashable, Sendable {
    public var itemId: String
    public var internetMessageId: String
    public var subject: String
    public var folderPath: String
    public var attachments: [String]
    public var sizeBytes: Int

    public init(itemId: String, internetMessageId: String, subject: String, folderPath: String, attachments: [String], sizeBytes: Int) {
        self.itemId = itemId
        self.internetMessageId = internetMessageId
        self.subject = subject
        self.folderPath = folderPath
        self.attachments = attachments
        self.sizeBytes = sizeBytes
    }
}

/// A directory change (Entra ID): a user updated, MFA requirements changed, a role granted.
public struct DirectoryChangeEvent: Hashable, Sendable {
    public var time: Date
    /// The Entra operation name (`Update user.`, `Disable Strong Authentication.`, ...).
    public var operation: String
    public var actor: String
    public var targetUserPrincipalName: String
    public var targetObjectId: UUID?
    public var modifiedProperties: [ModifiedProperty]
    public var succeeded: Bool

    public init(time: Date, operation: String, actor: String, targetUserPrincipalName: String, targetObjectId: UUID?,
                modifiedProperties: [ModifiedProperty], succeeded: Bool = true) {
        self.time = time
        self.operation = operation
        self.actor = actor
        self.targetUserPrincipalName = targetUserPrincipalName
        self.targetObjectId = targetObjectId
        self.modifiedProperties = modifiedProperties
        self.succeeded = succeeded
    }
}

public struct ModifiedProperty: Hashable, Sendable {
    public var name: String
    public var oldValue: String
    public var newValue: String
    public init(name: String, oldValue: String, newValue: String) {
        self.name = name
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
