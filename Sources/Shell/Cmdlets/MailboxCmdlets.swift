import Foundation
import TenantModel

/// `Get-Mailbox` and `Set-Mailbox`. [OPS Get-Mailbox.md, Set-Mailbox.md; EXCHANGE-FACTS 4]
enum MailboxCmdlets {
    static let definitions: [CmdletDefinition] = [getMailbox, setMailbox]

    /// Properties of the model that Get-Mailbox does not show (the simulator's licence tier).
    static let hidden: Set<String> = ["LicenseTier"]

    static let getMailbox = CmdletDefinition(
        "Get-Mailbox", module: .exchange,
        synopsis: "Gets mailboxes and their settings.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, pipeline: .byValue,
                                help: "The mailbox: name, alias, email address, UPN or GUID; wildcards (*) allowed. Omit for all mailboxes."),
            ExchangeSupport.resultSizeParameter,
            ParameterDefinition("RecipientTypeDetails", .exchange(.multiValued(RecipientTypeDetails.valueType)),
                                help: "Only mailboxes of these types (UserMailbox, SharedMailbox, RoomMailbox, ...)."),
            ParameterDefinition("Filter", .string,
                                help: "An OPATH filter on mailbox properties, e.g. \"RecipientTypeDetails -eq 'UserMailbox'\"."),
            ParameterDefinition("GroupMailbox", .switchParameter,
                                help: "Return Microsoft 365 Group mailboxes instead of the others."),
        ],
        body: getMailboxBody)

    static let setMailbox = CmdletDefinition(
        "Set-Mailbox", module: .exchange,
        synopsis: "Changes the settings of a mailbox (auditing, forwarding, quotas, addresses).",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
                                help: "The mailbox to change: name, alias, email address, UPN or GUID, or a mailbox from Get-Mailbox."),
        ] + ExchangeSupport.settableParameters(Mailbox.schema, except: ["UserPrincipalName"], help: setMailboxHelp),
        supportsShouldProcess: true,
        body: setMailboxBody)

    static let setMailboxHelp: [String: String] = [
        "Name": "The mailbox's name (its Identity).",
        "Alias": "The mailbox's alias.",
        "DisplayName": "The name shown in the address book.",
        "PrimarySmtpAddress": "The primary email address; the old one stays as a secondary (smtp:) address.",
        "EmailAddresses": "All proxy addresses; SMTP: marks the primary. Takes @{Add=...; Remove=...}.",
        "AuditEnabled": "Turns mailbox audit logging on or off for this mailbox (default $false).",
        "AuditLogAgeLimit": "How long audit records are kept: days (730) or dd.hh:mm:ss (default 90.00:00:00).",
        "AuditAdmin": "Actions audited for administrators; a list replaces, @{Add=...; Remove=...} edits.",
        "AuditDelegate": "Actions audited for delegates; a list replaces, @{Add=...; Remove=...} edits.",
        "AuditOwner": "Actions audited for the owner; a list replaces, @{Add=...; Remove=...} edits.",
        "DefaultAuditSet": "Logon types (Admin, Delegate, Owner) whose audited actions go back to Microsoft's defaults.",
        "ForwardingSmtpAddress": "An external address to forward all mail to.",
        "ForwardingAddress": "A recipient in the organization to forward all mail to.",
        "DeliverToMailboxAndForward": "Keep a copy in the mailbox when forwarding ($false delivers only to the forwarding address).",
        "GrantSendOnBehalfTo": "Who may send on behalf of this mailbox.",
        "HiddenFromAddressListsEnabled": "Hide the mailbox from address lists.",
        "LitigationHoldEnabled": "Place the mailbox on litigation hold.",
        "RetainDeletedItemsFor": "How long deleted items are kept (default 14.00:00:00).",
        "ProhibitSendQuota": "Size at which the mailbox can no longer send.",
        "ProhibitSendReceiveQuota": "Size at which the mailbox can no longer send or receive.",
        "IssueWarningQuota": "Size at which the owner is warned.",
        "RecoverableItemsQuota": "Size limit of the Recoverable Items folder (audit records count against it).",
        "MaxSendSize": "Largest message the mailbox can send.",
        "MaxReceiveSize": "Largest message the mailbox can receive.",
    ].merging((1...15).map { ("CustomAttribute\($0)", "Custom attribute \($0): free text; $null clears it.") }) { a, _ in a }

    // MARK: Get-Mailbox

    static func getMailboxBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let tenant = context.tenant
        let filter = try OPathFilter.bound(parameters, schema: Mailbox.schema, hidden: hidden, cmdlet: context.definition.name)
        var indexes: [Int]
        if let identity = parameters.value("Identity"), !identity.isNull {
            indexes = matchingMailboxes(identity, in: tenant)
            if indexes.isEmpty {
                context.writeError(ShellError.objectNotFound(ExchangeSupport.identityText(identity), cmdlet: context.definition.name))
                return []
            }
        } else {
            let groups = parameters.isOn("GroupMailbox")
            indexes = tenant.mailboxes.indices.filter { (tenant.mailboxes[$0].recipientTypeDetails == .GroupMailbox) == groups }
        }
        if case .converted(.list(let types))? = parameters.values["RecipientTypeDetails"] {
            let names = Set(types.map { $0.displayText.lowercased() })
            indexes = indexes.filter { names.contains(tenant.mailboxes[$0].recipientTypeDetails.rawValue.lowercased()) }
        }
        if let (filter, schema) = filter {
            indexes = indexes.filter { filter.matches(tenant.mailboxes[$0], schema: schema) }
        }
        return limited(indexes, parameters, context) { i in
            let m = tenant.mailboxes[i]
            return .object(PSObject.view(m, typeName: TypeNames.mailbox, ref: .mailbox(m.guid), hidden: hidden))
        }
    }

    /// The mailboxes an identity names for a Get-* cmdlet: an object from Get-Mailbox, a
    /// wildcard pattern over name, alias, addresses and UPN, or any MailboxIdParameter text.
    /// Get-* cmdlets list every match of a non-unique identity.
    static func matchingMailboxes(_ identity: PSValue, in tenant: Tenant) -> [Int] {
        if case .object(let o) = identity, case .mailbox(let g)? = o.ref, let i = tenant.mailboxIndex(guid: g) { return [i] }
        let text = ExchangeSupport.identityText(identity).trimmedWhitespace
        guard text.contains("*") else { return ExchangeSupport.mailboxMatches(text, in: tenant) }
        return tenant.mailboxes.indices.filter { i in
            let m = tenant.mailboxes[i]
            return [m.name, m.alias, m.displayName, m.userPrincipalName, m.primarySmtpAddress.address]
                .contains { OPathFilter.wildcard(text, $0) }
        }
    }

    /// Applies -ResultSize (default 1000) and writes Exchange's warning when it cut the list.
    static func limited(_ indexes: [Int], _ parameters: BoundParameters, _ context: CmdletContext,
                        _ view: (Int) -> PSValue) -> [PSValue] {
        let limit = ExchangeSupport.resultSize(parameters) ?? Int.max
        let returned = Array(indexes.prefix(limit))
        ExchangeSupport.warnIfTruncated(total: indexes.count, returned: returned.count, context)
        return returned.map(view)
    }

    // MARK: Set-Mailbox

    static func setMailboxBody(_ context: CmdletContext, _ parameters: BoundParameters, _ input: PSValue?) throws -> [PSValue] {
        let cmdlet = context.definition.name
        return setMailbox(context, parameters) { original, tenant throws(ShellError) in
            var updated = original
            let normalized = try ExchangeSetSupport.normalizedEdits(parameters, schema: Mailbox.schema, cmdlet: cmdlet)
            try validateAuditActions(normalized, mailbox: original, cmdlet: cmdlet)
            let forwarding = try resolveForwardingAddress(normalized, in: tenant, cmdlet: cmdlet)
            var records = try ExchangeSupport.apply(normalized, to: &updated, schema: Mailbox.schema,
                                                    skip: ["ForwardingAddress"], cmdlet: cmdlet)
            if let forwarding {
                updated.forwardingAddress = forwarding
                records.append(AdminAction.ParameterRecord(name: "ForwardingAddress", value: forwarding ?? ""))
            }
            try reconcileAddresses(original: original, updated: &updated, parameters: normalized, tenant: tenant, cmdlet: cmdlet)
            return (updated, records)
        }
    }

    /// What Set-Mailbox and Set-CASMailbox share: resolve `-Identity`, let `edit` change a copy
    /// of the mailbox and name the parameters to record, then -WhatIf, the "unchanged"
    /// warning, WhenChanged and one commit. An error from either step is written and the
    /// tenant is left as it was.
    static func setMailbox(
        _ context: CmdletContext, _ parameters: BoundParameters,
        edit: (Mailbox, Tenant) throws(ShellError) -> (Mailbox, [AdminAction.ParameterRecord])
    ) -> [PSValue] {
        guard let identity = parameters.value("Identity") else { return [] }
        let tenant = context.tenant
        let original: Mailbox
        var updated: Mailbox
        let records: [AdminAction.ParameterRecord]
        do throws(ShellError) {
            original = tenant.mailboxes[try ExchangeSupport.mailboxIndex(identity, context)]
            (updated, records) = try edit(original, tenant)
        } catch {
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: original.name) else { return [] }
        guard updated != original else {
            ExchangeSetSupport.warnUnchanged(original.name, context)
            return []
        }
        updated.whenChanged = tenant.now
        let guid = original.guid
        let final = updated
        context.session.commit(context.definition.name, objectId: original.name, parameters: records) { tenant in
            guard let i = tenant.mailboxIndex(guid: guid) else { return }
            tenant.updateMailbox(at: i) { $0 = final }
        }
        return []
    }

    /// Exchange refuses an action the logon type cannot audit. The message is the service's
    /// fixed text, which names an older list than the actions it accepts.
    /// [issues microsoft-365-docs#5241 (Delegate), office-docs-powershell#2710 (Admin); Owner INFERRED]
    static func validateAuditActions(_ parameters: BoundParameters, mailbox: Mailbox, cmdlet: String) throws(ShellError) {
        let lists: [(String, MailboxAuditLogonType)] = [("AuditAdmin", .Admin), ("AuditDelegate", .Delegate), ("AuditOwner", .Owner)]
        for (name, logonType) in lists {
            let given: [PropertyValue]
            switch parameters.values[name] {
            case .converted(.list(let items))?: given = items
            case .converted(let v)?: given = [v]
            case .edit(let add, _)?: given = add
            case .value(let v)?: given = v.enumerated.map(\.propertyValue)
            case nil: continue
            }
            let operations = given.compactMap { MailboxAuditOperations.named($0.displayText) }
            let allowed = MailboxAuditDefaults.allowed(logonType)
            if operations.contains(where: { $0 != .None && !allowed.contains($0) }) {
                throw ShellError.exchange("Invalid audit operation specified. Supported audit operations for \(logonType.rawValue) are \(supportedAuditText[logonType]!).",
                                          exception: "RecipientTaskException", cmdlet: cmdlet, target: mailbox.name)
            }
            // MessageBind is not logged for Audit (Premium) mailboxes; MailItemsAccessed replaces it.
            // [issue o365soa/Scripts#29; EXCHANGE-FACTS 4.2]
            if mailbox.licenseTier == .E5, operations.contains(.MessageBind) {
                throw ShellError.exchange("MessageBind audit operation type is deprecated. Use MailItemsAccessed audit operation type instead.",
                                          exception: "RecipientTaskException", cmdlet: cmdlet, target: mailbox.name)
            }
        }
    }

    static let supportedAuditText: [MailboxAuditLogonType: String] = [
        .Admin: "None, Create, FolderBind, MessageBind, SendAs, SendOnBehalf, SoftDelete, HardDelete, Update, Move, Copy, MoveToDeletedItems and UpdateFolderPermissions",
        .Delegate: "None, Create, FolderBind, SendAs, SendOnBehalf, SoftDelete, HardDelete, Update, Move, MoveToDeletedItems and UpdateFolderPermissions",
        .Owner: "None, Create, SoftDelete, HardDelete, Update, Move, MoveToDeletedItems, MailboxLogin and UpdateFolderPermissions",
    ]

    /// `-ForwardingAddress` names a recipient in the organization: it must resolve to exactly
    /// one mailbox (stored by its name); `$null` clears it. Returns nil when not given.
    static func resolveForwardingAddress(_ parameters: BoundParameters, in tenant: Tenant, cmdlet: String) throws(ShellError) -> String?? {
        guard parameters.has("ForwardingAddress") else { return nil }
        guard let text = parameters.string("ForwardingAddress"), !text.isEmpty else { return .some(nil) }
        let matches = ExchangeSupport.mailboxMatches(text, in: tenant)
        guard let first = matches.first else { throw ShellError.objectNotFound(text, cmdlet: cmdlet) }
        guard matches.count == 1 else { throw ShellError.ambiguousIdentity(text, cmdlet: cmdlet) }
        return .some(tenant.mailboxes[first].name)
    }

    /// Keeps PrimarySmtpAddress and EmailAddresses consistent, and refuses an address another
    /// mailbox already uses.
    static func reconcileAddresses(original: Mailbox, updated: inout Mailbox, parameters: BoundParameters,
                                   tenant: Tenant, cmdlet: String) throws(ShellError) {
        let primaryChanged = parameters.has("PrimarySmtpAddress") && updated.primarySmtpAddress != original.primarySmtpAddress
        let listChanged = parameters.has("EmailAddresses")
        guard primaryChanged || listChanged else { return }
        var addresses = updated.emailAddresses.map { entry -> String in
            entry.contains(":") ? entry : "smtp:" + entry
        }
        if primaryChanged {
            addresses = addresses.map { $0.hasPrefix("SMTP:") ? "smtp:" + $0.dropFirst(5) : $0 }
            addresses.removeAll { $0.lowercased() == "smtp:" + updated.primarySmtpAddress.address.lowercased() }
            addresses.insert("SMTP:" + updated.primarySmtpAddress.address, at: 0)
        } else if let primary = addresses.first(where: { $0.hasPrefix("SMTP:") }), let address = SmtpAddress(String(primary.dropFirst(5))) {
            updated.primarySmtpAddress = address
        } else {
            addresses.removeAll { $0.lowercased() == "smtp:" + updated.primarySmtpAddress.address.lowercased() }
            addresses.insert("SMTP:" + updated.primarySmtpAddress.address, at: 0)
        }
        updated.emailAddresses = addresses
        let smtp = addresses.filter { $0.lowercased().hasPrefix("smtp:") }
        for address in smtp {
            let key = address.lowercased()
            if let other = tenant.mailboxes.first(where: { m in
                m.guid != original.guid && m.emailAddresses.contains { $0.lowercased() == key }
            }) {
                // [from memory of the service's RecipientTaskException text; UNCONFIRMED]
                throw ShellError.exchange("The proxy address \"\(address)\" is already being used by the proxy addresses or LegacyExchangeDN of \"\(other.name)\". Please choose another proxy address.",
                                          exception: "RecipientTaskException", cmdlet: cmdlet, target: original.name)
            }
        }
    }
}

