import Foundation
import Shell
import TenantModel
import TenantStore

/// A shell on a built-in fixture, optionally already connected to Exchange and MSOnline
/// as the fixture's global admin (so Exchange cmdlets are available).
func makeShell(_ fixture: String = "brittest", connected: Bool = true,
               workingDirectory: String = NSTemporaryDirectory()) throws -> (ShellSession, BufferHost) {
    let host = BufferHost()
    let tenant = try TenantSource.loadFixture(fixture)
    let session = ShellSession(tenant: tenant, host: host, workingDirectory: workingDirectory)
    if connected {
        let admin = tenant.users.first { $0.adminRoles.contains(DirectoryRole.globalAdministrator) }!
        session.exchangeIdentity = admin.userPrincipalName
        session.exchangeImported = true
        session.msolIdentity = admin.userPrincipalName
    }
    return (session, host)
}

/// Runs a script in the session.
@discardableResult
func run(_ session: ShellSession, _ script: String) -> RunResult {
    Interpreter(session: session).run(script)
}

/// A fresh temporary directory for files a test writes.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "tenantsim-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
