import AuditLog
import Foundation
import TenantModel

/// Simulator cmdlets. Their noun starts with `Sim` so nobody mistakes them for Exchange's.
enum SimCmdlets {
    static let definitions: [CmdletDefinition] = [getSimClock, setSimClock, waitSimTime, getSimSignInLog]

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
