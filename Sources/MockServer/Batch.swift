import AuditLog
import Foundation

/// OData JSON batching: `{"requests":[{"id","method","url","headers","body","dependsOn"}]}` in,
/// `{"responses":[{"id","status","headers","body"}]}` out. Each request runs through the
/// server's own `handle` with the outer request's token, so it is authenticated, journaled
/// and fault-injected like any other. Graph's limit is 20 requests. [Graph json-batching]
enum BatchExecutor {
    static let limit = 20

    static let requestSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["requests"]),
        "properties": .object([
            "requests": .object([
                "type": "array", "maxItems": .int(limit),
                "items": .object([
                    "type": "object",
                    "required": .array(["id", "method", "url"]),
                    "properties": .object([
                        "id": .object(["type": "string"]), "method": .object(["type": "string"]), "url": .object(["type": "string"]),
                        "headers": .object(["type": "object"]), "body": .object([:]),
                        "dependsOn": .object(["type": "array", "items": .object(["type": "string"])]),
                    ]),
                ]),
            ]),
        ]),
    ])

    static let responseSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["responses"]),
        "properties": .object([
            "responses": .object([
                "type": "array",
                "items": .object([
                    "type": "object",
                    "required": .array(["id", "status"]),
                    "properties": .object([
                        "id": .object(["type": "string"]), "status": .object(["type": "integer"]),
                        "headers": .object(["type": "object"]), "body": .object([:]),
                    ]),
                ]),
            ]),
        ]),
    ])

    /// One parsed batch step.
    struct Step {
        var id: String
        var method: String
        var url: String
        var headers: [String: String]
        var body: JSONValue?
        var dependsOn: [String]
    }

    /// Runs the batch in `context`, resolving each `url` against `root` (`/v1.0`, or
    /// `/adminapi/beta/{tenant}`).
    static func run(_ context: RouteContext, root: String) async throws -> SimResponse {
        guard let body = try context.request.jsonBody() else { throw APIError.badRequest("Empty Payload. JSON content expected.") }
        guard case .array(let items)? = body["requests"] else {
            throw APIError.badRequest("Invalid batch payload format: the body must be {\"requests\":[...]}.")
        }
        guard items.count <= limit else {
            // INFERRED wording; the limit of 20 is documented.
            throw APIError.badRequest("The number of batch requests (\(items.count)) exceeds the limit of \(limit).")
        }
        guard !items.isEmpty else { throw APIError.badRequest("Invalid batch payload format: requests is empty.") }
        var steps: [Step] = []
        for (n, item) in items.enumerated() {
            guard case .object(let o) = item else { throw APIError.badRequest("Invalid batch payload format: request \(n) is not an object.") }
            guard let id = o["id"]?.stringValue ?? o["id"]?.intValue.map(String.init), !id.isEmpty else {
                throw APIError.badRequest("Invalid batch payload format: request \(n) has no id.")
            }
            guard !steps.contains(where: { $0.id == id }) else { throw APIError.badRequest("Batch request ids must be unique: '\(id)' repeats.") }
            guard let method = o["method"]?.stringValue, ["GET", "POST", "PATCH", "PUT", "DELETE"].contains(method.uppercased()) else {
                throw APIError.badRequest("Invalid batch payload format: request '\(id)' has no valid method.")
            }
            guard let url = o["url"]?.stringValue, !url.isEmpty, !url.lowercased().hasPrefix("http") else {
                throw APIError.badRequest("Invalid batch payload format: request '\(id)' needs a url relative to the version root.")
            }
            var headers: [String: String] = [:]
            if case .object(let h)? = o["headers"] { for (k, v) in h.pairs { headers[k] = v.stringValue ?? WireJSON.text(v) } }
            let stepBody = o["body"]
            if let b = stepBody, b != .null, !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
                // Graph refuses a batch step with a body and no Content-Type.
                throw APIError.badRequest("Content-Type header must be specified for request '\(id)' with a body.")
            }
            var dependsOn: [String] = []
            if case .array(let d)? = o["dependsOn"] { dependsOn = d.compactMap(\.stringValue) }
            steps.append(Step(id: id, method: method.uppercased(), url: url, headers: headers, body: stepBody, dependsOn: dependsOn))
        }
        for step in steps {
            for d in step.dependsOn where !steps.contains(where: { $0.id == d }) {
                throw APIError.badRequest("Request '\(step.id)' depends on '\(d)', which is not in the batch.")
            }
        }

        var statuses: [String: Int] = [:]
        var responses: [JSONValue] = []
        for step in steps {
            if step.dependsOn.contains(where: { (statuses[$0] ?? 0) >= 400 }) {
                statuses[step.id] = 424
                responses.append(.object(["id": .string(step.id), "status": 424, "headers": .object([:]),
                                          "body": .object(["error": .object(["code": "FailedDependency",
                                                                             "message": "A request this one depends on failed."])])]))
                continue
            }
            let response = await execute(step, context: context, root: root)
            statuses[step.id] = response.status
            var out: JSONObject = ["id": .string(step.id), "status": .int(response.status)]
            var headers = JSONObject()
            for (k, v) in response.headers where !["request-id", "client-request-id"].contains(k.lowercased()) { headers[k] = .string(v) }
            out["headers"] = .object(headers)
            if !response.body.isEmpty {
                out["body"] = response.json ?? .string(String(decoding: response.body, as: UTF8.self))
            }
            responses.append(.object(out))
        }
        return .json(.object(["responses": .array(responses)]), contentType: ODataCollection.contentType)
    }

    static func execute(_ step: Step, context: RouteContext, root: String) async -> SimResponse {
        let relative = step.url.hasPrefix("/") ? step.url : "/" + step.url
        let target = root + relative
        // Decoded segments, so `%24batch` can't nest a batch either.
        let (path, _) = SimRequest.split(target)
        if SimRequest(method: step.method, path: path).segments.last?.lowercased() == "$batch" {
            return .json(.object(["error": .object(["code": "BadRequest", "message": "A batch cannot contain another batch."])]), status: 400)
        }
        var headers = step.headers
        for name in ["authorization", "consistencylevel", "x-tenantsim-tenant", "user-agent"] {
            if let v = context.request.header(name), !headers.keys.contains(where: { $0.lowercased() == name }) { headers[name] = v }
        }
        var body = Data()
        if let b = step.body, b != .null {
            body = b.stringValue.map { Data($0.utf8) } ?? Data(WireJSON.text(b).utf8)
        }
        var request = SimRequest(step.method, target, headers: headers, body: body, clientIP: context.request.clientIP)
        request.clientPort = context.request.clientPort
        return await context.server.handle(request)
    }
}

