import AuditLog
import Foundation
import TenantModel

/// What a signed-in session does in a mailbox: the `act` step's actions. [SPEC §7]
public enum MailboxAction: String, Sendable, Hashable, CaseIterable {
    case read, search, send
    case sendAs = "send-as"
    case sendOnBehalf = "send-on-behalf"
    case move
    case softDelete = "soft-delete"
    case hardDelete = "hard-delete"
    case createInboxRule = "create-inbox-rule"
    case updateFolderPermissions = "update-folder-permissions"
    case addDelegate = "add-delegate"
    case downloadAttachment = "download-attachment"

    public static func named(_ text: String) -> MailboxAction? {
        allCases.first { $0.rawValue == text.lowercased() }
    }
}

/// One mailbox action: who, on whose mailbox, over which client, with which parameters.
///
/// Parameters by action (names are case-insensitive; lists separate with `,` or `;`):
/// - read: `Folder`, `Subject` (contains), `ItemId`, `Count` (newest first), `MailAccessType` (`Bind` or `Sync`)
/// - search: `Query`, `Folder`
/// - send, send-as, send-on-behalf: `To` (required), `Cc`, `Subject`, `Attachments`
/// - move: `Folder` (destination, required), `SourceFolder`, `Subject`, `ItemId`, `Count`
/// - soft-delete, hard-delete: `Folder`, `Subject`, `ItemId`, `Count`
/// - create-inbox-rule: `Name` (required), `From`, `SubjectContainsWords`, `BodyContainsWords`,
///   `SubjectOrBodyContainsWords`, `ForwardTo`, `ForwardAsAttachmentTo`, `RedirectTo`, `MoveToFolder`,
///   `DeleteMessage`, `MarkAsRead`, `StopProcessingRules`
/// - update-folder-permissions: `Folder` (default Inbox), `User` (required), `AccessRights` (default Reviewer)
/// - add-delegate: `User` (required), `AccessRights` (`FullAccess` default, `SendAs`, `SendOnBehalf`, ...)
/// - download-attachment: `Folder`, `Subject`, `ItemId`, `Attachment` (name)
public struct MailboxActionRequest: Hashable, Sendable {
    /// The actor's UPN.
    public var actor: String
    public var action: MailboxAction
    /// The mailbox acted on (any identity Exchange resolves); nil is the actor's own.
    public var mailbox: String?
    /// The protocol the session came in over (`via` in a scenario).
    public var accessProtocol: AccessProtocol
    public var userAgent: String?
    public var clientIP: String
    public var clientPort: Int?
    public var params: [String: String]
    /// The ActiveSync device, for ExchangeActiveSync sessions.
    public var device: DeviceInfo?
    /// Whether the browser runs on a compliant (managed) device: OWA's
    /// ConditionalAccessPolicy only restricts unmanaged devices.
    public var isCompliantDevice: Bool
    /// When; nil is the tenant's clock.
    public var time: Date?

    public init(actor: String, action: MailboxAction, mailbox: String? = nil, accessProtocol: AccessProtocol, userAgent: String? = nil,
                clientIP: String, clientPort: Int? = nil, params: [String: String] = [:], device: DeviceInfo? = nil,
                isCompliantDevice: Bool = false, time: Date? = nil) {
        self.actor = actor
        self.action = action
        self.mailbox = mailbox
        self.accessProtocol = accessProtocol
        self.userAgent = userAgent
        self.clientIP = clientIP
        self.clientPort = clientPort
        self.params = params
        self.device = device
        self.isCompliantDevice = isCompliantDevice
        self.time = time
    }

    /// A parameter by name, ignoring case; nil when absent or blank.
    public func param(_ name: String) -> String? {
        let lower = name.lowercased()
        guard let v = params.first(where: { $0.key.lowercased() == lower })?.value.trimmingCharacters(in: .whitespaces), !v.isEmpty
        else { return nil }
        return v
    }

    func list(_ name: String) -> [String] {
        guard let v = param(name) else { return [] }
        return v.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func flag(_ name: String) -> Bool? {
        guard let v = param(name)?.lowercased() else { return nil }
        return ["true", "$true", "1", "yes"].contains(v)
    }
}

/// Evaluates a mailbox action after the session is allowed in: resolves actor and mailbox,
/// derives the logon type, checks the actor's rights, the protocol and the client's policy
/// (OWA mailbox policy for Outlook on the web, mobile device mailbox policy for
/// ActiveSync), then returns what changes and what the service may log.
public enum MailboxActionEvaluator {
    public static func evaluate(_ request: MailboxActionRequest, in tenant: Tenant) -> AccessEvaluation {
        var run = Run(request: request, tenant: tenant)
        return run.evaluate()
    }

    /// The logon type Exchange gives `actor` on `mailbox`: Owner for the mailbox's own
    /// account; Delegate for a user holding FullAccess, SendAs or SendOnBehalf on it (an
    /// administrator with FullAccess included); nil for anyone else — an administrator role
    /// alone opens no mailbox. (The Admin logon type is eDiscovery / Content Search access,
    /// which the simulator does not model.) [EXCHANGE-FACTS 4.2]
    public static func logonType(actor: User, on mailbox: Mailbox, in tenant: Tenant) -> MailboxAuditLogonType? {
        if mailbox.userObjectId == actor.objectId { return .Owner }
        let keys = actorKeys(actor, tenant: tenant)
        if tenant.mailboxPermissions.contains(where: { $0.mailboxGuid == mailbox.guid && !$0.deny && keys.contains($0.user.lowercased())
            && ($0.accessRights.contains(.FullAccess) || $0.accessRights.contains(.SendAs)) }) {
            return .Delegate
        }
        if mailbox.grantSendOnBehalfTo.contains(where: { keys.contains($0.lowercased()) }) { return .Delegate }
        return nil
    }

    /// The `ClientInfoString` a mailbox audit record shows for a client. INFERRED from
    /// records seen in the wild (`Client=OWA;Action=ViaProxy`, `Client=MSExchangeRPC`,
    /// `Client=REST;Client=RESTSystem;;`, `Client=OutlookService;Outlook-iOS/2.0;`,
    /// `Client=WebServices;...`, `Client=ActiveSync;UserAgent=...;Action=...`); the golden
    /// samples hold no mailbox item record to confirm them.
    public static func clientInfoString(_ accessProtocol: AccessProtocol, userAgent: String?, actor: String, device: DeviceInfo?,
                                        command: String) -> String {
        let ua = userAgent.flatMap { $0.isEmpty ? nil : $0 }
        switch accessProtocol {
        case .OutlookWebApp: return "Client=OWA;Action=ViaProxy"
        case .MAPI, .OutlookAnywhere: return "Client=MSExchangeRPC"
        case .REST:
            if let ua, ua.hasPrefix("Outlook-") { return "Client=OutlookService;\(ua);" }
            return "Client=REST;Client=RESTSystem;;"
        case .UniversalOutlook: return "Client=OutlookService;\(ua ?? "Outlook-WindowsMail/16.0");"
        case .ExchangeWebServices: return "Client=WebServices;\(ua ?? "ExchangeServicesClient/15.20.0000.000");"
        case .ExchangeActiveSync:
            let agent = device?.userAgent ?? ua ?? device?.type ?? "EAS"
            let id = device?.id ?? ""
            let type = device?.type ?? ""
            return "Client=ActiveSync;UserAgent=\(agent);Action=/Microsoft-Server-ActiveSync/default.eas?User=\(actor)&DeviceId=\(id)&DeviceType=\(type)&Cmd=\(command)"
        case .IMAP4: return "Client=IMAP4"
        case .POP3: return "Client=POP3"
        case .SMTP: return "Client=SMTP"
        default: return "Client=\(accessProtocol.rawValue)"
        }
    }

