import AccessControl
import AuditLog
import Foundation
import TenantModel

/// Simulator cmdlets. Their noun starts with `Sim` so nobody mistakes them for Exchange's.
enum SimCmdlets {
    static let definitions: [CmdletDefinition] = [getSimClock, setSimClock, waitSimTime, getSimSignInLog,
                                                  invokeSimSignIn, invokeSimMailboxAction]

    static let protocolValues = ValueType.enumeration(EnumDescriptor(
        typeName: "TenantSim.AccessProtocol", names: AccessProtocol.allCases.map(\.rawValue)))

    static let signInParameters: [ParameterDefinition] = [
        ParameterDefinition("User", .string, position: 0, mandatory: true, help: "The user name the client signs in with (a UPN)."),
        ParameterDefinition("Protocol", .exchange(protocolValues), help: "AzureAD (default), IMAP4, POP3, SMTP, ExchangeActiveSync, OutlookWebApp, MAPI, RemotePowerShell, ..."),
        ParameterDefinition("ClientIP", .string, aliases: ["From"], help: "The client's address (default 198.51.100.10)."),
        ParameterDefinition("Port", .int, help: "The client's source port."),
        ParameterDefinition("AuthenticationType", .exchange(ClientAccessAuthenticationMethod.valueType), aliases: ["Auth"],
                            help: "BasicAuthentication for legacy clients (default for IMAP4/POP3/SMTP/EAS), OAuthAuthentication for modern ones."),
        ParameterDefinition("Password", .string, help: "The password the client sends; omit for a token sign-in."),
        ParameterDefinition("MfaCompleted", .switchParameter, help: "The person completed MFA in this sign-in."),
        ParameterDefinition("UserAgent", .string, help: "The client's user agent."),
        ParameterDefinition("MiddleTierApp", .switchParameter, help: "A Microsoft-owned middle-tier app (client access rules with RuleScope Users skip it)."),
        ParameterDefinition("DeviceId", .string, help: "ActiveSync: the device's id."),
        ParameterDefinition("DeviceType", .string, help: "ActiveSync: the device's type (iPhone, Android, ...)."),
        ParameterDefinition("DeviceModel", .string, help: "ActiveSync: the device's model."),
        ParameterDefinition("DeviceOS", .string, help: "ActiveSync: the device's OS."),
        ParameterDefinition("DeviceUserAgent", .string, help: "ActiveSync: the device's user agent."),
        ParameterDefinition("NotProvisionable", .switchParameter, help: "ActiveSync: the device cannot enforce a mobile policy."),
        ParameterDefinition("Explain", .switchParameter, help: "Also show the stage-by-stage explanation."),
    ]

    /// The attempt the sign-in parameters describe.
    static func attempt(_ parameters: BoundParameters, _ session: ShellSession) -> AccessAttempt {
        let proto = parameters.string("Protocol").flatMap(AccessProtocol.named) ?? .AzureAD
        let legacy: Set<AccessProtocol> = [.IMAP4, .POP3, .SMTP, .ExchangeActiveSync]
        let auth = parameters.string("AuthenticationType").flatMap(ClientAccessAuthenticationMethod.named)
            ?? (legacy.contains(proto) ? .BasicAuthentication : .OAuthAuthentication)
        var device: DeviceInfo?
        if let id = parameters.string("DeviceId") {
            device = DeviceInfo(id: id, type: parameters.string("DeviceType") ?? "iPhone", model: parameters.string("DeviceModel"),
                                os: parameters.string("DeviceOS"), userAgent: parameters.string("DeviceUserAgent"),
                                provisionable: !parameters.isOn("NotProvisionable"))
        }
        return AccessAttempt(user: parameters.string("User") ?? "", accessProtocol: proto,
                             clientIP: parameters.string("ClientIP") ?? session.clientIP, clientPort: parameters.int("Port") ?? 443,
                             authentication: auth, password: parameters.string("Password"), mfaCompleted: parameters.isOn("MfaCompleted"),
                             userAgent: parameters.string("UserAgent"), isMiddleTierApp: parameters.isOn("MiddleTierApp"), device: device)
    }

