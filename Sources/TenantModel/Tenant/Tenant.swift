import Foundation

/// A whole tenant: directory, Exchange organization, and the simulated clock. A value type:
/// copying a tenant is cheap (copy-on-write arrays), which is how scenarios and rehearsals
/// get their own copy.
public struct Tenant: Sendable, Equatable {
    public var info: TenantInfo
    public var clock: SimClock
    public var ids: IdentifierGenerator

    public var organizationConfig: OrganizationConfig { didSet { indexes.policyRevision &+= 1 } }
    public var adminAuditLogConfig = AdminAuditLogConfig()
    public var transportConfig = TransportConfig()
    public var activeSyncOrganizationSettings = ActiveSyncOrganizationSettings() { didSet { indexes.policyRevision &+= 1 } }
    public var remoteDomains: [RemoteDomain]
    public var authenticationPolicies: [AuthenticationPolicy] = [] { didSet { indexes.policyRevision &+= 1 } }
    public var mobileDeviceMailboxPolicies: [MobileDeviceMailboxPolicy]
    public var owaMailboxPolicies: [OwaMailboxPolicy]
    public var deviceAccessRules: [ActiveSyncDeviceAccessRule] = [] { didSet { indexes.policyRevision &+= 1 } }
    /// In priority order; `priority` equals position + 1.
    public private(set) var clientAccessRules: [ClientAccessRule] = [] { didSet { indexes.policyRevision &+= 1 } }
    /// App registrations that sign in with the client credentials grant (the REST server's).
    public var applications: [AppRegistration] = []

    public private(set) var users: [User] = []
    public private(set) var mailboxes: [Mailbox] = []
    public var mobileDevices: [MobileDevice] = []
    public var inboxRules: [InboxRule] = []
    public var mailboxPermissions: [MailboxPermission] = []
    public var folders: [MailFolder] = []
    public var messages: [MailMessage] = []

    private var indexes = Indexes()

    /// Lookup tables derived from the objects. They never take part in equality: two tenants
    /// with the same objects are equal however their indexes were built.
    struct Indexes: Equatable, Sendable {
        var users: [String: Int] = [:]
        var mailboxes: [UUID: Int] = [:]
        /// Lowercased name, alias, UPN and every SMTP address → mailbox positions.
        var mailboxKeys: [String: Set<Int>] = [:]
        /// Bumped on every change of the access configuration (see ``policyRevision``).
        var policyRevision = 0
        static func == (_: Indexes, _: Indexes) -> Bool { true }
    }

    /// Changes whenever the configuration an access decision compiles changes: client access
    /// rules, device access rules, authentication policies, the organization config and the
    /// ActiveSync organization settings. A cache of compiled policy keyed by it is safe; it
    /// takes no part in equality.
    public var policyRevision: Int { indexes.policyRevision }

    // In-place accessors: a get/set pair would copy the dictionary on every insert.
    private var userIndex: [String: Int] {
        get { indexes.users }
        _modify { yield &indexes.users }
    }

    private var mailboxIndex: [UUID: Int] {
        get { indexes.mailboxes }
        _modify { yield &indexes.mailboxes }
    }

    /// The lookup keys of a mailbox: what Exchange resolves a mailbox identity by.
    static func identityKeys(_ m: Mailbox) -> Set<String> {
        // `folded` skips the copy when the text is already lower-case (the usual case).
        var keys: Set<String> = [folded(m.name), folded(m.alias), folded(m.userPrincipalName),
                                 folded(m.primarySmtpAddress.address)]
        keys.reserveCapacity(4 + m.emailAddresses.count)
        for proxy in m.emailAddresses {
            let prefix = proxy.utf8.prefix(5)
            guard prefix.count == 5, String(decoding: prefix, as: UTF8.self).lowercased() == "smtp:" else { continue }
            keys.insert(folded(String(proxy.dropFirst(5))))
        }
        keys.remove("")
        return keys
    }

    private mutating func indexKeys(of position: Int) {
        for key in Tenant.identityKeys(mailboxes[position]) { indexes.mailboxKeys[key, default: []].insert(position) }
    }

    private mutating func unindexKeys(_ keys: Set<String>, position: Int) {
        for key in keys {
            indexes.mailboxKeys[key]?.remove(position)
            if indexes.mailboxKeys[key]?.isEmpty == true { indexes.mailboxKeys[key] = nil }
        }
    }

