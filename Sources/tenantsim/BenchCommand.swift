import ArgumentParser
import Foundation
import TenantModel
import TenantStore
import Shell
import AuditLog
import AccessControl
import Scenarios

/// Performance measurements with their targets (SPEC §11). Never run by the tests.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure generation, storage and loading speed and memory; print JSON or a table.",
        discussion: "Each measurement names its target from SPEC §11; `pass` says whether it was met on this machine."
    )

    @Option(help: "Mailboxes in the generated tenant.")
    var mailboxes: Int = 100_000

    @Option(help: ArgumentHelp("json or table.", valueName: "FORMAT"))
    var format: String = "table"

    @Option(help: "Unified audit log records to generate for the search benchmark (0 skips it).")
    var records: Int = 10_000_000

    @Option(help: ArgumentHelp("Keep the benchmark database here instead of a temporary file.", valueName: "FILE"))
    var db: String?

    @Option(help: "Seconds of wrk load per REST route (0 skips the REST section).")
    var restSeconds: Int = 5

    @Flag(help: "Run only the REST section: requests per second of tenantsim serve and moto_server on loopback.")
    var restOnly = false

    func validate() throws {
        guard mailboxes >= 1, mailboxes <= 2_000_000 else { throw ValidationError("--mailboxes must be between 1 and 2,000,000.") }
        guard ["json", "table"].contains(format) else { throw ValidationError("--format must be json or table, not \"\(format)\".") }
        guard restSeconds >= 0, restSeconds <= 600 else { throw ValidationError("--rest-seconds must be between 0 and 600.") }
        guard !restOnly || restSeconds > 0 else { throw ValidationError("--rest-only needs --rest-seconds above 0.") }
    }

    func run() throws {
        if restOnly {
            let seconds = restSeconds
            BenchResult.print(try runBlocking { try await RESTBench(seconds: seconds).run() }, format: format)
            return
        }
        var results: [BenchResult] = []
        let path = db ?? NSTemporaryDirectory() + "tenantsim-bench-\(getpid()).sqlite"
        defer {
            if db == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        try? FileManager.default.removeItem(atPath: path)

        let (tenant, generateSeconds) = measure {
            TenantGenerator(.init(users: mailboxes, seed: 42)).generate()
        }
        results.append(BenchResult(name: "generate", detail: "\(mailboxes) mailboxes, \(tenant.mobileDevices.count) devices, \(tenant.messages.count) messages",
                                   value: generateSeconds, unit: "s", target: nil))

        let database = try reportingBadInput { try TenantDatabase(path: path) }
        let (_, saveSeconds) = try measure { try reportingBadInput { try database.save(tenant) } }
        results.append(BenchResult(name: "save", detail: "snapshot to SQLite (WAL)", value: saveSeconds, unit: "s", target: nil))
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        results.append(BenchResult(name: "database_size", detail: path, value: Double(size) / 1_048_576, unit: "MiB", target: nil))

        let rssBefore = Memory.residentBytes()
        let fresh = try TenantDatabase(path: path)
        let (loaded, loadSeconds) = try measure { try reportingBadInput { try fresh.load() } }
        results.append(BenchResult(name: "load", detail: "\(loaded?.mailboxes.count ?? 0) mailboxes from SQLite",
                                   value: loadSeconds, unit: "s", target: mailboxes == 100_000 ? .atMost(2.0) : nil))
        let rssAfter = Memory.residentBytes()
        results.append(BenchResult(name: "tenant_memory", detail: "resident growth while loading one tenant",
                                   value: Double(max(0, rssAfter - rssBefore)) / 1_048_576, unit: "MiB", target: nil))
        results.append(BenchResult(name: "peak_memory", detail: "peak resident set of the bench process",
                                   value: Double(Memory.peakResidentBytes()) / 1_048_576, unit: "MiB", target: nil))
        if let loaded, loaded != tenant {
            FileHandle.standardError.write(Data("warning: the loaded tenant differs from the saved one\n".utf8))
            throw ExitCode(1)
        }
        results += shellBench(tenant)
        results += accessBench()
        results += try scenarioBench()
        results += rehearsalBench()
        if records > 0 { results += try auditSearchBench(path: path + ".audit") }
        if restSeconds > 0 {
            let seconds = restSeconds
            results += try runBlocking { try await RESTBench(seconds: seconds).run() }
        }
        BenchResult.print(results, format: format)
    }
}

