import Foundation
import TenantModel

/// `New/Set/Get/Remove-MobileDeviceMailboxPolicy`. [OPS New-MobileDeviceMailboxPolicy.md,
/// Set-MobileDeviceMailboxPolicy.md, Remove-MobileDeviceMailboxPolicy.md; EXCHANGE-FACTS 2.5]
enum MobilePolicyCmdlets {
    static let definitions: [CmdletDefinition] = [getPolicy, newPolicy, setPolicy, removePolicy]

    static let identityParameter = ParameterDefinition(
        "Identity", .identity("MailboxPolicyIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
        help: "The mobile device mailbox policy: its name or GUID, or a policy from Get-MobileDeviceMailboxPolicy.")

    static let getPolicy = CmdletDefinition(
        "Get-MobileDeviceMailboxPolicy", module: .exchange,
        synopsis: "Gets mobile device mailbox policies.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxPolicyIdParameter"), position: 0, pipeline: .byValue,
                                help: "The policy's name or GUID. Omit for every policy."),
        ],
        body: { context, parameters, _ in family.getBody(context, parameters) })

    static let newPolicy = CmdletDefinition(
        "New-MobileDeviceMailboxPolicy", module: .exchange,
        synopsis: "Creates a mobile device mailbox policy (password, encryption and device settings for ActiveSync).",
        parameters: [
            ParameterDefinition("Name", .string, position: 0, mandatory: true,
                                help: "The name of the new policy (up to 64 characters, unique)."),
        ] + ExchangeSupport.settableParameters(MobileDeviceMailboxPolicy.schema, except: ["Name"], help: help),
        supportsShouldProcess: true,
        body: { context, parameters, _ in try family.newBody(context, parameters) })

    static let setPolicy = CmdletDefinition(
        "Set-MobileDeviceMailboxPolicy", module: .exchange,
        synopsis: "Changes a mobile device mailbox policy.",
        parameters: [identityParameter] + ExchangeSupport.settableParameters(MobileDeviceMailboxPolicy.schema, help: help),
        supportsShouldProcess: true,
        body: { context, parameters, _ in try family.setBody(context, parameters) })

    static let removePolicy = CmdletDefinition(
        "Remove-MobileDeviceMailboxPolicy", module: .exchange,
        synopsis: "Removes a mobile device mailbox policy that no mailbox uses.",
        parameters: [
            identityParameter,
            ParameterDefinition("Force", .switchParameter,
                                help: "Remove the policy even though mailboxes use it; they go back to the default policy."),
        ],
        supportsShouldProcess: true, confirmsByDefault: true,
        body: { context, parameters, _ in try family.removeBody(context, parameters) })

    static let curatedHelp: [String: String] = [
        "Name": "A new name for the policy (up to 64 characters, unique).",
        "IsDefault": "Make this the default policy for mailboxes without one; the old default stops being default.",
        "AllowNonProvisionableDevices": "Let devices that can't enforce every setting of the policy sync.",
        "AlphanumericPasswordRequired": "The device password must contain letters and numbers.",
        "AttachmentsEnabled": "Let devices download attachments.",
        "DeviceEncryptionEnabled": "Require encryption of the device's storage card (same setting as RequireStorageCardEncryption).",
        "RequireStorageCardEncryption": "Require encryption of the device's storage card.",
        "PasswordEnabled": "Require a device password.",
        "PasswordRecoveryEnabled": "Store the device's recovery password in Exchange.",
        "DevicePolicyRefreshInterval": "How often the policy is sent to the device (dd.hh:mm:ss or Unlimited).",
        "AllowSimplePassword": "Allow simple passwords such as 1234.",
        "MaxAttachmentSize": "Largest attachment a device may download (up to 2097151 KB, or Unlimited).",
        "WSSAccessEnabled": "Let devices open SharePoint links.",
        "UNCAccessEnabled": "Let devices open file share (UNC) links.",
        "MinPasswordLength": "Shortest device password: 1 to 16, or $null for none.",
        "MaxInactivityTimeLock": "Idle time before the device locks: 00:01:00 to 01:00:00, or Unlimited.",
        "MaxPasswordFailedAttempts": "Wrong passwords before the device is wiped: 4 to 16, or Unlimited.",
        "PasswordExpiration": "How long a device password lasts: 1 to 730 days (dd.hh:mm:ss), or Unlimited.",
        "PasswordHistory": "How many previous passwords can't be reused: 0 to 50.",
        "MinPasswordComplexCharacters": "Character sets (upper, lower, digits, symbols) the password must contain: 1 to 4.",
        "MaxCalendarAgeFilter": "How far back calendar items sync: All, TwoWeeks, OneMonth, ThreeMonths or SixMonths.",
        "MaxEmailAgeFilter": "How far back email syncs: All, OneDay, ThreeDays, OneWeek, TwoWeeks or OneMonth.",
        "MaxEmailBodyTruncationSize": "Size in KB at which plain-text bodies are truncated, or Unlimited.",
        "MaxEmailHTMLBodyTruncationSize": "Size in KB at which HTML bodies are truncated, or Unlimited.",
        "AllowBluetooth": "Bluetooth on the device: Allow, Disable or HandsfreeOnly.",
        "RequireSignedSMIMEAlgorithm": "Algorithm for signing S/MIME messages: SHA1 or MD5.",
        "RequireEncryptionSMIMEAlgorithm": "Algorithm for encrypting S/MIME messages: DES, TripleDES, RC240bit, RC264bit or RC2128bit.",
        "AllowSMIMEEncryptionAlgorithmNegotiation": "Whether the device may negotiate the S/MIME algorithm.",
        "UnapprovedInROMApplicationList": "In-ROM applications that may not run.",
        "ApprovedApplicationList": "Applications the device may run.",
        "AllowExternalDeviceManagement": "Let an external MDM program manage the device.",
        "AllowApplePushNotifications": "Allow push notifications to Apple devices.",
        "AllowGooglePushNotifications": "Allow push notifications from Google for OWA for Devices.",
        "AllowMicrosoftPushNotifications": "Allow push notifications on the device.",
        "IrmEnabled": "Allow Information Rights Management on the device.",
        "RequireDeviceEncryption": "Require device encryption.",
        "RequireManualSyncWhenRoaming": "Sync only manually while roaming.",
        "RequireSignedSMIMEMessages": "Require signed S/MIME messages.",
        "RequireEncryptedSMIMEMessages": "Require encrypted S/MIME messages.",
    ]

    static let help = MailboxPolicySupport.help(MobileDeviceMailboxPolicy.schema,
                                                defaults: MobileDeviceMailboxPolicy(name: "", guid: UUID(), created: Date(timeIntervalSince1970: 0)),
                                                curated: curatedHelp, noun: "the device")

    static func view(_ policy: MobileDeviceMailboxPolicy) -> PSValue {
        .object(PSObject.view(policy, typeName: TypeNames.mobileDeviceMailboxPolicy, ref: .mobilePolicy(policy.guid)))
    }

    static func index(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        try ExchangeSupport.namedIndex(identity, in: context.tenant.mobileDeviceMailboxPolicies, name: { $0.name }, guid: { $0.guid },
                                       ref: { if case .mobilePolicy(let g) = $0 { g } else { nil } }, context)
    }

    static let container = "Mobile Mailbox Policies"

    static let family = MailboxPolicyFamily<MobileDeviceMailboxPolicy>(
        list: \.mobileDeviceMailboxPolicies, link: \.activeSyncMailboxPolicy, container: container,
        makeDefault: { $0.makeDefaultMobileDeviceMailboxPolicy(named: $1) }, view: view, index: index, newNormalizesEdits: true)
}