    /// A decision as a shell object.
    static func decisionObject(_ d: AccessDecision, explain: Bool) -> PSValue {
        var props: [(String, PSValue)] = [("Decision", .string(d.outcome.rawValue)), ("Reason", .string(d.reason)),
                                          ("By", d.by.map(PSValue.string) ?? .null), ("Code", d.code.map(PSValue.int) ?? .null)]
        if explain { props.append(("Explanation", .string(d.explanation))) }
        return .object(PSObject(typeName: "TenantSim.AccessDecision", properties: props))
    }

    static let invokeSimSignIn = CmdletDefinition(
        "Invoke-SimSignIn", module: .simulator,
        synopsis: "Simulates a client connecting: runs the access pipeline, applies its effects (lockout, device partnership) and logs it.",
        parameters: signInParameters
    ) { context, parameters, _ in
        let session = context.session
        let evaluation = AccessEvaluator.evaluate(attempt(parameters, session), in: session.tenant, policy: CompiledPolicy(session.tenant),
                                                  explain: true)
        session.tenant.apply(evaluation.changes)
        session.record(evaluation.events)
        return [decisionObject(evaluation.decision, explain: parameters.isOn("Explain"))]
    }

    static let actionValues = ValueType.enumeration(EnumDescriptor(
        typeName: "TenantSim.MailboxAction", names: MailboxAction.allCases.map(\.rawValue)))

    static let invokeSimMailboxAction = CmdletDefinition(
        "Invoke-SimMailboxAction", module: .simulator,
        synopsis: "Simulates what a signed-in user does in a mailbox (read, send, move, delete, create an inbox rule, ...).",
        parameters: signInParameters.filter { ["User", "Protocol", "ClientIP", "Port", "UserAgent", "Explain"].contains($0.name) } + [
            ParameterDefinition("Action", .exchange(actionValues), mandatory: true, help: "read, search, send, send-as, send-on-behalf, move, soft-delete, hard-delete, create-inbox-rule, update-folder-permissions, add-delegate, download-attachment."),
            ParameterDefinition("Mailbox", .string, help: "Whose mailbox (default the user's own)."),
            ParameterDefinition("Parameters", .hashtable, help: "The action's parameters, e.g. @{Name='fwd'; ForwardTo='x@evil.example'}."),
        ]
    ) { context, parameters, _ in
        let session = context.session
        var params: [String: String] = [:]
        if case .hashtable(let h)? = parameters.value("Parameters") { for (k, v) in h.pairs { params[k] = v.text } }
        let request = MailboxActionRequest(
            actor: parameters.string("User") ?? "", action: parameters.string("Action").flatMap(MailboxAction.named) ?? .read,
            mailbox: parameters.string("Mailbox"), accessProtocol: parameters.string("Protocol").flatMap(AccessProtocol.named) ?? .OutlookWebApp,
            userAgent: parameters.string("UserAgent"), clientIP: parameters.string("ClientIP") ?? session.clientIP,
            clientPort: parameters.int("Port"), params: params)
        let evaluation = MailboxActionEvaluator.evaluate(request, in: session.tenant)
        session.tenant.apply(evaluation.changes)
        session.record(evaluation.events)
        return [decisionObject(evaluation.decision, explain: parameters.isOn("Explain"))]
    }

