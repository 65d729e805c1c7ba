import Foundation
import TenantModel
import TenantStore
import Yams

/// One imported value and where it came from (for conflict reports).
struct ImportField {
    var value: PropertyValue
    var file: String
    var place: String
}

/// One imported object: its identity and its properties by Exchange name, merged across files.
struct ImportEntity {
    var key: String
    var fields: [String: ImportField] = [:]
    var order: [String] = []
    var origin: String
}

/// Validates the records of every table against the object schemas and merges them by identity.
struct ImportMerger {
    var issues: [ImportIssue] = []
    var reports: [ImportFileReport] = []
    var mailboxes: [String: ImportEntity] = [:]
    var mailboxOrder: [String] = []
    var users: [String: ImportEntity] = [:]
    var userOrder: [String] = []
    var devices: [(entity: ImportEntity, link: [String: String], file: String, place: String)] = []
    var deviceKeys: Set<String> = []
    var named: [ImportKind: (entities: [String: ImportEntity], order: [String])] = [:]
    var singletons: [ImportKind: ImportEntity] = [:]
    var imported: Set<ImportKind> = []
    var latestDate: Date?
    var orgName: String?
    var tenantId: String?

    // MARK: Tables

    mutating func add(_ table: ImportTable) {
        let candidates = ImportKind.candidates(table.columns)
        guard candidates.count == 1, let kind = candidates.first else {
            if candidates.count > 1 {
                issues.append(ImportIssue(file: table.file, place: nil,
                    message: "the columns \(table.columns.joined(separator: ", ")) fit more than one export: \(candidates.map(\.cmdlet).joined(separator: ", ")).",
                    valid: "export at least one property that only one of them has (or export every property)"))
            } else {
                let near = ImportKind.closest(table.columns)
                var why: [String] = []
                if !near.unknown.isEmpty { why.append("\(near.kind.cmdlet) has no \(near.unknown.map { "\"\($0)\"" }.joined(separator: ", "))") }
                if !near.missing.isEmpty { why.append("its identity column \(near.missing.joined(separator: ", ")) is missing") }
                issues.append(ImportIssue(file: table.file, place: nil,
                    message: "unknown column set (\(table.columns.joined(separator: ", "))): it is no export the importer knows. The nearest is \(near.kind.cmdlet), but \(why.joined(separator: " and ")).",
                    valid: "an export of Get-Mailbox, Get-CASMailbox, Get-MobileDevice, Get-MsolUser, Get-ClientAccessRule, Get-ActiveSyncDeviceAccessRule, Get-MobileDeviceMailboxPolicy, Get-OwaMailboxPolicy, Get-OrganizationConfig or Get-AdminAuditLogConfig, or the white paper's four files, whose columns are the cmdlet's property names (see Docs/import.md)"))
            }
            return
        }
        if table.records.isEmpty {
            reports.append(ImportFileReport(file: table.file, format: table.format, kind: kind,
                                            recognisedAs: "a \(kind.cmdlet) export", records: 0,
                                            assumed: ["the export has no objects; nothing imported from it"]))
            return
        }
        imported.insert(kind)
        var assumed: [String] = []
        func note(_ s: String) { if !assumed.contains(s) { assumed.append(s) } }
        let before = issues.count
        var seen: [String: Int] = [:]
        for record in table.records {
            let place = table.place(record.line)
            let rec = normalise(record, kind: kind, file: table.file, place: place, note: note)
            guard let rec else { continue }
            if let first = seen[rec.key.lowercased()] {
                issues.append(ImportIssue(file: table.file, place: place,
                    message: "duplicate identity \"\(rec.key)\": \(table.place(first)) already has it.",
                    valid: "each \(kind.cmdlet) object once per file"))
                continue
            }
            seen[rec.key.lowercased()] = record.line
            merge(rec, kind: kind, file: table.file, place: place)
        }
        guard issues.count == before else { return }
        let paper = ImportKind.paperExport(table.columns)
        reports.append(ImportFileReport(file: table.file, format: table.format, kind: kind,
                                        recognisedAs: paper ?? "a \(kind.cmdlet) export", records: table.records.count, assumed: assumed))
    }

    /// A record as (key, link attributes, typed properties), or nil after recording issues.
    struct Normalised {
        var key: String
        var link: [String: String] = [:]
        var fields: [(String, PropertyValue)] = []
    }

