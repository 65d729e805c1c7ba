import Foundation
import Testing
import TenantModel
@testable import Shell

/// How errors travel through pipelines and scripts, and what -WhatIf and -Confirm do.
@Suite struct PipelineSemanticsTests {
    @Test func aNonTerminatingErrorOnOneObjectDoesNotStopTheOthers() throws {
        let (session, _) = try makeShell()
        let result = run(session, "'adele', 'nobody', 'britton' | Set-CASMailbox -ImapEnabled $false")
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("'nobody' couldn't be found") == true)
        #expect(!result.hadTerminatingError)
        let adele = try #require(session.tenant.mailboxes.first { $0.alias == "adele" })
        let britton = try #require(session.tenant.mailboxes.first { $0.alias == "britton" })
        #expect(!adele.cas.imapEnabled && !britton.cas.imapEnabled, "the objects after the failing one were processed")
    }

    @Test func aBindingErrorStopsOnlyItsStatement() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Set-CASMailbox adele -ImapEnabled yes\nSet-CASMailbox adele -PopEnabled $false")
        #expect(result.hadTerminatingError)
        let adele = try #require(session.tenant.mailboxes.first { $0.alias == "adele" })
        #expect(adele.cas.imapEnabled, "the failing statement changed nothing")
        #expect(!adele.cas.popEnabled, "the next statement ran")
    }

    @Test func errorActionStopEndsTheScriptAtTheFirstError() throws {
        let (session, _) = try makeShell()
        let result = run(session, "Set-CASMailbox nobody -ImapEnabled $false -ErrorAction Stop\nSet-CASMailbox adele -PopEnabled $false")
        #expect(result.hadTerminatingError)
        #expect(result.errors.count == 1)
        #expect(try #require(session.tenant.mailboxes.first { $0.alias == "adele" }).cas.popEnabled, "the script stopped")
    }

    @Test func errorActionSilentlyContinueHidesErrors() throws {
        let (session, host) = try makeShell()
        let result = run(session, "Get-Mailbox nobody -ErrorAction SilentlyContinue; 'after'")
        #expect(host.errors.isEmpty)
        #expect(result.output.map(\.text) == ["after"])
    }

    @Test func whatIfReportsAndChangesNothing() throws {
        let (session, host) = try makeShell()
        let before = session.tenant
        let result = run(session, "Get-Mailbox -ResultSize 3 | Set-Mailbox -AuditEnabled $true -WhatIf")
        #expect(result.errors.isEmpty)
        #expect(session.tenant == before)
        #expect(host.output.components(separatedBy: "What if: Performing the operation \"Set-Mailbox\" on target").count - 1 == 3)
    }

    @Test func removeAsksForConfirmationAndRefusesWithoutATerminal() throws {
        let (session, _) = try makeShell()
        run(session, "New-ClientAccessRule -Name R1 -Action DenyAccess -AnyOfProtocols IMAP4")
        let refused = run(session, "Remove-ClientAccessRule R1")
        #expect(refused.errors.first?.message.contains("-Confirm:$false") == true)
        #expect(session.tenant.clientAccessRules.map(\.name) == ["R1"])
        run(session, "Remove-ClientAccessRule R1 -Confirm:$false")
        #expect(session.tenant.clientAccessRules.isEmpty)
    }

    @Test func aPersonAtATerminalIsAsked() throws {
        let (session, host) = try makeShell()
        host.isInteractive = true
        host.answers = [.no]
        run(session, "New-ClientAccessRule -Name R1 -Action DenyAccess -AnyOfProtocols IMAP4")
        run(session, "Remove-ClientAccessRule R1")
        #expect(session.tenant.clientAccessRules.count == 1, "answered No")
        host.answers = [.yes]
        run(session, "Remove-ClientAccessRule R1")
        #expect(session.tenant.clientAccessRules.isEmpty, "answered Yes")
    }

    @Test func everyCommittedChangeIsReportedOnceToTheCommandLayer() throws {
        let (session, _) = try makeShell()
        var actions: [AdminAction] = []
        session.onCommit = { actions.append($0) }
        run(session, "Get-Mailbox -ResultSize 4 | Set-Mailbox -AuditLogAgeLimit 180")
        #expect(actions.count == 4)
        #expect(actions.allSatisfy { $0.cmdlet == "Set-Mailbox" && $0.parameters.contains { $0.name == "AuditLogAgeLimit" && $0.value == "180.00:00:00" } })
    }
}

@Suite struct CompletionTests {
    @Test func completesCmdletNamesThenParametersThenEnumValues() throws {
        let (session, _) = try makeShell()
        #expect(Completion.candidates(for: "Get-CASM", session: session).candidates == ["Get-CASMailbox"])
        #expect(Completion.candidates(for: "Set-CASMailbox adele -Imap", session: session).candidates == ["-ImapEnabled", "-ImapUseProtocolDefaults"])
        #expect(Completion.candidates(for: "New-ClientAccessRule -Action ", session: session).candidates == ["AllowAccess", "DenyAccess"])
        #expect(Completion.candidates(for: "Set-Mailbox x -AuditOwner Update,Mailbox", session: session).candidates == ["Update,MailboxLogin"])
        #expect(Completion.candidates(for: "Set-CASMailbox x -OWAEnabled $t", session: session).candidates == ["$true"])
    }

    @Test func exchangeCmdletsAreNotOfferedBeforeConnecting() throws {
        let (session, _) = try makeShell(connected: false)
        #expect(Completion.candidates(for: "Get-CASM", session: session).candidates.isEmpty)
        #expect(Completion.candidates(for: "New-PSS", session: session).candidates == ["New-PSSession"])
    }
}
