import AuditLog
import Foundation
import Testing
import TenantModel
@testable import MockServer

@Suite("Concurrent clients")
struct ConcurrencyTests {
    @Test("32 concurrent clients adding to one mailbox's list lose no update")
    func noLostUpdates() async throws {
        let server = try await makeServer(auth: .lax)
        let clients = 32, each = 8
        await withTaskGroup(of: Int.self) { group in
            for c in 0..<clients {
                group.addTask {
                    var ok = 0
                    for i in 0..<each {
                        let r = await server.send("POST", "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand",
                                                  json: .object(["CmdletInput": .object(["CmdletName": "Set-CASMailbox", "Parameters": .object([
                                                      "Identity": "adele", "EwsBlockList": .object(["Add": .string("Client\(c)/\(i)")]),
                                                  ])])]))
                        if r.status == 200 { ok += 1 }
                    }
                    return ok
                }
            }
            var total = 0
            for await ok in group { total += ok }
            #expect(total == clients * each)
        }
        let host = try #require(server.tenant("brittest.onmicrosoft.com"))
        let list = await host.perform { h in h.session.tenant.mailboxes.first { $0.primarySmtpAddress.description.hasPrefix("adele@") }?.cas.ewsBlockList ?? [] }
        #expect(list.count == clients * each)
        #expect(Set(list).count == clients * each)
        #expect(server.journal.total == clients * each)
    }
}
