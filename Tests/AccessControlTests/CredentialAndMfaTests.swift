import AccessControl
import AuditLog
import Foundation
import Testing
import TenantModel

/// The credential and MFA stages: app passwords and per-user MFA by EXCHANGE-FACTS 6.2.
@Suite struct CredentialAndMfaTests {
    static let appPassword = "qhzmtkwrnbvxplcd"

    /// A user in the given per-user MFA state, with a registered method or not, and an app password.
    static func tenant(_ state: PerUserMfaState, methods: [StrongAuthenticationMethodType] = [.PhoneAppNotification]) -> TestTenant {
        var t = TestTenant()
        t.addUser("megan") {
            $0.strongAuthenticationState = state
            $0.strongAuthenticationMethods = methods
            $0.appPasswords = [appPassword]
        }
        return t
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var state: PerUserMfaState
        var methods: Bool
        var attempt: String
        var reason: String
        var code: Int?
        var testDescription: String { "\(state) \(methods ? "with" : "without") methods, \(attempt) → \(reason)" }
    }

    /// EXCHANGE-FACTS 6.2, row by row, for IMAP with Basic authentication (a legacy
    /// client), Outlook on the web with OAuth (a browser) and ActiveSync with Basic.
    @Test(arguments: [
        Row(state: .Disabled, methods: false, attempt: "imap", reason: "Ok", code: 0),
        Row(state: .Disabled, methods: false, attempt: "browser", reason: "Ok", code: 0),
        Row(state: .Disabled, methods: false, attempt: "eas", reason: "Ok", code: 0),
        Row(state: .Enabled, methods: false, attempt: "imap", reason: "Ok", code: 0),
        Row(state: .Enabled, methods: false, attempt: "eas", reason: "Ok", code: 0),
        Row(state: .Enabled, methods: false, attempt: "browser", reason: "MfaRegistrationRequired", code: 50079),
        Row(state: .Enabled, methods: true, attempt: "browser", reason: "MfaRequired", code: 50076),
        Row(state: .Enabled, methods: true, attempt: "browser+mfa", reason: "Ok", code: 0),
        Row(state: .Enforced, methods: true, attempt: "imap", reason: "AppPasswordRequired", code: 50076),
        Row(state: .Enforced, methods: true, attempt: "eas", reason: "AppPasswordRequired", code: 50076),
        Row(state: .Enforced, methods: true, attempt: "imap+app", reason: "Ok", code: 0),
        Row(state: .Enforced, methods: true, attempt: "eas+app", reason: "Ok", code: 0),
        Row(state: .Enforced, methods: true, attempt: "browser", reason: "MfaRequired", code: 50076),
        Row(state: .Enforced, methods: false, attempt: "browser", reason: "MfaRequired", code: 50076),
        Row(state: .Enforced, methods: true, attempt: "browser+mfa", reason: "Ok", code: 0),
    ])
    func perUserMfaFollowsTheStateTable(_ row: Row) {
        let t = Self.tenant(row.state, methods: row.methods ? [.PhoneAppNotification] : [])
        let attempt: AccessAttempt
        switch row.attempt {
        case "imap": attempt = Try.basic("megan", .IMAP4)
        case "imap+app": attempt = Try.basic("megan", .IMAP4, password: Self.appPassword)
        case "eas": attempt = Try.eas("megan")
        case "eas+app": attempt = Try.eas("megan", password: Self.appPassword)
        case "browser": attempt = Try.modern("megan", .OutlookWebApp, interactive: true)
        default: attempt = Try.modern("megan", .OutlookWebApp, interactive: true, mfa: true)
        }
        let e = t.evaluate(attempt)
        #expect(e.decision.reason == row.reason)
        #expect(e.decision.code == row.code)
        #expect(e.signIns.count == 1)
        #expect(e.signIns.first?.errorCode == row.code)
        if row.reason != "Ok" { #expect(e.decidingStage == .mfa) }
    }

    @Test func mfaFailuresAreLoggedWithTheirLogonErrors() {
        let required = Self.tenant(.Enforced).evaluate(Try.basic("megan", .IMAP4))
        #expect(required.signIns.first?.logonError == "UserStrongAuthClientAuthNRequired")
        let enrol = Self.tenant(.Enabled, methods: []).evaluate(Try.modern("megan", .OutlookWebApp, interactive: true))
        #expect(enrol.signIns.first?.logonError == "UserStrongAuthEnrollmentRequired")
        #expect(enrol.signIns.first?.failureReason?.contains("enroll in multi-factor authentication") == true)
    }

    @Test func aCompletedMfaSignInIsLoggedAsMultiFactor() {
        let e = Self.tenant(.Enforced).evaluate(Try.modern("megan", .OutlookWebApp, interactive: true, mfa: true))
        #expect(e.signIns.first?.authenticationRequirement == "multiFactorAuthentication")
        let app = Self.tenant(.Enforced).evaluate(Try.basic("megan", .IMAP4, password: Self.appPassword))
        #expect(app.signIns.first?.authenticationRequirement == "singleFactorAuthentication")
    }

    @Test func anAppPasswordFailsForAModernSignIn() {
        let e = Self.tenant(.Enforced).evaluate(Try.modern("megan", .IMAP4, password: Self.appPassword, mfa: true))
        #expect(e.decision.reason == "InvalidCredentials")
        #expect(e.decision.code == 50126)
        #expect(e.decidingStage == .credential)
    }

    @Test(arguments: [PerUserMfaState.Disabled, .Enabled])
    func anAppPasswordFailsUnlessMfaIsEnforced(_ state: PerUserMfaState) {
        let e = Self.tenant(state).evaluate(Try.basic("megan", .POP3, password: Self.appPassword))
        #expect(e.decision.reason == "InvalidCredentials")
        #expect(e.decision.code == 50126)
    }

    @Test func aBasicSignInWithoutAPasswordFails() {
        var t = TestTenant()
        t.addUser("megan")
        var attempt = Try.basic("megan", .IMAP4)
        attempt.password = nil
        #expect(t.evaluate(attempt).decision.code == 50126)
    }

    @Test func mfaStateStaysAsItIs() {
        let e = Self.tenant(.Enabled).evaluate(Try.modern("megan", .OutlookWebApp, interactive: true, mfa: true))
        #expect(e.decision.outcome == .Allowed)
        #expect(!e.changes.contains { if case .mfaState = $0 { return true } else { return false } })
    }
}
