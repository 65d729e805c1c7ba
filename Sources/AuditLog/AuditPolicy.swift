import Foundation
import TenantModel

/// What the service logs, and when: the rules that turn an ``AuditEvent`` into records in
/// the unified audit log, the mailbox audit log and the Entra sign-in log, and the
/// retention that removes them. The shapes of the records are ``RecordFactory``'s.
enum AuditPolicy {
    static func record(_ event: AuditEvent, in tenant: Tenant, trail: inout AuditTrail) {
        let ingestion = tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled
        if ingestion { trail.policyState.switchOffRecorded = false }
        switch event {
        case .signIn(let e): recordSignIn(e, tenant: tenant, ingestion: ingestion, trail: &trail)
        case .adminCmdlet(let e): recordAdminCmdlet(e, tenant: tenant, ingestion: ingestion, trail: &trail)
        case .mailboxAction(let e): recordMailboxAction(e, tenant: tenant, ingestion: ingestion, trail: &trail)
        case .directoryChange(let e): recordDirectoryChange(e, tenant: tenant, ingestion: ingestion, trail: &trail)
        }
        trail.policyState.lastIngestionEnabled = ingestion
    }

    // MARK: Sign-ins

    /// Every sign-in, successful or not, is in the Entra sign-in log; the unified audit log
    /// has it (UserLoggedIn / UserLoginFailed) only while ingestion is on. The two share the
    /// request id. [EXCHANGE-FACTS 5.1, 5.4; GRAPH signin.md]
    static func recordSignIn(_ e: SignInEvent, tenant: Tenant, ingestion: Bool, trail: inout AuditTrail) {
        let user = tenant.user(upn: e.userPrincipalName)
        let id = RecordFactory.signInRequestId(ids: &trail.ids)
        let correlationId = trail.ids.newGuid()
        let resource = RecordFactory.signIn(e, id: id, correlationId: correlationId, user: user)
        trail.append(SignInRecord(id: id, createdDateTime: e.time, userPrincipalName: e.userPrincipalName, errorCode: e.errorCode,
                                  appDisplayName: e.appDisplayName, clientAppUsed: e.clientAppUsed,
                                  ipAddress: RecordFactory.hostOnly(e.clientIP), resource: resource))
        guard ingestion else { return }
        let sessionId = e.succeeded ? trail.ids.newGuid() : nil
        let data = RecordFactory.stsLogon(e, id: id, correlationId: correlationId, sessionId: sessionId, user: user, tenant: tenant)
        trail.append(RecordFactory.unified(data, id: id, time: e.time, recordType: .AzureActiveDirectoryStsLogon))
    }

    // MARK: Admin cmdlets

    /// Cmdlets that change the tenant are recorded as ExchangeAdmin records while ingestion is
    /// on; Get-/Test-/Search- cmdlets never are. A cmdlet that failed is recorded with
    /// ResultStatus "False" (the admin audit log's Succeeded). Turning ingestion off is
    /// itself recorded — the golden t1562 records exist — once, whether the command layer
    /// reports it before or after the switch flips; after it, nothing more is, a repeat of
    /// the command included. Turning it on is recorded too. [EXCHANGE-FACTS 5.1, 5.4]
    static func recordAdminCmdlet(_ e: AdminCmdletEvent, tenant: Tenant, ingestion: Bool, trail: inout AuditTrail) {
        guard isMutating(e.cmdlet) else { return }
        let switchOff = ingestionSwitch(e) == false
        if !ingestion, ingestionSwitch(e) != true {
            guard switchOff, trail.policyState.lastIngestionEnabled != false, !trail.policyState.switchOffRecorded else { return }
        }
        if switchOff { trail.policyState.switchOffRecorded = true }
        let actor = e.actor.flatMap { tenant.user(upn: $0) }
        let id = RecordFactory.exchangeRecordId(at: e.time, ids: &trail.ids)
        var clientIP: String?
        var sessionId: UUID?
        if let name = e.actor {
            clientIP = RecordFactory.withPort(e.clientIP, port: 1_024 + trail.ids.next(below: 64_511))
            sessionId = adminSession(for: name, trail: &trail)
        }
        let data = RecordFactory.exchangeAdmin(e, id: id, actor: actor, objectId: adminObjectId(e, tenant: tenant),
                                               clientIP: clientIP, sessionId: sessionId, tenant: tenant)
        trail.append(RecordFactory.unified(data, id: id, time: e.time, recordType: .ExchangeAdmin))
    }