extension BenchCommand {
    /// The cmdlet layer: the white paper's bulk audit change over every mailbox, and
    /// parse/bind throughput of single command lines.
    func shellBench(_ tenant: Tenant) -> [BenchResult] {
        var results: [BenchResult] = []
        let session = ShellSession(tenant: tenant, host: BufferHost())
        session.connectAsAdministrator()
        let interpreter = Interpreter(session: session)
        interpreter.rendersOutput = false
        let (run, seconds) = measure { interpreter.run("Get-Mailbox -ResultSize Unlimited | Set-Mailbox -AuditEnabled $true") }
        let changed = session.tenant.mailboxes.filter(\.auditEnabled).count
        results.append(BenchResult(name: "get_set_mailbox_pipeline",
                                   detail: "Get-Mailbox -ResultSize Unlimited | Set-Mailbox -AuditEnabled $true: \(changed) mailboxes, \(run.errors.count) errors, \(session.audit.unified.count) ExchangeAdmin records written",
                                   value: seconds, unit: "s", target: mailboxes == 100_000 ? .atMost(1.0) : nil))
        // The same with unified audit log ingestion off: the cmdlet layer alone.
        var quiet = tenant
        quiet.adminAuditLogConfig.unifiedAuditLogIngestionEnabled = false
        let quietSession = ShellSession(tenant: quiet, host: BufferHost())
        quietSession.connectAsAdministrator()
        let quietInterpreter = Interpreter(session: quietSession)
        quietInterpreter.rendersOutput = false
        let (_, quietSeconds) = measure { quietInterpreter.run("Get-Mailbox -ResultSize Unlimited | Set-Mailbox -AuditEnabled $true") }
        results.append(BenchResult(name: "get_set_mailbox_pipeline_ual_off",
                                   detail: "the same pipeline with UnifiedAuditLogIngestionEnabled False (no audit records to build)",
                                   value: quietSeconds, unit: "s", target: mailboxes == 100_000 ? .atMost(1.0) : nil))

        let lines = [
            "Get-Mailbox -ResultSize Unlimited | Select PrimarySmtpAddress,AuditAdmin,AuditDelegate,AuditOwner,AuditLogAgeLimit",
            "New-ClientAccessRule -Name AllowRemotePS -Action AllowAccess -AnyOfProtocols RemotePowerShell -Priority 1 -UserNameMatchesAnyOfPatterns \u{201C}Domain\\JoeAdmin\u{201D}",
            "Get-MobileDevice | Where-Object {$_.DeviceOS.StartsWith(\u{201C}iOS\u{201D})} | Sort-Object WhenCreated | Select-Object -First 10",
            "Set-Mailbox -AuditOwner @{Add=\u{201D}Create,SoftDelete,HardDelete\u{201D}} -AuditLogAgeLimit 730 -Identity admin",
        ]
        let parseCount = 20_000
        let (_, parseSeconds) = measure {
            for i in 0..<parseCount { _ = try? Parser.parse(lines[i % lines.count]) }
        }
        results.append(BenchResult(name: "parse_throughput", detail: "command lines parsed per second (paper-style lines)",
                                   value: Double(parseCount) / parseSeconds, unit: "lines/s", target: nil))
        let target = session.tenant.mailboxes[min(1, session.tenant.mailboxes.count - 1)].alias
        let bindCount = 5_000
        let (_, bindSeconds) = measure {
            for _ in 0..<bindCount { interpreter.run("Set-CASMailbox -Identity \(target) -ImapEnabled $false -PopEnabled:$false -WhatIf") }
        }
        results.append(BenchResult(name: "parse_bind_throughput",
                                   detail: "Set-CASMailbox lines parsed, bound, resolved and run with -WhatIf per second",
                                   value: Double(bindCount) / bindSeconds, unit: "commands/s", target: nil))
        return results
    }
}

