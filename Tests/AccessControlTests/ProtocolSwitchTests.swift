import AccessControl
import AuditLog
import Foundation
import Testing
import TenantModel

/// The mailbox protocol switches (Set-CASMailbox) and their organization counterparts.
/// [EXCHANGE-FACTS 3.1]
@Suite struct ProtocolSwitchTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var accessProtocol: AccessProtocol
        var by: String
        var code: Int?
        var off: @Sendable (inout CASMailbox) -> Void
        var testDescription: String { "\(accessProtocol) refused by \(by)" }
    }

    @Test(arguments: [
        Row(accessProtocol: .OutlookWebApp, by: "OWAEnabled", code: nil) { $0.owaEnabled = false },
        Row(accessProtocol: .IMAP4, by: "ImapEnabled", code: nil) { $0.imapEnabled = false },
        Row(accessProtocol: .POP3, by: "PopEnabled", code: nil) { $0.popEnabled = false },
        Row(accessProtocol: .MAPI, by: "MAPIEnabled", code: nil) { $0.mapiEnabled = false },
        Row(accessProtocol: .OutlookAnywhere, by: "MAPIEnabled", code: nil) { $0.mapiEnabled = false },
        Row(accessProtocol: .ExchangeWebServices, by: "EwsEnabled", code: nil) { $0.ewsEnabled = false },
        Row(accessProtocol: .UniversalOutlook, by: "UniversalOutlookEnabled", code: nil) { $0.universalOutlookEnabled = false },
        Row(accessProtocol: .SMTP, by: "SmtpClientAuthenticationDisabled", code: nil) { $0.smtpClientAuthenticationDisabled = true },
        Row(accessProtocol: .ExchangeActiveSync, by: "ActiveSyncEnabled", code: 126) { $0.activeSyncEnabled = false },
    ])
    func aSwitchTurnedOffRefusesItsProtocolAfterASuccessfulSignIn(_ row: Row) {
        var t = TestTenant()
        t.addUser("adele", cas: row.off)
        let attempt = row.accessProtocol == .ExchangeActiveSync ? Try.eas("adele") : Try.modern("adele", row.accessProtocol)
        let e = t.evaluate(attempt)
        #expect(e.decision.outcome == .Denied)
        #expect(e.decision.reason == "ProtocolDisabled")
        #expect(e.decision.by == row.by)
        #expect(e.decision.code == row.code)
        #expect(e.decidingStage == .protocolSwitch)
        #expect(e.signIns.first?.succeeded == true)
        var on = TestTenant()
        on.addUser("adele")
        #expect(on.evaluate(attempt).decision.outcome == .Allowed)
    }

    @Test func smtpAuthFollowsTheOrganizationWhenTheMailboxSaysNothing() {
        var t = TestTenant()
        t.addUser("adele")
        t.addUser("priya") { _ in } cas: { $0.smtpClientAuthenticationDisabled = false }
        t.tenant.transportConfig.smtpClientAuthenticationDisabled = true
        let e = t.evaluate(Try.basic("adele", .SMTP))
        #expect(e.decision.by == "TransportConfig.SmtpClientAuthenticationDisabled")
        #expect(t.evaluate(Try.basic("priya", .SMTP)).decision.outcome == .Allowed)
    }

    @Test func theOrganizationsEwsSwitchRefusesEveryMailbox() {
        var t = TestTenant()
        t.addUser("adele")
        t.tenant.organizationConfig.ewsEnabled = false
        #expect(t.evaluate(Try.modern("adele", .ExchangeWebServices)).decision.by == "OrganizationConfig.EwsEnabled")
    }

    @Test(arguments: [("MacOutlook/16.25 (Intel Mac OS X 10.14.5)", true), ("Python-EWS/4.7", false), (nil, false)])
    func anEwsAllowListAdmitsOnlyListedUserAgents(_ agent: String?, _ allowed: Bool) {
        var t = TestTenant()
        t.addUser("adele")
        t.tenant.organizationConfig.ewsApplicationAccessPolicy = .EnforceAllowList
        t.tenant.organizationConfig.ewsAllowList = ["MacOutlook/*", "Outlook/*"]
        let e = t.evaluate(Try.modern("adele", .ExchangeWebServices, userAgent: agent))
        #expect((e.decision.outcome == .Allowed) == allowed)
        if !allowed { #expect(e.decision.by == "EwsApplicationAccessPolicy") }
    }

    @Test func aMailboxsOwnEwsPolicyOverridesTheOrganizations() {
        var t = TestTenant()
        t.addUser("adele") { _ in } cas: {
            $0.ewsApplicationAccessPolicy = .EnforceBlockList
            $0.ewsBlockList = ["Python-EWS/*"]
        }
        t.tenant.organizationConfig.ewsApplicationAccessPolicy = .EnforceAllowList
        #expect(t.evaluate(Try.modern("adele", .ExchangeWebServices, userAgent: "Outlook/16.0")).decision.outcome == .Allowed)
        #expect(t.evaluate(Try.modern("adele", .ExchangeWebServices, userAgent: "python-ews/4.7")).decision.by == "EwsApplicationAccessPolicy")
    }

    @Test func outlookMobileEnabledRefusesTheMiddleTierApp() {
        var t = TestTenant()
        t.addUser("adele") { _ in } cas: { $0.outlookMobileEnabled = false }
        let e = t.evaluate(Try.modern("adele", .REST, userAgent: "Outlook-Android/2.0", middleTier: true))
        #expect(e.decision.by == "OutlookMobileEnabled")
    }

    @Test(arguments: [AccessProtocol.IMAP4, .OutlookWebApp, .ExchangeWebServices, .SMTP])
    func aUserWithoutAMailboxSignsInButReachesNoMailbox(_ p: AccessProtocol) {
        var t = TestTenant()
        t.addUser("breakglass", mailbox: false)
        let e = t.evaluate(Try.modern("breakglass", p))
        #expect(e.decision.reason == "ProtocolDisabled")
        #expect(e.decision.by == "NoMailbox")
        #expect(e.signIns.first?.succeeded == true)
    }

    @Test(arguments: [AccessProtocol.AzureAD, .RemotePowerShell, .ExchangeAdminCenter])
    func aUserWithoutAMailboxStillReachesEntraAndTheAdminEndpoints(_ p: AccessProtocol) {
        var t = TestTenant()
        t.addUser("breakglass", mailbox: false) { $0.adminRoles = [DirectoryRole.globalAdministrator] }
        #expect(t.evaluate(Try.modern("breakglass", p)).decision.outcome == .Allowed)
    }

    @Test func remotePowerShellNeedsNoAdminRole() {
        var t = TestTenant()
        t.addUser("adele")
        #expect(t.evaluate(Try.basic("adele", .RemotePowerShell)).decision.outcome == .Allowed)
    }
}
