import Foundation
import Testing
import TenantModel
import TenantStore
import Yams

/// The `applications:` section: app registrations for the REST server's client credentials
/// grant, keyed by DisplayName, found by AppId.
@Suite struct ApplicationFixtureTests {
    static let base = """
        tenant:
          InitialDomain: apps.onmicrosoft.com
        seed: 42
        users:
          - UserPrincipalName: ana@apps.onmicrosoft.com

        """

    static func load(_ text: String) throws -> Tenant { try FixtureLoader(file: "apps.yaml").load(text: text) }

    @Test("An application given only a DisplayName is an enabled public client with no roles")
    func defaults() throws {
        let t = try Self.load(Self.base + "applications:\n  - DisplayName: Bare\n")
        let app = try #require(t.applications.first)
        #expect(app.displayName == "Bare")
        #expect(app.clientSecret == "")
        #expect(app.roles == [])
        #expect(app.enabled)
    }

    @Test("An omitted AppId is generated from the seed: the same fixture gives the same AppId")
    func generatedAppIdIsDeterministic() throws {
        let text = Self.base + "applications:\n  - DisplayName: Bare\n"
        let first = try #require(try Self.load(text).applications.first?.appId)
        #expect(first != UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(try Self.load(text).applications.first?.appId == first)
    }

    @Test("Adding an application leaves the identifiers of the directory's other objects as they were")
    func applicationsDoNotRenumberTheDirectory() throws {
        let without = try Self.load(Self.base)
        let with = try Self.load(Self.base + "applications:\n  - DisplayName: Bare\n")
        #expect(with.users.map(\.objectId) == without.users.map(\.objectId))
        #expect(with.mailboxes.map(\.guid) == without.mailboxes.map(\.guid))
    }

    @Test("An application is found by its AppId in any case", arguments: [
        "0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13", "0C7D3E21-5B8A-4F6E-9A1D-2E4F6A8B0C13",
    ])
    func lookupIgnoresCase(appId: String) throws {
        let t = try TenantSource.loadFixture("contoso")
        #expect(t.application(appId: appId)?.displayName == "Contoso Security Scanner")
    }

    @Test("An AppId no application has finds nothing")
    func lookupOfAnUnknownAppId() throws {
        let t = try TenantSource.loadFixture("contoso")
        #expect(t.application(appId: "00000000-0000-0000-0000-000000000000") == nil)
        #expect(t.application(appId: "Contoso Security Scanner") == nil)
    }

    @Test("Overrides change an application matched by DisplayName and add one they don't match")
    func overrides() throws {
        var t = try TenantSource.loadFixture("contoso")
        let node = try #require(try Yams.compose(yaml: """
            applications:
              - DisplayName: Contoso Security Scanner
                Enabled: false
              - DisplayName: Incident Responder
                AppId: 3b9e1c2d-4f5a-4b6c-8d7e-0f1a2b3c4d5e
                ClientSecret: ir-secret
                Roles: [AuditLog.Read.All]
            """))
        try FixtureLoader(file: "s.yaml").applyOverrides(node, to: &t)
        #expect(t.applications.map(\.displayName) == ["Contoso Security Scanner", "Contoso Read-only Reporter", "Incident Responder"])
        #expect(t.applications[0].enabled == false)
        #expect(t.applications[0].clientSecret == "contoso-scanner-secret")
        #expect(t.application(appId: "3b9e1c2d-4f5a-4b6c-8d7e-0f1a2b3c4d5e")?.roles == ["AuditLog.Read.All"])
    }

    @Test("tenant show counts the applications")
    func counted() throws {
        let t = try TenantSource.loadFixture("contoso")
        #expect(t.counts.first { $0.0 == "Applications" }?.1 == 2)
    }
}
