import Foundation
import Testing
import TenantModel
@testable import TenantStore

/// The fixtures compiled into the binary must be the files in mock-tenant/.
@Suite struct EmbeddedFixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyFixtureFileIsEmbeddedVerbatim() throws {
        let dir = Self.root.appendingPathComponent("mock-tenant")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(!files.isEmpty)
        #expect(EmbeddedFixtures.all.keys.sorted() == files.map { String($0.dropLast(5)) },
                "run scripts/embed-fixtures.py after adding or removing a fixture")
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            #expect(EmbeddedFixtures.all[String(file.dropLast(5))] == text.trimmingTrailingNewlines + "",
                    "mock-tenant/\(file) changed: run scripts/embed-fixtures.py")
        }
    }

    @Test func unknownFixtureNameListsTheBuiltInOnes() {
        #expect {
            _ = try TenantSource.loadFixture("nosuchtenant")
        } throws: { error in
            "\(error)".contains("brittest") && "\(error)".contains("contoso")
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
