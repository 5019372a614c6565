import Access
import Core
import CurePathTesting
import Foundation
import SQLKit
import Storage
import Testing

/// The tamper-evidence finding reproduced as an attacker with write access to the database
/// file would: raw SQL on the SQLite file between runs of `curepath`, then the verify
/// commands, which must exit 1 and say what is missing or altered.
@Suite("curepath verify commands catch tampering")
struct TamperCLITests {
    static func run(_ arguments: [String]) throws -> CurePathRun { try CurePathProcess.run(arguments) }

    /// Opens the file as the attacker does, runs `body`, closes it.
    @discardableResult
    static func tamper<T: Sendable>(_ path: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = try await Database.open(.sqliteFile(path: path))
        do {
            let result = try await database.withConnection { try await body($0) }
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    /// A demo database with `audited` audit entries made through the CLI.
    static func withDemo(audited: Int = 0, _ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-tamper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("demo.sqlite").path
        let demo = try run(["demo", "--cases", "120", "--database", path])
        #expect(demo.status == 0, "\(demo.stderr)")
        for index in 0..<audited {
            let org = try run(["admin", "create-org", "--id", "org-audit-\(index)", "--name", "Audited \(index)", "--kind", "mediator", "--database", path])
            #expect(org.status == 0, "\(org.stderr)")
        }
        try await body(path)
    }

    @Test("(i) audit verify reports a deleted tail against the head file")
    func auditTail() async throws {
        try await Self.withDemo(audited: 4) { path in
            let intact = try Self.run(["audit", "verify", "--database", path])
            #expect(intact.status == 0, "\(intact.stderr)")
            #expect(intact.stdout == "audit log intact (4 entries); the checkpoint records 4\n")
            try await Self.tamper(path) { try await $0.raw("DELETE FROM audit_log WHERE sequence >= 3").run() }
            let broken = try Self.run(["audit", "verify", "--database", path])
            #expect(broken.status == 1)
            #expect(broken.stderr == "curepath: audit log broken at entry 3: the log ends at entry 2 but the checkpoint records 4 entries: entries 3–4 are missing\n")
        }
    }

    @Test("(ii) audit verify catches a middle entry deleted and the rest re-hashed with the published algorithm")
    func auditRehashed() async throws {
        try await Self.withDemo(audited: 4) { path in
            try await Self.tamper(path) { db in
                let rows = try await db.raw("SELECT * FROM audit_log ORDER BY sequence").all()
                var previous = try rows[0].decode(column: "hash", as: String.self)
                try await db.raw("DELETE FROM audit_log WHERE sequence >= 2").run()
                for row in rows.dropFirst(2) {
                    var entry = AuditEntry(
                        sequence: try row.decode(column: "sequence", as: Int.self) - 1, atMilliseconds: try row.decode(column: "at_ms", as: Int64.self),
                        userID: try row.decode(column: "user_id", as: String?.self), organizationID: try row.decode(column: "organization_id", as: String?.self),
                        action: try row.decode(column: "action", as: String.self), object: try row.decode(column: "object", as: String.self),
                        outcome: AuditOutcome(rawValue: try row.decode(column: "outcome", as: String.self))!, requestID: nil,
                        detail: try row.decode(column: "detail", as: String?.self), previousHash: previous, hash: "")
                    entry.hash = HashChain.hash(entry.canonicalText)
                    previous = entry.hash
                    try await db.raw("""
                        INSERT INTO audit_log (sequence, at_ms, user_id, organization_id, action, object, outcome, detail, previous_hash, hash, mac)
                        VALUES (\(bind: entry.sequence), \(bind: entry.atMilliseconds), \(bind: entry.userID), \(bind: entry.organizationID), \(bind: entry.action),
                        \(bind: entry.object), \(bind: entry.outcome.rawValue), \(bind: entry.detail), \(bind: entry.previousHash), \(bind: entry.hash),
                        \(bind: try row.decode(column: "mac", as: String?.self)))
                        """).run()
                }
            }
            let broken = try Self.run(["audit", "verify", "--database", path])
            #expect(broken.status == 1)
            #expect(broken.stderr == "curepath: audit log broken at entry 2: entry 2 does not match its MAC: it was altered, or re-hashed without the audit key\n")
        }
    }

    @Test("(iii, iv) verify-custody reports a deleted last entry and a chain deleted whole; --all finds it by the checkpoint")
    func custody() async throws {
        try await Self.withDemo { path in
            let all = try Self.run(["verify-custody", "--all", "--database", path])
            #expect(all.status == 0, "\(all.stderr)")
            let chains = try #require(all.stdout.split(separator: " ").first.flatMap { Int($0) })
            #expect(all.stdout == "\(chains) of \(chains) custody chains intact\n")
            try await Self.tamper(path) { try await $0.raw("DELETE FROM custody_entries WHERE case_id = 'case-00001' AND sequence = 7").run() }
            let tail = try Self.run(["verify-custody", "case-00001", "--database", path])
            #expect(tail.status == 1)
            #expect(tail.stderr == "curepath: case case-00001: custody chain broken at entry 7: the log ends at entry 6 but the checkpoint records 7 entries: entry 7 is missing\n")

            let other = try await Self.tamper(path) { db in
                let row = try #require(try await db.raw("SELECT case_id FROM custody_entries WHERE case_id <> 'case-00001' ORDER BY case_id LIMIT 1").first())
                let other = try row.decode(column: "case_id", as: String.self)
                try await db.raw("DELETE FROM custody_entries WHERE case_id = \(bind: other)").run()
                return other
            }
            let whole = try Self.run(["verify-custody", other, "--database", path])
            #expect(whole.status == 1)
            #expect(whole.stderr.hasPrefix("curepath: case \(other): custody chain broken at entry 1: the log is missing entirely: the checkpoint records "))
            let again = try Self.run(["verify-custody", "--all", "--database", path])
            #expect(again.status == 1)
            #expect(again.stdout == "\(chains - 2) of \(chains) custody chains intact\n")
            #expect(again.stderr.contains("case \(other): custody chain broken at entry 1: the log is missing entirely"))
            let neither = try Self.run(["verify-custody", "--database", path])
            #expect(neither.status == 64)
        }
    }

    @Test("(v, vii, viii, ix) ledger verify catches what trial-balance does not")
    func ledger() async throws {
        try await Self.withDemo { path in
            let clean = try Self.run(["ledger", "verify", "--database", path])
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(clean.stdout.hasPrefix("ledger verified: "))

            // (v) An amount halved on both sides: body and entry rows alike, still balanced. (The
            // demo's ledger holds no refund yet; StorageTests halves a Zynteglo refund.)
            let halvedKey = try await Self.tamper(path) { db in
                let row = try #require(try await db.raw("SELECT sequence, key, body FROM ledger_transactions WHERE category = 'upfront' ORDER BY sequence LIMIT 1").first())
                let sequence = try row.decode(column: "sequence", as: Int64.self)
                let body = try row.decode(column: "body", as: String.self)
                let halved = body.replacing(/(\["[a-z]+:[^"]+:[a-z-]+",)(-?\d+)/) { "\($0.1)\(Int64($0.2)! / 2)" }
                try await db.raw("UPDATE ledger_transactions SET body = \(bind: halved) WHERE sequence = \(bind: sequence)").run()
                try await db.raw("UPDATE ledger_entries SET amount_cents = amount_cents / 2 WHERE transaction_sequence = \(bind: sequence)").run()
                return try row.decode(column: "key", as: String.self)
            }
            #expect(try Self.run(["ledger", "trial-balance", "--database", path]).status == 0, "the attack keeps the ledger balanced")
            let changed = try Self.run(["ledger", "verify", "--database", path])
            #expect(changed.status == 1)
            #expect(changed.stderr.hasPrefix("curepath: posting \(halvedKey) (run "), "\(changed.stderr)")
            #expect(changed.stderr.contains("derives [") && changed.stderr.contains("], the ledger holds ["))

            // (viii) An entry row that disagrees with its body, and (ix) a posting deleted in the middle.
            try await Self.tamper(path) { db in
                try await db.raw("UPDATE ledger_entries SET party = 'payer:pay-elsewhere' WHERE transaction_sequence = 2 AND line = 0").run()
                try await db.raw("DELETE FROM ledger_entries WHERE transaction_sequence = 5").run()
                try await db.raw("DELETE FROM ledger_transactions WHERE sequence = 5").run()
            }
            let more = try Self.run(["ledger", "verify", "--database", path])
            #expect(more.status == 1)
            let lines = more.stderr.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("(sequence 2): ledger_entries hold line 0 ") == true, "\(more.stderr)")
            #expect(lines.first?.contains("payer:pay-elsewhere") == true)
            #expect(lines.contains("curepath: posting sequence jumps from 4 to 6: posting 5 is missing"))
        }
    }

    @Test("(vii) ledger verify reports a posting deleted at the tail, with its run's count lowered, as missing")
    func ledgerTail() async throws {
        try await Self.withDemo { path in
            let key = try await Self.tamper(path) { db in
                let row = try #require(try await db.raw("SELECT sequence, key, run_id FROM ledger_transactions ORDER BY sequence DESC LIMIT 1").first())
                let sequence = try row.decode(column: "sequence", as: Int64.self)
                let key = try row.decode(column: "key", as: String.self)
                try await db.raw("DELETE FROM ledger_entries WHERE transaction_sequence = \(bind: sequence)").run()
                try await db.raw("DELETE FROM ledger_transactions WHERE sequence = \(bind: sequence)").run()
                try await db.raw("UPDATE settlement_runs SET transactions_posted = transactions_posted - 1 WHERE id = \(bind: try row.decode(column: "run_id", as: String.self))").run()
                return key
            }
            #expect(try Self.run(["ledger", "trial-balance", "--database", path]).status == 0)
            let verify = try Self.run(["ledger", "verify", "--database", path])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("derives posting \(key) ["), "\(verify.stderr)")
            #expect(verify.stderr.contains("which the ledger does not hold"))
            let last = try await Self.lastPosting(path) + 1
            #expect(verify.stderr.hasPrefix("curepath: the ledger ends at posting \(last - 1) but the checkpoint records \(last) postings: posting \(last) is missing\n"))
        }
    }

    /// The highest posting sequence in the database, 0 when it holds none.
    static func lastPosting(_ path: String) async throws -> Int {
        try await tamper(path) { db in
            try await db.raw("SELECT COALESCE(MAX(sequence), 0) AS n FROM ledger_transactions").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test("ledger verify reports the whole ledger deleted — the red-team finding — against the head file")
    func wholeLedgerDeleted() async throws {
        try await Self.withDemo { path in
            let postings = try await Self.lastPosting(path)
            let clean = try Self.run(["ledger", "verify", "--database", path])
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(clean.stdout.hasSuffix("; the checkpoint records \(postings) postings and 1 settlement run\n"), "\(clean.stdout)")
            try await Self.tamper(path) { db in
                try await db.raw("DELETE FROM ledger_entries").run()
                try await db.raw("DELETE FROM ledger_transactions").run()
                try await db.raw("DELETE FROM settlement_runs").run()
            }
            #expect(try Self.run(["ledger", "trial-balance", "--database", path]).status == 0)
            let verify = try Self.run(["ledger", "verify", "--database", path])
            #expect(verify.status == 1)
            #expect(verify.stdout.isEmpty)
            #expect(verify.stderr == """
                curepath: the ledger holds no postings but the checkpoint records \(postings) postings: postings 1–\(postings) are missing
                curepath: the checkpoint records 1 settlement run; the database holds 0

                """)
        }
    }

    @Test("ledger verify reports the newest of two runs deleted with its postings")
    func newestRunDeleted() async throws {
        try await Self.withDemo { path in
            let kept = try await Self.lastPosting(path)
            // Two years on, the demo's contracts bill installments and settle outcomes.
            let later = Calendar(identifier: .gregorian).date(byAdding: .year, value: 2, to: Date())!
            let asOf = String(ISO8601DateFormatter().string(from: later).prefix(10))
            let settle = try Self.run(["settle", "--as-of", asOf, "--allow-future-date", "--database", path])
            #expect(settle.status == 0, "\(settle.stderr)")
            let total = try await Self.lastPosting(path)
            try #require(total > kept + 1, "the second run posts: \(settle.stdout)")
            #expect(try Self.run(["ledger", "verify", "--database", path]).status == 0)
            try await Self.tamper(path) { db in
                try await db.raw("DELETE FROM ledger_entries WHERE transaction_sequence > \(bind: kept)").run()
                try await db.raw("DELETE FROM ledger_transactions WHERE sequence > \(bind: kept)").run()
                try await db.raw("DELETE FROM settlement_runs WHERE as_of = \(bind: asOf)").run()
            }
            let verify = try Self.run(["ledger", "verify", "--database", path])
            #expect(verify.status == 1)
            #expect(verify.stderr == """
                curepath: the ledger ends at posting \(kept) but the checkpoint records \(total) postings: postings \(kept + 1)–\(total) are missing
                curepath: the checkpoint records 2 settlement runs; the database holds 1

                """)
        }
    }
}