extension BenchCommand {
    /// Search-UnifiedAuditLog by user and operation over a large stored log.
    func auditSearchBench(path: String) throws -> [BenchResult] {
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try? FileManager.default.removeItem(atPath: path)
        let database = try reportingBadInput { try TenantDatabase(path: path) }
        let operations = ["UserLoggedIn", "UserLoginFailed", "MailItemsAccessed", "Set-Mailbox", "New-InboxRule", "Send", "SoftDelete", "Update"]
        let users = 20_000
        var ids = IdentifierGenerator(seed: 7)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let (_, writeSeconds) = try measure {
            var batch: [UnifiedAuditRecord] = []
            batch.reserveCapacity(100_000)
            for i in 0..<records {
                let op = operations[i % operations.count]
                let user = "user\((i &* 7919) % users)@fabrikam.onmicrosoft.com"
                let time = start.addingTimeInterval(Double(i) * 0.25)
                batch.append(UnifiedAuditRecord(
                    id: ids.newGuid(), creationTime: time, recordType: op.hasPrefix("User") ? .AzureActiveDirectoryStsLogon : .ExchangeItem,
                    operation: op, userId: user, workload: op.hasPrefix("User") ? "AzureActiveDirectory" : "Exchange", resultStatus: "Succeeded",
                    objectId: nil, clientIP: "203.0.113.\(i % 250)", auditData: ["Operation": .string(op), "UserId": .string(user)]))
                if batch.count == 100_000 {
                    try reportingBadInput { try database.appendUnifiedRecords(batch) }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try reportingBadInput { try database.appendUnifiedRecords(batch) } }
        }
        var query = UnifiedAuditQuery(startDate: start, endDate: start.addingTimeInterval(Double(records) * 0.25 + 1))
        let searches = 20
        var found = 0
        let (_, searchSeconds) = try measure {
            for k in 0..<searches {
                query.userIds = ["user\((k * 131) % users)@fabrikam.onmicrosoft.com"]
                query.operations = [operations[k % operations.count]]
                found += try reportingBadInput { try database.searchUnified(query, limit: 100) }.count
            }
        }
        return [
            BenchResult(name: "audit_log_write", detail: "\(records) unified audit records written to SQLite",
                        value: Double(records) / writeSeconds, unit: "records/s", target: nil),
            BenchResult(name: "audit_search_user_operation", detail: "Search-UnifiedAuditLog -UserIds -Operations over \(records) records (mean of \(searches), \(found) hits)",
                        value: searchSeconds / Double(searches) * 1000, unit: "ms", target: records >= 10_000_000 ? .atMost(100) : nil),
        ]
    }
}

extension BenchCommand {
    /// Access decisions per second with 25 client access rules and about 1,000 devices.
    func accessBench() -> [BenchResult] {
        var tenant = TenantGenerator(.init(users: 1_200, seed: 11)).generate()
        let protocols: [[ClientAccessProtocol]] = [[.IMAP4], [.POP3], [.ExchangeWebServices], [.OutlookWebApp], [.REST],
                                                    [.RemotePowerShell, .ExchangeAdminCenter], [.ExchangeActiveSync]]
        var ids = IdentifierGenerator(seed: 99)
        for i in 0..<25 {
            var rule = ClientAccessRule(name: "Rule \(i)", action: i % 3 == 0 ? .AllowAccess : .DenyAccess, guid: ids.newGuid(),
                                        priority: i + 1, whenCreated: tenant.now)
            rule.anyOfProtocols = protocols[i % protocols.count]
            rule.anyOfClientIPAddressesOrRanges = [try! IPRange.parse("10.\(i).0.0/16"), try! IPRange.parse("2001:db8:\(i)::/48")]
            if i % 4 == 1 { rule.usernameMatchesAnyOfPatterns = ["*\\svc-\(i)*"] }
            if i % 5 == 2 { rule.exceptAnyOfClientIPAddressesOrRanges = [try! IPRange.parse("198.51.100.0/24")] }
            tenant.insertClientAccessRule(rule, priority: nil)
        }
        let policy = CompiledPolicy(tenant)
        var attempts: [AccessAttempt] = []
        let users = tenant.users.filter { $0.accountEnabled && $0.strongAuthenticationState == .Disabled }
        let devices = Dictionary(grouping: tenant.mobileDevices, by: \.mailboxGuid)
        for (i, user) in users.prefix(1_000).enumerated() {
            let ip = "203.0.113.\(i % 250)"
            switch i % 4 {
            case 0: attempts.append(AccessAttempt(user: user.userPrincipalName, accessProtocol: .IMAP4, clientIP: ip, password: user.password))
            case 1: attempts.append(AccessAttempt(user: user.userPrincipalName, accessProtocol: .OutlookWebApp, clientIP: ip,
                                                  authentication: .OAuthAuthentication, password: user.password))
            case 2:
                let box = tenant.mailboxes.first { $0.userObjectId == user.objectId }
                let d = box.flatMap { devices[$0.guid]?.first }
                attempts.append(AccessAttempt(user: user.userPrincipalName, accessProtocol: .ExchangeActiveSync, clientIP: ip,
                                              password: user.password,
                                              device: d.map { DeviceInfo(id: $0.deviceId, type: $0.deviceType, model: $0.deviceModel, os: $0.deviceOS) }
                                                ?? DeviceInfo(id: "Appl\(i)", type: "iPhone")))
            default: attempts.append(AccessAttempt(user: user.userPrincipalName, accessProtocol: .AzureAD, clientIP: ip,
                                                   authentication: .OAuthAuthentication, password: "wrong-\(i)"))
            }
        }
        let count = 1_000_000
        var allowed = 0
        let frozen = tenant
        let (_, seconds) = measure {
            for i in 0..<count {
                if AccessEvaluator.evaluate(attempts[i % attempts.count], in: frozen, policy: policy, explain: false).decision.outcome == .Allowed {
                    allowed += 1
                }
            }
        }
        let signIns = attempts.filter { $0.accessProtocol != .ExchangeActiveSync }
        let (_, signInSeconds) = measure {
            for i in 0..<count { _ = AccessEvaluator.evaluate(signIns[i % signIns.count], in: frozen, policy: policy, explain: false) }
        }
        return [BenchResult(name: "access_decisions", detail: "\(count) decisions (IMAP, OWA, EAS with device flow, failed Entra), 25 client access rules, \(tenant.mobileDevices.count) devices, \(allowed) allowed",
                            value: Double(count) / seconds, unit: "decisions/s", target: .atLeast(1_000_000)),
                BenchResult(name: "access_decisions_no_eas", detail: "the same without the ActiveSync quarter (no device partnership updates)",
                            value: Double(count) / signInSeconds, unit: "decisions/s", target: .atLeast(1_000_000))]
    }

