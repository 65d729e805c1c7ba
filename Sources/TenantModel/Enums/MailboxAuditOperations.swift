/// Mailbox audit actions (`-AuditAdmin`, `-AuditDelegate`, `-AuditOwner`). Declaration order
/// is the order Exchange prints a set in (its flag order: `{Update, MoveToDeletedItems,
/// SoftDelete, HardDelete, ...}`). [EXCHANGE-FACTS 4.2; order INFERRED from Get-Mailbox output]
public enum MailboxAuditOperations: String, ExchangeEnum {
    case None
    case Update, Copy, Move, MoveToDeletedItems, SoftDelete, HardDelete, FolderBind
    case SendAs, SendOnBehalf, MessageBind, Create, MailboxLogin
    case UpdateFolderPermissions, AddFolderPermissions, ModifyFolderPermissions, RemoveFolderPermissions
    case UpdateInboxRules, UpdateCalendarDelegation, RecordDelete, ApplyRecord
    case MailItemsAccessed, Send, SearchQueryInitiated
    public static let typeName = "Microsoft.Exchange.Data.Directory.MailboxAuditOperations"

    var bit: UInt32 { self == .None ? 0 : 1 << UInt32(Self.ordinal[self]! - 1) }

    private static let ordinal: [MailboxAuditOperations: Int] =
        Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}

/// The logon types of mailbox auditing (`DefaultAuditSet` values; `-LogonTypes`).
public enum MailboxAuditLogonType: String, ExchangeEnum {
    case Admin, Delegate, Owner
    public static let typeName = "Microsoft.Exchange.Data.Directory.MailboxAuditLogonType"

    /// The LogonType number in audit records: Owner 0, Admin 1, Delegated 2. [EXCHANGE-FACTS 4.2]
    public var recordValue: Int {
        switch self {
        case .Owner: 0
        case .Admin: 1
        case .Delegate: 2
        }
    }
}

/// A set of mailbox audit actions, kept as flags so that adding, removing and testing are
/// cheap on 100,000 mailboxes, and printed in Exchange's order.
public struct AuditActionSet: Hashable, Sendable, SetAlgebra, Sequence {
    public private(set) var bits: UInt32

    public init() { bits = 0 }
    public init(bits: UInt32) { self.bits = bits }
    public init<S: Sequence>(_ ops: S) where S.Element == MailboxAuditOperations {
        bits = 0
        for op in ops { bits |= op.bit }
    }

    public func contains(_ op: MailboxAuditOperations) -> Bool { op.bit != 0 && bits & op.bit != 0 }
    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }

    public func makeIterator() -> IndexingIterator<[MailboxAuditOperations]> {
        MailboxAuditOperations.allCases.filter { contains($0) }.makeIterator()
    }

    public func union(_ other: AuditActionSet) -> AuditActionSet { AuditActionSet(bits: bits | other.bits) }
    public func intersection(_ other: AuditActionSet) -> AuditActionSet { AuditActionSet(bits: bits & other.bits) }
    public func symmetricDifference(_ other: AuditActionSet) -> AuditActionSet { AuditActionSet(bits: bits ^ other.bits) }
    @discardableResult
    public mutating func insert(_ op: MailboxAuditOperations) -> (inserted: Bool, memberAfterInsert: MailboxAuditOperations) {
        let was = contains(op)
        bits |= op.bit
        return (!was, op)
    }
    @discardableResult
    public mutating func remove(_ op: MailboxAuditOperations) -> MailboxAuditOperations? {
        guard contains(op) else { return nil }
        bits &= ~op.bit
        return op
    }
    @discardableResult
    public mutating func update(with op: MailboxAuditOperations) -> MailboxAuditOperations? {
        let was = contains(op)
        bits |= op.bit
        return was ? op : nil
    }
    public mutating func formUnion(_ other: AuditActionSet) { bits |= other.bits }
    public mutating func formIntersection(_ other: AuditActionSet) { bits &= other.bits }
    public mutating func formSymmetricDifference(_ other: AuditActionSet) { bits ^= other.bits }
}

extension AuditActionSet: PropertyConvertible {
    public static var valueType: ValueType { .multiValued(MailboxAuditOperations.valueType) }
    public var propertyValue: PropertyValue { .list(map(\.propertyValue)) }

