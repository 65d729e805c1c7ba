import Foundation
import TenantModel

/// The sparse record of an object: the persisted properties that differ from a blank object
/// of its kind, by Exchange name, in their canonical text. Fixtures write these as YAML
/// mappings and the store as one text column, so both keep exactly the same facts.
struct PropertyRecord: Hashable, Sendable {
    var entries: [(name: String, value: PropertyValue)]

    static func == (a: PropertyRecord, b: PropertyRecord) -> Bool {
        a.entries.elementsEqual(b.entries) { $0.name == $1.name && $0.value == $1.value }
    }
    func hash(into h: inout Hasher) { for e in entries { h.combine(e.name); h.combine(e.value) } }

    init(_ entries: [(name: String, value: PropertyValue)]) { self.entries = entries }

    init<T>(_ object: T, blank: T, schema: ObjectSchema<T>) {
        entries = schema.differences(object, from: blank)
    }

    subscript(name: String) -> PropertyValue? {
        entries.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    // MARK: Text encoding for the store

    private static let entrySeparator: Character = "\u{1F}"
    private static let nameSeparator: Character = "\u{1D}"
    private static let itemSeparator: Character = "\u{1E}"

    /// `name GS kind value` entries joined by US; kind `s` scalar, `n` null, `l` list of RS-joined items.
    var encoded: String {
        var out = ""
        for (i, e) in entries.enumerated() {
            if i > 0 { out.append(Self.entrySeparator) }
            out += e.name
            out.append(Self.nameSeparator)
            switch e.value {
            case .null: out += "n"
            case .list(let items):
                out += "l"
                out += items.map(\.canonicalText).joined(separator: String(Self.itemSeparator))
                if items.isEmpty { out += "" }
            default:
                out += "s"
                out += e.value.canonicalText
            }
        }
        return out
    }

    init(encoded text: String) throws(StoreError) {
        var entries: [(String, PropertyValue)] = []
        if !text.isEmpty {
            for entry in text.split(separator: Self.entrySeparator, omittingEmptySubsequences: false) {
                guard let sep = entry.firstIndex(of: Self.nameSeparator) else {
                    throw StoreError("A stored property record is damaged: \(entry.prefix(40))")
                }
                let name = String(entry[..<sep])
                let rest = entry[entry.index(after: sep)...]
                guard let kind = rest.first else { throw StoreError("A stored property \(name) has no value kind.") }
                let body = rest.dropFirst()
                switch kind {
                case "n": entries.append((name, .null))
                case "s": entries.append((name, .string(String(body))))
                case "l":
                    let items = body.isEmpty ? [] : body.split(separator: Self.itemSeparator, omittingEmptySubsequences: false).map { PropertyValue.string(String($0)) }
                    entries.append((name, .list(items)))
                default: throw StoreError("A stored property \(name) has an unknown value kind '\(kind)'.")
                }
            }
        }
        self.entries = entries
    }

    /// Restores every entry onto `object` through the schema's restore path.
    func apply<T>(to object: inout T, schema: ObjectSchema<T>) throws(StoreError) {
        for e in entries {
            guard let p = schema.property(named: e.name) else {
                throw StoreError("The stored \(schema.typeName) has an unknown property \(e.name).")
            }
            do { try p.restore(&object, e.value) } catch {
                throw StoreError("The stored \(schema.typeName) property \(e.name) is invalid: \(error.reason)")
            }
        }
    }
}
