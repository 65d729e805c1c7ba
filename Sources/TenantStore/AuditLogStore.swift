import AuditLog
import Foundation
import GRDB
import TenantModel

/// The audit and sign-in logs in SQLite, in the tables the v1-logs migration laid out.
extension TenantDatabase {
    /// Replaces the stored logs with `trail`'s, in one transaction.
    public func saveAuditTrail(_ trail: AuditTrail) throws(StoreError) {
        do {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM unified_audit_log; DELETE FROM mailbox_audit_log; DELETE FROM signin_log;")
                try Self.insertUnified(trail.unified, db)
                let mailbox = try db.makeStatement(sql: """
                    INSERT INTO mailbox_audit_log (id, mailbox_guid, creation_time, operation, logon_type, user_id, client_ip, record)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for r in trail.mailbox {
                    try mailbox.execute(arguments: [r.id.uuidString, r.mailboxGuid.uuidString, Int(r.creationTime.timeIntervalSince1970),
                                                    r.operation.rawValue, r.logonType.recordValue, r.logonUser, r.clientIPAddress,
                                                    Self.mailboxRecordJSON(r).text])
                }
                let signIn = try db.makeStatement(sql: """
                    INSERT INTO signin_log (id, created_date_time, user_principal_name, app_display_name, client_app_used, ip_address, error_code, record)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for r in trail.signIns {
                    try signIn.execute(arguments: [r.id.uuidString, Int(r.createdDateTime.timeIntervalSince1970), r.userPrincipalName,
                                                   r.appDisplayName, r.clientAppUsed, r.ipAddress, r.errorCode, r.resource.text])
                }
                try db.execute(sql: "INSERT OR REPLACE INTO tenant_state (key, value) VALUES ('auditIdentifierState', ?)",
                               arguments: [String(trail.ids.state)])
            }
        } catch {
            throw StoreError("The audit log could not be saved to \(path ?? ":memory:"): \(error)")
        }
    }

    /// Appends unified audit records (benchmarks, imports).
    public func appendUnifiedRecords(_ records: [UnifiedAuditRecord]) throws(StoreError) {
        do { try queue.write { db in try Self.insertUnified(records, db) } } catch {
            throw StoreError("The audit records could not be written: \(error)")
        }
    }

    static func insertUnified(_ records: [UnifiedAuditRecord], _ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO unified_audit_log (id, creation_time, record_type, operation, user_id, object_id, client_ip, result_status, workload, audit_data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for r in records {
            try statement.execute(arguments: [r.id.uuidString, Int(r.creationTime.timeIntervalSince1970), r.recordType.rawValue,
                                              r.operation, r.userId, r.objectId, r.clientIP, r.resultStatus, r.workload, r.auditData.text])
        }
    }

    static func mailboxRecordJSON(_ r: MailboxAuditRecord) -> JSONObject {
        var o = JSONObject()
        o["MailboxOwnerUPN"] = .string(r.mailboxOwnerUPN)
        o["OperationResult"] = .string(r.operationResult)
        o["LogonUserDisplayName"] = .string(r.logonUserDisplayName)
        o["ClientInfoString"] = .string(r.clientInfoString)
        o["ExternalAccess"] = .bool(r.externalAccess)
        o["Details"] = .object(r.details)
        return o
    }

    /// The stored logs (an empty trail when none were saved).
    public func loadAuditTrail() throws(StoreError) -> AuditTrail {
        do {
            return try queue.read { db -> AuditTrail in
                var trail = AuditTrail()
                if let state = try String.fetchOne(db, sql: "SELECT value FROM tenant_state WHERE key = 'auditIdentifierState'"),
                   let seed = UInt64(state) {
                    trail.ids = IdentifierGenerator(seed: seed)
                }
                var unified: [UnifiedAuditRecord] = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM unified_audit_log ORDER BY rowid") {
                    unified.append(try Self.unifiedRecord(row))
                }
                var mailbox: [MailboxAuditRecord] = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM mailbox_audit_log ORDER BY rowid") {
                    let json = try JSONValue.parse(row["record"] as String).objectValue ?? JSONObject()
                    guard let id = UUID(uuidString: row["id"]), let guid = UUID(uuidString: row["mailbox_guid"]),
                          let op = MailboxAuditOperations(rawValue: row["operation"]),
                          let logon = MailboxAuditLogonType.allCases.first(where: { $0.recordValue == (row["logon_type"] as Int) }) else {
                        throw StoreError("A stored mailbox audit record is damaged.")
                    }
                    mailbox.append(MailboxAuditRecord(
                        id: id, mailboxGuid: guid, creationTime: Date(timeIntervalSince1970: Double(row["creation_time"] as Int)),
                        operation: op, operationResult: json["OperationResult"]?.stringValue ?? "Succeeded", logonType: logon,
                        logonUser: row["user_id"], logonUserDisplayName: json["LogonUserDisplayName"]?.stringValue ?? "",
                        mailboxOwnerUPN: json["MailboxOwnerUPN"]?.stringValue ?? "", clientInfoString: json["ClientInfoString"]?.stringValue ?? "",
                        clientIPAddress: row["client_ip"] ?? "", externalAccess: json["ExternalAccess"] == .bool(true),
                        details: json["Details"]?.objectValue ?? JSONObject()))
                }
                var signIns: [SignInRecord] = []
                for row in try Row.fetchAll(db, sql: "SELECT * FROM signin_log ORDER BY rowid") {
                    guard let id = UUID(uuidString: row["id"]) else { throw StoreError("A stored sign-in record is damaged.") }
                    signIns.append(SignInRecord(
                        id: id, createdDateTime: Date(timeIntervalSince1970: Double(row["created_date_time"] as Int)),
                        userPrincipalName: row["user_principal_name"], errorCode: row["error_code"],
                        appDisplayName: row["app_display_name"] ?? "", clientAppUsed: row["client_app_used"] ?? "",
                        ipAddress: row["ip_address"] ?? "", resource: try JSONValue.parse(row["record"] as String).objectValue ?? JSONObject()))
                }
                trail.restore(unified: unified, mailbox: mailbox, signIns: signIns)
                return trail
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("The audit log could not be loaded from \(path ?? ":memory:"): \(error)")
        }
    }

