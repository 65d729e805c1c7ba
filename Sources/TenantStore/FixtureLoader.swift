import Foundation
import TenantModel
import Yams

/// Loads a tenant fixture (YAML; the format is in Docs/fixtures.md). Property keys are
/// Exchange's property names; section keys are the fixture's own. Any error stops the load
/// with the file, line, column and the valid choices; nothing is half-loaded because the
/// tenant is built as a value and only returned when complete.
public struct FixtureLoader {
    public static let sectionKeys = [
        "tenant", "clock", "seed", "organizationConfig", "adminAuditLogConfig", "transportConfig",
        "activeSyncOrganizationSettings", "remoteDomains", "authenticationPolicies", "mobileDeviceMailboxPolicies",
        "owaMailboxPolicies", "deviceAccessRules", "clientAccessRules", "applications", "users", "mailboxes", "identifierState",
    ]
    /// Keys of a user or mailbox entry that hold its contents rather than properties.
    static let ownedKeys = ["mailbox", "devices", "inboxRules", "messages", "permissions", "folders"]

    /// Entries with the owned section keys spelled canonically (`Devices:` is `devices:`).
    static func canonicalOwned(_ entries: [(key: String, keyNode: Node, value: Node)]) -> [(key: String, keyNode: Node, value: Node)] {
        entries.map { e in
            if let k = ownedKeys.first(where: { $0.lowercased() == e.key.lowercased() }) { return (k, e.keyNode, e.value) }
            return e
        }
    }

    let doc: YAMLDocument

    public init(file: String) { doc = YAMLDocument(file: file) }

