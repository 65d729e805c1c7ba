import AccessControl
import AuditLog
import Foundation
import Logging
import Shell
import Synchronization
import TenantModel
import TenantStore

/// How the server checks bearer tokens.
public enum AuthMode: String, Sendable, CaseIterable {
    /// Every API route needs a valid, unexpired token the simulator issued for that tenant
    /// and that API's audience.
    case strict
    /// Any bearer token (or none) is accepted and the request acts as the tenant's
    /// administrator; a token the simulator issued still picks its tenant and user.
    case lax
}

public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8365
    public var auth: AuthMode = .strict
    /// The largest request body accepted (413 beyond it).
    public var maxBodyBytes = 4 * 1024 * 1024
    /// Access token lifetime, on the tenant's clock.
    public var tokenLifetime: TimeInterval = 3599
    /// HMAC secret for tokens; random per process when nil.
    public var signingSecret: String?
    /// Where the journal is also appended as JSON lines.
    public var journalPath: String?
    /// Answer a repeated admin API read (a Get- cmdlet, tenant unchanged) from the cache.
    public var cacheReads = true
    /// Content blobs per page of the Management Activity API's content listing (NextPageUri beyond).
    public var activityFeedPageSize = 100
    /// The most audit records one content blob holds.
    public var activityFeedBlobRecords = 1_000
    public init() {}
}

/// The simulator's HTTP application, independent of the transport: `handle` turns a
/// request into a response. Hummingbird serves it (`HTTPServer`); tests call it directly.
public final class SimServer: Sendable {
    public let options: ServerOptions
    public let signer: TokenSigner
    public let logger: Logger
    let tenants = Mutex<[TenantHost]>([])
    /// Lookup by lowercased tenant id and by every domain.
    private let index = Mutex<[String: TenantHost]>([:])
    public let journal: Journal
    public let faults = FaultInjector()
    /// Every route the server answers; handlers reach the server through their context.
    public let routes = RouteTable(SimServer.routeGroups)
    private let requestCounter = Atomic<Int>(0)

    public init(options: ServerOptions = ServerOptions(), logger: Logger = Logger(label: "tenantsim.serve")) {
        self.options = options
        self.logger = logger
        signer = TokenSigner(secret: options.signingSecret)
        journal = Journal(path: options.journalPath)
    }

    /// Every route the server answers, by API.
    static var routeGroups: [[Route]] {
        [MetaRoutes.routes, IdentityRoutes.routes, AdminAPIRoutes.routes, GraphRoutes.routes,
         ManagementRoutes.routes, ControlRoutes.routes]
    }

    // MARK: Tenants

    /// Adds a tenant; refused when its id or a domain is already served.
    @discardableResult
    public func add(_ host: TenantHost) async throws(APIError) -> TenantHost {
        let id = await host.tenantId.uuidString.lowercased()
        let domains = await host.domains.map { $0.lowercased() }
        try index.withLock { (index) throws(APIError) in
            if let clash = ([id] + domains).first(where: { index[$0] != nil }) {
                throw APIError(status: 409, code: "TenantExists", message: "A served tenant already has the id or domain \(clash).")
            }
            for key in [id] + domains { index[key] = host }
        }
        tenants.withLock { $0.append(host) }
        return host
    }

    /// Stops serving `host`.
    public func remove(_ host: TenantHost) {
        index.withLock { index in index = index.filter { $0.value !== host } }
        tenants.withLock { $0.removeAll { $0 === host } }
    }

    /// Serves `new` in place of `old` (the control plane's reset and restore); refused when
    /// another served tenant already has one of the new tenant's keys.
    public func replace(_ old: TenantHost, with new: TenantHost) async throws(APIError) {
        let keys = [await new.tenantId.uuidString.lowercased()] + (await new.domains.map { $0.lowercased() })
        try index.withLock { (index) throws(APIError) in
            let others = index.filter { $0.value !== old }
            if let clash = keys.first(where: { others[$0] != nil }) {
                throw APIError(status: 409, code: "TenantExists", message: "A served tenant already has the id or domain \(clash).")
            }
            index = others
            for key in keys { index[key] = new }
        }
        tenants.withLock { list in
            if let i = list.firstIndex(where: { $0 === old }) { list[i] = new } else { list.append(new) }
        }
    }

