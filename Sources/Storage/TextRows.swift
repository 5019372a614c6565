import SQLKit
import VaporCSQLite

/// Bulk reads for a settlement straight from SQLite, each row's columns as text.
///
/// A settlement at a million patients reads about nine million outcome events, two million
/// coverage periods and a million enrollments. Through sqlite-nio every value became a
/// `SQLiteData` in a row keyed by column name, and then SQLKit's `Decodable` path decoded
/// it; packing each row into one text in SQL instead cost SQLite eight times the plain read
/// (docs/PERFORMANCE.md). Here the statement is stepped on the raw handle and each column's
/// text copied out as it stands; short values (IDs, dates, codes) fit in a Swift string
/// without an allocation. The rows are ``TextRow``s, so the repositories' usual row mapping
/// reads them unchanged.
enum TextRows {
    /// `SELECT <columns> FROM <rest>` with `binds` for its parameters, each row read by
    /// `transform` as a ``TextRow`` — on the database's thread, as the rows are stepped.
    static func select<T: Sendable>(
        _ columns: [String], _ rest: String, _ binds: [String], in handle: SQLiteHandle, as transform: @escaping @Sendable (TextRow) throws -> T
    ) async throws -> [T] {
        let names = TextRow.Names(columns)
        return try await select(columns, rest, binds, in: handle) { (row: StatementColumns) in
            try transform(TextRow(names: names, fields: (0..<Int32(columns.count)).map { row.text($0) }))
        }
    }

    /// ``select(_:_:_:in:as:)-(_,_,_,_,(TextRow)->T)`` for the hottest reads, which take each column by its
    /// position and so skip building a row.
    static func select<T: Sendable>(
        _ columns: [String], _ rest: String, _ binds: [String], in handle: SQLiteHandle,
        as transform: @escaping @Sendable (StatementColumns) throws -> T
    ) async throws -> [T] {
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(rest)"
        return try await handle.run {
            let statement = try handle.prepare(sql)
            defer { sqlite_nio_sqlite3_finalize(statement) }
            for (index, value) in binds.enumerated() { try handle.bind(statement, Int32(index + 1), value) }
            var rows: [T] = []
            while true {
                let result = sqlite_nio_sqlite3_step(statement)
                if result == SQLITE_DONE { break }
                guard result == SQLITE_ROW else { throw handle.error(result) }
                rows.append(try transform(StatementColumns(statement: statement)))
            }
            return rows
        }
    }
}

/// The row a statement is on, column by column (from 0, in the order selected), as text.
/// Valid only inside the `transform` it is given to.
struct StatementColumns {
    fileprivate let statement: OpaquePointer?

    func text(_ column: Int32) -> String? {
        guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
        // The length is asked for after the text, as SQLite's documentation requires.
        let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }
}

/// One row's columns as text (SQLite's text form of every value), read as a `SQLRow`.
struct TextRow: SQLRow {
    final class Names: Sendable {
        let columns: [String]
        init(_ columns: [String]) { self.columns = columns }
    }

    let names: Names
    let fields: [String?]

    var allColumns: [String] { names.columns }
    func contains(column: String) -> Bool { names.columns.contains(column) }

    func decodeNil(column: String) throws -> Bool { try field(column) == nil }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let text = try field(column) else { throw StorageError.corrupt("\(column) is NULL") }
        // Text is what the repositories read; no dynamic cast on that path.
        if D.self == String.self { return unsafeBitCast(text, to: D.self) }
        if D.self == Int.self, let value = Int(text) { return unsafeBitCast(value, to: D.self) }
        if D.self == Int64.self, let value = Int64(text) { return unsafeBitCast(value, to: D.self) }
        throw StorageError.corrupt("\(column) '\(text)' is not a \(D.self)")
    }

    /// A linear search: a dozen short column names compare faster than one hashes.
    private func field(_ column: String) throws -> String? {
        guard let index = names.columns.firstIndex(of: column) else { throw StorageError.corrupt("no column \(column)") }
        return fields[index]
    }
}
