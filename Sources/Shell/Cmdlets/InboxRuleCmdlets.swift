import Foundation
import TenantModel

/// `Get/New/Set/Remove-InboxRule`: a mailbox's rules, in priority order (1 runs first).
/// Without -Mailbox the cmdlets work on the connected admin's own mailbox, as Exchange does.
/// [OPS New-InboxRule.md, Get-InboxRule.md]
enum InboxRuleCmdlets {
    static let definitions: [CmdletDefinition] = [get, new, set, remove]

    // MARK: Parameters

    private static let mailboxParameter = ParameterDefinition(
        "Mailbox", .identity("MailboxIdParameter"),
        help: "The mailbox whose rules these are (default: your own).")

    private static let identityParameter = ParameterDefinition(
        "Identity", .identity("InboxRuleIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
        help: "The rule: mailbox\\RuleIdentity, or its name or RuleIdentity within -Mailbox.")

    private static let recipients = [String].valueType
    private static let words = [String].valueType

    /// Conditions and actions New- and Set-InboxRule share.
    private static let ruleParameters: [ParameterDefinition] = [
        ParameterDefinition("From", .exchange(recipients), help: "Condition: the message is from one of these senders."),
        ParameterDefinition("SubjectContainsWords", .exchange(words), help: "Condition: the subject contains one of these words."),
        ParameterDefinition("BodyContainsWords", .exchange(words), help: "Condition: the body contains one of these words."),
        ParameterDefinition("SubjectOrBodyContainsWords", .exchange(words),
                            help: "Condition: the subject or body contains one of these words."),
        ParameterDefinition("ForwardTo", .exchange(recipients), help: "Action: forward the message to these recipients."),
        ParameterDefinition("ForwardAsAttachmentTo", .exchange(recipients),
                            help: "Action: forward the message as an attachment to these recipients."),
        ParameterDefinition("RedirectTo", .exchange(recipients), help: "Action: redirect the message to these recipients."),
        ParameterDefinition("MoveToFolder", .string, help: "Action: move the message to this folder (mailbox:\\Folder or Folder)."),
        ParameterDefinition("DeleteMessage", .exchange(.bool), help: "Action: move the message to Deleted Items."),
        ParameterDefinition("MarkAsRead", .exchange(.bool), help: "Action: mark the message as read."),
        ParameterDefinition("StopProcessingRules", .exchange(.bool), help: "Action: run no later rule on the message."),
        ParameterDefinition("Priority", .int, help: "The rule's position, 1 = first; later rules move down."),
    ]

    // MARK: Get-InboxRule

    static let get = CmdletDefinition(
        "Get-InboxRule", module: .exchange,
        synopsis: "Lists a mailbox's inbox rules in priority order.",
        parameters: [
            ParameterDefinition("Identity", .identity("InboxRuleIdParameter"), position: 0,
                                help: "The rule: mailbox\\RuleIdentity, or its name or RuleIdentity; all rules when omitted."),
            ParameterDefinition("Mailbox", .identity("MailboxIdParameter"), pipeline: .byValue,
                                help: "The mailbox whose rules to list (default: your own)."),
        ]
    ) { context, parameters, input in
        do throws(ShellError) {
            if let identity = parameters.value("Identity"), !identity.isNull {
                let i = try ruleIndex(identity, parameters, context)
                return [view(context.tenant.inboxRules[i])]
            }
            let mailbox = try mailboxIndex(parameters.value("Mailbox") ?? input, context)
            return rules(of: context.tenant.mailboxes[mailbox].guid, in: context.tenant).map(view)
        } catch {
            context.writeError(error)
            return []
        }
    }

    // MARK: New-InboxRule

    static let new = CmdletDefinition(
        "New-InboxRule", module: .exchange,
        synopsis: "Creates an inbox rule in a mailbox.",
        parameters: [ParameterDefinition("Name", .string, position: 0, mandatory: true, help: "The rule's name."), mailboxParameter]
            + ruleParameters,
        supportsShouldProcess: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        guard let name = parameters.string("Name") else { return [] }
        do {
            let m = try mailboxIndex(parameters.value("Mailbox"), context)
            let mailbox = context.tenant.mailboxes[m]
            guard context.shouldProcess(target: name) else { return [] }
            let created = try context.session.commit(cmdlet, objectId: "\(mailbox.name)\\\(name)",
                                                     parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                let existing = rules(of: mailbox.guid, in: tenant)
                let nextId = (tenant.inboxRules.map(\.ruleIdentity).max() ?? 16_005_619_284_058_300_000) + 1
                var rule = InboxRule(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, ruleIdentity: nextId,
                                     name: name, priority: existing.count + 1)
                try fill(&rule, parameters, mailbox: mailbox, tenant: tenant, cmdlet: cmdlet)
                tenant.addInboxRule(rule)
                reorder(mailbox: mailbox.guid, moving: nextId, to: parameters.int("Priority"), in: &tenant)
                return tenant.inboxRules.first { $0.ruleIdentity == nextId }!
            }
            return [view(created)]
        } catch {
            context.writeError(ClientAccessRuleCmdlets.shellError(error))
            return []
        }
    }

    // MARK: Set-InboxRule

    static let set = CmdletDefinition(
        "Set-InboxRule", module: .exchange,
        synopsis: "Changes an inbox rule; a plain list replaces a condition, @{Add=...;Remove=...} edits it.",
        parameters: [identityParameter, mailboxParameter,
                     ParameterDefinition("Name", .string, help: "A new name for the rule.")] + ruleParameters,
        supportsShouldProcess: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do throws(ShellError) {
            let i = try ruleIndex(identity, parameters, context)
            let original = context.tenant.inboxRules[i]
            guard let mailbox = context.tenant.mailbox(guid: original.mailboxGuid) else { return [] }
            var rule = original
            try fill(&rule, parameters, mailbox: mailbox, tenant: context.tenant, cmdlet: cmdlet)
            guard context.shouldProcess(target: original.identity) else { return [] }
            let priority = parameters.int("Priority")
            let moves = priority.map { $0 != original.priority } ?? false
            guard rule != original || moves else {
                ExchangeSetSupport.warnUnchanged(original.identity, context)
                return []
            }
            let updated = rule
            context.session.commit(cmdlet, objectId: original.identity, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                guard let j = tenant.inboxRules.firstIndex(where: {
                    $0.mailboxGuid == updated.mailboxGuid && $0.ruleIdentity == updated.ruleIdentity
                }) else { return }
                tenant.inboxRules[j] = updated
                if moves { reorder(mailbox: updated.mailboxGuid, moving: updated.ruleIdentity, to: priority, in: &tenant) }
            }
        } catch {
            context.writeError(error)
        }
        return []
    }

    // MARK: Remove-InboxRule

    static let remove = CmdletDefinition(
        "Remove-InboxRule", module: .exchange,
        synopsis: "Removes an inbox rule; the rules after it move up.",
        parameters: [identityParameter, mailboxParameter],
        supportsShouldProcess: true, confirmsByDefault: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do throws(ShellError) {
            let rule = context.tenant.inboxRules[try ruleIndex(identity, parameters, context)]
            guard context.shouldProcess(target: rule.identity) else { return [] }
            context.session.commit(cmdlet, objectId: rule.identity, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                tenant.inboxRules.removeAll { $0.ruleIdentity == rule.ruleIdentity && $0.mailboxGuid == rule.mailboxGuid }
                reorder(mailbox: rule.mailboxGuid, moving: nil, to: nil, in: &tenant)
            }
        } catch {
            context.writeError(error)
        }
        return []
    }

    // MARK: Helpers

    static func view(_ rule: InboxRule) -> PSValue {
        .object(PSObject.view(rule, typeName: TypeNames.inboxRule, ref: .inboxRule(mailbox: rule.mailboxGuid, rule: rule.ruleIdentity),
                              hidden: ["MailboxGuid"]))
    }

    /// A mailbox's rules in priority order.
    static func rules(of mailbox: UUID, in tenant: Tenant) -> [InboxRule] {
        tenant.inboxRules.filter { $0.mailboxGuid == mailbox }.sorted { $0.priority < $1.priority }
    }

    /// -Mailbox, or the connected admin's own mailbox.
    static func mailboxIndex(_ mailbox: PSValue?, _ context: CmdletContext) throws(ShellError) -> Int {
        if let mailbox, !mailbox.isNull { return try ExchangeSupport.mailboxIndex(mailbox, context) }
        let me = context.session.exchangeIdentity ?? ""
        return try ExchangeSupport.mailboxIndex(.string(me), context)
    }

    /// Resolves an InboxRuleIdParameter: a rule object, `mailbox\RuleIdentity` or
    /// `mailbox\Name`, or a RuleIdentity or name within -Mailbox (default: your own).
    static func ruleIndex(_ identity: PSValue, _ parameters: BoundParameters, _ context: CmdletContext) throws(ShellError) -> Int {
        let tenant = context.tenant
        if case .object(let o) = identity, case .inboxRule(let m, let r)? = o.ref,
           let i = tenant.inboxRules.firstIndex(where: { $0.mailboxGuid == m && $0.ruleIdentity == r }) {
            return i
        }
        let text = ExchangeSupport.identityText(identity).trimmedWhitespace
        let mailbox: Int
        let ruleText: String
        if let slash = text.lastIndex(of: "\\") {
            mailbox = try ExchangeSupport.mailboxIndex(.string(String(text[..<slash])), context)
            ruleText = String(text[text.index(after: slash)...])
        } else {
            mailbox = try mailboxIndex(parameters.value("Mailbox"), context)
            ruleText = text
        }
        let guid = tenant.mailboxes[mailbox].guid
        let matches = tenant.inboxRules.indices.filter {
            tenant.inboxRules[$0].mailboxGuid == guid
                && (tenant.inboxRules[$0].ruleIdentityText == ruleText || tenant.inboxRules[$0].name.lowercased() == ruleText.lowercased())
        }
        guard let first = matches.first else { throw ShellError.objectNotFound(text, cmdlet: context.definition.name) }
        guard matches.count == 1 else { throw ShellError.ambiguousIdentity(text, cmdlet: context.definition.name) }
        return first
    }

    /// Applies the bound conditions and actions to `rule`: recipients resolve to their
    /// addresses, the folder must exist in the mailbox.
    private static func fill(_ rule: inout InboxRule, _ parameters: BoundParameters, mailbox: Mailbox, tenant: Tenant,
                             cmdlet: String) throws(ShellError) {
        var edits = try ExchangeSetSupport.normalizedEdits(parameters, schema: InboxRule.schema, cmdlet: cmdlet)
        for name in ["From", "ForwardTo", "ForwardAsAttachmentTo", "RedirectTo"] {
            switch edits.values[name] {
            case .converted(.list(let items))?:
                edits.set(name, .converted(.list(try items.map { v throws(ShellError) in .string(try recipient(v.displayText, tenant, cmdlet)) })))
            case .edit(let add, let remove)?:
                edits.set(name, .edit(add: try add.map { v throws(ShellError) in .string(try recipient(v.displayText, tenant, cmdlet)) }, remove: remove))
            default: break
            }
        }
        if let folder = parameters.string("MoveToFolder") {
            edits.set("MoveToFolder", .value(.string(try folderName(folder, mailbox: mailbox, tenant: tenant, cmdlet: cmdlet))))
        }
        _ = try ExchangeSupport.apply(edits, to: &rule, schema: InboxRule.schema, skip: ["Priority"], cmdlet: cmdlet)
    }

    /// A RecipientIdParameter: an SMTP address stands for itself; anything else must name a
    /// mailbox, whose primary address is kept.
    private static func recipient(_ text: String, _ tenant: Tenant, _ cmdlet: String) throws(ShellError) -> String {
        let t = text.trimmedWhitespace
        let matches = ExchangeSupport.mailboxMatches(t, in: tenant)
        if matches.count == 1 { return tenant.mailboxes[matches[0]].primarySmtpAddress.address }
        if t.contains("@") { return t }
        if matches.isEmpty { throw ShellError.objectNotFound(t, cmdlet: cmdlet) }
        throw ShellError.ambiguousIdentity(t, cmdlet: cmdlet)
    }

    /// A MailboxFolderIdParameter (`alias:\Folder`, `:\Folder`, `\Folder` or `Folder`) for a
    /// folder of `mailbox`; returns the folder's name.
    private static func folderName(_ text: String, mailbox: Mailbox, tenant: Tenant, cmdlet: String) throws(ShellError) -> String {
        var path = text.trimmedWhitespace
        if let colon = path.range(of: ":\\") { path = String(path[colon.upperBound...]) }
        while path.hasPrefix("\\") { path.removeFirst() }
        let names = MailFolder.wellKnown.map(\.0) + tenant.folders.filter { $0.mailboxGuid == mailbox.guid }.map(\.name)
        let leaf = path.split(separator: "\\").last.map(String.init) ?? path
        guard let found = names.first(where: { $0.lowercased() == path.lowercased() || $0.lowercased() == leaf.lowercased() }) else {
            throw ShellError.exchange("The operation couldn't be performed because '\(text)' couldn't be found.",
                                      exception: "ManagementObjectNotFoundException", cmdlet: cmdlet, target: text)
        }
        return found
    }

    /// Renumbers a mailbox's rules 1...n, first moving `rule` to `priority` when both are
    /// given (a position past the end puts it last).
    private static func reorder(mailbox: UUID, moving rule: UInt64?, to priority: Int?, in tenant: inout Tenant) {
        var ordered = rules(of: mailbox, in: tenant).map(\.ruleIdentity)
        if let rule, let priority, let from = ordered.firstIndex(of: rule) {
            ordered.remove(at: from)
            let position = (1...(ordered.count + 1)).contains(priority) ? priority - 1 : ordered.count
            ordered.insert(rule, at: position)
        }
        for i in tenant.inboxRules.indices where tenant.inboxRules[i].mailboxGuid == mailbox {
            if let p = ordered.firstIndex(of: tenant.inboxRules[i].ruleIdentity) { tenant.inboxRules[i].priority = p + 1 }
        }
    }
}
