import AuditLog
import Foundation
import Testing
import TenantModel
import TenantStore
@testable import MockServer

@Suite("Control plane (/sim/v1)")
struct ControlPlaneTests {
    static let brittest = "brittest.onmicrosoft.com"
    static let fabrikam = """
        tenant:
          InitialDomain: fabrikam.onmicrosoft.com
          DisplayName: Fabrikam
          LicenseTier: E5
          CreatedDateTime: 2024-05-01T09:00:00Z
        clock: 2026-01-15T12:00:00Z
        seed: 7
        users:
          - UserPrincipalName: admin@fabrikam.onmicrosoft.com
            Password: "Admin-Pass-1!"
            AdminRoles: [Global Administrator]
          - UserPrincipalName: pat@fabrikam.onmicrosoft.com
            mailbox:
              ImapEnabled: false

        """

    static func errorCode(_ r: SimResponse) -> String? { r.json?["error"]?["code"]?.stringValue }

    static func served(_ server: SimServer) async -> [String] {
        (await server.send("GET", "/sim/v1/tenants").json?["value"]?.arrayValue ?? []).compactMap { $0["initialDomain"]?.stringValue }
    }

    static func now(_ server: SimServer, _ tenant: String = brittest) async -> String? {
        await server.send("GET", "/sim/v1/tenants/\(tenant)/clock").json?["now"]?.stringValue
    }

    static func imapEnabled(_ server: SimServer, _ upn: String, tenant: String = brittest) async throws -> Bool? {
        let host = try #require(server.tenant(tenant))
        return await host.perform { $0.session.tenant.mailboxes.first { $0.userPrincipalName == upn }?.cas.imapEnabled }
    }

    @Test("tenants are created from a built-in fixture; a second copy of a served tenant is a 409")
    func createFromFixture() async throws {
        let server = try await makeServer()
        let created = await server.send("POST", "/sim/v1/tenants", json: .object(["fixture": "contoso"]))
        #expect(created.status == 201)
        #expect(created.json?["initialDomain"] == "contoso.onmicrosoft.com")
        #expect(created.json?["source"] == "contoso")
        #expect(created.json?["counts"]?["users"]?.intValue ?? 0 > 0)
        #expect(await Self.served(server) == [Self.brittest, "contoso.onmicrosoft.com"])

        let again = await server.send("POST", "/sim/v1/tenants", json: .object(["fixture": "contoso"]))
        #expect(again.status == 409)
        #expect(Self.errorCode(again) == "TenantExists")
        let unknown = await server.send("POST", "/sim/v1/tenants", json: .object(["fixture": "nosuch"]))
        #expect(unknown.status == 400)
        #expect(Self.errorCode(unknown) == "UnknownFixture")
        #expect(await Self.served(server).count == 2)
    }

    @Test("an uploaded fixture is served and reset reloads it; malformed YAML is a 400 with line and column that adds nothing")
    func createFromUpload() async throws {
        let server = try await makeServer()
        let created = await server.send("POST", "/sim/v1/tenants", json: .object(["fixtureYaml": .string(Self.fabrikam)]))
        #expect(created.status == 201)
        #expect(created.json?["displayName"] == "Fabrikam")
        #expect(await Self.now(server, "fabrikam.onmicrosoft.com") == "2026-01-15T12:00:00Z")
        _ = await server.send("POST", "/sim/v1/tenants/fabrikam.onmicrosoft.com/clock", json: .object(["advance": "PT1H"]))
        let reset = await server.send("POST", "/sim/v1/tenants/fabrikam.onmicrosoft.com/reset")
        #expect(reset.status == 200)
        #expect(await Self.now(server, "fabrikam.onmicrosoft.com") == "2026-01-15T12:00:00Z")

        let bad = Self.fabrikam.replacingOccurrences(of: "fabrikam", with: "northwind")
            .replacingOccurrences(of: "    Password: \"Admin-Pass-1!\"", with: "    Pasword: \"Admin-Pass-1!\"")
        let refused = await server.send("POST", "/sim/v1/tenants", json: .object(["fixtureYaml": .string(bad)]))
        #expect(refused.status == 400)
        #expect(Self.errorCode(refused) == "BadFixture")
        let error = try #require(refused.json?["error"])
        #expect(error["line"] == 10)
        #expect(error["column"]?.intValue ?? 0 > 0)
        #expect(error["message"]?.stringValue?.hasPrefix("fixtureYaml:10:") == true)
        #expect(error["message"]?.stringValue?.contains("Pasword") == true)
        #expect(await Self.served(server) == [Self.brittest, "fabrikam.onmicrosoft.com"])

        let neither = await server.send("POST", "/sim/v1/tenants", json: .object([:]))
        #expect(neither.status == 400)
        let typo = await server.send("POST", "/sim/v1/tenants", json: .object(["fixtures": "contoso"]))
        #expect(typo.json?["error"]?["message"]?.stringValue?.contains("Valid members: fixture, fixtureYaml") == true)
    }

