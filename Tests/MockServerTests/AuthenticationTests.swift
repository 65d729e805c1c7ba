import AuditLog
import Foundation
import Testing
import TenantModel
@testable import MockServer

@Suite("Bearer tokens: strict and lax")
struct AuthenticationTests {
    static let britton = "britton@brittest.onmicrosoft.com"
    static let invokeBody: JSONValue = .object(["CmdletInput": .object(["CmdletName": "Get-Mailbox"])])
    static let path = "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand"

    @Test("No token, a garbage token, a forged signature: 401 with Exchange's WWW-Authenticate challenge")
    func missingAndInvalid() async throws {
        let server = try await makeServer()
        let none = await server.send("POST", Self.path, json: Self.invokeBody)
        #expect(none.status == 401)
        #expect(none.header("WWW-Authenticate")?.hasPrefix("Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\"") == true)
        #expect(none.json?["error"]?["message"]?.stringValue == "Access token is empty.")

        let garbage = await server.send("POST", Self.path, token: "not-a-jwt", json: Self.invokeBody)
        #expect(garbage.status == 401)
        #expect(garbage.json?["error"]?["message"]?.stringValue?.hasPrefix("IDX14100") == true)

        // A token signed with another key (another simulator process, or forged).
        var options = ServerOptions()
        options.signingSecret = "someone-else"
        let other = SimServer(options: options)
        try await other.add(TenantHost(tenant: try TenantStore_load("brittest"), source: "brittest"))
        let foreign = try #require(await other.passwordToken(Self.britton, "Brit-Test-2019!", scope: "https://outlook.office365.com/.default").accessToken)
        let forged = await server.send("POST", Self.path, token: foreign, json: Self.invokeBody)
        #expect(forged.status == 401)
        #expect(forged.json?["error"]?["message"]?.stringValue?.contains("signature") == true)
    }

    @Test("A Graph token on the Exchange admin API is refused for its audience")
    func audience() async throws {
        let server = try await makeServer()
        let graph = try #require(await server.passwordToken(Self.britton, "Brit-Test-2019!").accessToken)
        let response = await server.send("POST", Self.path, token: graph, json: Self.invokeBody)
        #expect(response.status == 401)
        #expect(response.json?["error"]?["message"]?.stringValue?.contains("Invalid audience") == true)
    }

    @Test("A token expires on the tenant's clock")
    func expiry() async throws {
        let server = try await makeServer()
        let token = try #require(await server.passwordToken(Self.britton, "Brit-Test-2019!", scope: "https://outlook.office365.com/.default").accessToken)
        #expect(await server.send("POST", Self.path, token: token, json: Self.invokeBody).status == 200)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        await host.perform { $0.session.tenant.clock.advance(by: 3600) }
        let expired = await server.send("POST", Self.path, token: token, json: Self.invokeBody)
        #expect(expired.status == 401)
        #expect(expired.json?["error"]?["message"]?.stringValue == "Lifetime validation failed, the token is expired.")
    }

    @Test("A token of one tenant is refused on another tenant's URL")
    func foreignTenant() async throws {
        let server = try await makeServer(["brittest", "contoso"])
        let token = try #require(await server.passwordToken(Self.britton, "Brit-Test-2019!", scope: "https://outlook.office365.com/.default").accessToken)
        let response = await server.send("POST", "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand", token: token, json: Self.invokeBody)
        #expect(response.status == 403)
        let unknown = await server.send("POST", "/adminapi/beta/nowhere.onmicrosoft.com/InvokeCommand", token: token, json: Self.invokeBody)
        #expect(unknown.status == 404)
        #expect(unknown.json?["error"]?["code"]?.stringValue == "TenantNotFound")
    }

    @Test("A delegated caller without an administrator role is refused; an app needs Exchange.ManageAsApp")
    func roles() async throws {
        let server = try await makeServer(["contoso"])
        let host = try #require(server.tenant("contoso.onmicrosoft.com"))
        let user = try await host.perform { h throws -> (String, String) in
            let u = try #require(h.session.tenant.users.first { !$0.isAdmin && $0.strongAuthenticationState == .Disabled && !$0.blockCredential })
            return (u.userPrincipalName, u.password)
        }
        let token = try #require(await server.passwordToken(user.0, user.1, tenant: "contoso.onmicrosoft.com", scope: "https://outlook.office365.com/.default").accessToken)
        let response = await server.send("POST", "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand", token: token, json: Self.invokeBody)
        #expect(response.status == 403)
        // contoso's scanner app has Graph roles but not Exchange.ManageAsApp.
        let app = try #require(await server.appToken(tenant: "contoso.onmicrosoft.com", clientId: "0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13",
                                                    secret: "contoso-scanner-secret", scope: "https://outlook.office365.com/.default").accessToken)
        #expect(await server.send("POST", "/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand", token: app, json: Self.invokeBody).status == 403)
    }

    @Test("Lax mode accepts any bearer token and acts as the tenant's administrator")
    func lax() async throws {
        let server = try await makeServer(auth: .lax)
        let response = await server.send("POST", Self.path, token: "anything", json: Self.invokeBody)
        #expect(response.status == 200)
        #expect((response.json?["value"]?.arrayValue?.count ?? 0) > 0)
        let noToken = await server.send("POST", Self.path, json: Self.invokeBody)
        #expect(noToken.status == 200)
    }

    @Test("An oversized body is a 413 and runs nothing; an unknown route is a 404; a wrong method a 405 with Allow")
    func limits() async throws {
        let server = try await makeServer(auth: .lax)
        let big = Data(repeating: UInt8(ascii: " "), count: server.options.maxBodyBytes + 1)
        let response = await server.handle(SimRequest("POST", Self.path, body: big))
        #expect(response.status == 413)
        #expect(await server.send("GET", "/nope").status == 404)
        let method = await server.send("GET", Self.path)
        #expect(method.status == 405)
        #expect(method.header("Allow") == "POST")
    }
}

import TenantStore
func TenantStore_load(_ name: String) throws -> Tenant { try TenantSource.loadFixture(name) }
