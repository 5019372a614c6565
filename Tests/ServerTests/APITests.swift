import CareNetwork
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Journey
import Server
import Storage
import Testing

@Suite("JSON API")
struct APITests {
    @Test("reference data lists the demo network")
    func reference() async throws {
        try await TestApp.run { client, _ in
            let centers = try await client.execute(uri: "/api/v1/centers", method: .get) { $0 }
            #expect(centers.status == .ok)
            #expect((centers.object["items"] as? [Any])?.count == TestApp.demo.centers.count)
            let products = try await client.execute(uri: "/api/v1/products", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            let kymriah = try #require(products.first { $0["name"] as? String == "Kymriah" })
            #expect((kymriah["listPrice"] as? [String: Any])?["minorUnits"] as? Int == 47_500_000)
            let templates = try await client.execute(uri: "/api/v1/journey-templates", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(templates.map { $0["id"] as? String } == ["car-t", "gene-therapy", "in-vivo-gene-therapy"])
        }
    }

    @Test("a case opens at referral, and opening it again is harmless")
    func openCase() async throws {
        try await TestApp.run { client, _ in
            // A patient the center already treats: a case needs a documented relationship.
            let patient = TestApp.coordinatorPatient
            let coverage = TestApp.demo.coveragePeriods.first { $0.patientID == patient.id }!
            let request: [String: Any] = [
                "id": "case-api-1", "patientId": patient.id.rawValue, "productId": TestApp.demo.products[0].id.rawValue,
                "centerId": TestApp.coordinatorCenter.rawValue, "referralDate": "2026-11-02",
            ]
            let created = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(request)) { $0 }
            #expect(created.status == .created)
            #expect(created.object["status"] as? String == "open")
            #expect(created.object["currentStages"] as? [String] == ["referral"])
            // The payer defaults to the coverage in force on the referral date.
            if coverage.covers(CalendarDate(iso8601: "2026-11-02")!) {
                #expect(created.object["payerId"] as? String == coverage.payerID.rawValue)
            }
            let again = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(request)) { $0.status }
            #expect(again == .ok)
        }
    }

