import AuditLog
import Foundation
import Shell
import Testing
import TenantModel
@testable import MockServer

/// Tokens and tenants the Graph tests share.
enum GraphFixture {
    static let britton = "britton@brittest.onmicrosoft.com"
    static let brittonPassword = "Brit-Test-2019!"
    static let breakglass = "breakglass@contoso.onmicrosoft.com"
    static let breakglassPassword = "Tq7#vR2!mZ9$kL4@wX8&pN6^"
    static let kevin = "kevin.murphy@contoso.com"
    static let kevinPassword = "Summer2025!"

    static func appToken(_ server: SimServer) async throws -> String {
        try #require(await server.appToken().accessToken)
    }

    static func contosoToken(_ server: SimServer, _ user: String, _ password: String) async throws -> String {
        let response = await server.passwordToken(user, password, tenant: "contoso.com")
        return try #require(response.accessToken, "token for \(user): \(response.text)")
    }

    /// The Graph error body's parts, after checking its shape.
    static func error(_ response: SimResponse) throws -> (code: String, message: String) {
        let error = try #require(response.json?["error"])
        let inner = try #require(error["innerError"])
        #expect(inner["date"]?.stringValue != nil)
        #expect(inner["request-id"]?.stringValue == response.header("request-id"))
        #expect(inner["client-request-id"]?.stringValue != nil)
        return (try #require(error["code"]?.stringValue), try #require(error["message"]?.stringValue))
    }
}

@Suite("Graph users and OData")
struct GraphUserTests {
    @Test("Listing users with $top and following @odata.nextLink visits every user once, with Graph's default properties")
    func pagingVisitsEveryUser() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let expected = await host.perform { $0.session.tenant.users.map { $0.objectId.uuidString.lowercased() } }
        var target = "/v1.0/users?$top=3"
        var seen: [String] = []
        var pages = 0
        while true {
            let response = await server.send("GET", target, token: token, headers: ["Host": "sim.test:8365"])
            #expect(response.status == 200)
            let body = try #require(response.json)
            #expect(body["@odata.context"]?.stringValue == "http://sim.test:8365/v1.0/$metadata#users")
            let values = try #require(body["value"]?.arrayValue)
            #expect(values.count <= 3)
            for v in values {
                #expect(v.objectValue?.keys == GraphDirectory.defaultUserProperties)
                seen.append(v["id"]?.stringValue ?? "")
            }
            pages += 1
            guard let next = body["@odata.nextLink"]?.stringValue else { break }
            #expect(next.hasPrefix("http://sim.test:8365/v1.0/users?"))
            #expect(next.contains("$top=3"))
            target = String(next.dropFirst("http://sim.test:8365".count))
        }
        #expect(seen == expected)
        #expect(pages == (expected.count + 2) / 3)
    }

    @Test("$filter, $select and $orderby: startswith on displayName, booleans, the selected properties only, sorted descending")
    func filterSelectOrderby() async throws {
        let server = try await makeServer(["contoso"])
        let token = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let response = await server.send("GET", "/v1.0/users?$filter=accountEnabled eq false&$select=userPrincipalName,accountEnabled", token: token)
        #expect(response.status == 200)
        let blocked = try #require(response.json?["value"]?.arrayValue)
        #expect(!blocked.isEmpty)
        for u in blocked {
            #expect(u.objectValue?.keys == ["userPrincipalName", "accountEnabled"])
            #expect(u["accountEnabled"] == .bool(false))
        }
        #expect(response.json?["@odata.context"]?.stringValue?.hasSuffix("#users(userPrincipalName,accountEnabled)") == true)

        let sorted = await server.send("GET", "/v1.0/users?$orderby=displayName desc&$select=displayName&$top=999", token: token)
        let names = try #require(sorted.json?["value"]?.arrayValue).compactMap { $0["displayName"]?.stringValue }
        #expect(names.count > 5)
        #expect(names == names.sorted { $0.caseInsensitiveCompare($1) == .orderedDescending })

        let starts = await server.send("GET", "/v1.0/users?$filter=startswith(displayName,'k') or userPrincipalName eq 'BREAKGLASS@contoso.onmicrosoft.com'&$select=userPrincipalName",
                                       token: token)
        let upns = try #require(starts.json?["value"]?.arrayValue).compactMap { $0["userPrincipalName"]?.stringValue }
        #expect(Set(upns) == [GraphFixture.kevin, GraphFixture.breakglass])
    }

