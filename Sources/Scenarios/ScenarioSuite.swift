import AccessControl
import Foundation
import TenantModel
import TenantStore

/// How `tenantsim run` runs the library.
public struct RunOptions: Sendable {
    /// Files or folders (searched recursively for .yaml/.yml files).
    public var paths: [String] = ["scenarios"]
    /// `--tenant`: replaces every scenario's base tenant (its `overrides:` still apply).
    public var tenant: String?
    /// `--tag`: run only scenarios with at least one of these tags.
    public var tags: [String] = []
    /// `--skip-tag`: leave out scenarios with any of these tags.
    public var skipTags: [String] = []
    public var jobs = 1
    /// `--shard I/N` (1-based I).
    public var shard: Shard?
    public var failFast = false
    public var verbose = false
    /// Warnings are errors: the file is bad input and doesn't run.
    public var strict = false
    /// Where relative fixture paths are also looked for; nil is `./mock-tenant`.
    public var fixtureDirectories: [String]?

    public init() {}
}

/// One slice of the library for a CI matrix: file `f` belongs to shard
/// `fnv1a(path of f relative to the working directory) mod count`, so a file stays in its
/// shard however many files are added, and the shards together cover every file once.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 ≤ I ≤ N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ file: String) -> Bool { Int(Self.hash(ScenarioFiles.display(file)) % UInt64(count)) == index - 1 }

    /// FNV-1a, 64-bit: stable across runs, machines and Swift versions (unlike `hashValue`).
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

/// Finds, parses, filters and runs scenario files.
public enum ScenarioSuite {
    /// The scenario and step files under `paths`, in path order; paths that don't exist are errors.
    public static func discover(_ paths: [String]) -> (files: [String], errors: [FixtureError]) {
        var files: [String] = []
        var errors: [FixtureError] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(FixtureError(file: path, line: 1, column: 1, message: "There is no scenario file or folder at \(path)."))
                continue
            }
            if !isDir.boolValue {
                files.append(ScenarioFiles.display(path))
                continue
            }
            var found: [String] = []
            if let walker = fm.enumerator(atPath: path) {
                while let item = walker.nextObject() as? String {
                    guard item.hasSuffix(".yaml") || item.hasSuffix(".yml") else { continue }
                    found.append(ScenarioFiles.display((path as NSString).appendingPathComponent(item)))
                }
            }
            files += found.sorted()
        }
        var seen = Set<String>()
        return (files.filter { seen.insert($0).inserted }, errors)
    }

    /// A scenario ready to run: parsed, its tenant resolved.
    public struct Prepared: Sendable {
        public var scenario: Scenario
        public var tenant: Tenant
        public var policy: CompiledPolicySnapshot?
    }

    /// Parses the files and resolves their tenants, loading each distinct base tenant once.
    public static func prepare(_ options: RunOptions) -> (prepared: [Prepared], badInput: [BadInput], warnings: [FixtureError], filteredOut: Int) {
        let (files, discoveryErrors) = discover(options.paths)
        var bad = discoveryErrors.map(BadInput.init)
        var warnings: [FixtureError] = []
        var filteredOut = 0
        let parser = ScenarioParser(fixtureDirectories: options.fixtureDirectories)
        var scenarios: [Scenario] = []
        for file in files {
            if let shard = options.shard, !shard.contains(file) {
                filteredOut += 1
                continue
            }
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                bad.append(BadInput(FixtureError(file: file, line: 1, column: 1, message: "The file can't be read: \(error.localizedDescription)")))
                continue
            }
            // Step files (a list at the top) are read through `include:`, not run.
            if ScenarioParser.isStepFile(text: text) { continue }
            do {
                let parsed = try parser.parse(text: text, file: file)
                if options.strict, !parsed.warnings.isEmpty {
                    bad += parsed.warnings.map { BadInput(FixtureError(file: $0.file, line: $0.line, column: $0.column, message: $0.message + " (--strict)")) }
                    continue
                }
                warnings += parsed.warnings
                let tags = Set(parsed.scenario.tags.map { $0.lowercased() })
                if !options.tags.isEmpty, tags.isDisjoint(with: options.tags.map { $0.lowercased() }) {
                    filteredOut += 1
                    continue
                }
                if !tags.isDisjoint(with: options.skipTags.map { $0.lowercased() }) {
                    filteredOut += 1
                    continue
                }
                scenarios.append(parsed.scenario)
            } catch {
                bad.append(BadInput(error))
            }
        }

        var override: TenantReference.Base?
        if let name = options.tenant {
            do {
                override = try parser.base(named: name)
            } catch {
                bad.append(BadInput(error))
                return ([], bad, warnings, filteredOut)
            }
        }
        let cache = TenantCache()
        var prepared: [Prepared] = []
        for var scenario in scenarios {
            if let override { scenario.tenant.base = override }
            do {
                var (tenant, snapshot) = try cache.tenant(for: scenario.tenant.base, scenario: scenario)
                if let overrides = scenario.tenant.overrides {
                    try FixtureLoader(file: scenario.file).applyOverrides(overrides.node, to: &tenant)
                    snapshot = nil
                }
                prepared.append(Prepared(scenario: scenario, tenant: tenant, policy: snapshot))
            } catch {
                bad.append(BadInput(error))
            }
        }
        return (prepared, bad, warnings, filteredOut)
    }

    /// Runs one prepared scenario.
    public static func run(_ p: Prepared, verbose: Bool = false) -> ScenarioResult {
        ScenarioExecution(scenario: p.scenario, tenant: p.tenant, policy: p.policy.map { ($0.revision, $0.policy) }, verbose: verbose).run()
    }

    /// Parses, prepares and runs everything `options` names. `progress` is called after each
    /// scenario (from the worker that ran it, one call at a time).
    public static func run(_ options: RunOptions,
                           progress: (@Sendable (_ result: ScenarioResult, _ done: Int, _ total: Int) -> Void)? = nil) -> SuiteResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let (prepared, bad, warnings, filteredOut) = prepare(options)
        let results = run(prepared, jobs: options.jobs, failFast: options.failFast, verbose: options.verbose, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return SuiteResult(results: results, badInput: bad, warnings: warnings, filteredOut: filteredOut,
                           notRun: prepared.count - results.count, seconds: seconds)
    }

    /// Runs prepared scenarios on `jobs` threads; results come back in the order given.
    public static func run(_ prepared: [Prepared], jobs: Int, failFast: Bool, verbose: Bool,
                           progress: (@Sendable (ScenarioResult, Int, Int) -> Void)? = nil) -> [ScenarioResult] {
        let state = WorkState(count: prepared.count)
        let work: @Sendable () -> Void = {
            while let i = state.take() {
                let result = run(prepared[i], verbose: verbose)
                state.finish(i, result, failFast: failFast, progress: progress)
            }
        }
        let workers = max(1, min(jobs, prepared.count))
        if workers == 1 {
            work()
        } else {
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                let thread = Thread {
                    work()
                    group.leave()
                }
                // The interpreter recurses; give workers the main thread's room.
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        return state.results
    }
}

