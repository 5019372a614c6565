import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Journey
import NIOCore
import Server
import Storage
import Testing

/// A case that is not in the demo data, taken from patient registration to infusion through
/// the API alone, as an integrating system would.
@Suite("A new case through the API")
struct NewCaseJourneyTests {
    @Test("register, cover, open, record every stage to infusion, and see it in the metrics")
    func wholeJourney() async throws {
        try await TestApp.run { client, store in
            func post(_ uri: String, _ body: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
            }
            let patient: [String: Any] = [
                "id": "pat-new-1", "birthYear": 1961, "sex": "female",
                "identifiers": ["givenName": "Ada", "familyName": "Example", "birthDate": "1961-04-02", "postalCode": "55401"],
            ]
            #expect(try await post("/api/v1/patients", patient).status == .created)
            #expect(try await post("/api/v1/patients", patient).status == .ok)
            var changed = patient
            changed["sex"] = "male"
            #expect(try await post("/api/v1/patients", changed).status == .conflict)
            let shown = try await client.execute(uri: "/api/v1/patients/pat-new-1", method: .get) { $0.text }
            #expect(!shown.contains("Ada") && !shown.contains("55401"))
            #expect(try await store.reference.identifiers(of: "pat-new-1")?.familyName == "Example")

            let payer = TestApp.demo.payers.first { $0.kind == .commercial }!
            let plan = TestApp.demo.plans.first { $0.payerID == payer.id }!
            let otherPlan = TestApp.demo.plans.first { $0.payerID != payer.id }!
            let mismatch = try await post("/api/v1/patients/pat-new-1/coverage", [
                "payerId": payer.id.rawValue, "planId": otherPlan.id.rawValue, "memberId": "M-1", "start": "2026-01-01",
            ])
            #expect(mismatch.status == .unprocessableContent)
            #expect((mismatch.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "planId")
            let coverage = try await post("/api/v1/patients/pat-new-1/coverage", [
                "id": "cov-new-1", "payerId": payer.id.rawValue, "planId": plan.id.rawValue, "memberId": "M-1", "start": "2026-01-01",
            ])
            #expect(coverage.status == .created)
            #expect(!coverage.text.contains("M-1"))

            let before = try await client.execute(uri: "/api/v1/metrics/journey", method: .get) { $0.object["overall"] as? [String: Any] ?? [:] }
            let product = TestApp.demo.products.first { $0.journeyTemplate == "car-t" }!
            let opened = try await post("/api/v1/cases", [
                "id": "case-new-1", "patientId": "pat-new-1", "productId": product.id.rawValue,
                "centerId": TestApp.demo.centers[0].id.rawValue, "referralDate": "2026-08-03",
            ])
            #expect(opened.status == .created)
            #expect(opened.object["payerId"] as? String == payer.id.rawValue)

            let steps: [(String, String?, String, [String: Any])] = [
                ("started", "benefits_investigation", "2026-08-03", [:]),
                ("started", "prior_authorization", "2026-08-04", [:]),
                ("started", "financial_agreement", "2026-08-04", [:]),
                ("completed", "benefits_investigation", "2026-08-06", [:]),
                ("completed", "referral", "2026-08-10", [:]),
                ("blocked", "prior_authorization", "2026-08-11", ["reason": "payer pended: PET-CT older than 30 days"]),
                ("unblocked", "prior_authorization", "2026-08-14", [:]),
                ("completed", "prior_authorization", "2026-08-18", [:]),
                ("completed", "financial_agreement", "2026-09-02", [:]),
                ("started", "apheresis", "2026-09-05", [:]),
                ("completed", "apheresis", "2026-09-05", [:]),
                ("started", "manufacturing", "2026-09-06", [:]),
                ("completed", "manufacturing", "2026-09-24", [:]),
                ("started", "lymphodepletion", "2026-09-26", [:]),
                ("completed", "lymphodepletion", "2026-09-28", [:]),
                ("started", "infusion", "2026-10-01", [:]),
                ("completed", "infusion", "2026-10-01", [:]),
                ("started", "follow_up", "2026-10-01", [:]),
            ]
            for (index, step) in steps.enumerated() {
                var body: [String: Any] = ["id": "evt-new-\(index)", "kind": step.0, "date": step.2]
                if let stage = step.1 { body["stage"] = stage }
                body.merge(step.3) { $1 }
                let response = try await post("/api/v1/cases/case-new-1/events", body)
                #expect(response.status == .created, "\(step): \(response.text)")
            }
            let detail = try await client.execute(uri: "/api/v1/cases/case-new-1", method: .get) { $0.object }
            #expect(detail["status"] as? String == "infused")
            #expect(detail["referralToInfusionDays"] as? Int == 59)
            let path = (detail["criticalPath"] as? [[String: Any]] ?? []).compactMap { $0["stage"] as? String }
            // The agreement, signed last, held apheresis up.
            #expect(path.contains("financial_agreement"))
            #expect(!path.contains("prior_authorization"))
            let stages = detail["stages"] as? [[String: Any]] ?? []
            #expect(stages.first { $0["stage"] as? String == "prior_authorization" }?["blockedDays"] as? Int == 3)

            let after = try await client.execute(uri: "/api/v1/metrics/journey", method: .get) { $0.object["overall"] as? [String: Any] ?? [:] }
            #expect(after["infusedCount"] as? Int == (before["infusedCount"] as? Int ?? -1) + 1)
            #expect(after["caseCount"] as? Int == (before["caseCount"] as? Int ?? -1) + 1)
            // A closed case takes no more pre-infusion events.
            let late = try await post("/api/v1/cases/case-new-1/events", ["kind": "lost", "lossReason": "death", "date": "2026-11-01"])
            #expect(late.status == .unprocessableContent)
            #expect((late.object["errors"] as? [[String: Any]])?.first?["rule"] as? String == "case-closed")
        }
    }
}
