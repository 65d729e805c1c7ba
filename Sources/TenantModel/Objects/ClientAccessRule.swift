import Foundation

/// A client access rule (`New/Set/Get/Remove-ClientAccessRule`). [EXCHANGE-FACTS 1.2–1.5]
/// `Priority` is the rule's 1-based position among the tenant's rules; the tenant keeps it
/// contiguous as rules are inserted, moved and removed.
public struct ClientAccessRule: SchemaObject, Hashable {
    public var name: String
    public var guid: UUID
    public var priority: Int
    public var enabled = true
    public var datacenterAdminsOnly = false
    public var action: ClientAccessRulesAction
    public var anyOfAuthenticationTypes: [ClientAccessAuthenticationMethod] = []
    public var exceptAnyOfAuthenticationTypes: [ClientAccessAuthenticationMethod] = []
    public var anyOfClientIPAddressesOrRanges: [IPRange] = []
    public var exceptAnyOfClientIPAddressesOrRanges: [IPRange] = []
    /// Empty means every protocol. [EXCHANGE-FACTS 1.2]
    public var anyOfProtocols: [ClientAccessProtocol] = []
    public var exceptAnyOfProtocols: [ClientAccessProtocol] = []
    public var anyOfSourceTcpPortNumbers: [String] = []
    public var exceptAnyOfSourceTcpPortNumbers: [String] = []
    public var usernameMatchesAnyOfPatterns: [String] = []
    public var exceptUsernameMatchesAnyOfPatterns: [String] = []
    public var userIsMemberOf: [String] = []
    public var exceptUserIsMemberOf: [String] = []
    /// An OPATH filter over City, Company, CountryOrRegion, CustomAttribute1–15, Department,
    /// Office, PostalCode, StateOrProvince, StreetAddress.
    public var userRecipientFilter: String? = nil
    /// Shown as `RuleScope`; set with `-Scope`. Default All (UNCONFIRMED, see Docs/fidelity.md).
    public var scope: ClientAccessRulesScope = .All
    public var whenCreated: Date
    public var whenChanged: Date

    public init(name: String, action: ClientAccessRulesAction, guid: UUID, priority: Int, whenCreated: Date) {
        self.name = name
        self.action = action
        self.guid = guid
        self.priority = priority
        self.whenCreated = whenCreated
        self.whenChanged = whenCreated
    }

    /// The code constant `DefaultClientAccessRulesLimit`. [EXCHANGE-FACTS 1.5, INFERRED for EXO]
    public static let limit = 20

    public static let schema = ObjectSchema<ClientAccessRule>("ClientAccessRule", [
        .init(computed: "Identity", \.name),
        .init("Name", \.name),
        .init(readOnly: "Priority", \.priority),
        .init("Enabled", \.enabled),
        .init(readOnly: "DatacenterAdminsOnly", \.datacenterAdminsOnly),
        .init("Action", \.action),
        .init("AnyOfAuthenticationTypes", \.anyOfAuthenticationTypes),
        .init("AnyOfClientIPAddressesOrRanges", \.anyOfClientIPAddressesOrRanges),
        .init("AnyOfProtocols", \.anyOfProtocols),
        .init("AnyOfSourceTcpPortNumbers", \.anyOfSourceTcpPortNumbers),
        .init("ExceptAnyOfAuthenticationTypes", \.exceptAnyOfAuthenticationTypes),
        .init("ExceptAnyOfClientIPAddressesOrRanges", \.exceptAnyOfClientIPAddressesOrRanges),
        .init("ExceptAnyOfProtocols", \.exceptAnyOfProtocols),
        .init("ExceptAnyOfSourceTcpPortNumbers", \.exceptAnyOfSourceTcpPortNumbers),
        .init("UsernameMatchesAnyOfPatterns", \.usernameMatchesAnyOfPatterns),
        .init("ExceptUsernameMatchesAnyOfPatterns", \.exceptUsernameMatchesAnyOfPatterns),
        .init("UserIsMemberOf", \.userIsMemberOf),
        .init("ExceptUserIsMemberOf", \.exceptUserIsMemberOf),
        .init("UserRecipientFilter", \.userRecipientFilter),
        .init("RuleScope", \.scope),
        .init(readOnly: "Guid", \.guid),
        .init(readOnly: "WhenCreated", \.whenCreated),
        .init(readOnly: "WhenChanged", \.whenChanged),
    ])
}
