import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import Linkage
import NIOCore
import Storage
import Testing

/// Review of ambiguous links: the steward (or the mediator's operator) accepts a candidate or
/// rejects them all, the decision is recorded and audited, and every later read obeys it.
@Suite("Link review")
struct LinkReviewTests {
    /// The coordinator's patient, and the twin its center registers under the same name, birth
    /// date, sex and postal code: tokens for that person agree with both equally.
    static var patient: PatientID { TestApp.coordinatorCase.record.patientID }
    static let twin = "pat-twin-1"

    /// Registers the twin and sends `records` tokenized from the patient's identifiers, as the
    /// coordinator's center; returns the center's organization ID.
    static func sendAmbiguous(_ client: any TestClientProtocol, store: Store, records: [String]) async throws -> String {
        let person = try #require(TestApp.demo.personalIdentifiers.first { $0.patientID == patient })
        let demoPatient = try #require(TestApp.demo.patients.first { $0.id == patient })
        if try await store.reference.patient(PatientID(twin)) == nil {
            let registered = try await PatientRelationshipTests.post(client, "/api/v1/patients", [
                "id": twin, "birthYear": demoPatient.birthYear, "sex": demoPatient.sex.rawValue,
                "identifiers": ["givenName": person.givenName, "familyName": person.familyName, "birthDate": person.birthDate.description, "postalCode": person.postalCode],
            ])
            #expect(registered.status == .created, "\(registered.text)")
        }
        let organization = try #require(try await store.identities.organizations().first { $0.centerID == TestApp.coordinatorCenter }).id.rawValue
        var csv = ""
        for record in records {
            let file = try RegistryIntakeTests.tokenFile(recordID: record, organization: organization)
            csv += csv.isEmpty ? file : String(file.split(separator: "\n")[1]) + "\n"
        }
        let answer = try await client.execute(uri: "/api/v1/linkage/tokens", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { $0 }
        #expect(answer.status == .ok, "\(answer.text)")
        // The center learns nothing of the ambiguity: its answer reads as no match.
        for item in answer.object["records"] as? [[String: Any]] ?? [] {
            #expect(item["status"] as? String == "unmatched")
            #expect(item["patientId"] == nil)
        }
        #expect(!answer.text.contains(twin))
        return organization
    }

    static func steward(_ client: any TestClientProtocol, store: Store) async throws -> AuthorizedClient {
        AuthorizedClient(base: (client as? AuthorizedClient)?.base ?? client, token: try await TestApp.token(for: .identitySteward, in: store))
    }

    static func review(_ client: any TestClientProtocol, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/linkage/reviews", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
    }

    @Test("an ambiguous record waits with its evidence; the steward accepts a candidate; from then on it is a link for every read")
    func accept() async throws {
        try await TestApp.run { center, store in
            let source = try await Self.sendAmbiguous(center, store: store, records: ["MRN-AMB"])
            let steward = try await Self.steward(center, store: store)

            let pending = try await steward.execute(uri: "/api/v1/linkage/reviews", method: .get) { $0 }
            #expect(pending.status == .ok, "\(pending.text)")
            #expect(pending.object["total"] as? Int == 1)
            let item = try #require((pending.object["items"] as? [[String: Any]])?.first)
            #expect(item["source"] as? String == source)
            #expect((item["record"] as? [String: Any])?["status"] as? String == "ambiguous")
            let candidates = item["candidates"] as? [[String: Any]] ?? []
            #expect(Set(candidates.compactMap { $0["patientId"] as? String }) == [Self.patient.rawValue, Self.twin])
            // The evidence: every token rule agreed for both.
            #expect(candidates.allSatisfy { ($0["evidence"] as? String)?.contains("T2") == true && ($0["evidence"] as? String)?.contains("T3") == true })

            // Bad input names the field and changes nothing.
            let stranger = try #require(TestApp.demo.patients.first { $0.id != Self.patient }).id.rawValue
            for (body, field) in [
                (["source": source, "recordId": "MRN-AMB", "decision": "accept", "patientId": stranger], "patientId"),
                (["source": source, "recordId": "MRN-AMB", "decision": "accept"], "patientId"),
                (["source": source, "recordId": "MRN-AMB", "decision": "maybe"], "decision"),
                (["source": source, "recordId": "bad id!", "decision": "reject"], "recordId"),
                (["source": source, "recordId": "MRN-AMB", "decision": "reject", "reason": String(repeating: "x", count: 501)], "reason"),
            ] as [([String: Any], String)] {
                let refused = try await Self.review(steward, body)
                #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(body): \(refused.text)")
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(PatientRelationshipTests.problems(refused).contains { $0.hasPrefix(field) }, "\(field): \(refused.text)")
            }
            #expect(try await store.linkage.pending(source: source, recordID: "MRN-AMB") != nil)
            // A record that is not waiting is not found.
            #expect(try await Self.review(steward, ["source": source, "recordId": "MRN-NONE", "decision": "reject"]).status == .notFound)

            let accepted = try await Self.review(steward, ["source": source, "recordId": "MRN-AMB", "decision": "accept", "patientId": Self.patient.rawValue,
                                                           "reason": "ticket LR-1: address confirmed with the center"])
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect((accepted.object["record"] as? [String: Any])?["status"] as? String == "linked")

            // Every read that uses links now sees the link.
            #expect(try await store.linkage.patient(source: source, recordID: "MRN-AMB") == Self.patient)
            let listed = try await center.execute(uri: "/api/v1/linkage/records", method: .get) { $0.object["records"] as? [[String: Any]] ?? [] }
            let mine = try #require(listed.first { $0["recordId"] as? String == "MRN-AMB" })
            #expect(mine["status"] as? String == "linked")
            #expect(mine["patientId"] as? String == Self.patient.rawValue)
            // Sending the file again keeps the reviewed link, and nothing waits any more.
            _ = try await Self.sendAmbiguousAgain(center, source: source, record: "MRN-AMB")
            #expect(try await store.linkage.patient(source: source, recordID: "MRN-AMB") == Self.patient)
            #expect(try await steward.execute(uri: "/api/v1/linkage/reviews", method: .get) { $0.object["total"] as? Int } == 0)

            // Recorded and audited.
            let reviews = try await store.linkage.reviews(source: source, recordID: "MRN-AMB")
            #expect(reviews.count == 1)
            #expect(reviews.first?.decision == .accept(Self.patient))
            #expect(reviews.first?.reason == "ticket LR-1: address confirmed with the center")
            let audited = try await store.audit.entries(AuditQuery(action: Action.reviewLinks.rawValue, outcome: .allowed, limit: 20)).items
            #expect(audited.contains { $0.object.contains("linked-record:\(source)/MRN-AMB") == true && $0.object.contains("patient:\(Self.patient)") == true })
        }
    }

    /// Re-sends one record's tokens and returns what the center was told.
    static func sendAmbiguousAgain(_ client: any TestClientProtocol, source: String, record: String) async throws -> [String: Any] {
        let file = try RegistryIntakeTests.tokenFile(recordID: record, organization: source)
        return try await client.execute(uri: "/api/v1/linkage/tokens", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: file)) { $0.object }
    }

