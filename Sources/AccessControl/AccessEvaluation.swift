import AuditLog
import Foundation
import TenantModel

/// A state change an evaluation causes; the tenant's owner applies it.
public enum TenantChange: Hashable, Sendable {
    /// Smart lockout bookkeeping for a user.
    case signInCounters(user: UUID, failedSignInCount: Int, lockedUntil: Date?, lockoutCount: Int)
    /// A device partnership created or updated (matched by mailbox and DeviceId).
    case devicePartnership(MobileDevice)
    /// Per-user MFA moves from Enabled to Enforced when the user registers a method.
    case mfaState(user: UUID, state: PerUserMfaState, methods: [StrongAuthenticationMethodType])
}

/// The result of evaluating an attempt: the decision, what may be logged, what changes.
public struct AccessEvaluation: Hashable, Sendable {
    public var decision: AccessDecision
    public var events: [AuditEvent]
    public var changes: [TenantChange]

    public init(decision: AccessDecision, events: [AuditEvent] = [], changes: [TenantChange] = []) {
        self.decision = decision
        self.events = events
        self.changes = changes
    }
}

extension Tenant {
    /// Applies the state changes of an evaluation.
    public mutating func apply(_ changes: [TenantChange]) {
        for change in changes {
            switch change {
            case .signInCounters(let id, let failed, let lockedUntil, let count):
                guard let i = users.firstIndex(where: { $0.objectId == id }) else { continue }
                updateUser(at: i) { u in
                    u.failedSignInCount = failed
                    u.lockedUntil = lockedUntil
                    u.lockoutCount = count
                }
            case .mfaState(let id, let state, let methods):
                guard let i = users.firstIndex(where: { $0.objectId == id }) else { continue }
                updateUser(at: i) { u in
                    u.strongAuthenticationState = state
                    u.strongAuthenticationMethods = methods
                }
            case .devicePartnership(let device):
                if let i = mobileDevices.firstIndex(where: { $0.mailboxGuid == device.mailboxGuid && $0.deviceId == device.deviceId }) {
                    mobileDevices[i] = device
                } else {
                    addMobileDevice(device)
                }
            }
        }
    }
}