    @Test("reset undoes changes; delete stops serving; an unknown tenant is a 404 naming it")
    func resetAndDelete() async throws {
        let server = try await makeServer()
        let action = await server.send("POST", "/sim/v1/tenants/\(Self.brittest)/actions",
                                       json: .object(["script": "Set-CASMailbox -Identity adele@brittest.onmicrosoft.com -ImapEnabled $false"]))
        #expect(action.json?["errors"] == .array([]))
        #expect(try await Self.imapEnabled(server, "adele@brittest.onmicrosoft.com") == false)
        #expect(await server.send("POST", "/sim/v1/tenants/\(Self.brittest)/reset").status == 200)
        #expect(try await Self.imapEnabled(server, "adele@brittest.onmicrosoft.com") == true)

        #expect(await server.send("DELETE", "/sim/v1/tenants/\(Self.brittest)").status == 204)
        #expect(await Self.served(server).isEmpty)
        let gone = await server.send("GET", "/sim/v1/tenants/\(Self.brittest)")
        #expect(gone.status == 404)
        #expect(gone.json?["error"]?["message"]?.stringValue?.contains(Self.brittest) == true)
    }

    @Test("the clock advances by ISO 8601 durations or seconds, can be set forward, and never goes back")
    func clock() async throws {
        let server = try await makeServer()
        let path = "/sim/v1/tenants/\(Self.brittest)/clock"
        #expect(await Self.now(server) == "2019-06-17T14:00:00Z")
        #expect(await server.send("POST", path, json: .object(["advance": "PT2H"])).json?["now"] == "2019-06-17T16:00:00Z")
        #expect(await server.send("POST", path, json: .object(["advance": 1_800])).json?["now"] == "2019-06-17T16:30:00Z")
        #expect(await server.send("POST", path, json: .object(["set": "2019-06-18T09:00:00Z"])).json?["now"] == "2019-06-18T09:00:00Z")
        let back = await server.send("POST", path, json: .object(["set": "2019-06-01T00:00:00Z"]))
        #expect(back.status == 400)
        #expect(Self.errorCode(back) == "ClockBackwards")
        let negative = await server.send("POST", path, json: .object(["advance": -5]))
        #expect(Self.errorCode(negative) == "ClockBackwards")
        let nonsense = await server.send("POST", path, json: .object(["advance": "soon"]))
        #expect(nonsense.status == 400)
        #expect(nonsense.json?["error"]?["message"]?.stringValue?.contains("PT2H") == true)
        #expect(await Self.now(server) == "2019-06-18T09:00:00Z")
    }

    @Test("a snapshot restores the tenant as it was; a bad restore changes nothing")
    func snapshotRestore() async throws {
        let server = try await makeServer()
        let snapshot = await server.send("GET", "/sim/v1/tenants/\(Self.brittest)/snapshot")
        #expect(snapshot.status == 200)
        #expect(snapshot.header("Content-Type")?.hasPrefix("application/yaml") == true)
        #expect(snapshot.text.contains("InitialDomain: brittest.onmicrosoft.com"))

        _ = await server.send("POST", "/sim/v1/tenants/\(Self.brittest)/actions",
                              json: .object(["script": "Set-CASMailbox -Identity adele@brittest.onmicrosoft.com -ImapEnabled $false"]))
        let broken = await server.handle(SimRequest("POST", "/sim/v1/tenants/\(Self.brittest)/restore",
                                                    headers: ["Content-Type": "application/yaml"], body: Data("tenant: [unclosed\n".utf8)))
        #expect(broken.status == 400)
        #expect(Self.errorCode(broken) == "BadFixture")
        #expect(try await Self.imapEnabled(server, "adele@brittest.onmicrosoft.com") == false)

        let restored = await server.handle(SimRequest("POST", "/sim/v1/tenants/\(Self.brittest)/restore",
                                                      headers: ["Content-Type": "application/yaml"], body: snapshot.body))
        #expect(restored.status == 200)
        #expect(try await Self.imapEnabled(server, "adele@brittest.onmicrosoft.com") == true)
        #expect(await Self.served(server) == [Self.brittest])
    }

