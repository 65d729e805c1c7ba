import AuditLog
import Foundation
import TenantModel

/// Where the shell's text goes and how it asks questions: the terminal, a script runner,
/// a test, or the REST server.
public protocol ShellHost: AnyObject {
    /// Formatted output (already rendered text, with its line ends).
    func write(_ text: String)
    /// A rendered error record.
    func writeError(_ text: String)
    func writeWarning(_ text: String)
    /// Write-Host text.
    func writeHost(_ text: String)
    /// True only for a person at a terminal: Remove-* confirmations and Get-Credential ask then.
    var isInteractive: Bool { get }
    /// Asks a yes/no confirmation; only called when `isInteractive`.
    func confirm(caption: String, message: String) -> ConfirmAnswer
    /// Reads a line (Get-Credential's prompts); nil when there is no terminal.
    func readLine(prompt: String, secret: Bool) -> String?
}

public enum ConfirmAnswer: Sendable { case yes, yesToAll, no, noToAll }

/// A host that collects everything in memory: scripts, tests and the REST server use it.
public final class BufferHost: ShellHost {
    public private(set) var output = ""
    public private(set) var errors: [String] = []
    public private(set) var warnings: [String] = []
    public var isInteractive = false
    public var answers: [ConfirmAnswer] = []

    public init() {}

    public func write(_ text: String) { output += text }
    public func writeError(_ text: String) { errors.append(text) }
    public func writeWarning(_ text: String) { warnings.append(text) }
    public func writeHost(_ text: String) { output += text + "\n" }
    public func confirm(caption: String, message: String) -> ConfirmAnswer { answers.isEmpty ? .no : answers.removeFirst() }
    public func readLine(prompt: String, secret: Bool) -> String? { nil }
}

/// The protocol a shell connection authenticates with.
public enum ConnectionProtocol: String, Sendable {
    /// New-PSSession / Connect-ExchangeOnline / Connect-EXOPSSession: Exchange's RemotePowerShell.
    case remotePowerShell = "RemotePowerShell"
    /// Connect-MsolService: an Entra ID sign-in.
    case azureAD = "AzureAD"
}

/// A sign-in the shell's connection cmdlets ask for.
public struct AuthenticationRequest: Sendable, Hashable {
    public enum Method: String, Sendable { case basic = "BasicAuthentication", modern = "OAuthAuthentication" }
    public var user: String
    /// The password given (nil for an interactive modern sign-in that names only the user).
    public var password: String?
    public var connection: ConnectionProtocol
    public var method: Method
    /// Whether the person completed MFA (modern sign-in at a terminal).
    public var mfaCompleted: Bool
    public var clientIP: String

    public init(user: String, password: String?, connection: ConnectionProtocol, method: Method,
                mfaCompleted: Bool = false, clientIP: String = "198.51.100.10") {
        self.user = user
        self.password = password
        self.connection = connection
        self.method = method
        self.mfaCompleted = mfaCompleted
        self.clientIP = clientIP
    }
}

public enum AuthenticationResult: Sendable, Hashable {
    case success(userPrincipalName: String)
    /// The sign-in failed; `reason` is for explanations, the cmdlet prints its own text.
    case failure(reason: String)
}

/// The one seam through which the connection cmdlets authenticate. The default checks
/// the directory: the account exists, is not blocked, and the password (or an app
/// password) is right. The access pipeline replaces it with the full evaluation.
public protocol Authenticator: Sendable {
    func authenticate(_ request: AuthenticationRequest, in tenant: inout Tenant) -> AuthenticationResult
    /// The same, also handing back what the sign-in logged (the default logs nothing).
    func authenticate(_ request: AuthenticationRequest, in tenant: inout Tenant, events: inout [AuditEvent]) -> AuthenticationResult
}

extension Authenticator {
    public func authenticate(_ request: AuthenticationRequest, in tenant: inout Tenant, events: inout [AuditEvent]) -> AuthenticationResult {
        authenticate(request, in: &tenant)
    }
}

public struct DirectoryAuthenticator: Authenticator {
    public init() {}

