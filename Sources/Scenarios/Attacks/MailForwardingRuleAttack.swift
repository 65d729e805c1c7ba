import AccessControl
import Foundation
import TenantModel
import TenantStore

/// `mail-forwarding-rule`: with a victim's password, the attacker makes the victim's mailbox
/// send its mail on — an inbox rule that forwards or redirects, and optionally the mailbox's
/// own forwarding address. [MITRE ATT&CK T1114.003; golden t1114.003_*, t1114_Set-Mailbox-ForwardSMTPAddress.csv]
///
/// How the rule is made decides what is logged:
/// - `via: OutlookWebApp` (default): OWA's New-InboxRule — an ExchangeAdmin record with
///   `AlwaysDeleteOutlookRulesBlob`, `Force`, `ForwardTo`/`RedirectTo`, `Name`,
///   `StopProcessingRules`. Refused when the victim's OWA mailbox policy has RulesEnabled False.
/// - `via: MAPI` (Outlook desktop) or `ExchangeWebServices`: the rule goes into the rule table —
///   an UpdateInboxRules record in the *mailbox* audit log (and the UAL only for E5 or
///   AuditEnabled mailboxes), no admin record. RulesEnabled doesn't apply.
/// - `via: REST` (Graph): New-InboxRule, as over PowerShell.
///
/// `forwarding-smtp-address` also sets `Set-Mailbox -ForwardingSmtpAddress … -DeliverToMailboxAndForward
/// $true` on each victim's mailbox: by the victim (OWA's forwarding option; the session
/// signed in above) or, with `admin:`, by a stolen administrator account over PowerShell
/// for every victim at once, as the golden multi-user record shows.
///
/// Where the mail goes is not decided when the rule is made: transport applies the remote
/// domain of each external recipient (the Default remote domain `*` unless a more specific
/// one matches). AutoForwardEnabled False there silently drops automatically forwarded mail
/// — rule forwards and redirects *and* the mailbox forwarding address — though the rule and
/// the address are still created and logged. The outbound spam filter policy's
/// AutoForwardingMode (today's default blocks external forwarding) is not modelled.
///
/// Fields: `user`/`users` (the victims, required), `password` (default `correct`), `via`
/// (or `protocol`; one client or a list taken in turn per victim), `forward-to` (the
/// destination, required unless only `forwarding-smtp-address`), `mode` (`forward`,
/// `redirect`, `attachment`; default forward), `rule-name` (default "."), `params` (more
/// rule parameters: `SubjectContainsWords`, `MoveToFolder`, `MarkAsRead`, `DeleteMessage`,
/// ...), `forwarding-smtp-address`, `admin` (the account that sets the forwarding address),
/// and the common fields.
///
/// Measures: `rules` (inbox rules created), `forwarding` (mailboxes given a forwarding
/// address), `effective` (forwarding set-ups that send mail outside: an external recipient
/// whose remote domain allows auto-forwarding), `dropped` (set-ups whose external recipients
/// the remote domain drops), `refused` (rules or forwarding addresses refused after sign-in).
public struct MailForwardingRuleAttack: Attack {
    public static let kind = "mail-forwarding-rule"
    public static let summary = "T1114.003: an inbox rule forwarding the victim's mail (OWA, Outlook/MAPI, Graph), optionally Set-Mailbox -ForwardingSmtpAddress"
    public static let fields = ["via", "forward-to", "mode", "rule-name", "params", "forwarding-smtp-address", "admin"]
    public static let measures = ["rules", "forwarding", "effective", "dropped", "refused"]

    public var common: AttackCommon
    public var forwardTo: [String]
    public var mode: String
    public var ruleName: String
    public var params: [String: String]
    public var forwardingAddress: String?
    public var admin: String?

