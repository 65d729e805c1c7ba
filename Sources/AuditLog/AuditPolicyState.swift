import Foundation

/// The rest of what the audit policy remembers between events.
struct AuditPolicyState: Sendable, Equatable {
    /// The ingestion switch as of the previous event: turning it off is recorded once, on
    /// the transition, and a repeat while it is off is not. Nil before the first event.
    var lastIngestionEnabled: Bool?
    /// Whether the command turning ingestion off has been recorded since ingestion was last
    /// seen on (so a command reported before its change and repeated after is recorded once).
    var switchOffRecorded = false
    /// The Exchange connection (SessionId) of each admin, so one shell's records share it.
    var adminSessions: [String: UUID] = [:]
    /// The directory request of the previous Entra change: the records one change writes
    /// share InterSystemsId and IntraSystemId. [golden t1556 records]
    var lastDirectoryRequest: DirectoryRequest?

    struct DirectoryRequest: Sendable, Equatable {
        var actor: String
        var target: String
        var time: Date
        var interSystemsId: UUID
        var intraSystemId: UUID
    }
}
