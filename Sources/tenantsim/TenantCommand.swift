import ArgumentParser
import Foundation
import TenantModel
import TenantStore

struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Inspect or export a tenant.",
        subcommands: [Show.self, Export.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a tenant: its identity, organisation flags and object counts.")

        @OptionGroup var source: TenantOptions

        @Option(help: ArgumentHelp("text or json.", valueName: "FORMAT"))
        var format: String = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json, not \"\(format)\".") }
        }

        func run() throws {
            let (tenant, _) = try source.open()
            let summary = TenantSummary(tenant)
            print(format == "json" ? summary.json : summary.text, terminator: format == "json" ? "\n" : "")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a tenant (from a fixture or a database) as fixture YAML.",
            discussion: "Every property that differs from the service default is written, GUIDs included, so the export loads back as the same tenant.")

        @OptionGroup var source: TenantOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "FILE"))
        var output: String?

        func run() throws {
            let (tenant, _) = try source.open()
            let yaml = try FixtureWriter.yaml(tenant)
            if let output {
                try yaml.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                FileHandle.standardOutput.write(Data(yaml.utf8))
            }
        }
    }
}

/// What `tenant show` prints.
struct TenantSummary {
    let tenant: Tenant

    init(_ tenant: Tenant) { self.tenant = tenant }

    var flags: [(String, String)] {
        let admins = tenant.users.filter(\.isAdmin)
        var mfa: [PerUserMfaState: Int] = [:]
        for u in tenant.users { mfa[u.strongAuthenticationState, default: 0] += 1 }
        return [
            ("Tenant", tenant.info.displayName),
            ("TenantId", tenant.info.tenantId.uuidString.lowercased()),
            ("Domains", tenant.info.domains.joined(separator: ", ")),
            ("LicenseTier", tenant.info.licenseTier.rawValue),
            ("Clock", ISO8601.format(tenant.now)),
            ("IsDehydrated", PropertyValue.bool(tenant.organizationConfig.isDehydrated).displayText),
            ("AuditDisabled", PropertyValue.bool(tenant.organizationConfig.auditDisabled).displayText),
            ("UnifiedAuditLogIngestionEnabled", PropertyValue.bool(tenant.adminAuditLogConfig.unifiedAuditLogIngestionEnabled).displayText),
            ("ActiveSync DefaultAccessLevel", tenant.activeSyncOrganizationSettings.defaultAccessLevel.rawValue),
            ("Default mobile policy", tenant.defaultMobileDeviceMailboxPolicy.name),
            ("Default OWA policy", tenant.defaultOwaMailboxPolicy.name),
            ("Administrators", admins.map(\.userPrincipalName).joined(separator: ", ")),
            ("Per-user MFA", PerUserMfaState.allCases.map { "\($0.rawValue) \(mfa[$0, default: 0])" }.joined(separator: ", ")),
        ]
    }

    var text: String {
        var out = ""
        let width = flags.map(\.0.count).max() ?? 0
        for (k, v) in flags { out += k.padding(toLength: width, withPad: " ", startingAt: 0) + " : " + v + "\n" }
        out += "\n"
        let counts = tenant.counts
        let cw = counts.map(\.0.count).max() ?? 0
        out += "Object".padding(toLength: cw, withPad: " ", startingAt: 0) + "  Count\n"
        out += String(repeating: "-", count: cw) + "  -----\n"
        for (k, v) in counts { out += k.padding(toLength: cw, withPad: " ", startingAt: 0) + "  " + String(v) + "\n" }
        return out
    }

    var json: String {
        var object: [String: Any] = [:]
        for (k, v) in flags { object[k] = v }
        object["Counts"] = Dictionary(uniqueKeysWithValues: tenant.counts.map { ($0.0, $0.1) })
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
