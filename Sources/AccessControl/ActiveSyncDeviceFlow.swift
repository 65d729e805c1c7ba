import Foundation
import TenantModel

/// The organization's ActiveSync device access rules, compiled once per tenant version:
/// one table per characteristic, keyed by the case-folded QueryString, so a device is
/// checked with at most four dictionary lookups and no string parsing.
///
/// Exchange compares a rule's QueryString with the device's value as a whole string,
/// ignoring case (`OrdinalIgnoreCase`), and within one characteristic the first rule (in the
/// order the rules were read) that matches decides. [EXSRC AirSync OrganizationSettingsData.
/// EvaluateDevice, id 32611568511 — settles EXCHANGE-FACTS 2.2's UNCONFIRMED case question]
public struct DeviceRuleIndex: Hashable, Sendable {
    public struct Rule: Hashable, Sendable {
        public var name: String
        public var characteristic: DeviceAccessCharacteristic
        public var queryString: String
        public var accessLevel: DeviceAccessLevel
    }

    private var userAgent: [String: Rule] = [:]
    private var deviceOS: [String: Rule] = [:]
    private var deviceModel: [String: Rule] = [:]
    private var deviceType: [String: Rule] = [:]
    /// Rules of any characteristic, XMSWLHeader included: their mere existence turns on the
    /// device-discovery check. [EXSRC OrganizationSettingsData.IsRulesListEmpty]
    public private(set) var ruleCount = 0

    public init(_ rules: [ActiveSyncDeviceAccessRule]) {
        for r in rules {
            ruleCount += 1
            let rule = Rule(name: r.name, characteristic: r.characteristic, queryString: r.queryString, accessLevel: r.accessLevel)
            let key = DeviceRuleIndex.fold(r.queryString)
            switch r.characteristic {
            // The first rule read for a value keeps it, as Exchange's list scan does.
            case .UserAgent: if userAgent[key] == nil { userAgent[key] = rule }
            case .DeviceOS: if deviceOS[key] == nil { deviceOS[key] = rule }
            case .DeviceModel: if deviceModel[key] == nil { deviceModel[key] = rule }
            case .DeviceType: if deviceType[key] == nil { deviceType[key] = rule }
            // Not consulted when deciding a device's access. [EXCHANGE-FACTS 2.2 step 7]
            case .XMSWLHeader: break
            }
        }
    }

    public var isEmpty: Bool { ruleCount == 0 }

    /// The rule of `characteristic` whose QueryString equals `value` ignoring case.
    public func rule(_ characteristic: DeviceAccessCharacteristic, matching value: String?) -> Rule? {
        guard let value, !value.isEmpty else { return nil }
        let table: [String: Rule]
        switch characteristic {
        case .UserAgent: table = userAgent
        case .DeviceOS: table = deviceOS
        case .DeviceModel: table = deviceModel
        case .DeviceType: table = deviceType
        case .XMSWLHeader: return nil
        }
        guard !table.isEmpty else { return nil }
        return table[DeviceRuleIndex.fold(value)]
    }

    /// Case folding for the comparison (upper case, as .NET's OrdinalIgnoreCase compares);
    /// ASCII text, nearly every device string, takes a byte loop instead of Unicode mapping.
    static func fold(_ s: String) -> String {
        var hasLower = false
        for b in s.utf8 {
            if b >= 0x80 { return s.uppercased() }
            if b >= 0x61 && b <= 0x7A { hasLower = true }
        }
        guard hasLower else { return s }
        return String(decoding: s.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }, as: UTF8.self)
    }
}

/// The Exchange ActiveSync device access decision for one request, exactly in Exchange's
/// order, and the device partnership it leaves behind (what Get-MobileDevice shows).
/// [EXCHANGE-FACTS 2.2; EXSRC AirSync Command.DetermineDeviceAccessState, id 32354976703]
///
/// Order, first hit wins: the mailbox's ActiveSyncBlockedDeviceIDs → its
/// ActiveSyncAllowedDeviceIDs → (device rules exist, the device hasn't sent its device
/// information, the partnership is younger than the discovery period) DeviceDiscovery →
/// device rules by characteristic UserAgent → DeviceOS → DeviceModel → DeviceType → the
/// organization's DefaultAccessLevel → (for an allowed device) the mobile device mailbox
/// policy's AllowNonProvisionableDevices.
public enum ActiveSyncDeviceFlow {
    /// `GlobalSettings.DeviceDiscoveryPeriod`: 14 minutes after the partnership is created.
    /// [EXSRC AirSync GlobalSettingsSchema, id 32360520039; Command.cs adds it as minutes]
    public static let deviceDiscoveryPeriod: TimeInterval = 14 * 60

