import Foundation
import Testing
import TenantModel

/// The conversion error `T.convert(from:)` throws for `value`, or nil when it converts.
func conversionFailure<T: PropertyConvertible>(_ value: PropertyValue, as type: T.Type) -> ValueConversionError? {
    do {
        _ = try T.convert(from: value)
        return nil
    } catch {
        return error
    }
}

// MARK: - EnhancedTimeSpan [EXCHANGE-FACTS 4.1]

@Suite("EnhancedTimeSpan")
struct EnhancedTimeSpanTests {
    @Test("Parses Exchange's input forms and prints .NET's [d.]hh:mm:ss", arguments: [
        ("730", "730.00:00:00"),
        ("0", "00:00:00"),
        ("1", "1.00:00:00"),
        (" 90 ", "90.00:00:00"),
        ("00:15", "00:15:00"),
        ("1:5", "01:05:00"),
        ("23:59", "23:59:00"),
        ("23:59:59", "23:59:59"),
        ("00:00:00", "00:00:00"),
        ("1.02:03", "1.02:03:00"),
        ("1.02:03:04", "1.02:03:04"),
        ("90.00:00:00", "90.00:00:00"),
        ("0.12:00:00", "12:00:00"),
        ("00:00:01.999", "00:00:01"),
        ("24855.03:14:07", "24855.03:14:07"),
    ])
    func parsesAndPrints(input: String, printed: String) throws {
        #expect(try EnhancedTimeSpan.parse(input).description == printed)
    }

    @Test("A bare number is a number of days")
    func bareNumberIsDays() throws {
        #expect(try EnhancedTimeSpan.parse("730") == .days(730))
        #expect(try EnhancedTimeSpan.parse("730").days == 730)
        #expect(try EnhancedTimeSpan.parse("0") == .zero)
    }

    @Test("hh:mm is hours and minutes, not minutes and seconds")
    func twoComponentsAreHoursAndMinutes() throws {
        #expect(try EnhancedTimeSpan.parse("00:15").seconds == 15 * 60)
        #expect(try EnhancedTimeSpan.parse("02:30").seconds == 2 * 3_600 + 30 * 60)
    }

    @Test("d.hh:mm:ss adds days, hours, minutes and seconds")
    func fullFormSeconds() throws {
        #expect(try EnhancedTimeSpan.parse("2.03:04:05").seconds == 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5)
        #expect(try EnhancedTimeSpan.parse("2.03:04").seconds == 2 * 86_400 + 3 * 3_600 + 4 * 60)
    }

    @Test("The largest value is 24855.03:14:07, Int32.MaxValue seconds")
    func maximumParses() throws {
        let max = try EnhancedTimeSpan.parse("24855.03:14:07")
        #expect(max == EnhancedTimeSpan.max)
        #expect(max.seconds == Int(Int32.max))
        #expect(EnhancedTimeSpan.max.description == "24855.03:14:07")
        #expect(try EnhancedTimeSpan.parse("24855") == .days(24_855))
    }

    @Test("Beyond 24855.03:14:07 is an overflow", arguments: [
        "24855.03:14:08", "24855.04:00:00", "24856", "24856.00:00:00", "99999999", "10675200.00:00:00",
    ])
    func beyondMaximumOverflows(input: String) {
        #expect(throws: EnhancedTimeSpan.ParseError.overflow) { try EnhancedTimeSpan.parse(input) }
    }

    @Test("Negative durations are rejected", arguments: ["-1", "-00:15", "-1.00:00:00", " -5"])
    func negativeRejected(input: String) {
        #expect(throws: EnhancedTimeSpan.ParseError.overflow) { try EnhancedTimeSpan.parse(input) }
    }

    @Test("Hours of 24 or more, minutes or seconds of 60 or more are out of range", arguments: [
        "24:00", "24:00:00", "00:60", "00:00:60", "1.24:00:00", "1.00:60:00", "99:00", "100:00", "00:000",
    ])
    func componentOutOfRange(input: String) {
        #expect(throws: EnhancedTimeSpan.ParseError.componentOutOfRange) { try EnhancedTimeSpan.parse(input) }
    }

