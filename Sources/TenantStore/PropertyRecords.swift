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

    init<T>(_ object: T, blankValues: [PropertyValue], schema: ObjectSchema<T>) {
        entries = schema.differences(object, fromValues: blankValues)
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
        var copy = text
        let failure: StoreError? = copy.withUTF8 { bytes -> StoreError? in
            let n = bytes.count
            var i = 0
            func string(_ from: Int, _ to: Int) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
            }
            while i < n {
                var end = i
                while end < n, bytes[end] != 0x1F { end += 1 }
                var sep = i
                while sep < end, bytes[sep] != 0x1D { sep += 1 }
                guard sep + 1 < end || (sep < end && sep + 1 == end) else {
                    return StoreError("A stored property record is damaged near byte \(i).")
                }
                guard sep < end else { return StoreError("A stored property record is damaged near byte \(i).") }
                let name = string(i, sep)
                guard sep + 1 < end else { return StoreError("A stored property \(name) has no value kind.") }
                let kind = bytes[sep + 1]
                let bodyStart = sep + 2
                switch kind {
                case 0x6E: entries.append((name, .null)) // n
                case 0x73: entries.append((name, .string(string(bodyStart, end)))) // s
                case 0x6C: // l
                    var items: [PropertyValue] = []
                    if bodyStart < end {
                        var j = bodyStart
                        var itemStart = bodyStart
                        while j <= end {
                            if j == end || bytes[j] == 0x1E {
                                items.append(.string(string(itemStart, j)))
                                itemStart = j + 1
                            }
                            j += 1
                        }
                    }
                    entries.append((name, .list(items)))
                default:
                    return StoreError("A stored property \(name) has an unknown value kind.")
                }
                i = end + 1
            }
            return nil
        }
        if let failure { throw failure }
        self.entries = entries
    }

    /// Restores every entry onto `object` through the schema's restore path.
    func apply<T>(to object: inout T, schema: ObjectSchema<T>) throws(StoreError) {
        for e in entries {
            do {
                guard try schema.restore(&object, named: e.name, e.value) else {
                    throw StoreError("The stored \(schema.typeName) has an unknown property \(e.name).")
                }
            } catch let error as ValueConversionError {
                throw StoreError("The stored \(schema.typeName) property \(e.name) is invalid: \(error.reason)")
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError("\(error)")
            }
        }
    }
}
