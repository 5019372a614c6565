import Access
import CareNetwork
import Core
import Foundation
import HummingbirdTesting
import Storage
import Testing

/// Reading personal identifiers is the one read that is always audited, and only roles with
/// `read-identifiers` may do it (stewards, and a center or payer for its own patients), with a reason.
@Suite("Reading identifiers")
struct IdentifierReadTests {
    static func registrationWithIdentifiers(id: String) -> [String: Any] {
        ["id": id, "birthYear": 1980, "sex": "female",
         "identifiers": ["givenName": "Ada", "familyName": "Quill", "birthDate": "1980-04-02", "postalCode": "02139"]]
    }

    @Test("a steward reads identifiers with a reason; each read is audited, with the reason, and never cached")
    func stewardReads() async throws {
        try await TestApp.run(as: .identitySteward) { client, store in
            let created = try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders,
                                                   body: TestApp.json(Self.registrationWithIdentifiers(id: "pat-ident-1"))) { $0.status }
            #expect(created == .created)
            for _ in 0..<2 {
                let response = try await client.execute(uri: "/api/v1/patients/pat-ident-1/identifiers?reason=linkage%20review%20LR-17", method: .get) { $0 }
                #expect(response.status == .ok)
                #expect(response.object["familyName"] as? String == "Quill")
                #expect(response.object["birthDate"] as? String == "1980-04-02")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            let reads = try await store.audit.entries(AuditQuery(action: Action.readIdentifiers.rawValue)).items
            #expect(reads.count == 2)
            #expect(reads.allSatisfy { $0.object == "patient:pat-ident-1" && $0.detail == "reason: linkage review LR-17" && $0.outcome == .allowed })
        }
    }

    @Test("no reason, a too-short reason or an unknown patient is refused, naming the field")
    func refusals() async throws {
        try await TestApp.run(as: .identitySteward) { client, store in
            let patient = TestApp.demo.patients[0].id
            let missing = try await client.execute(uri: "/api/v1/patients/\(patient)/identifiers", method: .get) { $0 }
            #expect(missing.status == .badRequest)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(missing.text.contains("reason"))
            let short = try await client.execute(uri: "/api/v1/patients/\(patient)/identifiers?reason=because", method: .get) { $0 }
            #expect(short.status == .badRequest || short.status == .unprocessableContent)
            #expect(short.text.contains("reason"))
            let unknown = try await client.execute(uri: "/api/v1/patients/pat-nobody/identifiers?reason=linkage%20review%20LR-17", method: .get) { $0.status }
            #expect(unknown == .notFound)
            // Refused reads showed nothing, so they are not recorded as reads.
            #expect(try await store.audit.entries(AuditQuery(action: Action.readIdentifiers.rawValue, outcome: .allowed)).total == 0)
        }
    }

    @Test("every role without read-identifiers (the mediator's operators, manufacturers, compliance) is refused, and the refusal is audited")
    func othersRefused() async throws {
        for role in Role.allCases where !AccessPolicy.roleActions[role, default: []].contains(.readIdentifiers) {
            try await TestApp.run(as: role) { client, store in
                let patient = TestApp.demo.patients[0].id
                let response = try await client.execute(uri: "/api/v1/patients/\(patient)/identifiers?reason=linkage%20review%20LR-17", method: .get) { $0 }
                #expect(response.status == .forbidden, "\(role)")
                #expect(!response.text.contains(TestApp.demo.personalIdentifiers[0].familyName))
                #expect(try await store.audit.entries(AuditQuery(action: Action.readIdentifiers.rawValue, outcome: .denied)).total == 1)
            }
        }
    }

    @Test("a patient registered by one center is visible to it and to no other center")
    func registrantVisibility() async throws {
        try await TestApp.run(as: .centerCoordinator) { client, store in
            let created = try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders,
                                                   body: TestApp.json(["id": "pat-new-here", "birthYear": 1990, "sex": "male"])) { $0.status }
            #expect(created == .created)
            #expect(try await client.execute(uri: "/api/v1/patients/pat-new-here", method: .get) { $0.status } == .ok)

            // A coordinator at another center.
            let other = try await TestApp.client(
                as: .centerCoordinator, at: Organization(id: "org-other-center", name: "Another center", kind: .center, centerID: TestApp.demo.centers[1].id),
                sharing: client, store: store)
            #expect(try await other.execute(uri: "/api/v1/patients/pat-new-here", method: .get) { $0.status } == .notFound)
            #expect(try await other.execute(uri: "/api/v1/patients/pat-new-here/coverage", method: .get) { $0.status } == .notFound)
        }
    }
}
