import Foundation
import Testing
import TenantModel
@testable import Shell

/// The language subset of SPEC §4: each construct evaluated through the interpreter.
@Suite struct LanguageTests {
    func eval(_ script: String) throws -> [PSValue] {
        let (session, _) = try makeShell(connected: false)
        let result = run(session, script)
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
        return result.output
    }

    func texts(_ script: String) throws -> [String] { try eval(script).map(\.text) }

    @Test(arguments: [
        ("1 + 2", "3"), ("5 / 2", "2.5"), ("7 % 3", "1"), ("'a' + 1", "a1"), ("2 * 3 + 1", "7"),
        ("\"x\" * 3", "xxx"), ("(1,2) + 3 -join ','", "1,2,3"), ("-5 + 2", "-3"), ("10MB", "10485760"),
        ("'{0}-{1}' -f 'a', 7", "a-7"), ("'a,b' -split ','", "a b"), ("'abc' -replace 'b', 'X'", "aXc"),
        ("1..3 -join ''", "123"), ("0x1F", "31"),
    ])
    func arithmeticAndStringOperators(script: String, expected: String) throws {
        #expect(try texts("(\(script)) -join ' '") == [expected])
    }

    @Test(arguments: [
        ("'ABC' -eq 'abc'", true), ("'ABC' -ceq 'abc'", false), ("5 -gt '10'", false), ("'5' -gt 10", true),
        ("'iOS 12' -like 'ios*'", true), ("'iOS 12' -clike 'ios*'", false), ("'abc' -notlike '*d'", true),
        ("'user42' -match '\\d+'", true), ("1,2,3 -contains 2", true), ("2 -in 1,2,3", true), ("4 -notin 1,2,3", true),
        ("$null -eq $null", true), ("$true -and $false", false), ("$true -or $false", true), ("-not $true", false),
        ("!$false", true), ("$true -xor $true", false), ("'a' -ne 'A'", false), ("'b' -ge 'A'", true),
    ])
    func comparisonAndLogicalOperators(script: String, expected: Bool) throws {
        #expect(try eval(script).first?.isTruthy == expected)
    }

    @Test func comparisonOnAnArrayFiltersIt() throws {
        #expect(try texts("1,2,3,2 -eq 2") == ["2", "2"])
        #expect(try texts("'a','b','A' -like 'a'") == ["a", "A"])
    }

    @Test func variablesAssignmentAndCompoundAssignment() throws {
        #expect(try texts("$x = 5; $x += 3; $x; $y = 'a'; $y += 'b'; $y; $z = 10; $z -= 4; $z") == ["8", "ab", "6"])
    }

    @Test func doubleQuotedStringsExpandVariablesAndSubexpressions() throws {
        #expect(try texts("$n = 'Adele'; \"Hi $n, 2+2=$(2+2) `$n\"") == ["Hi Adele, 2+2=4 $n"])
        #expect(try texts("'no $expansion'") == ["no $expansion"])
        #expect(try texts("\"a \"\"quoted\"\" word\"") == ["a \"quoted\" word"])
    }

    @Test func typographicQuotesAreQuotes() throws {
        #expect(try texts("\u{201C}Strong\u{201D}; \u{2018}x\u{2019}") == ["Strong", "x"])
    }

