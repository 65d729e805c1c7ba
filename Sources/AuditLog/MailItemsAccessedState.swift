import Foundation
import TenantModel

/// What MailItemsAccessed auditing remembers between events: open 2-minute bind aggregates,
/// recently recorded accesses (duplicates within an hour are not recorded again) and the
/// 24-hour record counts behind throttling. [EXCHANGE-FACTS 4.2; M365 mailitemsaccessed-forensics-investigations.md]
struct MailItemsAccessedState: Sendable, Equatable {
    /// The bind aggregate open for an access context, if any.
    var openAggregates: [AccessContext: OpenAggregate] = [:]
    /// When each access (a message bound, a folder synced) was last recorded, per context.
    var lastRecorded: [AccessContext: [String: Date]] = [:]
    /// Creation times of the mailbox's MailItemsAccessed records in the last 24 hours.
    var recentRecords: [UUID: [Date]] = [:]
    /// Bind auditing of a mailbox is off until this time.
    var throttledUntil: [UUID: Date] = [:]

    static let aggregationWindow: TimeInterval = 120
    static let duplicateWindow: TimeInterval = 3_600
    static let throttlingWindow: TimeInterval = 86_400
    static let throttlingThreshold = 1_000

    /// The context that separates records: a new session, client, address, logon type or
    /// account means a new record, never a duplicate. [EXCHANGE-FACTS 4.2]
    struct AccessContext: Hashable, Sendable {
        var mailbox: UUID
        var session: UUID
        var clientInfoString: String
        var clientIP: String
        var logonType: MailboxAuditLogonType
        var actor: String

        init(_ e: MailboxActionEvent) {
            mailbox = e.mailboxGuid
            session = e.sessionId
            clientInfoString = e.clientInfoString
            clientIP = e.clientIP
            logonType = e.logonType
            actor = e.actor.lowercased()
        }
    }

    /// A bind record still taking binds: its ids, when it started, and what it lists so far.
    struct OpenAggregate: Sendable, Equatable {
        var firstEvent: MailboxActionEvent
        var mailboxRecordId: UUID
        var unifiedRecordId: UUID?
        var start: Date
        var folders: [RecordFactory.AccessedFolder]
        var operationCount: Int
    }

    /// Whether `key` was recorded in this context less than an hour before `time`.
    func isDuplicate(_ context: AccessContext, _ key: String, at time: Date) -> Bool {
        guard let last = lastRecorded[context]?[key] else { return false }
        return time.timeIntervalSince(last) < Self.duplicateWindow
    }

    mutating func remember(_ context: AccessContext, _ key: String, at time: Date) {
        var seen = lastRecorded[context, default: [:]]
        if seen.count > 4_096 { seen = seen.filter { time.timeIntervalSince($0.value) < Self.duplicateWindow } }
        seen[key] = time
        lastRecorded[context] = seen
    }

    func isThrottled(_ mailbox: UUID, at time: Date) -> Bool {
        throttledUntil[mailbox].map { time < $0 } ?? false
    }

    /// Counts a new record for the mailbox; true when it takes the count over the threshold,
    /// which starts 24 hours without bind records.
    mutating func countRecord(_ mailbox: UUID, at time: Date) -> Bool {
        var times = recentRecords[mailbox, default: []]
        if let firstKept = times.firstIndex(where: { time.timeIntervalSince($0) < Self.throttlingWindow }) {
            if firstKept > 0 { times.removeFirst(firstKept) }
        } else {
            times.removeAll(keepingCapacity: true)
        }
        times.append(time)
        recentRecords[mailbox] = times
        guard times.count > Self.throttlingThreshold, !isThrottled(mailbox, at: time) else { return false }
        throttledUntil[mailbox] = time.addingTimeInterval(Self.throttlingWindow)
        openAggregates = openAggregates.filter { $0.key.mailbox != mailbox }
        return true
    }
}
