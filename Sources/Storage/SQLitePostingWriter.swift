import Contracts
import Core
import VaporCSQLite

/// Appends postings to SQLite through two prepared statements reused for every row, for a
/// settlement that writes millions of them.
///
/// sqlite-nio prepares every statement it runs; the settlement's multi-row inserts spent
/// about a third of the database's time parsing statements and binding `SQLiteData` values
/// (docs/PERFORMANCE.md). This writer binds each posting's values straight from Swift and
/// steps one statement per row, on the same connection (``SQLiteHandle``) and inside the
/// caller's transaction.
final class SQLitePostingWriter: @unchecked Sendable {
    private let handle: SQLiteHandle
    private let transactions: OpaquePointer?
    private let entries: OpaquePointer?

    init(handle: SQLiteHandle) throws {
        self.handle = handle
        transactions = try handle.prepare("""
            INSERT INTO ledger_transactions (\(SQLLedgerRepository.transactionColumns.joined(separator: ", "))) \
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, persistent: true)
        do {
            entries = try handle.prepare("""
                INSERT INTO ledger_entries (\(SQLLedgerRepository.entryColumns.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, persistent: true)
        } catch {
            sqlite_nio_sqlite3_finalize(transactions)
            throw error
        }
    }

    deinit {
        sqlite_nio_sqlite3_finalize(transactions)
        sqlite_nio_sqlite3_finalize(entries)
    }

    /// Appends `postings` numbered from `firstSequence`, `bodies` being their stored forms
    /// (``LedgerJSON``).
    func write(_ postings: [LedgerTransaction], bodies: [String], firstSequence: Int64, runID: String) async throws {
        try await handle.run { try self.writeNow(postings, bodies: bodies, firstSequence: firstSequence, runID: runID) }
    }

    private func writeNow(_ postings: [LedgerTransaction], bodies: [String], firstSequence: Int64, runID: String) throws {
        for (index, posting) in postings.enumerated() {
            let sequence = firstSequence + Int64(index)
            let slot = posting.key.slot
            let date = posting.date.description
            try handle.bind(transactions, 1, posting.key.rawValue)
            try handle.bind(transactions, 2, sequence)
            try handle.bind(transactions, 3, date)
            try handle.bind(transactions, 4, posting.effectiveOn.description)
            try handle.bind(transactions, 5, posting.category.rawValue)
            try handle.bind(transactions, 6, slot?.contractID.rawValue)
            try handle.bind(transactions, 7, slot?.patientID.rawValue)
            try handle.bind(transactions, 8, runID)
            try handle.bind(transactions, 9, bodies[index])
            try handle.execute(transactions)
            for (line, entry) in posting.entries.enumerated() {
                try handle.bind(entries, 1, sequence)
                try handle.bind(entries, 2, Int64(line))
                try handle.bind(entries, 3, entry.account.party.code)
                try handle.bind(entries, 4, entry.account.kind.rawValue)
                try handle.bind(entries, 5, entry.signedMinorUnits)
                try handle.bind(entries, 6, entry.amount.currency.rawValue)
                try handle.bind(entries, 7, date)
                try handle.execute(entries)
            }
        }
    }
}
