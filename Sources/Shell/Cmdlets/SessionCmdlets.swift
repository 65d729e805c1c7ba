import Foundation
import TenantModel

/// The connection cmdlets. They authenticate through the session's one Authenticator seam,
/// so the access pipeline decides who may connect (MFA, client access rules).
enum SessionCmdlets {
    static let definitions: [CmdletDefinition] = [newPSSession, importPSSession, removePSSession, getPSSession,
                                                  connectExchangeOnline, connectEXOPSSession, disconnectExchangeOnline,
                                                  connectMsolService, getCredential, convertToSecureString, newObject]

    /// The user name and password of a PSCredential (or a plain user name).
    static func credential(_ value: PSValue?) -> (user: String, password: String?)? {
        guard let value else { return nil }
        if case .object(let o) = value, o.typeNames.first == TypeNames.psCredential {
            let user = o.property("UserName")?.text ?? ""
            var password: String?
            if case .object(let secure)? = o.property("Password") { password = secure.secret }
            return (user, password)
        }
        return (value.text, nil)
    }

    static func connect(_ context: CmdletContext, user: String, password: String?, method: AuthenticationRequest.Method,
                        connection: ConnectionProtocol, mfaCompleted: Bool) -> AuthenticationResult {
        let request = AuthenticationRequest(user: user, password: password, connection: connection, method: method,
                                            mfaCompleted: mfaCompleted, clientIP: context.session.clientIP)
        return context.session.authenticate(request)
    }

    static let newPSSession = CmdletDefinition(
        "New-PSSession", module: .core, synopsis: "Opens a remote PowerShell session to Exchange Online (basic authentication, the white paper's way).",
        parameters: [
            ParameterDefinition("ConfigurationName", .string, help: "Microsoft.Exchange for Exchange Online."),
            ParameterDefinition("ConnectionUri", .string, position: 0, help: "https://outlook.office365.com/powershell-liveid/"),
            ParameterDefinition("Credential", .credential, help: "The admin's PSCredential."),
            ParameterDefinition("Authentication", .exchange(.enumeration(EnumDescriptor(
                typeName: "System.Management.Automation.Runspaces.AuthenticationMechanism",
                names: ["Default", "Basic", "Negotiate", "NegotiateWithImplicitCredential", "Credssp", "Digest", "Kerberos"]))),
                help: "Basic, as Exchange Online's remote PowerShell took it."),
            ParameterDefinition("AllowRedirection", .switchParameter, help: "Follow the service's redirection."),
            ParameterDefinition("Name", .string, help: "A name for the session."),
        ]
    ) { context, parameters, _ in
        let uri = parameters.string("ConnectionUri") ?? ""
        guard let (user, password) = credential(parameters.value("Credential")) else {
            throw ShellError(message: "Connecting to remote server outlook.office365.com failed with the following error message : The WinRM client cannot process the request. A credential is required. For more information, see the about_Remote_Troubleshooting Help topic.",
                             category: .OperationStopped, reason: "PSRemotingTransportException", errorId: "PSSessionOpenFailed",
                             activity: "New-PSSession", targetName: uri)
        }
        let method: AuthenticationRequest.Method = parameters.string("Authentication")?.lowercased() == "basic" ? .basic : .modern
        switch connect(context, user: user, password: password, method: method, connection: .remotePowerShell, mfaCompleted: false) {
        case .failure:
            throw ShellError(message: "[outlook.office365.com] Connecting to remote server outlook.office365.com failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.",
                             category: .OpenError, reason: "PSRemotingTransportException", errorId: "AccessDenied,PSSessionOpenFailed",
                             activity: "New-PSSession", targetName: "System.Management.Automation.RemoteRunspace")
        case .success(let upn):
            let id = (context.session.psSessions.map(\.id).max() ?? 0) + 1
            let info = PSSessionInfo(id: id, name: parameters.string("Name") ?? "WinRM\(id)", computerName: "outlook.office365.com",
                                     configurationName: parameters.string("ConfigurationName") ?? "Microsoft.Exchange", user: upn, state: "Opened")
            context.session.psSessions.append(info)
            return [sessionObject(info)]
        }
    }