    public func authenticate(_ request: AuthenticationRequest, in tenant: inout Tenant) -> AuthenticationResult {
        guard let user = tenant.user(upn: request.user) else { return .failure(reason: "UserNotFound") }
        guard user.accountEnabled else { return .failure(reason: "AccountDisabled") }
        guard let password = request.password else {
            return request.method == .modern ? .success(userPrincipalName: user.userPrincipalName) : .failure(reason: "InvalidCredentials")
        }
        guard password == user.password || user.appPasswords.contains(password) else { return .failure(reason: "InvalidCredentials") }
        return .success(userPrincipalName: user.userPrincipalName)
    }
}

/// A change an admin made through a cmdlet: what the command layer reports once per
/// mutation, for the admin audit log.
public struct AdminAction: Sendable, Hashable {
    public var cmdlet: String
    /// Parameters as the audit record shows them: name and value as text.
    public var parameters: [ParameterRecord]
    /// The object changed (its identity).
    public var objectId: String
    public var actor: String?
    public var time: Date
    public var succeeded: Bool

    public struct ParameterRecord: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }
}

/// An imported remote session (New-PSSession).
public struct PSSessionInfo: Sendable, Hashable {
    public var id: Int
    public var name: String
    public var computerName: String
    public var configurationName: String
    public var user: String
    public var state: String
}

/// One shell: a tenant, who is connected, and the cmdlets available.
public final class ShellSession: @unchecked Sendable {
    public var tenant: Tenant
    public let registry: CmdletRegistry
    public var host: ShellHost
    public var authenticator: Authenticator
    /// The account the Exchange connection runs as (nil before a connection).
    public var exchangeIdentity: String?
    /// The account Connect-MsolService signed in as.
    public var msolIdentity: String?
    public var psSessions: [PSSessionInfo] = []
    /// True once Import-PSSession or Connect-ExchangeOnline made the Exchange cmdlets available.
    public var exchangeImported = false
    /// Called once for each change a cmdlet commits (the admin audit hook).
    public var onCommit: ((AdminAction) -> Void)?
    /// Where relative paths (Export-Csv) resolve.
    public var workingDirectory: String
    /// The client address this shell connects from (for access checks).
    public var clientIP = "198.51.100.10"
    /// Shell variables, case-insensitive.
    public var variables: [String: PSValue] = [:]
    /// The tenant's logs (unified audit log, mailbox audit log, sign-in log).
    public var audit = AuditTrail()
    /// Search-UnifiedAuditLog paging sessions by SessionId.
    public var auditSearchSessions: [String: AuditSearchSession] = [:]
    /// The runspace id remote objects carry.
    public let runspaceId = UUID(uuidString: "5c3f6a9e-1d2b-4c8e-9f70-2a6b8d4e1c3f")!

    public init(tenant: Tenant, host: ShellHost = BufferHost(), registry: CmdletRegistry = .standard,
                authenticator: Authenticator = PipelineAuthenticator(),
                workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.tenant = tenant
        self.host = host
        self.registry = registry
        self.authenticator = authenticator
        self.workingDirectory = workingDirectory
    }

    /// Whether the cmdlets of `module` can be called now.
    public func isAvailable(_ module: CmdletModule) -> Bool {
        switch module {
        case .core, .connection, .simulator: return true
        case .exchange: return exchangeImported
        case .msonline: return msolIdentity != nil
        }
    }

    /// The command layer: every mutation of the tenant goes through here, once. `change`
    /// must validate before it mutates (throw first, then assign), so a failed command
    /// leaves the tenant as it was.
    public func commit<R>(_ cmdlet: String, objectId: String, parameters: [AdminAction.ParameterRecord],
                          _ change: (inout Tenant) throws -> R) rethrows -> R {
        let isDirectory = cmdlet.lowercased().contains("-msol")
        let userBefore = isDirectory ? tenant.user(upn: objectId) : nil
        let result = try change(&tenant)
        let actor = exchangeIdentity ?? msolIdentity
        let action = AdminAction(cmdlet: cmdlet, parameters: parameters, objectId: objectId, actor: actor, time: tenant.now, succeeded: true)
        if isDirectory {
            if let before = userBefore, let after = tenant.user(upn: objectId) {
                for event in DirectoryAuditing.events(before: before, after: after, actor: msolIdentity ?? actor ?? "", time: tenant.now) {
                    audit.record(.directoryChange(event), in: tenant)
                }
            }
        } else {
            audit.record(.adminCmdlet(AdminCmdletEvent(
                time: tenant.now, cmdlet: cmdlet, parameters: parameters.map { NameValue($0.name, $0.value) },
                objectId: objectId, actor: actor, clientIP: clientIP, succeeded: true)), in: tenant)
        }
        onCommit?(action)
        return result
    }

