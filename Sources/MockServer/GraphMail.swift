import AccessControl
import AuditLog
import Foundation
import Shell
import TenantModel

/// Inbox rules (`/users/{id}/mailFolders/inbox/messageRules`, `/me/...`) and messages
/// (`/users/{id}/messages`). Graph reaches Exchange over REST: a delegated caller's request
/// is checked against the access pipeline as a REST connection with OAuth, and creating a
/// rule is a mailbox action evaluated and audited like any other client's.
enum GraphMail {
    static let rulesRead = ["MailboxSettings.Read", "MailboxSettings.ReadWrite"]
    static let rulesWrite = ["MailboxSettings.ReadWrite"]
    static let mailRead = ["Mail.Read", "Mail.ReadBasic.All", "Mail.ReadWrite"]

    static let ruleSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["displayName"]),
        "properties": .object([
            "displayName": .object(["type": "string"]), "sequence": .object(["type": "integer"]), "isEnabled": .object(["type": "boolean"]),
            "conditions": .object(["type": "object"]), "actions": .object(["type": "object"]),
        ]),
    ])

    static func routes(_ v: String) -> [Route] {
        var routes: [Route] = []
        // Both are self-service: Exchange decides who may open the mailbox (owner, delegate, or an app).
        for (prefix, isMe) in [("/\(v)/users/{id}", false), ("/\(v)/me", true)] {
            let selfService = true
            let who: @Sendable (RouteContext) throws -> String = { c in isMe ? try GraphRoutes.me(c) : c.parameter("id") }
            let rules = "\(prefix)/mailFolders/inbox/messageRules"
            routes += [
                Route("GET", rules, family: .graph, permissions: rulesRead, selfService: selfService,
                      doc: RouteDoc("Lists the inbox rules of a mailbox", responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema, notFound: true))) { c in
                    try await listRules(c, v, key: try who(c))
                },
                Route("GET", rules + "/{ruleId}", family: .graph, permissions: rulesRead, selfService: selfService,
                      doc: RouteDoc("Gets one inbox rule", responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in
                    try await listRules(c, v, key: try who(c), ruleId: c.parameter("ruleId"))
                },
                Route("POST", rules, family: .graph, permissions: rulesWrite, selfService: selfService,
                      doc: RouteDoc("Creates an inbox rule (a mailbox action over REST, audited)", request: ruleSchema,
                                    responses: GraphRoutes.writeResponses(201, GraphRoutes.entitySchema))) { c in
                    try await createRule(c, v, key: try who(c))
                },
                Route("DELETE", rules + "/{ruleId}", family: .graph, permissions: rulesWrite, selfService: selfService,
                      doc: RouteDoc("Deletes an inbox rule", responses: GraphRoutes.writeResponses(204))) { c in
                    try await deleteRule(c, key: try who(c), ruleId: c.parameter("ruleId"))
                },
                Route("GET", "\(prefix)/messages", family: .graph, permissions: mailRead, selfService: selfService,
                      doc: RouteDoc("Lists messages in a mailbox, newest first (default page 10)", query: GraphRoutes.listQuery,
                                    responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema, notFound: true))) { c in
                    try await messages(c, v, key: try who(c))
                },
            ]
        }
        return routes
    }

    // MARK: Resolving the mailbox and the caller's access

    /// The mailbox of the user `key` names, after the checks Exchange makes for a Graph
    /// caller: the user exists, has a mailbox, and a delegated caller may open it over REST.
    static func mailbox(_ key: String, principal: Principal?, request: SimRequest, in h: isolated TenantHost) throws(APIError) -> (User, Mailbox) {
        let t = h.session.tenant
        guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
        let user = t.users[i]
        guard let position = t.mailboxPositions(matching: user.userPrincipalName).first(where: { t.mailboxes[$0].userObjectId == user.objectId }) else {
            // What Graph says for a user without an Exchange Online mailbox.
            throw APIError(status: 404, code: "MailboxNotEnabledForRESTAPI",
                           message: "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
        }
        let mailbox = t.mailboxes[position]
        if let upn = principal?.userPrincipalName {
            guard let caller = t.user(upn: upn) else { throw accessDenied("the token's user \(upn) no longer exists") }
            let attempt = AccessAttempt(user: caller.userPrincipalName, accessProtocol: .REST, clientIP: request.clientIP,
                                        clientPort: request.clientPort, authentication: .OAuthAuthentication, password: nil,
                                        mfaCompleted: true, userAgent: request.header("user-agent"))
            let decision = h.check(attempt)
            guard decision.outcome == .Allowed else {
                var e = accessDenied("\(decision.by.map { "\($0): " } ?? "")\(decision.reason)")
                e.headers = [("X-TenantSim-Decision", "Denied: \(decision.reason)")]
                throw e
            }
            // An administrator role alone opens no mailbox. [EXCHANGE-FACTS 4.2]
            guard MailboxActionEvaluator.logonType(actor: caller, on: mailbox, in: t) != nil else {
                throw accessDenied("\(caller.userPrincipalName) has no access to \(mailbox.primarySmtpAddress.address)")
            }
        }
        return (user, mailbox)
    }

    /// Exchange's 403 through Graph.
    static func accessDenied(_ why: String) -> APIError {
        APIError(status: 403, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again. (\(why))")
    }

    // MARK: Rules

    /// Graph's rule id: the rule's 64-bit id as base64 (URL-safe alphabet, so it fits a path segment).
    static func ruleId(_ rule: InboxRule) -> String {
        let data = withUnsafeBytes(of: rule.ruleIdentity.littleEndian) { Data($0) }
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func ruleIdentity(_ id: String) -> UInt64? {
        let text = id.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: text), data.count == 8 else { return nil }
        return data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    static func recipient(_ address: String) -> JSONValue {
        .object(["emailAddress": .object(["name": .string(address), "address": .string(address)])])
    }

    /// A messageRule. [Graph v1.0 messageRule resource type]
    static func ruleJSON(_ r: InboxRule, tenant: Tenant) -> JSONObject {
        var conditions = JSONObject()
        if !r.from.isEmpty { conditions.append("fromAddresses", .array(r.from.map(recipient))) }
        if !r.subjectContainsWords.isEmpty { conditions.append("subjectContains", .array(r.subjectContainsWords.map(JSONValue.string))) }
        if !r.bodyContainsWords.isEmpty { conditions.append("bodyContains", .array(r.bodyContainsWords.map(JSONValue.string))) }
        if !r.subjectOrBodyContainsWords.isEmpty {
            conditions.append("bodyOrSubjectContains", .array(r.subjectOrBodyContainsWords.map(JSONValue.string)))
        }
        var actions = JSONObject()
        if let folder = r.moveToFolder {
            let id = tenant.folders.first { $0.mailboxGuid == r.mailboxGuid && $0.name.caseInsensitiveCompare(folder) == .orderedSame }?.folderId
                ?? MailFolder.folderId(mailbox: r.mailboxGuid, name: folder)
            actions.append("moveToFolder", .string(id))
        }
        if !r.forwardTo.isEmpty { actions.append("forwardTo", .array(r.forwardTo.map(recipient))) }
        if !r.forwardAsAttachmentTo.isEmpty { actions.append("forwardAsAttachmentTo", .array(r.forwardAsAttachmentTo.map(recipient))) }
        if !r.redirectTo.isEmpty { actions.append("redirectTo", .array(r.redirectTo.map(recipient))) }
        if r.deleteMessage { actions.append("delete", true) }
        if r.markAsRead { actions.append("markAsRead", true) }
        actions.append("stopProcessingRules", .bool(r.stopProcessingRules))
        var o = JSONObject()
        o.append("id", .string(ruleId(r)))
        o.append("displayName", .string(r.name))
        o.append("sequence", .int(r.priority))
        o.append("isEnabled", .bool(r.enabled))
        o.append("hasError", .bool(r.inError))
        o.append("isReadOnly", false)
        o.append("conditions", .object(conditions))
        o.append("actions", .object(actions))
        return o
    }

    static func listRules(_ c: RouteContext, _ v: String, key: String, ruleId: String? = nil) async throws -> SimResponse {
        let host = try c.tenant
        let principal = c.principal
        let request = c.request
        let context = GraphRoutes.metadata(c, v, "users('\(key)')/mailFolders('inbox')/messageRules")
        let body = try await host.perform { (h) throws(APIError) -> JSONValue in
            let (_, mailbox) = try mailbox(key, principal: principal, request: request, in: h)
            let t = h.session.tenant
            let rules = t.inboxRules.filter { $0.mailboxGuid == mailbox.guid }.sorted { $0.priority < $1.priority }
            if let ruleId {
                guard let id = ruleIdentity(ruleId), let rule = rules.first(where: { $0.ruleIdentity == id }) else { throw ruleNotFound }
                return ODataCollection.entity(ruleJSON(rule, tenant: t), select: nil, context: context)
            }
            return .object(["@odata.context": .string(context), "value": .array(rules.map { .object(ruleJSON($0, tenant: t)) })])
        }
        return GraphRoutes.ok(body)
    }

    /// Exchange's answer through Graph for an item id that isn't there.
    static let ruleNotFound = APIError(status: 404, code: "ErrorItemNotFound", message: "The specified object was not found in the store.")

    /// Well-known folder names Graph accepts in place of ids.
    static let wellKnownFolders = ["inbox": "Inbox", "sentitems": "Sent Items", "deleteditems": "Deleted Items", "drafts": "Drafts",
                                   "archive": "Archive", "junkemail": "Junk Email"]

    /// The mailbox action parameters of a messageRule body; ODataLib-style 400s for the rest.
    static func ruleParameters(_ body: JSONObject, mailbox: UUID, tenant: Tenant) throws(APIError) -> [String: String] {
        try GraphRoutes.checkMembers(body, typeName: "microsoft.graph.messageRule",
                                     writable: ["displayName", "sequence", "isEnabled", "conditions", "actions"],
                                     readOnly: ["id", "hasError", "isReadOnly"])
        guard case .string(let name)? = body["displayName"], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(status: 400, code: "ErrorInvalidRequest", message: "The rule's displayName is required.")
        }
        if let s = body["sequence"], s.intValue == nil { throw GraphRoutes.typeMismatch("sequence", expected: "Edm.Int32") }
        if let e = body["isEnabled"], e.boolValue == nil { throw GraphRoutes.typeMismatch("isEnabled", expected: "Edm.Boolean") }
        var params: [String: String] = ["Name": name]

        func strings(_ v: JSONValue, _ key: String) throws(APIError) -> [String] {
            guard case .array(let items) = v else { throw GraphRoutes.typeMismatch(key, expected: "Collection(Edm.String)") }
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw GraphRoutes.typeMismatch(key, expected: "Collection(Edm.String)") }
                out.append(s)
            }
            return out
        }
        func recipients(_ v: JSONValue, _ key: String) throws(APIError) -> [String] {
            guard case .array(let items) = v else { throw GraphRoutes.typeMismatch(key, expected: "Collection(microsoft.graph.recipient)") }
            var out: [String] = []
            for item in items {
                guard let address = item["emailAddress"]?["address"]?.stringValue, !address.isEmpty else {
                    throw APIError(status: 400, code: "ErrorInvalidRecipients", message: "At least one recipient in '\(key)' has no emailAddress.address.")
                }
                out.append(address)
            }
            return out
        }
        func bool(_ v: JSONValue, _ key: String) throws(APIError) -> Bool {
            guard case .bool(let b) = v else { throw GraphRoutes.typeMismatch(key, expected: "Edm.Boolean") }
            return b
        }

        if let conditions = body["conditions"] {
            guard case .object(let o) = conditions else { throw GraphRoutes.typeMismatch("conditions", expected: "microsoft.graph.messageRulePredicates") }
            for (key, value) in o.pairs {
                switch key {
                case "fromAddresses": params["From"] = try recipients(value, key).joined(separator: ",")
                case "subjectContains": params["SubjectContainsWords"] = try strings(value, key).joined(separator: ",")
                case "bodyContains": params["BodyContainsWords"] = try strings(value, key).joined(separator: ",")
                case "bodyOrSubjectContains": params["SubjectOrBodyContainsWords"] = try strings(value, key).joined(separator: ",")
                default: throw unsupportedMember(key, type: "microsoft.graph.messageRulePredicates")
                }
            }
        }
        if let actions = body["actions"] {
            guard case .object(let o) = actions else { throw GraphRoutes.typeMismatch("actions", expected: "microsoft.graph.messageRuleActions") }
            for (key, value) in o.pairs {
                switch key {
                case "forwardTo": params["ForwardTo"] = try recipients(value, key).joined(separator: ",")
                case "forwardAsAttachmentTo": params["ForwardAsAttachmentTo"] = try recipients(value, key).joined(separator: ",")
                case "redirectTo": params["RedirectTo"] = try recipients(value, key).joined(separator: ",")
                case "delete": params["DeleteMessage"] = try bool(value, key) ? "true" : "false"
                case "markAsRead": params["MarkAsRead"] = try bool(value, key) ? "true" : "false"
                case "stopProcessingRules": params["StopProcessingRules"] = try bool(value, key) ? "true" : "false"
                case "moveToFolder":
                    guard case .string(let id) = value else { throw GraphRoutes.typeMismatch(key, expected: "Edm.String") }
                    params["MoveToFolder"] = tenant.folders.first { $0.mailboxGuid == mailbox && $0.folderId == id }?.name
                        ?? wellKnownFolders[id.lowercased()] ?? id
                default: throw unsupportedMember(key, type: "microsoft.graph.messageRuleActions")
                }
            }
        }
        return params
    }

    static func unsupportedMember(_ key: String, type: String) -> APIError {
        APIError(status: 400, code: "BadRequest", message: "The property '\(key)' of type '\(type)' is not supported by the simulator's inbox rules.")
    }

    static func createRule(_ c: RouteContext, _ v: String, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let body = try GraphRoutes.objectBody(c)
        let principal = c.principal
        let request = c.request
        let context = GraphRoutes.metadata(c, v, "users('\(key)')/mailFolders('inbox')/messageRules/$entity")
        let (created, decisionHeader) = try await host.perform { (h) throws(APIError) -> (JSONObject, String) in
            let (_, mailbox) = try mailbox(key, principal: principal, request: request, in: h)
            let params = try ruleParameters(body, mailbox: mailbox.guid, tenant: h.session.tenant)
            let name = params["Name"] ?? ""
            if let upn = principal?.userPrincipalName {
                // The caller's own session over REST: the same evaluation as any client's rule creation.
                let action = MailboxActionRequest(actor: upn, action: .createInboxRule, mailbox: mailbox.primarySmtpAddress.address,
                                                  accessProtocol: .REST, userAgent: request.header("user-agent"), clientIP: request.clientIP,
                                                  clientPort: request.clientPort, params: params)
                let evaluation = MailboxActionEvaluator.evaluate(action, in: h.session.tenant)
                h.session.tenant.apply(evaluation.changes)
                h.session.record(evaluation.events)
                h.touch()
                let decision = evaluation.decision
                guard decision.outcome == .Allowed else {
                    if decision.reason == "InvalidParameter" {
                        throw APIError(status: 400, code: "ErrorInvalidParameter",
                                       message: decision.trace.last?.detail ?? "Invalid parameter \(decision.by ?? "").")
                    }
                    var e = accessDenied("\(decision.by.map { "\($0): " } ?? "")\(decision.reason)")
                    e.headers = [("X-TenantSim-Decision", "Denied: \(decision.reason)")]
                    throw e
                }
            } else {
                // An application acts through Exchange's own New-InboxRule, as itself.
                let actor = GraphRoutes.actor(principal, tenant: h.session.tenant)
                var parameters: [(name: String, value: PSValue)] = [("Mailbox", .string(mailbox.primarySmtpAddress.address))]
                for (k, val) in params.sorted(by: { $0.key < $1.key }) {
                    if ["DeleteMessage", "MarkAsRead", "StopProcessingRules"].contains(k) {
                        parameters.append((k, .bool(val == "true")))
                    } else if ["Name", "MoveToFolder"].contains(k) {
                        parameters.append((k, .string(val)))
                    } else {
                        parameters.append((k, .array(PSArray(val.split(separator: ",").map { PSValue.string(String($0)) }))))
                    }
                }
                let result = h.run(asUser: actor) { $0.runCommand("New-InboxRule", parameters: parameters) }
                if let error = result.errors.first {
                    throw APIError(status: 400, code: "ErrorInvalidParameter", message: error.message)
                }
            }
            let t = h.session.tenant
            guard let rule = t.inboxRules.filter({ $0.mailboxGuid == mailbox.guid && $0.name == name }).max(by: { $0.ruleIdentity < $1.ruleIdentity })
            else { throw ruleNotFound }
            return (ruleJSON(rule, tenant: t), "Allowed")
        }
        var o: JSONObject = ["@odata.context": .string(context)]
        for (k, val) in created.pairs { o.append(k, val) }
        return GraphRoutes.ok(.object(o), status: 201, headers: [("X-TenantSim-Decision", decisionHeader)])
    }

    static func deleteRule(_ c: RouteContext, key: String, ruleId: String) async throws -> SimResponse {
        let host = try c.tenant
        let principal = c.principal
        let request = c.request
        try await host.perform { (h) throws(APIError) in
            let (_, mailbox) = try mailbox(key, principal: principal, request: request, in: h)
            guard let id = ruleIdentity(ruleId),
                  let rule = h.session.tenant.inboxRules.first(where: { $0.mailboxGuid == mailbox.guid && $0.ruleIdentity == id }) else {
                throw ruleNotFound
            }
            let actor = GraphRoutes.actor(principal, tenant: h.session.tenant)
            let result = h.run(asUser: actor) {
                $0.runCommand("Remove-InboxRule", parameters: [("Identity", .string(rule.identity)), ("Confirm", .bool(false))])
            }
            if let error = result.errors.first { throw APIError(status: 400, code: "ErrorInvalidRequest", message: error.message) }
        }
        return .empty(204)
    }

    // MARK: Messages

    struct MessageRow: Sendable {
        let message: MailMessage
    }

    static let messageProperties = ["id", "createdDateTime", "lastModifiedDateTime", "receivedDateTime", "sentDateTime", "hasAttachments",
                                    "internetMessageId", "subject", "bodyPreview", "importance", "parentFolderId", "isRead", "isDraft",
                                    "inferenceClassification", "body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients",
                                    "replyTo", "flag"]

    /// Filterable message properties. [Graph v1.0 message resource type; query-parameters]
    static let messageResource = ODataResource<MailMessage>(
        typeName: "microsoft.graph.message", resourceName: "Message", properties: messageProperties,
        fields: [
            ODataField("id", .string, [.eq]) { .string($0.itemId) },
            ODataField("receivedDateTime", .date, [.eq, .ne, .gt, .ge, .lt, .le], sortable: true) { .date($0.receivedTime) },
            ODataField("sentDateTime", .date, [.eq, .ne, .gt, .ge, .lt, .le], sortable: true) { .date($0.receivedTime) },
            ODataField("subject", .string, [.eq, .ne, .startsWith], sortable: true) { .string($0.subject) },
            ODataField("isRead", .bool, [.eq, .ne]) { .bool($0.isRead) },
            ODataField("hasAttachments", .bool, [.eq, .ne]) { .bool($0.hasAttachments) },
            ODataField("parentFolderId", .string, [.eq, .ne]) { .string($0.folderId) },
            ODataField("from/emailAddress/address", .string, [.eq, .ne, .startsWith]) { .string($0.from) },
            ODataField("internetMessageId", .string, [.eq]) { .string($0.internetMessageId) },
        ],
        defaultPageSize: 10, maxPageSize: 1000, defaultOrder: ("receivedDateTime", true))

    static func messageJSON(_ m: MailMessage, select: [String]?) -> JSONObject {
        var o = JSONObject()
        let received = JSONValue.string(ISO8601.format(m.receivedTime))
        for name in select ?? messageProperties {
            let value: JSONValue
            switch name {
            case "id": value = .string(m.itemId)
            case "createdDateTime", "lastModifiedDateTime", "receivedDateTime", "sentDateTime": value = received
            case "hasAttachments": value = .bool(m.hasAttachments)
            case "internetMessageId": value = .string(m.internetMessageId)
            case "subject": value = .string(m.subject)
            case "bodyPreview": value = ""
            case "importance": value = "normal"
            case "parentFolderId": value = .string(m.folderId)
            case "isRead": value = .bool(m.isRead)
            case "isDraft": value = false
            case "inferenceClassification": value = "focused"
            case "body": value = .object(["contentType": "text", "content": ""])
            case "sender", "from": value = recipient(m.from)
            case "toRecipients": value = .array(m.to.map(recipient))
            case "ccRecipients", "bccRecipients", "replyTo": value = .array([])
            case "flag": value = .object(["flagStatus": "notFlagged"])
            default: value = .null
            }
            o.append(name, value)
        }
        return o
    }

    static func messages(_ c: RouteContext, _ v: String, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: messageResource)
        let principal = c.principal
        let request = c.request
        let base = c.baseURL
        let context = GraphRoutes.metadata(c, v, "users('\(key)')/messages")
        let body = try await host.perform { (h) throws(APIError) -> JSONValue in
            let (_, mailbox) = try mailbox(key, principal: principal, request: request, in: h)
            let rows = h.session.tenant.messages.filter { $0.mailboxGuid == mailbox.guid }
            return ODataCollection.page(rows, query: query, resource: messageResource, context: context, nextLinkBase: base, request: request) { m, s in
                messageJSON(m, select: s)
            }
        }
        return GraphRoutes.ok(body)
    }
}
