import ArgumentParser
import Foundation
import Shell
import TenantModel
import TenantStore

/// Writes the shell's streams to the terminal: output to stdout, errors (red on a TTY) and
/// warnings to stderr.
final class TerminalHost: ShellHost {
    let interactive: Bool
    let colour: Bool

    init(interactive: Bool) {
        self.interactive = interactive
        self.colour = isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    func writeError(_ text: String) { FileHandle.standardError.write(Data((colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text).utf8)) }
    func writeWarning(_ text: String) {
        let line = "WARNING: \(text)\n"
        FileHandle.standardError.write(Data((colour ? "\u{1B}[33m\(line)\u{1B}[0m" : line).utf8))
    }
    func writeHost(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    var isInteractive: Bool { interactive }

    func confirm(caption: String, message: String) -> ConfirmAnswer {
        write("\n\(caption)\n\(message)\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): ")
        switch (Swift.readLine() ?? "y").trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "y": return .yes
        case "a": return .yesToAll
        case "l": return .noToAll
        default: return .no
        }
    }

    func readLine(prompt: String, secret: Bool) -> String? {
        write(prompt)
        return Swift.readLine()
    }
}

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run shell commands non-interactively (a script file, or -c TEXT).",
        discussion: """
            The script runs as the white paper's admin would type it: connect first (New-PSSession / \
            Import-PSSession, or Connect-ExchangeOnline), then Exchange cmdlets. Use --connected to start \
            already connected as the fixture's global administrator. Exits 1 when a terminating error \
            occurred; with --db the tenant is saved when the script ends.
            """
    )

    @OptionGroup var source: TenantOptions

    @Option(name: .customShort("c"), help: ArgumentHelp("Commands to run.", valueName: "TEXT"))
    var command: String?

    @Argument(help: ArgumentHelp("A script file (.ps1).", valueName: "SCRIPT"))
    var script: String?

    @Flag(help: "Start connected to Exchange Online and MSOnline as the tenant's first global administrator.")
    var connected = false

    func validate() throws {
        guard (command == nil) != (script == nil) else { throw ValidationError("Give either -c TEXT or a SCRIPT file, not both or neither.") }
    }

    func run() throws {
        let text: String
        if let command {
            text = command
        } else {
            do { text = try String(contentsOfFile: script!, encoding: .utf8) } catch {
                FileHandle.standardError.write(Data("error: the script \(script!) can't be read: \(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
        }
        let (tenant, database) = try source.open()
        let host = TerminalHost(interactive: false)
        let session = ShellSession(tenant: tenant, host: host)
        if let database { session.audit = try reportingBadInput { try database.loadAuditTrail() } }
        if connected { session.connectAsAdministrator() }
        let result = Interpreter(session: session).run(text)
        if let database {
            try reportingBadInput {
                try database.save(session.tenant)
                try database.saveAuditTrail(session.audit)
            }
        }
        if result.hadTerminatingError { throw ExitCode(1) }
    }
}
