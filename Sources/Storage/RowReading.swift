import Core
import SQLKit

/// Typed column reads that name the column and table in the error when stored data does not
/// parse — which only happens if someone edited the database by hand.
extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : decode(column: column, as: String.self) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt(_ column: String) throws -> Int? { try decodeNil(column: column) ? nil : decode(column: column, as: Int.self) }

    func date(_ column: String) throws -> CalendarDate {
        let text = try string(column)
        guard let date = CalendarDate(iso8601: text) else { throw StorageError.corrupt("\(column) '\(text)' is not a date") }
        return date
    }

    func optionalDate(_ column: String) throws -> CalendarDate? {
        guard let text = try optionalString(column) else { return nil }
        guard let date = CalendarDate(iso8601: text) else { throw StorageError.corrupt("\(column) '\(text)' is not a date") }
        return date
    }

    func enumeration<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E where E.RawValue == String {
        let text = try string(column)
        guard let value = E(rawValue: text) else { throw StorageError.corrupt("\(column) '\(text)' is not a known \(E.self)") }
        return value
    }

    func optionalEnumeration<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E? where E.RawValue == String {
        guard let text = try optionalString(column) else { return nil }
        guard let value = E(rawValue: text) else { throw StorageError.corrupt("\(column) '\(text)' is not a known \(E.self)") }
        return value
    }
}

/// Binds an optional value as SQL NULL when absent.
func bind(_ value: String?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
func bind(_ value: CalendarDate?) -> any SQLExpression { value.map { SQLBind($0.description) } ?? SQLLiteral.null }
func bind(_ value: Int?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }

/// Inserts `items` in chunks, building each chunk's rows only when it is written, so a bulk
/// load of millions of rows never holds all of their bound values at once.
func insertChunked<Item>(
    _ db: any SQLDatabase, into table: String, columns: [String], items: [Item], parametersPerStatement: Int = 30_000,
    row: (Item) -> [any SQLExpression]
) async throws {
    let perChunk = max(1, parametersPerStatement / max(1, columns.count))
    var index = 0
    while index < items.count {
        let end = min(items.count, index + perChunk)
        try await insertChunked(db, into: table, columns: columns, rows: items[index..<end].map(row), parametersPerStatement: parametersPerStatement)
        index = end
    }
}

/// Inserts rows in chunks that stay under both databases' limits on bound parameters.
func insertChunked(
    _ db: any SQLDatabase, into table: String, columns: [String], rows: [[any SQLExpression]], parametersPerStatement: Int = 30_000
) async throws {
    guard !rows.isEmpty else { return }
    let perChunk = max(1, parametersPerStatement / max(1, columns.count))
    var index = 0
    while index < rows.count {
        let end = min(rows.count, index + perChunk)
        var insert = db.insert(into: table).columns(columns)
        for row in rows[index..<end] { insert = insert.values(row) }
        try await insert.run()
        index = end
    }
}
