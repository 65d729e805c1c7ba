import AuditLog
import Foundation
import Synchronization

/// One request as the journal keeps it.
public struct JournalEntry: Sendable {
    public var requestId: String
    public var time: Date
    public var method: String
    public var target: String
    /// The route template that answered (nil for 404s).
    public var route: String?
    public var family: String
    public var status: Int
    public var clientIP: String
    /// The caller's UPN or app id.
    public var principal: String?
    /// The access decision the request led to (`Allowed`, `Denied: <reason>`), if any.
    public var decision: String?
    /// The error code answered, if any.
    public var error: String?
    /// The fault rule that answered instead of the route, if any.
    public var fault: String?
    public var micros: Int

    public var json: JSONValue {
        var o: JSONObject = [
            "requestId": .string(requestId), "time": .string(WireDate.iso(time)), "method": .string(method),
            "target": .string(target), "route": route.map(JSONValue.string) ?? .null, "api": .string(family),
            "status": .int(status), "clientIP": .string(clientIP),
        ]
        o["principal"] = principal.map(JSONValue.string) ?? .null
        o["decision"] = decision.map(JSONValue.string) ?? .null
        o["error"] = error.map(JSONValue.string) ?? .null
        o["fault"] = fault.map(JSONValue.string) ?? .null
        o["durationMicroseconds"] = .int(micros)
        return .object(o)
    }
}

/// Every request with its outcome: a bounded ring in memory (`/sim/v1/journal`) and,
/// with `--journal FILE`, every entry appended to the file as a JSON line.
public final class Journal: Sendable {
    public static let capacity = 10_000
    private struct State {
        var entries: [JournalEntry] = []
        var start = 0
        var total = 0
        var file: FileHandle?
    }
    private let state: Mutex<State>

    init(path: String?) {
        var s = State()
        if let path {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            s.file = FileHandle(forWritingAtPath: path)
            _ = try? s.file?.seekToEnd()
        }
        state = Mutex(s)
    }

    func append(_ entry: JournalEntry) {
        state.withLock { s in
            if s.entries.count < Self.capacity {
                s.entries.append(entry)
            } else {
                s.entries[s.start] = entry
                s.start = (s.start + 1) % Self.capacity
            }
            s.total += 1
            if let file = s.file { file.write(Data((WireJSON.text(entry.json) + "\n").utf8)) }
        }
    }

    /// The kept entries, oldest first.
    public var entries: [JournalEntry] {
        state.withLock { s in Array(s.entries[s.start...] + s.entries[..<s.start]) }
    }

    /// How many requests were journaled since the start (or the last clear).
    public var total: Int { state.withLock { $0.total } }

    public func clear() {
        state.withLock { s in
            s.entries = []
            s.start = 0
            s.total = 0
        }
    }
}
