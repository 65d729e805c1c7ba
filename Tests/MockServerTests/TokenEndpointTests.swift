import AuditLog
import Foundation
import Testing
import TenantModel
@testable import MockServer

@Suite("Token endpoint")
struct TokenEndpointTests {
    static let britton = "britton@brittest.onmicrosoft.com"

    @Test("A password grant signs the user in through the access pipeline and issues a token with the user's claims")
    func passwordGrant() async throws {
        let server = try await makeServer()
        let response = await server.passwordToken(Self.britton, "Brit-Test-2019!")
        #expect(response.status == 200)
        let body = try #require(response.json)
        #expect(body["token_type"]?.stringValue == "Bearer")
        #expect(body["expires_in"]?.intValue == 3599)
        #expect(body["scope"]?.stringValue?.contains("https://graph.microsoft.com/User.Read") == true)
        let principal = try server.signer.verify(try #require(response.accessToken))
        #expect(principal.userPrincipalName == Self.britton)
        #expect(principal.audience == "https://graph.microsoft.com")
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let (tid, signIn) = await host.perform { ($0.tenantId, $0.session.audit.signIns.last) }
        #expect(principal.tenantId == tid)
        // The sign-in log names the client application the script used.
        #expect(signIn?.appDisplayName == "Microsoft Graph Command Line Tools")
        #expect(signIn?.errorCode == 0)
    }

    @Test("A wrong password is AADSTS50126 in the identity platform's error shape, and smart lockout follows")
    func wrongPasswordAndLockout() async throws {
        let server = try await makeServer()
        let response = await server.passwordToken(Self.britton, "Summer2026!")
        #expect(response.status == 400)
        let body = try #require(response.json)
        #expect(body["error"]?.stringValue == "invalid_grant")
        let description = try #require(body["error_description"]?.stringValue)
        #expect(description.hasPrefix("AADSTS50126: Error validating credentials due to invalid username or password."))
        #expect(description.contains("\r\nTrace ID: ") && description.contains("\r\nCorrelation ID: ") && description.contains("\r\nTimestamp: "))
        #expect(body["error_codes"] == .array([.int(50126)]))
        for key in ["timestamp", "trace_id", "correlation_id"] { #expect(body[key]?.stringValue?.isEmpty == false, "\(key)") }
        #expect(body["timestamp"]?.stringValue?.hasSuffix("Z") == true)
        // Nine more distinct wrong passwords reach Entra's threshold of ten; then even the right one is refused.
        for i in 0..<9 { _ = await server.passwordToken(Self.britton, "Wrong-\(i)") }
        let locked = await server.passwordToken(Self.britton, "Brit-Test-2019!")
        #expect(locked.json?["error_codes"] == .array([.int(50053)]))
        #expect(locked.json?["error_description"]?.stringValue?.hasPrefix("AADSTS50053:") == true)
    }

    @Test("Per-user MFA Enforced refuses a password grant: interaction_required, AADSTS50076")
    func enforcedMfa() async throws {
        let server = try await makeServer()
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let password = try await host.perform { h in
            _ = h.run("$r = New-Object -TypeName Microsoft.Online.Administration.StrongAuthenticationRequirement; $r.RelyingParty = '*'; $r.State = 'Enforced'; Set-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com -StrongAuthenticationRequirements @($r)", as: Self.britton)
            return h.session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.password
        }
        #expect(await host.perform { $0.session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.strongAuthenticationState } == .Enforced)
        let response = await server.passwordToken("adele@brittest.onmicrosoft.com", try #require(password))
        #expect(response.status == 400)
        #expect(response.json?["error_codes"] == .array([.int(50076)]))
        #expect(response.json?["error"]?.stringValue == "interaction_required")
        #expect(response.json?["error_description"]?.stringValue?.hasPrefix("AADSTS50076: Due to a configuration change made by your administrator") == true)
    }

    @Test("Client credentials: the fixture's app gets a token with its roles; a wrong secret is AADSTS7000215 (401)")
    func clientCredentials() async throws {
        let server = try await makeServer()
        let ok = await server.appToken()
        #expect(ok.status == 200)
        let principal = try server.signer.verify(try #require(ok.accessToken))
        #expect(principal.isAppOnly)
        #expect(principal.roles.contains("User.Read.All"))
        #expect(ok.json?["scope"] == nil)

        let wrong = await server.appToken(secret: "not-the-secret")
        #expect(wrong.status == 401)
        #expect(wrong.json?["error"]?.stringValue == "invalid_client")
        #expect(wrong.json?["error_codes"] == .array([.int(7000215)]))

        let unknown = await server.appToken(clientId: "11111111-2222-3333-4444-555555555555")
        #expect(unknown.status == 400)
        #expect(unknown.json?["error"]?.stringValue == "unauthorized_client")
        #expect(unknown.json?["error_codes"] == .array([.int(700016)]))
    }

    @Test("A disabled app registration is refused with AADSTS7000112")
    func disabledApp() async throws {
        let server = try await makeServer(["contoso"])
        let response = await server.appToken(tenant: "contoso.onmicrosoft.com", clientId: "7a2b9c4d-1e3f-4a5b-8c6d-9e0f1a2b3c4d",
                                             secret: "contoso-reporter-secret")
        #expect(response.status == 400)
        #expect(response.json?["error_codes"] == .array([.int(7000112)]))
    }

    @Test("Bad requests: missing grant_type, unsupported grant, unknown tenant, unknown resource")
    func badRequests() async throws {
        let server = try await makeServer()
        let missing = await server.send("POST", "/brittest.onmicrosoft.com/oauth2/v2.0/token", form: ["client_id": "x"])
        #expect(missing.status == 400)
        #expect(missing.json?["error"]?.stringValue == "invalid_request")
        #expect(missing.json?["error_description"]?.stringValue?.hasPrefix("AADSTS900144: The request body must contain the following parameter: 'grant_type'.") == true)

        let unsupported = await server.send("POST", "/brittest.onmicrosoft.com/oauth2/v2.0/token",
                                            form: ["grant_type": "device_code", "client_id": "x", "scope": "https://graph.microsoft.com/.default"])
        #expect(unsupported.json?["error"]?.stringValue == "unsupported_grant_type")

        let tenant = await server.passwordToken(Self.britton, "Brit-Test-2019!", tenant: "nosuch.onmicrosoft.com")
        #expect(tenant.status == 400)
        #expect(tenant.json?["error_codes"] == .array([.int(90002)]))

        let resource = await server.passwordToken(Self.britton, "Brit-Test-2019!", scope: "https://vault.azure.net/.default")
        #expect(resource.json?["error_codes"] == .array([.int(500011)]))
        // None of these reached Entra's sign-in log.
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        #expect(await host.perform { $0.session.audit.signIns.count } == 0)
    }

    @Test("/common finds the tenant by the user's domain; the v1 endpoint takes `resource` and writes numbers as strings")
    func commonAndV1() async throws {
        let server = try await makeServer(["brittest", "contoso"])
        let common = await server.passwordToken(Self.britton, "Brit-Test-2019!", tenant: "common")
        #expect(common.status == 200)
        let v1 = await server.send("POST", "/organizations/oauth2/token",
                                   form: ["grant_type": "password", "client_id": "1b730954-1685-4b74-9bfd-dac224a7b894", "username": Self.britton,
                                          "password": "Brit-Test-2019!", "resource": "https://outlook.office365.com"])
        #expect(v1.status == 200)
        #expect(v1.json?["expires_in"]?.stringValue == "3599")
        #expect(v1.json?["resource"]?.stringValue == "https://outlook.office365.com")
        let principal = try server.signer.verify(try #require(v1.accessToken))
        #expect(principal.audience == "https://outlook.office365.com")
    }

    @Test("A sprayer's v1 request (/common, resource graph.windows.net, Azure AD PowerShell's client id) gets the AADSTS answers it parses")
    func sprayerShape() async throws {
        let server = try await makeServer()
        func spray(_ password: String) async -> SimResponse {
            await server.send("POST", "/common/oauth2/token", form: [
                "resource": "https://graph.windows.net", "client_id": "1b730954-1685-4b74-9bfd-dac224a7b894", "client_info": "1",
                "grant_type": "password", "username": Self.britton, "password": password, "scope": "openid",
            ], clientIP: "45.76.0.9")
        }
        let wrong = await spray("Winter2026!")
        #expect(wrong.json?["error_codes"] == .array([.int(50126)]))
        let right = await spray("Brit-Test-2019!")
        #expect(right.status == 200)
        #expect(right.json?["resource"]?.stringValue == "https://graph.windows.net")
        let nobody = await server.send("POST", "/common/oauth2/token", form: [
            "resource": "https://graph.windows.net", "client_id": "1b730954-1685-4b74-9bfd-dac224a7b894",
            "grant_type": "password", "username": "ghost@brittest.onmicrosoft.com", "password": "x",
        ])
        #expect(nobody.json?["error_codes"] == .array([.int(50034)]))
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let ips = await host.perform { $0.session.audit.signIns.map(\.ipAddress) }
        #expect(ips.filter { $0 == "45.76.0.9" }.count == 2)
    }
}
