import CareNetwork
import Core
import Coverage
import Foundation
import Journey
import Storage
import Testing

@Suite("Agreement storage")
struct AgreementStorageTests {
    static let start = Date(timeIntervalSince1970: 1_772_550_000)

    static func seed(_ store: Store) async throws -> Case {
        let record = try await Fixtures.openCase(in: store)
        _ = try await store.cases.record(Fixtures.event("bi", .started, .benefitsInvestigation, "2026-03-02"), on: record.id, notAfter: nil)
        // The starter terms and the network-wide template come with the schema.
        #expect(try await store.agreements.store(StandardTerms.carTTemplate()) == false)
        _ = try await store.agreements.store(StandardTerms.carTTemplate(center: record.centerID).renamed("car-t-sca-center"))
        return record
    }

    static func draft(_ record: Case, _ library: TermLibrary) throws -> Agreement {
        try Agreement.draft(
            id: "sca-1", for: .init(caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID, product: record.productID,
                                    values: ["diagnosis_code": "C83.30", "product_name": "Yescarta"]),
            template: StandardTerms.carTTemplate(center: record.centerID), library: library, at: start)
    }

    @Test("terms and templates are versioned; a changed term under a stored version is a conflict", arguments: TestDatabase.available)
    func library(database: TestDatabase) async throws {
        try await database.withStore { store in
            _ = try await Self.seed(store)
            #expect(try await store.agreements.library().terms.count == StandardTerms.library.terms.count)
            #expect(try await store.agreements.store(StandardTerms.library.terms[0]) == false)
            var changed = StandardTerms.library.terms[3]
            changed.text += " Amended."
            await #expect(throws: StorageError.self) { try await store.agreements.store(changed) }
            var broken = StandardTerms.carTTemplate()
            broken.id = "broken"
            broken.terms.append(TermReference("no-such-term", version: 1))
            await #expect(throws: ValidationError.self) { try await store.agreements.store(broken) }
            #expect(try await store.agreements.templates().count == 2)
        }
    }

    @Test("sending starts the financial-agreement stage and the second signature completes it, in the same transaction", arguments: TestDatabase.available)
    func negotiation(database: TestDatabase) async throws {
        try await database.withStore { store in
            let record = try await Self.seed(store)
            let library = try await store.agreements.library()
            let (created, isNew) = try await store.agreements.create(try Self.draft(record, library), scope: .center(record.centerID))
            #expect(isNew)
            #expect(try await store.agreements.create(created, scope: .all).created == false)
            await #expect(throws: NotFoundError.self) { try await store.agreements.create(created, scope: .center("ctr-other")) }

            let at = Self.start.addingTimeInterval(3600)
            _ = try await store.agreements.update(created.id, scope: .center(record.centerID), at: at) { agreement, library in
                (try agreement.sending(library: library, at: at), .sent)
            }
            #expect(try await store.cases.history(of: record.id)?.journey.state(of: .financialAgreement).status == .inProgress)
            // A refused step writes nothing.
            await #expect(throws: ValidationError.self) {
                try await store.agreements.update(created.id, scope: .all, at: at) { agreement, _ in (try agreement.signing(by: .payer, at: at), .signed) }
            }
            let later = at.addingTimeInterval(86_400)
            var agreement = try await store.agreements.update(created.id, scope: .payer(record.payerID), at: later) { agreement, library in
                (try agreement.proposing(.init(values: ["case-rate": ["amount": "160000"]]), by: .payer, library: library, at: later), nil)
            }
            #expect(agreement.versions.count == 2)
            agreement = try await store.agreements.update(created.id, scope: .all, at: later) { agreement, _ in
                (try agreement.accepting(version: 2, by: .center, at: later).signing(by: .center, at: later).signing(by: .payer, at: later), .signed)
            }
            #expect(agreement.status == .signed)
            #expect(try await store.agreements.find(created.id, scope: .all) == agreement)
            #expect(try await store.cases.history(of: record.id)?.journey.state(of: .financialAgreement).status == .completed)
            #expect(try await store.agreements.list(scope: .payer(record.payerID), caseID: nil).map(\.id) == [created.id])
            #expect(try await store.agreements.list(scope: .center("ctr-other"), caseID: nil).isEmpty)
        }
    }
}

extension AgreementTemplate {
    func renamed(_ id: AgreementTemplateID) -> AgreementTemplate {
        var copy = self
        copy.id = id
        return copy
    }
}