    static func isMutating(_ cmdlet: String) -> Bool {
        let verb = cmdlet.split(separator: "-").first.map { $0.lowercased() } ?? ""
        return !["get", "test", "search", "export"].contains(verb)
    }

    /// The value a Set-AdminAuditLogConfig command gives UnifiedAuditLogIngestionEnabled, if any.
    static func ingestionSwitch(_ e: AdminCmdletEvent) -> Bool? {
        guard e.cmdlet.lowercased() == "set-adminauditlogconfig",
              let p = e.parameters.last(where: { $0.name.lowercased() == "unifiedauditlogingestionenabled" }) else { return nil }
        switch p.value.lowercased() {
        case "false", "$false", "0": return false
        case "true", "$true", "1": return true
        default: return nil
        }
    }

    /// One SessionId per admin connection: the records of one shell share it. [golden t1562 records]
    static func adminSession(for actor: String, trail: inout AuditTrail) -> UUID {
        let key = actor.lowercased()
        if let id = trail.policyState.adminSessions[key] { return id }
        let id = trail.ids.newGuid()
        trail.policyState.adminSessions[key] = id
        return id
    }

    /// The record's ObjectId: "Admin Audit Log Settings" for the config, the directory object
    /// id of a mailbox the cmdlet changed (`<id>\<rule>` for inbox rules), otherwise the
    /// identity as given. [golden Set-Mailbox, Set-CASMailbox, Set-MailboxAuditBypassAssociation,
    /// Add-MailboxPermission, Set-InboxRule records]
    static func adminObjectId(_ e: AdminCmdletEvent, tenant: Tenant) -> String {
        if e.cmdlet.lowercased() == "set-adminauditlogconfig" { return tenant.adminAuditLogConfig.name }
        func mailboxObjectId(_ identity: String) -> String? {
            guard let position = tenant.mailboxPositions(matching: identity).first else { return nil }
            let mailbox = tenant.mailboxes[position]
            return mailbox.userObjectId.map(RecordFactory.guid) ?? mailbox.name
        }
        if let slash = e.objectId.firstIndex(of: "\\") {
            let owner = String(e.objectId[..<slash])
            guard let resolved = mailboxObjectId(owner) else { return e.objectId }
            return resolved + e.objectId[slash...]
        }
        return mailboxObjectId(e.objectId) ?? e.objectId
    }

    // MARK: Mailbox actions