    public static func parse(_ common: AttackCommon, _ fields: FieldReader) throws(FixtureError) -> MailForwardingRuleAttack {
        var common = common
        _ = try AttackSupport.targets(common, fields, what: "the victims whose mailboxes forward", required: true)
        if fields.has("via") && AttackSupport.namesProtocol(fields) {
            throw fields.error(fields.value("via"), "Give either `via:` or `protocol:`, not both.")
        }
        if let via = try fields.strings("via") {
            common.protocols = []
            for text in via {
                guard let p = AccessProtocol.named(text.trimmedWhitespace) else {
                    throw fields.error(fields.value("via"), "\"\(text)\" isn't a protocol. Valid values: \(AccessProtocol.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                common.protocols.append(p)
            }
        } else if !AttackSupport.namesProtocol(fields) {
            common.protocols = [.OutlookWebApp]
        }
        let forwardTo = try fields.strings("forward-to") ?? []
        let forwarding = try fields.string("forwarding-smtp-address")
        guard !forwardTo.isEmpty || forwarding != nil else {
            throw fields.missing("forward-to", hint: "the address the rule forwards to, or `forwarding-smtp-address:`")
        }
        var params: [String: String] = [:]
        if fields.has("params") {
            let reader = try fields.mapping("params", what: "the rule's params",
                                            allowed: ["Name", "From", "SubjectContainsWords", "BodyContainsWords", "SubjectOrBodyContainsWords",
                                                      "MoveToFolder", "DeleteMessage", "MarkAsRead", "StopProcessingRules"])
            for key in reader?.keys ?? [] {
                guard let values = try reader?.strings(key) else { continue }
                params[key] = values.joined(separator: ",")
            }
        }
        let mode = try fields.choice("mode", ["forward", "redirect", "attachment"]) ?? "forward"
        return MailForwardingRuleAttack(common: common, forwardTo: forwardTo, mode: mode,
                                        ruleName: try fields.string("rule-name") ?? params["Name"] ?? ".", params: params,
                                        forwardingAddress: forwarding, admin: try fields.string("admin"))
    }

    var ruleParameter: String {
        switch mode {
        case "redirect": "RedirectTo"
        case "attachment": "ForwardAsAttachmentTo"
        default: "ForwardTo"
        }
    }

    public func run(in environment: AttackEnvironment) -> AttackReport {
        var report = AttackReport()
        for key in Self.measures { report.measures[key] = 0 }
        var outcome = ForwardingOutcome()
        let password = common.passwords.first ?? .correct
        var forwardedByVictim: [String] = []
        var n = 0
        // With only a forwarding address and an admin, the victims never sign in.
        let victimsSignIn = !forwardTo.isEmpty || admin == nil
        for user in environment.users(common.users) where victimsSignIn {
            if n > 0 { environment.pauseBetweenAttempts(common) }
            var client = common.client(n)
            if client.accessProtocol == .ExchangeActiveSync && client.device == nil { client.device = AttackSupport.attackerDevice }
            n += 1
            let decision = environment.signIn(user: user, password: password, client: client)
            report.count(user: user, decision)
            guard decision.outcome == .Allowed else { continue }
            if !forwardTo.isEmpty {
                var ruleParams = params
                ruleParams["Name"] = ruleName
                ruleParams[ruleParameter] = forwardTo.joined(separator: ",")
                let result = environment.perform(environment.request(user, .createInboxRule, mailbox: nil, client: client, params: ruleParams),
                                                 password: password, client: client)
                if result.outcome == .Allowed {
                    report.measures["rules", default: 0] += 1
                    outcome.add(forwardTo, in: environment.tenant)
                } else {
                    report.measures["refused", default: 0] += 1
                }
            }
            if let address = forwardingAddress, admin == nil {
                // The victim's own OWA forwarding option, in the session that signed in.
                if setForwarding([user], address: address, actor: user, from: client.from, environment) == 1 {
                    forwardedByVictim.append(user)
                    outcome.add([address], in: environment.tenant)
                } else {
                    report.measures["refused", default: 0] += 1
                }
            }
        }
        report.measures["forwarding"] = forwardedByVictim.count
        if let address = forwardingAddress, let admin {
            if n > 0 { environment.pauseBetweenAttempts(common) }
            var adminCommon = common
            if !adminCommon.protocols.contains(.RemotePowerShell) { adminCommon.protocols = [.RemotePowerShell] }
            adminCommon.auth = nil
            adminCommon.passwords = [.correct]
            if let session = AttackSupport.adminSession(environment, admin: admin, common: adminCommon,
                                                        roles: DirectoryRole.exchangeAdminRoles, report: &report) {
                let victims = environment.users(common.users)
                let done = setForwarding(victims, address: address, actor: session.upn, from: session.address, environment)
                report.measures["forwarding"] = done
                report.measures["refused", default: 0] += victims.count - done
                for _ in 0..<done { outcome.add([address], in: environment.tenant) }
            } else {
                report.measures["refused", default: 0] += 1
            }
        }
        report.measures["effective"] = outcome.effective
        report.measures["dropped"] = outcome.dropped
        return report
    }

    /// Set-Mailbox -ForwardingSmtpAddress on each mailbox, one command each (so one admin
    /// record each, as the golden records); returns how many succeeded.
    func setForwarding(_ users: [String], address: String, actor: String, from: String, _ environment: AttackEnvironment) -> Int {
        var done = 0
        let smtp = address.lowercased().hasPrefix("smtp:") ? address : "smtp:" + address
        for user in users {
            let result = environment.runCmdlets("Set-Mailbox -Identity \(AttackSupport.quoted(user)) -ForwardingSmtpAddress \(AttackSupport.quoted(smtp)) -DeliverToMailboxAndForward $true",
                                                as: actor, from: from)
            if result.errors.isEmpty { done += 1 }
        }
        return done
    }
}