    @Test("$count=true needs ConsistencyLevel: eventual on users; with it @odata.count is the whole directory")
    func countNeedsConsistencyLevel() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let without = await server.send("GET", "/v1.0/users?$count=true", token: token)
        #expect(without.status == 400)
        let e = try GraphFixture.error(without)
        #expect(e.code == "Request_BadRequest")
        #expect(e.message == "$count is not currently supported.")

        let with = await server.send("GET", "/v1.0/users?$count=true&$top=2", token: token, headers: ["ConsistencyLevel": "eventual"])
        #expect(with.status == 200)
        let n = await server.tenant("brittest.onmicrosoft.com")!.perform { $0.session.tenant.users.count }
        #expect(with.json?["@odata.count"] == .int(n))
        #expect(with.json?["value"]?.arrayValue?.count == 2)

        let plain = await server.send("GET", "/v1.0/users/$count", token: token, headers: ["ConsistencyLevel": "eventual"])
        #expect(plain.text == String(n))
    }

    @Test("ne on userType is an advanced query: refused plainly, answered with ConsistencyLevel and $count")
    func advancedQueries() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let plain = await server.send("GET", "/v1.0/users?$filter=userType ne 'Guest'", token: token)
        #expect(plain.status == 400)
        #expect(try GraphFixture.error(plain).code == "Request_UnsupportedQuery")
        let advanced = await server.send("GET", "/v1.0/users?$filter=userType ne 'Guest'&$count=true", token: token,
                                         headers: ["ConsistencyLevel": "eventual"])
        #expect(advanced.status == 200)
        #expect(advanced.json?["@odata.count"]?.intValue == advanced.json?["value"]?.arrayValue?.count)
    }

    static let badQueries: [(query: String, code: String, message: String)] = [
        ("$select=foo", "BadRequest", "Could not find a property named 'foo' on type 'microsoft.graph.user'."),
        ("$top=0", "Request_BadRequest", "Invalid page size specified: '0'. Must be between 1 and 999 inclusive."),
        ("$top=1000", "Request_BadRequest", "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."),
        ("$top=ten", "BadRequest", "Invalid value 'ten' for $top query option found."),
        ("$filter=officeLocation eq 'Reston HQ'", "Request_UnsupportedQuery",
         "Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'."),
        ("$filter=nosuch eq 1", "BadRequest", "Could not find a property named 'nosuch' on type 'microsoft.graph.user'."),
        ("$filter=displayName eq", "BadRequest", "Syntax error at position"),
        ("$filter=displayName eq 'Britton", "BadRequest", "unterminated string literal"),
        ("$filter=accountEnabled eq 'yes'", "BadRequest", "Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'"),
        ("$filter=contains(displayName,'a')", "BadRequest", "An unknown function with name 'contains'"),
        ("$orderby=jobTitle", "Request_UnsupportedQuery", "Sorting is not supported on property 'jobTitle'"),
        ("$filter=accountEnabled eq true&$orderby=displayName", "Request_UnsupportedQuery", "Sorting not supported for current query."),
        ("$skiptoken=garbage", "Request_BadRequest", "The $skiptoken 'garbage' is not valid."),
        ("$frobnicate=1", "BadRequest", "The query parameter '$frobnicate' is not supported."),
    ]

    @Test("Every bad OData option answers 400 in Graph's error shape, naming what is wrong", arguments: badQueries)
    func badOData(_ bad: (query: String, code: String, message: String)) async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let response = await server.send("GET", "/v1.0/users?" + bad.query, token: token, headers: ["client-request-id": "c-123"])
        #expect(response.status == 400)
        let e = try GraphFixture.error(response)
        #expect(e.code == bad.code)
        #expect(e.message.contains(bad.message), "\(e.message)")
        #expect(response.json?["error"]?["innerError"]?["client-request-id"]?.stringValue == "c-123")
    }

    @Test("GET /users/{id} by object id and by UPN; an unknown one is Request_ResourceNotFound")
    func getUser() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let byUPN = await server.send("GET", "/v1.0/users/\(GraphFixture.britton)?$select=id,accountEnabled,createdDateTime,userType", token: token)
        #expect(byUPN.status == 200)
        let id = try #require(byUPN.json?["id"]?.stringValue)
        #expect(byUPN.json?["accountEnabled"] == .bool(true))
        #expect(byUPN.json?["userType"] == "Member")
        #expect(byUPN.json?["@odata.context"]?.stringValue?.hasSuffix("#users(id,accountEnabled,createdDateTime,userType)/$entity") == true)
        let byId = await server.send("GET", "/v1.0/users/\(id)", token: token)
        #expect(byId.json?["userPrincipalName"]?.stringValue == GraphFixture.britton)
        let missing = await server.send("GET", "/v1.0/users/nobody@brittest.onmicrosoft.com", token: token)
        #expect(missing.status == 404)
        let e = try GraphFixture.error(missing)
        #expect(e.code == "Request_ResourceNotFound")
        #expect(e.message == "Resource 'nobody@brittest.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.")
    }

    @Test("PATCH accountEnabled false blocks the user: the next password grant fails with AADSTS50057 and Entra audits 'Update user'")
    func blockUser() async throws {
        let server = try await makeServer(["contoso"])
        let admin = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let patch = await server.send("PATCH", "/v1.0/users/\(GraphFixture.kevin)", token: admin, json: .object(["accountEnabled": false]))
        #expect(patch.status == 204)
        #expect(patch.body.isEmpty)
        let host = try #require(server.tenant("contoso.com"))
        #expect(await host.perform { $0.session.tenant.user(upn: GraphFixture.kevin)?.blockCredential } == true)

        let grant = await server.passwordToken(GraphFixture.kevin, GraphFixture.kevinPassword, tenant: "contoso.com")
        #expect(grant.status == 400)
        #expect(grant.json?["error_codes"] == .array([.int(50057)]))

        let audits = await server.send("GET", "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Update user'", token: admin)
        #expect(audits.status == 200)
        let record = try #require(audits.json?["value"]?.arrayValue?.first)
        #expect(record["initiatedBy"]?["user"]?["userPrincipalName"]?.stringValue == GraphFixture.breakglass)
        let target = try #require(record["targetResources"]?.arrayValue?.first)
        #expect(target["userPrincipalName"]?.stringValue == GraphFixture.kevin)
        let modified = try #require(target["modifiedProperties"]?.arrayValue)
        let enabled = try #require(modified.first { $0["displayName"]?.stringValue == "AccountEnabled" })
        #expect(enabled["oldValue"]?.stringValue == "[true]")
        #expect(enabled["newValue"]?.stringValue == "[false]")
    }

    @Test("PATCH passwordProfile sets the password the token endpoint then accepts, and is audited as a reset")
    func resetPassword() async throws {
        let server = try await makeServer(["contoso"])
        let admin = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let patch = await server.send("PATCH", "/v1.0/users/\(GraphFixture.kevin)", token: admin,
                                      json: .object(["passwordProfile": .object(["password": "Winter-2026-Reset!", "forceChangePasswordNextSignIn": false])]))
        #expect(patch.status == 204)
        #expect(await server.passwordToken(GraphFixture.kevin, "Winter-2026-Reset!", tenant: "contoso.com").accessToken != nil)
        #expect(await server.passwordToken(GraphFixture.kevin, GraphFixture.kevinPassword, tenant: "contoso.com").status == 400)
        let audits = await server.send("GET", "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Reset user password'", token: admin)
        #expect(audits.json?["value"]?.arrayValue?.count == 1)
    }

    static let badPatches: [(body: JSONValue, code: String, message: String)] = [
        (.object(["accountEnabled": "no"]), "BadRequest", "Edm.Boolean"),
        (.object(["favouriteColour": "blue"]), "BadRequest", "The property 'favouriteColour' does not exist on type 'microsoft.graph.user'."),
        (.object(["id": "00000000-0000-0000-0000-000000000001"]), "Request_BadRequest", "Property 'id' is read-only"),
        (.object(["passwordProfile": .object(["password": "short"])]), "Request_BadRequest", "password complexity requirements"),
        (.object(["accountEnabled": false, "passwordProfile": .object(["password": "weakpassword"])]), "Request_BadRequest", "complexity"),
        (.array([]), "BadRequest", "JSON object"),
    ]

    @Test("A bad PATCH body is refused with its 400 and changes nothing, not even the fields that were valid", arguments: badPatches)
    func badPatch(_ bad: (body: JSONValue, code: String, message: String)) async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let before = await host.perform { ($0.session.tenant.users, $0.session.audit.unified.count) }
        let response = await server.send("PATCH", "/v1.0/users/\(GraphFixture.britton)", token: token, json: bad.body)
        #expect(response.status == 400)
        let e = try GraphFixture.error(response)
        #expect(e.code == bad.code)
        #expect(e.message.contains(bad.message), "\(e.message)")
        let after = await host.perform { ($0.session.tenant.users, $0.session.audit.unified.count) }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
    }

    @Test("Malformed JSON in a PATCH is Graph's 400 BadRequest")
    func malformedJSON() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let response = await server.handle(SimRequest("PATCH", "/v1.0/users/\(GraphFixture.britton)",
                                                      headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                                      body: Data("{\"accountEnabled\": fal".utf8)))
        #expect(response.status == 400)
        #expect(try GraphFixture.error(response).code == "BadRequest")
    }
}

