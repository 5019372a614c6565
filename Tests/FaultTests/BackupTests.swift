import CurePathTesting
import Foundation
import Storage
import Testing

/// `curepath backup` and `curepath restore`, run as the built executable: a demo database is
/// backed up, restored into a new database, and the restored copy must have the same rows,
/// the same report and intact custody chains. The kill test of the batch write is
/// `scripts/kill-test` (it takes about a minute).
@Suite("backup and restore", .serialized)
struct BackupTests {
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
            let demo = try CurePathProcess.run(["demo", "--cases", "400", "--database", source])
            try #require(demo.status == 0, "\(demo.stderr)")

            let made = try CurePathProcess.run(["backup", "--to", backup, "--database", source])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout.contains("400 cases"))
            let back = try CurePathProcess.run(["restore", "--from", backup, "--database", restored])
            #expect(back.status == 0, "\(back.stderr)")

            let original = try await Self.counts(.sqliteFile(path: source))
            #expect(original.cases == 400)
            #expect(original.events > 400)
            #expect(original.custodyEntries > 0)
            #expect(try await Self.counts(.sqliteFile(path: restored)) == original)
            #expect(back.stdout.contains(original.description))

            // The report computed from the restored copy is the original's, to the byte.
            let report = ["report", "journey", "--by", "center", "--format", "json"]
            let before = try CurePathProcess.run(report + ["--database", source])
            let after = try CurePathProcess.run(report + ["--database", restored])
            #expect(before.status == 0 && after.status == 0)
            #expect(!before.stdout.isEmpty && before.stdout == after.stdout)

            let custodyCases = try await Self.casesWithCustody(.sqliteFile(path: restored), limit: 3)
            #expect(custodyCases.count == 3)
            for id in custodyCases {
                let verify = try CurePathProcess.run(["verify-custody", id, "--database", restored])
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
            try #require(try CurePathProcess.run(["demo", "--cases", "30", "--database", source]).status == 0)
            try #require(try CurePathProcess.run(["backup", "--to", backup, "--database", source]).status == 0)

            let again = try CurePathProcess.run(["backup", "--to", backup, "--database", source])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already exists") && again.stderr.split(separator: "\n").count == 1)
            #expect(try CurePathProcess.run(["backup", "--to", backup, "--force", "--database", source]).status == 0)

            let missing = try CurePathProcess.run(["backup", "--to", target, "--database", directory.appendingPathComponent("nothing.sqlite").path])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no SQLite database"))
            #expect(!FileManager.default.fileExists(atPath: target))

            // Restoring over an existing database needs --force.
            try #require(try CurePathProcess.run(["demo", "--cases", "10", "--database", target]).status == 0)
            let over = try CurePathProcess.run(["restore", "--from", backup, "--database", target])
            #expect(over.status == 1)
            #expect(over.stderr.contains("--force"))
            #expect(try await Self.counts(.sqliteFile(path: target)).cases == 10)
            let forced = try CurePathProcess.run(["restore", "--from", backup, "--force", "--database", target])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(try await Self.counts(.sqliteFile(path: target)).cases == 30)

            // A file that is not a CurePath database is refused and the target is left alone.
            let junk = directory.appendingPathComponent("junk.sqlite").path
            try Data("not a database".utf8).write(to: URL(fileURLWithPath: junk))
            let bad = try CurePathProcess.run(["restore", "--from", junk, "--force", "--database", target])
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
            try #require(try CurePathProcess.run(["demo", "--cases", "50", "--database", source]).status == 0)
            try #require(try CurePathProcess.run(["backup", "--to", other, "--database", source]).status == 0)

            // Port 0: the kernel picks a free port; we only need the server to hold the file open.
            let server = Process()
            server.executableURL = CurePathProcess.executable
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

            let made = try CurePathProcess.run(["backup", "--to", backup, "--database", source])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(try await Self.counts(.sqliteFile(path: backup)).cases == 50)
            let refused = try CurePathProcess.run(["restore", "--from", other, "--force", "--database", source])
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
                try #require(try CurePathProcess.run(["demo", "--cases", "120", "--database-url", sourceURL]).status == 0)
                let made = try CurePathProcess.run(["backup", "--to", dump, "--database-url", sourceURL])
                #expect(made.status == 0, "\(made.stderr)")
                #expect(made.stdout.contains(":***@") && !made.stdout.contains(":\(parts.password ?? "")@"), "the password is never printed")
                let back = try CurePathProcess.run(["restore", "--from", dump, "--database-url", restoredURL])
                #expect(back.status == 0, "\(back.stderr)")
                let original = try await Self.counts(.postgres(url: sourceURL))
                #expect(original.cases == 120)
                #expect(try await Self.counts(.postgres(url: restoredURL)) == original)

                let again = try CurePathProcess.run(["restore", "--from", dump, "--database-url", restoredURL])
                #expect(again.status == 1)
                #expect(again.stderr.contains("--force"))
                #expect(try CurePathProcess.run(["restore", "--from", dump, "--force", "--database-url", restoredURL]).status == 0)
                #expect(try await Self.counts(.postgres(url: restoredURL)) == original)

                for id in try await Self.casesWithCustody(.postgres(url: restoredURL), limit: 2) {
                    let verify = try CurePathProcess.run(["verify-custody", id, "--database-url", restoredURL])
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
