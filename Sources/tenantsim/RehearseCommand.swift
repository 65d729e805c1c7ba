import ArgumentParser
import Foundation
import Rehearsal
import TenantModel
import TenantStore

struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a change plan: apply it to a copy, replay sign-ins before and after, catch lockouts.",
        discussion: """
            The plan is checked line by line in a throwaway copy (its own errors are reported without \
            touching the tenant), then applied to a copy; every attempt (--traffic, or a synthesized probe \
            set) is replayed before and after. Exit 0 nothing bad, 3 an administrator loses every path to \
            RemotePowerShell and the Exchange admin center, 4 the plan has errors. With --accept a clean \
            result is saved: into --db, or as PLAN.tenant.yaml next to the plan. See Docs/rehearsal.md.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The change plan (.ps1).", valueName: "PLAN"))
    var change: String

    @OptionGroup var source: TenantOptions

    @Option(name: .long, help: ArgumentHelp("Sign-ins to replay: the Entra admin center's CSV export or Graph /auditLogs/signIns JSON.", valueName: "FILE"))
    var traffic: String?

    @Option(name: .long, help: ArgumentHelp("human, json or html.", valueName: "FORMAT"))
    var format: String = "human"

    @Option(name: .long, help: ArgumentHelp("Write the report here instead of standard output.", valueName: "FILE"))
    var output: String?

    @Flag(name: .long, help: "Save the changed tenant when the rehearsal is clean (exit 0).")
    var accept = false

    func validate() throws {
        guard ["human", "json", "html"].contains(format) else { throw ValidationError("--format must be human, json or html, not \"\(format)\".") }
    }

    func run() throws {
        guard let plan = try? String(contentsOfFile: change, encoding: .utf8) else {
            FileHandle.standardError.write(Data("error: cannot read the plan \(change)\n".utf8))
            throw ExitCode(2)
        }
        let (tenant, database) = try source.open()
        var records: [TrafficRecord]? = nil
        if let traffic {
            do { records = try TrafficReader.read(path: traffic) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        let started = Date()
        let result = Rehearsal.rehearse(plan: plan, planName: (change as NSString).lastPathComponent, tenant: tenant, traffic: records)
        if ProcessInfo.processInfo.environment["TENANTSIM_TIMING"] != nil {
            FileHandle.standardError.write(Data("rehearse: \(String(format: "%.3f", Date().timeIntervalSince(started))) s for \(result.report.attemptRows) rows (\(result.report.distinctAttempts) distinct)\n".utf8))
        }
        let report = result.report
        let text: String
        switch format {
        case "json": text = report.json() + "\n"
        case "html": text = report.html()
        default: text = report.human()
        }
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                FileHandle.standardError.write(Data("error: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
            if format != "human" { FileHandle.standardError.write(Data("Report written to \(output) (verdict \(report.verdict)).\n".utf8)) }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if accept {
            if report.exitCode != 0 {
                FileHandle.standardError.write(Data("--accept: not saved, the rehearsal is not clean (exit \(report.exitCode)).\n".utf8))
            } else if let database {
                try reportingBadInput { try database.save(result.after) }
                FileHandle.standardError.write(Data("Accepted: the changed tenant is saved in \(source.db ?? "the database").\n".utf8))
            } else {
                let base = (change as NSString).deletingPathExtension
                let path = base + ".tenant.yaml"
                try reportingBadInput { try FixtureWriter.yaml(result.after) }.write(toFile: path, atomically: true, encoding: .utf8)
                FileHandle.standardError.write(Data("Accepted: the changed tenant is saved as \(path).\n".utf8))
            }
        }
        if report.exitCode != 0 { throw ExitCode(Int32(report.exitCode)) }
    }
}
