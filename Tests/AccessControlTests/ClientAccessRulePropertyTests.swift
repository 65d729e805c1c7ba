import AccessControl
import Foundation
import PropertyBased
import Testing
import TenantModel

/// The compiled client access rules agree with a direct, naive reading of the rules
/// (EXCHANGE-FACTS 1.3 and 1.5 taken literally: IPRange.contains, an anchored
/// case-insensitive regular expression per pattern, the documented protocol × auth table)
/// on random rule sets and connections — both through Test-ClientAccessRule's view and
/// through the whole access pipeline.
@Suite struct ClientAccessRulePropertyTests {
    // MARK: The naive reading

    enum Naive {
        /// EXCHANGE-FACTS 1.5, as printed.
        static let supported: [ClientAccessProtocol: Set<ClientAccessAuthenticationMethod>] = [
            .ExchangeActiveSync: [.BasicAuthentication, .CertificateBasedAuthentication, .OAuthAuthentication],
            .ExchangeAdminCenter: [.AdfsAuthentication, .BasicAuthentication],
            .IMAP4: [.BasicAuthentication, .OAuthAuthentication],
            .OutlookWebApp: [.AdfsAuthentication, .BasicAuthentication],
            .POP3: [.BasicAuthentication, .OAuthAuthentication],
            .RemotePowerShell: [.BasicAuthentication, .NonBasicAuthentication],
        ]

        /// Exchange's reading of a pattern: regex-escaped, `*` → `.*`, anchored, ignoring case.
        static func pattern(_ pattern: String, matches name: String) -> Bool {
            let escaped = NSRegularExpression.escapedPattern(for: pattern).replacingOccurrences(of: "\\*", with: ".*")
            let regex = try! NSRegularExpression(pattern: "^" + escaped + "$", options: [.caseInsensitive])
            return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }

        static func matches(_ rule: ClientAccessRule, _ c: Connection, _ person: Person) -> Bool {
            let address = IPAddress.parse(c.ip)
            let name = person.domain + "\\" + person.local
            func auth(_ list: [ClientAccessAuthenticationMethod]) -> Bool {
                list.contains(c.authentication) && (supported[c.clientProtocol]?.contains(c.authentication) ?? false)
            }
            func ip(_ list: [IPRange]) -> Bool { address.map { a in list.contains { $0.contains(a) } } ?? false }
            func names(_ list: [String]) -> Bool { c.clientProtocol != .UniversalOutlook && list.contains { pattern($0, matches: name) } }
            if rule.scope == .Users && c.isMiddleTierApp { return false }
            if !rule.anyOfProtocols.isEmpty && !rule.anyOfProtocols.contains(c.clientProtocol) { return false }
            if !rule.anyOfAuthenticationTypes.isEmpty && !auth(rule.anyOfAuthenticationTypes) { return false }
            if !rule.anyOfClientIPAddressesOrRanges.isEmpty && !ip(rule.anyOfClientIPAddressesOrRanges) { return false }
            if !rule.usernameMatchesAnyOfPatterns.isEmpty && !names(rule.usernameMatchesAnyOfPatterns) { return false }
            if let text = rule.userRecipientFilter {
                let filter = try! OPathFilter.parse(text, properties: UserRecipientFilter.properties)
                let attributes = person.attributes
                if !filter.matches({ (attributes[$0].map(PropertyValue.string) ?? .null, .string) }) { return false }
            }
            if rule.exceptAnyOfProtocols.contains(c.clientProtocol) { return false }
            if auth(rule.exceptAnyOfAuthenticationTypes) { return false }
            if ip(rule.exceptAnyOfClientIPAddressesOrRanges) { return false }
            if names(rule.exceptUsernameMatchesAnyOfPatterns) { return false }
            return true
        }
    }

    // MARK: Random worlds

    struct Person: Sendable {
        var local: String
        var domain: String
        var attributes: [String: String]
        var upn: String { local + "@" + domain }
    }

    static let people: [Person] = [
        Person(local: "jeff", domain: "contoso.com", attributes: ["Department": "Sales", "City": "Chicago", "Company": "Contoso"]),
        Person(local: "jeff.smith", domain: "contoso.com", attributes: ["Department": "Marketing", "City": "Chicago"]),
        Person(local: "ann", domain: "fabrikam.com", attributes: ["Department": "Sales", "City": "Boston", "Company": "Fabrikam"]),
        Person(local: "Jeff", domain: "Fabrikam.com", attributes: [:]),
        Person(local: "joe.admin", domain: "contoso.com", attributes: ["CustomAttribute1": "Admins", "Office": "HQ"]),
    ]

    static let patterns = ["*", "*jeff*", "jeff*", "contoso.com\\jeff", "*\\j*", "fabrikam.com\\*", "*e*f*", "CONTOSO.COM\\JEFF",
                           "*ann", "contoso.com\\joe.admin", "*.*", "domain\\jeff"]
    static let filters = ["Department -eq 'Sales'", "City -like 'Chi*'", "Company -ne 'Contoso'",
                          "CustomAttribute1 -eq 'admins' -or Office -like 'h*'", "Department -eq 'Sales' -and -not (City -eq 'Boston')"]