    private mutating func normalise(_ record: ImportRecord, kind: ImportKind, file: String, place: String,
                                    note: (String) -> Void) -> Normalised? {
        func issue(_ column: String, _ message: String, _ valid: String?) {
            issues.append(ImportIssue(file: file, place: place, message: "column \"\(column)\": \(message)", valid: valid))
        }
        func field(_ name: String) -> ImportValue? {
            record.fields.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        // The identity.
        var key: String
        switch kind {
        case .organizationConfig, .adminAuditLogConfig: key = kind.rawValue
        case .deviceAccessRule:
            let q = field("QueryString")?.text ?? "", c = field("Characteristic")?.text ?? ""
            key = field("Name")?.text ?? "\(q) (\(c))"
            if q.isEmpty { issue("QueryString", "is empty.", "the device type or model the rule matches"); return nil }
        default:
            let column = kind.requiredColumns[0]
            guard let k = field(column)?.text, !k.isEmpty else {
                issue(column, "is empty: every \(kind.cmdlet) object needs its \(column).", "the object's \(column)")
                return nil
            }
            key = k
        }
        if kind == .mailbox || kind == .casMailbox || kind == .msolUser {
            guard let address = SmtpAddress(key.hasPrefix("smtp:") || key.hasPrefix("SMTP:") ? String(key.dropFirst(5)) : key) else {
                issue(kind.requiredColumns[0], "\"\(key)\" isn't an email address.", "name@domain")
                return nil
            }
            key = address.address
        }
        var out = Normalised(key: key)
        var scratch = ImportScratch()
        var derived: [String] = []
        defer { if !derived.isEmpty { note("derived by the simulator, not imported: \(derived.joined(separator: ", "))") } }
        for (column, value) in record.fields {
            let lower = column.lowercased()
            if ImportKind.remotingColumns.contains(lower) { continue }
            if let typeName = value.collectionTypeName {
                let what = lower.hasPrefix("audit") || lower == "defaultauditset" ? "the default set for the licence tier" : "the default"
                note("\(column) arrived as \(typeName) (Export-Csv writes a multi-valued property as its type name); kept \(what)")
                continue
            }
            // Columns with a meaning of their own.
            switch (kind, lower) {
            case (.msolUser, "password"), (.mailbox, "password"):
                note("\(column) is never imported: every imported user gets a generated password, recorded in the fixture")
                continue
            case (.msolUser, "mfa status"), (.msolUser, "strongauthenticationrequirements"):
                var state: String
                switch value {
                case .null: state = "Disabled"
                case .list(let items): state = items.first?.member("State")?.text ?? "Disabled"
                case .object: state = value.member("State")?.text ?? "Disabled"
                default: state = value.text ?? "Disabled"
                }
                if value == .null { note("an empty \(column) is per-user MFA Disabled") }
                guard let s = PerUserMfaState.named(state) else {
                    issue(column, "\"\(state)\" isn't a per-user MFA state.", "Enabled, Enforced, or empty for Disabled")
                    continue
                }
                out.fields.append(("StrongAuthenticationState", .string(s.rawValue)))
                continue
            case (_, _) where value.truncatedObjects:
                note("\(column) holds objects that ConvertTo-Json cut at its -Depth (their type names only); kept the default (export with -Depth 4)")
                continue
            case (.msolUser, "licenses"):
                if case .list(let items) = value {
                    let skus = items.compactMap { item -> PropertyValue? in
                        let id = item.member("AccountSkuId")?.text ?? item.text
                        return id.map { .string(String($0.split(separator: ":").last ?? Substring($0))) }
                    }
                    out.fields.append(("Licenses", .list(skus)))
                    continue
                }
            case (.msolUser, "strongauthenticationmethods"):
                if case .list(let items) = value {
                    out.fields.append(("StrongAuthenticationMethods", .list(items.compactMap { item in
                        (item.member("MethodType")?.text ?? item.text).map(PropertyValue.string) })))
                    continue
                }
            case (.msolUser, "islicensed"), (.msolUser, "usertype"):
                derived.append(column)
                continue
            case (.mailbox, "userprincipalname"), (.mailbox, "externaldirectoryobjectid"):
                if let t = value.text { out.link[lower] = t }
                continue
            case (.casMailbox, "activesyncmailboxpolicyisdefaulted"):
                if let t = value.text { out.link[lower] = t.lowercased() }
                continue
            case (.mobileDevice, "mailboxguid"), (.mobileDevice, "mailboxname"), (.mobileDevice, "identity"):
                if let t = value.text { out.link[lower] = t }
                continue
            case (.clientAccessRule, "priority"):
                if let t = value.text, let p = Int(t), p >= 1 { out.link["priority"] = String(p) } else if value != .null {
                    issue(column, "\"\(value.text ?? "")\" isn't a priority.", "a whole number from 1")
                }
                continue
            case (.organizationConfig, "name"):
                if let t = value.text { out.link["name"] = t }
                continue
            case (.organizationConfig, "guid"):
                if let t = value.text, UUID(uuidString: t) != nil { out.link["guid"] = t }
                continue
            case (.organizationConfig, "identity"),
                 (.adminAuditLogConfig, "name"), (.adminAuditLogConfig, "identity"):
                continue
            default: break
            }
            let name = kind == .msolUser ? (ImportKind.msolAliases[lower] ?? column) : column
            let pv: PropertyValue
            switch value {
            case .null: pv = .null
            case .text(let s): pv = .string(s)
            case .bool(let b): pv = .bool(b)
            case .int(let i): pv = .int(i)
            case .list(let items):
                if items.contains(where: { if case .object = $0 { return true }; return false }) {
                    note("\(column) holds nested objects the model does not keep; kept the default")
                    continue
                }
                pv = .list(items.map { $0.text.map(PropertyValue.string) ?? .null })
            case .object:
                note("\(column) is a nested object (ConvertTo-Json -Depth too small?); kept the default")
                continue
            }
            switch scratch.restore(kind, name, pv) {
            case .stored(let canonical, let canonicalName):
                if case .date(let d) = canonical { latestDate = max(latestDate ?? d, d) }
                out.fields.append((canonicalName, canonical))
            case .derived, .unknown:
                derived.append(column)
            case .nullRefused:
                continue
            case .invalid(let error, let type):
                let valid = error.validValues.isEmpty ? type.enumeratorNames : error.validValues
                issue(column, "\"\(error.value)\" isn't valid: \(error.reason.replacingOccurrences(of: "\n", with: " "))",
                      valid.isEmpty ? "a \(type.isMultiValued ? "list of " : "")\(type.shortName)" : valid.joined(separator: ", "))
            }
        }
        return out
    }

    // MARK: Merging

    private mutating func merge(_ rec: Normalised, kind: ImportKind, file: String, place: String) {
        func apply(_ entity: inout ImportEntity, _ what: String) {
            for (name, value) in rec.fields {
                if let existing = entity.fields[name] {
                    if existing.value != value && existing.file != file {
                        issues.append(ImportIssue(file: file, place: place,
                            message: "conflicting values for \(what) \"\(rec.key)\": \(name) is \"\(value.canonicalText)\" here but \"\(existing.value.canonicalText)\" in \(existing.file), \(existing.place).",
                            valid: "the same value in every file (export all files at the same time)"))
                    }
                    continue
                }
                entity.fields[name] = ImportField(value: value, file: file, place: place)
                entity.order.append(name)
            }
            for (k, v) in rec.link where entity.fields["link:" + k] == nil {
                entity.fields["link:" + k] = ImportField(value: .string(v), file: file, place: place)
            }
        }
        switch kind {
        case .mailbox, .casMailbox:
            let k = rec.key.lowercased()
            var e = mailboxes[k] ?? { mailboxOrder.append(k); return ImportEntity(key: rec.key, origin: "\(file), \(place)") }()
            apply(&e, "mailbox")
            mailboxes[k] = e
        case .msolUser:
            let k = rec.key.lowercased()
            var e = users[k] ?? { userOrder.append(k); return ImportEntity(key: rec.key, origin: "\(file), \(place)") }()
            apply(&e, "user")
            users[k] = e
        case .mobileDevice:
            var e = ImportEntity(key: rec.key, origin: "\(file), \(place)")
            apply(&e, "device")
            devices.append((e, rec.link, file, place))
        case .organizationConfig, .adminAuditLogConfig:
            var e = singletons[kind] ?? ImportEntity(key: kind.cmdlet, origin: "\(file), \(place)")
            apply(&e, kind.cmdlet)
            singletons[kind] = e
            if let n = rec.link["name"] { orgName = n }
            if let g = rec.link["guid"] { tenantId = g }
        default:
            var bucket = named[kind] ?? ([:], [])
            let k = rec.key.lowercased()
            var e = bucket.entities[k] ?? { bucket.order.append(k); return ImportEntity(key: rec.key, origin: "\(file), \(place)") }()
            apply(&e, kind.cmdlet.replacingOccurrences(of: "Get-", with: ""))
            bucket.entities[k] = e
            named[kind] = bucket
        }
    }
}

/// Blank objects that imported values are converted on, so every value is checked by the
/// property's own converter and stored in its canonical form.
struct ImportScratch {
    enum Outcome {
        case stored(PropertyValue, String)
        case derived
        case unknown
        case nullRefused
        case invalid(ValueConversionError, ValueType)
    }

