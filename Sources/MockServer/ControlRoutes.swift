import AuditLog
import Foundation

/// The simulator's control plane (`/sim/v1`): tenants, sign-ins, actions, the clock,
/// snapshots, scenarios, fault rules and the journal. No token; JSON in and out; errors
/// `{"error":{"code","message",...}}` saying what is wrong, where, and what would be valid.
enum ControlRoutes: SchemaBuilding {
    // MARK: Schemas

    static let errorSchema = errorBody()
    static let tenantSchema = object([
        ("id", string), ("initialDomain", string), ("displayName", string), ("domains", array(string)), ("licenseTier", string),
        ("source", string), ("now", string), ("unifiedAuditLogIngestionEnabled", boolean),
        ("counts", .object(["type": "object", "additionalProperties": integer])),
    ], required: ["id", "initialDomain", "displayName", "domains", "source", "now", "counts"])
    static let createSchema = object([("fixture", string), ("fixtureYaml", string)])
    static let clockSchema = object([("now", string)], required: ["now"])
    static let moveClockSchema = object([("advance", .object(["type": .array(["string", "number"])])), ("set", string)])
    static let deviceSchema = object([("id", string), ("type", string), ("model", string), ("os", string), ("userAgent", string),
                                      ("provisionable", boolean)], required: ["id", "type"])
    static let signInSchema = object([
        ("user", string), ("password", string), ("protocol", string), ("clientIP", string), ("port", integer), ("authentication", string),
        ("mfaCompleted", boolean), ("userAgent", string), ("middleTier", boolean), ("device", deviceSchema), ("explain", boolean),
    ], required: ["user"])
    static let decisionSchema = object([
        ("outcome", .object(["type": "string", "enum": .array(["Allowed", "Denied", "Quarantined"])])), ("reason", string), ("by", nullableString),
        ("code", nullableInteger),
        ("trace", array(object([("stage", string), ("result", string), ("detail", string)], required: ["stage", "result", "detail"]))),
    ], required: ["outcome", "reason", "by", "code", "trace"])
    static let mailboxActionSchema = object([
        ("user", string), ("password", string), ("protocol", string), ("clientIP", string), ("port", integer), ("authentication", string),
        ("mfaCompleted", boolean), ("userAgent", string), ("middleTier", boolean), ("device", deviceSchema),
        ("action", string), ("mailbox", string), ("params", .object(["type": "object"])), ("compliantDevice", boolean),
    ], required: ["user", "action"])
    static let actionSchema = object([("script", string), ("as", string), ("mailboxAction", mailboxActionSchema)])
    static let actionResultSchema = object([
        ("output", array(.object([:]))),
        ("errors", array(object([("message", string), ("errorId", string), ("category", string), ("reason", string)], required: ["message", "errorId", "category"]))),
        ("hadTerminatingError", boolean),
        ("decision", decisionSchema),
    ])
    static let scenarioSchema = object([("scenario", string), ("tenant", string), ("fresh", boolean)], required: ["scenario"])
    static let reportSchema = object([("summary", .object(["type": "object"])), ("scenarios", array(.object(["type": "object"]))),
                                      ("badInput", array(.object(["type": "object"]))), ("warnings", array(.object(["type": "object"])))],
                                     required: ["summary", "scenarios"])
    static let ruleInputSchema = object([
        ("id", string), ("route", string), ("cmdlet", string), ("method", string),
        ("probability", .object(["type": "number", "minimum": 0, "maximum": 1])), ("everyNth", .object(["type": "integer", "minimum": 1])),
        ("status", .object(["type": "integer", "minimum": 400, "maximum": 599])), ("retryAfter", .object(["type": "integer", "minimum": 0])),
        ("latencyMs", .object(["type": "number", "minimum": 0, "maximum": 60_000])), ("limit", .object(["type": "integer", "minimum": 1])),
    ])
    static let ruleSchema = object([
        ("id", string), ("route", nullableString), ("cmdlet", nullableString), ("method", nullableString), ("probability", .object(["type": "number"])),
        ("everyNth", nullableInteger), ("status", nullableInteger), ("retryAfter", nullableInteger), ("latencyMs", integer), ("limit", nullableInteger),
        ("stats", object([("matched", integer), ("fired", integer), ("retriedTooSoon", integer), ("retriedAfterWaiting", integer)],
                         required: ["matched", "fired", "retriedTooSoon", "retriedAfterWaiting"])),
    ], required: ["id", "probability", "stats"])
    static let journalEntrySchema = object([
        ("requestId", string), ("time", string), ("method", string), ("target", string), ("route", nullableString), ("api", string),
        ("status", integer), ("clientIP", string), ("principal", nullableString), ("decision", nullableString), ("error", nullableString),
        ("fault", nullableString), ("durationMicroseconds", integer),
    ], required: ["requestId", "time", "method", "target", "status"])

    static func doc(_ summary: String, query: [(name: String, description: String)] = [], request: JSONValue? = nil,
                    requestContentType: String = "application/json", _ responses: [(status: Int, description: String, schema: JSONValue?)]) -> RouteDoc {
        RouteDoc(summary, query: query, request: request, requestContentType: requestContentType,
                 responses: responses + [(400, "Invalid request: what is wrong, where, what would be valid", errorSchema)])
    }

