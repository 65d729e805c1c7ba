import Foundation
import TenantModel

/// What the service logs, and when. (Being written.)
enum AuditPolicy {
    static func record(_ event: AuditEvent, in tenant: Tenant, trail: inout AuditTrail) {}
    static func expire(now: Date, tenant: Tenant, trail: inout AuditTrail) {}
}
