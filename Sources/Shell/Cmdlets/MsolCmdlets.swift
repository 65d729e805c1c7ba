import Foundation
import TenantModel

/// MSOnline's `Get-MsolUser` and `Set-MsolUser`: directory users, per-user MFA
/// (StrongAuthenticationRequirements) and sign-in blocking. [EXCHANGE-FACTS 6.1, 6.2]
///
/// MSOnline cmdlets take no -WhatIf/-Confirm (they don't support ShouldProcess), and their
/// errors come from the local module, not from a remote session.
enum MsolCmdlets {
    static let definitions: [CmdletDefinition] = [getUser, setUser]

    // MARK: Get-MsolUser

    static let getUser = CmdletDefinition(
        "Get-MsolUser", module: .msonline,
        synopsis: "Gets directory users: one by -UserPrincipalName or -ObjectId, or a list (500 unless -All or -MaxResults).",
        parameters: [
            ParameterDefinition("UserPrincipalName", .string, pipeline: .byPropertyName, help: "The user to get, by user ID."),
            ParameterDefinition("ObjectId", .string, pipeline: .byPropertyName, help: "The user to get, by object ID (a GUID)."),
            ParameterDefinition("All", .switchParameter, help: "Return every user, not just the first 500."),
            ParameterDefinition("MaxResults", .int, help: "The most users to return (default 500)."),
            ParameterDefinition("SearchString", .string,
                                help: "Only users whose display name, user ID, first or last name starts with this text."),
        ]
    ) { context, parameters, _ in
        let tenant = context.tenant
        if let upn = parameters.string("UserPrincipalName") {
            guard let user = tenant.user(upn: upn.trimmedWhitespace) else {
                context.writeError(userNotFound(upn, context))
                return []
            }
            return [view(user, tenant)]
        }
        if let id = parameters.string("ObjectId") {
            guard let g = UUID.parse(id.trimmedWhitespace), let user = tenant.users.first(where: { $0.objectId == g }) else {
                context.writeError(userNotFound(id, context))
                return []
            }
            return [view(user, tenant)]
        }
        var users = tenant.users
        if let search = parameters.string("SearchString")?.lowercased(), !search.isEmpty {
            users = users.filter { u in
                [u.displayName, u.userPrincipalName, u.firstName ?? "", u.lastName ?? ""].contains { $0.lowercased().hasPrefix(search) }
            }
        }
        if !parameters.isOn("All") {
            users = Array(users.prefix(max(0, parameters.int("MaxResults") ?? 500)))
        }
        return users.map { view($0, tenant) }
    }

    // MARK: Set-MsolUser

