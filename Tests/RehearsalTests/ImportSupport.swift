import Foundation
import Rehearsal
import Shell
import TenantModel
import TenantStore

/// A connected shell on `tenant` whose working directory is `directory`.
func importShell(_ tenant: Tenant, in directory: String) -> (ShellSession, BufferHost) {
    let host = BufferHost()
    let session = ShellSession(tenant: tenant, host: host, workingDirectory: directory)
    let admin = tenant.users.first { $0.adminRoles.contains(DirectoryRole.globalAdministrator) } ?? tenant.users[0]
    session.exchangeIdentity = admin.userPrincipalName
    session.exchangeImported = true
    session.msolIdentity = admin.userPrincipalName
    return (session, host)
}

/// Runs `script` and fails loudly on any error.
func importRun(_ session: ShellSession, _ script: String) throws {
    let result = Interpreter(session: session).run(script)
    if !result.errors.isEmpty {
        throw StoreError("script failed: \(script)\n\(result.errors.map { "\($0)" }.joined(separator: "\n"))")
    }
}

func importTemporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "tenantsim-import-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func writeImportFile(_ directory: String, _ name: String, _ text: String) {
    FileManager.default.createFile(atPath: (directory as NSString).appendingPathComponent(name), contents: Data(text.utf8))
}

/// The issues of a failing import, or a test failure if it succeeded.
func importIssues(_ directory: String, domain: String? = nil) -> [ImportIssue]? {
    do {
        _ = try TenantImporter(domain: domain).importDirectory(directory)
        return nil
    } catch {
        return error.issues
    }
}
