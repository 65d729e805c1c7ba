import Foundation
import Testing
@testable import MockServer

/// `WireDate.iso` writes what ISO8601DateFormatter's internet date-time writes.
@Test(arguments: [0.0, 1_560_780_000, 1_560_780_000.999, 1_764_428_645.25, 951_782_400, 4_102_444_799, 1_234_567_890.5])
func wireDateMatchesTheFormatter(seconds: Double) {
    let date = Date(timeIntervalSince1970: seconds)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    #expect(WireDate.iso(date) == formatter.string(from: date))
}

@Test func wireDateRoundTripsThroughParse() {
    let date = Date(timeIntervalSince1970: 1_560_780_000)
    #expect(WireDate.parse(WireDate.iso(date)) == date)
}

/// Graph's ids are Foundation's UUID text in lower case.
@Test(arguments: [UUID(), UUID(), UUID(uuidString: "00000000-0000-0000-0000-000000000000")!,
                  UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!, UUID(uuidString: "5E1F7A44-9A0B-4C1E-8D2F-6B3A9C0D1E2F")!])
func graphGuidIsTheLowercasedUUIDString(id: UUID) {
    #expect(GraphRoutes.guid(id) == id.uuidString.lowercased())
}
