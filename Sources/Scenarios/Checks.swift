import AccessControl
import Foundation
import Shell
import TenantModel

/// What a step expected and what it saw, when they differ.
struct Mismatch {
    var expected: String
    var seen: String
}

/// `run` expectations: errors, output rows compared by PowerShell's text, counts.
enum RunChecks {
    static func check(_ e: RunExpectation, result: RunResult, script: String, before: Tenant, after: Tenant) -> Mismatch? {
        let errors = result.errors.map(\.message)
        if let text = e.error {
            guard errors.contains(where: { $0.lowercased().contains(text.lowercased()) }) else {
                return Mismatch(expected: "an error containing \"\(text)\"",
                                seen: errors.isEmpty ? "no error; output:\n" + rendered(result.output) : "errors:\n" + errors.joined(separator: "\n"))
            }
            // A statement that fails outright changes nothing. [SPEC §7]
            if result.hadTerminatingError, (try? Parser.parse(script))?.count == 1, !sameConfiguration(before, after) {
                return Mismatch(expected: "the failing statement to leave the tenant unchanged",
                                seen: "the tenant changed although the statement failed with: \(errors.first ?? "")")
            }
        } else if !errors.isEmpty {
            return Mismatch(expected: e.ok ? "no error" : "no error (the expect names no `error:`)",
                            seen: "errors:\n" + errors.joined(separator: "\n"))
        }
        if let n = e.count, result.output.count != n {
            return Mismatch(expected: "\(n) output objects", seen: "\(result.output.count) output objects:\n" + rendered(result.output))
        }
        if let rows = e.output {
            if rows.count != result.output.count {
                return Mismatch(expected: "\(rows.count) output objects: " + rows.map(describe).joined(separator: "; "),
                                seen: "\(result.output.count) output objects:\n" + rendered(result.output))
            }
            for (i, (row, value)) in zip(rows, result.output).enumerated() {
                if let problem = mismatch(row, value) {
                    return Mismatch(expected: "output object \(i + 1): " + describe(row),
                                    seen: problem + "\nThe output was:\n" + rendered(result.output))
                }
            }
        }
        return nil
    }

    /// Equal but for what a sign-in may legitimately leave behind (smart lockout counters, a
    /// device partnership): a failed connection cmdlet still counts its failed sign-in.
    static func sameConfiguration(_ a: Tenant, _ b: Tenant) -> Bool {
        if a == b { return true }
        func withoutSignInState(_ u: User) -> User {
            var u = u
            u.failedSignInCount = 0
            u.lockedUntil = nil
            u.lockoutCount = 0
            u.recentBadPasswordHashes = []
            return u
        }
        return a.organizationConfig == b.organizationConfig && a.adminAuditLogConfig == b.adminAuditLogConfig
            && a.transportConfig == b.transportConfig && a.activeSyncOrganizationSettings == b.activeSyncOrganizationSettings
            && a.remoteDomains == b.remoteDomains && a.authenticationPolicies == b.authenticationPolicies
            && a.mobileDeviceMailboxPolicies == b.mobileDeviceMailboxPolicies && a.owaMailboxPolicies == b.owaMailboxPolicies
            && a.deviceAccessRules == b.deviceAccessRules && a.clientAccessRules == b.clientAccessRules
            && a.applications == b.applications
            && a.mailboxes == b.mailboxes && a.inboxRules == b.inboxRules && a.mailboxPermissions == b.mailboxPermissions
            && a.folders == b.folders && a.messages == b.messages
            && a.users.map(withoutSignInState) == b.users.map(withoutSignInState)
    }

    static func rendered(_ values: [PSValue]) -> String {
        guard !values.isEmpty else { return "(nothing)" }
        let text = OutputFormatter.render(values).trimmingCharacters(in: .newlines)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 40 ? lines.prefix(40).joined(separator: "\n") + "\n… (\(lines.count - 40) more lines)" : text
    }

