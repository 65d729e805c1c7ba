import ArgumentParser
import Foundation
import Shell
import TenantModel
import TenantStore

struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "An interactive Exchange Online PowerShell session against a simulated tenant.",
        discussion: """
            Line editing with history (Up/Down, kept in ~/.tenantsim_history), Tab completion of \
            cmdlets, parameters and enum values, Ctrl-C to cancel the line, Ctrl-D or `exit` to leave. \
            With --db the tenant is saved after every command that changed it.
            """
    )

    @OptionGroup var source: TenantOptions

    @Flag(help: "Start connected to Exchange Online and MSOnline as the tenant's first global administrator.")
    var connected = false

    @Option(help: ArgumentHelp("Where to keep the command history.", valueName: "FILE"))
    var history: String = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.tenantsim_history"

    func run() throws {
        let (tenant, database) = try source.open()
        let interactive = isatty(0) != 0
        let host = TerminalHost(interactive: interactive)
        let session = ShellSession(tenant: tenant, host: host)
        if let database { session.audit = try reportingBadInput { try database.loadAuditTrail() } }
        if connected { session.connectAsAdministrator() }
        let interpreter = Interpreter(session: session)
        var editor = LineEditor(historyFile: history, session: session)
        if interactive {
            host.write("TenantSim shell on \(tenant.info.displayName) (\(tenant.info.initialDomain)). Get-Help, Get-Command; exit to leave.\n")
            if !connected { host.write("Connect first, as in the white paper: New-PSSession + Import-PSSession, or Connect-ExchangeOnline.\n") }
        }
        var pending = ""
        while true {
            let prompt = pending.isEmpty ? "PS \(session.exchangeIdentity.map { "[\($0)] " } ?? "")> " : ">> "
            guard let line = interactive ? editor.readLine(prompt: prompt) : Swift.readLine() else { break }
            if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).lowercased() == "exit" { break }
            let text = pending.isEmpty ? line : pending + "\n" + line
            if Self.isIncomplete(text) {
                pending = text
                continue
            }
            pending = ""
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            editor.remember(text)
            let before = session.tenant
            let logged = session.audit
            interpreter.run(text)
            if let database, session.tenant != before || session.audit != logged {
                try reportingBadInput {
                    try database.save(session.tenant)
                    try database.saveAuditTrail(session.audit)
                }
            }
        }
        editor.saveHistory()
    }

    /// Whether the text stops inside a block, string or pipe continuation (ask for more).
    static func isIncomplete(_ text: String) -> Bool {
        do {
            _ = try Parser.parse(text)
            return false
        } catch {
            return ["MissingEndCurlyBrace", "TerminatorExpectedAtEndOfString", "EmptyPipeElement",
                    "MissingEndParenthesisInExpression", "MissingEndParenthesisInSubexpression"].contains(error.errorId)
                && !text.hasSuffix("\n\n")
        }
    }
}

/// A small line editor on a raw terminal: cursor movement, history, Tab completion, Ctrl-C.
struct LineEditor {
    var history: [String] = []
    let historyFile: String
    let session: ShellSession

    init(historyFile: String, session: ShellSession) {
        self.historyFile = historyFile
        self.session = session
        if let text = try? String(contentsOfFile: historyFile, encoding: .utf8) {
            history = text.split(separator: "\n").map(String.init).suffix(1_000)
        }
    }

    mutating func remember(_ line: String) {
        guard history.last != line else { return }
        history.append(line.replacingOccurrences(of: "\n", with: " "))
        saveHistory()
    }

    func saveHistory() {
        try? (history.suffix(1_000).joined(separator: "\n") + "\n").write(toFile: historyFile, atomically: true, encoding: .utf8)
    }

    func out(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }

    mutating func readLine(prompt: String) -> String? {
        var original = termios()
        tcgetattr(0, &original)
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        tcsetattr(0, TCSANOW, &raw)
        defer { tcsetattr(0, TCSANOW, &original) }

        var buffer: [Character] = []
        var cursor = 0
        var historyIndex = history.count
        func redraw() {
            out("\r\u{1B}[K" + prompt + String(buffer))
            let back = buffer.count - cursor
            if back > 0 { out("\u{1B}[\(back)D") }
        }
        out(prompt)
        var bytes: [UInt8] = []
        while true {
            var byte: UInt8 = 0
            guard read(0, &byte, 1) == 1 else { return nil }
            switch byte {
            case 3: // Ctrl-C cancels the line
                out("^C\n")
                return ""
            case 4: // Ctrl-D leaves on an empty line
                if buffer.isEmpty { out("\n"); return nil }
            case 13, 10:
                out("\n")
                return String(buffer)
            case 127, 8:
                if cursor > 0 { buffer.remove(at: cursor - 1); cursor -= 1; redraw() }
            case 9: // Tab
                let before = String(buffer[0..<cursor])
                let (word, candidates) = Completion.candidates(for: before, session: session)
                if candidates.count == 1 || !Completion.commonPrefix(candidates).isEmpty && Completion.commonPrefix(candidates).count > word.count {
                    let insert = candidates.count == 1 ? candidates[0] + " " : Completion.commonPrefix(candidates)
                    buffer.removeSubrange((cursor - word.count)..<cursor)
                    buffer.insert(contentsOf: insert, at: cursor - word.count)
                    cursor += insert.count - word.count
                    redraw()
                } else if candidates.count > 1 {
                    out("\n" + candidates.prefix(60).joined(separator: "  ") + "\n")
                    redraw()
                }
            case 27: // escape sequences: arrows
                var seq: [UInt8] = [0, 0]
                guard read(0, &seq[0], 1) == 1, read(0, &seq[1], 1) == 1, seq[0] == 91 else { continue }
                switch seq[1] {
                case 65: // up
                    if historyIndex > 0 { historyIndex -= 1; buffer = Array(history[historyIndex]); cursor = buffer.count; redraw() }
                case 66: // down
                    if historyIndex < history.count - 1 { historyIndex += 1; buffer = Array(history[historyIndex]) } else { historyIndex = history.count; buffer = [] }
                    cursor = buffer.count
                    redraw()
                case 67: if cursor < buffer.count { cursor += 1; out("\u{1B}[C") }
                case 68: if cursor > 0 { cursor -= 1; out("\u{1B}[D") }
                default: break
                }
            default:
                bytes.append(byte)
                if let s = String(bytes: bytes, encoding: .utf8) {
                    bytes = []
                    for ch in s { buffer.insert(ch, at: cursor); cursor += 1 }
                    redraw()
                } else if bytes.count > 4 {
                    bytes = []
                }
            }
        }
    }
}

struct CmdletsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cmdlets",
        abstract: "List the shell's cmdlets, or print Docs/cmdlets.md from the registry.")

    @Flag(help: "Print the Markdown reference (Docs/cmdlets.md).")
    var markdown = false

    func run() throws {
        if markdown {
            print(CmdletDocs.markdown(), terminator: "")
        } else {
            for d in CmdletRegistry.standard.definitions.sorted(by: { $0.name < $1.name }) {
                print("\(d.name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(d.synopsis)")
            }
        }
    }
}
