import Foundation

extension RehearsalReport {
    /// Rows of the heatmap at most; changed users come first.
    public static let heatmapRowLimit = 150
    /// Devices drawn as flow diagrams at most; the rest are listed in a table.
    public static let deviceDiagramLimit = 40

    /// One self-contained HTML page: inline CSS and SVG, no scripts, no network.
    public func html() -> String {
        var h = ""
        let s = summary
        h += """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Rehearsal: \(htmlEscape(plan)) on \(htmlEscape(tenant))</title>
        <style>
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1b1b1b;background:#fafafa}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .sub{color:#555;font-size:13px}
        .banner{padding:14px 18px;border-radius:6px;font-size:16px;font-weight:600;margin:14px 0}
        .lockout{background:#b00020;color:#fff} .errors{background:#8a4b00;color:#fff} .ok{background:#1e7b34;color:#fff}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
        .card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}
        .card b{display:block;font-size:24px} .card span{font-size:12px;color:#555}
        table{border-collapse:collapse;font-size:12px;background:#fff}
        th,td{border:1px solid #e0e0e0;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f0f0f0}
        .hm td{width:18px;height:16px;padding:0;text-align:center;font-size:10px}
        .hm td.u{width:auto;padding:0 6px;white-space:nowrap}
        .hm th.p{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;padding:4px 2px}
        .A{background:#3c9d4e} .D{background:#d64545} .Q{background:#e8a33d} .M{background:#a8c66c} .N{background:#f4f4f4}
        .chg{outline:2px solid #111;outline-offset:-2px}
        .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
        .lost{color:#b00020;font-weight:600} .gained{color:#1e7b34;font-weight:600} td .sub{font-weight:normal}
        code{font-size:12px}
        </style></head><body>
        <h1>Lockdown rehearsal: \(htmlEscape(plan))</h1>
        <div class="sub">Tenant \(htmlEscape(tenant)) · \(s.attempts) attempts replayed (\(distinctAttempts) distinct, \(attemptSource == "traffic" ? "production traffic" : "synthesized probes")) · exit \(exitCode)</div>

        """
        if !s.lockedOutAdministrators.isEmpty {
            h += "<div class=\"banner lockout\">⚠ LOCKOUT — after this plan \(htmlEscape(s.lockedOutAdministrators.joined(separator: ", "))) can no longer reach RemotePowerShell or the Exchange admin center from any known location.</div>\n"
        }
        if !planErrors.isEmpty {
            h += "<div class=\"banner errors\">The plan has \(planErrors.count) error(s): fix them before running it.</div>\n<table><tr><th>Line</th><th>Command</th><th>Error</th></tr>\n"
            for e in planErrors { h += "<tr><td>\(e.line)</td><td><code>\(htmlEscape(e.text))</code></td><td>\(htmlEscape(e.message))</td></tr>\n" }
            h += "</table>\n"
        }
        if s.lockedOutAdministrators.isEmpty && planErrors.isEmpty {
            h += "<div class=\"banner ok\">No administrator loses access. \(s.changedCells) cell(s) change.</div>\n"
        }
        h += "<div class=\"cards\">"
        for (value, label) in [("\(s.allowedBefore) → \(s.allowedAfter)", "allowed attempts"), ("\(s.changedCells)", "changed cells"),
                               ("\(s.cellsLosingAccess)", "cells losing access"), ("\(s.cellsGainingAccess)", "cells gaining access"),
                               ("\(s.devicesChanged)", "devices changing state"), ("\(s.usersWithMfaGaps)", "users with MFA gaps"),
                               ("\(administrators.filter(\.reachableAfter).count)/\(administrators.count)", "admins who can administer after")] {
            h += "<div class=\"card\"><b>\(htmlEscape(value))</b><span>\(htmlEscape(label))</span></div>"
        }
        h += "</div>\n"

        // Heatmap.
        h += "<h2 id=\"matrix\">Decision matrix, before | after</h2>\n<div class=\"legend\">"
        for (c, l) in [("A", "Allowed"), ("D", "Denied"), ("Q", "Quarantined"), ("M", "Mixed"), ("N", "not used")] {
            h += "<span class=\"\(c)\"></span>\(l)"
        }
        h += " &nbsp; a black frame marks a changed cell</div>\n"
        let changedUsers = Set(changes.map(\.user))
        let rows = (matrix.filter { changedUsers.contains($0.user) } + matrix.filter { !changedUsers.contains($0.user) }).prefix(Self.heatmapRowLimit)
        h += "<table class=\"hm\"><tr><th>User</th>"
        for side in ["before", "after"] {
            for p in protocols { h += "<th class=\"p\" title=\"\(side)\">\(htmlEscape(p))</th>" }
            if side == "before" { h += "<th></th>" }
        }
        h += "</tr>\n<tr><th></th><th colspan=\"\(protocols.count)\">before</th><th></th><th colspan=\"\(protocols.count)\">after</th></tr>\n"
        for row in rows {
            let byProtocol = Dictionary(row.cells.map { ($0.protocol, $0) }, uniquingKeysWith: { a, _ in a })
            h += "<tr><td class=\"u\">\(htmlEscape(row.user))</td>"
            for side in 0..<2 {
                for p in protocols {
                    guard let cell = byProtocol[p] else { h += "<td class=\"N\"></td>"; continue }
                    let st = side == 0 ? cell.before : cell.after
                    let cls = String(st.outcome.prefix(1))
                    h += "<td class=\"\(cls)\(cell.changed ? " chg" : "")\" title=\"\(htmlEscape(row.user)) \(htmlEscape(p)): \(st.outcome) \(st.allowed)/\(st.total)\"></td>"
                }
                if side == 0 { h += "<td class=\"N\"></td>" }
            }
            h += "</tr>\n"
        }
        h += "</table>\n"
        if matrix.count > rows.count { h += "<p class=\"sub\">\(matrix.count - rows.count) more users not shown (unchanged); the JSON report has the full matrix.</p>\n" }

        // Changes.
        h += "<h2 id=\"changes\">What changes and why</h2>\n"
        if changes.isEmpty { h += "<p>No cell changes.</p>\n" }
        let groups = Dictionary(grouping: changes, by: \.group)
        for key in groups.keys.sorted() {
            let items = groups[key]!
            h += "<h3 style=\"font-size:14px\">\(htmlEscape(key)) — \(items.count) cell(s)</h3>\n"
            if let d = items[0].after.detail ?? items[0].before.detail { h += "<p class=\"sub\">\(htmlEscape(d))</p>\n" }
            h += "<table><tr><th>User</th><th>Protocol</th><th>From</th><th>Before</th><th>After</th><th>Allowed</th></tr>\n"
            for c in items.prefix(25) {
                h += "<tr><td>\(htmlEscape(c.user))</td><td>\(htmlEscape(c.protocol))</td><td>\(htmlEscape(c.clientIP))</td><td>\(htmlEscape(c.before.outcome)) <span class=\"sub\">\(htmlEscape(c.before.reason))\(htmlEscape(c.before.by.map { " · \($0)" } ?? ""))</span></td><td class=\"\(c.direction)\">\(htmlEscape(c.after.outcome)) <span class=\"sub\">\(htmlEscape(c.after.reason))\(htmlEscape(c.after.by.map { " · \($0)" } ?? ""))</span></td><td>\(c.allowedBefore) → \(c.allowedAfter) of \(c.attempts)</td></tr>\n"
            }
            h += "</table>\n"
            if items.count > 25 { h += "<p class=\"sub\">... and \(items.count - 25) more (the JSON report lists every change).</p>\n" }
        }

        // Administrators.
        h += "<h2 id=\"administrators\">Administrators: RemotePowerShell and the Exchange admin center</h2>\n<table><tr><th>Administrator</th><th>Location</th><th>RemotePowerShell</th><th>ExchangeAdminCenter</th></tr>\n"
        for a in administrators {
            let byLocation = Dictionary(grouping: a.paths, by: \.location)
            for (i, loc) in locations.filter({ byLocation[$0] != nil }).enumerated() {
                h += "<tr>"
                if i == 0 { h += "<td rowspan=\"\(byLocation.count)\">\(htmlEscape(a.user))<br><span class=\"sub\">\(htmlEscape(a.roles.joined(separator: ", ")))</span>\(a.lockedOut ? "<br><b class=\"lost\">LOCKED OUT</b>" : "")</td>" }
                h += "<td>\(htmlEscape(loc))\(knownLocations.contains(loc) ? "" : " <span class=\"sub\">(only the plan names it)</span>")</td>"
                for p in ["RemotePowerShell", "ExchangeAdminCenter"] {
                    if let path = byLocation[loc]!.first(where: { $0.protocol == p }) {
                        let lost = path.before.outcome == "Allowed" && path.after.outcome != "Allowed"
                        h += "<td class=\"\(lost ? "lost" : "")\">\(htmlEscape(path.before.outcome)) → \(htmlEscape(path.after.outcome))\(path.after.outcome != "Allowed" ? " <span class=\"sub\">\(htmlEscape(path.after.by ?? path.after.reason))</span>" : "")</td>"
                    } else { h += "<td></td>" }
                }
                h += "</tr>\n"
            }
        }
        h += "</table>\n"

        // Devices.
        h += "<h2 id=\"devices\">ActiveSync devices whose state changes</h2>\n"
        if devices.isEmpty { h += "<p>No device changes state.</p>\n" }
        for d in devices.prefix(Self.deviceDiagramLimit) {
            h += "<h3 style=\"font-size:14px\">\(htmlEscape(d.user)) · \(htmlEscape(d.deviceId)) (\(htmlEscape(d.deviceType)) \(htmlEscape(d.deviceModel))): \(htmlEscape(d.before.outcome)) → \(htmlEscape(d.after.outcome))</h3>\n"
            h += flowSVG(d.pathBefore, label: "before", outcome: d.before.outcome)
            h += flowSVG(d.pathAfter, label: "after", outcome: d.after.outcome)
            if let detail = d.after.detail { h += "<p class=\"sub\">\(htmlEscape(detail))</p>\n" }
        }

        if devices.count > Self.deviceDiagramLimit {
            let rest = devices.dropFirst(Self.deviceDiagramLimit)
            h += "<p class=\"sub\">\(rest.count) more devices change state; the first \(min(rest.count, 500)) are listed below, the JSON report has every path.</p>\n"
            h += "<table><tr><th>User</th><th>Device</th><th>Before</th><th>After</th></tr>\n"
            for d in rest.prefix(500) {
                h += "<tr><td>\(htmlEscape(d.user))</td><td>\(htmlEscape(d.deviceId)) <span class=\"sub\">\(htmlEscape(d.deviceType))</span></td><td>\(htmlEscape(d.before.outcome)) <span class=\"sub\">\(htmlEscape(d.before.reason))</span></td><td>\(htmlEscape(d.after.outcome)) <span class=\"sub\">\(htmlEscape(d.after.reason))\(htmlEscape(d.after.by.map { " · \($0)" } ?? ""))</span></td></tr>\n"
            }
            h += "</table>\n"
        }

        // MFA gaps.
        h += "<h2 id=\"mfa\">MFA gaps that remain</h2>\n"
        if mfaGaps.isEmpty { h += "<p>No user without enforced MFA can sign in with a password alone over a legacy protocol.</p>\n" } else {
            h += "<table><tr><th>User</th><th>Per-user MFA</th><th>Legacy protocols still open</th></tr>\n"
            for g in mfaGaps.prefix(200) { h += "<tr><td>\(htmlEscape(g.user))</td><td>\(htmlEscape(g.mfaState))</td><td>\(htmlEscape(g.protocols.joined(separator: ", ")))</td></tr>\n" }
            h += "</table>\n"
        }
        h += "<p class=\"sub\">Generated by tenantsim rehearse. Locations probed: \(htmlEscape(locations.joined(separator: ", "))).</p>\n</body></html>\n"
        return h
    }

    /// The access flow as boxes and arrows; the deciding box is coloured by the outcome,
    /// passed boxes green-outlined, unreached ones grey.
    func flowSVG(_ steps: [PathStep], label: String, outcome: String) -> String {
        let w = 118, gap = 16, height = 74
        let width = 60 + steps.count * (w + gap) + 90
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(label) path\" style=\"display:block;margin:4px 0\">"
        svg += "<text x=\"0\" y=\"38\" font-size=\"12\" font-weight=\"bold\">\(label)</text>"
        let outcomeFill = outcome == "Allowed" ? "#3c9d4e" : (outcome == "Quarantined" ? "#e8a33d" : "#d64545")
        for (i, step) in steps.enumerated() {
            let x = 60 + i * (w + gap)
            let (fill, stroke, textColor): (String, String, String)
            switch step.result {
            case "decided": (fill, stroke, textColor) = (outcomeFill, "#222", "#fff")
            case "passed": (fill, stroke, textColor) = ("#e9f5ec", "#3c9d4e", "#1b1b1b")
            case "skipped": (fill, stroke, textColor) = ("#f7f7f7", "#bbb", "#888")
            default: (fill, stroke, textColor) = ("#f0f0f0", "#ddd", "#aaa")
            }
            svg += "<rect x=\"\(x)\" y=\"8\" width=\"\(w)\" height=\"44\" rx=\"6\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>"
            svg += "<text x=\"\(x + w / 2)\" y=\"26\" font-size=\"11\" text-anchor=\"middle\" fill=\"\(textColor)\">\(htmlEscape(step.step))</text>"
            svg += "<text x=\"\(x + w / 2)\" y=\"42\" font-size=\"10\" text-anchor=\"middle\" fill=\"\(textColor)\">\(htmlEscape(step.result == "decided" ? "decides" : step.result))</text>"
            if !step.note.isEmpty && step.result == "decided" {
                svg += "<text x=\"\(x + w / 2)\" y=\"66\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">\(htmlEscape(String(step.note.prefix(26))))</text>"
            }
            if i < steps.count - 1 {
                let ax = x + w
                let color = step.result == "passed" || step.result == "skipped" ? "#555" : "#ccc"
                svg += "<line x1=\"\(ax)\" y1=\"30\" x2=\"\(ax + gap - 3)\" y2=\"30\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
                svg += "<polygon points=\"\(ax + gap - 3),26 \(ax + gap),30 \(ax + gap - 3),34\" fill=\"\(color)\"/>"
            }
        }
        let ex = 60 + steps.count * (w + gap)
        svg += "<rect x=\"\(ex)\" y=\"14\" width=\"88\" height=\"32\" rx=\"16\" fill=\"\(outcomeFill)\"/>"
        svg += "<text x=\"\(ex + 44)\" y=\"34\" font-size=\"11\" text-anchor=\"middle\" fill=\"#fff\" font-weight=\"bold\">\(htmlEscape(outcome))</text>"
        svg += "</svg>\n"
        return svg
    }
}

/// HTML-escapes text.
func htmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
