import Foundation
import Logging
import MockServer
import TenantModel
import TenantStore

/// Requests per second on loopback against `tenantsim serve`'s HTTP stack, driven by `wrk`
/// (Debian's package), and the same figure for moto's server answering IAM ListUsers in the
/// same run, as a yardstick (SPEC §11, issue 6).
struct RESTBench {
    var seconds: Int
    var threads = 2
    var connections = 32

    static let target = 20_000.0

    func run() async throws -> [BenchResult] {
        guard let wrk = Executable.find("wrk") else {
            FileHandle.standardError.write(Data("""
                warning: wrk was not found on PATH, so the REST figures are not measured. \
                Install Debian's package (apt-get install wrk) and run the bench again.\n
                """.utf8))
            return []
        }
        let work = NSTemporaryDirectory() + "tenantsim-rest-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        var logger = Logger(label: "tenantsim.bench.rest")
        // Stopping the server by cancelling its task logs the cancelled channels as errors.
        logger.logLevel = .critical
        var options = ServerOptions()
        options.port = 0
        options.auth = .strict
        let server = SimServer(options: options, logger: logger)
        try await server.add(TenantHost(tenant: try reportingBadInput { try TenantSource.loadFixture("brittest") }, source: "brittest"))
        let graphToken = try await token(server, scope: "https://graph.microsoft.com/.default")
        let exchangeToken = try await token(server, scope: "https://outlook.office365.com/.default")

        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let serving = Task { try await HTTPServer.run(server) { port in portSink.yield(port) } }
        defer { serving.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the REST server did not start") }
        let base = "http://127.0.0.1:\(port)"

        var results: [BenchResult] = []
        let users = try await measure(wrk: wrk, url: base + "/v1.0/users?$top=10", work: work, script: Self.script(headers: [
            ("Authorization", "Bearer \(graphToken)"),
        ]))
        results.append(BenchResult(name: "rest_graph_users_top10", detail: "GET /v1.0/users?$top=10 (app token, brittest): \(users.detail)",
                                   value: users.rate, unit: "req/s", target: .atLeast(Self.target)))
        let body = #"{"CmdletInput":{"CmdletName":"Get-CASMailbox","Parameters":{"ResultSize":10}}}"#
        let invoke = try await measure(wrk: wrk, url: base + "/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand", work: work,
                                       script: Self.script(method: "POST", body: body, headers: [
                                           ("Authorization", "Bearer \(exchangeToken)"), ("Content-Type", "application/json"),
                                       ]))
        results.append(BenchResult(name: "rest_invokecommand_get_casmailbox",
                                   detail: "POST InvokeCommand Get-CASMailbox -ResultSize 10 (app token, brittest): \(invoke.detail)",
                                   value: invoke.rate, unit: "req/s", target: .atLeast(Self.target)))
        serving.cancel()

        // The same request with the read cache off: what a first read of each query costs
        // (the cmdlet runs and its objects are serialised every time).
        var uncachedOptions = options
        uncachedOptions.cacheReads = false
        let uncachedServer = SimServer(options: uncachedOptions, logger: logger)
        try await uncachedServer.add(TenantHost(tenant: try reportingBadInput { try TenantSource.loadFixture("brittest") }, source: "brittest"))
        let uncachedToken = try await token(uncachedServer, scope: "https://outlook.office365.com/.default")
        let (uncachedPorts, uncachedSink) = AsyncStream.makeStream(of: Int.self)
        let uncachedServing = Task { try await HTTPServer.run(uncachedServer) { port in uncachedSink.yield(port) } }
        defer { uncachedServing.cancel() }
        var uncachedIterator = uncachedPorts.makeAsyncIterator()
        guard let uncachedPort = await uncachedIterator.next() else { throw BenchError("the REST server did not start") }
        let uncached = try await measure(wrk: wrk, url: "http://127.0.0.1:\(uncachedPort)/adminapi/beta/brittest.onmicrosoft.com/InvokeCommand",
                                         work: work, script: Self.script(method: "POST", body: body, headers: [
                                             ("Authorization", "Bearer \(uncachedToken)"), ("Content-Type", "application/json"),
                                         ]))
        results.append(BenchResult(name: "rest_invokecommand_get_casmailbox_uncached",
                                   detail: "the same InvokeCommand with the read cache off (every request runs the cmdlet): \(uncached.detail)",
                                   value: uncached.rate, unit: "req/s", target: nil))
        uncachedServing.cancel()

        guard let moto = Executable.find("moto_server") else {
            FileHandle.standardError.write(Data("warning: moto_server was not found on PATH (pip install 'moto[server]'), so the moto comparison is not measured.\n".utf8))
            return results
        }
        let motoFigure = try await measureMoto(moto, wrk: wrk, work: work)
        results.append(BenchResult(name: "rest_moto_iam_listusers", detail: "moto_server, POST / Action=ListUsers (IAM, SigV4-shaped header): \(motoFigure.detail)",
                                   value: motoFigure.rate, unit: "req/s", target: nil))
        if motoFigure.rate > 0 {
            results.append(BenchResult(name: "rest_ratio_graph_users_to_moto", detail: "rest_graph_users_top10 / rest_moto_iam_listusers",
                                       value: users.rate / motoFigure.rate, unit: "x", target: nil))
            results.append(BenchResult(name: "rest_ratio_invokecommand_to_moto", detail: "rest_invokecommand_get_casmailbox / rest_moto_iam_listusers",
                                       value: invoke.rate / motoFigure.rate, unit: "x", target: nil))
        }
        return results
    }

    /// A client-credentials token of brittest's tool app, issued in-process.
    func token(_ server: SimServer, scope: String) async throws -> String {
        let form = "grant_type=client_credentials&client_id=5e1f7a44-9a0b-4c1e-8d2f-6b3a9c0d1e2f&client_secret=brittest-tool-secret&scope="
            + (scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? scope)
        let response = await server.handle(SimRequest("POST", "/brittest.onmicrosoft.com/oauth2/v2.0/token",
                                                      headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8)))
        guard response.status == 200, let token = response.json?.objectValue?["access_token"]?.stringValue else {
            throw BenchError("the token endpoint answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        return token
    }

    /// A wrk Lua script that sets the method, body and headers of every request.
    static func script(method: String = "GET", body: String? = nil, headers: [(String, String)]) -> String {
        func lua(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var lines = ["wrk.method = \(lua(method))"]
        if let body { lines.append("wrk.body = \(lua(body))") }
        for (name, value) in headers { lines.append("wrk.headers[\(lua(name))] = \(lua(value))") }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Figure {
        var rate: Double
        var detail: String
    }

    /// Runs wrk for `seconds` against `url` and reads its summary.
    func measure(wrk: String, url: String, work: String, script: String) async throws -> Figure {
        let path = work + "/\(UUID().uuidString).lua"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        // A second of warm-up first: moto loads a service's backend on its first request.
        _ = try await Executable.run(wrk, ["-t\(threads)", "-c\(connections)", "-d1s", "-s", path, url])
        let output = try await Executable.run(wrk, ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", path, url])
        let summary = WrkSummary(output)
        var detail = "wrk \(threads) threads, \(connections) connections, \(seconds) s: \(summary.requests) requests"
        if let p50 = summary.p50 { detail += ", p50 \(p50)" }
        if let p99 = summary.p99 { detail += ", p99 \(p99)" }
        if summary.non2xx > 0 { detail += ", \(summary.non2xx) NOT 2xx (the figure does not count)" }
        if summary.socketErrors.isEmpty == false { detail += ", socket errors: \(summary.socketErrors)" }
        guard let rate = summary.rate else { throw BenchError("wrk printed no Requests/sec line:\n\(output)") }
        return Figure(rate: summary.non2xx > 0 ? 0 : rate, detail: detail)
    }

    /// Starts moto's server on a free loopback port, measures it, stops it.
    func measureMoto(_ moto: String, wrk: String, work: String) async throws -> Figure {
        let log = work + "/moto.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: moto)
        process.arguments = ["-H", "127.0.0.1", "-p", "0"]
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer {
            // The child inherits the signal mask of the thread that spawned it, where NIO and
            // Dispatch block SIGTERM and SIGINT, so only SIGKILL stops it.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        var port: Int?
        for _ in 0..<300 where port == nil {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[r].split(separator: ":").last ?? "")
            }
            guard process.isRunning else { break }
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let port else {
            throw BenchError("moto_server did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        let script = Self.script(method: "POST", body: "Action=ListUsers&Version=2010-05-08", headers: [
            ("Content-Type", "application/x-www-form-urlencoded"),
            // moto routes by the credential scope's service and does not check the signature.
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000"),
            ("X-Amz-Date", "20260101T000000Z"),
        ])
        return try await measure(wrk: wrk, url: "http://127.0.0.1:\(port)/", work: work, script: script)
    }
}

/// What wrk's summary says.
struct WrkSummary {
    var rate: Double?
    var requests = 0
    var non2xx = 0
    var p50: String?
    var p99: String?
    var socketErrors = ""

    init(_ output: String) {
        for raw in output.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), fields.count > 1 { rate = Double(fields[1]) }
            if line.hasPrefix("Non-2xx or 3xx responses:"), let n = fields.last.flatMap({ Int($0) }) { non2xx = n }
            if line.hasPrefix("Socket errors:") { socketErrors = String(line.dropFirst("Socket errors:".count)).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("50%"), fields.count > 1 { p50 = String(fields[1]) }
            if line.hasPrefix("99%"), fields.count > 1 { p99 = String(fields[1]) }
            if line.contains("requests in"), let n = fields.first.flatMap({ Int($0) }) { requests = n }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum Executable {
    /// The first executable named `name` on PATH.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a program to completion and returns its standard output and error.
    static func run(_ path: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = await Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }.value
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
