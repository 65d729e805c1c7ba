import Foundation
import Testing
@testable import Shell
import TenantModel

private typealias Probe = ExchangeCmdletProbe

private func names(_ output: [PSValue], _ property: String = "Name") -> [String] {
    output.compactMap { v -> String? in if case .object(let o) = v { return o.property(property)?.text } else { return nil } }
}

struct GetMobileDeviceTests {
    @Test func returnsEveryPartnershipAsAMobileDeviceView() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "Get-MobileDevice")
        #expect(r.errors.isEmpty)
        #expect(r.output.count == session.tenant.mobileDevices.count)
        guard case .object(let o)? = r.output.first else { Issue.record("no device"); return }
        #expect(o.typeNames.first == TypeNames.mobileDevice)
        #expect(o.property("MailboxGuid") == nil)
        #expect(o.property("DeviceOS")?.text.isEmpty == false)
        #expect(o.property("Identity")?.text.contains("\\ExchangeActiveSyncDevices\\") == true)
    }

    @Test func mailboxSelectsThatMailboxsDevices() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "Get-MobileDevice", ["Mailbox": .string("britton@brittest.onmicrosoft.com")])
        #expect(names(r.output, "DeviceId").sorted() == ["ApplC39K2M8PQ7R", "ApplDX3Q5R9T2LM", "ApplF17XQ1NZ0D5", "SEC09A4E1C2B7F3"])
    }

    @Test(arguments: ["britton\\ExchangeActiveSyncDevices\\iPhone§ApplF17XQ1NZ0D5", "iPhone§ApplF17XQ1NZ0D5", "guid"])
    func identityResolves(_ identity: String) throws {
        let (session, _) = try makeShell()
        let device = session.tenant.mobileDevices.first { $0.deviceId == "ApplF17XQ1NZ0D5" }!
        let r = Probe.run(session, "Get-MobileDevice", ["Identity": .string(identity == "guid" ? device.guid.uuidString : identity)])
        #expect(names(r.output, "DeviceId") == ["ApplF17XQ1NZ0D5"])
    }

    @Test func unknownDeviceCouldNotBeFound() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "Get-MobileDevice", ["Identity": .string("ApplNOPE")])
        #expect(r.errors.first?.message.hasPrefix("The operation couldn't be performed because object 'ApplNOPE' couldn't be found") == true)
    }

    @Test func filterSelectsByDeviceProperty() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "Get-MobileDevice", ["Filter": .string("DeviceType -eq 'Android' -and DeviceOS -like 'Android 9*'")])
        let expected = session.tenant.mobileDevices.filter { $0.deviceType == "Android" && $0.deviceOS.hasPrefix("Android 9") }
        #expect(r.output.count == expected.count)
        #expect(!expected.isEmpty)
        let hidden = Probe.run(session, "Get-MobileDevice", ["Filter": .string("MailboxGuid -ne $null")])
        #expect(hidden.errors.first?.message.contains("\"MailboxGuid\" is not a recognized filterable property") == true)
    }

    @Test func clientTypeSwitchesSelectByClientType() throws {
        let (session, _) = try makeShell()
        session.tenant.mobileDevices[0].clientType = .REST
        #expect(Probe.run(session, "Get-MobileDevice", ["RestApi": .bool(true)]).output.count == 1)
        #expect(Probe.run(session, "Get-MobileDevice", ["ActiveSync": .bool(true)]).output.count == session.tenant.mobileDevices.count - 1)
        #expect(Probe.run(session, "Get-MobileDevice", ["ActiveSync": .bool(true), "RestApi": .bool(true)]).output.count == session.tenant.mobileDevices.count)
        #expect(Probe.run(session, "Get-MobileDevice", ["UniversalOutlook": .bool(true)]).output.isEmpty)
    }

    @Test func resultSizeCutsAndWarns() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "Get-MobileDevice", ["ResultSize": .int(2)])
        #expect(r.output.count == 2)
        #expect(r.warnings.count == 1)
    }
}

