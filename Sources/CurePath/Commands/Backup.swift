import ArgumentParser
import Foundation
import Logging
import Storage

/// `curepath backup --to FILE`: a consistent copy of the database, safe while servers run
/// (SQLite: `VACUUM INTO`; PostgreSQL: `pg_dump --format=custom`).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a backup file, safely while servers run.",
        discussion: """
            SQLite: VACUUM INTO a consistent copy (checked with PRAGMA quick_check). PostgreSQL: pg_dump in \
            custom format, with the URL's password passed in PGPASSWORD. The file appears only when complete.
            """
    )

    @Option(help: "The backup file to write.") var to: String
    @Flag(help: "Replace the backup file if it exists.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try database.configuration()
        let summary: Backup.Summary
        do {
            summary = try await Backup.backup(configuration.database, to: to, replace: force, logger: quietLogger())
        } catch let failure as Backup.Failure {
            printError(failure.description)
            throw ExitCode(1)
        }
        var line = "backed up \(configuration.database) to \(to) (\(formattedSize(summary.bytes)))"
        if let counts = summary.counts { line += ": \(counts)" }
        if let entries = summary.dumpEntries { line += ": pg_dump custom format, \(entries) entries" }
        print(line)
    }
}

/// `curepath restore --from FILE`: put a backup back (SQLite: copy into place; PostgreSQL:
/// `pg_restore` in one transaction).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made with `curepath backup`.",
        discussion: """
            SQLite: copies the backup to the --database path when that file does not exist, or with --force when \
            no other process has it open (stop the servers first). PostgreSQL: pg_restore into the --database-url's \
            database in one transaction; a database that already has tables is refused unless --force.
            """
    )

    @Option(help: "The backup file to restore.") var from: String
    @Flag(help: "Replace an existing database.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try database.configuration()
        let summary: Backup.Summary
        do {
            summary = try await Backup.restore(from: from, to: configuration.database, replace: force, logger: quietLogger())
        } catch let failure as Backup.Failure {
            printError(failure.description)
            throw ExitCode(1)
        }
        var line = "restored \(from) into \(configuration.database)"
        if let counts = summary.counts { line += ": \(counts)" }
        print(line)
    }
}

/// Errors only: the outcome is the one line these commands print (PostgresNIO otherwise warns
/// when the first query of a just-opened pool races its `run()`).
private func quietLogger() -> Logger {
    var logger = Logger(label: "curepath.backup")
    logger.logLevel = .error
    return logger
}

private func formattedSize(_ bytes: Int64) -> String {
    bytes >= 1 << 20 ? String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) : String(format: "%.1f KiB", Double(bytes) / 1024)
}