    /// EAS status codes Exchange answers with. [EXCHANGE-FACTS 2.2; EXSRC StatusCode]
    public enum StatusCode {
        /// Blocked by a list, a rule or the organization default (HTTP 403).
        public static let deviceIsBlockedForThisUser = 129
        /// The device sent no policy key while its policy requires one and
        /// AllowNonProvisionableDevices is False (HTTP 403). [EXSRC Command.IsPolicyCompliant]
        public static let legacyDeviceOnStrictPolicy = 141
    }

    /// The decision the pipeline calls: `policy` carries the compiled device rules.
    public static func evaluate(_ attempt: AccessAttempt, user: User, mailbox: Mailbox, tenant: Tenant, policy: CompiledPolicy,
                                now: Date) -> (decision: AccessDecision?, report: StageReport, changes: [TenantChange]) {
        evaluate(attempt, user: user, mailbox: mailbox, tenant: tenant, deviceRules: policy.deviceRules, now: now)
    }

    /// The same decision with the device rules given directly.
    public static func evaluate(_ attempt: AccessAttempt, user: User, mailbox: Mailbox, tenant: Tenant, deviceRules: DeviceRuleIndex,
                                now: Date) -> (decision: AccessDecision?, report: StageReport, changes: [TenantChange]) {
        guard let device = attempt.device, !device.id.isEmpty, !device.type.isEmpty else {
            // Exchange refuses a request without DeviceId and DeviceType before any access check.
            // [EXSRC Command: "DeviceIdAndDeviceTypeMustBePresent"]
            let report = StageReport(.deviceAccess, .decided, "The request names no DeviceId and DeviceType; Exchange refuses it before any device access check.")
            return (AccessDecision(outcome: .Denied, reason: "InvalidRequest", by: "DeviceId", code: nil, trace: [report]), report, [])
        }
        let existing = partnership(of: device.id, in: mailbox, tenant: tenant)
        let outcome = decide(device: device, attemptUserAgent: attempt.userAgent, mailbox: mailbox, existing: existing,
                             tenant: tenant, deviceRules: deviceRules, now: now)
        let partnership = partnership(after: outcome, device: device, attemptUserAgent: attempt.userAgent, mailbox: mailbox,
                                      existing: existing, tenant: tenant, now: now)
        let decision: AccessDecision?
        switch outcome.state {
        case .Allowed, .Unknown:
            decision = nil
        case .Blocked:
            decision = AccessDecision(outcome: .Denied, reason: outcome.reason.rawValue, by: outcome.by, code: outcome.code, trace: [])
        case .Quarantined:
            decision = AccessDecision(outcome: .Quarantined, reason: outcome.reason.rawValue, by: outcome.by, code: nil, trace: [])
        case .DeviceDiscovery:
            // SPEC §5 names the discovery state as the reason; Get-MobileDevice shows the
            // partnership as DeviceDiscovery with its real reason (DeviceRule or Global).
            decision = AccessDecision(outcome: .Quarantined, reason: "DeviceDiscovery", by: outcome.by, code: nil, trace: [])
        }
        let report = StageReport(.deviceAccess, decision == nil ? .passed : .decided, outcome.explanation)
        return (decision.map { var d = $0; d.trace = [report]; return d }, report, [.devicePartnership(partnership)])
    }

    // MARK: The decision

    struct Outcome {
        var state: DeviceAccessState
        var reason: DeviceAccessStateReason
        var rule: String?
        var by: String?
        var code: Int?
        /// Whether the mobile policy check ran (it sets DevicePolicyApplied).
        var policyApplied: String?
        var explanation: String
    }

