import AuditLog
import Foundation
import TenantModel
import TenantStore

/// The control plane's tenant routes: list, create (from a built-in fixture or an uploaded
/// one), show, delete, reset, the clock, snapshot and restore.
enum ControlTenants {
    /// Where uploaded fixtures are kept, so `reset` can reload them.
    static let uploadDirectory = (NSTemporaryDirectory() as NSString).appendingPathComponent("tenantsim-uploads-\(ProcessInfo.processInfo.processIdentifier)")

    /// One tenant as the control plane lists it.
    static func summary(_ host: TenantHost) async -> JSONValue {
        await host.perform { h in
            let t = h.session.tenant
            var counts = JSONObject()
            for (name, n) in t.counts { counts[name.prefix(1).lowercased() + name.dropFirst()] = .int(n) }
            counts["unifiedAuditRecords"] = .int(h.session.audit.unified.count)
            counts["mailboxAuditRecords"] = .int(h.session.audit.mailbox.count)
            counts["signIns"] = .int(h.session.audit.signIns.count)
            counts["feedSubscriptions"] = .int(h.subscriptions.count)
            return .object([
                "id": .string(t.info.tenantId.uuidString.lowercased()), "initialDomain": .string(t.info.initialDomain),
                "displayName": .string(t.info.displayName), "domains": .array(t.info.domains.map(JSONValue.string)),
                "licenseTier": .string(t.info.licenseTier.rawValue), "source": .string(h.source), "now": .string(WireDate.iso(t.now)),
                "unifiedAuditLogIngestionEnabled": .bool(t.adminAuditLogConfig.unifiedAuditLogIngestionEnabled),
                "counts": .object(counts),
            ])
        }
    }

    static func list(_ context: RouteContext) async throws -> SimResponse {
        var items: [JSONValue] = []
        for host in context.server.allTenants { items.append(await summary(host)) }
        return .json(.object(["value": .array(items)]))
    }

    static func show(_ context: RouteContext) async throws -> SimResponse {
        .json(await summary(try context.tenant))
    }

    /// `{"fixture":"contoso"}` (a built-in name or a path the server can read) or
    /// `{"fixtureYaml":"<fixture text>"}`.
    static func create(_ context: RouteContext) async throws -> SimResponse {
        let body = try ControlBody(context.request)
        try body.rejectUnknown(["fixture", "fixtureYaml"])
        let name = try body.string("fixture")
        let yaml = try body.string("fixtureYaml")
        let tenant: Tenant
        let source: String
        switch (name, yaml) {
        case (let name?, nil):
            tenant = try loadFixture(name)
            source = name
        case (nil, let yaml?):
            tenant = try parse(yaml, file: "fixtureYaml")
            source = try keepUpload(yaml)
        default:
            throw APIError(status: 400, code: "InvalidRequest",
                           message: "Give exactly one of \"fixture\" (a built-in fixture name: \(TenantSource.fixtureNames.joined(separator: ", "))) or \"fixtureYaml\" (a fixture's YAML text).")
        }
        let host = TenantHost(tenant: tenant, source: source)
        try await context.server.add(host)
        await host.touch()
        return .json(await summary(host), status: 201)
    }

    static func loadFixture(_ name: String) throws(APIError) -> Tenant {
        do {
            return try TenantSource.loadFixture(name)
        } catch let error as FixtureError {
            throw badFixture(error)
        } catch {
            throw APIError(status: 400, code: "UnknownFixture", message: "\(error)",
                           extra: [("valid", .array(TenantSource.fixtureNames.map(JSONValue.string)))])
        }
    }

    static func parse(_ yaml: String, file: String) throws(APIError) -> Tenant {
        do {
            return try FixtureLoader(file: file).load(text: yaml)
        } catch {
            throw badFixture(error)
        }
    }

    /// A fixture error with where it is: `fixtureYaml:3:5: ...`.
    static func badFixture(_ error: FixtureError) -> APIError {
        APIError(status: 400, code: "BadFixture", message: error.description,
                 extra: [("file", .string(error.file)), ("line", .int(error.line)), ("column", .int(error.column))])
    }

    /// Keeps an uploaded fixture as a file, the tenant's source for `reset`.
    static func keepUpload(_ yaml: String) throws(APIError) -> String {
        let path = (uploadDirectory as NSString).appendingPathComponent("\(UUID().uuidString.lowercased()).yaml")
        do {
            try FileManager.default.createDirectory(atPath: uploadDirectory, withIntermediateDirectories: true)
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw APIError(status: 500, code: "InternalServerError", message: "The uploaded fixture could not be kept at \(path): \(error)")
        }
        return path
    }

    static func delete(_ context: RouteContext) async throws -> SimResponse {
        context.server.remove(try context.tenant)
        return .empty(204)
    }

    /// Reloads the tenant from its source: a new host replaces the old one (same database),
    /// its logs and feed start empty.
    static func reset(_ context: RouteContext) async throws -> SimResponse {
        let old = try context.tenant
        let source = old.source
        let tenant = try loadFixture(source)
        let fresh = TenantHost(tenant: tenant, source: source, database: old.database)
        try await context.server.replace(old, with: fresh)
        try await saved(fresh)
        return .json(await summary(fresh))
    }

