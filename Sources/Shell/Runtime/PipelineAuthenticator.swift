import AccessControl
import AuditLog
import Foundation
import TenantModel

/// The connection cmdlets' sign-in through the full access pipeline (SPEC §4–5): the
/// Exchange connection is a RemotePowerShell connection with Basic authentication
/// (New-PSSession -Authentication Basic) or OAuth (Connect-ExchangeOnline), and
/// Connect-MsolService is an Entra ID sign-in. So a Basic-auth session fails once the
/// admin's MFA is Enforced (an app password still works), Connect-ExchangeOnline with MFA
/// works, and a client access rule can lock the admin out of the next connection.
///
/// The smart lockout counters the attempt changes are applied to the tenant; the sign-in
/// events go back to the caller (``ShellSession/authenticate(_:)`` records them).
public struct PipelineAuthenticator: Authenticator {
    /// The client port of the shell's connections.
    public var clientPort: Int

    public init(clientPort: Int = 443) {
        self.clientPort = clientPort
    }

    public func authenticate(_ request: AuthenticationRequest, in tenant: inout Tenant) -> AuthenticationResult {
        var events: [AuditEvent] = []
        return authenticate(request, in: &tenant, events: &events)
    }

    public func authenticate(_ request: AuthenticationRequest, in tenant: inout Tenant, events: inout [AuditEvent]) -> AuthenticationResult {
        let evaluation = evaluate(request, in: tenant)
        tenant.apply(evaluation.changes)
        events += evaluation.events
        let decision = evaluation.decision
        guard decision.outcome == .Allowed else {
            return .failure(reason: decision.by.map { "\(decision.reason) (\($0))" } ?? decision.reason)
        }
        return .success(userPrincipalName: tenant.user(upn: request.user)?.userPrincipalName ?? request.user)
    }

    /// The decision for a connection request, with its explanation, without applying anything.
    public func evaluate(_ request: AuthenticationRequest, in tenant: Tenant) -> AccessEvaluation {
        AccessEvaluator.evaluate(attempt(for: request), in: tenant, policy: CompiledPolicy(tenant))
    }

    /// The access attempt a connection request is.
    public func attempt(for request: AuthenticationRequest) -> AccessAttempt {
        switch request.connection {
        case .remotePowerShell:
            let basic = request.method == .basic
            return AccessAttempt(user: request.user, accessProtocol: .RemotePowerShell, clientIP: request.clientIP, clientPort: clientPort,
                                 authentication: basic ? .BasicAuthentication : .OAuthAuthentication, password: request.password,
                                 mfaCompleted: request.mfaCompleted,
                                 userAgent: basic ? "Microsoft WinRM Client" : Self.powerShellUserAgent)
        case .azureAD:
            // Connect-MsolService -Credential sends the password to Entra ID itself (a token
            // request with the user's password), a modern protocol that can't do MFA.
            return AccessAttempt(user: request.user, accessProtocol: .AzureAD, clientIP: request.clientIP, clientPort: clientPort,
                                 authentication: .OAuthAuthentication, password: request.password,
                                 mfaCompleted: request.mfaCompleted, userAgent: Self.powerShellUserAgent)
        }
    }

    /// Windows PowerShell 5.1's user agent, as the golden sign-in records show it.
    static let powerShellUserAgent = "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031"
}
