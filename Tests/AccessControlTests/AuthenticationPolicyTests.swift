import AccessControl
import AuditLog
import Foundation
import Testing
import TenantModel

/// Authentication policies: Exchange refuses Basic authentication per protocol before the
/// credentials reach Entra ID. [OXD disable-basic-authentication-in-exchange-online.md]
@Suite struct AuthenticationPolicyTests {
    /// "Block Basic Auth" (every switch $false, the New-AuthenticationPolicy default) as the
    /// organization default, unless `assigned` puts it on the user only.
    static func tenant(assigned: Bool = false, _ configure: (inout AuthenticationPolicy) -> Void = { _ in }) -> TestTenant {
        var t = TestTenant()
        var policy = AuthenticationPolicy(name: "Block Basic Auth", guid: t.tenant.ids.newGuid())
        configure(&policy)
        t.tenant.authenticationPolicies = [policy]
        if assigned {
            t.addUser("adele") { $0.authenticationPolicy = "Block Basic Auth" }
        } else {
            t.tenant.organizationConfig.defaultAuthenticationPolicy = "Block Basic Auth"
            t.addUser("adele")
        }
        return t
    }

    @Test func itBlocksBasicImapButNotOAuthImap() {
        let t = Self.tenant()
        let basic = t.evaluate(Try.basic("adele", .IMAP4))
        #expect(basic.decision.outcome == .Denied)
        #expect(basic.decision.reason == "BasicAuthBlocked")
        #expect(basic.decision.by == "Block Basic Auth")
        #expect(basic.decision.code == nil)
        #expect(basic.decidingStage == .authenticationPolicy)
        let oauth = t.evaluate(Try.modern("adele", .IMAP4))
        #expect(oauth.decision.outcome == .Allowed)
    }

    @Test func aBlockedRequestNeverReachesEntraSoNothingIsLoggedOrCounted() {
        var t = Self.tenant()
        for i in 1...15 {
            let e = t.sign(Try.basic("adele", .POP3, password: "spray-\(i)"))
            #expect(e.decision.reason == "BasicAuthBlocked")
            #expect(e.events.isEmpty)
            #expect(e.changes.isEmpty)
        }
        #expect(t.user("adele").failedSignInCount == 0)
    }

    @Test func anUnknownUserGoesOnToEntra() {
        let e = Self.tenant().evaluate(Try.basic("nobody", .IMAP4))
        #expect(e.decision.reason == "UserNotFound")
        #expect(e.signIns.count == 1)
    }

    @Test func anAllowedSwitchLetsThatProtocolThrough() {
        let t = Self.tenant { $0.allowBasicAuthSmtp = true }
        #expect(t.evaluate(Try.basic("adele", .SMTP)).decision.outcome == .Allowed)
        #expect(t.evaluate(Try.basic("adele", .IMAP4)).decision.reason == "BasicAuthBlocked")
    }

    @Test func aPolicyAssignedToTheUserApplies() {
        let e = Self.tenant(assigned: true).evaluate(Try.basic("adele", .ExchangeWebServices))
        #expect(e.decision.reason == "BasicAuthBlocked")
        #expect(e.decision.by == "Block Basic Auth")
    }

    @Test(arguments: [
        (AccessProtocol.ExchangeActiveSync, BasicAuthSwitch.AllowBasicAuthActiveSync),
        (.IMAP4, .AllowBasicAuthImap), (.POP3, .AllowBasicAuthPop), (.SMTP, .AllowBasicAuthSmtp),
        (.ExchangeWebServices, .AllowBasicAuthWebServices), (.OutlookAnywhere, .AllowBasicAuthRpc),
        (.MAPI, .AllowBasicAuthMapi), (.RemotePowerShell, .AllowBasicAuthPowershell),
        (.OfflineAddressBook, .AllowBasicAuthOfflineAddressBook), (.REST, .AllowBasicAuthOutlookService),
        (.UniversalOutlook, .AllowBasicAuthOutlookService),
    ])
    func eachProtocolHasItsSwitch(_ p: AccessProtocol, _ key: BasicAuthSwitch) {
        #expect(p.basicAuthSwitch == key)
    }

    @Test(arguments: [AccessProtocol.OutlookWebApp, .ExchangeAdminCenter, .AzureAD])
    func protocolsWithoutASwitchAreNotBlocked(_ p: AccessProtocol) {
        #expect(p.basicAuthSwitch == nil)
        #expect(Self.tenant().evaluate(Try.basic("adele", p)).decision.reason != "BasicAuthBlocked")
    }

    @Test func aPolicyNameThatDoesNotExistBlocksNothing() {
        var t = TestTenant()
        t.addUser("adele") { $0.authenticationPolicy = "Gone" }
        #expect(t.evaluate(Try.basic("adele", .IMAP4)).decision.outcome == .Allowed)
    }
}
