import Foundation
import TenantModel

/// What a client connects to: the client access rule protocols, plus an Entra ID sign-in
/// (`AzureAD`), SMTP client submission and MAPI. [SPEC §5]
public enum AccessProtocol: String, Sendable, CaseIterable, Hashable {
    case ExchangeWebServices, RemotePowerShell, OutlookAnywhere, POP3, IMAP4, OutlookWebApp
    case ExchangeAdminCenter, ExchangeActiveSync, OfflineAddressBook, PowerShellWebServices, REST, UniversalOutlook
    case AzureAD, SMTP, MAPI

    /// The protocol as client access rules see it: MAPI over HTTP is part of OutlookAnywhere;
    /// SMTP and plain Entra sign-ins are not covered by client access rules.
    public var clientAccessProtocol: ClientAccessProtocol? {
        switch self {
        case .AzureAD, .SMTP: return nil
        case .MAPI: return .OutlookAnywhere
        case .ExchangeWebServices: return .ExchangeWebServices
        case .RemotePowerShell: return .RemotePowerShell
        case .OutlookAnywhere: return .OutlookAnywhere
        case .POP3: return .POP3
        case .IMAP4: return .IMAP4
        case .OutlookWebApp: return .OutlookWebApp
        case .ExchangeAdminCenter: return .ExchangeAdminCenter
        case .ExchangeActiveSync: return .ExchangeActiveSync
        case .OfflineAddressBook: return .OfflineAddressBook
        case .PowerShellWebServices: return .PowerShellWebServices
        case .REST: return .REST
        case .UniversalOutlook: return .UniversalOutlook
        }
    }

    public static func named(_ text: String) -> AccessProtocol? {
        allCases.first { $0.rawValue.lowercased() == text.lowercased() }
    }
}

/// A device as an ActiveSync client describes itself.
public struct DeviceInfo: Hashable, Sendable {
    public var id: String
    public var type: String
    public var model: String?
    public var os: String?
    public var userAgent: String?
    /// Whether the device can enforce a mobile device mailbox policy.
    public var provisionable: Bool

    public init(id: String, type: String, model: String? = nil, os: String? = nil, userAgent: String? = nil, provisionable: Bool = true) {
        self.id = id
        self.type = type
        self.model = model
        self.os = os
        self.userAgent = userAgent
        self.provisionable = provisionable
    }
}

/// One attempt to connect. [SPEC §5]
public struct AccessAttempt: Hashable, Sendable {
    /// The user name as the client sends it (a UPN).
    public var user: String
    public var accessProtocol: AccessProtocol
    public var clientIP: String
    public var clientPort: Int
    public var authentication: ClientAccessAuthenticationMethod
    /// The secret the client presents; nil for a token or single sign-on.
    public var password: String?
    /// Whether the person completed MFA in this sign-in.
    public var mfaCompleted: Bool
    /// The client's user agent (`Outlook-iOS/2.0`, a browser's, ...).
    public var userAgent: String?
    /// A Microsoft-owned middle-tier app (Outlook for iOS/Android's service, Microsoft
    /// sync technology): client access rules do not apply to it. [EXCHANGE-FACTS 1.3]
    public var isMiddleTierApp: Bool
    /// The ActiveSync device, for ExchangeActiveSync attempts.
    public var device: DeviceInfo?
    /// When the attempt happens; nil means the tenant's clock.
    public var time: Date?

    public init(user: String, accessProtocol: AccessProtocol, clientIP: String, clientPort: Int = 443,
                authentication: ClientAccessAuthenticationMethod = .BasicAuthentication, password: String?,
                mfaCompleted: Bool = false, userAgent: String? = nil, isMiddleTierApp: Bool = false,
                device: DeviceInfo? = nil, time: Date? = nil) {
        self.user = user
        self.accessProtocol = accessProtocol
        self.clientIP = clientIP
        self.clientPort = clientPort
        self.authentication = authentication
        self.password = password
        self.mfaCompleted = mfaCompleted
        self.userAgent = userAgent
        self.isMiddleTierApp = isMiddleTierApp
        self.device = device
        self.time = time
    }

    /// Basic authentication is a legacy client: it cannot do MFA and is the only kind that
    /// may use an app password. [EXCHANGE-FACTS 6.2]
    public var isLegacyAuthentication: Bool { authentication == .BasicAuthentication }
}

/// Allowed, Denied or Quarantined (ActiveSync).
public enum AccessOutcome: String, Sendable, Hashable {
    case Allowed, Denied, Quarantined
}

/// The evaluation stages, in order. [SPEC §5]
public enum AccessStage: String, Sendable, Hashable, CaseIterable {
    case directory, credential, mfa, authenticationPolicy, clientAccessRules, protocolSwitch, deviceAccess, policy
}

/// What one stage concluded.
public struct StageReport: Hashable, Sendable {
    public enum Result: String, Sendable, Hashable { case passed, decided, skipped }
    public var stage: AccessStage
    public var result: Result
    /// A sentence an admin can read: what was checked and what it found.
    public var detail: String

    public init(_ stage: AccessStage, _ result: Result, _ detail: String) {
        self.stage = stage
        self.result = result
        self.detail = detail
    }
}

/// The decision of an attempt: the outcome, a stable reason code, the deciding object, an
/// AADSTS (directory) or EAS status code, and the trace of every stage. [SPEC §5]
public struct AccessDecision: Hashable, Sendable {
    public var outcome: AccessOutcome
    /// `Ok`, `UserNotFound`, `AccountDisabled`, `AccountLocked`, `InvalidCredentials`,
    /// `MfaRequired`, `MfaRegistrationRequired`, `AppPasswordRequired`, `BasicAuthBlocked`,
    /// `ClientAccessRule`, `ProtocolDisabled`, `PolicyDenied`; for ActiveSync the
    /// DeviceAccessStateReason (`Individual`, `DeviceRule`, `Global`, `Policy`, ...).
    public var reason: String
    /// The deciding object: a rule's name, a switch (`ImapEnabled`), a list, a policy.
    public var by: String?
    /// The AADSTS code where the directory decided, the EAS status on an ActiveSync denial, 0 when allowed.
    public var code: Int?
    public var trace: [StageReport]

    public init(outcome: AccessOutcome, reason: String, by: String? = nil, code: Int? = nil, trace: [StageReport]) {
        self.outcome = outcome
        self.reason = reason
        self.by = by
        self.code = code
        self.trace = trace
    }

    /// The stage trace as text, one stage a line (`-Explain`).
    public var explanation: String {
        trace.map { "\($0.stage.rawValue): \($0.result.rawValue) — \($0.detail)" }.joined(separator: "\n")
    }
}
