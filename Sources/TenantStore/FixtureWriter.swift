import Foundation
import TenantModel
import Yams

/// Writes a tenant as a fixture (`tenantsim tenant export`). Every property that differs
/// from a blank object is written explicitly, GUIDs and dates included, so loading the
/// export gives back the same tenant.
public enum FixtureWriter {
    public static func yaml(_ tenant: Tenant) throws -> String {
        var root: [(Node, Node)] = []
        func add(_ key: String, _ value: Node?) {
            if let value { root.append((Node(key), value)) }
        }
        add("tenant", record(tenant.info, blank: Blank.tenantInfo, schema: TenantInfo.schema))
        add("clock", scalar(ISO8601.format(tenant.now)))
        add("identifierState", scalar(String(tenant.ids.state)))
        add("organizationConfig", record(tenant.organizationConfig,
                                         blank: OrganizationConfig(name: tenant.info.initialDomain, guid: tenant.info.tenantId),
                                         schema: OrganizationConfig.schema, omitEmpty: true))
        add("adminAuditLogConfig", record(tenant.adminAuditLogConfig, blank: AdminAuditLogConfig(), schema: AdminAuditLogConfig.schema, omitEmpty: true))
        add("transportConfig", record(tenant.transportConfig, blank: TransportConfig(), schema: TransportConfig.schema, omitEmpty: true))
        add("activeSyncOrganizationSettings", record(tenant.activeSyncOrganizationSettings, blank: ActiveSyncOrganizationSettings(),
                                                     schema: ActiveSyncOrganizationSettings.schema, omitEmpty: true))
        add("remoteDomains", list(tenant.remoteDomains.map { record($0, blank: Blank.remoteDomain, schema: RemoteDomain.schema, always: ["Name", "DomainName"]) }))
        add("authenticationPolicies", list(tenant.authenticationPolicies.map {
            record($0, blank: Blank.authenticationPolicy, schema: AuthenticationPolicy.schema, always: ["Name"]) }))
        add("mobileDeviceMailboxPolicies", list(tenant.mobileDeviceMailboxPolicies.map {
            record($0, blank: Blank.mobilePolicy, schema: MobileDeviceMailboxPolicy.schema, always: ["Name", "IsDefault"]) }))
        add("owaMailboxPolicies", list(tenant.owaMailboxPolicies.map {
            record($0, blank: Blank.owaPolicy, schema: OwaMailboxPolicy.schema, always: ["Name", "IsDefault"]) }))
        add("deviceAccessRules", list(tenant.deviceAccessRules.map {
            record($0, blank: Blank.deviceRule, schema: ActiveSyncDeviceAccessRule.schema,
                   always: ["QueryString", "Characteristic", "AccessLevel"]) }))
        add("clientAccessRules", list(tenant.clientAccessRules.map {
            record($0, blank: Blank.clientAccessRule, schema: ClientAccessRule.schema, always: ["Name", "Action"], skip: ["Priority"]) }))
        add("applications", list(tenant.applications.map {
            record($0, blank: Blank.application, schema: AppRegistration.schema, always: ["DisplayName", "AppId"]) }))

        let contents = MailboxContents(tenant)
        var users: [Node] = []
        var userObjectIds: Set<UUID> = []
        for user in tenant.users {
            userObjectIds.insert(user.objectId)
            var entries = pairs(user, blank: Blank.user, schema: User.schema,
                                always: ["UserPrincipalName", "DisplayName", "Password", "Licenses"])
            if let mailbox = tenant.mailboxes.first(where: { $0.userObjectId == user.objectId }) {
                entries.append((Node("mailbox"), mapping(pairs(mailbox, blank: Blank.mailbox(mailbox.recipientTypeDetails, mailbox.licenseTier),
                                                                schema: Mailbox.persistenceSchema,
                                                                always: tierKey(mailbox, tenant)))))
                entries += contents.nodes(for: mailbox)
            } else {
                entries.append((Node("mailbox"), scalar("false")))
            }
            users.append(mapping(entries))
        }
        add("users", list(users))
        var mailboxes: [Node] = []
        for mailbox in tenant.mailboxes where mailbox.userObjectId.map({ !userObjectIds.contains($0) }) ?? true {
            var entries = pairs(mailbox, blank: Blank.mailbox(mailbox.recipientTypeDetails, mailbox.licenseTier),
                                schema: Mailbox.persistenceSchema,
                                always: tierKey(mailbox, tenant).union(["PrimarySmtpAddress", "RecipientTypeDetails"]))
            entries += contents.nodes(for: mailbox)
            mailboxes.append(mapping(entries))
        }
        add("mailboxes", list(mailboxes))

        let header = "# TenantSim fixture exported from \(tenant.info.initialDomain). Format: Docs/fixtures.md\n"
        return header + (try Yams.serialize(node: mapping(root), width: -1, allowUnicode: true, sortKeys: false))
    }

    /// A mailbox's blank has its own licence tier, so LicenseTier never differs from it; the
    /// loader gives mailboxes the tenant's tier, so a mailbox on another tier must say so.
    static func tierKey(_ mailbox: Mailbox, _ tenant: Tenant) -> Set<String> {
        mailbox.licenseTier == tenant.info.licenseTier ? [] : ["LicenseTier"]
    }

