import AuditLog

/// Building blocks for the JSON Schemas that `/openapi.json` publishes. A route family
/// adopts the protocol to write its schemas with the bare names (`object`, `string`...).
protocol SchemaBuilding {}

extension SchemaBuilding {
    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var o: JSONObject = ["type": "object"]
        if !required.isEmpty { o["required"] = .array(required.map(JSONValue.string)) }
        o["properties"] = .object(JSONObject(pairs: properties))
        return .object(o)
    }
    static var string: JSONValue { .object(["type": "string"]) }
    static var integer: JSONValue { .object(["type": "integer"]) }
    static var boolean: JSONValue { .object(["type": "boolean"]) }
    static var nullableString: JSONValue { .object(["type": .array(["string", "null"])]) }
    static var nullableInteger: JSONValue { .object(["type": .array(["integer", "null"])]) }
    static var anyObject: JSONValue { .object(["type": "object"]) }
    static func array(_ items: JSONValue) -> JSONValue { .object(["type": "array", "items": items]) }

    /// `{"error": {"code", "message", <extra>}}`, the envelope every family's errors share.
    static func errorBody(_ extra: [(String, JSONValue)] = []) -> JSONValue {
        object([("error", object([("code", string), ("message", string)] + extra, required: ["code", "message"]))], required: ["error"])
    }
}
