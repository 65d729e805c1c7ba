import Foundation
import Testing
import TenantModel
@testable import Shell

/// Out-Default, Format-Table, Format-List, Out-String and the JSON cmdlets lay text out as
/// PowerShell 7 does (TableWriter.cs, ColumnWidthManager.cs, ListWriter.cs,
/// BaseOutputtingCommand.cs, JsonObject.cs). Expected text is written out by hand.
@Suite struct OutputFormattingTests {
    static func object(_ pairs: (String, PSValue)..., type: String = TypeNames.psCustomObject) -> PSValue {
        .object(PSObject(typeName: type, properties: pairs))
    }

    // MARK: Out-Default

    @Test func stringsNumbersAndBooleansPrintOnePerLine() {
        #expect(OutputFormatter.render([.string("x"), .int(5), .bool(true), .double(1.5)]) == "x\n5\nTrue\n1.5\n")
    }

    @Test func nullIsSkippedAndArraysAreEnumerated() {
        let value = PSValue.array(PSArray([.string("a"), .null, .array(PSArray([.string("b"), .string("c")]))]))
        #expect(OutputFormatter.render([value]) == "a\nb\nc\n")
    }

    @Test func objectsWithUpToFourPropertiesMakeATableSizedToContent() {
        let rows: [PSValue] = [
            Self.object(("Name", .string("alpha")), ("Count", .int(3)), ("Enabled", .true)),
            Self.object(("Name", .string("b")), ("Count", .int(12)), ("Enabled", .false)),
        ]
        let expected = "\n"
            + "Name  Count Enabled\n"
            + "----  ----- -------\n"
            + "alpha     3    True\n"
            + "b        12   False\n"
            + "\n"
        #expect(OutputFormatter.render(rows) == expected)
    }

    @Test func alignmentFollowsTheFirstObjectsValues() {
        // The first object has $null for Count, so the column stays left-aligned.
        let rows: [PSValue] = [
            Self.object(("Id", .null), ("Name", .string("a"))),
            Self.object(("Id", .int(42)), ("Name", .string("b"))),
        ]
        #expect(OutputFormatter.render(rows) == "\nId Name\n-- ----\n   a\n42 b\n\n")
    }

    @Test func objectsWithMoreThanFourPropertiesMakeAList() {
        let o = Self.object(("Name", .string("alpha")), ("Alias", .string("a")), ("Enabled", .true), ("Quota", .null), ("Database", .string("db1")))
        let expected = "\n"
            + "Name     : alpha\n"
            + "Alias    : a\n"
            + "Enabled  : True\n"
            + "Quota    : \n"
            + "Database : db1\n"
            + "\n"
        #expect(OutputFormatter.render([o]) == expected)
    }

    @Test func listEntriesAreSeparatedByOneBlankLine() {
        func five(_ n: String) -> PSValue { Self.object(("A", .string(n)), ("B", .int(1)), ("C", .int(2)), ("D", .int(3)), ("E", .int(4))) }
        let expected = "\nA : x\nB : 1\nC : 2\nD : 3\nE : 4\n\nA : y\nB : 1\nC : 2\nD : 3\nE : 4\n\n"
        #expect(OutputFormatter.render([five("x"), five("y")]) == expected)
    }

    @Test func collectionsShowInBracesUpToFourItems() {
        let rows: [PSValue] = [
            Self.object(("Name", .string("a")), ("Tags", .array(PSArray([.string("a"), .string("b")])))),
            Self.object(("Name", .string("b")), ("Tags", .array(PSArray((1...5).map { .int($0) })))),
            Self.object(("Name", .string("c")), ("Tags", .array(PSArray([])))),
        ]
        let expected = "\nName Tags\n---- ----\na    {a, b}\nb    {1, 2, 3, 4…}\nc    {}\n\n"
        #expect(OutputFormatter.render(rows) == expected)
    }

