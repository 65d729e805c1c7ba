import Foundation
import TenantModel

/// The organization-wide settings: Enable-OrganizationCustomization, Get/Set-OrganizationConfig,
/// Get/Set-AdminAuditLogConfig, Get/Set-TransportConfig, Get/Set-RemoteDomain and
/// Get/New/Set-AuthenticationPolicy. [EXCHANGE-FACTS 3.1, 5.1, 5.2]
enum OrganizationCmdlets {
    static let definitions: [CmdletDefinition] = [
        enableOrganizationCustomization,
        getOrganizationConfig, setOrganizationConfig,
        getAdminAuditLogConfig, setAdminAuditLogConfig,
        getTransportConfig, setTransportConfig,
        getRemoteDomain, setRemoteDomain,
        getAuthenticationPolicy, newAuthenticationPolicy, setAuthenticationPolicy,
    ]

    // MARK: Enable-OrganizationCustomization

    static let enableOrganizationCustomization = CmdletDefinition(
        "Enable-OrganizationCustomization", module: .exchange,
        synopsis: "Lets the organization create and change the settings it shares with others until then (IsDehydrated becomes False). Needed once.",
        parameters: [],
        supportsShouldProcess: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        let organization = context.tenant.organizationConfig.name
        guard context.tenant.organizationConfig.isDehydrated else {
            // [issue office-docs-powershell#6497; EXCHANGE-FACTS 5.2]
            var error = ShellError.exchange("This operation is not required. Organization is already enabled for customization.",
                                            category: .InvalidOperation, exception: "InvalidOperationException",
                                            cmdlet: cmdlet, target: organization)
            if let comma = error.errorId.lastIndex(of: ",") {
                error.errorId = String(error.errorId[..<comma]) + ",Microsoft.Exchange.Management.Deployment.EnableOrganizationCustomizationTask"
            }
            context.writeError(error)
            return []
        }
        guard context.shouldProcess(target: organization) else { return [] }
        context.session.commit(cmdlet, objectId: organization, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
            tenant.organizationConfig.isDehydrated = false
        }
        return []
    }

    // MARK: Get/Set-OrganizationConfig

    static let getOrganizationConfig = CmdletDefinition(
        "Get-OrganizationConfig", module: .exchange,
        synopsis: "Gets the organization's Exchange settings (IsDehydrated, AuditDisabled, OAuth2ClientProfileEnabled, ...).",
        parameters: [singletonIdentity("OrganizationIdParameter", "The organization; there is one.", mandatory: false)]
    ) { context, parameters, _ in
        singletonGet(context, parameters, names: organizationNames(context.tenant), ref: .singleton("OrganizationConfig")) {
            PSObject.view($0.organizationConfig, typeName: TypeNames.organizationConfig, ref: .singleton("OrganizationConfig"))
        }
    }

    static let setOrganizationConfig = CmdletDefinition(
        "Set-OrganizationConfig", module: .exchange,
        synopsis: "Changes the organization's Exchange settings.",
        parameters: ExchangeSupport.settableParameters(OrganizationConfig.schema, help: [
            "AuditDisabled": "Turns mailbox auditing on by default off ($true) or on ($false, the default).",
            "OAuth2ClientProfileEnabled": "Modern authentication for Outlook and other clients (default $true).",
            "EwsEnabled": "EWS for the whole organization; $null (default) leaves it to each mailbox.",
            "EwsApplicationAccessPolicy": "EnforceAllowList or EnforceBlockList: which EWS clients EwsAllowList/EwsBlockList name.",
            "EwsAllowList": "EWS client user agents allowed under EnforceAllowList (* wildcards).",
            "EwsBlockList": "EWS client user agents blocked under EnforceBlockList (* wildcards).",
            "EwsAllowOutlook": "Whether Outlook may use EWS.",
            "EwsAllowMacOutlook": "Whether Outlook for Mac may use EWS.",
            "EwsAllowEntourage": "Whether Entourage may use EWS.",
            "DefaultAuthenticationPolicy": "The authentication policy for users who have none of their own; $null for none.",
            "PublicFolderShowClientControl": "Whether mailboxes' PublicFolderClientAccess setting is honoured.",
            "MailTipsAllTipsEnabled": "Whether MailTips are shown (default $true).",
        ]),
        supportsShouldProcess: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        if let policy = parameters.string("DefaultAuthenticationPolicy"), !policy.trimmedWhitespace.isEmpty,
           !context.tenant.authenticationPolicies.contains(where: { $0.name.lowercased() == policy.trimmedWhitespace.lowercased() }) {
            context.writeError(ShellError.objectNotFound(policy.trimmedWhitespace, cmdlet: cmdlet))
            return []
        }
        singletonSet(context, parameters, keyPath: \.organizationConfig, schema: OrganizationConfig.schema,
                     identity: context.tenant.organizationConfig.name)
        return []
    }