    static let setUser = CmdletDefinition(
        "Set-MsolUser", module: .msonline,
        synopsis: "Changes a directory user: per-user MFA (-StrongAuthenticationRequirements), -BlockCredential, address attributes.",
        parameters: [
            ParameterDefinition("UserPrincipalName", .string, pipeline: .byPropertyName, help: "The user to change, by user ID."),
            ParameterDefinition("ObjectId", .string, pipeline: .byPropertyName, help: "The user to change, by object ID (a GUID)."),
            ParameterDefinition("StrongAuthenticationRequirements", .objects,
                                help: "Per-user MFA: StrongAuthenticationRequirement objects with State Enabled or Enforced; @() turns it off."),
            ParameterDefinition("BlockCredential", .bool, help: "$true blocks the user from signing in."),
            ParameterDefinition("DisplayName", .string, help: "The user's display name."),
            ParameterDefinition("FirstName", .string, help: "The user's first name."),
            ParameterDefinition("LastName", .string, help: "The user's last name."),
            ParameterDefinition("Title", .string, help: "The user's job title."),
            ParameterDefinition("Department", .string, help: "The user's department."),
            ParameterDefinition("Office", .string, help: "The user's office."),
            ParameterDefinition("StreetAddress", .string, help: "The user's street address."),
            ParameterDefinition("City", .string, help: "The user's city."),
            ParameterDefinition("State", .string, help: "The user's state or province."),
            ParameterDefinition("PostalCode", .string, help: "The user's postal code."),
            ParameterDefinition("Country", .string, help: "The user's country or region."),
            ParameterDefinition("UsageLocation", .string, help: "The two-letter country code where the user's services are used."),
        ]
    ) { context, parameters, _ in
        let cmdlet = context.definition.name
        let tenant = context.tenant
        let key = parameters.string("UserPrincipalName") ?? parameters.string("ObjectId") ?? ""
        let index: Int?
        if let upn = parameters.string("UserPrincipalName") {
            index = tenant.userIndex(upn: upn.trimmedWhitespace)
        } else if let id = parameters.string("ObjectId"), let g = UUID.parse(id.trimmedWhitespace) {
            index = tenant.users.firstIndex { $0.objectId == g }
        } else {
            index = nil
        }
        guard let index else {
            context.writeError(userNotFound(key, context))
            return []
        }
        var state: PerUserMfaState?
        if let requirements = parameters.value("StrongAuthenticationRequirements") {
            do throws(ShellError) {
                state = try mfaState(requirements, cmdlet: cmdlet, span: parameters.spans["StrongAuthenticationRequirements"])
            } catch {
                if error.isTerminating { throw error }
                context.writeError(error)
                return []
            }
        }
        let upn = tenant.users[index].userPrincipalName
        let strings: [(String, WritableKeyPath<User, String?>)] = [
            ("FirstName", \.firstName), ("LastName", \.lastName), ("Title", \.title), ("Department", \.department),
            ("Office", \.office), ("StreetAddress", \.streetAddress), ("City", \.city), ("State", \.stateOrProvince),
            ("PostalCode", \.postalCode), ("Country", \.countryOrRegion), ("UsageLocation", \.usageLocation),
        ]
        context.session.commit(cmdlet, objectId: upn, parameters: ExchangeSupport.auditRecords(parameters)) { tenant in
            tenant.updateUser(at: index) { user in
                if let state {
                    // Turning per-user MFA off deletes the user's app passwords (Entra logs
                    // "Delete application password for user." with it).
                    if state == .Disabled { user.appPasswords = [] }
                    user.strongAuthenticationState = state
                }
                if case .bool(let block)? = parameters.value("BlockCredential") { user.blockCredential = block }
                if let name = parameters.string("DisplayName") { user.displayName = name }
                for (name, path) in strings where parameters.has(name) {
                    user[keyPath: path] = parameters.string(name).flatMap { $0.isEmpty ? nil : $0 }
                }
            }
        }
        return []
    }

    // MARK: Objects

    /// A Get-MsolUser object: MSOnline's User, properties in its (alphabetical) order.
    static func view(_ user: User, _ tenant: Tenant) -> PSValue {
        let skuPrefix = tenant.info.initialDomain.split(separator: ".").first.map(String.init) ?? tenant.info.initialDomain
        let licenses = user.licenses.map { sku in
            PSValue.object(PSObject(typeName: "Microsoft.Online.Administration.UserLicense", properties: [
                ("AccountSkuId", .string("\(skuPrefix):\(sku)")),
            ]))
        }
        func text(_ s: String?) -> PSValue { s.map(PSValue.string) ?? .null }
        return .object(PSObject(typeName: TypeNames.msolUser, properties: [
            ("BlockCredential", .bool(user.blockCredential)),
            ("City", text(user.city)),
            ("Country", text(user.countryOrRegion)),
            ("Department", text(user.department)),
            ("DisplayName", .string(user.displayName)),
            ("FirstName", text(user.firstName)),
            ("IsLicensed", .bool(user.isLicensed)),
            ("LastName", text(user.lastName)),
            ("LastPasswordChangeTimestamp", user.lastPasswordChange.map(PSValue.date) ?? .date(user.whenCreated)),
            ("Licenses", .array(PSArray(licenses, typeName: "System.Collections.Generic.List`1[Microsoft.Online.Administration.UserLicense]"))),
            ("ObjectId", .exchange(.guid(user.objectId))),
            ("Office", text(user.office)),
            ("PostalCode", text(user.postalCode)),
            ("State", text(user.stateOrProvince)),
            ("StreetAddress", text(user.streetAddress)),
            ("StrongAuthenticationMethods", .array(PSArray(methods(user),
                typeName: "System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationMethod]"))),
            ("StrongAuthenticationRequirements", .array(PSArray(requirements(user),
                typeName: "System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationRequirement]"))),
            ("Title", text(user.title)),
            ("UsageLocation", text(user.usageLocation)),
            ("UserPrincipalName", .string(user.userPrincipalName)),
            ("UserType", .string("Member")),
            ("WhenCreated", .date(user.whenCreated)),
        ], ref: .user(user.objectId)))
    }