    /// The user's own mailbox, found through the identity index (its UPN) when it can be.
    static func ownMailbox(of user: User, in tenant: Tenant) -> Mailbox? {
        for i in tenant.mailboxPositions(matching: user.userPrincipalName) where tenant.mailboxes[i].userObjectId == user.objectId {
            return tenant.mailboxes[i]
        }
        return tenant.mailbox(forUser: user)
    }

    /// What the actor's account is known by in permission entries (lowercased).
    static func actorKeys(_ actor: User, tenant: Tenant) -> Set<String> {
        var keys: Set<String> = [actor.userPrincipalName.lowercased(), actor.alias.lowercased(), actor.displayName.lowercased()]
        if let m = ownMailbox(of: actor, in: tenant) {
            keys.formUnion([m.name.lowercased(), m.alias.lowercased(), m.userPrincipalName.lowercased(),
                            m.primarySmtpAddress.address.lowercased()])
            for proxy in m.emailAddresses where proxy.lowercased().hasPrefix("smtp:") { keys.insert(String(proxy.dropFirst(5)).lowercased()) }
        }
        keys.remove("")
        return keys
    }
}

// MARK: - One evaluation

private struct Run {
    let request: MailboxActionRequest
    let tenant: Tenant
    let now: Date
    var trace: [StageReport] = []
    var events: [AuditEvent] = []
    var changes: [TenantChange] = []

    init(request: MailboxActionRequest, tenant: Tenant) {
        self.request = request
        self.tenant = tenant
        self.now = request.time ?? tenant.now
    }

    struct Denial: Error {
        var reason: String
        var by: String?
        var code: Int?
        var detail: String
    }

    /// Everything the action needs, resolved.
    struct Context {
        var actor: User
        var actorMailbox: Mailbox?
        var target: Mailbox
        var logonType: MailboxAuditLogonType?
        var sessionId: UUID
        var clientInfo: String
    }

    mutating func evaluate() -> AccessEvaluation {
        do {
            let context = try resolve()
            try checkProtocol(context)
            try checkRights(context)
            try checkPolicy(context)
            try perform(context)
            return AccessEvaluation(decision: AccessDecision(outcome: .Allowed, reason: "Ok", by: nil, code: 0, trace: trace),
                                    events: events, changes: changes)
        } catch let denial as Denial {
            trace.append(StageReport(.policy, .decided, denial.detail))
            return AccessEvaluation(decision: AccessDecision(outcome: .Denied, reason: denial.reason, by: denial.by, code: denial.code, trace: trace))
        } catch {
            return AccessEvaluation(decision: AccessDecision(outcome: .Denied, reason: "InvalidRequest", trace: trace))
        }
    }

    // MARK: Resolution and logon type

    mutating func resolve() throws -> Context {
        guard let actor = tenant.user(upn: request.actor) else {
            throw Denial(reason: "UserNotFound", by: nil, code: 50034,
                         detail: "No user \(request.actor) exists in the directory (AADSTS50034).")
        }
        let own = MailboxActionEvaluator.ownMailbox(of: actor, in: tenant)
        let target: Mailbox
        if let identity = request.mailbox, !identity.isEmpty {
            let matches = tenant.mailboxPositions(matching: identity)
            guard matches.count == 1 else {
                throw Denial(reason: "MailboxNotFound", by: identity, code: nil,
                             detail: matches.isEmpty ? "No mailbox \"\(identity)\" exists in the organization."
                                 : "\"\(identity)\" matches more than one mailbox.")
            }
            target = tenant.mailboxes[matches[0]]
        } else {
            guard let own else {
                throw Denial(reason: "MailboxNotFound", by: actor.userPrincipalName, code: nil,
                             detail: "\(actor.userPrincipalName) has no mailbox of their own.")
            }
            target = own
        }
        let logon = MailboxActionEvaluator.logonType(actor: actor, on: target, in: tenant)
        let sessionId = StableIdentifier.uuid("MailboxSession", actor.userPrincipalName.lowercased(), target.guid.uuidString,
                                              request.accessProtocol.rawValue, request.clientIP, request.userAgent ?? "",
                                              request.device?.id ?? "")
        let info = MailboxActionEvaluator.clientInfoString(request.accessProtocol, userAgent: request.userAgent,
                                                           actor: actor.userPrincipalName, device: request.device,
                                                           command: easCommand(request.action))
        let logonText = logon.map { "logon type \($0.rawValue)" } ?? "no mailbox logon type (neither the owner nor a delegate)"
        trace.append(StageReport(.directory, .passed,
                                 "\(actor.userPrincipalName) acts on the mailbox \(target.primarySmtpAddress.address) over \(request.accessProtocol.rawValue): \(logonText)."))
        return Context(actor: actor, actorMailbox: own, target: target, logonType: logon, sessionId: sessionId, clientInfo: info)
    }

    func easCommand(_ action: MailboxAction) -> String {
        switch action {
        case .read: "Sync"
        case .search: "Search"
        case .send, .sendAs, .sendOnBehalf: "SendMail"
        case .move: "MoveItems"
        case .softDelete, .hardDelete: "Sync"
        case .downloadAttachment: "ItemOperations"
        default: "Settings"
        }
    }

    // MARK: Protocol

    static let itemProtocols: Set<AccessProtocol> = [.OutlookWebApp, .MAPI, .OutlookAnywhere, .ExchangeWebServices, .REST,
                                                     .ExchangeActiveSync, .UniversalOutlook]
    static let adminProtocols: Set<AccessProtocol> = [.RemotePowerShell, .PowerShellWebServices, .ExchangeAdminCenter]

    /// Which client can do what: IMAP and POP only reach mail, SMTP only sends, rules and
    /// permissions need a full client or PowerShell, delegates are added with
    /// Add-MailboxPermission. ActiveSync and POP only open the user's own mailbox.
    static func supports(_ action: MailboxAction, over p: AccessProtocol) -> Bool {
        switch action {
        case .read, .downloadAttachment, .softDelete:
            return itemProtocols.contains(p) || p == .IMAP4 || p == .POP3
        case .search, .move, .hardDelete:
            return itemProtocols.contains(p) || p == .IMAP4
        case .send, .sendAs, .sendOnBehalf:
            return itemProtocols.contains(p) || p == .SMTP
        case .createInboxRule:
            return [.OutlookWebApp, .MAPI, .OutlookAnywhere, .ExchangeWebServices, .REST].contains(p) || adminProtocols.contains(p)
        case .updateFolderPermissions:
            return [.OutlookWebApp, .MAPI, .OutlookAnywhere, .ExchangeWebServices].contains(p) || adminProtocols.contains(p)
        case .addDelegate:
            return adminProtocols.contains(p)
        }
    }