    // MARK: Get/Set-AdminAuditLogConfig

    static let getAdminAuditLogConfig = CmdletDefinition(
        "Get-AdminAuditLogConfig", module: .exchange,
        synopsis: "Gets the audit log settings, among them UnifiedAuditLogIngestionEnabled.",
        parameters: [singletonIdentity("OrganizationIdParameter", "The settings object, \"Admin Audit Log Settings\".", mandatory: false)]
    ) { context, parameters, _ in
        singletonGet(context, parameters, names: [context.tenant.adminAuditLogConfig.name], ref: .singleton("AdminAuditLogConfig")) {
            PSObject.view($0.adminAuditLogConfig, typeName: TypeNames.adminAuditLogConfig, ref: .singleton("AdminAuditLogConfig"))
        }
    }

    /// A dehydrated tenant refuses this cmdlet until Enable-OrganizationCustomization ran.
    /// [issue MicrosoftLearning/MS-102T00-Microsoft-365-Administrator-Essentials#169; EXCHANGE-FACTS 5.2]
    static let setAdminAuditLogConfig = CmdletDefinition(
        "Set-AdminAuditLogConfig", module: .exchange,
        synopsis: "Changes the audit log settings; -UnifiedAuditLogIngestionEnabled $true turns on the unified audit log.",
        parameters: ExchangeSupport.settableParameters(AdminAuditLogConfig.schema, help: [
            "UnifiedAuditLogIngestionEnabled": "Whether user and admin activity is recorded in the unified audit log (Search-UnifiedAuditLog).",
            "AdminAuditLogEnabled": "Whether admin cmdlets are audited (on-premises; default $true).",
            "AdminAuditLogAgeLimit": "How long admin audit records are kept (on-premises; default 90 days).",
            "AdminAuditLogCmdlets": "The cmdlets audited (on-premises; default *).",
            "AdminAuditLogParameters": "The parameters audited (on-premises; default *).",
            "AdminAuditLogExcludedCmdlets": "Cmdlets never audited (on-premises).",
            "LogLevel": "None (default) or Verbose: Verbose also records the changed properties (on-premises).",
            "TestCmdletLoggingEnabled": "Whether Test-* cmdlets are audited (on-premises; default $false).",
        ]),
        supportsShouldProcess: true, requiresHydration: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        guard !context.tenant.organizationConfig.isDehydrated else {
            context.writeError(ExchangeSupport.dehydratedError(cmdlet))
            return []
        }
        if singletonSet(context, parameters, keyPath: \.adminAuditLogConfig, schema: AdminAuditLogConfig.schema,
                        identity: context.tenant.adminAuditLogConfig.name) {
            // [Microsoft Learn training unit on turning on audit log recording (its quoted WARNING); MS-102 lab notes]
            context.writeWarning("The admin audit log configuration change you specified could take up to 60 minutes to take effect.")
        }
        return []
    }

    // MARK: Get/Set-TransportConfig

    static let getTransportConfig = CmdletDefinition(
        "Get-TransportConfig", module: .exchange,
        synopsis: "Gets the organization's transport settings, among them SmtpClientAuthenticationDisabled.",
        parameters: [singletonIdentity("OrganizationIdParameter", "The organization; there is one.", mandatory: false)]
    ) { context, parameters, _ in
        singletonGet(context, parameters, names: organizationNames(context.tenant) + [context.tenant.transportConfig.name],
                     ref: .singleton("TransportConfig")) {
            PSObject.view($0.transportConfig, typeName: TypeNames.transportConfig, ref: .singleton("TransportConfig"))
        }
    }

