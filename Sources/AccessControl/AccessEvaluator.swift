import AuditLog
import Foundation
import TenantModel

/// The stable reason codes of a decision outside ActiveSync's device flow (which reports
/// Exchange's DeviceAccessStateReason instead). [SPEC §5]
public enum AccessReason: String, Sendable, CaseIterable {
    case Ok, UserNotFound, AccountDisabled, AccountLocked, InvalidCredentials, MfaRequired, MfaRegistrationRequired
    case AppPasswordRequired, BasicAuthBlocked, ClientAccessRule, ProtocolDisabled, PolicyDenied
}

/// Who gets in, why, and what is logged: the access pipeline of SPEC §5, a pure function of
/// a tenant snapshot and an attempt.
///
/// Order, each stage reported in the trace:
/// 1. **authentication policy** — Exchange's pre-authentication: Basic authentication on a
///    protocol whose `AllowBasicAuth*` switch is off is refused before the credentials reach
///    Entra ID, so nothing is logged and smart lockout counts nothing. Users Exchange doesn't
///    know go on to Entra ID. [OXD disable-basic-authentication-in-exchange-online.md]
/// 2. **directory** — Entra ID: unknown user (50034), blocked account (50057), smart lockout (50053).
/// 3. **credential** — the password or, for Basic authentication while per-user MFA is
///    Enforced, an app password (50126 otherwise).
/// 4. **mfa** — per-user MFA by EXCHANGE-FACTS 6.2 (50076, 50079).
///    Everything up to here is Entra's: the attempt produces one sign-in event.
/// 5. **client access rules** — the first matching rule decides. [EXCHANGE-FACTS 1.3]
/// 6. **protocol switch** — the mailbox's CAS switches (and the organization's EWS and SMTP
///    settings). [EXCHANGE-FACTS 3.1]
/// 7. **device access** — ActiveSync only: the device flow (``ActiveSyncDeviceFlow``).
///
/// A denial at 5–7 follows a *successful* Entra sign-in: the token was issued (or the proxied
/// password accepted) and Exchange then refuses the connection, so the sign-in log shows a
/// success and the refusal is Exchange's alone (IMAP's "User is authenticated but not connected.").
public enum AccessEvaluator {
    /// Decides `attempt`. `policy` must be compiled from this tenant's configuration;
    /// `explain: false` skips building the trace sentences (the fast path for bulk runs).
    public static func evaluate(_ attempt: AccessAttempt, in tenant: Tenant, policy: CompiledPolicy, explain: Bool = true) -> AccessEvaluation {
        let now = attempt.time ?? tenant.now
        var trace = StageTrace(enabled: explain)
        let client = SignInClient(attempt)
        let isExchange = attempt.accessProtocol != .AzureAD

        guard let userIndex = tenant.userIndex(upn: attempt.user) else {
            if isExchange && attempt.isLegacyAuthentication {
                trace.add(.authenticationPolicy, .skipped,
                          "Exchange knows no user \(attempt.user), so no authentication policy applies; the credentials go on to Entra ID.")
            }
            trace.add(.directory, .decided, "Entra ID has no user \(attempt.user): AADSTS50034 UserAccountNotFound.")
            return entraFailure(.userNotFound, attempt, client: client, userObjectId: nil, now: now, trace: trace)
        }
        return evaluate(attempt, user: tenant.users[userIndex], tenant: tenant, policy: policy, client: client, now: now, trace: trace)
    }

    // MARK: Stages

