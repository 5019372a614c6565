import Access
import CareNetwork
import Core
import Foundation
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Outcome events over the API")
struct OutcomeEventsAPITests {
    /// Infused before the events' dates, so a response assessment is not before the therapy.
    static var patient: PatientID { TestApp.infusedCase(onOrBefore: CalendarDate(year: 2026, month: 9, day: 30)!).record.patientID }

    static func batch(_ events: [[String: Any]]) -> ByteBuffer { TestApp.json(["events": events]) }

    static func event(_ id: String, kind: String = "transfusion", date: String = "2026-10-01", extra: [String: Any] = [:]) -> [String: Any] {
        ["id": id, "patientId": patient.rawValue, "date": date, "kind": kind, "source": "center-ehr"].merging(extra) { $1 }
    }

    @Test("a center records outcomes for its patients as JSON or CSV; a re-sent batch changes nothing")
    func recordAndResend() async throws {
        try await TestApp.run { client, store in
            let body = Self.batch([
                Self.event("oe-a1", kind: "response-assessment", extra: ["value": "complete"]),
                Self.event("oe-a2", kind: "lab-value", extra: ["test": "factor-ix-activity", "value": "5.20", "unit": "%"]),
            ])
            let first = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders, body: body) { $0 }
            #expect(first.status == .created)
            #expect(first.object["recorded"] as? Int == 2)
            let again = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders, body: body) { $0 }
            #expect(again.status == .ok)
            #expect(again.object["alreadyRecorded"] as? Int == 2)

            let csv = """
            id,patient_id,date,kind,reason,test,value,unit,source,recorded_on,corrects
            oe-c1,\(Self.patient),2026-10-05,hospitalization,vaso-occlusive-event,,,,center-ehr,,

            """
            let fromCSV = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { $0 }
            #expect(fromCSV.status == .created, "\(fromCSV.text)")

            let listed = try await client.execute(uri: "/api/v1/patients/\(Self.patient)/outcome-events", method: .get) { $0 }
            let items = listed.object["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? String } == ["oe-a1", "oe-a2", "oe-c1"])
            #expect(items[1]["value"] as? String == "5.20")
            #expect(try await store.outcomes.count() == 3)
        }
    }

    @Test("bad events are refused with every problem named by position or line, and nothing is written")
    func refusals() async throws {
        try await TestApp.run { client, store in
            let body = Self.batch([
                Self.event("oe-b1"),
                Self.event("oe-b2", kind: "response-assessment"),
                Self.event("oe-b3", date: "2026-13-40"),
                Self.event("oe-b4", kind: "lab-value", extra: ["test": "hb", "value": "1e999", "unit": "g/dL"]),
            ])
            let refused = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders, body: body) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let fields = (refused.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["events[1].value", "events[2].date", "events[3].value"])

            let csv = "id,patient_id,date,kind,source\noe-b5,\(Self.patient),2026-10-01,transfusion,ehr\noe-b6,\(Self.patient),yesterday,transfusion,ehr\n"
            let badCSV = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { $0 }
            #expect(badCSV.status == .unprocessableContent)
            #expect(badCSV.text.contains("line 3"))
            #expect(try await store.outcomes.count() == 0)
        }
    }

    @Test("a center cannot record outcomes for another center's patients")
    func centerScope() async throws {
        try await TestApp.run { client, store in
            let elsewhere = try #require(TestApp.demo.cases.first { demoCase in
                !TestApp.demo.cases.contains { $0.record.patientID == demoCase.record.patientID && $0.record.centerID == TestApp.coordinatorCenter }
            }?.record.patientID)
            var event = Self.event("oe-x1")
            event["patientId"] = elsewhere.rawValue
            let refused = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders, body: Self.batch([event])) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("events[0].patientId"))
            #expect(try await store.outcomes.count() == 0)
        }
    }

    @Test("a typo of a known code is refused by position with the code meant; a code of the sender's own is recorded with a notice")
    func codesAreChecked() async throws {
        try await TestApp.run { client, store in
            let typo = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders,
                                                body: Self.batch([Self.event("oe-t1", kind: "response-assessment", extra: ["value": "complet"])])) { $0 }
            #expect(typo.status == .unprocessableContent)
            let errors = typo.object["errors"] as? [[String: Any]] ?? []
            #expect(errors.first?["field"] as? String == "events[0].value")
            #expect((errors.first?["problem"] as? String)?.contains("did you mean complete?") == true)
            #expect(try await store.outcomes.count() == 0)

            let own = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders,
                                               body: Self.batch([Self.event("oe-t2", kind: "response-assessment", extra: ["value": "minimal-residual"])])) { $0 }
            #expect(own.status == .created, "\(own.text)")
            let notices = own.object["notices"] as? [[String: Any]] ?? []
            #expect(notices.first?["field"] as? String == "events[0].value")
            #expect(try await store.outcomes.count() == 1)
        }
    }
}