    mutating func checkProtocol(_ c: Context) throws {
        let p = request.accessProtocol
        guard Run.supports(request.action, over: p) else {
            throw Denial(reason: "ActionNotSupported", by: p.rawValue, code: nil,
                         detail: "\(request.action.rawValue) cannot be done over \(p.rawValue).")
        }
        if (p == .ExchangeActiveSync || p == .POP3) && c.target.guid != c.actorMailbox?.guid {
            throw Denial(reason: "ActionNotSupported", by: p.rawValue, code: nil,
                         detail: "\(p.rawValue) only opens the signed-in user's own mailbox, not \(c.target.primarySmtpAddress.address).")
        }
    }

    // MARK: Rights

    func hasPermission(_ right: MailboxRights, _ c: Context) -> Bool {
        let keys = MailboxActionEvaluator.actorKeys(c.actor, tenant: tenant)
        return tenant.mailboxPermissions.contains {
            $0.mailboxGuid == c.target.guid && !$0.deny && $0.accessRights.contains(right) && keys.contains($0.user.lowercased())
        }
    }

    func mayActOnBehalf(_ c: Context) -> Bool {
        let keys = MailboxActionEvaluator.actorKeys(c.actor, tenant: tenant)
        return c.target.grantSendOnBehalfTo.contains { keys.contains($0.lowercased()) }
    }

    func isAdmin(_ user: User) -> Bool { user.adminRoles.contains { DirectoryRole.exchangeAdminRoles.contains($0) } }

    mutating func checkRights(_ c: Context) throws {
        let owner = c.logonType == .Owner
        let who = c.actor.userPrincipalName
        let box = c.target.primarySmtpAddress.address
        let adminNote = isAdmin(c.actor)
            ? " An administrator role does not open another user's mailbox; Exchange needs FullAccess (a Delegate logon)." : ""
        switch request.action {
        case .send:
            guard owner else {
                throw Denial(reason: "AccessDenied", by: "SendAs", code: nil,
                             detail: "\(who) is not the owner of \(box); sending from it is send-as or send-on-behalf.")
            }
        case .sendAs:
            guard !owner else {
                throw Denial(reason: "InvalidParameter", by: "Mailbox", code: nil,
                             detail: "send-as names another mailbox to send as; \(box) is \(who)'s own.")
            }
            guard hasPermission(.SendAs, c) else {
                throw Denial(reason: "AccessDenied", by: "SendAs", code: nil,
                             detail: "\(who) has no SendAs permission on \(box) (FullAccess does not include it).\(adminNote)")
            }
        case .sendOnBehalf:
            guard !owner else {
                throw Denial(reason: "InvalidParameter", by: "Mailbox", code: nil,
                             detail: "send-on-behalf names another mailbox; \(box) is \(who)'s own.")
            }
            guard mayActOnBehalf(c) else {
                throw Denial(reason: "AccessDenied", by: "GrantSendOnBehalfTo", code: nil,
                             detail: "\(who) is not in \(box)'s GrantSendOnBehalfTo.\(adminNote)")
            }
        case .addDelegate:
            guard isAdmin(c.actor) else {
                throw Denial(reason: "AccessDenied", by: "Add-MailboxPermission", code: nil,
                             detail: "\(who) holds no Exchange administrator role: Add-MailboxPermission is not available to them.")
            }
        case .createInboxRule, .updateFolderPermissions:
            // Owners manage their own rules and folder permissions; FullAccess delegates can
            // too; an Exchange administrator can over PowerShell (New-InboxRule -Mailbox,
            // Add-MailboxFolderPermission).
            let viaAdmin = Run.adminProtocols.contains(request.accessProtocol) && isAdmin(c.actor)
            guard owner || hasPermission(.FullAccess, c) || viaAdmin else {
                throw Denial(reason: "AccessDenied", by: "FullAccess", code: nil,
                             detail: "\(who) has no FullAccess on \(box).\(adminNote)")
            }
        case .read, .search, .move, .softDelete, .hardDelete, .downloadAttachment:
            guard owner || hasPermission(.FullAccess, c) else {
                throw Denial(reason: "AccessDenied", by: "FullAccess", code: nil,
                             detail: "\(who) has no FullAccess on \(box), so the mailbox cannot be opened.\(adminNote)")
            }
        }
        trace.append(StageReport(.policy, .passed, rightsText(c)))
    }

    func rightsText(_ c: Context) -> String {
        let who = c.actor.userPrincipalName
        switch request.action {
        case .addDelegate: return "\(who) holds an Exchange administrator role (Add-MailboxPermission)."
        case .sendAs: return "\(who) has SendAs on \(c.target.primarySmtpAddress.address)."
        case .sendOnBehalf: return "\(who) is in \(c.target.primarySmtpAddress.address)'s GrantSendOnBehalfTo."
        default:
            if c.logonType == .Owner { return "\(who) owns the mailbox." }
            if hasPermission(.FullAccess, c) { return "\(who) has FullAccess on \(c.target.primarySmtpAddress.address)." }
            return "\(who) acts as an Exchange administrator over \(request.accessProtocol.rawValue)."
        }
    }

    // MARK: Client policies

    /// The OWA mailbox policy of the session's user (the actor).
    func owaPolicy(_ c: Context) -> OwaMailboxPolicy {
        if let name = c.actorMailbox?.cas.owaMailboxPolicy,
           let p = tenant.owaMailboxPolicies.first(where: { $0.name.lowercased() == name.lowercased() }) {
            return p
        }
        return tenant.defaultOwaMailboxPolicy
    }

    mutating func checkPolicy(_ c: Context) throws {
        switch request.accessProtocol {
        case .OutlookWebApp: try checkOwaPolicy(c)
        case .ExchangeActiveSync: try checkMobilePolicy(c)
        default: break
        }
    }