    private static func evaluate(_ attempt: AccessAttempt, user: User, tenant: Tenant, policy: CompiledPolicy,
                                 client: SignInClient, now: Date, trace initial: StageTrace) -> AccessEvaluation {
        var trace = initial
        let protocolName = attempt.accessProtocol.rawValue

        // 1. Authentication policy: Exchange's pre-authentication.
        if attempt.accessProtocol == .AzureAD {
            trace.add(.authenticationPolicy, .skipped, "An Entra ID sign-in: Exchange authentication policies don't apply.")
        } else if !attempt.isLegacyAuthentication {
            trace.add(.authenticationPolicy, .skipped,
                      "\(attempt.authentication.rawValue): authentication policies govern Basic authentication only.")
        } else if let name = user.authenticationPolicy ?? policy.defaultAuthenticationPolicyName {
            let assigned = user.authenticationPolicy != nil ? "assigned to the user" : "the organization's DefaultAuthenticationPolicy"
            if let p = policy.authenticationPolicy(named: name) {
                if let key = attempt.accessProtocol.basicAuthSwitch {
                    if !key.isAllowed(in: p) {
                        trace.add(.authenticationPolicy, .decided,
                                  "Authentication policy \"\(p.name)\" (\(assigned)) has \(key.rawValue) $false: Exchange refuses Basic authentication for \(protocolName) before the credentials reach Entra ID, so nothing is logged and smart lockout counts nothing.")
                        return AccessEvaluation(decision: AccessDecision(outcome: .Denied, reason: AccessReason.BasicAuthBlocked.rawValue,
                                                                         by: p.name, code: nil, trace: trace.reports))
                    }
                    trace.add(.authenticationPolicy, .passed, "Authentication policy \"\(p.name)\" (\(assigned)) has \(key.rawValue) $true.")
                } else {
                    trace.add(.authenticationPolicy, .passed,
                              "Authentication policy \"\(p.name)\" (\(assigned)) has no Basic authentication switch for \(protocolName).")
                }
            } else {
                trace.add(.authenticationPolicy, .skipped, "The user's authentication policy \"\(name)\" doesn't exist; nothing blocks Basic authentication.")
            }
        } else {
            trace.add(.authenticationPolicy, .skipped, "No authentication policy applies to the user (none assigned, no organization default).")
        }

        // 2. Directory: the account.
        if user.blockCredential {
            trace.add(.directory, .decided, "\(user.userPrincipalName) is blocked from signing in (BlockCredential $true): AADSTS50057 UserDisabled.")
            return entraFailure(.accountDisabled, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace)
        }
        if SmartLockout.isLocked(user, at: now) {
            trace.add(.directory, .decided,
                      "Smart lockout holds \(user.userPrincipalName) until \(user.lockedUntil.map(isoTime) ?? "-") (\(user.failedSignInCount) failed sign-ins): AADSTS50053 IdsLocked, whatever the password.")
            return entraFailure(.accountLocked, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace)
        }
        trace.add(.directory, .passed,
                  "\(user.userPrincipalName) exists, may sign in and isn't locked out (\(user.failedSignInCount) failed sign-ins counted).")

        // 3. Credential.
        var changes: [TenantChange] = []
        var usedAppPassword = false
        if let password = attempt.password {
            if password == user.password {
                trace.add(.credential, .passed, "The password is right.")
            } else if user.appPasswords.contains(password) {
                // App passwords: Basic authentication only, and only while MFA is Enforced. [EXCHANGE-FACTS 6.2]
                if attempt.isLegacyAuthentication && user.strongAuthenticationState == .Enforced {
                    usedAppPassword = true
                    trace.add(.credential, .passed, "An app password of the user: accepted for Basic authentication while per-user MFA is Enforced.")
                } else {
                    let why = attempt.isLegacyAuthentication
                        ? "app passwords work only while per-user MFA is Enforced (it is \(user.strongAuthenticationState.rawValue))"
                        : "a modern (\(attempt.authentication.rawValue)) sign-in doesn't take app passwords"
                    return wrongPassword(password, attempt, user: user, client: client, now: now, trace: trace,
                                         detail: "An app password was presented, but \(why): AADSTS50126 InvalidUserNameOrPassword.")
                }
            } else {
                return wrongPassword(password, attempt, user: user, client: client, now: now, trace: trace,
                                     detail: "The password is wrong: AADSTS50126 InvalidUserNameOrPassword.")
            }
        } else if attempt.isLegacyAuthentication {
            trace.add(.credential, .decided, "Basic authentication without a password: AADSTS50126 InvalidUserNameOrPassword.")
            return entraFailure(.invalidCredentials, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace)
        } else {
            trace.add(.credential, .passed, "No password presented: an interactive or token sign-in, verified at Microsoft's sign-in page.")
        }
        if let reset = SmartLockout.success(user) { changes.append(reset) }

        // 4. MFA: per-user state × legacy or modern client. [EXCHANGE-FACTS 6.2]
        let mfaState = user.strongAuthenticationState
        var multiFactor = false
        switch mfaState {
        case .Disabled:
            trace.add(.mfa, .passed, "Per-user MFA is Disabled.")
        case .Enabled:
            if attempt.isLegacyAuthentication {
                trace.add(.mfa, .passed, "Per-user MFA is Enabled: a legacy (Basic) client still signs in with the password.")
            } else if user.strongAuthenticationMethods.isEmpty {
                trace.add(.mfa, .decided, "Per-user MFA is Enabled and the user has registered no MFA method: AADSTS50079 UserStrongAuthEnrollmentRequired.")
                return entraFailure(.mfaRegistrationRequired, attempt, client: client, userObjectId: user.objectId, now: now,
                                    trace: trace, changes: changes)
            } else if !attempt.mfaCompleted {
                trace.add(.mfa, .decided, "Per-user MFA is Enabled and the sign-in didn't complete MFA: AADSTS50076 UserStrongAuthClientAuthNRequired.")
                return entraFailure(.mfaRequired, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace, changes: changes)
            } else {
                multiFactor = true
                trace.add(.mfa, .passed, "Per-user MFA is Enabled and the sign-in completed MFA.")
            }
        case .Enforced:
            if attempt.isLegacyAuthentication {
                if !usedAppPassword {
                    trace.add(.mfa, .decided,
                              "Per-user MFA is Enforced: a legacy (Basic) client needs an app password, the account password alone fails: AADSTS50076 UserStrongAuthClientAuthNRequired.")
                    return entraFailure(.mfaRequired, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace,
                                        changes: changes, reason: .AppPasswordRequired)
                }
                trace.add(.mfa, .passed, "Per-user MFA is Enforced and the legacy client used an app password.")
            } else if !attempt.mfaCompleted {
                trace.add(.mfa, .decided, "Per-user MFA is Enforced and the sign-in didn't complete MFA: AADSTS50076 UserStrongAuthClientAuthNRequired.")
                return entraFailure(.mfaRequired, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace, changes: changes)
            } else {
                multiFactor = true
                trace.add(.mfa, .passed, "Per-user MFA is Enforced and the sign-in completed MFA.")
            }
        }

        // The Entra ID sign-in succeeded; whatever Exchange decides next, this is what it logged.
        var events = [AuditEvent.signIn(SignInEvent(attempt, client: client, userObjectId: user.objectId, error: nil,
                                                    multiFactor: multiFactor, at: now))]

        // 5. Client access rules. [EXCHANGE-FACTS 1.3]
        if let clientProtocol = attempt.accessProtocol.clientAccessProtocol {
            if policy.clientAccessRules.isEmpty {
                trace.add(.clientAccessRules, .skipped, "The organization has no enabled client access rules.")
            } else {
                let key = ConnectionKey(clientProtocol, attempt.authentication, address: ConnectionAddress(parsing: attempt.clientIP),
                                        isMiddleTierApp: attempt.isMiddleTierApp)
                // Only a recipient filter on CustomAttribute1–15 needs the mailbox.
                let rule = policy.decidingRule(key, user: user, tenant: tenant) { user, tenant in
                    mailbox(of: user, in: tenant).map { tenant.mailboxes[$0] }
                }
                if let rule {
                    if rule.action == .DenyAccess {
                        trace.add(.clientAccessRules, .decided,
                                  "Client access rule \"\(rule.name)\" (priority \(rule.priority)) matches \(clientProtocol.rawValue) with \(attempt.authentication.rawValue) from \(attempt.clientIP) and denies access; later rules aren't read.")
                        return exchangeDenial(.ClientAccessRule, by: rule.name, code: nil, trace: trace, events: events, changes: changes)
                    }
                    trace.add(.clientAccessRules, .passed,
                              "Client access rule \"\(rule.name)\" (priority \(rule.priority)) matches and allows access (AllowAccess); later rules aren't read.")
                } else {
                    trace.add(.clientAccessRules, .passed,
                              "None of the \(policy.clientAccessRules.count) enabled client access rules matches \(clientProtocol.rawValue) with \(attempt.authentication.rawValue) from \(attempt.clientIP)\(attempt.isMiddleTierApp ? " (a middle-tier app: rules scoped to Users skip it)" : ""): allowed.")
                }
            }
        } else {
            trace.add(.clientAccessRules, .skipped, "Client access rules don't cover \(protocolName).")
        }

        // 6. Protocol switches, and whether there is a mailbox at all.
        var mailboxAt: Int?
        if attempt.accessProtocol.needsMailbox {
            guard let m = mailbox(of: user, in: tenant) else {
                trace.add(.protocolSwitch, .decided,
                          "\(user.userPrincipalName) has no Exchange Online mailbox, so \(protocolName) has nothing to connect to (the sign-in itself succeeded).")
                return exchangeDenial(.ProtocolDisabled, by: "NoMailbox", code: nil, trace: trace, events: events, changes: changes)
            }
            mailboxAt = m
            if let refusal = ProtocolSwitchCheck.refusal(attempt, cas: tenant.mailboxes[m].cas, tenant: tenant) {
                trace.add(.protocolSwitch, .decided, refusal.detail)
                return exchangeDenial(.ProtocolDisabled, by: refusal.by, code: refusal.easStatus, trace: trace, events: events, changes: changes)
            }
            trace.add(.protocolSwitch, .passed, "The mailbox allows \(protocolName).")
        } else if attempt.accessProtocol == .AzureAD {
            trace.add(.protocolSwitch, .skipped, "An Entra ID sign-in reaches no mailbox.")
        } else {
            trace.add(.protocolSwitch, .passed,
                      "\(protocolName) needs no mailbox and has no CAS switch; every user may connect (what they may run is RBAC's business).")
        }

        // 7. ActiveSync device flow.
        if attempt.accessProtocol == .ExchangeActiveSync, let m = mailboxAt {
            let flow = ActiveSyncDeviceFlow.evaluate(attempt, user: user, mailbox: tenant.mailboxes[m], tenant: tenant, policy: policy, now: now)
            changes += flow.changes
            trace.append(flow.report)
            if var decision = flow.decision {
                decision.trace = trace.reports
                return AccessEvaluation(decision: decision, events: events, changes: changes)
            }
        }

        // A successful connection to the user's own mailbox is an owner logon: MailboxLogin,
        // which is logged only where the mailbox's AuditOwner includes it. [EXCHANGE-FACTS 4.2]
        // Only mailboxes that audit it can log it, so other logons need no event.
        if let m = mailboxAt, tenant.mailboxes[m].auditActions(for: .Owner).contains(.MailboxLogin) {
            let box = tenant.mailboxes[m]
            let session = StableIdentifier.uuid("MailboxSession", user.userPrincipalName.lowercased(), box.guid.uuidString,
                                                attempt.accessProtocol.rawValue, attempt.clientIP)
            events.append(.mailboxAction(MailboxActionEvent(
                time: now, operation: .MailboxLogin, logonType: .Owner, actor: user.userPrincipalName, mailboxGuid: box.guid,
                clientInfoString: MailboxActionEvaluator.clientInfoString(attempt.accessProtocol, userAgent: attempt.userAgent,
                                                                         actor: user.userPrincipalName, device: attempt.device,
                                                                         command: "Logon"),
                clientIP: attempt.clientIP, sessionId: session)))
        }
        return AccessEvaluation(decision: AccessDecision(outcome: .Allowed, reason: AccessReason.Ok.rawValue, by: nil, code: 0, trace: trace.reports),
                                events: events, changes: changes)
    }