    @Test("signins evaluate an attempt through the pipeline: outcome, reason, stage trace with explain, and a sign-in log record")
    func signIns() async throws {
        let server = try await makeServer()
        let path = "/sim/v1/tenants/\(Self.brittest)/signins"
        let denied = await server.send("POST", path, json: .object([
            "user": "adele@brittest.onmicrosoft.com", "password": "wrong", "protocol": "IMAP4", "clientIP": "203.0.113.9", "explain": true,
        ]))
        #expect(denied.status == 200)
        let body = try #require(denied.json)
        #expect(body["outcome"] == "Denied")
        #expect(body["reason"] == "InvalidCredentials")
        let trace = try #require(body["trace"]?.arrayValue)
        #expect(!trace.isEmpty)
        #expect(trace.contains { $0["stage"] == "credential" && $0["result"] == "decided" })

        let allowed = await server.send("POST", path, json: .object([
            "user": "britton@brittest.onmicrosoft.com", "password": "Brit-Test-2019!", "protocol": "AzureAD",
        ]))
        #expect(allowed.json?["outcome"] == "Allowed")
        #expect(allowed.json?["trace"] == .array([]))
        let host = try #require(server.tenant(Self.brittest))
        #expect(await host.perform { $0.session.audit.signIns.count } == 2)

        let badProtocol = await server.send("POST", path, json: .object(["user": "x@brittest.onmicrosoft.com", "protocol": "Gopher"]))
        #expect(badProtocol.status == 400)
        #expect(badProtocol.json?["error"]?["message"]?.stringValue?.contains("ExchangeActiveSync") == true)
        let noUser = await server.send("POST", path, json: .object(["protocol": "IMAP4"]))
        #expect(noUser.json?["error"]?["member"] == "user")
    }

    @Test("actions run PowerShell as a user: output objects as JSON, errors with their ids")
    func actions() async throws {
        let server = try await makeServer()
        let path = "/sim/v1/tenants/\(Self.brittest)/actions"
        let ok = await server.send("POST", path, json: .object(["script": "Get-CASMailbox -Identity adele@brittest.onmicrosoft.com | Select ImapEnabled",
                                                                "as": "britton@brittest.onmicrosoft.com"]))
        #expect(ok.json?["output"] == .array([.object(["ImapEnabled": true])]))
        #expect(ok.json?["hadTerminatingError"] == false)
        let failed = await server.send("POST", path, json: .object(["script": "Get-Mailbox -Identity nobody@brittest.onmicrosoft.com"]))
        let error = try #require(failed.json?["errors"]?.arrayValue?.first)
        #expect(error["errorId"]?.stringValue?.hasSuffix("Microsoft.Exchange.Management.Tasks.GetMailbox") == true)
        #expect(error["reason"] == "ManagementObjectNotFoundException")
        #expect(error["message"]?.stringValue?.contains("nobody@brittest.onmicrosoft.com") == true)
        #expect(failed.json?["hadTerminatingError"] == false)
        let stranger = await server.send("POST", path, json: .object(["script": "Get-Mailbox", "as": "mallory@evil.example"]))
        #expect(Self.errorCode(stranger) == "UnknownUser")
    }

