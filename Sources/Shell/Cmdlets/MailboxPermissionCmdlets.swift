import Foundation
import TenantModel

/// `Get/Add/Remove-MailboxPermission` and `Get/Set-MailboxAuditBypassAssociation`.
/// [OPS Add-MailboxPermission.md, Remove-MailboxPermission.md; EXCHANGE-FACTS 4.1]
enum MailboxPermissionCmdlets {
    static let definitions: [CmdletDefinition] = [getPermission, addPermission, removePermission, getBypass, setBypass]

    /// The owner's own entry Get-MailboxPermission always lists first.
    static let selfTrustee = "NT AUTHORITY\\SELF"

    private static let rightsType = [MailboxRights].valueType

    private static let inheritanceType = ValueType.enumeration(EnumDescriptor(
        typeName: "System.DirectoryServices.ActiveDirectorySecurityInheritance",
        names: ["None", "All", "Descendents", "SelfAndChildren", "Children"]))

    // MARK: Get-MailboxPermission

    static let getPermission = CmdletDefinition(
        "Get-MailboxPermission", module: .exchange,
        synopsis: "Lists who has which rights on a mailbox, the owner's NT AUTHORITY\\SELF entry included.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
                                help: "The mailbox."),
            ParameterDefinition("User", .identity("SecurityPrincipalIdParameter"), help: "Only the entries of this user."),
            ExchangeSupport.resultSizeParameter,
        ]
    ) { context, parameters, input in
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do throws(ShellError) {
            let mailbox = context.tenant.mailboxes[try ExchangeSupport.mailboxIndex(identity, context)]
            var entries = permissions(of: mailbox, in: context.tenant)
            if let user = parameters.value("User"), !user.isNull {
                let wanted = try trustee(user, context)
                entries = entries.filter { $0.user.lowercased() == wanted.lowercased() }
            }
            return entries.map(view)
        } catch {
            context.writeError(error)
            return []
        }
    }

    // MARK: Add-MailboxPermission

    static let addPermission = CmdletDefinition(
        "Add-MailboxPermission", module: .exchange,
        synopsis: "Gives a user rights on a mailbox, such as FullAccess.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, mandatory: true, pipeline: .byValue,
                                help: "The mailbox."),
            ParameterDefinition("User", .identity("SecurityPrincipalIdParameter"), mandatory: true, help: "Who gets the rights."),
            ParameterDefinition("AccessRights", .exchange(rightsType), mandatory: true,
                                help: "FullAccess, SendAs, ExternalAccount, DeleteItem, ReadPermission, ChangePermission or ChangeOwner."),
            ParameterDefinition("AutoMapping", .exchange(.bool),
                                help: "Whether Outlook opens the mailbox automatically for the user (default $true)."),
            ParameterDefinition("InheritanceType", .exchange(inheritanceType), help: "How the entry is inherited (default All)."),
            ParameterDefinition("Deny", .switchParameter, help: "Deny the rights instead of granting them."),
        ],
        supportsShouldProcess: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input, let user = parameters.value("User") else { return [] }
        do throws(ShellError) {
            let mailbox = context.tenant.mailboxes[try ExchangeSupport.mailboxIndex(identity, context)]
            let who = try trustee(user, context)
            let rights = accessRights(parameters)
            let deny = parameters.isOn("Deny")
            guard context.shouldProcess(target: mailbox.name) else { return [] }
            let entry = context.session.commit(cmdlet, objectId: mailbox.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                if let i = tenant.mailboxPermissions.firstIndex(where: {
                    $0.mailboxGuid == mailbox.guid && $0.user.lowercased() == who.lowercased() && $0.deny == deny
                }) {
                    for r in rights where !tenant.mailboxPermissions[i].accessRights.contains(r) {
                        tenant.mailboxPermissions[i].accessRights.append(r)
                    }
                    return tenant.mailboxPermissions[i]
                }
                var permission = MailboxPermission(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, user: who, accessRights: rights)
                permission.deny = deny
                tenant.addMailboxPermission(permission)
                return permission
            }
            return [view(entry)]
        } catch {
            context.writeError(error)
            return []
        }
    }

    // MARK: Remove-MailboxPermission

    static let removePermission = CmdletDefinition(
        "Remove-MailboxPermission", module: .exchange,
        synopsis: "Takes rights on a mailbox away from a user.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxIdParameter"), position: 0, mandatory: true,
                                pipeline: .byValueAndPropertyName, help: "The mailbox."),
            ParameterDefinition("User", .identity("SecurityPrincipalIdParameter"), mandatory: true, pipeline: .byPropertyName,
                                help: "Whose rights to remove."),
            ParameterDefinition("AccessRights", .exchange(rightsType), mandatory: true, pipeline: .byPropertyName,
                                help: "The rights to remove."),
            ParameterDefinition("InheritanceType", .exchange(inheritanceType), help: "The inheritance of the entry to remove."),
            ParameterDefinition("Deny", .switchParameter, pipeline: .byPropertyName, help: "Remove a Deny entry."),
        ],
        supportsShouldProcess: true, confirmsByDefault: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input, let user = parameters.value("User") else { return [] }
        do throws(ShellError) {
            let mailbox = context.tenant.mailboxes[try ExchangeSupport.mailboxIndex(identity, context)]
            let who = try trustee(user, context)
            let rights = accessRights(parameters)
            let deny = parameters.isOn("Deny")
            let index = context.tenant.mailboxPermissions.firstIndex {
                $0.mailboxGuid == mailbox.guid && $0.user.lowercased() == who.lowercased() && $0.deny == deny
                    && $0.accessRights.contains(where: rights.contains)
            }
            guard let index else {
                // [OfficeDocs-Support "Can't remove the access control entry"; CIPP-API matches this text]
                context.writeWarning("Can't remove the access control entry on the object \"\(mailbox.name)\" for account \"\(who)\" because the ACE doesn't exist on the object.")
                return []
            }
            guard context.shouldProcess(target: mailbox.name) else { return [] }
            let target = context.tenant.mailboxPermissions[index]
            context.session.commit(cmdlet, objectId: mailbox.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                guard let i = tenant.mailboxPermissions.firstIndex(of: target) else { return }
                tenant.mailboxPermissions[i].accessRights.removeAll(where: rights.contains)
                if tenant.mailboxPermissions[i].accessRights.isEmpty { tenant.mailboxPermissions.remove(at: i) }
            }
        } catch {
            context.writeError(error)
        }
        return []
    }

    // MARK: Get/Set-MailboxAuditBypassAssociation

    static let getBypass = CmdletDefinition(
        "Get-MailboxAuditBypassAssociation", module: .exchange,
        synopsis: "Shows whose actions bypass mailbox audit logging (AuditBypassEnabled).",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxAuditBypassAssociationIdParameter"), position: 0, pipeline: .byValue,
                                help: "The account; all when omitted."),
            ExchangeSupport.resultSizeParameter,
        ]
    ) { context, parameters, input in
        let tenant = context.tenant
        if let identity = parameters.value("Identity") ?? input, !identity.isNull {
            do throws(ShellError) {
                return [bypassView(tenant.mailboxes[try ExchangeSupport.mailboxIndex(identity, context)])]
            } catch {
                context.writeError(error)
                return []
            }
        }
        let limit = ExchangeSupport.resultSize(parameters) ?? tenant.mailboxes.count
        let shown = tenant.mailboxes.prefix(limit)
        ExchangeSupport.warnIfTruncated(total: tenant.mailboxes.count, returned: shown.count, context)
        return shown.map(bypassView)
    }

    static let setBypass = CmdletDefinition(
        "Set-MailboxAuditBypassAssociation", module: .exchange,
        synopsis: "Makes an account's actions bypass mailbox audit logging, or stop bypassing it.",
        parameters: [
            ParameterDefinition("Identity", .identity("MailboxAuditBypassAssociationIdParameter"), position: 0, mandatory: true,
                                pipeline: .byValue, help: "The account."),
            ParameterDefinition("AuditBypassEnabled", .exchange(.bool), mandatory: true,
                                help: "$true: nothing this account does in any mailbox is audited; $false (default): audited."),
        ],
        supportsShouldProcess: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input,
              case .bool(let enabled)? = parameters.value("AuditBypassEnabled") else { return [] }
        do throws(ShellError) {
            let i = try ExchangeSupport.mailboxIndex(identity, context)
            let mailbox = context.tenant.mailboxes[i]
            guard context.shouldProcess(target: mailbox.name) else { return [] }
            guard mailbox.auditBypassEnabled != enabled else {
                ExchangeSetSupport.warnUnchanged(mailbox.name, context)
                return []
            }
            context.session.commit(cmdlet, objectId: mailbox.name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                guard let j = tenant.mailboxIndex(guid: mailbox.guid) else { return }
                tenant.updateMailbox(at: j) { $0.auditBypassEnabled = enabled }
            }
        } catch {
            context.writeError(error)
        }
        return []
    }

    // MARK: Helpers

    /// The owner's implicit entry, then the explicit ones.
    static func permissions(of mailbox: Mailbox, in tenant: Tenant) -> [MailboxPermission] {
        let own = MailboxPermission(mailboxGuid: mailbox.guid, mailboxName: mailbox.name, user: selfTrustee,
                                    accessRights: [.FullAccess, .ReadPermission])
        return [own] + tenant.mailboxPermissions.filter { $0.mailboxGuid == mailbox.guid }
    }

    static func view(_ permission: MailboxPermission) -> PSValue {
        .object(PSObject.view(permission, typeName: TypeNames.mailboxPermission, ref: .mailbox(permission.mailboxGuid),
                              hidden: ["MailboxGuid"]))
    }

    static func bypassView(_ mailbox: Mailbox) -> PSValue {
        .object(PSObject(typeName: TypeNames.auditBypassAssociation, properties: [
            ("Name", .string(mailbox.name)),
            ("AuditBypassEnabled", .bool(mailbox.auditBypassEnabled)),
            ("Identity", .string(mailbox.name)),
        ], ref: .mailbox(mailbox.guid)))
    }

    /// A SecurityPrincipalIdParameter: the SELF principal, a directory user's UPN, or a
    /// mailbox (its UPN is kept).
    static func trustee(_ user: PSValue, _ context: CmdletContext) throws(ShellError) -> String {
        let tenant = context.tenant
        if case .object(let o) = user, let ref = o.ref {
            switch ref {
            case .user(let id): if let u = tenant.users.first(where: { $0.objectId == id }) { return u.userPrincipalName }
            case .mailbox(let g): if let m = tenant.mailbox(guid: g) { return m.userPrincipalName }
            default: break
            }
        }
        let text = ExchangeSupport.identityText(user).trimmedWhitespace
        if text.lowercased() == selfTrustee.lowercased() { return selfTrustee }
        if let u = tenant.user(upn: text) { return u.userPrincipalName }
        let matches = ExchangeSupport.mailboxMatches(text, in: tenant)
        guard let first = matches.first else { throw ShellError.objectNotFound(text, cmdlet: context.definition.name) }
        guard matches.count == 1 else { throw ShellError.ambiguousIdentity(text, cmdlet: context.definition.name) }
        return tenant.mailboxes[first].userPrincipalName
    }

    static func accessRights(_ parameters: BoundParameters) -> [MailboxRights] {
        var out: [MailboxRights] = []
        let items: [PropertyValue]
        switch parameters.exchange("AccessRights") {
        case .list(let l)?: items = l
        case let v?: items = [v]
        case nil: items = (parameters.strings("AccessRights") ?? []).map(PropertyValue.string)
        }
        for item in items {
            let name: String
            if case .enumCase(_, let n) = item { name = n } else { name = item.displayText }
            if let r = MailboxRights.named(name), !out.contains(r) { out.append(r) }
        }
        return out
    }
}
