import AuditLog
import Foundation
import TenantModel

/// Microsoft Graph subset (`/v1.0`, `/beta`): directory, per-user MFA, reports, audit logs,
/// inbox rules, messages, security defaults, conditional access policies and JSON batching,
/// with Graph's OData conventions (see OData.swift).
enum GraphRoutes: SchemaBuilding {
    static let versions = ["v1.0", "beta"]

    static var routes: [Route] {
        var routes: [Route] = []
        for version in versions {
            routes += GraphDirectory.routes(version)
            routes += GraphAuthentication.routes(version)
            routes += GraphAuditLogs.routes(version)
            routes += GraphMail.routes(version)
            routes += GraphPolicies.routes(version)
            routes.append(BatchRoutes.graph(version))
        }
        routes.append(BatchRoutes.adminAPI)
        return routes
    }

    // MARK: Schemas for /openapi.json

    static let errorSchema = errorBody([("innerError", anyObject)])

    static let collectionSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["value"]),
        "properties": .object([
            "@odata.context": .object(["type": "string"]),
            "@odata.count": .object(["type": "integer"]),
            "@odata.nextLink": .object(["type": "string"]),
            "value": .object(["type": "array", "items": .object(["type": "object"])]),
        ]),
    ])

    static let entitySchema: JSONValue = .object(["type": "object"])

    static let listQuery: [(name: String, description: String)] = [
        ("$filter", "OData filter (eq, ne, ge, le, in, startswith, and, or, not) on the resource's filterable properties"),
        ("$select", "Comma-separated properties to return"),
        ("$top", "Page size"),
        ("$orderby", "Sort order where the resource allows it"),
        ("$count", "true adds @odata.count (directory objects need ConsistencyLevel: eventual)"),
        ("$skiptoken", "Paging position (from @odata.nextLink)"),
    ]

    /// The usual responses of a Graph read.
    static func readResponses(_ schema: JSONValue, notFound: Bool = false) -> [(status: Int, description: String, schema: JSONValue?)] {
        var r: [(status: Int, description: String, schema: JSONValue?)] = [
            (200, "OK", schema), (400, "Bad request (OData or input)", errorSchema), (401, "Missing or invalid token", errorSchema),
            (403, "Insufficient privileges", errorSchema),
        ]
        if notFound { r.append((404, "Not found", errorSchema)) }
        return r
    }

    static func writeResponses(_ status: Int, _ schema: JSONValue? = nil) -> [(status: Int, description: String, schema: JSONValue?)] {
        [(status, status == 204 ? "No Content" : "Created", schema), (400, "Bad request", errorSchema), (401, "Missing or invalid token", errorSchema),
         (403, "Insufficient privileges or access denied", errorSchema), (404, "Not found", errorSchema)]
    }

    // MARK: Shared helpers

    /// `{base}/{version}/$metadata#{fragment}` (Graph's `@odata.context`, on the simulator's host).
    static func metadata(_ context: RouteContext, _ version: String, _ fragment: String) -> String {
        "\(context.baseURL)/\(version)/$metadata#\(fragment)"
    }

    static func ok(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> SimResponse {
        .json(value, status: status, contentType: ODataCollection.contentType, headers: headers)
    }

    /// The request body as a JSON object; Graph's 400 otherwise.
    static func objectBody(_ context: RouteContext) throws -> JSONObject {
        guard let body = try context.request.jsonBody() else {
            throw APIError.badRequest("Empty Payload. JSON content expected.")
        }
        guard let object = body.objectValue else {
            throw APIError.badRequest("The request body must be a JSON object.")
        }
        return object
    }

    /// The directory's answer for an id or UPN it doesn't know. [Graph user-get]
    static func userNotFound(_ key: String) -> APIError { resourceNotFound(key) }

    /// Graph's 404 for an id nothing answers to (directory objects say `Request_ResourceNotFound`, audit logs `ResourceNotFound`).
    static func resourceNotFound(_ key: String, code: String = "Request_ResourceNotFound") -> APIError {
        .notFound("Resource '\(key)' does not exist or one of its queried reference-property objects are not present.", code: code)
    }

    /// The caller of a `/me` route; app-only tokens have none.
    static func me(_ context: RouteContext) throws(APIError) -> String {
        guard let upn = context.principal?.userPrincipalName else {
            throw APIError.badRequest("/me request is only valid with delegated authentication flow.")
        }
        return upn
    }

    /// A user by object id or UPN.
    static func userIndex(_ key: String, in tenant: Tenant) -> Int? {
        if let id = UUID(uuidString: key) { return tenant.users.firstIndex { $0.objectId == id } }
        return tenant.userIndex(upn: key)
    }

    /// Delegated callers without an administrator role may read only their own object
    /// (routes that allow that are self-service and call this). [Graph user-get permissions]
    static func requireSelfOrAdmin(_ principal: Principal?, target: User, in tenant: Tenant) throws(APIError) {
        guard let upn = principal?.userPrincipalName else { return }
        guard let caller = tenant.user(upn: upn) else { throw APIError.insufficientPrivileges }
        if caller.objectId != target.objectId, !caller.isAdmin { throw APIError.insufficientPrivileges }
    }

    /// Who acts, for audit records: the token's user, else the application's display name.
    static func actor(_ principal: Principal?, tenant: Tenant) -> String {
        if let upn = principal?.userPrincipalName { return tenant.user(upn: upn)?.userPrincipalName ?? upn }
        return principal.flatMap { tenant.application(appId: $0.appId)?.displayName } ?? "Microsoft Graph"
    }

    /// `id.uuidString.lowercased()`, written by hand: Foundation's goes through snprintf,
    /// which was a visible share of a user list.
    static func guid(_ id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var j = 0
                for (i, b) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[j] = UInt8(ascii: "-"); j += 1 }
                    out[j] = hexDigits[Int(b >> 4)]
                    out[j + 1] = hexDigits[Int(b & 0x0F)]
                    j += 2
                }
                return j
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// Rejects body members a write does not accept: ODataLib's message for a name the type
    /// lacks, Entra's for a read-only one.
    static func checkMembers(_ body: JSONObject, typeName: String, writable: Set<String>, readOnly: Set<String>) throws(APIError) {
        for key in body.keys where !key.hasPrefix("@odata") {
            if writable.contains(key) { continue }
            if readOnly.contains(key) {
                throw APIError(status: 400, code: "Request_BadRequest",
                               message: "Property '\(key)' is read-only and cannot be set.")
            }
            throw APIError(status: 400, code: "BadRequest",
                           message: "The property '\(key)' does not exist on type '\(typeName)'. Make sure to only use property names that are defined by the type or mark the type as open type.")
        }
    }

    /// ODataLib's message for a member of the wrong JSON type.
    static func typeMismatch(_ key: String, expected: String) -> APIError {
        APIError(status: 400, code: "BadRequest",
                 message: "Cannot convert the literal value of property '\(key)' to the expected type '\(expected)'.")
    }
}