    @Test("a rejected pairing never comes back as a match: re-sending the record leaves it unmatched and off the review list")
    func reject() async throws {
        try await TestApp.run { center, store in
            let source = try await Self.sendAmbiguous(center, store: store, records: ["MRN-REJ"])
            let steward = try await Self.steward(center, store: store)
            let rejected = try await Self.review(steward, ["source": source, "recordId": "MRN-REJ", "decision": "reject", "reason": "different people: twins"])
            #expect(rejected.status == .ok, "\(rejected.text)")
            #expect((rejected.object["record"] as? [String: Any])?["status"] as? String == "unmatched")
            let again = try await Self.sendAmbiguousAgain(center, source: source, record: "MRN-REJ")
            #expect((again["records"] as? [[String: Any]])?.first?["status"] as? String == "unmatched")
            #expect(try await store.linkage.patient(source: source, recordID: "MRN-REJ") == nil)
            #expect(try await store.linkage.pending(source: source, recordID: "MRN-REJ") == nil)
            #expect(try await steward.execute(uri: "/api/v1/linkage/reviews", method: .get) { $0.object["total"] as? Int } == 0)
            // Rejecting again: the record no longer waits.
            #expect(try await Self.review(steward, ["source": source, "recordId": "MRN-REJ", "decision": "reject"]).status == .notFound)
            #expect(try await store.linkage.reviews(source: source, recordID: "MRN-REJ").map(\.decision) == [.reject])
        }
    }

    @Test("centers and payers cannot review links, by API or page; the mediator's operator can, from the page, with errors beside the record")
    func whoReviews() async throws {
        try await TestApp.run { center, store in
            let source = try await Self.sendAmbiguous(center, store: store, records: ["MRN-PAGE"])
            // The center whose record it is may not decide it, nor read the candidates.
            #expect(try await center.execute(uri: "/api/v1/linkage/reviews", method: .get) { $0.status } == .forbidden)
            let attempt = try await Self.review(center, ["source": source, "recordId": "MRN-PAGE", "decision": "accept", "patientId": Self.twin])
            #expect(attempt.status == .forbidden)
            #expect(!attempt.text.contains(Self.twin) && !attempt.text.contains(Self.patient.rawValue))
            #expect(try await center.execute(uri: "/linkage/review", method: .get) { $0.status } == .forbidden)
            let payer = AuthorizedClient(base: (center as? AuthorizedClient)?.base ?? center, token: try await TestApp.token(for: .payerReviewer, in: store))
            #expect(try await payer.execute(uri: "/api/v1/linkage/reviews", method: .get) { $0.status } == .forbidden)
            #expect(try await store.linkage.pending(source: source, recordID: "MRN-PAGE") != nil)

            let mediator = AuthorizedClient(base: (center as? AuthorizedClient)?.base ?? center, token: try await TestApp.token(for: .mediatorOperator, in: store))
            let page = try await mediator.execute(uri: "/linkage/review", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"review-\(source)-MRN-PAGE\""))
            #expect(page.text.contains("value=\"\(Self.twin)\""))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let wrong = try await mediator.execute(uri: "/linkage/review", method: .post, headers: form,
                                                   body: ByteBuffer(string: "source=\(source)&recordId=MRN-PAGE&decision=accept")) { $0 }
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("id=\"error-\(source)-MRN-PAGE\""))
            #expect(wrong.text.contains("Patient is required to accept"))
            let done = try await mediator.execute(uri: "/linkage/review", method: .post, headers: form,
                                                  body: ByteBuffer(string: "source=\(source)&recordId=MRN-PAGE&decision=accept&patientId=\(Self.twin)&reason=checked")) { $0 }
            #expect(done.status == .seeOther)
            #expect(try await store.linkage.patient(source: source, recordID: "MRN-PAGE") == PatientID(Self.twin))
            #expect(try await mediator.execute(uri: "/linkage/review", method: .get) { $0.text }.contains("id=\"nothing-pending\""))
        }
    }
}