    /// The scenario library with one and two jobs, and scenarios per second on a generated 10,000-user tenant.
    func scenarioBench() throws -> [BenchResult] {
        var results: [BenchResult] = []
        if FileManager.default.fileExists(atPath: "scenarios") {
            for jobs in [1, 2] {
                var options = RunOptions()
                options.paths = ["scenarios"]
                options.jobs = jobs
                let suite = ScenarioSuite.run(options)
                results.append(BenchResult(name: "scenario_library_jobs_\(jobs)",
                                           detail: "\(suite.results.count) scenarios, \(suite.results.filter(\.passed).count) passed",
                                           value: suite.seconds, unit: "s", target: .atMost(5)))
            }
        }
        let dir = NSTemporaryDirectory() + "tenantsim-bench-scenarios-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/s", withIntermediateDirectories: true)
        let tenant = TenantGenerator(.init(users: 10_000, seed: 5)).generate()
        try FixtureWriter.yaml(tenant).write(toFile: dir + "/generated.yaml", atomically: true, encoding: .utf8)
        let scenarioCount = 200
        for i in 0..<scenarioCount {
            let a = tenant.users[(i * 37) % tenant.users.count].userPrincipalName
            let b = tenant.users[(i * 91 + 5) % tenant.users.count].userPrincipalName
            let text = """
                scenario: Generated \(i)
                description: Wrong passwords are refused and logged.
                tenant: ../generated.yaml
                steps:
                  - signin: {user: \(a), protocol: AzureAD, password: wrong}
                    expect: {decision: Denied}
                  - signin: {user: \(b), protocol: IMAP4, password: wrong}
                    expect: {decision: Denied}
                  - wait: 5m
                  - logs: {source: signin, where: {userPrincipalName: \(a)}}
                    expect: {at-least: 1}
                """
            try text.write(toFile: dir + "/s/\(i).yaml", atomically: true, encoding: .utf8)
        }
        var options = RunOptions()
        options.paths = [dir + "/s"]
        let (prepared, seconds) = measure { ScenarioSuite.prepare(options) }
        let (ran, runSeconds) = measure { ScenarioSuite.run(prepared.prepared, jobs: 1, failFast: false, verbose: false) }
        results.append(BenchResult(name: "scenario_prepare_10k_tenant", detail: "parse \(scenarioCount) scenarios and load the 10,000-user tenant once",
                                   value: seconds, unit: "s", target: nil))
        results.append(BenchResult(name: "scenarios_per_second_10k_tenant",
                                   detail: "\(ran.count) scenarios on a copy of a 10,000-user tenant each, \(ran.filter(\.passed).count) passed",
                                   value: Double(ran.count) / runSeconds, unit: "scenarios/s", target: nil))
        return results
    }
}

