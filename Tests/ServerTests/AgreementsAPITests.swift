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

/// The "done when" for agreements, over HTTP: a coordinator drafts an SCA for a case
/// from the template, negotiates two rounds with the payer, reads the redline, both sign, and
/// the journey records the agreement's days.
@Suite("Single-case agreements over HTTP")
struct AgreementsAPITests {
    @Test("draft, send, two rounds, redline, accept, sign; each side only for itself; bad values refused by field")
    func negotiation() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
            let drafted = try await client.execute(uri: "/api/v1/agreements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
                "id": "sca-http-1", "caseId": caseID, "templateId": "car-t-sca", "diagnosisCode": "C83.30",
            ])) { $0 }
            #expect(drafted.status == .created, "\(drafted.text)")
            #expect(drafted.object["status"] as? String == "draft")
            #expect((drafted.object["gaps"] as? [Any])?.isEmpty == true)

            func step(_ body: [String: Any], as actor: any TestClientProtocol) async throws -> TestResponse {
                try await actor.execute(uri: "/api/v1/agreements/sca-http-1/steps", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
            }
            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-sca-payer", name: "SCA payer", kind: .payer, payerID: payer), sharing: client, store: store)
            // The payer does not see a draft's steps until it is sent.
            #expect(try await step(["step": "propose", "values": ["case-rate": ["amount": "150000"]]], as: reviewer).status == .unprocessableContent)
            #expect(try await step(["step": "send"], as: client).status == .ok)
            let journey = try #require(try await store.cases.history(of: CaseID(caseID))?.journey)
            #expect(journey.state(of: .financialAgreement).status == .inProgress)

            let outOfRange = try await step(["step": "propose", "values": ["episode-window": ["days_after": "400"]]], as: reviewer)
            #expect(outOfRange.status == .unprocessableContent)
            #expect(outOfRange.text.contains("values.episode-window.days_after"))
            #expect(try await step(["step": "propose", "party": "center", "values": ["case-rate": ["amount": "1"]]], as: reviewer).status == .forbidden)

            #expect(try await step(["step": "propose", "values": ["case-rate": ["amount": "150000"], "outlier": ["percent": "50"]]], as: reviewer).status == .ok)
            #expect(try await step(["step": "propose", "values": ["case-rate": ["amount": "170000"]]], as: client).status == .ok)
            let redline = try await client.execute(uri: "/api/v1/agreements/sca-http-1/redline?from=1&to=3", method: .get) { $0 }
            #expect(redline.status == .ok, "\(redline.text)")
            let changed = (redline.object["lines"] as? [[String: Any]] ?? []).filter { $0["change"] as? String == "changed" }.compactMap { $0["term"] as? String }
            #expect(changed == ["case-rate", "outlier"])
            #expect(try await client.execute(uri: "/api/v1/agreements/sca-http-1/redline?from=1&to=9", method: .get) { $0 }.status == .unprocessableContent)

            let current = try await client.execute(uri: "/api/v1/agreements/sca-http-1", method: .get) { $0 }
            let standings = Dictionary(uniqueKeysWithValues: (current.object["termStandings"] as? [[String: Any]] ?? []).map { ($0["term"] as! String, $0["standing"] as! String) })
            #expect(standings["case-rate@1"] == "countered")
            #expect(standings["outlier@1"] == "agreed")
            #expect(try await step(["step": "accept", "version": 3], as: client).status == .unprocessableContent)
            #expect(try await step(["step": "accept", "version": 3], as: reviewer).status == .ok)
            #expect(try await step(["step": "sign"], as: reviewer).status == .ok)
            let signed = try await step(["step": "sign"], as: client)
            #expect(signed.object["status"] as? String == "signed", "\(signed.text)")
            let after = try #require(try await store.cases.history(of: CaseID(caseID))?.journey)
            #expect(after.state(of: .financialAgreement).status == .completed)

            let listed = try await reviewer.execute(uri: "/api/v1/agreements", method: .get) { $0 }
            let items = listed.object["items"] as? [[String: Any]] ?? []
            #expect(items.first?["id"] as? String == "sca-http-1")  // latest activity first
            #expect(items.allSatisfy { $0["payerId"] as? String == payer.rawValue })
        }
    }

    @Test("the term library and templates: only the mediator adds terms; a center stores templates for itself only")
    func library() async throws {
        try await TestApp.run { client, _ in
            let terms = try await client.execute(uri: "/api/v1/agreement-terms", method: .get) { $0 }
            #expect((terms.object["items"] as? [Any])?.count == 14)
            let term: [String: Any] = ["id": "site-of-care", "version": 1, "kind": "other", "title": "Site of care", "text": "Care at {site}.",
                                       "parameters": [["name": "site", "type": "text"]]]
            #expect(try await client.execute(uri: "/api/v1/agreement-terms", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(term)) { $0 }.status == .forbidden)
            let mine: [String: Any] = ["id": "my-car-t", "version": 1, "name": "Ours", "centerId": TestApp.coordinatorCenter.rawValue,
                                       "terms": [["id": "member", "version": 1], ["id": "case-rate", "version": 1]], "values": ["case-rate": ["amount": "199000"]]]
            #expect(try await client.execute(uri: "/api/v1/agreement-templates", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(mine)) { $0 }.status == .created)
            var theirs = mine
            theirs["id"] = "their-car-t"
            theirs["centerId"] = TestApp.demo.centers[1].id.rawValue
            #expect(try await client.execute(uri: "/api/v1/agreement-templates", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(theirs)) { $0 }.status == .forbidden)
            var badValue = mine
            badValue["id"] = "bad-car-t"
            badValue["values"] = ["case-rate": ["amount": "-5"]]
            let refused = try await client.execute(uri: "/api/v1/agreement-templates", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(badValue)) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("values.case-rate.amount"))
        }
    }
}