    @Test func arraysIndexingAndCount() throws {
        #expect(try texts("$a = @(10, 20, 30); $a[0]; $a[-1]; $a.Count; @().Count; @(5).Count; $a[0,2] -join '+'")
                == ["10", "30", "3", "0", "1", "10+30"])
    }

    @Test func hashtablesKeepOrderAndIgnoreKeyCase() throws {
        #expect(try texts("$h = @{B=1; a=2}; $h.Keys -join ','; $h.A; $h['b']; $h.Count") == ["B,a", "2", "1", "2"])
        #expect(try texts("$h = @{}; $h.New = 'v'; $h.new") == ["v"])
    }

    @Test func memberAccessEnumeratesCollectionsAndUnwrapsOne() throws {
        let (session, _) = try makeShell(connected: false)
        session.variables["objs"] = .array(PSArray([
            .object(PSObject(properties: [("Name", .string("a")), ("Tags", .array(PSArray([.string("x"), .string("y")])))])),
            .object(PSObject(properties: [("Name", .string("b")), ("Tags", .array(PSArray([.string("z")])))])),
        ]))
        let result = run(session, "$objs.Name -join ','; $objs.Tags.Count; @($objs[0]).Name; $null -eq $objs.Missing")
        #expect(result.output.map(\.text) == ["a,b", "3", "a", "True"])
    }

    @Test func memberAssignmentOnObjectsCreatedInTheShell() throws {
        let script = """
            $MFAauth = New-Object -TypeName Microsoft.Online.Administration.StrongAuthenticationRequirement
            $MFAauth.RelyingParty = “*”
            $MFAauth.State = “Enabled”
            $MFAauth.State; $MFAauth.RelyingParty
            """
        #expect(try texts(script) == ["Enabled", "*"])
    }

    @Test(arguments: [
        ("'iOS 12.3'.StartsWith('iOS')", "True"), ("'iOS'.StartsWith('ios')", "False"), ("'abc'.EndsWith('c')", "True"),
        ("'abc'.Contains('b')", "True"), ("'AbC'.ToLower()", "abc"), ("'AbC'.ToUpper()", "ABC"), ("'  x '.Trim()", "x"),
        ("'a;b;c'.Split(';').Count", "3"), ("'hello'.Length", "5"), ("'hello'.Substring(1, 3)", "ell"),
        ("'a-b'.Replace('-', '+')", "a+b"), ("(1,2,3).Contains(2)", "True"),
    ])
    func methodCallsOnStringsAndCollections(script: String, expected: String) throws {
        #expect(try texts(script) == [expected])
    }

    @Test func methodOnNullIsPowerShellsError() throws {
        let (session, _) = try makeShell(connected: false)
        let result = run(session, "$nothing.StartsWith('x')")
        #expect(result.errors.first?.message == "You cannot call a method on a null-valued expression.")
        #expect(result.errors.first?.errorId == "InvokeMethodOnNull")
    }

    @Test func ifElseifElseAndForeach() throws {
        #expect(try texts("foreach ($i in 1..4) { if ($i -eq 1) { 'one' } elseif ($i % 2 -eq 0) { \"even $i\" } else { 'odd' } }")
                == ["one", "even 2", "odd", "even 4"])
    }

    @Test func scriptBlocksSeeDollarUnderscoreAndPSItem() throws {
        let (session, _) = try makeShell(connected: false)
        let interpreter = Interpreter(session: session)
        let parsed = try Parser.parse("{ $_ * 2; $PSItem + 1 }")
        guard case .pipeline(let p) = parsed[0], case .expression(.scriptBlock(let sb, _)) = p.elements[0] else {
            Issue.record("not a script block"); return
        }
        #expect(try interpreter.invoke(sb, input: .int(5)).map(\.text) == ["10", "6"])
    }

    @Test func commentsContinuationsAndSeparators() throws {
        let script = "$a = 1 # a comment\n<# block\ncomment #> $b = 2; $c = `\n 3\n$a + $b + $c"
        #expect(try texts(script) == ["6"])
    }

    @Test func subexpressionsAndArraySubexpressions() throws {
        #expect(try texts("$(1; 2) -join ','; @(1).GetType()") == ["1,2", "System.Object[]"])
    }

    @Test func castsConvertAsPowerShellDoes() throws {
        #expect(try texts("[int]'42' + 1; [string]5 + 5; [bool]0; ([PSCustomObject]@{A=1; B='x'}).B") == ["43", "55", "False", "x"])
    }

    @Test func parseErrorsRunNothingAndPointAtTheProblem() throws {
        let (session, host) = try makeShell(connected: false)
        let result = run(session, "$x = 1\n$y = \"unterminated")
        #expect(result.hadTerminatingError)
        #expect(session.variables["x"] == nil, "nothing of a script with a parse error runs")
        #expect(result.errors.first?.message == "The string is missing the terminator: \".")
        #expect(result.errors.first?.span?.line == 2)
        #expect(result.errors.first?.span?.column == 6)
        #expect(host.errors.first?.contains("At line:2 char:6") == true)
    }

    @Test(arguments: [("if ($x { }", "Missing closing ')' after expression in 'if' statement."),
                      ("{ 1 ", "Missing closing '}' in statement block or type definition."),
                      ("@{A=1", "Missing closing '}' in hash literal."),
                      ("(1 + 2", "Missing closing ')' in expression.")])
    func parseErrorMessages(script: String, message: String) throws {
        let (session, _) = try makeShell(connected: false)
        #expect(run(session, script).errors.first?.message == message)
    }

    @Test func unknownCommandIsNotRecognized() throws {
        let (session, host) = try makeShell(connected: false)
        let result = run(session, "Get-Mailbox")
        #expect(result.errors.first?.message.hasPrefix("The term 'Get-Mailbox' is not recognized as the name of a cmdlet") == true)
        #expect(result.errors.first?.errorId == "CommandNotFoundException")
        #expect(host.errors.first?.contains("+ Get-Mailbox\n+ ~~~~~~~~~~~") == true)
    }
}

