import Access
import CareNetwork
import Criteria
import Journey
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
@testable import Server
import Storage
import Testing

/// The entry pages — register a patient, add coverage, open a case, file an evaluation
/// authorization, file a contract or criteria set by upload — and the promise behind them:
/// the page and the API go through one use-case function, so they refuse the same input
/// with the same words, the page showing each problem beside its field and changing nothing.
@Suite("Entry pages")
struct EntryPagesTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func encode(_ fields: [(String, String)]) -> ByteBuffer {
        PriorAuthorizationPageTests.encode(fields)
    }

    /// The message shown beside `field` (`<p class="field-error" id="error-field">…</p>`), if any.
    static func fieldError(_ html: String, _ field: String) -> String? {
        guard let start = html.range(of: "id=\"error-\(field)\">") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }

    /// Every field-error id on the page.
    static func erroredFields(_ html: String) -> [String] {
        html.components(separatedBy: "class=\"field-error\" id=\"error-").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    static let goodPatient: [(String, String)] = [
        ("givenName", "Ada"), ("familyName", "Quill"), ("birthDate", "1968-04-02"), ("sex", "female"),
        ("postalCode", "02139"), ("phone", "617 555 0100"), ("id", "pat-page-1"),
    ]

    static func replacing(_ fields: [(String, String)], _ name: String, with value: String) -> [(String, String)] {
        fields.map { $0.0 == name ? ($0.0, value) : $0 }
    }

    // MARK: - Registering a patient

    @Test("a coordinator registers a patient: the form renders, good input is sealed and redirects to the patient")
    func registerPatient() async throws {
        try await TestApp.run { client, store in
            let page = try await client.execute(uri: "/patients/new", method: .get) { $0 }
            #expect(page.status == .ok)
            for field in ["givenName", "familyName", "birthDate", "sex", "postalCode", "phone", "id"] {
                #expect(page.text.contains("name=\"\(field)\""), "\(field)")
            }
            let posted = try await client.execute(uri: "/patients", method: .post, headers: Self.form, body: Self.encode(Self.goodPatient)) { $0 }
            #expect(posted.status == .seeOther, "\(posted.text)")
            #expect(posted.headers[.location] == "/patients/pat-page-1?registered=1")
            let patient = try #require(try await store.reference.patient(PatientID("pat-page-1")))
            #expect(patient.birthYear == 1968 && patient.sex == .female)
            let identifiers = try #require(try await store.reference.identifiers(of: PatientID("pat-page-1")))
            #expect(identifiers.familyName == "Quill" && identifiers.birthDate == CalendarDate(year: 1968, month: 4, day: 2)!)
            // The patient page shows the unidentified record only, and leads on to coverage and a case.
            let shown = try await client.execute(uri: "/patients/pat-page-1?registered=1", method: .get) { $0 }
            #expect(shown.status == .ok)
            #expect(shown.text.contains("1968"))
            #expect(!shown.text.contains("Quill") && !shown.text.contains("Ada"))
            #expect(shown.text.contains("id=\"coverage-form\""))
            #expect(shown.text.contains("href=\"/cases/new?patient=pat-page-1\""))
        }
    }

    @Test("each bad field of the registration form is refused beside that field, and nothing is registered",
          arguments: [
            ("givenName", "", "givenName", "Is required."),
            ("familyName", "   ", "familyName", "Is required."),
            ("birthDate", "1968-02-30", "birthDate", "Must be a calendar date as YYYY-MM-DD, got \"1968-02-30\"."),
            ("birthDate", "2099-01-01", "birthDate", "Must be between 1900 and 2026, got 2099."),
            ("birthDate", "2026-12-25", "birthDate", "Is in the future."),
            ("sex", "", "sex", "Choose one."),
            ("sex", "robot", "sex", "Must be one of female, male, other, unknown."),
            ("postalCode", String(repeating: "9", count: 21), "postalCode", nil),
            ("phone", String(repeating: "5", count: 41), "phone", nil),
            ("id", "pat page<1>", "id", nil),
          ])
    func registrationRefusals(field: String, value: String, shownAt: String, message: String?) async throws {
        try await TestApp.run { client, store in
            let response = try await client.execute(uri: "/patients", method: .post, headers: Self.form,
                                                    body: Self.encode(Self.replacing(Self.goodPatient, field, with: value))) { $0 }
            #expect(response.status == .unprocessableContent, "\(field)=\(value): \(response.status)")
            #expect(Self.erroredFields(response.text) == [shownAt], "\(field)=\(value): \(Self.erroredFields(response.text))")
            let shown = try #require(Self.fieldError(response.text, shownAt))
            if let message { #expect(shown.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"") == message) }
            #expect(try await store.reference.patient(PatientID("pat-page-1")) == nil)
            // What was typed is kept (escaped) so it can be corrected.
            if field != "sex", !value.trimmingCharacters(in: .whitespaces).isEmpty {
                #expect(response.text.contains("value=\"\(value.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;"))\""))
            }
        }
    }

    @Test("registering under an ID another organization's patient holds is refused beside the ID, revealing nothing")
    func registrationIDTaken() async throws {
        try await TestApp.run { client, store in
            let stranger = try #require(TestApp.demo.patients.first { patient in
                !TestApp.demo.cases.contains { $0.record.patientID == patient.id && $0.record.centerID == TestApp.coordinatorCenter }
            })
            let response = try await client.execute(uri: "/patients", method: .post, headers: Self.form,
                                                    body: Self.encode(Self.replacing(Self.goodPatient, "id", with: stranger.id.rawValue))) { $0 }
            #expect(response.status == .conflict)
            #expect(Self.fieldError(response.text, "id")?.contains("is already used") == true)
            #expect(try await store.reference.identifiers(of: stranger.id)?.familyName != "Quill")
        }
    }

    // MARK: - Coverage

    @Test("coverage is added from the patient page; each bad field is refused beside it and nothing is added")
    func coverage() async throws {
        try await TestApp.run { client, store in
            _ = try await client.execute(uri: "/patients", method: .post, headers: Self.form, body: Self.encode(Self.goodPatient)) { $0 }
            let payer = TestApp.demo.payers[0]
            let plan = try #require(TestApp.demo.plans.first { $0.payerID == payer.id })
            let otherPlan = try #require(TestApp.demo.plans.first { $0.payerID != payer.id })
            let good: [(String, String)] = [("payerId", payer.id.rawValue), ("planId", plan.id.rawValue), ("memberId", "M-100"), ("start", "2026-01-01"), ("end", "")]
            let refusals: [(String, String, String)] = [
                ("planId", otherPlan.id.rawValue, "planId"),
                ("payerId", "", "payerId"),
                ("memberId", "", "memberId"),
                ("memberId", String(repeating: "m", count: 65), "memberId"),
                ("start", "2026-13-01", "start"),
                ("end", "2025-12-31", "end"),
            ]
            for (field, value, shownAt) in refusals {
                let response = try await client.execute(uri: "/patients/pat-page-1/coverage", method: .post, headers: Self.form,
                                                        body: Self.encode(Self.replacing(good, field, with: value))) { $0 }
                #expect(response.status == .unprocessableContent, "\(field)=\(value)")
                #expect(Self.erroredFields(response.text) == [shownAt], "\(field)=\(value): \(Self.erroredFields(response.text))")
                #expect(try await store.reference.coveragePeriods(of: PatientID("pat-page-1")).isEmpty)
            }
            let added = try await client.execute(uri: "/patients/pat-page-1/coverage", method: .post, headers: Self.form, body: Self.encode(good)) { $0 }
            #expect(added.status == .seeOther, "\(added.text)")
            let periods = try await store.reference.coveragePeriods(of: PatientID("pat-page-1"))
            #expect(periods.count == 1 && periods[0].planID == plan.id && periods[0].end == nil)
            let page = try await client.execute(uri: "/patients/pat-page-1", method: .get) { $0 }
            #expect(page.text.contains(plan.name))
            #expect(!page.text.contains("M-100"), "member IDs identify a person and are not shown")
        }
    }

    // MARK: - Opening a case

    @Test("a case is opened from the page for a registered patient; each bad field is refused beside it and no case is opened")
    func openCase() async throws {
        try await TestApp.run { client, store in
            _ = try await client.execute(uri: "/patients", method: .post, headers: Self.form, body: Self.encode(Self.goodPatient)) { $0 }
            let form = try await client.execute(uri: "/cases/new?patient=pat-page-1", method: .get) { $0 }
            #expect(form.status == .ok)
            #expect(form.text.contains("value=\"pat-page-1\""))
            // A center opens cases only at itself: its own center is the only choice.
            #expect(form.text.contains("<option value=\"\(TestApp.coordinatorCenter)\" selected>"))
            let payer = TestApp.demo.payers[0].id.rawValue
            let good: [(String, String)] = [
                ("patientId", "pat-page-1"), ("productId", "prd-yescarta"), ("centerId", TestApp.coordinatorCenter.rawValue),
                ("referralDate", TestApp.today.adding(days: -1).description), ("payerId", payer),
            ]
            let refusals: [(String, String, String)] = [
                ("productId", "", "productId"),
                ("productId", "prd-nothing", "productId"),
                ("referralDate", TestApp.today.adding(days: 3).description, "referralDate"),
                ("patientId", "pat-nobody", "patientId"),
                // No payer chosen and no coverage recorded.
                ("payerId", "", "payerId"),
            ]
            let before = try await store.cases.list(CaseQuery(limit: 1)).total
            for (field, value, shownAt) in refusals {
                let response = try await client.execute(uri: "/cases", method: .post, headers: Self.form,
                                                        body: Self.encode(Self.replacing(good, field, with: value))) { $0 }
                #expect(response.status == .unprocessableContent, "\(field)=\(value)")
                #expect(Self.erroredFields(response.text) == [shownAt], "\(field)=\(value): \(Self.erroredFields(response.text))")
                #expect(try await store.cases.list(CaseQuery(limit: 1)).total == before)
            }
            let opened = try await client.execute(uri: "/cases", method: .post, headers: Self.form, body: Self.encode(good)) { $0 }
            #expect(opened.status == .seeOther, "\(opened.text)")
            let location = try #require(opened.headers[.location])
            #expect(location.hasPrefix("/cases/case-") && location.hasSuffix("?opened=1"))
            #expect(try await store.cases.list(CaseQuery(limit: 1)).total == before + 1)
            let casePage = try await client.execute(uri: location, method: .get) { $0 }
            #expect(casePage.status == .ok)
            #expect(casePage.text.contains("href=\"/patients/pat-page-1\""))
        }
    }

    @Test("a second center cannot open a case for, see, or add coverage to the first center's patient through the pages")
    func secondCenter() async throws {
        try await TestApp.run { client, store in
            _ = try await client.execute(uri: "/patients", method: .post, headers: Self.form, body: Self.encode(Self.goodPatient)) { $0 }
            let center = try #require(TestApp.demo.centers.first { $0.id != TestApp.coordinatorCenter })
            let second = try await TestApp.client(
                as: .centerCoordinator, at: Organization(id: "org-entry-second", name: "Second center", kind: .center, centerID: center.id),
                sharing: client, store: store)
            let before = try await store.cases.list(CaseQuery(limit: 1)).total
            let opened = try await second.execute(uri: "/cases", method: .post, headers: Self.form, body: Self.encode([
                ("patientId", "pat-page-1"), ("productId", "prd-yescarta"), ("centerId", center.id.rawValue),
                ("referralDate", TestApp.today.description), ("payerId", TestApp.demo.payers[0].id.rawValue),
            ])) { $0 }
            #expect(opened.status == .unprocessableContent)
            // The same words as for a patient that does not exist.
            #expect(Self.fieldError(opened.text, "patientId") == "No patient &#39;pat-page-1&#39; that your organization registered, was referred or treats."
                    || Self.fieldError(opened.text, "patientId") == "No patient 'pat-page-1' that your organization registered, was referred or treats.")
            // Nor at the first center.
            let atFirst = try await second.execute(uri: "/cases", method: .post, headers: Self.form, body: Self.encode([
                ("patientId", "pat-page-1"), ("productId", "prd-yescarta"), ("centerId", TestApp.coordinatorCenter.rawValue),
                ("referralDate", TestApp.today.description), ("payerId", TestApp.demo.payers[0].id.rawValue),
            ])) { $0 }
            #expect(atFirst.status == .forbidden)
            #expect(try await store.cases.list(CaseQuery(limit: 1)).total == before)

            let coverage = try await second.execute(uri: "/patients/pat-page-1/coverage", method: .post, headers: Self.form, body: Self.encode([
                ("payerId", TestApp.demo.payers[0].id.rawValue), ("planId", TestApp.demo.plans.first { $0.payerID == TestApp.demo.payers[0].id }!.id.rawValue),
                ("memberId", "M-1"), ("start", "2026-01-01"),
            ])) { $0 }
            #expect(coverage.status == .notFound)
            #expect(try await store.reference.coveragePeriods(of: PatientID("pat-page-1")).isEmpty)
            #expect(try await second.execute(uri: "/patients/pat-page-1", method: .get) { $0.status } == .notFound)
            #expect(try await second.execute(uri: "/patients/pat-nobody", method: .get) { $0.status } == .notFound)
        }
    }

    // MARK: - The same refusal from the page and the API

    @Test("the page and the API refuse the same bad input with the same words: patient, coverage, case, event, PA step")
    func sameRefusal() async throws {
        try await TestApp.run { client, store in
            func apiProblem(_ uri: String, _ body: [String: Any]) async throws -> [(String, String)] {
                let response = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
                #expect(response.status == .unprocessableContent, "\(uri): \(response.text)")
                return (response.object["errors"] as? [[String: Any]] ?? []).map { ($0["field"] as? String ?? "", $0["problem"] as? String ?? "") }
            }
            func unescaped(_ html: String) -> String {
                html.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
            }

            // A patient whose postal code is too long.
            let long = String(repeating: "9", count: 21)
            let api = try await apiProblem("/api/v1/patients", [
                "birthYear": 1968, "sex": "female",
                "identifiers": ["givenName": "Ada", "familyName": "Quill", "birthDate": "1968-04-02", "postalCode": long],
            ])
            #expect(api.first?.0 == "identifiers.postalCode")
            let page = try await client.execute(uri: "/patients", method: .post, headers: Self.form,
                                                body: Self.encode(Self.replacing(Self.goodPatient, "postalCode", with: long))) { $0 }
            #expect(unescaped(Self.fieldError(page.text, "postalCode") ?? "") == EntryForm.sentence(api.first?.1 ?? "-"))

            // Coverage ending before it starts.
            _ = try await client.execute(uri: "/patients", method: .post, headers: Self.form, body: Self.encode(Self.goodPatient)) { $0 }
            let payer = TestApp.demo.payers[0]
            let plan = try #require(TestApp.demo.plans.first { $0.payerID == payer.id })
            let apiCoverage = try await apiProblem("/api/v1/patients/pat-page-1/coverage", [
                "payerId": payer.id.rawValue, "planId": plan.id.rawValue, "memberId": "M-1", "start": "2026-02-01", "end": "2026-01-01",
            ])
            let pageCoverage = try await client.execute(uri: "/patients/pat-page-1/coverage", method: .post, headers: Self.form, body: Self.encode([
                ("payerId", payer.id.rawValue), ("planId", plan.id.rawValue), ("memberId", "M-1"), ("start", "2026-02-01"), ("end", "2026-01-01"),
            ])) { $0 }
            #expect(apiCoverage.first?.0 == "end")
            #expect(unescaped(Self.fieldError(pageCoverage.text, "end") ?? "") == EntryForm.sentence(apiCoverage.first?.1 ?? "-"))

            // A case referred in the future.
            let future = TestApp.today.adding(days: 5).description
            let apiCase = try await apiProblem("/api/v1/cases", [
                "patientId": "pat-page-1", "productId": "prd-yescarta", "centerId": TestApp.coordinatorCenter.rawValue,
                "referralDate": future, "payerId": payer.id.rawValue,
            ])
            let pageCase = try await client.execute(uri: "/cases", method: .post, headers: Self.form, body: Self.encode([
                ("patientId", "pat-page-1"), ("productId", "prd-yescarta"), ("centerId", TestApp.coordinatorCenter.rawValue),
                ("referralDate", future), ("payerId", payer.id.rawValue),
            ])) { $0 }
            #expect(apiCase.first?.0 == "referralDate")
            #expect(unescaped(Self.fieldError(pageCase.text, "referralDate") ?? "") == EntryForm.sentence(apiCase.first?.1 ?? "-"))

            // A 'lost' event that names a stage: the case page shows the API's own sentence.
            let caseID = try TestApp.openCase().record.id.rawValue
            let apiEvent = try await apiProblem("/api/v1/cases/\(caseID)/events", ["kind": "lost", "stage": "apheresis", "date": TestApp.today.description, "lossReason": "declined"])
            let pageEvent = try await client.execute(uri: "/cases/\(caseID)/events", method: .post, headers: Self.form, body: Self.encode([
                ("kind", "lost"), ("stage", "apheresis"), ("date", TestApp.today.description), ("lossReason", "declined"),
            ])) { $0 }
            #expect(pageEvent.status == .unprocessableContent)
            #expect(unescaped(pageEvent.text).contains("\(apiEvent.first?.0 ?? "-"): \(apiEvent.first?.1 ?? "-")"))
            #expect(try await store.cases.history(of: CaseID(caseID))?.journey.status == .open)

            // A PA withdrawal without a reason.
            let (paCase, _, _) = try await PriorAuthorizationAPITests.prepareCase(client)
            let filed = try await client.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                 body: Self.encode([("caseId", paCase), ("serviceKind", "evaluation"), ("urgency", "standard")])) { $0 }
            let path = String(try #require(filed.headers[.location]).prefix { $0 != "?" })
            let requestID = String(path.split(separator: "/").last!)
            let apiStep = try await apiProblem("/api/v1/prior-authorizations/\(requestID)/transitions", ["id": "w1", "action": "withdraw"])
            let pageStep = try await client.execute(uri: path + "/transitions", method: .post, headers: Self.form,
                                                    body: Self.encode([("id", "w2"), ("action", "withdraw"), ("reason", "")])) { $0 }
            #expect(pageStep.status == .unprocessableContent)
            #expect(unescaped(pageStep.text).contains("\(apiStep.first?.0 ?? "-"): \(apiStep.first?.1 ?? "-")"))
        }
    }

    // MARK: - Evaluation authorization from the PA page

    @Test("the PA queue files an evaluation authorization for the center's case; bad fields are refused beside them; payers get no form")
    func evaluationAuthorization() async throws {
        try await TestApp.run { client, store in
            let (caseID, _, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
            let queue = try await client.execute(uri: "/prior-authorizations", method: .get) { $0 }
            #expect(queue.text.contains("File an evaluation authorization"))
            #expect(queue.text.contains("<option value=\"\(caseID)\">"))

            let badUrgency = try await client.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                      body: Self.encode([("caseId", caseID), ("serviceKind", "evaluation"), ("urgency", "whenever")])) { $0 }
            #expect(badUrgency.status == .unprocessableContent)
            #expect(Self.erroredFields(badUrgency.text) == ["urgency"])
            let badService = try await client.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                      body: Self.encode([("caseId", caseID), ("serviceKind", "massage"), ("urgency", "standard")])) { $0 }
            #expect(Self.erroredFields(badService.text) == ["serviceKind"])
            let noCase = try await client.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                  body: Self.encode([("caseId", ""), ("serviceKind", "evaluation"), ("urgency", "standard")])) { $0 }
            #expect(Self.erroredFields(noCase.text) == ["caseId"])
            #expect(try await store.priorAuthorizations.requests(onCase: CaseID(caseID), scope: .all).isEmpty)

            let filed = try await client.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                 body: Self.encode([("caseId", caseID), ("serviceKind", "evaluation"), ("urgency", "standard")])) { $0 }
            #expect(filed.status == .seeOther, "\(filed.text)")
            let requests = try await store.priorAuthorizations.requests(onCase: CaseID(caseID), scope: .all)
            #expect(requests.count == 1 && requests[0].service.kind == .evaluation && requests[0].service.product == nil)

            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-entry-payer", name: "Entry payer", kind: .payer, payerID: payer), sharing: client, store: store)
            let payerQueue = try await reviewer.execute(uri: "/prior-authorizations", method: .get) { $0 }
            #expect(payerQueue.status == .ok)
            #expect(!payerQueue.text.contains("File an evaluation authorization"))
            let payerFiles = try await reviewer.execute(uri: "/prior-authorizations", method: .post, headers: Self.form,
                                                        body: Self.encode([("caseId", caseID), ("serviceKind", "evaluation"), ("urgency", "standard")])) { $0 }
            #expect(payerFiles.status == .forbidden)
        }
    }

    // MARK: - Filing by upload

    static func multipart(_ parts: [(name: String, fileName: String?, content: String)], boundary: String = "----curepath-test-7f3a") -> (HTTPFields, ByteBuffer) {
        var body = ""
        for part in parts {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"" + (part.fileName.map { "; filename=\"\($0)\"" } ?? "") + "\r\n"
            if part.fileName != nil { body += "Content-Type: application/yaml\r\n" }
            body += "\r\n\(part.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    @Test("the mediator files a contract by upload; a broken file is refused with each problem against its line, shown with the line")
    func contractUpload() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let page = try await client.execute(uri: "/contracts/new", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("enctype=\"multipart/form-data\""))
            let good = try ContractsAPITests.example("zolgensma-installments.yaml")
            // Line 5 of the file is `version: 1`; make it a word.
            var lines = good.components(separatedBy: "\n")
            #expect(lines[4] == "version: 1")
            lines[4] = "version: one<script>"
            let (headers, body) = Self.multipart([(name: "file", fileName: "zolgensma.yaml", content: lines.joined(separator: "\n"))])
            let refused = try await client.execute(uri: "/contracts", method: .post, headers: headers, body: body) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("line 5"))
            #expect(refused.text.contains("<span class=\"line-number\">5</span> version: one&lt;script&gt;"))
            #expect(!refused.text.contains("one<script>"))
            // A browser sends a pasted text with CRLF line ends; the line is shown all the same.
            let (pastedHeaders, pasted) = Self.multipart([(name: "file", fileName: "", content: ""), (name: "text", fileName: nil, content: lines.joined(separator: "\r\n"))])
            let refusedPaste = try await client.execute(uri: "/contracts", method: .post, headers: pastedHeaders, body: pasted) { $0 }
            #expect(refusedPaste.status == .unprocessableContent)
            #expect(refusedPaste.text.contains("<span class=\"line-number\">5</span> version: one&lt;script&gt;"))
            #expect(try await store.contracts.allVersions().isEmpty)

            let (goodHeaders, goodBody) = Self.multipart([(name: "file", fileName: "zolgensma.yaml", content: good), (name: "text", fileName: nil, content: "")])
            let filed = try await client.execute(uri: "/contracts", method: .post, headers: goodHeaders, body: goodBody) { $0 }
            #expect(filed.status == .seeOther, "\(filed.text)")
            #expect(filed.headers[.location] == "/contracts/new?filed=zolgensma-annuity&version=1")
            #expect(try await store.contracts.allVersions().map(\.id.rawValue) == ["zolgensma-annuity"])
            let notice = try await client.execute(uri: filed.headers[.location]!, method: .get) { $0 }
            #expect(notice.text.contains("Filed zolgensma-annuity version 1."))

            // Pasted text goes the same way; an empty form names what is missing.
            let empty = try await client.execute(uri: "/contracts", method: .post, headers: Self.form, body: Self.encode([("text", " ")])) { $0 }
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("Choose the contract file, or paste its text."))
        }
    }

    @Test("criteria sets are filed by upload; a payer may not file the mediator's regional standard; other roles get 403")
    func criteriaUpload() async throws {
        try await TestApp.run(as: .payerReviewer) { client, store in
            let regional = try String(contentsOf: ContractsAPITests.examples.deletingLastPathComponent().appendingPathComponent("criteria/regional-standard-yescarta-lbcl.yaml"), encoding: .utf8)
            let (headers, body) = Self.multipart([(name: "file", fileName: "regional.yaml", content: regional.replacingOccurrences(of: "version: 1", with: "version: 7"))])
            let refused = try await client.execute(uri: "/criteria-sets", method: .post, headers: headers, body: body) { $0 }
            #expect(refused.status == .forbidden)
            #expect(try await store.criteria.set(CriteriaSetID("regional-yescarta-lbcl"), version: 7) == nil)
            let broken = Self.multipart([(name: "file", fileName: "x.yaml", content: "format: curepath.criteria/v1\nid: x\n  bad: [\n")])
            let parse = try await client.execute(uri: "/criteria-sets", method: .post, headers: broken.0, body: broken.1) { $0 }
            #expect(parse.status == .unprocessableContent)
            #expect(parse.text.contains("id=\"file-problems\""))
        }
        try await TestApp.run(as: .centerCoordinator) { client, _ in
            let criteria = try await client.execute(uri: "/criteria-sets/new", method: .get) { $0.status }
            let contracts = try await client.execute(uri: "/contracts/new", method: .get) { $0.status }
            #expect(criteria == .forbidden && contracts == .forbidden)
        }
    }

    // MARK: - Roles, CSRF, hostile input

    @Test("roles that do not enter records get 403 from every entry page", arguments: [Role.manufacturerAnalyst, .complianceOfficer, .payerReviewer])
    func otherRoles(role: Role) async throws {
        try await TestApp.run(as: role) { client, store in
            for (method, uri) in [(HTTPRequest.Method.get, "/patients/new"), (.post, "/patients"), (.get, "/cases/new"), (.post, "/cases"),
                                  (.post, "/patients/\(TestApp.demo.patients[0].id)/coverage"), (.get, "/contracts/new"), (.post, "/contracts")] {
                let status = try await client.execute(uri: uri, method: method, headers: Self.form, body: Self.encode([("x", "y")])) { $0.status }
                #expect(status == .forbidden, "\(role) \(method) \(uri)")
            }
            #expect(try await store.reference.patient(PatientID("pat-page-1")) == nil)
        }
    }

    @Test("a session's entry forms need its CSRF token, multipart uploads included")
    func csrf() async throws {
        try await TestApp.run(as: nil) { client, store in
            func session(_ email: String) async throws -> (cookie: String, csrf: String) {
                let signedIn = try await client.execute(uri: "/sign-in", method: .post, headers: Self.form,
                                                        body: ByteBuffer(string: "email=\(email.replacingOccurrences(of: "@", with: "%40"))&password=\(DemoIdentities.password)&next=%2Fcases")) { $0 }
                let cookie = String(try #require(signedIn.headers[.setCookie]).split(separator: ";")[0])
                let page = try await client.execute(uri: "/cases", method: .get, headers: [.cookie: cookie]) { $0 }
                let csrf = try #require(page.text.range(of: "name=\"csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
                return (cookie, csrf)
            }
            let coordinator = try await session("coordinator@center.demo")
            var headers = Self.form
            headers[.cookie] = coordinator.cookie
            let forged = try await client.execute(uri: "/patients", method: .post, headers: headers, body: Self.encode(Self.goodPatient)) { $0.status }
            #expect(forged == .forbidden)
            #expect(try await store.reference.patient(PatientID("pat-page-1")) == nil)
            let genuine = try await client.execute(uri: "/patients", method: .post, headers: headers,
                                                   body: Self.encode(Self.goodPatient + [("csrf", coordinator.csrf)])) { $0.status }
            #expect(genuine == .seeOther)

            let operator_ = try await session("operator@mediator.demo")
            let contract = try ContractsAPITests.example("zolgensma-installments.yaml")
            var (uploadHeaders, upload) = Self.multipart([(name: "file", fileName: "z.yaml", content: contract)])
            uploadHeaders[.cookie] = operator_.cookie
            #expect(try await client.execute(uri: "/contracts", method: .post, headers: uploadHeaders, body: upload) { $0.status } == .forbidden)
            (_, upload) = Self.multipart([(name: "csrf", fileName: nil, content: coordinator.csrf), (name: "file", fileName: "z.yaml", content: contract)])
            #expect(try await client.execute(uri: "/contracts", method: .post, headers: uploadHeaders, body: upload) { $0.status } == .forbidden)
            (_, upload) = Self.multipart([(name: "csrf", fileName: nil, content: operator_.csrf), (name: "file", fileName: "z.yaml", content: contract)])
            #expect(try await client.execute(uri: "/contracts", method: .post, headers: uploadHeaders, body: upload) { $0.status } == .seeOther)
        }
    }

    @Test("markup typed into any text field comes back escaped, on the form and on the pages that show it")
    func storedXSS() async throws {
        try await TestApp.run { client, store in
            let script = "<script>alert(1)</script>"
            // Every text field of the registration form, each time with another field wrong so the form comes back.
            for field in ["givenName", "familyName", "postalCode", "phone"] {
                var fields = Self.replacing(Self.goodPatient, field, with: String(script.prefix(field == "postalCode" ? 20 : 40)))
                fields = Self.replacing(fields, "sex", with: "")
                let response = try await client.execute(uri: "/patients", method: .post, headers: Self.form, body: Self.encode(fields)) { $0 }
                #expect(!response.text.contains("<script>alert"), "\(field)")
            }
            // Stored: sealed identifiers are never shown; the coverage member ID neither.
            let registered = try await client.execute(uri: "/patients", method: .post, headers: Self.form,
                                                      body: Self.encode(Self.replacing(Self.goodPatient, "familyName", with: script))) { $0 }
            #expect(registered.status == .seeOther)
            let payer = TestApp.demo.payers[0]
            let plan = try #require(TestApp.demo.plans.first { $0.payerID == payer.id })
            _ = try await client.execute(uri: "/patients/pat-page-1/coverage", method: .post, headers: Self.form, body: Self.encode([
                ("payerId", payer.id.rawValue), ("planId", plan.id.rawValue), ("memberId", script), ("start", "2026-01-01"),
            ])) { $0 }
            let page = try await client.execute(uri: "/patients/pat-page-1", method: .get) { $0 }
            #expect(!page.text.contains("<script>alert"))
            // IDs that could carry markup are refused, and the refusal escapes them.
            let badCase = try await client.execute(uri: "/cases", method: .post, headers: Self.form, body: Self.encode([
                ("patientId", "\"><script>alert(1)</script>"), ("productId", "prd-yescarta"), ("centerId", TestApp.coordinatorCenter.rawValue),
                ("referralDate", TestApp.today.description),
            ])) { $0 }
            #expect(badCase.status == .unprocessableContent)
            #expect(!badCase.text.contains("<script>alert"))
            #expect(try await store.reference.identifiers(of: PatientID("pat-page-1"))?.familyName == script, "stored as typed, sealed")
        }
    }

    @Test("over-long fields are refused by name, and a form body over its limit is refused before it is read")
    func overLong() async throws {
        try await TestApp.run { client, store in
            let huge = String(repeating: "a", count: 70 * 1024)
            let response = try await client.execute(uri: "/patients", method: .post, headers: Self.form,
                                                    body: Self.encode(Self.replacing(Self.goodPatient, "givenName", with: huge))) { $0 }
            #expect(response.status == .contentTooLarge)
            let long = try await client.execute(uri: "/patients", method: .post, headers: Self.form,
                                                body: Self.encode(Self.replacing(Self.goodPatient, "givenName", with: String(repeating: "a", count: 101)))) { $0 }
            #expect(long.status == .unprocessableContent)
            #expect(Self.erroredFields(long.text) == ["givenName"])
            #expect(try await store.reference.patient(PatientID("pat-page-1")) == nil)
        }
    }
}
