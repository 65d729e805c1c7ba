import Foundation
import Testing

/// `tenantsim import` end to end, with the binary built next to the test bundle.
@Suite struct ImportCommandTests {
    static var binary: String? {
        let dir = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("tenantsim").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary!)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test(.enabled(if: binary != nil, "the tenantsim binary is not built next to the tests (swift build first)"))
    func exitCodesAndNothingWrittenOnFailure() throws {
        let dir = importTemporaryDirectory()
        writeImportFile(dir, "MailboxAuditing_Enabled.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"a@x.onmicrosoft.com\",\"True\"\n")
        let output = dir + "/out/tenant.yaml"
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        let ok = try Self.run(["import", dir, "--output", output, "--tenant-name", "X"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("recognised as the white paper's MailboxAuditing_Enabled.csv"))
        #expect(FileManager.default.fileExists(atPath: output))

        writeImportFile(dir, "bad.csv", "\"PrimarySmtpAddress\",\"AuditEnabled\"\n\"b@x.onmicrosoft.com\",\"Maybe\"\n")
        let failed = try Self.run(["import", dir, "--output", dir + "/out/second.yaml"])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("error: bad.csv, line 2: column \"AuditEnabled\""))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/second.yaml"))
    }
}