    /// Loads a fixture file from disk.
    public static func load(path: String) throws(FixtureError) -> Tenant {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FixtureError(file: path, line: 1, column: 1, message: "The fixture file can't be read: \(error.localizedDescription)")
        }
        return try FixtureLoader(file: path).load(text: text)
    }

    public func load(text: String) throws(FixtureError) -> Tenant {
        try load(root: try doc.compose(text))
    }

    /// Loads a fixture from an already composed YAML tree: an inline fixture inside another
    /// file (a scenario's `tenant:` mapping). Errors point into that file.
    public func load(root: Node) throws(FixtureError) -> Tenant {
        let sections = try doc.mapping(root, what: "The fixture")
        var byName: [String: (keyNode: Node, value: Node)] = [:]
        for s in sections {
            guard let canonical = Self.sectionKeys.first(where: { $0 == s.key }) else {
                throw doc.error(s.keyNode, "Unknown section \"\(s.key)\". Valid sections: \(Self.sectionKeys.joined(separator: ", ")).")
            }
            byName[canonical] = (s.keyNode, s.value)
        }
        guard let tenantNode = byName["tenant"] else {
            throw doc.error(root, "The fixture needs a `tenant:` section with at least InitialDomain.")
        }

        var seed: UInt64 = 1
        if let s = byName["seed"] {
            guard let v = UInt64(try doc.scalar(s.value, what: "seed")) else {
                throw doc.error(s.value, "\"seed\" must be a whole number from 0 to \(UInt64.max).")
            }
            seed = v
        }
        var ids = IdentifierGenerator(seed: seed ^ 0xF1C7)
        var clock: Date?
        if let c = byName["clock"] { clock = try date(c.value, name: "clock") }

        // The tenant's identity comes first: everything else is dated and named from it.
        var info = TenantInfo(displayName: "", tenantId: ids.newGuid(), initialDomain: "", domains: [], licenseTier: .E3,
                              createdDateTime: clock ?? Date(timeIntervalSince1970: 1_546_300_800))
        let tenantEntries = try doc.mapping(tenantNode.value, what: "tenant")
        try apply(tenantEntries, to: &info, schema: TenantInfo.schema, what: "tenant")
        guard !info.initialDomain.isEmpty else {
            throw doc.error(tenantNode.value, "The tenant needs InitialDomain (its *.onmicrosoft.com domain).")
        }
        if info.displayName.isEmpty { info.displayName = String(info.initialDomain.split(separator: ".")[0]) }
        if !info.domains.contains(where: { $0.lowercased() == info.initialDomain.lowercased() }) {
            info.domains.insert(info.initialDomain, at: 0)
        }
        var tenant = Tenant(info: info, now: clock ?? info.createdDateTime, seed: seed)
        let created = info.createdDateTime

        if let s = byName["organizationConfig"] {
            try apply(try doc.mapping(s.value, what: "organizationConfig"), to: &tenant.organizationConfig,
                      schema: OrganizationConfig.schema, what: "organizationConfig")
        }
        if let s = byName["adminAuditLogConfig"] {
            try apply(try doc.mapping(s.value, what: "adminAuditLogConfig"), to: &tenant.adminAuditLogConfig,
                      schema: AdminAuditLogConfig.schema, what: "adminAuditLogConfig")
        }
        if let s = byName["transportConfig"] {
            try apply(try doc.mapping(s.value, what: "transportConfig"), to: &tenant.transportConfig,
                      schema: TransportConfig.schema, what: "transportConfig")
        }
        if let s = byName["activeSyncOrganizationSettings"] {
            try apply(try doc.mapping(s.value, what: "activeSyncOrganizationSettings"), to: &tenant.activeSyncOrganizationSettings,
                      schema: ActiveSyncOrganizationSettings.schema, what: "activeSyncOrganizationSettings")
        }
        if let s = byName["remoteDomains"] {
            tenant.remoteDomains = try namedList(s.value, what: "a remote domain", existing: tenant.remoteDomains,
                                                 schema: RemoteDomain.schema, name: \.name) { (name, entries) throws(FixtureError) -> RemoteDomain in
                var d = RemoteDomain(name: name, domainName: "*", guid: ids.newGuid())
                if let dn = entries.first(where: { $0.key.lowercased() == "domainname" }) { d.domainName = try doc.scalar(dn.value, what: "DomainName") }
                return d
            }
        }
        if let s = byName["authenticationPolicies"] {
            tenant.authenticationPolicies = try namedList(s.value, what: "an authentication policy", existing: tenant.authenticationPolicies,
                                                          schema: AuthenticationPolicy.schema, name: \.name) { name, _ in
                AuthenticationPolicy(name: name, guid: ids.newGuid())
            }
        }
        if let s = byName["mobileDeviceMailboxPolicies"] {
            tenant.mobileDeviceMailboxPolicies = try namedList(s.value, what: "a mobile device mailbox policy",
                                                               existing: tenant.mobileDeviceMailboxPolicies,
                                                               schema: MobileDeviceMailboxPolicy.schema, name: \.name) { name, _ in
                MobileDeviceMailboxPolicy(name: name, guid: ids.newGuid(), created: created)
            }
            try requireOneDefault(tenant.mobileDeviceMailboxPolicies.map { ($0.name, $0.isDefault) }, node: s.value,
                                  what: "mobile device mailbox policy")
        }
        if let s = byName["owaMailboxPolicies"] {
            tenant.owaMailboxPolicies = try namedList(s.value, what: "an OWA mailbox policy", existing: tenant.owaMailboxPolicies,
                                                      schema: OwaMailboxPolicy.schema, name: \.name) { name, _ in
                OwaMailboxPolicy(name: name, guid: ids.newGuid(), created: created)
            }
            try requireOneDefault(tenant.owaMailboxPolicies.map { ($0.name, $0.isDefault) }, node: s.value, what: "OWA mailbox policy")
        }
        if let s = byName["deviceAccessRules"] {
            for item in try doc.sequence(s.value, what: "deviceAccessRules") {
                let entries = try doc.mapping(item, what: "A device access rule")
                let query = try required(entries, "QueryString", in: item, what: "A device access rule")
                let characteristic: DeviceAccessCharacteristic = try typed(entries, "Characteristic", in: item, what: "A device access rule")
                let level: DeviceAccessLevel = try typed(entries, "AccessLevel", in: item, what: "A device access rule")
                var rule = ActiveSyncDeviceAccessRule(queryString: query, characteristic: characteristic, accessLevel: level,
                                                      guid: ids.newGuid(), whenCreated: created)
                try apply(entries, to: &rule, schema: ActiveSyncDeviceAccessRule.schema, what: "a device access rule")
                guard !tenant.deviceAccessRules.contains(where: { $0.name.lowercased() == rule.name.lowercased() }) else {
                    throw doc.error(item, "A device access rule named \"\(rule.name)\" is listed twice.")
                }
                tenant.deviceAccessRules.append(rule)
            }
        }
        if let s = byName["clientAccessRules"] {
            var rules: [ClientAccessRule] = []
            for item in try doc.sequence(s.value, what: "clientAccessRules") {
                let entries = try doc.mapping(item, what: "A client access rule")
                let name = try required(entries, "Name", in: item, what: "A client access rule")
                let action: ClientAccessRulesAction = try typed(entries, "Action", in: item, what: "A client access rule")
                var rule = ClientAccessRule(name: name, action: action, guid: ids.newGuid(), priority: rules.count + 1, whenCreated: created)
                try apply(entries.filter { $0.key.lowercased() != "priority" }, to: &rule, schema: ClientAccessRule.schema,
                          what: "a client access rule")
                if let p = entries.first(where: { $0.key.lowercased() == "priority" }) {
                    let text = try doc.scalar(p.value, what: "Priority")
                    guard Int(text) == rules.count + 1 else {
                        throw doc.error(p.value, "Client access rules are listed in priority order, so this rule's Priority must be \(rules.count + 1), not \(text).")
                    }
                }
                guard !rules.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw doc.error(item, "A client access rule named \"\(name)\" is listed twice.")
                }
                rules.append(rule)
            }
            guard rules.count <= ClientAccessRule.limit else {
                throw doc.error(s.value, "A tenant can have at most \(ClientAccessRule.limit) client access rules; this fixture lists \(rules.count).")
            }
            tenant.setClientAccessRules(rules)
        }

        var content = ContentBuilder(ids: ids, created: created, tier: info.licenseTier, domain: info.initialDomain)
        if let s = byName["users"] {
            for item in try doc.sequence(s.value, what: "users") {
                try loadUser(item, into: &tenant, content: &content)
            }
        }
        if let s = byName["mailboxes"] {
            for item in try doc.sequence(s.value, what: "mailboxes") {
                try loadMailbox(item, into: &tenant, content: &content, user: nil, entries: nil)
            }
        }
        // Last, so an app without an AppId draws its identifier after every other object's:
        // adding an app to a fixture doesn't renumber the directory.
        if let s = byName["applications"] {
            tenant.applications = try applications(s.value, existing: tenant.applications, ids: &content.ids)
        }
        tenant.ids = IdentifierGenerator(seed: content.ids.next())
        if let s = byName["identifierState"] {
            guard let state = UInt64(try doc.scalar(s.value, what: "identifierState")) else {
                throw doc.error(s.value, "\"identifierState\" must be a whole number from 0 to \(UInt64.max).")
            }
            tenant.ids = IdentifierGenerator(seed: state)
        }
        return tenant
    }

    // MARK: Users and mailboxes

    private func loadUser(_ item: Node, into tenant: inout Tenant, content: inout ContentBuilder) throws(FixtureError) {
        let entries = Self.canonicalOwned(try doc.mapping(item, what: "A user"))
        let upn = try required(entries, "UserPrincipalName", in: item, what: "A user")
        guard SmtpAddress(upn) != nil else {
            throw doc.error(entries.first { $0.key.lowercased() == "userprincipalname" }?.value,
                            "\"\(upn)\" isn't a valid user principal name; use the form name@domain.")
        }
        let alias = String(upn.split(separator: "@")[0])
        var user = User(userPrincipalName: upn, displayName: alias, objectId: content.ids.newGuid(),
                        password: "Sim-\(String(content.ids.next(), radix: 36))!", whenCreated: content.created)
        user.licenses = [content.tier == .E5 ? "ENTERPRISEPREMIUM" : "ENTERPRISEPACK"]
        let props = entries.filter { !Self.ownedKeys.contains($0.key) }
        try apply(props, to: &user, schema: User.schema, what: "a user")
        if props.contains(where: { $0.key.lowercased() == "objectid" }), !props.contains(where: { $0.key.lowercased() == "puid" }) {
            user.puid = User.puid(for: user.objectId)
        }
        do { try tenant.addUser(user) } catch { throw doc.error(item, "The user \"\(upn)\" is listed twice.") }

        let mailboxEntry = entries.first { $0.key == "mailbox" }
        if let m = mailboxEntry, case .scalar(let s) = m.value, ["false", "no", "none"].contains(s.string.lowercased()) {
            if let owned = entries.first(where: { Self.ownedKeys.contains($0.key) && $0.key != "mailbox" }) {
                throw doc.error(owned.keyNode, "The user \"\(upn)\" has no mailbox, so it can't have \(owned.key).")
            }
            return
        }
        var mailboxEntries: [(key: String, keyNode: Node, value: Node)] = []
        if let m = mailboxEntry {
            if case .scalar(let s) = m.value, ["true", "yes"].contains(s.string.lowercased()) {
                mailboxEntries = []
            } else {
                mailboxEntries = Self.canonicalOwned(try doc.mapping(m.value, what: "The mailbox of \(upn)"))
            }
        }
        // The user's contents (devices, rules, messages, permissions) belong to its mailbox.
        try loadMailbox(item, into: &tenant, content: &content, user: user,
                        entries: mailboxEntries + entries.filter { Self.ownedKeys.contains($0.key) && $0.key != "mailbox" })
    }

    private func loadMailbox(_ item: Node, into tenant: inout Tenant, content: inout ContentBuilder,
                             user: User?, entries given: [(key: String, keyNode: Node, value: Node)]?) throws(FixtureError) {
        let entries: [(key: String, keyNode: Node, value: Node)]
        if let given { entries = given } else { entries = Self.canonicalOwned(try doc.mapping(item, what: "A mailbox")) }
        let props = entries.filter { !Self.ownedKeys.contains($0.key) }
        let address: SmtpAddress
        let type: RecipientTypeDetails
        if let user {
            address = SmtpAddress(user.userPrincipalName)!
            if let e = props.first(where: { $0.key.lowercased() == "recipienttypedetails" }) {
                type = try convert(e.value, RecipientTypeDetails.self, name: e.key)
            } else {
                type = .UserMailbox
            }
        } else {
            let text = try required(props, "PrimarySmtpAddress", in: item, what: "A mailbox without a user")
            guard let a = SmtpAddress(text) else {
                throw doc.error(props.first { $0.key.lowercased() == "primarysmtpaddress" }?.value, "\"\(text)\" isn't a valid SMTP address.")
            }
            address = a
            type = try typed(props, "RecipientTypeDetails", in: item, what: "A mailbox without a user")
        }
        var tier = content.tier
        if let e = props.first(where: { $0.key.lowercased() == "licensetier" }) {
            tier = try convert(e.value, LicenseTier.self, name: e.key)
        }
        var mailbox = Mailbox(name: address.local, displayName: user?.displayName ?? address.local, primarySmtpAddress: address,
                              userPrincipalName: user?.userPrincipalName, recipientTypeDetails: type, guid: content.ids.newGuid(),
                              userObjectId: user?.objectId, licenseTier: tier, whenCreated: user?.whenCreated ?? content.created)
        try apply(props, to: &mailbox, schema: Mailbox.persistenceSchema, what: "a mailbox")
        try validatePolicyLinks(mailbox, props, tenant)
        if props.contains(where: { $0.key.lowercased() == "guid" }), !props.contains(where: { $0.key.lowercased() == "sid" }) {
            mailbox.sid = Mailbox.sid(for: mailbox.guid)
        }
        do { try tenant.addMailbox(mailbox) } catch {
            throw doc.error(item, "The mailbox \"\(address.address)\" is listed twice.")
        }
        try loadContents(entries, of: mailbox, into: &tenant, content: &content)
    }

    /// `merge` (overrides): a device or folder that already exists is updated rather than
    /// refused, and new contents join their mailbox's group.
    private func loadContents(_ entries: [(key: String, keyNode: Node, value: Node)], of mailbox: Mailbox,
                              into tenant: inout Tenant, content: inout ContentBuilder, merge: Bool = false) throws(FixtureError) {
        // Folders first, so messages can name any folder wherever it is declared.
        let ordered = entries.filter { $0.key == "folders" } + entries.filter { $0.key != "folders" }
        for e in ordered {
            switch e.key {
            case "devices":
                for item in try doc.sequence(e.value, what: "devices") {
                    let d = try doc.mapping(item, what: "A device")
                    let id = try required(d, "DeviceId", in: item, what: "A device")
                    if merge, let i = tenant.mobileDevices.firstIndex(where: { $0.mailboxGuid == mailbox.guid && $0.deviceId.lowercased() == id.lowercased() }) {
                        var device = tenant.mobileDevices[i]
                        try apply(d.filter { $0.key.lowercased() != "deviceid" }, to: &device, schema: MobileDevice.schema, what: "a device")
                        tenant.mobileDevices[i] = device
                        continue
                    }
                    let type = try required(d, "DeviceType", in: item, what: "A device")
                    // A device that never completed a sync has reported no OS yet.
                    var os = ""
                    if let e = d.first(where: { $0.key.lowercased() == "deviceos" }) { os = try doc.scalar(e.value, what: "DeviceOS") }
                    var device = MobileDevice(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, guid: content.ids.newGuid(),
                                              deviceId: id, deviceType: type, deviceOS: os, userDisplayName: mailbox.displayName,
                                              whenCreated: content.created)
                    try apply(d, to: &device, schema: MobileDevice.schema, what: "a device")
                    if !d.contains(where: { $0.key.lowercased() == "whencreated" }), let first = device.firstSyncTime {
                        device.whenCreated = first
                        device.whenChanged = max(device.whenChanged, first)
                    }
                    guard id.count <= 32 else { throw doc.error(item, "DeviceId \"\(id)\" is longer than 32 characters.") }
                    guard !tenant.mobileDevices.contains(where: { $0.mailboxGuid == mailbox.guid && $0.deviceId == id }) else {
                        throw doc.error(item, "The device \"\(id)\" is listed twice for \(mailbox.primarySmtpAddress).")
                    }
                    if merge { tenant.addMobileDevice(device) } else { tenant.mobileDevices.append(device) }
                }
            case "inboxRules":
                for item in try doc.sequence(e.value, what: "inboxRules") {
                    let r = try doc.mapping(item, what: "An inbox rule")
                    let name = try required(r, "Name", in: item, what: "An inbox rule")
                    let existing = tenant.inboxRules.filter { $0.mailboxGuid == mailbox.guid }.count
                    var rule = InboxRule(mailboxGuid: mailbox.guid, mailboxName: mailbox.name,
                                         ruleIdentity: content.nextRuleIdentity(), name: name, priority: existing + 1)
                    try apply(r, to: &rule, schema: InboxRule.schema, what: "an inbox rule")
                    if merge { tenant.addInboxRule(rule) } else { tenant.inboxRules.append(rule) }
                }
            case "permissions":
                for item in try doc.sequence(e.value, what: "permissions") {
                    let p = try doc.mapping(item, what: "A mailbox permission")
                    let who = try required(p, "User", in: item, what: "A mailbox permission")
                    let rights: [MailboxRights] = try typed(p, "AccessRights", in: item, what: "A mailbox permission")
                    var permission = MailboxPermission(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, user: who, accessRights: rights)
                    try apply(p, to: &permission, schema: MailboxPermission.schema, what: "a mailbox permission")
                    if merge { tenant.addMailboxPermission(permission) } else { tenant.mailboxPermissions.append(permission) }
                }
            case "folders":
                for item in try doc.sequence(e.value, what: "folders") {
                    let f = try doc.mapping(item, what: "A folder")
                    let name = try required(f, "Name", in: item, what: "A folder")
                    if merge, tenant.folders.contains(where: { $0.mailboxGuid == mailbox.guid && $0.name.lowercased() == name.lowercased() }) {
                        continue
                    }
                    var folder = MailFolder(mailboxGuid: mailbox.guid, folderId: content.folderId(mailbox.guid, name),
                                            name: name, folderType: "User")
                    try apply(f, to: &folder, schema: MailFolder.schema, what: "a folder")
                    if merge { tenant.addFolder(folder) } else { tenant.folders.append(folder) }
                }
            case "messages":
                for item in try doc.sequence(e.value, what: "messages") {
                    let m = try doc.mapping(item, what: "A message")
                    var folderName = "Inbox"
                    if let f = m.first(where: { $0.key.lowercased() == "folder" }) { folderName = try doc.scalar(f.value, what: "Folder") }
                    let knownFolders = MailFolder.wellKnown.map(\.0) + tenant.folders.filter { $0.mailboxGuid == mailbox.guid }.map(\.name)
                    guard knownFolders.contains(where: { $0.lowercased() == folderName.lowercased() }) else {
                        throw doc.error(m.first { $0.key.lowercased() == "folder" }?.value,
                                        "The mailbox has no folder \"\(folderName)\". Folders: \(knownFolders.joined(separator: ", ")).")
                    }
                    let subject = try required(m, "Subject", in: item, what: "A message")
                    let n = content.nextMessageNumber()
                    var message = MailMessage(
                        mailboxGuid: mailbox.guid, itemId: content.itemId(n), folderId: content.folderId(mailbox.guid, folderName),
                        internetMessageId: "<\(String(content.ids.next(), radix: 36))@\(content.domain)>", subject: subject,
                        from: "noreply@\(content.domain)", to: [mailbox.primarySmtpAddress.address],
                        receivedTime: content.created.addingTimeInterval(Double(n) * 3_600), sizeBytes: 12_000 + (n * 731) % 90_000)
                    try apply(m.filter { $0.key.lowercased() != "folder" }, to: &message, schema: MailMessage.schema, what: "a message")
                    if merge { tenant.addMessage(message) } else { tenant.messages.append(message) }
                }
            case "mailbox":
                break
            default:
                break
            }
        }
    }

    // MARK: Cross-object checks

    /// A mailbox may only name policies the fixture defines. Policies load before users and
    /// mailboxes, so the error can point at the mailbox's own policy line.
    private func validatePolicyLinks(_ m: Mailbox, _ props: [(key: String, keyNode: Node, value: Node)],
                                     _ tenant: Tenant) throws(FixtureError) {
        func node(_ key: String) -> Node? { props.first { $0.key.lowercased() == key.lowercased() }?.value }
        if let p = m.cas.activeSyncMailboxPolicy,
           !tenant.mobileDeviceMailboxPolicies.contains(where: { $0.name.lowercased() == p.lowercased() }) {
            throw doc.error(node("ActiveSyncMailboxPolicy"), "The mailbox \(m.primarySmtpAddress) names the mobile device mailbox policy \"\(p)\", which the fixture doesn't define. Policies: \(tenant.mobileDeviceMailboxPolicies.map(\.name).joined(separator: ", ")).")
        }
        if let p = m.cas.owaMailboxPolicy, !tenant.owaMailboxPolicies.contains(where: { $0.name.lowercased() == p.lowercased() }) {
            throw doc.error(node("OwaMailboxPolicy"), "The mailbox \(m.primarySmtpAddress) names the OWA mailbox policy \"\(p)\", which the fixture doesn't define. Policies: \(tenant.owaMailboxPolicies.map(\.name).joined(separator: ", ")).")
        }
    }

    private func requireOneDefault(_ policies: [(String, Bool)], node: Node, what: String) throws(FixtureError) {
        let defaults = policies.filter(\.1).map(\.0)
        guard defaults.count == 1 else {
            throw doc.error(node, defaults.isEmpty
                ? "Exactly one \(what) must have IsDefault: true; none does."
                : "Exactly one \(what) can have IsDefault: true; these do: \(defaults.joined(separator: ", ")).")
        }
    }

    // MARK: Property plumbing

    /// A list of named objects: entries naming an existing object (a built-in policy) change
    /// it, others are created by `make`.
    /// A list of objects keyed by their `key` property (Name unless said otherwise): entries
    /// naming an existing object set properties on it, others are made by `make`.
    private func namedList<T>(_ node: Node, what: String, existing: [T], schema: ObjectSchema<T>, key: String = "Name",
                              name: KeyPath<T, String>,
                              make: (String, [(key: String, keyNode: Node, value: Node)]) throws(FixtureError) -> T) throws(FixtureError) -> [T] {
        var list = existing
        var seen: Set<String> = []
        for item in try doc.sequence(node, what: what) {
            let entries = try doc.mapping(item, what: what.prefix(1).uppercased() + what.dropFirst())
            let n = try required(entries, key, in: item, what: what.prefix(1).uppercased() + what.dropFirst())
            guard seen.insert(n.lowercased()).inserted else { throw doc.error(item, "\(what) named \"\(n)\" is listed twice.") }
            if let i = list.firstIndex(where: { $0[keyPath: name].lowercased() == n.lowercased() }) {
                try apply(entries, to: &list[i], schema: schema, what: what)
            } else {
                var object = try make(n, entries)
                try apply(entries, to: &object, schema: schema, what: what)
                list.append(object)
            }
        }
        return list
    }

    /// The `applications` section: app registrations keyed by DisplayName. Only an app
    /// without an AppId draws one from `ids`.
    private func applications(_ node: Node, existing: [AppRegistration],
                              ids: inout IdentifierGenerator) throws(FixtureError) -> [AppRegistration] {
        let list = try namedList(node, what: "an application", existing: existing, schema: AppRegistration.schema,
                                 key: "DisplayName", name: \.displayName) { name, entries in
            let given = entries.contains { $0.key.lowercased() == "appid" }
            return AppRegistration(displayName: name, appId: given ? Blank.zeroGuid : ids.newGuid())
        }
        // The client credentials grant finds an app by its AppId, so two apps can't share one.
        var seen: [UUID: String] = [:]
        for app in list {
            if let other = seen.updateValue(app.displayName, forKey: app.appId) {
                throw doc.error(node, "The applications \"\(other)\" and \"\(app.displayName)\" have the same AppId \(app.appId.uuidString.lowercased()).")
            }
        }
        return list
    }

    private func apply<T>(_ entries: [(key: String, keyNode: Node, value: Node)], to object: inout T,
                          schema: ObjectSchema<T>, what: String) throws(FixtureError) {
        for e in entries {
            guard let p = schema.property(named: e.key) else {
                let valid = schema.properties.filter(\.isPersisted).map(\.name)
                throw doc.error(e.keyNode, "Unknown property \"\(e.key)\" for \(what). Valid properties: \(valid.joined(separator: ", ")).")
            }
            guard p.isPersisted else {
                throw doc.error(e.keyNode, "\"\(p.name)\" is computed by the simulator and can't be set in a fixture.")
            }
            let value = try doc.propertyValue(e.value, for: p.valueType, name: p.name)
            do { try p.restore(&object, value) } catch {
                throw doc.error(e.value, conversionMessage(p.name, p.valueType, error))
            }
        }
    }

    private func conversionMessage(_ name: String, _ type: ValueType, _ error: ValueConversionError) -> String {
        var text = "\"\(name)\" can't be \"\(error.value)\": \(error.reason.replacingOccurrences(of: "\n", with: " "))"
        let valid = error.validValues.isEmpty ? type.enumeratorNames : error.validValues
        if !valid.isEmpty, !text.contains(valid.joined(separator: ", ")) {
            text += " Valid values: \(valid.joined(separator: ", "))."
        } else if valid.isEmpty {
            text += " Expected \(type.isMultiValued ? "a list of " : "")\(type.shortName)."
        }
        return text
    }

    private func required(_ entries: [(key: String, keyNode: Node, value: Node)], _ key: String, in node: Node,
                          what: String) throws(FixtureError) -> String {
        guard let e = entries.first(where: { $0.key.lowercased() == key.lowercased() }) else {
            throw doc.error(node, "\(what) needs \"\(key)\".")
        }
        let text = try doc.scalar(e.value, what: key)
        guard !text.isEmpty else { throw doc.error(e.value, "\"\(key)\" can't be empty.") }
        return text
    }

    private func typed<V: PropertyConvertible>(_ entries: [(key: String, keyNode: Node, value: Node)], _ key: String,
                                               in node: Node, what: String) throws(FixtureError) -> V {
        guard let e = entries.first(where: { $0.key.lowercased() == key.lowercased() }) else {
            let valid = V.valueType.enumeratorNames
            throw doc.error(node, "\(what) needs \"\(key)\"" + (valid.isEmpty ? "." : " (one of \(valid.joined(separator: ", "))).") )
        }
        return try convert(e.value, V.self, name: key)
    }

    private func convert<V: PropertyConvertible>(_ node: Node, _: V.Type, name: String) throws(FixtureError) -> V {
        let value = try doc.propertyValue(node, for: V.valueType, name: name)
        do { return try V.convert(from: value) } catch {
            throw doc.error(node, conversionMessage(name, V.valueType, error))
        }
    }

    private func date(_ node: Node, name: String) throws(FixtureError) -> Date {
        let text = try doc.scalar(node, what: name)
        guard let d = ISO8601.parse(text) else {
            throw doc.error(node, "\"\(name)\" must be a UTC date and time such as 2019-06-03T09:00:00Z, not \"\(text)\".")
        }
        return d
    }
}

