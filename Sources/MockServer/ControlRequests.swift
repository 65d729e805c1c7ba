import AccessControl
import AuditLog
import Foundation
import Scenarios
import Shell
import TenantModel
import TenantStore

/// The control plane's routes that make things happen in a tenant: a sign-in through the
/// access pipeline, PowerShell through the cmdlet layer, a scenario file.
enum ControlRequests {
    // MARK: Sign-ins

    /// The members a sign-in takes: the API's names and the scenario format's (`from`,
    /// `auth`, `mfa`, `client`, `middle-tier`), so a step can be pasted as JSON.
    static let signInMembers = ["user", "password", "protocol", "clientIP", "from", "port", "authentication", "auth", "mfaCompleted", "mfa",
                                "userAgent", "client", "middleTier", "middle-tier", "device", "explain"]
    static let deviceMembers = ["id", "type", "model", "os", "userAgent", "useragent", "provisionable"]

    static func attempt(_ body: ControlBody) throws(APIError) -> AccessAttempt {
        try body.rejectUnknown(signInMembers)
        let user = try body.required(try body.string("user"), "user", hint: "the user name the client sends (a UPN)")
        let protocolText = try body.string("protocol") ?? AccessProtocol.AzureAD.rawValue
        guard let accessProtocol = AccessProtocol.named(protocolText) else {
            throw APIError(status: 400, code: "InvalidRequest",
                           message: "\"protocol\" is \"\(protocolText)\", which isn't a protocol. Valid values: \(AccessProtocol.allCases.map(\.rawValue).joined(separator: ", ")).",
                           extra: [("member", "protocol"), ("valid", .array(AccessProtocol.allCases.map { .string($0.rawValue) }))])
        }
        var authentication = ClientSpec.defaultAuthentication(for: accessProtocol)
        if let text = try body.string("authentication", "auth") {
            guard let a = ClientAccessAuthenticationMethod.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame }) else {
                throw APIError(status: 400, code: "InvalidRequest",
                               message: "\"authentication\" is \"\(text)\", which isn't an authentication type. Valid values: \(ClientAccessAuthenticationMethod.allCases.map(\.rawValue).joined(separator: ", ")).",
                               extra: [("member", "authentication"), ("valid", .array(ClientAccessAuthenticationMethod.allCases.map { .string($0.rawValue) }))])
            }
            authentication = a
        }
        let clientIP = try body.string("clientIP", "from") ?? ClientSpec.defaultAddress
        guard IPAddressCheck.isValid(clientIP) else {
            throw APIError(status: 400, code: "InvalidRequest", message: "\"clientIP\" is \"\(clientIP)\", which isn't an IPv4 or IPv6 address.",
                           extra: [("member", "clientIP")])
        }
        var device: DeviceInfo?
        if let d = try body.nested("device") {
            try d.rejectUnknown(deviceMembers)
            device = DeviceInfo(id: try d.required(try d.string("id"), "id", hint: "the DeviceId"),
                                type: try d.required(try d.string("type"), "type", hint: "the DeviceType, e.g. iPhone"),
                                model: try d.string("model"), os: try d.string("os"), userAgent: try d.string("userAgent", "useragent"),
                                provisionable: try d.bool("provisionable") ?? true)
        }
        let userAgent = try body.string("userAgent", "client") ?? device?.userAgent
        return AccessAttempt(user: user, accessProtocol: accessProtocol, clientIP: clientIP,
                             clientPort: try body.int("port") ?? ClientSpec.defaultPort(for: accessProtocol),
                             authentication: authentication, password: try body.string("password"),
                             mfaCompleted: try body.bool("mfaCompleted", "mfa") ?? false, userAgent: userAgent,
                             isMiddleTierApp: try body.bool("middleTier", "middle-tier") ?? false, device: device)
    }

    static func decisionJSON(_ d: AccessDecision) -> JSONValue {
        .object([
            "outcome": .string(d.outcome.rawValue), "reason": .string(d.reason), "by": d.by.map(JSONValue.string) ?? .null,
            "code": d.code.map(JSONValue.int) ?? .null,
            "trace": .array(d.trace.map { .object(["stage": .string($0.stage.rawValue), "result": .string($0.result.rawValue), "detail": .string($0.detail)]) }),
        ])
    }

    /// Evaluates an attempt and keeps what it did (lockout counters, devices, sign-in and
    /// audit records), as a real sign-in would.
    static func signIn(_ context: RouteContext) async throws -> SimResponse {
        let body = try ControlBody(context.request)
        let attempt = try attempt(body)
        let explain = try body.bool("explain") ?? false
        let decision = try await context.tenant.evaluate(attempt, explain: explain)
        var json = decisionJSON(decision)
        if !explain, case .object(var o) = json {
            o["trace"] = .array([])
            json = .object(o)
        }
        let label = decision.outcome == .Allowed ? "Allowed" : "\(decision.outcome.rawValue): \(decision.reason)"
        return .json(json, headers: [("X-TenantSim-Decision", label)])
    }

    // MARK: Actions

    /// `{"script":"Set-CASMailbox ...","as":"upn"}`: PowerShell as that user (the tenant's
    /// first Global Administrator when omitted), through the shell's cmdlet layer; and/or
    /// `{"mailboxAction":{...}}`: a sign-in, then one mailbox action over that client, as a
    /// scenario's `act:` step (evaluated, applied and audited).
    static func action(_ context: RouteContext) async throws -> SimResponse {
        let body = try ControlBody(context.request)
        try body.rejectUnknown(["script", "as", "mailboxAction"])
        let script = try body.string("script")
        let actor = try body.string("as")
        let mailboxAction = try body.nested("mailboxAction").map { (b) throws(APIError) in try mailboxRequest(b) }
        guard script != nil || mailboxAction != nil else {
            throw APIError(status: 400, code: "InvalidRequest",
                           message: "Give \"script\" (PowerShell, e.g. \"Get-CASMailbox -Identity jane\") and/or \"mailboxAction\" (a sign-in and an action, e.g. create-inbox-rule).")
        }
        if script == nil, actor != nil {
            throw APIError(status: 400, code: "InvalidRequest", message: "\"as\" names who runs \"script\"; the mailbox action's actor is its \"user\".",
                           extra: [("member", "as")])
        }
        let response = try await context.tenant.perform { (h) throws(APIError) -> JSONObject in
            var out = JSONObject()
            if let script { out = try runScript(h, script, as: actor) }
            if let (attempt, request) = mailboxAction { out["decision"] = decisionJSON(act(h, attempt, request)) }
            return out
        }
        if let decision = response["decision"], let outcome = decision["outcome"]?.stringValue {
            let label = outcome == "Allowed" ? "Allowed" : "\(outcome): \(decision["reason"]?.stringValue ?? "")"
            return .json(.object(response), headers: [("X-TenantSim-Decision", label)])
        }
        return .json(.object(response))
    }

    static func runScript(_ h: isolated TenantHost, _ script: String, as actor: String?) throws(APIError) -> JSONObject {
        let tenant = h.session.tenant
        let user: User?
        if let actor {
            guard let u = tenant.user(upn: actor) else {
                throw APIError(status: 400, code: "UnknownUser", message: "\"as\" names \(actor), who is not a user of \(tenant.info.initialDomain).",
                               extra: [("member", "as")])
            }
            user = u
        } else {
            user = tenant.users.first { $0.adminRoles.contains(DirectoryRole.globalAdministrator) } ?? tenant.users.first
        }
        let result = h.run(script, as: user?.userPrincipalName ?? "admin@\(tenant.info.initialDomain)")
        return [
            "output": .array(result.output.map { AdminAPIRoutes.jsonValue($0) }),
            "errors": .array(result.errors.map { e in
                .object(["message": .string(e.message), "errorId": .string(e.errorId), "category": .string(e.category.rawValue),
                         "reason": .string(e.reason)])
            }),
            "hadTerminatingError": .bool(result.hadTerminatingError),
        ]
    }

    /// A mailbox action: the sign-in members of `signins` (the protocol is the one the
    /// action comes over), plus `action`, `mailbox`, `params`, `compliantDevice`.
    static func mailboxRequest(_ body: ControlBody) throws(APIError) -> (AccessAttempt, MailboxActionRequest) {
        let actionMembers = ["action", "mailbox", "params", "compliantDevice"]
        let signIn = ControlBody(JSONObject(pairs: body.object.pairs.filter { !actionMembers.contains($0.0) && $0.0 != "explain" }), place: body.place)
        try body.rejectUnknown(signInMembers.filter { $0 != "explain" } + actionMembers)
        let attempt = try attempt(signIn)
        let name = try body.required(try body.string("action"), "action", hint: "one of \(MailboxAction.allCases.map(\.rawValue).joined(separator: ", "))")
        guard let action = MailboxAction.named(name) else {
            throw APIError(status: 400, code: "InvalidRequest",
                           message: "\"action\" is \"\(name)\", which isn't a mailbox action. Valid values: \(MailboxAction.allCases.map(\.rawValue).joined(separator: ", ")).",
                           extra: [("member", "action"), ("valid", .array(MailboxAction.allCases.map { .string($0.rawValue) }))])
        }
        var params: [String: String] = [:]
        if let p = try body.nested("params") {
            for (key, value) in p.object.pairs {
                switch value {
                case .string(let s): params[key] = s
                case .bool(let b): params[key] = b ? "true" : "false"
                case .int(let i): params[key] = String(i)
                case .array(let items) where items.allSatisfy { $0.stringValue != nil }: params[key] = items.compactMap(\.stringValue).joined(separator: ";")
                default: throw p.invalid(key, "a string, number, boolean or list of strings", value)
                }
            }
        }
        let request = MailboxActionRequest(actor: attempt.user, action: action, mailbox: try body.string("mailbox"), accessProtocol: attempt.accessProtocol,
                                           userAgent: attempt.userAgent, clientIP: attempt.clientIP, clientPort: attempt.clientPort, params: params,
                                           device: attempt.device, isCompliantDevice: try body.bool("compliantDevice") ?? false)
        return (attempt, request)
    }

    /// Signs in, then (when allowed) acts; the decision's trace covers both, as `act:` reports it.
    static func act(_ h: isolated TenantHost, _ attempt: AccessAttempt, _ request: MailboxActionRequest) -> AccessDecision {
        let signIn = h.evaluate(attempt, explain: true)
        guard signIn.outcome == .Allowed else { return signIn }
        let evaluation = MailboxActionEvaluator.evaluate(request, in: h.session.tenant)
        h.session.tenant.apply(evaluation.changes)
        for event in evaluation.events { h.session.audit.record(event, in: h.session.tenant) }
        h.touch()
        var decision = evaluation.decision
        decision.trace = signIn.trace + decision.trace
        return decision
    }

    // MARK: Scenarios

    /// Runs a posted scenario file. The body is the YAML itself, or JSON
    /// `{"scenario":"<yaml>","tenant":"<served tenant or fixture>","fresh":true}`: with a
    /// served tenant, the scenario runs on a copy of its current state (on a fresh load of
    /// its source with `fresh`); the served tenant itself is never changed.
    static func scenario(_ context: RouteContext) async throws -> SimResponse {
        let request = context.request
        var text = String(decoding: request.body, as: UTF8.self)
        var tenantKey: String?
        var fresh = false
        if request.header("content-type")?.lowercased().contains("json") == true {
            let body = try ControlBody(request)
            try body.rejectUnknown(["scenario", "tenant", "fresh"])
            text = try body.required(try body.string("scenario"), "scenario", hint: "the scenario file's YAML text")
            tenantKey = try body.string("tenant")
            fresh = try body.bool("fresh") ?? false
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(status: 400, code: "InvalidRequest", message: "The body is empty; send a scenario file (YAML), or JSON {\"scenario\":\"<yaml>\"}.")
        }
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("tenantsim-scenario-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = (directory as NSString).appendingPathComponent("scenario.yaml")
        var options = RunOptions()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            if let key = tenantKey {
                if let host = context.server.tenant(key) {
                    if fresh {
                        options.tenant = host.source
                    } else {
                        let tenant = await host.perform { $0.session.tenant }
                        let path = (directory as NSString).appendingPathComponent("tenant.yaml")
                        try FixtureWriter.yaml(tenant).write(toFile: path, atomically: true, encoding: .utf8)
                        options.tenant = path
                    }
                } else {
                    options.tenant = key
                }
            }
        } catch {
            throw APIError(status: 500, code: "InternalServerError", message: "The scenario could not be staged in \(directory): \(error)")
        }
        options.paths = [file]
        let runOptions = options
        let suite = await runOnLargeStack { ScenarioSuite.run(runOptions) }
        let prefix = directory + "/"
        if suite.results.isEmpty, let bad = suite.badInput.first {
            let e = bad.error
            let where_ = e.file.hasPrefix(prefix) ? String(e.file.dropFirst(prefix.count)) : e.file
            throw APIError(status: 400, code: "BadScenario", message: "\(where_):\(e.line):\(e.column): \(e.message)",
                           extra: [("file", .string(where_)), ("line", .int(e.line)), ("column", .int(e.column))])
        }
        let report = JSONReport.render(suite).replacingOccurrences(of: prefix, with: "")
        guard let json = try? JSONValue.parse(report) else {
            throw APIError(status: 500, code: "InternalServerError", message: "The scenario report is not JSON.")
        }
        return .json(json)
    }

    /// The interpreter recurses; scenario runs get the stack a worker thread of
    /// `tenantsim run` gets.
    static func runOnLargeStack<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// Whether text is an IPv4 or IPv6 address (the access pipeline matches ranges on it).
enum IPAddressCheck {
    static func isValid(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
