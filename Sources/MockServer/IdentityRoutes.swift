import AccessControl
import AuditLog
import Foundation
import TenantModel

/// The identity platform's token endpoint: `/{tenant}/oauth2/v2.0/token` (scopes) and the
/// v1 `/{tenant}/oauth2/token` (resource), for the client-credentials and resource-owner
/// password grants. A password grant is an Entra ID sign-in through the access pipeline,
/// so it answers with the real AADSTS codes, counts toward smart lockout and is logged.
enum IdentityRoutes {
    /// Microsoft's public client applications that scripts and sprayers use by id.
    static let firstPartyClients: [KnownApplications.Application] = [
        KnownApplications.graphCommandLineTools, KnownApplications.exchangePowerShell, KnownApplications.azureADPowerShell,
        KnownApplications.azurePowerShell, KnownApplications.azureCLI, KnownApplications.microsoftOffice,
        KnownApplications.exchangeRemotePowerShell, KnownApplications.outlookMobile,
    ]

    /// Resources the simulator issues tokens for: the URI a scope or `resource` names and
    /// its first-party app id.
    static let resources: [(uri: String, id: String, defaultScopes: [String])] = [
        ("https://graph.microsoft.com", KnownApplications.microsoftGraph.id,
         ["User.Read", "User.ReadWrite.All", "Directory.AccessAsUser.All", "Directory.Read.All", "AuditLog.Read.All",
          "Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod", "Policy.ReadWrite.ConditionalAccess",
          "Policy.ReadWrite.SecurityDefaults", "UserAuthenticationMethod.ReadWrite.All", "MailboxSettings.ReadWrite", "Mail.Read",
          "Domain.Read.All", "Organization.Read.All"]),
        ("https://outlook.office365.com", KnownApplications.exchangeOnline.id, ["Exchange.Manage"]),
        ("https://manage.office.com", "c5393580-f805-4401-95e8-94b7a6ef2fc2", ["ActivityFeed.Read"]),
        // Azure AD Graph: retired as an API, but password sprayers still name it as the
        // resource of their v1 token requests. Tokens for it open none of the simulated APIs.
        ("https://graph.windows.net", KnownApplications.windowsAzureActiveDirectory.id, ["user_impersonation"]),
    ]

