import Foundation
import Testing
@testable import Shell
import TenantModel

@Suite struct MsolCmdletTests {
    /// The paper's per-user MFA lines. [paper-commands.ps1, EXCHANGE-FACTS 6.1]
    private let paperMfa = """
        $MFAauth = New-Object -TypeName Microsoft.Online.Administration.StrongAuthenticationRequirement
        $MFAauth.RelyingParty = “*”
        $MFAauth.State = “Enabled”
        Get-MsolUser -All | Foreach { Set-MsolUser -UserPrincipalName $_.UserPrincipalName -StrongAuthenticationRequirements $MFAauth }
        """

    @Test func thePaperEnablesMfaForEveryUser() throws {
        let (session, _) = try makeShell()
        #expect(session.tenant.users.allSatisfy { $0.strongAuthenticationState == .Disabled })
        let result = run(session, paperMfa)
        #expect(result.errors.isEmpty)
        #expect(!session.tenant.users.isEmpty)
        #expect(session.tenant.users.allSatisfy { $0.strongAuthenticationState == .Enabled })
    }

    @Test func requirementsStateReadsEnabledThroughMemberEnumeration() throws {
        let (session, _) = try makeShell()
        run(session, paperMfa)
        let result = run(session, "Get-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com | ForEach-Object { $_.StrongAuthenticationRequirements.State }")
        #expect(result.output.map(\.text) == ["Enabled"])
        let requirement = run(session, "(Get-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com).StrongAuthenticationRequirements").output
        #expect(requirement.map { h7Property($0, "RelyingParty") } == ["*"])
    }

    @Test func aDisabledUserHasAnEmptyRequirementList() throws {
        let (session, _) = try makeShell()
        let user = try #require(run(session, "Get-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com").output.first)
        guard case .object(let o) = user, case .array(let list)? = o.property("StrongAuthenticationRequirements") else {
            Issue.record("no StrongAuthenticationRequirements list")
            return
        }
        #expect(list.items.isEmpty)
    }

    @Test func anEmptyArrayDisablesMfa() throws {
        let (session, _) = try makeShell()
        run(session, paperMfa)
        #expect(run(session, "Set-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com -StrongAuthenticationRequirements @()").errors.isEmpty)
        #expect(session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.strongAuthenticationState == .Disabled)
        #expect(session.tenant.user(upn: "britton@brittest.onmicrosoft.com")?.strongAuthenticationState == .Enabled)
    }

    @Test func enforcedIsSetFromTheRequirementsState() throws {
        let (session, _) = try makeShell()
        let result = run(session, """
            $r = New-Object -TypeName Microsoft.Online.Administration.StrongAuthenticationRequirement
            $r.RelyingParty = "*"; $r.State = "Enforced"
            Set-MsolUser -UserPrincipalName joeadmin@brittest.onmicrosoft.com -StrongAuthenticationRequirements @($r)
            """)
        #expect(result.errors.isEmpty)
        #expect(session.tenant.user(upn: "joeadmin@brittest.onmicrosoft.com")?.strongAuthenticationState == .Enforced)
    }

    @Test func aStringIsNoRequirement() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Set-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com -StrongAuthenticationRequirements Enabled")
        #expect(result.errors.first?.message.contains("to type \"Microsoft.Online.Administration.StrongAuthenticationRequirement\"") == true)
        #expect(session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.strongAuthenticationState == .Disabled)
    }

    @Test func blockCredentialBlocksSignIn() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Set-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com -BlockCredential $true").errors.isEmpty)
        #expect(session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.blockCredential == true)
        #expect(run(session, "Get-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com").output.map { h7Property($0, "BlockCredential") } == ["True"])
    }

    @Test(arguments: ["Get-MsolUser -UserPrincipalName nobody@brittest.onmicrosoft.com",
                      "Set-MsolUser -UserPrincipalName nobody@brittest.onmicrosoft.com -BlockCredential $true"])
    func aMissingUserIsUserNotFound(_ line: String) throws {
        let (session, _) = try makeShell()
        let result = run(session, line)
        let error = try #require(result.errors.first)
        #expect(error.message == "User Not Found.  User: nobody@brittest.onmicrosoft.com.")
        #expect(error.errorId.hasPrefix("Microsoft.Online.Administration.Automation.UserNotFoundException,"))
        #expect(!error.isRemote)
    }

    @Test func getMsolUserShowsTheDirectoryAttributes() throws {
        let (session, _) = try makeShell()
        let user = try #require(run(session, "Get-MsolUser -UserPrincipalName britton@brittest.onmicrosoft.com").output.first)
        #expect(h7Property(user, "DisplayName") == "Britton Manahan")
        #expect(h7Property(user, "City") == "Reston")
        #expect(h7Property(user, "State") == "VA")
        #expect(h7Property(user, "IsLicensed") == (session.tenant.user(upn: "britton@brittest.onmicrosoft.com")!.isLicensed ? "True" : "False"))
        guard case .object(let o) = user else { return }
        #expect(o.ref == .user(session.tenant.user(upn: "britton@brittest.onmicrosoft.com")!.objectId))
    }

    @Test func maxResultsLimitsTheListAndAllReturnsEveryone() throws {
        let (session, _) = try makeShell()
        #expect(run(session, "Get-MsolUser -MaxResults 3").output.count == 3)
        #expect(run(session, "Get-MsolUser -All").output.count == session.tenant.users.count)
    }

    @Test func setMsolUserTakesNoWhatIf() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Set-MsolUser -UserPrincipalName adele@brittest.onmicrosoft.com -BlockCredential $true -WhatIf")
        #expect(result.errors.count == 1)
        #expect(session.tenant.user(upn: "adele@brittest.onmicrosoft.com")?.blockCredential == false)
    }
}
