import AuditLog
import Foundation
import Testing
import TenantModel
@testable import Shell

/// The audit search cmdlets and the simulator cmdlets, end to end through the shell.
@Suite struct AuditAndSimCmdletTests {
    /// contoso has UAL on; brittest (2019) has it off until the paper turns it on.
    func shell(_ fixture: String = "contoso") throws -> ShellSession { try makeShell(fixture).0 }

    func adminUPN(_ s: ShellSession) -> String { s.exchangeIdentity ?? "" }

    @Test func aFailedSignInIsDecidedExplainedAndLogged() throws {
        let s = try shell()
        let user = try #require(s.tenant.users.first { $0.accountEnabled }).userPrincipalName
        let result = run(s, "Invoke-SimSignIn \(user) -Protocol AzureAD -Password wrong-password -Explain")
        guard case .object(let d)? = result.output.first else { Issue.record("no decision"); return }
        #expect(d.property("Decision")?.text == "Denied")
        #expect(d.property("Reason")?.text == "InvalidCredentials")
        #expect(d.property("Code")?.text == "50126")
        #expect(d.property("Explanation")?.text.contains("credential") == true)
        let log = run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01 -UserIds \(user) -Operations UserLoginFailed")
        #expect(log.output.count == 1)
        if case .object(let r)? = log.output.first {
            #expect(r.property("RecordType")?.text == "AzureActiveDirectoryStsLogon")
            #expect(r.property("AuditData")?.text.contains("\"ErrorNumber\":\"50126\"") == true)
            #expect(r.property("ResultIndex")?.text == "1" && r.property("ResultCount")?.text == "1")
        }
        let signIns = run(s, "Get-SimSignInLog \(user)")
        #expect(signIns.output.count == 1)
    }

    @Test func adminChangesAreInTheUnifiedAndAdminAuditLogs() throws {
        let s = try shell()
        run(s, "Get-Mailbox -ResultSize 2 | Set-Mailbox -AuditLogAgeLimit 365")
        let ual = run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01 -Operations Set-Mailbox -RecordType ExchangeAdmin")
        #expect(ual.output.count == 2)
        let admin = run(s, "Search-AdminAuditLog -Cmdlets Set-Mailbox -Parameters AuditLogAgeLimit")
        #expect(admin.output.count == 2)
        if case .object(let o)? = admin.output.first {
            #expect(o.property("Caller")?.text == adminUPN(s))
            #expect(o.property("CmdletParameters")?.enumerated.contains { $0.text == "AuditLogAgeLimit=365.00:00:00" } == true)
        }
    }

    @Test func withIngestionOffOnlyTheSwitchItselfIsLogged() throws {
        let s = try shell("brittest")
        run(s, "Enable-OrganizationCustomization; Set-Mailbox adele -AuditLogAgeLimit 100")
        #expect(run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01").output.isEmpty)
        run(s, "Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true; Set-Mailbox adele -AuditLogAgeLimit 120")
        let ops = run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01").output.compactMap { v -> String? in
            if case .object(let o) = v { return o.property("Operations")?.text } else { return nil }
        }
        #expect(Set(ops) == ["Set-AdminAuditLogConfig", "Set-Mailbox"])
    }

    @Test func pagingWithASessionIdReturnsTheNextPage() throws {
        let s = try shell()
        for i in 0..<7 { run(s, "Set-Mailbox -Identity \(s.tenant.mailboxes[i].alias) -AuditLogAgeLimit \(100 + i)") }
        let q = "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01 -Operations Set-Mailbox -ResultSize 3 -SessionId page1 -SessionCommand ReturnNextPreviewPage"
        let pages = (0..<4).map { _ in run(s, q).output.count }
        #expect(pages == [3, 3, 1, 0])
    }

    @Test func resultSizeAndDatesAreValidated() throws {
        let s = try shell()
        #expect(run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01 -ResultSize 5001").errors.first?.message.contains("between 1 and 5000") == true)
        #expect(run(s, "Search-UnifiedAuditLog -StartDate 2100-01-01 -EndDate 2000-01-01").errors.first?.message.contains("earlier") == true)
        #expect(run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01").errors.first?.errorId.hasPrefix("MissingMandatoryParameter") == true)
    }

    @Test func formattedShowsRecordTypeAsAName() throws {
        let s = try shell()
        run(s, "Set-Mailbox -Identity \(s.tenant.mailboxes[0].alias) -AuditLogAgeLimit 111")
        let out = run(s, "Search-UnifiedAuditLog -StartDate 2000-01-01 -EndDate 2100-01-01 -Formatted").output
        if case .object(let o)? = out.first { #expect(o.property("AuditData")?.text.contains("\"RecordType\":\"ExchangeAdmin\"") == true) }
    }

    @Test func theSimulatedClockOnlyMovesForward() throws {
        let s = try shell()
        let before = s.tenant.now
        run(s, "Wait-SimTime 2h")
        #expect(s.tenant.now == before.addingTimeInterval(7_200))
        #expect(run(s, "Set-SimClock 2001-01-01").errors.first?.message.contains("only moves forward") == true)
        #expect(run(s, "Wait-SimTime soon").errors.first?.message.contains("isn't a duration") == true)
    }

    @Test func ownerMailboxActionsReachTheMailboxAuditLog() throws {
        let s = try shell()
        let owner = try #require(s.tenant.mailboxes.first { $0.recipientTypeDetails == .UserMailbox && $0.licenseTier == .E5 })
        let user = try #require(s.tenant.users.first { $0.objectId == owner.userObjectId })
        run(s, "Set-Mailbox \(owner.alias) -AuditEnabled $true")
        let act = run(s, "Invoke-SimMailboxAction -User \(user.userPrincipalName) -Action hard-delete -Protocol OutlookWebApp")
        guard case .object(let d)? = act.output.first else { Issue.record("no decision"); return }
        if d.property("Decision")?.text == "Allowed" {
            let records = run(s, "Search-MailboxAuditLog \(owner.alias) -ShowDetails -LogonTypes Owner -Operations HardDelete")
            #expect(records.output.count >= 1)
        }
        #expect(run(s, "Search-MailboxAuditLog \(owner.alias) -LogonTypes Owner").errors.first?.message.contains("ShowDetails") == true)
    }
}