    @Test func anExchangeMultiValuedPropertyShowsInBraces() {
        let list = PSValue(PropertyValue.list([.string("ApplF17XQ1NZ0D5"), .string("ApplC39K2M8PQ7R")]))
        #expect(OutputFormatter.displayText(list) == "{ApplF17XQ1NZ0D5, ApplC39K2M8PQ7R}")
    }

    @Test func aTableTooWideForTheLineCutsItsLastColumnWithAnEllipsis() {
        let rows: [PSValue] = [Self.object(("Name", .string("alpha")), ("Description", .string("a long description text here")))]
        let expected = "\nName  Description\n----  -----------\nalpha a long description text…\n\n"
        #expect(OutputFormatter.render(rows, width: 30) == expected)
    }

    @Test func aColumnThatCannotFitIsHidden() {
        let rows: [PSValue] = [Self.object(("Name", .string("averyveryverylongname")), ("Value", .string("x")))]
        // Value cannot keep one character, so it goes and Name shrinks to the 20 columns. The
        // header (written as a wrapping row) pads all but the last visible column; the dashes
        // and rows pad all but the table's last column, which is the hidden Value.
        let expected = "\nName\n----                \naveryveryverylongna…\n\n"
        #expect(OutputFormatter.render(rows, width: 20) == expected)
    }

    @Test func theCASMailboxViewIsATableOfItsSevenColumns() {
        let cas = Self.object(("Name", .string("britton")), ("ActiveSyncEnabled", .true), ("OWAEnabled", .false),
                              ("PopEnabled", .true), ("ImapEnabled", .true), ("MAPIEnabled", .true),
                              ("SmtpClientAuthenticationDisabled", .null), ("ECPEnabled", .true), type: TypeNames.casMailbox)
        let expected = "\n"
            + "Name                 ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled SmtpClientAuthenticationDisabled\n"
            + "----                 ----------------- ---------- ---------- ----------- ----------- --------------------------------\n"
            + "britton              True              False      True       True        True        \n"
            + "\n"
        #expect(OutputFormatter.render([cas]) == expected)
    }

    @Test func theMailboxViewCutsLongValuesAtItsFixedWidths() {
        let mailbox = Self.object(
            ("Name", .string("DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}")),
            ("Alias", .string("DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}")),
            ("ProhibitSendQuota", .string("50 GB (53,687,091,200 bytes)")),
            ("ExternalDirectoryObjectId", .string("28c9da32-b5bb-4ddc-92db-838b78f49950")),
            ("AuditEnabled", .true), type: TypeNames.mailbox)
        let expected = "\n"
            + "Name                      Alias           Database                       ProhibitSendQuota    ExternalDirectoryObjectId\n"
            + "----                      -----           --------                       -----------------    -------------------------\n"
            + "DiscoverySearchMailbox{D… DiscoverySearc…                                50 GB (53,687,091,2… 28c9da32-b5bb-4ddc-92db-8…\n"
            + "\n"
        #expect(OutputFormatter.render([mailbox]) == expected)
    }

    @Test func thePSSessionViewRightAlignsIdAndAvailability() {
        let session = Self.object(("Id", .int(1)), ("Name", .string("WinRM1")), ("Transport", .string("WSMan")),
                                  ("ComputerName", .string("outlook.office365.com")), ("ComputerType", .string("RemoteMachine")),
                                  ("State", .string("Opened")), ("ConfigurationName", .string("Microsoft.Exchange")),
                                  ("Availability", .string("Available")), type: TypeNames.psSession)
        let expected = "\n"
            + " Id Name            Transport ComputerName    ComputerType    State         ConfigurationName     Availability\n"
            + " -- ----            --------- ------------    ------------    -----         -----------------     ------------\n"
            + "  1 WinRM1          WSMan     outlook.office… RemoteMachine   Opened        Microsoft.Exchange       Available\n"
            + "\n"
        #expect(OutputFormatter.render([session]) == expected)
    }