    /// The tenant a path segment names: its id or any of its domains.
    public func tenant(_ key: String) -> TenantHost? {
        index.withLock { $0[key.lowercased()] }
    }

    public var allTenants: [TenantHost] { tenants.withLock { $0 } }

    /// The first tenant served (lax mode's default).
    var defaultTenant: TenantHost? { tenants.withLock { $0.first } }

    // MARK: Handling

    /// Answers one request: faults, routing, authentication, the handler, the journal.
    public func handle(_ request: SimRequest) async -> SimResponse {
        let number = requestCounter.wrappingAdd(1, ordering: .relaxed).newValue
        let requestId = RequestIds.make(number)
        let segments = request.segments
        let started = ContinuousClock.now
        var outcome = JournalOutcome()
        var response: SimResponse
        let lookup = routes.lookup(method: request.method, segments: segments)
        var family = RouteTable.family(of: segments)
        var routeTemplate: String?
        if case .found(let route, _) = lookup {
            family = route.family
            routeTemplate = route.template
        }
        // The control plane and /health stay reachable whatever the rules say (so a rule can be removed).
        if family != .control, family != .meta, let fault = faults.decide(request: request, route: routeTemplate, cmdlet: { AdminAPIRoutes.cmdletName(of: request) }) {
            if fault.latency > 0 { try? await Task.sleep(for: .milliseconds(Int(fault.latency * 1000))) }
            if let status = fault.status {
                response = faultResponse(fault, status: status, family: family, requestId: requestId, request: request)
                outcome.fault = fault.ruleId
                finish(&response, requestId: requestId, request: request)
                record(request, response, family: family, route: routeTemplate, outcome: outcome, started: started, requestId: requestId)
                return response
            }
        }
        do {
            switch lookup {
            case .notFound:
                throw notFound(family: family, request: request)
            case .methodNotAllowed(let allowed):
                throw APIError(status: 405, code: family == .graph ? "Request_BadRequest" : "MethodNotAllowed",
                               message: "The HTTP method '\(request.method)' is not allowed for \(request.path). Allowed: \(allowed.joined(separator: ", ")).",
                               headers: [("Allow", allowed.joined(separator: ", "))])
            case .found(let route, let parameters):
                if request.bodyTooLarge || request.body.count > options.maxBodyBytes {
                    throw APIError(status: 413, code: "RequestEntityTooLarge",
                                   message: "The request body is \(request.body.count) bytes; the limit is \(options.maxBodyBytes).")
                }
                let (resolvedHost, principal) = try await authenticate(request, route: route, parameters: parameters)
                outcome.principal = principal?.userPrincipalName ?? principal?.appId
                let context = RouteContext(request: request, parameters: parameters, server: self, route: route,
                                           host: resolvedHost, principal: principal)
                response = try await route.handler(context)
                if route.mutates, !response.readOnly, let resolvedHost {
                    await resolvedHost.touch()
                    // With --db an acknowledged change is already on disk (WAL): a killed
                    // process loses nothing it answered for.
                    do { try await resolvedHost.saveIfDirty() } catch {
                        throw APIError(status: 500, code: family == .management ? "AF50000" : "InternalServerError",
                                       message: "The change was applied but could not be saved to the database: \(error)")
                    }
                }
            }
        } catch let error as APIError {
            response = ErrorRenderer.render(error, family: family, requestId: requestId,
                                            clientRequestId: request.header("client-request-id"), now: Date())
            outcome.error = error.code
        } catch let error as RequestError {
            let api = requestErrorAPI(error, family: family)
            response = ErrorRenderer.render(api, family: family, requestId: requestId,
                                            clientRequestId: request.header("client-request-id"), now: Date())
            outcome.error = api.code
        } catch {
            logger.error("Unhandled error", metadata: ["path": "\(request.path)", "error": "\(error)"])
            let api = APIError(status: 500, code: family == .management ? "AF50000" : "InternalServerError",
                               message: "An internal server error occurred: \(error)")
            response = ErrorRenderer.render(api, family: family, requestId: requestId,
                                            clientRequestId: request.header("client-request-id"), now: Date())
            outcome.error = api.code
        }
        if let header = response.header("x-tenantsim-decision") { outcome.decision = header }
        finish(&response, requestId: requestId, request: request)
        record(request, response, family: family, route: routeTemplate, outcome: outcome, started: started, requestId: requestId)
        return response
    }

