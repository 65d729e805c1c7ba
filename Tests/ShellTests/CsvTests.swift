import Foundation
import Testing
import TenantModel
@testable import Shell

/// Export-Csv writes the bytes PowerShell 7 writes on Linux (CsvCommands.cs, PathUtils.cs):
/// every field quoted, `""` for a quote, `\n` line ends, UTF-8 without BOM, no #TYPE line,
/// `$null` as an empty unquoted field. Expected bytes are written out by hand.
@Suite struct CsvTests {
    static func object(_ pairs: (String, PSValue)...) -> PSValue {
        .object(PSObject(typeName: TypeNames.psCustomObject, properties: pairs))
    }

    static func export(_ values: [PSValue], file: String = "out.csv", in dir: String? = nil,
                       configure: (inout CsvFileExport) -> Void = { _ in }) throws -> (bytes: [UInt8], path: String) {
        let directory = dir ?? temporaryDirectory()
        let path = directory + "/" + file
        var export = CsvFileExport(path: path, displayPath: file)
        configure(&export)
        try export.write(values)
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), path)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: The paper's files

    @Test func mailboxAuditingFileHasAQuotedHeaderAndOneRowPerMailbox() throws {
        let rows = [
            Self.object(("PrimarySMTPAddress", .string("britton@brittest.onmicrosoft.com")), ("AuditEnabled", .true)),
            Self.object(("PrimarySMTPAddress", .string("adele@brittest.onmicrosoft.com")), ("AuditEnabled", .false)),
        ]
        let expected = Self.bytes("\"PrimarySMTPAddress\",\"AuditEnabled\"\n"
            + "\"britton@brittest.onmicrosoft.com\",\"True\"\n"
            + "\"adele@brittest.onmicrosoft.com\",\"False\"\n")
        #expect(try Self.export(rows).bytes == expected)
    }

    @Test func aMultiValuedPropertyIsWrittenAsItsTypeName() throws {
        let owner = PSValue(PropertyValue.list([.string("Update"), .string("MoveToDeletedItems")]))
        let rows = [Self.object(("PrimarySmtpAddress", .string("britton@brittest.onmicrosoft.com")), ("AuditOwner", owner),
                                ("AuditLogAgeLimit", .exchange(.timeSpan(EnhancedTimeSpan(seconds: 730 * 86_400)))))]
        let expected = Self.bytes("\"PrimarySmtpAddress\",\"AuditOwner\",\"AuditLogAgeLimit\"\n"
            + "\"britton@brittest.onmicrosoft.com\",\"System.Collections.ArrayList\",\"730.00:00:00\"\n")
        #expect(try Self.export(rows).bytes == expected)
    }

    @Test func aCalculatedColumnKeepsItsNameWithTheSpace() throws {
        let rows = [
            Self.object(("UserPrincipalname", .string("britton@brittest.onmicrosoft.com")), ("MFA Status", .string("Enabled"))),
            Self.object(("UserPrincipalname", .string("adele@brittest.onmicrosoft.com")), ("MFA Status", .null)),
        ]
        let expected = Self.bytes("\"UserPrincipalname\",\"MFA Status\"\n"
            + "\"britton@brittest.onmicrosoft.com\",\"Enabled\"\n"
            + "\"adele@brittest.onmicrosoft.com\",\n")
        #expect(try Self.export(rows).bytes == expected)
    }

    // MARK: Field rules

    @Test func quotesAreDoubledAndCommasAndLineBreaksStayInsideTheQuotes() throws {
        let rows = [Self.object(("Note", .string("He said \"hi\", then\nleft")), ("Empty", .string("")))]
        let expected = Self.bytes("\"Note\",\"Empty\"\n\"He said \"\"hi\"\", then\nleft\",\"\"\n")
        #expect(try Self.export(rows).bytes == expected)
    }

    @Test func nullAndMissingFieldsAreEmptyAndExtraPropertiesAreDropped() throws {
        let rows = [
            Self.object(("A", .string("1")), ("B", .null), ("C", .int(3))),
            Self.object(("A", .string("2")), ("D", .string("extra"))),
        ]
        let expected = Self.bytes("\"A\",\"B\",\"C\"\n\"1\",,\"3\"\n\"2\",,\n")
        #expect(try Self.export(rows).bytes == expected)
    }

    @Test func datesUseTheEnglishShortFormat() throws {
        let when = CivilTime.date(year: 2019, month: 6, day: 17, hour: 14, minute: 5, second: 9)!
        let expected = Self.bytes("\"WhenCreated\"\n\"6/17/2019 2:05:09 PM\"\n")
        #expect(try Self.export([Self.object(("WhenCreated", .date(when)))]).bytes == expected)
    }

    @Test func includeTypeInformationWritesTheTypeLineFirst() throws {
        let expected = Self.bytes("#TYPE System.Management.Automation.PSCustomObject\n\"A\"\n\"1\"\n")
        let bytes = try Self.export([Self.object(("A", .int(1)))]) { $0.options.includeTypeInformation = true }.bytes
        #expect(bytes == expected)
    }

    @Test func useQuotesAsNeededQuotesOnlyFieldsWithDelimitersQuotesOrLineFeeds() throws {
        let rows = [Self.object(("Name", .string("a,b")), ("Plain", .string("x y")), ("Q", .string("say \"x\"")))]
        let expected = Self.bytes("Name,Plain,Q\n\"a,b\",x y,\"say \"\"x\"\"\"\n")
        #expect(try Self.export(rows) { $0.options.quoteKind = .asNeeded }.bytes == expected)
    }

    @Test func aDelimiterSeparatesFields() throws {
        let expected = Self.bytes("\"A\";\"B\"\n\"1\";\"2\"\n")
        #expect(try Self.export([Self.object(("A", .int(1)), ("B", .int(2)))]) { $0.options.delimiter = ";" }.bytes == expected)
    }

    @Test func stringsExportTheirLength() throws {
        #expect(try Self.export([.string("abc"), .string("de")]).bytes == Self.bytes("\"Length\"\n\"3\"\n\"2\"\n"))
    }

    // MARK: Encodings

    @Test func utf8BOMStartsWithTheByteOrderMark() throws {
        let bytes = try Self.export([Self.object(("Name", .string("é")))]) { $0.encoding = .utf8BOM }.bytes
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Self.bytes("\"Name\"\n\"é\"\n"))
    }

    @Test func theDefaultIsUTF8WithoutBOM() throws {
        let bytes = try Self.export([Self.object(("Name", .string("é")))]).bytes
        #expect(bytes == [0x22, 0x4E, 0x61, 0x6D, 0x65, 0x22, 0x0A, 0x22, 0xC3, 0xA9, 0x22, 0x0A])
    }

    @Test func unicodeIsUTF16LittleEndianWithBOM() throws {
        let bytes = try Self.export([Self.object(("A", .string("b")))]) { $0.encoding = .unicode }.bytes
        #expect(bytes == [0xFF, 0xFE, 0x22, 0, 0x41, 0, 0x22, 0, 0x0A, 0, 0x22, 0, 0x62, 0, 0x22, 0, 0x0A, 0])
    }

    @Test func asciiWritesQuestionMarksForOtherCharacters() throws {
        let bytes = try Self.export([Self.object(("A", .string("é")))]) { $0.encoding = .ascii }.bytes
        #expect(bytes == Self.bytes("\"A\"\n\"?\"\n"))
    }

    @Test(arguments: [("utf8", TextFileEncoding.utf8NoBOM), ("UTF8BOM", .utf8BOM), ("utf8NoBOM", .utf8NoBOM), ("ascii", .ascii),
                      ("Unicode", .unicode), ("bigendianunicode", .bigEndianUnicode), ("utf32", .utf32), ("oem", .utf8NoBOM)])
    func encodingNamesMapAsInPowerShell7(name: String, encoding: TextFileEncoding) {
        #expect(TextFileEncoding(argument: name) == encoding)
    }

    // MARK: Files

    @Test func appendAddsRowsWithoutAHeader() throws {
        let dir = temporaryDirectory()
        _ = try Self.export([Self.object(("A", .int(1)), ("B", .int(2)))], in: dir)
        let bytes = try Self.export([Self.object(("B", .int(4)), ("A", .int(3)), ("C", .int(5)))], in: dir) { $0.append = true }.bytes
        // The file's header decides the columns and their order; C is dropped.
        #expect(bytes == Self.bytes("\"A\",\"B\"\n\"1\",\"2\"\n\"3\",\"4\"\n"))
    }

    @Test func appendRefusesAnObjectWithoutOneOfTheFilesColumns() throws {
        let dir = temporaryDirectory()
        _ = try Self.export([Self.object(("Name", .string("PowerShell Core")), ("Version", .string("6.0")))], file: "ParmFile.csv", in: dir)
        let error = #expect(throws: ShellError.self) {
            _ = try Self.export([Self.object(("Name", .string("Windows PowerShell")), ("Edition", .string("Desktop")))], file: "ParmFile.csv", in: dir) {
                $0.append = true
            }
        }
        #expect(error?.message == "Cannot append CSV content to the following file: ParmFile.csv. The appended object does not have a property that corresponds to the following column: Version. To continue with mismatched properties, add the -Force parameter, and then retry the command.")
        #expect(error?.errorId == "CannotAppendCsvWithMismatchedPropertyNames,Microsoft.PowerShell.Commands.ExportCsvCommand")
        let forced = try Self.export([Self.object(("Name", .string("Windows PowerShell")), ("Edition", .string("Desktop")))], file: "ParmFile.csv", in: dir) {
            $0.append = true
            $0.force = true
        }.bytes
        #expect(forced == Self.bytes("\"Name\",\"Version\"\n\"PowerShell Core\",\"6.0\"\n\"Windows PowerShell\",\n"))
    }

    @Test func appendToAMissingFileWritesTheHeaderAndTheBOM() throws {
        let bytes = try Self.export([Self.object(("A", .int(1)))]) {
            $0.append = true
            $0.encoding = .utf8BOM
        }.bytes
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Self.bytes("\"A\"\n\"1\"\n"))
    }

    @Test func appendKeepsTheExistingFilesEncodingAndWritesNoSecondBOM() throws {
        let dir = temporaryDirectory()
        _ = try Self.export([Self.object(("A", .int(1)))], in: dir) { $0.encoding = .utf8BOM }
        let bytes = try Self.export([Self.object(("A", .int(2)))], in: dir) { $0.append = true }.bytes
        #expect(bytes == [0xEF, 0xBB, 0xBF] + Self.bytes("\"A\"\n\"1\"\n\"2\"\n"))
    }

    @Test func noInputStillCreatesAnEmptyFile() throws {
        #expect(try Self.export([]).bytes == [])
    }

    @Test func noClobberRefusesAnExistingFile() throws {
        let dir = temporaryDirectory()
        _ = try Self.export([Self.object(("A", .int(1)))], in: dir)
        let error = #expect(throws: ShellError.self) {
            _ = try Self.export([Self.object(("A", .int(2)))], in: dir) { $0.noClobber = true }
        }
        #expect(error?.message == "File out.csv already exists and NoClobber was specified.")
        #expect(error?.errorId == "NoClobber,Microsoft.PowerShell.Commands.ExportCsvCommand")
    }

    @Test func aMissingDirectoryIsAFileOpenFailure() throws {
        let dir = temporaryDirectory() + "/missing"
        let error = #expect(throws: ShellError.self) { _ = try Self.export([Self.object(("A", .int(1)))], in: dir) }
        #expect(error?.message == "Could not find a part of the path '\(dir)/out.csv'.")
        #expect(error?.errorId == "FileOpenFailure,Microsoft.PowerShell.Commands.ExportCsvCommand")
        #expect(error?.isTerminating == true)
    }

    // MARK: Import-Csv

    @Test func importReadsQuotedFieldsAsStringsAndShortRecordsAsNull() {
        let text = "#TYPE Selected.Mailbox\n\"A\",\"B\",\"C\"\n\"x, \"\"y\"\"\",  2 ,\n\n\"multi\nline\",3\n"
        let table = CsvFormat.parse(text)
        #expect(table.typeName == "Selected.Mailbox")
        #expect(table.header == ["A", "B", "C"])
        // A blank after an unquoted value is kept (ParseNextRecord appends it before reading on).
        #expect(table.records == [["x, \"y\"", "2 ", ""], ["multi\nline", "3"]])
        let objects = CsvFormat.objects(table).objects
        #expect(objects[1].property("C")?.isNull == true)
        #expect(objects[0].typeNames == ["Selected.Mailbox", "CSV:Selected.Mailbox"])
    }

    @Test func emptyHeaderNamesBecomeH1H2() {
        let (objects, usedDefault) = CsvFormat.objects(CsvFormat.parse("A,,\n1,2,3\n", header: nil))
        // Trailing empty names are dropped from the header, so only A remains.
        #expect(objects[0].propertyNames == ["A"])
        #expect(!usedDefault)
        let (withGap, gap) = CsvFormat.objects(CsvFormat.parse(",B\n1,2\n"))
        #expect(withGap[0].propertyNames == ["H1", "B"])
        #expect(gap)
    }

    // MARK: The shell

    @Test func thePapersMailboxAuditingExportWritesTheFile() throws {
        let dir = temporaryDirectory()
        let (session, _) = try makeShell(workingDirectory: dir)
        let result = run(session, "Get-Mailbox -ResultSize Unlimited | Select PrimarySMTPAddress, AuditEnabled | Export-Csv -NoTypeInformation MailboxAuditing_Enabled.csv")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        #expect(result.output.isEmpty)
        let text = try String(contentsOfFile: dir + "/MailboxAuditing_Enabled.csv", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Select-Object names the column as the object spells the property (Select-Object.cs:
        // the resolved member name), so PrimarySMTPAddress becomes PrimarySmtpAddress.
        #expect(lines.first == "\"PrimarySmtpAddress\",\"AuditEnabled\"")
        #expect(lines.count == session.tenant.mailboxes.count + 2)
        #expect(text.hasSuffix("\n"))
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.hasSuffix(",\"True\"") || $0.hasSuffix(",\"False\"") })
    }

    @Test func exportThenImportRoundTripsInTheShell() throws {
        let dir = temporaryDirectory()
        let (session, _) = try makeShell(workingDirectory: dir)
        let result = run(session, "[PSCustomObject]@{Name='a,b'; N=1} | Export-Csv x.csv; Import-Csv x.csv")
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        guard case .object(let o)? = result.output.first else { Issue.record("no object"); return }
        #expect(o.property("Name")?.text == "a,b")
        if case .string(let n)? = o.property("N") { #expect(n == "1") } else { Issue.record("N is not a string") }
    }

    @Test func importCsvOfAMissingFileIsAFileOpenFailure() throws {
        let dir = temporaryDirectory()
        let (session, _) = try makeShell(workingDirectory: dir)
        let result = run(session, "Import-Csv nothere.csv")
        #expect(result.errors.map(\.message) == ["Could not find file '\(dir)/nothere.csv'."])
        #expect(result.errors.first?.errorId == "FileOpenFailure,Microsoft.PowerShell.Commands.ImportCsvCommand")
    }

    @Test func aDelimiterMustBeOneCharacter() throws {
        let dir = temporaryDirectory()
        let (session, _) = try makeShell(workingDirectory: dir)
        let result = run(session, "[PSCustomObject]@{A=1} | Export-Csv z.csv -Delimiter ';;'")
        #expect(result.errors.map(\.message) == ["Cannot process argument transformation on parameter 'Delimiter'. Cannot convert value \";;\" to type \"System.Char\". Error: \"String must be exactly one character long.\""])
        #expect(!FileManager.default.fileExists(atPath: dir + "/z.csv"))
    }

    @Test func exportCsvWhatIfWritesNothing() throws {
        let dir = temporaryDirectory()
        let (session, host) = try makeShell(workingDirectory: dir)
        run(session, "[PSCustomObject]@{A=1} | Export-Csv y.csv -WhatIf")
        #expect(host.output == "What if: Performing the operation \"Export-Csv\" on target \"y.csv\".\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/y.csv"))
    }
}
