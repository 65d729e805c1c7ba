import AuditLog
import Foundation

/// The Office 365 Management Activity API:
/// `/api/v1.0/{tenant_id}/activity/feed/subscriptions/{start,stop,list,content,notifications}`
/// and the content blobs at `/activity/feed/audit/{contentId}`. [EXCHANGE-FACTS 5.6; MAPI
/// office-365-management-activity-api-reference.md]
///
/// The feed publishes the tenant's unified audit log: what the audit layer recorded (and
/// nothing while ingestion is off) is cut into blobs by ``ActivityFeed``.
enum ManagementRoutes: SchemaBuilding {
    static let permissions = ["ActivityFeed.Read", "ActivityFeed.ReadDlp"]
    static let root = "/api/v1.0/{tenant}/activity/feed"

    // MARK: Errors [MAPI reference, "Errors"]

    static func missing(_ name: String) -> APIError {
        APIError(status: 400, code: "AF20001", message: "Missing parameter: \(name).")
    }
    static func invalidType(_ name: String, expected: String) -> APIError {
        APIError(status: 400, code: "AF20002", message: "Invalid parameter type: \(name). Expected type: \(expected)")
    }
    static let invalidContentType = APIError(status: 400, code: "AF20020", message: "The specified content type is not valid.")
    static let noSubscription = APIError(status: 400, code: "AF20022", message: "No subscription found for the specified content type.")
    static let subscriptionDisabled = APIError(status: 400, code: "AF20023", message: "The subscription was disabled by a tenant admin.")
    static let windowMessage = "Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past."

    // MARK: Schemas

    static let errorSchema = errorBody()
    static let webhookSchema: JSONValue = .object([
        "type": .array(["object", "null"]),
        "properties": .object([
            "status": .object(["type": "string"]), "address": .object(["type": "string"]),
            "authId": .object(["type": .array(["string", "null"])]), "expiration": .object(["type": .array(["string", "null"])]),
        ]),
    ])
    static let subscriptionSchema: JSONValue = .object([
        "type": "object", "required": .array(["contentType", "status", "webhook"]),
        "properties": .object(["contentType": .object(["type": "string"]), "status": .object(["type": "string", "enum": .array(["enabled", "disabled"])]),
                               "webhook": webhookSchema]),
    ])
    static let contentSchema: JSONValue = .object([
        "type": "array",
        "items": .object([
            "type": "object", "required": .array(["contentType", "contentId", "contentUri", "contentCreated", "contentExpiration"]),
            "properties": .object([
                "contentType": .object(["type": "string"]), "contentId": .object(["type": "string"]), "contentUri": .object(["type": "string"]),
                "contentCreated": .object(["type": "string"]), "contentExpiration": .object(["type": "string"]),
            ]),
        ]),
    ])
    static let startSchema: JSONValue = .object([
        "type": "object",
        "properties": .object(["webhook": .object([
            "type": "object", "required": .array(["address"]),
            "properties": .object(["address": .object(["type": "string"]), "authId": .object(["type": "string"]),
                                   "expiration": .object(["type": "string"])]),
        ])]),
    ])
    static let contentTypeQuery: (name: String, description: String) =
        ("contentType", "Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint, Audit.General or DLP.All")
    static let publisherQuery: (name: String, description: String) = ("PublisherIdentifier", "The vendor's tenant GUID (throttling quota; ignored)")

    static func standardErrors(_ extra: [(status: Int, description: String, schema: JSONValue?)] = []) -> [(status: Int, description: String, schema: JSONValue?)] {
        extra + [(400, "An AFxxxxx error (missing or invalid parameter, tenant not a GUID)", errorSchema),
                 (401, "Missing or invalid token (AF10001)", errorSchema), (403, "No ActivityFeed.Read permission (AF10001)", errorSchema)]
    }