    /// A list replaces the set; `None` empties it. (Add/Remove edits are the binder's job.)
    public static func convert(from value: PropertyValue) throws(ValueConversionError) -> AuditActionSet {
        let ops = try [MailboxAuditOperations].convert(from: value)
        return AuditActionSet(ops.filter { $0 != .None })
    }
}

/// Which actions each logon type may audit, and which are audited by default, for user and
/// shared mailboxes in Exchange Online. [EXCHANGE-FACTS 4.2; M365 audit-mailboxes.md]
public enum MailboxAuditDefaults {
    public static func allowed(_ logonType: MailboxAuditLogonType) -> AuditActionSet {
        switch logonType {
        case .Admin:
            return AuditActionSet([.ApplyRecord, .Copy, .Create, .FolderBind, .HardDelete, .MailItemsAccessed, .MessageBind,
                                   .Move, .MoveToDeletedItems, .RecordDelete, .Send, .SendAs, .SendOnBehalf, .SoftDelete,
                                   .Update, .UpdateCalendarDelegation, .UpdateFolderPermissions, .UpdateInboxRules,
                                   .AddFolderPermissions, .ModifyFolderPermissions, .RemoveFolderPermissions])
        case .Delegate:
            return AuditActionSet([.ApplyRecord, .Create, .FolderBind, .HardDelete, .MailItemsAccessed, .Move,
                                   .MoveToDeletedItems, .RecordDelete, .SendAs, .SendOnBehalf, .SoftDelete, .Update,
                                   .UpdateFolderPermissions, .UpdateInboxRules,
                                   .AddFolderPermissions, .ModifyFolderPermissions, .RemoveFolderPermissions])
        case .Owner:
            return AuditActionSet([.ApplyRecord, .Create, .HardDelete, .MailboxLogin, .MailItemsAccessed, .Move,
                                   .MoveToDeletedItems, .RecordDelete, .SearchQueryInitiated, .Send, .SoftDelete,
                                   .Update, .UpdateCalendarDelegation, .UpdateFolderPermissions, .UpdateInboxRules,
                                   .AddFolderPermissions, .ModifyFolderPermissions, .RemoveFolderPermissions])
        }
    }

    /// The Microsoft-managed default set for a logon type. MailItemsAccessed and Send are
    /// E5 (Audit Premium) actions; E3 mailboxes do not get them by default.
    public static func defaultSet(_ logonType: MailboxAuditLogonType, tier: LicenseTier) -> AuditActionSet {
        var set: AuditActionSet
        switch logonType {
        case .Admin:
            set = AuditActionSet([.ApplyRecord, .Create, .HardDelete, .MailItemsAccessed, .MoveToDeletedItems, .Send,
                                  .SendAs, .SendOnBehalf, .SoftDelete, .Update, .UpdateCalendarDelegation,
                                  .UpdateFolderPermissions, .UpdateInboxRules])
        case .Delegate:
            set = AuditActionSet([.ApplyRecord, .Create, .HardDelete, .MailItemsAccessed, .MoveToDeletedItems,
                                  .SendAs, .SendOnBehalf, .SoftDelete, .Update, .UpdateFolderPermissions, .UpdateInboxRules])
        case .Owner:
            set = AuditActionSet([.ApplyRecord, .HardDelete, .MailItemsAccessed, .MoveToDeletedItems, .Send, .SoftDelete,
                                  .Update, .UpdateCalendarDelegation, .UpdateFolderPermissions, .UpdateInboxRules])
        }
        if tier == .E3 {
            set.remove(.MailItemsAccessed)
            set.remove(.Send)
        }
        return set
    }

    /// Group mailboxes: a fixed set that cannot be customised. [EXCHANGE-FACTS 4.2]
    public static func groupMailboxSet(_ logonType: MailboxAuditLogonType) -> AuditActionSet {
        switch logonType {
        case .Admin, .Delegate:
            return AuditActionSet([.Create, .HardDelete, .MoveToDeletedItems, .SoftDelete, .Update, .SendAs, .SendOnBehalf])
        case .Owner:
            return AuditActionSet([.HardDelete, .MoveToDeletedItems, .SoftDelete, .Update])
        }
    }
}
