import Foundation
import Storage
import Testing

/// The databases the storage contract runs against: in-memory SQLite always, and
/// PostgreSQL when `CUREPATH_TEST_POSTGRES_URL` names a server (scripts/test starts a
/// throwaway cluster and sets it). Each test gets a fresh database — a new in-memory SQLite
/// or its own PostgreSQL schema, dropped afterwards.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CUREPATH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends available in this run.
    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// Runs `body` with a freshly migrated store, then disposes of it.
    func withStore<T: Sendable>(now: @escaping @Sendable () -> Date = { Date() }, _ body: (Store) async throws -> T) async throws -> T {
        let (location, schema) = freshLocation()
        let opened = try await Store.open(location)
        let store = Store(database: opened.database, now: now)
        do {
            let result = try await body(store)
            await dispose(store, schema: schema)
            return result
        } catch {
            await dispose(store, schema: schema)
            throw error
        }
    }

    /// Runs `body` with a fresh database that no migration has touched yet, for tests of a
    /// migration over rows written by the schema before it.
    func withUnmigratedDatabase<T: Sendable>(_ body: (Database) async throws -> T) async throws -> T {
        let (location, schema) = freshLocation()
        let database = try await Database.open(location)
        do {
            let result = try await body(database)
            await dispose(Store(database: database), schema: schema)
            return result
        } catch {
            await dispose(Store(database: database), schema: schema)
            throw error
        }
    }

    /// A new in-memory SQLite, or a new PostgreSQL schema (named, to drop afterwards).
    private func freshLocation() -> (DatabaseLocation, schema: String) {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        switch self {
        case .sqlite: return (.sqliteInMemory, schema)
        case .postgres:
            let url = Self.postgresURL!
            return (.postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"), schema)
        }
    }

    private func dispose(_ store: Store, schema: String) async {
        if self == .postgres {
            _ = try? await store.database.withConnection { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        }
        await store.close()
    }
}
