import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes
@testable import Storage
import Testing

@Suite("Contracts, the ledger and settlement runs")
struct SettlementStorageTests {
    static var zolgensmaFile: String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/contracts/zolgensma-installments.yaml")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    static func date(_ text: String) -> CalendarDate { CalendarDate(iso8601: text)! }

    @Test("contract versions are stored once; a different file under a stored version is a conflict", arguments: TestDatabase.available)
    func contractVersions(database: TestDatabase) async throws {
        try await database.withStore { store in
            let terms = try ContractFile.parse(Self.zolgensmaFile)
            #expect(try await store.contracts.store(terms, document: Self.zolgensmaFile) == .stored(version: 1))
            #expect(try await store.contracts.store(terms, document: Self.zolgensmaFile) == .alreadyStored(version: 1))
            await #expect(throws: StorageError.self) {
                try await store.contracts.store(terms, document: Self.zolgensmaFile + "\n# edited\n")
            }
            var skipped = terms
            skipped.version = 3
            await #expect(throws: ValidationError.self) { try await store.contracts.store(skipped, document: "x") }
            #expect(try await store.contracts.allVersions() == [terms])
        }
    }

    @Test("a settlement posts balanced transactions once; a re-run posts nothing; a late outcome posts only corrections", arguments: TestDatabase.available)
    func settleTwice(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let terms = try ContractFile.parse(Self.zolgensmaFile)
            _ = try await store.contracts.store(terms, document: Self.zolgensmaFile)
            let (patient, payer) = try #require(Fixtures.covered(on: Self.date("2026-02-01")).first)
            let treated = TreatedPatient(patientID: patient, productID: terms.product, infusionDate: Self.date("2026-02-01"), contractID: terms.id, payingPayer: payer)
            #expect(try await store.contracts.enroll([treated]) == 1)
            #expect(try await store.contracts.enroll([treated]) == 0)
            var moved = treated
            moved.infusionDate = Self.date("2026-02-03")
            let conflict = try await #require(throws: ValidationError.self) { try await store.contracts.enroll([moved]) }
            #expect(conflict.issues.map(\.field) == ["patients[0]"])
            _ = try await store.outcomes.record([
                OutcomeEvent(id: "oe-resp-1", patientID: patient, date: Self.date("2026-03-01"), kind: .responseAssessment, value: "responding", source: "registry"),
            ])

            let service = SettlementService(store: store)
            let first = try await service.settle(asOf: Self.date("2027-03-01"), requestedBy: "test")
            #expect(!first.posted.isEmpty)
            #expect(try await store.ledger.trialBalance().isBalanced)
            let stored = try await store.ledger.transactions()
            #expect(stored == first.posted)

            let again = try await service.settle(asOf: Self.date("2027-03-01"), requestedBy: "test")
            #expect(again.posted.isEmpty)
            #expect(try await store.ledger.count() == stored.count)

            // A death learned late, dated before the second installment fell due: the engine
            // posts a correction, the old postings stay.
            _ = try await store.outcomes.record([
                OutcomeEvent(id: "oe-death-1", patientID: patient, date: Self.date("2026-12-01"), kind: .death, source: "registry",
                             recordedOn: Self.date("2027-04-01")),
            ])
            let corrected = try await service.settle(asOf: Self.date("2027-04-02"), requestedBy: "test")
            #expect(!corrected.posted.isEmpty)
            #expect(corrected.posted.contains { $0.isReversal })
            let after = try await store.ledger.transactions()
            #expect(Array(after.prefix(stored.count)) == stored, "earlier postings are never edited")
            let balance = try await store.ledger.trialBalance()
            #expect(balance.isBalanced)
            #expect(try await store.ledger.runs(limit: 10).count == 3)
            #expect(try await store.ledger.runCount() == 3)
            // The month-by-month sums the ledger page draws add up to the trial balance.
            var summed: [LedgerAccount: (Int64, Int64)] = [:]
            for movement in try await store.ledger.monthlyMovements() {
                summed[movement.account, default: (0, 0)].0 += movement.debits
                summed[movement.account, default: (0, 0)].1 += movement.credits
            }
            #expect(summed.count == balance.lines.count)
            for line in balance.lines {
                #expect(summed[line.account]?.0 == line.debits.minorUnits && summed[line.account]?.1 == line.credits.minorUnits, "\(line.account)")
            }
        }
    }

    /// Enrolls the first `count` demo patients with coverage under the Zolgensma contract, each
    /// with a response assessment, so a settlement has several batches of work.
    static func enrollSeveral(_ count: Int, into store: Store) async throws -> [PatientID] {
        try await Fixtures.loadReference(into: store)
        let terms = try ContractFile.parse(zolgensmaFile)
        _ = try await store.contracts.store(terms, document: zolgensmaFile)
        var patients: [PatientID] = []
        for patient in Fixtures.demo.patients where patients.count < count {
            let infused = date("2026-02-01").adding(days: patients.count * 9)
            guard let payer = Fixtures.demo.coveragePeriods.filter({ $0.patientID == patient.id }).inForce(on: infused)?.payerID else { continue }
            _ = try await store.contracts.enroll([
                TreatedPatient(patientID: patient.id, productID: terms.product, infusionDate: infused, contractID: terms.id, payingPayer: payer),
            ])
            _ = try await store.outcomes.record([
                OutcomeEvent(id: OutcomeEventID("oe-resp-\(patient.id)"), patientID: patient.id, date: infused.adding(days: 30), kind: .responseAssessment,
                             value: "responding", source: "registry"),
            ])
            patients.append(patient.id)
        }
        return patients
    }

    @Test("on a SQLite file, batches read on a second connection beside the writes post what one connection posts")
    func readsBesideWrites() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-settle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await Store.open(.sqliteFile(path: directory.appendingPathComponent("ledger.sqlite").path))
        do {
            try await Self.compareWithOneConnection(file)
        } catch {
            await file.close()
            throw error
        }
        await file.close()
    }

    static func compareWithOneConnection(_ file: Store) async throws {
        let patients = try await enrollSeveral(7, into: file)
        try await TestDatabase.sqlite.withStore { memory in
            #expect(try await enrollSeveral(7, into: memory) == patients)
            #expect(patients.count == 7)
            // Batches of two: four batches, so the writer and the reader overlap.
            let onFile = SettlementService(store: file, batchSize: 2), inMemory = SettlementService(store: memory, batchSize: 2)
            let first = try await onFile.settle(asOf: Self.date("2027-06-01"), requestedBy: "test")
            let reference = try await inMemory.settle(asOf: Self.date("2027-06-01"), requestedBy: "test")
            #expect(first.readBeside)
            #expect(!reference.readBeside)
            #expect(first.run.transactionsPosted == reference.run.transactionsPosted)
            #expect(first.run.transactionsPosted > patients.count)
            #expect(try await file.ledger.transactions() == memory.ledger.transactions())

            // A death learned late for a patient in the third batch: the re-run reads that
            // batch's earlier postings through the second connection and corrects them once.
            for store in [file, memory] {
                _ = try await store.outcomes.record([
                    OutcomeEvent(id: "oe-death-late", patientID: patients.sorted()[4], date: Self.date("2026-12-01"), kind: .death, source: "registry",
                                 recordedOn: Self.date("2027-07-01")),
                ])
            }
            let corrected = try await onFile.settle(asOf: Self.date("2027-07-02"), requestedBy: "test")
            _ = try await inMemory.settle(asOf: Self.date("2027-07-02"), requestedBy: "test")
            #expect(corrected.posted.contains { $0.isReversal })
            #expect(corrected.posted.allSatisfy { $0.key.slot?.patientID == patients.sorted()[4] })
            #expect(try await file.ledger.transactions() == memory.ledger.transactions())
            #expect(try await file.ledger.trialBalance().isBalanced)
            #expect(try await onFile.settle(asOf: Self.date("2027-07-02"), requestedBy: "test").unchanged)
        }
    }

    @Test("a posting already in the ledger is refused, and nothing of that batch is written", arguments: TestDatabase.available)
    func duplicateKeys(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let party = Party.payer(Fixtures.demo.payers[0].id)
            let payment = try LedgerTransaction.payment(reference: "ACH-1", from: party, to: .mediator("curepath"), amount: Money(dollars: 10), date: Self.date("2026-05-01"))
            let run = SettlementRun(id: "run-a", asOf: Self.date("2026-05-01"), startedAt: Date(), transactionsPosted: 1, flags: 0, requestedBy: nil)
            try await store.ledger.post([payment], run: run)
            let other = try LedgerTransaction.payment(reference: "ACH-2", from: party, to: .mediator("curepath"), amount: Money(dollars: 5), date: Self.date("2026-05-02"))
            var second = run
            second.id = "run-b"
            await #expect(throws: StorageError.self) { try await store.ledger.post([other, payment], run: second) }
            #expect(try await store.ledger.count() == 1)
            #expect(try await store.ledger.runs(limit: 10).map(\.id) == ["run-a"])
            let statement = try await store.ledger.transactions(touching: party)
            #expect(statement.map(\.key) == [payment.key])
        }
    }
}
