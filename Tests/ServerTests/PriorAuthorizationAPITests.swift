import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import Journey
import NIOCore
import Storage
import Testing

/// The issue's "done when", over HTTP: a coordinator enters one patient's facts, sees every
/// payer's verdict and the single pretest plan, files the request, revises it from a
/// transplant to CAR-T without losing the clock, and watches the payer approve it.
@Suite("Prior authorization over HTTP")
struct PriorAuthorizationAPITests {
    static let product = "prd-yescarta"

    /// A new Yescarta case for a patient of the coordinator's center, with benefits
    /// investigation started so prior authorization may start.
    static func prepareCase(_ client: any TestClientProtocol) async throws -> (caseID: String, patient: String, payer: PayerID) {
        let base = try TestApp.openCase().record
        let opened = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
            "id": "case-pa-1", "patientId": base.patientID.rawValue, "productId": product, "centerId": base.centerID.rawValue,
            "payerId": base.payerID.rawValue, "referralDate": TestApp.today.adding(days: -6).description,
        ])) { $0 }
        #expect(opened.status == .created, "\(opened.text)")
        let started = try await client.execute(uri: "/api/v1/cases/case-pa-1/events", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
            "id": "ev-bi", "kind": "started", "stage": "benefits_investigation", "date": TestApp.today.adding(days: -5).description,
        ])) { $0 }
        #expect(started.status == .created, "\(started.text)")
        return ("case-pa-1", base.patientID.rawValue, base.payerID)
    }

    nonisolated(unsafe) static let facts: [String: Any] = [
        "diagnoses": [["code": "C83.30", "date": "2025-03-01"]],
        "therapyLines": [
            ["agents": ["rituximab", "doxorubicin"], "classes": ["anti-cd20", "anthracycline"], "start": "2025-03-10", "end": "2025-07-01", "outcome": "relapsed", "outcomeDate": "2025-10-01"],
            ["agents": ["rituximab", "ifosfamide"], "classes": ["anti-cd20"], "start": "2025-10-10", "end": "2025-12-01", "outcome": "refractory", "outcomeDate": "2026-10-20"],
        ],
        "performanceStatus": [["score": 1, "date": "2026-11-10"]],
        "labs": [
            ["code": "creatinineClearance", "value": "72", "date": "2026-11-10"],
            ["code": "lvef", "value": "49.99", "date": "2026-11-10"],
        ],
        "exclusions": [["kind": "priorCarT", "present": false, "date": "2026-11-10"]],
        "pretests": [["code": "echo", "date": "2026-11-10"]],
    ]

    @Test("facts in, every payer's verdict and one pretest plan out; birth date is read audited, never stored")
    func evaluation() async throws {
        try await TestApp.run { client, store in
            let (_, patient, _) = try await Self.prepareCase(client)
            var body = Self.facts
            body["patient"] = patient
            body["birthDate"] = "1961-02-03"
            let put = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts", method: .put, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.object["version"] as? Int == 1)
            #expect((put.object["facts"] as? [String: Any])?["birthDate"] == nil)
            // The same facts again are the same version.
            let again = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts", method: .put, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
            #expect(again.object["version"] as? Int == 1)

            let response = try await client.execute(uri: "/api/v1/patients/\(patient)/evaluation?product=\(Self.product)&asOf=2026-11-23&submitBy=2026-11-30", method: .get) { $0 }
            #expect(response.status == .ok, "\(response.text)")
            let evaluations = try #require(response.object["evaluations"] as? [[String: Any]])
            #expect(evaluations.map { $0["set"] as? String } == ["regional-yescarta-lbcl", "heartland-yescarta-lbcl", "nha-yescarta-lbcl"])
            // LVEF 49.99 is exact: under the regional standard's 40 it passes, under a payer's 50 it does not.
            let verdicts = Dictionary(uniqueKeysWithValues: evaluations.map { ($0["set"] as! String, $0["verdict"] as! String) })
            #expect(verdicts["nha-yescarta-lbcl"] == "not-approvable")
            #expect(verdicts["heartland-yescarta-lbcl"] == "incomplete")
            let regional = try #require(evaluations.first)
            let results = try #require(regional["results"] as? [[String: Any]])
            let age = try #require(results.first { $0["key"] as? String == "age" })
            #expect(age["status"] as? String == "met")
            let infection = try #require(results.first { $0["key"] as? String == "exclusion.activeInfection" })
            #expect(infection["status"] as? String == "unknown")
            #expect(((infection["missing"] as? [[String: Any]])?.first?["name"] as? String) == "exclusions.activeInfection")
            let plan = try #require(response.object["pretestPlan"] as? [String: Any])
            let planned = (plan["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(planned.contains("pretests.id-panel"))
            #expect(Set(planned).count == planned.count)
            #expect((response.object["differences"] as? [[String: Any]])?.isEmpty == false)
            // The birth date came from the sealed identifiers, and that read is on the audit log.
            let audits = try await store.audit.entries(AuditQuery(action: "read-birth-date", limit: 10))
            #expect(audits.total == 1)
            #expect(audits.items.first?.object == "patient:\(patient)")

            // A bad fact is refused with its field, and nothing changes.
            var bad = body
            bad["labs"] = [["code": "lvfe", "value": "55", "date": "2026-11-10"], ["code": "lvef", "value": "abc", "date": "2026-11-10"]]
            let refused = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts", method: .put, headers: TestApp.jsonHeaders, body: TestApp.json(bad)) { $0 }
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(refused.text)")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.text.contains("labs"))
            #expect(try await store.clinicalFacts.latest(of: PatientID(patient))?.version == 1)
        }
    }

    @Test("file, submit, revise transplant → CAR-T keeping the clock, pend, answer, approve; the case's PA stage follows")
    func lifecycle() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, payer) = try await Self.prepareCase(client)
            let filed = try await client.execute(uri: "/api/v1/prior-authorizations", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
                "id": "pa-http-1", "caseId": caseID, "service": ["kind": "transplant"], "urgency": "standard",
            ])) { $0 }
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.object["status"] as? String == "draft")
            #expect(filed.object["clock"] as? String == "stopped")

            func step(_ id: String, _ action: String, _ extra: [String: Any] = [:], by actor: any TestClientProtocol) async throws -> TestResponse {
                var body: [String: Any] = ["id": id, "action": action]
                body.merge(extra) { $1 }
                return try await actor.execute(uri: "/api/v1/prior-authorizations/pa-http-1/transitions", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
            }
            let submitted = try await step("t1", "submit", by: client)
            #expect(submitted.status == .created, "\(submitted.text)")
            let due = try #require(submitted.object["dueAt"] as? String)
            #expect(submitted.object["clock"] as? String == "on-time")

            let revised = try await step("t2", "revise", ["reason": "team chose CAR-T over transplant", "service": ["kind": "therapy", "product": Self.product]], by: client)
            #expect(revised.status == .created, "\(revised.text)")
            #expect(revised.object["dueAt"] as? String == due)
            #expect((revised.object["service"] as? [String: Any])?["product"] as? String == Self.product)
            #expect((revised.object["transitions"] as? [Any])?.count == 2)

            // The center may not decide; the payer may not submit.
            #expect(try await step("t3", "approve", by: client).status == .forbidden)
            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-pa-payer", name: "PA payer", kind: .payer, payerID: payer), sharing: client, store: store)
            let pended = try await step("t3", "pend", ["requestedItems": ["infectious disease panel within 30 days"]], by: reviewer)
            #expect(pended.status == .created, "\(pended.text)")
            #expect(try await step("t3", "pend", ["requestedItems": ["infectious disease panel within 30 days"]], by: reviewer).status == .ok)
            #expect(try await step("t4", "provide-information", by: reviewer).status == .forbidden)
            #expect(try await step("t4", "provide-information", by: client).status == .created)
            let approved = try await step("t5", "approve", ["payerReference": "AUTH-77"], by: reviewer)
            #expect(approved.status == .created, "\(approved.text)")
            #expect(approved.object["status"] as? String == "approved")
            #expect(approved.object["decidedOnTime"] as? Bool == true)
            #expect(approved.object["dueAt"] as? String == due)

            // Out of order: refused with the state named, nothing written.
            let late = try await step("t6", "deny", ["reason": "x"], by: reviewer)
            #expect(late.status == .unprocessableContent)
            #expect(late.text.contains("cannot deny a request that is approved"))

            let journey = try #require(try await store.cases.history(of: CaseID(caseID))?.journey)
            #expect(journey.state(of: "prior_authorization").status == .completed)
            #expect(journey.state(of: "prior_authorization").blocks.count == 1)

            // A payer that is not the request's payer does not see it.
            let stranger = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-pa-other", name: "Other payer", kind: .payer, payerID: TestApp.demo.payers.first { $0.id != payer }!.id), sharing: client, store: store)
            #expect(try await stranger.execute(uri: "/api/v1/prior-authorizations/pa-http-1", method: .get) { $0 }.status == .notFound)
        }
    }

    @Test("a decision is timed by when CurePath received it, not by the time the payer states")
    func decisionReceiptTime() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, payer) = try await Self.prepareCase(client)
            let filed = try await client.execute(uri: "/api/v1/prior-authorizations", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
                "id": "pa-receipt", "caseId": caseID, "service": ["kind": "therapy", "product": Self.product], "urgency": "standard",
            ])) { $0 }
            #expect(filed.status == .created, "\(filed.text)")
            func step(_ id: String, _ action: String, at: Date, by actor: any TestClientProtocol) async throws -> TestResponse {
                try await actor.execute(uri: "/api/v1/prior-authorizations/pa-receipt/transitions", method: .post, headers: TestApp.jsonHeaders,
                                        body: TestApp.json(["id": id, "action": action, "at": at.formatted(.iso8601)])) { $0 }
            }
            let submitted = try await step("r1", "submit", at: TestApp.now, by: client)
            #expect(submitted.status == .created, "\(submitted.text)")
            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-receipt-payer", name: "Receipt payer", kind: .payer, payerID: payer), sharing: client, store: store)
            // The payer states a time of its own (here four minutes ahead, within the tolerance
            // for clock skew); the decision counts from CurePath's receipt. The late-and-backdated
            // case is PriorAuthorizationLifecycleTests.aLateDecisionBackdatedByThePayerIsStillLate.
            let stated = TestApp.now.addingTimeInterval(240)
            let approved = try await step("r2", "approve", at: stated, by: reviewer)
            #expect(approved.status == .created, "\(approved.text)")
            let transitions = try #require(approved.object["transitions"] as? [[String: Any]])
            let decision = try #require(transitions.last)
            #expect(decision["at"] as? String == stated.formatted(.iso8601))
            #expect(decision["receivedAt"] as? String == TestApp.now.formatted(.iso8601))
            #expect(approved.object["decidedAt"] as? String == TestApp.now.formatted(.iso8601))
        }
    }

    @Test("the work queue: a center sees its own open requests soonest due first, with overdue and due-soon counts")
    func queue() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, _) = try await Self.prepareCase(client)
            for (id, urgency) in [("pa-q-draft", "standard"), ("pa-q-expedited", "expedited")] {
                let filed = try await client.execute(uri: "/api/v1/prior-authorizations", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
                    "id": id, "caseId": caseID, "service": ["kind": "therapy", "product": Self.product], "urgency": urgency,
                ])) { $0 }
                #expect(filed.status == .created, "\(filed.text)")
            }
            let submitted = try await client.execute(uri: "/api/v1/prior-authorizations/pa-q-expedited/transitions", method: .post, headers: TestApp.jsonHeaders,
                                                     body: TestApp.json(["id": "s1", "action": "submit"])) { $0 }
            #expect(submitted.status == .created, "\(submitted.text)")
            let response = try await client.execute(uri: "/api/v1/prior-authorizations?limit=500", method: .get) { $0 }
            #expect(response.status == .ok, "\(response.text)")
            let items = try #require(response.object["items"] as? [[String: Any]])
            #expect(items.allSatisfy { $0["centerId"] as? String == TestApp.coordinatorCenter.rawValue })
            let ids = items.compactMap { $0["id"] as? String }
            let expedited = try #require(ids.firstIndex(of: "pa-q-expedited")), draft = try #require(ids.firstIndex(of: "pa-q-draft"))
            #expect(expedited < draft)
            let due = items.compactMap { $0["dueAt"] as? String }
            #expect(due == due.sorted())
            let overdue = try await client.execute(uri: "/api/v1/prior-authorizations?clock=overdue&limit=500", method: .get) { $0 }
            #expect((overdue.object["items"] as? [[String: Any]])?.allSatisfy { $0["clock"] as? String == "overdue" } == true)
            #expect(overdue.object["total"] as? Int == response.object["overdue"] as? Int)
            let bad = try await client.execute(uri: "/api/v1/prior-authorizations?limit=0", method: .get) { $0 }
            #expect(bad.status == .unprocessableContent || bad.status == .badRequest)
            let page = try await client.execute(uri: "/prior-authorizations", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/prior-authorizations/pa-q-expedited\""))
            #expect(page.text.contains("id=\"open-count\">\(response.object["open"] as? Int ?? -1)</span>"))
            // An absurd offset is clamped, not an arithmetic overflow that kills the server.
            for uri in ["/prior-authorizations?offset=9223372036854775807", "/cases?offset=9223372036854775807"] {
                #expect(try await client.execute(uri: uri, method: .get) { $0 }.status == .ok, "\(uri)")
            }
            _ = store
        }
    }

    @Test("criteria files: a payer files its own, not another's; a typo is refused with its line")
    func criteriaFiling() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-heartland", name: "Heartland", kind: .payer, payerID: "pay-heartland-mutual"), sharing: client, store: store)
            let text = try String(contentsOf: Self.example("heartland-yescarta-lbcl-label.yaml"), encoding: .utf8)
            let amended = text.replacingOccurrences(of: "version: 2", with: "version: 3")
            let yaml: HTTPFields = [.contentType: "application/yaml"]
            let filed = try await reviewer.execute(uri: "/api/v1/criteria-sets", method: .post, headers: yaml, body: ByteBuffer(string: amended)) { $0 }
            #expect(filed.status == .created, "\(filed.text)")
            #expect((filed.object["summary"] as? [String: Any])?["version"] as? Int == 3)
            #expect((filed.object["differences"] as? [Any])?.isEmpty == false)
            let other = try String(contentsOf: Self.example("national-health-yescarta-lbcl-zuma1.yaml"), encoding: .utf8).replacingOccurrences(of: "version: 1", with: "version: 2")
            #expect(try await reviewer.execute(uri: "/api/v1/criteria-sets", method: .post, headers: yaml, body: ByteBuffer(string: other)) { $0 }.status == .forbidden)
            let typo = amended.replacingOccurrences(of: "version: 3", with: "version: 4").replacingOccurrences(of: "lvef:", with: "lvfe:")
            let refused = try await reviewer.execute(uri: "/api/v1/criteria-sets", method: .post, headers: yaml, body: ByteBuffer(string: typo)) { $0 }
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("lvfe"))
            #expect(refused.text.contains("line"))
            let listed = try await client.execute(uri: "/api/v1/criteria-sets?product=prd-yescarta", method: .get) { $0 }
            #expect((listed.object["items"] as? [[String: Any]])?.count == 3)
            let one = try await client.execute(uri: "/api/v1/criteria-sets/heartland-yescarta-lbcl?version=2", method: .get) { $0 }
            #expect((one.object["summary"] as? [String: Any])?["version"] as? Int == 2)
            #expect(try await client.execute(uri: "/api/v1/criteria-sets/nope", method: .get) { $0 }.status == .notFound)
        }
    }

    static func example(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/criteria/\(name)")
    }
}
