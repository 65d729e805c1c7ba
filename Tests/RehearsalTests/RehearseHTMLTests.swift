import Foundation
import Testing
import TenantModel
import TenantStore
@testable import Rehearsal

/// The HTML report: self-contained, and rendered by a real browser (headless Chromium).
@Suite struct RehearseHTMLTests {
    /// A plan that locks the admin out, turns a protocol off and blocks a device: every
    /// section of the report has something to show.
    static let plan = """
    Set-CASMailbox -Identity adele@brittest.onmicrosoft.com -ImapEnabled $false
    Set-CASMailbox -ActiveSyncBlockedDeviceIDs ApplF17XQ1NZ0D5 -Identity britton@brittest.onmicrosoft.com
    New-ClientAccessRule -Name Restrict_AdminCenter_And_Services -Action DenyAccess -AnyOfProtocols ExchangeAdminCenter,ExchangeWebServices,PowerShellWebServices,RemotePowerShell –ExceptAnyOfClientIPAddressesOrRanges 255.255.255.0/24
    """

    static func report() throws -> RehearsalReport {
        var r = Rehearsal.rehearse(plan: plan, planName: "restrict-admin.ps1", tenant: try TenantSource.loadFixture("brittest")).report
        r.plan = "restrict-admin.ps1"
        return r
    }

    @Test func selfContained() throws {
        let html = try Self.report().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src=\""))
        // The only URL is the SVG namespace, which is a name, not a fetch.
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") })
        #expect(html.contains("LOCKOUT"))
        #expect(html.contains("<svg"))
        #expect(html.contains("Blocked device IDs"))
        #expect(html.contains("Restrict_AdminCenter_And_Services"))
        #expect(!html.contains("<td>adele@brittest.onmicrosoft.com<script"))
    }

    @Test func escapesText() {
        #expect(htmlEscape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }

    /// Where a Chromium is installed (Debian's `chromium`), or nil.
    static func chromium() -> String? {
        if let env = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: env) { return env }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Renders the report in headless Chromium and checks the screenshot is a 1280-pixel-wide
    /// PNG with the lockout banner's red in its top part. Skipped (cancelled, with the
    /// reason) where no Chromium is installed.
    @Test func rendersInChromium() throws {
        guard let browser = Self.chromium() else {
            try Test.cancel("Skipped: no Chromium on PATH (install Debian's chromium package, or set CHROMIUM=/path/to/chrome) — the HTML report was not rendered in a browser.")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-html-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        let png = dir.appendingPathComponent("report.png")
        try Self.report().html().write(to: page, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--user-data-dir=\(dir.path)/profile",
                             "--screenshot=\(png.path)", "--window-size=1280,2000", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        #expect(process.terminationStatus == 0)

        let data = try Data(contentsOf: png)
        #expect(data.count > 20_000)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // IHDR: width and height, big-endian, at bytes 16..<24.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280)
        #expect(height == 2000)
        if let keep = ProcessInfo.processInfo.environment["REHEARSAL_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }
}