struct RemoveMobileDeviceTests {
    @Test func removesThePipedDevice() throws {
        let (session, _) = try makeShell()
        let device = Probe.run(session, "Get-MobileDevice", ["Identity": .string("iPhone§ApplF17XQ1NZ0D5")]).output
        let r = Probe.run(session, "Remove-MobileDevice", piped: device)
        #expect(r.errors.isEmpty)
        #expect(!session.tenant.mobileDevices.contains { $0.deviceId == "ApplF17XQ1NZ0D5" })
    }

    @Test func asksFirstAndWithoutATerminalChangesNothing() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = Probe.run(session, "Remove-MobileDevice", ["Identity": .string("iPhone§ApplF17XQ1NZ0D5")], confirm: true)
        #expect(r.errors.count == 1)
        #expect(session.tenant == before)
        #expect(RemoveMobileDeviceTests.definition.confirmsByDefault)
    }

    @Test func whatIfChangesNothing() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        _ = Probe.run(session, "Remove-MobileDevice", ["Identity": .string("iPhone§ApplF17XQ1NZ0D5")], whatIf: true)
        #expect(session.tenant == before)
    }

    static let definition = MobileDeviceCmdlets.removeMobileDevice
}

struct MobileDeviceMailboxPolicyTests {
    /// The white paper's New-MobileDeviceMailboxPolicy line.
    static let paperArguments: KeyValuePairs<String, PSValue> = [
        "Name": .string("Strong_Password_and_Encryption"), "IsDefault": .bool(true), "AllowNonProvisionableDevices": .bool(false),
        "PasswordEnabled": .bool(true), "AllowSimplePassword": .bool(false), "AlphanumericPasswordRequired": .bool(true),
        "MinPasswordComplexCharacters": .int(3), "MinPasswordLength": .int(6), "MaxPasswordFailedAttempts": .int(15),
        "MaxInactivityTimeLock": .string("00:15"), "PasswordExpiration": .int(90),
    ]