    /// Positions of the mailboxes whose name, alias, UPN or an SMTP address is `key`
    /// (ignoring case), in mailbox order.
    public func mailboxPositions(matching key: String) -> [Int] {
        (indexes.mailboxKeys[key.lowercased()] ?? []).sorted()
    }

    /// A new tenant with the service's defaults: the built-in policies, the Default remote
    /// domain, no users. `seed` fixes every identifier the tenant generates later.
    public init(info: TenantInfo, now: Date, seed: UInt64 = 1) {
        self.info = info
        self.clock = SimClock(now: now)
        self.ids = IdentifierGenerator(seed: seed)
        self.organizationConfig = OrganizationConfig(name: info.initialDomain, guid: info.tenantId)
        var ids = IdentifierGenerator(seed: seed ^ 0x5EED)
        self.remoteDomains = [RemoteDomain(name: "Default", domainName: "*", guid: ids.newGuid())]
        self.mobileDeviceMailboxPolicies = [MobileDeviceMailboxPolicy.builtInDefault(guid: ids.newGuid(), created: info.createdDateTime)]
        self.owaMailboxPolicies = [OwaMailboxPolicy.builtInDefault(guid: ids.newGuid(), created: info.createdDateTime)]
    }

    public var now: Date { clock.now }

    // MARK: Users

    public func userIndex(upn: String) -> Int? { userIndex[Tenant.folded(upn)] }

    /// The lookup key of a name: lower-cased, without allocating when it already is (the
    /// access pipeline looks a user up per attempt).
    static func folded(_ s: String) -> String {
        var text = s
        let needsFolding = text.withUTF8 { bytes in
            for b in bytes where b &- 0x41 < 26 || b >= 0x80 { return true }
            return false
        }
        return needsFolding ? s.lowercased() : s
    }

    /// The position of a directory user's mailbox: found by UPN through the identity index,
    /// else by scanning for the owner.
    public func mailboxIndex(ofUser user: User) -> Int? {
        if let positions = indexes.mailboxKeys[Tenant.folded(user.userPrincipalName)] {
            var best: Int?
            for i in positions where mailboxes[i].userObjectId == user.objectId && i < (best ?? .max) { best = i }
            if let best { return best }
        }
        return mailboxes.firstIndex { $0.userObjectId == user.objectId }
    }

    public func user(upn: String) -> User? { userIndex(upn: upn).map { users[$0] } }

    public enum ModelError: Error, Equatable, CustomStringConvertible {
        case duplicate(kind: String, name: String)
        case notFound(kind: String, name: String)

        public var description: String {
            switch self {
            case .duplicate(let kind, let name): return "A \(kind) with the name \"\(name)\" already exists."
            case .notFound(let kind, let name): return "The \(kind) \"\(name)\" couldn't be found."
            }
        }
    }

    public mutating func addUser(_ user: User) throws(ModelError) {
        let key = user.userPrincipalName.lowercased()
        guard userIndex[key] == nil else { throw .duplicate(kind: "user", name: user.userPrincipalName) }
        userIndex[key] = users.count
        users.append(user)
    }

    /// Changes a user in place. The UPN is the index key and cannot change here.
    public mutating func updateUser<R>(at index: Int, _ body: (inout User) throws -> R) rethrows -> R {
        let upn = users[index].userPrincipalName
        defer { precondition(users[index].userPrincipalName == upn, "a user's UPN is its key") }
        return try body(&users[index])
    }

    // MARK: Mailboxes

    public func mailboxIndex(guid: UUID) -> Int? { mailboxIndex[guid] }

    public func mailbox(guid: UUID) -> Mailbox? { mailboxIndex[guid].map { mailboxes[$0] } }

    /// The mailbox of a directory user.
    public func mailbox(forUser user: User) -> Mailbox? {
        mailboxes.first { $0.userObjectId == user.objectId }
    }

    public mutating func addMailbox(_ mailbox: Mailbox) throws(ModelError) {
        let taken = indexes.mailboxKeys[mailbox.primarySmtpAddress.address.lowercased()].map { !$0.isEmpty } ?? false
        guard mailboxIndex[mailbox.guid] == nil, !taken else {
            throw .duplicate(kind: "mailbox", name: mailbox.primarySmtpAddress.address)
        }
        mailboxIndex[mailbox.guid] = mailboxes.count
        mailboxes.append(mailbox)
        indexKeys(of: mailboxes.count - 1)
    }

