import AccessControl
import AuditLog
import Foundation
import Shell
import TenantModel
import TenantStore

/// What the attack kinds beyond spray and brute force share: the stolen admin's session,
/// the attacker's default phone, quoting for the cmdlets they type, and three things the
/// ``AttackEnvironment`` protocol does not offer yet (see ``AttackEnvironment/runCmdlets(_:as:from:)``,
/// ``AttackEnvironment/perform(_:password:client:)`` and ``AttackEnvironment/logs``).
enum AttackSupport {
    /// The phone an attacker registers when a step names no `device`: an ordinary Android
    /// handset that sends its device information (so it isn't held in device discovery).
    static let attackerDevice = DeviceInfo(id: "androidc1548832960", type: "Android", model: "SM-G973F", os: "Android 10",
                                           userAgent: "Android-SAMSUNG-SM-G973F/101.100000", provisionable: true)

    /// Windows PowerShell 5.1, as the golden sign-ins of MSOnline and EXO v3 show it.
    static let powerShellUserAgent = "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031"

    /// A text as a single-quoted PowerShell string.
    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    static func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }

    static func contains(_ list: [String], _ s: String) -> Bool { list.contains { same($0, s) } }

    /// Whether the protocol step keys were given (a kind may then choose its own default).
    static func namesProtocol(_ fields: FieldReader) -> Bool { fields.has("protocol") || fields.has("protocols") }

    /// The client of an administrator's connection: the attack's client with the kind's
    /// protocol (unless the step chose one) and PowerShell's user agent.
    static func adminClient(_ common: AttackCommon, n: Int = 0) -> ClientSpec {
        var client = common.client(n)
        if client.userAgent == nil {
            client.userAgent = client.accessProtocol == .RemotePowerShell && client.authentication == .BasicAuthentication
                ? "Microsoft WinRM Client" : powerShellUserAgent
        }
        return client
    }

    /// Signs the attacker in as `admin` over the attack's first protocol and counts the
    /// attempt. The cmdlets run only when it is allowed, and only if the account holds one of
    /// `roles` (the shell itself has no RBAC: a connected account may run any cmdlet).
    static func adminSession(_ env: AttackEnvironment, admin: String, common: AttackCommon, roles: Set<String>,
                             report: inout AttackReport) -> AdminSession? {
        let client = adminClient(common)
        let decision = env.signIn(user: admin, password: common.passwords.first ?? .correct, client: client)
        report.count(user: admin, decision)
        guard decision.outcome == .Allowed else { return nil }
        let user = env.tenant.user(upn: admin)
        let held = Set(user?.adminRoles ?? [])
        guard !held.isDisjoint(with: roles) else {
            report.measures["failed", default: 0] += 1
            return nil
        }
        return AdminSession(upn: user?.userPrincipalName ?? admin, address: client.from)
    }

    /// Roles that may change per-user MFA (Set-MsolUser -StrongAuthenticationRequirements).
    static let mfaAdminRoles: Set<String> = [DirectoryRole.globalAdministrator, "Privileged Authentication Administrator",
                                             "Authentication Administrator"]

    /// A `from` list with CIDR blocks expanded into their host addresses (a proxy pool);
    /// at most `limit` addresses.
    static func addresses(_ from: [String], limit: Int = 4_096) -> [String] {
        var out: [String] = []
        for entry in from {
            guard entry.contains("/"), let range = try? IPRange.parse(entry) else {
                out.append(entry)
                continue
            }
            var value = range.lowerBound.value
            let last = range.upperBound.value
            // Leave out the network and broadcast addresses of an IPv4 block larger than /31.
            let skipEnds = range.lowerBound.family == .v4 && last - value >= 2
            if skipEnds { value += 1 }
            let end = skipEnds ? last - 1 : last
            while value <= end && out.count < limit {
                out.append(IPAddress(family: range.lowerBound.family, value: value).description)
                if value == end { break }
                value += 1
            }
        }
        return out
    }

    /// Reads `users:`/`user:` as a kind's targets: required when `required`.
    static func targets(_ common: AttackCommon, _ fields: FieldReader, what: String, required: Bool) throws(FixtureError) -> UserSelection {
        if required && !fields.has("user") && !fields.has("users") {
            throw fields.missing("users", hint: what)
        }
        return common.users
    }

    /// Reads a list of account names (`mailboxes: [a, b]`, `mailbox: a`).
    static func names(_ fields: FieldReader, one: String, many: String) throws(FixtureError) -> [String]? {
        if fields.has(one) && fields.has(many) {
            throw fields.error(fields.value(many), "Give either `\(one):` or `\(many):`, not both.")
        }
        if let list = try fields.strings(many) { return list }
        if let single = try fields.string(one) { return [single] }
        return nil
    }

    /// The mailbox an identity names (a UPN, an address, an alias), if exactly one.
    static func mailbox(_ identity: String, in tenant: Tenant) -> Mailbox? {
        let matches = tenant.mailboxPositions(matching: identity)
        if matches.count == 1 { return tenant.mailboxes[matches[0]] }
        return tenant.user(upn: identity).flatMap { tenant.mailbox(forUser: $0) }
    }

    /// How many messages a read of the mailbox can bind: those outside Recoverable Items,
    /// in `folder` when one is named, at most `limit`.
    static func readable(_ identity: String, folder: String? = nil, limit: Int? = nil, in tenant: Tenant) -> Int {
        guard let box = mailbox(identity, in: tenant) else { return 0 }
        let recoverable = MailFolder.folderId(mailbox: box.guid, name: "Recoverable Items")
        let folderId = folder.map { self.folderId($0, of: box, in: tenant) }
        let count = tenant.messages.lazy.filter { m in
            m.mailboxGuid == box.guid && m.folderId != recoverable && (folderId.map { m.folderId == $0 } ?? true)
        }.count
        return limit.map { min($0, count) } ?? count
    }

    /// The id of a mailbox folder by name or path (`Inbox`, `\\Inbox`, `Vendors`).
    static func folderId(_ name: String, of box: Mailbox, in tenant: Tenant) -> String {
        let leaf = name.split(separator: "\\").last.map(String.init) ?? name
        if let f = tenant.folders.first(where: { $0.mailboxGuid == box.guid && $0.name.lowercased() == leaf.lowercased() }) { return f.folderId }
        let known = MailFolder.wellKnown.first { $0.0.lowercased() == leaf.lowercased() }?.0 ?? leaf
        return MailFolder.folderId(mailbox: box.guid, name: known)
    }

    /// Whether an address is outside the organization: its domain is none of the tenant's
    /// and no mailbox answers to it.
    static func isExternal(_ address: String, in tenant: Tenant) -> Bool {
        let bare = address.lowercased().hasPrefix("smtp:") ? String(address.dropFirst(5)) : address
        guard let at = bare.lastIndex(of: "@") else { return false }
        let domain = bare[bare.index(after: at)...].lowercased()
        if tenant.info.domains.contains(where: { $0.lowercased() == domain }) || tenant.info.initialDomain.lowercased() == domain {
            return false
        }
        return tenant.mailboxPositions(matching: bare).isEmpty
    }

    /// The remote domain whose settings apply to a recipient: the one naming its domain (or
    /// a parent of it, `*.example.com`), else the Default (`*`) one.
    static func remoteDomain(for address: String, in tenant: Tenant) -> RemoteDomain? {
        let bare = address.lowercased().hasPrefix("smtp:") ? String(address.dropFirst(5)) : address
        let domain = bare.split(separator: "@").last.map { $0.lowercased() } ?? ""
        var best: (RemoteDomain, Int)?
        for r in tenant.remoteDomains {
            let pattern = r.domainName.lowercased()
            var score = -1
            if pattern == domain { score = 1_000 + pattern.count } else if pattern == "*" { score = 0 } else if pattern.hasPrefix("*."),
                domain.hasSuffix(String(pattern.dropFirst(1))) { score = pattern.count }
            if score >= 0, score > (best?.1 ?? -1) { best = (r, score) }
        }
        return best?.0
    }

    /// Whether mail automatically forwarded to `address` leaves the organization: the
    /// matching remote domain's AutoForwardEnabled (no remote domain at all: allowed).
    static func autoForwardAllowed(to address: String, in tenant: Tenant) -> Bool {
        remoteDomain(for: address, in: tenant)?.autoForwardEnabled ?? true
    }
}