    @Test func anObjectThatDoesNotFitTheViewComesOutAsAList() {
        let rule = Self.object(("Name", .string("Android (DeviceType)")), ("Characteristic", .string("DeviceType")),
                               ("QueryString", .string("Android")), ("AccessLevel", .string("Block")), ("Identity", .string("x")),
                               type: TypeNames.deviceAccessRule)
        let other = Self.object(("A", .int(1)))
        let expected = "\n"
            + "Name                 Characteristic QueryString AccessLevel\n"
            + "----                 -------------- ----------- -----------\n"
            + "Android (DeviceType) DeviceType     Android     Block\n"
            + "\n"
            + "A : 1\n"
            + "\n"
            + "\n"
        #expect(OutputFormatter.render([rule, other]) == expected)
    }

    @Test func aHashtableShowsAsNameValueRows() {
        let h = PSHashtable([("Add", .string("MailboxLogin")), ("Remove", .null)])
        let expected = "\n"
            + "Name                           Value\n"
            + "----                           -----\n"
            + "Add                            MailboxLogin\n"
            + "Remove                         \n"
            + "\n"
        #expect(OutputFormatter.render([.hashtable(h)]) == expected)
    }

    @Test func aDateOnItsOwnPrintsItsLongForm() {
        let date = CivilTime.date(year: 2019, month: 6, day: 17, hour: 14)!
        #expect(OutputFormatter.render([.date(date)]) == "\nMonday, June 17, 2019 2:00:00 PM\n\n")
    }

    @Test func aCellWithSeveralLinesShowsItsFirstLineAndAnEllipsis() {
        let rows: [PSValue] = [Self.object(("Note", .string("first\nsecond")))]
        #expect(OutputFormatter.render(rows) == "\nNote\n----\nfirst…\n\n")
    }

    // MARK: Format-Table / Format-List

    @Test func formatTableWithPropertiesKeepsAPlainNameTheObjectLacks() {
        let rows: [PSValue] = [Self.object(("DeviceId", .string("ApplF17")), ("DeviceOS", .string("iOS 12.1")))]
        let text = OutputFormatter.renderTable(rows, properties: ["deviceid", "DeviceMode"], autoSize: false)
        #expect(text == "\nDeviceId DeviceMode\n-------- ----------\nApplF17  \n\n")
    }

    @Test func formatTableExpandsWildcardsAgainstTheFirstObject() {
        let rows: [PSValue] = [Self.object(("Name", .string("a")), ("PopEnabled", .true), ("ImapEnabled", .false), ("Id", .int(1)))]
        let text = OutputFormatter.renderTable(rows, properties: ["Name", "*Enabled"], autoSize: false)
        #expect(text == "\nName PopEnabled ImapEnabled\n---- ---------- -----------\na          True       False\n\n")
    }

    @Test func formatTableAutoSizeOverridesAViewsFixedWidths() {
        let cas = Self.object(("Name", .string("bo")), ("ActiveSyncEnabled", .true), ("OWAEnabled", .true), ("PopEnabled", .true),
                              ("ImapEnabled", .true), ("MAPIEnabled", .true), ("SmtpClientAuthenticationDisabled", .false),
                              type: TypeNames.casMailbox)
        let text = OutputFormatter.renderTable([cas], properties: nil, autoSize: true)
        let expected = "\n"
            + "Name ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled SmtpClientAuthenticationDisabled\n"
            + "---- ----------------- ---------- ---------- ----------- ----------- --------------------------------\n"
            + "bo   True              True       True       True        True        False\n"
            + "\n"
        #expect(text == expected)
    }

    @Test func formatListStarShowsEveryPropertyAndNamesListOnlyThose() {
        let o = Self.object(("Name", .string("a")), ("Enabled", .true))
        #expect(OutputFormatter.renderList([o], properties: ["*"]) == "\nName    : a\nEnabled : True\n\n")
        #expect(OutputFormatter.renderList([o], properties: ["enabled", "Missing"]) == "\nEnabled : True\n\n")
    }