    static func decide(device: DeviceInfo, attemptUserAgent: String?, mailbox: Mailbox, existing: MobileDevice?, tenant: Tenant,
                       deviceRules: DeviceRuleIndex, now: Date) -> Outcome {
        let id = device.id
        // 1. The mailbox's blocked list beats everything, the allowed list included.
        if mailbox.cas.activeSyncBlockedDeviceIDs.contains(where: { sameDeviceId($0, id) }) {
            return Outcome(state: .Blocked, reason: .Individual, rule: nil, by: "ActiveSyncBlockedDeviceIDs",
                           code: StatusCode.deviceIsBlockedForThisUser,
                           explanation: "DeviceId \(id) is in the mailbox's ActiveSyncBlockedDeviceIDs: Blocked (Individual), EAS status 129 DeviceIsBlockedForThisUser. The blocked list is checked first, before the allowed list and every rule.")
        }
        // (Autoblock thresholds and forest-wide datacenter rules come here in Exchange; the
        // tenant cannot configure either in Exchange Online.)
        // 2. The allowed list beats device rules and the organization default.
        if mailbox.cas.activeSyncAllowedDeviceIDs.contains(where: { sameDeviceId($0, id) }) {
            return policyCheck(Outcome(state: .Allowed, reason: .Individual, rule: nil, by: "ActiveSyncAllowedDeviceIDs", code: nil,
                                       explanation: "DeviceId \(id) is in the mailbox's ActiveSyncAllowedDeviceIDs: Allowed (Individual); device rules and the organization default are not consulted."),
                               device: device, mailbox: mailbox, tenant: tenant)
        }
        let info = deviceInformation(device, attemptUserAgent: attemptUserAgent, existing: existing)
        let created = existing?.firstSyncTime ?? existing?.whenCreated ?? now
        let inDiscovery = !info.received && now <= created.addingTimeInterval(deviceDiscoveryPeriod)
        let settings = tenant.activeSyncOrganizationSettings
        // 3. Device rules need the device information (Settings command); a partnership that
        //    hasn't sent it within the discovery period waits in DeviceDiscovery. The upgrade
        //    grace period (Allowed/Upgrade) only exists for sync states carried over from an
        //    older Exchange version, which a cloud tenant never has.
        if !deviceRules.isEmpty && inDiscovery {
            return Outcome(state: .DeviceDiscovery, reason: .DeviceRule, rule: nil, by: settings.name, code: nil,
                           explanation: "The organization has device access rules and the device hasn't sent its device information yet; within \(Int(deviceDiscoveryPeriod / 60)) minutes of the partnership's creation it is held in DeviceDiscovery (reason DeviceRule) until it does.")
        }
        // 4. Rules by characteristic, most specific first; the first characteristic with a
        //    matching rule decides, whatever the other rules say.
        if let (characteristic, value, rule) = matchingRule(deviceRules, userAgent: info.userAgent, os: info.os, model: info.model,
                                                            type: device.type) {
            let state = rule.accessLevel.resultingState
            let text = "The device's \(characteristic.rawValue) \"\(value)\" matches the rule \"\(rule.name)\" (\(rule.accessLevel.rawValue)): \(state.rawValue) (DeviceRule). Rules are checked by characteristic, UserAgent, DeviceOS, DeviceModel, DeviceType; the first characteristic with a matching rule decides."
            let outcome = Outcome(state: state, reason: .DeviceRule, rule: rule.name, by: rule.name,
                                  code: state == .Blocked ? StatusCode.deviceIsBlockedForThisUser : nil,
                                  explanation: state == .Blocked ? text + " EAS status 129 DeviceIsBlockedForThisUser." : text)
            return state == .Allowed ? policyCheck(outcome, device: device, mailbox: mailbox, tenant: tenant) : outcome
        }
        // 5. No rule: the organization's default access level.
        let level = settings.defaultAccessLevel
        let why = deviceRules.isEmpty ? "The organization has no device access rules" : "No device access rule matches the device"
        if level == .Quarantine && inDiscovery {
            return Outcome(state: .DeviceDiscovery, reason: .Global, rule: nil, by: settings.name, code: nil,
                           explanation: "\(why); DefaultAccessLevel is Quarantine and the device hasn't sent its device information within \(Int(deviceDiscoveryPeriod / 60)) minutes of the partnership's creation: DeviceDiscovery (Global).")
        }
        let state = level.resultingState
        var text = "\(why): \(settings.name) DefaultAccessLevel \(level.rawValue) decides, \(state.rawValue) (Global)."
        if state == .Blocked { text += " EAS status 129 DeviceIsBlockedForThisUser." }
        if state == .Quarantined { text += " A quarantined device connects but only receives the quarantine notice until an admin allows it." }
        let outcome = Outcome(state: state, reason: .Global, rule: nil, by: settings.name,
                              code: state == .Blocked ? StatusCode.deviceIsBlockedForThisUser : nil, explanation: text)
        return state == .Allowed ? policyCheck(outcome, device: device, mailbox: mailbox, tenant: tenant) : outcome
    }

