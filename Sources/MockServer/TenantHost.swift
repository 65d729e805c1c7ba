import AccessControl
import AuditLog
import Foundation
import Shell
import TenantModel
import TenantStore

/// One served tenant and its single owner: every request that reads or changes the tenant
/// runs on this actor, one at a time, so concurrent clients never lose an update.
///
/// The tenant lives in a `ShellSession` (the same command layer as the shell), so the
/// admin API's cmdlets, Graph's writes and the access pipeline all go through one place
/// and feed one audit trail.
public actor TenantHost {
    public let session: ShellSession
    let interpreter: Interpreter
    /// Where the tenant came from (a fixture name or path), for `reset`.
    public let source: String
    private var compiled: (revision: Int, policy: CompiledPolicy)?
    /// Management Activity API subscriptions by content type.
    var subscriptions: [String: FeedSubscription] = [:]
    /// The Management Activity API's content blobs, cut from the unified audit log.
    var activityFeed = ActivityFeed()
    /// Graph's conditional access policies (stored and listed; not evaluated yet).
    var conditionalAccessPolicies: [JSONObject] = []
    /// `identitySecurityDefaultsEnforcementPolicy.isEnabled`.
    var securityDefaultsEnabled: Bool
    /// Where `--db` keeps this tenant, if anywhere; `dirty` marks unsaved changes.
    let database: TenantDatabase?
    private(set) var dirty = false
    /// InvokeCommand results waiting to be paged.
    var pages = PageCache()
    /// Bumped by every change to the tenant (`touch`, `evaluate`, `run`): a cached answer to a
    /// read is good only for the revision it was made at.
    private(set) var revision = 0
    /// Answers to read-only admin API requests (Get- cmdlets), by request, at a revision.
    var readAnswers: [String: (revision: Int, response: SimResponse)] = [:]
    /// The bytes the cached answers hold (bounded, so large pages can't pile up).
    private var readAnswerBytes = 0
    static let readCacheEntries = 512
    static let readCacheBytes = 64 * 1024 * 1024

    public init(tenant: Tenant, source: String, database: TenantDatabase? = nil, audit: AuditTrail? = nil) {
        let session = ShellSession(tenant: tenant, host: BufferHost(), authenticator: PipelineAuthenticator(),
                                   workingDirectory: NSTemporaryDirectory())
        if let audit { session.audit = audit }
        session.connectAsAdministrator()
        self.session = session
        interpreter = Interpreter(session: session)
        interpreter.rendersOutput = false
        self.source = source
        self.database = database
        // Security defaults are on for tenants created on or after 22 Oct 2019. [EXCHANGE-FACTS 6.4]
        let cutoff = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                                    year: 2019, month: 10, day: 22).date!
        securityDefaultsEnabled = tenant.info.createdDateTime >= cutoff
    }

    public var tenant: Tenant { session.tenant }
    public var tenantId: UUID { session.tenant.info.tenantId }
    public var domains: [String] { session.tenant.info.domains }

    /// Runs `body` on the actor with exclusive use of the tenant.
    public func perform<T: Sendable, E: Error>(_ body: @Sendable (isolated TenantHost) throws(E) -> T) throws(E) -> T {
        try body(self)
    }

    /// The compiled access configuration, recompiled when the tenant's policy revision moved.
    public func policy() -> CompiledPolicy {
        let revision = session.tenant.policyRevision
        if let c = compiled, c.revision == revision { return c.policy }
        let p = CompiledPolicy(session.tenant)
        compiled = (revision, p)
        return p
    }

    /// Evaluates an access attempt and keeps what it did: the tenant's changes (lockout
    /// counters, device partnerships) and its log records. `adjust` may rewrite the events
    /// first (the token endpoint names the real client application).
    public func evaluate(_ attempt: AccessAttempt, explain: Bool = true,
                         adjust: (inout AuditEvent) -> Void = { _ in }) -> AccessDecision {
        let evaluation = AccessEvaluator.evaluate(attempt, in: session.tenant, policy: policy(), explain: explain)
        session.tenant.apply(evaluation.changes)
        for var event in evaluation.events {
            adjust(&event)
            session.audit.record(event, in: session.tenant)
        }
        if !evaluation.changes.isEmpty || !evaluation.events.isEmpty { touch() }
        return evaluation.decision
    }

    /// Decides an attempt without keeping anything (a REST call made with a token already
    /// issued: Exchange checks its client access rules, Entra logs no new sign-in).
    /// No trace is built: callers report the deciding object and reason, on every request.
    public func check(_ attempt: AccessAttempt) -> AccessDecision {
        AccessEvaluator.evaluate(attempt, in: session.tenant, policy: policy(), explain: false).decision
    }

    /// Marks the tenant changed (saved by the next `saveIfDirty`).
    func touch() {
        dirty = true
        revision &+= 1
    }

    /// A cached answer to the same read at this revision.
    func cachedRead(_ key: String) -> SimResponse? {
        guard let hit = readAnswers[key], hit.revision == revision else { return nil }
        return hit.response
    }

    func cacheRead(_ key: String, _ response: SimResponse) {
        guard response.body.count <= Self.readCacheBytes / 8 else { return }
        if readAnswers.count >= Self.readCacheEntries || readAnswerBytes + response.body.count > Self.readCacheBytes {
            readAnswers.removeAll(keepingCapacity: true)
            readAnswerBytes = 0
        }
        readAnswerBytes += response.body.count - (readAnswers[key]?.response.body.count ?? 0)
        readAnswers[key] = (revision, response)
    }

    /// Saves the tenant and its new log records when `--db` is set and something changed.
    public func saveIfDirty() throws {
        guard dirty, let database else { return }
        try database.save(session.tenant)
        try database.saveAuditTrail(session.audit)
        dirty = false
    }

    /// Runs PowerShell as `user` through the shell's interpreter (the control plane's
    /// `actions` and the admin API both use the cmdlet layer), from `clientIP`.
    func run(_ script: String, as user: String) -> RunResult {
        run(asUser: user) { $0.run(script) }
    }

    /// `changes: false` only for cmdlets that cannot change the tenant (Get-).
    func run(asUser user: String, changes: Bool = true, _ body: (Interpreter) -> RunResult) -> RunResult {
        let saved = (session.exchangeIdentity, session.msolIdentity, session.exchangeImported)
        session.exchangeIdentity = user
        session.msolIdentity = user
        session.exchangeImported = true
        defer { (session.exchangeIdentity, session.msolIdentity, session.exchangeImported) = saved }
        let result = body(interpreter)
        if changes { touch() }
        return result
    }
}

/// A Management Activity API subscription. [EXCHANGE-FACTS 5.6]
public struct FeedSubscription: Sendable, Hashable {
    public var contentType: String
    public var enabled: Bool
    public var webhook: JSONObject?
    /// When it was (last) started, on the tenant's clock: content before it is not listed.
    public var startedAt: Date
}