/// One measured figure and its target.
struct BenchResult {
    enum Target { case atMost(Double), atLeast(Double) }

    let name: String
    let detail: String
    let value: Double
    let unit: String
    let target: Target?

    var pass: Bool? {
        switch target {
        case .atMost(let t): value <= t
        case .atLeast(let t): value >= t
        case nil: nil
        }
    }

    var targetText: String {
        switch target {
        case .atMost(let t): "<= \(t) \(unit)"
        case .atLeast(let t): ">= \(t) \(unit)"
        case nil: ""
        }
    }

    static func print(_ results: [BenchResult], format: String) {
        if format == "json" {
            let rows: [[String: Any]] = results.map { r in
                var row: [String: Any] = ["name": r.name, "detail": r.detail, "value": (r.value * 1000).rounded() / 1000, "unit": r.unit]
                if let pass = r.pass { row["target"] = r.targetText; row["pass"] = pass }
                return row
            }
            let data = try! JSONSerialization.data(withJSONObject: ["results": rows], options: [.prettyPrinted, .sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        let nameWidth = max(4, results.map(\.name.count).max() ?? 0)
        let targetWidth = max(12, results.map(\.targetText.count).max() ?? 0)
        Swift.print("name".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + "value".leftPad(12) + "  "
                    + "target".padding(toLength: targetWidth, withPad: " ", startingAt: 0) + "  pass  detail")
        for r in results {
            let value = String(format: "%.3f %@", r.value, r.unit)
            let pass = r.pass.map { $0 ? "yes" : "NO" } ?? ""
            Swift.print(r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + value.leftPad(12) + "  "
                        + r.targetText.padding(toLength: targetWidth, withPad: " ", startingAt: 0) + "  " + pass.padding(toLength: 4, withPad: " ", startingAt: 0)
                        + "  " + r.detail)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

enum Memory {
    /// Current resident set size, from /proc/self/statm (Linux); 0 elsewhere.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Peak resident set size (getrusage; kilobytes on Linux).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
