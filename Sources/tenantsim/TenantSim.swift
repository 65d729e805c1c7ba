import ArgumentParser
import Foundation
import TenantModel
import TenantStore

@main
struct TenantSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenantsim",
        abstract: "An offline simulator of a Microsoft 365 tenant (Exchange Online and Entra ID).",
        discussion: """
            Tenants come from fixtures (built-in names such as brittest and contoso, or a YAML \
            file) or from a SQLite database given with --db. See Docs/getting-started.md.
            """,
        subcommands: [RunCommand.self, ShellCommand.self, ExecCommand.self, CmdletsCommand.self, GenerateCommand.self, TenantCommand.self, BenchCommand.self, RehearseCommand.self, ImportCommand.self, ServeCommand.self]
    )
}

/// The `--tenant` / `--db` pair shared by commands that work on one tenant.
struct TenantOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A built-in fixture name (brittest, contoso) or a fixture YAML path.", valueName: "NAME|PATH"))
    var tenant: String?

    @Option(name: .long, help: ArgumentHelp("A SQLite database holding the tenant; created from --tenant (default brittest) when new.", valueName: "FILE"))
    var db: String?

    func open() throws -> (Tenant, TenantDatabase?) {
        try reportingBadInput { try TenantSource.open(tenant: tenant, db: db) }
    }
}

/// Runs `body`; a fixture or store error is printed to standard error as `error: ...` and
/// the command exits with status 2 (bad input), changing nothing.
func reportingBadInput<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as FixtureError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}
