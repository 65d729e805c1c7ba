import Foundation
import Testing
import TenantModel
@testable import Shell

/// Select-Object, Where-Object, Sort-Object, ForEach-Object, Measure-Object and Group-Object
/// behave as PowerShell 7's (facts from PowerShell/PowerShell's Select-Object.cs,
/// InternalCommands.cs, OrderObjectBase.cs, ObjectCommandComparer.cs, Group-Object.cs,
/// Measure-Object.cs and their .resx strings).
@Suite struct UtilityCmdletTests {
    /// A custom object with these properties, in order.
    static func item(_ pairs: (String, PSValue)...) -> PSValue {
        .object(PSObject(typeName: TypeNames.psCustomObject, properties: pairs))
    }

    /// The people of most tests: names, ages, mixed-case and missing values.
    static var people: PSValue {
        .array(PSArray([
            item(("Name", .string("carol")), ("Age", .int(41)), ("Team", .string("Blue"))),
            item(("Name", .string("Alice")), ("Age", .int(9)), ("Team", .string("red"))),
            item(("Name", .string("bob")), ("Age", .int(10)), ("Team", .string("Red"))),
            item(("Name", .string("dave")), ("Age", .null), ("Team", .string("blue"))),
        ]))
    }

    /// Runs `script` with `$people` (and any other variables) set.
    func run(_ script: String, _ variables: [String: PSValue] = [:]) throws -> RunResult {
        let (session, _) = try makeShell()
        session.variables["people"] = Self.people
        for (k, v) in variables { session.variables[k.lowercased()] = v }
        return runScript(session, script)
    }

    func texts(_ script: String, _ variables: [String: PSValue] = [:]) throws -> [String] {
        let r = try run(script, variables)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        return r.output.map(\.text)
    }

    func object(_ value: PSValue?) -> PSObject? {
        if case .object(let o)? = value { return o }
        return nil
    }

    // MARK: Select-Object

    @Test func selectNamesAColumnAsTheObjectSpellsIt() throws {
        let r = try run("Get-Mailbox -Identity britton | Select-Object primarysmtpaddress")
        #expect(object(r.output.first)?.propertyNames == ["PrimarySmtpAddress"])
    }

    @Test func selectOfAMissingPropertyGivesAnEmptyColumnAndNoError() throws {
        let r = try run("Get-MobileDevice | Select-Object -First 1 DeviceId, DeviceMode")
        #expect(r.errors.isEmpty)
        let o = try #require(object(r.output.first))
        #expect(o.propertyNames == ["DeviceId", "DeviceMode"])
        #expect(o.property("DeviceMode")?.isNull == true)
    }

    @Test func selectWildcardExpandsInTheObjectsPropertyOrder() throws {
        let r = try run("Get-CASMailbox -Identity britton | Select PrimarySMTPAddress,*Enabled")
        let o = try #require(object(r.output.first))
        let cas = try #require(object(try run("Get-CASMailbox -Identity britton").output.first))
        let enabled = cas.propertyNames.filter { $0.lowercased().hasSuffix("enabled") }
        #expect(!enabled.isEmpty)
        #expect(o.propertyNames == ["PrimarySmtpAddress"] + enabled)
    }

    @Test(arguments: ["N", "na", "Name", "L", "Label", "lab"])
    func calculatedPropertyNameKeyTakesAnyPrefix(key: String) throws {
        let r = try run("$people | Select-Object -First 1 @{\(key)='Who'; E={$_.Name.ToUpper()}}")
        let o = try #require(object(r.output.first))
        #expect(o.propertyNames == ["Who"])
        #expect(o.property("Who")?.text == "CAROL")
    }

    @Test(arguments: ["E", "ex", "Expression"])
    func calculatedPropertyExpressionKeyTakesAnyPrefixAndAPropertyName(key: String) throws {
        let r = try run("$people | Select-Object -First 1 @{N='Years'; \(key)='Age'}")
        #expect(object(r.output.first)?.property("Years")?.text == "41")
    }

