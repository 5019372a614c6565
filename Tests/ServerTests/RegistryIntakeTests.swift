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

/// The registry's promise end to end: a center links its list by tokens made offline, sends
/// outcomes once as FHIR under its own record numbers, and a contract settles on those very
/// events.
@Suite("Registry intake over the API")
struct RegistryIntakeTests {
    static let fhirHeaders: HTTPFields = [.contentType: "application/fhir+json"]

    /// The coordinator's patient, as its center's own records hold them.
    static var patient: PatientID { TestApp.coordinatorCase.record.patientID }

    /// `record_id,t1,t2,t3,t5` as `curepath tokenize --partner-key-file` writes it for `organization`.
    static func tokenFile(recordID: String, organization: String, patient: PatientID = patient) throws -> String {
        let person = try #require(TestApp.demo.personalIdentifiers.first { $0.patientID == patient })
        let sex = try #require(TestApp.demo.patients.first { $0.id == patient }).sex
        let record = IdentifierRecord(givenName: person.givenName, familyName: person.familyName, birthDate: person.birthDate.description,
                                      sex: sex.rawValue, postalCode: person.postalCode)
        let tokens = try TokenGenerator(hashingSecret: LinkageKeys.development.hashingSecret).tokens(for: record)
        let partnerKey = LinkageKeys.developmentPartnerKey(for: organization)
        let rules = TokenRule.allCases
        let cells = try rules.map { rule in try tokens[rule].map { try TokenTransformation.encrypt($0, partnerKey: partnerKey) } ?? "" }
        return "record_id," + rules.map { $0.rawValue.lowercased() }.joined(separator: ",") + "\n" + ([recordID] + cells).joined(separator: ",") + "\n"
    }

    /// A bundle about the record `MRN-7`: a complete response on day 28, grade 3 CRS on day 4,
    /// progression on day 280.
    static func bundle(infusion: CalendarDate, progression: Bool = true) -> String {
        func observation(_ id: String, _ day: Int, _ snomed: String) -> String {
            """
            {"resource": {"resourceType": "Observation", "id": "\(id)", "status": "final",
              "code": {"coding": [{"system": "http://loinc.org", "code": "97509-4"}]},
              "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "\(infusion.adding(days: day))",
              "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "\(snomed)"}]}}}
            """
        }
        let entries = [
            #"{"resource": {"resourceType": "Patient", "id": "p1", "identifier": [{"system": "urn:center:mrn", "value": "MRN-7"}]}}"#,
            observation("resp-28", 28, "550991000124107"),
            """
            {"resource": {"resourceType": "Condition", "id": "crs-1",
              "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "D89.833"}]},
              "subject": {"reference": "Patient/p1"}, "onsetDateTime": "\(infusion.adding(days: 4))"}}
            """,
        ] + (progression ? [observation("resp-280", 280, "271299001")] : [])
        return #"{"resourceType": "Bundle", "type": "collection", "entry": ["# + entries.joined(separator: ",") + "]}"
    }

