import Foundation
import Testing
import Core
import Journey

@Suite("Custody chain")
struct CustodyTests {
    let caseID: CaseID = "case-00042"
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    func hours(_ h: Double) -> Date { start.addingTimeInterval(h * 3_600) }

    /// Collection to infusion, as a center and manufacturer record it.
    func fullChain() throws -> [CustodyEntry] {
        let records = [
            CustodyRecord(kind: .collection, occurredAt: hours(0), party: "ctr-midwest-ucc apheresis unit", collectionID: "COI-7781"),
            CustodyRecord(kind: .handoff, occurredAt: hours(4), party: "Courier: cryo shipper", collectionID: "COI-7781"),
            CustodyRecord(kind: .manufacturingLot, occurredAt: hours(30), party: "Manufacturing site", collectionID: "COI-7781", lot: "LOT-55A"),
            CustodyRecord(kind: .receipt, occurredAt: hours(500), party: "ctr-midwest-ucc cell therapy lab", collectionID: "COI-7781", lot: "LOT-55A"),
            CustodyRecord(kind: .thaw, occurredAt: hours(600), party: "ctr-midwest-ucc cell therapy lab", collectionID: "COI-7781", lot: "LOT-55A"),
            CustodyRecord(kind: .infusion, occurredAt: hours(601), party: "ctr-midwest-ucc inpatient unit", collectionID: "COI-7781", lot: "LOT-55A"),
        ]
        var chain: [CustodyEntry] = []
        for record in records { chain.append(try CustodyChain.append(record, to: chain, caseID: caseID)) }
        return chain
    }