    static func sessionObject(_ info: PSSessionInfo) -> PSValue {
        .object(PSObject(typeName: TypeNames.psSession, properties: [
            ("Id", .int(info.id)), ("Name", .string(info.name)), ("ComputerName", .string(info.computerName)),
            ("ComputerType", .string("RemoteMachine")), ("State", .string(info.state)), ("Transport", .string("WSMan")),
            ("ConfigurationName", .string(info.configurationName)), ("Availability", .string("Available")),
        ]))
    }

    static func sessionInfo(_ value: PSValue, _ context: CmdletContext) -> PSSessionInfo? {
        guard case .object(let o) = value, o.typeNames.first == TypeNames.psSession, let id = Operators.toInt(o.property("Id") ?? .null) else { return nil }
        return context.session.psSessions.first { $0.id == id && $0.state == "Opened" }
    }

    static let importPSSession = CmdletDefinition(
        "Import-PSSession", module: .core, synopsis: "Imports the Exchange cmdlets of a remote session into the shell.",
        parameters: [
            ParameterDefinition("Session", .object, position: 0, mandatory: true, help: "The session New-PSSession returned."),
            ParameterDefinition("AllowClobber", .switchParameter, help: "Replace commands of the same name."),
            ParameterDefinition("DisableNameChecking", .switchParameter, help: "Do not warn about unapproved verbs."),
            ParameterDefinition("Prefix", .string, help: "Not supported by the simulator; refused."),
        ]
    ) { context, parameters, _ in
        guard let info = parameters.value("Session").flatMap({ sessionInfo($0, context) }) else {
            throw ShellError(message: "Cannot validate argument on parameter 'Session'. The argument is null or is not an open session. Provide a session from New-PSSession and try again.",
                             category: .InvalidData, reason: "ParameterBindingValidationException",
                             errorId: "ParameterArgumentValidationError,Import-PSSession", activity: "Import-PSSession")
        }
        context.session.exchangeIdentity = info.user
        context.session.exchangeImported = true
        context.session.host.writeWarning("The names of some imported commands from the module 'tmp_exchange' include unapproved verbs that might make them less discoverable. To find the commands with unapproved verbs, run the Import-Module command again with the Verbose parameter. For a list of approved verbs, type Get-Verb.")
        return [.object(PSObject(typeName: "System.Management.Automation.PSModuleInfo", properties: [
            ("ModuleType", .string("Script")), ("Version", .string("1.0")), ("Name", .string("tmp_exchange")),
            ("ExportedCommands", .string("{Add-MailboxPermission, Enable-OrganizationCustomization, Get-Mailbox, Set-Mailbox...}")),
        ]))]
    }

    static let removePSSession = CmdletDefinition(
        "Remove-PSSession", module: .core, synopsis: "Closes a remote session; its imported cmdlets stop working.",
        parameters: [ParameterDefinition("Session", .objects, position: 0, pipeline: .byValue, help: "The session(s) to close.")]
    ) { context, parameters, _ in
        for value in parameters.value("Session")?.enumerated ?? [] {
            guard let info = sessionInfo(value, context) else { continue }
            if let i = context.session.psSessions.firstIndex(of: info) { context.session.psSessions[i].state = "Closed" }
            if context.session.exchangeIdentity == info.user, !context.session.psSessions.contains(where: { $0.state == "Opened" }) {
                context.session.exchangeImported = false
                context.session.exchangeIdentity = nil
            }
        }
        return []
    }

    static let getPSSession = CmdletDefinition(
        "Get-PSSession", module: .core, synopsis: "Lists the shell's remote sessions.", parameters: []
    ) { context, _, _ in
        context.session.psSessions.map(sessionObject)
    }

    static func modernConnect(_ context: CmdletContext, _ parameters: BoundParameters, cmdlet: String) throws -> [PSValue] {
        var user = parameters.string("UserPrincipalName")
        var password: String?
        if let cred = credential(parameters.value("Credential")) { user = cred.user; password = cred.password }
        guard let upn = user else {
            throw ShellError(message: "\(cmdlet) needs -UserPrincipalName or -Credential here: the simulator has no browser to sign in with.",
                             category: .InvalidArgument, reason: "ArgumentException", errorId: "NoInteractiveSignIn,\(cmdlet)", activity: cmdlet)
        }
        // An interactive modern sign-in completes MFA at the prompt; -Credential (ROPC) cannot.
        let mfa = parameters.value("Credential") == nil
        switch connect(context, user: upn, password: password, method: .modern, connection: .remotePowerShell, mfaCompleted: mfa) {
        case .failure(let reason):
            throw ShellError(message: "AADSTS: The sign-in for \(upn) failed (\(reason)).",
                             category: .AuthenticationError, reason: "MsalUiRequiredException", errorId: "Connect-ExchangeOnline,\(cmdlet)",
                             activity: cmdlet)
        case .success(let u):
            context.session.exchangeIdentity = u
            context.session.exchangeImported = true
            if !parameters.isOn("ShowBanner") || parameters.has("ShowBanner") == false {
                context.session.host.writeHost("This V3 EXO PowerShell module contains new REST API backed Exchange Online cmdlets which doesn't require WinRM for Client-Server communication.")
            }
            return []
        }
    }

