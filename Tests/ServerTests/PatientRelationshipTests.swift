import Access
import CareNetwork
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

/// A patient belongs to the organizations with a documented relationship to it. These tests
/// replay the takeover an attacker carried out — a center opening a case for another
/// center's patient, then reading and rewriting its record — and the oracles around it.
@Suite("Patient relationships and takeover")
struct PatientRelationshipTests {
    /// A patient treated at the demo's second center and never at the coordinator's.
    static var strangerCase: DemoCaseRef {
        let demo = TestApp.demo
        let found = demo.cases.first { candidate in
            candidate.record.centerID == demo.centers[1].id
                && !demo.cases.contains { $0.record.patientID == candidate.record.patientID && $0.record.centerID == TestApp.coordinatorCenter }
        }!
        return DemoCaseRef(patient: found.record.patientID, caseID: found.record.id, payer: found.record.payerID, product: found.record.productID)
    }

    struct DemoCaseRef: Sendable {
        var patient: PatientID
        var caseID: CaseID
        var payer: PayerID
        var product: ProductID
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
    }

    static func problems(_ response: TestResponse) -> [String] {
        (response.object["errors"] as? [[String: Any]] ?? []).compactMap { error in
            guard let field = error["field"] as? String, let problem = error["problem"] as? String else { return nil }
            return "\(field): \(problem)"
        }
    }

    /// A client for a coordinator at the demo's second center.
    static func secondCenter(sharing client: any TestClientProtocol, store: Store) async throws -> AuthorizedClient {
        try await TestApp.client(
            as: .centerCoordinator,
            at: Organization(id: "org-second-center", name: "Second center", kind: .center, centerID: TestApp.demo.centers[1].id),
            sharing: client, store: store)
    }