    @Test func paperMfaStatusColumnComesFromAScriptBlock() throws {
        let r = try run("Get-MsolUser -All | Select UserPrincipalname, @{N=”MFA Status”;E={$_.StrongAuthenticationRequirements.State}}")
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        #expect(!r.output.isEmpty)
        #expect(object(r.output.first)?.propertyNames == ["UserPrincipalName", "MFA Status"])
    }

    @Test func scriptBlockPropertyWithoutANameIsNamedByItsText() throws {
        let r = try run("$people | Select-Object -First 1 {$_.Age * 2}")
        let o = try #require(object(r.output.first))
        #expect(o.propertyNames == ["$_.Age * 2"])
        #expect(o.property("$_.Age * 2")?.text == "82")
    }

    @Test(arguments: [
        ("@{X='a'; E='Name'}", "The X key is not valid.", "DictionaryKeyIllegal"),
        ("@{N='a'}", "A mandatory entry for expression is missing.", "DictionaryKeyMandatoryEntry"),
        ("@{N=5; E='Name'}", "The \"N\" key has a type, System.Int32, that is not valid; expected type is System.String.", "DictionaryKeyIllegalValue2"),
        ("@{N='a'; E=5}", "The \"E\" key has a type, System.Int32, that is not valid; expected types are {System.String, System.Management.Automation.ScriptBlock}.", "DictionaryKeyIllegalValue1"),
        ("@{N='a'; Name='b'; E='Age'}", "The duplicated key \"Name\" conflicts with \"name\".", "DictionaryKeyDuplicate"),
        ("@{N='a'; E=''}", "The \"expression\" key cannot have an empty string value.", "ExpressionEmptyString1"),
    ])
    func calculatedPropertyErrorsAreTerminatingWithPowerShellsMessage(table: String, message: String, id: String) throws {
        let r = try run("$people | Select-Object \(table)")
        #expect(r.output.isEmpty)
        #expect(r.hadTerminatingError)
        #expect(r.errors.first?.message == message)
        #expect(r.errors.first?.errorId == "\(id),Microsoft.PowerShell.Commands.SelectObjectCommand")
    }

