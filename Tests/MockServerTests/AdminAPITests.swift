import AuditLog
import Foundation
import Testing
import TenantModel
@testable import MockServer

@Suite("Exchange admin API (InvokeCommand)")
struct AdminAPITests {
    static let britton = "britton@brittest.onmicrosoft.com"
    static let exchange = "https://outlook.office365.com/.default"

    static func invoke(_ server: SimServer, _ token: String?, _ cmdlet: String, _ parameters: JSONObject = [:],
                       tenant: String = "brittest.onmicrosoft.com", query: String = "", headers: [String: String] = [:],
                       clientIP: String = "127.0.0.1") async -> SimResponse {
        await server.send("POST", "/adminapi/beta/\(tenant)/InvokeCommand\(query)", token: token,
                          json: .object(["CmdletInput": .object(["CmdletName": .string(cmdlet), "Parameters": .object(parameters)])]),
                          headers: headers, clientIP: clientIP)
    }

    static func adminToken(_ server: SimServer) async throws -> String {
        try #require(await server.passwordToken(britton, "Brit-Test-2019!", scope: exchange).accessToken)
    }

    @Test("Get-CASMailbox pages with Prefer: odata.maxpagesize; re-POSTing to @odata.nextLink walks every mailbox once")
    func paging() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let expected = await host.perform { $0.session.tenant.mailboxes.map(\.primarySmtpAddress.description) }
        var seen: [String] = []
        var query = "?$select=PrimarySmtpAddress,ImapEnabled"
        var pages = 0
        while true {
            let response = await Self.invoke(server, token, "Get-CASMailbox", ["ResultSize": "Unlimited"], query: query,
                                             headers: ["Prefer": "odata.maxpagesize=5", "X-ResponseFormat": "json", "X-CmdletName": "Get-CASMailbox"])
            #expect(response.status == 200)
            let body = try #require(response.json)
            #expect(body["@odata.context"]?.stringValue?.hasSuffix("/$metadata#Collection(Exchange.GenericHashTable)") == true)
            let values = try #require(body["value"]?.arrayValue)
            #expect(values.count <= 5)
            for v in values {
                #expect(v.objectValue?.keys == ["PrimarySmtpAddress", "ImapEnabled"])
                seen.append(v["PrimarySmtpAddress"]?.stringValue ?? "")
            }
            pages += 1
            guard let next = body["@odata.nextLink"]?.stringValue else { break }
            query = String(next[try #require(next.firstIndex(of: "?"))...])
        }
        #expect(seen.sorted() == expected.sorted())
        #expect(pages == (expected.count + 4) / 5)
    }

    @Test("Set-CASMailbox from JSON: booleans, arrays and @{Add} objects bind as in the shell, and the change is admin-audited")
    func setBindsJSON() async throws {
        let server = try await makeServer(["contoso"])
        let host = try #require(server.tenant("contoso.onmicrosoft.com"))
        let (admin, password, target) = try await host.perform { h throws -> (String, String, String) in
            let t = h.session.tenant
            let admin = try #require(t.users.first { $0.adminRoles.contains(DirectoryRole.globalAdministrator) && $0.strongAuthenticationState == .Disabled && !$0.blockCredential })
            return (admin.userPrincipalName, admin.password, try #require(t.mailboxes.first).primarySmtpAddress.description)
        }
        let token = try #require(await server.passwordToken(admin, password, tenant: "contoso.onmicrosoft.com", scope: Self.exchange).accessToken)
        let before = await host.perform { $0.session.audit.unified.count }
        let response = await Self.invoke(server, token, "Set-CASMailbox",
                                         ["Identity": .string(target), "ImapEnabled": false, "EwsBlockList": .object(["Add": .array(["BadApp/1.0", "Other/2"])])],
                                         tenant: "contoso.onmicrosoft.com", clientIP: "198.51.100.77")
        #expect(response.status == 200)
        #expect(response.json?["value"] == .array([]))
        let (cas, records) = await host.perform { h in
            (h.session.tenant.mailboxes.first { $0.primarySmtpAddress.description == target }?.cas,
             Array(h.session.audit.unified.dropFirst(before)))
        }
        #expect(cas?.imapEnabled == false)
        #expect(cas?.ewsBlockList == ["BadApp/1.0", "Other/2"])
        let record = try #require(records.first { $0.operation == "Set-CASMailbox" })
        #expect(record.userId == admin)
        #expect(record.auditData["ClientIP"]?.stringValue?.hasPrefix("198.51.100.77") == true)
    }

    @Test("Unknown cmdlets and parameters answer the real PowerShell messages in the nested error shape, changing nothing")
    func cmdletErrors() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let unknown = await Self.invoke(server, token, "Get-Mailboxx")
        #expect(unknown.status == 400)
        let error = try #require(unknown.json?["error"])
        #expect(error["message"]?.stringValue?.hasPrefix("The term 'Get-Mailboxx' is not recognized as the name of a cmdlet") == true)
        #expect(error["details"]?.arrayValue?.first?["message"] == error["message"])
        #expect(error["innererror"]?["internalException"]?["message"] == error["message"])

        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let before = await host.perform { $0.session.tenant }
        let parameter = await Self.invoke(server, token, "Set-CASMailbox", ["Identity": "adele", "ImapEnabled": false, "Colour": "blue"])
        #expect(parameter.status == 400)
        #expect(parameter.json?["error"]?["message"]?.stringValue == "A parameter cannot be found that matches parameter name 'Colour'.")
        let value = await Self.invoke(server, token, "Set-CASMailbox", ["Identity": "adele", "ImapEnabled": "maybe"])
        #expect(value.status == 400)
        #expect(value.json?["error"]?["message"]?.stringValue?.contains("ImapEnabled") == true)
        let missing = await Self.invoke(server, token, "Get-Mailbox", ["Identity": "nobody@brittest.onmicrosoft.com"])
        #expect(missing.status == 404)
        #expect(missing.json?["error"]?["code"]?.stringValue == "ManagementObjectNotFoundException")
        #expect(await host.perform { $0.session.tenant } == before)
    }

    @Test("Malformed bodies are 400s in the admin API's shape")
    func malformedBodies() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let garbage = await server.handle(SimRequest("POST", "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand",
                                                     headers: ["Authorization": "Bearer \(token)"], body: Data("{\"CmdletInput\": {".utf8)))
        #expect(garbage.status == 400)
        #expect(garbage.json?["error"]?["message"]?.stringValue?.hasPrefix("The body is not valid JSON") == true)
        // Foundation would accept a trailing comma; the service's OData reader does not, and nothing runs.
        let comma = await server.handle(SimRequest("POST", "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand",
                                                   headers: ["Authorization": "Bearer \(token)"],
                                                   body: Data(#"{"CmdletInput":{"CmdletName":"Set-CASMailbox","Parameters":{"Identity":"adele","PopEnabled":false,}}}"#.utf8)))
        #expect(comma.status == 400)
        #expect(comma.json?["error"]?["message"]?.stringValue?.hasPrefix("Invalid JSON. An unexpected comma was found in scope 'Object' (line 1, column 98).") == true)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        #expect(await host.perform { h in h.session.tenant.mailboxes.first { $0.primarySmtpAddress.description.hasPrefix("adele@") }?.cas.popEnabled } == true)
        let noInput = await server.send("POST", "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand", token: token, json: .object(["Cmdlet": "Get-Mailbox"]))
        #expect(noInput.status == 400)
        #expect(noInput.json?["error"]?["message"]?.stringValue?.contains("CmdletInput") == true)
    }

    @Test("A client access rule denying RemotePowerShell refuses InvokeCommand from outside the allowed range")
    func clientAccessRules() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        _ = await host.perform { h in
            h.run("New-ClientAccessRule -Name BlockRPS -Action DenyAccess -AnyOfProtocols RemotePowerShell -ExceptAnyOfClientIPAddressesOrRanges 192.0.2.0/24", as: Self.britton)
        }
        let outside = await Self.invoke(server, token, "Get-Mailbox", clientIP: "203.0.113.9")
        #expect(outside.status == 403)
        #expect(outside.json?["error"]?["message"]?.stringValue?.contains("BlockRPS") == true)
        #expect(outside.header("X-TenantSim-Decision")?.hasPrefix("Denied") == true)
        let inside = await Self.invoke(server, token, "Get-Mailbox", clientIP: "192.0.2.10")
        #expect(inside.status == 200)
    }

    @Test("The resource paths list mailboxes, CAS mailboxes and devices")
    func resourcePaths() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let (mailboxes, devices) = await host.perform { ($0.session.tenant.mailboxes.count, $0.session.tenant.mobileDevices.count) }
        let m = await server.send("GET", "/adminapi/beta/brittest.onmicrosoft.com/Mailbox", token: token)
        #expect(m.json?["value"]?.arrayValue?.count == mailboxes)
        let d = await server.send("GET", "/adminapi/v1.0/brittest.onmicrosoft.com/MobileDevice?$top=5", token: token)
        #expect(d.json?["value"]?.arrayValue?.count == min(5, devices))
        #expect((d.json?["@odata.nextLink"] != nil) == (devices > 5))
    }

    @Test("In a dehydrated tenant a customization cmdlet answers the Enable-OrganizationCustomization error")
    func dehydrated() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let response = await Self.invoke(server, token, "New-OwaMailboxPolicy", ["Name": "Restricted"])
        #expect(response.status == 400)
        #expect(response.json?["error"]?["message"]?.stringValue?.contains("Enable-OrganizationCustomization") == true)
    }