    @Test func aRecordedChainLinksEveryEntryAndVerifies() throws {
        let chain = try fullChain()
        #expect(chain.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(chain[0].previousHash == CustodyEntry.genesisHash)
        for index in 1..<chain.count { #expect(chain[index].previousHash == chain[index - 1].hash) }
        #expect(chain.allSatisfy { $0.hash.count == 64 && $0.hash == $0.computedHash })
        let verification = CustodyChain.verify(chain)
        #expect(verification.intact)
        #expect(verification.entryCount == 6)
        #expect(verification.firstBrokenSequence == nil)
    }

    @Test func aTamperedFieldIsFoundAtItsEntry() throws {
        var chain = try fullChain()
        chain[2].lot = "LOT-99Z"
        let verification = CustodyChain.verify(chain)
        #expect(!verification.intact)
        #expect(verification.firstBrokenSequence == 3)
        #expect(verification.problem?.contains("altered") == true)
    }

    @Test func aTamperedEntryWithARecomputedHashBreaksTheNextLink() throws {
        var chain = try fullChain()
        chain[1].party = "Someone else"
        chain[1].hash = chain[1].computedHash
        let verification = CustodyChain.verify(chain)
        #expect(verification.firstBrokenSequence == 3)
        #expect(verification.problem?.contains("does not link") == true)
    }

    @Test func aDeletedEntryIsFound() throws {
        var chain = try fullChain()
        chain.remove(at: 1)
        let verification = CustodyChain.verify(chain)
        #expect(!verification.intact)
        #expect(verification.firstBrokenSequence == 2)
        #expect(verification.problem == "entry 2 is missing: the log goes from entry 1 to entry 3")
        #expect(verification.missing == 2...2)
        // Dropping the last entry cannot be seen from the chain alone; the head checkpointed
        // outside the database can.
        let full = try fullChain()
        let head = HashChain.Head(count: full.count, mac: "dev:recorded")
        var signed = full
        signed[full.count - 1].mac = head.mac
        #expect(CustodyChain.verify(Array(signed.dropLast())).intact)
        let cut = CustodyChain.verify(Array(signed.dropLast()), checkpoint: head)
        #expect(cut.problem == "the log ends at entry 5 but the checkpoint records 6 entries: entry 6 is missing")
        #expect(CustodyChain.verify(signed, checkpoint: head).intact)
    }

    @Test func reorderedEntriesAreFound() throws {
        var chain = try fullChain()
        chain.swapAt(3, 4)
        let verification = CustodyChain.verify(chain)
        #expect(verification.firstBrokenSequence == 4)
        #expect(!verification.intact)
    }

    @Test func theChainSurvivesStorageAsJSON() throws {
        let chain = try fullChain()
        let decoded = try JSONDecoder().decode([CustodyEntry].self, from: JSONEncoder().encode(chain))
        #expect(CustodyChain.verify(decoded).intact)
    }

    @Test func timestampsAreKeptToTheSecond() throws {
        let record = CustodyRecord(kind: .collection, occurredAt: start.addingTimeInterval(0.75), party: "unit", collectionID: "COI-1")
        let entry = try CustodyChain.append(record, to: [], caseID: caseID)
        #expect(entry.occurredAt == start)
        #expect(CustodyEntry.timestamp(entry.occurredAt) == "2026-09-21T14:13:20Z")
    }

    @Test func theChainStartsWithACollection() throws {
        let error = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .handoff, occurredAt: start, party: "Courier", collectionID: "COI-1"), to: [], caseID: caseID)
        }
        #expect(error?.issues.first?.rule == "custody-order")
    }

    @Test func everyEntryCarriesTheCollectionID() throws {
        let chain = Array(try fullChain().prefix(2))
        let error = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .handoff, occurredAt: hours(5), party: "Courier", collectionID: "COI-7782"), to: chain, caseID: caseID)
        }
        #expect(error?.issues.first?.rule == "chain-of-identity")
        #expect(error?.issues.first?.field == "collectionID")
    }

    @Test func timeNeverRunsBackwards() throws {
        let chain = Array(try fullChain().prefix(2))
        let error = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .handoff, occurredAt: hours(3), party: "Courier", collectionID: "COI-7781"), to: chain, caseID: caseID)
        }
        #expect(error?.issues.first?.rule == "time-order")
    }

    @Test func receiptNeedsTheAssignedLot() throws {
        let beforeLot = Array(try fullChain().prefix(2))
        let noLot = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .receipt, occurredAt: hours(10), party: "Lab", collectionID: "COI-7781", lot: "LOT-55A"), to: beforeLot, caseID: caseID)
        }
        #expect(noLot?.issues.first?.rule == "custody-order")
        let afterLot = Array(try fullChain().prefix(3))
        let wrongLot = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .receipt, occurredAt: hours(500), party: "Lab", collectionID: "COI-7781", lot: "LOT-12B"), to: afterLot, caseID: caseID)
        }
        #expect(wrongLot?.issues.first?.rule == "chain-of-identity")
        let secondLot = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .manufacturingLot, occurredAt: hours(40), party: "Site", collectionID: "COI-7781", lot: "LOT-12B"), to: afterLot, caseID: caseID)
        }
        #expect(secondLot?.issues.first?.rule == "chain-of-identity")
    }

    @Test func nothingFollowsTheInfusionOrASecondCollection() throws {
        let chain = try fullChain()
        let after = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .handoff, occurredAt: hours(700), party: "Lab", collectionID: "COI-7781", lot: "LOT-55A"), to: chain, caseID: caseID)
        }
        #expect(after?.issues.first?.rule == "custody-order")
        let recollect = #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .collection, occurredAt: hours(5), party: "Unit", collectionID: "COI-7781"), to: Array(chain.prefix(2)), caseID: caseID)
        }
        #expect(recollect?.issues.first?.rule == "custody-order")
    }

    @Test("party and identifiers must be present and printable", arguments: [
        ("", "COI-1"), ("   ", "COI-1"), ("Unit", ""), ("Unit\u{1F}", "COI-1"), ("Unit", "COI\n1"),
    ])
    func fieldsAreValidated(party: String, collectionID: String) {
        #expect(throws: ValidationError.self) {
            try CustodyChain.append(CustodyRecord(kind: .collection, occurredAt: start, party: party, collectionID: collectionID), to: [], caseID: caseID)
        }
    }
}
