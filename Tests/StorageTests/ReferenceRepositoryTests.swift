import CareNetwork
import Core
import SQLKit
import Storage
import Testing

@Suite("Reference data")
struct ReferenceRepositoryTests {
    @Test("centers, payers, plans and products round-trip exactly", arguments: TestDatabase.available)
    func directoryRoundTrip(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let stored = try await store.reference.directory()
            let expected = Fixtures.demo.directory
            #expect(stored.centers == expected.centers.sorted { $0.id < $1.id })
            #expect(stored.payers == expected.payers.sorted { $0.id < $1.id })
            #expect(stored.plans == expected.plans.sorted { $0.id < $1.id })
            #expect(stored.products == expected.products.sorted { $0.id < $1.id })
            // Money survives as exact cents.
            let kymriah = try #require(stored.products.first { $0.name == "Kymriah" })
            #expect(kymriah.listPrice == Money(dollars: 475_000))
        }
    }

    @Test("personal identifiers live in their own table, not with the patient", arguments: TestDatabase.available)
    func identifiersApart(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Fixtures.demo.patients[3]
            #expect(try await store.reference.patient(patient.id) == patient)
            let identifiers = try #require(try await store.reference.identifiers(of: patient.id))
            #expect(identifiers == Fixtures.demo.personalIdentifiers.first { $0.patientID == patient.id })
            let columns = try await store.database.withConnection { db in
                try await db.select().column("*").from("patients").limit(1).first()?.allColumns ?? []
            }
            #expect(Set(columns) == ["id", "birth_year", "sex"])
            #expect(try await store.reference.patientCount() == Fixtures.demo.patients.count)
        }
    }

    @Test("coverage periods come back in date order and find the payer in force", arguments: TestDatabase.available)
    func coverage(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let churned = try #require(Dictionary(grouping: Fixtures.demo.coveragePeriods, by: \.patientID).first { $0.value.count > 1 })
            let periods = try await store.reference.coveragePeriods(of: churned.key)
            // Read back without the member IDs, which are sealed apart (MemberIDSealingTests).
            let withoutMembers = churned.value.sorted { $0.start < $1.start }.map { period in
                var period = period
                period.memberID = nil
                return period
            }
            #expect(periods == withoutMembers)
            let last = periods.last!
            #expect(periods.inForce(on: last.start) == last)
        }
    }

    @Test("a duplicate center is refused and nothing of the batch is written", arguments: TestDatabase.available)
    func duplicateRefused(database: TestDatabase) async throws {
        try await database.withStore { store in
            let center = Fixtures.demo.centers[0]
            await #expect(throws: (any Error).self) {
                try await store.reference.insert(Directory(centers: [center, center]))
            }
            let centers = try await store.reference.directory().centers
            #expect(centers.isEmpty)
        }
    }

    @Test("registering a patient and coverage is idempotent, and a changed retry is a conflict", arguments: TestDatabase.available)
    func registerIdempotently(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let patient = Patient(id: "pat-reg-1", birthYear: 1970, sex: .female)
            let identifiers = PersonalIdentifiers(patientID: patient.id, givenName: "Grace", familyName: "Sample", birthDate: CalendarDate(year: 1970, month: 5, day: 1)!, postalCode: "10001")
            #expect(try await store.reference.register(patient, identifiers: identifiers))
            #expect(try await !store.reference.register(patient, identifiers: identifiers))
            var other = patient
            other.birthYear = 1971
            await #expect(throws: StorageError.self) { try await store.reference.register(other, identifiers: nil) }
            #expect(try await store.reference.identifiers(of: patient.id) == identifiers)

            let payer = Fixtures.demo.payers[0]
            let plan = Fixtures.demo.plans.first { $0.payerID == payer.id }!
            let period = CoveragePeriod(id: "cov-reg-1", patientID: patient.id, payerID: payer.id, planID: plan.id, memberID: "X1", start: CalendarDate(year: 2026, month: 1, day: 1)!, end: nil)
            #expect(try await store.reference.add(period))
            #expect(try await !store.reference.add(period))
            var moved = period
            moved.start = moved.start.adding(days: 1)
            await #expect(throws: StorageError.self) { try await store.reference.add(moved) }
            var stored = period
            stored.memberID = nil
            #expect(try await store.reference.coveragePeriods(of: patient.id) == [stored])
            #expect(try await store.reference.memberID(of: period.id) == "X1")
        }
    }
}
