import Foundation
import Logging
import SQLKit
import SQLiteKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Backups and restores of a whole CurePath database, safe to take while servers run.
///
/// - **SQLite**: `VACUUM INTO` a temporary file beside the target, which SQLite writes from one
///   read transaction (a consistent snapshot; in WAL mode it does not block the server's
///   writes); the copy is synced, checked (`PRAGMA quick_check`) and only then renamed into
///   place, so an interrupted backup never leaves a half-written file under the backup's name.
///   Restore copies the file into place the same way, only when the target does not exist or
///   `replace` is set, and refuses to replace a database another process has open.
/// - **PostgreSQL**: `pg_dump --format=custom` (one consistent snapshot of the database, or of
///   the URL's `schema`) and `pg_restore --single-transaction` (all of it or nothing), run as
///   subprocesses with the URL's password in `PGPASSWORD`, never on the command line.
public enum Backup {
    /// What a backup or restore wrote.
    public struct Summary: Sendable, Equatable {
        /// Size of the backup file.
        public var bytes: Int64
        /// Row counts of the copied database, when they could be read (SQLite backup, any restore).
        public var counts: Counts?
        /// Entries in the dump's table of contents (`pg_restore --list`), for PostgreSQL backups.
        public var dumpEntries: Int?
    }

    /// Rows in the main tables: what an operator checks after a restore.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var cases: Int
        public var events: Int
        public var custodyEntries: Int
        public var description: String { "\(cases) cases, \(events) journey events, \(custodyEntries) custody entries" }
    }

    /// A backup or restore that was refused or failed, with the reason in one line.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Backup

    /// Writes a consistent copy of the database at `location` to `path`. Refuses to overwrite an
    /// existing file unless `replace` is set.
    public static func backup(
        _ location: DatabaseLocation, to path: String, replace: Bool = false, logger: Logger = Logger(label: "curepath.backup")
    ) async throws -> Summary {
        let target = absolute(path)
        if FileManager.default.fileExists(atPath: target), !replace {
            throw Failure("\(path) already exists; pass --force to replace it")
        }
        switch location {
        case .sqliteFile(let source):
            return try await backupSQLite(from: absolute(source), to: target, logger: logger)
        case .sqliteInMemory:
            throw Failure("an in-memory database cannot be backed up")
        case .postgres(let url):
            return try await backupPostgres(url, to: target)
        }
    }

    private static func backupSQLite(from source: String, to target: String, logger: Logger) async throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("no SQLite database at \(source)") }
        guard source != target else { throw Failure("the backup file must not be the database itself") }
        let temporary = temporaryPath(beside: target, purpose: "backup")
        defer { removeIfPresent(temporary) }
        // The head checkpoint first: heads move only after commits, so a checkpoint copied
        // before the snapshot never records more than the snapshot holds.
        try copyHeads(from: source, to: target)
        let database = try await Database.open(.sqliteFile(path: source), logger: logger)
        do {
            // One read transaction on the source: the copy is a snapshot of one committed state.
            try await database.withConnection { db in try await db.raw("VACUUM INTO \(bind: temporary)").run() }
        } catch {
            await database.close()
            throw Failure("VACUUM INTO failed: \(error)")
        }
        await database.close()
        try syncFile(temporary)
        let counts = try await checkSQLiteCopy(temporary, logger: logger)
        try moveIntoPlace(temporary, target)
        return Summary(bytes: fileSize(target), counts: counts, dumpEntries: nil)
    }

    /// Copies the head checkpoint beside a SQLite database (``HeadCheckpoint``) to sit beside
    /// `target`, replacing the one there; removes it when `source` has none, so a restored
    /// database is compared with the checkpoint of the state it came from.
    private static func copyHeads(from source: String, to target: String) throws {
        let from = source + ".heads", to = target + ".heads"
        guard FileManager.default.fileExists(atPath: from) else {
            removeIfPresent(to)
            return
        }
        let temporary = temporaryPath(beside: to, purpose: "heads")
        defer { removeIfPresent(temporary) }
        do {
            try FileManager.default.copyItem(atPath: from, toPath: temporary)
        } catch {
            throw Failure("cannot copy \(from): \(error.localizedDescription)")
        }
        try syncFile(temporary)
        try moveIntoPlace(temporary, to)
    }

    private static func backupPostgres(_ url: String, to target: String) async throws -> Summary {
        let connection = try PostgresConnectionArguments(url)
        let temporary = temporaryPath(beside: target, purpose: "backup")
        defer { removeIfPresent(temporary) }
        var arguments = ["--format=custom", "--file=\(temporary)"] + connection.arguments
        if let schema = connection.schema { arguments.append("--schema=\(schema)") }
        _ = try run(try postgresTool("pg_dump"), arguments, password: connection.password)
        try syncFile(temporary)
        // The dump must be readable by the tool that will restore it.
        let list = try run(try postgresTool("pg_restore"), ["--list", temporary], password: nil)
        let entries = list.split(separator: "\n").filter { !$0.hasPrefix(";") && !$0.isEmpty }.count
        try moveIntoPlace(temporary, target)
        return Summary(bytes: fileSize(target), counts: nil, dumpEntries: entries)
    }

    // MARK: - Restore

    /// Restores the backup at `path` into `location`.
    ///
    /// SQLite: the file is copied into place when the target does not exist, or when `replace`
    /// is set and no other process has the target open. PostgreSQL: the dump is restored in
    /// one transaction into the URL's database (and schema); a database that already has tables
    /// there is refused unless `replace` is set, in which case the dump's objects are dropped
    /// and recreated.
    public static func restore(
        from path: String, to location: DatabaseLocation, replace: Bool = false, logger: Logger = Logger(label: "curepath.backup")
    ) async throws -> Summary {
        let source = absolute(path)
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("no backup at \(path)") }
        switch location {
        case .sqliteFile(let target):
            return try await restoreSQLite(from: source, to: absolute(target), replace: replace, logger: logger)
        case .sqliteInMemory:
            throw Failure("cannot restore into an in-memory database")
        case .postgres(let url):
            return try await restorePostgres(from: source, to: url, replace: replace, logger: logger)
        }
    }

    private static func restoreSQLite(from source: String, to target: String, replace: Bool, logger: Logger) async throws -> Summary {
        guard source != target else { throw Failure("the backup and the database are the same file") }
        let companions = [target, target + "-wal", target + "-shm", target + "-journal"]
        let existing = companions.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty {
            guard replace else { throw Failure("\(target) already exists; pass --force to replace it (stop the servers using it first)") }
            if FileManager.default.fileExists(atPath: target) { try await ensureNotInUse(target, logger: logger) }
        }
        let temporary = temporaryPath(beside: target, purpose: "restore")
        defer {
            for path in [temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal"] { removeIfPresent(path) }
        }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
        } catch {
            throw Failure("cannot copy \(source): \(error.localizedDescription)")
        }
        try syncFile(temporary)
        let counts = try await checkSQLiteCopy(temporary, logger: logger)
        // A stale write-ahead log must not be replayed onto the restored file.
        for path in companions.dropFirst() { removeIfPresent(path) }
        try moveIntoPlace(temporary, target)
        try copyHeads(from: source, to: target)
        return Summary(bytes: fileSize(target), counts: counts, dumpEntries: nil)
    }

    private static func restorePostgres(from source: String, to url: String, replace: Bool, logger: Logger) async throws -> Summary {
        let connection = try PostgresConnectionArguments(url)
        let restoreTool = try postgresTool("pg_restore")
        // Refuses a file that is not a custom-format dump before touching the database.
        _ = try run(restoreTool, ["--list", source], password: nil)
        let tables = try await tableCount(connection, logger: logger)
        if tables > 0, !replace {
            throw Failure("the target \(connection.schema.map { "schema \($0)" } ?? "database") already has \(tables) tables; pass --force to replace them")
        }
        // --clean --if-exists: drop what the dump will create (a no-op on an empty database), so an
        // existing but empty schema does not make CREATE SCHEMA fail.
        let arguments = connection.arguments + [
            "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--clean", "--if-exists", source,
        ]
        _ = try run(restoreTool, arguments, password: connection.password)
        let database = try await Database.open(.postgres(url: url), logger: logger)
        let counts = try? await counts(in: database)
        await database.close()
        return Summary(bytes: fileSize(source), counts: counts, dumpEntries: nil)
    }

    // MARK: - Counts and checks

    /// Row counts of the main tables of an open database.
    public static func counts(in database: Database) async throws -> Counts {
        try await database.withConnection { db in try await counts(db) }
    }

    static func counts(_ db: any SQLDatabase) async throws -> Counts {
        guard let row = try await db.raw("""
            SELECT (SELECT COUNT(*) FROM cases) AS cases, (SELECT COUNT(*) FROM journey_events) AS events,
                   (SELECT COUNT(*) FROM custody_entries) AS custody
            """).first()
        else { throw Failure("could not count rows") }
        return Counts(cases: try row.int("cases"), events: try row.int("events"), custodyEntries: try row.int("custody"))
    }

    /// Opens a copied SQLite file on its own connection (no pragmas that would change it), checks
    /// its structure and that it is a CurePath database, and counts its rows.
    private static func checkSQLiteCopy(_ path: String, logger: Logger) async throws -> Counts {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            let db = connection.sql(queryLogLevel: nil)
            let check = try await db.raw("PRAGMA quick_check").all().map { try $0.decode(column: "quick_check", as: String.self) }
            guard check == ["ok"] else { throw Failure("the copy failed SQLite's quick_check: \(check.prefix(3).joined(separator: "; "))") }
            let migrations = try await db.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'curepath_migrations'").first()?.int("n") ?? 0
            guard migrations == 1 else { throw Failure("\(path) is not a CurePath database (no curepath_migrations table)") }
            let counts = try await counts(db)
            try await connection.close()
            return counts
        } catch let failure as Failure {
            try? await connection.close()
            throw failure
        } catch {
            try? await connection.close()
            throw Failure("the copy is not a readable SQLite database: \(error)")
        }
    }

    /// Fails when another connection (a running server, a `sqlite3` shell) has `path` open: an
    /// exclusive lock cannot be taken while any other connection holds the file.
    private static func ensureNotInUse(_ path: String, logger: Logger) async throws {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            let db = connection.sql(queryLogLevel: nil)
            try await db.raw("PRAGMA busy_timeout = 1000").run()
            try await db.raw("PRAGMA locking_mode = EXCLUSIVE").run()
            try await db.raw("BEGIN EXCLUSIVE").run()
            try await db.raw("COMMIT").run()
            try await connection.close()
        } catch {
            try? await connection.close()
            throw Failure("\(path) is in use by another process (a running server?); stop it before restoring over it")
        }
    }

    /// Tables in the URL's schema (or the connection's current schema).
    private static func tableCount(_ connection: PostgresConnectionArguments, logger: Logger) async throws -> Int {
        // Opened without the schema query item: Database.open would create the schema.
        let database = try await Database.open(.postgres(url: connection.urlWithoutSchema), logger: logger)
        do {
            let n = try await database.withConnection { db in
                let schema: any SQLExpression = connection.schema.map { SQLBind($0) } ?? SQLRaw("current_schema()")
                return try await db.raw("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = \(schema)").first()?.int("n") ?? 0
            }
            await database.close()
            return n
        } catch {
            await database.close()
            throw Failure("cannot reach the target database: \(String(reflecting: error).prefix(300))")
        }
    }

    // MARK: - PostgreSQL tools

    /// pg_dump / pg_restore connection flags taken from a `postgres://` URL; the password is
    /// kept apart, for `PGPASSWORD`.
    struct PostgresConnectionArguments {
        var arguments: [String]
        var password: String?
        var schema: String?
        var urlWithoutSchema: String

        init(_ url: String) throws {
            guard var parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
                throw Failure("PostgreSQL URL must look like postgres://user:password@host:port/database")
            }
            let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
            arguments = ["--host=\(host)", "--port=\(parts.port ?? 5432)", "--username=\(user.removingPercentEncoding ?? user)", "--no-password"]
            if !database.isEmpty { arguments.append("--dbname=\(database.removingPercentEncoding ?? database)") }
            password = parts.password?.removingPercentEncoding
            schema = parts.queryItems?.first { $0.name == "schema" }?.value
            if let schema, !schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                throw Failure("schema must be letters, digits and underscores")
            }
            parts.queryItems = parts.queryItems?.filter { $0.name != "schema" }
            if parts.queryItems?.isEmpty == true { parts.queryItems = nil }
            urlWithoutSchema = parts.string ?? url
        }
    }

    /// The path of a PostgreSQL client tool: `$PATH` first, then Debian's per-version folders
    /// (newest first, since pg_dump must not be older than the server).
    static func postgresTool(_ name: String) throws -> String {
        var candidates: [String] = []
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            candidates.append("\(directory)/\(name)")
        }
        let debian = "/usr/lib/postgresql"
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: debian) {
            for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
                candidates.append("\(debian)/\(version)/bin/\(name)")
            }
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure("\(name) not found (install the PostgreSQL client tools, e.g. apt-get install postgresql-client)")
        }
        return found
    }

    /// Runs a tool to completion; returns its standard output, or throws with the first lines
    /// of its standard error.
    static func run(_ executable: String, _ arguments: [String], password: String?) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password } else { environment.removeValue(forKey: "PGPASSWORD") }
        environment["PGAPPNAME"] = "curepath-backup"
        environment["PGCONNECT_TIMEOUT"] = environment["PGCONNECT_TIMEOUT"] ?? "10"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure("cannot run \(executable): \(error.localizedDescription)") }
        // Read both pipes while the tool runs, so neither fills up and blocks it.
        let errorData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.data = errors.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = String(decoding: errorData.data, as: UTF8.self).split(separator: "\n").prefix(3).joined(separator: " / ")
            throw Failure("\((executable as NSString).lastPathComponent) failed (status \(process.terminationStatus)): \(message)")
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// Standard error read on another thread; `DispatchGroup.wait()` orders the write before the read.
    private final class DataBox: @unchecked Sendable { var data = Data() }

    // MARK: - Files

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func temporaryPath(beside target: String, purpose: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(purpose)-\(getpid())").path
    }

    private static func removeIfPresent(_ path: String) {
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Forces a file's contents to disk.
    private static func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure("cannot open \(path) to sync it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure("fsync of \(path) failed") }
    }

    /// Renames `temporary` over `target` (atomic on one file system) and syncs the folder, so
    /// the target is either the old file or the complete new one, even after a crash.
    private static func moveIntoPlace(_ temporary: String, _ target: String) throws {
        guard rename(temporary, target) == 0 else { throw Failure("cannot move the copy to \(target): \(String(cString: strerror(errno)))") }
        let folder = open(URL(fileURLWithPath: target).deletingLastPathComponent().path, O_RDONLY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }
}