    static let epoch = Date(timeIntervalSince1970: 0)
    static let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    var mailbox = Mailbox(name: "", displayName: "", primarySmtpAddress: SmtpAddress("blank@blank.invalid")!, userPrincipalName: "",
                          recipientTypeDetails: .UserMailbox, guid: zero, userObjectId: nil, licenseTier: .E3, whenCreated: epoch)
    var user = User(userPrincipalName: "", displayName: "", objectId: zero, password: "", whenCreated: epoch)
    var device = MobileDevice(mailboxGuid: zero, mailboxName: "", guid: zero, deviceId: "", deviceType: "",
                              deviceModel: "", deviceOS: "", userDisplayName: "", whenCreated: epoch)
    var deviceRule = ActiveSyncDeviceAccessRule(queryString: "", characteristic: .DeviceType, accessLevel: .Allow, guid: zero, whenCreated: epoch)
    var clientRule = ClientAccessRule(name: "", action: .AllowAccess, guid: zero, priority: 0, whenCreated: epoch)
    var mobilePolicy = MobileDeviceMailboxPolicy(name: "", guid: zero, created: epoch)
    var owaPolicy = OwaMailboxPolicy(name: "", guid: zero, created: epoch)
    var org = OrganizationConfig(name: "", guid: zero)
    var adminAudit = AdminAuditLogConfig()