    /// Appends many mailboxes at once (fixture and store loading), checking GUIDs only.
    public mutating func addMailboxes(_ new: [Mailbox]) throws(ModelError) {
        mailboxes.reserveCapacity(mailboxes.count + new.count)
        for m in new {
            guard mailboxIndex[m.guid] == nil else { throw .duplicate(kind: "mailbox", name: m.primarySmtpAddress.address) }
            mailboxIndex[m.guid] = mailboxes.count
            mailboxes.append(m)
            indexKeys(of: mailboxes.count - 1)
        }
    }

    /// Changes a mailbox in place; its GUID cannot change.
    public mutating func updateMailbox<R>(at index: Int, _ body: (inout Mailbox) throws -> R) rethrows -> R {
        let before = mailboxes[index]
        defer {
            let after = mailboxes[index]
            precondition(after.guid == before.guid, "a mailbox's GUID is its key")
            // Re-index only when an identity field changed (cheap comparisons first).
            if after.name != before.name || after.alias != before.alias || after.userPrincipalName != before.userPrincipalName
                || after.primarySmtpAddress.address != before.primarySmtpAddress.address || after.emailAddresses != before.emailAddresses {
                unindexKeys(Tenant.identityKeys(before), position: index)
                indexKeys(of: index)
            }
        }
        return try body(&mailboxes[index])
    }

    public func devices(ofMailbox guid: UUID) -> [MobileDevice] { mobileDevices.filter { $0.mailboxGuid == guid } }

    // MARK: Mailbox contents, kept grouped in mailbox order
    //
    // Devices, inbox rules, permissions, folders and messages are stored grouped by mailbox, in
    // the mailboxes' order, so a tenant written as a fixture (where they nest under their
    // mailbox) loads back equal. Add them through these methods.

    public mutating func addMobileDevice(_ device: MobileDevice) {
        mobileDevices.insert(device, at: groupedPosition(mobileDevices, device.mailboxGuid, \.mailboxGuid))
    }

    public mutating func addInboxRule(_ rule: InboxRule) {
        inboxRules.insert(rule, at: groupedPosition(inboxRules, rule.mailboxGuid, \.mailboxGuid))
    }

    public mutating func addMailboxPermission(_ permission: MailboxPermission) {
        mailboxPermissions.insert(permission, at: groupedPosition(mailboxPermissions, permission.mailboxGuid, \.mailboxGuid))
    }

    public mutating func addFolder(_ folder: MailFolder) {
        folders.insert(folder, at: groupedPosition(folders, folder.mailboxGuid, \.mailboxGuid))
    }

    public mutating func addMessage(_ message: MailMessage) {
        messages.insert(message, at: groupedPosition(messages, message.mailboxGuid, \.mailboxGuid))
    }

    /// After the last item whose mailbox comes no later than `mailbox`.
    private func groupedPosition<T>(_ list: [T], _ mailbox: UUID, _ key: KeyPath<T, UUID>) -> Int {
        let target = mailboxIndex[mailbox] ?? Int.max
        var i = list.count
        while i > 0, (mailboxIndex[list[i - 1][keyPath: key]] ?? Int.max) > target { i -= 1 }
        return i
    }

    // MARK: Policies

    /// The mobile device mailbox policy with IsDefault set (exactly one exists).
    public var defaultMobileDeviceMailboxPolicy: MobileDeviceMailboxPolicy {
        mobileDeviceMailboxPolicies.first(where: \.isDefault) ?? mobileDeviceMailboxPolicies[0]
    }

    public var defaultOwaMailboxPolicy: OwaMailboxPolicy {
        owaMailboxPolicies.first(where: \.isDefault) ?? owaMailboxPolicies[0]
    }

    /// Makes the named mobile policy the default; the previous default stops being one.
    /// An unknown name changes nothing, so exactly one default remains.
    public mutating func makeDefaultMobileDeviceMailboxPolicy(named name: String) {
        guard mobileDeviceMailboxPolicies.contains(where: { $0.name.lowercased() == name.lowercased() }) else { return }
        for i in mobileDeviceMailboxPolicies.indices {
            mobileDeviceMailboxPolicies[i].isDefault = mobileDeviceMailboxPolicies[i].name.lowercased() == name.lowercased()
        }
    }

