import AccessControl
import AuditLog
import Foundation
import Testing
import TenantModel

/// The directory stage: Entra ID's account checks and smart lockout. [SPEC §5; ENTRA smart lockout]
@Suite struct DirectoryStageTests {
    @Test func anUnknownUserIsDeniedWith50034AndLoggedAsUserAccountNotFound() {
        let t = TestTenant()
        let e = t.evaluate(Try.basic("nobody", .IMAP4))
        #expect(e.decision.outcome == .Denied)
        #expect(e.decision.reason == "UserNotFound")
        #expect(e.decision.by == nil)
        #expect(e.decision.code == 50034)
        #expect(e.decidingStage == .directory)
        #expect(e.signIns.count == 1)
        #expect(e.signIns.first?.errorCode == 50034)
        #expect(e.signIns.first?.logonError == "UserAccountNotFound")
        #expect(e.signIns.first?.userObjectId == nil)
        #expect(e.signIns.first?.succeeded == false)
        #expect(e.changes.isEmpty)
    }

    @Test func aBlockedAccountIsDeniedWith50057WhateverThePassword() {
        var t = TestTenant()
        t.addUser("adele") { $0.blockCredential = true }
        for password in [TestTenant.password("adele"), "wrong"] {
            let e = t.evaluate(Try.basic("adele", .POP3, password: password))
            #expect(e.decision.reason == "AccountDisabled")
            #expect(e.decision.code == 50057)
            #expect(e.signIns.first?.logonError == "UserDisabled")
            #expect(e.changes.isEmpty)
        }
    }

    @Test func aWrongPasswordIsDeniedWith50126AndCounted() {
        var t = TestTenant()
        t.addUser("adele")
        let e = t.sign(Try.basic("adele", .IMAP4, password: "Summer2019!"))
        #expect(e.decision.reason == "InvalidCredentials")
        #expect(e.decision.code == 50126)
        #expect(e.decidingStage == .credential)
        #expect(e.signIns.first?.logonError == "InvalidUserNameOrPassword")
        #expect(e.signIns.first?.failureReason == "Error validating credentials due to invalid username or password.")
        #expect(t.user("adele").failedSignInCount == 1)
    }

    @Test func tenDistinctWrongPasswordsLockTheAccountForSixtySeconds() {
        var t = TestTenant()
        t.addUser("adele")
        for i in 1...10 {
            let e = t.sign(Try.basic("adele", .IMAP4, password: "guess-\(i)"))
            #expect(e.decision.code == 50126, "attempt \(i) is a wrong password, not yet a lockout")
        }
        let user = t.user("adele")
        #expect(user.failedSignInCount == 10)
        #expect(user.lockoutCount == 1)
        #expect(user.lockedUntil == TestTenant.start.addingTimeInterval(60))
        // Locked: even the right password is refused, and nothing more is counted.
        let locked = t.sign(Try.basic("adele", .IMAP4))
        #expect(locked.decision.reason == "AccountLocked")
        #expect(locked.decision.code == 50053)
        #expect(locked.signIns.first?.logonError == "IdsLocked")
        #expect(locked.changes.isEmpty)
    }

    @Test func repeatingOneOfTheLastThreeBadPasswordsCountsOnce() {
        var t = TestTenant()
        t.addUser("adele")
        for _ in 1...20 { _ = t.sign(Try.basic("adele", .IMAP4, password: "Summer2019!")) }
        #expect(t.user("adele").failedSignInCount == 1)
        for password in ["a", "b", "Summer2019!", "a", "b"] { _ = t.sign(Try.basic("adele", .IMAP4, password: password)) }
        #expect(t.user("adele").failedSignInCount == 3)
        // Three newer bad passwords push the first one out of memory: it counts again.
        for password in ["c", "d", "Summer2019!"] { _ = t.sign(Try.basic("adele", .IMAP4, password: password)) }
        #expect(t.user("adele").failedSignInCount == 6)
        #expect(t.user("adele").lockedUntil == nil)
    }

    @Test func aLockoutExpiresOnTheSimulatedClock() {
        var t = TestTenant()
        t.addUser("adele")
        for i in 1...10 { _ = t.sign(Try.basic("adele", .IMAP4, password: "guess-\(i)")) }
        #expect(t.evaluate(Try.basic("adele", .IMAP4, at: TestTenant.start.addingTimeInterval(59))).decision.code == 50053)
        t.tenant.clock.advance(by: 60)
        let after = t.sign(Try.basic("adele", .IMAP4))
        #expect(after.decision.outcome == .Allowed)
        #expect(t.user("adele").failedSignInCount == 0)
        #expect(t.user("adele").lockedUntil == nil)
    }

    @Test func afterALockoutEachNewBadPasswordLocksAgainForLonger() {
        var t = TestTenant()
        t.addUser("adele")
        for i in 1...10 { _ = t.sign(Try.basic("adele", .IMAP4, password: "guess-\(i)")) }
        t.tenant.clock.advance(by: 61)
        let e = t.sign(Try.basic("adele", .IMAP4, password: "guess-11"))
        #expect(e.decision.code == 50126)
        let user = t.user("adele")
        #expect(user.lockoutCount == 2)
        #expect(user.lockedUntil == t.tenant.now.addingTimeInterval(120))
    }

    @Test func aSuccessfulSignInResetsTheCounter() {
        var t = TestTenant()
        t.addUser("adele")
        for i in 1...9 { _ = t.sign(Try.basic("adele", .IMAP4, password: "guess-\(i)")) }
        let ok = t.sign(Try.basic("adele", .IMAP4))
        #expect(ok.decision.outcome == .Allowed)
        #expect(ok.changes == [.signInCounters(user: t.user("adele").objectId, failedSignInCount: 0, lockedUntil: nil, lockoutCount: 0)])
        let again = t.sign(Try.basic("adele", .IMAP4, password: "guess-10"))
        #expect(again.decision.code == 50126)
        #expect(t.user("adele").failedSignInCount == 1)
        #expect(t.user("adele").lockedUntil == nil)
    }

    @Test(arguments: [(0, 60.0), (1, 120.0), (2, 240.0), (5, 1920.0), (6, 3600.0), (40, 3600.0)])
    func lockoutDurationsDoubleUpToAnHour(_ earlier: Int, _ seconds: Double) {
        #expect(SmartLockout.lockoutDuration(afterLockouts: earlier) == seconds)
    }

    @Test func entraDefaultsAreTheDocumentedOnes() {
        #expect(SmartLockout.threshold == 10)
        #expect(SmartLockout.firstLockoutDuration == 60)
        #expect(SmartLockout.rememberedBadPasswords == 3)
    }
}
