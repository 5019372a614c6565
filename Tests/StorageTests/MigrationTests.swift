import Foundation
import SQLKit
import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("apply once, in order, and record themselves", arguments: TestDatabase.available)
    func appliesOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            // Store.open already migrated: running again applies nothing.
            let again = try await Migrator.migrate(store.database)
            #expect(again.isEmpty)
            let ids = try await store.database.withConnection { db in
                try await db.select().column("id").from("curepath_migrations").orderBy("id").all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(ids == Migrator.all.map(\.id))
        }
    }

    @Test("a failing migration leaves no trace and is retried next time", arguments: TestDatabase.available)
    func failingMigrationRollsBack(database: TestDatabase) async throws {
        try await database.withStore { store in
            let broken = Migration(id: 999, name: "broken") { db in
                try await db.create(table: "half_done").column("id", type: .int).run()
                throw CancellationError()
            }
            await #expect(throws: CancellationError.self) { try await Migrator.migrate(store.database, migrations: Migrator.all + [broken]) }
            let recorded = try await store.database.withConnection { db in
                try await db.select().column("id").from("curepath_migrations").where("id", .equal, 999).first()
            }
            #expect(recorded == nil)
            // The table created before the failure was rolled back with it.
            let fixed = Migration(id: 999, name: "fixed") { db in try await db.create(table: "half_done").column("id", type: .int).run() }
            #expect(try await Migrator.migrate(store.database, migrations: Migrator.all + [fixed]) == ["fixed"])
        }
    }
}