    @Test("A repeated Get- answer comes from the cache only while nothing changed: a Set-, a Graph write or a sign-in shows at once")
    func readCacheInvalidation() async throws {
        let server = try await makeServer()
        let token = try await Self.adminToken(server)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        func imap() async -> JSONValue? {
            await Self.invoke(server, token, "Get-CASMailbox", ["Identity": "adele"]).json?["value"]?.arrayValue?.first?["ImapEnabled"]
        }
        #expect(await imap() == .bool(true))
        let revision = await host.perform { $0.revision }
        #expect(await imap() == .bool(true))
        // Reads leave the tenant's revision alone.
        #expect(await host.perform { $0.revision } == revision)
        #expect(await Self.invoke(server, token, "Set-CASMailbox", ["Identity": "adele", "ImapEnabled": false]).status == 200)
        #expect(await imap() == .bool(false))
        // A change made another way (the shell, as the control plane's actions do) shows too.
        _ = await host.perform { $0.run("Set-CASMailbox adele -ImapEnabled $true", as: Self.britton) }
        #expect(await imap() == .bool(true))
        // The access check is never cached: the same read, cached from an allowed address, is
        // still denied from an address the client access rule refuses.
        _ = await host.perform { $0.run("New-ClientAccessRule -Name BlockRPS -Action DenyAccess -AnyOfProtocols RemotePowerShell -ExceptAnyOfClientIPAddressesOrRanges 192.0.2.0/24", as: Self.britton) }
        #expect(await Self.invoke(server, token, "Get-CASMailbox", ["Identity": "adele"], clientIP: "192.0.2.10").status == 200)
        #expect(await Self.invoke(server, token, "Get-CASMailbox", ["Identity": "adele"], clientIP: "192.0.2.10").status == 200)
        #expect(await Self.invoke(server, token, "Get-CASMailbox", ["Identity": "adele"], clientIP: "203.0.113.9").status == 403)
    }
}
