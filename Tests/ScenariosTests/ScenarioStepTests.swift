import Foundation
import Scenarios
import TenantModel
import TenantStore
import Testing
import Yams

/// What individual steps do: `as:`, log queries into nested fields, overrides on a fixture.
@Suite struct ScenarioStepTests {
    static func run(_ text: String) throws -> ScenarioResult {
        let dir = temporaryDirectory()
        try text.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions()
        options.paths = [dir]
        let suite = ScenarioSuite.run(options)
        #expect(suite.badInput.isEmpty, "\(suite.badInput.map(\.error.description))")
        return try #require(suite.results.first)
    }

    @Test func aRunStepAsAnotherUserIsAuditedAsThemAndTheNextStepIsTheAdminAgain() throws {
        let result = try Self.run("""
            scenario: run as
            description: The actor of each change.
            tenant: {fixture: brittest, overrides: {organizationConfig: {IsDehydrated: false}, adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}}}
            steps:
              - run: Set-CASMailbox adele@brittest.onmicrosoft.com -PopEnabled $false
                as: joeadmin@brittest.onmicrosoft.com
              - run: Set-CASMailbox adele@brittest.onmicrosoft.com -ImapEnabled $false
              - logs: {source: unified, where: {Operation: Set-CASMailbox, UserId: joeadmin@*, Parameters.Name: PopEnabled}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: Set-CASMailbox, UserId: britton@*, Parameters.Name: ImapEnabled}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: Set-CASMailbox, RecordType: ExchangeAdmin}}
                expect: {count: 2}
              - logs: {source: unified, where: {Operation: Set-CASMailbox, RecordType: "1"}}
                expect: {count: 2}
            """)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }

    @Test func logConditionsTakeWildcardsAndListsOfValues() throws {
        let result = try Self.run("""
            scenario: log matching
            description: Wildcards and alternatives.
            tenant: brittest
            steps:
              - signin: {user: adele@brittest.onmicrosoft.com, password: wrong, from: 203.0.113.9}
                expect: Denied
              - signin: {user: michael@brittest.onmicrosoft.com, from: 203.0.113.10}
                expect: Allowed
              - logs: {source: signin, where: {ipAddress: "203.0.113.*"}}
                expect: {count: 2}
              - logs: {source: signin, where: {status.errorCode: ["0", "50126"], userPrincipalName: "*@BRITTEST.onmicrosoft.com"}}
                expect: {count: 2}
              - logs: {source: signin, where: {ipAddress: 203.0.113.9*, status.errorCode: "0"}}
                expect: {none: true}
              - wait: 2h
              - logs: {source: signin, within: 1h}
                expect: {none: true}
            """)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }

    @Test func anActStepReportsTheSignInDecisionWhenTheSignInIsRefused() throws {
        let result = try Self.run("""
            scenario: act refused at sign-in
            description: No action without a session.
            tenant: brittest
            steps:
              - run: Set-CASMailbox adele@brittest.onmicrosoft.com -OWAEnabled $false
              - act: {user: adele@brittest.onmicrosoft.com, via: OutlookWebApp, action: read}
                expect: {decision: Denied, reason: ProtocolDisabled, by: OWAEnabled}
              - act: {user: adele@brittest.onmicrosoft.com, via: MAPI, action: read, params: {Count: "1"}}
                expect: {decision: Allowed}
            """)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }

    @Test func overridesApplyOnTopOfAFixtureWithoutReloadingIt() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let before = tenant
        let node = try #require(try Yams.compose(yaml: """
            adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
            users:
              - UserPrincipalName: ADELE@brittest.onmicrosoft.com
                StrongAuthenticationState: Enforced
                mailbox: {ImapEnabled: false}
              - UserPrincipalName: newhire@brittest.onmicrosoft.com
            clientAccessRules:
              - Name: Block_IMAP
                Action: DenyAccess
                AnyOfProtocols: [IMAP4]
            """))
        try FixtureLoader(file: "s.yaml").applyOverrides(node, to: &tenant)
        #expect(tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled)
        let adele = try #require(tenant.user(upn: "adele@brittest.onmicrosoft.com"))
        #expect(adele.strongAuthenticationState == .Enforced)
        #expect(tenant.mailbox(forUser: adele)?.cas.imapEnabled == false)
        #expect(tenant.users.count == before.users.count + 1)
        #expect(tenant.mailboxes.count == before.mailboxes.count + 1)
        #expect(tenant.clientAccessRules.map(\.name) == ["Block_IMAP"])
        #expect(tenant.policyRevision != before.policyRevision)
        #expect(before.user(upn: "adele@brittest.onmicrosoft.com")?.strongAuthenticationState == .Disabled, "the fixture's value is untouched")
    }

    @Test func anOverrideErrorPointsAtTheOffendingLine() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        let node = try #require(try Yams.compose(yaml: """
            users:
              - UserPrincipalName: adele@brittest.onmicrosoft.com
                StrongAuthenticationState: Sometimes
            """))
        let error = try #require(throws: FixtureError.self) { try FixtureLoader(file: "s.yaml").applyOverrides(node, to: &tenant) }
        #expect(error.line == 3 && error.column == 32, "\(error)")
        #expect(error.message.contains("Disabled, Enabled, Enforced"))
    }
}