    mutating func checkOwaPolicy(_ c: Context) throws {
        let policy = owaPolicy(c)
        let name = policy.name
        if c.logonType == .Delegate && !policy.delegateAccessEnabled {
            throw Denial(reason: "PolicyDenied", by: name, code: nil,
                         detail: "The OWA mailbox policy \"\(name)\" has DelegateAccessEnabled False: delegates cannot open other mailboxes in Outlook on the web.")
        }
        // RulesEnabled False takes the Inbox rules UI away; Outlook desktop and PowerShell
        // still create rules. [EXCHANGE-FACTS 3.2]
        if request.action == .createInboxRule && !policy.rulesEnabled {
            throw Denial(reason: "PolicyDenied", by: name, code: nil,
                         detail: "The OWA mailbox policy \"\(name)\" has RulesEnabled False: inbox rules cannot be created in Outlook on the web.")
        }
        if request.action == .downloadAttachment {
            // ConditionalAccessPolicy ReadOnly and ReadOnlyPlusAttachmentsBlocked both stop
            // downloads on unmanaged devices (the matching Entra CA policy is assumed).
            if policy.conditionalAccessPolicy != .Off && !request.isCompliantDevice {
                throw Denial(reason: "PolicyDenied", by: name, code: nil,
                             detail: "The OWA mailbox policy \"\(name)\" has ConditionalAccessPolicy \(policy.conditionalAccessPolicy.rawValue): attachments cannot be downloaded on a device that isn't compliant.")
            }
            // Exchange Online treats every OWA session as a private computer. [EXCHANGE-FACTS 3.2]
            if !policy.directFileAccessOnPrivateComputersEnabled {
                throw Denial(reason: "PolicyDenied", by: name, code: nil,
                             detail: "The OWA mailbox policy \"\(name)\" has DirectFileAccessOnPrivateComputersEnabled False: attachments cannot be opened or saved directly.")
            }
            let names = try attachmentsToDownload(c).names
            for file in names {
                if let why = owaAttachmentBlock(file, policy) {
                    throw Denial(reason: "PolicyDenied", by: name, code: nil,
                                 detail: "The OWA mailbox policy \"\(name)\" blocks \(file): \(why).")
                }
            }
        }
        trace.append(StageReport(.policy, .passed, "The OWA mailbox policy \"\(name)\" allows \(request.action.rawValue)."))
    }

    /// OWA's attachment lists by file extension. The documentation contradicts itself on
    /// precedence (EXCHANGE-FACTS 3.2, UNCONFIRMED); the simulator lets Block win over Allow
    /// and ForceSave (a force-saved file still downloads), and applies
    /// ActionForUnknownFileAndMIMETypes to an extension on no list.
    func owaAttachmentBlock(_ file: String, _ policy: OwaMailboxPolicy) -> String? {
        guard let dot = file.lastIndex(of: ".") else {
            return policy.actionForUnknownFileAndMIMETypes == .Block ? "the file has no type and ActionForUnknownFileAndMIMETypes is Block" : nil
        }
        let ext = file[dot...].lowercased()
        if policy.blockedFileTypes.contains(where: { $0.lowercased() == ext }) { return "\(ext) is in BlockedFileTypes" }
        let known = policy.allowedFileTypes.contains(where: { $0.lowercased() == ext })
            || policy.forceSaveFileTypes.contains(where: { $0.lowercased() == ext })
        if !known && policy.actionForUnknownFileAndMIMETypes == .Block {
            return "\(ext) is on no list and ActionForUnknownFileAndMIMETypes is Block"
        }
        return nil
    }

    mutating func checkMobilePolicy(_ c: Context) throws {
        guard let own = c.actorMailbox else { return }
        let policy = ActiveSyncDeviceFlow.effectiveMobilePolicy(of: own, in: tenant)
        if request.action == .downloadAttachment && !policy.attachmentsEnabled {
            throw Denial(reason: "PolicyDenied", by: policy.name, code: nil,
                         detail: "The mobile device mailbox policy \"\(policy.name)\" has AttachmentsEnabled False: the device cannot download attachments.")
        }
        trace.append(StageReport(.policy, .passed, "The mobile device mailbox policy \"\(policy.name)\" allows \(request.action.rawValue)."))
    }

    // MARK: Folders and messages

    struct Folder {
        var id: String
        var name: String
        var path: String
    }

    static let recoverableItems = "Recoverable Items"

    func folders(of mailbox: UUID) -> [Folder] {
        var list = MailFolder.wellKnown.map { Folder(id: MailFolder.folderId(mailbox: mailbox, name: $0.0), name: $0.0, path: "\\" + $0.0) }
        for f in tenant.folders where f.mailboxGuid == mailbox && !list.contains(where: { $0.id == f.folderId }) {
            list.append(Folder(id: f.folderId, name: f.name, path: f.folderPath))
        }
        return list
    }

    /// A folder by name or path (`Inbox`, `\Inbox`, `alias:\Inbox`), ignoring case.
    func folder(_ text: String, in mailbox: UUID, parameter: String) throws -> Folder {
        var path = text
        if let colon = path.range(of: ":\\") { path = String(path[colon.upperBound...]) }
        while path.hasPrefix("\\") { path.removeFirst() }
        let leaf = path.split(separator: "\\").last.map(String.init) ?? path
        let all = folders(of: mailbox)
        if let f = all.first(where: { $0.name.lowercased() == path.lowercased() || $0.path.lowercased() == "\\" + path.lowercased() })
            ?? all.first(where: { $0.name.lowercased() == leaf.lowercased() }) {
            return f
        }
        throw Denial(reason: "InvalidParameter", by: parameter, code: nil,
                     detail: "The operation couldn't be performed because '\(text)' couldn't be found.")
    }

    func path(of folderId: String, in mailbox: UUID) -> String {
        folders(of: mailbox).first { $0.id == folderId }?.path ?? "\\Inbox"
    }

    /// The messages an action works on: by ItemId, folder and subject, newest first, at
    /// most Count. Recoverable Items is left out unless asked for (or purging).
    func selectMessages(_ c: Context, folderParameter: String = "Folder", includeRecoverable: Bool = false) throws -> [MailMessage] {
        let box = c.target.guid
        let folderFilter = try request.param(folderParameter).map { try folder($0, in: box, parameter: folderParameter).id }
        let recoverable = MailFolder.folderId(mailbox: box, name: Run.recoverableItems)
        let subject = request.param("Subject")?.lowercased()
        let itemId = request.param("ItemId")
        var picked = tenant.messages.filter { m in
            guard m.mailboxGuid == box else { return false }
            if let itemId, m.itemId != itemId { return false }
            if let folderFilter { if m.folderId != folderFilter { return false } } else if m.folderId == recoverable && !includeRecoverable { return false }
            if let subject, !m.subject.lowercased().contains(subject) { return false }
            return true
        }
        picked.sort { $0.receivedTime > $1.receivedTime }
        if let count = request.param("Count").flatMap(Int.init), count >= 0 { picked = Array(picked.prefix(count)) }
        return picked
    }

    func reference(_ m: MailMessage, attachments: [String]? = nil) -> ItemReference {
        ItemReference(itemId: m.itemId, internetMessageId: m.internetMessageId, subject: m.subject,
                      folderPath: path(of: m.folderId, in: m.mailboxGuid), attachments: attachments ?? m.attachments, sizeBytes: m.sizeBytes)
    }

