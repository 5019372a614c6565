import Access
import CareNetwork
import Core
import Foundation
import SQLKit
import Storage
import Testing

/// Member IDs are identifiers: sealed with the identity keys in a table of their own, which the
/// settlement's bulk read of coverage never touches, and opened only on the audited path.
@Suite("Member IDs sealed at rest")
struct MemberIDSealingTests {
    static let patient = Patient(id: "pat-member-1", birthYear: 1971, sex: .female)

    static func coverage(_ id: String, member: String?) -> CoveragePeriod {
        CoveragePeriod(id: CoveragePeriodID(id), patientID: patient.id, payerID: Fixtures.demo.payers[0].id,
                       planID: Fixtures.demo.directory.plans.first { $0.payerID == Fixtures.demo.payers[0].id }!.id, memberID: member,
                       start: CalendarDate(year: 2026, month: 1, day: 1)!, end: nil)
    }

    static var demoMemberIDs: [String] { Fixtures.demo.coveragePeriods.compactMap(\.memberID) }

    /// The last demo coverage period's patient and payer, and the member ID of that patient's
    /// latest period with that payer.
    static var latestDemoCoverage: (PatientID, PayerID, String?) {
        let periods = Fixtures.demo.coveragePeriods
        let last = periods[periods.count - 1]
        let latest = periods.filter { $0.patientID == last.patientID && $0.payerID == last.payerID }.max { $0.start < $1.start }
        return (last.patientID, last.payerID, latest?.memberID)
    }

    /// Every text value in `table`, joined: what someone holding the database file reads.
    static func raw(_ table: String, in store: Store) async throws -> String {
        try await store.database.withConnection { db in
            try await db.select().column("*").from(table).all().map { row in
                row.allColumns.map { column in (try? row.decode(column: column, as: String.self)) ?? "" }.joined(separator: "|")
            }.joined(separator: "\n")
        }
    }

