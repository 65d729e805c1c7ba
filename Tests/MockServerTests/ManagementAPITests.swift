import AuditLog
import Foundation
import Testing
import TenantModel
import TenantStore
@testable import MockServer

@Suite("Office 365 Management Activity API")
struct ManagementAPITests {
    static let contoso = "contoso.onmicrosoft.com"
    static let scanner = (id: "0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13", secret: "contoso-scanner-secret")
    static let manage = "https://manage.office.com/.default"

    /// A server serving contoso (unified audit log on), with the feed's page and blob sizes.
    static func server(pageSize: Int = 100, blobRecords: Int = 1_000, fixtures: [String] = ["contoso"]) async throws -> SimServer {
        var options = ServerOptions()
        options.signingSecret = "test-secret"
        options.activityFeedPageSize = pageSize
        options.activityFeedBlobRecords = blobRecords
        let server = SimServer(options: options)
        for name in fixtures { try await server.add(TenantHost(tenant: try TenantSource.loadFixture(name), source: name)) }
        return server
    }

    static func feedToken(_ server: SimServer) async throws -> String {
        try #require(await server.appToken(tenant: contoso, clientId: scanner.id, secret: scanner.secret, scope: manage).accessToken)
    }

    static func tenantId(_ server: SimServer, _ key: String = contoso) async throws -> String {
        try await #require(server.tenant(key)).tenantId.uuidString.lowercased()
    }

    static func feed(_ server: SimServer, _ token: String, _ method: String, _ operation: String, tenant: String? = nil,
                     json: JSONValue? = nil) async throws -> SimResponse {
        let id: String
        if let tenant { id = tenant } else { id = try await tenantId(server) }
        return await server.send(method, "/api/v1.0/\(id)/activity/feed/\(operation)", token: token, json: json)
    }

    static func errorCode(_ r: SimResponse) -> String? { r.json?["error"]?["code"]?.stringValue }

    /// A password spray: wrong passwords for each user through the token endpoint.
    static func spray(_ server: SimServer, users: [String]) async {
        for (i, user) in users.enumerated() {
            _ = await server.passwordToken(user, "Spring2026!\(i)", tenant: contoso, clientIP: "203.0.113.66")
        }
    }