    /// A mailbox action is recorded only where mailbox auditing says so: the organization has
    /// not turned auditing off, the mailbox audits the action for the logon type, the acting
    /// account has no audit bypass, and the licence covers the action (MailItemsAccessed,
    /// Send, SearchQueryInitiated are E5). The mailbox audit log then has it; the unified
    /// audit log too while ingestion is on and the owner is E5 or the mailbox has
    /// AuditEnabled set explicitly. [EXCHANGE-FACTS 4.1, 4.2]
    static func recordMailboxAction(_ e: MailboxActionEvent, tenant: Tenant, ingestion: Bool, trail: inout AuditTrail) {
        guard let mailbox = tenant.mailbox(guid: e.mailboxGuid) else { return }
        let actorUser = tenant.user(upn: e.actor)
        let actorMailbox = actorMailbox(e.actor, user: actorUser, tenant: tenant)
        // Bypass: nothing the account does is logged, in any mailbox. [EXCHANGE-FACTS 4.1]
        if actorMailbox?.auditBypassEnabled == true { return }
        if requiresE5(e.operation), mailbox.licenseTier != .E5 { return }
        guard mailbox.audits(e.operation, by: e.logonType, organizationAuditDisabled: tenant.organizationConfig.auditDisabled) else {
            return
        }
        // Only E5 owners' mailbox records reach audit search by default; others need
        // AuditEnabled set on the mailbox. [EXCHANGE-FACTS 4.1 Licensing]
        let toUnified = ingestion && (mailbox.licenseTier == .E5 || mailbox.auditEnabled)
        let actor = RecordFactory.MailboxActor(
            userPrincipalName: actorUser?.userPrincipalName ?? e.actor,
            displayName: actorUser?.displayName ?? actorMailbox?.displayName ?? e.actor,
            puid: actorUser?.puid,
            sid: actorMailbox?.sid ?? actorUser.map { Mailbox.sid(for: $0.objectId) } ?? "S-1-5-18",
            isAdmin: actorUser?.isAdmin ?? false)
        if e.operation == .MailItemsAccessed {
            recordMailItemsAccessed(e, mailbox: mailbox, actor: actor, tenant: tenant, toUnified: toUnified, trail: &trail)
            return
        }
        let id = RecordFactory.exchangeRecordId(at: e.time, ids: &trail.ids)
        let details = RecordFactory.mailboxAuditDetails(e, mailbox: mailbox, actor: actor, time: e.time)
        trail.append(mailboxEntry(e, id: id, time: e.time, mailbox: mailbox, actor: actor, details: details))
        guard toUnified else { return }
        let data = RecordFactory.mailboxAction(e, id: id, mailbox: mailbox, actor: actor, tenant: tenant)
        trail.append(RecordFactory.unified(data, id: id, time: e.time, recordType: RecordFactory.recordType(for: e.operation)))
    }

    /// Actions that only Audit (Premium) / E5 mailboxes log. [EXCHANGE-FACTS 4.2]
    static func requiresE5(_ operation: MailboxAuditOperations) -> Bool {
        operation == .MailItemsAccessed || operation == .Send || operation == .SearchQueryInitiated
    }

    static func actorMailbox(_ actor: String, user: User?, tenant: Tenant) -> Mailbox? {
        if let position = tenant.mailboxPositions(matching: actor).first { return tenant.mailboxes[position] }
        return user.flatMap { tenant.mailbox(forUser: $0) }
    }

    static func mailboxEntry(_ e: MailboxActionEvent, id: UUID, time: Date, mailbox: Mailbox, actor: RecordFactory.MailboxActor,
                             details: JSONObject) -> MailboxAuditRecord {
        MailboxAuditRecord(id: id, mailboxGuid: mailbox.guid, creationTime: time, operation: e.operation,
                           operationResult: e.succeeded ? "Succeeded" : "Failed", logonType: e.logonType,
                           logonUser: actor.userPrincipalName, logonUserDisplayName: actor.displayName,
                           mailboxOwnerUPN: mailbox.userPrincipalName, clientInfoString: e.clientInfoString,
                           clientIPAddress: RecordFactory.hostOnly(e.clientIP), externalAccess: false, details: details)
    }

    // MARK: MailItemsAccessed