    @Test func thePapersPolicyIsCreatedAndBecomesTheDefault() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "New-MobileDeviceMailboxPolicy", Self.paperArguments)
        #expect(r.errors.isEmpty)
        guard case .object(let o)? = r.output.first else { Issue.record("no policy"); return }
        #expect(o.typeNames.first == TypeNames.mobileDeviceMailboxPolicy)
        #expect(o.property("MaxInactivityTimeLock")?.text == "00:15:00")
        #expect(o.property("PasswordExpiration")?.text == "90.00:00:00")
        #expect(o.property("MaxPasswordFailedAttempts")?.text == "15")
        #expect(o.property("MinPasswordLength")?.text == "6")
        #expect(o.property("IsDefault")?.text == "True")
        let policies = session.tenant.mobileDeviceMailboxPolicies
        #expect(policies.filter(\.isDefault).map(\.name) == ["Strong_Password_and_Encryption"])
        #expect(policies.first { $0.name == "Default" }?.isDefault == false)
        #expect(session.tenant.casMailbox(session.tenant.mailboxes[0]).activeSyncMailboxPolicy == "Strong_Password_and_Encryption")
    }

    @Test func aSecondPolicyOfTheSameNameIsRefused() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "New-MobileDeviceMailboxPolicy", ["Name": .string("default")])
        #expect(r.errors.first?.message.hasPrefix("Active Directory operation failed on \(ShellError.exchangeServer). The object 'CN=default,CN=Mobile Mailbox Policies,") == true)
        #expect(session.tenant.mobileDeviceMailboxPolicies.count == 1)
    }

    @Test func anOutOfRangeValueCreatesNothing() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "New-MobileDeviceMailboxPolicy", ["Name": .string("P"), "MaxPasswordFailedAttempts": .int(20)])
        #expect(r.errors.count == 1)
        #expect(session.tenant.mobileDeviceMailboxPolicies.count == 1)
    }

    @Test func setChangesOneSettingAndNothingWhenAlreadySo() throws {
        let (session, _) = try makeShell()
        _ = Probe.run(session, "New-MobileDeviceMailboxPolicy", Self.paperArguments)
        let r = Probe.run(session, "Set-MobileDeviceMailboxPolicy", ["Identity": .string("Strong_Password_and_Encryption"), "AttachmentsEnabled": .bool(false)])
        #expect(r.errors.isEmpty && r.output.isEmpty)
        #expect(session.tenant.mobileDeviceMailboxPolicies.first { $0.name == "Strong_Password_and_Encryption" }?.attachmentsEnabled == false)
        let again = Probe.run(session, "Set-MobileDeviceMailboxPolicy", ["Identity": .string("Strong_Password_and_Encryption"), "AttachmentsEnabled": .bool(false)])
        #expect(again.warnings == ["The command completed successfully but no settings of 'Strong_Password_and_Encryption' have been modified."])
    }

    @Test func theDefaultCannotStopBeingDefaultOnItsOwn() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = Probe.run(session, "Set-MobileDeviceMailboxPolicy", ["Identity": .string("Default"), "IsDefault": .bool(false)])
        #expect(r.errors.count == 1)
        #expect(session.tenant == before)
    }

    @Test func theDefaultPolicyCannotBeRemoved() throws {
        let (session, _) = try makeShell()
        let before = session.tenant
        let r = Probe.run(session, "Remove-MobileDeviceMailboxPolicy", ["Identity": .string("Default")])
        #expect(r.errors.count == 1)
        #expect(session.tenant == before)
    }

    @Test func aPolicyInUseIsRemovedOnlyWithForce() throws {
        let (session, _) = try makeShell()
        _ = Probe.run(session, "New-MobileDeviceMailboxPolicy", ["Name": .string("Sales")])
        _ = Probe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "ActiveSyncMailboxPolicy": .string("Sales")])
        let refused = Probe.run(session, "Remove-MobileDeviceMailboxPolicy", ["Identity": .string("Sales")])
        #expect(refused.errors.map(\.message) == ["Couldn't delete mailbox policy Sales because it is associated with users."])
        #expect(session.tenant.mobileDeviceMailboxPolicies.count == 2)
        let forced = Probe.run(session, "Remove-MobileDeviceMailboxPolicy", ["Identity": .string("Sales"), "Force": .bool(true)])
        #expect(forced.errors.isEmpty)
        #expect(session.tenant.mobileDeviceMailboxPolicies.map(\.name) == ["Default"])
        #expect(session.tenant.mailboxes.first { $0.name == "britton" }?.cas.activeSyncMailboxPolicy == nil)
    }

    @Test func everyMailboxCanBeGivenThePolicy() throws {
        let (session, _) = try makeShell()
        _ = Probe.run(session, "New-MobileDeviceMailboxPolicy", Self.paperArguments)
        let all = Probe.run(session, "Get-Mailbox", ["ResultSize": .string("Unlimited")]).output
        let r = Probe.run(session, "Set-CASMailbox", ["ActiveSyncMailBoxPolicy": .string("Strong_Password_and_Encryption")], piped: all)
        #expect(r.errors.isEmpty)
        #expect(session.tenant.mailboxes.allSatisfy { $0.cas.activeSyncMailboxPolicy == "Strong_Password_and_Encryption" })
    }

    @Test func getByNameAndAll() throws {
        let (session, _) = try makeShell()
        #expect(names(Probe.run(session, "Get-MobileDeviceMailboxPolicy").output) == ["Default"])
        #expect(names(Probe.run(session, "Get-MobileDeviceMailboxPolicy", ["Identity": .string("default")]).output) == ["Default"])
        #expect(Probe.run(session, "Get-MobileDeviceMailboxPolicy", ["Identity": .string("x")]).errors.count == 1)
    }
}

