import AuditLog
import Foundation
import TenantModel

/// A state change an evaluation causes; the tenant's owner applies it.
public enum TenantChange: Hashable, Sendable {
    /// Smart lockout bookkeeping for a user (the last three wrong passwords' hashes included).
    case signInCounters(user: UUID, failedSignInCount: Int, lockedUntil: Date?, lockoutCount: Int, badPasswordHashes: [UInt64] = [])
    /// A device partnership created or updated (matched by mailbox and DeviceId).
    case devicePartnership(MobileDevice)
    /// Per-user MFA moves from Enabled to Enforced when the user registers a method.
    case mfaState(user: UUID, state: PerUserMfaState, methods: [StrongAuthenticationMethodType])

    // Mailbox actions (MailboxActionEvaluator).
    /// A message marked read or unread.
    case messageRead(mailbox: UUID, itemId: String, isRead: Bool)
    /// A message moved to another folder of its mailbox (Recoverable Items for a soft delete).
    case messageMoved(mailbox: UUID, itemId: String, folderId: String)
    /// A message purged (hard delete).
    case messageRemoved(mailbox: UUID, itemId: String)
    /// A message written into a mailbox (a sent copy, a delivery).
    case messageAdded(MailMessage)
    /// A folder created in a mailbox (Recoverable Items on the first soft delete).
    case folderAdded(MailFolder)
    /// A new inbox rule, last in its mailbox's priority order.
    case inboxRuleAdded(InboxRule)
    /// Mailbox rights granted; merged into the user's existing entry on that mailbox.
    case mailboxPermissionAdded(MailboxPermission)
    /// A user added to a mailbox's GrantSendOnBehalfTo.
    case sendOnBehalfGranted(mailbox: UUID, user: String)
}

/// The result of evaluating an attempt: the decision, what may be logged, what changes.
public struct AccessEvaluation: Hashable, Sendable {
    public var decision: AccessDecision
    public var events: [AuditEvent]
    public var changes: [TenantChange]

    public init(decision: AccessDecision, events: [AuditEvent] = [], changes: [TenantChange] = []) {
        self.decision = decision
        self.events = events
        self.changes = changes
    }
}

extension Tenant {
    /// The position of a mailbox's message (messages are grouped by mailbox).
    fileprivate func messageIndex(_ mailbox: UUID, _ itemId: String) -> Int? {
        messages.firstIndex { $0.itemId == itemId && $0.mailboxGuid == mailbox }
    }

    /// Applies the state changes of an evaluation.
    public mutating func apply(_ changes: [TenantChange]) {
        for change in changes {
            switch change {
            case .signInCounters(let id, let failed, let lockedUntil, let count, let hashes):
                guard let i = users.firstIndex(where: { $0.objectId == id }) else { continue }
                updateUser(at: i) { u in
                    u.failedSignInCount = failed
                    u.lockedUntil = lockedUntil
                    u.lockoutCount = count
                    u.recentBadPasswordHashes = hashes
                }
            case .mfaState(let id, let state, let methods):
                guard let i = users.firstIndex(where: { $0.objectId == id }) else { continue }
                updateUser(at: i) { u in
                    u.strongAuthenticationState = state
                    u.strongAuthenticationMethods = methods
                }
            case .devicePartnership(let device):
                if let i = mobileDevices.firstIndex(where: { $0.mailboxGuid == device.mailboxGuid && $0.deviceId == device.deviceId }) {
                    mobileDevices[i] = device
                } else {
                    addMobileDevice(device)
                }
            case .messageRead(let mailbox, let itemId, let isRead):
                if let i = messageIndex(mailbox, itemId) { messages[i].isRead = isRead }
            case .messageMoved(let mailbox, let itemId, let folderId):
                if let i = messageIndex(mailbox, itemId) { messages[i].folderId = folderId }
            case .messageRemoved(let mailbox, let itemId):
                if let i = messageIndex(mailbox, itemId) { messages.remove(at: i) }
            case .messageAdded(let message):
                if messageIndex(message.mailboxGuid, message.itemId) == nil { addMessage(message) }
            case .folderAdded(let folder):
                if !folders.contains(where: { $0.mailboxGuid == folder.mailboxGuid && $0.folderId == folder.folderId }) { addFolder(folder) }
            case .inboxRuleAdded(var rule):
                // Two evaluations on the same snapshot may pick the same id: keep ids unique.
                if inboxRules.contains(where: { $0.ruleIdentity == rule.ruleIdentity }) {
                    rule.ruleIdentity = (inboxRules.map(\.ruleIdentity).max() ?? rule.ruleIdentity) + 1
                }
                rule.priority = inboxRules.lazy.filter { $0.mailboxGuid == rule.mailboxGuid }.count + 1
                addInboxRule(rule)
            case .mailboxPermissionAdded(let permission):
                if let i = mailboxPermissions.firstIndex(where: {
                    $0.mailboxGuid == permission.mailboxGuid && $0.user.lowercased() == permission.user.lowercased() && $0.deny == permission.deny
                }) {
                    for r in permission.accessRights where !mailboxPermissions[i].accessRights.contains(r) {
                        mailboxPermissions[i].accessRights.append(r)
                    }
                } else {
                    addMailboxPermission(permission)
                }
            case .sendOnBehalfGranted(let mailbox, let user):
                guard let i = mailboxIndex(guid: mailbox) else { continue }
                updateMailbox(at: i) { m in
                    if !m.grantSendOnBehalfTo.contains(where: { $0.lowercased() == user.lowercased() }) { m.grantSendOnBehalfTo.append(user) }
                }
            }
        }
    }
}
