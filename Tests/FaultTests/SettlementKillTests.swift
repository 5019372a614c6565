import CurePathTesting
import Foundation
import Storage
import Testing

/// SIGKILL `curepath settle` while it writes a large settlement — one transaction — then
/// show that the ledger holds none of it, the database is intact, and settling again posts
/// exactly what an uninterrupted run posts.
@Suite("killing a settlement mid-run", .serialized)
struct SettlementKillTests {
    static let asOf = "2031-01-01"

    static func ledger(_ path: String) async throws -> (postings: [String: String], runs: Int, integrity: String) {
        let database = try await Database.open(.sqliteFile(path: path))
        do {
            let result = try await database.withConnection { db in
                let postings = try await db.raw("SELECT key, body FROM ledger_transactions").all()
                    .map { (try $0.decode(column: "key", as: String.self), try $0.decode(column: "body", as: String.self)) }
                let runs = try await db.raw("SELECT COUNT(*) AS n FROM settlement_runs").first()?.decode(column: "n", as: Int.self) ?? -1
                let integrity = try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self) ?? "?"
                return (Dictionary(uniqueKeysWithValues: postings), runs, integrity)
            }
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    @Test("SIGKILL during a settlement posts nothing; settling again posts what an uninterrupted run posts")
    func killDuringSettlement() async throws {
        // Large enough that the settlement outgrows SQLite's 64 MiB page cache and writes long
        // before it commits (postings are stored compactly, about 2.6 MB a thousand patients):
        // at 10,000 patients it wrote nothing until the commit, and the kill could miss it.
        let loaded = try CurePathProcess.run(["bench", "settle", "--patients", "40000", "--load-only"])
        try #require(loaded.status == 0, "\(loaded.stderr)")
        let path = try #require(loaded.stdout.split(separator: "\n").first { $0.hasPrefix("keeping the benchmark database at ") }
            .map { String($0.dropFirst("keeping the benchmark database at ".count)) })
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reference = directory.appendingPathComponent("reference.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: reference)

        // The uninterrupted run, on a copy.
        let uninterrupted = try CurePathProcess.run(["settle", "--as-of", Self.asOf, "--allow-future-date", "--database", reference])
        try #require(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let expected = try await Self.ledger(reference)
        try #require(expected.postings.count > 10_000)

        // The same run, killed once it is writing.
        let process = Process()
        process.executableURL = CurePathProcess.executable
        process.arguments = ["settle", "--as-of", Self.asOf, "--allow-future-date", "--database", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let killed = try await CurePathProcess.kill(process, afterWriting: 4 << 20, within: 300)
        process.waitUntilExit()
        #expect(killed, "the settlement finished before it had written 4 MB")
        #expect(process.terminationReason == .uncaughtSignal)

        let afterKill = try await Self.ledger(path)
        #expect(afterKill.postings.isEmpty, "\(afterKill.postings.count) postings survived the kill")
        #expect(afterKill.runs == 0)
        #expect(afterKill.integrity == "ok")

        // Settling again posts exactly the uninterrupted run's postings, once.
        let again = try CurePathProcess.run(["settle", "--as-of", Self.asOf, "--allow-future-date", "--database", path])
        #expect(again.status == 0, "\(again.stderr)")
        let final = try await Self.ledger(path)
        #expect(final.postings == expected.postings)
        #expect(final.runs == 1)
        let balance = try CurePathProcess.run(["ledger", "trial-balance", "--database", path])
        #expect(balance.status == 0)
        #expect(balance.stdout.hasSuffix("balanced\n"))
    }
}