    /// Sync: one record per folder, a repeat within the hour dropped, never throttled.
    /// Bind: messages bound within two minutes in one context are one record (OperationCount,
    /// Folders[].FolderItems[]); a message already recorded in that context within the hour
    /// is not recorded again; a mailbox's record that takes it over 1,000 records in 24 hours
    /// carries IsThrottled True and bind records stop for 24 hours. [EXCHANGE-FACTS 4.2]
    static func recordMailItemsAccessed(_ e: MailboxActionEvent, mailbox: Mailbox, actor: RecordFactory.MailboxActor,
                                        tenant: Tenant, toUnified: Bool, trail: inout AuditTrail) {
        let context = MailItemsAccessedState.AccessContext(e)
        if (e.mailAccessType ?? "Bind").lowercased() == "sync" {
            var paths = e.items.map(\.folderPath)
            if let folder = e.folderPath { paths.insert(folder, at: 0) }
            for path in unique(paths.isEmpty ? ["\\Inbox"] : paths) where !trail.mailItemsAccessed.isDuplicate(context, "sync|" + path, at: e.time) {
                trail.mailItemsAccessed.remember(context, "sync|" + path, at: e.time)
                let throttled = trail.mailItemsAccessed.countRecord(mailbox.guid, at: e.time)
                writeMailItemsAccessed(e, time: e.time, mailbox: mailbox, actor: actor, tenant: tenant, toUnified: toUnified,
                                       accessType: "Sync", folders: [RecordFactory.AccessedFolder(path: path, items: [])],
                                       count: 1, throttled: throttled, trail: &trail)
            }
            return
        }
        guard !trail.mailItemsAccessed.isThrottled(mailbox.guid, at: e.time) else { return }
        var fresh: [ItemReference] = []
        for item in e.items where !trail.mailItemsAccessed.isDuplicate(context, "bind|" + item.internetMessageId, at: e.time)
            && !fresh.contains(where: { $0.internetMessageId == item.internetMessageId }) {
            fresh.append(item)
        }
        guard !fresh.isEmpty else { return }
        for item in fresh { trail.mailItemsAccessed.remember(context, "bind|" + item.internetMessageId, at: e.time) }

        if var open = trail.mailItemsAccessed.openAggregates[context],
           e.time.timeIntervalSince(open.start) < MailItemsAccessedState.aggregationWindow,
           trail.mailbox.last(where: { $0.id == open.mailboxRecordId }) != nil {
            open.folders = merge(open.folders, fresh)
            open.operationCount += fresh.count
            trail.mailItemsAccessed.openAggregates[context] = open
            rewriteAggregate(open, mailbox: mailbox, actor: actor, tenant: tenant, trail: &trail)
            return
        }
        let throttled = trail.mailItemsAccessed.countRecord(mailbox.guid, at: e.time)
        let folders = merge([], fresh)
        let (mailboxId, unifiedId) = writeMailItemsAccessed(e, time: e.time, mailbox: mailbox, actor: actor, tenant: tenant,
                                                            toUnified: toUnified, accessType: "Bind", folders: folders,
                                                            count: fresh.count, throttled: throttled, trail: &trail)
        if throttled {
            trail.mailItemsAccessed.openAggregates[context] = nil
        } else {
            trail.mailItemsAccessed.openAggregates[context] = .init(firstEvent: e, mailboxRecordId: mailboxId, unifiedRecordId: unifiedId,
                                                                    start: e.time, folders: folders, operationCount: fresh.count)
        }
    }

    @discardableResult
    static func writeMailItemsAccessed(_ e: MailboxActionEvent, time: Date, mailbox: Mailbox, actor: RecordFactory.MailboxActor,
                                       tenant: Tenant, toUnified: Bool, accessType: String, folders: [RecordFactory.AccessedFolder],
                                       count: Int, throttled: Bool, trail: inout AuditTrail) -> (UUID, UUID?) {
        let id = RecordFactory.exchangeRecordId(at: time, ids: &trail.ids)
        let details = RecordFactory.mailboxAuditDetails(e, mailbox: mailbox, actor: actor, time: time, accessType: accessType,
                                                        folders: folders, operationCount: count, isThrottled: throttled)
        trail.append(mailboxEntry(e, id: id, time: time, mailbox: mailbox, actor: actor, details: details))
        guard toUnified else { return (id, nil) }
        let data = RecordFactory.mailItemsAccessed(e, id: id, time: time, mailbox: mailbox, actor: actor, tenant: tenant,
                                                   accessType: accessType, folders: folders, operationCount: count,
                                                   isThrottled: throttled)
        trail.append(RecordFactory.unified(data, id: id, time: time, recordType: .ExchangeItemAggregated))
        return (id, id)
    }

