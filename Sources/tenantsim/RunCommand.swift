import ArgumentParser
import Foundation
import Scenarios

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenario files: scripted admin changes, sign-ins and attacks, with their expected decisions and logs.",
        discussion: """
            Each scenario runs on its own copy of its tenant. Exit status: 0 when every scenario passed, \
            1 when one failed, 2 when a file was malformed or its tenant could not be loaded (the other \
            files still run; bad input wins over failures). The format is in Docs/scenarios.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json, junit
    }

    @Argument(help: ArgumentHelp("Scenario files or folders (searched recursively).", valueName: "PATH"))
    var paths: [String] = ["scenarios"]

    @Option(name: .long, help: ArgumentHelp("Run every scenario on this tenant instead of its own (a fixture name or path); its overrides still apply.", valueName: "NAME|PATH"))
    var tenant: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("Run only scenarios with this tag (repeat for any of several).", valueName: "TAG"))
    var tags: [String] = []

    @Option(name: .customLong("skip-tag"), help: ArgumentHelp("Leave out scenarios with this tag (repeatable).", valueName: "TAG"))
    var skipTags: [String] = []

    @Option(name: .long, help: "Report format.")
    var format: Format = .human

    @Option(name: .long, help: ArgumentHelp("Write the report to this file; the terminal still shows the human report.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Scenarios run in parallel, each on its own tenant copy.", valueName: "N"))
    var jobs: Int = 1

    @Option(name: .long, help: ArgumentHelp("Run only shard I of N (1-based), split stably by file path, for CI matrices.", valueName: "I/N"))
    var shard: String?

    @Flag(name: .long, help: "Stop after the first failed scenario.")
    var failFast = false

    @Flag(name: .long, help: "Show every step's result and the decision traces of sign-ins and actions.")
    var verbose = false

    @Flag(name: .long, help: "Treat warnings (a step with no expect, a scenario with no description) as errors.")
    var strict = false

    func run() throws {
        // Bad arguments are bad input too: exit 2, like a malformed file.
        guard jobs >= 1 else { return try badInput("--jobs must be 1 or more.") }
        if let shard, Shard(shard) == nil { return try badInput("--shard takes I/N with 1 ≤ I ≤ N, e.g. 2/4; not \"\(shard)\".") }
        var options = RunOptions()
        options.paths = paths
        options.tenant = tenant
        options.tags = tags
        options.skipTags = skipTags
        options.jobs = jobs
        options.shard = shard.flatMap(Shard.init)
        options.failFast = failFast
        options.verbose = verbose
        options.strict = strict

        // The human report streams to the terminal unless a machine report takes stdout.
        let streamHuman = format == .human || output != nil
        let tty = isatty(1) != 0
        let colour = tty && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let human = HumanReport(colour: colour, verbose: verbose)
        let console = Console(human: human, showProgress: streamHuman && tty)
        var progress: (@Sendable (ScenarioResult, Int, Int) -> Void)?
        if streamHuman {
            progress = { result, done, total in console.finished(result, done: done, total: total) }
        }
        let suite = ScenarioSuite.run(options, progress: progress)
        console.clearProgress()

        let report: String
        switch format {
        case .human: report = HumanReport(colour: false, verbose: verbose).render(suite)
        case .json: report = JSONReport.render(suite)
        case .junit: report = JUnitReport.render(suite)
        }
        if let output {
            do { try report.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                FileHandle.standardError.write(Data("error: the report can't be written to \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
        }
        if streamHuman {
            console.write(human.summary(suite))
        } else {
            console.write(report)
        }
        if suite.exitCode != 0 { throw ExitCode(suite.exitCode) }
    }

    private func badInput(_ message: String) throws {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        throw ExitCode(2)
    }
}

/// The terminal side of a run: result lines as scenarios finish, and a progress bar below
/// them on a TTY. Called from the worker threads one at a time.
private final class Console: @unchecked Sendable {
    let human: HumanReport
    let showProgress: Bool
    private var failed = 0
    private var barShown = false

    init(human: HumanReport, showProgress: Bool) {
        self.human = human
        self.showProgress = showProgress
    }

    func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    func finished(_ result: ScenarioResult, done: Int, total: Int) {
        if !result.passed { failed += 1 }
        var text = barShown ? "\r\u{1B}[K" : ""
        text += human.line(result)
        // A bar only helps on long runs.
        if showProgress, total >= 20, done < total {
            text += human.progress(done: done, total: total, failed: failed)
            barShown = true
        } else {
            barShown = false
        }
        write(text)
    }

    func clearProgress() {
        if barShown { write("\r\u{1B}[K") }
        barShown = false
    }
}