/// An administrator's session the attacker holds: who, and from where.
struct AdminSession {
    var upn: String
    var address: String
}

/// Where forwarding sends a victim's mail, and whether any of it really leaves.
struct ForwardingOutcome {
    var effective = 0
    var dropped = 0

    /// Counts one forwarding configuration (a rule or a mailbox forwarding address):
    /// effective when an external destination's remote domain lets auto-forwarded mail out,
    /// dropped when every external destination is refused. Internal-only forwarding is neither.
    mutating func add(_ destinations: [String], in tenant: Tenant) {
        let external = destinations.filter { AttackSupport.isExternal($0, in: tenant) }
        guard !external.isEmpty else { return }
        if external.contains(where: { AttackSupport.autoForwardAllowed(to: $0, in: tenant) }) { effective += 1 } else { dropped += 1 }
    }
}

extension AttackEnvironment {
    /// Cmdlets as `user`, with the admin audit records naming `address` as the client (the
    /// shell records its own address otherwise).
    ///
    /// GAP: ``AttackEnvironment`` has no client address for `run`; this reaches the scenario
    /// runner's shell session directly and falls back to `run(_:as:)` for other environments.
    func runCmdlets(_ script: String, as user: String, from address: String) -> RunResult {
        guard let execution = self as? ScenarioExecution else { return run(script, as: user) }
        let saved = execution.session.clientIP
        execution.session.clientIP = address
        defer { execution.session.clientIP = saved }
        return run(script, as: user)
    }

