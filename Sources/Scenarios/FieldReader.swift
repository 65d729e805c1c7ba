import Foundation
import TenantModel
import TenantStore
import Yams

/// Reads one mapping of a scenario file: refuses keys it does not know (naming the valid
/// ones), and reads values with their types, every error carrying the file, line and column.
/// Keys match ignoring case. Attacks read their own fields through it too.
public struct FieldReader {
    let doc: YAMLDocument
    public let node: Node
    /// What the mapping is, for messages: "a signin step".
    public let what: String
    let entries: [(key: String, keyNode: Node, value: Node)]

    init(_ node: Node, what: String, allowed: [String], doc: YAMLDocument) throws(FixtureError) {
        self.doc = doc
        self.node = node
        self.what = what
        entries = try doc.mapping(node, what: what.prefix(1).uppercased() + what.dropFirst())
        for e in entries where !allowed.contains(where: { $0.lowercased() == e.key.lowercased() }) {
            throw doc.error(e.keyNode, "Unknown key \"\(e.key)\" in \(what). Valid keys: \(allowed.joined(separator: ", ")).")
        }
    }

    public var keys: [String] { entries.map(\.key) }

    public func has(_ key: String) -> Bool { entry(key) != nil }

    func entry(_ key: String) -> (key: String, keyNode: Node, value: Node)? {
        let lower = key.lowercased()
        return entries.first { $0.key.lowercased() == lower }
    }

    public func value(_ key: String) -> Node? { entry(key)?.value }

    public func error(_ node: Node?, _ message: String) -> FixtureError { doc.error(node ?? self.node, message) }

    /// The error for a missing key, pointing at the mapping.
    public func missing(_ key: String, hint: String = "") -> FixtureError {
        doc.error(node, "\(what.prefix(1).uppercased() + what.dropFirst()) needs \"\(key)\"\(hint.isEmpty ? "." : " (\(hint)).")")
    }

    public func string(_ key: String) throws(FixtureError) -> String? {
        guard let e = entry(key) else { return nil }
        guard case .scalar(let s) = e.value else {
            throw doc.error(e.value, "\"\(key)\" in \(what) must be a single value, not \(doc.kind(e.value)).")
        }
        return s.string
    }

    public func requiredString(_ key: String, hint: String = "") throws(FixtureError) -> String {
        guard let text = try string(key) else { throw missing(key, hint: hint) }
        guard !text.isEmpty else { throw doc.error(value(key), "\"\(key)\" in \(what) can't be empty.") }
        return text
    }

    public func int(_ key: String, minimum: Int = 0) throws(FixtureError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let n = Int(text.trimmedWhitespace), n >= minimum else {
            throw doc.error(value(key), "\"\(key)\" in \(what) must be a whole number\(minimum == 0 ? " (0 or more)" : " from \(minimum)"), not \"\(text)\".")
        }
        return n
    }

    public func bool(_ key: String) throws(FixtureError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw doc.error(value(key), "\"\(key)\" in \(what) must be true or false, not \"\(text)\".")
        }
    }

    public func duration(_ key: String) throws(FixtureError) -> TimeInterval? {
        guard let text = try string(key) else { return nil }
        guard let seconds = Durations.parse(text) else {
            throw doc.error(value(key), "\"\(key)\" in \(what) must be a duration such as 90s, 15m, 2h or 3d, not \"\(text)\".")
        }
        return seconds
    }

    /// A single value or a list of values.
    public func strings(_ key: String) throws(FixtureError) -> [String]? {
        guard let e = entry(key) else { return nil }
        switch e.value {
        case .scalar(let s): return [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard case .scalar(let s) = item else {
                    throw doc.error(item, "Each value of \"\(key)\" in \(what) must be a single value, not \(doc.kind(item)).")
                }
                out.append(s.string)
            }
            return out
        default:
            throw doc.error(e.value, "\"\(key)\" in \(what) must be a value or a list of values, not \(doc.kind(e.value)).")
        }
    }

    /// A value that must be one of `choices` (ignoring case); returns the canonical spelling.
    public func choice(_ key: String, _ choices: [String]) throws(FixtureError) -> String? {
        guard let text = try string(key) else { return nil }
        return try choice(text, node: value(key), key: key, choices)
    }

    func choice(_ text: String, node: Node?, key: String, _ choices: [String]) throws(FixtureError) -> String {
        guard let match = choices.first(where: { $0.lowercased() == text.trimmedWhitespace.lowercased() }) else {
            throw doc.error(node, "\"\(text)\" isn't a valid \"\(key)\" in \(what). Valid values: \(choices.joined(separator: ", ")).")
        }
        return match
    }

    /// A nested mapping read with its own allowed keys.
    public func mapping(_ key: String, what: String, allowed: [String]) throws(FixtureError) -> FieldReader? {
        guard let node = value(key) else { return nil }
        return try FieldReader(node, what: what, allowed: allowed, doc: doc)
    }
}

/// Durations as scenarios write them: `90s`, `15m`, `2h`, `3d`, `1w`, `500ms`, or a timespan
/// `1.02:00:00` (the same forms as the shell's Wait-SimTime).
public enum Durations {
    public static func parse(_ text: String) -> TimeInterval? {
        let t = text.trimmedWhitespace.lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let n = Double(t.dropLast(suffix.count)), n >= 0 { return n * factor }
        }
        if t.contains(":"), let span = try? EnhancedTimeSpan.parse(t) { return Double(span.seconds) }
        return nil
    }

    /// `1.5s`, `90s`, `15m`, `2h`, `3d` — the shortest exact form.
    public static func format(_ seconds: TimeInterval) -> String {
        for (unit, factor) in [("d", 86_400.0), ("h", 3_600), ("m", 60)] where seconds >= factor && seconds.truncatingRemainder(dividingBy: factor) == 0 {
            return "\(Int(seconds / factor))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
