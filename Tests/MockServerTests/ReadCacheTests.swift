import AuditLog
import Foundation
import Testing
@testable import MockServer

@Suite("Read cache")
struct ReadCacheTests {
    @Test("A cached users page never outlives a change: a PATCH, a sign-in or the clock shows in the next read")
    func usersPageFollowsChanges() async throws {
        let server = try await makeServer()
        let token = try #require(await server.appToken().accessToken)
        func names() async -> [String] {
            await server.send("GET", "/v1.0/users?$top=3&$select=displayName", token: token).json?["value"]?.arrayValue?
                .compactMap { $0["displayName"]?.stringValue } ?? []
        }
        let first = await names()
        #expect(first.count == 3)
        #expect(await names() == first)
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let revision = await host.perform { $0.revision }
        #expect(await names() == first)
        #expect(await host.perform { $0.revision } == revision)

        let patch = await server.send("PATCH", "/v1.0/users/britton@brittest.onmicrosoft.com", token: token,
                                      json: .object(["displayName": "Britton M."]))
        #expect(patch.status == 204)
        #expect(await names().first == "Britton M.")
        // A change that bypasses the HTTP routes (the shell) retires the cache too.
        _ = await host.perform { $0.run("Set-MsolUser -UserPrincipalName britton@brittest.onmicrosoft.com -DisplayName 'Britton Manahan'", as: "britton@brittest.onmicrosoft.com") }
        #expect(await names().first == "Britton Manahan")
    }
}
