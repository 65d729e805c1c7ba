import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Scenarios
import TenantModel
import TenantStore
import Testing

/// The runner: failures point at the step's line and explain what was seen; reports parse;
/// sharding and parallel jobs don't change what runs or what it gives.
@Suite struct ScenarioRunnerTests {
    static func write(_ files: [String: String]) throws -> String {
        let dir = temporaryDirectory()
        for (name, text) in files {
            let path = (dir as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func run(_ dir: String, jobs: Int = 1, shard: Shard? = nil) -> SuiteResult {
        var options = RunOptions()
        options.paths = [dir]
        options.jobs = jobs
        options.shard = shard
        return ScenarioSuite.run(options)
    }

    static let failing = """
        scenario: IMAP still works (it doesn't)
        description: A deliberately wrong expectation.
        tenant: brittest
        steps:
          - run: Set-CASMailbox adele@brittest.onmicrosoft.com -ImapEnabled $false
          - signin: {user: adele@brittest.onmicrosoft.com, protocol: IMAP4, from: 203.0.113.7}
            expect: {decision: Allowed}
          - wait: 1m
        """

    @Test func aFailingStepReportsItsLineWhatWasExpectedAndTheTrace() throws {
        let dir = try Self.write(["fail.yaml": Self.failing])
        let suite = Self.run(dir)
        let result = try #require(suite.results.first)
        #expect(!result.passed)
        #expect(suite.exitCode == 1)
        let failure = try #require(result.failure)
        #expect(failure.location.line == 6)
        #expect(failure.location.file.hasSuffix("fail.yaml"))
        #expect(failure.expected == "decision Allowed")
        #expect(failure.seen.contains("Denied (reason ProtocolDisabled, by ImapEnabled"), "seen: \(failure.seen)")
        #expect(failure.seen.contains("protocolSwitch"), "the trace names the stage: \(failure.seen)")
        #expect(failure.message.hasPrefix(failure.location.file + ":6: signin adele@brittest.onmicrosoft.com over IMAP4"))
        #expect(result.stepsRun == 2, "the steps after a failure don't run")
    }

    @Test func aLogsFailureShowsTheNearestRecords() throws {
        let dir = try Self.write(["logs.yaml": """
            scenario: Wrong password is logged
            description: The sign-in log has the failure.
            tenant: brittest
            steps:
              - signin: {user: adele@brittest.onmicrosoft.com, password: wrong}
                expect: {decision: Denied, reason: InvalidCredentials, code: 50126}
              - logs: {source: signin, where: {userPrincipalName: adele@*, status.errorCode: "50053"}}
                expect: {count: 1}
            """])
        let result = try #require(Self.run(dir).results.first)
        let failure = try #require(result.failure)
        #expect(failure.location.line == 7)
        #expect(failure.expected == "exactly 1 matching records")
        #expect(failure.seen.contains("nearest records"), "seen: \(failure.seen)")
        #expect(failure.seen.contains("status.errorCode=50126"), "seen: \(failure.seen)")
    }

    @Test func aPassingScenarioPasses() throws {
        let dir = try Self.write(["ok.yaml": """
            scenario: IMAP off denies IMAP
            description: The switch decides.
            tenant: brittest
            steps:
              - run: Set-CASMailbox adele@brittest.onmicrosoft.com -ImapEnabled $false
              - run: Get-CASMailbox adele@brittest.onmicrosoft.com | Select ImapEnabled
                expect: {output: [{ImapEnabled: "False"}]}
              - signin: {user: adele@brittest.onmicrosoft.com, protocol: IMAP4, from: 203.0.113.7}
                expect: {decision: Denied, reason: ProtocolDisabled, by: ImapEnabled}
              - run: Set-CASMailbox nobody@brittest.onmicrosoft.com -ImapEnabled $false
                expect: {error: "couldn't be found"}
            """])
        let suite = Self.run(dir)
        let result = try #require(suite.results.first)
        #expect(result.passed, "\(result.failure?.message ?? "")")
        #expect(suite.exitCode == 0)
    }

    @Test func overridesChangeTheNamedObjectsAndAddNewOnes() throws {
        let dir = try Self.write(["o.yaml": """
            scenario: Overrides
            description: MFA enforced for one user, a new user added.
            tenant:
              fixture: brittest
              overrides:
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - UserPrincipalName: adele@brittest.onmicrosoft.com
                    StrongAuthenticationState: Enforced
                    Password: Winter2026!
                  - UserPrincipalName: newhire@brittest.onmicrosoft.com
                    Password: Welcome-1!
            steps:
              - run: Get-AdminAuditLogConfig | Select UnifiedAuditLogIngestionEnabled
                expect: {output: [{UnifiedAuditLogIngestionEnabled: "True"}]}
              - signin: {user: adele@brittest.onmicrosoft.com, password: Winter2026!}
                expect: {decision: Denied, reason: MfaRequired}
              - signin: {user: newhire@brittest.onmicrosoft.com, password: Welcome-1!}
                expect: Allowed
            """])
        let suite = Self.run(dir)
        #expect(suite.badInput.isEmpty, "\(suite.badInput.map(\.error.description))")
        let result = try #require(suite.results.first)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }

    @Test func anOverrideThatChangesAMailboxTierMovesItsDefaultAuditLists() throws {
        let dir = try Self.write(["tier.yaml": """
            scenario: Tier override
            description: One E3 mailbox moved to E5 follows the E5 defaults; a list the override names wins.
            tenant:
              fixture: brittest
              overrides:
                users:
                  - UserPrincipalName: adele@brittest.onmicrosoft.com
                    mailbox: {LicenseTier: E5}
                  - UserPrincipalName: aisha@brittest.onmicrosoft.com
                    mailbox: {LicenseTier: E5, AuditOwner: [Update]}
            steps:
              - run: (Get-Mailbox adele).AuditOwner -contains 'MailItemsAccessed'
                expect: {output: ["True"]}
              - run: (Get-Mailbox adele).DefaultAuditSet -join ','
                expect: {output: ["Admin,Delegate,Owner"]}
              - run: (Get-Mailbox aisha).AuditOwner -join ','
                expect: {output: ["Update"]}
            """])
        let suite = Self.run(dir)
        #expect(suite.badInput.isEmpty, "\(suite.badInput.map(\.error.description))")
        let result = try #require(suite.results.first)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }

    @Test func aMalformedFileIsReportedAndTheOthersStillRun() throws {
        let dir = try Self.write([
            "a.yaml": "scenario: broken\ntenant: brittest\nsteps:\n  - wiat: 1m\n",
            "b.yaml": Self.failing.replacingOccurrences(of: "{decision: Allowed}", with: "{decision: Denied}"),
        ])
        let suite = Self.run(dir)
        #expect(suite.badInput.count == 1)
        #expect(suite.badInput.first?.error.line == 4)
        #expect(suite.results.count == 1 && suite.results[0].passed)
        #expect(suite.exitCode == 2)
    }

    @Test func theJUnitReportParsesWithTheExpectedStructure() throws {
        let dir = try Self.write([
            "mfa/fail.yaml": Self.failing,
            "mfa/pass.yaml": Self.failing.replacingOccurrences(of: "{decision: Allowed}", with: "{decision: Denied}"),
            "logging/broken.yaml": "scenario: broken <&>\ntenant: brittest\nsteps: 3\n",
        ])
        let xml = JUnitReport.render(Self.run(dir))
        let tree = try XMLTree.parse(xml)
        #expect(tree.name == "testsuites")
        #expect(tree.attributes["tests"] == "3")
        #expect(tree.attributes["failures"] == "1")
        #expect(tree.attributes["errors"] == "1")
        #expect(tree.attributes["time"] != nil)
        let suites = tree.children.filter { $0.name == "testsuite" }
        #expect(suites.map { $0.attributes["name"] ?? "" } == ["logging", "mfa"])
        for suite in suites {
            for key in ["name", "tests", "failures", "errors", "time"] { #expect(suite.attributes[key] != nil, "testsuite lacks \(key)") }
            let cases = suite.children.filter { $0.name == "testcase" }
            #expect(String(cases.count) == suite.attributes["tests"])
            for c in cases { #expect(c.attributes["name"] != nil && c.attributes["classname"] != nil && c.attributes["time"] != nil) }
        }
        let mfa = suites[1].children
        let failed = try #require(mfa.first { $0.children.contains { $0.name == "failure" } })
        let failure = try #require(failed.children.first { $0.name == "failure" })
        #expect(failure.attributes["message"]?.contains("fail.yaml:6") == true)
        #expect(failure.text.contains("ProtocolDisabled"))
        let broken = try #require(suites[0].children.first)
        #expect(broken.children.first?.name == "error")
        Self.checkSchema(tree)
    }

    /// The elements, attributes and child order the common (Jenkins/Ant) JUnit schema allows.
    static func checkSchema(_ e: XMLTree, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let attributes: [String: Set<String>] = [
            "testsuites": ["name", "time", "tests", "failures", "disabled", "errors"],
            "testsuite": ["name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname", "id", "package"],
            "testcase": ["name", "assertions", "time", "classname", "status"],
            "failure": ["type", "message"], "error": ["type", "message"], "system-out": [], "system-err": [], "skipped": [],
        ]
        let children: [String: [String]] = [
            "testsuites": ["testsuite"], "testsuite": ["properties", "testcase", "system-out", "system-err"],
            "testcase": ["skipped", "error", "failure", "system-out", "system-err"],
        ]
        guard let allowed = attributes[e.name] else {
            Issue.record("element <\(e.name)> isn't in the schema", sourceLocation: sourceLocation)
            return
        }
        #expect(Set(e.attributes.keys).isSubset(of: allowed), "<\(e.name)> has \(e.attributes.keys.sorted())", sourceLocation: sourceLocation)
        let order = children[e.name] ?? []
        let positions = e.children.map { order.firstIndex(of: $0.name) ?? -1 }
        #expect(!positions.contains(-1) && positions == positions.sorted(), "children of <\(e.name)>: \(e.children.map(\.name))",
                sourceLocation: sourceLocation)
        for c in e.children { checkSchema(c, sourceLocation: sourceLocation) }
    }

    @Test func theJSONReportParses() throws {
        let dir = try Self.write(["fail.yaml": Self.failing])
        let json = JSONReport.render(Self.run(dir))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["failed"] as? Int == 1)
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        let failure = try #require(scenarios.first?["failure"] as? [String: Any])
        #expect(failure["line"] as? Int == 6)
    }

    @Test func shardsSplitStablyAndCoverEveryFileOnce() throws {
        let files = (1...60).map { "scenarios/topic\($0 % 7)/story-\($0).yaml" }
        for n in [1, 2, 3, 5] {
            let shards = (1...n).map { Shard(index: $0, count: n) }
            for f in files {
                #expect(shards.filter { $0.contains(f) }.count == 1, "\(f) in exactly one of \(n) shards")
            }
            if n > 1 { #expect(shards.allSatisfy { s in files.contains { s.contains($0) } }, "no empty shard of \(n)") }
        }
        // The split depends only on each file's own path: adding files moves nobody.
        let before = files.map { f in (1...3).first { Shard(index: $0, count: 3).contains(f) } }
        let after = files.map { f in (1...3).first { Shard(index: $0, count: 3).contains(f) } }
        #expect(before == after)
        #expect(Shard("2/4") == Shard(index: 2, count: 4))
        #expect(Shard("0/4") == nil && Shard("5/4") == nil && Shard("x") == nil)
    }

    @Test func shardsOfARunTogetherRunEveryScenario() throws {
        var files: [String: String] = [:]
        for i in 1...8 { files["s\(i).yaml"] = Self.failing.replacingOccurrences(of: "{decision: Allowed}", with: "{decision: Denied}") }
        let dir = try Self.write(files)
        let all = Set(Self.run(dir).results.map(\.file))
        var union: [String] = []
        for i in 1...3 { union += Self.run(dir, shard: Shard(index: i, count: 3)).results.map(\.file) }
        #expect(all.count == 8)
        #expect(union.sorted() == all.sorted())
    }

    @Test func twoJobsGiveTheSameResultsAsOne() throws {
        var files: [String: String] = [:]
        for i in 1...6 {
            files["p\(i).yaml"] = Self.failing.replacingOccurrences(of: "{decision: Allowed}", with: "{decision: Denied}")
            files["f\(i).yaml"] = Self.failing
        }
        let dir = try Self.write(files)
        let one = Self.run(dir, jobs: 1)
        let two = Self.run(dir, jobs: 2)
        #expect(one.results.count == 12)
        #expect(one.results.map(\.file) == two.results.map(\.file))
        #expect(one.results.map(\.status) == two.results.map(\.status))
        #expect(one.results.map { $0.failure?.message } == two.results.map { $0.failure?.message })
        #expect(one.results.map(\.endedAt) == two.results.map(\.endedAt))
    }

    @Test func aBruteForceMeetsSmartLockout() throws {
        let dir = try Self.write(["bf.yaml": """
            scenario: Brute force
            description: Smart lockout locks the account after ten wrong passwords.
            tenant: brittest
            steps:
              - attack: {kind: brute-force, user: adele@brittest.onmicrosoft.com, attempts: 15, then-correct: true, interval: 2s}
                expect: {attempts: 16, allowed: 0, compromised: none, locked: [adele@brittest.onmicrosoft.com]}
            """])
        let result = try #require(Self.run(dir).results.first)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }
}

/// A parsed XML element (XMLParser is what Foundation offers on Linux).
final class XMLTree: NSObject, XMLParserDelegate, @unchecked Sendable {
    var name = ""
    var attributes: [String: String] = [:]
    var children: [XMLTree] = []
    var text = ""
    private var stack: [XMLTree] = []
    private var root: XMLTree?
    private var failure: Error?

    static func parse(_ xml: String) throws -> XMLTree {
        let builder = XMLTree()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw parser.parserError ?? builder.failure ?? NSError(domain: "XMLTree", code: 1)
        }
        return root
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes attributeDict: [String: String] = [:]) {
        let node = XMLTree()
        node.name = elementName
        node.attributes = attributeDict
        if let parent = stack.last { parent.children.append(node) } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failure = parseError }
}