@Suite("Graph authorization")
struct GraphAuthorizationTests {
    @Test("A delegated caller without an administrator role gets 403 on /users and on other users, but reads itself and /me")
    func nonAdminDelegated() async throws {
        let server = try await makeServer(["contoso"])
        let token = try await GraphFixture.contosoToken(server, GraphFixture.kevin, GraphFixture.kevinPassword)
        let users = await server.send("GET", "/v1.0/users", token: token)
        #expect(users.status == 403)
        let e = try GraphFixture.error(users)
        #expect(e.code == "Authorization_RequestDenied")
        #expect(e.message == "Insufficient privileges to complete the operation.")
        let me = await server.send("GET", "/v1.0/me", token: token)
        #expect(me.status == 200)
        #expect(me.json?["userPrincipalName"]?.stringValue == GraphFixture.kevin)
        #expect(await server.send("GET", "/v1.0/users/\(GraphFixture.kevin)", token: token).status == 200)
        let other = await server.send("GET", "/v1.0/users/\(GraphFixture.breakglass)", token: token)
        #expect(other.status == 403)
        #expect(try GraphFixture.error(other).code == "Authorization_RequestDenied")
        let mailbox = await server.send("GET", "/v1.0/users/nora.fischer@contoso.com/messages", token: token, clientIP: "203.0.113.40")
        #expect(mailbox.status == 403)
        #expect(try GraphFixture.error(mailbox).code == "ErrorAccessDenied")
    }

