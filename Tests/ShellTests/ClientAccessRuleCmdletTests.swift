import Foundation
import Testing
@testable import Shell
import TenantModel

/// A property of an output object as text ("" when absent).
func h7Property(_ value: PSValue, _ name: String) -> String {
    guard case .object(let o) = value else { return "" }
    return o.property(name)?.text ?? ""
}

/// The paper's two client access rules, as corrected. [paper-commands.ps1]
private let paperRules = """
    New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess -AnyOfProtocols RemotePowerShell -Priority 1 -UserNameMatchesAnyOfPatterns “Domain\\JoeAdmin”
    New-ClientAccessRule -Name “Deny_Non_Company_IPs_Except_for_ActiveSync” -Action DenyAccess -ExceptAnyOfProtocols ExchangeActiveSync -Priority 2 -ExceptAnyOfClientIPAddressesOrRanges 255.255.255.255
    """

@Suite struct ClientAccessRuleCmdletTests {
    private func names(_ session: ShellSession) -> [String] { session.tenant.clientAccessRules.map(\.name) }

    // MARK: The paper's lines

    @Test func actionAllowFailsAtBindingWithTheEnumErrorAndCreatesNothing() throws {
        let (session, _) = try makeShell()
        let result = run(session, "New-ClientAccessRule -Name AllowRemotePS -Action Allow -AnyOfProtocols RemotePowerShell -Priority 1")
        #expect(result.errors.count == 1)
        let message = result.errors.first?.message ?? ""
        #expect(message.contains("Unable to match the identifier name Allow to a valid enumerator name"))
        #expect(message.contains("AllowAccess, DenyAccess"))
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test func actionDenyFailsTooAndCreatesNothing() throws {
        let (session, _) = try makeShell()
        let result = run(session, "New-ClientAccessRule -Name “Deny_Non_Company_IPs_Except_for_ActiveSync” -Action Deny -ExceptAnyOfProtocols ExchangeActiveSync -Priority 2 -ExceptAnyOfClientIPAddressesOrRanges 255.255.255.255")
        #expect(result.errors.first?.message.contains("Unable to match the identifier name Deny") == true)
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test func correctedRuleIsCreatedAndReturned() throws {
        let (session, _) = try makeShell()
        let result = run(session, "New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess -AnyOfProtocols RemotePowerShell -Priority 1")
        #expect(result.errors.isEmpty)
        #expect(result.output.count == 1)
        #expect(h7Property(result.output[0], "Name") == "AllowRemotePS")
        #expect(h7Property(result.output[0], "Action") == "AllowAccess")
        #expect(h7Property(result.output[0], "Priority") == "1")
        #expect(h7Property(result.output[0], "RuleScope") == "All")
        #expect(session.tenant.clientAccessRules.first?.anyOfProtocols == [.RemotePowerShell])
    }

    @Test func removeWithConfirmFalseRemovesTheRule() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess -AnyOfProtocols RemotePowerShell -Priority 1")
        let result = run(session, "Remove-ClientAccessRule AllowRemotePS -Confirm:$false")
        #expect(result.errors.isEmpty)
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test func removeWithoutATerminalToConfirmRemovesNothing() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess")
        let result = run(session, "Remove-ClientAccessRule AllowRemotePS")
        #expect(result.errors.count == 1)
        #expect(names(session) == ["AllowRemotePS"])
    }

    @Test func getListsThePaperRulesInPriorityOrder() throws {
        let (session, _) = try makeShell()
        #expect(run(session, paperRules).errors.isEmpty)
        let result = run(session, "Get-ClientAccessRule")
        #expect(result.output.map { h7Property($0, "Name") } == ["AllowRemotePS", "Deny_Non_Company_IPs_Except_for_ActiveSync"])
        #expect(result.output.map { h7Property($0, "Priority") } == ["1", "2"])
        #expect(h7Property(result.output[0], "UsernameMatchesAnyOfPatterns") == "Domain\\JoeAdmin")
        #expect(h7Property(result.output[1], "ExceptAnyOfClientIPAddressesOrRanges") == "255.255.255.255")
    }

    @Test func testClientAccessRuleReturnsThePaperDenyRuleForOutlookWebApp() throws {
        let (session, _) = try makeShell()
        run(session, paperRules)
        let result = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol OutlookWebApp -RemoteAddress 203.0.113.20 -RemotePort 443 -User britton@brittest.onmicrosoft.com")
        #expect(result.errors.isEmpty)
        #expect(result.output.map { h7Property($0, "Name") } == ["Deny_Non_Company_IPs_Except_for_ActiveSync"])
        #expect(result.output.first.map { h7Property($0, "Action") } == "DenyAccess")
        #expect(result.output.first.map { h7Property($0, "Identity") } == "Deny_Non_Company_IPs_Except_for_ActiveSync")
    }

    @Test func pipingEveryRuleToRemoveRemovesThemAll() throws {
        let (session, _) = try makeShell()
        run(session, paperRules)
        let result = run(session, "Get-ClientAccessRule | Remove-ClientAccessRule -Confirm:$false")
        #expect(result.errors.isEmpty)
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test func insertingAtPriorityOnePushesTheRuleBelowAndRemovingItBringsItBack() throws {
        let (session, _) = try makeShell()
        let script = """
            New-ClientAccessRule -Name Restrict_AdminCenter_And_Services -Action DenyAccess -AnyOfProtocols ExchangeAdminCenter,ExchangeWebServices,PowerShellWebServices,RemotePowerShell –ExceptAnyOfClientIPAddressesOrRanges 255.255.255.0/24
            New-ClientAccessRule -Name Temporary_Vendor_Bypass -Action AllowAccess -AnyOfProtocols ExchangeAdminCenter,ExchangeWebServices,PowerShellWebServices,RemotePowerShell –AnyOfClientIPAddressesOrRanges 255.255.255.255 -UserNameMatchesAnyOfPatterns “Domain\\ExternalVendor” -Priority 1
            """
        #expect(run(session, script).errors.isEmpty)
        #expect(session.tenant.clientAccessRules.map { "\($0.priority) \($0.name)" }
            == ["1 Temporary_Vendor_Bypass", "2 Restrict_AdminCenter_And_Services"])
        #expect(run(session, "Remove-ClientAccessRule Temporary_Vendor_Bypass -Confirm:$false").errors.isEmpty)
        #expect(session.tenant.clientAccessRules.map { "\($0.priority) \($0.name)" } == ["1 Restrict_AdminCenter_And_Services"])
    }

    // MARK: Validation

    @Test(arguments: [
        "-AnyOfProtocols RemotePowerShell -AnyOfAuthenticationTypes AdfsAuthentication",
        "-AnyOfProtocols RemotePowerShell -ExceptAnyOfAuthenticationTypes AdfsAuthentication",
        "-AnyOfProtocols OutlookWebApp -AnyOfAuthenticationTypes NonBasicAuthentication",
        "-AnyOfProtocols OutlookWebApp,ExchangeAdminCenter -AnyOfAuthenticationTypes NonBasicAuthentication",
    ])
    func unsupportedAuthenticationTypeForTheProtocolIsRefused(_ conditions: String) throws {
        let (session, _) = try makeShell()
        let result = run(session, "New-ClientAccessRule -Name R -Action DenyAccess \(conditions)")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.reason == "InvalidOperationException")
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test(arguments: [
        "-AnyOfProtocols RemotePowerShell -AnyOfAuthenticationTypes NonBasicAuthentication",
        "-AnyOfProtocols OutlookWebApp -AnyOfAuthenticationTypes AdfsAuthentication",
        "-AnyOfProtocols ExchangeActiveSync -AnyOfAuthenticationTypes CertificateBasedAuthentication",
    ])
    func supportedAuthenticationTypeIsAccepted(_ conditions: String) throws {
        let (session, _) = try makeShell()
        #expect(run(session, "New-ClientAccessRule -Name R -Action DenyAccess \(conditions)").errors.isEmpty)
        #expect(session.tenant.clientAccessRules.count == 1)
    }

    @Test func setRefusesAnAuthenticationTypeTheProtocolDoesNotSupport() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name R -Action DenyAccess -AnyOfProtocols RemotePowerShell")
        let result = run(session, "Set-ClientAccessRule R -AnyOfAuthenticationTypes AdfsAuthentication")
        #expect(result.errors.count == 1)
        #expect(session.tenant.clientAccessRules[0].anyOfAuthenticationTypes.isEmpty)
    }