/// Generates the identifiers and defaults of mailbox contents while a fixture loads.
struct ContentBuilder {
    var ids: IdentifierGenerator
    let created: Date
    let tier: LicenseTier
    let domain: String
    private var ruleCounter: UInt64 = 0
    private var messageCounter = 0

    /// `rules` and `messages` say how many inbox rules and messages the tenant already has, so
    /// objects added on top of a loaded tenant (overrides) get identities of their own.
    init(ids: IdentifierGenerator, created: Date, tier: LicenseTier, domain: String, rules: Int = 0, messages: Int = 0) {
        self.ids = ids
        self.created = created
        self.tier = tier
        self.domain = domain
        self.ruleCounter = UInt64(rules)
        self.messageCounter = messages
    }

    mutating func nextRuleIdentity() -> UInt64 {
        ruleCounter += 1
        return 16_005_619_284_058_300_000 + ruleCounter
    }

    mutating func nextMessageNumber() -> Int {
        messageCounter += 1
        return messageCounter
    }

    func itemId(_ n: Int) -> String { "AAMkAG\(String(n, radix: 16, uppercase: true).leftPadded(to: 12))AAA=" }

    func folderId(_ mailbox: UUID, _ name: String) -> String { MailFolder.folderId(mailbox: mailbox, name: name) }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

// MARK: - Overrides

extension FixtureLoader {
    /// The sections an override may hold: a fixture's, less the identifier seeds (the tenant
    /// being changed already has its identities).
    public static let overrideSectionKeys = sectionKeys.filter { $0 != "seed" && $0 != "identifierState" }