    static let connectParameters: [ParameterDefinition] = [
        ParameterDefinition("UserPrincipalName", .string, help: "The admin account to sign in as."),
        ParameterDefinition("Credential", .credential, help: "Sign in with a user name and password (no MFA prompt)."),
        ParameterDefinition("ShowBanner", .switchParameter, help: "-ShowBanner:$false hides the banner."),
        ParameterDefinition("ShowProgress", .bool, help: "Accepted and ignored."),
        ParameterDefinition("Organization", .string, help: "The tenant's domain (app-only sign-in); accepted and ignored."),
        ParameterDefinition("ExchangeEnvironmentName", .string, help: "O365Default; accepted and ignored."),
    ]

    static let connectExchangeOnline = CmdletDefinition(
        "Connect-ExchangeOnline", module: .connection, synopsis: "Connects with modern authentication (ExchangeOnlineManagement v3).",
        parameters: connectParameters
    ) { context, parameters, _ in try modernConnect(context, parameters, cmdlet: "Connect-ExchangeOnline") }

    static let connectEXOPSSession = CmdletDefinition(
        "Connect-EXOPSSession", module: .connection, synopsis: "Connects with modern authentication (the older EXO module's name).",
        parameters: connectParameters
    ) { context, parameters, _ in try modernConnect(context, parameters, cmdlet: "Connect-EXOPSSession") }

    static let disconnectExchangeOnline = CmdletDefinition(
        "Disconnect-ExchangeOnline", module: .connection, synopsis: "Ends the Exchange Online connection.",
        parameters: [], supportsShouldProcess: true, confirmsByDefault: true
    ) { context, _, _ in
        guard context.shouldProcess(target: "Exchange Online session", action: "Disconnect") else { return [] }
        context.session.exchangeImported = false
        context.session.exchangeIdentity = nil
        return []
    }

    static let connectMsolService = CmdletDefinition(
        "Connect-MsolService", module: .core, synopsis: "Connects to the MSOnline (Azure AD) service for per-user MFA cmdlets.",
        parameters: [ParameterDefinition("Credential", .credential, position: 0, help: "The admin's PSCredential.")]
    ) { context, parameters, _ in
        guard let (user, password) = credential(parameters.value("Credential")) else {
            throw ShellError(message: "Connect-MsolService needs -Credential here: the simulator has no browser to sign in with.",
                             category: .InvalidArgument, reason: "ArgumentException", errorId: "NoInteractiveSignIn,Connect-MsolService",
                             activity: "Connect-MsolService")
        }
        switch connect(context, user: user, password: password, method: .basic, connection: .azureAD, mfaCompleted: false) {
        case .failure:
            throw ShellError(message: "Authentication Error: Bad username or password.", category: .OperationStopped,
                             reason: "MicrosoftOnlineException", errorId: "Microsoft.Online.Administration.Automation.MicrosoftOnlineException,Microsoft.Online.Administration.Automation.ConnectMsolService",
                             activity: "Connect-MsolService")
        case .success(let upn):
            context.session.msolIdentity = upn
            return []
        }
    }

