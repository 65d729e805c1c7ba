import Foundation

/// A mailbox (`Get/Set-Mailbox`), with its client access settings (``CASMailbox``) alongside,
/// as Exchange keeps both on the one recipient object.
public struct Mailbox: SchemaObject, Hashable {
    public var name: String
    public var alias: String
    public var displayName: String
    public var userPrincipalName: String
    public var primarySmtpAddress: SmtpAddress
    /// Proxy addresses, `SMTP:` for the primary and `smtp:` for the others.
    public var emailAddresses: [String]
    public var recipientTypeDetails: RecipientTypeDetails
    /// The mailbox's own GUID (Get-Mailbox `Guid`); also its ExchangeGuid here.
    public var guid: UUID
    /// The directory user this mailbox belongs to (nil for shared/resource mailboxes without one).
    public var userObjectId: UUID?
    /// The security identifier audit records name (`MailboxOwnerSid`).
    public var sid: String
    public var whenCreated: Date
    public var whenChanged: Date

    // MARK: Auditing [EXCHANGE-FACTS 4.1, 4.2]
    /// The cmdlet reference's default is $false; with on-by-default auditing Exchange audits
    /// the default actions anyway and does not flip this flag.
    public var auditEnabled = false
    /// How long mailbox audit records are kept. Default 90 days.
    public var auditLogAgeLimit = EnhancedTimeSpan.days(90)
    public private(set) var auditAdmin: AuditActionSet
    public private(set) var auditDelegate: AuditActionSet
    public private(set) var auditOwner: AuditActionSet
    /// The logon types whose action list is still Microsoft's default.
    public private(set) var defaultAuditSet: [MailboxAuditLogonType] = [.Admin, .Delegate, .Owner]
    /// `Set-MailboxAuditBypassAssociation`: nothing this account does is audited.
    public var auditBypassEnabled = false
    /// The licence tier whose defaults the audit sets follow.
    public private(set) var licenseTier: LicenseTier