    @Test("a center cannot open a case for another center's patient, and the refusal reads as for a patient that does not exist")
    func takeoverRefused() async throws {
        try await TestApp.run { client, store in
            let stranger = Self.strangerCase
            let product = TestApp.demo.products.first { $0.journeyTemplate == "car-t" }!
            func open(_ patient: String, id: String) async throws -> TestResponse {
                try await Self.post(client, "/api/v1/cases", [
                    "id": id, "patientId": patient, "productId": product.id.rawValue,
                    "centerId": TestApp.coordinatorCenter.rawValue, "referralDate": "2026-11-01", "payerId": stranger.payer.rawValue,
                ])
            }
            let takeover = try await open(stranger.patient.rawValue, id: "case-takeover")
            #expect(takeover.status == .unprocessableContent, "\(takeover.text)")
            let missing = try await open("pat-no-such-patient", id: "case-takeover-2")
            #expect(missing.status == .unprocessableContent)
            // Word for word the same, but for the ID the caller sent.
            #expect(Self.problems(takeover).map { $0.replacingOccurrences(of: stranger.patient.rawValue, with: "X") }
                == Self.problems(missing).map { $0.replacingOccurrences(of: "pat-no-such-patient", with: "X") })
            #expect(Self.problems(takeover).first?.hasPrefix("patientId:") == true)
            #expect(try await store.cases.find("case-takeover") == nil)

            // Nothing about the patient reaches the center by any other road either.
            for path in ["", "/coverage", "/clinical-facts", "/evaluation", "/outcome-events", "/referrals"] {
                let status = try await client.execute(uri: "/api/v1/patients/\(stranger.patient)\(path)", method: .get) { $0.status }
                #expect(status == .notFound, "GET /patients/…\(path) answered \(status)")
            }
            let death = try await Self.post(client, "/api/v1/outcome-events", ["events": [[
                "id": "evt-forged-death", "patientId": stranger.patient.rawValue, "date": "2026-11-02", "kind": "death", "source": "registry",
            ]]])
            #expect(death.status == .unprocessableContent)
            #expect(!death.text.contains(stranger.patient.rawValue), "the refusal must not echo the patient: \(death.text)")
            #expect(try await store.outcomes.events(of: stranger.patient).allSatisfy { $0.id != "evt-forged-death" })
        }
    }

    @Test("a referral is the audited act that lets a second center see the patient and open a case")
    func referralOpensTheDoor() async throws {
        try await TestApp.run { client, store in
            let stranger = Self.strangerCase
            let second = try await Self.secondCenter(sharing: client, store: store)
            let product = TestApp.demo.products.first { $0.journeyTemplate == "car-t" }!

            // The coordinator's center cannot refer a patient it has no tie to; it is "not found".
            let early = try await Self.post(client, "/api/v1/patients/\(stranger.patient)/referrals", [
                "toCenterId": TestApp.coordinatorCenter.rawValue, "date": "2026-11-01",
            ])
            #expect(early.status == .notFound)
            // The treating center cannot refer to itself.
            let toItself = try await Self.post(second, "/api/v1/patients/\(stranger.patient)/referrals", [
                "toCenterId": TestApp.demo.centers[1].id.rawValue, "date": "2026-11-01",
            ])
            #expect(toItself.status == .unprocessableContent)
            #expect(Self.problems(toItself).first?.hasPrefix("toCenterId:") == true)

            let referral: [String: Any] = [
                "id": "ref-test-1", "toCenterId": TestApp.coordinatorCenter.rawValue, "date": "2026-11-01", "reason": "closer to home",
            ]
            let referred = try await Self.post(second, "/api/v1/patients/\(stranger.patient)/referrals", referral)
            #expect(referred.status == .created, "\(referred.text)")
            #expect(referred.object["fromOrganizationId"] as? String == "org-second-center")
            #expect(try await Self.post(second, "/api/v1/patients/\(stranger.patient)/referrals", referral).status == .ok)
            var changed = referral
            changed["reason"] = "something else"
            #expect(try await Self.post(second, "/api/v1/patients/\(stranger.patient)/referrals", changed).status == .conflict)

            // Now the coordinator's center may see the patient and open a case.
            #expect(try await client.execute(uri: "/api/v1/patients/\(stranger.patient)", method: .get) { $0.status } == .ok)
            let listed = try await client.execute(uri: "/api/v1/patients/\(stranger.patient)/referrals", method: .get) { $0.object }
            #expect((listed["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["ref-test-1"])
            let opened = try await Self.post(client, "/api/v1/cases", [
                "id": "case-after-referral", "patientId": stranger.patient.rawValue, "productId": product.id.rawValue,
                "centerId": TestApp.coordinatorCenter.rawValue, "referralDate": "2026-11-02", "payerId": stranger.payer.rawValue,
            ])
            #expect(opened.status == .created, "\(opened.text)")

            // Both acts are on the audit log, naming the records they touched.
            let entries = try await store.audit.entries(AuditQuery(limit: 500)).items
            let referralRow = try #require(entries.first { $0.organizationID == "org-second-center" && $0.action == Action.writePatients.rawValue })
            #expect(referralRow.object.contains("patient:\(stranger.patient)") && referralRow.object.contains("referral:ref-test-1"), "\(referralRow.object)")
            let caseRow = try #require(entries.first { $0.action == Action.writeCases.rawValue && $0.object.contains("case:case-after-referral") })
            #expect(caseRow.object.contains("patient:\(stranger.patient)"), "\(caseRow.object)")
        }
    }

    @Test("registering under another center's patient ID answers the same whatever birth year and sex are sent")
    func registrationIsNoOracle() async throws {
        try await TestApp.run { client, _ in
            let stranger = Self.strangerCase
            let patient = try #require(TestApp.demo.patients.first { $0.id == stranger.patient })
            let right = try await Self.post(client, "/api/v1/patients", ["id": patient.id.rawValue, "birthYear": patient.birthYear, "sex": patient.sex.rawValue])
            let wrong = try await Self.post(client, "/api/v1/patients", [
                "id": patient.id.rawValue, "birthYear": patient.birthYear == 1950 ? 1951 : 1950, "sex": patient.sex == .female ? "male" : "female",
            ])
            #expect(right.status == .conflict)
            #expect(wrong.status == .conflict)
            #expect(right.object["detail"] as? String == wrong.object["detail"] as? String)
            #expect(!(right.object["detail"] as? String ?? "").contains(String(patient.birthYear)))
        }
    }

    @Test("filing prior authorization on another center's case is 'not found' before the criteria set can name its payer")
    func priorAuthorizationIsNoOracle() async throws {
        try await TestApp.run { client, store in
            let stranger = Self.strangerCase
            let otherPayersSet = try #require(try await store.criteria.latestVersions().first { set in
                if case .payer(let payer) = set.owner { return payer != stranger.payer }
                return false
            })
            let filed = try await Self.post(client, "/api/v1/prior-authorizations", [
                "id": "pa-probe-1", "caseId": stranger.caseID.rawValue, "service": ["kind": "therapy", "product": stranger.product.rawValue],
                "urgency": "standard", "criteriaSet": otherPayersSet.id.rawValue,
            ])
            #expect(filed.status == .notFound, "\(filed.text)")
            #expect(!filed.text.contains(stranger.payer.rawValue))
        }
    }

    @Test("outcome events: the source is the sender, dates fall within the patient's life and after infusion where they must")
    func outcomeEventsTrusted() async throws {
        try await TestApp.run { client, store in
            let infused = TestApp.infusedCase()
            let patient = infused.record.patientID
            let infusedOn = try #require(try infused.journey().closedOn)
            let organization = try #require(try await store.identities.organizations().first { $0.centerID == TestApp.coordinatorCenter })

            let ancient = try await Self.post(client, "/api/v1/outcome-events", ["events": [[
                "id": "evt-ancient", "patientId": patient.rawValue, "date": "0001-01-01", "kind": "death", "source": "registry",
            ]]])
            #expect(ancient.status == .unprocessableContent)
            #expect(Self.problems(ancient).first?.hasPrefix("events[0].date:") == true, "\(ancient.text)")

            let early = try await Self.post(client, "/api/v1/outcome-events", ["events": [[
                "id": "evt-early-response", "patientId": patient.rawValue, "date": infusedOn.adding(days: -3).description,
                "kind": "response-assessment", "value": "complete", "source": "registry",
            ]]])
            #expect(early.status == .unprocessableContent)
            #expect(early.text.contains("after-infusion"), "\(early.text)")

            let sent = try await Self.post(client, "/api/v1/outcome-events", ["events": [[
                "id": "evt-claimed-registry", "patientId": patient.rawValue, "date": infusedOn.adding(days: 30).description,
                "kind": "response-assessment", "value": "complete", "source": "registry",
            ]]])
            #expect(sent.status == .created, "\(sent.text)")
            let stored = try #require(try await store.outcomes.events(of: patient).first { $0.id == "evt-claimed-registry" })
            #expect(stored.source == organization.id.rawValue)
        }
    }

    @Test("a patient's outcome events come a page at a time")
    func outcomeEventsPaged() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let patient = TestApp.demo.patients[0].id
            let events = (1...3).map { day in
                ["id": "evt-page-\(day)", "patientId": patient.rawValue, "date": "2026-10-0\(day)", "kind": "transfusion", "source": "x"] as [String: Any]
            }
            #expect(try await Self.post(client, "/api/v1/outcome-events", ["events": events]).status == .created)
            let total = try await store.outcomes.events(of: patient).count
            let first = try await client.execute(uri: "/api/v1/patients/\(patient)/outcome-events?limit=2", method: .get) { $0.object }
            #expect(first["total"] as? Int == total)
            #expect((first["items"] as? [Any])?.count == 2)
            let last = try await client.execute(uri: "/api/v1/patients/\(patient)/outcome-events?limit=2&offset=\(total - 1)", method: .get) { $0.object }
            #expect((last["items"] as? [[String: Any]])?.count == 1)
            let refused = try await client.execute(uri: "/api/v1/patients/\(patient)/outcome-events?limit=100000", method: .get) { $0 }
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest)
        }
    }

    @Test("a center's own agreement template, with its rates, is listed to nobody else")
    func privateTemplates() async throws {
        try await TestApp.run { client, store in
            let mine: [String: Any] = ["id": "our-rates", "version": 1, "name": "Ours", "centerId": TestApp.coordinatorCenter.rawValue,
                                       "terms": [["id": "member", "version": 1], ["id": "case-rate", "version": 1]], "values": ["case-rate": ["amount": "199000"]]]
            #expect(try await Self.post(client, "/api/v1/agreement-templates", mine).status == .created)
            let ownList = try await client.execute(uri: "/api/v1/agreement-templates", method: .get) { $0.text }
            #expect(ownList.contains("our-rates"))
            let second = try await Self.secondCenter(sharing: client, store: store)
            let theirList = try await second.execute(uri: "/api/v1/agreement-templates", method: .get) { $0 }
            #expect(theirList.status == .ok)
            #expect(!theirList.text.contains("our-rates") && !theirList.text.contains("199000"))
        }
    }
}