    static func unifiedRecord(_ row: Row) throws -> UnifiedAuditRecord {
        guard let id = UUID(uuidString: row["id"]), let type = AuditLogRecordType(rawValue: row["record_type"]) else {
            throw StoreError("A stored unified audit record is damaged.")
        }
        return UnifiedAuditRecord(
            id: id, creationTime: Date(timeIntervalSince1970: Double(row["creation_time"] as Int)), recordType: type,
            operation: row["operation"], userId: row["user_id"], workload: row["workload"], resultStatus: row["result_status"],
            objectId: row["object_id"], clientIP: row["client_ip"],
            auditData: try JSONValue.parse(row["audit_data"] as String).objectValue ?? JSONObject())
    }

    /// Search-UnifiedAuditLog over the stored log, using its indexes: the newest `limit`
    /// records the query matches, and how many match in all (up to `countLimit`).
    public func searchUnified(_ query: UnifiedAuditQuery, limit: Int) throws(StoreError) -> [UnifiedAuditRecord] {
        var clauses = ["creation_time >= ?", "creation_time < ?"]
        var arguments: [any DatabaseValueConvertible] = [Int(query.startDate.timeIntervalSince1970), Int(query.endDate.timeIntervalSince1970)]
        if !query.userIds.isEmpty {
            clauses.append("user_id COLLATE NOCASE IN (\(query.userIds.map { _ in "?" }.joined(separator: ",")))")
            arguments += query.userIds
        }
        if !query.operations.isEmpty {
            clauses.append("operation COLLATE NOCASE IN (\(query.operations.map { _ in "?" }.joined(separator: ",")))")
            arguments += query.operations
        }
        if let type = query.recordType {
            clauses.append("record_type = ?")
            arguments.append(type.rawValue)
        }
        let sql = "SELECT * FROM unified_audit_log WHERE \(clauses.joined(separator: " AND ")) ORDER BY creation_time DESC LIMIT ?"
        arguments.append(limit * 4 + 64)
        do {
            return try queue.read { db in
                var out: [UnifiedAuditRecord] = []
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
                while let row = try rows.next(), out.count < limit {
                    let r = try Self.unifiedRecord(row)
                    if query.matches(r) { out.append(r) }
                }
                return out
            }
        } catch {
            throw StoreError("The audit log search failed: \(error)")
        }
    }
}
