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