    private func finish(_ response: inout SimResponse, requestId: String, request: SimRequest) {
        if response.header("request-id") == nil { response.headers.append(("request-id", requestId)) }
        if let c = request.header("client-request-id"), response.header("client-request-id") == nil {
            response.headers.append(("client-request-id", c))
        }
    }

    private func record(_ request: SimRequest, _ response: SimResponse, family: APIFamily, route: String?, outcome: JournalOutcome,
                        started: ContinuousClock.Instant, requestId: String) {
        let elapsed = ContinuousClock.now - started
        let micros = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
        if logger.logLevel <= .info {
            var metadata: Logger.Metadata = ["request_id": "\(requestId)", "method": "\(request.method)", "target": "\(request.target)",
                                             "status": "\(response.status)", "us": "\(micros)", "client": "\(request.clientIP)"]
            if let p = outcome.principal { metadata["principal"] = "\(p)" }
            if let d = outcome.decision { metadata["decision"] = "\(d)" }
            if let e = outcome.error { metadata["error"] = "\(e)" }
            if let f = outcome.fault { metadata["fault"] = "\(f)" }
            logger.info("request", metadata: metadata)
        }
        journal.append(JournalEntry(requestId: requestId, time: Date(), method: request.method, target: request.target,
                                    route: route, family: family.rawValue, status: response.status, clientIP: request.clientIP,
                                    principal: outcome.principal, decision: outcome.decision, error: outcome.error,
                                    fault: outcome.fault, micros: micros))
    }

    private func notFound(family: APIFamily, request: SimRequest) -> APIError {
        switch family {
        case .graph:
            return APIError(status: 400, code: "BadRequest",
                            message: "Resource not found for the segment '\(request.segments.last ?? "")'.")
        case .management:
            return APIError(status: 404, code: "AF20050", message: "The requested resource was not found: \(request.path).")
        default:
            return APIError(status: 404, code: "NotFound", message: "No route answers \(request.method) \(request.path). See /openapi.json for the routes.")
        }
    }

    private func requestErrorAPI(_ error: RequestError, family: APIFamily) -> APIError {
        switch error {
        case .malformedJSON(let detail):
            switch family {
            case .management: return APIError(status: 400, code: "AF20002", message: detail)
            case .adminAPI: return APIError(status: 400, code: "BadRequest", message: detail)
            case .identity: return APIError(status: 400, code: "invalid_request", message: detail, errorCodes: [900144])
            default: return APIError(status: 400, code: "BadRequest", message: detail)
            }
        }
    }

    private func faultResponse(_ fault: FaultDecision, status: Int, family: APIFamily, requestId: String, request: SimRequest) -> SimResponse {
        var headers: [(name: String, value: String)] = []
        if let retry = fault.retryAfter { headers.append(("Retry-After", String(retry))) }
        let code: String
        let message: String
        switch (family, status) {
        case (.management, 429): (code, message) = ("AF429", "Too many requests. Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000")
        case (_, 429): (code, message) = ("TooManyRequests",
                                          "Too many requests are being made; retry after \(fault.retryAfter ?? 1) seconds.")
        case (.management, _): (code, message) = ("AF50000", "An internal error occurred. Retry the request.")
        case (_, 503): (code, message) = ("ServiceUnavailable", "The service is temporarily unavailable. Retry the request.")
        default: (code, message) = ("InternalServerError", "An injected server error occurred (fault rule \(fault.ruleId)).")
        }
        return ErrorRenderer.render(APIError(status: status, code: code, message: message, headers: headers), family: family,
                                    requestId: requestId, clientRequestId: request.header("client-request-id"), now: Date())
    }
}

/// What the journal notes about a request beyond its status.
struct JournalOutcome {
    var principal: String?
    var decision: String?
    var error: String?
    var fault: String?
}

/// Request ids in Graph's GUID form, unique per process.
enum RequestIds {
    private static let prefix = UUID().uuidString.lowercased().prefix(24)
    static func make(_ n: Int) -> String {
        let hex = String(n, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}
