import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// Where CurePath keeps its data: an embedded SQLite file by default, or a PostgreSQL
/// server when several app servers share one database.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteInMemory
    /// A `postgres://user:password@host:port/database` URL. A `schema` query item puts every
    /// table in that schema (used by tests to isolate runs in one database).
    case postgres(url: String)

    /// Chooses PostgreSQL when a URL is given, else the SQLite file.
    public static func from(databaseURL: String?, sqlitePath: String) throws(StorageError) -> DatabaseLocation {
        guard let databaseURL, !databaseURL.isEmpty else { return .sqliteFile(path: sqlitePath) }
        if databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") { return .postgres(url: databaseURL) }
        if databaseURL.hasPrefix("sqlite://") { return .sqliteFile(path: String(databaseURL.dropFirst("sqlite://".count))) }
        throw StorageError.configuration("database URL must start with postgres:// or sqlite://")
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite at \(path)"
        case .sqliteInMemory: return "SQLite in memory"
        case .postgres(let url):
            // Never print the password.
            if var parts = URLComponents(string: url) {
                parts.password = parts.password.map { _ in "***" }
                return "PostgreSQL at \(parts.string ?? "?")"
            }
            return "PostgreSQL"
        }
    }
}

/// A storage failure that is not the caller's input: unreachable server, bad configuration.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    case configuration(String)
    case conflict(String)
    case corrupt(String)

    /// The conflict for a caller-chosen ID already in use: it names only the ID, never the
    /// record holding it, which may belong to another organization's patient.
    public static func idTaken(_ id: String) -> StorageError {
        .conflict("id: '\(id)' is already used; send another id, or none to have one assigned")
    }

    public var description: String {
        switch self {
        case .configuration(let message): "database configuration: \(message)"
        case .conflict(let message): message
        case .corrupt(let message): "stored data is inconsistent: \(message)"
        }
    }
}

/// One handle on the database that every repository shares, with the two operations they
/// need: a read, and a transaction that commits all of its statements or none.
///
/// SQLite uses a single connection behind a FIFO lock (one writer is all SQLite allows, and
/// it keeps transactions from interleaving); PostgreSQL uses postgres-nio's connection pool,
/// one pooled connection per transaction.
public final class Database: Sendable {
    public enum Dialect: String, Sendable { case sqlite, postgres }

    public let dialect: Dialect
    public let logger: Logger
    /// Counts committed writes, so readers can tell when cached results went stale.
    public let changes = ChangeTracker()
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(SQLiteConnection, AsyncLock)
        case postgres(PostgresClient, Task<Void, Never>, schema: String?)
    }

    private init(dialect: Dialect, backend: Backend, logger: Logger) {
        self.dialect = dialect
        self.backend = backend
        self.logger = logger
    }

    /// Opens the database; call ``close()`` when done.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "curepath.storage")) async throws -> Database {
        switch location {
        case .sqliteFile(let path):
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await configureSQLite(connection, wal: true)
            return Database(dialect: .sqlite, backend: .sqlite(connection, AsyncLock()), logger: logger)
        case .sqliteInMemory:
            let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
            try await configureSQLite(connection, wal: false)
            return Database(dialect: .sqlite, backend: .sqlite(connection, AsyncLock()), logger: logger)
        case .postgres(let url):
            let (configuration, schema) = try postgresConfiguration(url)
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let runner = Task { await client.run() }
            // run() only has to start before the first lease (postgres-nio warns otherwise, and
            // gives no way to wait for it); a few milliseconds at open is enough to schedule it.
            try? await Task.sleep(for: .milliseconds(5))
            let database = Database(dialect: .postgres, backend: .postgres(client, runner, schema: schema), logger: logger)
            if let schema {
                try await database.withConnection { db in
                    try await db.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                }
            }
            return database
        }
    }

    private static func configureSQLite(_ connection: SQLiteConnection, wal: Bool) async throws {
        // 16 KiB pages (SQLite's default is 4 KiB) for a new file; an existing one keeps its own.
        // A large settlement appends millions of postings and entries: bigger pages mean fewer
        // page splits and WAL frames, and shallower B-trees (docs/PERFORMANCE.md).
        _ = try await connection.query("PRAGMA page_size = 16384")
        if wal { _ = try await connection.query("PRAGMA journal_mode = WAL") }
        _ = try await connection.query("PRAGMA synchronous = NORMAL")
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        // 64 MiB of page cache (the default is 2 MiB): large batch writes such as a
        // settlement otherwise spill pages to the WAL long before they commit.
        _ = try await connection.query("PRAGMA cache_size = -65536")
    }

    private static func postgresConfiguration(_ url: String) throws -> (PostgresClient.Configuration, String?) {
        guard let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            throw StorageError.configuration("PostgreSQL URL must look like postgres://user:password@host:port/database")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: parts.password?.removingPercentEncoding, database: database.isEmpty ? nil : database, tls: .disable
        )
        configuration.options.maximumConnections = 16
        let schema = parts.queryItems?.first { $0.name == "schema" }?.value
        if let schema, !schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw StorageError.configuration("schema must be letters, digits and underscores")
        }
        return (configuration, schema)
    }

    /// Runs `body` with exclusive use of one connection.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let lock):
            return try await lock.withLock { try await body(connection.sql(queryLogLevel: nil)) }
        case .postgres(let client, _, let schema):
            return try await client.withConnection { connection in
                let db = connection.sql(queryLogLevel: nil)
                if let schema { try await db.raw("SET search_path TO \(ident: schema)").run() }
                return try await body(db)
            }
        }
    }

    /// Runs `body` in a transaction: everything it writes is committed together, or — if it
    /// throws — rolled back, leaving the database as it was.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection { db in
            try await db.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                await changes.noteCommittedWrite(in: db)
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// ``transaction(_:)`` with the raw SQLite connection too (`nil` on PostgreSQL), for the bulk
    /// reads and writes of a settlement, where SQLKit's statement building and row decoding are
    /// the bottleneck. Both handles are the same connection, in the same transaction.
    func transactionWithSQLite<T: Sendable>(_ body: @Sendable (any SQLDatabase, SQLiteConnection?) async throws -> T) async throws -> T {
        let raw: SQLiteConnection?
        if case .sqlite(let connection, _) = backend { raw = connection } else { raw = nil }
        return try await transaction { db in try await body(db, raw) }
    }

    /// The raw SQLite connection, for the few bulk reads where SQLKit's row decoding is the
    /// bottleneck; `nil` on PostgreSQL.
    func withSQLiteConnection<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T? {
        guard case .sqlite(let connection, let lock) = backend else { return nil }
        return try await lock.withLock { try await body(connection) }
    }

    public func close() async {
        switch backend {
        case .sqlite(let connection, let lock):
            _ = try? await lock.withLock { try await connection.close() }
        case .postgres(_, let runner, _):
            runner.cancel()
            _ = await runner.value
        }
    }
}
