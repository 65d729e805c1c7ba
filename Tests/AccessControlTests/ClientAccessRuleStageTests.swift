import AccessControl
import AuditLog
import Foundation
import Testing
import TenantModel

/// Client access rules in the pipeline, rule by rule of EXCHANGE-FACTS 1.3 and the white
/// paper's two examples.
@Suite struct ClientAccessRuleStageTests {
    static let adminProtocols: [ClientAccessProtocol] = [.ExchangeAdminCenter, .ExchangeWebServices, .PowerShellWebServices, .RemotePowerShell]
    /// The paper writes 255.255.255.0/24 for the company and 255.255.255.255 for the vendor
    /// as placeholders (the second lies inside the first); real-looking addresses here.
    static let companyRange = "203.0.113.0/24"
    static let vendorIP = "198.51.100.77"

    /// The paper's vendor bypass: Restrict_AdminCenter_And_Services denies the admin
    /// protocols outside the company's range, and Temporary_Vendor_Bypass, put before it,
    /// allows the vendor's account from the vendor's address.
    static func vendorTenant(pattern: String) -> TestTenant {
        var t = TestTenant()
        t.addUser("externalvendor", mailbox: false) { $0.adminRoles = [DirectoryRole.exchangeAdministrator] }
        t.addUser("britton") { $0.adminRoles = [DirectoryRole.globalAdministrator] }
        t.addRule("Restrict_AdminCenter_And_Services", .DenyAccess) {
            $0.anyOfProtocols = adminProtocols
            $0.exceptAnyOfClientIPAddressesOrRanges = [try! IPRange.parse(companyRange)]
        }
        var bypass = ClientAccessRule(name: "Temporary_Vendor_Bypass", action: .AllowAccess, guid: t.tenant.ids.newGuid(), priority: 0,
                                      whenCreated: TestTenant.start)
        bypass.anyOfProtocols = adminProtocols
        bypass.anyOfClientIPAddressesOrRanges = [try! IPRange.parse(vendorIP)]
        bypass.usernameMatchesAnyOfPatterns = [pattern]
        t.tenant.insertClientAccessRule(bypass, priority: 1)
        return t
    }

    @Test func theVendorBypassAllowsTheVendorFromTheVendorsAddress() {
        let t = Self.vendorTenant(pattern: "contoso.onmicrosoft.com\\ExternalVendor")
        #expect(t.tenant.clientAccessRules.map(\.name) == ["Temporary_Vendor_Bypass", "Restrict_AdminCenter_And_Services"])
        let e = t.evaluate(Try.basic("externalvendor", .RemotePowerShell, ip: Self.vendorIP))
        #expect(e.decision.outcome == .Allowed)
        #expect(e.decision.reason == "Ok")
        let report = e.decision.trace.first { $0.stage == .clientAccessRules }
        #expect(report?.result == .passed)
        #expect(report?.detail.contains("Temporary_Vendor_Bypass") == true)
    }

    @Test(arguments: [("externalvendor", "192.0.2.9"), ("britton", vendorIP), ("britton", "192.0.2.9")])
    func everyoneElseOutsideTheCompanyRangeIsDenied(_ alias: String, _ ip: String) {
        let e = Self.vendorTenant(pattern: "contoso.onmicrosoft.com\\ExternalVendor").evaluate(Try.basic(alias, .RemotePowerShell, ip: ip))
        #expect(e.decision.outcome == .Denied)
        #expect(e.decision.reason == "ClientAccessRule")
        #expect(e.decision.by == "Restrict_AdminCenter_And_Services")
        #expect(e.decision.code == nil)
        #expect(e.decidingStage == .clientAccessRules)
    }

    @Test func theCompanyRangeIsExceptedFromTheRestriction() {
        let e = Self.vendorTenant(pattern: "contoso.onmicrosoft.com\\ExternalVendor").evaluate(Try.basic("britton", .RemotePowerShell, ip: "203.0.113.10"))
        #expect(e.decision.outcome == .Allowed)
    }

    @Test func thePapersLiteralDomainPlaceholderMatchesNoCloudAccount() {
        // "Domain\ExternalVendor" as printed: a cloud account name starts with its UPN domain.
        let e = Self.vendorTenant(pattern: "Domain\\ExternalVendor").evaluate(Try.basic("externalvendor", .RemotePowerShell, ip: Self.vendorIP))
        #expect(e.decision.by == "Restrict_AdminCenter_And_Services")
    }

    @Test func protocolsOutsideTheRestrictionAreNotTouched() {
        let e = Self.vendorTenant(pattern: "*").evaluate(Try.basic("britton", .OutlookWebApp, ip: "192.0.2.9"))
        #expect(e.decision.outcome == .Allowed)
    }