    @Test("An app token without the route's application permission gets 403")
    func appWithoutRole() async throws {
        let server = try await makeServer(["contoso"])
        let token = try #require(await server.appToken(tenant: "contoso.com", clientId: "0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13",
                                                       secret: "contoso-scanner-secret").accessToken)
        let read = await server.send("GET", "/v1.0/users?$top=1", token: token)
        #expect(read.status == 200)
        let write = await server.send("PATCH", "/v1.0/users/\(GraphFixture.kevin)", token: token, json: .object(["accountEnabled": false]))
        #expect(write.status == 403)
        #expect(try GraphFixture.error(write).code == "Authorization_RequestDenied")
        let rules = await server.send("GET", "/v1.0/users/\(GraphFixture.kevin)/mailFolders/inbox/messageRules", token: token)
        #expect(rules.status == 403)
        let host = try #require(server.tenant("contoso.com"))
        #expect(await host.perform { $0.session.tenant.user(upn: GraphFixture.kevin)?.blockCredential } == false)
    }

    @Test("/me with an app-only token is 400: only valid with the delegated flow")
    func meWithAppToken() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let response = await server.send("GET", "/v1.0/me", token: token)
        #expect(response.status == 400)
        let e = try GraphFixture.error(response)
        #expect(e.code == "BadRequest")
        #expect(e.message == "/me request is only valid with delegated authentication flow.")
    }
}

