import AccessControl
import AuditLog
import Foundation
import Shell
import TenantModel

/// The Exchange Online admin API the ExchangeOnlineManagement v3 module speaks:
/// `POST /adminapi/{beta|v1.0}/{tenant}/InvokeCommand` with a `CmdletInput`, answered in
/// OData JSON. [EXCHANGE-FACTS 7]
///
/// A request first goes through the access pipeline as a RemotePowerShell connection of the
/// token's user with OAuth (client access rules apply to it), then runs through the shell's
/// cmdlet layer: the same binding, conversions, errors and audit records as a typed command.
enum AdminAPIRoutes: SchemaBuilding {
    static let invokeSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["CmdletInput"]),
        "properties": .object([
            "CmdletInput": .object([
                "type": "object",
                "required": .array(["CmdletName"]),
                "properties": .object([
                    "CmdletName": .object(["type": "string"]),
                    "Parameters": .object(["type": "object", "additionalProperties": .bool(true)]),
                ]),
            ]),
        ]),
    ])

    static let collectionSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["@odata.context", "value"]),
        "properties": .object([
            "@odata.context": .object(["type": "string"]),
            "value": .object(["type": .array(["array", "null"]), "items": .object(["type": "object"])]),
            "@odata.nextLink": .object(["type": "string"]),
            "@adminapi.warnings": .object(["type": "array", "items": .object(["type": "string"])]),
        ]),
    ])

    /// The nested error of EXCHANGE-FACTS 7: the message again in `details[]` and `innererror`.
    static let errorSchema = errorBody([("details", array(anyObject)), ("innererror", anyObject)])

    static let permissions = ["Exchange.ManageAsApp"]

    static var routes: [Route] {
        var routes: [Route] = []
        for version in ["beta", "v1.0"] {
            routes.append(Route("POST", "/adminapi/\(version)/{tenant}/InvokeCommand", family: .adminAPI, permissions: permissions,
                                mutates: true,
                                doc: RouteDoc("Runs one Exchange cmdlet (CmdletInput) through the cmdlet layer",
                                              query: [("$select", "Comma-separated properties to keep"),
                                                      ("$skiptoken", "Paging position (from @odata.nextLink)")],
                                              request: invokeSchema,
                                              responses: [(200, "The cmdlet's output objects", collectionSchema),
                                                          (400, "The cmdlet's error", errorSchema), (401, "Missing or invalid token", errorSchema),
                                                          (403, "Refused by a client access rule or missing role", errorSchema),
                                                          (404, "Object or tenant not found", errorSchema)])) { context in
                try await invoke(context, version: version)
            })
            for (resource, cmdlet) in [("Mailbox", "Get-Mailbox"), ("CasMailbox", "Get-CASMailbox"), ("MobileDevice", "Get-MobileDevice")] {
                routes.append(Route("GET", "/adminapi/\(version)/{tenant}/\(resource)", family: .adminAPI, permissions: permissions,
                                    doc: RouteDoc("Lists \(resource) objects (\(cmdlet) -ResultSize Unlimited)",
                                                  query: [("$select", "Comma-separated properties to keep"), ("$top", "Page size"),
                                                          ("$skiptoken", "Paging position (from @odata.nextLink)")],
                                                  responses: [(200, "The objects", collectionSchema), (401, "Missing or invalid token", errorSchema)])) { context in
                    try await execute(context, version: version, cmdlet: cmdlet, parameters: [("ResultSize", "Unlimited")], readKey: context.server.options.cacheReads ? readKey(context) : nil)
                })
            }
        }
        return routes
    }

    /// The cmdlet an InvokeCommand request names (the `X-CmdletName` header, else the body),
    /// for fault rules by cmdlet.
    static func cmdletName(of request: SimRequest) -> String? {
        guard request.path.lowercased().hasSuffix("/invokecommand") else { return nil }
        if let h = request.header("x-cmdletname") { return h }
        guard let body = try? request.jsonBody() else { return nil }
        return body["CmdletInput"]?["CmdletName"]?.stringValue
    }

    static func invoke(_ context: RouteContext, version: String) async throws -> SimResponse {
        // A repeated read (same caller, body, query and paging preference, tenant unchanged)
        // is answered from the cache without parsing the body again.
        let key = context.server.options.cacheReads ? readKey(context) : nil
        if let key, let hit = try await cachedRead(context, key: key) { return hit }
        guard let body = try context.request.jsonBody() else {
            throw APIError(status: 400, code: "BadRequest", message: "The request body is empty; expected {\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}.")
        }
        guard let input = body["CmdletInput"]?.objectValue else {
            throw APIError(status: 400, code: "BadRequest", message: "The request body has no CmdletInput object; expected {\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}.")
        }
        guard let name = input["CmdletName"]?.stringValue, !name.isEmpty else {
            throw APIError(status: 400, code: "BadRequest", message: "CmdletInput has no CmdletName.")
        }
        var parameters: [(String, JSONValue)] = []
        switch input["Parameters"] {
        case nil, .null?: break
        case .object(let o)?: parameters = o.pairs
        default: throw APIError(status: 400, code: "BadRequest", message: "CmdletInput.Parameters must be an object of parameter names and values.")
        }
        return try await execute(context, version: version, cmdlet: name, parameters: parameters, readKey: key)
    }

    /// What makes two admin API requests the same read: the caller, the target, the paging
    /// preference, the address links are built from, and the body as sent.
    static func readKey(_ context: RouteContext) -> String {
        let p = context.principal
        return "\(p?.userPrincipalName ?? p?.appId ?? "-")|\(context.request.target)|\(context.request.header("prefer") ?? "")|\(context.baseURL)|"
            + String(decoding: context.request.body, as: UTF8.self)
    }

    /// The cached answer to the same read, after the caller's access check (which depends on
    /// the client's address, so it is never cached).
    static func cachedRead(_ context: RouteContext, key: String) async throws -> SimResponse? {
        let host = try context.tenant
        let request = context.request
        let principal = context.principal
        return try await host.perform { (h) throws(APIError) -> SimResponse? in
            guard let hit = h.cachedRead(key) else { return nil }
            _ = try actor(h, principal: principal, request: request)
            return hit
        }
    }

    /// Who runs the cmdlet — the token's user, or for app-only tokens the app — after the
    /// user's RemotePowerShell connection passed the access pipeline (client access rules).
    static func actor(_ h: isolated TenantHost, principal: Principal?, request: SimRequest) throws(APIError) -> String {
        let tenant = h.session.tenant
        guard let upn = principal?.userPrincipalName else {
            return principal.flatMap { p in tenant.application(appId: p.appId)?.displayName } ?? "ExchangeAdminApp"
        }
        guard let user = tenant.user(upn: upn) else {
            throw APIError(status: 401, code: "Unauthorized", message: "The token's user \(upn) no longer exists in the tenant.")
        }
        let attempt = AccessAttempt(user: user.userPrincipalName, accessProtocol: .RemotePowerShell, clientIP: request.clientIP,
                                    clientPort: request.clientPort, authentication: .OAuthAuthentication, password: nil, mfaCompleted: true,
                                    userAgent: request.header("user-agent"))
        let decision = h.check(attempt)
        if decision.outcome != .Allowed {
            var error = APIError(status: 403, code: "AccessDenied",
                                 message: "Access to RemotePowerShell is denied for \(user.userPrincipalName): \(decision.by.map { "client access rule \"\($0)\"" } ?? decision.reason). (\(decision.reason))")
            error.headers = [("X-TenantSim-Decision", "Denied: \(decision.reason)")]
            throw error
        }
        return user.userPrincipalName
    }

    /// Runs `cmdlet` as the caller, then answers with one page of its output.
    static func execute(_ context: RouteContext, version: String, cmdlet: String, parameters: [(String, JSONValue)],
                        readKey: String? = nil) async throws -> SimResponse {
        let host = try context.tenant
        let request = context.request
        let principal = context.principal
        let select = request.queryValue("$select").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        let pageSize = pageSize(request)
        let skip = request.queryValue("$skiptoken")
        let base = context.baseURL
        let tenantSegment = context.parameter("tenant")

        // Get- cmdlets change nothing: their answers may be cached, and the tenant's revision
        // (and --db file) stays as it is.
        let isRead = cmdlet.lowercased().hasPrefix("get-") && skip == nil
        return try await host.perform { (h) throws(APIError) -> SimResponse in
            let actor = try actor(h, principal: principal, request: request)

            let values: [JSONValue]
            var warnings: [String] = []
            let cacheKey = "\(cmdlet)|\(WireJSON.text(.object(JSONObject(pairs: parameters))))"
            if let skip {
                guard let cached = h.pages.take(skip, key: cacheKey) else {
                    throw APIError(status: 400, code: "BadRequest", message: "The $skiptoken '\(skip)' is not valid or has expired; start again without it.")
                }
                values = cached
            } else {
                let bound = try parameters.map { (name, value) throws(APIError) in (name, try psValue(value, parameter: name)) }
                let buffer = h.session.host as? BufferHost
                let warningsBefore = buffer?.warnings.count ?? 0
                // Admin audit records carry the caller's address, as ExchangeAdmin records do.
                h.session.clientIP = request.clientIP
                let result = h.run(asUser: actor, changes: !isRead) { interpreter in interpreter.runCommand(cmdlet, parameters: bound) }
                if let buffer { warnings = Array(buffer.warnings.dropFirst(warningsBefore)) }
                if let error = result.errors.first, result.output.isEmpty {
                    throw cmdletError(error)
                }
                warnings += result.errors.map(\.message)
                values = result.output.map { jsonValue($0) }
            }

            let page = Array(values.prefix(pageSize))
            var body: JSONObject = ["@odata.context": .string("\(base)/adminapi/\(version)/\(tenantSegment)/$metadata#Collection(Exchange.GenericHashTable)")]
            if values.count > pageSize {
                let token = h.pages.store(Array(values.dropFirst(pageSize)), key: cacheKey)
                var link = "\(base)\(request.path)?$skiptoken=\(token)"
                if let s = request.queryValue("$select") { link += "&$select=" + (SimRequest.encode(s)) }
                body["@odata.nextLink"] = .string(link)
            }
            if !warnings.isEmpty { body["@adminapi.warnings"] = .array(warnings.map(JSONValue.string)) }
            body["value"] = .array(page.map { value in select.map { keep in project(value, keep) } ?? value })
            var response = SimResponse.json(.object(body),
                                            contentType: "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
                                            headers: [("Preference-Applied", "odata.maxpagesize=\(pageSize)")])
            response.readOnly = isRead
            // A page with a next link is not cached: its skip token is good once.
            if isRead, let readKey, values.count <= pageSize { h.cacheRead(readKey, response) }
            return response
        }
    }

    /// `Prefer: odata.maxpagesize=N` (the module sends 1000); `$top` on the resource paths.
    static func pageSize(_ request: SimRequest) -> Int {
        if let top = request.queryValue("$top").flatMap(Int.init), top > 0 { return min(top, 1000) }
        if let prefer = request.header("prefer"), let r = prefer.range(of: "odata.maxpagesize=") {
            let digits = prefer[r.upperBound...].prefix { $0.isNumber }
            if let n = Int(digits), n > 0 { return min(n, 1000) }
        }
        return 1000
    }

    /// A parameter value from JSON: switches as booleans, multi-valued properties as arrays,
    /// `@{Add=..;Remove=..}` as objects.
    static func psValue(_ json: JSONValue, parameter: String) throws(APIError) -> PSValue {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(PSArray(try items.map { (item) throws(APIError) in try psValue(item, parameter: parameter) }))
        case .object(let o):
            let table = PSHashtable()
            for (k, v) in o.pairs where !k.hasPrefix("@odata") { table[k] = try psValue(v, parameter: parameter) }
            return .hashtable(table)
        }
    }

    /// An output object as JSON, property names as PowerShell shows them.
    static func jsonValue(_ value: PSValue) -> JSONValue {
        convert(JsonFormat.tree(value, depth: 4))
    }

    static func convert(_ node: JsonFormat.Node) -> JSONValue {
        switch node {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(convert))
        case .object(let members):
            // Members are distinct already: append without the subscript's duplicate search.
            var o = JSONObject()
            for m in members { o.append(m.key, convert(m.value)) }
            return .object(o)
        }
    }

    static func project(_ value: JSONValue, _ keep: [String]) -> JSONValue {
        guard let o = value.objectValue else { return value }
        var out = JSONObject()
        for (k, v) in o.pairs where keep.contains(k.lowercased()) { out[k] = v }
        return .object(out)
    }

    /// A cmdlet's error in the admin API's shape, with its real message.
    static func cmdletError(_ error: ShellError) -> APIError {
        let status: Int
        switch error.reason {
        case "ManagementObjectNotFoundException": status = 404
        case "CommandNotFoundException": status = 400
        default: status = 400
        }
        return APIError(status: status, code: error.reason.isEmpty ? error.errorId : error.reason, message: error.message)
    }
}

extension JSONObject {
    init(pairs: [(String, JSONValue)]) {
        self.init()
        for (k, v) in pairs { self[k] = v }
    }
}

/// Pages of InvokeCommand output waiting for their `@odata.nextLink`: a client re-POSTs
/// the same body with the skip token and gets the next page of the same result.
struct PageCache {
    private var entries: [String: (key: String, values: [JSONValue])] = [:]
    private var order: [String] = []
    private var counter = 0

    mutating func store(_ values: [JSONValue], key: String) -> String {
        counter += 1
        let token = "\(counter)-\(UUID().uuidString.lowercased().prefix(8))"
        entries[token] = (key, values)
        order.append(token)
        if order.count > 256 { entries[order.removeFirst()] = nil }
        return token
    }

    /// The rest of a result; nil for an unknown token or a different request body.
    mutating func take(_ token: String, key: String) -> [JSONValue]? {
        guard let e = entries[token], e.key == key else { return nil }
        entries[token] = nil
        return e.values
    }
}
