import Foundation
import GRDB
import TenantModel

/// A tenant in SQLite (GRDB over the system libsqlite3): a snapshot of every object, and the
/// audit and sign-in logs. A file database runs in WAL mode, so a killed process loses no
/// committed change; without a path the database lives in memory.
///
/// Objects are stored as sparse records — the persisted properties that differ from a blank
/// object of their kind, in Exchange's text form — the same facts a fixture holds.
public final class TenantDatabase: Sendable {
    let queue: DatabaseQueue
    public let path: String?

    public init(path: String? = nil) throws(StoreError) {
        self.path = path
        do {
            if let path {
                var config = Configuration()
                config.journalMode = .wal
                // In WAL mode NORMAL keeps every committed transaction across a killed process
                // (only an OS crash or power loss can lose the last ones) and writes much faster.
                config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                queue = try DatabaseQueue(path: path, configuration: config)
            } else {
                queue = try DatabaseQueue()
            }
            try Self.migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("The database \(path ?? ":memory:") can't be opened: \(error)")
        }
    }

    /// The schema, evolved by GRDB's migrator: each migration runs once per database.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-tenant-snapshot") { db in
            try db.execute(sql: """
                CREATE TABLE tenant_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE objects (
                    kind TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    variant TEXT,
                    props TEXT NOT NULL,
                    PRIMARY KEY (kind, position)
                ) WITHOUT ROWID;
                CREATE INDEX objects_by_key ON objects(kind, key);
                """)
        }
        m.registerMigration("v1-logs") { db in
            // Laid out for the audit pipeline: the unified audit log (AuditData as JSON), the
            // mailbox audit log, and the Entra sign-in log, each indexed for the searches
            // Search-UnifiedAuditLog, Search-MailboxAuditLog and Graph's signIns make.
            try db.execute(sql: """
                CREATE TABLE unified_audit_log (
                    id TEXT NOT NULL,
                    creation_time INTEGER NOT NULL,
                    record_type INTEGER NOT NULL,
                    operation TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    object_id TEXT,
                    client_ip TEXT,
                    result_status TEXT,
                    workload TEXT NOT NULL,
                    audit_data TEXT NOT NULL
                );
                CREATE INDEX ual_by_time ON unified_audit_log(creation_time);
                CREATE INDEX ual_by_user_operation ON unified_audit_log(user_id COLLATE NOCASE, operation COLLATE NOCASE, creation_time);
                CREATE INDEX ual_by_operation ON unified_audit_log(operation COLLATE NOCASE, creation_time);
                CREATE INDEX ual_by_record_type ON unified_audit_log(record_type, creation_time);
                CREATE TABLE mailbox_audit_log (
                    id TEXT PRIMARY KEY NOT NULL,
                    mailbox_guid TEXT NOT NULL,
                    creation_time INTEGER NOT NULL,
                    operation TEXT NOT NULL,
                    logon_type INTEGER NOT NULL,
                    user_id TEXT NOT NULL,
                    client_ip TEXT,
                    record TEXT NOT NULL
                );
                CREATE INDEX mal_by_mailbox ON mailbox_audit_log(mailbox_guid, creation_time);
                CREATE INDEX mal_by_operation ON mailbox_audit_log(operation, creation_time);
                CREATE INDEX mal_by_user ON mailbox_audit_log(user_id COLLATE NOCASE, creation_time);
                CREATE TABLE signin_log (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_date_time INTEGER NOT NULL,
                    user_principal_name TEXT NOT NULL,
                    app_display_name TEXT,
                    client_app_used TEXT,
                    ip_address TEXT,
                    error_code INTEGER NOT NULL,
                    record TEXT NOT NULL
                );
                CREATE INDEX signin_by_time ON signin_log(created_date_time);
                CREATE INDEX signin_by_user ON signin_log(user_principal_name COLLATE NOCASE, created_date_time);
                CREATE INDEX signin_by_error ON signin_log(error_code, created_date_time);
                """)
        }
        return m
    }

    // MARK: Snapshot

    /// Replaces the stored tenant with `tenant`, in one transaction.
    public func save(_ tenant: Tenant) throws(StoreError) {
        do {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM tenant_state; DELETE FROM objects;")
                let state = try db.makeStatement(sql: "INSERT INTO tenant_state (key, value) VALUES (?, ?)")
                func put(_ key: String, _ value: String) throws { try state.execute(arguments: [key, value]) }
                try put("info", PropertyRecord(tenant.info, blank: Blank.tenantInfo, schema: TenantInfo.schema).encoded)
                try put("clock", ISO8601.format(tenant.now))
                try put("identifierState", String(tenant.ids.state))
                try put("organizationConfig", PropertyRecord(tenant.organizationConfig, blank: Blank.organizationConfig,
                                                             schema: OrganizationConfig.schema).encoded)
                try put("adminAuditLogConfig", PropertyRecord(tenant.adminAuditLogConfig, blank: AdminAuditLogConfig(),
                                                              schema: AdminAuditLogConfig.schema).encoded)
                try put("transportConfig", PropertyRecord(tenant.transportConfig, blank: TransportConfig(),
                                                          schema: TransportConfig.schema).encoded)
                try put("activeSyncOrganizationSettings", PropertyRecord(tenant.activeSyncOrganizationSettings,
                                                                         blank: ActiveSyncOrganizationSettings(),
                                                                         schema: ActiveSyncOrganizationSettings.schema).encoded)

                let insert = try db.makeStatement(sql: "INSERT INTO objects (kind, position, key, variant, props) VALUES (?, ?, ?, ?, ?)")
                func store<T>(_ kind: StoredKind, _ objects: [T], blank: (T) -> T, schema: ObjectSchema<T>,
                              key: (T) -> String, variant: (T) -> String? = { _ in nil }) throws {
                    // Blank values are computed once per variant, not once per object.
                    var blanks: [String: [PropertyValue]] = [:]
                    for (i, o) in objects.enumerated() {
                        let v = variant(o)
                        let reference: [PropertyValue]
                        if let cached = blanks[v ?? ""] { reference = cached } else {
                            reference = schema.values(of: blank(o))
                            blanks[v ?? ""] = reference
                        }
                        try insert.execute(arguments: [kind.rawValue, i, key(o), v,
                                                       PropertyRecord(o, blankValues: reference, schema: schema).encoded])
                    }
                }
                try store(.user, tenant.users, blank: { _ in Blank.user }, schema: User.schema, key: { $0.userPrincipalName.lowercased() })
                try store(.mailbox, tenant.mailboxes, blank: { Blank.mailbox($0.recipientTypeDetails, $0.licenseTier) },
                          schema: Mailbox.persistenceSchema, key: { $0.guid.uuidString },
                          variant: { "\($0.recipientTypeDetails.rawValue)|\($0.licenseTier.rawValue)" })
                try store(.mobileDevice, tenant.mobileDevices, blank: { _ in Blank.device }, schema: MobileDevice.schema, key: { $0.guid.uuidString })
                try store(.mobilePolicy, tenant.mobileDeviceMailboxPolicies, blank: { _ in Blank.mobilePolicy },
                          schema: MobileDeviceMailboxPolicy.schema, key: \.name)
                try store(.owaPolicy, tenant.owaMailboxPolicies, blank: { _ in Blank.owaPolicy }, schema: OwaMailboxPolicy.schema, key: \.name)
                try store(.deviceRule, tenant.deviceAccessRules, blank: { _ in Blank.deviceRule },
                          schema: ActiveSyncDeviceAccessRule.schema, key: \.name)
                try store(.clientAccessRule, tenant.clientAccessRules, blank: { _ in Blank.clientAccessRule },
                          schema: ClientAccessRule.schema, key: \.name)
                try store(.authenticationPolicy, tenant.authenticationPolicies, blank: { _ in Blank.authenticationPolicy },
                          schema: AuthenticationPolicy.schema, key: \.name)
                try store(.remoteDomain, tenant.remoteDomains, blank: { _ in Blank.remoteDomain }, schema: RemoteDomain.schema, key: \.name)
                try store(.application, tenant.applications, blank: { _ in Blank.application }, schema: AppRegistration.schema,
                          key: \.displayName)
                try store(.inboxRule, tenant.inboxRules, blank: { _ in Blank.inboxRule }, schema: InboxRule.schema, key: \.identity)
                try store(.permission, tenant.mailboxPermissions, blank: { _ in Blank.permission }, schema: MailboxPermission.schema,
                          key: { "\($0.mailboxGuid.uuidString)|\($0.user)" })
                try store(.folder, tenant.folders, blank: { _ in Blank.folder }, schema: MailFolder.schema, key: \.folderId)
                try store(.message, tenant.messages, blank: { _ in Blank.message }, schema: MailMessage.schema, key: \.itemId)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("The tenant could not be saved to \(path ?? ":memory:"): \(error)")
        }
    }

    /// The stored tenant, or nil when the database holds none yet.
    public func load() throws(StoreError) -> Tenant? {
        do {
            return try queue.read { db -> Tenant? in
                var state: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM tenant_state") {
                    state[row[0]] = row[1] as String
                }
                guard let infoText = state["info"] else { return nil }
                var info = Blank.tenantInfo
                try PropertyRecord(encoded: infoText).apply(to: &info, schema: TenantInfo.schema)
                guard let clockText = state["clock"], let now = ISO8601.parse(clockText),
                      let idText = state["identifierState"], let idState = UInt64(idText) else {
                    throw StoreError("The stored tenant has no clock or identifier state; the database is damaged.")
                }
                var tenant = Tenant(info: info, now: now, seed: 0)
                tenant.ids = IdentifierGenerator(seed: idState)
                func restore<T>(_ key: String, _ object: inout T, _ schema: ObjectSchema<T>) throws {
                    if let text = state[key] { try PropertyRecord(encoded: text).apply(to: &object, schema: schema) }
                }
                var org = Blank.organizationConfig
                try restore("organizationConfig", &org, OrganizationConfig.schema)
                tenant.organizationConfig = org
                try restore("adminAuditLogConfig", &tenant.adminAuditLogConfig, AdminAuditLogConfig.schema)
                try restore("transportConfig", &tenant.transportConfig, TransportConfig.schema)
                try restore("activeSyncOrganizationSettings", &tenant.activeSyncOrganizationSettings, ActiveSyncOrganizationSettings.schema)

                var users: [User] = [], mailboxes: [Mailbox] = []
                var policies: [MobileDeviceMailboxPolicy] = [], owa: [OwaMailboxPolicy] = []
                var clientRules: [ClientAccessRule] = []
                var remoteDomains: [RemoteDomain] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT kind, variant, props FROM objects ORDER BY kind, position")
                while let row = try rows.next() {
                    let kindText: String = row[0]
                    guard let kind = StoredKind(rawValue: kindText) else {
                        throw StoreError("The database holds objects of an unknown kind \"\(kindText)\"; it was written by a newer TenantSim.")
                    }
                    let record = try PropertyRecord(encoded: row[2] as String)
                    func decode<T>(_ blank: T, _ schema: ObjectSchema<T>) throws -> T {
                        var o = blank
                        try record.apply(to: &o, schema: schema)
                        return o
                    }
                    switch kind {
                    case .user: users.append(try decode(Blank.user, User.schema))
                    case .mailbox:
                        let variant = (row[1] as String?)?.split(separator: "|").map(String.init) ?? []
                        guard variant.count == 2, let type = RecipientTypeDetails(rawValue: variant[0]),
                              let tier = LicenseTier(rawValue: variant[1]) else {
                            throw StoreError("A stored mailbox has no valid recipient type and licence tier.")
                        }
                        mailboxes.append(try decode(Blank.mailbox(type, tier), Mailbox.persistenceSchema))
                    case .mobileDevice: tenant.mobileDevices.append(try decode(Blank.device, MobileDevice.schema))
                    case .mobilePolicy: policies.append(try decode(Blank.mobilePolicy, MobileDeviceMailboxPolicy.schema))
                    case .owaPolicy: owa.append(try decode(Blank.owaPolicy, OwaMailboxPolicy.schema))
                    case .deviceRule: tenant.deviceAccessRules.append(try decode(Blank.deviceRule, ActiveSyncDeviceAccessRule.schema))
                    case .clientAccessRule: clientRules.append(try decode(Blank.clientAccessRule, ClientAccessRule.schema))
                    case .authenticationPolicy:
                        tenant.authenticationPolicies.append(try decode(Blank.authenticationPolicy, AuthenticationPolicy.schema))
                    case .remoteDomain: remoteDomains.append(try decode(Blank.remoteDomain, RemoteDomain.schema))
                    case .application: tenant.applications.append(try decode(Blank.application, AppRegistration.schema))
                    case .inboxRule: tenant.inboxRules.append(try decode(Blank.inboxRule, InboxRule.schema))
                    case .permission: tenant.mailboxPermissions.append(try decode(Blank.permission, MailboxPermission.schema))
                    case .folder: tenant.folders.append(try decode(Blank.folder, MailFolder.schema))
                    case .message: tenant.messages.append(try decode(Blank.message, MailMessage.schema))
                    }
                }
                for u in users { try tenant.addUser(u) }
                try tenant.addMailboxes(mailboxes)
                // A permission's Identity is its mailbox's, which the sparse record doesn't
                // hold (Identity is computed); take it from the mailbox, as fixtures do.
                let mailboxNames = Dictionary(mailboxes.map { ($0.guid, $0.name) }, uniquingKeysWith: { first, _ in first })
                for i in tenant.mailboxPermissions.indices {
                    tenant.mailboxPermissions[i].mailboxName = mailboxNames[tenant.mailboxPermissions[i].mailboxGuid] ?? ""
                }
                tenant.mobileDeviceMailboxPolicies = policies
                tenant.owaMailboxPolicies = owa
                tenant.remoteDomains = remoteDomains
                tenant.setClientAccessRules(clientRules)
                return tenant
            }
        } catch let error as StoreError {
            throw error
        } catch let error as Tenant.ModelError {
            throw StoreError("The stored tenant is inconsistent: \(error)")
        } catch {
            throw StoreError("The tenant could not be loaded from \(path ?? ":memory:"): \(error)")
        }
    }

    /// Row counts of the log tables.
    public func logCounts() throws(StoreError) -> (unified: Int, mailbox: Int, signIn: Int) {
        do {
            return try queue.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM unified_audit_log") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM mailbox_audit_log") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM signin_log") ?? 0)
            }
        } catch {
            throw StoreError("The log tables could not be read: \(error)")
        }
    }
}

/// The kinds of objects in the `objects` table. Loading orders by kind then position.
enum StoredKind: String, CaseIterable {
    case user = "User"
    case mailbox = "Mailbox"
    case mobileDevice = "MobileDevice"
    case mobilePolicy = "MobileDeviceMailboxPolicy"
    case owaPolicy = "OwaMailboxPolicy"
    case deviceRule = "ActiveSyncDeviceAccessRule"
    case clientAccessRule = "ClientAccessRule"
    case authenticationPolicy = "AuthenticationPolicy"
    case remoteDomain = "RemoteDomain"
    case application = "AppRegistration"
    case inboxRule = "InboxRule"
    case permission = "MailboxPermission"
    case folder = "MailFolder"
    case message = "MailMessage"
}