    /// Applies `node`, a mapping with the sections of a fixture, on top of a loaded tenant.
    /// Objects that exist get the properties given on top of theirs — users matched by
    /// UserPrincipalName, mailboxes by PrimarySmtpAddress, policies, client access rules and
    /// remote domains by Name, applications by DisplayName, device access rules by QueryString
    /// and Characteristic, a mailbox's devices by DeviceId; anything else is added as a
    /// fixture would add it.
    /// Errors leave `tenant` as it was.
    public func applyOverrides(_ node: Node, to tenant: inout Tenant) throws(FixtureError) {
        var result = tenant
        var content = ContentBuilder(ids: result.ids, created: result.now, tier: result.info.licenseTier,
                                     domain: result.info.initialDomain, rules: result.inboxRules.count, messages: result.messages.count)
        let created = result.now
        for s in try doc.mapping(node, what: "overrides") {
            guard let key = Self.overrideSectionKeys.first(where: { $0 == s.key }) else {
                throw doc.error(s.keyNode, "Unknown section \"\(s.key)\" in overrides. Valid sections: \(Self.overrideSectionKeys.joined(separator: ", ")).")
            }
            switch key {
            case "tenant":
                try apply(try doc.mapping(s.value, what: "tenant"), to: &result.info, schema: TenantInfo.schema, what: "tenant")
            case "clock":
                result.clock = SimClock(now: try date(s.value, name: "clock"))
            case "organizationConfig":
                try apply(try doc.mapping(s.value, what: key), to: &result.organizationConfig, schema: OrganizationConfig.schema, what: key)
            case "adminAuditLogConfig":
                try apply(try doc.mapping(s.value, what: key), to: &result.adminAuditLogConfig, schema: AdminAuditLogConfig.schema, what: key)
            case "transportConfig":
                try apply(try doc.mapping(s.value, what: key), to: &result.transportConfig, schema: TransportConfig.schema, what: key)
            case "activeSyncOrganizationSettings":
                try apply(try doc.mapping(s.value, what: key), to: &result.activeSyncOrganizationSettings,
                          schema: ActiveSyncOrganizationSettings.schema, what: key)
            case "remoteDomains":
                result.remoteDomains = try namedList(s.value, what: "a remote domain", existing: result.remoteDomains,
                                                     schema: RemoteDomain.schema, name: \.name) { (name, entries) throws(FixtureError) -> RemoteDomain in
                    var d = RemoteDomain(name: name, domainName: "*", guid: content.ids.newGuid())
                    if let dn = entries.first(where: { $0.key.lowercased() == "domainname" }) { d.domainName = try doc.scalar(dn.value, what: "DomainName") }
                    return d
                }
            case "applications":
                result.applications = try applications(s.value, existing: result.applications, ids: &content.ids)
            case "authenticationPolicies":
                result.authenticationPolicies = try namedList(s.value, what: "an authentication policy", existing: result.authenticationPolicies,
                                                              schema: AuthenticationPolicy.schema, name: \.name) { name, _ in
                    AuthenticationPolicy(name: name, guid: content.ids.newGuid())
                }
            case "mobileDeviceMailboxPolicies":
                let before = result.defaultMobileDeviceMailboxPolicy.name
                result.mobileDeviceMailboxPolicies = try namedList(s.value, what: "a mobile device mailbox policy",
                                                                   existing: result.mobileDeviceMailboxPolicies,
                                                                   schema: MobileDeviceMailboxPolicy.schema, name: \.name) { name, _ in
                    MobileDeviceMailboxPolicy(name: name, guid: content.ids.newGuid(), created: created)
                }
                // A policy the override makes the default takes over from the previous one.
                if let newDefault = result.mobileDeviceMailboxPolicies.first(where: { $0.isDefault && $0.name != before }) {
                    result.makeDefaultMobileDeviceMailboxPolicy(named: newDefault.name)
                }
                try requireOneDefault(result.mobileDeviceMailboxPolicies.map { ($0.name, $0.isDefault) }, node: s.value,
                                      what: "mobile device mailbox policy")
            case "owaMailboxPolicies":
                let before = result.defaultOwaMailboxPolicy.name
                result.owaMailboxPolicies = try namedList(s.value, what: "an OWA mailbox policy", existing: result.owaMailboxPolicies,
                                                          schema: OwaMailboxPolicy.schema, name: \.name) { name, _ in
                    OwaMailboxPolicy(name: name, guid: content.ids.newGuid(), created: created)
                }
                if let newDefault = result.owaMailboxPolicies.first(where: { $0.isDefault && $0.name != before }) {
                    result.makeDefaultOwaMailboxPolicy(named: newDefault.name)
                }
                try requireOneDefault(result.owaMailboxPolicies.map { ($0.name, $0.isDefault) }, node: s.value, what: "OWA mailbox policy")
            case "deviceAccessRules":
                for item in try doc.sequence(s.value, what: "deviceAccessRules") {
                    let entries = try doc.mapping(item, what: "A device access rule")
                    let query = try required(entries, "QueryString", in: item, what: "A device access rule")
                    let characteristic: DeviceAccessCharacteristic = try typed(entries, "Characteristic", in: item, what: "A device access rule")
                    if let i = result.deviceAccessRules.firstIndex(where: { $0.characteristic == characteristic && $0.queryString.lowercased() == query.lowercased() }) {
                        var rule = result.deviceAccessRules[i]
                        try apply(entries, to: &rule, schema: ActiveSyncDeviceAccessRule.schema, what: "a device access rule")
                        result.deviceAccessRules[i] = rule
                    } else {
                        let level: DeviceAccessLevel = try typed(entries, "AccessLevel", in: item, what: "A device access rule")
                        var rule = ActiveSyncDeviceAccessRule(queryString: query, characteristic: characteristic, accessLevel: level,
                                                              guid: content.ids.newGuid(), whenCreated: created)
                        try apply(entries, to: &rule, schema: ActiveSyncDeviceAccessRule.schema, what: "a device access rule")
                        result.deviceAccessRules.append(rule)
                    }
                }
            case "clientAccessRules":
                for item in try doc.sequence(s.value, what: "clientAccessRules") {
                    try overrideClientAccessRule(item, in: &result, content: &content)
                }
                guard result.clientAccessRules.count <= ClientAccessRule.limit else {
                    throw doc.error(s.value, "A tenant can have at most \(ClientAccessRule.limit) client access rules; with these overrides it has \(result.clientAccessRules.count).")
                }
            case "users":
                for item in try doc.sequence(s.value, what: "users") {
                    try overrideUser(item, in: &result, content: &content)
                }
            case "mailboxes":
                for item in try doc.sequence(s.value, what: "mailboxes") {
                    let entries = Self.canonicalOwned(try doc.mapping(item, what: "A mailbox"))
                    let address = try required(entries, "PrimarySmtpAddress", in: item, what: "A mailbox")
                    if let i = result.mailboxes.firstIndex(where: { $0.primarySmtpAddress.address.lowercased() == address.lowercased() }) {
                        try overrideMailbox(at: i, entries.filter { $0.key.lowercased() != "primarysmtpaddress" }, in: &result, content: &content)
                    } else {
                        try loadMailbox(item, into: &result, content: &content, user: nil, entries: nil)
                    }
                }
            default:
                break
            }
        }
        result.ids = IdentifierGenerator(seed: content.ids.next())
        tenant = result
    }