    @Test("a mailbox action signs in, then acts: an inbox rule created over MAPI is in the mailbox, denied attempts change nothing")
    func mailboxAction() async throws {
        let server = try await makeServer()
        let host = try #require(server.tenant(Self.brittest))
        let password = try #require(await host.perform { $0.session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.password })
        let path = "/sim/v1/tenants/\(Self.brittest)/actions"
        func act(_ password: String) async -> SimResponse {
            await server.send("POST", path, json: .object(["mailboxAction": .object([
                "user": "adele@brittest.onmicrosoft.com", "password": .string(password), "protocol": "MAPI", "clientIP": "203.0.113.7",
                "action": "create-inbox-rule", "params": .object(["Name": "fwd", "ForwardTo": "x@evil.example"]),
            ])]))
        }
        let denied = await act("not-her-password")
        #expect(denied.json?["decision"]?["outcome"] == "Denied")
        #expect(await host.perform { $0.session.tenant.inboxRules.contains { $0.name == "fwd" } } == false)

        let allowed = await act(password)
        #expect(allowed.json?["decision"]?["outcome"] == "Allowed")
        #expect(allowed.json?["output"] == nil)
        #expect(await host.perform { $0.session.tenant.inboxRules.contains { $0.name == "fwd" } })

        let unknown = await server.send("POST", path, json: .object(["mailboxAction": .object(["user": "adele@brittest.onmicrosoft.com", "action": "teleport"])]))
        #expect(unknown.json?["error"]?["member"] == "action")
    }

    @Test("a 429 fault rule answers in the family's shape with Retry-After, and counts whether the client waited")
    func faultRetryAfter() async throws {
        let server = try await makeServer()
        let token = try #require(await server.appToken(scope: "https://manage.office.com/.default").accessToken)
        let id = try await #require(server.tenant(Self.brittest)).tenantId.uuidString.lowercased()
        let list = "/api/v1.0/\(id)/activity/feed/subscriptions/list"
        let added = await server.send("POST", "/sim/v1/faults", json: .object([
            "id": "throttle", "route": "/api/v1.0/{tenant}/activity/feed/subscriptions/list", "status": 429, "retryAfter": 1, "everyNth": 2,
        ]))
        #expect(added.status == 201)

        #expect(await server.send("GET", list, token: token).status == 200)
        let throttled = await server.send("GET", list, token: token)
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "1")
        #expect(Self.errorCode(throttled) == "AF429")
        #expect(await server.send("GET", list, token: token).status == 200)  // at once: too soon
        #expect(await server.send("GET", list, token: token).status == 429)
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(await server.send("GET", list, token: token).status == 200)  // after waiting

        let rules = try #require(await server.send("GET", "/sim/v1/faults").json?["rules"]?.arrayValue)
        let stats = try #require(rules.first?["stats"])
        #expect(stats == .object(["matched": 5, "fired": 2, "retriedTooSoon": 1, "retriedAfterWaiting": 1]))