    @Test("Text that is not a time span is a format error", arguments: [
        "", "   ", "abc", "7d", "1.5", "1.02", "1,5", ":", "::", "1:", ":30", "1::00", "a.00:00", "1.:00",
        "00:15:00.", "00:15.5", "1h", "00:1a", "P1D",
    ])
    func garbageIsFormatError(input: String) {
        #expect(throws: EnhancedTimeSpan.ParseError.format) { try EnhancedTimeSpan.parse(input) }
    }

    @Test("Printing omits the day part when it is zero", arguments: [
        (0, "00:00:00"),
        (1, "00:00:01"),
        (59, "00:00:59"),
        (3_661, "01:01:01"),
        (86_399, "23:59:59"),
        (86_400, "1.00:00:00"),
        (86_401, "1.00:00:01"),
        (730 * 86_400, "730.00:00:00"),
    ])
    func printing(seconds: Int, printed: String) {
        #expect(EnhancedTimeSpan(seconds: seconds).description == printed)
    }

    @Test("Factories count days, hours and minutes")
    func factories() {
        #expect(EnhancedTimeSpan.days(1).seconds == 86_400)
        #expect(EnhancedTimeSpan.hours(2).seconds == 7_200)
        #expect(EnhancedTimeSpan.minutes(15).seconds == 900)
        #expect(EnhancedTimeSpan.days(90).days == 90)
    }

    @Test("Shorter durations order before longer ones")
    func ordering() {
        #expect(EnhancedTimeSpan.minutes(15) < .hours(1))
        #expect(EnhancedTimeSpan.hours(23) < .days(1))
        #expect(EnhancedTimeSpan.zero < .max)
        #expect(!(EnhancedTimeSpan.days(1) < .hours(24)))
    }

    @Test("Converts from an integer as a number of days")
    func convertsIntAsDays() throws {
        #expect(try EnhancedTimeSpan.convert(from: .int(730)) == .days(730))
        #expect(try EnhancedTimeSpan.convert(from: .int(0)) == .zero)
        #expect(try EnhancedTimeSpan.convert(from: .int(24_855)) == .days(24_855))
    }

    @Test("Converts from text and passes a time span through")
    func convertsTextAndTimeSpan() throws {
        #expect(try EnhancedTimeSpan.convert(from: .string("730")) == .days(730))
        #expect(try EnhancedTimeSpan.convert(from: .string("00:15")) == .minutes(15))
        #expect(try EnhancedTimeSpan.convert(from: .timeSpan(.hours(3))) == .hours(3))
    }

    @Test("Shows itself as a time span property value")
    func propertyValue() {
        #expect(EnhancedTimeSpan.days(730).propertyValue == .timeSpan(.days(730)))
        #expect(EnhancedTimeSpan.days(730).propertyValue.displayText == "730.00:00:00")
        #expect(EnhancedTimeSpan.valueType.typeName == "Microsoft.Exchange.Data.EnhancedTimeSpan")
    }