/// What Exchange's Set-* and New-* cmdlets share beyond ExchangeSupport: the warning for a
/// change that changes nothing, the duplicate-object error, and edits normalized to the
/// property's type.
enum ExchangeSetSupport {
    /// `WARNING: The command completed successfully but no settings of 'X' have been modified.`
    /// [issue OfficeDocs-o365seccomp#306]
    static func warnUnchanged(_ identity: String, _ context: CmdletContext) {
        context.writeWarning("The command completed successfully but no settings of '\(identity)' have been modified.")
    }

    /// `Active Directory operation failed on <server>. The object '<DN>' already exists.`
    /// [message shape: issue microsoft/CSS-Exchange#70; the Exchange Online DN layout is INFERRED]
    static func alreadyExists(name: String, container: String, tenant: Tenant, cmdlet: String) -> ShellError {
        let dn = "CN=\(name),CN=\(container),CN=\(tenant.info.initialDomain),CN=ConfigurationUnits,DC=EURPR04A002,DC=PROD,DC=OUTLOOK,DC=COM"
        return ShellError.exchange("Active Directory operation failed on \(ShellError.exchangeServer). The object '\(dn)' already exists.",
                                   exception: "ADObjectAlreadyExistsException", cmdlet: cmdlet, target: name)
    }

    /// Converts the items of every `@{Add=...; Remove=...}` edit to the property's element
    /// type, splitting `"Create,SoftDelete"` into two values as Exchange's converter does.
    static func normalizedEdits<T>(_ parameters: BoundParameters, schema: ObjectSchema<T>, cmdlet: String) throws(ShellError) -> BoundParameters {
        var out = parameters
        for name in parameters.order {
            guard case .edit(let add, let remove)? = parameters.values[name], let property = schema.property(named: name) else { continue }
            do throws(ValueConversionError) {
                out.set(name, .edit(add: try flatten(add, property.valueType), remove: try flatten(remove, property.valueType)))
            } catch {
                throw ShellError(
                    message: "Cannot process argument transformation on parameter '\(name)'. \(error.description)",
                    category: .InvalidData, reason: "ParameterBindingArgumentTransformationException",
                    errorId: "ParameterArgumentTransformationError,\(cmdlet)", activity: cmdlet, span: parameters.spans[name])
            }
        }
        return out
    }

    private static func flatten(_ items: [PropertyValue], _ type: ValueType) throws(ValueConversionError) -> [PropertyValue] {
        guard type.isMultiValued else { return items }
        if case .list(let out) = try type.normalize(.list(items)) { return out }
        return items
    }
}
