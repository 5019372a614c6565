import Core
import Foundation
import Journey
import SQLKit
import Storage
import Testing

@Suite("Custody log")
struct CustodyRepositoryTests {
    static let start = Date(timeIntervalSince1970: 1_773_000_000)

    static func record(_ kind: CustodyEventKind, hours: Double, lot: String? = nil) -> CustodyRecord {
        CustodyRecord(kind: kind, occurredAt: start.addingTimeInterval(hours * 3600), party: "Party \(kind.rawValue)", collectionID: "COI-1", lot: lot)
    }

    @Test("entries are appended, linked by hash, and verify", arguments: TestDatabase.available)
    func appendAndVerify(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            _ = try await store.custody.append(Self.record(.collection, hours: 0), to: record.id)
            _ = try await store.custody.append(Self.record(.handoff, hours: 2), to: record.id)
            _ = try await store.custody.append(Self.record(.manufacturingLot, hours: 30, lot: "LOT-9"), to: record.id)
            let chain = try await store.custody.chain(of: record.id)
            #expect(chain.map(\.sequence) == [1, 2, 3])
            #expect(chain[1].previousHash == chain[0].hash)
            #expect(CustodyChain.verify(chain).intact)
        }
    }

    @Test("editing history in the database is detected at the first altered entry", arguments: TestDatabase.available)
    func tamperingDetected(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            for (kind, hours) in [(CustodyEventKind.collection, 0.0), (.handoff, 1), (.handoff, 5)] {
                _ = try await store.custody.append(Self.record(kind, hours: hours), to: record.id)
            }
            try await store.database.withConnection { db in
                try await db.update("custody_entries").set("party", to: "Someone else").where("sequence", .equal, 2).run()
            }
            let verification = CustodyChain.verify(try await store.custody.chain(of: record.id))
            #expect(!verification.intact)
            #expect(verification.firstBrokenSequence == 2)
            // Nothing more can be appended to a broken chain.
            await #expect(throws: StorageError.self) { try await store.custody.append(Self.record(.handoff, hours: 9), to: record.id) }
        }
    }

    @Test("an entry that breaks the chain of identity is refused and not stored", arguments: TestDatabase.available)
    func identityRefused(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Fixtures.openCase(in: store)
            _ = try await store.custody.append(Self.record(.collection, hours: 0), to: record.id)
            var wrong = Self.record(.handoff, hours: 1)
            wrong.collectionID = "COI-2"
            let error = await #expect(throws: ValidationError.self) { try await store.custody.append(wrong, to: record.id) }
            #expect(error?.issues.first?.rule == "chain-of-identity")
            #expect(try await store.custody.chain(of: record.id).count == 1)
        }
    }

    @Test("custody logs import all or nothing, and the demo's logs verify", arguments: TestDatabase.available)
    func importChains(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.cases.importCases(Fixtures.demo.cases.map { (record: $0.record, events: $0.events) }, progress: nil)
            var chains = Fixtures.demo.custodyRecords()
            #expect(!chains.isEmpty)
            // A thaw before any lot was assigned breaks the last chain: nothing is written.
            let last = chains.count - 1
            chains[last].records.insert(CustodyRecord(kind: .thaw, occurredAt: chains[last].records[0].occurredAt, party: "x", collectionID: chains[last].records[0].collectionID), at: 1)
            let error = await #expect(throws: ValidationError.self) { try await store.custody.importChains(chains) }
            #expect(error?.issues.first?.field == "chains[\(last)].records[1].kind")
            #expect(try await store.custody.chain(of: chains[0].caseID).isEmpty)
            chains[last].records.remove(at: 1)
            try await store.custody.importChains(chains)
            for chain in chains {
                let stored = try await store.custody.chain(of: chain.caseID)
                #expect(stored.count == chain.records.count)
                #expect(CustodyChain.verify(stored).intact)
            }
        }
    }
}