    struct Connection: Sendable, CustomStringConvertible {
        var person: Int
        var clientProtocol: ClientAccessProtocol
        var authentication: ClientAccessAuthenticationMethod
        var ip: String
        var isMiddleTierApp: Bool
        var description: String {
            "\(people[person].upn) \(clientProtocol) \(authentication) from \(ip)\(isMiddleTierApp ? " (middle tier)" : "")"
        }
    }

    struct World: Sendable, CustomStringConvertible {
        var rules: [ClientAccessRule]
        var connections: [Connection]
        var description: String {
            rules.map { r in
                "\(r.name) \(r.action)\(r.enabled ? "" : " (disabled)") scope \(r.scope) P\(r.anyOfProtocols.map(\.rawValue)) xP\(r.exceptAnyOfProtocols.map(\.rawValue)) A\(r.anyOfAuthenticationTypes.map(\.rawValue)) xA\(r.exceptAnyOfAuthenticationTypes.map(\.rawValue)) IP\(r.anyOfClientIPAddressesOrRanges.map(\.description)) xIP\(r.exceptAnyOfClientIPAddressesOrRanges.map(\.description)) U\(r.usernameMatchesAnyOfPatterns) xU\(r.exceptUsernameMatchesAnyOfPatterns) F[\(r.userRecipientFilter ?? "")]"
            }.joined(separator: "\n") + "\n--\n" + connections.map(\.description).joined(separator: "\n")
        }
    }

    struct Dice {
        var rng: any SeededRandomNumberGenerator
        mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func some<T>(_ items: [T], upTo n: Int) -> [T] { (0..<below(n + 1)).map { _ in pick(items) } }

        /// Mostly 10.0.0.0/22 so ranges and connections meet; sometimes IPv6, sometimes junk.
        mutating func address() -> String {
            switch below(20) {
            case 0, 1: return "2001:db8::\(String(below(512), radix: 16))"
            case 2: return "not-an-address"
            default: return "10.0.\(below(4)).\(below(256))"
            }
        }

        mutating func range() -> IPRange {
            let text: String
            switch below(10) {
            case 0: text = "2001:db8::/\(pick([64, 119, 120, 124, 128]))"
            case 1: text = "2001:db8::\(String(below(256), radix: 16))-2001:db8::\(String(256 + below(256), radix: 16))"
            case 2: text = "0.0.0.0/0"
            case 3, 4, 5: text = "10.0.\(below(4)).\(below(256))/\(20 + below(13))"
            case 6, 7:
                let a = below(1024), b = a + below(300)
                text = "10.0.\(a / 256).\(a % 256)-10.0.\(min(b, 1023) / 256).\(min(b, 1023) % 256)"
            default: text = "10.0.\(below(4)).\(below(256))"
            }
            return try! IPRange.parse(text)
        }

