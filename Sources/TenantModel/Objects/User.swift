import Foundation

/// A directory (Entra ID) user: the account that signs in. Its mailbox, if any, is a
/// separate ``Mailbox`` linked by ``objectId``. Property names follow Exchange's recipient
/// schema for the address attributes (they feed client access rules' UserRecipientFilter)
/// and MSOnline for the account ones.
public struct User: SchemaObject, Hashable {
    public var userPrincipalName: String
    public var displayName: String
    public var firstName: String? = nil
    public var lastName: String? = nil
    /// The directory object id (Graph `id`, MSOnline `ObjectId`).
    public var objectId: UUID
    /// The passport-style id audit records use as `UserKey` (16 hex digits).
    public var puid: String
    /// Whether sign-in is blocked (MSOnline `BlockCredential`; Graph `accountEnabled` is its inverse).
    public var blockCredential = false
    /// The password, kept in clear: this is a simulator, and scenarios name it.
    public var password: String
    /// Per-user MFA (MSOnline StrongAuthenticationRequirements). Default Disabled. [EXCHANGE-FACTS 6.1]
    public var strongAuthenticationState: PerUserMfaState = .Disabled
    /// Registered MFA methods; registering one moves Enabled to Enforced. [EXCHANGE-FACTS 6.2]
    public var strongAuthenticationMethods: [StrongAuthenticationMethodType] = []
    /// App passwords: accepted only by legacy (basic-auth) clients, and only while MFA is Enforced.
    public var appPasswords: [String] = []
    /// Directory roles by display name (e.g. "Global Administrator", "Exchange Administrator").
    public var adminRoles: [String] = []
    /// Licence SKU part numbers (e.g. "ENTERPRISEPACK" for E3, "ENTERPRISEPREMIUM" for E5).
    public var licenses: [String] = []
    public var usageLocation: String? = "US"
    public var city: String? = nil
    public var company: String? = nil
    public var countryOrRegion: String? = nil
    public var department: String? = nil
    public var office: String? = nil
    public var postalCode: String? = nil
    public var stateOrProvince: String? = nil
    public var streetAddress: String? = nil
    public var title: String? = nil
    public var whenCreated: Date
    /// The authentication policy assigned to this user (overrides the organization default).
    public var authenticationPolicy: String? = nil
    /// Smart lockout: failed sign-ins counted since the last success or lockout.
    public var failedSignInCount = 0
    /// Smart lockout: locked until this time on the simulated clock.
    public var lockedUntil: Date? = nil
    /// Smart lockout: how many times the account was locked (the lockout period grows).
    public var lockoutCount = 0
    /// Smart lockout: hashes of the last three wrong passwords, so repeating one of them
    /// doesn't count again. Bookkeeping only: no cmdlet shows it and it isn't persisted.
    public var recentBadPasswordHashes: [UInt64] = []
    public var lastPasswordChange: Date? = nil

    public init(userPrincipalName: String, displayName: String, objectId: UUID, password: String, whenCreated: Date) {
        self.userPrincipalName = userPrincipalName
        self.displayName = displayName
        self.objectId = objectId
        self.puid = User.puid(for: objectId)
        self.password = password
        self.whenCreated = whenCreated
    }

    /// A stable PUID derived from the object id.
    public static func puid(for objectId: UUID) -> String {
        let hex = objectId.uuidString.replacingOccurrences(of: "-", with: "")
        return "1003" + String(hex.suffix(12)).uppercased()
    }

    public var accountEnabled: Bool { !blockCredential }
    public var isLicensed: Bool { !licenses.isEmpty }
    public var isAdmin: Bool { !adminRoles.isEmpty }

    /// The part before the `@` of the UPN.
    public var alias: String { String(userPrincipalName.split(separator: "@").first ?? Substring(userPrincipalName)) }

    public static let schema = ObjectSchema<User>("User", [
        .init(readOnly: "UserPrincipalName", \.userPrincipalName),
        .init("DisplayName", \.displayName),
        .init("FirstName", \.firstName),
        .init("LastName", \.lastName),
        .init(readOnly: "ObjectId", \.objectId),
        .init(readOnly: "Puid", \.puid),
        .init("BlockCredential", \.blockCredential),
        .init(computed: "AccountEnabled", \.accountEnabled),
        .init("Password", \.password),
        .init("StrongAuthenticationState", \.strongAuthenticationState),
        .init("StrongAuthenticationMethods", \.strongAuthenticationMethods),
        .init("AppPasswords", \.appPasswords),
        .init("AdminRoles", \.adminRoles),
        .init("Licenses", \.licenses),
        .init(computed: "IsLicensed", \.isLicensed),
        .init("UsageLocation", \.usageLocation),
        .init("City", \.city),
        .init("Company", \.company),
        .init("CountryOrRegion", \.countryOrRegion),
        .init("Department", \.department),
        .init("Office", \.office),
        .init("PostalCode", \.postalCode),
        .init("StateOrProvince", \.stateOrProvince),
        .init("StreetAddress", \.streetAddress),
        .init("Title", \.title),
        .init(readOnly: "WhenCreated", \.whenCreated),
        .init("AuthenticationPolicy", \.authenticationPolicy),
        .init(readOnly: "FailedSignInCount", \.failedSignInCount),
        .init(readOnly: "LockedUntil", \.lockedUntil),
        .init(readOnly: "LockoutCount", \.lockoutCount),
        .init(readOnly: "LastPasswordChange", \.lastPasswordChange),
    ])
}

/// Directory role names as Entra shows them.
public enum DirectoryRole {
    public static let globalAdministrator = "Global Administrator"
    public static let exchangeAdministrator = "Exchange Administrator"
    public static let securityAdministrator = "Security Administrator"
    public static let complianceAdministrator = "Compliance Administrator"
    public static let userAdministrator = "User Administrator"
    public static let helpdeskAdministrator = "Helpdesk Administrator"
    public static let globalReader = "Global Reader"

    /// Roles that can administer Exchange (connect to RemotePowerShell / the admin center).
    public static let exchangeAdminRoles: Set<String> = [globalAdministrator, exchangeAdministrator]
}
