import AuditLog
import Foundation

/// Reading the control plane's JSON bodies, with errors that say which member is wrong and
/// what would be valid.
struct ControlBody {
    let object: JSONObject
    /// Where the members live, for messages (`the body`, `device`).
    let place: String

    /// The request body as a JSON object; an empty body is an empty object when `optional`.
    init(_ request: SimRequest, optional: Bool = false) throws {
        guard let value = try request.jsonBody() else {
            if optional {
                object = JSONObject()
                place = "the body"
                return
            }
            throw APIError(status: 400, code: "InvalidRequest", message: "The request needs a JSON object body. See /openapi.json for its members.")
        }
        guard let o = value.objectValue else {
            throw APIError(status: 400, code: "InvalidRequest", message: "The body must be a JSON object, not \(ControlBody.kind(value)).")
        }
        object = o
        place = "the body"
    }

    init(_ object: JSONObject, place: String) {
        self.object = object
        self.place = place
    }

    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    func invalid(_ key: String, _ expected: String, _ value: JSONValue) -> APIError {
        APIError(status: 400, code: "InvalidRequest", message: "\"\(key)\" in \(place) must be \(expected); it is \(ControlBody.kind(value)).",
                 extra: [("member", .string(key))])
    }

    /// The first of `keys` present (aliases: the scenario format's name and the API's).
    func value(_ keys: [String]) -> (String, JSONValue)? {
        for key in keys { if let v = object[key], v != .null { return (key, v) } }
        return nil
    }

    func string(_ keys: String...) throws(APIError) -> String? {
        guard let (key, v) = value(keys) else { return nil }
        guard let s = v.stringValue else { throw invalid(key, "a string", v) }
        return s
    }

    func bool(_ keys: String...) throws(APIError) -> Bool? {
        guard let (key, v) = value(keys) else { return nil }
        guard let b = v.boolValue else { throw invalid(key, "true or false", v) }
        return b
    }

    func int(_ keys: String...) throws(APIError) -> Int? {
        guard let (key, v) = value(keys) else { return nil }
        guard let i = v.intValue else { throw invalid(key, "a whole number", v) }
        return i
    }

    func number(_ keys: String...) throws(APIError) -> Double? {
        guard let (key, v) = value(keys) else { return nil }
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw invalid(key, "a number", v)
        }
    }

    func nested(_ key: String) throws(APIError) -> ControlBody? {
        guard let v = object[key], v != .null else { return nil }
        guard let o = v.objectValue else { throw invalid(key, "an object", v) }
        return ControlBody(o, place: "\"\(key)\"")
    }

    func required(_ value: String?, _ key: String, hint: String) throws(APIError) -> String {
        guard let value, !value.isEmpty else {
            throw APIError(status: 400, code: "InvalidRequest", message: "\(place.prefix(1).uppercased() + place.dropFirst()) needs \"\(key)\": \(hint).",
                           extra: [("member", .string(key))])
        }
        return value
    }

    /// Members not in `allowed` are mistakes worth naming (a misspelt `mfaCompleted` would
    /// otherwise silently mean false).
    func rejectUnknown(_ allowed: [String]) throws(APIError) {
        if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
            throw APIError(status: 400, code: "InvalidRequest",
                           message: "\"\(unknown)\" is not a member of \(place). Valid members: \(allowed.joined(separator: ", ")).",
                           extra: [("member", .string(unknown)), ("valid", .array(allowed.map(JSONValue.string)))])
        }
    }
}

/// Durations for the clock: ISO 8601 (`PT2H`, `P1DT30M`), the shell's shorthand (`90s`,
/// `15m`, `2h`, `3d`, `1w`) or a number of seconds.
enum ControlDuration {
    static func parse(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasPrefix("P") { return iso(t) }
        if let n = Double(t), n >= 0 { return n }
        let units: [(String, Double)] = [("MS", 0.001), ("S", 1), ("M", 60), ("H", 3_600), ("D", 86_400), ("W", 604_800)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let n = Double(t.dropLast(suffix.count)), n >= 0 { return n * factor }
        }
        return nil
    }

    /// `PnW`, `PnDTnHnMnS` (years and months have no fixed length and are refused).
    static func iso(_ t: String) -> TimeInterval? {
        var total = 0.0
        var number = ""
        var inTime = false
        var sawUnit = false
        for c in t.dropFirst() {
            if c == "T" {
                guard number.isEmpty, !inTime else { return nil }
                inTime = true
                continue
            }
            if c.isNumber || c == "." || c == "," {
                number.append(c == "," ? "." : c)
                continue
            }
            guard let n = Double(number) else { return nil }
            number = ""
            sawUnit = true
            switch (c, inTime) {
            case ("W", false): total += n * 604_800
            case ("D", false): total += n * 86_400
            case ("H", true): total += n * 3_600
            case ("M", true): total += n * 60
            case ("S", true): total += n
            default: return nil
            }
        }
        return number.isEmpty && sawUnit ? total : nil
    }
}
