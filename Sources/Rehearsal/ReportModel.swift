import Foundation

/// What a rehearsal found. Every field name is stable: the JSON format (`--format json`)
/// is this structure encoded with sorted keys (Docs/rehearsal.md lists the fields).
public struct RehearsalReport: Codable, Hashable, Sendable {
    public static let formatVersion = 1

    public var formatVersion = RehearsalReport.formatVersion
    /// The tenant's initial domain.
    public var tenant: String
    /// The plan's file name (or `plan`).
    public var plan: String
    /// `traffic` (a sign-in sample was replayed) or `probes` (a synthesized probe set).
    public var attemptSource: String
    /// Sign-ins read from the traffic file, or probes synthesized.
    public var attemptRows: Int
    /// Distinct attempts actually evaluated (duplicates are evaluated once and weighted).
    public var distinctAttempts: Int
    /// Traffic rows whose client app the simulator doesn't know (not replayed).
    public var unmappedRows: Int
    /// 0 nothing bad, 3 an administrator is locked out, 4 the plan has errors.
    public var exitCode: Int
    /// `ok`, `lockout` or `planErrors`.
    public var verdict: String
    public var planErrors: [PlanError]
    public var summary: Summary
    /// The protocols of the matrix's columns, in order.
    public var protocols: [String]
    public var matrix: [MatrixRow]
    public var changes: [CellChange]
    public var administrators: [AdminReachability]
    public var devices: [DeviceChange]
    public var mfaGaps: [MfaGap]
    /// The client addresses probes and administrator checks use.
    public var locations: [String]
    /// The locations someone is known to connect from (the lockout verdict uses only these).
    public var knownLocations: [String]

    public struct PlanError: Codable, Hashable, Sendable {
        /// 1-based line in the plan.
        public var line: Int
        public var text: String
        public var message: String
        /// PowerShell's FullyQualifiedErrorId (`ParameterArgumentTransformationError,New-ClientAccessRule`).
        public var errorId: String
    }

    public struct Summary: Codable, Hashable, Sendable {
        public var users: Int
        public var cells: Int
        public var changedCells: Int
        /// Weighted attempts allowed before and after.
        public var allowedBefore: Int
        public var allowedAfter: Int
        public var attempts: Int
        /// Cells that had an allowed attempt before and lose some or all of them after.
        public var cellsLosingAccess: Int
        /// Cells that gain allowed attempts.
        public var cellsGainingAccess: Int
        public var devicesChanged: Int
        public var usersWithMfaGaps: Int
        /// Administrators who had a path from a known location to RemotePowerShell or the admin center and have none after.
        public var lockedOutAdministrators: [String]
    }

    /// An aggregate of a user × protocol cell: `Allowed`, `Denied`, `Quarantined` or `Mixed`.
    public struct CellState: Codable, Hashable, Sendable {
        public var outcome: String
        public var allowed: Int
        public var total: Int
    }

    public struct Cell: Codable, Hashable, Sendable {
        public var `protocol`: String
        public var before: CellState
        public var after: CellState
        public var changed: Bool
    }

    public struct MatrixRow: Codable, Hashable, Sendable {
        public var user: String
        public var cells: [Cell]
    }

    /// One side of a decision.
    public struct Verdict: Codable, Hashable, Sendable {
        public var outcome: String
        public var reason: String
        /// The deciding rule, switch, list or policy.
        public var by: String?
        /// The deciding stage's sentence (for explained decisions).
        public var detail: String?
    }

    /// A cell whose outcome changes, with a representative attempt explained on both sides.
    public struct CellChange: Codable, Hashable, Sendable {
        public var user: String
        public var `protocol`: String
        public var clientIP: String
        public var authentication: String
        public var before: Verdict
        public var after: Verdict
        /// `lost`, `gained` or `changed`.
        public var direction: String
        /// The grouping key: the after side's reason and deciding object (`ClientAccessRule: Block_All`).
        public var group: String
        public var allowedBefore: Int
        public var allowedAfter: Int
        public var attempts: Int
    }

    public struct AdminPath: Codable, Hashable, Sendable {
        public var location: String
        public var `protocol`: String
        /// Whether the location is a known one (else only the plan's rules name it).
        public var known: Bool
        public var before: Verdict
        public var after: Verdict
    }

    public struct AdminReachability: Codable, Hashable, Sendable {
        public var user: String
        public var roles: [String]
        public var paths: [AdminPath]
        public var reachableBefore: Bool
        public var reachableAfter: Bool
        public var lockedOut: Bool
    }

    /// One step of the ActiveSync access flow as a device went through it.
    public struct PathStep: Codable, Hashable, Sendable {
        public var step: String
        /// `passed`, `decided`, `skipped` or `notReached`.
        public var result: String
        public var note: String
    }

    public struct DeviceChange: Codable, Hashable, Sendable {
        public var user: String
        public var deviceId: String
        public var deviceType: String
        public var deviceModel: String
        public var before: Verdict
        public var after: Verdict
        public var pathBefore: [PathStep]
        public var pathAfter: [PathStep]
    }

    public struct MfaGap: Codable, Hashable, Sendable {
        public var user: String
        /// Per-user MFA after the change: `Disabled` or `Enabled`.
        public var mfaState: String
        /// Legacy (Basic authentication) protocols still allowed with the password alone.
        public var protocols: [String]
    }

    /// The report as JSON (sorted keys, pretty printed).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