    func attachmentsToDownload(_ c: Context) throws -> (message: MailMessage, names: [String]) {
        let wanted = request.param("Attachment")?.lowercased()
        let candidates = try selectMessages(c).filter { m in
            m.hasAttachments && (wanted.map { w in m.attachments.contains { $0.lowercased() == w } } ?? true)
        }
        guard let message = candidates.first else {
            throw Denial(reason: "ItemNotFound", by: request.param("Attachment") ?? request.param("Subject") ?? request.param("ItemId"), code: nil,
                         detail: "No message in \(c.target.primarySmtpAddress.address) matches with an attachment to download.")
        }
        let names = wanted.map { w in message.attachments.filter { $0.lowercased() == w } } ?? message.attachments
        return (message, names)
    }

    func event(_ c: Context, _ operation: MailboxAuditOperations, items: [ItemReference] = [], folder: String? = nil,
               destination: String? = nil, sendAs: String? = nil, properties: [NameValue] = [], access: String? = nil) -> AuditEvent {
        .mailboxAction(MailboxActionEvent(
            time: now, operation: operation, logonType: c.logonType ?? .Admin, actor: c.actor.userPrincipalName,
            mailboxGuid: c.target.guid, clientInfoString: c.clientInfo, clientIP: request.clientIP, sessionId: c.sessionId,
            items: items, folderPath: folder, destinationFolderPath: destination, sendAsUser: sendAs, properties: properties,
            mailAccessType: access))
    }

    var cmdletClientIP: String {
        guard let port = request.clientPort else { return request.clientIP }
        return request.clientIP.contains(":") ? "[\(request.clientIP)]:\(port)" : "\(request.clientIP):\(port)"
    }

    // MARK: The actions

    mutating func perform(_ c: Context) throws {
        switch request.action {
        case .read: try read(c)
        case .search: try search(c)
        case .send, .sendAs, .sendOnBehalf: try send(c)
        case .move: try move(c)
        case .softDelete: try delete(c, hard: false)
        case .hardDelete: try delete(c, hard: true)
        case .createInboxRule: try createInboxRule(c)
        case .updateFolderPermissions: try updateFolderPermissions(c)
        case .addDelegate: try addDelegate(c)
        case .downloadAttachment: try downloadAttachment(c)
        }
    }

    /// MailItemsAccessed, one Bind per item (the audit trail aggregates them in 2-minute
    /// windows), or one Sync per folder when the client synchronises a whole folder (desktop
    /// Outlook). Bound items that were unread become read. [EXCHANGE-FACTS 4.2]
    mutating func read(_ c: Context) throws {
        let messages = try selectMessages(c)
        if request.param("MailAccessType")?.lowercased() == "sync" {
            var seen: [String] = []
            for m in messages where !seen.contains(m.folderId) { seen.append(m.folderId) }
            for folderId in seen {
                events.append(event(c, .MailItemsAccessed, folder: path(of: folderId, in: c.target.guid), access: "Sync"))
            }
            trace.append(StageReport(.policy, .passed, "Synchronised \(seen.count) folder(s) of \(c.target.primarySmtpAddress.address): MailItemsAccessed (Sync) per folder."))
            return
        }
        for m in messages {
            let ref = reference(m)
            events.append(event(c, .MailItemsAccessed, items: [ref], folder: ref.folderPath, access: "Bind"))
            if !m.isRead { changes.append(.messageRead(mailbox: m.mailboxGuid, itemId: m.itemId, isRead: true)) }
        }
        trace.append(StageReport(.policy, .passed, "Read \(messages.count) message(s) in \(c.target.primarySmtpAddress.address): MailItemsAccessed (Bind) per item."))
    }

    /// SearchQueryInitiated (owner searches; E5; not audited by default). The property name
    /// for the query text is INFERRED.
    mutating func search(_ c: Context) throws {
        let query = request.param("Query") ?? request.param("Subject") ?? ""
        let scope = try request.param("Folder").map { try folder($0, in: c.target.guid, parameter: "Folder") }
        let q = query.lowercased()
        let hits = tenant.messages.filter { m in
            m.mailboxGuid == c.target.guid && (scope.map { $0.id == m.folderId } ?? true)
                && (q.isEmpty || m.subject.lowercased().contains(q) || m.from.lowercased().contains(q)
                    || m.attachments.contains { $0.lowercased().contains(q) })
        }
        events.append(event(c, .SearchQueryInitiated, folder: scope?.path, properties: [NameValue("QueryText", query)]))
        trace.append(StageReport(.policy, .passed, "Searched \(c.target.primarySmtpAddress.address) for \"\(query)\": \(hits.count) item(s) match."))
    }

    mutating func send(_ c: Context) throws {
        let to = request.list("To")
        guard !to.isEmpty else {
            throw Denial(reason: "InvalidParameter", by: "To", code: nil, detail: "A message needs at least one recipient (To).")
        }
        let cc = request.list("Cc")
        let subject = request.param("Subject") ?? ""
        let attachments = request.list("Attachments")
        let from = request.action == .send ? (c.actorMailbox?.primarySmtpAddress.address ?? c.actor.userPrincipalName)
            : c.target.primarySmtpAddress.address
        let domain = from.split(separator: "@").last.map(String.init) ?? tenant.info.initialDomain
        let seed = [c.actor.userPrincipalName, from, subject, to.joined(separator: ";"), String(now.timeIntervalSince1970),
                    String(tenant.messages.count)]
        let internetMessageId = "<\(StableIdentifier.hex(["InternetMessageId"] + seed, length: 24).lowercased())@\(domain)>"
        let size = 4_096 + subject.utf8.count * 8 + attachments.count * 48_000
        // The sent copy goes to the sender's own Sent Items: for send-as and send-on-behalf
        // that is the delegate's mailbox (MessageCopyForSentAsEnabled is off by default).
        var sentRef: ItemReference?
        if let senderBox = c.actorMailbox {
            var sent = MailMessage(mailboxGuid: senderBox.guid, itemId: StableIdentifier.itemId(["Sent"] + seed),
                                   folderId: MailFolder.folderId(mailbox: senderBox.guid, name: "Sent Items"),
                                   internetMessageId: internetMessageId, subject: subject, from: from, to: to + cc,
                                   receivedTime: now, sizeBytes: size)
            sent.isRead = true
            sent.attachments = attachments
            changes.append(.messageAdded(sent))
            sentRef = ItemReference(itemId: sent.itemId, internetMessageId: internetMessageId, subject: subject,
                                    folderPath: "\\Sent Items", attachments: attachments, sizeBytes: size)
        }
        // Delivery to recipients inside the organization.
        var delivered: Set<UUID> = []
        for address in to + cc {
            let matches = tenant.mailboxPositions(matching: address)
            guard matches.count == 1 else { continue }
            let box = tenant.mailboxes[matches[0]]
            guard delivered.insert(box.guid).inserted else { continue }
            var copy = MailMessage(mailboxGuid: box.guid, itemId: StableIdentifier.itemId(["Inbox", box.guid.uuidString] + seed),
                                   folderId: MailFolder.folderId(mailbox: box.guid, name: "Inbox"), internetMessageId: internetMessageId,
                                   subject: subject, from: from, to: to + cc, receivedTime: now, sizeBytes: size)
            copy.attachments = attachments
            changes.append(.messageAdded(copy))
        }
        let ref = sentRef ?? ItemReference(itemId: "", internetMessageId: internetMessageId, subject: subject, folderPath: "\\Sent Items",
                                           attachments: attachments, sizeBytes: size)
        switch request.action {
        case .sendAs:
            events.append(event(c, .SendAs, items: [ref], folder: "\\Sent Items", sendAs: c.target.primarySmtpAddress.address))
        case .sendOnBehalf:
            events.append(event(c, .SendOnBehalf, items: [ref], folder: "\\Sent Items", sendAs: c.target.primarySmtpAddress.address))
        default:
            events.append(event(c, .Send, items: [ref], folder: "\\Sent Items"))
        }
        let op = request.action == .sendAs ? "SendAs" : request.action == .sendOnBehalf ? "SendOnBehalf" : "Send"
        trace.append(StageReport(.policy, .passed, "\(c.actor.userPrincipalName) sent \"\(subject)\" from \(from) to \(to.joined(separator: ", ")) (\(op)); \(delivered.count) recipient mailbox(es) in the organization received it."))
    }