        mutating func rule(_ n: Int) -> ClientAccessRule {
            var r = ClientAccessRule(name: "R\(n)", action: chance(60) ? .DenyAccess : .AllowAccess,
                                     guid: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))!, priority: n,
                                     whenCreated: Date(timeIntervalSince1970: 0))
            r.enabled = chance(85)
            r.scope = chance(30) ? .Users : .All
            let protocols = ClientAccessProtocol.allCases
            let auths = ClientAccessAuthenticationMethod.allCases
            if chance(50) { r.anyOfProtocols = some(protocols, upTo: 4) }
            if chance(25) { r.exceptAnyOfProtocols = some(protocols, upTo: 2) }
            if chance(35) { r.anyOfAuthenticationTypes = some(auths, upTo: 2) }
            if chance(15) { r.exceptAnyOfAuthenticationTypes = some(auths, upTo: 2) }
            if chance(50) { r.anyOfClientIPAddressesOrRanges = (0..<(1 + below(3))).map { _ in range() } }
            if chance(40) { r.exceptAnyOfClientIPAddressesOrRanges = (0..<(1 + below(3))).map { _ in range() } }
            if chance(35) { r.usernameMatchesAnyOfPatterns = (0..<(1 + below(2))).map { _ in pick(patterns) } }
            if chance(20) { r.exceptUsernameMatchesAnyOfPatterns = (0..<(1 + below(2))).map { _ in pick(patterns) } }
            if chance(15) { r.userRecipientFilter = pick(filters) }
            return r
        }

        mutating func world() -> World {
            let rules = (0..<below(9)).map { rule($0 + 1) }
            let connections = (0..<12).map { _ in
                Connection(person: below(people.count), clientProtocol: pick(ClientAccessProtocol.allCases),
                           authentication: pick(ClientAccessAuthenticationMethod.allCases), ip: address(), isMiddleTierApp: chance(20))
            }
            return World(rules: rules, connections: connections)
        }
    }

    static let worlds = Generator<World, Shrink.None<World>> { rng in
        var dice = Dice(rng: rng)
        let world = dice.world()
        rng = dice.rng
        return world
    }

    /// The people as a tenant: users with their attributes, each with a mailbox.
    static func tenant(_ rules: [ClientAccessRule]) -> Tenant {
        let info = TenantInfo(displayName: "Contoso", tenantId: UUID(), initialDomain: "contoso.onmicrosoft.com",
                              domains: ["contoso.com", "fabrikam.com"], licenseTier: .E3, createdDateTime: Date(timeIntervalSince1970: 0))
        var tenant = Tenant(info: info, now: Date(timeIntervalSince1970: 1_560_780_000), seed: 3)
        for p in people {
            var user = User(userPrincipalName: p.upn, displayName: p.local, objectId: tenant.ids.newGuid(), password: "pw", whenCreated: info.createdDateTime)
            user.department = p.attributes["Department"]
            user.city = p.attributes["City"]
            user.company = p.attributes["Company"]
            user.office = p.attributes["Office"]
            try! tenant.addUser(user)
            var mailbox = Mailbox(name: p.local, displayName: p.local, primarySmtpAddress: SmtpAddress(p.upn)!, guid: tenant.ids.newGuid(),
                                  userObjectId: user.objectId, licenseTier: .E3, whenCreated: info.createdDateTime)
            mailbox.customAttributes[0] = p.attributes["CustomAttribute1"]
            try! tenant.addMailbox(mailbox)
        }
        tenant.setClientAccessRules(rules)
        return tenant
    }

    // MARK: Properties

    @Test func testClientAccessRuleListsExactlyTheRulesTheNaiveReadingMatches() async {
        await propertyCheck(count: 300, input: Self.worlds) { world in
            let tenant = Self.tenant(world.rules)
            let view = CompiledPolicy(tenant, includeDisabledRules: true)
            for c in world.connections {
                let person = Self.people[c.person]
                guard let address = IPAddress.parse(c.ip) else { continue }
                let user = tenant.user(upn: person.upn)
                let mailbox = user.flatMap { tenant.mailbox(forUser: $0) }
                let attempt = ClientAccessRuleAttempt(protocol: c.clientProtocol, authenticationType: c.authentication, remoteAddress: address,
                                                      remotePort: 443, userPrincipalName: person.upn, user: user, mailbox: mailbox,
                                                      isMiddleTierApp: c.isMiddleTierApp)
                let expected = tenant.clientAccessRules.filter { Naive.matches($0, c, person) }.map(\.name)
                #expect(view.matchingRules(attempt).map(\.name) == expected, "\(c)\n\(world)")
                let single = tenant.clientAccessRules.filter { ClientAccessRuleMatcher($0).matches(attempt) }.map(\.name)
                #expect(single == expected, "\(c)")
            }
        }
    }

    @Test func thePipelineDecidesAsTheFirstEnabledNaiveMatch() async {
        await propertyCheck(count: 300, input: Self.worlds) { world in
            let tenant = Self.tenant(world.rules)
            let policy = CompiledPolicy(tenant)
            for c in world.connections {
                let person = Self.people[c.person]
                let deciding = tenant.clientAccessRules.first { $0.enabled && Naive.matches($0, c, person) }
                let attempt = AccessAttempt(user: person.upn, accessProtocol: AccessProtocol(rawValue: c.clientProtocol.rawValue)!, clientIP: c.ip,
                                            authentication: c.authentication, password: "pw", mfaCompleted: true,
                                            userAgent: "Apple-iPhone11C8/1605.26", isMiddleTierApp: c.isMiddleTierApp,
                                            device: DeviceInfo(id: "ApplF4KWL2P7N3H", type: "iPhone", model: "iPhone11C8", os: "iOS 12.3.1"))
                let decision = AccessEvaluator.evaluate(attempt, in: tenant, policy: policy, explain: false).decision
                if let deciding, deciding.action == .DenyAccess {
                    #expect(decision.reason == "ClientAccessRule" && decision.by == deciding.name, "\(c) → \(decision)\n\(world)")
                } else {
                    #expect(decision.reason != "ClientAccessRule", "\(c) → \(decision)\n\(world)")
                }
                #expect(decision.trace.isEmpty)
            }
        }
    }

    @Test func theExplanationDoesNotChangeTheDecision() async {
        await propertyCheck(count: 100, input: Self.worlds) { world in
            let tenant = Self.tenant(world.rules)
            let policy = CompiledPolicy(tenant)
            for c in world.connections {
                let attempt = AccessAttempt(user: Self.people[c.person].upn, accessProtocol: AccessProtocol(rawValue: c.clientProtocol.rawValue)!,
                                            clientIP: c.ip, authentication: c.authentication, password: "pw", isMiddleTierApp: c.isMiddleTierApp)
                var quiet = AccessEvaluator.evaluate(attempt, in: tenant, policy: policy, explain: false)
                let explained = AccessEvaluator.evaluate(attempt, in: tenant, policy: policy, explain: true)
                #expect(!explained.decision.trace.isEmpty)
                quiet.decision.trace = explained.decision.trace
                #expect(quiet == explained)
            }
        }
    }
}