struct OwaMailboxPolicyTests {
    @Test func newWithTheIsDefaultSwitchTakesTheDefault() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "New-OWAMailboxPolicy", ["IsDefault": .bool(true), "Name": .string("Disable_Offline_And_Rules")])
        #expect(r.errors.isEmpty)
        #expect(names(r.output) == ["Disable_Offline_And_Rules"])
        #expect(session.tenant.defaultOwaMailboxPolicy.name == "Disable_Offline_And_Rules")
        #expect(session.tenant.owaMailboxPolicies.filter(\.isDefault).count == 1)
    }

    @Test func allowOfflineIsAnUnambiguousPrefixOfAllowOfflineOn() throws {
        let (session, _) = try makeShell()
        let prefixed = OwaPolicyCmdlets.setPolicy.parameters.filter { $0.name.lowercased().hasPrefix("allowoffline") }
        #expect(prefixed.map(\.name) == ["AllowOfflineOn"])
        _ = Probe.run(session, "New-OwaMailboxPolicy", ["Name": .string("Disable_Offline_And_Rules")])
        let r = Probe.run(session, "Set-OWAMailboxPolicy", ["Identity": .string("Disable_Offline_And_Rules"), "AllowOffline": .string("NoComputers"), "RulesEnabled": .bool(false)])
        #expect(r.errors.isEmpty)
        let policy = session.tenant.owaMailboxPolicies.first { $0.name == "Disable_Offline_And_Rules" }!
        #expect(policy.allowOfflineOn == .NoComputers)
        #expect(policy.rulesEnabled == false)
    }

    @Test func newAndSetNeedAHydratedTenantAndRemoveDoesNot() {
        #expect(OwaPolicyCmdlets.newPolicy.requiresHydration)
        #expect(OwaPolicyCmdlets.setPolicy.requiresHydration)
        #expect(!OwaPolicyCmdlets.removePolicy.requiresHydration)
        #expect(OwaPolicyCmdlets.newPolicy.parameter("IsDefault")?.isSwitch == true)
        #expect(MobilePolicyCmdlets.newPolicy.parameter("IsDefault")?.isSwitch == false)
    }

    @Test func duplicateNameAndRemoval() throws {
        let (session, _) = try makeShell()
        _ = Probe.run(session, "New-OwaMailboxPolicy", ["Name": .string("Kiosk")])
        let dup = Probe.run(session, "New-OwaMailboxPolicy", ["Name": .string("KIOSK")])
        #expect(dup.errors.first?.message.contains("CN=KIOSK,CN=OWA Mailbox Policies,") == true)
        _ = Probe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "OwaMailboxPolicy": .string("kiosk")])
        #expect(Probe.run(session, "Remove-OwaMailboxPolicy", ["Identity": .string("Kiosk")]).errors.count == 1)
        _ = Probe.run(session, "Set-CASMailbox", ["Identity": .string("britton"), "OwaMailboxPolicy": .null])
        let removed = Probe.run(session, "Remove-OwaMailboxPolicy", ["Identity": .string("Kiosk")])
        #expect(removed.errors.isEmpty)
        #expect(session.tenant.owaMailboxPolicies.map(\.name) == ["OwaMailboxPolicy-Default"])
        #expect(Probe.run(session, "Remove-OwaMailboxPolicy", ["Identity": .string("OwaMailboxPolicy-Default")]).errors.count == 1)
    }
}