    @Test func theTwentyFirstRuleIsRefused() throws {
        let (session, _) = try makeShell()
        for i in 1...ClientAccessRule.limit {
            #expect(run(session, "New-ClientAccessRule -Name Rule\(i) -Action AllowAccess -Enabled $false").errors.isEmpty)
        }
        let result = run(session, "New-ClientAccessRule -Name Rule21 -Action AllowAccess")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("20 client access rules") == true)
        #expect(result.errors.first?.errorId.hasSuffix(",Microsoft.Exchange.Management.SystemConfigurationTasks.NewClientAccessRule") == true)
        #expect(session.tenant.clientAccessRules.count == ClientAccessRule.limit)
    }

    @Test func aSecondRuleOfTheSameNameIsRefused() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess")
        let result = run(session, "New-ClientAccessRule -Name allowremoteps -Action DenyAccess")
        #expect(result.errors.first?.message.contains("already exists") == true)
        #expect(session.tenant.clientAccessRules.count == 1)
    }

    @Test func renamingToAnotherRulesNameIsRefused() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name A -Action AllowAccess; New-ClientAccessRule -Name B -Action AllowAccess")
        let result = run(session, "Set-ClientAccessRule B -Name A")
        #expect(result.errors.count == 1)
        #expect(names(session) == ["A", "B"])
    }

    @Test func recipientFilterOnAnUnsupportedPropertyIsRefused() throws {
        let (session, _) = try makeShell()
        let result = run(session, "New-ClientAccessRule -Name R -Action DenyAccess -UserRecipientFilter \"Title -eq 'CEO'\"")
        #expect(result.errors.first?.message.contains("\"Title\" is not a recognized filterable property") == true)
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test func recipientFilterOnTheRestrictedPropertiesIsAccepted() throws {
        let (session, _) = try makeShell()
        let filter = "(Department -eq 'Sales' -or City -like 'Den*') -and CountryOrRegion -eq 'US'"
        #expect(run(session, "New-ClientAccessRule -Name R -Action DenyAccess -UserRecipientFilter \"\(filter)\"").errors.isEmpty)
        #expect(session.tenant.clientAccessRules.first?.userRecipientFilter == filter)
    }

    // MARK: Set and priorities

    @Test func setPriorityMovesTheRuleAndRenumbersTheOthers() throws {
        let (session, _) = try makeShell()
        run(session, "'A','B','C','D','E' | ForEach-Object { New-ClientAccessRule -Name $_ -Action AllowAccess }")
        #expect(run(session, "Set-ClientAccessRule E -Priority 2").errors.isEmpty)
        #expect(names(session) == ["A", "E", "B", "C", "D"])
        #expect(session.tenant.clientAccessRules.map(\.priority) == [1, 2, 3, 4, 5])
    }

    @Test func newRuleWithoutPriorityOrOutOfRangeGoesLast() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name A -Action AllowAccess; New-ClientAccessRule -Name B -Action AllowAccess -Priority 9")
        run(session, "New-ClientAccessRule -Name C -Action AllowAccess -Priority 0")
        #expect(names(session) == ["A", "B", "C"])
    }

    @Test func setEditsAConditionListWithAddAndRemove() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name R -Action DenyAccess -AnyOfProtocols OutlookWebApp,IMAP4")
        #expect(run(session, "Set-ClientAccessRule R -AnyOfProtocols @{Add='POP3'; Remove='IMAP4'}").errors.isEmpty)
        #expect(session.tenant.clientAccessRules[0].anyOfProtocols == [.OutlookWebApp, .POP3])
    }

    @Test func setScopeShowsAsRuleScope() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name R -Action DenyAccess -Scope Users")
        #expect(h7Property(run(session, "Get-ClientAccessRule R").output.first ?? .null, "RuleScope") == "Users")
    }

    @Test func setWithNothingToChangeWarns() throws {
        let (session, host) = try makeShell()
        run(session, "New-ClientAccessRule -Name R -Action DenyAccess")
        run(session, "Set-ClientAccessRule R -Action DenyAccess")
        #expect(host.warnings.last == "The command completed successfully but no settings of 'R' have been modified.")
    }

    @Test func getOfAnUnknownRuleIsNotFound() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Get-ClientAccessRule Nope")
        #expect(result.errors.first?.message.contains("couldn't be found") == true)
    }

    // MARK: Test-ClientAccessRule and matching

    @Test func userNamePatternWithoutLeadingWildcardNeverMatchesButSurroundedOneDoes() throws {
        let (session, _) = try makeShell()
        run(session, """
            New-ClientAccessRule -Name Prefix -Action DenyAccess -UsernameMatchesAnyOfPatterns 'joeadmin*'
            New-ClientAccessRule -Name Surrounded -Action DenyAccess -UsernameMatchesAnyOfPatterns '*joeadmin*'
            New-ClientAccessRule -Name Full -Action DenyAccess -UsernameMatchesAnyOfPatterns 'BRITTEST.onmicrosoft.com\\JoeAdmin'
            """)
        let result = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol RemotePowerShell -RemoteAddress 198.51.100.7 -RemotePort 443 -User joeadmin@brittest.onmicrosoft.com")
        #expect(result.output.map { h7Property($0, "Name") } == ["Surrounded", "Full"])
    }

    @Test(arguments: [("jeff*", false), ("*jeff*", true), ("*\\jeff", true), ("contoso.com\\JEFF", true), ("contoso.com\\jeff.*", false)])
    func usernamePatternsAreAnchoredAndIgnoreCase(_ pattern: String, _ matches: Bool) {
        #expect(ClientAccessRuleMatcher.accountName(userPrincipalName: "jeff@contoso.com") == "contoso.com\\jeff")
        #expect(ClientAccessRuleMatcher.wildcardMatches(pattern: pattern.lowercased(), "contoso.com\\jeff") == matches)
    }

    @Test func anExceptionSkipsOnlyItsOwnRule() throws {
        let (session, _) = try makeShell()
        run(session, """
            New-ClientAccessRule -Name DenyExceptOffice -Action DenyAccess -ExceptAnyOfClientIPAddressesOrRanges 203.0.113.0/24
            New-ClientAccessRule -Name DenyOwa -Action DenyAccess -AnyOfProtocols OutlookWebApp
            """)
        let result = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol OutlookWebApp -RemoteAddress 203.0.113.20 -RemotePort 443 -User adele@brittest.onmicrosoft.com")
        #expect(result.output.map { h7Property($0, "Name") } == ["DenyOwa"])
    }

    @Test func testCountsDisabledRulesButRealEvaluationSkipsThem() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name Off -Action DenyAccess -Enabled $false; New-ClientAccessRule -Name On -Action DenyAccess")
        let result = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol POP3 -RemoteAddress 192.0.2.1 -RemotePort 995 -User adele")
        #expect(result.output.map { h7Property($0, "Name") } == ["Off", "On"])
        let attempt = ClientAccessRuleAttempt(protocol: .POP3, authenticationType: .BasicAuthentication,
                                              remoteAddress: IPAddress.parse("192.0.2.1")!, remotePort: 995,
                                              userPrincipalName: "adele@brittest.onmicrosoft.com", user: nil, mailbox: nil)
        #expect(ClientAccessRuleMatcher.decidingRule(session.tenant.clientAccessRules, attempt)?.name == "On")
    }

    @Test func anAuthenticationTypeConditionNeverMatchesAProtocolWithoutAuthenticationFilters() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name BasicOnly -Action DenyAccess -AnyOfAuthenticationTypes BasicAuthentication")
        let ews = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol ExchangeWebServices -RemoteAddress 192.0.2.1 -RemotePort 443 -User adele")
        let imap = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol IMAP4 -RemoteAddress 192.0.2.1 -RemotePort 993 -User adele")
        #expect(ews.output.isEmpty)
        #expect(imap.output.map { h7Property($0, "Name") } == ["BasicOnly"])
    }

    @Test func recipientFilterMatchesTheUsersAttributes() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name Sales -Action DenyAccess -UserRecipientFilter \"Department -eq 'sales' -and City -like 'Chi*'\"")
        func test(_ user: String) -> [String] {
            run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol OutlookWebApp -RemoteAddress 192.0.2.1 -RemotePort 443 -User \(user)")
                .output.map { h7Property($0, "Name") }
        }
        #expect(test("marcus@brittest.onmicrosoft.com") == ["Sales"])
        #expect(test("tyler@brittest.onmicrosoft.com").isEmpty)
        #expect(test("adele@brittest.onmicrosoft.com").isEmpty)
    }

    @Test func noMatchingRuleReturnsNothing() throws {
        let (session, _) = try makeShell()
        run(session, paperRules)
        let result = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol ExchangeActiveSync -RemoteAddress 203.0.113.20 -RemotePort 443 -User britton@brittest.onmicrosoft.com")
        #expect(result.errors.isEmpty)
        #expect(result.output.isEmpty)
    }

    @Test func testRefusesABadAddressAndPort() throws {
        let (session, _) = try makeShell()
        let address = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol POP3 -RemoteAddress 300.1.1.1 -RemotePort 995 -User adele")
        #expect(address.errors.first?.message.contains("An invalid IP address was specified.") == true)
        let port = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol POP3 -RemoteAddress 192.0.2.1 -RemotePort 70000 -User adele")
        #expect(port.errors.first?.message.contains("greater than the maximum allowed range of 65535") == true)
    }

    @Test func testDoesNotTakeUniversalOutlook() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Test-ClientAccessRule -AuthenticationType BasicAuthentication -Protocol UniversalOutlook -RemoteAddress 192.0.2.1 -RemotePort 443 -User adele")
        #expect(result.errors.first?.message.contains("Unable to match the identifier name UniversalOutlook") == true)
    }
}

@Suite struct ClientAccessRuleCmdletRegistryTests {
    /// Every parameter of the cmdlets in these groups carries a one-line help text, and every
    /// Exchange cmdlet that changes the tenant takes -WhatIf/-Confirm.
    @Test func everyParameterHasHelpAndEveryExchangeChangeSupportsShouldProcess() {
        let groups = ClientAccessRuleCmdlets.definitions + OrganizationCmdlets.definitions + InboxRuleCmdlets.definitions
            + MailboxPermissionCmdlets.definitions + MsolCmdlets.definitions
        for cmdlet in groups {
            for p in cmdlet.parameters {
                #expect(!p.help.isEmpty && !p.help.contains("\n"), "\(cmdlet.name) -\(p.name)")
            }
            if cmdlet.module == .exchange, ["New", "Set", "Add", "Remove", "Enable"].contains(cmdlet.verb) {
                #expect(cmdlet.supportsShouldProcess, "\(cmdlet.name)")
            }
            if cmdlet.verb == "Remove" { #expect(cmdlet.confirmsByDefault, "\(cmdlet.name)") }
        }
    }
}