    @Test func formatListWrapsLongValuesUnderTheValueColumn() {
        let o = Self.object(("Name", .string("alpha beta gamma delta")))
        #expect(OutputFormatter.renderList([o], properties: nil, width: 18) == "\nName : alpha beta \n       gamma delta\n\n")
    }

    @Test func formatTableWrapPutsLongCellsOnMoreLines() {
        let rows: [PSValue] = [Self.object(("Name", .string("a")), ("Text", .string("one two three four")))]
        let segments = OutputFormatter.tableSegments(rows, properties: nil, autoSize: false, wrap: true, hideHeaders: false, evaluate: nil)
        let text = OutputFormatter.text(of: segments, tableWidth: 15, listWidth: 15)
        #expect(text == "\nName Text\n---- ----\na    one two\n     three four\n\n")
    }

    @Test func formatOutputPrintsVerbatimAndReflowsToTheOutputWidth() {
        let rows: [PSValue] = [Self.object(("Name", .string("alpha")), ("Description", .string("a long description text here")))]
        let segments = OutputFormatter.tableSegments(rows, properties: nil, autoSize: false, wrap: false, hideHeaders: false, evaluate: nil)
        let markers = segments.map(OutputFormatter.marker)
        #expect(OutputFormatter.render(markers, width: 30) == OutputFormatter.render(rows, width: 30))
        #expect(OutputFormatter.render(markers, width: 120) == "\nName  Description\n----  -----------\nalpha a long description text here\n\n")
    }

    // MARK: The shell

    @Test func formatTableAtTheEndOfAStatementPrintsTheTable() throws {
        let (session, host) = try makeShell()
        let result = run(session, "[PSCustomObject]@{Name='a'; Count=1} | ft")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        #expect(host.output == "\nName Count\n---- -----\na        1\n\n")
    }

    @Test func outStringStreamGivesOneStringPerLine() throws {
        let (session, _) = try makeShell()
        let result = run(session, "[PSCustomObject]@{Name='a'} | Out-String -Stream")
        #expect(result.output.map(\.text) == ["", "Name", "----", "a", ""])
        let whole = run(session, "[PSCustomObject]@{Name='a'} | Out-String")
        #expect(whole.output.map(\.text) == ["\nName\n----\na\n\n"])
    }

    @Test func getCASMailboxUsesItsDefaultView() throws {
        let (session, host) = try makeShell()
        let result = run(session, "Get-CASMailbox -Identity britton@brittest.onmicrosoft.com")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        let lines = host.output.components(separatedBy: "\n")
        #expect(lines.count > 3)
        #expect(lines[1] == "Name                 ActiveSyncEnabled OWAEnabled PopEnabled ImapEnabled MapiEnabled SmtpClientAuthenticationDisabled")
    }

    @Test func formatTableTakesCalculatedPropertiesWithWidthAndAlignment() throws {
        let (session, host) = try makeShell()
        let result = run(session, "[PSCustomObject]@{Name='alpha'} | Format-Table Name, @{N='Len'; E={$_.Name.Length}; Width=6; Alignment='Left'}")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        // Name's width is open, so the table sizes to content; Len keeps the left alignment asked for.
        #expect(host.output == "\nName  Len\n----  ---\nalpha 5\n\n")
    }

    @Test func formatListInTheShellListsTheNamedProperties() throws {
        let (session, host) = try makeShell()
        let result = run(session, "[PSCustomObject]@{Name='a'; Count=2; Skip=3} | fl Name, C*")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        #expect(host.output == "\nName  : a\nCount : 2\n\n")
    }

    @Test func outStringWidthReflowsAFormattedTable() throws {
        let (session, _) = try makeShell()
        let result = run(session, "[PSCustomObject]@{Name='alpha'; Description='a long description text here'} | ft | Out-String -Width 30")
        #expect(result.output.map(\.text) == ["\nName  Description\n----  -----------\nalpha a long description text…\n\n"])
    }

