import Foundation
import TenantStore

/// The terminal report: one line per scenario as it finishes (✔/✘, title, time), the
/// failure under a failed one, then a summary table by topic. Colour only when asked (on a
/// TTY without NO_COLOR).
public struct HumanReport: Sendable {
    public var colour: Bool
    public var verbose: Bool

    public init(colour: Bool, verbose: Bool) {
        self.colour = colour
        self.verbose = verbose
    }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    /// The lines for one finished scenario.
    public func line(_ r: ScenarioResult) -> String {
        let mark = r.passed ? paint("✔", "32") : paint("✘", "31")
        var text = "\(mark) \(r.title)  " + paint("\(r.file) · \(Self.time(r.seconds))", "2")
        if let f = r.failure {
            text += "\n" + indent(paint(f.message, "31"))
        }
        if verbose, !r.log.isEmpty {
            text += "\n" + indent(r.log.joined(separator: "\n"))
        }
        return text + "\n"
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    /// Every scenario's line, then the summary (for `--output` files and non-streaming use).
    public func render(_ suite: SuiteResult) -> String {
        suite.results.map(line).joined() + summary(suite)
    }

    /// Bad input, then the table by topic, then the totals.
    public func summary(_ suite: SuiteResult) -> String {
        var out = ""
        if !suite.badInput.isEmpty {
            out += "\n" + paint("Bad input (these files did not run):", "31;1") + "\n"
            for b in suite.badInput { out += "  \(b.error)\n" }
        }
        if !suite.warnings.isEmpty {
            out += "\n" + paint("Warnings (errors with --strict):", "33") + "\n"
            for w in suite.warnings.prefix(20) { out += "  \(w)\n" }
            if suite.warnings.count > 20 { out += "  … and \(suite.warnings.count - 20) more\n" }
        }
        var topics: [String] = []
        var rows: [String: (total: Int, passed: Int, failed: Int, bad: Int, seconds: Double)] = [:]
        for r in suite.results {
            if rows[r.topic] == nil { topics.append(r.topic) }
            var row = rows[r.topic] ?? (0, 0, 0, 0, 0)
            row.total += 1
            if r.passed { row.passed += 1 } else { row.failed += 1 }
            row.seconds += r.seconds
            rows[r.topic] = row
        }
        for b in suite.badInput {
            if rows[b.topic] == nil { topics.append(b.topic) }
            var row = rows[b.topic] ?? (0, 0, 0, 0, 0)
            row.bad += 1
            rows[b.topic] = row
        }
        let width = max(8, topics.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return right ? fill + s : s + fill
        }
        out += "\n" + pad("Topic", width) + "  Scenarios  Passed  Failed  Bad input      Time\n"
        out += String(repeating: "─", count: width + 46) + "\n"
        var total = (0, 0, 0, 0, 0.0)
        for t in topics.sorted() {
            let r = rows[t]!
            total = (total.0 + r.total, total.1 + r.passed, total.2 + r.failed, total.3 + r.bad, total.4 + r.seconds)
            let failed = r.failed > 0 ? paint(pad(String(r.failed), 6, right: true), "31") : pad(String(r.failed), 6, right: true)
            out += pad(t, width) + "  " + pad(String(r.total), 9, right: true) + "  " + pad(String(r.passed), 6, right: true) + "  "
                + failed + "  " + pad(String(r.bad), 9, right: true) + "  " + pad(Self.time(r.seconds), 8, right: true) + "\n"
        }
        out += String(repeating: "─", count: width + 46) + "\n"
        out += pad("Total", width) + "  " + pad(String(total.0), 9, right: true) + "  " + pad(String(total.1), 6, right: true) + "  "
            + pad(String(total.2), 6, right: true) + "  " + pad(String(total.3), 9, right: true) + "  " + pad(Self.time(total.4), 8, right: true) + "\n"
        var verdict = "\(suite.passedCount) passed, \(suite.failedCount) failed"
        if !suite.badInput.isEmpty { verdict += ", \(suite.badInput.count) bad input" }
        if suite.filteredOut > 0 { verdict += ", \(suite.filteredOut) filtered out" }
        if suite.notRun > 0 { verdict += ", \(suite.notRun) not run (--fail-fast)" }
        verdict += " in \(Self.time(suite.seconds))"
        let ok = suite.exitCode == 0
        out += "\n" + paint((ok ? "✔ " : "✘ ") + verdict, ok ? "32;1" : "31;1") + "\n"
        return out
    }

    /// A progress bar for a terminal: `[██████░░░░] 12/40`.
    public func progress(done: Int, total: Int, failed: Int) -> String {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\r\u{1B}[K[\(failed > 0 ? paint(bar, "31") : paint(bar, "32"))] \(done)/\(total)"
    }

    static func time(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1_000).rounded())) ms" : String(format: "%.2f s", seconds)
    }
}