    /// Move, or MoveToDeletedItems when the destination is Deleted Items; one grouped event
    /// per source folder.
    mutating func move(_ c: Context) throws {
        guard let destinationText = request.param("Folder") ?? request.param("DestinationFolder") else {
            throw Denial(reason: "InvalidParameter", by: "Folder", code: nil, detail: "move needs the destination Folder.")
        }
        let destination = try folder(destinationText, in: c.target.guid, parameter: "Folder")
        let messages = try selectMessages(c, folderParameter: "SourceFolder").filter { $0.folderId != destination.id }
        guard !messages.isEmpty else {
            throw Denial(reason: "ItemNotFound", by: request.param("Subject") ?? request.param("ItemId"), code: nil,
                         detail: "No message in \(c.target.primarySmtpAddress.address) matches to move.")
        }
        let toDeleted = destination.name == "Deleted Items"
        for (folderId, group) in grouped(messages) {
            events.append(event(c, toDeleted ? .MoveToDeletedItems : .Move, items: group.map { reference($0) },
                                folder: path(of: folderId, in: c.target.guid), destination: destination.path))
        }
        for m in messages { changes.append(.messageMoved(mailbox: m.mailboxGuid, itemId: m.itemId, folderId: destination.id)) }
        trace.append(StageReport(.policy, .passed, "Moved \(messages.count) message(s) to \(destination.path) (\(toDeleted ? "MoveToDeletedItems" : "Move"))."))
    }

    /// SoftDelete moves items to Recoverable Items (out of the client's sight); HardDelete
    /// purges them. [EXCHANGE-FACTS 4.2; M365 audit-mailboxes.md]
    mutating func delete(_ c: Context, hard: Bool) throws {
        let messages = try selectMessages(c, includeRecoverable: hard)
        guard !messages.isEmpty else {
            throw Denial(reason: "ItemNotFound", by: request.param("Subject") ?? request.param("ItemId"), code: nil,
                         detail: "No message in \(c.target.primarySmtpAddress.address) matches to delete.")
        }
        for (folderId, group) in grouped(messages) {
            events.append(event(c, hard ? .HardDelete : .SoftDelete, items: group.map { reference($0) },
                                folder: path(of: folderId, in: c.target.guid)))
        }
        if hard {
            for m in messages { changes.append(.messageRemoved(mailbox: m.mailboxGuid, itemId: m.itemId)) }
        } else {
            let id = MailFolder.folderId(mailbox: c.target.guid, name: Run.recoverableItems)
            if !tenant.folders.contains(where: { $0.mailboxGuid == c.target.guid && $0.folderId == id }) {
                changes.append(.folderAdded(MailFolder(mailboxGuid: c.target.guid, folderId: id, name: Run.recoverableItems,
                                                       folderType: "RecoverableItemsDeletions")))
            }
            for m in messages { changes.append(.messageMoved(mailbox: m.mailboxGuid, itemId: m.itemId, folderId: id)) }
        }
        trace.append(StageReport(.policy, .passed, "\(hard ? "Purged" : "Soft-deleted") \(messages.count) message(s) in \(c.target.primarySmtpAddress.address) (\(hard ? "HardDelete" : "SoftDelete"))."))
    }

