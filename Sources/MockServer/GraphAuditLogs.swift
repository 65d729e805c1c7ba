import AuditLog
import Foundation
import TenantModel

/// `/auditLogs/signIns` (the Entra sign-in log the access pipeline writes) and
/// `/auditLogs/directoryAudits` (derived from the AzureActiveDirectory unified audit records).
enum GraphAuditLogs {
    static func routes(_ v: String) -> [Route] {
        [
            Route("GET", "/\(v)/auditLogs/signIns", family: .graph, permissions: ["AuditLog.Read.All"],
                  doc: RouteDoc("Entra sign-in log, newest first", query: GraphRoutes.listQuery,
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await signIns(c, v) },
            Route("GET", "/\(v)/auditLogs/signIns/{id}", family: .graph, permissions: ["AuditLog.Read.All"],
                  doc: RouteDoc("One sign-in", responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in
                try await signIns(c, v)
            },
            Route("GET", "/\(v)/auditLogs/directoryAudits", family: .graph, permissions: ["AuditLog.Read.All"],
                  doc: RouteDoc("Entra directory audit log, newest first", query: GraphRoutes.listQuery,
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await directoryAudits(c, v) },
            Route("GET", "/\(v)/auditLogs/directoryAudits/{id}", family: .graph, permissions: ["AuditLog.Read.All"],
                  doc: RouteDoc("One directory audit record", responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in
                try await directoryAudits(c, v)
            },
        ]
    }

    // MARK: Sign-ins

    static let signInProperties = ["id", "createdDateTime", "userDisplayName", "userPrincipalName", "userId", "appId", "appDisplayName",
                                   "ipAddress", "clientAppUsed", "correlationId", "conditionalAccessStatus", "isInteractive", "riskDetail",
                                   "riskLevelAggregated", "riskLevelDuringSignIn", "riskState", "riskEventTypes", "riskEventTypes_v2",
                                   "resourceDisplayName", "resourceId", "status", "deviceDetail", "location", "appliedConditionalAccessPolicies"]

    /// Filterable sign-in properties. [Graph v1.0 signIn resource type, signin-list]
    static let signInResource: ODataResource<SignInRecord> = {
        func json(_ name: String, _ kind: ODataKind, _ ops: Set<ODataOperator>) -> ODataField<SignInRecord> {
            ODataField(name, kind, ops) { JSONPath.scalar($0.resource, name) }
        }
        let text: Set<ODataOperator> = [.eq, .ne, .startsWith, .in]
        return ODataResource<SignInRecord>(
            typeName: "microsoft.graph.signIn", resourceName: "SignIn", properties: signInProperties,
            fields: [
                ODataField("id", .guid, [.eq, .in]) { .string($0.id.uuidString.lowercased()) },
                ODataField("createdDateTime", .date, [.eq, .ne, .gt, .ge, .lt, .le], sortable: true) { .date($0.createdDateTime) },
                ODataField("userPrincipalName", .string, text) { .string($0.userPrincipalName) },
                json("userDisplayName", .string, text), json("userId", .guid, [.eq, .ne, .in]), json("appId", .guid, [.eq, .ne, .in]),
                json("appDisplayName", .string, text), json("ipAddress", .string, text), json("clientAppUsed", .string, [.eq, .ne, .in]),
                json("correlationId", .guid, [.eq]), json("conditionalAccessStatus", .string, [.eq, .ne]),
                json("isInteractive", .bool, [.eq, .ne]), json("resourceId", .guid, [.eq, .ne]), json("resourceDisplayName", .string, text),
                ODataField("status/errorCode", .int, [.eq, .ne, .in]) { .int($0.errorCode) },
                json("location/city", .string, text), json("location/countryOrRegion", .string, text),
            ],
            defaultPageSize: 1000, maxPageSize: 1000)
    }()

    static func signIns(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: signInResource)
        let context = GraphRoutes.metadata(c, v, "auditLogs/signIns")
        let key = c.parameters["id"]
        let base = c.baseURL
        let request = c.request
        let body = try await host.perform { (h) throws(APIError) -> JSONValue in
            let log = h.session.audit.signIns
            if let key {
                guard let record = log.first(where: { $0.id.uuidString.caseInsensitiveCompare(key) == .orderedSame }) else {
                    throw GraphRoutes.resourceNotFound(key, code: "ResourceNotFound")
                }
                return ODataCollection.entity(record.resource, select: query.select, context: context)
            }
            return ODataCollection.page(Array(log.reversed()), query: query, resource: signInResource, context: context, nextLinkBase: base,
                                        request: request) { r, s in ODataCollection.project(r.resource, s) }
        }
        return GraphRoutes.ok(body)
    }

    // MARK: Directory audits

    static let auditProperties = ["id", "category", "correlationId", "result", "resultReason", "activityDisplayName", "activityDateTime",
                                  "loggedByService", "operationType", "initiatedBy", "targetResources", "additionalDetails"]

    /// Filterable directoryAudit properties. [Graph v1.0 directoryAudit resource type, directoryaudit-list]
    static let auditResource: ODataResource<JSONObject> = {
        func f(_ name: String, _ kind: ODataKind, _ ops: Set<ODataOperator>) -> ODataField<JSONObject> {
            ODataField(name, kind, ops) { JSONPath.scalar($0, name) }
        }
        return ODataResource<JSONObject>(
            typeName: "microsoft.graph.directoryAudit", resourceName: "DirectoryAudit", properties: auditProperties,
            fields: [
                f("id", .string, [.eq]),
                ODataField("activityDateTime", .date, [.eq, .ge, .le, .gt, .lt], sortable: true) { JSONPath.date($0, "activityDateTime") },
                f("activityDisplayName", .string, [.eq, .startsWith]), f("category", .string, [.eq]), f("correlationId", .guid, [.eq]),
                f("result", .string, [.eq]), f("loggedByService", .string, [.eq]), f("operationType", .string, [.eq]),
                f("initiatedBy/user/id", .guid, [.eq]), f("initiatedBy/user/userPrincipalName", .string, [.eq, .startsWith]),
                f("initiatedBy/app/displayName", .string, [.eq, .startsWith]), f("initiatedBy/app/appId", .string, [.eq]),
            ],
            defaultPageSize: 1000, maxPageSize: 1000)
    }()

    /// A directoryAudit built from an AzureActiveDirectory (record type 8) UAL record: the
    /// same change as Entra's own audit log shows it.
    static func directoryAudit(_ r: UnifiedAuditRecord, tenant: Tenant) -> JSONObject {
        let d = r.auditData
        let operation = r.operation.hasSuffix(".") ? String(r.operation.dropLast()) : r.operation
        let actor = d["UserId"]?.stringValue ?? r.userId
        let actorUser = tenant.user(upn: actor)
        let targetUPN = d["ObjectId"]?.stringValue ?? ""
        let targetUser = tenant.user(upn: targetUPN)
        let targetId = targetUser.map { GraphRoutes.guid($0.objectId) }
            ?? d["Target"]?.arrayValue?.compactMap { $0["ID"]?.stringValue }.first { UUID(uuidString: $0) != nil }
        let modified: [JSONValue] = (d["ModifiedProperties"]?.arrayValue ?? []).map { p in
            .object(["displayName": .string(p["Name"]?.stringValue ?? ""), "oldValue": .string(compact(p["OldValue"]?.stringValue ?? "")),
                     "newValue": .string(compact(p["NewValue"]?.stringValue ?? ""))])
        }
        let verb = operation.split(separator: " ").first.map(String.init) ?? ""
        let operationType = ["Add": "Add", "Delete": "Delete", "Remove": "Delete"][verb] ?? "Update"
        var o = JSONObject()
        o.append("id", .string("Directory_\(r.id.uuidString.lowercased())"))
        o.append("category", "UserManagement")
        o.append("correlationId", .string(d["InterSystemsId"]?.stringValue ?? r.id.uuidString.lowercased()))
        o.append("result", .string(r.resultStatus == "Success" ? "success" : "failure"))
        o.append("resultReason", "")
        o.append("activityDisplayName", .string(operation))
        o.append("activityDateTime", .string(ISO8601.format(r.creationTime)))
        o.append("loggedByService", "Core Directory")
        o.append("operationType", .string(operationType))
        if let actorUser {
            o.append("initiatedBy", .object([
                "app": .null,
                "user": .object(["id": .string(GraphRoutes.guid(actorUser.objectId)), "displayName": .null,
                                 "userPrincipalName": .string(actorUser.userPrincipalName), "ipAddress": ""]),
            ]))
        } else {
            let app = tenant.applications.first { $0.displayName == actor }
            o.append("initiatedBy", .object([
                "app": .object(["appId": app.map { .string(GraphRoutes.guid($0.appId)) } ?? .null, "displayName": .string(actor),
                                "servicePrincipalId": app.map { .string(GraphRoutes.guid($0.appId)) } ?? .null, "servicePrincipalName": .null]),
                "user": .null,
            ]))
        }
        o.append("targetResources", .array([.object([
            "id": GraphRoutes.text(targetId), "displayName": .null, "type": "User", "userPrincipalName": .string(targetUPN),
            "groupType": .null, "modifiedProperties": .array(modified),
        ])]))
        o.append("additionalDetails", .array(r.operation == "Update user." ? [.object(["key": "UserType", "value": "Member"])] : []))
        return o
    }

    /// UAL writes values as indented JSON (`[\r\n  true\r\n]`); Graph's directory audit writes them compact (`[true]`).
    static func compact(_ s: String) -> String {
        guard s.contains("\r\n") else { return s }
        var out = ""
        var skipping = false
        for ch in s {
            if ch == "\r\n" || ch == "\n" || ch == "\r" { skipping = true; continue }
            if skipping, ch == " " { continue }
            skipping = false
            out.append(ch)
        }
        return out
    }

    static func directoryAudits(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: auditResource)
        let context = GraphRoutes.metadata(c, v, "auditLogs/directoryAudits")
        let key = c.parameters["id"]
        let base = c.baseURL
        let request = c.request
        let body = try await host.perform { (h) throws(APIError) -> JSONValue in
            let t = h.session.tenant
            let rows = h.session.audit.unified.reversed().filter { $0.recordType == .AzureActiveDirectory }.map { directoryAudit($0, tenant: t) }
            if let key {
                guard let row = rows.first(where: { $0["id"]?.stringValue?.caseInsensitiveCompare(key) == .orderedSame }) else {
                    throw GraphRoutes.resourceNotFound(key, code: "ResourceNotFound")
                }
                return ODataCollection.entity(row, select: query.select, context: context)
            }
            return ODataCollection.page(rows, query: query, resource: auditResource, context: context, nextLinkBase: base, request: request) { o, s in
                ODataCollection.project(o, s)
            }
        }
        return GraphRoutes.ok(body)
    }
}