    /// Every audit record in every blob of a content type that the listing shows.
    static func records(_ server: SimServer, _ token: String, _ type: String) async throws -> [JSONValue] {
        let list = try await feed(server, token, "GET", "subscriptions/content?contentType=\(type)")
        #expect(list.status == 200)
        var out: [JSONValue] = []
        for item in try #require(list.json?.arrayValue) {
            let uri = try #require(item["contentUri"]?.stringValue)
            let path = String(uri.dropFirst("http://127.0.0.1:8365".count))
            let blob = await server.send("GET", path, token: token)
            #expect(blob.status == 200)
            out += try #require(blob.json?.arrayValue)
        }
        return out
    }

    @Test("start, list, stop and restart a subscription: the documented bodies and statuses")
    func lifecycle() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let started = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.Exchange")
        #expect(started.status == 200)
        #expect(started.json == .object(["contentType": "Audit.Exchange", "status": "enabled", "webhook": .null]))

        let listed = try await Self.feed(server, token, "GET", "subscriptions/list")
        #expect(listed.json == .array([.object(["contentType": "Audit.Exchange", "status": "enabled", "webhook": .null])]))

        let stopped = try await Self.feed(server, token, "POST", "subscriptions/stop?contentType=Audit.Exchange")
        #expect(stopped.status == 200)
        #expect(stopped.body.isEmpty)
        let afterStop = try await Self.feed(server, token, "GET", "subscriptions/list")
        #expect(afterStop.json?.arrayValue?.first?["status"] == "disabled")

        let content = try await Self.feed(server, token, "GET", "subscriptions/content?contentType=Audit.Exchange")
        #expect(content.status == 400)
        #expect(Self.errorCode(content) == "AF20023")

        let restarted = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.Exchange")
        #expect(restarted.json?["status"] == "enabled")
    }

    @Test("a webhook is stored and echoed with its status; a non-HTTPS address is AF20021 and creates nothing")
    func webhook() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let hook: JSONValue = .object(["webhook": .object(["address": "https://webhook.example.com/o365/", "authId": "o365notify", "expiration": ""])])
        let started = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory", json: hook)
        #expect(started.json?["webhook"] == .object(["status": "enabled", "address": "https://webhook.example.com/o365/", "authId": "o365notify", "expiration": .null]))

        let plain: JSONValue = .object(["webhook": .object(["address": "http://webhook.example.com/"])])
        let refused = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.General", json: plain)
        #expect(refused.status == 400)
        #expect(Self.errorCode(refused) == "AF20021")
        let listed = try await Self.feed(server, token, "GET", "subscriptions/list")
        #expect(listed.json?.arrayValue?.count == 1)
    }

    @Test("contentType missing is AF20001, unknown is AF20020; listing without a subscription is AF20022")
    func contentTypeErrors() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let missing = try await Self.feed(server, token, "POST", "subscriptions/start")
        #expect(missing.status == 400)
        #expect(Self.errorCode(missing) == "AF20001")
        #expect(missing.json?["error"]?["message"] == "Missing parameter: contentType.")
        let unknown = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.Teams")
        #expect(Self.errorCode(unknown) == "AF20020")
        let none = try await Self.feed(server, token, "GET", "subscriptions/content?contentType=Audit.SharePoint")
        #expect(Self.errorCode(none) == "AF20022")
        #expect(try await Self.feed(server, token, "GET", "subscriptions/list").json == .array([]))
    }

    @Test("the URL names the tenant by GUID: a domain is AF20013 even for the token's own tenant")
    func tenantMustBeGuid() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let byDomain = try await Self.feed(server, token, "GET", "subscriptions/list", tenant: Self.contoso)
        #expect(byDomain.status == 400)
        #expect(Self.errorCode(byDomain) == "AF20013")
        #expect(byDomain.json?["error"]?["message"] == "The tenant ID passed in the URL (contoso.onmicrosoft.com) is not a valid GUID.")
    }

    @Test("the listing window: both or neither (AF20030), at most 24 h and no more than 7 days back (AF20055), the three formats, bad dates AF20002")
    func windowRules() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory")
        // contoso's clock: 2026-02-16T14:30:00Z
        let base = "subscriptions/content?contentType=Audit.AzureActiveDirectory"
        let cases: [(String, Int, String?)] = [
            ("&startTime=2026-02-16", 400, "AF20030"),
            ("&endTime=2026-02-16", 400, "AF20030"),
            ("&startTime=2026-02-15T00:00&endTime=2026-02-16T00:01", 400, "AF20055"),
            ("&startTime=2026-02-08&endTime=2026-02-09", 400, "AF20055"),
            ("&startTime=2026-02-16T10:00:00&endTime=2026-02-16T09:00:00", 400, "AF20055"),
            ("&startTime=yesterday&endTime=2026-02-16", 400, "AF20002"),
            ("&startTime=2026-02-15&endTime=2026-02-16", 200, nil),
            ("&startTime=2026-02-15T14:30&endTime=2026-02-16T14:30", 200, nil),
            ("&startTime=2026-02-16T00:00:00&endTime=2026-02-16T14:30:01", 200, nil),
            ("&nextPage=garbage", 400, "AF20031"),
        ]
        for (query, status, code) in cases {
            let r = try await Self.feed(server, token, "GET", base + query)
            #expect(r.status == status, "\(query)")
            #expect(Self.errorCode(r) == code, "\(query)")
        }
        let message = try await Self.feed(server, token, "GET", base + "&startTime=2026-02-16")
        #expect(message.json?["error"]?["message"]?.stringValue?.hasPrefix("Start time and end time must both be specified (or both omitted)") == true)
    }

    @Test("a password spray's UserLoginFailed records arrive in an Audit.AzureActiveDirectory blob, and only there")
    func sprayInAzureADBlob() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        for type in ["Audit.AzureActiveDirectory", "Audit.Exchange"] {
            _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=\(type)")
        }
        let users = ["jordan.lee@contoso.com", "priya.shah@contoso.com", "marcus.webb@contoso.com"]
        await Self.spray(server, users: users)

        let list = try await Self.feed(server, token, "GET", "subscriptions/content?contentType=Audit.AzureActiveDirectory")
        let item = try #require(list.json?.arrayValue?.first)
        let id = try await Self.tenantId(server)
        let contentId = try #require(item["contentId"]?.stringValue)
        #expect(item["contentType"] == "Audit.AzureActiveDirectory")
        #expect(contentId.hasSuffix("$audit_azureactivedirectory$Audit_AzureActiveDirectory$na0017"))
        #expect(item["contentUri"]?.stringValue == "http://127.0.0.1:8365/api/v1.0/\(id)/activity/feed/audit/\(contentId)")
        let created = try #require(item["contentCreated"]?.stringValue.flatMap(WireDate.parse))
        let expires = try #require(item["contentExpiration"]?.stringValue.flatMap(WireDate.parse))
        #expect(expires.timeIntervalSince(created) == 7 * 86_400)

        let records = try await Self.records(server, token, "Audit.AzureActiveDirectory")
        let failed = records.filter { $0["Operation"] == "UserLoginFailed" }
        #expect(Set(failed.compactMap { $0["UserId"]?.stringValue }) == Set(users))
        #expect(failed.allSatisfy { $0["OrganizationId"]?.stringValue == id && $0["RecordType"] == 15 && $0["ClientIP"] == "203.0.113.66" })
        #expect(try await Self.records(server, token, "Audit.Exchange").filter { $0["Operation"] == "UserLoginFailed" }.isEmpty)
    }

    @Test("Set-Mailbox through InvokeCommand shows up in Audit.Exchange as an ExchangeAdmin record")
    func invokeCommandInExchangeBlob() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.Exchange")
        let exo = try #require(await server.passwordToken("breakglass@contoso.onmicrosoft.com", "Tq7#vR2!mZ9$kL4@wX8&pN6^", tenant: Self.contoso,
                                                          scope: "https://outlook.office365.com/.default").accessToken)
        let id = try await Self.tenantId(server)
        // From Seattle HQ: contoso's client access rules keep RemotePowerShell to the offices.
        let set = await server.send("POST", "/adminapi/beta/\(id)/InvokeCommand", token: exo,
                                    json: .object(["CmdletInput": .object(["CmdletName": "Set-Mailbox",
                                                                           "Parameters": .object(["Identity": "jordan.lee@contoso.com", "AuditEnabled": false])])]),
                                    clientIP: "198.51.100.77")
        #expect(set.status == 200)
        let records = try await Self.records(server, token, "Audit.Exchange")
        let record = try #require(records.first { $0["Operation"] == "Set-Mailbox" })
        #expect(record["RecordType"] == 1)
        #expect(record["UserId"] == "breakglass@contoso.onmicrosoft.com")
        #expect(record["Workload"] == "Exchange")
    }

    @Test("more blobs than a page: NextPageUri carries the window and nextPage; following it walks every blob once")
    func paging() async throws {
        let server = try await Self.server(pageSize: 2, blobRecords: 1)
        let token = try await Self.feedToken(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory")
        await Self.spray(server, users: ["jordan.lee@contoso.com", "priya.shah@contoso.com", "marcus.webb@contoso.com",
                                         "breakglass@contoso.onmicrosoft.com", "jordan.lee@contoso.com"])
        var target = "/api/v1.0/\(try await Self.tenantId(server))/activity/feed/subscriptions/content?contentType=Audit.AzureActiveDirectory"
        var ids: [String] = []
        var pages = 0
        while true {
            let r = await server.send("GET", target, token: token)
            #expect(r.status == 200)
            let items = try #require(r.json?.arrayValue)
            #expect(items.count <= 2)
            ids += items.compactMap { $0["contentId"]?.stringValue }
            pages += 1
            guard let next = r.header("NextPageUri") else { break }
            #expect(next.contains("startTime=2026-02-15T14:30:01&endTime=2026-02-16T14:30:01"))
            #expect(next.contains("&nextPage="))
            target = String(next.dropFirst("http://127.0.0.1:8365".count))
            if pages > 10 { break }
        }
        #expect(ids.count == 5)
        #expect(Set(ids).count == 5)
        #expect(pages == 3)
    }

    @Test("startTime is inclusive and endTime exclusive on contentCreated")
    func windowBounds() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory")
        await Self.spray(server, users: ["jordan.lee@contoso.com"])
        let base = "subscriptions/content?contentType=Audit.AzureActiveDirectory"
        let created = try #require(try await Self.feed(server, token, "GET", base).json?.arrayValue?.first?["contentCreated"]?.stringValue)
        let second = String(created.prefix(19))  // 2026-02-16T14:30:00
        let endingThere = try await Self.feed(server, token, "GET", base + "&startTime=2026-02-16T00:00:00&endTime=\(second)")
        #expect(endingThere.json == .array([]))
        let startingThere = try await Self.feed(server, token, "GET", base + "&startTime=\(second)&endTime=2026-02-16T23:00:00")
        #expect(startingThere.json?.arrayValue?.count == 1)
    }

    @Test("without a window the listing is the last 24 hours; an explicit window still reaches older content")
    func defaultWindow() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let id = try await Self.tenantId(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory")
        await Self.spray(server, users: ["jordan.lee@contoso.com"])
        _ = await server.send("POST", "/sim/v1/tenants/\(id)/clock", json: .object(["advance": "PT25H"]))
        let fresh = try await Self.feedToken(server)
        let base = "subscriptions/content?contentType=Audit.AzureActiveDirectory"
        #expect(try await Self.feed(server, fresh, "GET", base).json == .array([]))
        let older = try await Self.feed(server, fresh, "GET", base + "&startTime=2026-02-16T00:00&endTime=2026-02-17T00:00")
        #expect(older.json?.arrayValue?.count == 1)
        #expect(try await Self.feed(server, fresh, "GET", "subscriptions/notifications?contentType=Audit.AzureActiveDirectory").json == .array([]))
    }

    @Test("content made available while a subscription was stopped is not listed after the restart")
    func stoppedGapIsLost() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let id = try await Self.tenantId(server)
        let type = "Audit.AzureActiveDirectory"
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=\(type)")
        _ = try await Self.feed(server, token, "POST", "subscriptions/stop?contentType=\(type)")
        await Self.spray(server, users: ["priya.shah@contoso.com"])
        _ = await server.send("POST", "/sim/v1/tenants/\(id)/clock", json: .object(["advance": "PT10M"]))
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=\(type)")
        await Self.spray(server, users: ["marcus.webb@contoso.com"])
        let users = try await Self.records(server, token, type).filter { $0["Operation"] == "UserLoginFailed" }.compactMap { $0["UserId"]?.stringValue }
        #expect(users == ["marcus.webb@contoso.com"])
    }

    @Test("content ids: malformed AF20052, unknown AF20050, older than 7 days AF20051")
    func blobErrors() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory")
        await Self.spray(server, users: ["jordan.lee@contoso.com"])
        let malformed = try await Self.feed(server, token, "GET", "audit/not-a-content-id")
        #expect(malformed.status == 400)
        #expect(Self.errorCode(malformed) == "AF20052")
        let unknown = try await Self.feed(server, token, "GET", "audit/20260216143000000999999$20260216143000000999999$audit_exchange$Audit_Exchange$na0017")
        #expect(unknown.status == 404)
        #expect(Self.errorCode(unknown) == "AF20050")

        let item = try #require(try await Self.feed(server, token, "GET", "subscriptions/content?contentType=Audit.AzureActiveDirectory").json?.arrayValue?.first)
        let contentId = try #require(item["contentId"]?.stringValue)
        #expect(try await Self.feed(server, token, "GET", "audit/\(contentId)").status == 200)
        let id = try await Self.tenantId(server)
        #expect(await server.send("POST", "/sim/v1/tenants/\(id)/clock", json: .object(["advance": "P8D"])).status == 200)
        let expired = try await Self.feed(server, try await Self.feedToken(server), "GET", "audit/\(contentId)")
        #expect(Self.errorCode(expired) == "AF20051")
    }

    @Test("with unified audit log ingestion off, starting is refused as the service does and a spray publishes nothing")
    func ingestionOff() async throws {
        let server = try await Self.server()
        let token = try await Self.feedToken(server)
        let id = try await Self.tenantId(server)
        _ = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.AzureActiveDirectory")
        let off = await server.send("POST", "/sim/v1/tenants/\(id)/actions",
                                    json: .object(["script": "Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $false"]))
        #expect(off.json?["errors"] == .array([]))
        await Self.spray(server, users: ["jordan.lee@contoso.com", "priya.shah@contoso.com"])
        let records = try await Self.records(server, token, "Audit.AzureActiveDirectory")
        #expect(records.filter { $0["Operation"] == "UserLoginFailed" }.isEmpty)

        let refused = try await Self.feed(server, token, "POST", "subscriptions/start?contentType=Audit.Exchange")
        #expect(refused.status == 400)
        #expect(refused.json?["error"]?["message"]?.stringValue == "Microsoft.Office.Compliance.Audit.DataServiceException: Tenant \(id) does not exist.")
        #expect(try await Self.feed(server, token, "GET", "subscriptions/list").json?.arrayValue?.count == 1)
    }

    @Test("a token without ActivityFeed.Read is AF10001; a token for another tenant is AF20010")
    func permissions() async throws {
        let server = try await Self.server(fixtures: ["contoso", "brittest"])
        let brittestToken = try #require(await server.appToken(tenant: "brittest.onmicrosoft.com", scope: Self.manage).accessToken)
        let contosoId = try await Self.tenantId(server)
        let foreign = await server.send("GET", "/api/v1.0/\(contosoId)/activity/feed/subscriptions/list", token: brittestToken)
        #expect(Self.errorCode(foreign) == "AF20010")
        let graphToken = try #require(await server.appToken(tenant: Self.contoso, clientId: Self.scanner.id, secret: Self.scanner.secret).accessToken)
        let wrongAudience = await server.send("GET", "/api/v1.0/\(contosoId)/activity/feed/subscriptions/list", token: graphToken)
        #expect(wrongAudience.status == 401)
        #expect(Self.errorCode(wrongAudience) == "AF10001")
    }
}
