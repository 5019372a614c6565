import CareNetwork
import Core
import Foundation
import Linkage
import Storage
import Testing

@Suite("Record linkage")
struct LinkageRepositoryTests {
    static let keys = LinkageKeys.development
    static let centerA = "org-ctr-a"
    static let registryB = "org-registry-b"
    static let requester = LinkageRequester(userID: "usr-linker", organizationID: centerA)

    /// The identifiers as a source holds them, optionally with its own typo.
    static func record(_ person: PersonalIdentifiers, sex: Sex, givenName: String? = nil) -> IdentifierRecord {
        IdentifierRecord(givenName: givenName ?? person.givenName, familyName: person.familyName, birthDate: person.birthDate.description,
                         sex: sex.rawValue, postalCode: person.postalCode)
    }

    /// What `curepath tokenize --partner-key-file` writes for one record.
    static func tokenSubmission(_ id: String, _ record: IdentifierRecord, partner: String, line: Int) throws -> TokenSubmission {
        let tokens = try TokenGenerator(hashingSecret: keys.hashingSecret).tokens(for: record)
        let encrypted = try tokens.mapValues { try TokenTransformation.encrypt($0, partnerKey: LinkageKeys.developmentPartnerKey(for: partner)) }
        return TokenSubmission(recordID: id, tokens: encrypted, label: "line \(line)")
    }

    static func clk(_ record: IdentifierRecord) throws -> BitArray {
        let encoder = BloomEncoder(schema: try LinkageSchema(json: Data(RegistrySchema.json.utf8)), secret: keys.hashingSecret)
        return try encoder.encode(RegistrySchema.row(record))
    }

    @Test("one patient sent by two sources — exact tokens, and a misspelled CLK — links to the same patient, once", arguments: TestDatabase.available)
    func twoSourcesOnePatient(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[3]
            let person = try #require(Fixtures.demo.personalIdentifiers.first { $0.patientID == patient.id })
            let other = Fixtures.demo.patients[4]
            let otherPerson = try #require(Fixtures.demo.personalIdentifiers.first { $0.patientID == other.id })

            // Center A tokenizes offline; the mediator links by the agreeing full-name rules.
            let sent = [
                try Self.tokenSubmission("MRN-1042", Self.record(person, sex: patient.sex), partner: Self.centerA, line: 2),
                try Self.tokenSubmission("MRN-2000", Self.record(otherPerson, sex: other.sex, givenName: "Zebediah"), partner: Self.centerA, line: 3),
            ]
            let first = try await store.linkage.linkTokens(source: Self.centerA, records: sent, requestedBy: Self.requester)
            #expect(first[0].status == .linked && first[0].patientID == patient.id && first[0].method == .token)
            #expect(first[0].evidence.contains("T3"))
            // A wrong given name agrees on no identifying rule: exact tokens cannot link it.
            #expect(first[1].status == .unmatched && first[1].patientID == nil)

            // Registry B misspells the given name; its CLK still links to the same patient.
            let misspelled = String(person.givenName.dropLast()) + "x"
            let clk = try Self.clk(Self.record(person, sex: patient.sex, givenName: misspelled))
            let fuzzy = try await store.linkage.linkCLKs(
                source: Self.registryB, records: [CLKSubmission(recordID: "R-77", clk: clk, label: "line 2")],
                requestedBy: LinkageRequester(userID: nil, organizationID: Self.registryB))
            #expect(fuzzy.map(\.status) == [.linked])
            #expect(fuzzy[0].patientID == patient.id && fuzzy[0].evidence.hasPrefix("dice "))
            #expect(try await store.linkage.patient(source: Self.registryB, recordID: "R-77") == patient.id)
            #expect(try await store.linkage.patient(source: Self.centerA, recordID: "MRN-1042") == patient.id)
            // Record IDs are per source: center A's ID means nothing for registry B.
            #expect(try await store.linkage.patient(source: Self.registryB, recordID: "MRN-1042") == nil)

            // Re-sending the file changes nothing, and the index is built once: one audited
            // identifier read per indexed patient, by whoever first caused it.
            let reads = try await store.audit.entries(AuditQuery(action: "read-identifiers", limit: 10_000)).items
            #expect(reads.count == Fixtures.demo.personalIdentifiers.count)
            #expect(reads.contains { $0.object == "patient:\(patient.id)" && $0.userID == "usr-linker" && $0.organizationID == Self.centerA })
            let again = try await store.linkage.linkTokens(source: Self.centerA, records: sent, requestedBy: Self.requester)
            #expect(again == first)
            #expect(try await store.audit.entries(AuditQuery(action: "read-identifiers", limit: 10_000)).items.count == reads.count)
            #expect(try await store.linkage.records(source: Self.centerA).map(\.recordID) == ["MRN-1042", "MRN-2000"])
        }
    }

    @Test("tokens under another partner's key, a repeated or malformed record ID, or a CLK of the wrong length are refused and store nothing", arguments: TestDatabase.available)
    func refusals(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[0]
            let person = try #require(Fixtures.demo.personalIdentifiers.first { $0.patientID == patient.id })
            let record = Self.record(person, sex: patient.sex)
            // Encrypted for registry B but sent by center A.
            let stolen = try Self.tokenSubmission("MRN-1", record, partner: Self.registryB, line: 2)
            var duplicate = try Self.tokenSubmission("MRN-1", record, partner: Self.centerA, line: 3)
            duplicate.label = "line 3"
            let badID = try Self.tokenSubmission("MRN 2", record, partner: Self.centerA, line: 4)
            await #expect {
                _ = try await store.linkage.linkTokens(source: Self.centerA, records: [stolen, duplicate, badID], requestedBy: Self.requester)
            } throws: { error in
                let fields = Set((error as? ValidationError)?.issues.map(\.field) ?? [])
                return fields.contains("line 2: T3") && fields.contains("line 3: record_id") && fields.contains("line 4: record_id")
            }
            await #expect(throws: ValidationError.self) {
                _ = try await store.linkage.linkCLKs(source: Self.centerA, records: [CLKSubmission(recordID: "R-1", clk: BitArray(count: 512), label: "line 2")],
                                                     requestedBy: Self.requester)
            }
            #expect(try await store.linkage.records(source: Self.centerA).isEmpty)
            #expect(try await store.linkage.indexedCount() == 0)
        }
    }
}