    static let tokenResponseSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["token_type", "expires_in", "access_token"]),
        "properties": .object([
            "token_type": .object(["type": "string"]), "scope": .object(["type": "string"]),
            "expires_in": .object(["type": .array(["integer", "string"])]), "ext_expires_in": .object(["type": .array(["integer", "string"])]),
            "expires_on": .object(["type": "string"]), "not_before": .object(["type": "string"]), "resource": .object(["type": "string"]),
            "access_token": .object(["type": "string"]),
        ]),
    ])

    static let oauthErrorSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"]),
        "properties": .object([
            "error": .object(["type": "string"]), "error_description": .object(["type": "string"]),
            "error_codes": .object(["type": "array", "items": .object(["type": "integer"])]),
            "timestamp": .object(["type": "string"]), "trace_id": .object(["type": "string"]),
            "correlation_id": .object(["type": "string"]), "error_uri": .object(["type": "string"]),
        ]),
    ])

    static let formSchema: JSONValue = .object([
        "type": "object",
        "required": .array(["grant_type"]),
        "properties": .object([
            "grant_type": .object(["type": "string", "enum": .array(["client_credentials", "password"])]),
            "client_id": .object(["type": "string"]), "client_secret": .object(["type": "string"]),
            "scope": .object(["type": "string"]), "resource": .object(["type": "string"]),
            "username": .object(["type": "string"]), "password": .object(["type": "string"]),
        ]),
    ])

    static var routes: [Route] {
        ["/{tenant}/oauth2/v2.0/token", "/{tenant}/oauth2/token"].map { template in
            Route("POST", template, family: .identity, mutates: true,
                  doc: RouteDoc(template.contains("v2.0") ? "Token endpoint (v2: scope)" : "Token endpoint (v1: resource)",
                                request: formSchema, requestContentType: "application/x-www-form-urlencoded",
                                responses: [(200, "An access token", tokenResponseSchema), (400, "OAuth error with AADSTS code", oauthErrorSchema),
                                            (401, "Invalid client credentials", oauthErrorSchema)])) { context in
                try await token(context, v2: template.contains("v2.0"))
            }
        }
    }

    static func missing(_ name: String) -> APIError {
        APIError(status: 400, code: "invalid_request",
                 message: "The request body must contain the following parameter: '\(name)'.", errorCodes: [900144])
    }

    static func token(_ context: RouteContext, v2: Bool) async throws -> SimResponse {
        let request = context.request
        let form = Dictionary(SimRequest.parseQuery(String(decoding: request.body, as: UTF8.self)).map { ($0.name, $0.value) },
                              uniquingKeysWith: { a, _ in a })
        guard let grant = form["grant_type"], !grant.isEmpty else { throw missing("grant_type") }
        guard let clientId = form["client_id"], !clientId.isEmpty else { throw missing("client_id") }
        let tenantKey = context.parameter("tenant")
        let resource = try resolveResource(form, v2: v2)

        switch grant {
        case "client_credentials":
            guard let host = context.host else { throw tenantNotFound(tenantKey) }
            return try await clientCredentials(host, clientId: clientId, secret: form["client_secret"], resource: resource, v2: v2, context: context)
        case "password":
            guard let username = form["username"], !username.isEmpty else { throw missing("username") }
            guard let password = form["password"] else { throw missing("password") }
            var host = context.host
            if host == nil, ["common", "organizations"].contains(tenantKey.lowercased()) {
                let domain = username.split(separator: "@").last.map(String.init) ?? ""
                host = context.server.tenant(domain)
                if host == nil {
                    throw APIError(status: 400, code: "invalid_grant",
                                   message: "AADSTS50034: The user account \(username) does not exist in the directory. To sign into this application, the account must be added to the directory.",
                                   errorCodes: [50034])
                }
            }
            guard let host else { throw tenantNotFound(tenantKey) }
            return try await passwordGrant(host, clientId: clientId, username: username, password: password, resource: resource,
                                           scope: form["scope"], v2: v2, context: context)
        default:
            throw APIError(status: 400, code: "unsupported_grant_type",
                           message: "AADSTS70003: The app requested an unsupported grant type '\(grant)'. The simulator issues client_credentials and password grants.",
                           errorCodes: [70003])
        }
    }

    static func tenantNotFound(_ key: String) -> APIError {
        APIError(status: 400, code: "invalid_request",
                 message: "AADSTS90002: Tenant '\(key)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
                 errorCodes: [90002])
    }

    /// The resource a v2 `scope` or v1 `resource` names.
    static func resolveResource(_ form: [String: String], v2: Bool) throws(APIError) -> (uri: String, id: String, scopes: [String]) {
        if v2 {
            guard let scope = form["scope"], !scope.isEmpty else { throw missing("scope") }
            let first = scope.split(separator: " ").first.map(String.init) ?? ""
            for r in resources where first.lowercased().hasPrefix(r.uri) || first.lowercased().hasPrefix(r.id) {
                let names = scope.split(separator: " ").map { s -> String in
                    let text = String(s)
                    return text.range(of: "/", options: .backwards).map { String(text[$0.upperBound...]) } ?? text
                }
                return (r.uri, r.id, names.contains(".default") ? r.defaultScopes : names)
            }
            if !first.contains("://") && !first.contains("-") {
                // A bare scope (User.Read) means Microsoft Graph.
                return (resources[0].uri, resources[0].id, scope.split(separator: " ").map(String.init))
            }
            throw invalidResource(first)
        }
        guard let res = form["resource"], !res.isEmpty else { throw missing("resource") }
        let trimmed = res.hasSuffix("/") ? String(res.dropLast()) : res
        guard let r = resources.first(where: { $0.uri == trimmed.lowercased() || $0.id == trimmed.lowercased() }) else {
            throw invalidResource(res)
        }
        return (r.uri, r.id, r.defaultScopes)
    }

    static func invalidResource(_ name: String) -> APIError {
        APIError(status: 400, code: "invalid_resource",
                 message: "AADSTS500011: The resource principal named \(name) was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
                 errorCodes: [500011])
    }

    static func clientCredentials(_ host: TenantHost, clientId: String, secret: String?, resource: (uri: String, id: String, scopes: [String]),
                                  v2: Bool, context: RouteContext) async throws -> SimResponse {
        let lifetime = context.server.options.tokenLifetime
        let principal = try await host.perform { (h) throws(APIError) -> Principal in
            let t = h.session.tenant
            guard let app = t.application(appId: clientId) else {
                throw APIError(status: 400, code: "unauthorized_client",
                               message: "AADSTS700016: Application with identifier '\(clientId)' was not found in the directory '\(t.info.displayName)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
                               errorCodes: [700016])
            }
            guard app.enabled else {
                throw APIError(status: 400, code: "unauthorized_client",
                               message: "AADSTS7000112: Application '\(app.appId.uuidString.lowercased())'(\(app.displayName)) is disabled.",
                               errorCodes: [7000112])
            }
            guard let secret, !secret.isEmpty else {
                throw APIError(status: 401, code: "invalid_client",
                               message: "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                               errorCodes: [7000218])
            }
            guard !app.clientSecret.isEmpty, secret == app.clientSecret else {
                throw APIError(status: 401, code: "invalid_client",
                               message: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(app.appId.uuidString.lowercased())'.",
                               errorCodes: [7000215])
            }
            return Principal(tenantId: t.info.tenantId, objectId: app.appId.uuidString.lowercased(), userPrincipalName: nil,
                             appId: app.appId.uuidString.lowercased(), audience: resource.uri, scopes: [], roles: app.roles,
                             issuedAt: t.now, expires: t.now.addingTimeInterval(lifetime))
        }
        return tokenResponse(context.server.signer.issue(principal), principal: principal, resource: resource, v2: v2, scope: nil, lifetime: lifetime)
    }

    static func passwordGrant(_ host: TenantHost, clientId: String, username: String, password: String,
                              resource: (uri: String, id: String, scopes: [String]), scope: String?, v2: Bool,
                              context: RouteContext) async throws -> SimResponse {
        let lifetime = context.server.options.tokenLifetime
        let request = context.request
        let client = try await host.perform { (h) throws(APIError) -> (id: String, name: String) in
            if let known = firstPartyClients.first(where: { $0.id == clientId.lowercased() }) { return known }
            if let app = h.session.tenant.application(appId: clientId) { return (app.appId.uuidString.lowercased(), app.displayName) }
            throw APIError(status: 400, code: "unauthorized_client",
                           message: "AADSTS700016: Application with identifier '\(clientId)' was not found in the directory '\(h.session.tenant.info.displayName)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
                           errorCodes: [700016])
        }
        let attempt = AccessAttempt(user: username, accessProtocol: .AzureAD, clientIP: request.clientIP, clientPort: request.clientPort,
                                    authentication: .OAuthAuthentication, password: password, mfaCompleted: false,
                                    userAgent: request.header("user-agent"))
        let outcome = await host.perform { h -> (AccessDecision, String?, Principal?) in
            var reason: String?
            let decision = h.evaluate(attempt) { event in
                if case .signIn(var e) = event {
                    reason = e.failureReason
                    e.applicationId = client.id
                    e.appDisplayName = client.name
                    e.resourceId = resource.id
                    e.clientAppUsed = "Mobile Apps and Desktop clients"
                    event = .signIn(e)
                }
            }
            let t = h.session.tenant
            guard decision.outcome == .Allowed, let user = t.user(upn: username) else { return (decision, reason, nil) }
            let principal = Principal(tenantId: t.info.tenantId, objectId: user.objectId.uuidString.lowercased(),
                                      userPrincipalName: user.userPrincipalName, appId: client.id, audience: resource.uri,
                                      scopes: resource.scopes, roles: [], issuedAt: t.now, expires: t.now.addingTimeInterval(lifetime))
            return (decision, reason, principal)
        }
        guard let principal = outcome.2 else {
            let decision = outcome.0
            let code = decision.code ?? 50126
            // MFA the password grant cannot perform is `interaction_required`; the rest are
            // `invalid_grant`. [third-party reports of AADSTS50076/50079 on ROPC]
            let oauthError = code == 50076 || code == 50079 ? "interaction_required" : "invalid_grant"
            var error = APIError(status: 400, code: oauthError,
                                 message: "AADSTS\(code): \(outcome.1 ?? decision.reason)", errorCodes: [code])
            error.headers = [("X-TenantSim-Decision", "Denied: \(decision.reason)")]
            throw error
        }
        var response = tokenResponse(context.server.signer.issue(principal), principal: principal, resource: resource, v2: v2,
                                     scope: scope, lifetime: lifetime)
        response.setHeader("X-TenantSim-Decision", "Allowed")
        return response
    }

    static func tokenResponse(_ token: String, principal: Principal, resource: (uri: String, id: String, scopes: [String]), v2: Bool,
                              scope: String?, lifetime: TimeInterval) -> SimResponse {
        let seconds = Int(lifetime)
        var body: JSONObject = ["token_type": "Bearer"]
        if v2 {
            if !principal.isAppOnly { body["scope"] = .string(principal.scopes.map { "\(resource.uri)/\($0)" }.joined(separator: " ")) }
            body["expires_in"] = .int(seconds)
            body["ext_expires_in"] = .int(seconds)
        } else {
            // The v1 endpoint writes its numbers as strings.
            body["expires_in"] = .string(String(seconds))
            body["ext_expires_in"] = .string(String(seconds))
            body["expires_on"] = .string(String(Int(principal.expires.timeIntervalSince1970)))
            body["not_before"] = .string(String(Int(principal.issuedAt.timeIntervalSince1970)))
            body["resource"] = .string(resource.uri)
        }
        body["access_token"] = .string(token)
        return .json(.object(body), headers: [("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache")])
    }
}
