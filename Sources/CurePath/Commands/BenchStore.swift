import Foundation
import Storage

/// Where a benchmark puts its data: a temporary SQLite file (deleted afterwards), or a
/// throwaway schema in the PostgreSQL named by `--database-url` (dropped afterwards).
struct BenchStore {
    var location: DatabaseLocation
    /// The PostgreSQL schema to drop, when there is one.
    var schema: String?
    var cleanup: (() -> Void)?

    init(databaseURL: String?) throws {
        if let databaseURL {
            let name = "bench_\(Int(Date().timeIntervalSince1970))"
            schema = name
            location = .postgres(url: databaseURL + (databaseURL.contains("?") ? "&" : "?") + "schema=\(name)")
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            location = .sqliteFile(path: directory.appendingPathComponent("bench.sqlite").path)
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        }
    }

    /// Drops the PostgreSQL schema, if any; the SQLite file goes with ``cleanup``.
    func dropSchema(of store: Store) async throws {
        if let schema { try await store.database.withConnection { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() } }
    }
}