    // MARK: Outcomes

    /// A failed Entra ID sign-in: the decision with its AADSTS code, and the sign-in event.
    private static func entraFailure(_ error: SignInError, _ attempt: AccessAttempt, client: SignInClient, userObjectId: UUID?, now: Date,
                                     trace: StageTrace, changes: [TenantChange] = [], reason: AccessReason? = nil) -> AccessEvaluation {
        let event = SignInEvent(attempt, client: client, userObjectId: userObjectId, error: error, multiFactor: false, at: now)
        return AccessEvaluation(decision: AccessDecision(outcome: .Denied, reason: (reason ?? error.reason).rawValue, by: nil,
                                                         code: error.code, trace: trace.reports),
                                events: [.signIn(event)], changes: changes)
    }

    /// A wrong password: 50126, counted by smart lockout.
    private static func wrongPassword(_ password: String, _ attempt: AccessAttempt, user: User, client: SignInClient, now: Date,
                                      trace initial: StageTrace, detail: @autoclosure () -> String) -> AccessEvaluation {
        var trace = initial
        let (change, locks) = SmartLockout.failure(user, password: password, at: now)
        trace.add(.credential, .decided, detail())
        if trace.enabled {
            let note: String
            if change == nil {
                note = "Smart lockout doesn't count it again: it is one of the last three bad passwords."
            } else if locks {
                note = "That is failed sign-in \(user.failedSignInCount + 1); smart lockout locks the account for \(Int(SmartLockout.lockoutDuration(afterLockouts: user.lockoutCount))) seconds."
            } else {
                note = "Smart lockout counts failed sign-in \(user.failedSignInCount + 1) of \(SmartLockout.threshold)."
            }
            trace.reports[trace.reports.count - 1].detail += " " + note
        }
        return entraFailure(.invalidCredentials, attempt, client: client, userObjectId: user.objectId, now: now, trace: trace,
                            changes: change.map { [$0] } ?? [])
    }

    /// Exchange refused a connection after Entra ID signed the user in.
    private static func exchangeDenial(_ reason: AccessReason, by: String, code: Int?, trace: StageTrace, events: [AuditEvent],
                                       changes: [TenantChange]) -> AccessEvaluation {
        AccessEvaluation(decision: AccessDecision(outcome: .Denied, reason: reason.rawValue, by: by, code: code, trace: trace.reports),
                         events: events, changes: changes)
    }

    /// The position of the user's mailbox.
    private static func mailbox(of user: User, in tenant: Tenant) -> Int? {
        tenant.mailboxIndex(ofUser: user)
    }

    private static func isoTime(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// The stage reports, built only when an explanation is wanted.
struct StageTrace {
    let enabled: Bool
    var reports: [StageReport] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func add(_ stage: AccessStage, _ result: StageReport.Result, _ detail: @autoclosure () -> String) {
        if enabled { reports.append(StageReport(stage, result, detail())) }
    }

    mutating func append(_ report: StageReport) {
        if enabled { reports.append(report) }
    }
}