    @Test("opening a case with an unknown product or a future referral is refused, naming the field")
    func openCaseRefused() async throws {
        try await TestApp.run { client, store in
            let before = try await store.cases.caseCount()
            let base: [String: Any] = [
                "patientId": TestApp.coordinatorPatient.id.rawValue, "productId": "no-such-product",
                "centerId": TestApp.demo.centers[0].id.rawValue, "payerId": TestApp.demo.payers[0].id.rawValue, "referralDate": "2026-11-02",
            ]
            let unknown = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(base)) { $0 }
            #expect(unknown.status == .unprocessableContent)
            #expect((unknown.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "productId")
            var future = base
            future["productId"] = TestApp.demo.products[0].id.rawValue
            future["referralDate"] = "2027-01-01"
            let late = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(future)) { $0 }
            #expect(late.status == .unprocessableContent)
            #expect((late.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "referralDate")
            var badDate = future
            badDate["referralDate"] = "2026-02-30"
            let invalid = try await client.execute(uri: "/api/v1/cases", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(badDate)) { $0 }
            #expect(invalid.status == .unprocessableContent)
            #expect((invalid.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "referralDate")
            #expect(try await store.cases.caseCount() == before)
        }
    }

    @Test("recording a stage changes the case and the network metrics")
    func recordChangesMetrics() async throws {
        try await TestApp.run { client, _ in
            let open = try TestApp.openCase()
            let before = try await client.execute(uri: "/api/v1/metrics/journey", method: .get) { $0.object["overall"] as? [String: Any] ?? [:] }
            let lost: [String: Any] = ["id": "evt-api-lost", "kind": "lost", "lossReason": "progression", "date": TestApp.today.description]
            let response = try await client.execute(
                uri: "/api/v1/cases/\(open.record.id)/events", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(lost)
            ) { $0 }
            #expect(response.status == .created)
            #expect(response.object["caseStatus"] as? String == "lost")
            let after = try await client.execute(uri: "/api/v1/metrics/journey", method: .get) { $0.object["overall"] as? [String: Any] ?? [:] }
            #expect(after["lostCount"] as? Int == (before["lostCount"] as? Int ?? -1) + 1)
            #expect(after["openCount"] as? Int == (before["openCount"] as? Int ?? -1) - 1)
            // The same event again is recognised, not double-counted.
            let retry = try await client.execute(
                uri: "/api/v1/cases/\(open.record.id)/events", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(lost)
            ) { $0.status }
            #expect(retry == .ok)
            let again = try await client.execute(uri: "/api/v1/metrics/journey", method: .get) { $0.object["overall"] as? [String: Any] ?? [:] }
            #expect(again["lostCount"] as? Int == after["lostCount"] as? Int)
        }
    }

    @Test("a broken dependency is refused as problem+json naming the rule, and nothing changes")
    func brokenDependency() async throws {
        try await TestApp.run { client, store in
            let open = try TestApp.openCase()
            let eventsBefore = try await store.cases.events(of: open.record.id).count
            let infusion: [String: Any] = ["kind": "started", "stage": "infusion", "date": TestApp.today.description]
            let response = try await client.execute(
                uri: "/api/v1/cases/\(open.record.id)/events", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(infusion)
            ) { $0 }
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let error = try #require((response.object["errors"] as? [[String: Any]])?.first)
            #expect(error["field"] as? String == "stage")
            #expect(error["rule"] as? String == "dependency")
            #expect((error["problem"] as? String)?.contains("Infusion cannot start") == true)
            #expect(response.object["status"] as? Int == 422)
            #expect(try await store.cases.events(of: open.record.id).count == eventsBefore)
        }
    }

    @Test("malformed input is a 400 that names the field")
    func malformed() async throws {
        try await TestApp.run { client, _ in
            let open = try TestApp.openCase()
            let uri = "/api/v1/cases/\(open.record.id)/events"
            let missingKind = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["date": "2026-11-01"])) { $0 }
            #expect(missingKind.status == .badRequest)
            #expect((missingKind.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "kind")
            let badKind = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["kind": "teleported", "date": "2026-11-01"])) { $0 }
            #expect(badKind.status == .badRequest)
            #expect((badKind.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "kind")
            let notJSON = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: ByteBuffer(string: "{nope")) { $0.status }
            #expect(notJSON == .badRequest)
            let badDate = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["kind": "blocked", "stage": "referral", "date": "11/01/2026"])) { $0 }
            #expect(badDate.status == .unprocessableContent)
            #expect((badDate.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "date")
            for (query, field) in [("limit=abc", "limit"), ("status=bogus", "status"), ("limit=0", "limit"), ("referredFrom=yesterday", "referredFrom")] {
                let response = try await client.execute(uri: "/api/v1/cases?\(query)", method: .get) { $0 }
                #expect(response.status.code / 100 == 4, "\(query)")
                #expect((response.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(query)")
            }
            let unknown = try await client.execute(uri: "/api/v1/cases/case-none", method: .get) { $0 }
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("lists are paginated and filtered")
    func pagination() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let first = try await client.execute(uri: "/api/v1/cases?limit=25", method: .get) { $0.object }
            #expect(first["total"] as? Int == TestApp.demo.cases.count)
            #expect((first["items"] as? [Any])?.count == 25)
            let last = try await client.execute(uri: "/api/v1/cases?limit=25&offset=50", method: .get) { $0.object }
            #expect((last["items"] as? [Any])?.count == min(25, TestApp.demo.cases.count - 50))
            let lost = try await client.execute(uri: "/api/v1/cases?status=lost&limit=500", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(lost.allSatisfy { $0["status"] as? String == "lost" })
        }
    }

    @Test("metrics can be grouped, and each group's counts add up to the whole")
    func groupedMetrics() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let report = try await client.execute(uri: "/api/v1/metrics/journey?by=center", method: .get) { $0.object }
            let groups = try #require(report["groups"] as? [[String: Any]])
            let total = groups.compactMap { ($0["metrics"] as? [String: Any])?["caseCount"] as? Int }.reduce(0, +)
            #expect(total == TestApp.demo.cases.count)
            #expect(groups.allSatisfy { ($0["name"] as? String)?.isEmpty == false })
        }
    }

    @Test("custody entries are appended, verified, and refused out of order")
    func custody() async throws {
        try await TestApp.run { client, _ in
            let id = TestApp.coordinatorCase.record.id
            let uri = "/api/v1/cases/\(id)/custody"
            let handoffFirst: [String: Any] = ["kind": "handoff", "occurredAt": "2026-05-01T10:00:00Z", "party": "Courier", "collectionId": "COI-77"]
            let refused = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(handoffFirst)) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect((refused.object["errors"] as? [[String: Any]])?.first?["rule"] as? String == "custody-order")
            let collection: [String: Any] = ["kind": "collection", "occurredAt": "2026-05-01T08:00:00Z", "party": "Apheresis unit", "collectionId": "COI-77"]
            let created = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(collection)) { $0 }
            #expect(created.status == .created)
            #expect((created.object["hash"] as? String)?.count == 64)
            _ = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(handoffFirst)) { $0 }
            let verification = try await client.execute(uri: uri + "/verification", method: .get) { $0.object }
            #expect(verification["intact"] as? Bool == true)
            #expect(verification["entryCount"] as? Int == 2)
        }
    }

    @Test("every response carries a request ID, and errors quote it")
    func requestIDs() async throws {
        try await TestApp.run { client, _ in
            let name = HTTPField.Name("X-Request-ID")!
            let echoed = try await client.execute(uri: "/health", method: .get, headers: [name: "abc-123"]) { $0.headers[name] }
            #expect(echoed == "abc-123")
            let problem = try await client.execute(uri: "/api/v1/cases/case-none", method: .get) { $0 }
            #expect(problem.object["requestId"] as? String == problem.headers[name])
        }
    }

    @Test("the OpenAPI document is served")
    func spec() async throws {
        try await TestApp.run { client, _ in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get) { $0 }
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
            #expect(response.text.contains("operationId: recordJourneyEvent"))
        }
    }

    // Found by the Schemathesis fuzz step (Tests/Schemathesis): each is a regression test.

    @Test("an invalid identifier or date in a path or query is a 422 naming it, as the spec now says")
    func invalidParameters() async throws {
        try await TestApp.run { client, _ in
            for (uri, field) in [
                ("/api/v1/cases/%C2%84", "caseId"), ("/api/v1/cases/%C2%84/custody/verification", "caseId"),
                ("/api/v1/patients/%C2%84/coverage", "patientId"), ("/api/v1/cases?referredTo=", "referredTo"),
                ("/api/v1/metrics/journey?referredFrom=0000-01-01", "referredFrom"), ("/api/v1/cases?limit=501", "limit"),
            ] {
                let response = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(response.status == .unprocessableContent, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                #expect(response.firstErrorField == field, "\(uri)")
            }
            // Each of these GET operations documents the 422 (the fuzzer's status_code_conformance check).
            let spec = try await client.execute(uri: "/openapi.yaml", method: .get) { $0.text }
            for operation in ["getPatient", "listCoveragePeriods", "listCases", "getCase", "listJourneyEvents", "getCustodyLog", "verifyCustody", "getJourneyMetrics"] {
                let block = spec.components(separatedBy: "operationId: \(operation)\n").dropFirst().first?.components(separatedBy: "operationId:").first
                #expect(block?.contains("'422': { $ref: '#/components/responses/Unprocessable' }") == true, "\(operation)")
            }
        }
    }

    @Test("a body sent as something other than JSON is a 415 naming Content-Type")
    func unsupportedMediaType() async throws {
        try await TestApp.run { client, store in
            let open = try TestApp.openCase()
            let before = try await store.cases.events(of: open.record.id).count
            let response = try await client.execute(
                uri: "/api/v1/cases/\(open.record.id)/events", method: .post, headers: [.contentType: "text/plain"],
                body: TestApp.json(["kind": "lost", "lossReason": "progression", "date": TestApp.today.description])
            ) { $0 }
            #expect(response.status == .unsupportedMediaType)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.object["status"] as? Int == 415)
            #expect(response.firstErrorField == "Content-Type")
            #expect(try await store.cases.events(of: open.record.id).count == before)
        }
    }

    @Test("an Accept header that rules out JSON is a 406, a malformed one a 400, both naming Accept")
    func notAcceptable() async throws {
        try await TestApp.run { client, _ in
            let html = try await client.execute(uri: "/api/v1/centers", method: .get, headers: [.accept: "text/html"]) { $0 }
            #expect(html.status == .notAcceptable)
            #expect(html.headers[.contentType] == "application/problem+json")
            #expect(html.firstErrorField == "Accept")
            let malformed = try await client.execute(uri: "/api/v1/centers", method: .get, headers: [.accept: ";;;"]) { $0 }
            #expect(malformed.status == .badRequest)
            #expect(malformed.firstErrorField == "Accept")
            let any = try await client.execute(uri: "/api/v1/centers", method: .get, headers: [.accept: "text/html, */*;q=0.1"]) { $0.status }
            #expect(any == .ok)
        }
    }

    @Test("a number that is not an integer, or too large for one, names its field instead of calling the JSON invalid")
    func numbersNameTheirField() async throws {
        try await TestApp.run { client, store in
            for number in ["1.5", "1e30", "99999999999999999999", "-99999999999999999999"] {
                let body = ByteBuffer(string: #"{"id":"pat-fuzz-1","sex":"female","birthYear":\#(number)}"#)
                let response = try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders, body: body) { $0 }
                #expect(response.status == .badRequest, "\(number)")
                #expect(response.firstErrorField == "birthYear", "\(number)")
            }
            #expect(try await store.reference.patient("pat-fuzz-1") == nil)
        }
    }

    @Test("an empty, non-object or unreadable body is a 400 on the body that says which")
    func unreadableBodies() async throws {
        try await TestApp.run { client, _ in
            for (body, problem) in [("", "is required: send a JSON object"), ("[]", "must be a JSON object"), ("\u{0}", "is not valid JSON")] {
                let response = try await client.execute(uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders, body: ByteBuffer(string: body)) { $0 }
                #expect(response.status == .badRequest, "\(body.debugDescription)")
                #expect(response.firstErrorField == "body", "\(body.debugDescription)")
                #expect((response.object["errors"] as? [[String: Any]])?.first?["problem"] as? String == problem, "\(body.debugDescription)")
            }
        }
    }

    @Test("a body over 2 MiB is a 413 problem")
    func bodyTooLarge() async throws {
        try await TestApp.run { client, _ in
            let padding = String(repeating: "x", count: 3 * 1024 * 1024)
            let response = try await client.execute(
                uri: "/api/v1/patients", method: .post, headers: TestApp.jsonHeaders,
                body: TestApp.json(["sex": "female", "birthYear": 1970, "note": padding])
            ) { $0 }
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.firstErrorField == "body")
        }
    }

    @Test("a custody time that is not a whole-second date-time names occurredAt")
    func malformedCustodyTime() async throws {
        try await TestApp.run { client, _ in
            let uri = "/api/v1/cases/\(TestApp.coordinatorCase.record.id)/custody"
            for time in ["2026-05-01T10:00:00.5Z", "yesterday", "2026-05-01"] {
                let entry: [String: Any] = ["kind": "collection", "occurredAt": time, "party": "Apheresis unit", "collectionId": "COI-1"]
                let response = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(entry)) { $0 }
                #expect(response.status == .badRequest, "\(time)")
                #expect(response.firstErrorField == "occurredAt", "\(time)")
            }
        }
    }

    @Test("a custody entry dated before the case's referral (year 0000 included) is refused, and nothing is appended")
    func custodyBeforeReferral() async throws {
        try await TestApp.run { client, store in
            let record = TestApp.coordinatorCase.record
            let uri = "/api/v1/cases/\(record.id)/custody"
            let dayBefore = CalendarDate(daysSinceEpoch: record.referralDate.daysSinceEpoch - 1)
            for time in ["0000-01-01T00:00:00Z", "\(dayBefore)T12:00:00Z"] {
                let entry: [String: Any] = ["kind": "collection", "occurredAt": time, "party": "Apheresis unit", "collectionId": "COI-1"]
                let response = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(entry)) { $0 }
                #expect(response.status == .unprocessableContent, "\(time)")
                let error = (response.object["errors"] as? [[String: Any]])?.first
                #expect(error?["field"] as? String == "occurredAt", "\(time)")
                #expect(error?["rule"] as? String == "time-order", "\(time)")
            }
            #expect(try await store.custody.chain(of: record.id).isEmpty)
        }
    }

    @Test("a custody entry with another collection ID names collectionId, the API's field, not the domain's")
    func custodyFieldNames() async throws {
        try await TestApp.run { client, _ in
            let uri = "/api/v1/cases/\(TestApp.coordinatorCase.record.id)/custody"
            let collection: [String: Any] = ["kind": "collection", "occurredAt": "2026-05-01T08:00:00Z", "party": "Apheresis unit", "collectionId": "COI-77"]
            #expect(try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(collection)) { $0.status } == .created)
            let other: [String: Any] = ["kind": "handoff", "occurredAt": "2026-05-01T10:00:00Z", "party": "Courier", "collectionId": "COI-78"]
            let response = try await client.execute(uri: uri, method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(other)) { $0 }
            #expect(response.status == .unprocessableContent)
            #expect(response.firstErrorField == "collectionId")
            #expect((response.object["detail"] as? String)?.hasPrefix("collectionId:") == true)
        }
    }

    @Test("a failure in a handler that nobody foresaw is a 500 quoting only the request ID, not a 400 explaining it")
    func unforeseenFailure() async throws {
        try await TestApp.run { client, store in
            await store.close()
            let response = try await client.execute(uri: "/api/v1/cases/\(TestApp.coordinatorCase.record.id)", method: .get) { $0 }
            #expect(response.status == .internalServerError)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.object["title"] as? String == "Internal error")
            let requestID = try #require(response.object["requestId"] as? String)
            #expect(response.object["detail"] as? String == "Something went wrong on our side; quote request ID \(requestID).")
            #expect(response.object["errors"] == nil)
        }
    }
}

extension TestResponse {
    /// `errors[0].field` of a problem document.
    var firstErrorField: String? {
        (object["errors"] as? [[String: Any]])?.first?["field"] as? String
    }
}
