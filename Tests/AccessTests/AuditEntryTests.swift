import Access
import Core
import Foundation
import Testing

@Suite("Audit log chain")
struct AuditEntryTests {
    static func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for index in 0..<count {
            let record = AuditRecord(
                at: Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 1.2345), userID: "usr-\(index % 3)", organizationID: "org-a",
                action: index.isMultiple(of: 2) ? "read-identifiers" : "write-cases", object: "patient:pat-\(index)", outcome: .allowed,
                requestID: "req-\(index)", detail: index.isMultiple(of: 2) ? "eligibility check" : nil
            )
            entries.append(record.entry(after: entries.last))
        }
        return entries
    }

    @Test func aFreshChainVerifies() {
        let entries = Self.chain(5)
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(entries[0].previousHash == HashChain.genesis)
        #expect(HashChain.verify(entries).intact)
    }

    @Test func anEditedEntryIsFoundWhereItWasEdited() {
        var entries = Self.chain(6)
        entries[3].object = "patient:someone-else"
        let verification = HashChain.verify(entries)
        #expect(!verification.intact)
        #expect(verification.firstBrokenSequence == 4)
        #expect(verification.problem?.contains("altered") == true)
    }

    @Test func aDeletedEntryIsFound() {
        var entries = Self.chain(6)
        entries.remove(at: 2)
        #expect(HashChain.verify(entries).firstBrokenSequence == 3)
    }

    @Test func aRehashedEditStillBreaksTheNextLink() {
        var entries = Self.chain(4)
        entries[1].detail = "covering tracks"
        entries[1].hash = HashChain.hash(entries[1].canonicalText)
        #expect(HashChain.verify(entries).firstBrokenSequence == 3)
    }

    @Test func controlCharactersCannotForgeTheCanonicalForm() {
        let record = AuditRecord(at: Date(), userID: "usr\u{1F}x", organizationID: nil, action: "sign-in", object: "user:a\u{1F}b", outcome: .denied)
        let entry = record.entry(after: nil)
        #expect(!entry.object.contains("\u{1F}"))
        #expect(HashChain.verify([entry]).intact)
    }
}
