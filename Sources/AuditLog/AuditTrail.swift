import Foundation
import TenantModel

/// The tenant's logs: the unified audit log, the mailbox audit log and the Entra sign-in
/// log. `record` applies the service's rules for what gets logged (ingestion switch,
/// mailbox audit settings, bypass, licence, MailItemsAccessed aggregation and throttling);
/// `expire` applies retention on the simulated clock. Identifiers are deterministic.
public struct AuditTrail: Sendable, Equatable {
    public internal(set) var unified: [UnifiedAuditRecord] = []
    public internal(set) var mailbox: [MailboxAuditRecord] = []
    public internal(set) var signIns: [SignInRecord] = []
    public var ids: IdentifierGenerator
    /// MailItemsAccessed aggregation windows and throttling counters, per mailbox.
    var mailItemsAccessed = MailItemsAccessedState()
    /// Admin connections' session ids, the last directory request and the ingestion switch
    /// as last seen (see ``AuditPolicy``).
    var policyState = AuditPolicyState()

    public init(seed: UInt64 = 0x0A0D17) {
        ids = IdentifierGenerator(seed: seed)
    }

    /// Records what the tenant's settings say `event` produces.
    public mutating func record(_ event: AuditEvent, in tenant: Tenant) {
        AuditPolicy.record(event, in: tenant, trail: &self)
    }

    /// Drops mailbox audit records older than their mailbox's AuditLogAgeLimit and unified
    /// records older than the licence's retention, as of `now`.
    public mutating func expire(now: Date, tenant: Tenant) {
        AuditPolicy.expire(now: now, tenant: tenant, trail: &self)
    }

    mutating func append(_ record: UnifiedAuditRecord) { unified.append(record) }
    mutating func append(_ record: MailboxAuditRecord) { mailbox.append(record) }
    mutating func append(_ record: SignInRecord) { signIns.append(record) }

    /// Appends records as they are (loading from the store, benchmarks).
    public mutating func restore(unified: [UnifiedAuditRecord], mailbox: [MailboxAuditRecord], signIns: [SignInRecord]) {
        self.unified += unified
        self.mailbox += mailbox
        self.signIns += signIns
    }
}