    @Test("tokens link the center's record; its FHIR bundle is recorded once under the linked patient; a re-send adds nothing; the events settle a contract")
    func linkIngestSettle() async throws {
        try await TestApp.run { client, store in
            let users = try await store.identities.users()
            let organization = try #require(users.first { $0.role == .centerCoordinator }).organizationID.rawValue

            // Outcomes under a record number the mediator cannot place are refused, naming the entry.
            let infusion = CalendarDate(year: 2026, month: 1, day: 5)!
            let unknown = try await client.execute(uri: "/api/v1/outcome-events/fhir", method: .post, headers: Self.fhirHeaders,
                                                   body: ByteBuffer(string: Self.bundle(infusion: infusion))) { $0 }
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.headers[.contentType] == "application/problem+json")
            #expect(unknown.text.contains("entry[1].resource.subject"), "\(unknown.text)")
            #expect(try await store.outcomes.count() == 0)

            // The center links its list: tokens made offline under its partner key.
            let linked = try await client.execute(uri: "/api/v1/linkage/tokens", method: .post, headers: [.contentType: "text/csv"],
                                                  body: ByteBuffer(string: try Self.tokenFile(recordID: "MRN-7", organization: organization))) { $0 }
            #expect(linked.status == .ok, "\(linked.text)")
            let item = try #require((linked.object["records"] as? [[String: Any]])?.first, "\(linked.text)")
            #expect(item["status"] as? String == "linked")
            #expect(item["patientId"] as? String == Self.patient.rawValue)

            // Now the same bundle is recorded, under the linked patient, once.
            let first = try await client.execute(uri: "/api/v1/outcome-events/fhir", method: .post, headers: Self.fhirHeaders,
                                                 body: ByteBuffer(string: Self.bundle(infusion: infusion))) { $0 }
            #expect(first.status == .created, "\(first.text)")
            #expect(first.object["recorded"] as? Int == 3)
            let again = try await client.execute(uri: "/api/v1/outcome-events/fhir", method: .post, headers: Self.fhirHeaders,
                                                 body: ByteBuffer(string: Self.bundle(infusion: infusion))) { $0 }
            #expect(again.status == .ok)
            #expect(again.object["alreadyRecorded"] as? Int == 3)
            let events = try await store.outcomes.events(of: Self.patient)
            #expect(events.count == 3)
            #expect(events.allSatisfy { $0.source == organization && $0.id.rawValue.hasPrefix("fhir-") })
            #expect(events.contains { $0.kind == .cytokineReleaseSyndrome(grade: 3) })

            // The mediator settles the Hemgenix warranty on these very events: the progression
            // on day 280 is a loss of response, and the refund cites the FHIR event.
            let mediator = try await TestApp.client(
                as: .mediatorOperator, at: Organization(id: "org-test-mediator", name: "Mediator", kind: .mediator), sharing: client, store: store)
            let filed = try await mediator.execute(uri: "/api/v1/contracts", method: .post, headers: ContractsAPITests.yaml,
                                                   body: ByteBuffer(string: try ContractsAPITests.example("hemgenix-warranty.yaml"))) { $0.status }
            #expect(filed == .created)
            let payer = try #require(TestApp.payer(of: Self.patient, on: infusion))
            let enrollment: [String: Any] = ["patients": [[
                "patientId": Self.patient.rawValue, "contractId": "hemgenix-warranty", "productId": "prd-hemgenix",
                "infusionDate": infusion.description, "payingPayer": payer.rawValue,
            ]]]
            let enrolled = try await mediator.execute(uri: "/api/v1/treated-patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(enrollment)) { $0 }
            #expect(enrolled.object["enrolled"] as? Int == 1, "\(enrolled.text)")
            // As of the day the bundle arrived: a settlement sees only what was known by its date.
            let settled = try await mediator.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["asOf": TestApp.today.description])) { $0 }
            #expect(settled.status == .created, "\(settled.text)")
            let progression = try #require(events.first { $0.value == "progression" }).id.rawValue
            let posted = settled.object["posted"] as? [[String: Any]] ?? []
            let citing = posted.filter { String(describing: $0).contains(progression) }
            #expect(!citing.isEmpty, "no posting cites \(progression): \(settled.text.prefix(6000))")
        }
    }

    @Test("an outcome file naming the center's own record IDs is refused while they are unlinked, naming every position; once linked it is recorded under the patient")
    func outcomeFileByRecordID() async throws {
        try await TestApp.run { client, store in
            let users = try await store.identities.users()
            let organization = try #require(users.first { $0.role == .centerCoordinator }).organizationID.rawValue
            let csv = """
            id,patient_id,date,kind,source
            oe-r1,MRN-7,2025-06-01,transfusion,center-ehr
            oe-r2,MRN-8,2025-06-02,transfusion,center-ehr
            oe-r3,MRN-7,2025-06-03,transfusion,center-ehr

            """
            func send() async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/outcome-events?identifiedBy=record", method: .post, headers: [.contentType: "text/csv"],
                                         body: ByteBuffer(string: csv)) { $0 }
            }
            let unlinked = try await send()
            #expect(unlinked.status == .unprocessableContent)
            #expect((unlinked.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                == ["events[0].patientId", "events[1].patientId", "events[2].patientId"], "\(unlinked.text)")

            let linked = try await client.execute(uri: "/api/v1/linkage/tokens", method: .post, headers: [.contentType: "text/csv"],
                                                  body: ByteBuffer(string: try Self.tokenFile(recordID: "MRN-7", organization: organization))) { $0 }
            #expect(linked.status == .ok, "\(linked.text)")
            let halfLinked = try await send()
            #expect((halfLinked.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } == ["events[1].patientId"])
            #expect(try await store.outcomes.count() == 0)

            let onlyLinked = csv.split(separator: "\n").filter { !$0.contains("MRN-8") }.joined(separator: "\n") + "\n"
            let recorded = try await client.execute(uri: "/api/v1/outcome-events?identifiedBy=record", method: .post, headers: [.contentType: "text/csv"],
                                                    body: ByteBuffer(string: onlyLinked)) { $0 }
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(try await store.outcomes.events(of: Self.patient).map(\.id) == ["oe-r1", "oe-r3"])
        }
    }

    @Test("a malformed bundle, an unknown code or a patient of another center is refused whole with the FHIR path, and nothing is written")
    func refusals() async throws {
        try await TestApp.run { client, store in
            let malformed = try await client.execute(uri: "/api/v1/outcome-events/fhir", method: .post, headers: Self.fhirHeaders,
                                                     body: ByteBuffer(string: #"{"resourceType": "Bundle", "entry": [ }"#)) { $0 }
            #expect(malformed.status == .unprocessableContent || malformed.status == .badRequest)
            // Another center's patient, named by CurePath ID: outside this center's scope.
            let elsewhere = try #require(TestApp.demo.cases.first { demoCase in
                !TestApp.demo.cases.contains { $0.record.patientID == demoCase.record.patientID && $0.record.centerID == TestApp.coordinatorCenter }
            }?.record.patientID)
            let foreign = """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"resource": {"resourceType": "Condition", "id": "crs-9",
                "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "D89.834"}]},
                "subject": {"identifier": {"system": "https://curepath.example/fhir/patient", "value": "\(elsewhere)"}}, "onsetDateTime": "2026-01-04"}},
              {"resource": {"resourceType": "Observation", "id": "lab-1", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "3209-7"}]},
                "subject": {"identifier": {"system": "https://curepath.example/fhir/patient", "value": "\(elsewhere)"}},
                "effectiveDateTime": "2026-01-04", "valueQuantity": {"value": 5, "unit": "%"}}}
            ]}
            """
            let unknownCode = try await client.execute(uri: "/api/v1/outcome-events/fhir", method: .post, headers: Self.fhirHeaders, body: ByteBuffer(string: foreign)) { $0 }
            #expect(unknownCode.status == .unprocessableContent)
            #expect(unknownCode.text.contains("entry[1].resource.code.coding[0].code"), "\(unknownCode.text)")
            let scopeOnly = foreign.replacingOccurrences(of: #""code": "3209-7""#, with: #""code": "3209-4""#)
            let outOfScope = try await client.execute(uri: "/api/v1/outcome-events/fhir", method: .post, headers: Self.fhirHeaders, body: ByteBuffer(string: scopeOnly)) { $0 }
            #expect(outOfScope.status == .unprocessableContent, "\(outOfScope.text)")
            // Another center's patient reads exactly as a patient that does not exist.
            #expect(outOfScope.text.contains("no CurePath patient for the subject"), "\(outOfScope.text)")
            #expect(try await store.outcomes.count() == 0)
        }
    }
}