    /// The replacement is what `--db` keeps from now on (the server saves the route's
    /// tenant after a change, and these routes swap it; they save the new one themselves).
    static func saved(_ host: TenantHost) async throws {
        await host.touch()
        do { try await host.saveIfDirty() } catch {
            throw APIError(status: 500, code: "InternalServerError", message: "The tenant was replaced but could not be saved to the database: \(error)")
        }
    }

    // MARK: Clock

    static func clockJSON(_ now: Date) -> JSONValue { .object(["now": .string(WireDate.iso(now))]) }

    static func clock(_ context: RouteContext) async throws -> SimResponse {
        .json(clockJSON(try await context.tenant.perform { $0.session.tenant.now }))
    }

    /// `{"advance":"PT2H"}` (or `"2h"`, or a number of seconds) or `{"set":"2026-03-01T09:00:00Z"}`.
    /// The clock never goes back; retention runs on the new time.
    static func moveClock(_ context: RouteContext) async throws -> SimResponse {
        let body = try ControlBody(context.request)
        try body.rejectUnknown(["advance", "set"])
        var seconds: TimeInterval?
        var target: Date?
        if let (key, value) = body.value(["advance"]) {
            switch value {
            case .int(let i): seconds = Double(i)
            case .double(let d): seconds = d
            case .string(let s):
                guard let d = ControlDuration.parse(s) else {
                    throw APIError(status: 400, code: "InvalidRequest",
                                   message: "\"advance\" is \"\(s)\", which isn't a duration. Use ISO 8601 (PT2H, P1DT30M), 90s/15m/2h/3d, or a number of seconds.")
                }
                seconds = d
            default: throw body.invalid(key, "a duration (\"PT2H\") or a number of seconds", value)
            }
            guard let s = seconds, s >= 0, s.isFinite else {
                throw APIError(status: 400, code: "ClockBackwards", message: "The simulated clock only moves forward; \"advance\" must not be negative.")
            }
        }
        if let text = try body.string("set") {
            guard let d = WireDate.parse(text) ?? FeedTime.parse(text) else {
                throw APIError(status: 400, code: "InvalidRequest", message: "\"set\" is \"\(text)\", which isn't a date. Use ISO 8601 UTC, e.g. 2026-03-01T09:00:00Z.")
            }
            target = d
        }
        guard (seconds == nil) != (target == nil) else {
            throw APIError(status: 400, code: "InvalidRequest", message: "Give exactly one of \"advance\" (a duration) or \"set\" (a date).")
        }
        let (set, advance) = (target, seconds)
        let now = try await context.tenant.perform { (h) throws(APIError) -> Date in
            let current = h.session.tenant.now
            let date = set ?? current.addingTimeInterval(advance ?? 0)
            // Past year 9999 dates stop being printable in the APIs' formats.
            guard date < Date(timeIntervalSince1970: 253_402_300_799) else {
                throw APIError(status: 400, code: "InvalidRequest", message: "The clock can't go past 9999-12-31T23:59:59Z.")
            }
            guard date >= current else {
                throw APIError(status: 400, code: "ClockBackwards",
                               message: "The simulated clock only moves forward: \(WireDate.iso(date)) is before \(WireDate.iso(current)).")
            }
            h.session.tenant.clock.set(to: date)
            h.session.audit.expire(now: date, tenant: h.session.tenant)
            h.touch()
            return date
        }
        return .json(clockJSON(now))
    }

    // MARK: Snapshot and restore

    static func snapshot(_ context: RouteContext) async throws -> SimResponse {
        let tenant = try await context.tenant.perform { $0.session.tenant }
        let yaml: String
        do { yaml = try FixtureWriter.yaml(tenant) } catch {
            throw APIError(status: 500, code: "InternalServerError", message: "The tenant could not be written as a fixture: \(error)")
        }
        return SimResponse(status: 200, headers: [("Content-Type", "application/yaml; charset=utf-8"),
                                                  ("Content-Disposition", "attachment; filename=\"\(tenant.info.initialDomain).yaml\"")],
                           body: Data(yaml.utf8))
    }

    /// Replaces the tenant with a fixture (the body: YAML text, or JSON `{"fixtureYaml":...}`).
    /// A tenant with the same id keeps its logs and Management Activity API feed; a bad
    /// fixture changes nothing.
    static func restore(_ context: RouteContext) async throws -> SimResponse {
        let old = try context.tenant
        let request = context.request
        var yaml = String(decoding: request.body, as: UTF8.self)
        if request.header("content-type")?.lowercased().contains("json") == true {
            let body = try ControlBody(request)
            try body.rejectUnknown(["fixtureYaml"])
            yaml = try body.required(try body.string("fixtureYaml"), "fixtureYaml", hint: "the fixture's YAML text (or send the YAML itself as application/yaml)")
        }
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(status: 400, code: "InvalidRequest", message: "The body is empty; send a fixture's YAML (as from GET .../snapshot).")
        }
        let tenant = try parse(yaml, file: "restore")
        let (audit, subscriptions, feed) = await old.perform { ($0.session.audit, $0.subscriptions, $0.activityFeed) }
        let sameTenant = tenant.info.tenantId == (await old.tenantId)
        let fresh = TenantHost(tenant: tenant, source: old.source, database: old.database, audit: sameTenant ? audit : nil)
        if sameTenant {
            await fresh.perform { h in
                h.subscriptions = subscriptions
                h.activityFeed = feed
            }
        }
        try await context.server.replace(old, with: fresh)
        try await saved(fresh)
        return .json(await summary(fresh))
    }
}
