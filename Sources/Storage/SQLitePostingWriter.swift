import Contracts
import Core
import NIOPosix
import SQLiteNIO
import VaporCSQLite

/// Appends postings to SQLite through two prepared statements reused for every row, for a
/// settlement that writes millions of them.
///
/// sqlite-nio prepares every statement it runs; the settlement's multi-row inserts spent
/// about a third of the database's time parsing statements and binding `SQLiteData` values
/// (docs/PERFORMANCE.md). This writer binds each posting's values straight from Swift and
/// steps one statement per row, on the same connection and inside the caller's transaction.
///
/// sqlite-nio does not expose its connection's `sqlite3` handle, so the writer reads it by
/// reflection; when that fails (another sqlite-nio), ``init(connection:)`` returns `nil` and
/// the caller writes through SQLKit as before. It must only be used while the caller holds the
/// connection (``Database/transactionWithSQLite(_:)``); the handle is opened in SQLite's
/// serialized mode, and nothing else runs on it meanwhile.
final class SQLitePostingWriter: @unchecked Sendable {
    private let db: OpaquePointer
    private var transactions: OpaquePointer?
    private var entries: OpaquePointer?

    init?(connection: SQLiteConnection) throws {
        guard let handle = Mirror(reflecting: connection).descendant("handle", "raw") as? OpaquePointer else { return nil }
        db = handle
        transactions = try prepare("""
            INSERT INTO ledger_transactions (\(SQLLedgerRepository.transactionColumns.joined(separator: ", "))) \
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        entries = try prepare("""
            INSERT INTO ledger_entries (\(SQLLedgerRepository.entryColumns.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    deinit {
        sqlite_nio_sqlite3_finalize(transactions)
        sqlite_nio_sqlite3_finalize(entries)
    }

    /// Appends `postings` numbered from `firstSequence`, `bodies` being their stored forms
    /// (``LedgerJSON``), on the thread pool sqlite-nio uses, off Swift's cooperative threads.
    func write(_ postings: [LedgerTransaction], bodies: [String], firstSequence: Int64, runID: String) async throws {
        try await NIOThreadPool.singleton.runIfActive { try self.writeNow(postings, bodies: bodies, firstSequence: firstSequence, runID: runID) }
    }

    private func writeNow(_ postings: [LedgerTransaction], bodies: [String], firstSequence: Int64, runID: String) throws {
        for (index, posting) in postings.enumerated() {
            let sequence = firstSequence + Int64(index)
            let slot = posting.key.slot
            let date = posting.date.description
            try bind(transactions, 1, posting.key.rawValue)
            try check(sqlite_nio_sqlite3_bind_int64(transactions, 2, sequence))
            try bind(transactions, 3, date)
            try bind(transactions, 4, posting.effectiveOn.description)
            try bind(transactions, 5, posting.category.rawValue)
            try bind(transactions, 6, slot?.contractID.rawValue)
            try bind(transactions, 7, slot?.patientID.rawValue)
            try bind(transactions, 8, runID)
            try bind(transactions, 9, bodies[index])
            try step(transactions)
            for (line, entry) in posting.entries.enumerated() {
                try check(sqlite_nio_sqlite3_bind_int64(entries, 1, sequence))
                try check(sqlite_nio_sqlite3_bind_int64(entries, 2, Int64(line)))
                try bind(entries, 3, entry.account.party.code)
                try bind(entries, 4, entry.account.kind.rawValue)
                try check(sqlite_nio_sqlite3_bind_int64(entries, 5, entry.signedMinorUnits))
                try bind(entries, 6, entry.amount.currency.rawValue)
                try bind(entries, 7, date)
                try step(entries)
            }
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK else {
            sqlite_nio_sqlite3_finalize(statement)
            throw error(result)
        }
        return statement
    }

    private func bind(_ statement: OpaquePointer?, _ index: Int32, _ value: String?) throws {
        guard let value else { return try check(sqlite_nio_sqlite3_bind_null(statement, index)) }
        // A native string is already contiguous, NUL-terminated UTF-8: passed without a copy.
        try check(sqlite_nio_sqlite3_bind_text64(statement, index, value, UInt64(value.utf8.count), transient, UInt8(SQLITE_UTF8)))
    }

    private func step(_ statement: OpaquePointer?) throws {
        let result = sqlite_nio_sqlite3_step(statement)
        sqlite_nio_sqlite3_reset(statement)
        guard result == SQLITE_DONE else { throw error(result) }
    }

    private func check(_ result: Int32) throws {
        guard result == SQLITE_OK else { throw error(result) }
    }

    private func error(_ code: Int32) -> SQLiteWriteError {
        SQLiteWriteError(code: code, message: sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "")
    }
}

/// A statement of ``SQLitePostingWriter`` failed: SQLite's result code and message.
struct SQLiteWriteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "SQLite error \(code) writing postings: \(message)" }
}

/// SQLite copies the bound text before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
