import Foundation
import Testing
import TenantModel

private let created = ISO8601.parse("2024-02-01T09:00:00Z")!
private let domain = "behaviour.onmicrosoft.com"

private func newTenant(_ tier: LicenseTier = .E5) -> Tenant {
    Tenant(info: TenantInfo(displayName: "Behaviour", tenantId: UUID(uuidString: "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f")!,
                            initialDomain: domain, licenseTier: tier, createdDateTime: created),
           now: created, seed: 11)
}

private func newMailbox(_ type: RecipientTypeDetails = .UserMailbox, tier: LicenseTier = .E5) -> Mailbox {
    Mailbox(name: "ana", displayName: "Ana Folau", primarySmtpAddress: SmtpAddress("ana@\(domain)")!,
            recipientTypeDetails: type, guid: UUID(uuidString: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d")!,
            userObjectId: nil, licenseTier: tier, whenCreated: created)
}

// MARK: - Client access rule priorities [EXCHANGE-FACTS 1.4]

/// Behaviours of the tenant model: rule ordering, default policies, audit sets, clock, identifiers, generation.
enum TenantBehaviourTests {}

extension TenantBehaviourTests {
    @Suite("Client access rule priorities")
    struct ClientAccessRulePriorityTests {
        static func rule(_ name: String) -> ClientAccessRule {
            ClientAccessRule(name: name, action: .DenyAccess, guid: UUID(), priority: 0, whenCreated: created)
        }

        /// A tenant whose rules are `names`, added in order at the end.
        static func tenant(_ names: [String]) -> Tenant {
            var t = newTenant()
            for n in names { t.insertClientAccessRule(rule(n), priority: nil) }
            return t
        }

        static func order(_ t: Tenant) -> [String] { t.clientAccessRules.map(\.name) }
        static func priorities(_ t: Tenant) -> [Int] { t.clientAccessRules.map(\.priority) }

        @Test("Rules added without a priority take the next position")
        func appendInOrder() {
            let t = Self.tenant(["A", "B", "C"])
            #expect(Self.order(t) == ["A", "B", "C"])
            #expect(Self.priorities(t) == [1, 2, 3])
        }

        @Test("Inserting at priority 1 puts the rule first and pushes the others down one")
        func insertAtOne() {
            var t = Self.tenant(["A", "B", "C"])
            t.insertClientAccessRule(Self.rule("D"), priority: 1)
            #expect(Self.order(t) == ["D", "A", "B", "C"])
            #expect(Self.priorities(t) == [1, 2, 3, 4])
        }

        @Test("Inserting at a middle priority pushes that rule and those after it down")
        func insertInMiddle() {
            var t = Self.tenant(["A", "B", "C"])
            t.insertClientAccessRule(Self.rule("D"), priority: 2)
            #expect(Self.order(t) == ["A", "D", "B", "C"])
            #expect(t.clientAccessRules[1].priority == 2)
        }

        @Test("Priority 0, none, or beyond the rule count puts the new rule last", arguments: [nil, 0, 4, 5, 99, -1] as [Int?])
        func outOfRangeAppends(priority: Int?) {
            var t = Self.tenant(["A", "B", "C"])
            t.insertClientAccessRule(Self.rule("X"), priority: priority)
            #expect(Self.order(t) == ["A", "B", "C", "X"])
            #expect(t.clientAccessRules.last?.priority == 4)
        }

        @Test("The first rule of a tenant gets priority 1 whatever was asked", arguments: [nil, 0, 1, 7] as [Int?])
        func firstRule(priority: Int?) {
            var t = newTenant()
            t.insertClientAccessRule(Self.rule("Only"), priority: priority)
            #expect(Self.priorities(t) == [1])
        }

        @Test("Removing a rule moves the later rules up so priorities stay 1..n")
        func removeClosesGap() {
            var t = Self.tenant(["A", "B", "C", "D"])
            let removed = t.removeClientAccessRule(at: 1)
            #expect(removed.name == "B")
            #expect(Self.order(t) == ["A", "C", "D"])
            #expect(Self.priorities(t) == [1, 2, 3])
        }

        @Test("Moving rule 5 to priority 2 gives the documented order: old 2→3, 3→4, 4→5")
        func docExampleMove() {
            var t = Self.tenant(["R1", "R2", "R3", "R4", "R5"])
            t.moveClientAccessRule(at: 4, toPriority: 2)
            #expect(Self.order(t) == ["R1", "R5", "R2", "R3", "R4"])
            #expect(Self.priorities(t) == [1, 2, 3, 4, 5])
        }

        @Test("Moving a rule down lifts the rules it passes")
        func moveDown() {
            var t = Self.tenant(["R1", "R2", "R3", "R4"])
            t.moveClientAccessRule(at: 0, toPriority: 3)
            #expect(Self.order(t) == ["R2", "R3", "R1", "R4"])
        }

        @Test("Moving to priority 0 or beyond the count moves the rule last", arguments: [0, 9])
        func moveOutOfRange(priority: Int) {
            var t = Self.tenant(["R1", "R2", "R3"])
            t.moveClientAccessRule(at: 0, toPriority: priority)
            #expect(Self.order(t) == ["R2", "R3", "R1"])
            #expect(Self.priorities(t) == [1, 2, 3])
        }

        @Test("Editing a rule in place cannot change its priority")
        func updateKeepsPosition() {
            var t = Self.tenant(["A", "B", "C"])
            t.updateClientAccessRule(at: 1) { $0.priority = 9; $0.enabled = false }
            #expect(Self.priorities(t) == [1, 2, 3])
            #expect(t.clientAccessRules[1].enabled == false)
        }

        @Test("Replacing all rules numbers them in the given order")
        func setRulesRenumbers() {
            var t = newTenant()
            var a = Self.rule("A"), b = Self.rule("B")
            a.priority = 7; b.priority = 7
            t.setClientAccessRules([b, a])
            #expect(Self.order(t) == ["B", "A"])
            #expect(Self.priorities(t) == [1, 2])
        }

        @Test("After any mix of inserts, moves and removes the priorities are exactly 1..n")
        func alwaysContiguous() {
            var t = newTenant()
            var ids = IdentifierGenerator(seed: 99)
            for step in 0..<200 {
                let count = t.clientAccessRules.count
                switch ids.next(below: 4) {
                case 0, 1:
                    t.insertClientAccessRule(Self.rule("R\(step)"), priority: ids.next(below: count + 3) - 1)
                case 2 where count > 0:
                    t.moveClientAccessRule(at: ids.next(below: count), toPriority: ids.next(below: count + 2))
                case 3 where count > 0:
                    t.removeClientAccessRule(at: ids.next(below: count))
                default:
                    break
                }
                #expect(Self.priorities(t) == Array(0..<t.clientAccessRules.count).map { $0 + 1 }, "after step \(step)")
            }
        }
    }
}

// MARK: - Default policies [EXCHANGE-FACTS 2.5, 3.1]

extension TenantBehaviourTests {
    @Suite("Default mobile and OWA policies")
    struct DefaultPolicyTests {
        static func tenantWithStrictPolicies() -> Tenant {
            var t = newTenant()
            t.mobileDeviceMailboxPolicies.append(MobileDeviceMailboxPolicy(name: "Strict", guid: UUID(), created: created))
            t.owaMailboxPolicies.append(OwaMailboxPolicy(name: "Strict OWA", guid: UUID(), created: created))
            return t
        }

        @Test("Making a mobile policy the default leaves exactly one default: the old Default stops being one")
        func oneMobileDefault() {
            var t = Self.tenantWithStrictPolicies()
            t.makeDefaultMobileDeviceMailboxPolicy(named: "Strict")
            #expect(t.mobileDeviceMailboxPolicies.filter(\.isDefault).map(\.name) == ["Strict"])
            #expect(t.defaultMobileDeviceMailboxPolicy.name == "Strict")
            #expect(t.mobileDeviceMailboxPolicies.first { $0.name == "Default" }?.isDefault == false)
        }

        @Test("Making an OWA policy the default leaves exactly one default: OwaMailboxPolicy-Default stops being one")
        func oneOwaDefault() {
            var t = Self.tenantWithStrictPolicies()
            t.makeDefaultOwaMailboxPolicy(named: "Strict OWA")
            #expect(t.owaMailboxPolicies.filter(\.isDefault).map(\.name) == ["Strict OWA"])
            #expect(t.defaultOwaMailboxPolicy.name == "Strict OWA")
        }

        @Test("Policy names match ignoring case when made default")
        func caseInsensitiveName() {
            var t = Self.tenantWithStrictPolicies()
            t.makeDefaultMobileDeviceMailboxPolicy(named: "STRICT")
            t.makeDefaultOwaMailboxPolicy(named: "strict owa")
            #expect(t.defaultMobileDeviceMailboxPolicy.name == "Strict")
            #expect(t.defaultOwaMailboxPolicy.name == "Strict OWA")
        }

        @Test("Naming a policy that doesn't exist leaves the current default in place")
        func unknownNameKeepsDefault() {
            var t = Self.tenantWithStrictPolicies()
            t.makeDefaultMobileDeviceMailboxPolicy(named: "Nope")
            t.makeDefaultOwaMailboxPolicy(named: "Nope")
            #expect(t.mobileDeviceMailboxPolicies.filter(\.isDefault).map(\.name) == ["Default"])
            #expect(t.owaMailboxPolicies.filter(\.isDefault).map(\.name) == ["OwaMailboxPolicy-Default"])
        }

        @Test("A mailbox without its own policies shows the new defaults, still marked IsDefaulted")
        func casViewFollowsDefault() throws {
            var t = Self.tenantWithStrictPolicies()
            try t.addMailbox(newMailbox())
            t.makeDefaultMobileDeviceMailboxPolicy(named: "Strict")
            t.makeDefaultOwaMailboxPolicy(named: "Strict OWA")
            let view = t.casMailbox(t.mailboxes[0])
            #expect(view[property: "ActiveSyncMailboxPolicy"]?.displayText == "Strict")
            #expect(view[property: "ActiveSyncMailboxPolicyIsDefaulted"]?.displayText == "True")
            #expect(view[property: "OwaMailboxPolicy"]?.displayText == "Strict OWA")
        }

        @Test("Naming the Default policy explicitly leaves ActiveSyncMailboxPolicyIsDefaulted False")
        func explicitDefaultIsNotDefaulted() throws {
            var t = newTenant()
            try t.addMailbox(newMailbox())
            var view = t.casMailbox(t.mailboxes[0])
            try CASMailboxView.schema.property(named: "ActiveSyncMailboxPolicy")!.set(&view, .string("Default"))
            #expect(view[property: "ActiveSyncMailboxPolicy"]?.displayText == "Default")
            #expect(view[property: "ActiveSyncMailboxPolicyIsDefaulted"]?.displayText == "False")
        }

        @Test("Setting ActiveSyncMailboxPolicy to $null resets it to the default and IsDefaulted to True")
        func nullResetsToDefault() throws {
            var t = newTenant()
            var mailbox = newMailbox()
            mailbox.cas.activeSyncMailboxPolicy = "Default"
            try t.addMailbox(mailbox)
            var view = t.casMailbox(t.mailboxes[0])
            try CASMailboxView.schema.property(named: "ActiveSyncMailboxPolicy")!.set(&view, .null)
            #expect(view[property: "ActiveSyncMailboxPolicy"]?.displayText == "Default")
            #expect(view[property: "ActiveSyncMailboxPolicyIsDefaulted"]?.displayText == "True")
        }

        @Test("HasActiveSyncDevicePartnership turns True once the mailbox has a device")
        func partnershipShown() throws {
            var t = newTenant()
            let mailbox = newMailbox()
            try t.addMailbox(mailbox)
            t.mobileDevices.append(MobileDevice(mailboxGuid: mailbox.guid, mailboxName: "ana", guid: UUID(), deviceId: "Appl1",
                                                deviceType: "iPhone", deviceOS: "iOS 17", userDisplayName: "Ana", whenCreated: created))
            #expect(t.casMailbox(t.mailboxes[0])[property: "HasActiveSyncDevicePartnership"]?.displayText == "True")
        }
    }
}

// MARK: - Mailbox audit sets [EXCHANGE-FACTS 4.1]

extension TenantBehaviourTests {
    @Suite("Mailbox audit set customisation")
    struct MailboxAuditSetTests {
        @Test("Customising one logon type's actions removes it from DefaultAuditSet", arguments: MailboxAuditLogonType.allCases)
        func customiseRemovesType(type: MailboxAuditLogonType) {
            var m = newMailbox()
            m.setAuditActions(AuditActionSet([.HardDelete]), for: type)
            #expect(m.auditActions(for: type) == AuditActionSet([.HardDelete]))
            #expect(m.defaultAuditSet == MailboxAuditLogonType.allCases.filter { $0 != type })
        }

        @Test("Customising every logon type leaves DefaultAuditSet blank")
        func customiseAll() {
            var m = newMailbox()
            for type in MailboxAuditLogonType.allCases { m.setAuditActions(AuditActionSet([.Update]), for: type) }
            #expect(m[property: "DefaultAuditSet"]?.displayText == "{}")
        }

        @Test("restoreDefaultAuditSet([.Owner]) restores Microsoft's owner list and re-adds Owner in order")
        func restoreOwner() {
            var m = newMailbox(tier: .E5)
            m.setAuditActions(AuditActionSet([.MailboxLogin]), for: .Owner)
            m.setAuditActions(AuditActionSet([.FolderBind]), for: .Admin)
            m.restoreDefaultAuditSet([.Owner])
            #expect(m.auditOwner == MailboxAuditDefaults.defaultSet(.Owner, tier: .E5))
            #expect(m.auditAdmin == AuditActionSet([.FolderBind]))
            #expect(m.defaultAuditSet == [.Delegate, .Owner])
        }

        @Test("Restoring all three gives the new-mailbox state back")
        func restoreAll() {
            var m = newMailbox(tier: .E3)
            for type in MailboxAuditLogonType.allCases { m.setAuditActions(AuditActionSet([.Copy]), for: type) }
            m.restoreDefaultAuditSet([.Owner, .Admin, .Delegate])
            #expect(m == newMailbox(tier: .E3))
        }

        @Test("Group mailboxes ignore customisation: lists and DefaultAuditSet stay fixed")
        func groupIgnoresCustomisation() {
            var m = newMailbox(.GroupMailbox)
            m.setAuditActions(AuditActionSet([.MailboxLogin]), for: .Owner)
            #expect(m == newMailbox(.GroupMailbox))
            #expect(m.auditOwner == MailboxAuditDefaults.groupMailboxSet(.Owner))
            #expect(m.defaultAuditSet == [.Admin, .Delegate, .Owner])
        }

        @Test("Setting AuditOwner through the schema customises it: Owner leaves DefaultAuditSet")
        func schemaSetterKeepsInvariant() throws {
            var m = newMailbox()
            try Mailbox.schema.property(named: "AuditOwner")!.set(&m, .list([.string("HardDelete"), .string("SoftDelete")]))
            #expect(m[property: "AuditOwner"]?.displayText == "{SoftDelete, HardDelete}")
            #expect(m[property: "DefaultAuditSet"]?.displayText == "{Admin, Delegate}")
        }

        @Test("AuditOwner None empties the list")
        func noneEmpties() throws {
            var m = newMailbox()
            try Mailbox.schema.property(named: "AuditOwner")!.set(&m, .string("None"))
            #expect(m.auditOwner.isEmpty)
            #expect(m.defaultAuditSet == [.Admin, .Delegate])
        }

        @Test("Restoring AuditOwner (fixtures, store) does not touch DefaultAuditSet")
        func restoreLeavesDefaultAuditSet() throws {
            var m = newMailbox()
            try Mailbox.schema.property(named: "AuditOwner")!.restore(&m, .list([.string("HardDelete")]))
            #expect(m.auditOwner == AuditActionSet([.HardDelete]))
            #expect(m.defaultAuditSet == [.Admin, .Delegate, .Owner])
        }

        @Test("Setting DefaultAuditSet through the schema restores the named types")
        func schemaDefaultAuditSetRestores() throws {
            var m = newMailbox(tier: .E3)
            m.setAuditActions(AuditActionSet([.Copy]), for: .Admin)
            m.setAuditActions(AuditActionSet([.Copy]), for: .Owner)
            try Mailbox.schema.property(named: "DefaultAuditSet")!.set(&m, .list([.string("Admin")]))
            #expect(m.auditAdmin == MailboxAuditDefaults.defaultSet(.Admin, tier: .E3))
            #expect(m.auditOwner == AuditActionSet([.Copy]))
            #expect(m[property: "DefaultAuditSet"]?.displayText == "{Admin, Delegate}")
        }

        @Test("Changing the licence tier moves default-following lists to the new tier's and keeps customised ones")
        func tierChange() {
            var m = newMailbox(tier: .E3)
            m.setAuditActions(AuditActionSet([.Copy]), for: .Delegate)
            m.changeLicenseTier(.E5)
            #expect(m.auditOwner.contains(.MailItemsAccessed))
            #expect(m.auditAdmin == MailboxAuditDefaults.defaultSet(.Admin, tier: .E5))
            #expect(m.auditDelegate == AuditActionSet([.Copy]))
            #expect(m.defaultAuditSet == [.Admin, .Owner])
        }
    }
}

// MARK: - What a mailbox audits [EXCHANGE-FACTS 4.1, 4.2]

extension TenantBehaviourTests {
    @Suite("Mailbox.audits")
    struct MailboxAuditsTests {
        @Test("With org auditing on, a user mailbox audits default actions even with AuditEnabled False")
        func onByDefault() {
            let m = newMailbox()
            #expect(m.auditEnabled == false)
            #expect(m.audits(.HardDelete, by: .Owner, organizationAuditDisabled: false))
            #expect(m.audits(.SendAs, by: .Delegate, organizationAuditDisabled: false))
        }

        @Test("Actions outside the logon type's list are not audited")
        func nonDefaultAction() {
            let m = newMailbox()
            #expect(!m.audits(.MailboxLogin, by: .Owner, organizationAuditDisabled: false))
            #expect(!m.audits(.SendAs, by: .Owner, organizationAuditDisabled: false))
            #expect(!m.audits(.FolderBind, by: .Admin, organizationAuditDisabled: false))
        }

        @Test("MailItemsAccessed is audited for E5 mailboxes and not for E3", arguments: [(LicenseTier.E5, true), (.E3, false)])
        func mailItemsAccessedByTier(tier: LicenseTier, audited: Bool) {
            #expect(newMailbox(tier: tier).audits(.MailItemsAccessed, by: .Owner, organizationAuditDisabled: false) == audited)
        }

        @Test("With org AuditDisabled nothing is audited, even on a mailbox with AuditEnabled True", arguments: [false, true])
        func orgDisabled(auditEnabled: Bool) {
            var m = newMailbox()
            m.auditEnabled = auditEnabled
            #expect(!m.audits(.HardDelete, by: .Owner, organizationAuditDisabled: true))
            #expect(!m.audits(.Update, by: .Admin, organizationAuditDisabled: true))
        }

        @Test("Default auditing covers user, shared and group mailboxes, not resource mailboxes", arguments: [
            (RecipientTypeDetails.UserMailbox, true), (.SharedMailbox, true), (.GroupMailbox, true),
            (.RoomMailbox, false), (.EquipmentMailbox, false),
        ])
        func coverage(type: RecipientTypeDetails, audited: Bool) {
            #expect(newMailbox(type).audits(.HardDelete, by: .Admin, organizationAuditDisabled: false) == audited)
        }

        @Test("A room mailbox with AuditEnabled True is audited")
        func roomExplicitlyEnabled() {
            var m = newMailbox(.RoomMailbox)
            m.auditEnabled = true
            #expect(m.audits(.HardDelete, by: .Admin, organizationAuditDisabled: false))
        }

        @Test("Folder permission changes are audited as UpdateFolderPermissions",
              arguments: [MailboxAuditOperations.AddFolderPermissions, .ModifyFolderPermissions, .RemoveFolderPermissions])
        func folderPermissionsFolded(operation: MailboxAuditOperations) {
            var m = newMailbox()
            #expect(m.audits(operation, by: .Owner, organizationAuditDisabled: false))
            m.setAuditActions(AuditActionSet([.HardDelete]), for: .Owner)
            #expect(!m.audits(operation, by: .Owner, organizationAuditDisabled: false))
        }

        @Test("A customised list decides what is audited for its logon type only")
        func customisedList() {
            var m = newMailbox()
            m.setAuditActions(AuditActionSet([.MailboxLogin]), for: .Owner)
            #expect(m.audits(.MailboxLogin, by: .Owner, organizationAuditDisabled: false))
            #expect(!m.audits(.HardDelete, by: .Owner, organizationAuditDisabled: false))
            #expect(m.audits(.HardDelete, by: .Delegate, organizationAuditDisabled: false))
        }
    }
}

// MARK: - SMTP AUTH inheritance [EXCHANGE-FACTS 3.1]

extension TenantBehaviourTests {
    @Suite("SmtpClientAuthenticationDisabled")
    struct SmtpClientAuthenticationTests {
        @Test("$null inherits the organization's setting; True or False on the mailbox wins", arguments: [
            (nil, false, true), (nil, true, false),
            (true, false, false), (true, true, false),
            (false, false, true), (false, true, true),
        ] as [(Bool?, Bool, Bool)])
        func inheritance(mailbox: Bool?, organization: Bool, allowed: Bool) {
            var cas = CASMailbox()
            cas.smtpClientAuthenticationDisabled = mailbox
            #expect(cas.smtpClientAuthenticationAllowed(organizationDisabled: organization) == allowed)
        }
    }
}

// MARK: - Clock and identifiers

extension TenantBehaviourTests {
    @Suite("SimClock")
    struct SimClockTests {
        @Test("Advancing moves the clock forward by that many seconds")
        func advance() {
            var clock = SimClock(now: created)
            clock.advance(by: 90)
            #expect(clock.now == created.addingTimeInterval(90))
        }

        @Test("Setting an earlier time is refused and the clock stays where it was")
        func neverBackwards() {
            var clock = SimClock(now: created)
            let moved = clock.set(to: created.addingTimeInterval(-1))
            #expect(moved == false)
            #expect(clock.now == created)
        }

        @Test("Setting a later or equal time moves the clock there")
        func setForward() {
            var clock = SimClock(now: created)
            let same = clock.set(to: created)
            let later = clock.set(to: created.addingTimeInterval(3_600))
            #expect(same && later)
            #expect(clock.now == created.addingTimeInterval(3_600))
        }
    }
}

extension TenantBehaviourTests {
    @Suite("IdentifierGenerator")
    struct IdentifierGeneratorTests {
        static func guids(seed: UInt64, count: Int = 50) -> [UUID] {
            var g = IdentifierGenerator(seed: seed)
            return (0..<count).map { _ in g.newGuid() }
        }

        @Test("The same seed gives the same GUIDs in the same order")
        func deterministic() {
            #expect(Self.guids(seed: 42) == Self.guids(seed: 42))
        }

        @Test("Different seeds give different GUIDs")
        func seedsDiffer() {
            #expect(Set(Self.guids(seed: 42)).isDisjoint(with: Self.guids(seed: 43)))
        }

        @Test("A stream does not repeat GUIDs")
        func unique() {
            #expect(Set(Self.guids(seed: 7, count: 5_000)).count == 5_000)
        }

        @Test("GUIDs are version-4 shaped: version nibble 4, variant 8, 9, a or b")
        func version4() {
            for g in Self.guids(seed: 3, count: 1_000) {
                let text = Array(g.uuidString.lowercased())
                #expect(text[14] == "4", "\(g)")
                #expect("89ab".contains(text[19]), "\(g)")
            }
        }

        @Test("next(below:) stays below its bound")
        func bounded() {
            var g = IdentifierGenerator(seed: 5)
            for bound in [1, 2, 3, 10, 1_000] {
                for _ in 0..<200 {
                    let n = g.next(below: bound)
                    #expect((0..<bound).contains(n))
                }
            }
        }
    }
}

// MARK: - Generated tenants

extension TenantBehaviourTests {
    @Suite("TenantGenerator")
    struct TenantGeneratorTests {
        static func generate(users: Int = 150, seed: UInt64 = 1) -> Tenant {
            TenantGenerator(.init(users: users, seed: seed, messagesPerMailbox: 2, mailboxesWithMessages: 20)).generate()
        }

        @Test("The same options give equal tenants")
        func deterministic() {
            #expect(Self.generate() == Self.generate())
        }

        @Test("Different seeds give different tenants")
        func seedsDiffer() {
            let a = Self.generate(seed: 1), b = Self.generate(seed: 2)
            #expect(a != b)
            #expect(a.info.tenantId != b.info.tenantId)
            #expect(a.users.map(\.objectId) != b.users.map(\.objectId))
        }

        @Test("The tenant has the requested number of users, each with a mailbox", arguments: [1, 37, 300])
        func userCount(users: Int) {
            let t = Self.generate(users: users)
            #expect(t.users.count == users)
            #expect(t.mailboxes.count == users)
            #expect(t.users.allSatisfy { t.mailbox(forUser: $0) != nil })
        }

        @Test("User principal names are unique, ignoring case")
        func uniqueUPNs() {
            let t = Self.generate(users: 600)
            #expect(Set(t.users.map { $0.userPrincipalName.lowercased() }).count == 600)
        }

        @Test("The first user is the global administrator")
        func firstUserIsAdmin() throws {
            let t = Self.generate()
            let admin = try #require(t.users.first)
            #expect(admin.userPrincipalName == "admin@fabrikam.onmicrosoft.com")
            #expect(admin.adminRoles == [DirectoryRole.globalAdministrator])
        }

        @Test("Devices run iOS or Android and belong to an existing mailbox")
        func devices() {
            let t = Self.generate()
            #expect(!t.mobileDevices.isEmpty)
            let guids = Set(t.mailboxes.map(\.guid))
            for d in t.mobileDevices {
                #expect(d.deviceOS.hasPrefix("iOS ") || d.deviceOS.hasPrefix("Android "), "\(d.deviceOS)")
                #expect(guids.contains(d.mailboxGuid))
            }
        }

        @Test("Messages go only to the first mailboxesWithMessages mailboxes")
        func messages() {
            let t = Self.generate()
            #expect(t.messages.count == 20 * 2)
            let first20 = Set(t.mailboxes.prefix(20).map(\.guid))
            #expect(t.messages.allSatisfy { first20.contains($0.mailboxGuid) })
        }
    }
}
