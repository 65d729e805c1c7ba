import Foundation
import TenantModel

extension SimServer {
    /// The tenant and caller of a request, or the family's real 401/403.
    func authenticate(_ request: SimRequest, route: Route, parameters: [String: String]) async throws(APIError) -> (TenantHost?, Principal?) {
        let family = route.family
        var urlTenant: TenantHost?
        if let key = parameters["tenant"], route.family != .identity {
            urlTenant = tenant(key)
            if urlTenant == nil { throw Self.unknownTenant(key, family: family) }
        }
        guard family.needsToken else {
            if family == .identity, let key = parameters["tenant"] { return (tenant(key), nil) }
            return (urlTenant, nil)
        }

        let token = Self.bearerToken(request)
        var verified: Principal?
        var failure: String?
        if let token {
            do { verified = try signer.verify(token) } catch {
                failure = error == .badSignature ? "Access token validation failure. The token's signature is not valid."
                    : "IDX14100: JWT is not well formed: it is not a token the simulator issued."
            }
        }

        if options.auth == .lax {
            if let p = verified, let host = tenant(p.tenantId.uuidString), urlTenant == nil || urlTenant === host {
                return (host, p)
            }
            guard let host = urlTenant ?? request.header("x-tenantsim-tenant").flatMap(tenant) ?? defaultTenant else {
                throw APIError(status: 404, code: "TenantNotFound", message: "The simulator serves no tenant.")
            }
            return (host, await Self.administrator(of: host, audience: family.audiences[0]))
        }

        guard let token, !token.isEmpty else { throw Self.unauthorized(family, "Access token is empty.") }
        guard let principal = verified else { throw Self.unauthorized(family, failure ?? "Access token validation failure.") }
        guard let host = tenant(principal.tenantId.uuidString) else {
            throw Self.unauthorized(family, "The token's tenant \(principal.tenantId.uuidString.lowercased()) is not served by this simulator.")
        }
        if let urlTenant, urlTenant !== host {
            if family == .management {
                throw APIError(status: 401, code: "AF20010",
                               message: "The tenant ID passed in the URL (\(parameters["tenant"] ?? "")) does not match the tenant ID passed in the access token (\(principal.tenantId.uuidString.lowercased())).")
            }
            throw APIError(status: 403, code: "Forbidden",
                           message: "The token was issued for tenant \(principal.tenantId.uuidString.lowercased()), not for \(parameters["tenant"] ?? "").")
        }
        guard family.audiences.contains(principal.audience.lowercased()) || family.audiences.contains(principal.audience) else {
            throw Self.unauthorized(family, "Access token validation failure. Invalid audience: the token is for \(principal.audience), this API accepts \(family.audiences[0]).")
        }
        // One visit to the tenant for both checks: expiry on its clock, and its directory roles.
        let upn = principal.userPrincipalName ?? ""
        let (now, isAdmin) = await host.perform { h in
            (h.session.tenant.now, principal.isAppOnly ? false : h.session.tenant.user(upn: upn)?.isAdmin ?? false)
        }
        if principal.expires <= now {
            throw Self.unauthorized(family, "Lifetime validation failed, the token is expired.")
        }
        try Self.authorize(principal, route: route, isAdmin: isAdmin)
        return (host, principal)
    }

    /// `Authorization: Bearer <token>`; the scheme is case-insensitive.
    static func bearerToken(_ request: SimRequest) -> String? {
        guard let header = request.header("authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return "" }
        // Trimmed by hand: Foundation's trimming bridges the whole token through NSString,
        // which was a fifth of a small request's cost.
        // On the UTF-8 view: reversing a Substring walks it Character by Character through
        // unspecialised generics, which cost half of a small request.
        let bytes = parts[1].utf8
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        return String(parts[1][first...last])
    }

    /// App-only callers need one of the route's permissions; delegated callers need an
    /// administrator role unless the route is self-service.
    static func authorize(_ principal: Principal, route: Route, isAdmin: Bool) throws(APIError) {
        if principal.isAppOnly {
            guard principal.holds(any: route.permissions) else { throw forbidden(route.family, principal: principal, route: route) }
            return
        }
        if route.selfService { return }
        if !isAdmin { throw forbidden(route.family, principal: principal, route: route) }
    }

    static func forbidden(_ family: APIFamily, principal: Principal, route: Route) -> APIError {
        switch family {
        case .management:
            return APIError(status: 403, code: "AF10001",
                            message: "The permission set (\(principal.roles.joined(separator: ","))) sent in the request does not include the expected permission ActivityFeed.Read.")
        case .adminAPI:
            return APIError(status: 403, code: "Forbidden",
                            message: "The user or application is not assigned an Exchange management role that allows this request.")
        default:
            return .insufficientPrivileges
        }
    }

    /// The family's 401 with its `WWW-Authenticate` challenge.
    static func unauthorized(_ family: APIFamily, _ message: String) -> APIError {
        switch family {
        case .adminAPI:
            return APIError(status: 401, code: "Unauthorized", message: message, headers: [("WWW-Authenticate",
                "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", token_types=\"app_asserted_user_v1 service_asserted_app_v1\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"invalid_token\"")])
        case .management:
            return APIError(status: 401, code: "AF10001", message: "Authorization has been denied for this request. \(message)",
                            headers: [("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"c5393580-f805-4401-95e8-94b7a6ef2fc2\"")])
        default:
            return APIError(status: 401, code: "InvalidAuthenticationToken", message: message, headers: [("WWW-Authenticate",
                "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"")])
        }
    }

    static func unknownTenant(_ key: String, family: APIFamily) -> APIError {
        switch family {
        case .management:
            if UUID(uuidString: key) == nil {
                return APIError(status: 400, code: "AF20013", message: "The tenant ID passed in the URL (\(key)) is not a valid GUID.")
            }
            return APIError(status: 400, code: "AF20011", message: "Tenant \(key) does not exist.")
        case .adminAPI:
            return APIError(status: 404, code: "TenantNotFound", message: "The tenant \(key) was not found. Check the tenant id or domain in the URL.")
        default:
            return APIError(status: 404, code: "TenantNotFound", message: "The simulator serves no tenant \"\(key)\" (by id or domain).")
        }
    }

    /// Lax mode's caller: the tenant's first global administrator, with every permission.
    static func administrator(of host: TenantHost, audience: String) async -> Principal {
        await host.perform { h in
            let t = h.session.tenant
            let admin = t.users.first { $0.adminRoles.contains(DirectoryRole.globalAdministrator) } ?? t.users.first
            return Principal(tenantId: t.info.tenantId, objectId: admin?.objectId.uuidString.lowercased() ?? "",
                             userPrincipalName: admin?.userPrincipalName ?? "admin@\(t.info.initialDomain)",
                             appId: IdentityRoutes.firstPartyClients[0].id, audience: audience,
                             scopes: ["Directory.AccessAsUser.All"], roles: [], issuedAt: t.now, expires: t.now.addingTimeInterval(3599))
        }
    }
}