    /// Devices, rules, permissions, folders and messages grouped under their mailbox.
    struct MailboxContents {
        let tenant: Tenant
        let devices: [UUID: [MobileDevice]]
        let rules: [UUID: [InboxRule]]
        let permissions: [UUID: [MailboxPermission]]
        let folders: [UUID: [MailFolder]]
        let messages: [UUID: [MailMessage]]

        init(_ tenant: Tenant) {
            self.tenant = tenant
            devices = Dictionary(grouping: tenant.mobileDevices, by: \.mailboxGuid)
            rules = Dictionary(grouping: tenant.inboxRules, by: \.mailboxGuid)
            permissions = Dictionary(grouping: tenant.mailboxPermissions, by: \.mailboxGuid)
            folders = Dictionary(grouping: tenant.folders, by: \.mailboxGuid)
            messages = Dictionary(grouping: tenant.messages, by: \.mailboxGuid)
        }

        func nodes(for mailbox: Mailbox) -> [(Node, Node)] {
            let g = mailbox.guid
            var out: [(Node, Node)] = []
            if let f = folders[g] {
                out.append((Node("folders"), list(f.map { record($0, blank: Blank.folder, schema: MailFolder.schema, always: ["Name"], skip: ["MailboxGuid"]) })!))
            }
            if let d = devices[g] {
                out.append((Node("devices"), list(d.map {
                    record($0, blank: Blank.device, schema: MobileDevice.schema, always: ["DeviceId", "DeviceType", "DeviceOS"],
                           skip: ["MailboxGuid", "MailboxName"]) })!))
            }
            if let r = rules[g] {
                out.append((Node("inboxRules"), list(r.map {
                    record($0, blank: Blank.inboxRule, schema: InboxRule.schema, always: ["Name"], skip: ["MailboxGuid", "MailboxOwnerId"]) })!))
            }
            if let p = permissions[g] {
                out.append((Node("permissions"), list(p.map {
                    record($0, blank: Blank.permission, schema: MailboxPermission.schema, always: ["User", "AccessRights"], skip: ["MailboxGuid"]) })!))
            }
            if let m = messages[g] {
                let custom = folders[g] ?? []
                out.append((Node("messages"), list(m.map { message in
                    var entries: [(Node, Node)] = [(Node("Folder"), scalar(folderName(message.folderId, mailbox: g, custom: custom)))]
                    entries += pairs(message, blank: Blank.message, schema: MailMessage.schema, always: ["Subject"],
                                     skip: ["MailboxGuid", "FolderId"])
                    return mapping(entries)
                })!))
            }
            return out
        }

        private func folderName(_ id: String, mailbox: UUID, custom: [MailFolder]) -> String {
            if let f = custom.first(where: { $0.folderId == id }) { return f.name }
            return MailFolder.wellKnown.first { MailFolder.folderId(mailbox: mailbox, name: $0.0) == id }?.0 ?? "Inbox"
        }
    }

    // MARK: Nodes

    static func pairs<T>(_ object: T, blank: T, schema: ObjectSchema<T>, always: Set<String> = [],
                         skip: Set<String> = []) -> [(Node, Node)] {
        var out: [(Node, Node)] = []
        let blankValues = Dictionary(uniqueKeysWithValues: schema.properties.map { ($0.name, $0.get(blank)) })
        for p in schema.properties where p.isPersisted && !skip.contains(p.name) {
            let v = p.get(object)
            guard always.contains(p.name) || v != blankValues[p.name] else { continue }
            out.append((Node(p.name), value(v)))
        }
        return out
    }

    static func record<T>(_ object: T, blank: T, schema: ObjectSchema<T>, always: Set<String> = [],
                          skip: Set<String> = [], omitEmpty: Bool = false) -> Node? {
        let p = pairs(object, blank: blank, schema: schema, always: always, skip: skip)
        return omitEmpty && p.isEmpty ? nil : mapping(p)
    }

    static func value(_ v: PropertyValue) -> Node {
        switch v {
        case .null: return Node("~")
        case .list(let items):
            return Node.sequence(Node.Sequence(items.map { scalar($0.canonicalText) }, Tag(.implicit), .flow))
        case .bool(let b): return Node(b ? "true" : "false")
        default: return scalar(v.canonicalText)
        }
    }

    /// Text that the loader would read as null is quoted so it stays text.
    static func scalar(_ text: String) -> Node {
        let nullish = ["", "~", "null", "Null", "NULL"].contains(text)
        return Node.scalar(Node.Scalar(text, Tag(.implicit), nullish ? .singleQuoted : .any))
    }

    static func mapping(_ pairs: [(Node, Node)]) -> Node {
        Node.mapping(Node.Mapping(pairs, Tag(.implicit), .block))
    }

    static func list(_ items: [Node?]) -> Node? {
        let nodes = items.compactMap { $0 }
        return nodes.isEmpty ? nil : Node.sequence(Node.Sequence(nodes, Tag(.implicit), .block))
    }
}