    @Test func selectOutputIsASelectedCustomObject() throws {
        let mailbox = try run("Get-Mailbox -Identity britton | Select Name")
        #expect(object(mailbox.output.first)?.typeNames == [
            "Selected.System.Management.Automation.PSCustomObject", TypeNames.psCustomObject, "System.Object"])
        let user = try run("Get-MsolUser -All | Select -First 1 UserPrincipalName")
        #expect(object(user.output.first)?.typeNames.first == "Selected.Microsoft.Online.Administration.User")
    }

    @Test(arguments: [
        ("-First 2", "1 2"), ("-Last 2", "4 5"), ("-Skip 2", "3 4 5"), ("-First 2 -Skip 1", "2 3"),
        ("-Last 2 -Skip 1", "3 4"), ("-First 1 -Last 1", "1 5"), ("-First 0", ""), ("-SkipLast 2", "1 2 3"),
        ("-Index 0,3", "1 4"), ("-First 9", "1 2 3 4 5"),
    ])
    func firstLastAndSkipPickAsPowerShellsQueueDoes(arguments: String, expected: String) throws {
        #expect(try texts("1,2,3,4,5 | Select-Object \(arguments)").joined(separator: " ") == expected)
    }

    @Test func negativeFirstFailsValidation() throws {
        let r = try run("1,2 | Select-Object -First -1")
        #expect(r.errors.first?.message == "Cannot validate argument on parameter 'First'. The -1 argument is less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.")
    }

    @Test func expandPropertyEnumeratesACollection() throws {
        let r = try run("Get-Mailbox -Identity britton | Select-Object -ExpandProperty EmailAddresses")
        #expect(r.errors.isEmpty)
        #expect(r.output.map(\.text).contains("SMTP:britton@brittest.onmicrosoft.com"))
    }

    @Test func expandPropertyOfANullValueOutputsNothing() throws {
        #expect(try texts("$people | Select-Object -ExpandProperty Age") == ["41", "9", "10"])
    }

    @Test func expandPropertyThatIsMissingWritesAnErrorPerObject() throws {
        let r = try run("$people | Select-Object -ExpandProperty Nope")
        #expect(r.output.isEmpty)
        #expect(r.errors.count == 4)
        #expect(r.errors.first?.message == "Property \"Nope\" cannot be found.")
        #expect(r.errors.first?.errorId == "ExpandPropertyNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand")
        #expect(r.hadTerminatingError == false)
    }

    @Test func uniqueComparesValuesCaseSensitively() throws {
        #expect(try texts("1,1,2,'a','A','a' | Select-Object -Unique") == ["1", "2", "a", "A"])
    }

    @Test func uniqueComparesSelectedProperties() throws {
        #expect(try texts("$people | Select-Object -Unique -ExpandProperty Team") == ["Blue", "red", "Red", "blue"])
        let r = try run("$people | Select-Object Team -Unique")
        #expect(r.output.count == 4)
        let same = try run("$people | Select-Object @{N='T'; E={$_.Team.ToLower()}} -Unique")
        #expect(same.output.compactMap { object($0)?.property("T")?.text } == ["blue", "red"])
    }

    @Test func uniqueTreatsWholeCustomObjectsAsDuplicates() throws {
        // PowerShell/PowerShell#12059: the objects' base PSCustomObjects compare equal.
        let r = try run("$people | Select-Object -Unique")
        #expect(r.output.count == 1)
        #expect(object(r.output.first)?.property("Name")?.text == "carol")
    }

    @Test func excludePropertyAloneImpliesEveryProperty() throws {
        let r = try run("$people | Select-Object -First 1 -ExcludeProperty A*")
        #expect(object(r.output.first)?.propertyNames == ["Name", "Team"])
    }

    @Test func aPropertySelectedTwiceIsAnErrorAndKeptOnce() throws {
        let r = try run("$people | Select-Object -First 1 Name, name")
        #expect(object(r.output.first)?.propertyNames == ["Name"])
        #expect(r.errors.first?.message == "The property cannot be processed because the property \"Name\" already exists.")
    }

    @Test func selectWithoutPropertiesPassesObjectsThrough() throws {
        let r = try run("Get-Mailbox | Select-Object -First 1")
        #expect(object(r.output.first)?.typeNames.first == TypeNames.mailbox)
    }

    // MARK: Where-Object

    @Test func paperIosFilterKeepsOnlyIosDevices() throws {
        let r = try run("Get-MobileDevice | Where-Object {$_.DeviceOS.StartsWith(“iOS”)}")
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        #expect(!r.output.isEmpty)
        #expect(r.output.allSatisfy { object($0)?.property("DeviceOS")?.text.hasPrefix("iOS") == true })
    }

    @Test(arguments: [
        ("Where-Object Team -eq red", ["Alice", "bob"]),
        ("Where-Object Team -ceq red", ["Alice"]),
        ("Where-Object Age -gt 9", ["carol", "bob"]),
        ("Where-Object Name -like '*o*'", ["carol", "bob"]),
        ("Where-Object Name -match '^[a-c]'", ["carol", "Alice", "bob"]),
        ("Where-Object Name -in 'bob','dave'", ["bob", "dave"]),
        ("Where-Object Name -notin 'bob','dave'", ["carol", "Alice"]),
        ("Where-Object -Property Team -NE blue", ["Alice", "bob"]),
        ("Where-Object Age", ["carol", "Alice", "bob"]),
        ("Where-Object -Not Age", ["dave"]),
        ("Where-Object Nope", []),
        ("? {$_.Age -lt 10}", ["Alice", "dave"]),
    ])
    func simplifiedSyntaxComparesThePropertyAsTheOperatorDoes(filter: String, names: [String]) throws {
        #expect(try texts("$people | \(filter) | ForEach-Object Name") == names)
    }

    @Test func containsTestsACollectionProperty() throws {
        let r = try run("Get-Mailbox | Where-Object EmailAddresses -Contains 'SMTP:britton@brittest.onmicrosoft.com'")
        #expect(r.output.count == 1)
    }

    @Test func aValueWithoutAnOperatorIsAnError() throws {
        let r = try run("$people | Where-Object Team red")
        #expect(r.output.isEmpty)
        #expect(r.errors.first?.errorId == "OperatorNotSpecified,Microsoft.PowerShell.Commands.WhereObjectCommand")
        #expect(r.errors.first?.message.hasPrefix("An operator is required to compare the two specified values.") == true)
    }

    @Test func anOperatorWithoutAValueIsAnError() throws {
        let r = try run("$people | Where-Object Team -eq")
        #expect(r.errors.first?.errorId == "ValueNotSpecifiedForWhereObject,Microsoft.PowerShell.Commands.WhereObjectCommand")
    }

    @Test func whereWithoutAnyArgumentMissesTheProperty() throws {
        let r = try run("$people | Where-Object")
        #expect(r.errors.first?.message == "Cannot process command because of one or more missing mandatory parameters: Property.")
    }

    @Test func filterScriptOutputIsJudgedByTruthiness() throws {
        #expect(try texts("1,0,'','x',$null | Where-Object {$_}") == ["1", "x"])
    }

    // MARK: Sort-Object

    @Test func sortPutsNullFirstNumbersNumericallyAndTextIgnoringCase() throws {
        #expect(try texts("10, 9, $null, 100 | Sort-Object") == ["9", "10", "100"])
        #expect(try texts("'b','C','a','B' | Sort-Object") == ["a", "b", "B", "C"])
        #expect(try texts("$people | Sort-Object Age | ForEach-Object Name") == ["dave", "Alice", "bob", "carol"])
    }

    @Test func negativeNumbersSortBeforeNull() {
        #expect(UtilityCmdlets.compareValues(.int(-1), .null, caseSensitive: false) < 0)
        #expect(UtilityCmdlets.compareValues(.null, .int(0), caseSensitive: false) < 0)
        #expect(UtilityCmdlets.compareValues(.null, .string(""), caseSensitive: false) < 0)
    }

    @Test func textThatLooksNumericSortsAsTextUnlessTheFirstIsANumber() {
        #expect(UtilityCmdlets.compareValues(.string("10"), .string("9"), caseSensitive: false) < 0)
        #expect(UtilityCmdlets.compareValues(.int(10), .string("9"), caseSensitive: false) > 0)
    }

    @Test func sortDescending() throws {
        #expect(try texts("$people | Sort-Object Name -Descending | ForEach-Object Name") == ["dave", "carol", "bob", "Alice"])
    }

    @Test func aHashtableKeyKeepsItsOwnDirection() throws {
        let names = try texts("$people | Sort-Object @{E='Team'; Descending=$true}, @{E='Name'; A=$true} | ForEach-Object Name")
        #expect(names == ["Alice", "bob", "carol", "dave"])
    }

    @Test func aMissingPropertySortsLastInBothDirections() throws {
        let list = PSValue.array(PSArray([Self.item(("X", .int(2))), Self.item(("Y", .int(0))), Self.item(("X", .int(1)))]))
        #expect(try texts("$list | Sort-Object X | ForEach-Object { $_.X }", ["list": list]) == ["1", "2", ""])
        #expect(try texts("$list | Sort-Object X -Descending | ForEach-Object { $_.X }", ["list": list]) == ["2", "1", ""])
    }

    @Test func datesSortInTimeOrder() throws {
        let r = try run("Get-MobileDevice | Sort-Object WhenCreated")
        let dates = r.output.compactMap { v -> Date? in
            if case .date(let d)? = object(v)?.property("WhenCreated") { return d }
            return nil
        }
        #expect(dates.count == r.output.count)
        #expect(dates == dates.sorted())
    }

    @Test func equalKeysKeepTheirInputOrder() throws {
        #expect(try texts("$people | Sort-Object Team | ForEach-Object Name") == ["carol", "dave", "Alice", "bob"])
    }

    @Test func sortUniqueKeepsTheFirstOfEqualKeys() throws {
        #expect(try texts("'b','a','B','c','A' | Sort-Object -Unique") == ["a", "b", "c"])
    }

    @Test func caseSensitiveSortPutsLowercaseFirst() throws {
        #expect(try texts("'B','a','b','A' | Sort-Object -CaseSensitive") == ["a", "A", "b", "B"])
    }

    @Test func topAndBottomTakeFromTheSortedList() throws {
        #expect(try texts("5,3,1,4,2 | Sort-Object -Top 2") == ["1", "2"])
        #expect(try texts("5,3,1,4,2 | Sort-Object -Bottom 2") == ["4", "5"])
    }

    @Test func sortByScriptBlock() throws {
        #expect(try texts("'ccc','a','bb' | Sort-Object {$_.Length} -Descending") == ["ccc", "bb", "a"])
    }

    // MARK: ForEach-Object

    @Test func processRunsOncePerObjectWithDollarUnderscore() throws {
        #expect(try texts("1,2,3 | ForEach-Object { $_ * 10 }") == ["10", "20", "30"])
    }

    @Test func beginProcessAndEndRunInOrder() throws {
        #expect(try texts("1,2 | ForEach-Object -Begin {'b'} -Process {$_} -End {'e'}") == ["b", "1", "2", "e"])
        #expect(try texts("1,2 | % {'b'} {$_}") == ["b", "1", "2"])
    }

    @Test func withoutInputTheProcessBlockRunsOnce() throws {
        #expect(try texts("ForEach-Object { 'once' }") == ["once"])
    }

    @Test func memberNameGetsThePropertyAndUnrollsCollections() throws {
        #expect(try texts("$people | % Name") == ["carol", "Alice", "bob", "dave"])
        let r = try run("Get-Mailbox -Identity britton | ForEach-Object EmailAddresses")
        #expect(r.output.count > 0)
        #expect(r.output.allSatisfy { if case .string = $0 { return true } else { return false } })
    }

    @Test func memberNameOfAMissingPropertyOutputsNull() throws {
        let r = try run("$people | ForEach-Object Nope")
        #expect(r.errors.isEmpty)
        #expect(r.output.count == 4)
        #expect(r.output.allSatisfy { $0.isNull })
    }

    @Test func memberNameCallsAMethod() throws {
        #expect(try texts("'ab','cd' | ForEach-Object ToUpper") == ["AB", "CD"])
        #expect(try texts("'abc' | ForEach-Object -MemberName Substring -ArgumentList 1") == ["bc"])
    }

    @Test func whatIfIsRefusedForScriptBlocks() throws {
        let r = try run("1 | ForEach-Object { $_ } -WhatIf")
        #expect(r.errors.first?.message == "The -WhatIf and -Confirm parameters are not supported for script blocks.")
    }

    // MARK: Measure-Object

    @Test func measureCountsAndLeavesUnrequestedStatisticsNull() throws {
        let r = try run("$people | Measure-Object")
        let m = try #require(object(r.output.first))
        #expect(m.typeNames.first == TypeNames.measureInfo)
        #expect(m.propertyNames == ["Count", "Average", "Sum", "Maximum", "Minimum", "StandardDeviation", "Property"])
        #expect(m.property("Count")?.text == "4")
        #expect(["Average", "Sum", "Maximum", "Minimum", "StandardDeviation", "Property"].allSatisfy { m.property($0)?.isNull == true })
    }

    @Test func measurePropertyStatistics() throws {
        let r = try run("$people | Measure-Object Age -Sum -Average -Maximum -Minimum")
        let m = try #require(object(r.output.first))
        #expect(m.property("Count")?.text == "4")
        #expect(m.property("Sum")?.text == "60")
        #expect(m.property("Average")?.text == "15")
        #expect(m.property("Maximum")?.text == "41")
        // Measure-Object.cs: dave's $null Age compares below 9 and becomes the minimum.
        #expect(m.property("Minimum")?.isNull == true)
        #expect(m.property("Property")?.text == "Age")
    }

    @Test func sampleStandardDeviation() throws {
        let r = try run("1,2,3,4 | Measure-Object -StandardDeviation")
        let sd = try #require(object(r.output.first)?.property("StandardDeviation"))
        guard case .double(let d) = sd else { Issue.record("not a double: \(sd)"); return }
        #expect(abs(d - 1.2909944487358056) < 1e-12)
    }

    @Test func aPropertyNoObjectHasOutputsNothing() throws {
        let r = try run("$people | Measure-Object Nope -Sum")
        #expect(r.output.isEmpty)
        #expect(r.errors.isEmpty)
    }

    @Test func nonNumericValuesAreErrorsAndNullTheSum() throws {
        let r = try run("1,'x',3 | Measure-Object -Sum")
        #expect(r.errors.first?.message == "Input object \"x\" is not numeric.")
        let m = try #require(object(r.output.first))
        #expect(m.property("Count")?.text == "3")
        #expect(m.property("Sum")?.isNull == true)
    }

    @Test func textMaximumKeepsTheValueInAnObjectMeasureInfo() throws {
        let r = try run("$people | Measure-Object Name -Maximum -Minimum")
        let m = try #require(object(r.output.first))
        #expect(m.typeNames.first == "Microsoft.PowerShell.Commands.GenericObjectMeasureInfo")
        #expect(m.property("Maximum")?.text == "dave")
        #expect(m.property("Minimum")?.text == "Alice")
    }

    @Test func measuresLinesWordsAndCharacters() throws {
        let r = try run("'one two','three' | Measure-Object -Line -Word -Character")
        let m = try #require(object(r.output.first))
        #expect(m.propertyNames == ["Lines", "Words", "Characters", "Property"])
        #expect([m.property("Lines"), m.property("Words"), m.property("Characters")].map { $0?.text } == ["2", "3", "12"])
    }

    @Test func measuringNothingCountsZero() throws {
        let r = try run("@() | Measure-Object -Sum")
        let m = try #require(object(r.output.first))
        #expect(m.property("Count")?.text == "0")
        #expect(m.property("Sum")?.text == "0")
    }

    // MARK: Group-Object

    @Test func groupsComeOutSortedByValueAndIgnoringCase() throws {
        let r = try run("$people | Group-Object Team")
        let groups = r.output.compactMap(object)
        #expect(groups.map { $0.property("Name")?.text } == ["Blue", "red"])
        #expect(groups.map { $0.property("Count")?.text } == ["2", "2"])
        #expect(groups.first?.propertyNames == ["Values", "Count", "Group", "Name"])
        #expect(groups.first?.typeNames.first == TypeNames.groupInfo)
    }

    @Test func groupsOfMixedTypesKeepFirstAppearanceOrder() throws {
        let r = try run("'b', 1, 'a', 1 | Group-Object")
        #expect(r.output.compactMap { object($0)?.property("Name")?.text } == ["b", "1", "a"])
    }

    @Test func groupByScriptBlockOnDevices() throws {
        let r = try run("Get-MobileDevice | Group-Object {$_.DeviceOS.Split(' ')[0]}")
        #expect(r.output.compactMap { object($0)?.property("Name")?.text } == ["Android", "iOS"])
    }

    @Test func noElementLeavesTheGroupEmpty() throws {
        let r = try run("$people | Group-Object Team -NoElement")
        let g = try #require(object(r.output.first))
        #expect(g.property("Count")?.text == "2")
        #expect(g.property("Group")?.enumerated.isEmpty == true)
        #expect(g.typeNames.first == "Microsoft.PowerShell.Commands.GroupInfoNoElement")
    }

    @Test func asHashTableMapsEachValueToItsObjects() throws {
        #expect(try texts("$h = $people | Group-Object Team -AsHashTable; $h['RED'].Count") == ["2"])
    }

    @Test func asHashTableWithTwoPropertiesNeedsAsString() throws {
        let r = try run("$people | Group-Object Team, Age -AsHashTable")
        #expect(r.errors.first?.message == "The command cannot be run because using the AsHashTable parameter with more than one property requires adding the AsString parameter.")
    }

    @Test func groupingRefusesWildcards() throws {
        let r = try run("$people | Group-Object T*")
        #expect(r.errors.first?.message == "Wildcard characters are not allowed in \"T*\".")
    }

    @Test func aMissingPropertyGroupsUnderAnEmptyName() throws {
        let r = try run("$people | Group-Object Nope")
        let g = try #require(object(r.output.first))
        #expect(r.output.count == 1)
        #expect(g.property("Name")?.text == "")
        #expect(g.property("Count")?.text == "4")
    }
}

/// TestSupport's `run`, reachable from inside the suite (whose own `run` shadows it).
private func runScript(_ session: ShellSession, _ script: String) -> RunResult { run(session, script) }