/// What the mobile device and OWA mailbox policy cmdlets share: help derived from the
/// policy's defaults, the mailbox links, and the refusals of Remove-*/Set-*.
enum MailboxPolicySupport {
    /// The GUID a new policy carries while it is validated; the commit gives it its own.
    static let placeholderGuid = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    /// One help line per settable property: the curated text, or one built from the name,
    /// each ending with the property's default on a new policy.
    static func help<T>(_ schema: ObjectSchema<T>, defaults: T, curated: [String: String], noun: String) -> [String: String] {
        var out: [String: String] = [:]
        for p in schema.properties where !p.isReadOnly {
            let value = p.get(defaults)
            let defaultText: String
            switch value {
            case .bool(let b): defaultText = b ? "$true" : "$false"
            case .null: defaultText = "blank"
            case .list(let items): defaultText = items.isEmpty ? "empty" : "Microsoft's list"
            case .string(let s) where s.isEmpty: defaultText = "blank"
            default: defaultText = value.displayText
            }
            var text = curated[p.name] ?? {
                if p.valueType == .bool, p.name.hasSuffix("Enabled") {
                    return "Turns \(words(String(p.name.dropLast(7)))) on or off for \(noun)."
                }
                if p.valueType == .bool, p.name.hasPrefix("Allow") {
                    return "Allow \(words(String(p.name.dropFirst(5)))) on \(noun)."
                }
                return "Sets \(words(p.name))."
            }()
            if p.name != "Name" { text += " Default: \(defaultText)." }
            out[p.name] = text
        }
        return out
    }

