import Foundation
import Scenarios
import TenantStore
import Testing

/// The attack kinds beyond spray and brute force, each against a weak and a hardened tenant
/// (fixture overrides), checking what the attack achieved (its report, through `expect:`)
/// and the records it left (through `logs` steps, and `run` steps for the configuration).
@Suite struct AttackTests {
    /// Runs one scenario text and returns its result; bad input fails the test.
    static func run(_ text: String, verbose: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ScenarioResult {
        let dir = temporaryDirectory()
        try text.write(toFile: dir + "/attack.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions()
        options.paths = [dir]
        options.verbose = verbose
        let suite = ScenarioSuite.run(options)
        #expect(suite.badInput.isEmpty, "\(suite.badInput.map(\.error.description))", sourceLocation: sourceLocation)
        return try #require(suite.results.first, sourceLocation: sourceLocation)
    }

    /// Runs a scenario that must pass, showing the failure when it doesn't.
    static func passes(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let result = try run(text, sourceLocation: sourceLocation)
        #expect(result.passed, "\(result.failure?.message ?? "")", sourceLocation: sourceLocation)
    }

    static func parseError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> FixtureError {
        try #require(throws: FixtureError.self, sourceLocation: sourceLocation) {
            try ScenarioParser().parse(text: text, file: "scenarios/test/attack.yaml")
        }
    }

    /// `parseError` of a scenario made of `steps` under the fixed four-line header, so
    /// error lines count from 5 as before.
    static func parseStepsError(_ steps: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> FixtureError {
        try parseError("scenario: A test\ndescription: For the parser.\ntenant: brittest\nsteps:\n" + steps, sourceLocation: sourceLocation)
    }

    // MARK: Registry

    @Test func everyKindIsRegisteredOnce() {
        let names = AttackRegistry.names
        for kind in ["password-spray", "brute-force", "credential-stuffing", "new-device-sync", "mail-forwarding-rule",
                     "mailbox-delegation", "mass-mail-read", "audit-tampering", "mfa-downgrade"] {
            #expect(names.filter { $0 == kind }.count == 1, "\(kind) in \(names)")
        }
    }

    // MARK: credential-stuffing

    @Test func credentialStuffingFindsTheLegacyGapOfEnabledMfa() throws {
        try Self.passes("""
            scenario: stuffing, weak
            description: Enabled MFA, never registered.
            tenant:
              fixture: brittest
              overrides:
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - {UserPrincipalName: adele@brittest.onmicrosoft.com, Password: Seashell-88, StrongAuthenticationState: Enabled}
            start: 2019-06-18T03:00:00Z
            steps:
              - attack: {kind: credential-stuffing, credentials: ["adele@brittest.onmicrosoft.com:Seashell-88", "william@brittest.onmicrosoft.com:Old-Pass-1"],
                         protocols: [AzureAD, IMAP4, POP3, ExchangeActiveSync], from: 203.0.113.145}
                expect: {attempts: 8, compromised: [adele@brittest.onmicrosoft.com], confirmed: [adele@brittest.onmicrosoft.com],
                         legacy-allowed: 3, modern-allowed: 0, mfa-bypassed: 1}
              - logs: {source: signin, where: {userPrincipalName: adele@*, status.errorCode: "50079", clientAppUsed: Mobile Apps and Desktop clients}}
                expect: {count: 1}
              - logs: {source: signin, where: {userPrincipalName: adele@*, status.errorCode: "0", clientAppUsed: [IMAP4, POP3, Exchange ActiveSync]}}
                expect: {count: 3}
              - logs: {source: unified, where: {Operation: UserLoginFailed, UserId: william@*, LogonError: InvalidUserNameOrPassword}}
                expect: {count: 4}
            """)
    }

    @Test func credentialStuffingMeetsEnforcedMfaExceptALeakedAppPassword() throws {
        try Self.passes("""
            scenario: stuffing, hardened
            description: Enforced MFA; one app password leaked.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                users:
                  - {UserPrincipalName: adele@brittest.onmicrosoft.com, Password: Seashell-88, StrongAuthenticationState: Enforced,
                     StrongAuthenticationMethods: [PhoneAppNotification]}
                  - {UserPrincipalName: grace@brittest.onmicrosoft.com, StrongAuthenticationState: Enforced,
                     StrongAuthenticationMethods: [PhoneAppNotification], AppPasswords: [vtkqmbzrwhxnlpsd]}
            start: 2019-06-18T03:00:00Z
            steps:
              - attack: {kind: credential-stuffing, credentials: ["adele@brittest.onmicrosoft.com:Seashell-88", "grace@brittest.onmicrosoft.com:app-password"],
                         protocols: [AzureAD, IMAP4], from: 203.0.113.145}
                expect: {attempts: 4, compromised: [grace@brittest.onmicrosoft.com], legacy-allowed: 1, mfa-bypassed: 0,
                         confirmed: [adele@brittest.onmicrosoft.com, grace@brittest.onmicrosoft.com]}
              - logs: {source: signin, where: {userPrincipalName: adele@*, status.errorCode: "50076"}}
                expect: {count: 2}
              - run: |
                  New-AuthenticationPolicy -Name "Block Basic Auth" | Out-Null
                  Set-OrganizationConfig -DefaultAuthenticationPolicy "Block Basic Auth"
              - attack: {kind: credential-stuffing, credentials: ["grace@brittest.onmicrosoft.com:app-password"], protocol: IMAP4, from: 203.0.113.146}
                expect: {attempts: 1, allowed: 0, compromised: none}
              - logs: {source: signin, where: {ipAddress: 203.0.113.146}}
                expect: {none: true}
            """)
    }

    @Test func aCredentialIsUserColonPassword() throws {
        let e = try Self.parseStepsError("""
              - attack: {kind: credential-stuffing, credentials: [adele@brittest.onmicrosoft.com]}
                expect: {attempts: 1}
            """)
        #expect(e.line == 5 && e.message.contains("user:password"), "\(e.description)")
    }

    // MARK: new-device-sync

    @Test func aNewDeviceIsAllowedByTheOrganizationDefault() throws {
        try Self.passes("""
            scenario: new device, weak
            description: DefaultAccessLevel Allow.
            tenant: brittest
            start: 2019-06-18T08:20:00Z
            steps:
              - attack: {kind: new-device-sync, user: adele@brittest.onmicrosoft.com, from: 203.0.113.201, read: 2}
                expect: {attempts: 1, allowed: 1, partnerships: 1, items: 2, compromised: [adele@brittest.onmicrosoft.com]}
              - run: Get-MobileDevice -Mailbox adele@brittest.onmicrosoft.com | Where-Object {$_.DeviceId -eq "androidc1548832960"} | Select DeviceAccessState, DeviceAccessStateReason
                expect: {output: [{DeviceAccessState: Allowed, DeviceAccessStateReason: Global}]}
              - logs: {source: signin, where: {userPrincipalName: adele@*, clientAppUsed: Exchange ActiveSync, ipAddress: 203.0.113.201, status.errorCode: "0"}}
                expect: {count: 1}
              - name: a second sync of the same phone is not a new partnership
                attack: {kind: new-device-sync, user: adele@brittest.onmicrosoft.com, from: 203.0.113.201}
                expect: {allowed: 1, partnerships: 0}
            """)
    }

    @Test func aNewDeviceIsQuarantinedOrBlockedByRules() throws {
        try Self.passes("""
            scenario: new device, hardened
            description: Quarantine by default, Android blocked by rule.
            tenant:
              fixture: brittest
              overrides:
                activeSyncOrganizationSettings: {DefaultAccessLevel: Quarantine}
                deviceAccessRules:
                  - {QueryString: Android, Characteristic: DeviceType, AccessLevel: Block}
            start: 2019-06-18T08:20:00Z
            steps:
              - attack: {kind: new-device-sync, users: [adele@brittest.onmicrosoft.com, tyler@brittest.onmicrosoft.com], from: 203.0.113.201, read: 5}
                expect: {attempts: 2, allowed: 0, denied: 2, partnerships: 2, items: 0, compromised: none}
              - run: Get-MobileDevice -Mailbox adele@brittest.onmicrosoft.com | Where-Object {$_.DeviceId -eq "androidc1548832960"} | Select DeviceAccessState, DeviceAccessStateReason
                expect: {output: [{DeviceAccessState: Blocked, DeviceAccessStateReason: DeviceRule}]}
              - attack: {kind: new-device-sync, user: adele@brittest.onmicrosoft.com, from: 203.0.113.201, syncs: 2, interval: 15m,
                         device: {id: WPX7, type: WindowsPhone}}
                expect: {attempts: 2, quarantined: 2, partnerships: 1}
              - run: Get-MobileDevice -Mailbox adele@brittest.onmicrosoft.com | Where-Object {$_.DeviceId -eq "WPX7"} | Select DeviceAccessState, DeviceAccessStateReason
                expect: {output: [{DeviceAccessState: Quarantined, DeviceAccessStateReason: Global}]}
            """)
    }

    @Test func aNewDeviceSyncsOverActiveSyncOnly() throws {
        let e = try Self.parseStepsError("""
              - attack: {kind: new-device-sync, user: adele@brittest.onmicrosoft.com, protocol: IMAP4}
                expect: {attempts: 1}
            """)
        #expect(e.line == 5 && e.message.contains("ExchangeActiveSync"), "\(e.description)")
    }

    // MARK: mail-forwarding-rule

    @Test func forwardingRulesViaOwaOutlookAndGraphAndMailboxForwarding() throws {
        try Self.passes("""
            scenario: forwarding, weak
            description: Every way to forward, all delivered.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
            start: 2019-06-18T04:40:00Z
            steps:
              - attack: {kind: mail-forwarding-rule, users: [adele@brittest.onmicrosoft.com, hannah@brittest.onmicrosoft.com, yuki@brittest.onmicrosoft.com],
                         via: [OutlookWebApp, MAPI, REST], forward-to: drop@mailbox-drop.example, from: 203.0.113.160}
                expect: {attempts: 3, rules: 3, effective: 3, dropped: 0, refused: 0}
              - logs: {source: unified, where: {Operation: New-InboxRule, Parameters.Name: AlwaysDeleteOutlookRulesBlob, UserId: adele@*}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: New-InboxRule, UserId: yuki@*, Parameters.Name: ForwardTo}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: New-InboxRule, UserId: yuki@*, Parameters.Name: AlwaysDeleteOutlookRulesBlob}}
                expect: {none: true}
              - logs: {source: mailbox, where: {Operation: UpdateInboxRules, MailboxOwnerUPN: hannah@*, OperationProperties: "*RuleOperation:AddMailboxRule*"}}
                expect: {count: 1}
              - attack: {kind: mail-forwarding-rule, user: adele@brittest.onmicrosoft.com, forwarding-smtp-address: drop@mailbox-drop.example,
                         from: 203.0.113.160}
                expect: {forwarding: 1, rules: 0, effective: 1}
              - attack: {kind: mail-forwarding-rule, users: [michael@brittest.onmicrosoft.com, william@brittest.onmicrosoft.com],
                         forwarding-smtp-address: drop@mailbox-drop.example, admin: joeadmin@brittest.onmicrosoft.com, from: 203.0.113.161}
                expect: {attempts: 1, compromised: [joeadmin@brittest.onmicrosoft.com], forwarding: 2, effective: 2}
              - logs: {source: unified, where: {Operation: Set-Mailbox, Parameters.Name: ForwardingSmtpAddress, ClientIP: "203.0.113.16*"}}
                expect: {count: 3}
              - logs: {source: unified, where: {Operation: Set-Mailbox, UserId: joeadmin@*, UserType: "2"}}
                expect: {count: 2}
            """)
    }

    @Test func forwardingMeetsTheOwaPolicyAndTheDefaultRemoteDomain() throws {
        try Self.passes("""
            scenario: forwarding, hardened
            description: RulesEnabled off for OWA; auto-forwarding off for every remote domain.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                remoteDomains:
                  - {Name: Default, AutoForwardEnabled: false}
                owaMailboxPolicies:
                  - {Name: No_Rules, RulesEnabled: false}
                users:
                  - {UserPrincipalName: adele@brittest.onmicrosoft.com, mailbox: {OwaMailboxPolicy: No_Rules}}
            start: 2019-06-18T04:40:00Z
            steps:
              - attack: {kind: mail-forwarding-rule, user: adele@brittest.onmicrosoft.com, forward-to: drop@mailbox-drop.example, from: 203.0.113.160}
                expect: {allowed: 1, rules: 0, refused: 1}
              - attack: {kind: mail-forwarding-rule, user: adele@brittest.onmicrosoft.com, via: MAPI, mode: redirect,
                         forward-to: drop@mailbox-drop.example, from: 203.0.113.160, forwarding-smtp-address: drop@mailbox-drop.example}
                expect: {rules: 1, forwarding: 1, effective: 0, dropped: 2}
              - name: an internal destination isn't external forwarding at all
                attack: {kind: mail-forwarding-rule, user: hannah@brittest.onmicrosoft.com, via: MAPI, forward-to: adele@brittest.onmicrosoft.com}
                expect: {rules: 1, effective: 0, dropped: 0}
              - run: Get-InboxRule -Mailbox adele@brittest.onmicrosoft.com | Select Name, RedirectTo
                expect: {output: [{Name: ".", RedirectTo: "*drop@mailbox-drop.example*"}]}
            """)
    }

    @Test func aForwardingRuleNeedsADestination() throws {
        let e = try Self.parseStepsError("""
              - attack: {kind: mail-forwarding-rule, user: adele@brittest.onmicrosoft.com}
                expect: {rules: 1}
            """)
        #expect(e.line == 5 && e.message.contains("forward-to"), "\(e.description)")
    }

    // MARK: mailbox-delegation

    @Test func aStolenAdminGrantsFullAccessAndSendAsAndReadsAsDelegate() throws {
        try Self.passes("""
            scenario: delegation, weak
            description: No MFA on the admin; E5 victim mailbox so the reads are audited.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - UserPrincipalName: lena@brittest.onmicrosoft.com
                    mailbox: {LicenseTier: E5}
                    messages:
                      - {Subject: Wire release, ReceivedTime: 2019-06-17T09:00:00Z}
                      - {Subject: Cash position, ReceivedTime: 2019-06-17T10:00:00Z}
            start: 2019-06-22T01:15:00Z
            steps:
              - attack: {kind: mailbox-delegation, admin: externalvendor@brittest.onmicrosoft.com, mailbox: lena@brittest.onmicrosoft.com,
                         rights: [FullAccess, SendAs], send-as-to: ap@fabrikam-supply.com, from: 203.0.113.177}
                expect: {attempts: 2, allowed: 2, granted: 2, items: 2, sent: 1, refused: 0}
              - logs: {source: unified, where: {Operation: Add-MailboxPermission, UserId: externalvendor@*, Parameters.Value: FullAccess, ClientIP: "203.0.113.177:*"}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: Add-RecipientPermission, Parameters.Name: Trustee, Parameters.Value: SendAs}}
                expect: {count: 1}
              - logs: {source: mailbox, where: {Operation: MailItemsAccessed, LogonType: Delegate, MailboxOwnerUPN: lena@*, AuditOperationsCountInAggregatedRecord: "2"}}
                expect: {count: 1}
              - logs: {source: mailbox, where: {Operation: SendAs, LogonType: Delegate, MailboxOwnerUPN: lena@*}}
                expect: {count: 1}
              - run: Get-MailboxPermission lena@brittest.onmicrosoft.com -User externalvendor@brittest.onmicrosoft.com | Select AccessRights
                expect: {count: 1}
            """)
    }

    @Test func delegationNeedsAnAdminWhoCanSignInAndHoldsTheRole() throws {
        try Self.passes("""
            scenario: delegation, hardened
            description: The admin is Enforced; the other stolen account is no admin.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - {UserPrincipalName: externalvendor@brittest.onmicrosoft.com, StrongAuthenticationState: Enforced,
                     StrongAuthenticationMethods: [PhoneAppNotification]}
            start: 2019-06-22T01:15:00Z
            steps:
              - attack: {kind: mailbox-delegation, admin: externalvendor@brittest.onmicrosoft.com, mailbox: william@brittest.onmicrosoft.com, from: 203.0.113.177}
                expect: {attempts: 1, denied: 1, granted: 0, items: 0, confirmed: [externalvendor@brittest.onmicrosoft.com]}
              - logs: {source: signin, where: {userPrincipalName: externalvendor@*, status.errorCode: "50076", clientAppUsed: Exchange Online PowerShell}}
                expect: {count: 1}
              - attack: {kind: mailbox-delegation, admin: adele@brittest.onmicrosoft.com, mailbox: william@brittest.onmicrosoft.com, from: 203.0.113.177}
                expect: {attempts: 1, allowed: 1, granted: 0, refused: 1}
              - logs: {source: unified, where: {Operation: [Add-MailboxPermission, Add-RecipientPermission]}}
                expect: {none: true}
              - run: Get-MailboxPermission william@brittest.onmicrosoft.com | Where-Object {$_.User -like "externalvendor*" -or $_.User -like "adele*"}
                expect: {count: 0}
            """)
    }

    @Test func delegationNeedsAnAdminAndMailboxes() throws {
        let e = try Self.parseStepsError("""
              - attack: {kind: mailbox-delegation, mailbox: william@brittest.onmicrosoft.com}
                expect: {granted: 1}
            """)
        #expect(e.line == 5 && e.message.contains("admin"), "\(e.description)")
    }

    // MARK: mass-mail-read

    @Test func readingAnE3MailboxLeavesNoMailItemsAccessed() throws {
        try Self.passes("""
            scenario: mass read, weak
            description: E3.
            tenant: {fixture: brittest, overrides: {adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}}}
            start: 2019-06-18T05:05:00Z
            steps:
              - attack: {kind: mass-mail-read, user: adele@brittest.onmicrosoft.com, from: 203.0.113.160}
                expect: {attempts: 1, items: 5, records: 0, logged-items: 0, throttled: 0}
              - logs: {source: mailbox, where: {Operation: MailItemsAccessed}}
                expect: {none: true}
              - logs: {source: signin, where: {userPrincipalName: adele@*, clientAppUsed: Exchange Web Services}}
                expect: {count: 1}
            """)
    }

    @Test func readingAnE5MailboxIsAggregatedDeduplicatedAndThrottled() throws {
        try Self.passes("""
            scenario: mass read, hardened
            description: E5 mailbox.
            tenant:
              fixture: brittest
              overrides:
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - UserPrincipalName: lena@brittest.onmicrosoft.com
                    mailbox: {LicenseTier: E5}
                    messages:
                      - {Subject: Wire release, ReceivedTime: 2019-06-17T09:00:00Z}
                      - {Subject: Cash position, ReceivedTime: 2019-06-17T10:00:00Z}
                      - {Subject: Payroll funding, ReceivedTime: 2019-06-17T11:00:00Z}
            start: 2019-06-18T05:05:00Z
            steps:
              - attack: {kind: mass-mail-read, user: lena@brittest.onmicrosoft.com, from: 203.0.113.160, interval: 10s}
                expect: {items: 3, records: 1, logged-items: 3, throttled: 0}
              - logs: {source: unified, where: {Operation: MailItemsAccessed, RecordType: "50", OperationCount: "3", OperationProperties.Value: Bind}}
                expect: {count: 1}
              - name: binds more than two minutes apart are separate records; repeats within the hour are dropped
                attack: {kind: mass-mail-read, user: lena@brittest.onmicrosoft.com, from: 203.0.113.162, interval: 3m, passes: 2, pass-interval: 10m}
                expect: {items: 6, records: 3, logged-items: 3}
              - name: sync is one record per folder
                attack: {kind: mass-mail-read, user: lena@brittest.onmicrosoft.com, from: 203.0.113.163, mail-access-type: sync}
                expect: {items: 3, records: 1, logged-items: 1}
              - wait: 1h
              - attack: {kind: mass-mail-read, user: lena@brittest.onmicrosoft.com, from: 198.51.100.0/26, passes: 17, pass-interval: 1h}
                expect: {attempts: 62, throttled: 1}
              - logs: {source: mailbox, where: {Operation: MailItemsAccessed, OperationProperties: "*IsThrottled:True"}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: MailItemsAccessed, OperationProperties.Name: IsThrottled, OperationProperties.Value: "True"}}
                expect: {count: 1}
            """)
    }

    @Test func aProxyPoolIsOneSessionPerAddress() throws {
        let result = try Self.run("""
            scenario: pool
            description: A /29 has six hosts.
            tenant: brittest
            steps:
              - attack: {kind: mass-mail-read, user: adele@brittest.onmicrosoft.com, from: 203.0.113.8/29}
                expect: {attempts: 6, items: 30}
            """)
        #expect(result.passed, "\(result.failure?.message ?? "")")
    }

    // MARK: audit-tampering

    @Test func aStolenAdminTurnsTheLogsOff() throws {
        try Self.passes("""
            scenario: tampering, weak
            description: No MFA on the Exchange admin.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
            start: 2019-06-20T09:00:00Z
            steps:
              - act: {user: olivia@brittest.onmicrosoft.com, via: OutlookWebApp, mfa: done, action: soft-delete,
                      mailbox: info@brittest.onmicrosoft.com, params: {Subject: Partnership inquiry}}
                expect: Allowed
              - attack: {kind: audit-tampering, admin: joeadmin@brittest.onmicrosoft.com, mailboxes: [info@brittest.onmicrosoft.com], from: 203.0.113.188}
                expect: {attempts: 1, changes: 3, failed: 0, ual-off: 1, bypassed: 1, purged: 1}
              - logs: {source: unified, where: {Operation: Set-AdminAuditLogConfig, ObjectId: Admin Audit Log Settings, Parameters.Value: "False", ClientIP: "203.0.113.188:*"}}
                expect: {count: 1}
              - logs: {source: unified, where: {Operation: [Set-MailboxAuditBypassAssociation, Set-Mailbox]}}
                expect: {none: true}
              - logs: {source: mailbox}
                expect: {none: true}
              - run: Get-AdminAuditLogConfig | Select UnifiedAuditLogIngestionEnabled
                expect: {output: [{UnifiedAuditLogIngestionEnabled: "False"}]}
              - name: in the other order every command reaches the unified audit log first
                run: Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true
              - attack: {kind: audit-tampering, admin: britton@brittest.onmicrosoft.com, actions: [bypass, age-limit, ingestion],
                         bypass: [adele@brittest.onmicrosoft.com], mailboxes: [adele@brittest.onmicrosoft.com], from: 203.0.113.189}
                expect: {changes: 3, bypassed: 1, ual-off: 1}
              - logs: {source: unified, where: {ClientIP: "203.0.113.189:*", Operation: [Set-MailboxAuditBypassAssociation, Set-Mailbox, Set-AdminAuditLogConfig]}}
                expect: {count: 3}
            """)
    }

    @Test func tamperingIsStoppedByMfaAndAClientAccessRule() throws {
        try Self.passes("""
            scenario: tampering, hardened
            description: Enforced MFA; admin protocols only from the office.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - {UserPrincipalName: joeadmin@brittest.onmicrosoft.com, StrongAuthenticationState: Enforced, StrongAuthenticationMethods: [PhoneAppNotification]}
                clientAccessRules:
                  - {Name: Restrict_Admin, Action: DenyAccess, AnyOfProtocols: [RemotePowerShell], ExceptAnyOfClientIPAddressesOrRanges: [192.0.2.0/24]}
            start: 2019-06-20T09:00:00Z
            steps:
              - attack: {kind: audit-tampering, admin: joeadmin@brittest.onmicrosoft.com, from: 203.0.113.188}
                expect: {attempts: 1, denied: 1, changes: 0, ual-off: 0}
              - attack: {kind: audit-tampering, admin: joeadmin@brittest.onmicrosoft.com, from: 203.0.113.188, auth: OAuthAuthentication, mfa: done}
                expect: {attempts: 1, denied: 1, changes: 0}
              - signin: {user: joeadmin@brittest.onmicrosoft.com, protocol: RemotePowerShell, auth: OAuthAuthentication, mfa: done, from: 203.0.113.188}
                expect: {decision: Denied, reason: ClientAccessRule, by: Restrict_Admin}
              - run: Get-AdminAuditLogConfig | Select UnifiedAuditLogIngestionEnabled
                expect: {output: [{UnifiedAuditLogIngestionEnabled: "True"}]}
              - name: a user without an Exchange role signs in but may not run the commands
                attack: {kind: audit-tampering, admin: adele@brittest.onmicrosoft.com, actions: [ingestion], from: 192.0.2.5}
                expect: {allowed: 1, changes: 0, failed: 1}
              - logs: {source: unified, where: {Operation: Set-AdminAuditLogConfig}}
                expect: {none: true}
            """)
    }

    @Test func tamperingActionsAreChecked() throws {
        let e = try Self.parseStepsError("""
              - attack: {kind: audit-tampering, admin: joeadmin@brittest.onmicrosoft.com, actions: [ingestion, shred]}
                expect: {changes: 1}
            """)
        #expect(e.line == 5 && e.message.contains("age-limit"), "\(e.description)")
    }

    // MARK: mfa-downgrade

    @Test func aStolenGlobalAdminDisablesAUsersMfa() throws {
        try Self.passes("""
            scenario: mfa downgrade, weak
            description: The Global Administrator has no MFA.
            tenant:
              fixture: brittest
              overrides:
                organizationConfig: {IsDehydrated: false}
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - {UserPrincipalName: grace@brittest.onmicrosoft.com, StrongAuthenticationState: Enforced,
                     StrongAuthenticationMethods: [PhoneAppNotification], AppPasswords: [vtkqmbzrwhxnlpsd]}
                  - {UserPrincipalName: adele@brittest.onmicrosoft.com, StrongAuthenticationState: Enabled}
            start: 2019-07-08T22:10:00Z
            steps:
              - attack: {kind: mfa-downgrade, admin: britton@brittest.onmicrosoft.com, users: [grace@brittest.onmicrosoft.com, adele@brittest.onmicrosoft.com, hannah@brittest.onmicrosoft.com],
                         from: 203.0.113.190, then-signin: AzureAD}
                expect: {attempts: 3, allowed: 3, downgraded: 2, failed: 0,
                         compromised: [britton@brittest.onmicrosoft.com, grace@brittest.onmicrosoft.com, adele@brittest.onmicrosoft.com]}
              - logs: {source: unified, where: {Operation: "Disable Strong Authentication.", UserId: britton@*, ObjectId: [grace@*, adele@*]}}
                expect: {count: 2}
              - logs: {source: unified, where: {Operation: "Delete application password for user.", ObjectId: grace@*}}
                expect: {count: 1}
              - logs: {source: signin, where: {userPrincipalName: britton@*, appDisplayName: Azure Active Directory PowerShell, ipAddress: 203.0.113.190}}
                expect: {count: 1}
            """)
    }

    @Test func mfaDowngradeNeedsAnUnprotectedAdminWithTheRole() throws {
        try Self.passes("""
            scenario: mfa downgrade, hardened
            description: The Global Administrator is Enforced; the Exchange admin has no say over MFA.
            tenant:
              fixture: brittest
              overrides:
                adminAuditLogConfig: {UnifiedAuditLogIngestionEnabled: true}
                users:
                  - {UserPrincipalName: britton@brittest.onmicrosoft.com, StrongAuthenticationState: Enforced, StrongAuthenticationMethods: [PhoneAppNotification]}
                  - {UserPrincipalName: grace@brittest.onmicrosoft.com, StrongAuthenticationState: Enforced, StrongAuthenticationMethods: [PhoneAppNotification]}
            start: 2019-07-08T22:10:00Z
            steps:
              - attack: {kind: mfa-downgrade, admin: britton@brittest.onmicrosoft.com, user: grace@brittest.onmicrosoft.com, from: 203.0.113.190}
                expect: {attempts: 1, denied: 1, downgraded: 0}
              - attack: {kind: mfa-downgrade, admin: joeadmin@brittest.onmicrosoft.com, user: grace@brittest.onmicrosoft.com, from: 203.0.113.190}
                expect: {attempts: 1, allowed: 1, downgraded: 0, failed: 1}
              - run: Get-MsolUser -UserPrincipalName grace@brittest.onmicrosoft.com | Select @{N="MFA";E={$_.StrongAuthenticationRequirements.State}}
                expect: {output: [{MFA: Enforced}]}
              - logs: {source: unified, where: {Operation: ["Disable Strong Authentication.", "Update user."]}}
                expect: {none: true}
            """)
    }

    // MARK: Reports

    @Test func aMissedMeasureIsReportedWithWhatWasSeen() throws {
        let result = try Self.run("""
            scenario: wrong expectation
            description: The failure names the measure and its value.
            tenant: brittest
            steps:
              - attack: {kind: mail-forwarding-rule, user: adele@brittest.onmicrosoft.com, forward-to: drop@mailbox-drop.example}
                expect: {rules: 2}
            """)
        let failure = try #require(result.failure)
        #expect(failure.location.line == 5)
        #expect(failure.expected.contains("rules 2 (was 1)"), "\(failure.expected)")
        #expect(failure.seen.contains("effective: 1"), "\(failure.seen)")
    }
}
