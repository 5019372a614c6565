import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Prior authorization pages")
struct PriorAuthorizationPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func encode(_ fields: [(String, String)]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return ByteBuffer(string: fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
    }

    @Test("the facts form saves a version, refuses a bad row by name, and the evaluation page shows each payer side by side")
    func factsAndEvaluation() async throws {
        try await TestApp.run { client, store in
            let (caseID, patient, _) = try await PriorAuthorizationAPITests.prepareCase(client)
            let empty = try await client.execute(uri: "/patients/\(patient)/clinical-facts", method: .get) { $0 }
            #expect(empty.status == .ok)
            #expect(empty.text.contains("Nothing recorded yet"))
            #expect(empty.text.contains("name=\"labs[0].value\""))

            let bad = try await client.execute(uri: "/patients/\(patient)/clinical-facts", method: .post, headers: Self.form, body: Self.encode([
                ("diagnoses[0].code", "C83.30"), ("diagnoses[0].date", "2025-03-01"),
                ("labs[0].code", "lvef"), ("labs[0].value", "fifty"), ("labs[0].upperLimitOfNormal", ""), ("labs[0].date", "2026-11-10"),
            ])) { $0 }
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("labs[0].value: &#39;fifty&#39; is not a decimal number") || bad.text.contains("labs[0].value: 'fifty' is not a decimal number"))
            #expect(bad.text.contains("value=\"fifty\""))
            #expect(try await store.clinicalFacts.latest(of: PatientID(patient)) == nil)

            let saved = try await client.execute(uri: "/patients/\(patient)/clinical-facts", method: .post, headers: Self.form, body: Self.encode([
                ("diagnoses[0].code", "C83.30"), ("diagnoses[0].date", "2025-03-01"),
                ("therapyLines[0].agents", "rituximab, doxorubicin"), ("therapyLines[0].classes", "anti-cd20"), ("therapyLines[0].start", "2025-03-10"),
                ("therapyLines[1].agents", "ifosfamide"), ("therapyLines[1].start", "2025-10-10"), ("therapyLines[1].outcome", "refractory"), ("therapyLines[1].outcomeDate", "2026-10-20"),
                ("performanceStatus[0].score", "1"), ("performanceStatus[0].date", "2026-11-10"),
                ("labs[0].code", "lvef"), ("labs[0].value", "55"), ("labs[0].date", "2026-11-10"),
                ("labs[1].code", "creatinineClearance"), ("labs[1].value", "80"), ("labs[1].date", "2026-11-10"),
                ("exclusions[0].kind", "activeInfection"), ("exclusions[0].present", "no"), ("exclusions[0].date", "2026-11-20"),
                ("pretests[0].code", "echo"), ("pretests[0].date", "2026-11-10"),
            ])) { $0 }
            #expect(saved.status == .seeOther, "\(saved.text)")
            #expect(saved.headers[.location] == "/patients/\(patient)/clinical-facts?saved=1")
            let recorded = try #require(try await store.clinicalFacts.latest(of: PatientID(patient)))
            #expect(recorded.source == .form)
            #expect(recorded.facts.therapyLines.count == 2)

            let page = try await client.execute(uri: "/patients/\(patient)/evaluation?asOf=2026-11-23", method: .get) { $0 }
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("id=\"verdicts\""))
            for owner in ["Regional standard", "Heartland Mutual Insurance", "National Health Alliance"] { #expect(html.contains(owner)) }
            #expect(html.contains("id=\"pretest-plan\""))
            #expect(html.contains("pretests.id-panel"))
            #expect(html.contains("id=\"file-request\""))
            #expect(html.contains("<option value=\"\(caseID)\">"))
        }
    }

    @Test("a request page shows the clock and only the viewer's own steps; a form step is recorded or refused by name")
    func requestPage() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
            let filed = try await client.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                 body: Self.encode([("caseId", caseID), ("urgency", "expedited"), ("criteriaSet", "")])) { $0 }
            #expect(filed.status == .seeOther, "\(filed.text)")
            let location = try #require(filed.headers[.location])
            let path = String(location.prefix { $0 != "?" })
            let submit = try await client.execute(uri: path + "/transitions", method: .post, headers: Self.form,
                                                  body: Self.encode([("id", "f1"), ("action", "submit")])) { $0 }
            #expect(submit.status == .seeOther, "\(submit.text)")
            let page = try await client.execute(uri: path, method: .get) { $0 }
            #expect(page.text.contains("<svg id=\"decision-clock\""))
            #expect(page.text.contains("id=\"status\">submitted</dd>"))
            #expect(page.text.contains("72 h left") || page.text.contains("71 h left"))
            // The center's steps only: no approve for a center.
            #expect(page.text.contains("<option value=\"withdraw\""))
            #expect(!page.text.contains("<option value=\"approve\""))
            let refused = try await client.execute(uri: path + "/transitions", method: .post, headers: Self.form,
                                                   body: Self.encode([("id", "f2"), ("action", "withdraw"), ("reason", "")])) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("reason: is required to withdraw a request"))

            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-page-payer", name: "Page payer", kind: .payer, payerID: payer), sharing: client, store: store)
            let payerView = try await reviewer.execute(uri: path, method: .get) { $0 }
            #expect(payerView.text.contains("<option value=\"approve\""))
            #expect(!payerView.text.contains("<option value=\"withdraw\""))
            let approved = try await reviewer.execute(uri: path + "/transitions", method: .post, headers: Self.form,
                                                      body: Self.encode([("id", "f3"), ("action", "approve")])) { $0 }
            #expect(approved.status == .seeOther)
            #expect(try await reviewer.execute(uri: path, method: .get) { $0 }.text.contains("decided on time"))
        }
    }
}