@Suite("Graph per-user MFA and authentication methods")
struct GraphMfaTests {
    @Test("GET and PATCH /beta/users/{id}/authentication/requirements round-trip; Enforced makes the next password grant fail with AADSTS50076")
    func requirementsRoundTrip() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let path = "/beta/users/\(GraphFixture.britton)/authentication/requirements"
        let before = await server.send("GET", path, token: token)
        #expect(before.status == 200)
        #expect(before.json?["perUserMfaState"] == "disabled")
        let patch = await server.send("PATCH", path, token: token, json: .object(["perUserMfaState": "enforced"]))
        #expect(patch.status == 204)
        #expect(await server.send("GET", path, token: token).json?["perUserMfaState"] == "enforced")
        let grant = await server.passwordToken(GraphFixture.britton, GraphFixture.brittonPassword)
        #expect(grant.status == 400)
        #expect(grant.json?["error_codes"] == .array([.int(50076)]))
        // The v1.0 endpoint has no requirements resource.
        #expect(await server.send("GET", "/v1.0/users/\(GraphFixture.britton)/authentication/requirements", token: token).status == 400)
    }

    @Test("Setting enabled for a user who already registered methods makes them enforced; the change is audited like Set-MsolUser")
    func enabledBecomesEnforced() async throws {
        let server = try await makeServer(["contoso"])
        let admin = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let path = "/beta/users/nora.fischer@contoso.com/authentication/requirements"
        #expect(await server.send("PATCH", path, token: admin, json: .object(["perUserMfaState": "disabled"])).status == 204)
        #expect(await server.send("GET", path, token: admin).json?["perUserMfaState"] == "disabled")
        #expect(await server.send("PATCH", path, token: admin, json: .object(["perUserMfaState": "enabled"])).status == 204)
        #expect(await server.send("GET", path, token: admin).json?["perUserMfaState"] == "enforced")
        let host = try #require(server.tenant("contoso.com"))
        let operations = await host.perform { h in
            h.session.audit.unified.filter { $0.recordType == .AzureActiveDirectory }.map(\.operation)
        }
        #expect(operations.contains("Disable Strong Authentication."))
        #expect(operations.contains("Enable Strong Authentication."))
    }

    @Test("An invalid perUserMfaState is 400 and leaves the state alone")
    func invalidState() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let path = "/beta/users/\(GraphFixture.britton)/authentication/requirements"
        let response = await server.send("PATCH", path, token: token, json: .object(["perUserMfaState": "sometimes"]))
        #expect(response.status == 400)
        #expect(try GraphFixture.error(response).message.contains("'sometimes'"))
        #expect(await server.send("GET", path, token: token).json?["perUserMfaState"] == "disabled")
    }

    @Test("Authentication methods list the password method and the registered phone and Authenticator methods; the report agrees")
    func methodsAndReport() async throws {
        let server = try await makeServer(["contoso"])
        let admin = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let methods = await server.send("GET", "/v1.0/users/priya.shah@contoso.com/authentication/methods", token: admin)
        #expect(methods.status == 200)
        let types = try #require(methods.json?["value"]?.arrayValue).compactMap { $0["@odata.type"]?.stringValue }
        #expect(types == ["#microsoft.graph.passwordAuthenticationMethod", "#microsoft.graph.phoneAuthenticationMethod",
                          "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod"])
        let report = await server.send("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq true", token: admin)
        #expect(report.status == 200)
        let rows = try #require(report.json?["value"]?.arrayValue)
        let priya = try #require(rows.first { $0["userPrincipalName"]?.stringValue == "priya.shah@contoso.com" })
        #expect(priya["methodsRegistered"] == .array(["microsoftAuthenticatorPush", "mobilePhone"]))
        #expect(priya["defaultMfaMethod"] == "microsoftAuthenticatorPush")
        #expect(priya["isAdmin"] == .bool(true))
        #expect(rows.allSatisfy { $0["isMfaRegistered"] == .bool(true) })
        #expect(!rows.contains { $0["userPrincipalName"]?.stringValue == GraphFixture.kevin })
    }
}

@Suite("Graph mail: inbox rules and messages")
struct GraphMailTests {
    static let rule: JSONValue = .object([
        "displayName": "Payables to personal",
        "sequence": 2,
        "isEnabled": true,
        "conditions": .object(["subjectContains": .array(["invoice"])]),
        "actions": .object(["forwardTo": .array([.object(["emailAddress": .object(["name": "Me", "address": "kev.personal@example.net"])])]),
                            "stopProcessingRules": true]),
    ])