/// A base tenant compiled once: scenarios that change nothing before their first sign-in
/// start with it.
public struct CompiledPolicySnapshot: Sendable {
    public var revision: Int
    public var policy: CompiledPolicy
}

/// Loads each distinct tenant source once per run; scenarios get copies (copy-on-write).
final class TenantCache {
    private var tenants: [TenantReference.Base: (Tenant, CompiledPolicySnapshot)] = [:]
    private var failures: [TenantReference.Base: Error] = [:]

    func tenant(for base: TenantReference.Base, scenario: Scenario) throws(FixtureError) -> (Tenant, CompiledPolicySnapshot?) {
        if let hit = tenants[base] { return (hit.0, hit.1) }
        if let error = failures[base] { throw wrap(error, scenario) }
        do {
            let tenant: Tenant
            switch base {
            case .named(let name): tenant = try TenantSource.loadFixture(name)
            case .file(let path): tenant = try FixtureLoader.load(path: path)
            case .inline(let inline): tenant = inline.tenant
            }
            let snapshot = CompiledPolicySnapshot(revision: tenant.policyRevision, policy: CompiledPolicy(tenant))
            if case .inline = base {} else { tenants[base] = (tenant, snapshot) }
            return (tenant, snapshot)
        } catch {
            failures[base] = error
            throw wrap(error, scenario)
        }
    }

    private func wrap(_ error: Error, _ scenario: Scenario) -> FixtureError {
        let loc = scenario.tenant.location
        return FixtureError(file: loc.file, line: loc.line, column: loc.column, message: "The scenario's tenant can't be loaded: \(error)")
    }
}

/// The shared bookkeeping of the worker threads.
private final class WorkState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var stopped = false
    private var done = 0
    private var slots: [ScenarioResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ i: Int, _ result: ScenarioResult, failFast: Bool, progress: (@Sendable (ScenarioResult, Int, Int) -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        slots[i] = result
        done += 1
        if failFast, !result.passed { stopped = true }
        progress?(result, done, slots.count)
    }

    var results: [ScenarioResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
