import Foundation

/// Builds a deterministic tenant of any size for tests and benchmarks: the same options
/// always give the same tenant, byte for byte once exported.
public struct TenantGenerator: Sendable {
    public struct Options: Sendable, Hashable {
        public var users: Int
        public var seed: UInt64
        public var domain: String
        public var licenseTier: LicenseTier
        /// Messages placed in each of the first `mailboxesWithMessages` mailboxes.
        public var messagesPerMailbox: Int
        public var mailboxesWithMessages: Int
        public var created: Date

        public init(users: Int, seed: UInt64 = 1, domain: String = "fabrikam.onmicrosoft.com", licenseTier: LicenseTier = .E5,
                    messagesPerMailbox: Int = 3, mailboxesWithMessages: Int = 1_000,
                    created: Date = Date(timeIntervalSince1970: 1_640_995_200)) {
            self.users = users
            self.seed = seed
            self.domain = domain
            self.licenseTier = licenseTier
            self.messagesPerMailbox = messagesPerMailbox
            self.mailboxesWithMessages = mailboxesWithMessages
            self.created = created
        }
    }

    public let options: Options

    public init(_ options: Options) { self.options = options }

    static let firstNames = ["Adele", "Alex", "Allan", "Ben", "Carla", "Chen", "Dana", "Diego", "Elena", "Emma", "Farah", "Grady",
                             "Hana", "Henrietta", "Isaiah", "Ivan", "Johanna", "Joni", "Kenji", "Lee", "Lidia", "Lynne", "Megan",
                             "Miriam", "Nestor", "Nora", "Omar", "Patti", "Pradeep", "Priya", "Raul", "Rosa", "Sakura", "Sam",
                             "Sofia", "Tariq", "Thea", "Uma", "Victor", "Wanda", "Xavier", "Yara", "Yusuf", "Zoe"]
    static let lastNames = ["Vance", "Wilber", "Deyoung", "Walters", "Fernandez", "Wei", "Kowalski", "Alvarez", "Petrova", "Johnson",
                            "Haddad", "Archie", "Sato", "Harris", "Okafor", "Ivanov", "Lindqvist", "Sherman", "Tanaka", "Gu",
                            "Moreno", "Robbins", "Bowen", "Cohen", "Celestine", "Brennan", "Farouk", "Fernandes", "Gupta", "Nair",
                            "Quintero", "Delgado", "Mori", "Nguyen", "Rossi", "Rahman", "Larsen", "Thakur", "Castillo", "Nowak"]
    static let departments = ["Sales", "Marketing", "Finance", "Legal", "Engineering", "Operations", "Human Resources", "IT", "Research"]
    static let cities: [(String, String, String)] = [("Seattle", "WA", "US"), ("Redmond", "WA", "US"), ("Chicago", "IL", "US"),
                                                      ("London", "England", "GB"), ("Dublin", "Leinster", "IE"), ("Toronto", "ON", "CA"),
                                                      ("Sydney", "NSW", "AU"), ("Berlin", "Berlin", "DE")]
    static let iosDevices = [("iPhone", "iPhone14C2", "iOS 17.5.1 21F90", "Apple-iPhone14C2/2105.90"),
                             ("iPhone", "iPhone15C3", "iOS 18.1 22B83", "Apple-iPhone15C3/2202.83"),
                             ("iPad", "iPad13C8", "iOS 17.4 21E219", "Apple-iPad13C8/2104.219")]
    static let androidDevices = [("Android", "SM-S918B", "Android 14.0.0", "Android-SAMSUNG-SM-S918B/101.140000"),
                                 ("Android", "Pixel 8", "Android 15.0.0", "Android-Google-Pixel8/101.150000")]
    static let subjects = ["Quarterly forecast", "Re: Contract renewal", "Team offsite agenda", "Invoice 4471 overdue",
                           "Updated travel policy", "Re: Budget approval", "Weekly status", "Security awareness training"]