struct DeviceAccessRuleTests {
    @Test func theRuleIsNamedAfterItsQueryAndCharacteristic() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "New-ActiveSyncDeviceAccessRule", ["AccessLevel": .string("Block"), "Characteristic": .string("DeviceType"), "QueryString": .string("Android")])
        #expect(r.errors.isEmpty)
        #expect(names(r.output) == ["Android (DeviceType)"])
        guard case .object(let o)? = r.output.first else { return }
        #expect(o.typeNames.first == TypeNames.deviceAccessRule)
        #expect(o.property("AccessLevel")?.text == "Block")
        #expect(names(Probe.run(session, "Get-ActiveSyncDeviceAccessRule").output) == ["Android (DeviceType)"])
    }

    @Test func aSecondRuleForTheSameValueIsRefused() throws {
        let (session, _) = try makeShell()
        _ = Probe.run(session, "New-ActiveSyncDeviceAccessRule", ["AccessLevel": .string("Block"), "Characteristic": .string("DeviceType"), "QueryString": .string("Android")])
        let r = Probe.run(session, "New-ActiveSyncDeviceAccessRule", ["AccessLevel": .string("Allow"), "Characteristic": .string("DeviceType"), "QueryString": .string("Android")])
        #expect(r.errors.first?.message.contains("The object 'CN=Android (DeviceType),CN=Mobile Mailbox Settings,") == true)
        #expect(session.tenant.deviceAccessRules.count == 1)
    }

    @Test func setChangesTheAccessLevelAndRemoveTakesPipedRules() throws {
        let (session, _) = try makeShell()
        _ = Probe.run(session, "New-ActiveSyncDeviceAccessRule", ["AccessLevel": .string("Block"), "Characteristic": .string("DeviceType"), "QueryString": .string("Android")])
        _ = Probe.run(session, "Set-ActiveSyncDeviceAccessRule", ["Identity": .string("Android (DeviceType)"), "AccessLevel": .string("Quarantine")])
        #expect(session.tenant.deviceAccessRules.first?.accessLevel == .Quarantine)
        let rules = Probe.run(session, "Get-ActiveSyncDeviceAccessRule").output
        let r = Probe.run(session, "Remove-ActiveSyncDeviceAccessRule", piped: rules)
        #expect(r.errors.isEmpty)
        #expect(session.tenant.deviceAccessRules.isEmpty)
    }

    @Test func newWithWhatIfCreatesNothing() throws {
        let (session, _) = try makeShell()
        let r = Probe.run(session, "New-ActiveSyncDeviceAccessRule", ["AccessLevel": .string("Block"), "Characteristic": .string("DeviceOS"), "QueryString": .string("Android 9.0.0")], whatIf: true)
        #expect(r.output.isEmpty)
        #expect(session.tenant.deviceAccessRules.isEmpty)
    }
}

struct ActiveSyncOrganizationSettingsTests {
    @Test func getAndSetTheDefaultAccessLevel() throws {
        let (session, _) = try makeShell()
        #expect(names(Probe.run(session, "Get-ActiveSyncOrganizationSettings").output) == ["Mobile Mailbox Settings"])
        let r = Probe.run(session, "Set-ActiveSyncOrganizationSettings", ["DefaultAccessLevel": .string("Quarantine"),
                                                                          "AdminMailRecipients": Probe.edit(add: "britton@brittest.onmicrosoft.com")])
        #expect(r.errors.isEmpty)
        #expect(session.tenant.activeSyncOrganizationSettings.defaultAccessLevel == .Quarantine)
        #expect(session.tenant.activeSyncOrganizationSettings.adminMailRecipients.map(\.address) == ["britton@brittest.onmicrosoft.com"])
        #expect(Probe.run(session, "Get-ActiveSyncOrganizationSettings", ["Identity": .string("Other")]).errors.count == 1)
    }
}

struct MailboxAndMobileRegistryTests {
    static let groups: [[CmdletDefinition]] = [
        MailboxCmdlets.definitions, CASMailboxCmdlets.definitions, MobileDeviceCmdlets.definitions,
        MobilePolicyCmdlets.definitions, OwaPolicyCmdlets.definitions, DeviceAccessRuleCmdlets.definitions,
        ActiveSyncOrganizationCmdlets.definitions,
    ]

