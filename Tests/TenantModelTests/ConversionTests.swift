import Foundation
import Testing
import TenantModel

/// A test-local enumeration shaped like Exchange's `ClientAccessRulesAction`.
enum SampleRulesAction: String, ExchangeEnum {
    case allowAccess = "AllowAccess"
    case denyAccess = "DenyAccess"
    static let typeName = "Microsoft.Exchange.Data.ClientAccessRulesAction"
}

/// A UTC instant built independently of the code under test.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    return calendar.date(from: components)!
}

// MARK: - ExchangeEnum

@Suite("ExchangeEnum")
struct ExchangeEnumTests {
    @Test("Enumerator names match ignoring case and surrounding spaces", arguments: [
        ("AllowAccess", SampleRulesAction.allowAccess),
        ("allowaccess", .allowAccess),
        ("ALLOWACCESS", .allowAccess),
        (" DenyAccess ", .denyAccess),
        ("denyACCESS", .denyAccess),
    ])
    func caseInsensitiveMatch(text: String, expected: SampleRulesAction) throws {
        #expect(SampleRulesAction.named(text) == expected)
        #expect(try SampleRulesAction.convert(from: .string(text)) == expected)
    }

    @Test("Only whole enumerator names match", arguments: ["Allow", "Access", "AllowAccess2", "", "0"])
    func partialNamesDoNotMatch(text: String) {
        #expect(SampleRulesAction.named(text) == nil)
    }

    @Test("Converts from an enumerator value by its name")
    func convertsEnumCase() throws {
        let value = PropertyValue.enumCase(type: SampleRulesAction.typeName, name: "DenyAccess")
        #expect(try SampleRulesAction.convert(from: value) == .denyAccess)
    }

