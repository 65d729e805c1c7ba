import AccessControl
import AuditLog
import Foundation
@testable import Shell
import Testing
import TenantModel
import TenantStore

/// The connection cmdlets through the access pipeline (SPEC §4, issue 4 item 5).
@Suite struct SessionAuthenticationTests {
    static let britton = "britton@brittest.onmicrosoft.com"
    static let password = "Brit-Test-2019!"

    static func session() throws -> ShellSession {
        ShellSession(tenant: try TenantSource.loadFixture("brittest"), authenticator: PipelineAuthenticator())
    }

    static func credential(_ user: String = britton, _ password: String = password) -> String {
        "$cred = New-Object System.Management.Automation.PSCredential (\"\(user)\", (ConvertTo-SecureString \"\(password)\" -AsPlainText -Force))"
    }

    static let newPSSession = "New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri https://outlook.office365.com/powershell-liveid/ -Credential $cred -Authentication Basic -AllowRedirection"

    static func setMfa(_ session: ShellSession, _ state: PerUserMfaState, appPassword: String? = nil) {
        let i = session.tenant.userIndex(upn: britton)!
        session.tenant.updateUser(at: i) {
            $0.strongAuthenticationState = state
            if let appPassword { $0.appPasswords = [appPassword] }
        }
    }

    @Test func theWhitePapersBasicSessionWorksWhileMfaIsDisabled() throws {
        let session = try Self.session()
        let result = Interpreter(session: session).run(Self.credential() + "\n" + Self.newPSSession)
        #expect(result.errors.isEmpty)
        #expect(session.psSessions.count == 1)
    }

    @Test func aBasicSessionFailsOnceTheAdminIsEnforcedButAnAppPasswordWorks() throws {
        let session = try Self.session()
        Self.setMfa(session, .Enforced, appPassword: "vbnmqwertyuiopas")
        let refused = Interpreter(session: session).run(Self.credential() + "\n" + Self.newPSSession)
        #expect(refused.errors.first?.message.contains("Access is denied") == true)
        #expect(session.psSessions.isEmpty)
        let withAppPassword = Interpreter(session: session).run(Self.credential(Self.britton, "vbnmqwertyuiopas") + "\n" + Self.newPSSession)
        #expect(withAppPassword.errors.isEmpty)
        #expect(session.psSessions.count == 1)
    }

    @Test func connectExchangeOnlineWithMfaWorksForAnEnforcedAdmin() throws {
        let session = try Self.session()
        Self.setMfa(session, .Enforced)
        let interactive = Interpreter(session: session).run("Connect-ExchangeOnline -UserPrincipalName \(Self.britton) -ShowBanner:$false")
        #expect(interactive.errors.isEmpty)
        #expect(session.exchangeIdentity == Self.britton)
    }

    @Test func connectExchangeOnlineWithAPasswordAloneFailsForAnEnforcedAdmin() throws {
        let session = try Self.session()
        Self.setMfa(session, .Enforced)
        let result = Interpreter(session: session).run(Self.credential() + "\nConnect-ExchangeOnline -Credential $cred")
        #expect(result.errors.first?.message.contains("MfaRequired") == true)
        #expect(session.exchangeIdentity == nil)
    }

    @Test func aClientAccessRuleLocksTheAdminOutOfTheNextConnection() throws {
        let session = try Self.session()
        let first = Interpreter(session: session).run(Self.credential() + "\n$s = " + Self.newPSSession + "\nImport-PSSession $s")
        #expect(first.errors.isEmpty)
        let rule = Interpreter(session: session).run("New-ClientAccessRule -Name BlockRemotePS -Action DenyAccess -AnyOfProtocols RemotePowerShell")
        #expect(rule.errors.isEmpty)
        let next = Interpreter(session: session).run(Self.credential() + "\n" + Self.newPSSession)
        #expect(next.errors.first?.message.contains("Access is denied") == true)
        let decision = PipelineAuthenticator().evaluate(
            AuthenticationRequest(user: Self.britton, password: Self.password, connection: .remotePowerShell, method: .basic,
                                  clientIP: session.clientIP), in: session.tenant).decision
        #expect(decision.reason == "ClientAccessRule")
        #expect(decision.by == "BlockRemotePS")
    }

    @Test func connectMsolServiceIsAnEntraSignIn() throws {
        let session = try Self.session()
        let ok = Interpreter(session: session).run(Self.credential() + "\nConnect-MsolService -Credential $cred")
        #expect(ok.errors.isEmpty)
        #expect(session.msolIdentity == Self.britton)
        let attempt = PipelineAuthenticator().attempt(for: AuthenticationRequest(user: Self.britton, password: Self.password,
                                                                                 connection: .azureAD, method: .basic))
        #expect(attempt.accessProtocol == .AzureAD)
        Self.setMfa(session, .Enforced)
        session.msolIdentity = nil
        let refused = Interpreter(session: session).run(Self.credential() + "\nConnect-MsolService -Credential $cred")
        #expect(!refused.errors.isEmpty)
        #expect(session.msolIdentity == nil)
    }

    @Test func theAuthenticatorAppliesTheLockoutCountersAndHandsBackTheEvents() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        var events: [AuditEvent] = []
        let request = AuthenticationRequest(user: Self.britton, password: "Spring2019!", connection: .remotePowerShell, method: .basic)
        let result = PipelineAuthenticator().authenticate(request, in: &tenant, events: &events)
        #expect(result == .failure(reason: "InvalidCredentials"))
        #expect(tenant.user(upn: Self.britton)?.failedSignInCount == 1)
        #expect(events.count == 1)
        guard case .signIn(let signIn)? = events.first else { Issue.record("no sign-in event"); return }
        #expect(signIn.errorCode == 50126)
        #expect(signIn.clientAppUsed == "Exchange Online PowerShell")
    }

    @Test func theSessionRecordsTheSignInsItsConnectionsMake() throws {
        let session = try Self.session()
        let before = session.audit.signIns.count
        _ = Interpreter(session: session).run(Self.credential(Self.britton, "wrong") + "\n" + Self.newPSSession)
        #expect(session.audit.signIns.count == before + 1)
        #expect(session.audit.signIns.last?.errorCode == 50126)
    }

    @Test func theDefaultAuthenticatorLogsNothing() throws {
        var tenant = try TenantSource.loadFixture("brittest")
        var events: [AuditEvent] = []
        let request = AuthenticationRequest(user: Self.britton, password: Self.password, connection: .remotePowerShell, method: .basic)
        #expect(DirectoryAuthenticator().authenticate(request, in: &tenant, events: &events) == .success(userPrincipalName: Self.britton))
        #expect(events.isEmpty)
    }
}
