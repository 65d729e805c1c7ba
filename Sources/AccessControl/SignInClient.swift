import AuditLog
import Foundation
import TenantModel

/// How Entra ID's sign-in log describes the client of an attempt: Graph's `clientAppUsed`,
/// the application and resource, the request type and a default user agent.
///
/// - Basic authentication to Exchange is proxied: Exchange Online hands the password to
///   Entra ID, which logs the application "Office 365 Exchange Online" and the user agent
///   `BAV2ROPC`, with `clientAppUsed` naming the legacy protocol. [OXD
///   disable-basic-authentication-in-exchange-online.md, "How Basic authentication works";
///   ENTRA howto-customize-filter-logs.md, legacy authentication clients]
/// - Modern clients are "Browser" (Outlook on the web, the admin center) or "Mobile Apps and
///   Desktop clients", with the client application's own id. [golden det-eng-samples:
///   Office 365 Exchange Online with `Login:login` for browsers, Azure Active Directory
///   PowerShell with `OAuth2:Token` for Connect-MsolService]
struct SignInClient {
    var clientAppUsed: String
    var applicationId: String
    var appDisplayName: String
    var resourceId: String
    var requestType: String
    var defaultUserAgent: String

    static let exchangeOnline = KnownApplications.exchangeOnline
    static let windowsAzureActiveDirectory = KnownApplications.windowsAzureActiveDirectory.id
    static let azureADPowerShell = KnownApplications.azureADPowerShell
    static let exchangePowerShell = KnownApplications.exchangePowerShell
    static let microsoftOffice = KnownApplications.microsoftOffice
    static let outlookMobile = KnownApplications.outlookMobile
    static let iOSAccounts = KnownApplications.iOSAccounts
    static let thunderbird = KnownApplications.thunderbird

    /// Graph's names for legacy-authentication clients. [ENTRA howto-customize-filter-logs.md]
    static func legacyClientApp(_ p: AccessProtocol) -> String {
        switch p {
        case .ExchangeActiveSync: return "Exchange ActiveSync"
        case .IMAP4: return "IMAP4"
        case .POP3: return "POP3"
        case .SMTP: return "Authenticated SMTP"
        case .ExchangeWebServices: return "Exchange Web Services"
        case .RemotePowerShell, .PowerShellWebServices: return "Exchange Online PowerShell"
        case .MAPI: return "MAPI Over HTTP"
        case .OutlookAnywhere: return "Outlook Anywhere (RPC over HTTP)"
        case .OfflineAddressBook: return "Offline Address Book"
        case .UniversalOutlook: return "Outlook Service"
        case .OutlookWebApp, .ExchangeAdminCenter: return "Browser"
        case .REST, .AzureAD: return "Other clients"
        }
    }

    init(_ attempt: AccessAttempt) {
        let p = attempt.accessProtocol
        let interactive = attempt.password == nil
        requestType = interactive ? "OAuth2:Authorize" : "OAuth2:Token"
        defaultUserAgent = ""
        resourceId = Self.exchangeOnline.id
        switch p {
        case .AzureAD:
            // Connect-MsolService signs in with the user's password (resource-owner password
            // credentials), which Entra logs as a token request from a desktop client.
            clientAppUsed = "Mobile Apps and Desktop clients"
            (applicationId, appDisplayName) = Self.azureADPowerShell
            resourceId = Self.windowsAzureActiveDirectory
        case .OutlookWebApp, .ExchangeAdminCenter:
            clientAppUsed = "Browser"
            (applicationId, appDisplayName) = Self.exchangeOnline
            requestType = "Login:login"
        default:
            if attempt.isLegacyAuthentication {
                clientAppUsed = Self.legacyClientApp(p)
                (applicationId, appDisplayName) = Self.exchangeOnline
                requestType = "OAuth2:Token"
                defaultUserAgent = "BAV2ROPC"
            } else {
                clientAppUsed = "Mobile Apps and Desktop clients"
                switch p {
                case .RemotePowerShell, .PowerShellWebServices: (applicationId, appDisplayName) = Self.exchangePowerShell
                case .IMAP4, .POP3, .SMTP: (applicationId, appDisplayName) = Self.thunderbird
                case .ExchangeActiveSync: (applicationId, appDisplayName) = attempt.isMiddleTierApp ? Self.outlookMobile : Self.iOSAccounts
                case .REST: (applicationId, appDisplayName) = attempt.isMiddleTierApp ? Self.outlookMobile : Self.microsoftOffice
                default: (applicationId, appDisplayName) = Self.microsoftOffice
                }
            }
        }
    }

    /// Graph's `deviceDetail.operatingSystem`, read from the user agent.
    static func operatingSystem(_ agent: String) -> String? {
        if has(agent, "Windows NT 10.0") { return "Windows 10" }
        if has(agent, "Windows") { return "Windows" }
        if has(agent, "iPhone") || has(agent, "iPad") || has(agent, "Apple-") || has(agent, "Outlook-iOS") { return "Ios" }
        if has(agent, "Android") { return "Android" }
        if has(agent, "Mac OS X") || has(agent, "Macintosh") { return "MacOs" }
        if has(agent, "Linux") || has(agent, "X11") { return "Linux" }
        return nil
    }

