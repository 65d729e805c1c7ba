import Foundation
import TenantModel

/// A problem with one import file: where, what was wrong, and what would be valid.
public struct ImportIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// "line 4", "object 2", or nil for the whole file.
    public var place: String?
    public var message: String
    public var valid: String?

    public init(file: String, place: String?, message: String, valid: String? = nil) {
        self.file = file
        self.place = place
        self.message = message
        self.valid = valid
    }

    public var description: String {
        var s = file + (place.map { ", \($0)" } ?? "") + ": " + message
        if let valid { s += " Valid: \(valid)." }
        return s
    }
}

/// The kinds of export the importer recognises, each by its columns.
public enum ImportKind: String, Sendable, CaseIterable {
    case mailbox, casMailbox, msolUser, mobileDevice, deviceAccessRule, clientAccessRule
    case mobilePolicy, owaPolicy, organizationConfig, adminAuditLogConfig

    /// The cmdlet whose export this is.
    public var cmdlet: String {
        switch self {
        case .mailbox: "Get-Mailbox"
        case .casMailbox: "Get-CASMailbox"
        case .msolUser: "Get-MsolUser"
        case .mobileDevice: "Get-MobileDevice"
        case .deviceAccessRule: "Get-ActiveSyncDeviceAccessRule"
        case .clientAccessRule: "Get-ClientAccessRule"
        case .mobilePolicy: "Get-MobileDeviceMailboxPolicy"
        case .owaPolicy: "Get-OwaMailboxPolicy"
        case .organizationConfig: "Get-OrganizationConfig"
        case .adminAuditLogConfig: "Get-AdminAuditLogConfig"
        }
    }

    /// The columns that must all be present (the identity, and what tells the kind apart).
    public var requiredColumns: [String] {
        switch self {
        case .mailbox, .casMailbox: ["PrimarySmtpAddress"]
        case .msolUser: ["UserPrincipalName"]
        case .mobileDevice: ["DeviceId"]
        case .deviceAccessRule: ["QueryString", "Characteristic", "AccessLevel"]
        case .clientAccessRule: ["Name", "Action"]
        case .mobilePolicy, .owaPolicy: ["Name"]
        case .organizationConfig, .adminAuditLogConfig: []
        }
    }

    /// Columns shared by every kind that names its objects: they alone do not tell kinds apart.
    static let commonColumns: Set<String> = ["name", "identity", "guid", "isdefault", "whencreated", "whenchanged"]

    /// Columns of PowerShell's remoting that every export from a remote session carries.
    static let remotingColumns: Set<String> = ["pscomputername", "runspaceid", "psshowcomputername"]

    /// Get-MsolUser's names for User properties.
    static let msolAliases: [String: String] = [
        "country": "CountryOrRegion", "state": "StateOrProvince",
        "lastpasswordchangetimestamp": "LastPasswordChange",
    ]

    /// Columns Get-MsolUser exports that the model derives or has no place for.
    static let msolIgnored: Set<String> = ["islicensed", "usertype", "strongauthenticationrequirements", "mfa status"]

    /// Every column this kind's export can carry (lowercased).
    var knownColumns: Set<String> {
        func names<T>(_ s: ObjectSchema<T>) -> [String] { s.propertyNames }
        var all: [String]
        switch self {
        case .mailbox: all = names(Mailbox.schema)
        case .casMailbox: all = names(CASMailboxView.schema)
        case .msolUser: all = names(User.schema) + Array(Self.msolAliases.keys) + Array(Self.msolIgnored)
        case .mobileDevice: all = names(MobileDevice.schema)
        case .deviceAccessRule: all = names(ActiveSyncDeviceAccessRule.schema)
        case .clientAccessRule: all = names(ClientAccessRule.schema)
        case .mobilePolicy: all = names(MobileDeviceMailboxPolicy.schema)
        case .owaPolicy: all = names(OwaMailboxPolicy.schema)
        case .organizationConfig: all = names(OrganizationConfig.schema)
        case .adminAuditLogConfig: all = names(AdminAuditLogConfig.schema)
        }
        return Set(all.map { $0.lowercased() })
    }

