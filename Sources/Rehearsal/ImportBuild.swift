import Foundation
import TenantModel
import TenantStore
import Yams

extension ImportMerger {
    /// Turns the merged objects into a fixture, loads it (the real defaults fill every gap),
    /// and writes it back with FixtureWriter.
    mutating func build(tenantName: String?, domain: String?) throws(ImportFailure) -> ImportResult {
        var assumed: [String] = []
        func value(_ v: PropertyValue) -> Node {
            switch v {
            case .null: return Node("~")
            case .list(let items):
                return Node.sequence(Node.Sequence(items.map { Node.scalar(Node.Scalar($0.canonicalText, Tag(.implicit), .doubleQuoted)) },
                                                   Tag(.implicit), .flow))
            default: return Node.scalar(Node.Scalar(v.canonicalText, Tag(.implicit), .doubleQuoted))
            }
        }
        func pairs(_ e: ImportEntity, skip: Set<String> = []) -> [(Node, Node)] {
            e.order.filter { !skip.contains($0) }.compactMap { name in e.fields[name].map { (Node(name), value($0.value)) } }
        }
        func mapping(_ p: [(Node, Node)]) -> Node { Node.mapping(Node.Mapping(p, Tag(.implicit), .block)) }
        func list(_ n: [Node]) -> Node { Node.sequence(Node.Sequence(n, Tag(.implicit), .block)) }
        func link(_ e: ImportEntity, _ k: String) -> String? {
            if case .string(let s)? = e.fields["link:" + k]?.value { return s }
            return nil
        }

        // Domains: every domain an address uses; the initial one from --domain, the
        // organization's name, or the onmicrosoft.com domain most addresses use.
        var domainCounts: [String: Int] = [:]
        for k in mailboxOrder + userOrder {
            if let d = k.split(separator: "@").last { domainCounts[String(d), default: 0] += 1 }
        }
        let ranked = domainCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        let initial: String
        if let domain { initial = domain.lowercased() }
        else if let orgName, orgName.contains(".") { initial = orgName.lowercased() }
        else if let d = ranked.first(where: { $0.hasSuffix(".onmicrosoft.com") }) {
            initial = d
            assumed.append("InitialDomain \(d): the onmicrosoft.com domain the addresses use (give --domain to choose)")
        } else if let d = ranked.first {
            initial = d
            assumed.append("InitialDomain \(d): the domain most addresses use (give --domain to choose)")
        } else {
            initial = "imported.onmicrosoft.com"
            assumed.append("InitialDomain imported.onmicrosoft.com: no address names a domain (give --domain to choose)")
        }
        var tenantPairs: [(Node, Node)] = [(Node("InitialDomain"), value(.string(initial)))]
        if let tenantId { tenantPairs.append((Node("TenantId"), value(.string(tenantId)))) }
        if let tenantName { tenantPairs.append((Node("DisplayName"), value(.string(tenantName)))) }
        let domains = [initial] + ranked.filter { $0 != initial }.sorted()
        tenantPairs.append((Node("Domains"), value(.list(domains.map(PropertyValue.string)))))
        // Licence tier: E5 where any user holds an E5 SKU, else E3.
        let e5 = users.values.contains { u in
            if case .list(let l)? = u.fields["Licenses"]?.value { return l.contains { ["ENTERPRISEPREMIUM", "SPE_E5"].contains($0.canonicalText) } }
            return false
        }
        tenantPairs.append((Node("LicenseTier"), value(.string(e5 ? "E5" : "E3"))))
        if !e5 { assumed.append("LicenseTier E3: no user holds an E5 licence in the exports (Licenses arrive only in JSON)") }
        var root: [(Node, Node)] = [(Node("tenant"), mapping(tenantPairs))]
        if let latestDate, latestDate > Date(timeIntervalSince1970: 1_546_300_800) {
            root.append((Node("clock"), value(.date(latestDate))))
            assumed.append("clock \(ISO8601.format(latestDate)): the latest date in the exports")
        }

        // Organization-wide settings.
        for (kind, section) in [(ImportKind.organizationConfig, "organizationConfig"), (.adminAuditLogConfig, "adminAuditLogConfig")] {
            if let e = singletons[kind] {
                let p = pairs(e)
                if !p.isEmpty { root.append((Node(section), mapping(p))) }
            } else {
                assumed.append("\(kind.cmdlet): not exported; the service's defaults for a new tenant")
            }
        }
        assumed.append("Get-TransportConfig, Get-ActiveSyncOrganizationSettings, remote domains and authentication policies: not imported; the service's defaults")

        // Policies: the built-in Default stays unless an imported one replaces it as default.
        var defaultPolicy: [ImportKind: String] = [.mobilePolicy: "Default", .owaPolicy: "OwaMailboxPolicy-Default"]
        for (kind, section, builtIn) in [(ImportKind.mobilePolicy, "mobileDeviceMailboxPolicies", "Default"),
                                         (.owaPolicy, "owaMailboxPolicies", "OwaMailboxPolicy-Default")] {
            guard let bucket = named[kind] else {
                assumed.append("\(kind.cmdlet): not exported; only the built-in \(builtIn) policy, as default")
                continue
            }
            var nodes = bucket.order.map { mapping(pairs(bucket.entities[$0]!)) }
            let defaults = bucket.order.filter { bucket.entities[$0]!.fields["IsDefault"]?.value == .bool(true) }
            if let d = defaults.first {
                defaultPolicy[kind] = bucket.entities[d]!.key
                if d != builtIn.lowercased() && bucket.entities[builtIn.lowercased()] == nil {
                    nodes.insert(mapping([(Node("Name"), value(.string(builtIn))), (Node("IsDefault"), value(.bool(false)))]), at: 0)
                    assumed.append("\(kind.cmdlet): the built-in \(builtIn) policy kept, not default (every tenant has it)")
                }
            } else if !bucket.order.contains(builtIn.lowercased()) {
                assumed.append("\(kind.cmdlet): no exported policy says IsDefault True; the built-in \(builtIn) stays the default")
            }
            root.append((Node(section), list(nodes)))
        }
        if let bucket = named[.deviceAccessRule] {
            root.append((Node("deviceAccessRules"), list(bucket.order.map { mapping(pairs(bucket.entities[$0]!, skip: ["Name"])) })))
        } else {
            assumed.append("Get-ActiveSyncDeviceAccessRule: not exported; no device access rules")
        }
        if let bucket = named[.clientAccessRule] {
            let ordered = bucket.order.enumerated().sorted { a, b in
                let pa = Int(link(bucket.entities[a.element]!, "priority") ?? "") ?? Int.max
                let pb = Int(link(bucket.entities[b.element]!, "priority") ?? "") ?? Int.max
                return pa != pb ? pa < pb : a.offset < b.offset
            }.map(\.element)
            if ordered.contains(where: { link(bucket.entities[$0]!, "priority") == nil }) {
                assumed.append("Get-ClientAccessRule: rules without a Priority keep their file order, after the others")
            }
            root.append((Node("clientAccessRules"), list(ordered.map { mapping(pairs(bucket.entities[$0]!)) })))
        } else {
            assumed.append("Get-ClientAccessRule: not exported; no client access rules")
        }

        // Devices grouped under their mailbox.
        var devicesByMailbox: [String: [Node]] = [:]
        var guidIndex: [String: String] = [:], nameIndex: [String: String] = [:]
        for k in mailboxOrder {
            let m = mailboxes[k]!
            if let g = m.fields["Guid"]?.value.canonicalText.lowercased() { guidIndex[g] = k }
            if let n = m.fields["Name"]?.value.canonicalText.lowercased() { nameIndex[n] = k }
            if let a = m.fields["Alias"]?.value.canonicalText.lowercased() { nameIndex[a] = k }
            nameIndex[String(k.split(separator: "@").first ?? "")] = nameIndex[String(k.split(separator: "@").first ?? "")] ?? k
        }
        var deviceIssues: [ImportIssue] = []
        for d in devices {
            var target: String?
            if let g = d.link["mailboxguid"] { target = guidIndex[g.lowercased()] }
            let owner = d.link["mailboxname"] ?? d.link["identity"].map { String($0.split(separator: "\\").first ?? "") }
            if target == nil, let n = owner { target = nameIndex[n.lowercased()] ?? mailboxes[n.lowercased()].map { _ in n.lowercased() } }
            guard let target else {
                deviceIssues.append(ImportIssue(file: d.file, place: d.place,
                    message: "device \"\(d.entity.key)\" belongs to mailbox \"\(owner ?? d.link["mailboxguid"] ?? "?")\", which no imported Get-Mailbox or Get-CASMailbox export has.",
                    valid: "a device whose MailboxGuid or MailboxName matches an imported mailbox (import the Get-Mailbox export alongside)"))
                continue
            }
            let key = target + "|" + d.entity.key.lowercased()
            if deviceKeys.contains(key) {
                deviceIssues.append(ImportIssue(file: d.file, place: d.place, message: "duplicate identity: device \"\(d.entity.key)\" appears twice for mailbox \(target).",
                                                valid: "each DeviceId once per mailbox"))
                continue
            }
            deviceKeys.insert(key)
            var e = d.entity
            for required in ["DeviceType", "DeviceOS"] where e.fields[required] == nil || e.fields[required]?.value == .string("") {
                e.fields[required] = ImportField(value: .string("Unknown"), file: d.file, place: d.place)
                if !e.order.contains(required) { e.order.append(required) }
                assumed.append("device \(d.entity.key): no \(required); Unknown")
            }
            devicesByMailbox[target, default: []].append(mapping(pairs(e)))
        }
        guard deviceIssues.isEmpty else { throw ImportFailure(issues: deviceIssues) }

        // Users with their mailboxes; mailboxes without a user.
        var userNodes: [Node] = []
        var mailboxNodes: [Node] = []
        var attached = Set<String>()
        var userIndex = Set(userOrder)
        var order = userOrder
        var implicitUsers: [String] = []
        var sharedGuesses: [String] = []
        for k in mailboxOrder {
            let m = mailboxes[k]!
            let type = m.fields["RecipientTypeDetails"]?.value.canonicalText ?? "UserMailbox"
            guard type == "UserMailbox" else { continue }
            let upn = (link(m, "userprincipalname") ?? m.key).lowercased()
            if !userIndex.contains(upn) && imported.contains(.msolUser) {
                // The directory export lists every user: a mailbox without one is shared.
                mailboxes[k]!.fields["RecipientTypeDetails"] = ImportField(value: .string("SharedMailbox"), file: "", place: "")
                mailboxes[k]!.order.append("RecipientTypeDetails")
                sharedGuesses.append(m.key)
                continue
            }
            if !userIndex.contains(upn) {
                userIndex.insert(upn)
                order.append(upn)
                users[upn] = ImportEntity(key: link(m, "userprincipalname") ?? m.key, origin: m.origin)
                implicitUsers.append(upn)
            }
        }
        if !sharedGuesses.isEmpty {
            assumed.append("\(sharedGuesses.count) mailbox\(sharedGuesses.count == 1 ? "" : "es") with no RecipientTypeDetails and no Get-MsolUser row (\(sharedGuesses.prefix(5).joined(separator: ", "))\(sharedGuesses.count > 5 ? ", …" : "")): imported as SharedMailbox")
        }
        if !implicitUsers.isEmpty {
            assumed.append("\(implicitUsers.count) mailbox\(implicitUsers.count == 1 ? "" : "es") with no Get-MsolUser row: each got a directory user with the defaults (no MFA, not blocked, no admin roles)")
        }
        let mailboxByUpn: [String: String] = Dictionary(mailboxOrder.compactMap { k -> (String, String)? in
            let m = mailboxes[k]!
            guard (m.fields["RecipientTypeDetails"]?.value.canonicalText ?? "UserMailbox") == "UserMailbox" else { return nil }
            return ((link(m, "userprincipalname") ?? m.key).lowercased(), k)
        }, uniquingKeysWith: { a, _ in a })
        let mailboxPolicySkip: (ImportEntity) -> Set<String> = { m in
            var skip: Set<String> = []
            if link(m, "activesyncmailboxpolicyisdefaulted") == "true"
                || m.fields["ActiveSyncMailboxPolicy"]?.value.canonicalText == defaultPolicy[.mobilePolicy] {
                skip.insert("ActiveSyncMailboxPolicy")
            }
            if m.fields["OwaMailboxPolicy"]?.value.canonicalText == defaultPolicy[.owaPolicy] { skip.insert("OwaMailboxPolicy") }
            return skip
        }
        var withoutMailbox = 0
        for upn in order {
            var u = users[upn]!
            if u.fields["LastPasswordChange"] != nil, u.fields["LastPasswordChange"]?.value == u.fields["WhenCreated"]?.value {
                u.order.removeAll { $0 == "LastPasswordChange" }
            }
            var entries: [(Node, Node)] = [(Node("UserPrincipalName"), value(.string(u.key)))]
            entries += pairs(u, skip: ["UserPrincipalName"])
            if let mk = mailboxByUpn[upn] {
                var m = mailboxes[mk]!
                attached.insert(mk)
                if let oid = link(m, "externaldirectoryobjectid"), u.fields["ObjectId"] == nil, UUID(uuidString: oid) != nil {
                    entries.append((Node("ObjectId"), value(.string(oid))))
                }
                if m.fields["PrimarySmtpAddress"] == nil {
                    m.fields["PrimarySmtpAddress"] = ImportField(value: .string(m.key), file: "", place: "")
                    m.order.insert("PrimarySmtpAddress", at: 0)
                }
                entries.append((Node("mailbox"), mapping(pairs(m, skip: mailboxPolicySkip(m)))))
                if let d = devicesByMailbox[mk] { entries.append((Node("devices"), list(d))) }
            } else if !mailboxOrder.isEmpty {
                entries.append((Node("mailbox"), Node("false")))
                withoutMailbox += 1
            }
            userNodes.append(mapping(entries))
        }
        if withoutMailbox > 0 {
            assumed.append("\(withoutMailbox) user\(withoutMailbox == 1 ? "" : "s") missing from the mailbox exports: imported without a mailbox")
        } else if mailboxOrder.isEmpty && !order.isEmpty {
            assumed.append("no Get-Mailbox or Get-CASMailbox export: every user gets a new mailbox with the defaults")
        }
        for k in mailboxOrder where !attached.contains(k) {
            let m = mailboxes[k]!
            guard m.fields["RecipientTypeDetails"] != nil else { continue }
            var entries: [(Node, Node)] = [(Node("PrimarySmtpAddress"), value(.string(m.key)))]
            entries += pairs(m, skip: mailboxPolicySkip(m).union(["PrimarySmtpAddress"]))
            if let d = devicesByMailbox[k] { entries.append((Node("devices"), list(d))) }
            mailboxNodes.append(mapping(entries))
        }
        if !userNodes.isEmpty { root.append((Node("users"), list(userNodes))) }
        if !mailboxNodes.isEmpty { root.append((Node("mailboxes"), list(mailboxNodes))) }
        if !order.isEmpty {
            assumed.append("passwords are never imported: each of the \(order.count) users has a generated password, recorded in the fixture")
        }
        if !imported.contains(.mailbox) && !mailboxOrder.isEmpty {
            assumed.append("no full Get-Mailbox export: mailbox audit settings and quotas not exported keep the defaults for the licence tier")
        }

        // Load it: the fixture loader applies every default and checks every link.
        let draft = mapping(root)
        let tenant: Tenant
        do { tenant = try FixtureLoader(file: "(imported tenant)").load(root: draft) } catch {
            throw ImportFailure(issues: [ImportIssue(file: "(merged tenant)", place: nil, message: error.message,
                                                     valid: "exports that agree with each other (see Docs/import.md)")])
        }
        let yaml: String
        do { yaml = try FixtureWriter.yaml(tenant) } catch {
            throw ImportFailure(issues: [ImportIssue(file: "(output)", place: nil, message: "the fixture can't be written: \(error)")])
        }
        let summary = "imported \(tenant.users.count) users, \(tenant.mailboxes.count) mailboxes, \(tenant.mobileDevices.count) devices, \(tenant.clientAccessRules.count) client access rules, \(tenant.deviceAccessRules.count) device access rules, \(tenant.mobileDeviceMailboxPolicies.count) mobile and \(tenant.owaMailboxPolicies.count) OWA policies into \(tenant.info.initialDomain)"
        return ImportResult(tenant: tenant, yaml: yaml,
                            report: ImportReport(files: reports, tenantAssumptions: assumed, summary: summary))
    }
}