    static var routes: [Route] {
        [
            Route("POST", root + "/subscriptions/start", family: .management, permissions: permissions,
                  doc: RouteDoc("Starts (or updates) the subscription to a content type", query: [contentTypeQuery, publisherQuery],
                                request: startSchema, responses: standardErrors([(200, "The subscription", subscriptionSchema)]))) { context in
                try await start(context)
            },
            Route("POST", root + "/subscriptions/stop", family: .management, permissions: permissions,
                  doc: RouteDoc("Stops the subscription to a content type", query: [contentTypeQuery, publisherQuery],
                                responses: standardErrors([(200, "Stopped (empty body)", nil)]))) { context in
                try await stop(context)
            },
            Route("GET", root + "/subscriptions/list", family: .management, permissions: permissions,
                  doc: RouteDoc("Lists the tenant's subscriptions", query: [publisherQuery],
                                responses: standardErrors([(200, "The subscriptions", .object(["type": "array", "items": subscriptionSchema]))]))) { context in
                try await list(context)
            },
            Route("GET", root + "/subscriptions/content", family: .management, permissions: permissions,
                  doc: RouteDoc("Lists the content blobs available for a content type (NextPageUri header when there are more)",
                                query: [contentTypeQuery, ("startTime", "Start of the window (inclusive), YYYY-MM-DD[THH:MM[:SS]] UTC"),
                                        ("endTime", "End of the window (exclusive); both or neither, at most 24 hours apart"),
                                        ("nextPage", "Paging position (from the NextPageUri header)"), publisherQuery],
                                responses: standardErrors([(200, "The content blobs", contentSchema)]))) { context in
                try await content(context)
            },
            Route("GET", root + "/subscriptions/notifications", family: .management, permissions: permissions,
                  doc: RouteDoc("Lists webhook notifications sent (the simulator sends none)",
                                query: [contentTypeQuery, ("startTime", "Start of the window"), ("endTime", "End of the window"), publisherQuery],
                                responses: standardErrors([(200, "The notifications (always empty)", .object(["type": "array", "items": .object(["type": "object"])]))]))) { context in
                try await notifications(context)
            },
            Route("GET", root + "/audit/{contentId}", family: .management, permissions: permissions,
                  doc: RouteDoc("Retrieves one content blob: a JSON array of audit records", query: [publisherQuery],
                                responses: standardErrors([(200, "The blob's audit records",
                                                            .object(["type": "array", "items": .object(["type": "object"])])),
                                                           (404, "No such content (AF20050)", errorSchema)]))) { context in
                try await blob(context)
            },
        ]
    }

    // MARK: Common checks

    /// The URL must name the tenant by its GUID; the other APIs accept a domain, this one
    /// does not. [MAPI reference: "The tenant ID is a GUID"; AF20013]
    static func requireGuidTenant(_ context: RouteContext) throws(APIError) {
        let key = context.parameter("tenant")
        if UUID(uuidString: key) == nil {
            throw APIError(status: 400, code: "AF20013", message: "The tenant ID passed in the URL (\(key)) is not a valid GUID.")
        }
    }

    static func contentType(_ request: SimRequest) throws(APIError) -> FeedContentType {
        guard let text = request.queryValue("contentType"), !text.isEmpty else { throw missing("contentType") }
        guard let type = FeedContentType.named(text) else { throw invalidContentType }
        return type
    }

    static func subscriptionJSON(_ s: FeedSubscription) -> JSONValue {
        .object(["contentType": .string(s.contentType), "status": .string(s.enabled ? "enabled" : "disabled"),
                 "webhook": s.webhook.map(JSONValue.object) ?? .null])
    }

    // MARK: Handlers

    static func start(_ context: RouteContext) async throws -> SimResponse {
        try requireGuidTenant(context)
        let type = try contentType(context.request)
        let body = try context.request.jsonBody()
        let webhookInput = body?["webhook"]
        let appId = context.principal?.appId ?? "00000000-0000-0000-0000-000000000000"
        let publisher = context.request.queryValue("PublisherIdentifier") ?? "00000000-0000-0000-0000-000000000000"
        let blobRecords = context.server.options.activityFeedBlobRecords
        let host = try context.tenant
        return try await host.perform { (h) throws(APIError) -> SimResponse in
            let tenant = h.session.tenant
            let now = tenant.now
            // A tenant whose unified audit log is off has no audit store behind the feed: the
            // service answers starts with this 400 (observed shape, code and message split
            // where the service splits them). [MicrosoftDocs/office-365-management-api#89;
            // EXCHANGE-FACTS 5.6 third-party note]
            guard tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled else {
                let id = tenant.info.tenantId.uuidString.lowercased()
                throw APIError(status: 400,
                               code: "StartSubscription [TenantId=\(id),ContentType=\(type.rawValue),ApplicationId=\(appId),PublisherId=\(publisher)] failed. Exception",
                               message: "Microsoft.Office.Compliance.Audit.DataServiceException: Tenant \(id) does not exist.")
            }
            let webhook = try webhookObject(webhookInput, now: now)
            // Blobs are cut before the (re)start, so what was recorded before it stays out of
            // the subscription's content, as it would on the service, which never stops cutting.
            h.activityFeed.harvest(h.session.audit.unified, maxRecords: blobRecords)
            var subscription = h.subscriptions[type.rawValue]
                ?? FeedSubscription(contentType: type.rawValue, enabled: true, webhook: nil, startedAt: now)
            if !subscription.enabled {
                // Content that became available while stopped is lost. [MAPI reference, "Stop a subscription"]
                subscription.enabled = true
                subscription.startedAt = now
            }
            subscription.webhook = webhook
            h.subscriptions[type.rawValue] = subscription
            h.touch()
            return .json(subscriptionJSON(subscription))
        }
    }