    static func describe(_ row: ExpectedRow) -> String {
        switch row {
        case .value(let v): return v.description
        case .properties(let props): return "{" + props.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// Why `value` doesn't match `row`, or nil when it does.
    static func mismatch(_ row: ExpectedRow, _ value: PSValue) -> String? {
        switch row {
        case .value(let expected):
            return matches(expected, value) ? nil : "the object is \(OutputFormatter.displayText(value))"
        case .properties(let props):
            var problems: [String] = []
            for (name, expected) in props {
                let actual: PSValue?
                switch value {
                case .object(let o): actual = o.property(name)
                case .hashtable(let h): actual = h[name]
                default: actual = nil
                }
                guard let actual else {
                    problems.append("it has no property \(name)")
                    continue
                }
                if !matches(expected, actual) { problems.append("\(name) is \"\(OutputFormatter.displayText(actual))\"") }
            }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        }
    }

    /// A value's text as PowerShell prints it, compared ignoring case with `*` wildcards; a
    /// list compares item by item.
    static func matches(_ expected: ExpectedValue, _ actual: PSValue) -> Bool {
        switch expected {
        case .text(let t):
            return [OutputFormatter.displayText(actual), actual.text].contains { Wildcard.matches(t, $0) }
        case .list(let items):
            let values: [PSValue]
            switch actual {
            case .null: values = []
            case .array(let a): values = a.items
            default: values = [actual]
            }
            guard values.count == items.count else { return false }
            return zip(items, values).allSatisfy { Wildcard.matches($0, $1.text) || Wildcard.matches($0, OutputFormatter.displayText($1)) }
        }
    }
}

enum DecisionChecks {
    /// The expected fields that differ, or nil.
    static func check(_ e: DecisionExpectation, _ d: AccessDecision) -> String? {
        var wrong = false
        if let decision = e.decision, decision != d.outcome { wrong = true }
        if let reason = e.reason, reason.lowercased() != d.reason.lowercased() { wrong = true }
        if let by = e.by, by.lowercased() != (d.by ?? "").lowercased() { wrong = true }
        if let code = e.code, code != d.code { wrong = true }
        return wrong ? e.description : nil
    }
}

enum AttackChecks {
    static func check(_ e: AttackExpectation, _ report: AttackReport) -> String? {
        var problems: [String] = []
        for (key, n) in e.counts where report.count(key) != n {
            problems.append("\(key) \(n) (was \(report.count(key).map(String.init) ?? "not measured"))")
        }
        for (key, expected) in e.users {
            let actual = report.users(key)
            switch expected {
            case .count(let n) where actual.count != n:
                problems.append("\(n) \(key) (was \(actual.count): \(actual.joined(separator: ", ")))")
            case .exactly(let list) where Set(list.map { $0.lowercased() }) != Set(actual.map { $0.lowercased() }):
                problems.append("\(key) [\(list.joined(separator: ", "))] (was [\(actual.joined(separator: ", "))])")
            default: break
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}

enum LogChecks {
    /// What the log held: the matching records (when there were too many), or the records
    /// nearest to the query (most conditions met) when there were too few.
    static func seen(_ search: LogSearch, entries: [LogSearch.Entry], matching: [LogSearch.Entry]) -> String {
        var lines = ["\(matching.count) matching records (of \(entries.count) in the \(search.query.source.rawValue) log)"]
        if !matching.isEmpty {
            lines.append("matching:")
            lines += matching.suffix(5).map { "  " + search.describe($0) }
            if matching.count > 5 { lines.append("  … and \(matching.count - 5) earlier") }
        }
        var scored: [(entry: LogSearch.Entry, score: Int)] = []
        for e in entries where !search.matches(e) {
            let score = search.score(e)
            if score > 0 { scored.append((e, score)) }
        }
        scored.sort { a, b in a.score != b.score ? a.score > b.score : a.entry.time > b.entry.time }
        let near = scored.prefix(3)
        if !near.isEmpty {
            lines.append("nearest records:")
            lines += near.map { "  " + search.describe($0.entry) + " (\($0.score) of \(search.query.conditions.count) conditions)" }
        } else if matching.isEmpty, let last = entries.last {
            lines.append("latest record: " + search.describe(last))
        }
        return lines.joined(separator: "\n")
    }
}
