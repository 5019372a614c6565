import Foundation
import Storage
import Testing

/// `curepath backup` and `curepath restore`, run as the built executable: a demo database is
/// backed up, restored into a new database, and the restored copy must have the same rows,
/// the same report and intact custody chains. The kill test of the batch write is
/// `scripts/kill-test` (it takes about a minute).
@Suite("backup and restore", .serialized)
struct BackupTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            products.appendingPathComponent("curepath"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/curepath"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `curepath` with the arguments; stdout and stderr are read from files so a long
    /// output cannot fill a pipe while we wait.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CUREPATH_DATABASE_URL")
        environment.removeValue(forKey: "CUREPATH_DATABASE_PATH")
        process.environment = environment
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("\(id).out"), err = directory.appendingPathComponent("\(id).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }

    static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    static func counts(_ location: DatabaseLocation) async throws -> Backup.Counts {
        let database = try await Database.open(location)
        do {
            let counts = try await Backup.counts(in: database)
            await database.close()
            return counts
        } catch {
            await database.close()
            throw error
        }
    }

    /// Cases that have a custody log, to verify on the restored copy.
    static func casesWithCustody(_ location: DatabaseLocation, limit: Int) async throws -> [String] {
        let database = try await Database.open(location)
        do {
            let ids = try await database.withConnection { db in
                try await db.raw("SELECT DISTINCT case_id FROM custody_entries ORDER BY case_id LIMIT \(literal: limit)").all()
                    .map { try $0.decode(column: "case_id", as: String.self) }
            }
            await database.close()
            return ids
        } catch {
            await database.close()
            throw error
        }
    }

    @Test("SQLite: back up a demo database, restore it into a new file, same rows, same report, custody intact")
    func sqliteRoundTrip() async throws {
        try await Self.withTemporaryDirectory { directory in
            let source = directory.appendingPathComponent("source.sqlite").path
            let backup = directory.appendingPathComponent("backup.sqlite").path
            let restored = directory.appendingPathComponent("restored.sqlite").path
            let demo = try Self.run(["demo", "--cases", "400", "--database", source], in: directory)
            try #require(demo.status == 0, "\(demo.stderr)")

            let made = try Self.run(["backup", "--to", backup, "--database", source], in: directory)
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout.contains("400 cases"))
            let back = try Self.run(["restore", "--from", backup, "--database", restored], in: directory)
            #expect(back.status == 0, "\(back.stderr)")

            let original = try await Self.counts(.sqliteFile(path: source))
            #expect(original.cases == 400)
            #expect(original.events > 400)
            #expect(original.custodyEntries > 0)
            #expect(try await Self.counts(.sqliteFile(path: restored)) == original)
            #expect(back.stdout.contains(original.description))

            // The report computed from the restored copy is the original's, to the byte.
            let report = ["report", "journey", "--by", "center", "--format", "json"]
            let before = try Self.run(report + ["--database", source], in: directory)
            let after = try Self.run(report + ["--database", restored], in: directory)
            #expect(before.status == 0 && after.status == 0)
            #expect(!before.stdout.isEmpty && before.stdout == after.stdout)

            let custodyCases = try await Self.casesWithCustody(.sqliteFile(path: restored), limit: 3)
            #expect(custodyCases.count == 3)
            for id in custodyCases {
                let verify = try Self.run(["verify-custody", id, "--database", restored], in: directory)
                #expect(verify.status == 0, "\(verify.stderr)")
                #expect(verify.stdout.contains("custody chain intact"))
            }
        }
    }

    @Test("SQLite: existing files are not overwritten without --force, and a non-database is refused")
    func sqliteRefusals() async throws {
        try await Self.withTemporaryDirectory { directory in
            let source = directory.appendingPathComponent("source.sqlite").path
            let backup = directory.appendingPathComponent("backup.sqlite").path
            let target = directory.appendingPathComponent("target.sqlite").path
            try #require(try Self.run(["demo", "--cases", "30", "--database", source], in: directory).status == 0)
            try #require(try Self.run(["backup", "--to", backup, "--database", source], in: directory).status == 0)

            let again = try Self.run(["backup", "--to", backup, "--database", source], in: directory)
            #expect(again.status == 1)
            #expect(again.stderr.contains("already exists") && again.stderr.split(separator: "\n").count == 1)
            #expect(try Self.run(["backup", "--to", backup, "--force", "--database", source], in: directory).status == 0)

            let missing = try Self.run(["backup", "--to", target, "--database", directory.appendingPathComponent("nothing.sqlite").path], in: directory)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no SQLite database"))
            #expect(!FileManager.default.fileExists(atPath: target))

            // Restoring over an existing database needs --force.
            try #require(try Self.run(["demo", "--cases", "10", "--database", target], in: directory).status == 0)
            let over = try Self.run(["restore", "--from", backup, "--database", target], in: directory)
            #expect(over.status == 1)
            #expect(over.stderr.contains("--force"))
            #expect(try await Self.counts(.sqliteFile(path: target)).cases == 10)
            let forced = try Self.run(["restore", "--from", backup, "--force", "--database", target], in: directory)
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try await Self.counts(.sqliteFile(path: target)).cases == 30)

            // A file that is not a CurePath database is refused and the target is left alone.
            let junk = directory.appendingPathComponent("junk.sqlite").path
            try Data("not a database".utf8).write(to: URL(fileURLWithPath: junk))
            let bad = try Self.run(["restore", "--from", junk, "--force", "--database", target], in: directory)
            #expect(bad.status == 1)
            #expect(try await Self.counts(.sqliteFile(path: target)).cases == 30)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.hasPrefix(".") }, "no temporary file left behind")
        }
    }

    @Test("SQLite: a backup is taken while a server runs, and restore refuses to replace the database it has open")
    func sqliteWhileServing() async throws {
        try await Self.withTemporaryDirectory { directory in
            let source = directory.appendingPathComponent("live.sqlite").path
            let backup = directory.appendingPathComponent("live-backup.sqlite").path
            let other = directory.appendingPathComponent("other.sqlite").path
            try #require(try Self.run(["demo", "--cases", "50", "--database", source], in: directory).status == 0)
            try #require(try Self.run(["backup", "--to", other, "--database", source], in: directory).status == 0)

            // Port 0: the kernel picks a free port; we only need the server to hold the file open.
            let server = Process()
            server.executableURL = Self.executable
            server.arguments = ["serve", "--port", "0", "--no-demo", "--database", source]
            let log = directory.appendingPathComponent("server.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            server.standardOutput = handle
            server.standardError = handle
            try server.run()
            defer {
                server.terminate()
                server.waitUntilExit()
            }
            var output = ""
            let deadline = Date().addingTimeInterval(60)
            while !output.contains("listening"), server.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            }
            try #require(output.contains("listening"), "server did not start: \(output)")

            let made = try Self.run(["backup", "--to", backup, "--database", source], in: directory)
            #expect(made.status == 0, "\(made.stderr)")
            #expect(try await Self.counts(.sqliteFile(path: backup)).cases == 50)
            let refused = try Self.run(["restore", "--from", other, "--force", "--database", source], in: directory)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("in use"))
        }
    }

    @Test(
        "PostgreSQL: pg_dump a demo schema, pg_restore it into a new database, same rows, custody intact",
        .enabled(if: ProcessInfo.processInfo.environment["CUREPATH_TEST_POSTGRES_URL"]?.isEmpty == false)
    )
    func postgresRoundTrip() async throws {
        let base = ProcessInfo.processInfo.environment["CUREPATH_TEST_POSTGRES_URL"]!
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let schema = "fault_\(suffix)"
        let restoreDatabase = "fault_restore_\(suffix)"
        guard var parts = URLComponents(string: base) else { Issue.record("bad CUREPATH_TEST_POSTGRES_URL"); return }
        let sourceURL = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        parts.path = "/\(restoreDatabase)"
        parts.queryItems = [URLQueryItem(name: "schema", value: schema)]
        let restoredURL = parts.string!

        let admin = try await Database.open(.postgres(url: base))
        try await admin.withConnection { db in try await db.raw("CREATE DATABASE \(ident: restoreDatabase)").run() }
        do {
            try await Self.withTemporaryDirectory { directory in
                let dump = directory.appendingPathComponent("backup.dump").path
                try #require(try Self.run(["demo", "--cases", "120", "--database-url", sourceURL], in: directory).status == 0)
                let made = try Self.run(["backup", "--to", dump, "--database-url", sourceURL], in: directory)
                #expect(made.status == 0, "\(made.stderr)")
                #expect(made.stdout.contains(":***@") && !made.stdout.contains(":\(parts.password ?? "")@"), "the password is never printed")
                let back = try Self.run(["restore", "--from", dump, "--database-url", restoredURL], in: directory)
                #expect(back.status == 0, "\(back.stderr)")
                let original = try await Self.counts(.postgres(url: sourceURL))
                #expect(original.cases == 120)
                #expect(try await Self.counts(.postgres(url: restoredURL)) == original)

                let again = try Self.run(["restore", "--from", dump, "--database-url", restoredURL], in: directory)
                #expect(again.status == 1)
                #expect(again.stderr.contains("--force"))
                #expect(try Self.run(["restore", "--from", dump, "--force", "--database-url", restoredURL], in: directory).status == 0)
                #expect(try await Self.counts(.postgres(url: restoredURL)) == original)

                for id in try await Self.casesWithCustody(.postgres(url: restoredURL), limit: 2) {
                    let verify = try Self.run(["verify-custody", id, "--database-url", restoredURL], in: directory)
                    #expect(verify.status == 0, "\(verify.stderr)")
                }
            }
        } catch {
            try? await Self.dropPostgres(admin, schema: schema, database: restoreDatabase)
            throw error
        }
        try await Self.dropPostgres(admin, schema: schema, database: restoreDatabase)
    }

    static func dropPostgres(_ admin: Database, schema: String, database: String) async throws {
        try await admin.withConnection { db in
            try await db.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            try await db.raw("DROP DATABASE IF EXISTS \(ident: database) WITH (FORCE)").run()
        }
        await admin.close()
    }
}
