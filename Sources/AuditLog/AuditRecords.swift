import Foundation
import TenantModel

/// Unified audit log record types (AuditLogRecordType), with the numbers the Management
/// Activity API uses. [EXCHANGE-FACTS 5.4]
public enum AuditLogRecordType: Int, Sendable, CaseIterable {
    case ExchangeAdmin = 1
    case ExchangeItem = 2
    case ExchangeItemGroup = 3
    case AzureActiveDirectory = 8
    case AzureActiveDirectoryAccountLogon = 9
    case AzureActiveDirectoryStsLogon = 15
    case ExchangeAggregatedOperation = 19
    case ExchangeItemAggregated = 50

    public var name: String { String(describing: self) }

    public static func named(_ text: String) -> AuditLogRecordType? {
        if let n = Int(text) { return AuditLogRecordType(rawValue: n) }
        return allCases.first { $0.name.lowercased() == text.lowercased() }
    }
}

/// One unified audit log record: the indexed fields, and the AuditData JSON (which repeats
/// the common schema fields, as the real records do).
public struct UnifiedAuditRecord: Hashable, Sendable {
    public var id: UUID
    public var creationTime: Date
    public var recordType: AuditLogRecordType
    public var operation: String
    public var userId: String
    public var workload: String
    public var resultStatus: String?
    public var objectId: String?
    public var clientIP: String?
    public var auditData: JSONObject

    public init(id: UUID, creationTime: Date, recordType: AuditLogRecordType, operation: String, userId: String,
                workload: String, resultStatus: String?, objectId: String?, clientIP: String?, auditData: JSONObject) {
        self.id = id
        self.creationTime = creationTime
        self.recordType = recordType
        self.operation = operation
        self.userId = userId
        self.workload = workload
        self.resultStatus = resultStatus
        self.objectId = objectId
        self.clientIP = clientIP
        self.auditData = auditData
    }
}

/// A mailbox audit log entry, as Search-MailboxAuditLog shows it.
public struct MailboxAuditRecord: Hashable, Sendable {
    public var id: UUID
    public var mailboxGuid: UUID
    public var creationTime: Date
    public var operation: MailboxAuditOperations
    public var operationResult: String
    public var logonType: MailboxAuditLogonType
    /// The account that acted (UPN).
    public var logonUser: String
    public var logonUserDisplayName: String
    public var mailboxOwnerUPN: String
    public var clientInfoString: String
    public var clientIPAddress: String
    public var externalAccess: Bool
    /// More Search-MailboxAuditLog -ShowDetails fields (FolderPathName, ItemSubject, ...).
    public var details: JSONObject

    public init(id: UUID, mailboxGuid: UUID, creationTime: Date, operation: MailboxAuditOperations, operationResult: String,
                logonType: MailboxAuditLogonType, logonUser: String, logonUserDisplayName: String, mailboxOwnerUPN: String,
                clientInfoString: String, clientIPAddress: String, externalAccess: Bool, details: JSONObject) {
        self.id = id
        self.mailboxGuid = mailboxGuid
        self.creationTime = creationTime
        self.operation = operation
        self.operationResult = operationResult
        self.logonType = logonType
        self.logonUser = logonUser
        self.logonUserDisplayName = logonUserDisplayName
        self.mailboxOwnerUPN = mailboxOwnerUPN
        self.clientInfoString = clientInfoString
        self.clientIPAddress = clientIPAddress
        self.externalAccess = externalAccess
        self.details = details
    }
}

/// An Entra ID sign-in log entry in the shape of Graph's `signIn` resource.
public struct SignInRecord: Hashable, Sendable {
    public var id: UUID
    public var createdDateTime: Date
    public var userPrincipalName: String
    public var errorCode: Int
    public var appDisplayName: String
    public var clientAppUsed: String
    public var ipAddress: String
    /// The whole resource as Graph returns it.
    public var resource: JSONObject

    public init(id: UUID, createdDateTime: Date, userPrincipalName: String, errorCode: Int, appDisplayName: String,
                clientAppUsed: String, ipAddress: String, resource: JSONObject) {
        self.id = id
        self.createdDateTime = createdDateTime
        self.userPrincipalName = userPrincipalName
        self.errorCode = errorCode
        self.appDisplayName = appDisplayName
        self.clientAppUsed = clientAppUsed
        self.ipAddress = ipAddress
        self.resource = resource
    }
}

/// `2020-02-10T15:13:13`: the audit record time format (UTC, no zone letter). [EXCHANGE-FACTS 5.4]
public enum AuditTime {
    public static func format(_ date: Date) -> String { String(ISO8601.format(date).dropLast()) }
}
