import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("FHIR exchange over HTTP")
struct PriorAuthorizationExchangeTests {
    static let fhir: HTTPFields = [.contentType: "application/fhir+json"]

    static func example(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/fhir/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("a FHIR bundle becomes the patient's facts, exactly; what cannot be mapped is listed; a malformed bundle changes nothing")
    func importBundle() async throws {
        try await TestApp.run { client, store in
            let (_, patient, _) = try await PriorAuthorizationAPITests.prepareCase(client)
            let bundle = try Self.example("patient-dlbcl-bundle.json")
            let response = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts/fhir", method: .post, headers: Self.fhir, body: ByteBuffer(string: bundle)) { $0 }
            #expect(response.status == .ok, "\(response.text)")
            let record = try #require(response.object["record"] as? [String: Any])
            #expect(record["source"] as? String == "fhir")
            let facts = try #require(try await store.clinicalFacts.latest(of: PatientID(patient))?.facts)
            #expect(!facts.diagnoses.isEmpty)
            #expect(!facts.labs.isEmpty)
            #expect(facts.birthDate == nil)
            #expect(response.object["unmapped"] is [Any])

            let broken = bundle.replacingOccurrences(of: "\"resourceType\": \"Bundle\"", with: "\"resourceType\": \"Bundel\"")
            let refused = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts/fhir", method: .post, headers: Self.fhir, body: ByteBuffer(string: broken)) { $0 }
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("resourceType"))
            let garbage = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts/fhir", method: .post, headers: Self.fhir, body: ByteBuffer(string: "{\"resourceType\": ")) { $0 }
            #expect(garbage.status == .badRequest || garbage.status == .unprocessableContent)
            #expect(try await store.clinicalFacts.versions(of: PatientID(patient)).count == 1)
        }
    }

    @Test("a request exports as a PAS bundle (audited, birth date included) and a ClaimResponse records the decision once")
    func exportAndDecide() async throws {
        try await TestApp.run { client, store in
            let (caseID, patient, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
            _ = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts/fhir", method: .post, headers: Self.fhir,
                                         body: ByteBuffer(string: try Self.example("patient-dlbcl-bundle.json"))) { $0 }
            _ = try await client.execute(uri: "/api/v1/prior-authorizations", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
                "id": "pa-fhir-1", "caseId": caseID, "service": ["kind": "therapy", "product": "prd-yescarta"], "urgency": "expedited",
            ])) { $0 }
            _ = try await client.execute(uri: "/api/v1/prior-authorizations/pa-fhir-1/transitions", method: .post, headers: TestApp.jsonHeaders,
                                         body: TestApp.json(["id": "s", "action": "submit"])) { $0 }
            let exported = try await client.execute(uri: "/api/v1/prior-authorizations/pa-fhir-1/fhir", method: .get) { $0 }
            #expect(exported.status == .ok, "\(exported.text)")
            #expect(exported.object["resourceType"] as? String == "Bundle")
            let entries = try #require(exported.object["entry"] as? [[String: Any]])
            let claim = try #require(entries.first?["resource"] as? [String: Any])
            #expect(claim["resourceType"] as? String == "Claim")
            #expect(claim["use"] as? String == "preauthorization")
            #expect(!((claim["supportingInfo"] as? [Any]) ?? []).isEmpty)
            #expect(try await store.audit.entries(AuditQuery(action: "export-prior-authorization", limit: 5)).total == 1)

            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-fhir-payer", name: "FHIR payer", kind: .payer, payerID: payer), sharing: client, store: store)
            let response = try Self.example("claim-response-approved.json").replacingOccurrences(of: "pa-2026-000123", with: "pa-fhir-1")
            // The center cannot record the payer's decision.
            #expect(try await client.execute(uri: "/api/v1/prior-authorizations/pa-fhir-1/claim-response", method: .post, headers: Self.fhir,
                                             body: ByteBuffer(string: response)) { $0 }.status == .forbidden)
            let decided = try await reviewer.execute(uri: "/api/v1/prior-authorizations/pa-fhir-1/claim-response", method: .post, headers: Self.fhir,
                                                     body: ByteBuffer(string: response)) { $0 }
            #expect(decided.status == .created, "\(decided.text)")
            #expect(decided.object["status"] as? String == "approved")
            #expect(decided.object["payerReference"] is String)
            let again = try await reviewer.execute(uri: "/api/v1/prior-authorizations/pa-fhir-1/claim-response", method: .post, headers: Self.fhir,
                                                   body: ByteBuffer(string: response)) { $0 }
            #expect(again.status == .ok, "\(again.text)")
            let wrong = try Self.example("claim-response-approved.json")
            let mismatch = try await reviewer.execute(uri: "/api/v1/prior-authorizations/pa-fhir-1/claim-response", method: .post, headers: Self.fhir,
                                                      body: ByteBuffer(string: wrong)) { $0 }
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.text.contains("pa-2026-000123"))
        }
    }
}
