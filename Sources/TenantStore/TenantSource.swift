import Foundation
import TenantModel

/// Where a command gets its tenant: a fixture by name (the ones in mock-tenant/, compiled
/// in), a fixture file by path, or a SQLite database.
public enum TenantSource {
    public static let defaultFixture = "brittest"

    /// The names of the built-in fixtures.
    public static var fixtureNames: [String] { EmbeddedFixtures.all.keys.sorted() }

    /// Loads `tenant` (a fixture name or a YAML path). A name is looked up among the
    /// built-in fixtures; anything with a `/` or a `.yaml`/`.yml` ending is a file.
    public static func loadFixture(_ tenant: String) throws -> Tenant {
        if tenant.contains("/") || tenant.hasSuffix(".yaml") || tenant.hasSuffix(".yml") {
            return try FixtureLoader.load(path: tenant)
        }
        guard let text = EmbeddedFixtures.all[tenant] else {
            throw StoreError("There is no built-in fixture named \"\(tenant)\". Built-in fixtures: \(fixtureNames.joined(separator: ", ")); or give a path to a .yaml file.")
        }
        return try FixtureLoader(file: "mock-tenant/\(tenant).yaml").load(text: text)
    }

    /// The tenant of a command that takes `--tenant` and `--db`: the database's tenant when
    /// it holds one, otherwise the fixture (saved into the database when one is given).
    public static func open(tenant: String?, db: String?) throws -> (Tenant, TenantDatabase?) {
        guard let db else { return (try loadFixture(tenant ?? defaultFixture), nil) }
        let database = try TenantDatabase(path: db)
        if let stored = try database.load() {
            if tenant != nil {
                throw StoreError("The database \(db) already holds a tenant (\(stored.info.initialDomain)); give --tenant only to initialise a new database.")
            }
            return (stored, database)
        }
        let fresh = try loadFixture(tenant ?? defaultFixture)
        try database.save(fresh)
        return (fresh, database)
    }
}