    /// The stored webhook, as the service echoes it; HTTPS only, expiration not in the past.
    static func webhookObject(_ input: JSONValue?, now: Date) throws(APIError) -> JSONObject? {
        guard let input, input != .null else { return nil }
        guard let o = input.objectValue else { throw invalidType("webhook", expected: "object") }
        guard let address = o["address"]?.stringValue, !address.isEmpty else { throw missing("webhook.address") }
        guard address.lowercased().hasPrefix("https://") else {
            throw APIError(status: 400, code: "AF20021", message: "The webhook endpoint {\(address)) could not be validated. The address must begin with HTTPS.")
        }
        var expiration: JSONValue = .null
        if let text = o["expiration"]?.stringValue, !text.isEmpty {
            guard let date = WireDate.parse(text) ?? FeedTime.parse(text) else { throw invalidType("expiration", expected: "datetime") }
            guard date > now else { throw APIError(status: 400, code: "AF20003", message: "Expiration \(text) provided is set to past date and time.") }
            expiration = .string(FeedTime.wire(date))
        }
        return ["status": "enabled", "address": .string(address), "authId": o["authId"]?.stringValue.map(JSONValue.string) ?? .null,
                "expiration": expiration]
    }

    static func stop(_ context: RouteContext) async throws -> SimResponse {
        try requireGuidTenant(context)
        let type = try contentType(context.request)
        let blobRecords = context.server.options.activityFeedBlobRecords
        let host = try context.tenant
        return try await host.perform { (h) throws(APIError) -> SimResponse in
            guard var subscription = h.subscriptions[type.rawValue] else { throw noSubscription }
            h.activityFeed.harvest(h.session.audit.unified, maxRecords: blobRecords)
            subscription.enabled = false
            h.subscriptions[type.rawValue] = subscription
            h.touch()
            return .empty(200)
        }
    }

    static func list(_ context: RouteContext) async throws -> SimResponse {
        try requireGuidTenant(context)
        let host = try context.tenant
        return await host.perform { h in
            let order = FeedContentType.allCases.map(\.rawValue)
            let items = h.subscriptions.values.sorted { (order.firstIndex(of: $0.contentType) ?? 9) < (order.firstIndex(of: $1.contentType) ?? 9) }
            return .json(.array(items.map(subscriptionJSON)))
        }
    }

    /// The listing window: both or neither, at most 24 hours, start not over 7 days back.
    /// AF20030 is the documented code; the service answers the wide and the too-old window
    /// with AF20055 and the same message. [MAPI reference; third-party clients (Elastic
    /// Beats o365audit) handle AF20055 as "(Same)" as AF20030]
    static func window(_ request: SimRequest, now: Date) throws(APIError) -> (start: Date, end: Date, explicit: (String, String)?) {
        let startText = request.queryValue("startTime").flatMap { $0.isEmpty ? nil : $0 }
        let endText = request.queryValue("endTime").flatMap { $0.isEmpty ? nil : $0 }
        switch (startText, endText) {
        case (nil, nil):
            // The last 24 hours, whole seconds, ending just after now so that content made
            // available this second is listed; NextPageUri repeats exactly this window.
            let end = Date(timeIntervalSince1970: (now.timeIntervalSince1970).rounded(.down) + 1)
            return (end.addingTimeInterval(-86_400), end, nil)
        case (let s?, let e?):
            guard let start = FeedTime.parse(s) else { throw invalidType("startTime", expected: "datetime") }
            guard let end = FeedTime.parse(e) else { throw invalidType("endTime", expected: "datetime") }
            guard end > start, end.timeIntervalSince(start) <= 86_400, start >= now.addingTimeInterval(-ActivityFeed.lifetime) else {
                throw APIError(status: 400, code: "AF20055", message: windowMessage)
            }
            return (start, end, (s, e))
        default:
            throw APIError(status: 400, code: "AF20030", message: windowMessage)
        }
    }

    /// `nextPage=2026021614R000000000100`: the window's hour and the offset of the next blob.
    static func pageToken(start: Date, offset: Int) -> String {
        let stamp = ActivityFeed.stamp(start, 0).prefix(10)
        return "\(stamp)R" + String(format: "%012d", offset)
    }

