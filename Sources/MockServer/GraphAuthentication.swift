import AuditLog
import Foundation
import TenantModel

/// Authentication methods, per-user MFA (`/beta/users/{id}/authentication/requirements`) and
/// the registration details report.
enum GraphAuthentication {
    static let methodsRead = ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"]
    static let requirementsRead = ["Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod", "UserAuthenticationMethod.Read.All",
                                   "UserAuthenticationMethod.ReadWrite.All"]
    static let requirementsWrite = ["Policy.ReadWrite.AuthenticationMethod", "UserAuthenticationMethod.ReadWrite.All"]

    static let requirementsSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["perUserMfaState"]),
        "properties": .object(["perUserMfaState": .object(["type": "string", "enum": .array(["disabled", "enabled", "enforced"])])]),
    ])

    static func routes(_ v: String) -> [Route] {
        var routes = [
            Route("GET", "/\(v)/users/{id}/authentication/methods", family: .graph, permissions: methodsRead, selfService: true,
                  doc: RouteDoc("Lists a user's authentication methods", responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema, notFound: true))) { c in
                try await methods(c, v, key: c.parameter("id"))
            },
            Route("GET", "/\(v)/me/authentication/methods", family: .graph, permissions: methodsRead, selfService: true,
                  doc: RouteDoc("Lists the signed-in user's authentication methods", responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in
                try await methods(c, v, key: try GraphRoutes.me(c))
            },
            Route("GET", "/\(v)/reports/authenticationMethods/userRegistrationDetails", family: .graph, permissions: ["AuditLog.Read.All"],
                  doc: RouteDoc("Users' authentication method registration (MFA capable, methods registered...)", query: GraphRoutes.listQuery,
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await registrationDetails(c, v) },
            Route("GET", "/\(v)/reports/authenticationMethods/userRegistrationDetails/{id}", family: .graph, permissions: ["AuditLog.Read.All"],
                  doc: RouteDoc("One user's registration details", responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in
                try await registrationDetails(c, v)
            },
        ]
        if v == "beta" {
            // The Graph replacement of MSOnline's StrongAuthenticationRequirements is beta only. [EXCHANGE-FACTS 6.3]
            routes += [
                Route("GET", "/beta/users/{id}/authentication/requirements", family: .graph, permissions: requirementsRead,
                      doc: RouteDoc("A user's per-user MFA state", responses: GraphRoutes.readResponses(requirementsSchema, notFound: true))) { c in
                    try await requirements(c, key: c.parameter("id"))
                },
                Route("PATCH", "/beta/users/{id}/authentication/requirements", family: .graph, permissions: requirementsWrite,
                      doc: RouteDoc("Sets a user's per-user MFA state (disabled, enabled, enforced)", request: requirementsSchema,
                                    responses: GraphRoutes.writeResponses(204))) { c in
                    try await setRequirements(c, key: c.parameter("id"))
                },
            ]
        }
        return routes
    }

    // MARK: Methods

    /// Well-known method ids: the password method's, and one per phone type.
    /// [Graph passwordAuthenticationMethod; phoneauthenticationmethod-get]
    static let passwordMethodId = "28c10230-6103-485e-b985-444c60001490"
    static let phoneIds = ["mobile": "3179e48a-750b-4051-897c-87b9720928f7", "alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
                           "office": "e37fc753-ff3b-4958-9484-eaa9425c82bc"]

    /// The phone type an MSOnline method uses, if it is a phone method.
    static func phoneType(_ m: StrongAuthenticationMethodType) -> String? {
        switch m {
        case .OneWaySMS, .TwoWayVoiceMobile: return "mobile"
        case .TwoWayVoiceAlternateMobile: return "alternateMobile"
        case .TwoWayVoiceOffice: return "office"
        case .PhoneAppOTP, .PhoneAppNotification: return nil
        }
    }

    /// A stable number in the 555-0100..0199 range reserved for fiction (the model keeps no number).
    static func phoneNumber(_ u: User, _ type: String) -> String {
        let n = (Int(u.objectId.uuid.0) + (type == "mobile" ? 0 : type == "office" ? 37 : 71)) % 100
        return "+1 4255550" + (n < 10 ? "10\(n)" : "1\(n)")
    }

    static func methodsJSON(_ u: User) -> [JSONValue] {
        var out: [JSONValue] = [.object([
            "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
            "id": .string(passwordMethodId),
            "password": .null,
            "createdDateTime": .string(ISO8601.format(u.lastPasswordChange ?? u.whenCreated)),
        ])]
        var phones: [String] = []
        for m in u.strongAuthenticationMethods {
            guard let type = phoneType(m), !phones.contains(type) else { continue }
            phones.append(type)
            out.append(.object([
                "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
                "id": .string(phoneIds[type] ?? ""),
                "phoneNumber": .string(phoneNumber(u, type)),
                "phoneType": .string(type),
                "smsSignInState": "notSupported",
            ]))
        }
        if u.strongAuthenticationMethods.contains(where: { $0 == .PhoneAppNotification || $0 == .PhoneAppOTP }) {
            out.append(.object([
                "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
                "id": .string(GraphRoutes.guid(derivedId(u.objectId, salt: 0xA7))),
                "displayName": .string("\(u.firstName ?? u.alias)'s phone"),
                "deviceTag": "SoftwareTokenActivated",
                "phoneAppVersion": "6.8.6",
                "createdDateTime": .string(ISO8601.format(u.whenCreated)),
            ]))
        }
        return out
    }

    /// A stable id derived from another (for objects the model doesn't keep).
    static func derivedId(_ id: UUID, salt: UInt8) -> UUID {
        var bytes = id.uuid
        bytes.0 ^= salt
        bytes.15 ^= salt
        return UUID(uuid: bytes)
    }

    static func methods(_ c: RouteContext, _ v: String, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let context = GraphRoutes.metadata(c, v, "users('\(key)')/authentication/methods")
        let principal = c.principal
        let value = try await host.perform { (h) throws(APIError) -> [JSONValue] in
            let t = h.session.tenant
            guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
            try GraphRoutes.requireSelfOrAdmin(principal, target: t.users[i], in: t)
            return methodsJSON(t.users[i])
        }
        return GraphRoutes.ok(.object(["@odata.context": .string(context), "value": .array(value)]))
    }

    // MARK: Per-user MFA

    static func stateName(_ s: PerUserMfaState) -> String {
        switch s {
        case .Disabled: return "disabled"
        case .Enabled: return "enabled"
        case .Enforced: return "enforced"
        }
    }

    static func requirements(_ c: RouteContext, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let context = GraphRoutes.metadata(c, "beta", "users('\(key)')/authentication/requirements/$entity")
        let state = try await host.perform { (h) throws(APIError) -> PerUserMfaState in
            let t = h.session.tenant
            guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
            return t.users[i].strongAuthenticationState
        }
        return GraphRoutes.ok(.object(["@odata.context": .string(context), "perUserMfaState": .string(stateName(state))]))
    }

    static func setRequirements(_ c: RouteContext, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let body = try GraphRoutes.objectBody(c)
        try GraphRoutes.checkMembers(body, typeName: "microsoft.graph.strongAuthenticationRequirements", writable: ["perUserMfaState"], readOnly: [])
        guard let value = body["perUserMfaState"] else {
            throw APIError.badRequest("The request body must set perUserMfaState (disabled, enabled or enforced).")
        }
        guard case .string(let text) = value else { throw GraphRoutes.typeMismatch("perUserMfaState", expected: "microsoft.graph.perUserMfaState") }
        let requested: PerUserMfaState
        switch text.lowercased() {
        case "disabled": requested = .Disabled
        case "enabled": requested = .Enabled
        case "enforced": requested = .Enforced
        default:
            // INFERRED wording; the enum members are from the beta resource page.
            throw APIError.badRequest("Invalid value '\(text)' for property 'perUserMfaState': expected one of disabled, enabled, enforced.")
        }
        let principal = c.principal
        try await host.perform { (h) throws(APIError) in
            let t = h.session.tenant
            guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
            let user = t.users[i]
            // A user who already registered methods goes straight to Enforced. [EXCHANGE-FACTS 6.2, 6.3]
            let state = requested == .Enabled && !user.strongAuthenticationMethods.isEmpty ? PerUserMfaState.Enforced : requested
            guard state != user.strongAuthenticationState else { return }
            h.commitDirectoryChange(actor: GraphRoutes.actor(principal, tenant: t), user: user.userPrincipalName) { tenant in
                tenant.updateUser(at: i) { u in
                    // Turning per-user MFA off deletes app passwords, as Set-MsolUser does.
                    if state == .Disabled { u.appPasswords = [] }
                    u.strongAuthenticationState = state
                }
            }
        }
        return .empty(204)
    }

    // MARK: Registration details report

    /// MSOnline method types as the report's `methodsRegistered` values.
    static func reportName(_ m: StrongAuthenticationMethodType) -> String {
        switch m {
        case .OneWaySMS, .TwoWayVoiceMobile: return "mobilePhone"
        case .TwoWayVoiceAlternateMobile: return "alternateMobilePhone"
        case .TwoWayVoiceOffice: return "officePhone"
        case .PhoneAppNotification: return "microsoftAuthenticatorPush"
        case .PhoneAppOTP: return "softwareOneTimePasscode"
        }
    }

    /// The default MFA method as the report names it (`defaultMfaMethodType`).
    static func defaultMethodName(_ m: StrongAuthenticationMethodType?) -> String {
        switch m {
        case nil: return "none"
        case .OneWaySMS?: return "sms"
        case .TwoWayVoiceMobile?: return "voiceMobile"
        case .TwoWayVoiceAlternateMobile?: return "voiceAlternateMobile"
        case .TwoWayVoiceOffice?: return "voiceOffice"
        case .PhoneAppNotification?: return "microsoftAuthenticatorPush"
        case .PhoneAppOTP?: return "softwareOneTimePasscode"
        }
    }

    /// One userRegistrationDetails object. [Graph v1.0 userRegistrationDetails resource type]
    static func registrationJSON(_ u: User, now: Date) -> JSONObject {
        var methods: [String] = []
        for m in u.strongAuthenticationMethods where !methods.contains(reportName(m)) { methods.append(reportName(m)) }
        let registered = !u.strongAuthenticationMethods.isEmpty
        var o = JSONObject()
        o.append("id", .string(GraphRoutes.guid(u.objectId)))
        o.append("userPrincipalName", .string(u.userPrincipalName))
        o.append("userDisplayName", .string(u.displayName))
        o.append("userType", "member")
        o.append("isAdmin", .bool(u.isAdmin))
        o.append("isSsprRegistered", .bool(registered))
        o.append("isSsprEnabled", false)
        o.append("isSsprCapable", false)
        o.append("isMfaRegistered", .bool(registered))
        o.append("isMfaCapable", .bool(registered))
        o.append("isPasswordlessCapable", false)
        o.append("isSystemPreferredAuthenticationMethodEnabled", false)
        o.append("lastUpdatedDateTime", .string(ISO8601.format(now)))
        o.append("methodsRegistered", .array(methods.map(JSONValue.string)))
        o.append("defaultMfaMethod", .string(defaultMethodName(u.strongAuthenticationMethods.first)))
        o.append("systemPreferredAuthenticationMethods", .array([]))
        o.append("userPreferredMethodForSecondaryAuthentication", .string(defaultMethodName(u.strongAuthenticationMethods.first)))
        return o
    }

    static let registrationResource: ODataResource<JSONObject> = {
        func f(_ name: String, _ kind: ODataKind, _ ops: Set<ODataOperator>, sortable: Bool = false) -> ODataField<JSONObject> {
            ODataField(name, kind, ops, sortable: sortable) { JSONPath.scalar($0, name) }
        }
        return ODataResource<JSONObject>(
            typeName: "microsoft.graph.userRegistrationDetails", resourceName: "UserRegistrationDetails",
            properties: ["id", "userPrincipalName", "userDisplayName", "userType", "isAdmin", "isSsprRegistered", "isSsprEnabled", "isSsprCapable",
                         "isMfaRegistered", "isMfaCapable", "isPasswordlessCapable", "isSystemPreferredAuthenticationMethodEnabled",
                         "lastUpdatedDateTime", "methodsRegistered", "defaultMfaMethod", "systemPreferredAuthenticationMethods",
                         "userPreferredMethodForSecondaryAuthentication"],
            fields: [f("id", .guid, [.eq, .in]), f("userPrincipalName", .string, [.eq, .ne, .startsWith], sortable: true),
                     f("userDisplayName", .string, [.eq, .ne, .startsWith], sortable: true), f("userType", .string, [.eq, .ne]),
                     f("isAdmin", .bool, [.eq, .ne]), f("isMfaRegistered", .bool, [.eq, .ne]), f("isMfaCapable", .bool, [.eq, .ne]),
                     f("isSsprRegistered", .bool, [.eq, .ne]), f("isSsprEnabled", .bool, [.eq, .ne]), f("isSsprCapable", .bool, [.eq, .ne]),
                     f("isPasswordlessCapable", .bool, [.eq, .ne]), f("defaultMfaMethod", .string, [.eq, .ne])],
            defaultPageSize: 100, maxPageSize: 999)
    }()

    static func registrationDetails(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: registrationResource)
        let context = GraphRoutes.metadata(c, v, "reports/authenticationMethods/userRegistrationDetails")
        let key = c.parameters["id"]
        let base = c.baseURL
        let request = c.request
        let body = try await host.perform { (h) throws(APIError) -> JSONValue in
            let t = h.session.tenant
            if let key {
                guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
                return ODataCollection.entity(registrationJSON(t.users[i], now: t.now), select: query.select, context: context)
            }
            let rows = t.users.map { registrationJSON($0, now: t.now) }
            return ODataCollection.page(rows, query: query, resource: registrationResource, context: context, nextLinkBase: base,
                                        request: request) { o, s in ODataCollection.project(o, s) }
        }
        return GraphRoutes.ok(body)
    }
}
