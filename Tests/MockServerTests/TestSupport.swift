import AuditLog
import Foundation
import Logging
import TenantModel
import TenantStore
@testable import MockServer

/// A server with the built-in fixtures, handled in-process (no sockets).
func makeServer(_ fixtures: [String] = ["brittest"], auth: AuthMode = .strict) async throws -> SimServer {
    var options = ServerOptions()
    options.auth = auth
    options.signingSecret = "test-secret"
    var logger = Logger(label: "tenantsim.test")
    logger.logLevel = .warning
    let server = SimServer(options: options, logger: logger)
    for name in fixtures {
        try await server.add(TenantHost(tenant: try TenantSource.loadFixture(name), source: name))
    }
    return server
}

extension SimServer {
    /// Sends a request; `json` is encoded as the body with its content type.
    func send(_ method: String, _ target: String, token: String? = nil, json: JSONValue? = nil, form: [String: String]? = nil,
              headers: [String: String] = [:], clientIP: String = "127.0.0.1") async -> SimResponse {
        var h = headers
        var body = Data()
        if let token { h["Authorization"] = "Bearer \(token)" }
        if let json {
            body = Data(WireJSON.text(json).utf8)
            h["Content-Type"] = "application/json"
        }
        if let form {
            body = Data(form.sorted { $0.key < $1.key }.map { "\($0.key)=\(SimRequest.encode($0.value))" }.joined(separator: "&").utf8)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        }
        return await handle(SimRequest(method, target, headers: h, body: body, clientIP: clientIP))
    }

    /// A token from the server's own token endpoint (fails the test through `#require` by the caller).
    func passwordToken(_ user: String, _ password: String, tenant: String = "brittest.onmicrosoft.com",
                       scope: String = "https://graph.microsoft.com/.default", clientIP: String = "203.0.113.7") async -> SimResponse {
        await send("POST", "/\(tenant)/oauth2/v2.0/token",
                   form: ["grant_type": "password", "client_id": "14d82eec-204b-4c2f-b7e8-296a70dab67e", "username": user,
                          "password": password, "scope": scope], clientIP: clientIP)
    }

    func appToken(tenant: String = "brittest.onmicrosoft.com", clientId: String = "5e1f7a44-9a0b-4c1e-8d2f-6b3a9c0d1e2f",
                  secret: String = "brittest-tool-secret", scope: String = "https://graph.microsoft.com/.default") async -> SimResponse {
        await send("POST", "/\(tenant)/oauth2/v2.0/token",
                   form: ["grant_type": "client_credentials", "client_id": clientId, "client_secret": secret, "scope": scope])
    }
}

extension SimResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var accessToken: String? { json?["access_token"]?.stringValue }
}