    static let setTransportConfig = CmdletDefinition(
        "Set-TransportConfig", module: .exchange,
        synopsis: "Changes the organization's transport settings.",
        parameters: ExchangeSupport.settableParameters(TransportConfig.schema, help: [
            "SmtpClientAuthenticationDisabled": "Turns off authenticated SMTP (SMTP AUTH) for mailboxes that don't set it themselves.",
            "MaxSendSize": "The largest message users can send, e.g. 35MB, or Unlimited.",
            "MaxReceiveSize": "The largest message users can receive, e.g. 36MB, or Unlimited.",
            "ExternalDelayDsnEnabled": "Whether delay notifications go to external senders.",
        ]),
        supportsShouldProcess: true
    ) { context, parameters, _ in
        singletonSet(context, parameters, keyPath: \.transportConfig, schema: TransportConfig.schema,
                     identity: context.tenant.transportConfig.name)
        return []
    }

    // MARK: Get/Set-RemoteDomain

    static let getRemoteDomain = CmdletDefinition(
        "Get-RemoteDomain", module: .exchange,
        synopsis: "Lists the remote domains; \"Default\" covers every domain without one of its own.",
        parameters: [ParameterDefinition("Identity", .identity("RemoteDomainIdParameter"), position: 0, pipeline: .byValue,
                                         help: "The remote domain (name or GUID); all when omitted.")]
    ) { context, parameters, _ in
        let domains = context.tenant.remoteDomains
        guard let identity = parameters.value("Identity"), !identity.isNull else { return domains.map(remoteDomainView) }
        do throws(ShellError) {
            return [remoteDomainView(domains[try remoteDomainIndex(identity, context)])]
        } catch {
            context.writeError(error)
            return []
        }
    }

    static let setRemoteDomain = CmdletDefinition(
        "Set-RemoteDomain", module: .exchange,
        synopsis: "Changes a remote domain's settings, such as AutoForwardEnabled.",
        parameters: [ParameterDefinition("Identity", .identity("RemoteDomainIdParameter"), position: 0, mandatory: true,
                                         pipeline: .byValue, help: "The remote domain (name or GUID), e.g. Default.")]
            + ExchangeSupport.settableParameters(RemoteDomain.schema, help: [
                "AutoForwardEnabled": "Whether automatic forwarding (inbox rules, forwarding addresses) to this domain is allowed.",
                "AutoReplyEnabled": "Whether automatic replies go to this domain.",
                "AllowedOOFType": "Which out-of-office replies go to this domain: External, ExternalLegacy, InternalLegacy or None.",
                "DeliveryReportEnabled": "Whether delivery and read reports go to this domain.",
                "NDREnabled": "Whether non-delivery reports go to this domain.",
            ]),
        supportsShouldProcess: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do throws(ShellError) {
            let i = try remoteDomainIndex(identity, context)
            let original = context.tenant.remoteDomains[i]
            var domain = original
            let edits = try ExchangeSetSupport.normalizedEdits(parameters, schema: RemoteDomain.schema, cmdlet: cmdlet)
            let records = try ExchangeSupport.apply(edits, to: &domain, schema: RemoteDomain.schema, cmdlet: cmdlet)
            guard context.shouldProcess(target: original.name) else { return [] }
            guard domain != original else {
                ExchangeSetSupport.warnUnchanged(original.name, context)
                return []
            }
            let updated = domain
            context.session.commit(cmdlet, objectId: original.name, parameters: records) { tenant in
                if let j = tenant.remoteDomains.firstIndex(where: { $0.guid == updated.guid }) { tenant.remoteDomains[j] = updated }
            }
        } catch {
            context.writeError(error)
        }
        return []
    }

    static func remoteDomainView(_ domain: RemoteDomain) -> PSValue {
        .object(PSObject.view(domain, typeName: TypeNames.remoteDomain, ref: .remoteDomain(domain.guid)))
    }

    static func remoteDomainIndex(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        try ExchangeSupport.namedIndex(identity, in: context.tenant.remoteDomains, name: \.name, guid: \.guid,
                                       ref: { if case .remoteDomain(let g) = $0 { return g } else { return nil } }, context)
    }

    // MARK: Get/New/Set-AuthenticationPolicy

