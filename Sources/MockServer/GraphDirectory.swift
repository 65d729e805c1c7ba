import AuditLog
import Foundation
import Shell
import TenantModel

/// `/organization`, `/domains`, `/users`, `/users/{id}` (GET, PATCH), `/users/$count`, `/me`.
enum GraphDirectory {
    static let userRead = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]
    static let userWrite = ["User.ReadWrite.All", "Directory.ReadWrite.All"]

    static func routes(_ v: String) -> [Route] {
        [
            Route("GET", "/\(v)/organization", family: .graph, permissions: ["Organization.Read.All", "Directory.Read.All"], selfService: true,
                  doc: RouteDoc("Lists the organization (the tenant)", query: [("$select", "Properties to return")],
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await organization(c, v) },
            Route("GET", "/\(v)/organization/{id}", family: .graph, permissions: ["Organization.Read.All", "Directory.Read.All"], selfService: true,
                  doc: RouteDoc("Gets the organization by tenant id", query: [("$select", "Properties to return")],
                                responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in try await organization(c, v) },
            Route("GET", "/\(v)/domains", family: .graph, permissions: ["Domain.Read.All", "Directory.Read.All"],
                  doc: RouteDoc("Lists the tenant's domains", query: [("$select", "Properties to return")],
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await domains(c, v) },
            Route("GET", "/\(v)/domains/{id}", family: .graph, permissions: ["Domain.Read.All", "Directory.Read.All"],
                  doc: RouteDoc("Gets a domain by name", query: [("$select", "Properties to return")],
                                responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in try await domains(c, v) },
            Route("GET", "/\(v)/users/$count", family: .graph, permissions: userRead,
                  doc: RouteDoc("Counts users (needs ConsistencyLevel: eventual)", query: [("$filter", "OData filter")],
                                responses: [(200, "The count as text/plain", nil), (400, "Bad request", GraphRoutes.errorSchema),
                                            (401, "Missing or invalid token", GraphRoutes.errorSchema), (403, "Insufficient privileges", GraphRoutes.errorSchema)])) { c in
                try await countUsers(c)
            },
            Route("GET", "/\(v)/users", family: .graph, permissions: userRead,
                  doc: RouteDoc("Lists users (default page 100, $top up to 999)", query: GraphRoutes.listQuery,
                                responses: GraphRoutes.readResponses(GraphRoutes.collectionSchema))) { c in try await listUsers(c, v) },
            Route("GET", "/\(v)/users/{id}", family: .graph, permissions: userRead, selfService: true,
                  doc: RouteDoc("Gets a user by object id or userPrincipalName", query: [("$select", "Properties to return")],
                                responses: GraphRoutes.readResponses(GraphRoutes.entitySchema, notFound: true))) { c in
                try await getUser(c, v, key: c.parameter("id"))
            },
            Route("PATCH", "/\(v)/users/{id}", family: .graph, permissions: userWrite,
                  doc: RouteDoc("Updates a user: accountEnabled, passwordProfile, profile properties", request: patchSchema,
                                responses: GraphRoutes.writeResponses(204))) { c in try await patchUser(c, key: c.parameter("id")) },
            Route("GET", "/\(v)/me", family: .graph, permissions: userRead, selfService: true,
                  doc: RouteDoc("The signed-in user (delegated tokens only)", query: [("$select", "Properties to return")],
                                responses: GraphRoutes.readResponses(GraphRoutes.entitySchema))) { c in
                try await getUser(c, v, key: try GraphRoutes.me(c))
            },
        ]
    }

    static let patchSchema: JSONValue = .object([
        "type": "object",
        "properties": .object([
            "accountEnabled": .object(["type": "boolean"]),
            "passwordProfile": .object([
                "type": "object",
                "properties": .object([
                    "password": .object(["type": "string"]),
                    "forceChangePasswordNextSignIn": .object(["type": "boolean"]),
                    "forceChangePasswordNextSignInWithMfa": .object(["type": "boolean"]),
                ]),
            ]),
            "displayName": .object(["type": "string"]), "givenName": .object(["type": "string"]), "surname": .object(["type": "string"]),
            "jobTitle": .object(["type": "string"]), "department": .object(["type": "string"]),
        ]),
    ])

    // MARK: Organization and domains

    static func organization(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let key = c.parameters["id"]
        let query = try ODataQuery.parse(c.request, for: organizationResource)
        let context = GraphRoutes.metadata(c, v, "organization")
        let org = await host.perform { h in organizationJSON(h.session.tenant) }
        if let key {
            guard key.lowercased() == org["id"]?.stringValue else { throw GraphRoutes.userNotFound(key) }
            return GraphRoutes.ok(ODataCollection.entity(org, select: query.select, context: context))
        }
        return GraphRoutes.ok(ODataCollection.page([org], query: query, resource: organizationResource, context: context,
                                                   nextLinkBase: c.baseURL, request: c.request) { o, s in ODataCollection.project(o, s) })
    }

    static let organizationProperties = ["id", "deletedDateTime", "businessPhones", "city", "country", "countryLetterCode", "createdDateTime",
                                         "defaultUsageLocation", "displayName", "isMultipleDataLocationsForServicesEnabled",
                                         "marketingNotificationEmails", "onPremisesLastSyncDateTime", "onPremisesSyncEnabled", "postalCode",
                                         "preferredLanguage", "securityComplianceNotificationMails", "securityComplianceNotificationPhones",
                                         "state", "street", "technicalNotificationMails", "tenantType", "directorySizeQuota", "assignedPlans",
                                         "privacyProfile", "provisionedPlans", "verifiedDomains"]

    static let organizationResource = ODataResource<JSONObject>(
        typeName: "microsoft.graph.organization", resourceName: "Organization", properties: organizationProperties,
        fields: [ODataField("id", .guid, [.eq]) { JSONPath.scalar($0, "id") }], defaultPageSize: 100, maxPageSize: 999, isDirectoryObject: true)

    /// The organization resource. [Graph v1.0 organization resource type]
    static func organizationJSON(_ t: Tenant) -> JSONObject {
        let info = t.info
        var o = JSONObject()
        o.append("id", .string(GraphRoutes.guid(info.tenantId)))
        o.append("deletedDateTime", .null)
        o.append("businessPhones", .array([]))
        o.append("city", .null)
        o.append("country", .null)
        o.append("countryLetterCode", "US")
        o.append("createdDateTime", .string(ISO8601.format(info.createdDateTime)))
        o.append("defaultUsageLocation", .null)
        o.append("displayName", .string(info.displayName))
        o.append("isMultipleDataLocationsForServicesEnabled", .null)
        o.append("marketingNotificationEmails", .array([]))
        o.append("onPremisesLastSyncDateTime", .null)
        o.append("onPremisesSyncEnabled", .null)
        o.append("postalCode", .null)
        o.append("preferredLanguage", "en")
        o.append("securityComplianceNotificationMails", .array([]))
        o.append("securityComplianceNotificationPhones", .array([]))
        o.append("state", .null)
        o.append("street", .null)
        let admin = t.users.first { $0.adminRoles.contains(DirectoryRole.globalAdministrator) }
        o.append("technicalNotificationMails", .array(admin.map { [.string($0.userPrincipalName)] } ?? []))
        o.append("tenantType", "AAD")
        o.append("directorySizeQuota", .object(["used": .int(t.users.count + t.applications.count), "total": 50000]))
        o.append("assignedPlans", .array([]))
        o.append("privacyProfile", .null)
        o.append("provisionedPlans", .array([]))
        let defaultDomain = defaultDomainName(info)
        o.append("verifiedDomains", .array(info.domains.map { d in
            .object([
                "capabilities": "Email, OfficeCommunicationsOnline",
                "isDefault": .bool(d.lowercased() == defaultDomain.lowercased()),
                "isInitial": .bool(d.lowercased() == info.initialDomain.lowercased()),
                "name": .string(d),
                "type": "Managed",
            ])
        }))
        return o
    }

    /// The default domain: the first custom domain, else the initial one.
    static func defaultDomainName(_ info: TenantInfo) -> String {
        info.domains.first { !$0.lowercased().hasSuffix(".onmicrosoft.com") } ?? info.initialDomain
    }

    static let domainResource = ODataResource<JSONObject>(
        typeName: "microsoft.graph.domain", resourceName: "Domain",
        properties: ["authenticationType", "availabilityStatus", "id", "isAdminManaged", "isDefault", "isInitial", "isRoot", "isVerified",
                     "manufacturer", "model", "passwordNotificationWindowInDays", "passwordValidityPeriodInDays", "supportedServices", "state"],
        fields: [ODataField("id", .string, [.eq]) { JSONPath.scalar($0, "id") },
                 ODataField("isDefault", .bool, [.eq]) { JSONPath.scalar($0, "isDefault") },
                 ODataField("isVerified", .bool, [.eq]) { JSONPath.scalar($0, "isVerified") }],
        defaultPageSize: 100, maxPageSize: 999)

    /// A domain resource. [Graph v1.0 domain resource type]
    static func domainJSON(_ name: String, _ info: TenantInfo) -> JSONObject {
        let initial = name.lowercased() == info.initialDomain.lowercased()
        var o = JSONObject()
        o.append("authenticationType", "Managed")
        o.append("availabilityStatus", .null)
        o.append("id", .string(name))
        o.append("isAdminManaged", true)
        o.append("isDefault", .bool(name.lowercased() == defaultDomainName(info).lowercased()))
        o.append("isInitial", .bool(initial))
        o.append("isRoot", true)
        o.append("isVerified", true)
        o.append("manufacturer", .null)
        o.append("model", .null)
        o.append("passwordNotificationWindowInDays", 14)
        o.append("passwordValidityPeriodInDays", 2_147_483_647)
        o.append("supportedServices", .array(initial ? ["Email", "OfficeCommunicationsOnline"] : ["Email", "OfficeCommunicationsOnline", "Intune"]))
        o.append("state", .null)
        return o
    }

    static func domains(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: domainResource)
        let info = await host.perform { $0.session.tenant.info }
        let rows = info.domains.map { domainJSON($0, info) }
        if let key = c.parameters["id"] {
            guard let row = rows.first(where: { $0["id"]?.stringValue?.lowercased() == key.lowercased() }) else {
                throw GraphRoutes.userNotFound(key)
            }
            var one: JSONObject = ["@odata.context": .string(GraphRoutes.metadata(c, v, "domains/$entity"))]
            for (k, val) in ODataCollection.project(row, query.select).pairs { one.append(k, val) }
            return GraphRoutes.ok(.object(one))
        }
        return GraphRoutes.ok(ODataCollection.page(rows, query: query, resource: domainResource, context: GraphRoutes.metadata(c, v, "domains"),
                                                   nextLinkBase: c.baseURL, request: c.request) { o, s in ODataCollection.project(o, s) })
    }

    // MARK: Users

    /// A user row: the directory user and the mail address of their mailbox (if any).
    struct UserRow: Sendable {
        let user: User
        let mail: String?
    }

    /// Returned without `$select`. [Graph v1.0 user resource type, "default properties"]
    static let defaultUserProperties = ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
                                        "preferredLanguage", "surname", "userPrincipalName", "id"]

    static let userProperties = defaultUserProperties + [
        "accountEnabled", "ageGroup", "assignedLicenses", "city", "companyName", "country", "createdDateTime", "creationType",
        "deletedDateTime", "department", "employeeId", "externalUserState", "faxNumber", "identities", "imAddresses",
        "lastPasswordChangeDateTime", "mailNickname", "onPremisesImmutableId", "onPremisesSyncEnabled", "otherMails", "passwordPolicies",
        "postalCode", "proxyAddresses", "showInAddressList", "state", "streetAddress", "usageLocation", "userType",
    ]

    /// Filterable properties and operators of the user resource; `ne`, `not` and `endsWith`
    /// need an advanced query. [Graph v1.0 user resource type; aad-advanced-queries]
    static let userResource: ODataResource<UserRow> = {
        let text: Set<ODataOperator> = [.eq, .ge, .le, .in, .startsWith]
        let adv: Set<ODataOperator> = [.ne, .endsWith]
        return ODataResource<UserRow>(
            typeName: "microsoft.graph.user", resourceName: "User", properties: userProperties,
            fields: [
                ODataField("id", .guid, [.eq, .in], advanced: [.ne]) { .string(GraphRoutes.guid($0.user.objectId)) },
                ODataField("userPrincipalName", .string, text, advanced: adv, sortable: true) { .string($0.user.userPrincipalName) },
                ODataField("displayName", .string, text, advanced: adv, sortable: true) { .string($0.user.displayName) },
                ODataField("givenName", .string, text, advanced: adv) { $0.user.firstName.map(ODataScalar.string) ?? .null },
                ODataField("surname", .string, text, advanced: adv) { $0.user.lastName.map(ODataScalar.string) ?? .null },
                ODataField("jobTitle", .string, text, advanced: adv) { $0.user.title.map(ODataScalar.string) ?? .null },
                ODataField("department", .string, [.eq, .ge, .le, .in], advanced: [.ne, .startsWith]) { $0.user.department.map(ODataScalar.string) ?? .null },
                ODataField("city", .string, [.eq, .ge, .le, .in, .startsWith], advanced: [.ne]) { $0.user.city.map(ODataScalar.string) ?? .null },
                ODataField("country", .string, [.eq, .ge, .le, .in, .startsWith], advanced: [.ne]) { $0.user.countryOrRegion.map(ODataScalar.string) ?? .null },
                ODataField("state", .string, [.eq, .ge, .le, .in, .startsWith], advanced: [.ne]) { $0.user.stateOrProvince.map(ODataScalar.string) ?? .null },
                ODataField("usageLocation", .string, [.eq, .ge, .le, .in, .startsWith], advanced: [.ne]) { $0.user.usageLocation.map(ODataScalar.string) ?? .null },
                ODataField("companyName", .string, [], advanced: [.eq, .ne, .ge, .le, .in, .startsWith, .endsWith]) { $0.user.company.map(ODataScalar.string) ?? .null },
                ODataField("mail", .string, text, advanced: adv) { $0.mail.map(ODataScalar.string) ?? .null },
                ODataField("mailNickname", .string, text, advanced: adv) { .string($0.user.alias) },
                ODataField("accountEnabled", .bool, [.eq, .in], advanced: [.ne]) { .bool($0.user.accountEnabled) },
                ODataField("userType", .string, [.eq, .in], advanced: [.ne]) { _ in .string("Member") },
                ODataField("createdDateTime", .date, [.eq, .ge, .le, .in], advanced: [.ne]) { .date($0.user.whenCreated) },
            ],
            defaultPageSize: 100, maxPageSize: 999, isDirectoryObject: true)
    }()

    /// The mail address of a user's mailbox, by the mailbox index (no scan).
    static func mail(of user: User, in t: Tenant) -> String? {
        for i in t.mailboxPositions(matching: user.userPrincipalName) where t.mailboxes[i].userObjectId == user.objectId {
            return t.mailboxes[i].primarySmtpAddress.address
        }
        return nil
    }

    /// Licence SKU ids of the part numbers fixtures use. [Microsoft licensing service plan reference]
    static let skuIds = ["ENTERPRISEPACK": "6fd2c87f-b296-42f0-b197-1e91e994b900",
                         "ENTERPRISEPREMIUM": "c7df2760-2c81-4ef7-b578-5b5392b571df",
                         "SPE_E3": "05e9a617-0261-4cee-bb44-138d3ef5d965", "SPE_E5": "06ebc4ee-1bb5-47dd-8120-11324bc54e06"]

    /// One property of a user as Graph writes it.
    static func userValue(_ name: String, _ u: User, mail: String?, tenant: Tenant) -> JSONValue {
        let text = GraphRoutes.text
        switch name {
        case "id": return .string(GraphRoutes.guid(u.objectId))
        case "businessPhones": return .array([])
        case "displayName": return .string(u.displayName)
        case "givenName": return text(u.firstName)
        case "jobTitle": return text(u.title)
        case "mail": return text(mail)
        case "mobilePhone": return .null
        case "officeLocation": return text(u.office)
        case "preferredLanguage": return .null
        case "surname": return text(u.lastName)
        case "userPrincipalName": return .string(u.userPrincipalName)
        case "accountEnabled": return .bool(u.accountEnabled)
        case "assignedLicenses":
            return .array(u.licenses.map { sku in
                .object(["disabledPlans": .array([]), "skuId": .string(skuIds[sku] ?? "00000000-0000-0000-0000-000000000000")])
            })
        case "city": return text(u.city)
        case "companyName": return text(u.company)
        case "country": return text(u.countryOrRegion)
        case "createdDateTime": return .string(ISO8601.format(u.whenCreated))
        case "department": return text(u.department)
        case "identities":
            return .array([.object(["signInType": "userPrincipalName", "issuer": .string(tenant.info.initialDomain),
                                    "issuerAssignedId": .string(u.userPrincipalName)])])
        case "lastPasswordChangeDateTime": return .string(ISO8601.format(u.lastPasswordChange ?? u.whenCreated))
        case "mailNickname": return .string(u.alias)
        case "otherMails", "imAddresses": return .array([])
        case "passwordPolicies": return .string("None")
        case "postalCode": return text(u.postalCode)
        case "proxyAddresses": return .array(mail.map { [.string("SMTP:\($0)")] } ?? [])
        case "state": return text(u.stateOrProvince)
        case "streetAddress": return text(u.streetAddress)
        case "usageLocation": return text(u.usageLocation)
        case "userType": return "Member"
        case "creationType", "ageGroup", "deletedDateTime", "employeeId", "externalUserState", "faxNumber",
             "onPremisesImmutableId", "onPremisesSyncEnabled", "showInAddressList":
            return .null
        default: return .null
        }
    }

    static func userJSON(_ u: User, tenant: Tenant, select: [String]?, mail known: String?? = nil) -> JSONObject {
        let mail = known ?? mail(of: u, in: tenant)
        var o = JSONObject()
        for name in select ?? defaultUserProperties { o.append(name, userValue(name, u, mail: mail, tenant: tenant)) }
        return o
    }

    static func listUsers(_ c: RouteContext, _ v: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: userResource)
        let context = GraphRoutes.metadata(c, v, "users")
        let base = c.baseURL
        let request = c.request
        let needsRows = query.filter != nil || !query.orderBy.isEmpty
        // The same page of the same directory reads the same: answered from the tenant's read
        // cache while nothing changed (any change moves the revision). Authorization already ran.
        let cacheKey = "graph|\(request.target)|\(base)|\(request.header("consistencylevel") ?? "")"
        return await host.perform { h -> SimResponse in
            if let hit = h.cachedRead(cacheKey) { return hit }
            let response = SimResponse(status: 200, headers: [("Content-Type", ODataCollection.contentType)],
                                       body: Data(usersText(h, query: query, needsRows: needsRows, context: context, base: base, request: request).utf8))
            h.cacheRead(cacheKey, response)
            return response
        }
    }

    /// The JSON text of one page of users.
    private static func usersText(_ h: isolated TenantHost, query: ODataQuery, needsRows: Bool, context: String, base: String,
                                  request: SimRequest) -> String {
        let t = h.session.tenant
        if !needsRows {
            // The cheap path: slice the directory and write the page's JSON text directly.
            let size = query.top ?? userResource.defaultPageSize
            let start = min(query.skip, t.users.count)
            let end = min(start + size, t.users.count)
            var out = ""
            out.reserveCapacity(256 + 420 * (end - start))
            out += "{\"@odata.context\":"
            WireJSON.writeString(query.select.map { context + "(" + $0.joined(separator: ",") + ")" } ?? context, to: &out)
            if query.count { out += ",\"@odata.count\":" + String(t.users.count) }
            if end < t.users.count {
                out += ",\"@odata.nextLink\":"
                WireJSON.writeString(ODataCollection.nextLink(base, request: request, offset: end), to: &out)
            }
            out += ",\"value\":["
            let names = query.select ?? defaultUserProperties
            for i in start..<end {
                if i > start { out += "," }
                let u = t.users[i]
                let mail = mail(of: u, in: t)
                out += "{"
                for (n, name) in names.enumerated() {
                    if n > 0 { out += "," }
                    WireJSON.writeString(name, to: &out)
                    out += ":"
                    WireJSON.write(userValue(name, u, mail: mail, tenant: t), to: &out)
                }
                out += "}"
            }
            out += "]}"
            return out
        }
        let rows = t.users.map { UserRow(user: $0, mail: mail(of: $0, in: t)) }
        return WireJSON.text(ODataCollection.page(rows, query: query, resource: userResource, context: context, nextLinkBase: base,
                                                  request: request) { row, select in
            userJSON(row.user, tenant: t, select: select, mail: .some(row.mail))
        })
    }

    static func countUsers(_ c: RouteContext) async throws -> SimResponse {
        let host = try c.tenant
        guard c.request.header("consistencylevel")?.lowercased() == "eventual" else {
            throw APIError(status: 400, code: "Request_BadRequest", message: "$count is not currently supported.")
        }
        var request = c.request
        request.query.append(("$count", "true"))
        let query = try ODataQuery.parse(request, for: userResource)
        let n = await host.perform { h -> Int in
            let t = h.session.tenant
            guard let filter = query.filter else { return t.users.count }
            return t.users.lazy.filter { ODataQuery.matches(UserRow(user: $0, mail: mail(of: $0, in: t)), filter, userResource) }.count
        }
        return SimResponse(status: 200, headers: [("Content-Type", "text/plain;charset=utf-8")], body: Data(String(n).utf8))
    }

    static func getUser(_ c: RouteContext, _ v: String, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let query = try ODataQuery.parse(c.request, for: userResource)
        let context = GraphRoutes.metadata(c, v, query.select.map { "users(" + $0.joined(separator: ",") + ")/$entity" } ?? "users/$entity")
        let principal = c.principal
        let body = try await host.perform { (h) throws(APIError) -> JSONValue in
            let t = h.session.tenant
            guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
            try GraphRoutes.requireSelfOrAdmin(principal, target: t.users[i], in: t)
            var o: JSONObject = ["@odata.context": .string(context)]
            for (k, val) in userJSON(t.users[i], tenant: t, select: query.select).pairs { o.append(k, val) }
            return .object(o)
        }
        return GraphRoutes.ok(body)
    }

    // MARK: PATCH /users/{id}

    /// Profile properties PATCH sets.
    static let profileFields = ["givenName", "surname", "jobTitle", "department", "officeLocation", "city", "state", "country",
                                "postalCode", "streetAddress", "usageLocation", "companyName"]

    /// Sets the user field a Graph profile property maps to.
    static func setProfile(_ u: inout User, _ name: String, _ value: String?) {
        switch name {
        case "givenName": u.firstName = value
        case "surname": u.lastName = value
        case "jobTitle": u.title = value
        case "department": u.department = value
        case "officeLocation": u.office = value
        case "city": u.city = value
        case "state": u.stateOrProvince = value
        case "country": u.countryOrRegion = value
        case "postalCode": u.postalCode = value
        case "streetAddress": u.streetAddress = value
        case "usageLocation": u.usageLocation = value
        case "companyName": u.company = value
        default: break
        }
    }

    static let patchWritable: Set<String> = Set(["accountEnabled", "passwordProfile", "displayName"] + profileFields)
    static let patchReadOnly: Set<String> = ["id", "createdDateTime", "deletedDateTime", "lastPasswordChangeDateTime", "mail",
                                             "proxyAddresses", "assignedLicenses", "userPrincipalName", "userType", "identities"]

    static func patchUser(_ c: RouteContext, key: String) async throws -> SimResponse {
        let host = try c.tenant
        let body = try GraphRoutes.objectBody(c)
        try GraphRoutes.checkMembers(body, typeName: "microsoft.graph.user", writable: patchWritable, readOnly: patchReadOnly)
        // Validate every member before anything changes.
        var enabled: Bool?
        if let v = body["accountEnabled"] {
            guard case .bool(let b) = v else { throw GraphRoutes.typeMismatch("accountEnabled", expected: "Edm.Boolean") }
            enabled = b
        }
        var password: String?
        if let v = body["passwordProfile"] {
            guard case .object(let profile) = v else { throw GraphRoutes.typeMismatch("passwordProfile", expected: "microsoft.graph.passwordProfile") }
            for k in profile.keys where !["password", "forceChangePasswordNextSignIn", "forceChangePasswordNextSignInWithMfa"].contains(k) {
                throw APIError(status: 400, code: "BadRequest",
                               message: "The property '\(k)' does not exist on type 'microsoft.graph.passwordProfile'. Make sure to only use property names that are defined by the type or mark the type as open type.")
            }
            for k in ["forceChangePasswordNextSignIn", "forceChangePasswordNextSignInWithMfa"] {
                if let f = profile[k], f.boolValue == nil { throw GraphRoutes.typeMismatch(k, expected: "Edm.Boolean") }
            }
            if let p = profile["password"] {
                guard case .string(let s) = p else { throw GraphRoutes.typeMismatch("password", expected: "Edm.String") }
                guard meetsComplexity(s) else {
                    // Entra's answer to a weak password.
                    throw APIError(status: 400, code: "Request_BadRequest",
                                   message: "The specified password does not comply with password complexity requirements. Please provide a different password.")
                }
                password = s
            }
        }
        var displayName: String?
        if let v = body["displayName"] {
            guard case .string(let s) = v, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError(status: 400, code: "Request_BadRequest", message: "Invalid value specified for property 'displayName' of resource 'User'.")
            }
            displayName = s
        }
        var profile: [(String, String?)] = []
        for name in profileFields {
            guard let v = body[name] else { continue }
            switch v {
            case .null: profile.append((name, nil))
            case .string(let s): profile.append((name, s.isEmpty ? nil : s))
            default: throw GraphRoutes.typeMismatch(name, expected: "Edm.String")
            }
        }
        let principal = c.principal
        let changes = (enabled, password, displayName, profile)
        let resetsPassword = password != nil
        try await host.perform { (h) throws(APIError) in
            let t = h.session.tenant
            guard let i = GraphRoutes.userIndex(key, in: t) else { throw GraphRoutes.userNotFound(key) }
            let actor = GraphRoutes.actor(principal, tenant: t)
            let user = t.users[i]
            let now = t.now
            h.commitDirectoryChange(actor: actor, user: user.userPrincipalName) { tenant in
                tenant.updateUser(at: i) { u in
                    if let enabled = changes.0 { u.blockCredential = !enabled }
                    if let name = changes.2 { u.displayName = name }
                    for (name, value) in changes.3 { setProfile(&u, name, value) }
                    if let password = changes.1 {
                        u.password = password
                        u.lastPasswordChange = now
                    }
                }
            }
            if resetsPassword {
                // An administrator's reset is its own Entra activity.
                h.session.audit.record(.directoryChange(DirectoryChangeEvent(
                    time: t.now, operation: "Reset user password.", actor: actor, targetUserPrincipalName: user.userPrincipalName,
                    targetObjectId: user.objectId, modifiedProperties: [])), in: h.session.tenant)
            }
        }
        return .empty(204)
    }

    /// Entra's default password rule: 8 to 256 characters, three of lower case, upper case,
    /// digits and symbols. [Entra "Password policies and account restrictions"]
    static func meetsComplexity(_ p: String) -> Bool {
        guard (8...256).contains(p.count) else { return false }
        let classes = [p.contains { $0.isLowercase }, p.contains { $0.isUppercase }, p.contains { $0.isNumber },
                       p.contains { !$0.isLetter && !$0.isNumber }]
        return classes.filter { $0 }.count >= 3
    }
}

extension TenantHost {
    /// Changes a directory user through the shell's command layer as `actor`, so Entra's
    /// audit events ("Update user.", "Enable/Disable Strong Authentication.") come out as
    /// they do for Set-MsolUser.
    func commitDirectoryChange(actor: String, user upn: String, _ change: (inout Tenant) -> Void) {
        let saved = session.msolIdentity
        session.msolIdentity = actor
        defer { session.msolIdentity = saved }
        session.commit("Set-MsolUser", objectId: upn, parameters: []) { tenant in change(&tenant) }
        touch()
    }
}
