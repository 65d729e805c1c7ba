import ArgumentParser
import Foundation
import Rehearsal

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a fixture from a production tenant's exports (Export-Csv or ConvertTo-Json files).",
        discussion: """
            Reads every .csv and .json file in DIR, recognises each by its columns (the white paper's \
            four exports and Get-Mailbox, Get-CASMailbox, Get-MobileDevice, Get-MsolUser, \
            Get-ClientAccessRule, Get-ActiveSyncDeviceAccessRule, Get-MobileDeviceMailboxPolicy, \
            Get-OwaMailboxPolicy, Get-OrganizationConfig, Get-AdminAuditLogConfig exports), merges \
            them by identity and writes one fixture. Whatever the files do not say takes the \
            service's defaults; the report says what was assumed. Passwords are never imported. \
            Any bad file fails the whole import (exit 2) and nothing is written. See Docs/import.md.
            """
    )

    @Argument(help: ArgumentHelp("The directory holding the exported files.", valueName: "DIR"))
    var directory: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the fixture here.", valueName: "TENANT.yaml"))
    var output: String

    @Option(name: .customLong("tenant-name"), help: ArgumentHelp("The tenant's display name.", valueName: "NAME"))
    var tenantName: String?

    @Option(help: ArgumentHelp("The tenant's initial domain (default: the organization's name or the onmicrosoft.com domain the addresses use).", valueName: "D"))
    var domain: String?

    func run() throws {
        let result: ImportResult
        do {
            result = try TenantImporter(tenantName: tenantName, domain: domain).importDirectory(directory)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        do {
            try result.yaml.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("error: can't write \(output): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        FileHandle.standardOutput.write(Data((result.report.text + "wrote \(output)\n").utf8))
    }
}