    mutating func restore(_ kind: ImportKind, _ name: String, _ value: PropertyValue) -> Outcome {
        switch kind {
        case .mailbox, .casMailbox: return Self.restore(&mailbox, Mailbox.persistenceSchema, name, value)
        case .msolUser: return Self.restore(&user, User.schema, name, value)
        case .mobileDevice: return Self.restore(&device, MobileDevice.schema, name, value)
        case .deviceAccessRule: return Self.restore(&deviceRule, ActiveSyncDeviceAccessRule.schema, name, value)
        case .clientAccessRule: return Self.restore(&clientRule, ClientAccessRule.schema, name, value)
        case .mobilePolicy: return Self.restore(&mobilePolicy, MobileDeviceMailboxPolicy.schema, name, value)
        case .owaPolicy: return Self.restore(&owaPolicy, OwaMailboxPolicy.schema, name, value)
        case .organizationConfig: return Self.restore(&org, OrganizationConfig.schema, name, value)
        case .adminAuditLogConfig: return Self.restore(&adminAudit, AdminAuditLogConfig.schema, name, value)
        }
    }

    static func restore<T>(_ object: inout T, _ schema: ObjectSchema<T>, _ name: String, _ value: PropertyValue) -> Outcome {
        guard let p = schema.property(named: name) else { return .unknown }
        guard p.isPersisted else { return .derived }
        do { try p.restore(&object, value) } catch {
            if value == .null { return .nullRefused }
            if case .string(let s) = value, p.valueType.isMultiValued {
                // ConvertTo-Json below its depth writes a list as its items joined by blanks.
                let items = s.split(separator: " ").map { PropertyValue.string(String($0)) }
                if (try? p.restore(&object, .list(items))) != nil { return .stored(p.get(object), p.name) }
            }
            return .invalid(error, p.valueType)
        }
        return .stored(p.get(object), p.name)
    }
}
