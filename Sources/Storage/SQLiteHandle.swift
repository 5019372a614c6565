import NIOPosix
import SQLiteNIO
import VaporCSQLite

/// The `sqlite3` handle under a sqlite-nio connection, for a settlement's bulk reads and
/// writes (``SQLitePostingWriter``, ``TextRows``).
///
/// sqlite-nio prepares every statement it runs and hands each row back as `SQLiteData`
/// values keyed by column name; at a million patients that work was most of the database
/// thread's time (docs/PERFORMANCE.md). sqlite-nio does not expose the handle, so it is read
/// by reflection; when that fails (another sqlite-nio), ``init(connection:)`` returns `nil`
/// and callers go through SQLKit as before. It must only be used while the caller holds the
/// connection (``Database/transactionWithSQLite(_:)``): the handle is opened in SQLite's
/// serialized mode, and nothing else runs on it meanwhile.
final class SQLiteHandle: @unchecked Sendable {
    let db: OpaquePointer
    /// Whether this handle opened the connection (``openSnapshot(beside:)``) and so closes it.
    private let owned: Bool
    /// Set by ``close()``, which only the task that opened the handle calls.
    private var isClosed = false

    init?(connection: SQLiteConnection) {
        guard let handle = Mirror(reflecting: connection).descendant("handle", "raw") as? OpaquePointer else { return nil }
        db = handle
        owned = false
    }

    private init(opened: OpaquePointer) {
        db = opened
        owned = true
    }

    /// A second, read-only connection to the same file, holding a read transaction begun now.
    /// Only one thread uses it at a time, so it is opened without SQLite's per-call mutex.
    ///
    /// A settlement reads the next batch's inputs while it writes the last batch's postings;
    /// on one connection those take turns, on two they run side by side. WAL lets the reader
    /// see the database as committed when it began, without the writer's uncommitted postings
    /// — and while the writer holds the write lock nothing else commits, so that is what the
    /// writer saw too. `nil` for an in-memory database (nothing to open twice) or one not in
    /// WAL mode. ``close()`` it before the writer commits, or the commit's checkpoint cannot
    /// move past the reader's snapshot.
    static func openSnapshot(beside writer: SQLiteHandle) throws -> SQLiteHandle? {
        guard let name = sqlite_nio_sqlite3_db_filename(writer.db, "main"), name.pointee != 0 else { return nil }
        var opened: OpaquePointer?
        let result = sqlite_nio_sqlite3_open_v2(name, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard result == SQLITE_OK, let opened else {
            let message = opened.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
            sqlite_nio_sqlite3_close_v2(opened)
            throw SQLiteBulkError(code: result, message: message)
        }
        let reader = SQLiteHandle(opened: opened)
        guard try reader.text("PRAGMA journal_mode") == "wal" else {
            reader.close()
            return nil
        }
        try reader.exec("PRAGMA busy_timeout = 5000")
        try reader.exec("PRAGMA cache_size = -16384")
        try reader.exec("BEGIN")
        // A read transaction starts at its first read.
        _ = try reader.text("SELECT count(*) FROM sqlite_schema")
        return reader
    }

    /// Ends the read transaction and closes a connection this handle opened; once.
    func close() {
        guard owned, !isClosed else { return }
        isClosed = true
        sqlite_nio_sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
        sqlite_nio_sqlite3_close_v2(db)
    }

    deinit { close() }

    private func exec(_ sql: String) throws {
        try check(sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil))
    }

    /// The first column of the first row of `sql`, as text.
    private func text(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        defer { sqlite_nio_sqlite3_finalize(statement) }
        let result = sqlite_nio_sqlite3_step(statement)
        guard result == SQLITE_ROW else {
            if result == SQLITE_DONE { return nil }
            throw error(result)
        }
        return sqlite_nio_sqlite3_column_text(statement, 0).map { String(cString: $0) }
    }

    /// Runs `work` on the thread pool sqlite-nio uses, off Swift's cooperative threads.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    /// A prepared statement; `persistent` for one reused for many rows.
    func prepare(_ sql: String, persistent: Bool = false) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &statement, nil)
        guard result == SQLITE_OK else {
            sqlite_nio_sqlite3_finalize(statement)
            throw error(result)
        }
        return statement
    }

    func bind(_ statement: OpaquePointer?, _ index: Int32, _ value: String?) throws {
        guard var value else { return try check(sqlite_nio_sqlite3_bind_null(statement, index)) }
        // The UTF-8 bytes in place (a native string's storage), with their length: passing the
        // string itself as a C string made a NUL-terminated copy of each.
        try value.withUTF8 { bytes in
            // An empty string may have no storage at all; SQLite wants a pointer all the same.
            let start = UnsafeRawPointer(bytes.baseAddress ?? emptyText.utf8Start)
            try check(sqlite_nio_sqlite3_bind_text64(
                statement, index, start.assumingMemoryBound(to: CChar.self), UInt64(bytes.count), transient, UInt8(SQLITE_UTF8)))
        }
    }

    func bind(_ statement: OpaquePointer?, _ index: Int32, _ value: Int64) throws {
        try check(sqlite_nio_sqlite3_bind_int64(statement, index, value))
    }

    /// Steps a statement that returns no rows, and resets it for the next.
    func execute(_ statement: OpaquePointer?) throws {
        let result = sqlite_nio_sqlite3_step(statement)
        sqlite_nio_sqlite3_reset(statement)
        guard result == SQLITE_DONE else { throw error(result) }
    }

    func check(_ result: Int32) throws {
        guard result == SQLITE_OK else { throw error(result) }
    }

    func error(_ code: Int32) -> SQLiteBulkError {
        SQLiteBulkError(code: code, message: sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "")
    }
}

/// A statement run through ``SQLiteHandle`` failed: SQLite's result code and message.
struct SQLiteBulkError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "SQLite error \(code): \(message)" }
}

private let emptyText: StaticString = ""

/// SQLite copies the bound text before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