    private static let basicAuthHelp: [String: String] = [
        "AllowBasicAuthActiveSync": "Basic authentication for Exchange ActiveSync.",
        "AllowBasicAuthAutodiscover": "Basic authentication for Autodiscover.",
        "AllowBasicAuthImap": "Basic authentication for IMAP4.",
        "AllowBasicAuthMapi": "Basic authentication for MAPI over HTTP (Outlook).",
        "AllowBasicAuthOfflineAddressBook": "Basic authentication for the Offline Address Book.",
        "AllowBasicAuthOutlookService": "Basic authentication for the Outlook service (Mail and Calendar for Windows 10).",
        "AllowBasicAuthPop": "Basic authentication for POP3.",
        "AllowBasicAuthPowershell": "Basic authentication for remote PowerShell.",
        "AllowBasicAuthReportingWebServices": "Basic authentication for Reporting Web Services.",
        "AllowBasicAuthRpc": "Basic authentication for Outlook Anywhere (RPC over HTTP).",
        "AllowBasicAuthSmtp": "Basic authentication for authenticated SMTP.",
        "AllowBasicAuthWebServices": "Basic authentication for Exchange Web Services.",
    ]

    /// The AllowBasicAuth* parameters are switches: present allows, `-Name:$false` blocks.
    /// [OPS New-AuthenticationPolicy.md, Set-AuthenticationPolicy.md]
    private static let basicAuthSwitches: [ParameterDefinition] = AuthenticationPolicy.schema.properties
        .filter { !$0.isReadOnly && $0.name.hasPrefix("AllowBasicAuth") }
        .map { p in
            ParameterDefinition(p.name, .switchParameter,
                                help: "\(basicAuthHelp[p.name] ?? p.name): present allows it, -\(p.name):$false blocks it.")
        }

    static let getAuthenticationPolicy = CmdletDefinition(
        "Get-AuthenticationPolicy", module: .exchange,
        synopsis: "Lists the authentication policies that block basic authentication per protocol.",
        parameters: [ParameterDefinition("Identity", .identity("AuthPolicyIdParameter"), position: 0, pipeline: .byValue,
                                         help: "The policy (name or GUID); all when omitted.")]
    ) { context, parameters, _ in
        let policies = context.tenant.authenticationPolicies
        guard let identity = parameters.value("Identity"), !identity.isNull else { return policies.map(policyView) }
        do throws(ShellError) {
            return [policyView(policies[try policyIndex(identity, context)])]
        } catch {
            context.writeError(error)
            return []
        }
    }

