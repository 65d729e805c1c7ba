import Foundation

/// An IP address, IPv4 or IPv6, held as a 128-bit number (IPv4 in the low 32 bits).
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case v4, v6 }

    public let family: Family
    public let value: UInt128

    public init(family: Family, value: UInt128) {
        self.family = family
        self.value = value
    }

    public var bitWidth: Int { family == .v4 ? 32 : 128 }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        a.family == b.family ? a.value < b.value : a.family == .v4
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::`, and an embedded IPv4 tail).
    /// Brackets and a zone suffix are not accepted.
    public static func parse(_ text: String) -> IPAddress? {
        let t = text.trimmedWhitespace
        if t.contains(":") { return parseV6(t) }
        return parseV4(t).map { IPAddress(family: .v4, value: UInt128($0)) }
    }

    static func parseV4(_ t: some StringProtocol) -> UInt32? {
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCIIDigit), let n = UInt32(p), n <= 255 else { return nil }
            v = v << 8 | n
        }
        return v
    }

    static func parseV6(_ t: String) -> IPAddress? {
        var groups: [UInt16] = []
        var tail = t
        var v4Tail: UInt32?
        if let lastColon = t.lastIndex(of: ":"), t[t.index(after: lastColon)...].contains(".") {
            guard let v4 = parseV4(t[t.index(after: lastColon)...]) else { return nil }
            v4Tail = v4
            tail = String(t[...lastColon]) + "0:0"
        }
        let halves = tail.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                // `UInt16(_:radix:)` alone would accept a sign ("+1").
                guard !g.isEmpty, g.count <= 4, g.allSatisfy(\.isHexDigit), let n = UInt16(g, radix: 16) else { return nil }
                out.append(n)
            }
            return out
        }
        guard let head = parseGroups(halves[0]) else { return nil }
        if halves.count == 2 {
            guard let rest = parseGroups(halves[1]), head.count + rest.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - rest.count) + rest
        } else {
            guard head.count == 8 else { return nil }
            groups = head
        }
        var value: UInt128 = 0
        for g in groups { value = value << 16 | UInt128(g) }
        if let v4Tail { value = (value >> 32) << 32 | UInt128(v4Tail) }
        return IPAddress(family: .v6, value: value)
    }

    /// IPv4 dotted quad; IPv6 in RFC 5952 form (lower case, longest zero run compressed).
    public var description: String {
        if family == .v4 {
            let v = UInt32(truncatingIfNeeded: value)
            return "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
        }
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: value >> UInt128(112 - 16 * $0)) }
        // IPv4-mapped addresses keep their dotted tail (RFC 5952 §5; .NET prints them so too).
        if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xffff {
            return "::ffff:" + IPAddress(family: .v4, value: value & 0xffff_ffff).description
        }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8, groups[j] == 0 { j += 1 }
                if j - i > bestLen, j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }
}

/// Exchange's `IPRange`: a single address (`192.168.1.1`), a range (`192.168.0.1-192.168.0.254`)
/// or a CIDR block (`192.168.3.1/24`; host bits are allowed and masked off). IPv4 and IPv6.
/// Printed as Exchange does: single as given, range as `lo-hi`, CIDR as `network/length`.
/// [EXCHANGE-FACTS 1.2]
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    public enum Format: Sendable, Hashable { case singleAddress, loHi, cidr(Int) }

    public let lowerBound: IPAddress
    public let upperBound: IPAddress
    public let format: Format

    public init(single address: IPAddress) {
        lowerBound = address; upperBound = address; format = .singleAddress
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == lowerBound.family && address.value >= lowerBound.value && address.value <= upperBound.value
    }

    public var description: String {
        switch format {
        case .singleAddress: return lowerBound.description
        case .loHi: return "\(lowerBound)-\(upperBound)"
        case .cidr(let bits): return "\(lowerBound)/\(bits)"
        }
    }

    public enum ParseError: Error, Equatable {
        case invalidAddress(String)
        case invalidPrefixLength(String)
        case mixedFamilies
        case reversed
    }

    private init(lower: IPAddress, upper: IPAddress, format: Format) {
        lowerBound = lower; upperBound = upper; self.format = format
    }

    public static func parse(_ text: String) throws(ParseError) -> IPRange {
        let t = text.trimmedWhitespace
        if let slash = t.firstIndex(of: "/") {
            let addrText = String(t[..<slash]), lenText = String(t[t.index(after: slash)...])
            guard let addr = IPAddress.parse(addrText) else { throw .invalidAddress(addrText) }
            guard lenText.allSatisfy(\.isASCIIDigit), let bits = Int(lenText), bits >= 0, bits <= addr.bitWidth else {
                throw .invalidPrefixLength(lenText)
            }
            let hostBits = addr.bitWidth - bits
            let hostMask: UInt128 = hostBits == 0 ? 0 : (hostBits >= 128 ? UInt128.max : (UInt128(1) << UInt128(hostBits)) - 1)
            let lower = IPAddress(family: addr.family, value: addr.value & ~hostMask)
            let upper = IPAddress(family: addr.family, value: lower.value | hostMask)
            return IPRange(lower: lower, upper: upper, format: .cidr(bits))
        }
        if let dash = t.firstIndex(of: "-") {
            let a = String(t[..<dash]), b = String(t[t.index(after: dash)...])
            guard let lo = IPAddress.parse(a) else { throw .invalidAddress(a) }
            guard let hi = IPAddress.parse(b) else { throw .invalidAddress(b) }
            guard lo.family == hi.family else { throw .mixedFamilies }
            guard lo.value <= hi.value else { throw .reversed }
            return IPRange(lower: lo, upper: hi, format: .loHi)
        }
        guard let addr = IPAddress.parse(t) else { throw .invalidAddress(t) }
        return IPRange(single: addr)
    }
}

extension IPRange: PropertyConvertible {
    public static var valueType: ValueType { .ipRange }
    public var propertyValue: PropertyValue { .ipRange(self) }
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> IPRange {
        switch value {
        case .ipRange(let r): return r
        case .string(let s):
            do { return try parse(s) } catch {
                let reason: String
                switch error {
                case .invalidAddress(let a): reason = "\"\(a)\" isn't a valid IP address."
                case .invalidPrefixLength(let l): reason = "\"\(l)\" isn't a valid CIDR prefix length."
                case .mixedFamilies: reason = "The start and end of an IP range must both be IPv4 or both be IPv6."
                case .reversed: reason = "The start of an IP range must not be greater than its end."
                }
                throw conversionError(value, "The IP address range \"\(s)\" isn't valid: \(reason) Use a single address (192.168.1.1), a range (192.168.0.1-192.168.0.254) or a CIDR block (192.168.3.1/24).")
            }
        default:
            throw conversionError(value, "The value isn't an IP address range.")
        }
    }
}
