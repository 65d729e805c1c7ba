import AuditLog
import Foundation

/// The API a route belongs to: it decides the error shape, the token audience and whether a
/// token is needed at all.
public enum APIFamily: String, Sendable, CaseIterable {
    /// `/{tenant}/oauth2/...`: the identity platform's token endpoint (no token needed).
    case identity
    /// `/v1.0/...` and `/beta/...`: Microsoft Graph.
    case graph
    /// `/adminapi/...`: the Exchange Online admin API (InvokeCommand).
    case adminAPI
    /// `/api/v1.0/{tenant}/activity/feed/...`: the Office 365 Management Activity API.
    case management
    /// `/sim/v1/...`: the simulator's own control plane (no token; loopback operators).
    case control
    /// `/health`, `/openapi.json`.
    case meta

    /// The token audience a route of this family accepts (the resource's URI and app id).
    var audiences: [String] {
        switch self {
        case .graph: return ["https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000"]
        case .adminAPI: return ["https://outlook.office365.com", "https://outlook.office365.com/", "https://outlook.office.com",
                                "00000002-0000-0ff1-ce00-000000000000"]
        case .management: return ["https://manage.office.com", "https://manage.office.com/", "c5393580-f805-4401-95e8-94b7a6ef2fc2"]
        case .identity, .control, .meta: return []
        }
    }

    var needsToken: Bool { !audiences.isEmpty }
}

/// How a route is described in `/openapi.json`.
public struct RouteDoc: Sendable {
    public var summary: String
    /// Query parameters the route reads (name, description).
    public var query: [(name: String, description: String)]
    /// A JSON Schema (as JSON) of the request body, if the route takes one.
    public var requestSchema: JSONValue?
    /// Request content type when not JSON (the token endpoint takes a form).
    public var requestContentType: String
    /// Status → (description, JSON Schema of the body or nil).
    public var responses: [(status: Int, description: String, schema: JSONValue?)]

    public init(_ summary: String, query: [(name: String, description: String)] = [], request: JSONValue? = nil,
                requestContentType: String = "application/json",
                responses: [(status: Int, description: String, schema: JSONValue?)] = []) {
        self.summary = summary
        self.query = query
        self.requestSchema = request
        self.requestContentType = requestContentType
        self.responses = responses
    }
}

/// What a handler gets: the request, the path parameters, the server, and (for routes that
/// need one) the tenant and the caller.
public struct RouteContext: Sendable {
    public let request: SimRequest
    public let parameters: [String: String]
    public let server: SimServer
    public let route: Route
    /// The tenant the route addresses (by the `{tenant}` segment or the token), when resolved.
    public let host: TenantHost?
    /// Who is calling (from the bearer token; in lax mode, the tenant's administrator).
    public let principal: Principal?

    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The tenant, which routes of the tenant families always have.
    public var tenant: TenantHost {
        get throws(APIError) {
            guard let host else { throw APIError(status: 404, code: "TenantNotFound", message: "No tenant is addressed by this request.") }
            return host
        }
    }

    /// `http://host:port` as the client reached us, for links (`@odata.nextLink`, contentUri).
    public var baseURL: String {
        let host = request.header("host") ?? "\(server.options.host):\(server.options.port)"
        return "http://\(host)"
    }
}

public typealias RouteHandler = @Sendable (RouteContext) async throws -> SimResponse

/// One route: a method, a path template with `{name}` segments, and its handler.
public struct Route: Sendable {
    public let method: String
    public let template: String
    public let family: APIFamily
    /// Application permissions (app roles) any one of which lets an app-only token in; for
    /// delegated tokens, whether the route is open to non-administrators is `selfService`.
    public let permissions: [String]
    /// True when any signed-in user may call it (the `/me` routes); false when delegated
    /// callers must hold an administrator role.
    public let selfService: Bool
    /// True for routes that change the tenant (the journal and `--db` saving care).
    public let mutates: Bool
    public let doc: RouteDoc
    public let handler: RouteHandler
    let segments: [Segment]

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public init(_ method: String, _ template: String, family: APIFamily, permissions: [String] = [], selfService: Bool = false,
                mutates: Bool? = nil, doc: RouteDoc, handler: @escaping RouteHandler) {
        self.method = method
        self.template = template
        self.family = family
        self.permissions = permissions
        self.selfService = selfService
        self.mutates = mutates ?? (method != "GET")
        self.doc = doc
        self.handler = handler
        segments = template.split(separator: "/").map { s in
            s.hasPrefix("{") && s.hasSuffix("}") ? .parameter(String(s.dropFirst().dropLast())) : .literal(String(s).lowercased())
        }
    }

    /// The path parameters when `path` matches (literals compare case-insensitively, as
    /// Graph and Exchange do).
    func match(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, path) {
            switch segment {
            case .literal(let l): if l != part.lowercased() { return nil }
            case .parameter(let name): parameters[name] = part
            }
        }
        return parameters
    }
}

/// The routes, looked up by path; a path that matches with another method is a 405.
public struct RouteTable: Sendable {
    public private(set) var routes: [Route] = []

    public init(_ groups: [[Route]]) {
        routes = groups.flatMap { $0 }
    }

    enum Lookup {
        case found(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    func lookup(method: String, segments: [String]) -> Lookup {
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.match(segments) else { continue }
            if route.method == method { return .found(route, parameters) }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// The family a path belongs to, by its first segments (for errors before a route matched).
    static func family(of segments: [String]) -> APIFamily {
        let first = segments.first?.lowercased() ?? ""
        switch first {
        case "v1.0", "beta": return .graph
        case "adminapi": return .adminAPI
        case "api": return .management
        case "sim": return .control
        case "health", "openapi.json", "": return .meta
        default:
            return segments.count >= 2 && segments[1].lowercased() == "oauth2" ? .identity : .control
        }
    }
}