        #expect(await server.send("DELETE", "/sim/v1/faults/throttle").status == 204)
        #expect(await server.send("GET", "/sim/v1/faults").json?["rules"] == .array([]))
    }

    @Test("a 503 rule by cmdlet hits only that cmdlet, in the admin API's error shape; the control plane is never faulted")
    func faultByCmdlet() async throws {
        let server = try await makeServer()
        _ = await server.send("POST", "/sim/v1/faults", json: .object(["cmdlet": "Get-Mailbox", "status": 503, "retryAfter": 5]))
        _ = await server.send("POST", "/sim/v1/faults", json: .object(["route": "/sim/*", "status": 500]))
        let token = try await AdminAPITests.adminToken(server)
        let hit = await AdminAPITests.invoke(server, token, "Get-Mailbox")
        #expect(hit.status == 503)
        #expect(hit.json?["error"]?["details"] != nil)
        #expect(await AdminAPITests.invoke(server, token, "Get-CASMailbox").status == 200)
        #expect(await server.send("GET", "/sim/v1/faults").status == 200)
    }

    @Test("fault rules are validated member by member", arguments: [
        (JSONValue.object(["status": 200]), "status"),
        (.object(["status": 429, "probability": .double(1.5)]), "probability"),
        (.object(["status": 429, "everyNth": 0]), "everyNth"),
        (.object(["retryAfter": 3, "latencyMs": 10]), "retryAfter"),
        (.object(["route": "users", "status": 500]), "route"),
        (.object(["route": "/v1.0/users"]), "status"),
        (.object(["status": 500, "colour": "red"]), "colour"),
    ])
    func faultValidation(rule: JSONValue, member: String) async throws {
        let server = try await makeServer()
        let r = await server.send("POST", "/sim/v1/faults", json: rule)
        #expect(r.status == 400)
        #expect(r.json?["error"]?["member"]?.stringValue == member)
        #expect(server.faults.rules.isEmpty)
    }

    @Test("the journal lists requests newest first with their decisions, filters by status and route, and can be emptied")
    func journal() async throws {
        let server = try await makeServer()
        _ = await server.passwordToken("adele@brittest.onmicrosoft.com", "wrong-password")
        _ = await server.send("POST", "/sim/v1/tenants/\(Self.brittest)/signins",
                              json: .object(["user": "adele@brittest.onmicrosoft.com", "password": "nope", "protocol": "POP3"]))
        _ = await server.send("GET", "/sim/v1/tenants/nosuch.example")
        let all = try #require(await server.send("GET", "/sim/v1/journal").json)
        let entries = try #require(all["value"]?.arrayValue)
        #expect(entries.count == 3)
        #expect(entries.first?["target"] == "/sim/v1/tenants/nosuch.example")
        #expect(entries.first?["status"] == 404)
        let signin = try #require(entries.first { $0["route"] == "/sim/v1/tenants/{tenant}/signins" })
        #expect(signin["decision"]?.stringValue?.hasPrefix("Denied") == true)

        let failures = try #require(await server.send("GET", "/sim/v1/journal?status=4xx").json?["value"]?.arrayValue)
        #expect(failures.allSatisfy { ($0["status"]?.intValue ?? 0) / 100 == 4 })
        let tokens = try #require(await server.send("GET", "/sim/v1/journal?route=/brittest.onmicrosoft.com/oauth2").json?["value"]?.arrayValue)
        #expect(tokens.count == 1)
        #expect(await server.send("GET", "/sim/v1/journal?limit=0").status == 400)

        #expect(await server.send("DELETE", "/sim/v1/journal").status == 204)
        let after = try #require(await server.send("GET", "/sim/v1/journal").json?["value"]?.arrayValue)
        #expect(after.map { $0["method"] } == ["DELETE"])  // only the request that emptied it
    }

    @Test("a posted scenario runs on a fresh fixture or a copy of a served tenant and answers the JSON report; the served tenant is untouched")
    func scenarios() async throws {
        let server = try await makeServer()
        let scenario = """
            scenario: IMAP off for adele
            tenant: brittest
            steps:
              - run: Set-CASMailbox -Identity adele@brittest.onmicrosoft.com -ImapEnabled $false
              - signin: {user: adele@brittest.onmicrosoft.com, protocol: IMAP4}
                expect: {decision: Denied, reason: ProtocolDisabled}

            """
        let posted = await server.handle(SimRequest("POST", "/sim/v1/scenarios", headers: ["Content-Type": "application/yaml"], body: Data(scenario.utf8)))
        #expect(posted.status == 200)
        let report = try #require(posted.json)
        #expect(report["summary"]?["passed"] == 1)
        #expect(report["scenarios"]?.arrayValue?.first?["file"] == "scenario.yaml")
        #expect(try await Self.imapEnabled(server, "adele@brittest.onmicrosoft.com") == true)

        let onServed = await server.send("POST", "/sim/v1/scenarios", json: .object(["scenario": .string(scenario), "tenant": .string(Self.brittest)]))
        #expect(onServed.json?["summary"]?["passed"] == 1)

        let broken = await server.send("POST", "/sim/v1/scenarios", json: .object(["scenario": "scenario: x\nsteps:\n  - frobnicate: 1\n"]))
        #expect(broken.status == 400)
        #expect(Self.errorCode(broken) == "BadScenario")
        #expect(broken.json?["error"]?["line"]?.intValue ?? 0 > 0)
    }

    @Test("every control route is in /openapi.json with a response schema")
    func openAPI() async throws {
        let server = try await makeServer()
        let doc = try #require(await server.send("GET", "/openapi.json").json)
        let paths = try #require(doc["paths"]?.objectValue)
        for route in ControlRoutes.routes + ManagementRoutes.routes {
            let op = try #require(paths[route.template]?[route.method.lowercased()], "\(route.method) \(route.template)")
            #expect(op["responses"]?.objectValue?.keys.contains { $0.hasPrefix("2") } == true, "\(route.template)")
        }
    }
}