    @Test("Text that is not a time span fails with .NET's message in PowerShell's frame")
    func formatErrorText() throws {
        let error = try #require(conversionFailure(.string("abc"), as: EnhancedTimeSpan.self))
        #expect(error.typeName == "Microsoft.Exchange.Data.EnhancedTimeSpan")
        #expect(error.value == "abc")
        #expect(error.reason == "String was not recognized as a valid TimeSpan.")
        #expect(error.description == """
            Cannot convert value "abc" to type "Microsoft.Exchange.Data.EnhancedTimeSpan". \
            Error: "String was not recognized as a valid TimeSpan."
            """)
    }

    @Test("An out-of-range component fails with .NET's overflow message")
    func componentErrorText() throws {
        let error = try #require(conversionFailure(.string("24:00"), as: EnhancedTimeSpan.self))
        #expect(error.reason == "The TimeSpan could not be parsed because at least one of the numeric components is out of range or contains too many digits.")
    }

    @Test("Values outside 00:00:00 to 24855.03:14:07 fail naming the range", arguments: [
        PropertyValue.string("24856"), .string("24855.03:14:08"), .string("-1"), .int(-1), .int(24_856),
    ])
    func rangeErrorText(value: PropertyValue) throws {
        let error = try #require(conversionFailure(value, as: EnhancedTimeSpan.self))
        #expect(error.reason == "The value must be between 00:00:00 and 24855.03:14:07.")
        #expect(error.value == value.displayText)
    }
}

// MARK: - Unlimited

@Suite("Unlimited")
struct UnlimitedTests {
    @Test("The word Unlimited parses in any case", arguments: ["Unlimited", "unlimited", "UNLIMITED", "uNlImItEd", " Unlimited "])
    func unlimitedWordAnyCase(text: String) throws {
        #expect(try Unlimited<EnhancedTimeSpan>.convert(from: .string(text)) == .unlimited)
        #expect(try Unlimited<Int>.convert(from: .string(text)) == .unlimited)
    }

    @Test("The Unlimited marker converts to unlimited")
    func unlimitedMarker() throws {
        #expect(try Unlimited<EnhancedTimeSpan>.convert(from: .unlimited) == .unlimited)
        #expect(try Unlimited<Int>.convert(from: .unlimited).isUnlimited)
    }

    @Test("Anything else is parsed as the limited type")
    func limitedValues() throws {
        #expect(try Unlimited<EnhancedTimeSpan>.convert(from: .string("730")) == .limited(.days(730)))
        #expect(try Unlimited<EnhancedTimeSpan>.convert(from: .int(90)) == .limited(.days(90)))
        #expect(try Unlimited<EnhancedTimeSpan>.convert(from: .string("00:15")) == .limited(.minutes(15)))
        #expect(try Unlimited<Int>.convert(from: .string("5000")) == .limited(5000))
        #expect(try Unlimited<Int>.convert(from: .int(0)) == .limited(0))
    }

    @Test("isUnlimited and value tell the two cases apart")
    func accessors() {
        #expect(Unlimited<Int>.unlimited.isUnlimited)
        #expect(Unlimited<Int>.unlimited.value == nil)
        #expect(!Unlimited<Int>.limited(5).isUnlimited)
        #expect(Unlimited<Int>.limited(5).value == 5)
    }

    @Test("Prints Unlimited or the limited value as Exchange does")
    func printing() {
        #expect(Unlimited<EnhancedTimeSpan>.unlimited.description == "Unlimited")
        #expect(Unlimited<EnhancedTimeSpan>.limited(.days(90)).description == "90.00:00:00")
        #expect(Unlimited<Int>.unlimited.description == "Unlimited")
        #expect(Unlimited<Int>.limited(5000).description == "5000")
        #expect(Unlimited<Int>.unlimited.propertyValue == .unlimited)
        #expect(Unlimited<Int>.limited(7).propertyValue == .int(7))
    }

    @Test("Unlimited is greater than every limited value")
    func ordering() {
        #expect(Unlimited<EnhancedTimeSpan>.limited(.max) < .unlimited)
        #expect(Unlimited<Int>.limited(Int.max) < .unlimited)
        #expect(!(Unlimited<Int>.unlimited < .limited(Int.max)))
        #expect(!(Unlimited<Int>.unlimited < .unlimited))
        #expect(Unlimited<Int>.limited(1) < .limited(2))
        #expect(!(Unlimited<Int>.limited(2) < .limited(1)))
        let sorted: [Unlimited<Int>] = [.unlimited, .limited(10), .limited(-1)].sorted()
        #expect(sorted == [.limited(-1), .limited(10), .unlimited])
    }

    @Test("Unlimited must be the whole word", arguments: ["Unlimitedx", "Unlimit", "no limit"])
    func partialWordRejected(text: String) {
        #expect(conversionFailure(.string(text), as: Unlimited<Int>.self) != nil)
    }

    @Test("A bad value fails naming Unlimited`1 and listing Unlimited first among valid values")
    func errorListsUnlimited() throws {
        let error = try #require(conversionFailure(.string("forever"), as: Unlimited<EnhancedTimeSpan>.self))
        #expect(error.typeName == "Microsoft.Exchange.Data.Unlimited`1[Microsoft.Exchange.Data.EnhancedTimeSpan]")
        #expect(error.value == "forever")
        #expect(error.reason == "String was not recognized as a valid TimeSpan.")
        #expect(error.validValues == ["Unlimited"])

        let intError = try #require(conversionFailure(.string("lots"), as: Unlimited<Int>.self))
        #expect(intError.typeName == "Microsoft.Exchange.Data.Unlimited`1[System.Int32]")
        #expect(intError.validValues.first == "Unlimited")
    }

    @Test("A limited value out of range keeps the inner reason")
    func innerReasonKept() throws {
        let error = try #require(conversionFailure(.string("24856"), as: Unlimited<EnhancedTimeSpan>.self))
        #expect(error.reason == "The value must be between 00:00:00 and 24855.03:14:07.")
        #expect(error.validValues.contains("Unlimited"))
    }
}

// MARK: - IPAddress and IPRange [EXCHANGE-FACTS 1.2]

func ip(_ text: String) -> IPAddress {
    guard let address = IPAddress.parse(text) else { fatalError("test address \(text) does not parse") }
    return address
}

@Suite("IPAddress")
struct IPAddressTests {
    @Test("IPv6 prints in RFC 5952 form", arguments: [
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8::ABCD", "2001:db8::abcd"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("fe80::0001:0000", "fe80::1:0"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("::FFFF:c000:0201", "::ffff:192.0.2.1"),
    ])
    func ipv6Printing(input: String, printed: String) throws {
        let address = try #require(IPAddress.parse(input))
        #expect(address.family == .v6)
        #expect(address.description == printed)
    }

    @Test("An embedded IPv4 tail fills the low 32 bits")
    func embeddedIPv4() throws {
        let mapped = try #require(IPAddress.parse("::ffff:192.0.2.1"))
        #expect(mapped.value == 0xffff_c000_0201)
        #expect(IPAddress.parse("::ffff:c000:201") == mapped)
        #expect(IPAddress.parse("1:2:3:4:5:6:1.2.3.4")?.value == IPAddress.parse("1:2:3:4:5:6:102:304")?.value)
    }

    @Test("IPv4 parses as a dotted quad in the low 32 bits")
    func ipv4() throws {
        let address = try #require(IPAddress.parse("192.168.1.10"))
        #expect(address.family == .v4)
        #expect(address.bitWidth == 32)
        #expect(address.value == 0xC0A8_010A)
        #expect(address.description == "192.168.1.10")
        #expect(IPAddress.parse("0.0.0.0")?.value == 0)
        #expect(IPAddress.parse("255.255.255.255")?.value == 0xFFFF_FFFF)
    }

    @Test("Malformed addresses do not parse", arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1..2.3", "a.b.c.d", "1.2.3.-4", "1.2.3.4 5", "1234.1.1.1",
        "2001:db8::1::2", "12345::", "gggg::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::",
        ":::", ":1", "1:", "fe80::1%eth0", "[::1]", "::ffff:256.0.0.1", "::1.2.3", "+1::", "2001:db8::+1", "::-0",
    ])
    func malformed(text: String) {
        #expect(IPAddress.parse(text) == nil)
    }

    @Test("IPv4 addresses order before IPv6, and by value within a family")
    func ordering() {
        #expect(ip("255.255.255.255") < ip("::"))
        #expect(!(ip("::") < ip("0.0.0.0")))
        #expect(ip("10.0.0.2") < ip("10.0.0.10"))
        #expect(ip("2001:db8::2") < ip("2001:db8::10"))
    }
}

@Suite("IPRange")
struct IPRangeTests {
    @Test("A single address is a range of one, printed as given")
    func singleAddress() throws {
        let v4 = try IPRange.parse("192.168.1.1")
        #expect(v4.format == .singleAddress)
        #expect(v4.lowerBound == v4.upperBound)
        #expect(v4.description == "192.168.1.1")
        #expect(v4.contains(ip("192.168.1.1")))
        #expect(!v4.contains(ip("192.168.1.2")))

        let v6 = try IPRange.parse("2001:db8::1")
        #expect(v6.format == .singleAddress)
        #expect(v6.description == "2001:db8::1")
        #expect(v6.contains(ip("2001:0db8:0:0:0:0:0:1")))
    }

    @Test("CIDR host bits are masked off when printed")
    func cidrMasksHostBits() throws {
        let range = try IPRange.parse("192.168.3.1/24")
        #expect(range.description == "192.168.3.0/24")
        #expect(range.format == .cidr(24))
        #expect(range.lowerBound == ip("192.168.3.0"))
        #expect(range.upperBound == ip("192.168.3.255"))
        let sameBlock = try IPRange.parse("192.168.3.0/24")
        #expect(range == sameBlock)
    }

    @Test("A CIDR block contains exactly its addresses", arguments: [
        ("192.168.3.0", true), ("192.168.3.1", true), ("192.168.3.255", true),
        ("192.168.4.0", false), ("192.168.2.255", false), ("10.0.0.1", false),
    ])
    func cidrContains(address: String, contained: Bool) throws {
        #expect(try IPRange.parse("192.168.3.1/24").contains(ip(address)) == contained)
    }

    @Test("/0 covers the whole IPv4 space")
    func slashZero() throws {
        let all = try IPRange.parse("10.1.2.3/0")
        #expect(all.description == "0.0.0.0/0")
        #expect(all.contains(ip("0.0.0.0")))
        #expect(all.contains(ip("255.255.255.255")))
        #expect(all.contains(ip("10.1.2.3")))
    }

    @Test("/32 covers one IPv4 address")
    func slashThirtyTwo() throws {
        let one = try IPRange.parse("10.1.2.3/32")
        #expect(one.description == "10.1.2.3/32")
        #expect(one.contains(ip("10.1.2.3")))
        #expect(!one.contains(ip("10.1.2.2")))
        #expect(!one.contains(ip("10.1.2.4")))
    }

    @Test("IPv6 CIDR masks host bits and bounds the block")
    func ipv6Cidr() throws {
        let range = try IPRange.parse("2001:db8::1/64")
        #expect(range.description == "2001:db8::/64")
        #expect(range.contains(ip("2001:db8::ffff:ffff:ffff:ffff")))
        #expect(!range.contains(ip("2001:db8:0:1::")))
        let all = try IPRange.parse("::/0")
        #expect(all.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")))
        let one = try IPRange.parse("2001:db8::1/128")
        #expect(one.contains(ip("2001:db8::1")) && !one.contains(ip("2001:db8::2")))
    }

    @Test("A prefix length beyond the family's width or not a number is invalid", arguments: [
        ("10.0.0.0/33", "33"), ("10.0.0.0/", ""), ("10.0.0.0/-1", "-1"), ("10.0.0.0/x", "x"),
        ("10.0.0.0/24/8", "24/8"), ("2001:db8::/129", "129"),
    ])
    func invalidPrefix(text: String, length: String) {
        #expect(throws: IPRange.ParseError.invalidPrefixLength(length)) { try IPRange.parse(text) }
    }

    @Test("A dash range prints lo-hi and contains its bounds")
    func dashRange() throws {
        let range = try IPRange.parse("192.168.0.1-192.168.0.254")
        #expect(range.format == .loHi)
        #expect(range.description == "192.168.0.1-192.168.0.254")
        #expect(range.contains(ip("192.168.0.1")))
        #expect(range.contains(ip("192.168.0.254")))
        #expect(!range.contains(ip("192.168.0.0")))
        #expect(!range.contains(ip("192.168.0.255")))
    }

    @Test("A dash range may be one address wide, and may be IPv6")
    func dashRangeEdges() throws {
        let one = try IPRange.parse("10.0.0.1-10.0.0.1")
        #expect(one.contains(ip("10.0.0.1")) && !one.contains(ip("10.0.0.2")))
        let v6 = try IPRange.parse("2001:db8::1-2001:db8::ff")
        #expect(v6.description == "2001:db8::1-2001:db8::ff")
        #expect(v6.contains(ip("2001:db8::80")))
        #expect(!v6.contains(ip("2001:db8::100")))
    }

    @Test("A range whose start is after its end is rejected")
    func reversedRange() {
        #expect(throws: IPRange.ParseError.reversed) { try IPRange.parse("192.168.0.254-192.168.0.1") }
        #expect(throws: IPRange.ParseError.reversed) { try IPRange.parse("2001:db8::2-2001:db8::1") }
    }

    @Test("A range mixing IPv4 and IPv6 is rejected")
    func mixedFamilies() {
        #expect(throws: IPRange.ParseError.mixedFamilies) { try IPRange.parse("10.0.0.1-2001:db8::1") }
        #expect(throws: IPRange.ParseError.mixedFamilies) { try IPRange.parse("::1-10.0.0.1") }
    }

    @Test("An invalid address names the offending part", arguments: [
        ("300.1.1.1", "300.1.1.1"), ("10.0.0.1-10.0.0", "10.0.0"), ("x-10.0.0.1", "x"),
        ("1.2.3/24", "1.2.3"), ("", ""), ("10.0.0.1-", ""),
    ])
    func invalidAddress(text: String, part: String) {
        #expect(throws: IPRange.ParseError.invalidAddress(part)) { try IPRange.parse(text) }
    }

    @Test("An address of the other family is never contained")
    func containsAcrossFamilies() throws {
        let allV4 = try IPRange.parse("0.0.0.0/0")
        let allV6 = try IPRange.parse("::/0")
        #expect(!allV4.contains(ip("::")))
        #expect(!allV4.contains(ip("::1")))
        #expect(!allV6.contains(ip("10.0.0.1")))
        #expect(!allV6.contains(ip("0.0.0.0")))
    }

    @Test("Converts from text and passes a range through")
    func converts() throws {
        let range = try IPRange.parse("10.0.0.0/8")
        #expect(try IPRange.convert(from: .string("10.1.1.1/8")) == range)
        #expect(try IPRange.convert(from: .ipRange(range)) == range)
        #expect(range.propertyValue.displayText == "10.0.0.0/8")
    }

    @Test("A bad range fails explaining the accepted forms")
    func conversionErrorText() throws {
        let error = try #require(conversionFailure(.string("192.168.0.254-192.168.0.1"), as: IPRange.self))
        #expect(error.typeName == "Microsoft.Exchange.Data.IPRange")
        #expect(error.value == "192.168.0.254-192.168.0.1")
        #expect(error.reason == """
            The IP address range "192.168.0.254-192.168.0.1" isn't valid: The start of an IP range must not be \
            greater than its end. Use a single address (192.168.1.1), a range (192.168.0.1-192.168.0.254) or a \
            CIDR block (192.168.3.1/24).
            """)
        let bad = try #require(conversionFailure(.string("10.0.0.0/33"), as: IPRange.self))
        #expect(bad.reason.contains("\"33\" isn't a valid CIDR prefix length."))
        let notText = try #require(conversionFailure(.int(5), as: IPRange.self))
        #expect(notText.reason == "The value isn't an IP address range.")
    }
}

// MARK: - SmtpAddress

@Suite("SmtpAddress")
struct SmtpAddressTests {
    @Test("Well-formed addresses are accepted", arguments: [
        "user@contoso.com", "tony.smith@contoso.com", "a+tag@sub.contoso.co.uk", "o'brien@contoso.com",
        "user@my-domain.com", "x@a.b", "admin@contoso.onmicrosoft.com", "User_1@Contoso.COM",
    ])
    func valid(text: String) throws {
        let address = try #require(SmtpAddress(text))
        #expect(address.address == text)
    }

    @Test("Malformed addresses are rejected", arguments: [
        "", "user", "usercontoso.com", "@contoso.com", "user@", "user@contoso", "user@.com", "user@contoso.",
        "user@contoso..com", ".user@contoso.com", "user.@contoso.com", "us..er@contoso.com", "us er@contoso.com",
        "user@con_toso.com", "a@b@contoso.com", "tëst@contoso.com", "user@contosö.com",
        String(repeating: "a", count: 65) + "@contoso.com",
    ])
    func invalid(text: String) {
        #expect(SmtpAddress(text) == nil)
    }

    @Test("The local part may be 64 characters")
    func longestLocalPart() {
        #expect(SmtpAddress(String(repeating: "a", count: 64) + "@contoso.com") != nil)
    }

    @Test("Surrounding spaces are trimmed")
    func trimsSpaces() {
        #expect(SmtpAddress("  user@contoso.com ")?.address == "user@contoso.com")
    }

    @Test("Splits into local part and domain at the last @")
    func localAndDomain() throws {
        let address = try #require(SmtpAddress("Tony.Smith@Contoso.com"))
        #expect(address.local == "Tony.Smith")
        #expect(address.domain == "Contoso.com")
    }

    @Test("Equality and hashing ignore case; printing keeps the case given")
    func caseInsensitiveEqualityCasePreservingPrint() throws {
        let mixed = try #require(SmtpAddress("Tony.Smith@Contoso.com"))
        let lower = try #require(SmtpAddress("tony.smith@contoso.com"))
        #expect(mixed == lower)
        #expect(Set([mixed, lower]).count == 1)
        #expect(mixed.description == "Tony.Smith@Contoso.com")
        #expect(mixed.propertyValue.displayText == "Tony.Smith@Contoso.com")
        #expect(mixed != SmtpAddress("tony.smith@fabrikam.com"))
    }

    @Test("Orders ignoring case")
    func ordering() throws {
        let a = try #require(SmtpAddress("alice@contoso.com"))
        let b = try #require(SmtpAddress("Bob@contoso.com"))
        #expect(a < b)
        #expect(!(b < a))
        #expect([b, a].sorted() == [a, b])
    }

    @Test("Conversion accepts the SMTP: proxy prefix in any case", arguments: [
        "SMTP:user@contoso.com", "smtp:user@contoso.com", "Smtp:user@contoso.com", "user@contoso.com",
    ])
    func smtpPrefix(text: String) throws {
        let address = try SmtpAddress.convert(from: .string(text))
        #expect(address.address == "user@contoso.com")
    }

    @Test("Conversion passes an address through")
    func passThrough() throws {
        let address = try #require(SmtpAddress("user@contoso.com"))
        #expect(try SmtpAddress.convert(from: .smtpAddress(address)) == address)
    }

    @Test("A bad address fails with Exchange's message")
    func errorText() throws {
        let error = try #require(conversionFailure(.string("tonysmith"), as: SmtpAddress.self))
        #expect(error.typeName == "Microsoft.Exchange.Data.SmtpAddress")
        #expect(error.value == "tonysmith")
        #expect(error.reason == """
            The email address "tonysmith" isn't correct. Please use this format: user name, the @ sign, followed \
            by the domain name. For example, tonysmith@contoso.com or tony.smith@contoso.com.
            """)
        #expect(conversionFailure(.string("SMTP:"), as: SmtpAddress.self) != nil)
        #expect(conversionFailure(.int(5), as: SmtpAddress.self) != nil)
    }
}

// MARK: - ByteQuantifiedSize

@Suite("ByteQuantifiedSize")
struct ByteQuantifiedSizeTests {
    @Test("Prints the largest whole unit and the exact byte count", arguments: [
        (0, "0 B (0 bytes)"),
        (1_023, "1023 B (1,023 bytes)"),
        (1_024, "1 KB (1,024 bytes)"),
        (524_288, "512 KB (524,288 bytes)"),
        (10_485_760, "10 MB (10,485,760 bytes)"),
        (1_310_720, "1.25 MB (1,310,720 bytes)"),
        (1_610_612_736, "1.5 GB (1,610,612,736 bytes)"),
        (32_212_254_720, "30 GB (32,212,254,720 bytes)"),
        (53_150_220_288, "49.5 GB (53,150,220,288 bytes)"),
        (2_199_023_255_552, "2 TB (2,199,023,255,552 bytes)"),
    ])
    func printing(bytes: Int, printed: String) {
        #expect(ByteQuantifiedSize(bytes: bytes).description == printed)
    }

    @Test("The largest sizes print without overflowing")
    func hugeSizesPrint() {
        #expect(ByteQuantifiedSize(bytes: Int.max).description == "8388607.99 TB (9,223,372,036,854,775,807 bytes)")
        #expect(ByteQuantifiedSize(bytes: 1 << 60).description == "1048576 TB (1,152,921,504,606,846,976 bytes)")
    }

    @Test("Parses a number with an optional unit", arguments: [
        ("10MB", 10_485_760),
        ("10 MB", 10_485_760),
        ("10mb", 10_485_760),
        ("1.5GB", 1_610_612_736),
        ("1.5 GB", 1_610_612_736),
        ("512KB", 524_288),
        ("2 TB", 2_199_023_255_552),
        ("100B", 100),
        ("10485760", 10_485_760),
        ("0", 0),
        (" 30GB ", 32_212_254_720),
    ])
    func parses(text: String, bytes: Int) {
        #expect(ByteQuantifiedSize.parse(text) == ByteQuantifiedSize(bytes: bytes))
    }

    @Test("Parses Exchange's printed form using the exact byte count", arguments: [
        ("10 MB (10,485,760 bytes)", 10_485_760),
        ("30 GB (32,212,254,720 bytes)", 32_212_254_720),
        ("1.14 GB (1,234,567,891 bytes)", 1_234_567_891),
    ])
    func parsesPrintedForm(text: String, bytes: Int) {
        #expect(ByteQuantifiedSize.parse(text)?.bytes == bytes)
    }

    @Test("The printed form round-trips exactly", arguments: [0, 1, 1_023, 1_024, 10_485_760, 1_234_567_891, 32_212_254_720, Int.max])
    func roundTrip(bytes: Int) {
        let size = ByteQuantifiedSize(bytes: bytes)
        #expect(ByteQuantifiedSize.parse(size.description) == size)
    }

    @Test("Text that is not a size does not parse", arguments: [
        "", "abc", "MB", "ten MB", "-10MB", "-5", "10 XB", "1.5", "10 M B B", "infKB", "nanMB", "1e30TB", "9999999999TB",
    ])
    func rejects(text: String) {
        #expect(ByteQuantifiedSize.parse(text) == nil)
    }

    @Test("Smaller sizes order first")
    func ordering() {
        #expect(ByteQuantifiedSize(bytes: 1) < ByteQuantifiedSize(bytes: 1_024))
        #expect(!(ByteQuantifiedSize(bytes: 1_024) < ByteQuantifiedSize(bytes: 1_024)))
    }

    @Test("Converts from text, a non-negative integer of bytes, or a size")
    func converts() throws {
        #expect(try ByteQuantifiedSize.convert(from: .string("10MB")).bytes == 10_485_760)
        #expect(try ByteQuantifiedSize.convert(from: .int(1_024)).bytes == 1_024)
        #expect(try ByteQuantifiedSize.convert(from: .byteSize(.init(bytes: 7))).bytes == 7)
        #expect(ByteQuantifiedSize(bytes: 10_485_760).propertyValue.displayText == "10 MB (10,485,760 bytes)")
    }

    @Test("A bad size fails naming the units")
    func errorText() throws {
        let error = try #require(conversionFailure(.string("lots"), as: ByteQuantifiedSize.self))
        #expect(error.typeName == "Microsoft.Exchange.Data.ByteQuantifiedSize")
        #expect(error.reason == "The value \"lots\" isn't a valid byte quantity. Use a number followed by B, KB, MB, GB or TB, for example 10MB.")
        #expect(conversionFailure(.int(-1), as: ByteQuantifiedSize.self) != nil)
    }
}