    /// Durations as scenarios write them: `90s`, `15m`, `2h`, `3d`, or a timespan `1.02:00:00`.
    public static func parseDuration(_ text: String) -> TimeInterval? {
        let t = text.trimmedWhitespace.lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let n = Double(t.dropLast(suffix.count)), n >= 0 { return n * factor }
        }
        if t.contains(":"), let span = try? EnhancedTimeSpan.parse(t) { return Double(span.seconds) }
        return nil
    }

    /// Moves the clock and applies retention.
    static func advance(_ session: ShellSession, to date: Date) {
        session.tenant.clock.set(to: date)
        session.audit.expire(now: session.tenant.now, tenant: session.tenant)
    }

    static func clockObject(_ session: ShellSession) -> PSValue {
        .object(PSObject(typeName: "TenantSim.SimClock", properties: [("Now", .date(session.tenant.now)),
                                                                       ("Iso", .string(ISO8601.format(session.tenant.now)))]))
    }

    static let getSimClock = CmdletDefinition(
        "Get-SimClock", module: .simulator, synopsis: "Shows the tenant's simulated clock (UTC).", parameters: []
    ) { context, _, _ in [clockObject(context.session)] }

    static let setSimClock = CmdletDefinition(
        "Set-SimClock", module: .simulator, synopsis: "Moves the simulated clock forward to a date (it never goes back).",
        parameters: [ParameterDefinition("Date", .date, position: 0, mandatory: true, help: "The new time (UTC), e.g. 2026-03-02T09:00:00Z.")]
    ) { context, parameters, _ in
        guard case .date(let d)? = parameters.value("Date") else { return [] }
        guard d >= context.session.tenant.now else {
            throw ShellError(message: "The simulated clock only moves forward: \(ISO8601.format(d)) is before \(ISO8601.format(context.session.tenant.now)).",
                             category: .InvalidArgument, reason: "ArgumentException", errorId: "ClockBackwards,Set-SimClock")
        }
        advance(context.session, to: d)
        return [clockObject(context.session)]
    }

    static let waitSimTime = CmdletDefinition(
        "Wait-SimTime", module: .simulator, synopsis: "Advances the simulated clock by a duration (90s, 15m, 2h, 3d, or d.hh:mm:ss).",
        parameters: [ParameterDefinition("Duration", .string, position: 0, mandatory: true, help: "How long to wait: 90s, 15m, 2h, 3d or 1.02:00:00.")]
    ) { context, parameters, _ in
        let text = parameters.string("Duration") ?? ""
        guard let seconds = parseDuration(text) else {
            throw ShellError(message: "\"\(text)\" isn't a duration. Use a number with s, m, h or d (90s, 15m, 2h, 3d) or d.hh:mm:ss.",
                             category: .InvalidArgument, reason: "ArgumentException", errorId: "BadDuration,Wait-SimTime")
        }
        advance(context.session, to: context.session.tenant.now.addingTimeInterval(seconds))
        return [clockObject(context.session)]
    }

    static let getSimSignInLog = CmdletDefinition(
        "Get-SimSignInLog", module: .simulator, synopsis: "Lists the Entra sign-in log (Graph signIn shape), newest first.",
        parameters: [
            ParameterDefinition("UserPrincipalName", .string, position: 0, help: "Only this user's sign-ins."),
            ParameterDefinition("ErrorCode", .int, help: "Only sign-ins with this AADSTS code (0 = success)."),
            ParameterDefinition("ResultSize", .int, help: "At most this many (default 100)."),
        ]
    ) { context, parameters, _ in
        let upn = parameters.string("UserPrincipalName")?.lowercased()
        let code = parameters.int("ErrorCode")
        let limit = parameters.int("ResultSize") ?? 100
        return context.session.audit.signIns
            .filter { (upn == nil || $0.userPrincipalName.lowercased() == upn) && (code == nil || $0.errorCode == code) }
            .sorted { $0.createdDateTime > $1.createdDateTime }
            .prefix(limit)
            .map { r in
                .object(PSObject(typeName: "TenantSim.SignIn", properties: [
                    ("CreatedDateTime", .date(r.createdDateTime)), ("UserPrincipalName", .string(r.userPrincipalName)),
                    ("AppDisplayName", .string(r.appDisplayName)), ("ClientAppUsed", .string(r.clientAppUsed)),
                    ("IpAddress", .string(r.ipAddress)), ("ErrorCode", .int(r.errorCode)),
                    ("FailureReason", .string(r.resource.value(atPath: "status.failureReason")?.displayText ?? "")),
                    ("Id", .string(r.id.uuidString.lowercased())), ("Resource", .string(r.resource.text)),
                ]))
            }
    }
}