    public func generate() -> Tenant {
        var ids = IdentifierGenerator(seed: options.seed)
        let info = TenantInfo(displayName: String(options.domain.split(separator: ".")[0]).capitalized, tenantId: ids.newGuid(),
                              initialDomain: options.domain, licenseTier: options.licenseTier, createdDateTime: options.created)
        var tenant = Tenant(info: info, now: options.created.addingTimeInterval(365 * 86_400), seed: options.seed)
        tenant.organizationConfig.isDehydrated = false
        let skus = [options.licenseTier == .E5 ? "ENTERPRISEPREMIUM" : "ENTERPRISEPACK"]
        var mailboxes: [Mailbox] = []
        mailboxes.reserveCapacity(options.users)
        var usedAliases: [String: Int] = [:]
        for i in 0..<options.users {
            let first = Self.firstNames[ids.next(below: Self.firstNames.count)]
            let last = Self.lastNames[ids.next(below: Self.lastNames.count)]
            var alias = i == 0 ? "admin" : "\(first).\(last)".lowercased()
            if let n = usedAliases[alias] { usedAliases[alias] = n + 1; alias += String(n + 1) } else { usedAliases[alias] = 1 }
            let upn = "\(alias)@\(options.domain)"
            let created = options.created.addingTimeInterval(Double(i % 10_000) * 60)
            var user = User(userPrincipalName: upn, displayName: i == 0 ? "Tenant Admin" : "\(first) \(last)", objectId: ids.newGuid(),
                            password: "Gen-\(String(ids.next() % 1_000_000, radix: 36))-\(i)!", whenCreated: created)
            user.firstName = i == 0 ? nil : first
            user.lastName = i == 0 ? nil : last
            user.licenses = skus
            let city = Self.cities[ids.next(below: Self.cities.count)]
            user.city = city.0
            user.stateOrProvince = city.1
            user.countryOrRegion = city.2
            user.department = Self.departments[ids.next(below: Self.departments.count)]
            user.company = info.displayName
            if i == 0 { user.adminRoles = [DirectoryRole.globalAdministrator] }
            else if i % 500 == 1 { user.adminRoles = [DirectoryRole.exchangeAdministrator] }
            switch ids.next(below: 10) {
            case 0: user.strongAuthenticationState = .Enabled
            case 1, 2:
                user.strongAuthenticationState = .Enforced
                user.strongAuthenticationMethods = [.PhoneAppNotification, .PhoneAppOTP]
                user.appPasswords = ["app-\(String(ids.next(), radix: 36))"]
            default: break
            }
            if i > 0, i % 97 == 0 { user.blockCredential = true }
            try! tenant.addUser(user)

            var mailbox = Mailbox(name: alias, displayName: user.displayName, primarySmtpAddress: SmtpAddress(upn)!,
                                  guid: ids.newGuid(), userObjectId: user.objectId, licenseTier: options.licenseTier,
                                  whenCreated: created)
            if i % 3 == 0 { mailbox.cas.imapEnabled = false; mailbox.cas.popEnabled = false }
            if i % 211 == 0 { mailbox.auditLogAgeLimit = .days(180) }
            if i > 0, i % 1_009 == 0 {
                mailbox.forwardingSmtpAddress = ProxySmtpAddress(SmtpAddress("\(alias)@outlook.example")!)
            }
            let deviceCount = [0, 0, 1, 1, 1, 2][ids.next(below: 6)]
            for d in 0..<deviceCount {
                let android = ids.next(below: 3) == 0
                let model = android ? Self.androidDevices[ids.next(below: Self.androidDevices.count)]
                                    : Self.iosDevices[ids.next(below: Self.iosDevices.count)]
                let prefix = android ? "SEC" : "Appl"
                let deviceId = prefix + String(ids.next(), radix: 36).uppercased().prefix(11)
                var device = MobileDevice(mailboxGuid: mailbox.guid, mailboxName: alias, guid: ids.newGuid(), deviceId: deviceId,
                                          deviceType: model.0, deviceModel: model.1, deviceOS: model.2, userDisplayName: user.displayName,
                                          whenCreated: created.addingTimeInterval(Double(d + 1) * 86_400))
                device.deviceUserAgent = model.3
                device.firstSyncTime = device.whenCreated
                device.lastSuccessSync = tenant.now.addingTimeInterval(-Double(ids.next(below: 30 * 86_400)))
                device.deviceAccessState = .Allowed
                device.deviceAccessStateReason = .Global
                device.devicePolicyApplied = "Default"
                device.provisioningFlags = ids.next(below: 4) == 0 ? 6 : 0
                tenant.mobileDevices.append(device)
            }
            if i < options.mailboxesWithMessages {
                for m in 0..<options.messagesPerMailbox {
                    let n = i * options.messagesPerMailbox + m
                    let folder = m % 3 == 2 ? "Sent Items" : "Inbox"
                    var message = MailMessage(
                        mailboxGuid: mailbox.guid, itemId: "AAMkAG\(String(n, radix: 16, uppercase: true))AAA=",
                        folderId: MailFolder.folderId(mailbox: mailbox.guid, name: folder),
                        internetMessageId: "<\(String(ids.next(), radix: 36))@\(options.domain)>",
                        subject: Self.subjects[ids.next(below: Self.subjects.count)],
                        from: folder == "Inbox" ? "partner\(n % 50)@northwind.example" : upn,
                        to: [folder == "Inbox" ? upn : "partner\(n % 50)@northwind.example"],
                        receivedTime: tenant.now.addingTimeInterval(-Double(n % 5_000) * 3_600), sizeBytes: 8_000 + n % 60_000)
                    if m % 4 == 1 { message.attachments = ["report-\(n).pdf"] }
                    message.isRead = m % 2 == 0
                    tenant.messages.append(message)
                }
            }
            mailboxes.append(mailbox)
        }
        try! tenant.addMailboxes(mailboxes)
        tenant.ids = IdentifierGenerator(seed: ids.next())
        return tenant
    }
}
