import Foundation

/// The tenant's simulated clock. Nothing in the simulator reads the wall clock: lockout
/// windows, audit retention and sign-in times all run on this.
public struct SimClock: Hashable, Sendable {
    public private(set) var now: Date

    public init(now: Date) { self.now = now }

    /// Moves the clock forward; the clock never goes back.
    public mutating func advance(by seconds: TimeInterval) {
        precondition(seconds >= 0, "the simulated clock only moves forward")
        now = now.addingTimeInterval(seconds)
    }

    /// Sets the clock to `date` if it is not earlier than now; returns whether it moved.
    @discardableResult
    public mutating func set(to date: Date) -> Bool {
        guard date >= now else { return false }
        now = date
        return true
    }
}

/// Deterministic identifiers: a SplitMix64 stream, so a seeded tenant and a scenario run on
/// it produce the same GUIDs every time.
public struct IdentifierGenerator: Hashable, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A version-4-shaped GUID from the stream.
    public mutating func newGuid() -> UUID {
        let a = next(), b = next()
        return UUID(version4Bits: a, b)
    }

    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }
}

extension UUID {
    /// A version-4-shaped GUID from 128 bits (the version and variant bits are set).
    public init(version4Bits a: UInt64, _ b: UInt64) {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i))) }
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i))) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                         bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
