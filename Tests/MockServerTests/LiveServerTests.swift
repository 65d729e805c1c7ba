import AuditLog
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
import TenantStore
@testable import MockServer

/// The Hummingbird transport, over a real socket on a port the system picks.
@Suite("Live HTTP server")
struct LiveServerTests {
    /// Starts `server` on 127.0.0.1:0; returns the port and the task to cancel.
    static func start(_ server: SimServer) async throws -> (Int, Task<Void, any Error>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await HTTPServer.run(server) { port in continuation.yield(port) } }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return (port, task)
    }

    static func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, HTTPURLResponse, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http, data)
    }

    @Test("A token and an InvokeCommand over HTTP; the peer's address reaches the access pipeline")
    func roundTrip() async throws {
        var options = ServerOptions()
        options.port = 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = SimServer(options: options, logger: logger)
        try await server.add(TenantHost(tenant: try TenantSource.loadFixture("brittest"), source: "brittest"))
        let (port, task) = try await Self.start(server)
        defer { task.cancel() }
        let base = "http://127.0.0.1:\(port)"

        let (healthStatus, _, health) = try await Self.request("GET", "\(base)/health")
        #expect(healthStatus == 200)
        #expect(String(decoding: health, as: UTF8.self).contains("brittest.onmicrosoft.com"))

        let form = "grant_type=password&client_id=fb78d390-0c51-40cd-8e17-fdbfab77341b&username=britton%40brittest.onmicrosoft.com&password=Brit-Test-2019%21&scope=https%3A%2F%2Foutlook.office365.com%2F.default"
        let (status, _, tokenBody) = try await Self.request("POST", "\(base)/brittest.onmicrosoft.com/oauth2/v2.0/token", body: Data(form.utf8),
                                                           headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(status == 200)
        let token = try #require(try JSONValue.parse(String(decoding: tokenBody, as: UTF8.self))["access_token"]?.stringValue)

        let invoke = Data(#"{"CmdletInput":{"CmdletName":"Get-CASMailbox","Parameters":{"Identity":"britton"}}}"#.utf8)
        let (s2, headers, body) = try await Self.request("POST", "\(base)/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand", body: invoke,
                                                        headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json",
                                                                  "X-ResponseFormat": "json", "X-AnchorMailbox": "UPN:britton@brittest.onmicrosoft.com"])
        #expect(s2 == 200)
        #expect(headers.value(forHTTPHeaderField: "request-id")?.isEmpty == false)
        let value = try #require(try JSONValue.parse(String(decoding: body, as: UTF8.self))["value"]?.arrayValue)
        #expect(value.first?["PrimarySmtpAddress"]?.stringValue == "britton@brittest.onmicrosoft.com")

        // The sign-in log saw the loopback peer's address.
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let ip = await host.perform { $0.session.audit.signIns.last?.ipAddress }
        #expect(ip == "127.0.0.1")
        #expect(server.journal.entries.map(\.status) == [200, 200, 200])
    }

    @Test("--db: a change is on disk by the time it is acknowledged, and comes back when the server starts again")
    func persistence() async throws {
        let path = NSTemporaryDirectory() + "tenantsim-serve-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            var options = ServerOptions()
            options.auth = .lax
            let server = SimServer(options: options)
            let (tenant, database) = try TenantSource.open(tenant: "brittest", db: path)
            try await server.add(TenantHost(tenant: tenant, source: "brittest", database: database))
            let r = await server.send("POST", "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand",
                                      json: .object(["CmdletInput": .object(["CmdletName": "Set-CASMailbox",
                                                                              "Parameters": .object(["Identity": "adele", "PopEnabled": false])])]))
            #expect(r.status == 200)
            // No shutdown, no explicit save: an acknowledged change is already in the file.
        }
        let (reloaded, _) = try TenantSource.open(tenant: nil, db: path)
        #expect(reloaded.mailboxes.first { $0.primarySmtpAddress.description.hasPrefix("adele@") }?.cas.popEnabled == false)
    }
}