    @Test func importPSSessionShowsTheModuleView() {
        let module = Self.object(("ModuleType", .string("Script")), ("Version", .string("1.0")), ("Name", .string("tmp_exchange")),
                                 ("ExportedCommands", .array(PSArray(["Add-MailboxPermission", "Get-Mailbox"].map { .string($0) }))),
                                 type: "System.Management.Automation.PSModuleInfo")
        let expected = "\n"
            + "ModuleType Version    PreRelease Name                                ExportedCommands\n"
            + "---------- -------    ---------- ----                                ----------------\n"
            + "Script     1.0                   tmp_exchange                        {Add-MailboxPermission, Get-Mailbox}\n"
            + "\n"
        #expect(OutputFormatter.render([module]) == expected)
    }

    @Test func writeHostWritesToTheHostAndOutputsNothing() throws {
        let (session, host) = try makeShell()
        let result = run(session, "Write-Host 'Done' -ForegroundColor Green")
        #expect(result.output.isEmpty)
        #expect(host.output == "Done\n")
    }

    @Test func writeOutputEnumeratesUnlessNoEnumerate() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Write-Output @(1,2)").output.count == 2)
        #expect(run(session, "Write-Output @(1,2) -NoEnumerate").output.count == 1)
    }

    // MARK: JSON

    @Test func convertToJsonIndentsTwoSpacesAndCutsAtDepth() {
        let inner = PSValue.object(PSObject(properties: [("d", .int(1))]))
        let value = PSValue.hashtable(PSHashtable([
            ("name", .string("a\"b")), ("on", .true), ("n", .null), ("x", .double(2)),
            ("list", .array(PSArray([.int(1), .int(2)]))), ("empty", .array(PSArray([]))),
            ("a", .object(PSObject(properties: [("b", .object(PSObject(properties: [("c", inner)])))]))),
        ]))
        let (json, truncated) = JsonFormat.serialize(value)
        let expected = """
        {
          "name": "a\\"b",
          "on": true,
          "n": null,
          "x": 2.0,
          "list": [
            1,
            2
          ],
          "empty": [],
          "a": {
            "b": {
              "c": "@{d=1}"
            }
          }
        }
        """
        #expect(json == expected)
        #expect(truncated)
    }

    @Test func convertToJsonCompressAndDates() {
        let date = CivilTime.date(year: 2019, month: 6, day: 17, hour: 14)!
        let value = PSValue.object(PSObject(properties: [("When", .date(date)), ("Level", .exchange(.enumCase(type: "DeviceAccessLevel", name: "Block")))]))
        #expect(JsonFormat.serialize(value, compress: true).json == "{\"When\":\"2019-06-17T14:00:00Z\",\"Level\":\"Block\"}")
    }

    @Test func convertToJsonInTheShellWarnsWhenItTruncates() throws {
        let (session, host) = try makeShell()
        let result = run(session, "@{a=@{b=@{c=@{d=1}}}} | ConvertTo-Json")
        #expect(result.output.map(\.text) == ["{\n  \"a\": {\n    \"b\": {\n      \"c\": \"System.Collections.Hashtable\"\n    }\n  }\n}"])
        #expect(host.warnings == ["Resulting JSON is truncated as serialization has exceeded the set depth of 2."])
    }

    @Test func convertFromJsonMakesObjectsArraysAndDates() throws {
        let node = try JsonFormat.parse(#"{"a": [1, 2.5, "x"], "b": {"c": null}, "t": "2019-06-17T14:00:00Z"}"#)
        let value = JsonFormat.value(try #require(node))
        guard case .object(let o) = value else { Issue.record("not an object"); return }
        #expect(o.propertyNames == ["a", "b", "t"])
        #expect(o.property("a")?.enumerated.map(\.text) == ["1", "2.5", "x"])
        if case .date(let d)? = o.property("t") { #expect(d == CivilTime.date(year: 2019, month: 6, day: 17, hour: 14)) } else { Issue.record("no date") }
    }
}