    public mutating func makeDefaultOwaMailboxPolicy(named name: String) {
        guard owaMailboxPolicies.contains(where: { $0.name.lowercased() == name.lowercased() }) else { return }
        for i in owaMailboxPolicies.indices {
            owaMailboxPolicies[i].isDefault = owaMailboxPolicies[i].name.lowercased() == name.lowercased()
        }
    }

    /// The Get-CASMailbox view of a mailbox.
    public func casMailbox(_ mailbox: Mailbox) -> CASMailboxView {
        CASMailboxView(mailbox: mailbox,
                       defaultActiveSyncPolicy: defaultMobileDeviceMailboxPolicy.name,
                       defaultOwaPolicy: defaultOwaMailboxPolicy.name,
                       hasActiveSyncDevicePartnership: mobileDevices.contains { $0.mailboxGuid == mailbox.guid })
    }

    // MARK: Client access rules: priority is the 1-based position [EXCHANGE-FACTS 1.4]

    /// Inserts a rule at `priority` when 1 ≤ priority ≤ count, otherwise (nil, 0, out of
    /// range) at the end. Rules at and after that position move down by one.
    public mutating func insertClientAccessRule(_ rule: ClientAccessRule, priority: Int?) {
        var rule = rule
        let position = priority.flatMap { (1...max(1, clientAccessRules.count)).contains($0) && !clientAccessRules.isEmpty ? $0 - 1 : nil }
            ?? clientAccessRules.count
        rule.priority = position + 1
        clientAccessRules.insert(rule, at: position)
        renumberClientAccessRules()
    }

    /// Moves the rule at `index` to `priority` (same range rule as insertion).
    public mutating func moveClientAccessRule(at index: Int, toPriority priority: Int) {
        let rule = clientAccessRules.remove(at: index)
        let position = (1...(clientAccessRules.count + 1)).contains(priority) ? priority - 1 : clientAccessRules.count
        clientAccessRules.insert(rule, at: position)
        renumberClientAccessRules()
    }

    /// Changes a rule in place (not its position).
    public mutating func updateClientAccessRule<R>(at index: Int, _ body: (inout ClientAccessRule) throws -> R) rethrows -> R {
        defer { clientAccessRules[index].priority = index + 1 }
        return try body(&clientAccessRules[index])
    }

    /// Removes a rule; the rules after it move up so priorities stay contiguous.
    @discardableResult
    public mutating func removeClientAccessRule(at index: Int) -> ClientAccessRule {
        let rule = clientAccessRules.remove(at: index)
        renumberClientAccessRules()
        return rule
    }

    /// Replaces every rule (store and fixture loading); the order given is the priority order.
    public mutating func setClientAccessRules(_ rules: [ClientAccessRule]) {
        clientAccessRules = rules
        renumberClientAccessRules()
    }

    private mutating func renumberClientAccessRules() {
        for i in clientAccessRules.indices where clientAccessRules[i].priority != i + 1 {
            clientAccessRules[i].priority = i + 1
        }
    }

    // MARK: Applications

    /// The app registration whose AppId is `appId` (GUID text, any case), or nil.
    public func application(appId: String) -> AppRegistration? {
        applications.first { $0.appId.uuidString.caseInsensitiveCompare(appId) == .orderedSame }
    }

    // MARK: Summary

    /// Object counts by type, for `tenantsim tenant show`.
    public var counts: [(String, Int)] {
        [
            ("Users", users.count),
            ("Mailboxes", mailboxes.count),
            ("UserMailbox", mailboxes.lazy.filter { $0.recipientTypeDetails == .UserMailbox }.count),
            ("SharedMailbox", mailboxes.lazy.filter { $0.recipientTypeDetails == .SharedMailbox }.count),
            ("RoomMailbox", mailboxes.lazy.filter { $0.recipientTypeDetails == .RoomMailbox }.count),
            ("MobileDevices", mobileDevices.count),
            ("MobileDeviceMailboxPolicies", mobileDeviceMailboxPolicies.count),
            ("OwaMailboxPolicies", owaMailboxPolicies.count),
            ("ActiveSyncDeviceAccessRules", deviceAccessRules.count),
            ("ClientAccessRules", clientAccessRules.count),
            ("AuthenticationPolicies", authenticationPolicies.count),
            ("RemoteDomains", remoteDomains.count),
            ("Applications", applications.count),
            ("InboxRules", inboxRules.count),
            ("MailboxPermissions", mailboxPermissions.count),
            ("Folders", folders.count),
            ("Messages", messages.count),
        ]
    }
}
