import AuditLog
import Foundation
import TenantModel

/// `/policies/identitySecurityDefaultsEnforcementPolicy` and
/// `/identity/conditionalAccess/policies` (stored and listed; not evaluated yet).
/// [EXCHANGE-FACTS 6.4, 6.5]
enum GraphPolicies {
    static let securityDefaultsId = "00000000-0000-0000-0000-000000000005"
    static let securityDefaultsDescription = "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks."

    static let caRead = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]
    static let caWrite = ["Policy.ReadWrite.ConditionalAccess"]

    static let securityDefaultsSchema: JSONValue = .object([
        "type": "object",
        "properties": .object(["isEnabled": .object(["type": "boolean"])]),
    ])

    static let policySchema: JSONValue = .object([
        "type": "object",
        "required": .array(["displayName", "state", "conditions"]),
        "properties": .object([
            "displayName": .object(["type": "string"]),
            "state": .object(["type": "string", "enum": .array(["enabled", "disabled", "enabledForReportingButNotEnforced"])]),
            "conditions": .object(["type": "object"]), "grantControls": .object(["type": .array(["object", "null"])]),
            "sessionControls": .object(["type": .array(["object", "null"])]),
        ]),
    ])

    static func routes(_ v: String) -> [Route] {
        let sd = "/\(v)/policies/identitySecurityDefaultsEnforcementPolicy"
        let ca = "/\(v)/identity/conditionalAccess/policies"
        return [
            Route("GET", sd, family: .graph, permissions: ["Policy.Read.All", "Policy.ReadWrite.SecurityDefaults"],
                  doc: RouteDoc("Security defaults", responses: GraphRoutes.readResponses(GraphRoutes.entitySchema))) { c in
                try await securityDefaults(c, v)
            },
            Route("PATCH", sd, family: .graph, permissions: ["Policy.ReadWrite.SecurityDefaults"],
                  doc: RouteDoc("Turns security defaults on or off", request: securityDefaultsSchema, responses: GraphRoutes.writeResponses(204))) { c in
                try await setSecurityDefaults(c)
            },
            Route("GET", ca, family: .graph, permissions: caRead,
                  doc: RouteDoc("Lists conditional access policies", query: [("$filter", "OData filter on displayName, state"), ("$select", "Properties"),
                                                                             ("$top", "Page size")],
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await listPolicies(c, v) },
            Route("POST", ca, family: .graph, permissions: caWrite,
                  doc: RouteDoc("Creates a conditional access policy (stored, not evaluated)", request: policySchema,
                                responses: GraphRoutes.writeResponses(201, GraphRoutes.entitySchema))) { c in try await createPolicy(c, v) },
            Route("GET", ca + "/{id}", family: .graph, permissions: caRead,
                  doc: RouteDoc("Gets a conditional access policy", responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in
                try await listPolicies(c, v)
            },
            Route("DELETE", ca + "/{id}", family: .graph, permissions: caWrite,
                  doc: RouteDoc("Deletes a conditional access policy", responses: GraphRoutes.writeResponses(204))) { c in try await deletePolicy(c) },
        ]
    }

    // MARK: Security defaults

    static func securityDefaults(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let enabled = await host.perform { $0.securityDefaultsEnabled }
        return GraphRoutes.ok(.object([
            "@odata.context": .string(GraphRoutes.metadata(c, v, "policies/identitySecurityDefaultsEnforcementPolicy/$entity")),
            "id": .string(securityDefaultsId),
            "displayName": "Security Defaults",
            "description": .string(securityDefaultsDescription),
            "isEnabled": .bool(enabled),
        ]))
    }

    static func setSecurityDefaults(_ c: RouteContext) async throws -> SimResponse {
        let host = try c.tenant
        let body = try GraphRoutes.objectBody(c)
        try GraphRoutes.checkMembers(body, typeName: "microsoft.graph.identitySecurityDefaultsEnforcementPolicy", writable: ["isEnabled"],
                                     readOnly: ["id", "displayName", "description"])
        guard let value = body["isEnabled"] else { return .empty(204) }
        guard case .bool(let enabled) = value else { throw GraphRoutes.typeMismatch("isEnabled", expected: "Edm.Boolean") }
        await host.perform { h in
            h.securityDefaultsEnabled = enabled
            h.touch()
        }
        return .empty(204)
    }

    // MARK: Conditional access

    static let states: Set<String> = ["enabled", "disabled", "enabledForReportingButNotEnforced"]
    static let builtInControls: Set<String> = ["block", "mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication",
                                               "compliantApplication", "passwordChange", "unknownFutureValue"]
    static let clientAppTypes: Set<String> = ["all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other"]

    static let policyResource = ODataResource<JSONObject>(
        typeName: "microsoft.graph.conditionalAccessPolicy", resourceName: "ConditionalAccessPolicy",
        properties: ["id", "templateId", "displayName", "createdDateTime", "modifiedDateTime", "state", "sessionControls", "conditions",
                     "grantControls"],
        fields: [ODataField("id", .guid, [.eq]) { JSONPath.scalar($0, "id") },
                 ODataField("displayName", .string, [.eq, .ne, .startsWith]) { JSONPath.scalar($0, "displayName") },
                 ODataField("state", .string, [.eq, .ne]) { JSONPath.scalar($0, "state") }],
        defaultPageSize: 100, maxPageSize: 999)

    static func invalid(_ message: String) -> APIError {
        APIError(status: 400, code: "BadRequest", message: message)
    }

    /// Checks a policy body for what the service requires: displayName, a known state, a
    /// conditions object with users and applications, known client app types and grant
    /// controls (operator AND/OR). [EXCHANGE-FACTS 6.5] Message wording INFERRED.
    static func validate(_ body: JSONObject) throws(APIError) {
        try GraphRoutes.checkMembers(body, typeName: "microsoft.graph.conditionalAccessPolicy",
                                     writable: ["displayName", "state", "conditions", "grantControls", "sessionControls", "templateId"],
                                     readOnly: ["id", "createdDateTime", "modifiedDateTime"])
        guard case .string(let name)? = body["displayName"], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw invalid("displayName is required.")
        }
        guard case .string(let state)? = body["state"], states.contains(state) else {
            throw invalid("state must be one of enabled, disabled, enabledForReportingButNotEnforced.")
        }
        guard case .object(let conditions)? = body["conditions"] else { throw invalid("conditions is required.") }
        guard case .object(let users)? = conditions["users"], users.keys.contains(where: { $0.hasPrefix("include") }) else {
            throw invalid("conditions.users is required and must include users, groups or roles.")
        }
        guard case .object(let apps)? = conditions["applications"],
              apps.keys.contains(where: { $0 == "includeApplications" || $0 == "includeUserActions" || $0 == "includeAuthenticationContextClassReferences" })
        else {
            throw invalid("conditions.applications is required and must include applications or user actions.")
        }
        if let types = conditions["clientAppTypes"] {
            guard case .array(let items) = types, items.allSatisfy({ $0.stringValue.map(clientAppTypes.contains) ?? false }) else {
                throw invalid("conditions.clientAppTypes must list values of all, browser, mobileAppsAndDesktopClients, exchangeActiveSync, easSupported, other.")
            }
        }
        switch body["grantControls"] {
        case nil, .null?:
            if body["sessionControls"] == nil || body["sessionControls"] == .null {
                throw invalid("A policy needs grantControls or sessionControls.")
            }
        case .object(let grant)?:
            if let op = grant["operator"], !["AND", "OR"].contains(op.stringValue ?? "") { throw invalid("grantControls.operator must be AND or OR.") }
            if let controls = grant["builtInControls"] {
                guard case .array(let items) = controls, items.allSatisfy({ $0.stringValue.map(builtInControls.contains) ?? false }) else {
                    throw invalid("grantControls.builtInControls must list values of block, mfa, compliantDevice, domainJoinedDevice, approvedApplication, compliantApplication, passwordChange.")
                }
            }
        default: throw GraphRoutes.typeMismatch("grantControls", expected: "microsoft.graph.conditionalAccessGrantControls")
        }
    }

    static func createPolicy(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let body = try GraphRoutes.objectBody(c)
        try validate(body)
        let stored = await host.perform { h -> JSONObject in
            let t = h.session.tenant
            var ids = h.session.tenant.ids
            let id = ids.newGuid()
            h.session.tenant.ids = ids
            var o = JSONObject()
            o.append("id", .string(GraphRoutes.guid(id)))
            o.append("templateId", body["templateId"] ?? .null)
            o.append("displayName", body["displayName"] ?? .null)
            o.append("createdDateTime", .string(ISO8601.format(t.now)))
            o.append("modifiedDateTime", .null)
            o.append("state", body["state"] ?? .null)
            o.append("sessionControls", body["sessionControls"] ?? .null)
            o.append("conditions", body["conditions"] ?? .null)
            o.append("grantControls", body["grantControls"] ?? .null)
            h.conditionalAccessPolicies.append(o)
            h.touch()
            return o
        }
        var o: JSONObject = ["@odata.context": .string(GraphRoutes.metadata(c, v, "identity/conditionalAccess/policies/$entity"))]
        for (k, val) in stored.pairs { o.append(k, val) }
        return GraphRoutes.ok(.object(o), status: 201)
    }

    static func listPolicies(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: policyResource)
        let context = GraphRoutes.metadata(c, v, "identity/conditionalAccess/policies")
        let policies = await host.perform { $0.conditionalAccessPolicies }
        if let key = c.parameters["id"] {
            guard let p = policies.first(where: { $0["id"]?.stringValue?.lowercased() == key.lowercased() }) else { throw policyNotFound(key) }
            return GraphRoutes.ok(ODataCollection.entity(p, select: query.select, context: context))
        }
        return GraphRoutes.ok(ODataCollection.page(policies, query: query, resource: policyResource, context: context, nextLinkBase: c.baseURL,
                                                   request: c.request) { o, s in ODataCollection.project(o, s) })
    }

    static func policyNotFound(_ key: String) -> APIError {
        APIError(status: 404, code: "ResourceNotFound", message: "Resource '\(key)' does not exist or one of its queried reference-property objects are not present.")
    }

    static func deletePolicy(_ c: RouteContext) async throws -> SimResponse {
        let host = try c.tenant
        let key = c.parameter("id").lowercased()
        let removed = await host.perform { h -> Bool in
            let before = h.conditionalAccessPolicies.count
            h.conditionalAccessPolicies.removeAll { $0["id"]?.stringValue?.lowercased() == key }
            h.touch()
            return h.conditionalAccessPolicies.count < before
        }
        guard removed else { throw policyNotFound(c.parameter("id")) }
        return .empty(204)
    }
}
