import Access
import Contracts
import Core
import Foundation
import Journey
import Outcomes
import SQLKit
@testable import Storage
import Testing

/// The attacks of the tamper-evidence finding, made as an attacker with write access to the
/// database would make them — raw SQL, and the published hash algorithm — each caught.
@Suite("Tamper evidence: audit log, custody chains, ledger")
struct TamperEvidenceTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func appendAudit(_ count: Int, to store: Store) async throws {
        for index in 1...count {
            try await store.audit.append(AuditRecord(
                at: now.addingTimeInterval(Double(index)), userID: "usr-1", organizationID: "org-1", action: "read-case",
                object: "case:case-\(index)", outcome: .allowed))
        }
    }

    static func raw(_ store: Store, _ sql: SQLQueryString) async throws {
        try await store.database.withConnection { db in try await db.raw(sql).run() }
    }

    // MARK: Audit log

    @Test("(i) deleting the audit log's tail is reported against the checkpoint, and appending afterwards does not erase it", arguments: TestDatabase.available)
    func auditTailDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Self.appendAudit(5, to: store)
            #expect(try await store.audit.verify().intact)
            try await Self.raw(store, "DELETE FROM audit_log WHERE sequence >= 4")
            let verification = try await store.audit.verify()
            #expect(!verification.intact)
            #expect(verification.problem == "the log ends at entry 3 but the checkpoint records 5 entries: entries 4–5 are missing")
            #expect(verification.firstBrokenSequence == 4 && verification.missing == 4...5)
            // The server goes on appending: the new entries 4, 5 and 6 do not move the checkpoint
            // over the loss.
            try await Self.appendAudit(3, to: store)
            let later = try await store.audit.verify()
            #expect(later.problem == "entry 5 is not the entry the checkpoint recorded: the log was rewritten up to there")
        }
    }

    @Test("(ii) a middle audit entry deleted and the rest re-hashed with the published algorithm fails on the first re-hashed entry's MAC", arguments: TestDatabase.available)
    func auditMiddleDeletedAndRehashed(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Self.appendAudit(5, to: store)
            try await Self.rehashAudit(store, deleting: 3, keepingMACs: true)
            let verification = try await store.audit.verify()
            #expect(verification.problem == "entry 3 does not match its MAC: it was altered, or re-hashed without the audit key")
            // The unkeyed links alone are perfect: that is what the attack used to get past.
            #expect(HashChain.verify(try await store.audit.chain()).intact)
        }
        try await database.withStore { store in
            try await Self.appendAudit(5, to: store)
            try await Self.rehashAudit(store, deleting: 3, keepingMACs: false)
            let verification = try await store.audit.verify()
            #expect(verification.problem?.hasPrefix("entries 3–4 carry no MAC under the audit key") == true, "\(verification)")
        }
    }

    /// Deletes entry `deleted` and renumbers, re-links and re-hashes every entry after it with
    /// the published algorithm; the MACs are left as they were, or cleared.
    static func rehashAudit(_ store: Store, deleting deleted: Int, keepingMACs: Bool) async throws {
        let chain = try await store.audit.chain()
        try await store.database.withConnection { db in
            try await db.raw("DELETE FROM audit_log WHERE sequence >= \(bind: deleted)").run()
            var previous = chain[deleted - 2].hash
            for var entry in chain[deleted...] {
                entry.sequence -= 1
                entry.previousHash = previous
                entry.hash = HashChain.hash(entry.canonicalText)
                previous = entry.hash
                try await db.raw("""
                    INSERT INTO audit_log (sequence, at_ms, user_id, organization_id, action, object, outcome, previous_hash, hash, mac)
                    VALUES (\(bind: entry.sequence), \(bind: entry.atMilliseconds), \(bind: entry.userID), \(bind: entry.organizationID),
                    \(bind: entry.action), \(bind: entry.object), \(bind: entry.outcome.rawValue), \(bind: entry.previousHash), \(bind: entry.hash),
                    \(bind: keepingMACs ? entry.mac : nil))
                    """).run()
            }
        }
    }

    @Test("entries MACed under another key fail: re-hashing needs the configured key, not just the algorithm", arguments: TestDatabase.available)
    func otherKey(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Self.appendAudit(2, to: store)
            let other = try ChainKeys.parse(ChainKeys.generateKey(id: "dev"))
            let verification = HashChain.verify(try await store.audit.chain(), keys: other)
            #expect(verification.problem == "entry 1 does not match its MAC: it was altered, or re-hashed without the audit key")
            let unknown = try ChainKeys.parse(ChainKeys.generateKey(id: "a2"))
            #expect(HashChain.verify(try await store.audit.chain(), keys: unknown).problem == "entry 1 is signed with audit key 'dev', which is not configured")
        }
    }

    // MARK: Custody

    static func custodyChain(_ store: Store) async throws -> CaseID {
        let record = try await Fixtures.openCase(in: store)
        _ = try await store.custody.append(CustodyRepositoryTests.record(.collection, hours: 0), to: record.id)
        _ = try await store.custody.append(CustodyRepositoryTests.record(.handoff, hours: 2), to: record.id)
        _ = try await store.custody.append(CustodyRepositoryTests.record(.manufacturingLot, hours: 30, lot: "LOT-9"), to: record.id)
        return record.id
    }

    @Test("(iii) deleting the last custody entry is reported missing, and nothing more is appended to that chain", arguments: TestDatabase.available)
    func custodyTailDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            let id = try await Self.custodyChain(store)
            #expect(try await store.custody.verify(id).intact)
            try await Self.raw(store, "DELETE FROM custody_entries WHERE case_id = \(bind: id.rawValue) AND sequence = 3")
            let verification = try await store.custody.verify(id)
            #expect(verification.problem == "the log ends at entry 2 but the checkpoint records 3 entries: entry 3 is missing")
            #expect(verification.firstBrokenSequence == 3 && verification.checkpointCount == 3)
            let refused = await #expect(throws: StorageError.self) {
                try await store.custody.append(CustodyRepositoryTests.record(.manufacturingLot, hours: 31, lot: "LOT-9"), to: id)
            }
            #expect("\(refused!)".contains("broken at entry 3: the log ends at entry 2"))
        }
    }

    @Test("(iv) deleting a whole custody chain is reported by the checkpoint naming the case", arguments: TestDatabase.available)
    func custodyChainDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            let id = try await Self.custodyChain(store)
            try await Self.raw(store, "DELETE FROM custody_entries WHERE case_id = \(bind: id.rawValue)")
            #expect(try await store.custody.verify(id).problem == "the log is missing entirely: the checkpoint records 3 entries")
            let all = try await store.custody.verifyAll()
            #expect(all.map(\.caseID) == [id])
            #expect(all.first?.verification.intact == false)
        }
    }

    @Test("custody entries re-hashed without the key fail on their MAC; a chain appended before keyed MACs is anchored by the next keyed entry", arguments: TestDatabase.available)
    func custodyRehashedAndLegacy(database: TestDatabase) async throws {
        try await database.withStore { store in
            let id = try await Self.custodyChain(store)
            let chain = try await store.custody.chain(of: id)
            var edited = chain[1]
            edited.party = "Someone else"
            edited.hash = edited.computedHash
            var next = chain[2]
            next.previousHash = edited.hash
            next.hash = next.computedHash
            try await Self.raw(store, "UPDATE custody_entries SET party = 'Someone else', hash = \(bind: edited.hash) WHERE case_id = \(bind: id.rawValue) AND sequence = 2")
            try await Self.raw(store, "UPDATE custody_entries SET previous_hash = \(bind: next.previousHash), hash = \(bind: next.hash) WHERE case_id = \(bind: id.rawValue) AND sequence = 3")
            #expect(try await store.custody.verify(id).problem == "entry 2 does not match its MAC: it was altered, or re-hashed without the audit key")
        }
        try await database.withStore { store in
            // Entries recorded before migration 16 carry no MAC; the chain is not intact until a
            // keyed entry after them vouches for them through the links.
            let id = try await Self.custodyChain(store)
            try await Self.raw(store, "UPDATE custody_entries SET mac = NULL")
            #expect(try await store.custody.verify(id).problem?.hasPrefix("entries 1–3 carry no MAC") == true)
            // This checkpoint saw the chain signed: clearing the MACs does not let it grow.
            await #expect(throws: StorageError.self) {
                try await store.custody.append(CustodyRepositoryTests.record(.receipt, hours: 60, lot: "LOT-9"), to: id)
            }
            // A deployment upgraded with this chain already recorded has no head for it: the next
            // entry is accepted on the unkeyed links and anchors the chain.
            let upgraded = Store(database: store.database)
            _ = try await upgraded.custody.append(CustodyRepositoryTests.record(.receipt, hours: 60, lot: "LOT-9"), to: id)
            let anchored = try await upgraded.custody.verify(id)
            #expect(anchored.intact && anchored.entryCount == 4 && anchored.checkpointCount == 4, "\(anchored)")
        }
    }

    // MARK: Head file

    @Test("the head file beside a SQLite database is MACed: edited, it fails verification and is not overwritten; deleted, it is reported")
    func headFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.sqlite").path
        let store = try await Store.open(.sqliteFile(path: path))
        try await Self.appendAudit(3, to: store)
        let heads = try #require(FileManager.default.contents(atPath: path + ".heads"))
        #expect(try await store.audit.verify().checkpointCount == 3)

        // Lowering the recorded count to hide a deleted tail breaks the file's MAC.
        let text = String(decoding: heads, as: UTF8.self)
        try Data(text.replacingOccurrences(of: "\"count\":3", with: "\"count\":2").utf8).write(to: URL(fileURLWithPath: path + ".heads"))
        let edited = try await store.audit.verify()
        #expect(edited.problem?.hasPrefix("the head checkpoint \(path).heads is not valid (its MAC does not match the audit key: it was edited)") == true, "\(edited)")
        try await Self.appendAudit(1, to: store)
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: path + ".heads")), as: UTF8.self).contains("\"count\":2"))

        try FileManager.default.removeItem(atPath: path + ".heads")
        let deleted = try await store.audit.verify()
        await store.close()
        #expect(deleted.problem?.hasPrefix("the head checkpoint \(path).heads is missing") == true, "\(deleted)")
    }

    @Test("several writers at once leave a checkpoint at the chain's end")
    func concurrentWriters() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(.sqliteFile(path: directory.appendingPathComponent("audit.sqlite").path))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await Self.appendAudit(10, to: store) } }
            try await group.waitForAll()
        }
        let verification = try await store.audit.verify()
        await store.close()
        #expect(verification.intact, "\(verification)")
        #expect(verification.entryCount == 40)
        #expect(verification.checkpointCount == 40)
    }

    // MARK: Ledger

    /// A settled ledger over several patients, and its postings as stored.
    static func settled(_ store: Store) async throws -> [(sequence: Int64, key: String, body: String)] {
        _ = try await SettlementStorageTests.enrollSeveral(4, into: store)
        _ = try await SettlementService(store: store).settle(asOf: Fixtures.date("2027-03-01"), requestedBy: "test")
        let verification = try await LedgerVerifier(store: store, batchSize: 2).verify()
        #expect(verification.intact, "\(verification.problems)")
        #expect(verification.runs == 1 && verification.patients == 4)
        return try await store.database.withConnection { db in
            try await db.select().columns("sequence", "key", "body").from("ledger_transactions").orderBy("sequence").all()
                .map { (try $0.int64("sequence"), try $0.string("key"), try $0.string("body")) }
        }
    }

    static func verifyLedger(_ store: Store) async throws -> [String] {
        let verification = try await LedgerVerifier(store: store, batchSize: 2, pageSize: 3).verify()
        #expect(try await store.ledger.trialBalance().isBalanced, "every attack here keeps the ledger balanced")
        return verification.problems
    }

    /// The signed amount of the body's first entry.
    static func firstAmount(_ body: String) throws -> Int64 {
        let data = Data(body.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(object["n"] as? [[Any]])
        return try #require((entries[0][1] as? NSNumber)?.int64Value)
    }

    /// The body with every entry's amount halved, as `amount_cents / 2` halves the rows.
    static func halvingEntries(_ body: String) throws -> String {
        let start = try #require(body.range(of: "\"n\":[")), end = try #require(body.range(of: "]]", range: start.upperBound..<body.endIndex))
        let entries = body[start.upperBound..<end.upperBound].replacing(/,(-?\d+)\]/) { match in ",\(Int64(match.1)! / 2)]" }
        return String(body[..<start.upperBound]) + entries + String(body[end.upperBound...])
    }

    /// A Zynteglo refund (transfusion independence not reached: transfused every month),
    /// settled, and stored as the refund posting.
    static func settledRefund(_ store: Store) async throws -> (sequence: Int64, key: String, body: String) {
        try await Fixtures.loadReference(into: store)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/contracts/zynteglo-transfusion-independence.yaml")
        let file = try String(contentsOf: url, encoding: .utf8)
        let terms = try ContractFile.parse(file)
        _ = try await store.contracts.store(terms, document: file)
        let (patient, payer) = try #require(Fixtures.covered(on: Fixtures.date("2026-03-02")).first)
        _ = try await store.contracts.enroll([
            TreatedPatient(patientID: patient, productID: terms.product, infusionDate: Fixtures.date("2026-03-02"), contractID: terms.id, payingPayer: payer),
        ])
        _ = try await store.outcomes.record((0..<24).map { month in
            OutcomeEvent(id: OutcomeEventID("oe-tx-\(month)"), patientID: patient, date: Fixtures.date("2026-03-20").adding(days: month * 30),
                         kind: .transfusion, source: "registry")
        })
        _ = try await SettlementService(store: store).settle(asOf: Fixtures.date("2028-05-01"), requestedBy: "test")
        #expect(try await LedgerVerifier(store: store).verify().intact)
        return try await store.database.withConnection { db in
            let row = try #require(try await db.select().columns("sequence", "key", "body").from("ledger_transactions").where("category", .equal, "refund").first())
            return (try row.int64("sequence"), try row.string("key"), try row.string("body"))
        }
    }

    @Test("(v) a refund changed on both sides of its posting, body and entries alike, is caught by re-settlement", arguments: TestDatabase.available)
    func amountChangedOnBothSides(database: TestDatabase) async throws {
        try await database.withStore { store in
            let target = try await Self.settledRefund(store)
            let amount = try Self.firstAmount(target.body)
            let body = try Self.halvingEntries(target.body)
            try await Self.raw(store, "UPDATE ledger_transactions SET body = \(bind: body) WHERE sequence = \(bind: target.sequence)")
            try await Self.raw(store, "UPDATE ledger_entries SET amount_cents = amount_cents / 2 WHERE transaction_sequence = \(bind: target.sequence)")
            var problems = try await Self.verifyLedger(store)
            // The refund is the ledger's last posting: the checkpoint's MAC of it no longer matches either.
            let last = try await store.ledger.count()
            #expect(problems.contains("posting \(last) is not the posting the checkpoint recorded: the ledger was rewritten up to there") == (target.sequence == last), "\(problems)")
            problems.removeAll { $0.hasPrefix("posting \(last) is not the posting the checkpoint recorded") }
            #expect(problems.count == 1, "\(problems)")
            let expected = Money(minorUnits: abs(amount), currency: .usd), found = Money(minorUnits: abs(amount) / 2, currency: .usd)
            #expect(problems.first?.hasPrefix("posting \(target.key) (run run-2028-05-01-") == true, "\(problems)")
            #expect(problems.first?.contains("re-settling as of 2028-05-01 derives [") == true)
            #expect(problems.first?.contains(" \(expected)") == true && problems.first?.contains("the ledger holds [") == true)
            #expect(problems.first?.contains(" \(found)") == true)
        }
    }

    @Test("(vi) a posting moved to another payer, body and entries alike, is caught by re-settlement", arguments: TestDatabase.available)
    func movedToAnotherPayer(database: TestDatabase) async throws {
        try await database.withStore { store in
            let postings = try await Self.settled(store)
            let target = try #require(postings.first { $0.body.contains("\"payer:") })
            let payer = try #require(target.body.firstMatch(of: /"payer:([a-z0-9-]+):/)?.1)
            let other = try #require(Fixtures.demo.payers.map(\.id.rawValue).first { $0 != String(payer) })
            try await Self.raw(store, "UPDATE ledger_transactions SET body = \(bind: target.body.replacingOccurrences(of: "payer:\(payer):", with: "payer:\(other):")) WHERE sequence = \(bind: target.sequence)")
            try await Self.raw(store, "UPDATE ledger_entries SET party = \(bind: "payer:\(other)") WHERE transaction_sequence = \(bind: target.sequence) AND party = \(bind: "payer:\(payer)")")
            let problems = try await Self.verifyLedger(store)
            #expect(problems.count == 1, "\(problems)")
            #expect(problems.first?.contains("posting \(target.key) (run ") == true)
            #expect(problems.first?.contains("payer:\(payer):") == true && problems.first?.contains("the ledger holds [") == true)
            #expect(problems.first?.contains("payer:\(other):") == true)
        }
    }

    @Test("(vii) a posting deleted at the ledger's tail, with its run's count lowered to match, is reported against the checkpoint and derived again", arguments: TestDatabase.available)
    func transactionDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            let postings = try await Self.settled(store)
            let last = try #require(postings.last)
            try await Self.raw(store, "DELETE FROM ledger_entries WHERE transaction_sequence = \(bind: last.sequence)")
            try await Self.raw(store, "DELETE FROM ledger_transactions WHERE sequence = \(bind: last.sequence)")
            try await Self.raw(store, "UPDATE settlement_runs SET transactions_posted = transactions_posted - 1")
            let problems = try await Self.verifyLedger(store)
            #expect(problems.count == 2, "\(problems)")
            #expect(problems.first == "the ledger ends at posting \(last.sequence - 1) but the checkpoint records \(last.sequence) postings: posting \(last.sequence) is missing")
            #expect(problems.last?.hasPrefix("re-settling as of 2027-03-01 (run run-2027-03-01-") == true, "\(problems)")
            #expect(problems.last?.contains("derives posting \(last.key) [") == true)
            #expect(problems.last?.contains("which the ledger does not hold") == true)
        }
    }

    // MARK: Ledger head

    /// Payments from the first demo payer to the mediator, posted directly (never re-derived)
    /// as one run: the n-th of $100 × n.
    static func postPayments(_ references: [String], on date: String, run: String, to store: Store) async throws {
        let payments = try references.enumerated().map { index, reference in
            try LedgerTransaction.payment(
                reference: reference, from: .payer(Fixtures.demo.payers[0].id), to: .mediator("curepath"), amount: Money(dollars: Int64(index + 1) * 100),
                date: Fixtures.date(date))
        }
        try await store.ledger.post(payments, run: SettlementRun(
            id: run, asOf: Fixtures.date(date), startedAt: Date(), transactionsPosted: payments.count, flags: 0, requestedBy: nil))
    }

    @Test("(x) the whole ledger deleted — postings, entries and runs — is reported against the checkpoint", arguments: TestDatabase.available)
    func wholeLedgerDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            let postings = try await Self.settled(store)
            #expect(postings.count > 1)
            try await Self.raw(store, "DELETE FROM ledger_entries")
            try await Self.raw(store, "DELETE FROM ledger_transactions")
            try await Self.raw(store, "DELETE FROM settlement_runs")
            let problems = try await Self.verifyLedger(store)
            #expect(problems == [
                "the ledger holds no postings but the checkpoint records \(postings.count) postings: postings 1–\(postings.count) are missing",
                "the checkpoint records 1 settlement run; the database holds 0",
            ])

            // A payment posted afterwards starts from less than the checkpoint records: the
            // checkpoint does not move over the loss.
            try await Self.postPayments(["ACH-after"], on: "2027-03-02", run: "run-payment", to: store)
            let later = try await Self.verifyLedger(store)
            #expect(later == [
                "the ledger ends at posting 1 but the checkpoint records \(postings.count) postings: postings 2–\(postings.count) are missing",
            ])
        }
    }

    @Test("(xi) the newest of several runs deleted with its postings is reported against the checkpoint", arguments: TestDatabase.available)
    func newestRunDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            _ = try await SettlementStorageTests.enrollSeveral(3, into: store)
            let service = SettlementService(store: store)
            let first = try await service.settle(asOf: Fixtures.date("2026-06-01"), requestedBy: "test")
            let second = try await service.settle(asOf: Fixtures.date("2027-03-01"), requestedBy: "test")
            let kept = first.run.transactionsPosted, total = kept + second.run.transactionsPosted
            try #require(second.run.transactionsPosted > 1)
            #expect(try await Self.verifyLedger(store) == [])
            try await Self.raw(store, "DELETE FROM ledger_entries WHERE transaction_sequence > \(bind: kept)")
            try await Self.raw(store, "DELETE FROM ledger_transactions WHERE run_id = \(bind: second.run.id)")
            try await Self.raw(store, "DELETE FROM settlement_runs WHERE id = \(bind: second.run.id)")
            let problems = try await Self.verifyLedger(store)
            #expect(problems == [
                "the ledger ends at posting \(kept) but the checkpoint records \(total) postings: postings \(kept + 1)–\(total) are missing",
                "the checkpoint records 2 settlement runs; the database holds 1",
            ])
        }
    }

    @Test("(xii) payments deleted at the ledger's tail, with their run's count lowered, are caught only by the checkpoint, and named", arguments: TestDatabase.available)
    func paymentsDeletedAtTail(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            for batch in 0..<2 {
                try await Self.postPayments((1...3).map { "ACH-\(batch)-\($0)" }, on: "2026-05-0\(batch + 1)", run: "run-payments-\(batch)", to: store)
            }
            let intact = try await LedgerVerifier(store: store).verify()
            #expect(intact.intact, "\(intact.problems)")
            #expect(intact.checkpoint?.postings == 6 && intact.checkpoint?.runs == 2)

            // The last payment halved, body and entries alike: still balanced, never re-derived,
            // but no longer the posting whose MAC the checkpoint holds.
            let body = try await store.database.withConnection { db in
                try #require(try await db.select().column("body").from("ledger_transactions").where("sequence", .equal, SQLBind(Int64(6))).first()).string("body")
            }
            try await Self.raw(store, "UPDATE ledger_transactions SET body = \(bind: try Self.halvingEntries(body)) WHERE sequence = 6")
            try await Self.raw(store, "UPDATE ledger_entries SET amount_cents = amount_cents / 2 WHERE transaction_sequence = 6")
            #expect(try await Self.verifyLedger(store) == ["posting 6 is not the posting the checkpoint recorded: the ledger was rewritten up to there"])

            try await Self.raw(store, "DELETE FROM ledger_entries WHERE transaction_sequence >= 5")
            try await Self.raw(store, "DELETE FROM ledger_transactions WHERE sequence >= 5")
            try await Self.raw(store, "UPDATE settlement_runs SET transactions_posted = 1 WHERE id = 'run-payments-1'")
            #expect(try await Self.verifyLedger(store) == ["the ledger ends at posting 4 but the checkpoint records 6 postings: postings 5–6 are missing"])
        }
    }

    @Test("an untouched ledger verifies against its checkpoint, which records every commit that posts, even a run that posts nothing")
    func headRecordedOnFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ledger.sqlite").path
        let store = try await Store.open(.sqliteFile(path: path))
        do {
            _ = try await SettlementStorageTests.enrollSeveral(3, into: store)
            let service = SettlementService(store: store)
            _ = try await service.settle(asOf: Fixtures.date("2026-06-01"), requestedBy: "test")
            #expect(try await service.settle(asOf: Fixtures.date("2026-06-01"), requestedBy: "test").unchanged)
            try await Self.postPayments(["ACH-1"], on: "2026-06-02", run: "run-payment", to: store)
            let count = try await store.ledger.count()
            let verification = try await LedgerVerifier(store: store).verify()
            #expect(verification.intact, "\(verification.problems)")
            #expect(verification.checkpoint?.postings == count && verification.checkpoint?.runs == 3)
            let file = String(decoding: try #require(FileManager.default.contents(atPath: path + ".heads")), as: UTF8.self)
            #expect(file.contains("\"ledger\":{"), "\(file)")

            // Deleted, the file is reported while the ledger holds postings.
            try FileManager.default.removeItem(atPath: path + ".heads")
            let deleted = try await LedgerVerifier(store: store).verify()
            #expect(deleted.problems == [
                "the head checkpoint \(path).heads is missing, though the ledger holds \(count) postings and 3 settlement runs: it was deleted or moved, and postings deleted at the end cannot be ruled out",
            ])
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test("several ledger writers at once leave the checkpoint at the ledger's end")
    func concurrentLedgerWriters() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(.sqliteFile(path: directory.appendingPathComponent("ledger.sqlite").path))
        try await Fixtures.loadReference(into: store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<5 { try await Self.postPayments(["ACH-\(writer)-\(index)"], on: "2026-06-02", run: "run-\(writer)-\(index)", to: store) }
                }
            }
            try await group.waitForAll()
        }
        let verification = try await LedgerVerifier(store: store).verify()
        await store.close()
        #expect(verification.intact, "\(verification.problems)")
        #expect(verification.checkpoint?.postings == 20 && verification.checkpoint?.runs == 20)
    }

    @Test("(viii) an entry that disagrees with its posting's body is named with both", arguments: TestDatabase.available)
    func entryDisagreesWithBody(database: TestDatabase) async throws {
        try await database.withStore { store in
            let postings = try await Self.settled(store)
            let target = postings[2]
            try await Self.raw(store, "UPDATE ledger_entries SET amount_cents = amount_cents + 100 WHERE transaction_sequence = \(bind: target.sequence) AND line = 0")
            try await Self.raw(store, "UPDATE ledger_entries SET amount_cents = amount_cents - 100 WHERE transaction_sequence = \(bind: target.sequence) AND line = 1")
            let problems = try await Self.verifyLedger(store)
            #expect(problems.count == 1, "\(problems)")
            #expect(problems.first?.hasPrefix("posting \(target.key) (sequence \(target.sequence)): ledger_entries hold line 0 ") == true, "\(problems)")
            #expect(problems.first?.contains(" but its body says line 0 ") == true)
        }
    }

    @Test("(ix) a posting deleted in the middle leaves a gap in the sequence", arguments: TestDatabase.available)
    func middlePostingDeleted(database: TestDatabase) async throws {
        try await database.withStore { store in
            let postings = try await Self.settled(store)
            #expect(postings.count > 4)
            try await Self.raw(store, "DELETE FROM ledger_entries WHERE transaction_sequence = 3")
            try await Self.raw(store, "DELETE FROM ledger_transactions WHERE sequence = 3")
            let problems = try await Self.verifyLedger(store)
            #expect(problems.contains("posting sequence jumps from 2 to 4: posting 3 is missing"), "\(problems)")
            #expect(problems.contains { $0.hasPrefix("run run-2027-03-01-") && $0.hasSuffix("recorded \(postings.count) postings, the ledger holds \(postings.count - 1)") })
            #expect(problems.contains { $0.contains("derives posting \(postings[2].key) [") })
        }
    }

    @Test("a ledger settled in several runs, with a late correction, verifies; payments are checked for form", arguments: TestDatabase.available)
    func severalRunsVerify(database: TestDatabase) async throws {
        try await database.withStore { store in
            let patients = try await SettlementStorageTests.enrollSeveral(3, into: store)
            let service = SettlementService(store: store)
            _ = try await service.settle(asOf: Fixtures.date("2026-06-01"), requestedBy: "test")
            _ = try await service.settle(asOf: Fixtures.date("2027-03-01"), requestedBy: "test")
            _ = try await store.outcomes.record([
                OutcomeEvent(id: "oe-death-late", patientID: patients[0], date: Fixtures.date("2026-12-01"), kind: .death, source: "registry",
                             recordedOn: Fixtures.date("2027-04-01")),
            ])
            let corrected = try await service.settle(asOf: Fixtures.date("2027-04-02"), requestedBy: "test")
            #expect(corrected.posted.contains { $0.isReversal })
            let verification = try await LedgerVerifier(store: store, batchSize: 2, pageSize: 4).verify()
            #expect(verification.intact, "\(verification.problems)")
            #expect(verification.runs == 3)
            #expect(verification.postings == (try await store.ledger.count()))
            #expect(verification.checkpoint?.postings == verification.postings && verification.checkpoint?.runs == 3)
        }
    }
}
