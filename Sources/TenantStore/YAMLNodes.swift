import Foundation
import TenantModel
import Yams

/// Walking a composed YAML tree with positions, for error messages that point at the
/// offending key or value.
public struct YAMLDocument {
    public let file: String

    public init(file: String) { self.file = file }

    public func error(_ node: Node?, _ message: String) -> FixtureError {
        let mark = node?.mark
        return FixtureError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    /// Parses text into a node tree; YAML syntax errors carry libyaml's line and column.
    public func compose(_ text: String) throws(FixtureError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw FixtureError(file: file, line: 1, column: 1, message: "The fixture is empty; it needs at least a `tenant:` mapping.")
            }
            return node
        } catch let error as FixtureError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw FixtureError(file: file, line: 1, column: 1, message: "The fixture could not be read: \(error)")
        }
    }

    private func syntaxError(_ error: YamlError) -> FixtureError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return FixtureError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(what)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams refuses exact duplicate keys before the loader sees the mapping, and marks the
            // first occurrence; point at the repeat, as the loader does for keys differing in case.
            let key = duplicates.first ?? ""
            let second = Self.repeatedKey(key, after: context.mark, in: context.text)
            return FixtureError(file: file, line: second?.line ?? context.mark.line, column: second?.column ?? context.mark.column,
                                message: "The key \"\(key)\" is named twice in one mapping.")
        case .reader(let problem, _, _, _):
            return FixtureError(file: file, line: 1, column: 1, message: "YAML could not be read: \(problem)")
        default:
            return FixtureError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
    }

    /// The next block-mapping line after `first` that starts with `key:` at the same column.
    static func repeatedKey(_ key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count else { return nil }
        for n in first.line..<lines.count {
            let chars = Array(lines[n])
            let start = first.column - 1
            guard start <= chars.count, chars[..<start].allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = String(chars[start...])
            if rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") {
                return (n + 1, first.column)
            }
        }
        return nil
    }

    /// The entries of a mapping in document order, keys as text; refuses duplicate keys.
    public func mapping(_ node: Node, what: String) throws(FixtureError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else {
            throw error(node, "\(what) must be a mapping (key: value lines), not \(kind(node)).")
        }
        var seen: Set<String> = []
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw error(k, "A key in \(what) must be plain text.") }
            guard seen.insert(s.string.lowercased()).inserted else {
                throw error(k, "\(what) names \"\(s.string)\" twice.")
            }
            out.append((s.string, k, v))
        }
        return out
    }

    public func sequence(_ node: Node, what: String) throws(FixtureError) -> [Node] {
        if case .sequence(let s) = node { return Array(s) }
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
        throw error(node, "\(what) must be a list (lines starting with '- '), not \(kind(node)).")
    }

    public func scalar(_ node: Node, what: String) throws(FixtureError) -> String {
        guard case .scalar(let s) = node else { throw error(node, "\(what) must be a single value, not \(kind(node)).") }
        return s.string
    }

    public func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "the value \"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// A node as a property value for `type`: YAML booleans and integers keep their type,
    /// sequences become lists, null becomes `.null`, and everything else is text for the
    /// property's converter to parse.
    public func propertyValue(_ node: Node, for type: ValueType, name: String) throws(FixtureError) -> PropertyValue {
        switch node {
        case .scalar(let s):
            let isPlain = s.style == .plain || s.style == .any
            if isPlain, ["~", "null", "Null", "NULL", ""].contains(s.string) { return .null }
            if isPlain, case .bool = type.unwrapped {
                switch s.string.lowercased() {
                case "true", "yes", "on": return .bool(true)
                case "false", "no", "off": return .bool(false)
                default: break
                }
            }
            return .string(s.string)
        case .sequence(let seq):
            guard type.isMultiValued else {
                throw error(node, "\"\(name)\" takes a single \(type.shortName), not a list.")
            }
            var items: [PropertyValue] = []
            for item in seq {
                guard case .scalar(let s) = item else { throw error(item, "Each value of \"\(name)\" must be a single value.") }
                items.append(.string(s.string))
            }
            return .list(items)
        case .mapping:
            throw error(node, "\"\(name)\" takes \(type.isMultiValued ? "a list" : "a single value") of \(type.shortName), not a mapping.")
        case .alias:
            throw error(node, "Aliases are not supported in fixtures.")
        }
    }
}

extension ValueType {
    var unwrapped: ValueType {
        switch self {
        case .optional(let i): return i.unwrapped
        default: return self
        }
    }
}