    func grouped(_ messages: [MailMessage]) -> [(String, [MailMessage])] {
        var order: [String] = []
        var groups: [String: [MailMessage]] = [:]
        for m in messages {
            if groups[m.folderId] == nil { order.append(m.folderId) }
            groups[m.folderId, default: []].append(m)
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// Downloading an attachment binds the item: MailItemsAccessed (Bind). Exchange has no
    /// separate mailbox audit action for attachment downloads. [EXCHANGE-FACTS 4.2]
    mutating func downloadAttachment(_ c: Context) throws {
        let (message, names) = try attachmentsToDownload(c)
        let ref = reference(message, attachments: names)
        events.append(event(c, .MailItemsAccessed, items: [ref], folder: ref.folderPath, access: "Bind"))
        trace.append(StageReport(.policy, .passed, "Downloaded \(names.joined(separator: ", ")) from \"\(message.subject)\": MailItemsAccessed (Bind)."))
    }

    // MARK: Inbox rules

    /// A RecipientIdParameter: a mailbox of the organization stands for its primary address;
    /// any other SMTP address stands for itself.
    func recipient(_ text: String, parameter: String) throws -> String {
        let matches = tenant.mailboxPositions(matching: text)
        if matches.count == 1 { return tenant.mailboxes[matches[0]].primarySmtpAddress.address }
        if text.contains("@") { return text }
        throw Denial(reason: "InvalidParameter", by: parameter, code: nil, detail: "The recipient \"\(text)\" couldn't be found.")
    }

    /// The order OWA's New-InboxRule lists its parameters in real records: the two OWA
    /// switches, the id-typed parameters, Name, conditions, actions, StopProcessingRules.
    /// [golden t1114.003_rule_mail_forward_same_dest.json, t1564.008_rule_mark_as_read_move.json,
    /// t1564.008_markasread_delete_all_email.json, t1564.008_New inbox rule to delete email.csv]
    static let ruleParameterOrder = [
        "AlwaysDeleteOutlookRulesBlob", "Force", "ForwardAsAttachmentTo", "ForwardTo", "From", "Mailbox", "MoveToFolder", "RedirectTo",
        "Name", "BodyContainsWords", "SubjectContainsWords", "SubjectOrBodyContainsWords", "DeleteMessage", "MarkAsRead",
        "StopProcessingRules",
    ]

    mutating func createInboxRule(_ c: Context) throws {
        guard let name = request.param("Name") else {
            throw Denial(reason: "InvalidParameter", by: "Name", code: nil, detail: "An inbox rule needs a Name.")
        }
        let p = request.accessProtocol
        let viaOwa = p == .OutlookWebApp
        let nextId = (tenant.inboxRules.map(\.ruleIdentity).max() ?? 16_005_619_284_058_300_000) + 1
        let existing = tenant.inboxRules.lazy.filter { $0.mailboxGuid == c.target.guid }.count
        var rule = InboxRule(mailboxGuid: c.target.guid, mailboxName: c.target.name, ruleIdentity: nextId, name: name, priority: existing + 1)
        rule.from = try request.list("From").map { try recipient($0, parameter: "From") }
        rule.forwardTo = try request.list("ForwardTo").map { try recipient($0, parameter: "ForwardTo") }
        rule.forwardAsAttachmentTo = try request.list("ForwardAsAttachmentTo").map { try recipient($0, parameter: "ForwardAsAttachmentTo") }
        rule.redirectTo = try request.list("RedirectTo").map { try recipient($0, parameter: "RedirectTo") }
        rule.subjectContainsWords = request.list("SubjectContainsWords")
        rule.bodyContainsWords = request.list("BodyContainsWords")
        rule.subjectOrBodyContainsWords = request.list("SubjectOrBodyContainsWords")
        var moveFolder: Folder?
        if let f = request.param("MoveToFolder") {
            moveFolder = try folder(f, in: c.target.guid, parameter: "MoveToFolder")
            rule.moveToFolder = moveFolder?.name
        }
        rule.deleteMessage = request.flag("DeleteMessage") ?? false
        rule.markAsRead = request.flag("MarkAsRead") ?? false
        // OWA's new-rule form has "Stop processing more rules" ticked: every OWA-made rule in
        // the golden records carries StopProcessingRules True.
        rule.stopProcessingRules = request.flag("StopProcessingRules") ?? viaOwa
        changes.append(.inboxRuleAdded(rule))

        if [.MAPI, .OutlookAnywhere, .ExchangeWebServices].contains(p) {
            // Outlook and EWS write the rule into the mailbox's rule table: a mailbox audit
            // UpdateInboxRules record, no cmdlet. Property names and order from real
            // records; RuleCondition and RuleActions values are INFERRED renderings.
            let props = [
                NameValue("RuleOperation", "AddMailboxRule"), NameValue("RuleId", "0"),
                NameValue("RuleState", rule.stopProcessingRules ? "Enabled, ExitAfterExecution" : "Enabled"),
                NameValue("RuleCondition", ruleCondition(rule)), NameValue("RuleName", name),
                NameValue("RuleProvider", "RuleOrganizer"), NameValue("RuleActions", ruleActions(rule, folderId: moveFolder?.id)),
            ]
            events.append(event(c, .UpdateInboxRules, folder: "\\Inbox", properties: props))
            trace.append(StageReport(.policy, .passed, "Created the inbox rule \"\(name)\" in \(c.target.primarySmtpAddress.address) over \(p.rawValue): UpdateInboxRules in the mailbox audit log."))
            return
        }
        // OWA, Graph/REST and PowerShell create rules through New-InboxRule: an admin-audit
        // (ExchangeAdmin) record with the rule's parameters. OWA adds its two switches.
        var values: [String: String] = [:]
        if viaOwa {
            values["AlwaysDeleteOutlookRulesBlob"] = "False"
            values["Force"] = "False"
        }
        values["Name"] = name
        if c.logonType != .Owner { values["Mailbox"] = request.mailbox ?? c.target.primarySmtpAddress.address }
        for (key, list) in [("From", rule.from), ("ForwardTo", rule.forwardTo), ("ForwardAsAttachmentTo", rule.forwardAsAttachmentTo),
                            ("RedirectTo", rule.redirectTo), ("SubjectContainsWords", rule.subjectContainsWords),
                            ("BodyContainsWords", rule.bodyContainsWords), ("SubjectOrBodyContainsWords", rule.subjectOrBodyContainsWords)]
        where !list.isEmpty {
            values[key] = list.joined(separator: ", ")
        }
        if let f = rule.moveToFolder { values["MoveToFolder"] = f }
        if rule.deleteMessage || request.flag("DeleteMessage") != nil { values["DeleteMessage"] = rule.deleteMessage ? "True" : "False" }
        if rule.markAsRead || request.flag("MarkAsRead") != nil { values["MarkAsRead"] = rule.markAsRead ? "True" : "False" }
        if viaOwa || request.flag("StopProcessingRules") != nil { values["StopProcessingRules"] = rule.stopProcessingRules ? "True" : "False" }
        let parameters = Run.ruleParameterOrder.compactMap { key in values[key].map { NameValue(key, $0) } }
        events.append(.adminCmdlet(AdminCmdletEvent(time: now, cmdlet: "New-InboxRule", parameters: parameters,
                                                    objectId: "\(c.target.name)\\\(name)", actor: c.actor.userPrincipalName,
                                                    clientIP: cmdletClientIP, succeeded: true)))
        trace.append(StageReport(.policy, .passed, "Created the inbox rule \"\(name)\" in \(c.target.primarySmtpAddress.address) over \(p.rawValue): New-InboxRule in the admin audit log."))
    }

    func ruleCondition(_ rule: InboxRule) -> String {
        var parts: [String] = []
        func any(_ items: [String], _ render: (String) -> String) {
            guard !items.isEmpty else { return }
            parts.append("(" + items.map(render).joined(separator: " OR ") + ")")
        }
        any(rule.from) { "(SenderSearchKey Equal SMTP:\($0.uppercased()))" }
        any(rule.subjectContainsWords) { "(Subject Contains \($0))" }
        any(rule.bodyContainsWords) { "(Body Contains \($0))" }
        any(rule.subjectOrBodyContainsWords) { "((Subject Contains \($0)) OR (Body Contains \($0)))" }
        return parts.isEmpty ? "{}" : "{" + parts.joined(separator: " AND ") + "}"
    }

    func ruleActions(_ rule: InboxRule, folderId: String?) -> String {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func recipients(_ type: String, _ list: [String]) -> String? {
            list.isEmpty ? nil : "{\"ActionType\":\"\(type)\",\"Recipients\":[\(list.map(quoted).joined(separator: ","))]}"
        }
        var actions: [String] = []
        if let folderId { actions.append("{\"ActionType\":\"Move\",\"DestinationFolderId\":\(quoted(folderId)),\"FolderIsInThisStore\":\"True\"}") }
        if rule.deleteMessage { actions.append("{\"ActionType\":\"Delete\"}") }
        if let a = recipients("Forward", rule.forwardTo) { actions.append(a) }
        if let a = recipients("ForwardAsAttachment", rule.forwardAsAttachmentTo) { actions.append(a) }
        if let a = recipients("Redirect", rule.redirectTo) { actions.append(a) }
        if rule.markAsRead { actions.append("{\"ActionType\":\"MarkAsRead\"}") }
        return "[" + actions.joined(separator: ",") + "]"
    }

    // MARK: Permissions

    /// The user named by `User`: a directory user or a mailbox of the organization.
    func trustee(_ c: Context) throws -> (upn: String, sid: String?) {
        guard let text = request.param("User") else {
            throw Denial(reason: "InvalidParameter", by: "User", code: nil, detail: "\(request.action.rawValue) needs a User.")
        }
        if let u = tenant.user(upn: text) { return (u.userPrincipalName, MailboxActionEvaluator.ownMailbox(of: u, in: tenant)?.sid) }
        let matches = tenant.mailboxPositions(matching: text)
        if matches.count == 1 { let m = tenant.mailboxes[matches[0]]; return (m.userPrincipalName, m.sid) }
        throw Denial(reason: "InvalidParameter", by: "User", code: nil, detail: "The user \"\(text)\" couldn't be found.")
    }

    /// Folder permission changes: UpdateFolderPermissions in the mailbox audit log (Exchange
    /// folds Add/Modify/RemoveFolderPermissions into it), with the member and rights as the
    /// record's ParentFolder shows them; over PowerShell, Add-MailboxFolderPermission. The
    /// tenant model keeps no folder permissions, so nothing changes in the tenant.
    mutating func updateFolderPermissions(_ c: Context) throws {
        let member = try trustee(c)
        let folderText = request.param("Folder") ?? "Inbox"
        let f = try folder(folderText, in: c.target.guid, parameter: "Folder")
        let rights = request.param("AccessRights") ?? "Reviewer"
        if Run.adminProtocols.contains(request.accessProtocol) {
            let params = [NameValue("Identity", "\(c.target.alias):\(f.path)"), NameValue("User", member.upn), NameValue("AccessRights", rights)]
            events.append(.adminCmdlet(AdminCmdletEvent(time: now, cmdlet: "Add-MailboxFolderPermission", parameters: params,
                                                        objectId: "\(c.target.name):\(f.path)", actor: c.actor.userPrincipalName,
                                                        clientIP: cmdletClientIP, succeeded: true)))
            trace.append(StageReport(.policy, .passed, "Gave \(member.upn) \(rights) on \(f.path) of \(c.target.primarySmtpAddress.address): Add-MailboxFolderPermission."))
            return
        }
        var props = [NameValue("MemberUpn", member.upn), NameValue("MemberRights", rights)]
        if let sid = member.sid { props.append(NameValue("MemberSid", sid)) }
        events.append(event(c, .UpdateFolderPermissions, folder: f.path, properties: props))
        trace.append(StageReport(.policy, .passed, "Gave \(member.upn) \(rights) on \(f.path) of \(c.target.primarySmtpAddress.address): UpdateFolderPermissions."))
    }

    /// Delegation by an administrator: FullAccess (and the other mailbox rights) with
    /// Add-MailboxPermission, SendAs with Add-RecipientPermission, send-on-behalf with
    /// Set-Mailbox -GrantSendOnBehalfTo — each an admin audit record shaped like the golden
    /// ones (Identity, AccessRights, User, InheritanceType All; Identity, Trustee,
    /// AccessRights). [golden t1098.002_*]
    mutating func addDelegate(_ c: Context) throws {
        let member = try trustee(c)
        let identity = request.mailbox ?? c.target.primarySmtpAddress.address
        let rightsText = request.param("AccessRights") ?? "FullAccess"
        let ip = cmdletClientIP
        if rightsText.lowercased() == "sendonbehalf" || rightsText.lowercased() == "sendonbehalfof" {
            changes.append(.sendOnBehalfGranted(mailbox: c.target.guid, user: member.upn))
            events.append(.adminCmdlet(AdminCmdletEvent(time: now, cmdlet: "Set-Mailbox",
                                                        parameters: [NameValue("Identity", identity), NameValue("GrantSendOnBehalfTo", member.upn)],
                                                        objectId: c.target.name, actor: c.actor.userPrincipalName, clientIP: ip, succeeded: true)))
            trace.append(StageReport(.policy, .passed, "Added \(member.upn) to \(c.target.primarySmtpAddress.address)'s GrantSendOnBehalfTo: Set-Mailbox."))
            return
        }
        var rights: [MailboxRights] = []
        for text in request.list("AccessRights").isEmpty ? ["FullAccess"] : request.list("AccessRights") {
            guard let r = MailboxRights.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw Denial(reason: "InvalidParameter", by: "AccessRights", code: nil,
                             detail: "\"\(text)\" is not a mailbox right (FullAccess, SendAs, ExternalAccount, DeleteItem, ReadPermission, ChangePermission, ChangeOwner, or SendOnBehalf).")
            }
            rights.append(r)
        }
        changes.append(.mailboxPermissionAdded(MailboxPermission(mailboxGuid: c.target.guid, mailboxName: c.target.name,
                                                                 user: member.upn, accessRights: rights)))
        if rights.contains(.SendAs) {
            events.append(.adminCmdlet(AdminCmdletEvent(time: now, cmdlet: "Add-RecipientPermission",
                                                        parameters: [NameValue("Identity", identity), NameValue("Trustee", member.upn),
                                                                     NameValue("AccessRights", "SendAs")],
                                                        objectId: c.target.name, actor: c.actor.userPrincipalName, clientIP: ip, succeeded: true)))
        }
        let mailboxRights = rights.filter { $0 != .SendAs }
        if !mailboxRights.isEmpty {
            events.append(.adminCmdlet(AdminCmdletEvent(time: now, cmdlet: "Add-MailboxPermission",
                                                        parameters: [NameValue("Identity", identity),
                                                                     NameValue("AccessRights", mailboxRights.map(\.rawValue).joined(separator: ", ")),
                                                                     NameValue("User", member.upn), NameValue("InheritanceType", "All")],
                                                        objectId: c.target.name, actor: c.actor.userPrincipalName, clientIP: ip, succeeded: true)))
        }
        trace.append(StageReport(.policy, .passed, "Gave \(member.upn) \(rights.map(\.rawValue).joined(separator: ", ")) on \(c.target.primarySmtpAddress.address)."))
    }
}

// MARK: - Deterministic identifiers

/// Identifiers derived from their inputs (FNV-1a), so an evaluation stays a pure function
/// of the tenant and the request and a replayed scenario produces the same ids.
enum StableIdentifier {
    static func hash(_ parts: [String], seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for part in parts {
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func uuid(_ parts: String...) -> UUID {
        UUID(version4Bits: hash(parts, seed: 0x5A17), hash(parts, seed: 0xB0B5))
    }

    static func hex(_ parts: [String], length: Int) -> String {
        var out = ""
        var seed: UInt64 = 1
        while out.count < length {
            out += String(hash(parts, seed: seed), radix: 16, uppercase: true).leftPadded16
            seed += 1
        }
        return String(out.prefix(length))
    }

    /// An EWS-style item id like the fixtures' (`AAMkAG…AAA=`).
    static func itemId(_ parts: [String]) -> String { "AAMkAG\(hex(parts, length: 16))AAA=" }
}

private extension String {
    var leftPadded16: String { count >= 16 ? self : String(repeating: "0", count: 16 - count) + self }
}
