import SQLKit
import SQLiteNIO

/// Bulk reads for a settlement straight from sqlite-nio, one text per row.
///
/// A settlement at a million patients reads about nine million outcome events, two million
/// coverage periods and a million enrollments; decoding every column of every row through
/// SQLKit's `Decodable` path was a large part of its time. Here SQLite packs each row's
/// columns into one text, `octet_length(x) || ':' || x` each (`-` for NULL) — which no value
/// can break, whatever characters it holds — and the row is split without a decoder. The
/// rows are ``PackedRow``s, so the repositories' usual row mapping reads them unchanged.
enum PackedRows {
    /// `SELECT <columns> FROM <rest>` with `binds`, as rows of those columns.
    static func select(_ columns: [String], _ rest: String, _ binds: [SQLiteData], in connection: SQLiteConnection) async throws -> [PackedRow] {
        let packed = columns.map { "coalesce(octet_length(\($0)) || ':' || \($0), '-')" }.joined(separator: " || ")
        let rows = try await connection.query("SELECT \(packed) AS packed FROM \(rest)", binds)
        let names = PackedRow.Names(columns)
        var result: [PackedRow] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            guard case .text(let line)? = row.column("packed") else { throw StorageError.corrupt("packed row is not text") }
            result.append(PackedRow(names: names, fields: try split(line, count: columns.count)))
        }
        return result
    }

    static func split(_ line: String, count: Int) throws -> [String?] {
        var fields: [String?] = []
        fields.reserveCapacity(count)
        var line = line
        try line.withUTF8 { bytes in
            var index = 0
            while fields.count < count {
                guard index < bytes.count else { throw StorageError.corrupt("packed row has \(fields.count) of \(count) columns") }
                if bytes[index] == UInt8(ascii: "-") {
                    fields.append(nil)
                    index += 1
                    continue
                }
                var length = 0
                while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
                    let digit = Int(bytes[index]) &- 48
                    guard digit >= 0, digit <= 9 else { throw StorageError.corrupt("packed row length") }
                    length = length * 10 + digit
                    index += 1
                }
                index += 1
                guard index + length <= bytes.count else { throw StorageError.corrupt("packed row is short") }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]), as: UTF8.self))
                index += length
            }
        }
        return fields
    }
}

/// One packed row's columns as text (SQLite's text form of every value), read as a `SQLRow`.
struct PackedRow: SQLRow {
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