    @Test("Creating a rule through /me is the user's REST mailbox action: 201, a New-InboxRule audit record, and Get-InboxRule shows it")
    func createRuleAudited() async throws {
        let server = try await makeServer(["contoso"])
        let token = try await GraphFixture.contosoToken(server, GraphFixture.kevin, GraphFixture.kevinPassword)
        let response = await server.send("POST", "/v1.0/me/mailFolders/inbox/messageRules", token: token, json: Self.rule, clientIP: "203.0.113.40")
        #expect(response.status == 201, "\(response.text)")
        let body = try #require(response.json)
        #expect(body["displayName"] == "Payables to personal")
        #expect(body["actions"]?["forwardTo"]?.arrayValue?.first?["emailAddress"]?["address"] == "kev.personal@example.net")
        #expect(body["conditions"]?["subjectContains"] == .array(["invoice"]))
        let id = try #require(body["id"]?.stringValue)

        let host = try #require(server.tenant("contoso.com"))
        let records = await host.perform { h in h.session.audit.unified.filter { $0.operation == "New-InboxRule" } }
        let record = try #require(records.last)
        #expect(record.userId.lowercased() == GraphFixture.kevin)
        #expect(record.clientIP?.hasPrefix("203.0.113.40") == true)

        let shell = await host.perform { h in h.run("Get-InboxRule -Mailbox \(GraphFixture.kevin) | ForEach-Object { $_.Name }", as: GraphFixture.breakglass) }
        #expect(shell.output.map(\.text).contains("Payables to personal"))

        let list = await server.send("GET", "/v1.0/me/mailFolders/inbox/messageRules", token: token, clientIP: "203.0.113.40")
        #expect(list.json?["value"]?.arrayValue?.contains { $0["id"]?.stringValue == id } == true)
        let delete = await server.send("DELETE", "/v1.0/me/mailFolders/inbox/messageRules/\(id)", token: token, clientIP: "203.0.113.40")
        #expect(delete.status == 204)
        let again = await server.send("GET", "/v1.0/me/mailFolders/inbox/messageRules/\(id)", token: token, clientIP: "203.0.113.40")
        #expect(again.status == 404)
        #expect(try GraphFixture.error(again).code == "ErrorItemNotFound")
    }

    @Test("A client access rule that denies REST from outside the offices refuses rule creation with 403 and creates nothing")
    func restDenied() async throws {
        let server = try await makeServer(["contoso"])
        let token = try await GraphFixture.contosoToken(server, GraphFixture.kevin, GraphFixture.kevinPassword)
        let host = try #require(server.tenant("contoso.com"))
        let before = await host.perform { $0.session.tenant.inboxRules }
        let response = await server.send("POST", "/v1.0/me/mailFolders/inbox/messageRules", token: token, json: Self.rule, clientIP: "192.0.2.77")
        #expect(response.status == 403)
        #expect(try GraphFixture.error(response).code == "ErrorAccessDenied")
        #expect(response.header("X-TenantSim-Decision")?.hasPrefix("Denied") == true)
        #expect(await host.perform { $0.session.tenant.inboxRules } == before)
    }

    @Test("Rules of the fixture read back in Graph's shape; an administrator role alone opens no one else's mailbox")
    func readRules() async throws {
        let server = try await makeServer(["contoso"])
        let app = try #require(await server.appToken(tenant: "contoso.com", clientId: "0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13",
                                                     secret: "contoso-scanner-secret").accessToken)
        _ = app
        let kevin = try await GraphFixture.contosoToken(server, GraphFixture.kevin, GraphFixture.kevinPassword)
        let list = await server.send("GET", "/v1.0/me/mailFolders/inbox/messageRules", token: kevin, clientIP: "203.0.113.40")
        let rule = try #require(list.json?["value"]?.arrayValue?.first)
        #expect(rule["displayName"] == ".")
        #expect(rule["conditions"]?["bodyOrSubjectContains"]?.arrayValue?.count == 5)
        #expect(rule["actions"]?["markAsRead"] == .bool(true))
        #expect(rule["actions"]?["stopProcessingRules"] == .bool(true))
        #expect(rule["actions"]?["moveToFolder"]?.stringValue?.isEmpty == false)

        let admin = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let other = await server.send("GET", "/v1.0/users/\(GraphFixture.kevin)/mailFolders/inbox/messageRules", token: admin, clientIP: "203.0.113.40")
        #expect(other.status == 403)
        #expect(try GraphFixture.error(other).code == "ErrorAccessDenied")
    }

    @Test("Messages list newest first, ten to a page, with a nextLink")
    func messages() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let response = await server.send("GET", "/v1.0/users/\(GraphFixture.britton)/messages?$select=subject,receivedDateTime,isRead&$top=2", token: token)
        #expect(response.status == 200)
        let values = try #require(response.json?["value"]?.arrayValue)
        #expect(values.count == 2)
        #expect(values.first?["subject"] == "Quarterly security review - agenda")
        #expect(values.first?.objectValue?.keys == ["subject", "receivedDateTime", "isRead"])
        #expect(response.json?["@odata.nextLink"] != nil)
        let unread = await server.send("GET", "/v1.0/users/\(GraphFixture.britton)/messages?$filter=isRead eq false", token: token)
        #expect(unread.json?["value"]?.arrayValue?.allSatisfy { $0["isRead"] == .bool(false) } == true)
    }
}

