import Foundation

/// The tenant itself: its directory identity, domains and licence tier.
public struct TenantInfo: SchemaObject, Hashable {
    /// The organization's display name ("Brit Test").
    public var displayName: String
    public var tenantId: UUID
    /// The `*.onmicrosoft.com` domain.
    public var initialDomain: String
    /// Every accepted domain, the initial one included.
    public var domains: [String]
    /// E3 or E5: sets audit defaults (MailItemsAccessed, Send) and retention.
    public var licenseTier: LicenseTier
    public var createdDateTime: Date

    public init(displayName: String, tenantId: UUID, initialDomain: String, domains: [String]? = nil,
                licenseTier: LicenseTier, createdDateTime: Date) {
        self.displayName = displayName
        self.tenantId = tenantId
        self.initialDomain = initialDomain
        self.domains = domains ?? [initialDomain]
        self.licenseTier = licenseTier
        self.createdDateTime = createdDateTime
    }

    /// Unified audit log retention for the tier: 180 days for Audit (Standard) since
    /// 17 Oct 2023, one year for Audit (Premium). [EXCHANGE-FACTS 5.1, UNCONFIRMED]
    public var unifiedAuditRetentionDays: Int { licenseTier == .E5 ? 365 : 180 }

    public static let schema = ObjectSchema<TenantInfo>("Tenant", [
        .init("DisplayName", \.displayName),
        .init(readOnly: "TenantId", \.tenantId),
        .init(readOnly: "InitialDomain", \.initialDomain),
        .init("Domains", \.domains),
        .init(readOnly: "LicenseTier", \.licenseTier),
        .init(readOnly: "CreatedDateTime", \.createdDateTime),
    ])
}