    private func overrideClientAccessRule(_ item: Node, in tenant: inout Tenant, content: inout ContentBuilder) throws(FixtureError) {
        let entries = try doc.mapping(item, what: "A client access rule")
        let name = try required(entries, "Name", in: item, what: "A client access rule")
        let others = entries.filter { $0.key.lowercased() != "priority" }
        var priority: Int?
        if let p = entries.first(where: { $0.key.lowercased() == "priority" }) {
            let text = try doc.scalar(p.value, what: "Priority")
            guard let n = Int(text), n >= 1 else { throw doc.error(p.value, "\"Priority\" must be a whole number from 1, not \"\(text)\".") }
            priority = n
        }
        if let i = tenant.clientAccessRules.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            var rule = tenant.clientAccessRules[i]
            try apply(others, to: &rule, schema: ClientAccessRule.schema, what: "a client access rule")
            tenant.updateClientAccessRule(at: i) { $0 = rule }
            if let priority { tenant.moveClientAccessRule(at: i, toPriority: priority) }
        } else {
            let action: ClientAccessRulesAction = try typed(entries, "Action", in: item, what: "A client access rule")
            var rule = ClientAccessRule(name: name, action: action, guid: content.ids.newGuid(), priority: 0, whenCreated: tenant.now)
            try apply(others, to: &rule, schema: ClientAccessRule.schema, what: "a client access rule")
            tenant.insertClientAccessRule(rule, priority: priority)
        }
    }

