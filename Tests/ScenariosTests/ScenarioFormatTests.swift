import Foundation
import Scenarios
import TenantStore
import Testing

/// Each class of format error names the file, line and column of the offending text and,
/// where there is a choice, the valid values. Line and column are 1-based; the scenario
/// texts are written so the line numbers can be counted.
@Suite struct ScenarioFormatTests {
    static let file = "scenarios/test/bad.yaml"

    static func parseError(_ text: String, file: String = file, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> FixtureError {
        try #require(throws: FixtureError.self, sourceLocation: sourceLocation) {
            try ScenarioParser().parse(text: text, file: file)
        }
    }

    static func expect(_ error: FixtureError, line: Int, column: Int, _ phrases: String...,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(error.line == line, "message: \(error.message)", sourceLocation: sourceLocation)
        #expect(error.column == column, "message: \(error.message)", sourceLocation: sourceLocation)
        for phrase in phrases {
            #expect(error.message.contains(phrase), "message: \(error.message)", sourceLocation: sourceLocation)
        }
    }

    static let header = """
        scenario: A test
        description: For the parser.
        tenant: brittest
        steps:

        """

    @Test func aValidScenarioParsesEveryStepKindWithItsLine() throws {
        let text = Self.header + """
              - run: Get-CASMailbox adele@brittest.onmicrosoft.com | Select ImapEnabled
                expect: {output: [{ImapEnabled: "True"}]}
              - signin: {user: adele@brittest.onmicrosoft.com, protocol: IMAP4, from: 203.0.113.7}
                expect: {decision: Allowed}
              - act: {user: adele@brittest.onmicrosoft.com, via: OutlookWebApp, action: read, mfa: done}
                expect: Allowed
              - attack: {kind: password-spray, users: all, password: Winter2026!, interval: 2s}
                expect: {allowed: 0, compromised: []}
              - wait: 2d
              - logs: {source: signin, where: {status.errorCode: "0"}}
                expect: {at-least: 1}
            """
        let parsed = try ScenarioParser().parse(text: text, file: Self.file)
        let s = parsed.scenario
        #expect(s.title == "A test")
        #expect(s.steps.map(\.kind) == [.run, .signin, .act, .attack, .wait, .logs])
        #expect(s.steps.map(\.location.line) == [5, 7, 9, 11, 13, 14])
        #expect(parsed.warnings.isEmpty)
        guard case .wait(let w) = s.steps[4].action else { Issue.record("not a wait"); return }
        #expect(w.seconds == 172_800)
    }

    @Test func anUnknownTopLevelKeyNamesTheValidKeys() throws {
        let e = try Self.parseError("""
            scenario: A test
            tenant: brittest
            stpes: []
            """)
        Self.expect(e, line: 3, column: 1, "Unknown key \"stpes\"", "Valid keys: scenario, description, tags, tenant, start, seed, steps")
        #expect(e.file == Self.file)
    }

    @Test func anUnknownKeyInsideAStepPointsAtIt() throws {
        let e = try Self.parseError(Self.header + """
              - signin: {user: adele@brittest.onmicrosoft.com, protocl: IMAP4}
            """)
        Self.expect(e, line: 5, column: 52, "Unknown key \"protocl\"", "protocol")
    }

    @Test func aMissingRequiredKeyIsNamed() throws {
        let e = try Self.parseError(Self.header + """
              - signin:
                  protocol: IMAP4
                expect: Denied
            """)
        Self.expect(e, line: 6, column: 7, "needs \"user\"")
    }

    @Test func aMissingTitleIsAnError() throws {
        let e = try Self.parseError("""
            description: no title
            tenant: brittest
            steps: []
            """)
        Self.expect(e, line: 1, column: 1, "needs \"scenario\"")
    }

    @Test func aWrongTypeSaysWhatWasExpected() throws {
        let e = try Self.parseError(Self.header + """
              - signin: {user: adele@brittest.onmicrosoft.com, protocol: IMAP4, port: nine}
                expect: Allowed
            """)
        Self.expect(e, line: 5, column: 75, "\"port\"", "whole number", "nine")
    }

    @Test func stepsMustBeAList() throws {
        let e = try Self.parseError("""
            scenario: A test
            tenant: brittest
            steps:
              run: Get-Mailbox
            """)
        Self.expect(e, line: 4, column: 3, "steps must be a list")
    }

    @Test func anInvalidChoiceListsTheValidValues() throws {
        let e = try Self.parseError(Self.header + """
              - signin: {user: adele@brittest.onmicrosoft.com, protocol: IMAP}
                expect: Allowed
            """)
        Self.expect(e, line: 5, column: 62, "\"IMAP\" isn't a protocol", "IMAP4", "ExchangeActiveSync", "AzureAD")
    }

    @Test func anUnknownAttackKindListsTheKinds() throws {
        let e = try Self.parseError(Self.header + """
              - attack: {kind: spray, password: x}
                expect: {allowed: 0}
            """)
        Self.expect(e, line: 5, column: 20, "\"spray\" isn't an attack kind", "password-spray", "brute-force")
    }

