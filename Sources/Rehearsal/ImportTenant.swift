import Foundation
import TenantModel
import TenantStore
import Yams

/// What the importer made of one file.
public struct ImportFileReport: Sendable {
    public var file: String
    public var format: ImportTable.Format
    /// nil for an empty file.
    public var kind: ImportKind?
    /// "Get-Mailbox export" or the white paper's file it is.
    public var recognisedAs: String
    public var records: Int
    /// What was not taken from the file and why (multi-valued columns, derived columns, passwords).
    public var assumed: [String]
}

/// The whole import: per file, and what the tenant took as defaults.
public struct ImportReport: Sendable {
    public var files: [ImportFileReport]
    public var tenantAssumptions: [String]
    public var summary: String

    public var text: String {
        var out = ""
        for f in files {
            out += "\(f.file): \(f.format.rawValue), recognised as \(f.recognisedAs); \(f.records) \(f.records == 1 ? "object" : "objects")\n"
            for a in f.assumed { out += "  assumed: \(a)\n" }
        }
        out += "tenant:\n"
        for a in tenantAssumptions { out += "  assumed: \(a)\n" }
        out += summary + "\n"
        return out
    }
}

/// An import that failed: every problem found, nothing written.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [ImportIssue]
    public var description: String {
        "The import failed; nothing was written.\n" + issues.map { "error: \($0)" }.joined(separator: "\n")
    }
}

/// The result of a successful import: the tenant, its fixture text and the report.
public struct ImportResult: Sendable {
    public var tenant: Tenant
    public var yaml: String
    public var report: ImportReport
}

/// Builds a tenant fixture from exports of a production tenant. See Docs/import.md.
public struct TenantImporter: Sendable {
    public var tenantName: String?
    public var domain: String?

    public init(tenantName: String? = nil, domain: String? = nil) {
        self.tenantName = tenantName
        self.domain = domain
    }

    /// Imports every *.csv and *.json file in `directory` (sorted by name).
    public func importDirectory(_ directory: String) throws(ImportFailure) -> ImportResult {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw ImportFailure(issues: [ImportIssue(file: directory, place: nil, message: "the directory can't be read.",
                                                     valid: "a directory holding the exported .csv and .json files")])
        }
        var files: [(name: String, text: String)] = []
        var issues: [ImportIssue] = []
        for name in names.sorted() where name.lowercased().hasSuffix(".csv") || name.lowercased().hasSuffix(".json") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                issues.append(ImportIssue(file: name, place: nil, message: "the file can't be read as UTF-8 text.",
                                          valid: "UTF-8 text, as Export-Csv and ConvertTo-Json | Out-File write it"))
                continue
            }
            files.append((name, text))
        }
        if files.isEmpty && issues.isEmpty {
            throw ImportFailure(issues: [ImportIssue(file: directory, place: nil, message: "there are no .csv or .json files here.",
                                                     valid: "the files that Export-Csv -NoTypeInformation or ConvertTo-Json wrote")])
        }
        do { return try importFiles(files, earlierIssues: issues) } catch { throw error }
    }

    /// Imports files given as (name, text); names ending in .json are JSON, the rest CSV.
    public func importFiles(_ files: [(name: String, text: String)]) throws(ImportFailure) -> ImportResult {
        try importFiles(files, earlierIssues: [])
    }

    private func importFiles(_ files: [(name: String, text: String)], earlierIssues: [ImportIssue]) throws(ImportFailure) -> ImportResult {
        var merger = ImportMerger()
        merger.issues = earlierIssues
        for f in files {
            do {
                let table = f.name.lowercased().hasSuffix(".json")
                    ? try ImportReader.json(f.text, file: f.name) : try ImportReader.csv(f.text, file: f.name)
                if let table { merger.add(table) } else {
                    merger.reports.append(ImportFileReport(file: f.name, format: f.name.lowercased().hasSuffix(".json") ? .json : .csv,
                                                           kind: nil, recognisedAs: "an empty export", records: 0,
                                                           assumed: ["the file is empty (the cmdlet returned nothing); nothing imported from it"]))
                }
            } catch {
                merger.issues.append(error)
            }
        }
        guard merger.issues.isEmpty else { throw ImportFailure(issues: merger.issues) }
        return try merger.build(tenantName: tenantName, domain: domain)
    }
}