    /// Rewrites an open aggregate's records (both logs) with its folders and count so far.
    static func rewriteAggregate(_ open: MailItemsAccessedState.OpenAggregate, mailbox: Mailbox, actor: RecordFactory.MailboxActor,
                                 tenant: Tenant, trail: inout AuditTrail) {
        let e = open.firstEvent
        if let i = trail.mailbox.lastIndex(where: { $0.id == open.mailboxRecordId }) {
            trail.mailbox[i].details = RecordFactory.mailboxAuditDetails(e, mailbox: mailbox, actor: actor, time: open.start,
                                                                         accessType: "Bind", folders: open.folders,
                                                                         operationCount: open.operationCount)
        }
        if let unifiedId = open.unifiedRecordId, let i = trail.unified.lastIndex(where: { $0.id == unifiedId }) {
            trail.unified[i].auditData = RecordFactory.mailItemsAccessed(e, id: unifiedId, time: open.start, mailbox: mailbox,
                                                                         actor: actor, tenant: tenant, accessType: "Bind",
                                                                         folders: open.folders,
                                                                         operationCount: open.operationCount, isThrottled: false)
        }
    }

    /// Adds items to the folders they are in, keeping first-seen order.
    static func merge(_ folders: [RecordFactory.AccessedFolder], _ items: [ItemReference]) -> [RecordFactory.AccessedFolder] {
        var folders = folders
        for item in items {
            if let i = folders.firstIndex(where: { $0.path == item.folderPath }) {
                folders[i].items.append(item)
            } else {
                folders.append(RecordFactory.AccessedFolder(path: item.folderPath, items: [item]))
            }
        }
        return folders
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    // MARK: Directory changes

    /// Entra changes (user updates, per-user MFA) are AzureActiveDirectory records while
    /// ingestion is on. The records one change writes share their request ids. [golden t1556]
    static func recordDirectoryChange(_ e: DirectoryChangeEvent, tenant: Tenant, ingestion: Bool, trail: inout AuditTrail) {
        guard ingestion else { return }
        let id = trail.ids.newGuid()
        let request: AuditPolicyState.DirectoryRequest
        if let last = trail.policyState.lastDirectoryRequest, last.actor == e.actor.lowercased(),
           last.target == e.targetUserPrincipalName.lowercased(), last.time == e.time {
            request = last
        } else {
            request = .init(actor: e.actor.lowercased(), target: e.targetUserPrincipalName.lowercased(), time: e.time,
                            interSystemsId: trail.ids.newGuid(), intraSystemId: trail.ids.newGuid())
            trail.policyState.lastDirectoryRequest = request
        }
        let data = RecordFactory.directoryChange(e, id: id, interSystemsId: request.interSystemsId,
                                                 intraSystemId: request.intraSystemId, actor: tenant.user(upn: e.actor),
                                                 target: tenant.user(upn: e.targetUserPrincipalName), tenant: tenant)
        trail.append(RecordFactory.unified(data, id: id, time: e.time, recordType: .AzureActiveDirectory))
    }

    // MARK: Retention

    /// Mailbox audit records older than their mailbox's AuditLogAgeLimit go (a limit of
    /// 00:00:00 removes them all, as the Managed Folder Assistant does on its next run);
    /// unified records older than the tenant's retention go. The Entra sign-in log is kept.
    /// [EXCHANGE-FACTS 4.1, 5.1]
    static func expire(now: Date, tenant: Tenant, trail: inout AuditTrail) {
        let defaultLimit = TimeInterval(EnhancedTimeSpan.days(90).seconds)
        var limits: [UUID: TimeInterval] = [:]
        trail.mailbox.removeAll { record in
            let limit = limits[record.mailboxGuid] ?? {
                let l = tenant.mailbox(guid: record.mailboxGuid).map { TimeInterval($0.auditLogAgeLimit.seconds) } ?? defaultLimit
                limits[record.mailboxGuid] = l
                return l
            }()
            return now.timeIntervalSince(record.creationTime) >= limit
        }
        let retention = TimeInterval(tenant.info.unifiedAuditRetentionDays * 86_400)
        trail.unified.removeAll { now.timeIntervalSince($0.creationTime) >= retention }
    }
}