    static let newAuthenticationPolicy = CmdletDefinition(
        "New-AuthenticationPolicy", module: .exchange,
        synopsis: "Creates an authentication policy; basic authentication is blocked for every protocol not named.",
        parameters: [ParameterDefinition("Name", .string, position: 0, mandatory: true, help: "The policy's unique name.")]
            + basicAuthSwitches,
        supportsShouldProcess: true
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        guard let name = parameters.string("Name")?.trimmedWhitespace else { return [] }
        guard context.shouldProcess(target: name) else { return [] }
        do {
            let created = try context.session.commit(cmdlet, objectId: name, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
                guard !tenant.authenticationPolicies.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw ExchangeSetSupport.alreadyExists(name: name, container: "Auth Policies", tenant: tenant, cmdlet: cmdlet)
                }
                var ids = tenant.ids
                var policy = AuthenticationPolicy(name: name, guid: ids.newGuid())
                _ = try ExchangeSupport.apply(parameters, to: &policy, schema: AuthenticationPolicy.schema, cmdlet: cmdlet)
                tenant.ids = ids
                tenant.authenticationPolicies.append(policy)
                return policy
            }
            return [policyView(created)]
        } catch {
            context.writeError(ClientAccessRuleCmdlets.shellError(error))
            return []
        }
    }

    static let setAuthenticationPolicy = CmdletDefinition(
        "Set-AuthenticationPolicy", module: .exchange,
        synopsis: "Changes which protocols an authentication policy lets use basic authentication.",
        parameters: [ParameterDefinition("Identity", .identity("AuthPolicyIdParameter"), position: 0, mandatory: true,
                                         pipeline: .byValue, help: "The policy (name or GUID).")]
            + basicAuthSwitches,
        supportsShouldProcess: true
    ) { context, parameters, input in
        let cmdlet = context.definition.name
        guard let identity = parameters.value("Identity") ?? input else { return [] }
        do throws(ShellError) {
            let i = try policyIndex(identity, context)
            let original = context.tenant.authenticationPolicies[i]
            var policy = original
            let records = try ExchangeSupport.apply(parameters, to: &policy, schema: AuthenticationPolicy.schema, cmdlet: cmdlet)
            guard context.shouldProcess(target: original.name) else { return [] }
            guard policy != original else {
                ExchangeSetSupport.warnUnchanged(original.name, context)
                return []
            }
            let updated = policy
            context.session.commit(cmdlet, objectId: original.name, parameters: records) { tenant in
                if let j = tenant.authenticationPolicies.firstIndex(where: { $0.guid == updated.guid }) {
                    tenant.authenticationPolicies[j] = updated
                }
            }
        } catch {
            context.writeError(error)
        }
        return []
    }

    static func policyView(_ policy: AuthenticationPolicy) -> PSValue {
        .object(PSObject.view(policy, typeName: TypeNames.authenticationPolicy, ref: .authenticationPolicy(policy.guid)))
    }

    static func policyIndex(_ identity: PSValue, _ context: CmdletContext) throws(ShellError) -> Int {
        try ExchangeSupport.namedIndex(identity, in: context.tenant.authenticationPolicies, name: \.name, guid: \.guid,
                                       ref: { if case .authenticationPolicy(let g) = $0 { return g } else { return nil } }, context)
    }

    // MARK: Singletons

    private static func singletonIdentity(_ type: String, _ help: String, mandatory: Bool) -> ParameterDefinition {
        ParameterDefinition("Identity", .identity(type), position: 0, mandatory: mandatory, pipeline: .byValue, help: help)
    }

    /// The names an OrganizationIdParameter accepts: the organization's name and its domains.
    private static func organizationNames(_ tenant: Tenant) -> [String] {
        [tenant.organizationConfig.name, tenant.info.displayName] + tenant.info.domains
    }

    /// Get-* of a one-per-organization object: an -Identity, when given, must name it.
    private static func singletonGet(_ context: CmdletContext, _ parameters: BoundParameters, names: [String], ref: ObjectRef,
                                     view: (Tenant) -> PSObject) -> [PSValue] {
        if let identity = parameters.value("Identity"), !identity.isNull {
            let isSelf: Bool
            if case .object(let o) = identity, o.ref == ref {
                isSelf = true
            } else {
                let text = ExchangeSupport.identityText(identity).trimmedWhitespace.lowercased()
                isSelf = names.contains { $0.lowercased() == text }
            }
            guard isSelf else {
                context.writeError(ShellError.objectNotFound(ExchangeSupport.identityText(identity), cmdlet: context.definition.name))
                return []
            }
        }
        return [.object(view(context.tenant))]
    }

    /// Set-* of a one-per-organization object: converts and applies every parameter to a copy,
    /// then commits it; warns when nothing changed. Returns whether the object changed.
    @discardableResult
    private static func singletonSet<T: SchemaObject & Equatable>(
        _ context: CmdletContext, _ parameters: BoundParameters, keyPath: WritableKeyPath<Tenant, T>,
        schema: ObjectSchema<T>, identity: String
    ) -> Bool {
        let cmdlet = context.definition.name
        let original = context.tenant[keyPath: keyPath]
        var object = original
        let records: [AdminAction.ParameterRecord]
        do throws(ShellError) {
            let edits = try ExchangeSetSupport.normalizedEdits(parameters, schema: schema, cmdlet: cmdlet)
            records = try ExchangeSupport.apply(edits, to: &object, schema: schema, cmdlet: cmdlet)
        } catch {
            context.writeError(error)
            return false
        }
        guard context.shouldProcess(target: identity) else { return false }
        guard object != original else {
            ExchangeSetSupport.warnUnchanged(identity, context)
            return false
        }
        let updated = object
        context.session.commit(cmdlet, objectId: identity, parameters: records) { tenant in
            tenant[keyPath: keyPath] = updated
        }
        return true
    }
}
