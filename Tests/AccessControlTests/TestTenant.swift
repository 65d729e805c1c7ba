import AccessControl
import AuditLog
import Foundation
import TenantModel

/// A small tenant built in code, so each test shows the configuration it depends on.
struct TestTenant {
    static let domain = "contoso.onmicrosoft.com"
    /// 2019-06-17T14:00:00Z, the white paper's day.
    static let start = Date(timeIntervalSince1970: 1_560_780_000)

    var tenant: Tenant

    init() {
        let info = TenantInfo(displayName: "Contoso", tenantId: UUID(uuidString: "8d4121ed-0008-406d-bff9-0d5bb312183c")!,
                              initialDomain: Self.domain, licenseTier: .E3, createdDateTime: Self.start.addingTimeInterval(-86_400 * 100))
        tenant = Tenant(info: info, now: Self.start, seed: 7)
    }

    static func upn(_ alias: String) -> String { "\(alias)@\(domain)" }
    static func password(_ alias: String) -> String { "Pass-\(alias)-2019!" }

    /// Adds a user (password `Pass-<alias>-2019!`) with a mailbox unless `mailbox` is false.
    @discardableResult
    mutating func addUser(_ alias: String, mailbox: Bool = true, _ configure: (inout User) -> Void = { _ in },
                          cas: (inout CASMailbox) -> Void = { _ in }) -> User {
        var user = User(userPrincipalName: Self.upn(alias), displayName: alias.capitalized, objectId: tenant.ids.newGuid(),
                        password: Self.password(alias), whenCreated: Self.start.addingTimeInterval(-86_400))
        configure(&user)
        try! tenant.addUser(user)
        if mailbox {
            var m = Mailbox(name: alias, displayName: user.displayName, primarySmtpAddress: SmtpAddress(user.userPrincipalName)!,
                            guid: tenant.ids.newGuid(), userObjectId: user.objectId, licenseTier: .E3, whenCreated: user.whenCreated)
            cas(&m.cas)
            try! tenant.addMailbox(m)
        }
        return user
    }

    mutating func updateUser(_ alias: String, _ change: (inout User) -> Void) {
        let i = tenant.userIndex(upn: Self.upn(alias))!
        tenant.updateUser(at: i, change)
    }

    /// Appends a client access rule (priority = its position).
    mutating func addRule(_ name: String, _ action: ClientAccessRulesAction, _ configure: (inout ClientAccessRule) -> Void = { _ in }) {
        var rule = ClientAccessRule(name: name, action: action, guid: tenant.ids.newGuid(), priority: 0, whenCreated: Self.start)
        configure(&rule)
        tenant.insertClientAccessRule(rule, priority: nil)
    }

    func user(_ alias: String) -> User { tenant.user(upn: Self.upn(alias))! }

    /// Evaluates an attempt against the tenant as it is now (the policy compiled afresh).
    func evaluate(_ attempt: AccessAttempt) -> AccessEvaluation {
        AccessEvaluator.evaluate(attempt, in: tenant, policy: CompiledPolicy(tenant))
    }

    /// Evaluates and applies the state changes, as the tenant's owner would.
    mutating func sign(_ attempt: AccessAttempt) -> AccessEvaluation {
        let e = evaluate(attempt)
        tenant.apply(e.changes)
        return e
    }
}

/// Attempts, written the way the tests read.
enum Try {
    static let office = "198.51.100.7"

    static func basic(_ alias: String, _ p: AccessProtocol, password: String? = nil, ip: String = office, at time: Date? = nil) -> AccessAttempt {
        AccessAttempt(user: TestTenant.upn(alias), accessProtocol: p, clientIP: ip, authentication: .BasicAuthentication,
                      password: password ?? TestTenant.password(alias), time: time)
    }

    /// An OAuth sign-in; `interactive` means at Microsoft's sign-in page (no password handed to the app).
    static func modern(_ alias: String, _ p: AccessProtocol, password: String? = nil, interactive: Bool = false, mfa: Bool = false,
                       ip: String = office, userAgent: String? = nil, middleTier: Bool = false) -> AccessAttempt {
        AccessAttempt(user: TestTenant.upn(alias), accessProtocol: p, clientIP: ip, authentication: .OAuthAuthentication,
                      password: interactive ? nil : password ?? TestTenant.password(alias), mfaCompleted: mfa, userAgent: userAgent,
                      isMiddleTierApp: middleTier)
    }

    static let iPhone = DeviceInfo(id: "ApplF4KWL2P7N3H", type: "iPhone", model: "iPhone11C8", os: "iOS 12.3.1 16F203",
                                   userAgent: "Apple-iPhone11C8/1605.26")

    static func eas(_ alias: String, password: String? = nil, authentication: ClientAccessAuthenticationMethod = .BasicAuthentication,
                    mfa: Bool = false) -> AccessAttempt {
        AccessAttempt(user: TestTenant.upn(alias), accessProtocol: .ExchangeActiveSync, clientIP: office, authentication: authentication,
                      password: password ?? TestTenant.password(alias), mfaCompleted: mfa, userAgent: iPhone.userAgent, device: iPhone)
    }
}

extension AccessEvaluation {
    /// The sign-in events (one for every attempt that reached Entra ID).
    var signIns: [SignInEvent] {
        events.compactMap { if case .signIn(let s) = $0 { return s } else { return nil } }
    }

    /// The stage that decided, if any.
    var decidingStage: AccessStage? { decision.trace.last { $0.result == .decided }?.stage }
}
