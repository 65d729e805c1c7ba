import Foundation
import TenantStore

/// An expectation a step did not meet: where the step is, what it expected, what happened.
public struct StepFailure: Sendable, Hashable {
    public var location: FileLocation
    /// The `include` steps that brought the step in, outermost first.
    public var includedFrom: [FileLocation]
    /// The step in a few words: `signin adele@… over IMAP4`.
    public var step: String
    public var expected: String
    /// What was seen instead: the decision and its trace, the nearest records, the output.
    public var seen: String

    public init(location: FileLocation, includedFrom: [FileLocation] = [], step: String, expected: String, seen: String) {
        self.location = location
        self.includedFrom = includedFrom
        self.step = step
        self.expected = expected
        self.seen = seen
    }

    /// The whole message: `file:line: step`, then expected and seen.
    public var message: String {
        var head = "\(location.fileAndLine): \(step)"
        if !includedFrom.isEmpty {
            head += " (included from \(includedFrom.map(\.fileAndLine).joined(separator: " ← ")))"
        }
        return head + "\n  expected: " + indent(expected) + "\n  seen:     " + indent(seen)
    }

    private func indent(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\n            ")
    }
}

/// The outcome of one scenario.
public struct ScenarioResult: Sendable {
    public enum Status: String, Sendable {
        case passed, failed
    }

    public var file: String
    public var title: String
    public var tags: [String]
    public var topic: String
    public var status: Status
    /// Wall-clock seconds the steps took (tenant copy included, parsing not).
    public var seconds: Double
    public var stepsRun: Int
    public var stepCount: Int
    public var failure: StepFailure?
    /// Each step's result and, for sign-ins and actions, the decision's stage trace
    /// (kept only with `--verbose`).
    public var log: [String]
    /// The simulated time when the scenario ended.
    public var endedAt: Date

    public var passed: Bool { status == .passed }
}

/// A scenario file that could not be run: malformed, or its tenant could not be loaded.
public struct BadInput: Sendable, Hashable {
    public var error: FixtureError
    public var topic: String

    public init(_ error: FixtureError) {
        self.error = error
        let folder = (error.file as NSString).deletingLastPathComponent
        let last = (folder as NSString).lastPathComponent
        topic = last.isEmpty || last == "." ? "scenarios" : last
    }
}

/// Everything a run produced, in file order whatever the number of jobs.
public struct SuiteResult: Sendable {
    public var results: [ScenarioResult]
    public var badInput: [BadInput]
    /// Warnings of the files that ran (not errors without `--strict`).
    public var warnings: [FixtureError]
    /// Scenarios left out by `--tag`, `--skip-tag` or `--shard`.
    public var filteredOut: Int
    /// Scenarios not run because `--fail-fast` stopped the run.
    public var notRun: Int
    public var seconds: Double

    public var passedCount: Int { results.filter(\.passed).count }
    public var failedCount: Int { results.count - passedCount }

    /// 0 all passed, 1 a scenario failed, 2 a file was malformed or a tenant could not be
    /// loaded (the other files still ran; bad input wins over failures).
    public var exitCode: Int32 {
        if !badInput.isEmpty { return 2 }
        return failedCount > 0 ? 1 : 0
    }
}
