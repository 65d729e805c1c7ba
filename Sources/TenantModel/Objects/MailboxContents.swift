import Foundation

/// An inbox rule (`New/Set/Get/Remove-InboxRule`).
public struct InboxRule: SchemaObject, Hashable {
    public var mailboxGuid: UUID
    public var mailboxName: String
    /// Exchange's numeric rule id; Identity is `<mailbox>\<RuleIdentity>`.
    public var ruleIdentity: UInt64
    public var name: String
    public var enabled = true
    public var priority: Int
    public var from: [String] = []
    public var subjectContainsWords: [String] = []
    public var bodyContainsWords: [String] = []
    public var subjectOrBodyContainsWords: [String] = []
    public var forwardTo: [String] = []
    public var forwardAsAttachmentTo: [String] = []
    public var redirectTo: [String] = []
    public var moveToFolder: String? = nil
    public var deleteMessage = false
    public var markAsRead = false
    public var stopProcessingRules = false
    /// Rules made in Outlook desktop over MAPI carry no cmdlet trail.
    public var inError = false

    public init(mailboxGuid: UUID, mailboxName: String, ruleIdentity: UInt64, name: String, priority: Int) {
        self.mailboxGuid = mailboxGuid
        self.mailboxName = mailboxName
        self.ruleIdentity = ruleIdentity
        self.name = name
        self.priority = priority
    }

    public var identity: String { "\(mailboxName)\\\(ruleIdentity)" }
    public var ruleIdentityText: String { String(ruleIdentity) }

    /// Whether the rule sends mail outside the mailbox: what T1114.003 hunts look for.
    public var forwards: Bool { !forwardTo.isEmpty || !forwardAsAttachmentTo.isEmpty || !redirectTo.isEmpty }

    public static let schema = ObjectSchema<InboxRule>("InboxRule", [
        .init(computed: "Identity", \.identity),
        .init("Name", \.name),
        .init(readOnly: "Enabled", \.enabled),
        .init("Priority", \.priority),
        .init("RuleIdentity", as: String.self, get: { $0.ruleIdentityText }, set: nil,
              restore: { $0.ruleIdentity = UInt64($1) ?? $0.ruleIdentity }),
        .init(readOnly: "MailboxOwnerId", \.mailboxName),
        .init(readOnly: "MailboxGuid", \.mailboxGuid),
        .init("From", \.from),
        .init("SubjectContainsWords", \.subjectContainsWords),
        .init("BodyContainsWords", \.bodyContainsWords),
        .init("SubjectOrBodyContainsWords", \.subjectOrBodyContainsWords),
        .init("ForwardTo", \.forwardTo),
        .init("ForwardAsAttachmentTo", \.forwardAsAttachmentTo),
        .init("RedirectTo", \.redirectTo),
        .init("MoveToFolder", \.moveToFolder),
        .init("DeleteMessage", \.deleteMessage),
        .init("MarkAsRead", \.markAsRead),
        .init("StopProcessingRules", \.stopProcessingRules),
        .init(readOnly: "InError", \.inError),
    ])
}

/// A mailbox permission (`Add/Get/Remove-MailboxPermission`).
public struct MailboxPermission: SchemaObject, Hashable {
    public var mailboxGuid: UUID
    public var mailboxName: String
    /// The trustee: `NT AUTHORITY\SELF` for the owner's implicit entry, otherwise a UPN.
    public var user: String
    public var accessRights: [MailboxRights]
    public var isInherited = false
    public var deny = false

    public init(mailboxGuid: UUID, mailboxName: String, user: String, accessRights: [MailboxRights]) {
        self.mailboxGuid = mailboxGuid
        self.mailboxName = mailboxName
        self.user = user
        self.accessRights = accessRights
    }

    public static let schema = ObjectSchema<MailboxPermission>("MailboxPermission", [
        .init(computed: "Identity", \.mailboxName),
        .init(readOnly: "MailboxGuid", \.mailboxGuid),
        .init(readOnly: "User", \.user),
        .init(readOnly: "AccessRights", \.accessRights),
        .init(readOnly: "IsInherited", \.isInherited),
        .init(readOnly: "Deny", \.deny),
    ])
}

/// A mail folder, enough to read, move, delete and write rules against.
public struct MailFolder: SchemaObject, Hashable {
    public var mailboxGuid: UUID
    public var folderId: String
    public var name: String
    /// Exchange's folder path form, `\Inbox`.
    public var folderPath: String
    public var folderType: String

    public init(mailboxGuid: UUID, folderId: String, name: String, folderType: String) {
        self.mailboxGuid = mailboxGuid
        self.folderId = folderId
        self.name = name
        self.folderPath = "\\" + name
        self.folderType = folderType
    }

    /// The well-known folders every mailbox has: (name, FolderType).
    public static let wellKnown: [(String, String)] = [
        ("Inbox", "Inbox"), ("Sent Items", "SentItems"), ("Deleted Items", "DeletedItems"),
        ("Drafts", "Drafts"), ("Archive", "Archive"), ("Junk Email", "JunkEmail"),
    ]

    /// A stable folder id for a folder name in a mailbox (well-known and fixture folders).
    public static func folderId(mailbox: UUID, name: String) -> String {
        let compact = mailbox.uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
        return "LgAAAA\(compact)\(name.lowercased().replacingOccurrences(of: " ", with: ""))"
    }

    public static let schema = ObjectSchema<MailFolder>("MailFolder", [
        .init(readOnly: "MailboxGuid", \.mailboxGuid),
        .init(readOnly: "FolderId", \.folderId),
        .init(readOnly: "Name", \.name),
        .init(readOnly: "FolderPath", \.folderPath),
        .init(readOnly: "FolderType", \.folderType),
    ])
}

/// A message in a mailbox folder.
public struct MailMessage: SchemaObject, Hashable {
    public var mailboxGuid: UUID
    public var itemId: String
    public var folderId: String
    public var internetMessageId: String
    public var subject: String
    public var from: String
    public var to: [String]
    public var receivedTime: Date
    public var sizeBytes: Int
    public var isRead = false
    public var attachments: [String] = []

    public init(mailboxGuid: UUID, itemId: String, folderId: String, internetMessageId: String, subject: String,
                from: String, to: [String], receivedTime: Date, sizeBytes: Int) {
        self.mailboxGuid = mailboxGuid
        self.itemId = itemId
        self.folderId = folderId
        self.internetMessageId = internetMessageId
        self.subject = subject
        self.from = from
        self.to = to
        self.receivedTime = receivedTime
        self.sizeBytes = sizeBytes
    }

    public var hasAttachments: Bool { !attachments.isEmpty }

    public static let schema = ObjectSchema<MailMessage>("MailMessage", [
        .init(readOnly: "MailboxGuid", \.mailboxGuid),
        .init(readOnly: "ItemId", \.itemId),
        .init(readOnly: "FolderId", \.folderId),
        .init(readOnly: "InternetMessageId", \.internetMessageId),
        .init(readOnly: "Subject", \.subject),
        .init(readOnly: "From", \.from),
        .init(readOnly: "To", \.to),
        .init(readOnly: "ReceivedTime", \.receivedTime),
        .init(readOnly: "Size", \.sizeBytes),
        .init(readOnly: "IsRead", \.isRead),
        .init(readOnly: "Attachments", \.attachments),
        .init(computed: "HasAttachments", \.hasAttachments),
    ])
}