    /// `ActiveSyncIntegration` → `ActiveSync integration`: words split at case changes,
    /// acronyms and product names kept.
    static func words(_ name: String) -> String {
        var parts: [String] = []
        var current = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            let next = i + 1 < chars.count ? chars[i + 1] : nil
            let prev = i > 0 ? chars[i - 1] : nil
            if c.isUppercase, let prev, !current.isEmpty,
               prev.isLowercase || prev.isNumber || (next?.isLowercase ?? false) {
                parts.append(current)
                current = ""
            }
            current.append(c)
        }
        if !current.isEmpty { parts.append(current) }
        return parts.enumerated().map { i, w in
            i == 0 || w.count > 1 && w.allSatisfy(\.isUppercase) ? w : w.lowercased()
        }.joined(separator: " ")
    }

    static func isAssigned(_ policy: String, in tenant: Tenant, _ link: KeyPath<CASMailbox, String?>) -> Bool {
        let key = policy.lowercased()
        return tenant.mailboxes.contains { $0.cas[keyPath: link]?.lowercased() == key }
    }

    /// Points every mailbox linked to policy `from` at `to` (nil: back to the default).
    static func relink(_ tenant: inout Tenant, from: String, to: String?, _ link: WritableKeyPath<CASMailbox, String?>) {
        let key = from.lowercased()
        for i in tenant.mailboxes.indices where tenant.mailboxes[i].cas[keyPath: link]?.lowercased() == key {
            tenant.updateMailbox(at: i) { $0.cas[keyPath: link] = to }
        }
    }

    /// A policy that mailboxes use can't be removed (without -Force). [wording: issue
    /// OfficeDocs-Exchange#201 for OWA policies; the same text for mobile policies is INFERRED]
    static func policyInUse(_ name: String, cmdlet: String) -> ShellError {
        ShellError.exchange("Couldn't delete mailbox policy \(name) because it is associated with users.",
                            exception: "InvalidOperationException", cmdlet: cmdlet, target: name)
    }

    /// The default policy can't be removed. [INVENTED wording; the refusal itself: chrisda in
    /// office-docs-powershell#5678, "you can't delete the default policy"]
    static func cannotRemoveDefault(_ name: String, cmdlet: String) -> ShellError {
        ShellError.exchange("The policy \"\(name)\" is the default policy and can't be removed. Make another policy the default first.",
                            exception: "InvalidOperationException", cmdlet: cmdlet, target: name)
    }

    /// A default policy stops being default only when another one becomes default. [INVENTED wording]
    static func cannotClearDefault(_ name: String, cmdlet: String) -> ShellError {
        ShellError.exchange("The policy \"\(name)\" is the default policy. To change the default policy, make another policy the default.",
                            exception: "InvalidOperationException", cmdlet: cmdlet, target: name)
    }
}

// MARK: - The shared New/Set/Remove of mailbox policies

/// A mailbox policy object (mobile device or OWA): named, with one default per tenant.
protocol MailboxPolicyObject: SchemaObject, Equatable {
    var name: String { get set }
    var guid: UUID { get set }
    var isDefault: Bool { get set }
    var whenChanged: Date { get set }
    init(name: String, guid: UUID, created: Date)
}

extension MobileDeviceMailboxPolicy: MailboxPolicyObject {}
extension OwaMailboxPolicy: MailboxPolicyObject {}

/// Where one kind of mailbox policy lives in the tenant and how mailboxes link to it: the
/// New/Set/Remove cmdlets of both policy kinds are the same code over this description.
struct MailboxPolicyFamily<Policy: MailboxPolicyObject>: Sendable {
    let list: WritableKeyPath<Tenant, [Policy]> & Sendable
    let link: WritableKeyPath<CASMailbox, String?> & Sendable
    /// The Active Directory container named in "already exists" errors.
    let container: String
    let makeDefault: @Sendable (inout Tenant, String) -> Void
    let view: @Sendable (Policy) -> PSValue
    let index: @Sendable (PSValue, CmdletContext) throws(ShellError) -> Int
    /// New-* takes every settable property (mobile) or only Name and the -IsDefault switch (OWA).
    let newNormalizesEdits: Bool

