import Foundation
import TenantModel
import TenantStore

/// `--format json`: the summary, each scenario's result, and the bad input, for tools.
public enum JSONReport {
    struct Report: Encodable {
        struct Summary: Encodable {
            var total: Int
            var passed: Int
            var failed: Int
            var badInput: Int
            var filteredOut: Int
            var notRun: Int
            var seconds: Double
            var exitCode: Int32
        }
        struct Location: Encodable {
            var file: String
            var line: Int
            var column: Int
        }
        struct Failure: Encodable {
            var file: String
            var line: Int
            var includedFrom: [Location]
            var step: String
            var expected: String
            var seen: String
            var message: String
        }
        struct Result: Encodable {
            var file: String
            var title: String
            var topic: String
            var tags: [String]
            var status: String
            var seconds: Double
            var stepsRun: Int
            var steps: Int
            var endedAt: String
            var failure: Failure?
            var log: [String]?
        }
        struct Problem: Encodable {
            var file: String
            var line: Int
            var column: Int
            var message: String
        }
        var summary: Summary
        var scenarios: [Result]
        var badInput: [Problem]
        var warnings: [Problem]
    }

    public static func render(_ suite: SuiteResult) -> String {
        func problem(_ e: FixtureError) -> Report.Problem { .init(file: e.file, line: e.line, column: e.column, message: e.message) }
        let report = Report(
            summary: .init(total: suite.results.count, passed: suite.passedCount, failed: suite.failedCount, badInput: suite.badInput.count,
                           filteredOut: suite.filteredOut, notRun: suite.notRun, seconds: round(suite.seconds * 1_000) / 1_000,
                           exitCode: suite.exitCode),
            scenarios: suite.results.map { r in
                Report.Result(
                    file: r.file, title: r.title, topic: r.topic, tags: r.tags, status: r.status.rawValue,
                    seconds: round(r.seconds * 10_000) / 10_000, stepsRun: r.stepsRun, steps: r.stepCount, endedAt: ISO8601.format(r.endedAt),
                    failure: r.failure.map { f in
                        .init(file: f.location.file, line: f.location.line,
                              includedFrom: f.includedFrom.map { .init(file: $0.file, line: $0.line, column: $0.column) },
                              step: f.step, expected: f.expected, seen: f.seen, message: f.message)
                    },
                    log: r.log.isEmpty ? nil : r.log)
            },
            badInput: suite.badInput.map { problem($0.error) },
            warnings: suite.warnings.map(problem))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// `--format junit`: the common JUnit XML shape CI servers read (the Jenkins/Ant schema,
/// `jenkins-junit.xsd`: only its elements and attributes) — `testsuites` holding one
/// `testsuite` per topic folder, one `testcase` per scenario, a `failure` (with the
/// message) for a failed scenario and an `error` for a file that could not run.
public enum JUnitReport {
    public static func render(_ suite: SuiteResult) -> String {
        var topics: [String] = []
        var cases: [String: [String]] = [:]
        var counts: [String: (tests: Int, failures: Int, errors: Int, time: Double)] = [:]
        func add(_ topic: String, _ xml: String, failure: Bool, error: Bool, time: Double) {
            if cases[topic] == nil { topics.append(topic) }
            cases[topic, default: []].append(xml)
            var c = counts[topic] ?? (0, 0, 0, 0)
            c.tests += 1
            if failure { c.failures += 1 }
            if error { c.errors += 1 }
            c.time += time
            counts[topic] = c
        }
        for r in suite.results {
            var xml = "    <testcase name=\"\(escape(r.title))\" classname=\"\(escape(className(r.file)))\" time=\"\(seconds(r.seconds))\""
            if let f = r.failure {
                xml += ">\n      <failure message=\"\(escape(firstLine(f)))\" type=\"ExpectationFailed\">\(escape(f.message, attribute: false))</failure>\n"
                if !r.log.isEmpty { xml += "      <system-out>\(escape(r.log.joined(separator: "\n"), attribute: false))</system-out>\n" }
                xml += "    </testcase>"
            } else if !r.log.isEmpty {
                xml += ">\n      <system-out>\(escape(r.log.joined(separator: "\n"), attribute: false))</system-out>\n    </testcase>"
            } else {
                xml += "/>"
            }
            add(r.topic, xml, failure: !r.passed, error: false, time: r.seconds)
        }
        for b in suite.badInput {
            let name = (b.error.file as NSString).lastPathComponent
            let xml = "    <testcase name=\"\(escape(name))\" classname=\"\(escape(className(b.error.file)))\" time=\"0.000\">\n"
                + "      <error message=\"\(escape(b.error.message))\" type=\"BadInput\">\(escape(b.error.description, attribute: false))</error>\n    </testcase>"
            add(b.topic, xml, failure: false, error: true, time: 0)
        }
        let total = counts.values.reduce((0, 0, 0, 0.0)) { ($0.0 + $1.tests, $0.1 + $1.failures, $0.2 + $1.errors, $0.3 + $1.time) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"tenantsim\" tests=\"\(total.0)\" failures=\"\(total.1)\" errors=\"\(total.2)\" time=\"\(seconds(suite.seconds))\">\n"
        for t in topics.sorted() {
            let c = counts[t]!
            out += "  <testsuite name=\"\(escape(t))\" tests=\"\(c.tests)\" failures=\"\(c.failures)\" errors=\"\(c.errors)\" skipped=\"0\" time=\"\(seconds(c.time))\">\n"
            out += cases[t]!.joined(separator: "\n") + "\n"
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// `scenarios.mfa.legacy-imap` for `scenarios/mfa/legacy-imap.yaml`.
    static func className(_ file: String) -> String {
        var path = file
        for ext in [".yaml", ".yml"] where path.hasSuffix(ext) { path = String(path.dropLast(ext.count)) }
        return path.split(separator: "/").joined(separator: ".")
    }

    static func firstLine(_ f: StepFailure) -> String { "\(f.location.fileAndLine): expected \(f.expected.split(separator: "\n").first ?? "")" }

    static func seconds(_ s: Double) -> String { String(format: "%.3f", s) }

    /// Text for an attribute or element: markup characters escaped, and the characters XML
    /// 1.0 cannot hold at all (most C0 controls) dropped.
    static func escape(_ text: String, attribute: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": if attribute { out += "&#10;" } else { out.unicodeScalars.append(scalar) }
            case "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) || (0xD800...0xDFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
