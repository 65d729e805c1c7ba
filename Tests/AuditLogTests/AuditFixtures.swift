import AuditLog
import Foundation
import TenantModel

/// A small tenant for audit tests: an admin (alice), two users (bob, carol) with mailboxes,
/// all of one licence tier, the clock at 2024-03-01 09:00 UTC.
enum AuditFixtures {
    static let start = ISO8601.parse("2024-03-01T09:00:00Z")!
    static let tenantId = UUID(uuidString: "8D4121ED-0008-406D-BFF9-0D5BB312183C")!

    static func tenant(tier: LicenseTier = .E5) -> Tenant {
        let info = TenantInfo(displayName: "Contoso", tenantId: tenantId, initialDomain: "contoso.onmicrosoft.com",
                              licenseTier: tier, createdDateTime: start.addingTimeInterval(-86_400 * 400))
        var t = Tenant(info: info, now: start, seed: 7)
        var ids = IdentifierGenerator(seed: 99)
        for (name, admin) in [("alice", true), ("bob", false), ("carol", false)] {
            let upn = "\(name)@contoso.onmicrosoft.com"
            var user = User(userPrincipalName: upn, displayName: name.capitalized, objectId: ids.newGuid(), password: "Pa55word!",
                            whenCreated: info.createdDateTime)
            if admin { user.adminRoles = [DirectoryRole.globalAdministrator] }
            user.licenses = [tier == .E5 ? "ENTERPRISEPREMIUM" : "ENTERPRISEPACK"]
            try! t.addUser(user)
            try! t.addMailbox(Mailbox(name: name, displayName: name.capitalized, primarySmtpAddress: SmtpAddress(upn)!,
                                      guid: ids.newGuid(), userObjectId: user.objectId, licenseTier: tier,
                                      whenCreated: info.createdDateTime))
        }
        return t
    }

    static func mailbox(_ t: Tenant, _ name: String) -> Mailbox {
        t.mailboxes.first { $0.name == name }!
    }

    static func updateMailbox(_ t: inout Tenant, _ name: String, _ body: (inout Mailbox) -> Void) {
        let i = t.mailboxes.firstIndex { $0.name == name }!
        t.updateMailbox(at: i, body)
    }

    static func upn(_ name: String) -> String { "\(name)@contoso.onmicrosoft.com" }

    static func signIn(_ user: String = "bob", at time: Date = start, succeeded: Bool = true) -> SignInEvent {
        SignInEvent(time: time, userPrincipalName: upn(user), userObjectId: nil, succeeded: succeeded,
                    errorCode: succeeded ? 0 : 50126, logonError: succeeded ? nil : "InvalidUserNameOrPassword",
                    failureReason: nil, clientIP: "203.0.113.9", clientPort: 50123, protocolName: "AzureAD",
                    clientAppUsed: "Mobile Apps and Desktop clients", applicationId: "1b730954-1685-4b74-9bfd-dac224a7b894",
                    appDisplayName: "Azure Active Directory PowerShell", resourceId: "00000002-0000-0000-c000-000000000000",
                    userAgent: "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031",
                    requestType: "OAuth2:Token", isInteractive: false, authenticationRequirement: "singleFactorAuthentication",
                    deviceOS: "Windows 10", browser: nil)
    }

    static func cmdlet(_ name: String, _ parameters: [(String, String)], objectId: String, actor: String? = upn("alice"),
                       at time: Date = start) -> AdminCmdletEvent {
        AdminCmdletEvent(time: time, cmdlet: name, parameters: parameters.map { NameValue($0.0, $0.1) }, objectId: objectId,
                         actor: actor, clientIP: "198.51.100.10", succeeded: true)
    }

    static let session = UUID(uuidString: "9C3EAAE9-A913-4161-B3F5-E25C7DA47797")!

    static func message(_ n: Int, folder: String = "\\Inbox") -> ItemReference {
        ItemReference(itemId: "RgAAAAD\(n)AAAJ", internetMessageId: "<msg\(n)@contoso.onmicrosoft.com>", subject: "Invoice \(n)",
                      folderPath: folder, attachments: [], sizeBytes: 20_000 + n)
    }

    static func action(_ op: MailboxAuditOperations, on mailbox: Mailbox, by actor: String = "bob",
                       logonType: MailboxAuditLogonType = .Owner, at time: Date = start, items: [ItemReference] = [],
                       folder: String? = nil, destination: String? = nil, session: UUID = session,
                       accessType: String? = nil, client: String = "Client=OWA;Action=ViaProxy") -> MailboxActionEvent {
        MailboxActionEvent(time: time, operation: op, logonType: logonType, actor: upn(actor), mailboxGuid: mailbox.guid,
                           clientInfoString: client, clientIP: "203.0.113.9", sessionId: session, items: items,
                           folderPath: folder, destinationFolderPath: destination, mailAccessType: accessType)
    }

    static func directory(_ operation: String, target: String = "alice", at time: Date = start) -> DirectoryChangeEvent {
        let old = "[\r\n  {\r\n    \"RelyingParty\": \"*\",\r\n    \"State\": 1,\r\n    \"RememberDevicesNotIssuedBefore\": \"2023-03-07T20:17:18+00:00\"\r\n  }\r\n]"
        let props = operation == "Delete application password for user." ? []
            : [ModifiedProperty(name: "StrongAuthenticationRequirement", oldValue: old, newValue: "[]")]
        return DirectoryChangeEvent(time: time, operation: operation, actor: upn("alice"), targetUserPrincipalName: upn(target),
                                    targetObjectId: nil, modifiedProperties: props)
    }
}