    @Test func aBadExpectationNamesTheValidForms() throws {
        let e = try Self.parseError(Self.header + """
              - signin: {user: adele@brittest.onmicrosoft.com}
                expect: {decision: Refused}
            """)
        Self.expect(e, line: 6, column: 24, "Refused", "Allowed, Denied, Quarantined")
        let logs = try Self.parseError(Self.header + """
              - logs: {source: unified}
                expect: {count: 1, at-least: 1}
            """)
        Self.expect(logs, line: 6, column: 13, "exactly one of count, at-least, at-most, none")
    }

    @Test func aBadDurationIsRefused() throws {
        let e = try Self.parseError(Self.header + """
              - wait: two days
            """)
        Self.expect(e, line: 5, column: 11, "duration", "90s, 15m, 2h or 3d")
    }

    @Test func aStepDoesOneThing() throws {
        let e = try Self.parseError(Self.header + """
              - run: Get-Mailbox
                wait: 1d
            """)
        Self.expect(e, line: 6, column: 5, "both \"run\" and \"wait\"")
    }

    @Test func aYAMLSyntaxErrorCarriesItsPosition() throws {
        let e = try Self.parseError("""
            scenario: A test
            tenant: brittest
            steps:
              - run: "unterminated
            """)
        #expect(e.line == 4 || e.line == 5, "message: \(e.message)")
        #expect(e.message.contains("YAML syntax error"))
    }

    @Test func anUnknownFixtureNameListsTheBuiltInOnes() throws {
        let e = try Self.parseError("""
            scenario: A test
            tenant: britest
            steps: []
            """)
        Self.expect(e, line: 2, column: 9, "no fixture named \"britest\"", "brittest, contoso")
    }

    @Test func anInlineFixtureErrorPointsIntoTheScenario() throws {
        let e = try Self.parseError("""
            scenario: A test
            tenant:
              tenant: {InitialDomain: tiny.onmicrosoft.com}
              users:
                - UserPrincipalName: a@tiny.onmicrosoft.com
                  StrongAuthenticationState: Sometimes
            steps: []
            """)
        Self.expect(e, line: 6, column: 34, "Sometimes", "Disabled, Enabled, Enforced")
        #expect(e.file == Self.file)
    }

    @Test func includeCyclesAreRefused() throws {
        let dir = temporaryDirectory()
        try "- include: b.yaml\n".write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        try "- wait: 1m\n- include: a.yaml\n".write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        let text = Self.header + "  - include: a.yaml\n"
        let e = try Self.parseError(text, file: dir + "/s.yaml")
        #expect(e.message.contains("cycle"), "message: \(e.message)")
        #expect(e.message.contains("a.yaml → b.yaml → a.yaml"), "message: \(e.message)")
        #expect(e.line == 2 && e.column == 12, "at \(e.line):\(e.column): \(e.message)")
        #expect(e.file.hasSuffix("b.yaml"))
    }

    @Test func includedStepsKeepTheirOwnFileAndLine() throws {
        let dir = temporaryDirectory()
        try "# shared\n- wait: 1h\n- run: Get-Mailbox\n".write(toFile: dir + "/common.yaml", atomically: true, encoding: .utf8)
        let parsed = try ScenarioParser().parse(text: Self.header + "  - include: common.yaml\n  - wait: 1m\n", file: dir + "/s.yaml")
        let steps = parsed.scenario.steps
        #expect(steps.count == 3)
        #expect(steps[0].location.file.hasSuffix("common.yaml") && steps[0].location.line == 2)
        #expect(steps[1].location.line == 3)
        #expect(steps[0].includedFrom.map(\.line) == [5])
        #expect(steps[2].location.line == 6 && steps[2].includedFrom.isEmpty)
    }

    @Test func aStepWithoutExpectIsAWarning() throws {
        let parsed = try ScenarioParser().parse(text: Self.header + """
              - signin: {user: adele@brittest.onmicrosoft.com}
            """, file: Self.file)
        #expect(parsed.warnings.count == 1)
        #expect(parsed.warnings.first?.line == 5)
        #expect(parsed.warnings.first?.message.contains("no `expect:`") == true)
    }

    @Test func strictTurnsWarningsIntoBadInput() throws {
        let dir = temporaryDirectory()
        try (Self.header + "  - signin: {user: adele@brittest.onmicrosoft.com}\n").write(toFile: dir + "/w.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions()
        options.paths = [dir]
        let relaxed = ScenarioSuite.run(options)
        #expect(relaxed.badInput.isEmpty && relaxed.warnings.count == 1 && relaxed.results.count == 1)
        options.strict = true
        let strict = ScenarioSuite.run(options)
        #expect(strict.badInput.count == 1 && strict.results.isEmpty)
        #expect(strict.exitCode == 2)
    }
}

/// A fresh temporary directory for files a test writes.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "tenantsim-scenario-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
