import ArgumentParser
import Foundation
import Logging
import MockServer
import TenantModel
import TenantStore

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve tenants over the real wire formats: Graph, the Exchange admin API, the Management Activity API.",
        discussion: """
            Binds 127.0.0.1:8365 unless told otherwise. Each --tenant adds one tenant (a built-in \
            fixture name or a fixture path); with none, brittest is served. --db keeps the first \
            tenant in a SQLite file (loaded from it when it already holds one) and saves each change \
            before answering it. SIGINT or SIGTERM stops the server gracefully. \
            See Docs/rest-api.md.
            """
    )

    @Option(help: "The address to bind (loopback unless told otherwise).")
    var host = "127.0.0.1"

    @Option(help: "The port to bind (0 lets the system choose; the chosen port is printed).")
    var port = 8365

    @Option(name: .long, help: ArgumentHelp("A SQLite database for the first tenant.", valueName: "FILE"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("A tenant to serve: a built-in fixture name or a fixture YAML path (repeatable).", valueName: "NAME|PATH"))
    var tenant: [String] = []

    @Flag(help: "Token checking: strict needs a valid token the simulator issued for that tenant and API; lax accepts any bearer token and acts as the tenant's administrator.")
    var auth: AuthFlag = .strictAuth

    @Option(help: ArgumentHelp("Append every request, with its decision, to this file as JSON lines.", valueName: "FILE"))
    var journal: String?

    @Option(help: ArgumentHelp("A secret that signs tokens (tokens then survive a restart); random when omitted.", valueName: "TEXT"))
    var signingKey: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    enum AuthFlag: String, EnumerableFlag {
        case strictAuth, laxAuth
    }

    func run() throws {
        let command = self
        try runBlocking { try await command.serve() }
    }

    func serve() async throws {
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.auth = auth == .laxAuth ? .lax : .strict
        options.journalPath = journal
        options.signingSecret = signingKey
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("Unknown log level \"\(logLevel)\". Valid levels: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var logger = Logger(label: "tenantsim.serve")
        logger.logLevel = level
        let server = SimServer(options: options, logger: logger)
        let names = tenant.isEmpty ? [TenantSource.defaultFixture] : tenant
        for (i, name) in names.enumerated() {
            let host: TenantHost = try reportingBadInput {
                if i == 0, let db {
                    let (t, database) = try TenantSource.open(tenant: tenant.isEmpty ? nil : name, db: db)
                    let audit = try database?.loadAuditTrail()
                    return TenantHost(tenant: t, source: name, database: database, audit: audit)
                }
                return TenantHost(tenant: try TenantSource.loadFixture(name), source: name)
            }
            do { try await server.add(host) } catch {
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                throw ExitCode(2)
            }
        }
        let served = await withTaskGroup(of: String.self) { group in
            for h in server.allTenants { group.addTask { await h.perform { "\($0.session.tenant.info.initialDomain) (\($0.tenantId.uuidString.lowercased()))" } } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        let (bound, mode) = (options.host, options.auth.rawValue)
        try await HTTPServer.run(server) { port in
            let line = "tenantsim serving \(served.sorted().joined(separator: ", ")) on http://\(bound):\(port) (\(mode) auth)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