    @Test func everyParameterHasAHelpLine() {
        for d in Self.groups.flatMap({ $0 }) {
            #expect(d.module == .exchange)
            for p in d.parameters {
                #expect(!p.help.isEmpty, "\(d.name) -\(p.name)")
                #expect(!p.help.contains("\n"), "\(d.name) -\(p.name)")
            }
        }
    }

    @Test func mutatingCmdletsSupportShouldProcessAndRemoveConfirms() {
        for d in Self.groups.flatMap({ $0 }) where d.verb != "Get" {
            #expect(d.supportsShouldProcess, "\(d.name)")
            #expect(d.confirmsByDefault == (d.verb == "Remove"), "\(d.name)")
        }
    }

    @Test func theRegistryHasThem() {
        for name in ["Get-Mailbox", "Set-CASMailbox", "new-owamailboxpolicy", "Remove-ActiveSyncDeviceAccessRule", "Set-ActiveSyncOrganizationSettings"] {
            #expect(CmdletRegistry.standard.resolve(name) != nil, "\(name)")
        }
    }
}

/// The white paper's mobile lines, run through the interpreter once it exists.
@Suite(.enabled(if: interpreterRuns))
struct MobilePaperTests {
    @Test func mobilePolicyLinesOfThePaper() throws {
        let (session, _) = try makeShell()
        let r = run(session, """
        New-MobileDeviceMailboxPolicy -Name “Strong_Password_and_Encryption” -IsDefault $True -AllowNonProvisionableDevices $False -PasswordEnabled $True -AllowSimplePassword $False -AlphanumericPasswordRequired $True -MinPasswordComplexCharacters 3 -MinPasswordLength 6 –MaxPasswordFailedAttempts 15 -MaxInactivityTimeLock 00:15 -PasswordExpiration 90
        Set-CASMailbox -ActiveSyncMailboxPolicy “Strong_Password_and_Encryption” -Identity britton@brittest.onmicrosoft.com
        Get-Mailbox -ResultSize Unlimited | Set-CASMailbox -ActiveSyncMailBoxPolicy “Strong_Password_and_Encryption”
        Set-MobileDeviceMailboxPolicy -Identity “Strong_Password_and_Encryption” -AttachmentsEnabled $False
        """)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        let policy = session.tenant.mobileDeviceMailboxPolicies.first { $0.name == "Strong_Password_and_Encryption" }
        #expect(policy?.isDefault == true)
        #expect(policy?.maxInactivityTimeLock == .limited(.minutes(15)))
        #expect(policy?.maxPasswordFailedAttempts == .limited(15))
        #expect(policy?.attachmentsEnabled == false)
        #expect(session.tenant.mobileDeviceMailboxPolicies.first { $0.name == "Default" }?.isDefault == false)
    }

    @Test func deviceRuleLinesOfThePaper() throws {
        let (session, _) = try makeShell()
        let r = run(session, """
        New-ActiveSyncDeviceAccessRule -AccessLevel Block -Characteristic DeviceType -QueryString Android
        Get-ActiveSyncDeviceAccessRule
        """)
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        #expect(names(r.output) == ["Android (DeviceType)", "Android (DeviceType)"])
        let removed = run(session, "Get-ActiveSyncDeviceAccessRule | Remove-ActiveSyncDeviceAccessRule -Confirm:$false")
        #expect(removed.errors.isEmpty)
        #expect(session.tenant.deviceAccessRules.isEmpty)
    }

    @Test func iosDevicesSortedBySyncDate() throws {
        let (session, _) = try makeShell()
        let r = run(session, "Get-MobileDevice | Where-Object {$_.DeviceOS.StartsWith(“iOS”)} | Sort-Object WhenCreated | Select-Object -First 10 | Select WhenCreated, UserDisplayName, FirstSyncTime, ClientType,DeviceAccessState, DeviceId, IsManaged, IsCompliant, DeviceOS, DeviceType, DeviceMode")
        #expect(r.errors.isEmpty, "\(r.errors.map(\.message))")
        #expect(r.output.count == 10)
    }
}