    // MARK: Mail flow
    /// External forwarding address (`smtp:` proxy form when shown). [EXCHANGE-FACTS §9 tools]
    public var forwardingSmtpAddress: ProxySmtpAddress? = nil
    /// Forwarding to a recipient in the organization.
    public var forwardingAddress: String? = nil
    public var deliverToMailboxAndForward = false
    public var grantSendOnBehalfTo: [String] = []
    public var hiddenFromAddressListsEnabled = false
    public var litigationHoldEnabled = false
    public var retainDeletedItemsFor = EnhancedTimeSpan.days(14)
    public var prohibitSendQuota = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 99 << 30))
    public var prohibitSendReceiveQuota = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 100 << 30))
    public var issueWarningQuota = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 98 << 30))
    public var recoverableItemsQuota = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 30 << 30))
    public var maxSendSize = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 35 << 20))
    public var maxReceiveSize = Unlimited<ByteQuantifiedSize>.limited(ByteQuantifiedSize(bytes: 36 << 20))
    public var customAttributes: [String?] = Array(repeating: nil, count: 15)

    /// Protocol switches and mobile settings (`Get/Set-CASMailbox`).
    public var cas = CASMailbox()

    public init(
        name: String, displayName: String, primarySmtpAddress: SmtpAddress, userPrincipalName: String? = nil,
        recipientTypeDetails: RecipientTypeDetails = .UserMailbox, guid: UUID, userObjectId: UUID?,
        licenseTier: LicenseTier, whenCreated: Date
    ) {
        self.name = name
        self.alias = primarySmtpAddress.local
        self.displayName = displayName
        self.userPrincipalName = userPrincipalName ?? primarySmtpAddress.address
        self.primarySmtpAddress = primarySmtpAddress
        self.emailAddresses = ["SMTP:\(primarySmtpAddress.address)"]
        self.recipientTypeDetails = recipientTypeDetails
        self.guid = guid
        self.userObjectId = userObjectId
        self.sid = Mailbox.sid(for: guid)
        self.whenCreated = whenCreated
        self.whenChanged = whenCreated
        self.licenseTier = licenseTier
        (auditAdmin, auditDelegate, auditOwner) = Mailbox.defaultSets(recipientTypeDetails, licenseTier)
    }

    /// A stable `S-1-5-21-…` SID derived from the mailbox GUID.
    public static func sid(for guid: UUID) -> String {
        let b = guid.uuid
        func word(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
            UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
        }
        return "S-1-5-21-\(word(b.0, b.1, b.2, b.3))-\(word(b.4, b.5, b.6, b.7))-\(word(b.8, b.9, b.10, b.11))-\(word(b.12, b.13, 0, 0) >> 16 + 1000)"
    }

    private static let e3Sets = (MailboxAuditDefaults.defaultSet(.Admin, tier: .E3), MailboxAuditDefaults.defaultSet(.Delegate, tier: .E3),
                                 MailboxAuditDefaults.defaultSet(.Owner, tier: .E3))
    private static let e5Sets = (MailboxAuditDefaults.defaultSet(.Admin, tier: .E5), MailboxAuditDefaults.defaultSet(.Delegate, tier: .E5),
                                 MailboxAuditDefaults.defaultSet(.Owner, tier: .E5))

    private static func defaultSets(_ type: RecipientTypeDetails, _ tier: LicenseTier) -> (AuditActionSet, AuditActionSet, AuditActionSet) {
        if type != .GroupMailbox { return tier == .E5 ? e5Sets : e3Sets }
        if type == .GroupMailbox {
            return (MailboxAuditDefaults.groupMailboxSet(.Admin), MailboxAuditDefaults.groupMailboxSet(.Delegate),
                    MailboxAuditDefaults.groupMailboxSet(.Owner))
        }
        return (MailboxAuditDefaults.defaultSet(.Admin, tier: tier), MailboxAuditDefaults.defaultSet(.Delegate, tier: tier),
                MailboxAuditDefaults.defaultSet(.Owner, tier: tier))
    }

    // MARK: Audit set edits keep DefaultAuditSet true [EXCHANGE-FACTS 4.1]

    public func auditActions(for logonType: MailboxAuditLogonType) -> AuditActionSet {
        switch logonType {
        case .Admin: auditAdmin
        case .Delegate: auditDelegate
        case .Owner: auditOwner
        }
    }

    /// Customises one logon type's action list: the type leaves DefaultAuditSet. Group
    /// mailboxes keep their fixed lists.
    public mutating func setAuditActions(_ actions: AuditActionSet, for logonType: MailboxAuditLogonType) {
        guard recipientTypeDetails != .GroupMailbox else { return }
        switch logonType {
        case .Admin: auditAdmin = actions
        case .Delegate: auditDelegate = actions
        case .Owner: auditOwner = actions
        }
        defaultAuditSet.removeAll { $0 == logonType }
    }

    /// `Set-Mailbox -DefaultAuditSet`: the named logon types get Microsoft's default list back
    /// and rejoin DefaultAuditSet; the others keep their customised lists.
    public mutating func restoreDefaultAuditSet(_ logonTypes: [MailboxAuditLogonType]) {
        for type in MailboxAuditLogonType.allCases where logonTypes.contains(type) {
            let defaults = recipientTypeDetails == .GroupMailbox
                ? MailboxAuditDefaults.groupMailboxSet(type)
                : MailboxAuditDefaults.defaultSet(type, tier: licenseTier)
            switch type {
            case .Admin: auditAdmin = defaults
            case .Delegate: auditDelegate = defaults
            case .Owner: auditOwner = defaults
            }
            if !defaultAuditSet.contains(type) { defaultAuditSet.append(type) }
        }
        defaultAuditSet.sort { $0.recordOrder < $1.recordOrder }
    }

    /// Moves the mailbox to another licence tier: default-following lists follow the tier.
    public mutating func changeLicenseTier(_ tier: LicenseTier) {
        licenseTier = tier
        restoreDefaultAuditSet(defaultAuditSet)
    }

    /// Whether `operation` by `logonType` produces a mailbox audit record on this mailbox,
    /// given the organization's on-by-default switch. [EXCHANGE-FACTS 4.1]
    /// With `AuditDisabled` on the organization nothing is audited, even where the mailbox
    /// has AuditEnabled True. [M365 audit-mailboxes.md, "Turn off mailbox auditing on by default"]
    public func audits(_ operation: MailboxAuditOperations, by logonType: MailboxAuditLogonType, organizationAuditDisabled: Bool) -> Bool {
        guard !organizationAuditDisabled, auditEnabled || recipientTypeDetails.isCoveredByDefaultAuditing else { return false }
        let set = auditActions(for: logonType)
        if operation == .AddFolderPermissions || operation == .ModifyFolderPermissions || operation == .RemoveFolderPermissions {
            return set.contains(.UpdateFolderPermissions) || set.contains(operation)
        }
        return set.contains(operation)
    }

    public static let schema: ObjectSchema<Mailbox> = {
        var props: [PropertyDefinition<Mailbox>] = [
            .init(computed: "Identity", \.name),
            .init("Name", \.name),
            .init("Alias", \.alias),
            .init("DisplayName", \.displayName),
            .init("UserPrincipalName", \.userPrincipalName),
            .init("PrimarySmtpAddress", \.primarySmtpAddress),
            .init("EmailAddresses", \.emailAddresses),
            .init(readOnly: "RecipientTypeDetails", \.recipientTypeDetails),
            .init(readOnly: "Guid", \.guid),
            .init(computed: "ExchangeGuid", \.guid),
            .init(readOnly: "ExternalDirectoryObjectId", \.userObjectId),
            .init(readOnly: "Sid", \.sid),
            .init(readOnly: "WhenCreated", \.whenCreated),
            .init(readOnly: "WhenChanged", \.whenChanged),
            .init("AuditEnabled", \.auditEnabled),
            .init("AuditLogAgeLimit", \.auditLogAgeLimit),
            // Setting a list customises it (the type leaves DefaultAuditSet); fixtures and the
            // store restore the lists and DefaultAuditSet as they were recorded.
            .init("AuditAdmin", as: AuditActionSet.self, get: { $0.auditAdmin },
                  set: { $0.setAuditActions($1, for: .Admin) }, restore: { $0.auditAdmin = $1 }),
            .init("AuditDelegate", as: AuditActionSet.self, get: { $0.auditDelegate },
                  set: { $0.setAuditActions($1, for: .Delegate) }, restore: { $0.auditDelegate = $1 }),
            .init("AuditOwner", as: AuditActionSet.self, get: { $0.auditOwner },
                  set: { $0.setAuditActions($1, for: .Owner) }, restore: { $0.auditOwner = $1 }),
            .init("DefaultAuditSet", as: [MailboxAuditLogonType].self, get: { $0.defaultAuditSet },
                  set: { $0.restoreDefaultAuditSet($1) }, restore: { $0.defaultAuditSet = $1 }),
            .init(readOnly: "LicenseTier", \.licenseTier),
            .init("ForwardingSmtpAddress", \.forwardingSmtpAddress),
            .init("ForwardingAddress", \.forwardingAddress),
            .init("DeliverToMailboxAndForward", \.deliverToMailboxAndForward),
            .init("GrantSendOnBehalfTo", \.grantSendOnBehalfTo),
            .init("HiddenFromAddressListsEnabled", \.hiddenFromAddressListsEnabled),
            .init("LitigationHoldEnabled", \.litigationHoldEnabled),
            .init("RetainDeletedItemsFor", \.retainDeletedItemsFor),
            .init("ProhibitSendQuota", \.prohibitSendQuota),
            .init("ProhibitSendReceiveQuota", \.prohibitSendReceiveQuota),
            .init("IssueWarningQuota", \.issueWarningQuota),
            .init("RecoverableItemsQuota", \.recoverableItemsQuota),
            .init("MaxSendSize", \.maxSendSize),
            .init("MaxReceiveSize", \.maxReceiveSize),
        ]
        for i in 0..<15 {
            props.append(.init("CustomAttribute\(i + 1)", \Mailbox.customAttributes[i]))
        }
        return ObjectSchema("Mailbox", props)
    }()

    /// Everything a fixture or the store records for a mailbox: its own properties and its
    /// CAS settings, in one flat table (the names do not overlap).
    public static let persistenceSchema = ObjectSchema<Mailbox>(
        "Mailbox", schema.properties + CASMailbox.schema.properties.map { $0.lifted(\Mailbox.cas) })
}

extension MailboxAuditLogonType {
    /// The order Exchange lists logon types in DefaultAuditSet.
    var recordOrder: Int {
        switch self {
        case .Admin: 0
        case .Delegate: 1
        case .Owner: 2
        }
    }
}