/// Parameter binding and conversion, through a test cmdlet that echoes what it received.
@Suite struct BindingTests {
    static let echo = CmdletDefinition(
        "Test-Echo", module: .simulator, synopsis: "Echoes its bound parameters.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, pipeline: .byValue),
            ParameterDefinition("Action", .exchange(ClientAccessRulesAction.valueType)),
            ParameterDefinition("AuditEnabled", .exchange(.bool)),
            ParameterDefinition("AuditLogAgeLimit", .exchange(.timeSpan)),
            ParameterDefinition("AuditOwner", .exchange(.multiValued(MailboxAuditOperations.valueType))),
            ParameterDefinition("AllowOfflineOn", .string),
            ParameterDefinition("AllowedFileTypes", .strings),
            ParameterDefinition("Force", .switchParameter),
            ParameterDefinition("Name", .string, mandatory: true),
        ],
        supportsShouldProcess: true
    ) { _, parameters, _ in
        parameters.order.map { name -> PSValue in
            switch parameters.values[name]! {
            case .edit(let add, let remove):
                return .string("\(name)=Add:\(add.map(\.displayText).joined(separator: ","));Remove:\(remove.map(\.displayText).joined(separator: ","))")
            case .converted(let v): return .string("\(name)=\(v.displayText)")
            case .value(let v): return .string("\(name)=\(v.text)")
            }
        }
    }

    func shell() throws -> ShellSession {
        let (session, host) = try makeShell(connected: false)
        var registry = CmdletRegistry.standard
        registry.register([Self.echo])
        return ShellSession(tenant: session.tenant, host: host, registry: registry)
    }

    func echo(_ args: String) throws -> RunResult { run(try shell(), "Test-Echo -Name n \(args)") }

    @Test func namedPositionalSwitchAndColonForms() throws {
        #expect(try echo("box1 -Force -AuditEnabled:$true").output.map(\.text) == ["Name=n", "Force=True", "AuditEnabled=True", "Identity=box1"])
        #expect(try echo("-Force:$false").output.map(\.text) == ["Name=n", "Force=False"])
    }

    @Test func enDashAndEmDashIntroduceParameters() throws {
        #expect(try echo("\u{2013}Force \u{2014}AllowOfflineOn x").output.map(\.text) == ["Name=n", "Force=True", "AllowOfflineOn=x"])
    }

    @Test func unambiguousPrefixBinds() throws {
        #expect(try echo("-AllowOff NoComputers").output.map(\.text) == ["Name=n", "AllowOfflineOn=NoComputers"])
    }

    @Test func ambiguousPrefixListsTheCandidates() throws {
        let e = try #require(try echo("-Allow x").errors.first)
        #expect(e.message == "Parameter cannot be processed because the parameter name 'Allow' is ambiguous. Possible matches include: -AllowOfflineOn -AllowedFileTypes.")
        #expect(e.errorId == "AmbiguousParameter,Test-Echo")
    }

    @Test func unknownParameterError() throws {
        let e = try #require(try echo("-Bogus 1").errors.first)
        #expect(e.message == "A parameter cannot be found that matches parameter name 'Bogus'.")
        #expect(e.errorId == "NamedParameterNotFound,Test-Echo")
    }

    @Test func enumConversionErrorNamesEveryValue() throws {
        let result = run(try shell(), "Test-Echo -Name n -Action Allow")
        let e = try #require(result.errors.first)
        #expect(e.message == "Cannot process argument transformation on parameter 'Action'. Cannot convert value \"Allow\" to type \"Microsoft.Exchange.Data.ClientAccessRulesAction\". Error: \"Unable to match the identifier name Allow to a valid enumerator name. Specify one of the following enumerator names and try again:\nAllowAccess, DenyAccess\"")
        #expect(e.errorId == "ParameterArgumentTransformationError,Test-Echo")
        #expect(e.category == .InvalidData)
        #expect(e.span?.column == 27, "the error points at the value")
        #expect(result.output.isEmpty, "the cmdlet did not run")
    }

    @Test func enumNamesMatchIgnoringCase() throws {
        #expect(try echo("-Action allowaccess").output.map(\.text) == ["Name=n", "Action=AllowAccess"])
    }

    @Test func booleanParametersRefuseStrings() throws {
        let e = try #require(try echo("-AuditEnabled yes").errors.first)
        #expect(e.message == "Cannot process argument transformation on parameter 'AuditEnabled'. Cannot convert value \"System.String\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.")
        #expect(try echo("-AuditEnabled 0").output.map(\.text) == ["Name=n", "AuditEnabled=False"])
    }

    @Test func timeSpansTakeDaysOrClockText() throws {
        #expect(try echo("-AuditLogAgeLimit 730").output.last?.text == "AuditLogAgeLimit=730.00:00:00")
        #expect(try echo("-AuditLogAgeLimit 00:15").output.last?.text == "AuditLogAgeLimit=00:15:00")
        #expect(try echo("-AuditLogAgeLimit 99999").errors.first?.message.contains("24855.03:14:07") == true)
    }

    @Test func multiValuedAddRemoveAndCommaSplitting() throws {
        #expect(try echo("-AuditOwner @{Add=\u{201D}Create,SoftDelete\u{201D}; Remove='Update'}").output.last?.text
                == "AuditOwner=Add:Create,SoftDelete;Remove:Update")
        #expect(try echo("-AuditOwner MailboxLogin,HardDelete").output.last?.text == "AuditOwner={MailboxLogin, HardDelete}")
        #expect(try echo("-AuditOwner @{Add='Bogus'}").errors.first?.message.contains("Unable to match the identifier name Bogus") == true)
    }

    @Test func missingArgumentAndDuplicateParameter() throws {
        #expect(try echo("-AllowOfflineOn").errors.first?.message == "Missing an argument for parameter 'AllowOfflineOn'. Specify a parameter of type 'System.String' and try again.")
        #expect(try echo("-Force -Force").errors.first?.errorId == "ParameterAlreadyBound,Test-Echo")
    }

    @Test func extraPositionalArgumentIsRefused() throws {
        #expect(try echo("a b").errors.first?.message == "A positional parameter cannot be found that accepts argument 'b'.")
    }

    @Test func missingMandatoryParameter() throws {
        let result = run(try shell(), "Test-Echo -Force")
        #expect(result.errors.first?.message == "Cannot process command because of one or more missing mandatory parameters: Name.")
        #expect(result.errors.first?.errorId == "MissingMandatoryParameter,Test-Echo")
    }

    @Test func pipelineBindsIdentityByValuePerRecord() throws {
        let result = run(try shell(), "'a','b' | Test-Echo -Name n")
        #expect(result.output.map(\.text) == ["Name=n", "Identity=a", "Name=n", "Identity=b"])
    }

    @Test func commonParametersAreAccepted() throws {
        #expect(try echo("-ErrorAction Stop -WhatIf -Verbose").errors.isEmpty)
        #expect(try echo("-ErrorAction Sometimes").errors.first?.message.contains("SilentlyContinue, Stop, Continue") == true)
    }
}
