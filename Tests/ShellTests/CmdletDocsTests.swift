import Foundation
import Testing
@testable import Shell

/// Docs/cmdlets.md is generated from the registry: the document and the shell never drift.
@Suite struct CmdletDocsTests {
    static let docPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/cmdlets.md").path

    @Test func theCmdletReferenceMatchesTheRegistry() throws {
        let doc = try String(contentsOfFile: Self.docPath, encoding: .utf8)
        #expect(doc == CmdletDocs.markdown(), "regenerate with: swift run tenantsim cmdlets --markdown > Docs/cmdlets.md")
    }

    @Test func everyCmdletIsDocumentedWithEveryParameter() throws {
        let doc = try String(contentsOfFile: Self.docPath, encoding: .utf8)
        for d in CmdletRegistry.standard.definitions {
            #expect(doc.contains("### \(d.name)\n"), "\(d.name) is missing from Docs/cmdlets.md")
            for p in d.parameters { #expect(doc.contains("| \(p.name) |"), "\(d.name) -\(p.name) is missing") }
        }
    }

    @Test func everyParameterHasHelpText() {
        for d in CmdletRegistry.standard.definitions {
            #expect(!d.synopsis.isEmpty, "\(d.name) has no synopsis")
            for p in d.parameters { #expect(!p.help.isEmpty, "\(d.name) -\(p.name) has no help text") }
        }
    }
}
