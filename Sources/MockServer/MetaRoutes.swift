import AuditLog
import Foundation

/// `GET /health` and `GET /openapi.json`.
enum MetaRoutes {
    static var routes: [Route] {
        [
            Route("GET", "/health", family: .meta,
                  doc: RouteDoc("Liveness: the tenants served", responses: [(200, "Serving", .object(["type": "object"]))])) { context in
                var tenants: [JSONValue] = []
                for host in context.server.allTenants {
                    let (id, domain) = await host.perform { ($0.tenantId.uuidString.lowercased(), $0.session.tenant.info.initialDomain) }
                    tenants.append(.object(["id": .string(id), "initialDomain": .string(domain)]))
                }
                return .json(.object(["status": "ok", "auth": .string(context.server.options.auth.rawValue), "tenants": .array(tenants)]))
            },
            Route("GET", "/openapi.json", family: .meta,
                  doc: RouteDoc("This OpenAPI 3.1 document", responses: [(200, "The document", .object(["type": "object"]))])) { context in
                .json(OpenAPIDocument.build(context.server.routes))
            },
        ]
    }
}

/// The OpenAPI 3.1 description of every route, built from the route table itself, so it
/// cannot drift from what the server answers.
public enum OpenAPIDocument {
    public static func build(_ table: RouteTable) -> JSONValue {
        var paths = JSONObject()
        var grouped: [(String, [Route])] = []
        for route in table.routes {
            if let i = grouped.firstIndex(where: { $0.0 == route.template }) { grouped[i].1.append(route) } else { grouped.append((route.template, [route])) }
        }
        for (template, routes) in grouped {
            var item = JSONObject()
            for route in routes { item[route.method.lowercased()] = operation(route) }
            paths[template] = .object(item)
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "TenantSim mock REST endpoint",
                "version": "1.0.0",
                "description": "Microsoft Graph subset, Exchange admin API (InvokeCommand), Office 365 Management Activity API, the identity platform's token endpoint and the simulator's control plane, as one offline server.",
            ]),
            "servers": .array([.object(["url": "http://127.0.0.1:8365"])]),
            "components": .object([
                "securitySchemes": .object(["bearer": .object(["type": "http", "scheme": "bearer", "bearerFormat": "JWT"])]),
            ]),
            "paths": .object(paths),
        ])
    }

    static func operation(_ route: Route) -> JSONValue {
        var op: JSONObject = [
            "operationId": .string(operationId(route)),
            "summary": .string(route.doc.summary),
            "tags": .array([.string(route.family.rawValue)]),
        ]
        var parameters: [JSONValue] = []
        for segment in route.segments {
            if case .parameter(let name) = segment {
                parameters.append(.object(["name": .string(name), "in": "path", "required": .bool(true), "schema": .object(["type": "string"])]))
            }
        }
        for q in route.doc.query {
            parameters.append(.object(["name": .string(q.name), "in": "query", "required": .bool(false),
                                       "description": .string(q.description), "schema": .object(["type": "string"])]))
        }
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let schema = route.doc.requestSchema {
            op["requestBody"] = .object(["required": .bool(true),
                                         "content": .object([route.doc.requestContentType: .object(["schema": schema])])])
        }
        var responses = JSONObject()
        for r in route.doc.responses {
            var response: JSONObject = ["description": .string(r.description)]
            if let schema = r.schema { response["content"] = .object(["application/json": .object(["schema": schema])]) }
            responses[String(r.status)] = .object(response)
        }
        if responses.keys.isEmpty { responses["200"] = .object(["description": "OK"]) }
        responses["default"] = .object(["description": "An error in the API's own error shape",
                                        "content": .object(["application/json": .object(["schema": .object(["type": "object"])])])])
        op["responses"] = .object(responses)
        if route.family.needsToken { op["security"] = .array([.object(["bearer": .array([])])]) }
        return .object(op)
    }

    static func operationId(_ route: Route) -> String {
        let words = route.template.split(separator: "/").map { s -> String in
            let t = s.replacingOccurrences(of: "{", with: "by-").replacingOccurrences(of: "}", with: "")
                .replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "$", with: "")
            return t
        }
        return route.method.lowercased() + "_" + words.joined(separator: "_")
    }
}