    /// Graph's `deviceDetail.browser` (`Chrome 104.0.0`, `Firefox 24.0`), read from the user agent.
    static func browser(_ agent: String) -> String? {
        for (token, name) in [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Version/", "Safari")] where has(agent, token) {
            guard let range = agent.range(of: token) else { continue }
            let version = agent[range.upperBound...].prefix { $0.isNumber || $0 == "." }
            let parts = version.split(separator: ".").prefix(3)
            return parts.isEmpty ? name : name + " " + parts.joined(separator: ".")
        }
        return nil
    }

    /// Byte-wise substring test (user agents are ASCII; no Foundation on the per-attempt path).
    static func has(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { hay in
            n.withUTF8 { pin in
                guard pin.count <= hay.count, let first = pin.first else { return pin.isEmpty }
                var i = 0
                let last = hay.count - pin.count
                while i <= last {
                    if hay[i] == first {
                        var j = 1
                        while j < pin.count && hay[i + j] == pin[j] { j += 1 }
                        if j == pin.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

/// The Entra ID error of a failed sign-in: AADSTS number, the `LogonError` name the unified
/// audit log prints (the name Microsoft's AADSTS reference gives the code, as the golden
/// records show for 50126 InvalidUserNameOrPassword and 500011), and Graph's failureReason.
/// [EXCHANGE-FACTS 5.4; Microsoft Entra reference-error-codes]
enum SignInError {
    case userNotFound, accountDisabled, accountLocked, invalidCredentials, mfaRequired, mfaRegistrationRequired

    var code: Int {
        switch self {
        case .userNotFound: return 50034
        case .accountDisabled: return 50057
        case .accountLocked: return 50053
        case .invalidCredentials: return 50126
        case .mfaRequired: return 50076
        case .mfaRegistrationRequired: return 50079
        }
    }

    var logonError: String {
        switch self {
        case .userNotFound: return "UserAccountNotFound"
        case .accountDisabled: return "UserDisabled"
        case .accountLocked: return "IdsLocked"
        case .invalidCredentials: return "InvalidUserNameOrPassword"
        case .mfaRequired: return "UserStrongAuthClientAuthNRequired"
        case .mfaRegistrationRequired: return "UserStrongAuthEnrollmentRequired"
        }
    }

    func failureReason(resource: String) -> String {
        switch self {
        case .userNotFound:
            return "The user account does not exist in the directory. To sign into this application, the account must be added to the directory."
        case .accountDisabled: return "User account is disabled. The account has been disabled by an administrator."
        case .accountLocked: return "Account is locked because user tried to sign in too many times with an incorrect user ID or password."
        case .invalidCredentials: return "Error validating credentials due to invalid username or password."
        case .mfaRequired:
            return "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '\(resource)'."
        case .mfaRegistrationRequired:
            return "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '\(resource)'."
        }
    }

    /// The decision reason code of SPEC §5 (AppPasswordRequired shares 50076 with MfaRequired).
    var reason: AccessReason {
        switch self {
        case .userNotFound: return .UserNotFound
        case .accountDisabled: return .AccountDisabled
        case .accountLocked: return .AccountLocked
        case .invalidCredentials: return .InvalidCredentials
        case .mfaRequired: return .MfaRequired
        case .mfaRegistrationRequired: return .MfaRegistrationRequired
        }
    }
}

extension SignInEvent {
    /// The sign-in log entry of an attempt that reached Entra ID.
    init(_ attempt: AccessAttempt, client: SignInClient, userObjectId: UUID?, error: SignInError?, multiFactor: Bool, at time: Date) {
        let agent = attempt.userAgent ?? client.defaultUserAgent
        self.init(time: time, userPrincipalName: attempt.user, userObjectId: userObjectId, succeeded: error == nil,
                  errorCode: error?.code ?? 0, logonError: error?.logonError,
                  failureReason: error?.failureReason(resource: client.resourceId),
                  clientIP: attempt.clientIP, clientPort: attempt.clientPort, protocolName: attempt.accessProtocol.rawValue,
                  clientAppUsed: client.clientAppUsed, applicationId: client.applicationId, appDisplayName: client.appDisplayName,
                  resourceId: client.resourceId, userAgent: agent, requestType: client.requestType,
                  // Legacy, password (ROPC) and browser sign-ins all show in the interactive log.
                  isInteractive: true,
                  authenticationRequirement: multiFactor ? "multiFactorAuthentication" : "singleFactorAuthentication",
                  deviceOS: attempt.userAgent.flatMap(SignInClient.operatingSystem),
                  browser: attempt.userAgent.flatMap(SignInClient.browser))
    }
}