    static let getCredential = CmdletDefinition(
        "Get-Credential", module: .core, synopsis: "Asks for a user name and password and returns a PSCredential.",
        parameters: [ParameterDefinition("Credential", .string, position: 0, help: "The user name to prefill."),
                     ParameterDefinition("Message", .string, help: "The prompt text.")]
    ) { context, parameters, _ in
        guard context.session.host.isInteractive else {
            throw ShellError(message: "Get-Credential needs a terminal to ask for the password, and this run has none. Build the credential instead: New-Object System.Management.Automation.PSCredential (\"user@domain\", (ConvertTo-SecureString \"password\" -AsPlainText -Force))",
                             category: .InvalidOperation, reason: "PSInvalidOperationException",
                             errorId: "CouldNotPromptForCredential,Microsoft.PowerShell.Commands.GetCredentialCommand", activity: "Get-Credential")
        }
        let user = parameters.string("Credential") ?? context.session.host.readLine(prompt: "User: ", secret: false) ?? ""
        let password = context.session.host.readLine(prompt: "Password for user \(user): ", secret: true) ?? ""
        return [credentialObject(user: user, password: password)]
    }

    static func credentialObject(user: String, password: String) -> PSValue {
        .object(PSObject(typeName: TypeNames.psCredential, properties: [
            ("UserName", .string(user)), ("Password", .object(PSObject.secureString(password))),
        ]))
    }

    static let convertToSecureString = CmdletDefinition(
        "ConvertTo-SecureString", module: .core, synopsis: "Makes a SecureString from plain text (with -AsPlainText -Force).",
        parameters: [ParameterDefinition("String", .string, position: 0, mandatory: true, pipeline: .byValue, help: "The text to protect."),
                     ParameterDefinition("AsPlainText", .switchParameter, help: "The input is plain text."),
                     ParameterDefinition("Force", .switchParameter, help: "Confirms you understand plain text is insecure.")]
    ) { _, parameters, _ in
        let text = parameters.string("String") ?? ""
        guard parameters.isOn("AsPlainText") else {
            throw ShellError(message: "Input string was not in a correct format.", category: .InvalidArgument, reason: "FormatException",
                             errorId: "ImportSecureString_InvalidArgument,Microsoft.PowerShell.Commands.ConvertToSecureStringCommand",
                             activity: "ConvertTo-SecureString")
        }
        return [.object(PSObject.secureString(text))]
    }

    static let newObject = CmdletDefinition(
        "New-Object", module: .core, synopsis: "Creates the objects the paper builds: PSCredential, StrongAuthenticationRequirement, PSObject.",
        parameters: [ParameterDefinition("TypeName", .string, position: 0, mandatory: true, help: "The .NET type to create."),
                     ParameterDefinition("ArgumentList", .objects, position: 1, aliases: ["Args"], help: "Constructor arguments."),
                     ParameterDefinition("Property", .hashtable, help: "Properties to set on the new object.")]
    ) { _, parameters, _ in
        let type = parameters.string("TypeName") ?? ""
        let args = parameters.value("ArgumentList")?.enumerated ?? []
        var object: PSValue
        switch type.lowercased() {
        case "system.management.automation.pscredential", "management.automation.pscredential", "pscredential":
            guard args.count == 2, case .object(let secure) = args[1], let secret = secure.secret else {
                throw ShellError(message: "Cannot find an overload for \"PSCredential\" and the argument count: \"\(args.count)\".",
                                 category: .InvalidOperation, reason: "MethodException",
                                 errorId: "ConstructorInvokedThrowException,Microsoft.PowerShell.Commands.NewObjectCommand", activity: "New-Object")
            }
            object = credentialObject(user: args[0].text, password: secret)
        case "microsoft.online.administration.strongauthenticationrequirement":
            object = .object(PSObject(typeName: TypeNames.strongAuthenticationRequirement, properties: [
                ("RelyingParty", .null), ("State", .null), ("RememberDevicesNotIssuedBefore", .date(Date(timeIntervalSince1970: -62_135_596_800))),
            ]))
        case "psobject", "system.management.automation.psobject", "pscustomobject", "system.object", "object":
            object = .object(PSObject(properties: []))
        case "system.collections.arraylist", "collections.arraylist":
            object = .array(PSArray(args, typeName: "System.Collections.ArrayList"))
        case "system.collections.hashtable", "hashtable":
            object = .hashtable(PSHashtable())
        default:
            throw ShellError(message: "Cannot find type [\(type)]: verify that the assembly containing this type is loaded.",
                             category: .InvalidType, reason: "PSArgumentException",
                             errorId: "TypeNotFound,Microsoft.PowerShell.Commands.NewObjectCommand", activity: "New-Object")
        }
        if case .hashtable(let props)? = parameters.value("Property"), case .object(let o) = object {
            for (k, v) in props.pairs { o.set(k, v) }
        }
        return [object]
    }
}