@Suite("Graph audit logs, policies, organization and batching")
struct GraphMiscTests {
    @Test("Sign-ins the token endpoint caused are listed newest first and filter by user, status and time")
    func signIns() async throws {
        let server = try await makeServer()
        _ = await server.passwordToken(GraphFixture.britton, "wrong-password")
        _ = await server.passwordToken(GraphFixture.britton, GraphFixture.brittonPassword)
        let token = try await GraphFixture.appToken(server)
        let all = await server.send("GET", "/v1.0/auditLogs/signIns?$filter=userPrincipalName eq '\(GraphFixture.britton)'", token: token)
        #expect(all.status == 200)
        let rows = try #require(all.json?["value"]?.arrayValue)
        #expect(rows.count == 2)
        #expect(rows.first?["status"]?["errorCode"] == .int(0))
        #expect(rows.last?["status"]?["errorCode"] == .int(50126))
        let failed = await server.send("GET", "/v1.0/auditLogs/signIns?$filter=status/errorCode eq 50126", token: token)
        #expect(failed.json?["value"]?.arrayValue?.count == 1)
        let later = await server.send("GET", "/v1.0/auditLogs/signIns?$filter=createdDateTime ge 2030-01-01T00:00:00Z", token: token)
        #expect(later.json?["value"]?.arrayValue?.isEmpty == true)
    }

    @Test("Organization and domains in Graph's shape")
    func organizationAndDomains() async throws {
        let server = try await makeServer(["contoso"])
        let admin = try await GraphFixture.contosoToken(server, GraphFixture.breakglass, GraphFixture.breakglassPassword)
        let org = await server.send("GET", "/v1.0/organization", token: admin)
        let o = try #require(org.json?["value"]?.arrayValue?.first)
        let host = try #require(server.tenant("contoso.com"))
        let tenantId = await host.tenantId.uuidString.lowercased()
        #expect(o["id"]?.stringValue == tenantId)
        #expect(o["tenantType"] == "AAD")
        #expect(o["verifiedDomains"]?.arrayValue?.count == 2)
        let domains = await server.send("GET", "/v1.0/domains", token: admin)
        let list = try #require(domains.json?["value"]?.arrayValue)
        #expect(list.first { $0["isDefault"] == .bool(true) }?["id"] == "contoso.com")
        #expect(list.first { $0["isInitial"] == .bool(true) }?["id"] == "contoso.onmicrosoft.com")
        #expect(list.allSatisfy { $0["authenticationType"] == "Managed" })
    }

    @Test("Security defaults read and switch; conditional access policies are validated, stored, listed and deleted")
    func policies() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let sd = "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"
        let before = await server.send("GET", sd, token: token)
        #expect(before.json?["id"] == "00000000-0000-0000-0000-000000000005")
        #expect(before.json?["isEnabled"] == .bool(false)) // brittest predates 22 Oct 2019
        #expect(await server.send("PATCH", sd, token: token, json: .object(["isEnabled": true])).status == 204)
        #expect(await server.send("GET", sd, token: token).json?["isEnabled"] == .bool(true))
        #expect(await server.send("PATCH", sd, token: token, json: .object(["displayName": "x"])).status == 400)

