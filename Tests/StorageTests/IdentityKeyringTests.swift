import CareNetwork
import Core
import Foundation
import SQLKit
import Storage
import Testing

@Suite("Identifiers encrypted at rest")
struct IdentityKeyringTests {
    static let identifiers = PersonalIdentifiers(
        patientID: "pat-sealed-1", givenName: "Octavia", familyName: "Brightwater", birthDate: CalendarDate(year: 1966, month: 2, day: 9)!,
        postalCode: "60614", phone: "555-0199"
    )

    @Test("identifiers are stored sealed: the table holds no name, date or address in clear", arguments: TestDatabase.available)
    func sealedAtRest(database: TestDatabase) async throws {
        try await database.withStore { store in
            #expect(try await store.reference.register(Patient(id: "pat-sealed-1", birthYear: 1966, sex: .female), identifiers: Self.identifiers))
            #expect(try await store.reference.identifiers(of: "pat-sealed-1") == Self.identifiers)
            let raw = try await store.database.withConnection { db in
                try await db.select().column("*").from("patient_identifiers").all().map { row in
                    try row.allColumns.map { column in (try? row.decode(column: column, as: String.self)) ?? "" }.joined(separator: "|")
                }.joined()
            }
            for clear in ["Octavia", "Brightwater", "1966-02-09", "60614", "555-0199"] { #expect(!raw.contains(clear)) }
        }
    }

    @Test("a sealed row opens only with its key and only for its patient; rotation re-seals everything", arguments: TestDatabase.available)
    func rotation(database: TestDatabase) async throws {
        let k1 = IdentityKeyring.generateKey(id: "k1")
        let k2 = IdentityKeyring.generateKey(id: "k2")
        try await database.withStore { store in
            let first = Store(database: store.database, identityKeys: try IdentityKeyring.parse(k1))
            _ = try await first.reference.register(Patient(id: "pat-sealed-1", birthYear: 1966, sex: .female), identifiers: Self.identifiers)
            // Another key alone cannot open it, and says which key is missing.
            let stranger = Store(database: store.database, identityKeys: try IdentityKeyring.parse(k2))
            await #expect(throws: StorageError.self) { try await stranger.reference.identifiers(of: "pat-sealed-1") }
            // A row moved to another patient does not open.
            _ = try await first.reference.register(Patient(id: "pat-other", birthYear: 1970, sex: .male), identifiers: nil)
            try await store.database.withConnection { db in
                try await db.raw("INSERT INTO patient_identifiers (patient_id, key_id, sealed) SELECT 'pat-other', key_id, sealed FROM patient_identifiers WHERE patient_id = 'pat-sealed-1'").run()
            }
            await #expect(throws: StorageError.self) { try await first.reference.identifiers(of: "pat-other") }
            try await store.database.withConnection { db in try await db.delete(from: "patient_identifiers").where("patient_id", .equal, "pat-other").run() }
            // Rotate: k2 current, k1 still known; afterwards k2 alone opens everything.
            let rotating = Store(database: store.database, identityKeys: try IdentityKeyring.parse("\(k2),\(k1)"))
            #expect(try await rotating.reference.resealIdentifiers() == 1)
            #expect(try await rotating.reference.resealIdentifiers() == 0)
            #expect(try await stranger.reference.identifiers(of: "pat-sealed-1") == Self.identifiers)
        }
    }

    @Test("bad key configuration is refused with a clear message")
    func badConfiguration() {
        #expect(throws: StorageError.self) { try IdentityKeyring.parse("k1:not-base64") }
        #expect(throws: StorageError.self) { try IdentityKeyring.parse("k1:" + Data(repeating: 1, count: 16).base64EncodedString()) }
        #expect(throws: StorageError.self) { try IdentityKeyring.parse("") }
    }
}