    @Test("a member ID is stored sealed apart from the coverage period, read back only by memberID(of:), and a re-add is idempotent", arguments: TestDatabase.available)
    func sealedApart(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.reference.insert(Fixtures.demo.directory)
            _ = try await store.reference.register(Self.patient, identifiers: nil)
            #expect(try await store.reference.add(Self.coverage("cov-m-1", member: "ZX-4471-09")))
            #expect(!(try await Self.raw("coverage_members", in: store)).contains("ZX-4471-09"))
            #expect(!(try await Self.raw("coverage_periods", in: store)).contains("ZX-4471-09"))
            // Ordinary reads carry no member ID; the sealed read opens it.
            #expect(try await store.reference.coveragePeriods(of: Self.patient.id).map(\.memberID) == [nil])
            #expect(try await store.reference.memberID(of: "cov-m-1") == "ZX-4471-09")
            // The same period again is no change; a different member ID under its id is a conflict.
            #expect(try await !store.reference.add(Self.coverage("cov-m-1", member: "ZX-4471-09")))
            await #expect(throws: StorageError.self) { try await store.reference.add(Self.coverage("cov-m-1", member: "ZX-0000-00")) }
            // A sealed member ID moved to another coverage period does not open.
            #expect(try await store.reference.add(Self.coverage("cov-m-2", member: nil)))
            try await store.database.withConnection { db in
                try await db.raw("INSERT INTO coverage_members (coverage_id, key_id, sealed) SELECT 'cov-m-2', key_id, sealed FROM coverage_members WHERE coverage_id = 'cov-m-1'").run()
            }
            await #expect(throws: StorageError.self) { try await store.reference.memberID(of: "cov-m-2") }
        }
    }

    @Test("the demo's bulk load seals every member ID; the audited read opens the latest with a payer, after its audit record", arguments: TestDatabase.available)
    func bulkAndAuditedRead(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let raw = try await Self.raw("coverage_members", in: store)
            let members = Self.demoMemberIDs
            #expect(!members.isEmpty)
            let inClear = members.filter(raw.contains)
            #expect(inClear.isEmpty)
            let (patient, payer, expected) = Self.latestDemoCoverage
            let read = IdentifierRead(at: Date(), userID: "usr-test", organizationID: "org-test", purpose: .shown("agreement document of sca-test"))
            let opened = try await store.openIdentifiers(of: patient, memberIDWith: payer, for: read)
            #expect(opened.memberID == expected)
            #expect(opened.identifiers?.patientID == patient)
            let reads = try await store.audit.entries(AuditQuery(action: Action.readIdentifiers.rawValue, limit: 10)).items
            let objects = reads.map(\.object)
            #expect(objects == ["patient:\(patient)"])
            #expect(reads.first?.detail == "agreement document of sca-test")
        }
    }

    @Test("rotating the identity key re-seals member IDs too", arguments: TestDatabase.available)
    func rotation(database: TestDatabase) async throws {
        let k1 = IdentityKeyring.generateKey(id: "k1")
        let k2 = IdentityKeyring.generateKey(id: "k2")
        try await database.withStore { store in
            let first = Store(database: store.database, identityKeys: try IdentityKeyring.parse(k1))
            try await first.reference.insert(Fixtures.demo.directory)
            _ = try await first.reference.register(Self.patient, identifiers: nil)
            _ = try await first.reference.add(Self.coverage("cov-m-1", member: "ZX-4471-09"))
            let stranger = Store(database: store.database, identityKeys: try IdentityKeyring.parse(k2))
            await #expect(throws: StorageError.self) { try await stranger.reference.memberID(of: "cov-m-1") }
            let rotating = Store(database: store.database, identityKeys: try IdentityKeyring.parse("\(k2),\(k1)"))
            #expect(try await rotating.reference.resealIdentifiers() == 1)
            #expect(try await rotating.reference.resealIdentifiers() == 0)
            #expect(try await stranger.reference.memberID(of: "cov-m-1") == "ZX-4471-09")
        }
    }

    @Test("migration 18 seals the member IDs already stored in clear and drops the clear column", arguments: TestDatabase.available)
    func migrationSealsExistingRows(database: TestDatabase) async throws {
        let keys = try IdentityKeyring.parse(IdentityKeyring.generateKey(id: "k1"))
        try await database.withUnmigratedDatabase { db in
            try await Migrator.migrate(db, migrations: Migrator.all.filter { $0.id < 18 }, identityKeys: keys)
            let store = Store(database: db, identityKeys: keys)
            _ = try await store.reference.register(Self.patient, identifiers: nil)
            let payer = Fixtures.demo.payers[0].id.rawValue
            let plan = Fixtures.demo.directory.plans.first { $0.payerID.rawValue == payer }!.id.rawValue
            try await db.withConnection { sql in
                // The payer and plan as the schema before migration 19 stored them.
                try await sql.insert(into: "payers").columns("id", "name", "kind").values(SQLBind(payer), SQLBind("Old payer"), SQLBind("commercial")).run()
                try await sql.insert(into: "plans").columns("id", "payer_id", "name", "type")
                    .values(SQLBind(plan), SQLBind(payer), SQLBind("Old plan"), SQLBind("commercial")).run()
                for index in 1...3 {
                    try await sql.insert(into: "coverage_periods").columns("id", "patient_id", "payer_id", "plan_id", "member_id", "start_date", "end_date")
                        .values(SQLBind("cov-old-\(index)"), SQLBind(Self.patient.id.rawValue), SQLBind(payer), SQLBind(plan),
                                SQLBind("OLD-MEMBER-\(index)"), SQLBind("2025-0\(index)-01"), SQLLiteral.null).run()
                }
            }
            #expect(try await Migrator.migrate(db, identityKeys: keys).contains("member IDs sealed apart from coverage periods"))
            for index in 1...3 { #expect(try await store.reference.memberID(of: CoveragePeriodID("cov-old-\(index)")) == "OLD-MEMBER-\(index)") }
            let everything = try await Self.raw("coverage_periods", in: store) + (try await Self.raw("coverage_members", in: store))
            #expect(!everything.contains("OLD-MEMBER"))
            #expect(try await store.reference.coveragePeriods(of: Self.patient.id).count == 3)
        }
    }
}