    private func overrideUser(_ item: Node, in tenant: inout Tenant, content: inout ContentBuilder) throws(FixtureError) {
        let entries = Self.canonicalOwned(try doc.mapping(item, what: "A user"))
        let upn = try required(entries, "UserPrincipalName", in: item, what: "A user")
        guard let i = tenant.userIndex(upn: upn) else {
            try loadUser(item, into: &tenant, content: &content)
            return
        }
        var user = tenant.users[i]
        let props = entries.filter { !Self.ownedKeys.contains($0.key) && $0.key.lowercased() != "userprincipalname" }
        try apply(props, to: &user, schema: User.schema, what: "a user")
        let updated = user
        tenant.updateUser(at: i) { $0 = updated }

        var mailboxEntries: [(key: String, keyNode: Node, value: Node)] = []
        if let m = entries.first(where: { $0.key == "mailbox" }) {
            guard case .mapping = m.value else {
                throw doc.error(m.value, "Overrides change a user's mailbox but can't add or remove it; give the mailbox's properties as a mapping.")
            }
            mailboxEntries = Self.canonicalOwned(try doc.mapping(m.value, what: "The mailbox of \(upn)"))
        }
        let owned = mailboxEntries + entries.filter { Self.ownedKeys.contains($0.key) && $0.key != "mailbox" }
        guard !owned.isEmpty else { return }
        guard let mailbox = tenant.mailbox(forUser: user), let mi = tenant.mailboxIndex(guid: mailbox.guid) else {
            throw doc.error(owned[0].keyNode, "The user \"\(upn)\" has no mailbox, so overrides can't give it \(owned[0].key).")
        }
        try overrideMailbox(at: mi, owned, in: &tenant, content: &content)
    }

    private func overrideMailbox(at index: Int, _ entries: [(key: String, keyNode: Node, value: Node)], in tenant: inout Tenant,
                                 content: inout ContentBuilder) throws(FixtureError) {
        var mailbox = tenant.mailboxes[index]
        var props = entries.filter { !Self.ownedKeys.contains($0.key) }
        // A new tier first, so the lists still at their defaults follow it; lists the
        // override names itself are applied after and win.
        if let e = props.first(where: { $0.key.lowercased() == "licensetier" }) {
            mailbox.changeLicenseTier(try convert(e.value, LicenseTier.self, name: e.key))
            props.removeAll { $0.key.lowercased() == "licensetier" }
        }
        try apply(props, to: &mailbox, schema: Mailbox.persistenceSchema, what: "a mailbox")
        try validatePolicyLinks(mailbox, props, tenant)
        let updated = mailbox
        tenant.updateMailbox(at: index) { $0 = updated }
        try loadContents(entries.filter { Self.ownedKeys.contains($0.key) }, of: updated, into: &tenant, content: &content, merge: true)
    }
}