    /// The first rule by characteristic order UserAgent → DeviceOS → DeviceModel → DeviceType.
    static func matchingRule(_ rules: DeviceRuleIndex, userAgent: String?, os: String?, model: String?, type: String)
        -> (DeviceAccessCharacteristic, String, DeviceRuleIndex.Rule)? {
        guard !rules.isEmpty else { return nil }
        if let v = userAgent, let r = rules.rule(.UserAgent, matching: v) { return (.UserAgent, v, r) }
        if let v = os, let r = rules.rule(.DeviceOS, matching: v) { return (.DeviceOS, v, r) }
        if let v = model, let r = rules.rule(.DeviceModel, matching: v) { return (.DeviceModel, v, r) }
        if let r = rules.rule(.DeviceType, matching: type) { return (.DeviceType, type, r) }
        return nil
    }

    /// What Get-MobileDevice shows for a partnership: Exchange re-runs the device rules and
    /// the organization default on the stored DeviceType, DeviceModel, DeviceUserAgent and
    /// DeviceOS whenever it lists a device, unless the device is in DeviceDiscovery or its
    /// reason is Individual, Upgrade, Policy or an autoblock. So a new rule or a changed
    /// DefaultAccessLevel shows at once, before the device syncs again.
    /// [EXSRC GetMobileDevice.WriteResult, id 11794451603; OPS Set-ActiveSyncOrganizationSettings]
    public static func displayedAccessState(of device: MobileDevice, deviceRules: DeviceRuleIndex,
                                            settings: ActiveSyncOrganizationSettings)
        -> (state: DeviceAccessState, reason: DeviceAccessStateReason, rule: String?) {
        let stored = (device.deviceAccessState, device.deviceAccessStateReason, device.deviceAccessControlRule)
        if device.deviceAccessState == .DeviceDiscovery { return stored }
        switch device.deviceAccessStateReason {
        case .Individual, .Upgrade, .Policy: return stored
        default: if device.deviceAccessStateReason.numericValue >= DeviceAccessStateReason.UserAgentsChanges.numericValue { return stored }
        }
        if let (_, _, rule) = matchingRule(deviceRules, userAgent: nonEmpty(device.deviceUserAgent), os: nonEmpty(device.deviceOS),
                                           model: nonEmpty(device.deviceModel), type: device.deviceType) {
            return (rule.accessLevel.resultingState, .DeviceRule, rule.name)
        }
        return (settings.defaultAccessLevel.resultingState, .Global, nil)
    }

    /// After the access state allows the request, the device must comply with its mobile
    /// device mailbox policy: one that cannot provision is refused under a policy with
    /// AllowNonProvisionableDevices False, and the partnership becomes Blocked / Policy.
    /// [EXCHANGE-FACTS 2.2 step 9; EXSRC Command.IsPolicyCompliant]
    static func policyCheck(_ allowed: Outcome, device: DeviceInfo, mailbox: Mailbox, tenant: Tenant) -> Outcome {
        let policy = effectiveMobilePolicy(of: mailbox, in: tenant)
        var outcome = allowed
        outcome.policyApplied = policy.name
        if !device.provisionable && !policy.allowNonProvisionableDevices {
            outcome.state = .Blocked
            outcome.reason = .Policy
            outcome.rule = nil
            outcome.by = policy.name
            outcome.code = StatusCode.legacyDeviceOnStrictPolicy
            outcome.explanation = allowed.explanation + " Then the mobile device mailbox policy \"\(policy.name)\" has AllowNonProvisionableDevices False and the device cannot provision: Blocked (Policy), EAS status 141 LegacyDeviceOnStrictPolicy."
        } else {
            outcome.explanation += device.provisionable
                ? " The device provisions the mobile device mailbox policy \"\(policy.name)\"."
                : " The device cannot provision, but the mobile device mailbox policy \"\(policy.name)\" allows non-provisionable devices."
        }
        return outcome
    }

    /// The mailbox's ActiveSyncMailboxPolicy, or the organization's default policy.
    public static func effectiveMobilePolicy(of mailbox: Mailbox, in tenant: Tenant) -> MobileDeviceMailboxPolicy {
        if let name = mailbox.cas.activeSyncMailboxPolicy,
           let p = tenant.mobileDeviceMailboxPolicies.first(where: { $0.name.lowercased() == name.lowercased() }) {
            return p
        }
        return tenant.defaultMobileDeviceMailboxPolicy
    }

    /// Device IDs in the mailbox lists compare ignoring case (UNCONFIRMED: Exchange's
    /// MultiValuedProperty comparison for these lists is not settled by a source).
    static func sameDeviceId(_ a: String, _ b: String) -> Bool {
        a.count == b.count && a.caseInsensitiveCompare(b) == .orderedSame
    }

    struct DeviceInformation {
        /// Whether the device has sent its Settings/DeviceInformation (model, OS).
        var received: Bool
        var model: String
        var os: String?
        var userAgent: String?
    }