    func getBody(_ context: CmdletContext, _ parameters: BoundParameters) -> [PSValue] {
        let policies = context.tenant[keyPath: list]
        guard let identity = parameters.value("Identity"), !identity.isNull else { return policies.map(view) }
        do throws(ShellError) {
            return [view(policies[try index(identity, context)])]
        } catch {
            context.writeError(error)
            return []
        }
    }

    func newBody(_ context: CmdletContext, _ parameters: BoundParameters) throws -> [PSValue] {
        let cmdlet = context.definition.name
        let tenant = context.tenant
        var policy = Policy(name: parameters.string("Name") ?? "", guid: MailboxPolicySupport.placeholderGuid, created: tenant.now)
        let records: [AdminAction.ParameterRecord]
        do throws(ShellError) {
            let given = newNormalizesEdits
                ? try ExchangeSetSupport.normalizedEdits(parameters, schema: Policy.schema, cmdlet: cmdlet) : parameters
            records = try ExchangeSupport.apply(given, to: &policy, schema: Policy.schema, cmdlet: cmdlet)
            if tenant[keyPath: list].contains(where: { $0.name.lowercased() == policy.name.lowercased() }) {
                throw ExchangeSetSupport.alreadyExists(name: policy.name, container: container, tenant: tenant, cmdlet: cmdlet)
            }
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: policy.name) else { return [] }
        let created = context.session.commit(cmdlet, objectId: policy.name, parameters: records) { tenant in
            var new = policy
            new.guid = tenant.ids.newGuid()
            tenant[keyPath: list].append(new)
            // Only one policy is the default: -IsDefault takes the flag from the old one.
            if new.isDefault { makeDefault(&tenant, new.name) }
            return new
        }
        return [view(created)]
    }

    func setBody(_ context: CmdletContext, _ parameters: BoundParameters) throws -> [PSValue] {
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") else { return [] }
        let tenant = context.tenant
        let original: Policy
        var policy: Policy
        let records: [AdminAction.ParameterRecord]
        do throws(ShellError) {
            original = tenant[keyPath: list][try index(identity, context)]
            policy = original
            let normalized = try ExchangeSetSupport.normalizedEdits(parameters, schema: Policy.schema, cmdlet: cmdlet)
            records = try ExchangeSupport.apply(normalized, to: &policy, schema: Policy.schema, cmdlet: cmdlet)
            if original.isDefault, !policy.isDefault {
                throw MailboxPolicySupport.cannotClearDefault(original.name, cmdlet: cmdlet)
            }
            if policy.name.lowercased() != original.name.lowercased(),
               tenant[keyPath: list].contains(where: { $0.name.lowercased() == policy.name.lowercased() }) {
                throw ExchangeSetSupport.alreadyExists(name: policy.name, container: container, tenant: tenant, cmdlet: cmdlet)
            }
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: original.name) else { return [] }
        guard policy != original else {
            ExchangeSetSupport.warnUnchanged(original.name, context)
            return []
        }
        policy.whenChanged = tenant.now
        let updated = policy
        context.session.commit(cmdlet, objectId: original.name, parameters: records) { tenant in
            guard let i = tenant[keyPath: list].firstIndex(where: { $0.guid == updated.guid }) else { return }
            tenant[keyPath: list][i] = updated
            if updated.isDefault, !original.isDefault { makeDefault(&tenant, updated.name) }
            // Mailboxes link to the policy by name here, so a rename carries the links along.
            if updated.name != original.name {
                MailboxPolicySupport.relink(&tenant, from: original.name, to: updated.name, link)
            }
        }
        return []
    }

    func removeBody(_ context: CmdletContext, _ parameters: BoundParameters) throws -> [PSValue] {
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") else { return [] }
        let tenant = context.tenant
        let policy: Policy
        do throws(ShellError) {
            policy = tenant[keyPath: list][try index(identity, context)]
            if policy.isDefault { throw MailboxPolicySupport.cannotRemoveDefault(policy.name, cmdlet: cmdlet) }
            if !parameters.isOn("Force"), MailboxPolicySupport.isAssigned(policy.name, in: tenant, link) {
                throw MailboxPolicySupport.policyInUse(policy.name, cmdlet: cmdlet)
            }
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: policy.name) else { return [] }
        context.session.commit(cmdlet, objectId: policy.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
            tenant[keyPath: list].removeAll { $0.guid == policy.guid }
            MailboxPolicySupport.relink(&tenant, from: policy.name, to: nil, link)
        }
        return []
    }
}