    /// The paper's first pair: AllowRemotePS for JoeAdmin, then
    /// Deny_Non_Company_IPs_Except_for_ActiveSync.
    static func companyTenant() -> TestTenant {
        var t = TestTenant()
        t.addUser("joeadmin") { $0.adminRoles = [DirectoryRole.exchangeAdministrator] }
        t.addUser("adele")
        t.addRule("AllowRemotePS", .AllowAccess) {
            $0.anyOfProtocols = [.RemotePowerShell]
            $0.usernameMatchesAnyOfPatterns = ["contoso.onmicrosoft.com\\JoeAdmin"]
        }
        t.addRule("Deny_Non_Company_IPs_Except_for_ActiveSync", .DenyAccess) {
            $0.exceptAnyOfProtocols = [.ExchangeActiveSync]
            $0.exceptAnyOfClientIPAddressesOrRanges = [try! IPRange.parse("255.255.255.255")]
        }
        return t
    }

    @Test func outlookOnTheWebFromOutsideTheCompanyIsDenied() {
        let e = Self.companyTenant().evaluate(Try.basic("adele", .OutlookWebApp, ip: "203.0.113.20"))
        #expect(e.decision.by == "Deny_Non_Company_IPs_Except_for_ActiveSync")
    }

    @Test func activeSyncFromOutsideTheCompanyIsExcepted() {
        let e = Self.companyTenant().evaluate(Try.eas("adele"))
        #expect(e.decision.outcome == .Allowed)
    }

    @Test func theCompanyAddressIsExcepted() {
        let e = Self.companyTenant().evaluate(Try.basic("adele", .IMAP4, ip: "255.255.255.255"))
        #expect(e.decision.outcome == .Allowed)
    }

    @Test func joeAdminKeepsRemotePowerShellFromAnywhere() {
        let t = Self.companyTenant()
        #expect(t.evaluate(Try.basic("joeadmin", .RemotePowerShell, ip: "203.0.113.20")).decision.outcome == .Allowed)
        // The allow rule decides RemotePowerShell only; OWA falls through to the deny rule.
        #expect(t.evaluate(Try.basic("joeadmin", .OutlookWebApp, ip: "203.0.113.20")).decision.by == "Deny_Non_Company_IPs_Except_for_ActiveSync")
    }

    @Test func aDenialAfterASuccessfulSignInLogsTheSuccess() {
        let e = Self.companyTenant().evaluate(Try.basic("adele", .OutlookWebApp, ip: "203.0.113.20"))
        #expect(e.signIns.count == 1)
        #expect(e.signIns.first?.succeeded == true)
        #expect(e.signIns.first?.errorCode == 0)
    }

    @Test func anExceptionThatMatchesSkipsOnlyThatRule() {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("DenyExceptOffice", .DenyAccess) { $0.exceptAnyOfClientIPAddressesOrRanges = [try! IPRange.parse("203.0.113.0/24")] }
        t.addRule("DenyOwa", .DenyAccess) { $0.anyOfProtocols = [.OutlookWebApp] }
        #expect(t.evaluate(Try.basic("adele", .OutlookWebApp, ip: "203.0.113.20")).decision.by == "DenyOwa")
        #expect(t.evaluate(Try.basic("adele", .IMAP4, ip: "203.0.113.20")).decision.outcome == .Allowed)
    }

    @Test(arguments: [("jeff*", false), ("*jeff*", true), ("*\\jeff", true), ("CONTOSO.onmicrosoft.com\\Jeff", true), ("contoso*", true)])
    func usernamePatternsAreAnchoredAndIgnoreCase(_ pattern: String, _ denied: Bool) {
        var t = TestTenant()
        t.addUser("jeff")
        t.addRule("ByName", .DenyAccess) { $0.usernameMatchesAnyOfPatterns = [pattern] }
        #expect((t.evaluate(Try.basic("jeff", .POP3)).decision.outcome == .Denied) == denied)
    }

    @Test func usernamePatternsDoNotWorkWithUniversalOutlook() {
        var t = TestTenant()
        t.addUser("jeff")
        t.addRule("ByName", .DenyAccess) { $0.usernameMatchesAnyOfPatterns = ["*jeff*"] }
        #expect(t.evaluate(Try.modern("jeff", .UniversalOutlook)).decision.outcome == .Allowed)
    }

    @Test func aDisabledRuleIsSkipped() {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("Off", .DenyAccess) { $0.enabled = false }
        #expect(t.evaluate(Try.basic("adele", .POP3)).decision.outcome == .Allowed)
        #expect(CompiledPolicy(t.tenant).clientAccessRules.isEmpty)
        #expect(CompiledPolicy(t.tenant, includeDisabledRules: true).clientAccessRules.map(\.name) == ["Off"])
    }

