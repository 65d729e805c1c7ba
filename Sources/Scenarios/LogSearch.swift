import AuditLog
import Foundation
import TenantModel

/// A `logs` step's query over the session's audit trail. Fields are read as a defender
/// reads them: the AuditData JSON of a unified record (dotted paths into nested objects),
/// the Search-MailboxAuditLog -ShowDetails fields of a mailbox record, the Graph `signIn`
/// resource of a sign-in (`status.errorCode`). Values compare as text, ignoring case, with
/// `*` wildcards; a list field matches when any element does.
public struct LogSearch {
    /// One record, flattened for matching and for showing in a failure message.
    public struct Entry {
        public var time: Date
        public var fields: JSONObject
        /// The record type's name, for `RecordType` conditions written by name.
        var recordTypeName: String?

        public func value(_ path: String) -> JSONValue? { fields.value(atPath: path) }

        /// Every value at a dotted path; a list on the way is entered element by element, so
        /// `Parameters.Name` reaches the Name of each parameter.
        public func values(_ path: String) -> [JSONValue] {
            var current: [JSONValue] = [.object(fields)]
            for part in path.split(separator: ".").map(String.init) {
                var next: [JSONValue] = []
                for v in current {
                    switch v {
                    case .object(let o):
                        if let x = o.value(atPath: part) { next.append(x) }
                    case .array(let items):
                        for case .object(let o) in items { if let x = o.value(atPath: part) { next.append(x) } }
                    default: break
                    }
                }
                current = next
            }
            return current
        }
    }

    public let query: LogQuery

    public init(_ query: LogQuery) { self.query = query }

    /// The records of the query's source, oldest first.
    public func entries(in trail: AuditTrail, tenant: Tenant) -> [Entry] {
        let since = query.within.map { tenant.now.addingTimeInterval(-$0) }
        var out: [Entry] = []
        switch query.source {
        case .unified:
            for r in trail.unified where since.map({ r.creationTime >= $0 }) ?? true {
                var fields = r.auditData
                for (k, v) in [("CreationTime", JSONValue.string(AuditTime.format(r.creationTime))), ("RecordType", .int(r.recordType.rawValue)),
                               ("Operation", .string(r.operation)), ("UserId", .string(r.userId)), ("Workload", .string(r.workload))]
                    where fields.value(atPath: k) == nil {
                    fields[k] = v
                }
                if fields.value(atPath: "ResultStatus") == nil, let s = r.resultStatus { fields["ResultStatus"] = .string(s) }
                if fields.value(atPath: "ObjectId") == nil, let s = r.objectId { fields["ObjectId"] = .string(s) }
                if fields.value(atPath: "ClientIP") == nil, let s = r.clientIP { fields["ClientIP"] = .string(s) }
                out.append(Entry(time: r.creationTime, fields: fields, recordTypeName: r.recordType.name))
            }
        case .mailbox:
            for r in trail.mailbox where since.map({ r.creationTime >= $0 }) ?? true {
                var fields: JSONObject = [
                    "Operation": .string(r.operation.rawValue), "OperationResult": .string(r.operationResult),
                    "LogonType": .string(r.logonType.rawValue), "ExternalAccess": .bool(r.externalAccess),
                ]
                for (k, v) in r.details.pairs where fields[k] == nil { fields[k] = v }
                for (k, v) in [("ClientInfoString", r.clientInfoString), ("ClientIPAddress", r.clientIPAddress),
                               ("MailboxOwnerUPN", r.mailboxOwnerUPN), ("LogonUserDisplayName", r.logonUserDisplayName),
                               ("LogonUser", r.logonUser)] where fields[k] == nil {
                    fields[k] = .string(v)
                }
                fields["MailboxGuid"] = .string(r.mailboxGuid.uuidString.lowercased())
                fields["LastAccessed"] = .string(AuditTime.format(r.creationTime))
                out.append(Entry(time: r.creationTime, fields: fields))
            }
        case .signin:
            for r in trail.signIns where since.map({ r.createdDateTime >= $0 }) ?? true {
                var fields = r.resource
                for (k, v) in [("userPrincipalName", JSONValue.string(r.userPrincipalName)), ("appDisplayName", .string(r.appDisplayName)),
                               ("clientAppUsed", .string(r.clientAppUsed)), ("ipAddress", .string(r.ipAddress))]
                    where fields.value(atPath: k) == nil {
                    fields[k] = v
                }
                if fields.value(atPath: "status.errorCode") == nil {
                    var status = fields["status"]?.objectValue ?? JSONObject()
                    status["errorCode"] = .int(r.errorCode)
                    fields["status"] = .object(status)
                }
                out.append(Entry(time: r.createdDateTime, fields: fields))
            }
        }
        return out
    }

    /// How many of the query's conditions an entry meets.
    public func score(_ e: Entry) -> Int {
        query.conditions.reduce(0) { $0 + (meets(e, $1) ? 1 : 0) }
    }

    public func matches(_ e: Entry) -> Bool {
        query.conditions.allSatisfy { meets(e, $0) }
    }

    func meets(_ e: Entry, _ c: (field: String, patterns: [String])) -> Bool {
        var texts = e.values(c.field).flatMap(LogSearch.texts)
        if c.field.lowercased() == "recordtype", let name = e.recordTypeName { texts.append(name) }
        if texts.isEmpty { texts = [""] }
        return c.patterns.contains { p in texts.contains { Wildcard.matches(p, $0) } }
    }

    /// The texts a value offers for matching: itself, and each element of a list.
    static func texts(_ v: JSONValue) -> [String] {
        switch v {
        case .array(let items): return [v.displayText] + items.map(\.displayText)
        default: return [v.displayText]
        }
    }

    /// A record in one line: its time and the fields that identify it, then the fields the
    /// query asked about.
    public func describe(_ e: Entry) -> String {
        let keyFields: [String]
        switch query.source {
        case .unified: keyFields = ["Operation", "UserId", "ResultStatus", "ClientIP"]
        case .mailbox: keyFields = ["Operation", "LogonType", "LogonUserDisplayName", "MailboxOwnerUPN"]
        case .signin: keyFields = ["userPrincipalName", "status.errorCode", "clientAppUsed", "ipAddress"]
        }
        var seen = Set<String>()
        var parts: [String] = []
        for f in keyFields + query.conditions.map(\.field) where seen.insert(f.lowercased()).inserted {
            let values = e.values(f)
            let text = values.isEmpty ? "(none)" : values.map(\.displayText).joined(separator: ",")
            parts.append("\(f)=\(text.count > 80 ? String(text.prefix(77)) + "..." : text)")
        }
        return "\(ISO8601.format(e.time)) " + parts.joined(separator: " ")
    }
}

/// `*` wildcards, ignoring case; no other special characters (values hold `?` and `[`).
enum Wildcard {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = pattern.lowercased(), t = text.lowercased()
        guard p.contains("*") else { return p == t }
        let parts = p.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(t)
        for (i, part) in parts.enumerated() {
            if part.isEmpty { continue }
            if i == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if i == parts.count - 1 {
                return rest.hasSuffix(part)
            } else {
                guard let r = rest.range(of: part) else { return false }
                rest = rest[r.upperBound...]
            }
        }
        return parts.last?.isEmpty == true || rest.isEmpty
    }
}