    /// What the server knows of the device. A model or OS in the attempt means the device
    /// sent its device information; a partnership that once recorded them keeps them. A
    /// device without a model is matched as its type. [EXSRC Command.IsDeviceAccessAllowed,
    /// CompleteDeviceAccessProcessing]
    static func deviceInformation(_ device: DeviceInfo, attemptUserAgent: String?, existing: MobileDevice?) -> DeviceInformation {
        let stored = existing.flatMap { e -> (String, String?)? in
            let hasOS = !e.deviceOS.isEmpty
            let hasModel = e.deviceModel != e.deviceType && !e.deviceModel.isEmpty
            return hasOS || hasModel ? (e.deviceModel, hasOS ? e.deviceOS : nil) : nil
        }
        let sent = nonEmpty(device.model) != nil || nonEmpty(device.os) != nil
        let model = nonEmpty(device.model) ?? stored?.0 ?? device.type
        let os = nonEmpty(device.os) ?? stored?.1
        let userAgent = nonEmpty(device.userAgent) ?? nonEmpty(attemptUserAgent) ?? existing?.deviceUserAgent
        return DeviceInformation(received: sent || stored != nil, model: model, os: os, userAgent: userAgent)
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    // MARK: The partnership

    /// The mailbox's partnership for a DeviceId. Partnerships are kept grouped in mailbox
    /// order, so a binary search finds the mailbox's run; a linear scan confirms a miss.
    static func partnership(of deviceId: String, in mailbox: Mailbox, tenant: Tenant) -> MobileDevice? {
        let devices = tenant.mobileDevices
        if let target = tenant.mailboxIndex(guid: mailbox.guid) {
            var low = 0, high = devices.count
            while low < high {
                let mid = (low + high) / 2
                if (tenant.mailboxIndex(guid: devices[mid].mailboxGuid) ?? Int.max) < target { low = mid + 1 } else { high = mid }
            }
            var i = low
            while i < devices.count && devices[i].mailboxGuid == mailbox.guid {
                if devices[i].deviceId == deviceId { return devices[i] }
                i += 1
            }
        }
        return devices.first { $0.mailboxGuid == mailbox.guid && $0.deviceId == deviceId }
    }

    static func sameDirectoryObject(_ a: MobileDevice, _ b: MobileDevice) -> Bool {
        a.deviceAccessState == b.deviceAccessState && a.deviceAccessStateReason == b.deviceAccessStateReason
            && a.deviceAccessControlRule == b.deviceAccessControlRule && a.deviceModel == b.deviceModel && a.deviceOS == b.deviceOS
            && a.deviceUserAgent == b.deviceUserAgent && a.devicePolicyApplied == b.devicePolicyApplied
            && a.isProvisionable == b.isProvisionable
    }

    /// The partnership as it stands after this request: created on the first sync
    /// (FirstSyncTime, WhenCreated, ClientType EAS), updated on every later one
    /// (LastSyncAttemptTime; LastSuccessSync only when the device may sync).
    static func partnership(after outcome: Outcome, device: DeviceInfo, attemptUserAgent: String?, mailbox: Mailbox,
                            existing: MobileDevice?, tenant: Tenant, now: Date) -> MobileDevice {
        let info = deviceInformation(device, attemptUserAgent: attemptUserAgent, existing: existing)
        var d: MobileDevice
        if let existing {
            d = existing
        } else {
            d = MobileDevice(mailboxGuid: mailbox.guid, mailboxName: mailbox.name,
                             guid: StableIdentifier.uuid("MobileDevice", mailbox.guid.uuidString, device.id),
                             deviceId: device.id, deviceType: device.type, deviceModel: info.model,
                             deviceOS: info.os ?? "", userDisplayName: mailbox.displayName, whenCreated: now)
            d.firstSyncTime = now
            d.clientType = .EAS
        }
        if info.received {
            d.deviceModel = info.model
            if let os = info.os { d.deviceOS = os }
        }
        if let ua = info.userAgent { d.deviceUserAgent = ua }
        d.lastSyncAttemptTime = now
        if outcome.state == .Allowed { d.lastSuccessSync = now }
        d.deviceAccessState = outcome.state
        d.deviceAccessStateReason = outcome.reason
        d.deviceAccessControlRule = outcome.rule
        if let applied = outcome.policyApplied { d.devicePolicyApplied = applied }
        d.isProvisionable = device.provisionable
        // WhenChanged follows the directory object, not the sync times kept in the mailbox.
        if let existing, !sameDirectoryObject(existing, d) { d.whenChanged = now }
        return d
    }
}
