import AuditLog
import Foundation

/// The control plane's fault rules and request journal.
enum ControlFaults {
    static let ruleMembers = ["id", "route", "cmdlet", "method", "probability", "everyNth", "status", "retryAfter", "latencyMs", "limit"]

    static func ruleJSON(_ rule: FaultRule, stats: FaultStats?) -> JSONValue {
        let s = stats ?? FaultStats()
        func opt<T>(_ v: T?, _ f: (T) -> JSONValue) -> JSONValue { v.map(f) ?? .null }
        return .object([
            "id": .string(rule.id), "route": opt(rule.route, JSONValue.string), "cmdlet": opt(rule.cmdlet, JSONValue.string),
            "method": opt(rule.method, JSONValue.string), "probability": .double(rule.probability), "everyNth": opt(rule.everyNth, JSONValue.int),
            "status": opt(rule.status, JSONValue.int), "retryAfter": opt(rule.retryAfter, JSONValue.int),
            "latencyMs": .int(Int((rule.latency * 1_000).rounded())), "limit": opt(rule.limit, JSONValue.int),
            "stats": .object(["matched": .int(s.matched), "fired": .int(s.fired), "retriedTooSoon": .int(s.retriedTooSoon),
                              "retriedAfterWaiting": .int(s.retriedAfterWaiting)]),
        ])
    }

    static func list(_ context: RouteContext) async throws -> SimResponse {
        let faults = context.server.faults
        return .json(.object(["rules": .array(faults.rules.map { ruleJSON($0, stats: faults.stats($0.id)) })]))
    }

    static func invalid(_ member: String, _ message: String) -> APIError {
        APIError(status: 400, code: "InvalidFaultRule", message: message, extra: [("member", .string(member))])
    }

    /// A rule from the body, checked member by member.
    static func rule(_ body: ControlBody, nextId: Int) throws(APIError) -> FaultRule {
        try body.rejectUnknown(ruleMembers)
        let id = try body.string("id") ?? "rule-\(nextId)"
        guard !id.isEmpty, !id.contains("/") else { throw invalid("id", "\"id\" must be a non-empty name without \"/\".") }
        let route = try body.string("route")
        if let route, !route.hasPrefix("/") {
            throw invalid("route", "\"route\" is \"\(route)\"; give a route template as /openapi.json lists it (/v1.0/users) or a path prefix ending in * (/adminapi/*).")
        }
        let method = try body.string("method")?.uppercased()
        if let method, !["GET", "POST", "PATCH", "PUT", "DELETE"].contains(method) {
            throw invalid("method", "\"method\" is \"\(method)\"; valid values: GET, POST, PATCH, PUT, DELETE.")
        }
        let probability = try body.number("probability") ?? 1
        guard probability >= 0, probability <= 1 else { throw invalid("probability", "\"probability\" is \(probability); it must be between 0 and 1.") }
        let everyNth = try body.int("everyNth")
        if let n = everyNth, n < 1 { throw invalid("everyNth", "\"everyNth\" is \(n); it must be 1 or more (1 = every matching request).") }
        let status = try body.int("status")
        if let s = status, !(400...599).contains(s) { throw invalid("status", "\"status\" is \(s); a fault answers an error: 400–599 (429, 500, 503...).") }
        let retryAfter = try body.int("retryAfter")
        if let r = retryAfter {
            guard r >= 0 else { throw invalid("retryAfter", "\"retryAfter\" is \(r); it must be 0 or more seconds.") }
            guard status != nil else { throw invalid("retryAfter", "\"retryAfter\" needs a \"status\" (429 or 503) to go with.") }
        }
        let latencyMs = try body.number("latencyMs") ?? 0
        guard latencyMs >= 0, latencyMs <= 60_000 else { throw invalid("latencyMs", "\"latencyMs\" is \(latencyMs); it must be between 0 and 60000.") }
        guard status != nil || latencyMs > 0 else {
            throw invalid("status", "The rule does nothing: give a \"status\" (429, 500, 503...) or a \"latencyMs\".")
        }
        let limit = try body.int("limit")
        if let l = limit, l < 1 { throw invalid("limit", "\"limit\" is \(l); it must be 1 or more (omit it for no limit).") }
        return FaultRule(id: id, route: route, cmdlet: try body.string("cmdlet"), method: method, probability: probability, everyNth: everyNth,
                         status: status, retryAfter: retryAfter, latency: latencyMs / 1_000, limit: limit)
    }

    static func add(_ context: RouteContext) async throws -> SimResponse {
        let faults = context.server.faults
        let rule = try rule(try ControlBody(context.request), nextId: faults.rules.count + 1)
        faults.add(rule)
        return .json(ruleJSON(rule, stats: faults.stats(rule.id)), status: 201)
    }

    static func clear(_ context: RouteContext) async throws -> SimResponse {
        context.server.faults.clear()
        return .empty(204)
    }

    static func remove(_ context: RouteContext) async throws -> SimResponse {
        let id = context.parameter("id")
        guard context.server.faults.remove(id) else {
            throw APIError(status: 404, code: "NotFound", message: "There is no fault rule \"\(id)\". GET /sim/v1/faults lists them.")
        }
        return .empty(204)
    }

    // MARK: Journal

    /// `?limit=N` (newest N, default 100), `status=429` or `status=4xx`, `route=<template or path prefix>`.
    static func journal(_ context: RouteContext) async throws -> SimResponse {
        let request = context.request
        var limit = 100
        if let text = request.queryValue("limit") {
            guard let n = Int(text), n >= 1 else {
                throw APIError(status: 400, code: "InvalidRequest", message: "limit is \"\(text)\"; it must be a whole number of 1 or more.")
            }
            limit = n
        }
        var statusFilter: ((Int) -> Bool)?
        if let text = request.queryValue("status") {
            if let n = Int(text), (100...599).contains(n) {
                statusFilter = { $0 == n }
            } else if text.count == 3, text.lowercased().hasSuffix("xx"), let d = Int(text.prefix(1)), (1...5).contains(d) {
                statusFilter = { $0 / 100 == d }
            } else {
                throw APIError(status: 400, code: "InvalidRequest", message: "status is \"\(text)\"; give a status (429) or a class (4xx, 5xx).")
            }
        }
        let route = request.queryValue("route")
        let entries = context.server.journal.entries.filter { e in
            if let statusFilter, !statusFilter(e.status) { return false }
            if let route, !(e.route?.caseInsensitiveCompare(route) == .orderedSame || e.target.lowercased().hasPrefix(route.lowercased())) { return false }
            return true
        }
        return .json(.object(["total": .int(context.server.journal.total), "count": .int(min(limit, entries.count)),
                              "value": .array(entries.suffix(limit).reversed().map(\.json))]))
    }

    static func clearJournal(_ context: RouteContext) async throws -> SimResponse {
        context.server.journal.clear()
        return .empty(204)
    }
}
