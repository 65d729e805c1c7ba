import AuditLog
import Foundation

/// The Management Activity API's content types. [EXCHANGE-FACTS 5.6; MAPI reference]
enum FeedContentType: String, CaseIterable, Sendable, Hashable {
    case azureActiveDirectory = "Audit.AzureActiveDirectory"
    case exchange = "Audit.Exchange"
    case sharePoint = "Audit.SharePoint"
    case general = "Audit.General"
    case dlp = "DLP.All"

    /// The content type a `contentType=` value names (case-insensitively).
    static func named(_ text: String) -> FeedContentType? {
        allCases.first { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }
    }

    /// Where a unified audit record is published: Exchange's record types to Audit.Exchange,
    /// Entra's to Audit.AzureActiveDirectory, SharePoint and OneDrive to Audit.SharePoint,
    /// every other workload to Audit.General. [MAPI reference: "Audit.General (includes all
    /// other workloads not included in the previous content types)"]
    static func of(_ record: UnifiedAuditRecord) -> FeedContentType {
        switch record.recordType {
        case .ExchangeAdmin, .ExchangeItem, .ExchangeItemGroup, .ExchangeAggregatedOperation, .ExchangeItemAggregated:
            return .exchange
        case .AzureActiveDirectory, .AzureActiveDirectoryAccountLogon, .AzureActiveDirectoryStsLogon:
            return .azureActiveDirectory
        }
    }

    /// The two middle parts of a contentId: `audit_exchange$Audit_Exchange`.
    var idPart: String {
        let underscored = rawValue.replacingOccurrences(of: ".", with: "_")
        return underscored.lowercased() + "$" + underscored
    }
}

/// One content blob: an immutable batch of audit records of one content type, as the
/// service aggregates them. `records` are the records' AuditData objects.
struct FeedBlob: Sendable {
    var contentType: FeedContentType
    var contentId: String
    /// When the blob became available (the newest record it holds).
    var created: Date
    var expiration: Date
    var records: [JSONValue]
}

/// The tenant's activity feed: the blobs harvested so far from its unified audit log.
///
/// Blobs are cut when the feed is read and when a subscription starts or stops (so a
/// restart does not pick up what was recorded while stopped): the records new since the
/// last harvest, grouped by content type and hour of creation, at most `maxRecords` a blob.
/// Once cut a blob never changes, so a client that remembers contentIds (as the real
/// service asks) sees each record once. Records only reach the log while unified audit log
/// ingestion is on, so with it off the feed gets nothing new.
struct ActivityFeed: Sendable {
    private(set) var blobs: [FeedBlob] = []
    private var byId: [String: Int] = [:]
    /// The last record harvested: its position in the log when seen, its id and time.
    private var cursor: (index: Int, id: UUID, time: Date)?
    private var sequence = 0

    /// Content is retrievable for seven days after it became available. [MAPI reference]
    static let lifetime: TimeInterval = 7 * 86_400
    /// The region suffix of contentIds (real ones end in a datacenter such as `na0017`).
    static let region = "na0017"

    func blob(_ contentId: String) -> FeedBlob? { byId[contentId].map { blobs[$0] } }

    /// Cuts blobs from the records appended to `log` since the last call.
    mutating func harvest(_ log: [UnifiedAuditRecord], maxRecords: Int) {
        let fresh = newRecords(log)
        guard let last = fresh.last else { return }
        cursor = (log.count - 1, last.id, last.creationTime)
        struct Key: Hashable { var type: FeedContentType; var hour: Int }
        var open: [Key: [UnifiedAuditRecord]] = [:]
        var order: [Key] = []
        var cut: [(FeedContentType, [UnifiedAuditRecord])] = []
        for record in fresh {
            let key = Key(type: FeedContentType.of(record), hour: Int(record.creationTime.timeIntervalSince1970) / 3_600)
            if open[key] == nil { order.append(key) }
            open[key, default: []].append(record)
            if open[key]!.count >= max(1, maxRecords) {
                cut.append((key.type, open[key]!))
                open[key] = []
            }
        }
        for key in order where !(open[key] ?? []).isEmpty { cut.append((key.type, open[key]!)) }
        for (type, records) in cut.sorted(by: { $0.1.last!.creationTime < $1.1.last!.creationTime }) {
            sequence += 1
            let created = records.map(\.creationTime).max()!
            let first = records.map(\.creationTime).min()!
            let id = "\(Self.stamp(first, sequence))$\(Self.stamp(created, sequence))$\(type.idPart)$\(Self.region)"
            byId[id] = blobs.count
            blobs.append(FeedBlob(contentType: type, contentId: id, created: created, expiration: created.addingTimeInterval(Self.lifetime),
                                  records: records.map { .object($0.auditData) }))
        }
    }

    /// The records after the cursor. The log only grows at its end, but retention may have
    /// dropped its oldest records, moving the cursor's record down.
    private func newRecords(_ log: [UnifiedAuditRecord]) -> ArraySlice<UnifiedAuditRecord> {
        guard let cursor else { return log[...] }
        if cursor.index < log.count, log[cursor.index].id == cursor.id { return log[(cursor.index + 1)...] }
        if let i = log[..<min(cursor.index, log.count)].lastIndex(where: { $0.id == cursor.id }) { return log[(i + 1)...] }
        return log[(log.firstIndex { $0.creationTime > cursor.time } ?? log.count)...]
    }

    /// `20201212002126942` + a six-digit sequence: the 23-digit timestamps real contentIds
    /// start with (`20201212000045238027763$20201212002126942044256$audit_exchange$Audit_Exchange$na0017`).
    static func stamp(_ date: Date, _ sequence: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let ms = (c.nanosecond ?? 0) / 1_000_000
        return String(format: "%04d%02d%02d%02d%02d%02d%03d%06d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, ms,
                      sequence % 1_000_000)
    }

    /// Whether `text` has the shape of a contentId (the current `$`-separated form, or the
    /// older `492638008028$492638008028$<tenant><workload><yyyyMMddHH>$<hex>$04` one).
    static func isWellFormed(_ text: String) -> Bool {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5 else { return false }
        let digits = { (s: Substring) in !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
        return digits(parts[0]) && digits(parts[1]) && parts[2...].allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
    }
}

/// The Management Activity API's times: `contentCreated` with milliseconds, and the
/// `startTime`/`endTime` formats it accepts.
enum FeedTime {
    static func wire(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` (UTC) [MAPI reference]; a
    /// trailing `Z` and fractional seconds are tolerated, as clients send them.
    static func parse(_ text: String) -> Date? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("Z") || t.hasSuffix("z") { t.removeLast() }
        if let dot = t.firstIndex(of: "."), t.contains("T") { t = String(t[..<dot]) }
        let formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"]
        for format in formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = format
            if let d = f.date(from: t), f.string(from: d) == t { return d }
        }
        return nil
    }

    /// `2026-02-16T14:30:00` (the form the NextPageUri carries when the caller gave no window).
    static func window(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: date)
    }
}