    @Test func theFirstMatchingRuleDecidesEvenAnAllow() {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("AllowPop", .AllowAccess) { $0.anyOfProtocols = [.POP3] }
        t.addRule("DenyAll", .DenyAccess)
        #expect(t.evaluate(Try.basic("adele", .POP3)).decision.outcome == .Allowed)
        #expect(t.evaluate(Try.basic("adele", .IMAP4)).decision.by == "DenyAll")
    }

    @Test(arguments: [(ClientAccessRulesScope.Users, false), (.All, true)])
    func middleTierAppsAreCoveredOnlyByRulesScopedToAll(_ scope: ClientAccessRulesScope, _ denied: Bool) {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("DenyAll", .DenyAccess) { $0.scope = scope }
        let outlookMobile = Try.modern("adele", .REST, userAgent: "Outlook-iOS/2.0", middleTier: true)
        #expect((t.evaluate(outlookMobile).decision.outcome == .Denied) == denied)
        #expect(t.evaluate(Try.modern("adele", .REST)).decision.by == "DenyAll")
    }

    @Test(arguments: [("2001:db8:1::5", true), ("2001:db8::ff", true), ("2001:db9::1", false), ("198.51.100.7", false), ("::ffff:198.51.100.7", false)])
    func ipv6RangesMatchOnlyIPv6Addresses(_ ip: String, _ allowed: Bool) {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("DenyOutsideV6", .DenyAccess) {
            $0.exceptAnyOfClientIPAddressesOrRanges = [try! IPRange.parse("2001:db8:1::/48"), try! IPRange.parse("2001:db8::1-2001:db8::ff")]
        }
        #expect((t.evaluate(Try.basic("adele", .IMAP4, ip: ip)).decision.outcome == .Allowed) == allowed)
    }

    @Test func anAuthenticationTypeConditionMatchesOnlyWhereTheProtocolSupportsIt() {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("BasicOnly", .DenyAccess) { $0.anyOfAuthenticationTypes = [.BasicAuthentication] }
        #expect(t.evaluate(Try.basic("adele", .ExchangeWebServices)).decision.outcome == .Allowed)
        #expect(t.evaluate(Try.basic("adele", .IMAP4)).decision.by == "BasicOnly")
        #expect(t.evaluate(Try.modern("adele", .IMAP4)).decision.outcome == .Allowed)
    }

    @Test func theRecipientFilterReadsTheUserAndTheMailbox() {
        var t = TestTenant()
        t.addUser("vendor") { $0.company = "Northwind IT Services" }
        t.addUser("adele") { $0.company = "Contoso" }
        t.addRule("Vendors", .DenyAccess) { $0.userRecipientFilter = "Company -eq 'northwind it services'" }
        #expect(t.evaluate(Try.basic("vendor", .IMAP4)).decision.by == "Vendors")
        #expect(t.evaluate(Try.basic("adele", .IMAP4)).decision.outcome == .Allowed)

        var u = TestTenant()
        u.addUser("kiosk")
        let i = u.tenant.mailboxPositions(matching: TestTenant.upn("kiosk"))[0]
        u.tenant.updateMailbox(at: i) { $0.customAttributes[6] = "Kiosk" }
        u.addRule("Kiosks", .DenyAccess) { $0.userRecipientFilter = "CustomAttribute7 -like 'kio*'" }
        #expect(u.evaluate(Try.basic("kiosk", .IMAP4)).decision.by == "Kiosks")
    }

    @Test(arguments: [AccessProtocol.AzureAD, .SMTP])
    func entraSignInsAndSmtpAreNotCovered(_ p: AccessProtocol) {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("DenyAll", .DenyAccess)
        let e = t.evaluate(Try.basic("adele", p))
        #expect(e.decision.outcome == .Allowed)
        #expect(e.decision.trace.first { $0.stage == .clientAccessRules }?.result == .skipped)
    }

    @Test func mapiOverHttpIsPartOfOutlookAnywhere() {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("NoOutlook", .DenyAccess) { $0.anyOfProtocols = [.OutlookAnywhere] }
        #expect(t.evaluate(Try.modern("adele", .MAPI)).decision.by == "NoOutlook")
    }

    @Test func aClientAddressThatIsNotAnAddressMatchesNoIPCondition() {
        var t = TestTenant()
        t.addUser("adele")
        t.addRule("OnlyFromHere", .DenyAccess) { $0.anyOfClientIPAddressesOrRanges = [try! IPRange.parse("0.0.0.0/0")] }
        #expect(t.evaluate(Try.basic("adele", .IMAP4, ip: "not-an-ip")).decision.outcome == .Allowed)
        #expect(t.evaluate(Try.basic("adele", .IMAP4, ip: " 10.0.0.1 ")).decision.outcome == .Denied)
    }
}