    static func pageOffset(_ token: String) -> Int? {
        let parts = token.split(separator: "R", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 10, parts[1].count == 12,
              parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber) else { return nil }
        return Int(parts[1])
    }

    static func content(_ context: RouteContext) async throws -> SimResponse {
        try requireGuidTenant(context)
        let request = context.request
        let type = try contentType(request)
        let host = try context.tenant
        let pageSize = max(1, context.server.options.activityFeedPageSize)
        let blobRecords = context.server.options.activityFeedBlobRecords
        let base = context.baseURL
        let tenantSegment = context.parameter("tenant")
        return try await host.perform { (h) throws(APIError) -> SimResponse in
            let now = h.session.tenant.now
            guard let subscription = h.subscriptions[type.rawValue] else { throw noSubscription }
            guard subscription.enabled else { throw subscriptionDisabled }
            let window = try window(request, now: now)
            var offset = 0
            if let token = request.queryValue("nextPage") {
                guard let o = pageOffset(token) else { throw APIError(status: 400, code: "AF20031", message: "Invalid nextPage Input: \(token).") }
                offset = o
            }
            h.activityFeed.harvest(h.session.audit.unified, maxRecords: blobRecords)
            let available = h.activityFeed.blobs.filter { b in
                b.contentType == type && b.created >= subscription.startedAt && b.created >= window.start && b.created < window.end
            }
            guard offset <= available.count else { throw APIError(status: 400, code: "AF20031", message: "Invalid nextPage Input: \(request.queryValue("nextPage") ?? "").") }
            let page = available[offset..<min(available.count, offset + pageSize)]
            let items: [JSONValue] = page.map { b in
                .object(["contentType": .string(b.contentType.rawValue), "contentId": .string(b.contentId),
                         "contentUri": .string("\(base)/api/v1.0/\(tenantSegment)/activity/feed/audit/\(b.contentId)"),
                         "contentCreated": .string(FeedTime.wire(b.created)), "contentExpiration": .string(FeedTime.wire(b.expiration))])
            }
            var headers: [(name: String, value: String)] = []
            if offset + pageSize < available.count {
                // The next page keeps the caller's window, or the 24 hours before the first call. [MAPI reference, "Pagination"]
                let (s, e) = window.explicit ?? (FeedTime.window(window.start), FeedTime.window(window.end))
                var link = "\(base)/api/v1.0/\(tenantSegment)/activity/feed/subscriptions/content?contentType=\(type.rawValue)"
                link += "&startTime=\(SimRequest.encode(s))&endTime=\(SimRequest.encode(e))&nextPage=\(pageToken(start: window.start, offset: offset + pageSize))"
                if let p = request.queryValue("PublisherIdentifier") { link += "&PublisherIdentifier=\(SimRequest.encode(p))" }
                headers.append(("NextPageUri", link))
            }
            return .json(.array(items), headers: headers)
        }
    }

    static func notifications(_ context: RouteContext) async throws -> SimResponse {
        try requireGuidTenant(context)
        let request = context.request
        let type = try contentType(request)
        let host = try context.tenant
        return try await host.perform { (h) throws(APIError) -> SimResponse in
            guard let subscription = h.subscriptions[type.rawValue] else { throw noSubscription }
            guard subscription.enabled else { throw subscriptionDisabled }
            _ = try window(request, now: h.session.tenant.now)
            return .json(.array([]))
        }
    }

    static func blob(_ context: RouteContext) async throws -> SimResponse {
        try requireGuidTenant(context)
        let contentId = context.parameter("contentId")
        let host = try context.tenant
        let blobRecords = context.server.options.activityFeedBlobRecords
        return try await host.perform { (h) throws(APIError) -> SimResponse in
            guard ActivityFeed.isWellFormed(contentId) else {
                throw APIError(status: 400, code: "AF20052", message: "Content ID \(contentId) in the URL is invalid.")
            }
            h.activityFeed.harvest(h.session.audit.unified, maxRecords: blobRecords)
            guard let blob = h.activityFeed.blob(contentId) else {
                throw APIError(status: 404, code: "AF20050", message: "The specified content (\(contentId)) does not exist.")
            }
            // Retrieving content needs an enabled subscription to its type. [MAPI reference, "status"]
            guard let subscription = h.subscriptions[blob.contentType.rawValue] else { throw noSubscription }
            guard subscription.enabled else { throw subscriptionDisabled }
            guard h.session.tenant.now <= blob.expiration else {
                throw APIError(status: 400, code: "AF20051",
                               message: "Content requested with the key \(contentId) has already expired. Content older than 7 days cannot be retrieved.")
            }
            return .json(.array(blob.records))
        }
    }
}