    static let tenantNotFound: (status: Int, description: String, schema: JSONValue?) = (404, "No served tenant has that id or domain", errorSchema)
    static let t = "/sim/v1/tenants/{tenant}"

    static var routes: [Route] {
        [
            Route("GET", "/sim/v1/tenants", family: .control, doc: doc("Lists the served tenants", [(200, "The tenants", object([("value", array(tenantSchema))], required: ["value"]))]),
                  handler: ControlTenants.list),
            Route("POST", "/sim/v1/tenants", family: .control,
                  doc: doc("Serves a new tenant from a built-in fixture (fixture) or an uploaded one (fixtureYaml)", request: createSchema,
                           [(201, "The new tenant", tenantSchema), (409, "A served tenant has the same id or a domain", errorSchema)]),
                  handler: ControlTenants.create),
            Route("GET", t, family: .control, doc: doc("Shows one tenant", [(200, "The tenant", tenantSchema), tenantNotFound]), handler: ControlTenants.show),
            Route("DELETE", t, family: .control, mutates: false, doc: doc("Stops serving a tenant", [(204, "Removed", nil), tenantNotFound]), handler: ControlTenants.delete),
            Route("POST", t + "/reset", family: .control, mutates: false,
                  doc: doc("Reloads a tenant from its source fixture (logs, feed and subscriptions start empty)", [(200, "The reloaded tenant", tenantSchema), tenantNotFound]),
                  handler: ControlTenants.reset),
            Route("POST", t + "/signins", family: .control,
                  doc: doc("Evaluates an access attempt through the access pipeline and records it like a real sign-in", request: signInSchema,
                           [(200, "The decision (with the stage trace when explain is true)", decisionSchema), tenantNotFound]),
                  handler: ControlRequests.signIn),
            Route("POST", t + "/actions", family: .control,
                  doc: doc("Runs PowerShell as a user through the cmdlet layer, and/or a sign-in and a mailbox action (create-inbox-rule, send...)",
                           request: actionSchema, [(200, "The script's output objects and errors; the mailbox action's decision", actionResultSchema), tenantNotFound]),
                  handler: ControlRequests.action),
            Route("GET", t + "/clock", family: .control, doc: doc("Reads the tenant's simulated clock", [(200, "The clock", clockSchema), tenantNotFound]),
                  handler: ControlTenants.clock),
            Route("POST", t + "/clock", family: .control,
                  doc: doc("Advances the simulated clock (advance: PT2H or seconds) or sets it (set: a later date); it never goes back",
                           request: moveClockSchema, [(200, "The clock", clockSchema), tenantNotFound]),
                  handler: ControlTenants.moveClock),
            Route("GET", t + "/snapshot", family: .control,
                  doc: doc("Downloads the tenant as fixture YAML (application/yaml)", [(200, "The fixture (application/yaml)", nil), tenantNotFound]),
                  handler: ControlTenants.snapshot),
            Route("POST", t + "/restore", family: .control, mutates: false,
                  doc: doc("Replaces the tenant with an uploaded fixture (YAML body); a bad fixture changes nothing",
                           request: .object(["type": "string"]), requestContentType: "text/yaml",
                           [(200, "The restored tenant", tenantSchema), tenantNotFound]),
                  handler: ControlTenants.restore),
            Route("POST", "/sim/v1/scenarios", family: .control, mutates: false,
                  doc: doc("Runs a posted scenario file against a fresh fixture or a copy of a served tenant; answers the JSON report",
                           request: scenarioSchema, [(200, "The report", reportSchema)]),
                  handler: ControlRequests.scenario),
            Route("GET", "/sim/v1/faults", family: .control,
                  doc: doc("Lists the fault rules with their counters (fired, and whether clients honoured Retry-After)",
                           [(200, "The rules", object([("rules", array(ruleSchema))], required: ["rules"]))]),
                  handler: ControlFaults.list),
            Route("POST", "/sim/v1/faults", family: .control, mutates: false,
                  doc: doc("Adds (or replaces, by id) a fault rule", request: ruleInputSchema, [(201, "The rule", ruleSchema)]),
                  handler: ControlFaults.add),
            Route("DELETE", "/sim/v1/faults", family: .control, mutates: false,
                  doc: doc("Removes every fault rule", [(204, "Removed", nil)]), handler: ControlFaults.clear),
            Route("DELETE", "/sim/v1/faults/{id}", family: .control, mutates: false,
                  doc: doc("Removes one fault rule", [(204, "Removed", nil), (404, "No such rule", errorSchema)]), handler: ControlFaults.remove),
            Route("GET", "/sim/v1/journal", family: .control,
                  doc: doc("Lists the journaled requests, newest first, with their decisions",
                           query: [("limit", "At most this many (default 100)"), ("status", "A status (429) or class (4xx)"),
                                   ("route", "A route template or a path prefix")],
                           [(200, "The requests", object([("total", integer), ("count", integer), ("value", array(journalEntrySchema))],
                                                        required: ["total", "count", "value"]))]),
                  handler: ControlFaults.journal),
            Route("DELETE", "/sim/v1/journal", family: .control, mutates: false,
                  doc: doc("Empties the journal", [(204, "Emptied", nil)]), handler: ControlFaults.clearJournal),
        ]
    }
}
