import ArgumentParser
import Foundation
import TenantModel
import TenantStore

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic fixture of any size: realistic names, devices and messages.",
        discussion: "The same --users and --seed always give the same file. Without --output the fixture goes to standard output."
    )

    @Option(help: "How many users, each with a mailbox.")
    var users: Int = 100

    @Option(help: "The seed that fixes every name, device and identifier.")
    var seed: UInt64 = 1

    @Option(help: "The tenant's initial domain.")
    var domain: String = "fabrikam.onmicrosoft.com"

    @Option(help: ArgumentHelp("Licence tier: E3 or E5.", valueName: "TIER"))
    var license: String = "E5"

    @Option(help: "Messages placed in each of the first 1,000 mailboxes.")
    var messages: Int = 3

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the fixture here (YAML) instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("Also (or instead) save the tenant into this SQLite database.", valueName: "FILE"))
    var db: String?

    func validate() throws {
        guard users >= 1, users <= 5_000_000 else { throw ValidationError("--users must be between 1 and 5,000,000, not \(users).") }
        guard messages >= 0, messages <= 1_000 else { throw ValidationError("--messages must be between 0 and 1,000.") }
        guard LicenseTier.named(license) != nil else { throw ValidationError("--license must be E3 or E5, not \"\(license)\".") }
        guard SmtpAddress("x@\(domain)") != nil else { throw ValidationError("--domain \"\(domain)\" isn't a valid domain name.") }
    }

    func run() throws {
        let tenant = TenantGenerator(.init(users: users, seed: seed, domain: domain, licenseTier: LicenseTier.named(license)!,
                                           messagesPerMailbox: messages)).generate()
        if let db {
            try reportingBadInput { try TenantDatabase(path: db).save(tenant) }
        }
        if db == nil || output != nil {
            let yaml = try FixtureWriter.yaml(tenant)
            if let output {
                try yaml.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                FileHandle.standardOutput.write(Data(yaml.utf8))
            }
        }
    }
}