    /// One mailbox action in a session that has already signed in: evaluated, its changes
    /// applied and its events recorded, without another sign-in.
    ///
    /// GAP: ``AttackEnvironment`` only offers `act` (a sign-in per action); a tool reading a
    /// mailbox request by request holds one session. This reaches the scenario runner's
    /// session directly, and falls back to `act` (a sign-in each time) for other environments.
    func perform(_ request: MailboxActionRequest, password: PasswordSpec, client: ClientSpec) -> AccessDecision {
        guard let execution = self as? ScenarioExecution else {
            return act(user: request.actor, password: password, client: client, action: request.action, mailbox: request.mailbox,
                       params: request.params)
        }
        let evaluation = MailboxActionEvaluator.evaluate(request, in: execution.session.tenant)
        execution.session.tenant.apply(evaluation.changes)
        execution.session.record(evaluation.events)
        return evaluation.decision
    }

    /// The mailbox action request of a client.
    func request(_ actor: String, _ action: MailboxAction, mailbox: String?, client: ClientSpec, params: [String: String]) -> MailboxActionRequest {
        MailboxActionRequest(actor: actor, action: action, mailbox: mailbox, accessProtocol: client.accessProtocol,
                             userAgent: client.userAgent ?? client.device?.userAgent, clientIP: client.from,
                             clientPort: client.port ?? ClientSpec.defaultPort(for: client.accessProtocol), params: params,
                             device: client.device)
    }

    /// The tenant's logs so far, for kinds that measure what was recorded.
    ///
    /// GAP: not part of ``AttackEnvironment``; nil outside the scenario runner.
    var logs: AuditTrail? { (self as? ScenarioExecution)?.session.audit }
}