    /// Authenticates a connection cmdlet's sign-in through the session's authenticator and
    /// records what it logged.
    public func authenticate(_ request: AuthenticationRequest) -> AuthenticationResult {
        var events: [AuditEvent] = []
        let result = authenticator.authenticate(request, in: &tenant, events: &events)
        record(events)
        return result
    }

    /// Records sign-in (and other) events an access evaluation produced.
    public func record(_ events: [AuditEvent]) {
        for event in events { audit.record(event, in: tenant) }
    }

    /// Resolves a path against the working directory.
    public func resolvePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
    }
}

/// What a cmdlet body sees: the session, its own name and position, and the streams.
public final class CmdletContext: @unchecked Sendable {
    public let session: ShellSession
    public let definition: CmdletDefinition
    public let call: CommandCall
    /// The interpreter, for cmdlets that run script blocks (Where-Object, ForEach-Object).
    public let interpreter: Interpreter
    public var whatIf = false
    /// True when -Confirm:$false was given (or -Confirm without a terminal must not ask).
    public var confirmSuppressed = false
    public var confirmRequested = false
    /// `-ErrorAction`: Stop turns the first error into a script-ending one (the interpreter
    /// reports it); SilentlyContinue and Ignore keep errors off the screen.
    var errorAction: String?
    var yesToAll = false
    var noToAll = false
    public private(set) var errors: [ShellError] = []

    init(session: ShellSession, definition: CmdletDefinition, call: CommandCall, interpreter: Interpreter) {
        self.session = session
        self.definition = definition
        self.call = call
        self.interpreter = interpreter
    }

    public var tenant: Tenant { session.tenant }

    /// Writes a non-terminating error; the pipeline goes on.
    public func writeError(_ error: ShellError) {
        var e = error
        if e.activity.isEmpty { e.activity = definition.name }
        if e.span == nil, !e.isRemote { e.span = call.span }
        e.isTerminating = false
        errors.append(e)
        switch errorAction?.lowercased() {
        case "stop", "silentlycontinue", "ignore": break
        default: interpreter.report(e)
        }
    }

    public func writeWarning(_ text: String) { session.host.writeWarning(text) }

    /// PowerShell's ShouldProcess: prints "What if: ..." under -WhatIf and returns false;
    /// asks when confirmation is due; otherwise true.
    public func shouldProcess(target: String, action: String? = nil) -> Bool {
        let operation = action ?? definition.name
        if whatIf {
            session.host.write("What if: Performing the operation \"\(operation)\" on target \"\(target)\".\n")
            return false
        }
        let mustAsk = (definition.confirmsByDefault && !confirmSuppressed) || confirmRequested
        guard mustAsk, !yesToAll else { return !noToAll }
        guard session.host.isInteractive else {
            writeError(ShellError(
                message: "\(definition.name) needs confirmation to perform the operation \"\(operation)\" on target \"\(target)\", and there is no terminal to ask. Add -Confirm:$false to run it without asking.",
                category: .InvalidOperation, reason: "HostException", errorId: "ConfirmationRequired,\(definition.name)",
                activity: definition.name, targetName: target))
            return false
        }
        switch session.host.confirm(caption: "Confirm",
                                    message: "Are you sure you want to perform this action?\nPerforming the operation \"\(operation)\" on target \"\(target)\".") {
        case .yes: return true
        case .yesToAll: yesToAll = true; return true
        case .no: return false
        case .noToAll: noToAll = true; return false
        }
    }
}

extension ShellSession {
    /// Connects to Exchange and MSOnline as the tenant's first global administrator without a
    /// sign-in (for `--connected` and tests that are not about connecting).
    public func connectAsAdministrator() {
        guard let admin = tenant.users.first(where: { $0.adminRoles.contains(DirectoryRole.globalAdministrator) }) ?? tenant.users.first else { return }
        exchangeIdentity = admin.userPrincipalName
        exchangeImported = true
        msolIdentity = admin.userPrincipalName
    }
}
