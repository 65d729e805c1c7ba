import Foundation

extension RehearsalReport {
    /// The report for a terminal: summary, lockout banner, plan errors, changes grouped by
    /// reason, administrators, devices, MFA gaps.
    public func human() -> String {
        var out: [String] = []
        let s = summary
        out.append("Rehearsal of \(plan) on \(tenant)")
        out.append("Replayed \(s.attempts) attempts (\(distinctAttempts) distinct, from \(attemptSource == "traffic" ? "the traffic file" : "synthesized probes")) for \(s.users) users over \(protocols.count) protocols.")
        if unmappedRows > 0 { out.append("\(unmappedRows) traffic rows have a client app the simulator doesn't know; not replayed.") }
        out.append("Allowed before: \(s.allowedBefore)   after: \(s.allowedAfter)   changed cells: \(s.changedCells) (\(s.cellsLosingAccess) lose access, \(s.cellsGainingAccess) gain)")
        out.append("Devices whose ActiveSync state changes: \(s.devicesChanged)   users with MFA gaps after: \(s.usersWithMfaGaps)")
        if !s.lockedOutAdministrators.isEmpty {
            out.append("")
            out.append("!!! LOCKOUT: after this plan \(s.lockedOutAdministrators.joined(separator: ", ")) can no longer reach RemotePowerShell or the Exchange admin center from any known location.")
        }
        if !planErrors.isEmpty {
            out.append("")
            out.append("The plan has \(planErrors.count) error(s); fix them before running it (nothing is saved, the tenant is untouched):")
            for e in planErrors { out.append("  line \(e.line): \(e.text)\n    \(e.message)") }
        }
        if !changes.isEmpty {
            out.append("")
            out.append("Changes, grouped by reason:")
            let groups = Dictionary(grouping: changes, by: \.group)
            for key in groups.keys.sorted() {
                let items = groups[key]!
                out.append("  \(key) — \(items.count) cell(s)")
                for c in items.prefix(20) {
                    out.append("    \(c.user) \(c.protocol) from \(c.clientIP): \(c.before.outcome) → \(c.after.outcome) (\(c.allowedBefore)→\(c.allowedAfter) of \(c.attempts) allowed)")
                }
                if items.count > 20 { out.append("    ... and \(items.count - 20) more") }
                if let detail = items[0].after.detail { out.append("    why: \(detail)") }
            }
        }
        if !administrators.isEmpty {
            out.append("")
            out.append("Administrators (RemotePowerShell / ExchangeAdminCenter, before → after):")
            for a in administrators {
                out.append("  \(a.user) [\(a.roles.joined(separator: ", "))]\(a.lockedOut ? "  LOCKED OUT" : "")")
                let byLocation = Dictionary(grouping: a.paths, by: \.location)
                for loc in locations where byLocation[loc] != nil {
                    let cells = byLocation[loc]!.map { "\($0.protocol) \($0.before.outcome)→\($0.after.outcome)\($0.after.outcome != "Allowed" ? " (\($0.after.by ?? $0.after.reason))" : "")" }
                    out.append("    \(loc)\(knownLocations.contains(loc) ? "" : " (named only by the plan)"): \(cells.joined(separator: ", "))")
                }
            }
        }
        if !devices.isEmpty {
            out.append("")
            out.append("ActiveSync devices whose state changes:")
            for d in devices.prefix(100) {
                out.append("  \(d.user) \(d.deviceId) (\(d.deviceType)): \(d.before.outcome)/\(d.before.reason) → \(d.after.outcome)/\(d.after.reason)\(d.after.by.map { " by \($0)" } ?? "")")
            }
            if devices.count > 100 { out.append("  ... and \(devices.count - 100) more") }
        }
        if !mfaGaps.isEmpty {
            out.append("")
            out.append("MFA gaps that remain (password alone over a legacy protocol):")
            for g in mfaGaps.prefix(50) { out.append("  \(g.user) (MFA \(g.mfaState)): \(g.protocols.joined(separator: ", "))") }
            if mfaGaps.count > 50 { out.append("  ... and \(mfaGaps.count - 50) more") }
        }
        out.append("")
        out.append("Verdict: \(verdict) (exit \(exitCode))")
        return out.joined(separator: "\n") + "\n"
    }
}