    /// Disabled is an empty list; otherwise one requirement for every relying party (`*`).
    /// The model keeps no RememberDevicesNotIssuedBefore, so the account's creation time stands in.
    static func requirements(_ user: User) -> [PSValue] {
        guard user.strongAuthenticationState != .Disabled else { return [] }
        return [.object(PSObject(typeName: TypeNames.strongAuthenticationRequirement, properties: [
            ("RelyingParty", .string("*")),
            ("RememberDevicesNotIssuedBefore", .date(user.lastPasswordChange ?? user.whenCreated)),
            ("State", .string(user.strongAuthenticationState.rawValue)),
        ]))]
    }

    /// Registered methods; the first is the default.
    static func methods(_ user: User) -> [PSValue] {
        user.strongAuthenticationMethods.enumerated().map { i, method in
            .object(PSObject(typeName: TypeNames.strongAuthenticationMethod, properties: [
                ("IsDefault", .bool(i == 0)),
                ("MethodType", .string(method.rawValue)),
            ]))
        }
    }

    /// The per-user MFA state a -StrongAuthenticationRequirements argument sets: no
    /// requirement is Disabled, otherwise the strongest State given. [EXCHANGE-FACTS 6.1]
    static func mfaState(_ value: PSValue, cmdlet: String, span: SourceSpan?) throws(ShellError) -> PerUserMfaState {
        var state = PerUserMfaState.Disabled
        for item in value.enumerated where !item.isNull {
            guard case .object(let o) = item, o.typeNames.contains(where: {
                $0.hasPrefix(TypeNames.strongAuthenticationRequirement) || $0.hasPrefix("Deserialized." + TypeNames.strongAuthenticationRequirement)
            }) else {
                throw ShellError(
                    message: "Cannot bind parameter 'StrongAuthenticationRequirements'. Cannot convert the \"\(item.text)\" value of type \"\(item.typeName)\" to type \"\(TypeNames.strongAuthenticationRequirement)\".",
                    category: .InvalidArgument, reason: "ParameterBindingException",
                    errorId: "CannotConvertArgumentNoMessage,Microsoft.Online.Administration.Automation.SetUser",
                    activity: cmdlet, span: span)
            }
            let text = o.property("State")?.text ?? ""
            guard let s = PerUserMfaState.named(text) else {
                // MSOnline's wording for a bad State is UNCONFIRMED.
                throw ShellError(
                    message: "Invalid value for parameter. Parameter Name: StrongAuthenticationRequirements. State \"\(text)\" is not one of Enabled, Enforced.",
                    category: .InvalidArgument, reason: "MicrosoftOnlineException",
                    errorId: "Microsoft.Online.Administration.Automation.InvalidParameterException,Microsoft.Online.Administration.Automation.SetUser",
                    activity: cmdlet, span: span, isTerminating: false)
            }
            if s.strength > state.strength { state = s }
        }
        return state
    }

    /// `User Not Found.  User: x@y.` with MSOnline's error id. [scripts matching
    /// "Microsoft.Online.Administration.Automation.UserNotFoundException,...GetUser"]
    static func userNotFound(_ who: String, _ context: CmdletContext) -> ShellError {
        let task = context.definition.name == "Set-MsolUser" ? "SetUser" : "GetUser"
        return ShellError(message: "User Not Found.  User: \(who).", category: .OperationStopped, reason: "MicrosoftOnlineException",
                          errorId: "Microsoft.Online.Administration.Automation.UserNotFoundException,Microsoft.Online.Administration.Automation.\(task)",
                          activity: context.definition.name, targetName: who, isTerminating: false)
    }
}

private extension PerUserMfaState {
    var strength: Int {
        switch self {
        case .Disabled: return 0
        case .Enabled: return 1
        case .Enforced: return 2
        }
    }
}