    /// Whether a file with these columns (lowercased, remoting columns removed) is this kind.
    func matches(_ columns: Set<String>) -> Bool {
        guard requiredColumns.allSatisfy({ columns.contains($0.lowercased()) }), columns.isSubset(of: knownColumns) else {
            return false
        }
        switch self {
        case .mailbox:
            // Something only Get-Mailbox has; otherwise a CAS export of identity columns.
            return !columns.subtracting(ImportKind.casMailbox.knownColumns).isEmpty || columns.count <= 2
        case .casMailbox:
            return !columns.subtracting(ImportKind.mailbox.knownColumns).isEmpty
        case .mobilePolicy, .owaPolicy, .organizationConfig, .adminAuditLogConfig, .clientAccessRule:
            return !columns.subtracting(Self.commonColumns).subtracting(["priority", "enabled"]).isEmpty
        default:
            return true
        }
    }

    /// The kinds a file with `columns` could be; more than one is ambiguous.
    static func candidates(_ columns: [String]) -> [ImportKind] {
        let set = Set(columns.map { $0.lowercased() }).subtracting(remotingColumns)
        let all = allCases.filter { $0.matches(set) }
        // A mailbox-keyed file is a Get-Mailbox export before a Get-CASMailbox one, and
        // either before a directory export that shares UserPrincipalName/DisplayName.
        if all.contains(.mailbox) { return [.mailbox] }
        if all.contains(.casMailbox) { return [.casMailbox] }
        if all.contains(.msolUser) { return [.msolUser] }
        return all
    }

    /// The kind whose columns are closest to `columns`, with the columns it does not know.
    static func closest(_ columns: [String]) -> (kind: ImportKind, unknown: [String], missing: [String]) {
        let set = columns.filter { !remotingColumns.contains($0.lowercased()) }
        let scored = allCases.map { kind -> (ImportKind, [String], [String]) in
            let known = kind.knownColumns
            let unknown = set.filter { !known.contains($0.lowercased()) }
            let missing = kind.requiredColumns.filter { r in !set.contains { $0.lowercased() == r.lowercased() } }
            return (kind, unknown, missing)
        }
        let best = scored.min { ($0.1.count + $0.2.count) < ($1.1.count + $1.2.count) }!
        return (best.0, best.1, best.2)
    }

    /// The white paper's own exports, recognised by their exact column sets.
    static func paperExport(_ columns: [String]) -> String? {
        let set = Set(columns.map { $0.lowercased() })
        if set == ["primarysmtpaddress", "auditenabled"] {
            return "the white paper's MailboxAuditing_Enabled.csv (Get-Mailbox | Select PrimarySMTPAddress, AuditEnabled)"
        }
        if set == ["primarysmtpaddress", "auditadmin", "auditdelegate", "auditowner", "auditlogagelimit"] {
            return "the white paper's MailBox_Auditing_Configs.csv (Get-Mailbox | Select PrimarySmtpAddress, AuditAdmin, AuditDelegate, AuditOwner, AuditLogAgeLimit)"
        }
        if set == ["userprincipalname", "mfa status"] {
            return "the white paper's MFA_Status.csv (Get-MsolUser | Select UserPrincipalName, \"MFA Status\")"
        }
        if set.contains("primarysmtpaddress"), set.count > 1,
           set.subtracting(["primarysmtpaddress"]).allSatisfy({ $0.hasSuffix("enabled") }),
           set.subtracting(["primarysmtpaddress"]).isSubset(of: ImportKind.casMailbox.knownColumns) {
            return "the white paper's CASMailbox_EnabledServices.csv (Get-CASMailbox | Select PrimarySMTPAddress, *Enabled)"
        }
        return nil
    }
}