        let ca = "/v1.0/identity/conditionalAccess/policies"
        let policy: JSONValue = .object([
            "displayName": "Block legacy authentication", "state": "enabledForReportingButNotEnforced",
            "conditions": .object(["users": .object(["includeUsers": .array(["All"])]),
                                   "applications": .object(["includeApplications": .array(["All"])]),
                                   "clientAppTypes": .array(["exchangeActiveSync", "other"])]),
            "grantControls": .object(["operator": "OR", "builtInControls": .array(["block"])]),
        ])
        let created = await server.send("POST", ca, token: token, json: policy)
        #expect(created.status == 201)
        let id = try #require(created.json?["id"]?.stringValue)
        #expect(created.json?["createdDateTime"]?.stringValue != nil)
        var bad = try #require(policy.objectValue)
        bad["state"] = "on"
        let refused = await server.send("POST", ca, token: token, json: .object(bad))
        #expect(refused.status == 400)
        #expect(await server.send("GET", ca, token: token).json?["value"]?.arrayValue?.count == 1)
        #expect(await server.send("GET", "\(ca)/\(id)", token: token).json?["displayName"] == "Block legacy authentication")
        #expect(await server.send("DELETE", "\(ca)/\(id)", token: token).status == 204)
        #expect(await server.send("GET", "\(ca)/\(id)", token: token).status == 404)
    }

    @Test("$batch runs each request with the outer token and answers in request order; 21 requests are refused")
    func batch() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let two: JSONValue = .object(["requests": .array([
            .object(["id": "1", "method": "GET", "url": "/users?$top=1&$select=id"]),
            .object(["id": "2", "method": "GET", "url": "/users/nobody@brittest.onmicrosoft.com"]),
        ])])
        let response = await server.send("POST", "/v1.0/$batch", token: token, json: two)
        #expect(response.status == 200)
        let responses = try #require(response.json?["responses"]?.arrayValue)
        #expect(responses.map { $0["id"]?.stringValue } == ["1", "2"])
        #expect(responses.map { $0["status"]?.intValue } == [200, 404])
        #expect(responses[0]["body"]?["value"]?.arrayValue?.count == 1)
        #expect(responses[1]["body"]?["error"]?["code"] == "Request_ResourceNotFound")

        let nested: JSONValue = .object(["requests": .array([.object(["id": "n", "method": "POST", "url": "/%24batch",
                                                                       "headers": .object(["Content-Type": "application/json"]), "body": two])])])
        let inner = await server.send("POST", "/v1.0/$batch", token: token, json: nested)
        #expect(inner.json?["responses"]?.arrayValue?.first?["status"]?.intValue == 400)

        let many: JSONValue = .object(["requests": .array((1...21).map { .object(["id": .string(String($0)), "method": "GET", "url": "/users"]) })])
        let refused = await server.send("POST", "/v1.0/$batch", token: token, json: many)
        #expect(refused.status == 400)
        #expect(try GraphFixture.error(refused).message.contains("limit of 20"))
    }

    @Test("The admin API's $batch runs InvokeCommand steps relative to /adminapi/beta/{tenant}")
    func adminAPIBatch() async throws {
        let server = try await makeServer()
        let token = try #require(await server.passwordToken(GraphFixture.britton, GraphFixture.brittonPassword,
                                                           scope: "https://outlook.office365.com/.default").accessToken)
        let batch: JSONValue = .object(["requests": .array([
            .object(["id": "casmailbox", "method": "POST", "url": "/InvokeCommand", "headers": .object(["Content-Type": "application/json"]),
                     "body": .object(["CmdletInput": .object(["CmdletName": "Get-CASMailbox",
                                                              "Parameters": .object(["Identity": .string(GraphFixture.britton)])])])]),
            .object(["id": "nosuch", "method": "POST", "url": "/InvokeCommand", "headers": .object(["Content-Type": "application/json"]),
                     "body": .object(["CmdletInput": .object(["CmdletName": "Get-Frobnicator"])])]),
        ])])
        let response = await server.send("POST", "/adminapi/beta/brittest.onmicrosoft.com/$batch", token: token, json: batch)
        #expect(response.status == 200)
        let responses = try #require(response.json?["responses"]?.arrayValue)
        #expect(responses.map { $0["status"]?.intValue } == [200, 400])
        #expect(responses[0]["body"]?["value"]?.arrayValue?.count == 1)
    }

    @Test("A filter nested beyond the parser's bound is a 400, not a crash")
    func deepFilter() async throws {
        let server = try await makeServer()
        let token = try await GraphFixture.appToken(server)
        let filter = String(repeating: "(", count: 5000) + "displayName eq 'x'" + String(repeating: ")", count: 5000)
        let response = await server.send("GET", "/v1.0/users?$filter=" + SimRequest.encode(filter), token: token)
        #expect(response.status == 400)
        #expect(try GraphFixture.error(response).code == "BadRequest")
    }

    @Test("/openapi.json describes the Graph routes with their query options and error schema")
    func openAPI() async throws {
        let server = try await makeServer()
        let doc = try #require(await server.send("GET", "/openapi.json").json)
        let paths = try #require(doc["paths"]?.objectValue)
        for path in ["/v1.0/users", "/v1.0/users/{id}", "/beta/users/{id}/authentication/requirements", "/v1.0/$batch",
                     "/v1.0/me/mailFolders/inbox/messageRules", "/adminapi/beta/{tenant}/$batch", "/v1.0/auditLogs/signIns"] {
            #expect(paths[path] != nil, "\(path)")
        }
    }
}
