import Foundation
@testable import Storage
import Testing

@Suite("Reads and binds on the raw SQLite handle")
struct TextRowsTests {
    @Test("text, empty text, NULL, numbers and non-ASCII come back as SQLite's text of them, by name and by position")
    func roundTrip() async throws {
        let store = try await Store.open(.sqliteInMemory)
        do {
            let rows = try await store.database.transactionWithSQLite { _, connection in
                let handle = try #require(connection.flatMap(SQLiteHandle.init(connection:)))
                let byName = try await TextRows.select(
                    ["?1 AS a", "?2 AS b", "NULL AS c", "41 + 1 AS d", "?3 AS e"], "(SELECT 1)", ["", "Zoë \"quoted\"", "x"], in: handle
                ) { row in
                    [try row.string("?1 AS a"), try row.string("?2 AS b"), try row.optionalString("NULL AS c") ?? "nil", try row.string("41 + 1 AS d")]
                }
                let byPosition = try await TextRows.select(["?1", "?2", "NULL"], "(SELECT 1)", ["", "é"], in: handle) { (row: StatementColumns) in
                    [row.text(0) ?? "nil", row.text(1) ?? "nil", row.text(2) ?? "nil"]
                }
                return byName + byPosition
            }
            #expect(rows == [["", "Zoë \"quoted\"", "nil", "42"], ["", "é", "nil"]])
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test("a statement SQLite refuses is an error naming SQLite's message, not a crash")
    func refused() async throws {
        let store = try await Store.open(.sqliteInMemory)
        let error = await #expect(throws: SQLiteBulkError.self) {
            try await store.database.transactionWithSQLite { _, connection in
                let handle = try #require(connection.flatMap(SQLiteHandle.init(connection:)))
                return try await TextRows.select(["x"], "no_such_table", [], in: handle) { (row: StatementColumns) in row.text(0) }
            }
        }
        #expect(error?.description.contains("no_such_table") == true)
        await store.close()
    }
}
