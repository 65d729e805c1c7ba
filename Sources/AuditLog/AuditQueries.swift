import Foundation
import TenantModel

/// A unified audit log search, with Search-UnifiedAuditLog's filters. [EXCHANGE-FACTS 5.3]
public struct UnifiedAuditQuery: Hashable, Sendable {
    public var startDate: Date
    public var endDate: Date
    /// Operation names, matched ignoring case.
    public var operations: [String] = []
    /// UPNs (UserId), matched ignoring case.
    public var userIds: [String] = []
    public var recordType: AuditLogRecordType?
    /// ObjectIds; a leading `*` matches any prefix (as for SharePoint sites).
    public var objectIds: [String] = []
    public var ipAddresses: [String] = []
    /// Text searched in the AuditData.
    public var freeText: String?

    public init(startDate: Date, endDate: Date) {
        self.startDate = startDate
        self.endDate = endDate
    }

    public func matches(_ r: UnifiedAuditRecord) -> Bool {
        guard r.creationTime >= startDate, r.creationTime < endDate else { return false }
        if let recordType, r.recordType != recordType { return false }
        if !operations.isEmpty, !operations.contains(where: { $0.caseInsensitiveCompare(r.operation) == .orderedSame }) { return false }
        if !userIds.isEmpty, !userIds.contains(where: { $0.caseInsensitiveCompare(r.userId) == .orderedSame }) { return false }
        if !objectIds.isEmpty {
            let object = (r.objectId ?? "").lowercased()
            guard objectIds.contains(where: { id in
                let lower = id.lowercased()
                return lower.hasPrefix("*") ? object.hasSuffix(String(lower.dropFirst())) : object == lower
            }) else { return false }
        }
        if !ipAddresses.isEmpty {
            let ip = r.clientIP ?? ""
            guard ipAddresses.contains(where: { ip == $0 || ip.hasPrefix($0 + ":") || ip.hasPrefix("[" + $0 + "]") }) else { return false }
        }
        if let freeText, !freeText.isEmpty, !r.auditData.text.localizedCaseInsensitiveContains(freeText) { return false }
        return true
    }
}

extension AuditTrail {
    /// The unified records a query matches, newest first.
    public func search(_ query: UnifiedAuditQuery) -> [UnifiedAuditRecord] {
        unified.filter(query.matches).sorted { $0.creationTime == $1.creationTime ? $0.id.uuidString > $1.id.uuidString : $0.creationTime > $1.creationTime }
    }

    /// Mailbox audit records of a mailbox (Search-MailboxAuditLog), newest first.
    public func mailboxRecords(mailbox: UUID?, start: Date?, end: Date?, logonTypes: [MailboxAuditLogonType],
                               operations: [MailboxAuditOperations]) -> [MailboxAuditRecord] {
        self.mailbox.filter { r in
            (mailbox == nil || r.mailboxGuid == mailbox)
                && (start.map { r.creationTime >= $0 } ?? true)
                && (end.map { r.creationTime < $0 } ?? true)
                && (logonTypes.isEmpty || logonTypes.contains(r.logonType))
                && (operations.isEmpty || operations.contains(r.operation))
        }.sorted { $0.creationTime > $1.creationTime }
    }
}
