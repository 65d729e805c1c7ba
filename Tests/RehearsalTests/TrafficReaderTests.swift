import Foundation
import Testing
@testable import Rehearsal

@Suite struct TrafficReaderTests {
    @Test func placeholder() { #expect(ClientAppMapping.map(clientApp: "IMAP4", application: "")?.accessProtocol == .IMAP4) }
}