    @Test("An unknown name fails with PowerShell's enumerator message listing every name in order")
    func unknownNameErrorText() throws {
        let error = try #require(conversionFailure(.string("Allow"), as: SampleRulesAction.self))
        #expect(error.typeName == "Microsoft.Exchange.Data.ClientAccessRulesAction")
        #expect(error.value == "Allow")
        #expect(error.reason == "Unable to match the identifier name Allow to a valid enumerator name. Specify one of the following enumerator names and try again:\nAllowAccess, DenyAccess")
        #expect(error.validValues == ["AllowAccess", "DenyAccess"])
        #expect(error.description == """
            Cannot convert value "Allow" to type "Microsoft.Exchange.Data.ClientAccessRulesAction". \
            Error: "Unable to match the identifier name Allow to a valid enumerator name. \
            Specify one of the following enumerator names and try again:
            AllowAccess, DenyAccess"
            """)
    }

    @Test("Shows itself as its type and enumerator name")
    func propertyValue() {
        #expect(SampleRulesAction.denyAccess.propertyValue
            == .enumCase(type: "Microsoft.Exchange.Data.ClientAccessRulesAction", name: "DenyAccess"))
        #expect(SampleRulesAction.denyAccess.propertyValue.displayText == "DenyAccess")
    }

    @Test("Its value type describes the enumeration in declaration order")
    func descriptor() {
        #expect(SampleRulesAction.descriptor.names == ["AllowAccess", "DenyAccess"])
        #expect(SampleRulesAction.descriptor.shortName == "ClientAccessRulesAction")
        #expect(SampleRulesAction.valueType.typeName == "Microsoft.Exchange.Data.ClientAccessRulesAction")
        #expect(SampleRulesAction.valueType.enumeratorNames == ["AllowAccess", "DenyAccess"])
    }
}

// MARK: - Bool, Int, String, UUID

@Suite("Scalar conversions")
struct ScalarConversionTests {
    @Test("Booleans accept True/False and $true/$false in any case, and numbers", arguments: [
        (PropertyValue.bool(true), true), (.bool(false), false),
        (.string("True"), true), (.string("true"), true), (.string("$true"), true), (.string("$TRUE"), true),
        (.string("False"), false), (.string("FALSE"), false), (.string("$false"), false),
        (.int(0), false), (.int(1), true), (.int(-3), true),
    ])
    func bool(value: PropertyValue, expected: Bool) throws {
        #expect(try Bool.convert(from: value) == expected)
    }

    @Test("Other text is not a Boolean", arguments: ["yes", "no", "1", "", "truee"])
    func boolRejects(text: String) throws {
        let error = try #require(conversionFailure(.string(text), as: Bool.self))
        #expect(error.typeName == "System.Boolean")
        #expect(error.reason == "String was not recognized as a valid Boolean.")
        #expect(error.validValues == ["True", "False"])
    }

    @Test("Integers parse from trimmed decimal text", arguments: [
        (PropertyValue.int(42), 42), (.string("42"), 42), (.string(" 42 "), 42), (.string("-7"), -7), (.string("0"), 0),
    ])
    func int(value: PropertyValue, expected: Int) throws {
        #expect(try Int.convert(from: value) == expected)
    }

    @Test("Non-integer text fails with .NET's format message", arguments: [
        PropertyValue.string("4.2"), .string("abc"), .string(""), .string("1,000"), .bool(true),
    ])
    func intRejects(value: PropertyValue) throws {
        let error = try #require(conversionFailure(value, as: Int.self))
        #expect(error.typeName == "System.Int32")
        #expect(error.reason == "Input string was not in a correct format.")
    }

    @Test("Strings take any single value's canonical text", arguments: [
        (PropertyValue.string("a,b"), "a,b"),
        (.null, ""),
        (.int(5), "5"),
        (.bool(true), "True"),
        (.list([.string("only")]), "only"),
        (.timeSpan(.days(730)), "730.00:00:00"),
        (.date(utc(2026, 11, 29, 0, 5, 9)), "2026-11-29T00:05:09Z"),
    ])
    func string(value: PropertyValue, expected: String) throws {
        #expect(try String.convert(from: value) == expected)
    }

    @Test("A list of several values is not a string")
    func stringRejectsList() {
        #expect(conversionFailure(.list([.string("a"), .string("b")]), as: String.self) != nil)
    }

    @Test("GUIDs parse with or without braces, in any case")
    func guid() throws {
        let expected = try #require(UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E"))
        #expect(try UUID.convert(from: .string("0f8fad5b-d9cb-469f-a165-70867728950e")) == expected)
        #expect(try UUID.convert(from: .string("{0F8FAD5B-D9CB-469F-A165-70867728950E}")) == expected)
        #expect(try UUID.convert(from: .guid(expected)) == expected)
        #expect(expected.propertyValue.displayText == "0f8fad5b-d9cb-469f-a165-70867728950e")
    }

    @Test("A malformed GUID fails with .NET's message")
    func guidRejects() throws {
        let error = try #require(conversionFailure(.string("not-a-guid"), as: UUID.self))
        #expect(error.typeName == "System.Guid")
        #expect(error.reason == "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).")
    }
}

// MARK: - Dates

@Suite("Dates")
struct DateConversionTests {
    @Test("ISO 8601 parses the fixture forms as UTC", arguments: [
        ("2026-03-02T09:00:00Z", utc(2026, 3, 2, 9)),
        ("2026-03-02T09:00:00", utc(2026, 3, 2, 9)),
        ("2026-03-02T09:00Z", utc(2026, 3, 2, 9)),
        ("2026-03-02T09:00", utc(2026, 3, 2, 9)),
        ("2026-03-02 09:00:00", utc(2026, 3, 2, 9)),
        ("2026-03-02T09:00:00.123Z", utc(2026, 3, 2, 9)),
        ("2026-03-02", utc(2026, 3, 2)),
        (" 2026-03-02T23:59:59Z ", utc(2026, 3, 2, 23, 59, 59)),
        ("2028-02-29", utc(2028, 2, 29)),
    ])
    func isoParses(text: String, expected: Date) {
        #expect(ISO8601.parse(text) == expected)
    }

    @Test("ISO 8601 rejects impossible dates and other forms", arguments: [
        "2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-03-00", "2026-03-32",
        "2026-03-02T24:00:00Z", "2026-03-02T09:60:00Z", "2026-03-02T09:00:60Z", "2026-03-02T09:00:00+01:00",
        "2026-03-02T", "2026-03-02T9:00", "2026-03-02x", "2026-3-2", "03/02/2026", "", "20260302",
    ])
    func isoRejects(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test("ISO 8601 prints UTC with a Z at second precision")
    func isoFormats() {
        #expect(ISO8601.format(utc(2026, 3, 2, 9)) == "2026-03-02T09:00:00Z")
        #expect(ISO8601.format(utc(2026, 11, 29, 0, 5, 9).addingTimeInterval(0.75)) == "2026-11-29T00:05:09Z")
        #expect(ISO8601.parse(ISO8601.format(utc(2027, 12, 31, 23, 59, 59))) == utc(2027, 12, 31, 23, 59, 59))
    }

    @Test("PowerShell prints M/d/yyyy h:mm:ss with AM or PM", arguments: [
        (utc(2026, 11, 29, 0, 5, 9), "11/29/2026 12:05:09 AM"),
        (utc(2026, 11, 29, 12, 57, 4), "11/29/2026 12:57:04 PM"),
        (utc(2026, 3, 2, 9), "3/2/2026 9:00:00 AM"),
        (utc(2026, 3, 2, 11, 59, 59), "3/2/2026 11:59:59 AM"),
        (utc(2026, 1, 1, 13), "1/1/2026 1:00:00 PM"),
        (utc(2026, 12, 31, 23, 59, 59), "12/31/2026 11:59:59 PM"),
    ])
    func powerShellDisplay(date: Date, printed: String) throws {
        #expect(PowerShellDateFormat.display(date) == printed)
        #expect(PropertyValue.date(date).displayText == printed)
        #expect(PowerShellDateFormat.parseDisplay(printed) == date)
    }

    @Test("Dates convert from ISO 8601 or PowerShell's printed form")
    func dateConverts() throws {
        #expect(try Date.convert(from: .string("2026-11-29T00:05:09Z")) == utc(2026, 11, 29, 0, 5, 9))
        #expect(try Date.convert(from: .string("11/29/2026 12:05:09 AM")) == utc(2026, 11, 29, 0, 5, 9))
        #expect(try Date.convert(from: .string("11/29/2026")) == utc(2026, 11, 29))
        #expect(try Date.convert(from: .date(utc(2026, 1, 1))) == utc(2026, 1, 1))
    }

    @Test("A date that does not exist fails with .NET's message")
    func dateRejects() throws {
        let error = try #require(conversionFailure(.string("2026-02-30"), as: Date.self))
        #expect(error.typeName == "System.DateTime")
        #expect(error.reason == "String was not recognized as a valid DateTime.")
        #expect(conversionFailure(.string("tomorrow"), as: Date.self) != nil)
    }

    @Test("A PowerShell-form date that does not exist fails as .NET's DateTime.Parse does",
          arguments: ["2/30/2026", "13/1/2026", "11/29/2026 25:00:00"])
    func displayFormRejectsImpossibleDates(text: String) {
        #expect(conversionFailure(.string(text), as: Date.self) != nil)
    }
}

// MARK: - Optional and Array

@Suite("Optional and multi-valued conversions")
struct ContainerConversionTests {
    @Test("$null and empty text clear an optional value")
    func optionalNil() throws {
        #expect(try Optional<Int>.convert(from: .null) == nil)
        #expect(try Optional<Int>.convert(from: .string("")) == nil)
        #expect(try Optional<EnhancedTimeSpan>.convert(from: .string("")) == nil)
        #expect(try Optional<SmtpAddress>.convert(from: .null) == nil)
    }

    @Test("An empty string stays an empty string when the type is String")
    func optionalEmptyString() throws {
        #expect(try Optional<String>.convert(from: .string("")) == "")
        #expect(try Optional<String>.convert(from: .null) == nil)
    }

    @Test("An optional converts a present value as its wrapped type")
    func optionalValue() throws {
        #expect(try Optional<Int>.convert(from: .string("5")) == 5)
        #expect(try Optional<EnhancedTimeSpan>.convert(from: .int(730)) == .days(730))
        #expect(conversionFailure(.string("x"), as: Optional<Int>.self)?.typeName == "System.Int32")
        #expect(Optional<Int>.none.propertyValue == .null)
        #expect(Optional<Int>.some(3).propertyValue == .int(3))
    }

    @Test("Enumerations, IP ranges and SMTP addresses split a comma-joined string")
    func splittingTypes() {
        #expect(SampleRulesAction.splitsOnComma)
        #expect(IPRange.splitsOnComma)
        #expect(SmtpAddress.splitsOnComma)
        #expect(!String.splitsOnComma)
        #expect(!Int.splitsOnComma)
        #expect(!Bool.splitsOnComma)
        #expect(!EnhancedTimeSpan.splitsOnComma)
        #expect(!ByteQuantifiedSize.splitsOnComma)
    }

    @Test("A comma-joined string of enumerator names is a list", arguments: [
        "AllowAccess,DenyAccess", "allowaccess, denyaccess", " AllowAccess , DenyAccess ", "AllowAccess,,DenyAccess",
    ])
    func enumListSplits(text: String) throws {
        #expect(try [SampleRulesAction].convert(from: .string(text)) == [.allowAccess, .denyAccess])
    }

    @Test("A comma-joined string of IP ranges is a list")
    func ipListSplits() throws {
        let ranges = try [IPRange].convert(from: .string("10.0.0.1, 192.168.3.1/24,172.16.0.1-172.16.0.9"))
        #expect(ranges.map(\.description) == ["10.0.0.1", "192.168.3.0/24", "172.16.0.1-172.16.0.9"])
    }

    @Test("A comma-joined string of SMTP addresses is a list")
    func smtpListSplits() throws {
        let addresses = try [SmtpAddress].convert(from: .string("a@contoso.com,SMTP:b@contoso.com"))
        #expect(addresses.map(\.address) == ["a@contoso.com", "b@contoso.com"])
    }

    @Test("Free text keeps its commas")
    func stringDoesNotSplit() throws {
        #expect(try [String].convert(from: .string("Smith, John")) == ["Smith, John"])
    }

    @Test("Integers do not split on commas")
    func intDoesNotSplit() {
        #expect(conversionFailure(.string("1,2"), as: [Int].self) != nil)
    }

    @Test("A bad element in a comma-joined string fails naming that element")
    func badElement() throws {
        let error = try #require(conversionFailure(.string("AllowAccess,Allow"), as: [SampleRulesAction].self))
        #expect(error.value == "Allow")
    }

    @Test("$null is an empty list; a single value is a one-element list")
    func nullAndSingle() throws {
        #expect(try [Int].convert(from: .null) == [])
        #expect(try [Int].convert(from: .int(5)) == [5])
        #expect(try [SampleRulesAction].convert(from: .string("DenyAccess")) == [.denyAccess])
    }

    @Test("A list converts each item and flattens comma-joined items")
    func listItems() throws {
        #expect(try [Int].convert(from: .list([.int(1), .string("2")])) == [1, 2])
        let actions = try [SampleRulesAction].convert(from: .list([.string("AllowAccess,DenyAccess"), .string("allowaccess")]))
        #expect(actions == [.allowAccess, .denyAccess, .allowAccess])
    }

    @Test("A list prints brace-wrapped for display and comma-joined for fixtures")
    func listPrinting() {
        let value = [SampleRulesAction.allowAccess, .denyAccess].propertyValue
        #expect(value.displayText == "{AllowAccess, DenyAccess}")
        #expect(value.canonicalText == "AllowAccess,DenyAccess")
        #expect([Int]().propertyValue.displayText == "{}")
    }

    @Test("Container types report Exchange's generic type names")
    func typeNames() {
        #expect([SampleRulesAction].valueType.typeName
            == "Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.ClientAccessRulesAction]")
        #expect([SampleRulesAction].valueType.isMultiValued)
        #expect(Optional<Int>.valueType.typeName == "System.Int32")
        #expect(Unlimited<EnhancedTimeSpan>.valueType.shortName == "Unlimited<EnhancedTimeSpan>")
    }
}

// MARK: - PropertyValue text

@Suite("PropertyValue text")
struct PropertyValueTextTests {
    @Test("Display text is what PowerShell shows", arguments: [
        (PropertyValue.null, ""),
        (.bool(true), "True"),
        (.bool(false), "False"),
        (.int(-5), "-5"),
        (.unlimited, "Unlimited"),
        (.timeSpan(.days(730)), "730.00:00:00"),
        (.byteSize(.init(bytes: 10_485_760)), "10 MB (10,485,760 bytes)"),
        (.list([.string("a"), .int(1)]), "{a, 1}"),
        (.date(utc(2026, 11, 29, 0, 5, 9)), "11/29/2026 12:05:09 AM"),
    ])
    func displayText(value: PropertyValue, text: String) {
        #expect(value.displayText == text)
    }

    @Test("Canonical text uses ISO 8601 dates and unwrapped lists", arguments: [
        (PropertyValue.date(utc(2026, 11, 29, 0, 5, 9)), "2026-11-29T00:05:09Z"),
        (.list([.string("a"), .string("b")]), "a,b"),
        (.bool(true), "True"),
        (.unlimited, "Unlimited"),
    ])
    func canonicalText(value: PropertyValue, text: String) {
        #expect(value.canonicalText == text)
    }
}