/// The batch routes: Graph's `/$batch` per version and the admin API's.
enum BatchRoutes {
    static func graph(_ version: String) -> Route {
        Route("POST", "/\(version)/$batch", family: .graph, permissions: [], selfService: true, mutates: true,
              doc: RouteDoc("JSON batch of up to 20 Graph requests (each authorized on its own)", request: BatchExecutor.requestSchema,
                            responses: [(200, "One response per request", BatchExecutor.responseSchema),
                                        (400, "Malformed batch or more than 20 requests", GraphRoutes.errorSchema),
                                        (401, "Missing or invalid token", GraphRoutes.errorSchema)])) { context in
            try await BatchExecutor.run(context, root: "/\(version)")
        }
    }

    static var adminAPI: Route {
        Route("POST", "/adminapi/beta/{tenant}/$batch", family: .adminAPI, permissions: AdminAPIRoutes.permissions, selfService: true, mutates: true,
              doc: RouteDoc("JSON batch of up to 20 admin API requests (InvokeCommand and resource paths)", request: BatchExecutor.requestSchema,
                            responses: [(200, "One response per request", BatchExecutor.responseSchema),
                                        (400, "Malformed batch or more than 20 requests", AdminAPIRoutes.errorSchema),
                                        (401, "Missing or invalid token", AdminAPIRoutes.errorSchema)])) { context in
            try await BatchExecutor.run(context, root: "/adminapi/beta/\(context.parameter("tenant"))")
        }
    }
}
