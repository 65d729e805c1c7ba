import AccessControl
import AuditLog
import Foundation
import Testing
import TenantModel

/// The sign-in event each attempt that reaches Entra ID leaves, shaped like Graph's signIn
/// and the golden UserLoggedIn/UserLoginFailed records.
@Suite struct SignInEventTests {
    static func event(_ attempt: AccessAttempt) -> SignInEvent? {
        var t = TestTenant()
        t.addUser("adele")
        return t.evaluate(attempt).signIns.first
    }

    @Test(arguments: [
        (AccessProtocol.IMAP4, "IMAP4"), (.POP3, "POP3"), (.SMTP, "Authenticated SMTP"), (.ExchangeActiveSync, "Exchange ActiveSync"),
        (.ExchangeWebServices, "Exchange Web Services"), (.RemotePowerShell, "Exchange Online PowerShell"), (.MAPI, "MAPI Over HTTP"),
        (.OutlookAnywhere, "Outlook Anywhere (RPC over HTTP)"), (.OfflineAddressBook, "Offline Address Book"),
        (.UniversalOutlook, "Outlook Service"), (.OutlookWebApp, "Browser"), (.REST, "Other clients"),
    ])
    func basicAuthenticationIsLoggedAsTheLegacyClientThroughExchange(_ p: AccessProtocol, _ clientApp: String) {
        let attempt = p == .ExchangeActiveSync ? Try.eas("adele") : Try.basic("adele", p)
        let e = Self.event(attempt)
        #expect(e?.clientAppUsed == clientApp)
        #expect(e?.applicationId == "00000002-0000-0ff1-ce00-000000000000")
        #expect(e?.appDisplayName == "Office 365 Exchange Online")
        #expect(e?.resourceId == "00000002-0000-0ff1-ce00-000000000000")
        #expect(e?.protocolName == p.rawValue)
        #expect(e?.isInteractive == true)
    }

    @Test func aLegacyClientWithoutAUserAgentShowsBAV2ROPC() {
        #expect(Self.event(Try.basic("adele", .IMAP4))?.userAgent == "BAV2ROPC")
        #expect(Self.event(Try.basic("adele", .IMAP4))?.requestType == "OAuth2:Token")
    }

    @Test func outlookOnTheWebIsABrowserLogin() {
        let agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/104.0.0.0 Safari/537.36"
        let e = Self.event(Try.modern("adele", .OutlookWebApp, interactive: true, userAgent: agent))
        #expect(e?.clientAppUsed == "Browser")
        #expect(e?.requestType == "Login:login")
        #expect(e?.applicationId == "00000002-0000-0ff1-ce00-000000000000")
        #expect(e?.deviceOS == "Windows 10")
        #expect(e?.browser == "Chrome 104.0.0")
    }

    @Test func exchangeOnlinePowerShellWithModernAuthenticationIsTheRestModule() {
        let e = Self.event(Try.modern("adele", .RemotePowerShell, interactive: true, mfa: true))
        #expect(e?.clientAppUsed == "Mobile Apps and Desktop clients")
        #expect(e?.applicationId == "fb78d390-0c51-40cd-8e17-fdbfab77341b")
        #expect(e?.appDisplayName == "Microsoft Exchange REST API Based Powershell")
        #expect(e?.requestType == "OAuth2:Authorize")
    }

    @Test func connectMsolServiceIsAzureActiveDirectoryPowerShell() {
        let e = Self.event(Try.modern("adele", .AzureAD))
        #expect(e?.applicationId == "1b730954-1685-4b74-9bfd-dac224a7b894")
        #expect(e?.appDisplayName == "Azure Active Directory PowerShell")
        #expect(e?.resourceId == "00000002-0000-0000-c000-000000000000")
        #expect(e?.requestType == "OAuth2:Token")
    }

    @Test func theEventCarriesTheAttemptAsSent() {
        let time = TestTenant.start.addingTimeInterval(42)
        var attempt = Try.basic("adele", .IMAP4, ip: "2a09:bac1:820:8::1a:9c", at: time)
        attempt.user = "Adele@Contoso.onmicrosoft.com"
        attempt.clientPort = 51000
        let e = Self.event(attempt)
        #expect(e?.userPrincipalName == "Adele@Contoso.onmicrosoft.com")
        #expect(e?.time == time)
        #expect(e?.clientIP == "2a09:bac1:820:8::1a:9c")
        #expect(e?.clientPort == 51000)
        #expect(e?.succeeded == true)
        #expect(e?.errorCode == 0)
        #expect(e?.logonError == nil)
        #expect(e?.authenticationRequirement == "singleFactorAuthentication")
    }

    @Test(arguments: [
        ("nobody", "x", 50034, "UserAccountNotFound"),
        ("adele", "wrong", 50126, "InvalidUserNameOrPassword"),
    ])
    func failuresCarryTheirErrorCodeAndLogonError(_ alias: String, _ password: String, _ code: Int, _ logonError: String) {
        let e = Self.event(Try.basic(alias, .POP3, password: password))
        #expect(e?.succeeded == false)
        #expect(e?.errorCode == code)
        #expect(e?.logonError == logonError)
    }
}
