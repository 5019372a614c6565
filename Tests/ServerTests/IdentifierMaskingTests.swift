import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import Storage
import Testing

/// Finding 4: a mediator operator (no `read-identifiers`) read a birth date in a PAS export, a
/// name and member ID in an agreement document, and the exact birth date by stepping an
/// evaluation's `asOf` until the age changed. Each attack is replayed here and now gets masks,
/// while the patient's own center (which has `read-identifiers`) still gets the identifiers,
/// each read audited.
@Suite("Identifiers in documents and exports")
struct IdentifierMaskingTests {
    static func identifiers(of patient: String) throws -> PersonalIdentifiers {
        try #require(TestApp.demo.personalIdentifiers.first { $0.patientID.rawValue == patient })
    }

    static func reads(_ store: Store) async throws -> [AuditEntry] {
        try await store.audit.entries(AuditQuery(action: Action.readIdentifiers.rawValue, limit: 100)).items
    }

    /// A therapy PA request on the coordinator's case, submitted, as in the exchange tests.
    static func fileRequest(_ client: any TestClientProtocol) async throws -> (patient: String, payer: PayerID) {
        let (caseID, patient, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
        var facts = PriorAuthorizationAPITests.facts
        facts["patient"] = patient
        let put = try await client.execute(uri: "/api/v1/patients/\(patient)/clinical-facts", method: .put, headers: TestApp.jsonHeaders, body: TestApp.json(facts)) { $0 }
        #expect(put.status == .ok, "\(put.text)")
        let filed = try await client.execute(uri: "/api/v1/prior-authorizations", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json([
            "id": "pa-mask-1", "caseId": caseID, "service": ["kind": "therapy", "product": "prd-yescarta"], "urgency": "standard",
        ])) { $0 }
        #expect(filed.status == .created, "\(filed.text)")
        return (patient, payer)
    }

    static func patientResource(_ response: TestResponse) throws -> [String: Any] {
        let entries = try #require(response.object["entry"] as? [[String: Any]])
        return try #require(entries.compactMap { $0["resource"] as? [String: Any] }.first { $0["resourceType"] as? String == "Patient" })
    }

    @Test("the mediator's PAS export masks the birth date (FHIR data-absent-reason) and opens nothing; the center's carries it, audited")
    func pasExport() async throws {
        try await TestApp.run { client, store in
            let (patient, _) = try await Self.fileRequest(client)
            let birthDate = try Self.identifiers(of: patient).birthDate.description

            let operatorClient = try await TestApp.client(
                as: .mediatorOperator, at: Organization(id: "org-mask-mediator", name: "Mediator", kind: .mediator), sharing: client, store: store)
            let masked = try await operatorClient.execute(uri: "/api/v1/prior-authorizations/pa-mask-1/fhir", method: .get) { $0 }
            #expect(masked.status == .ok, "\(masked.text)")
            #expect(!masked.text.contains(birthDate))
            let maskedPatient = try Self.patientResource(masked)
            #expect(maskedPatient["birthDate"] == nil)
            let absent = (maskedPatient["_birthDate"] as? [String: Any])?["extension"] as? [[String: Any]]
            #expect(absent?.first?["valueCode"] as? String == "masked")
            #expect(try await Self.reads(store).isEmpty)

            let shown = try await client.execute(uri: "/api/v1/prior-authorizations/pa-mask-1/fhir", method: .get) { $0 }
            #expect(try Self.patientResource(shown)["birthDate"] as? String == birthDate)
            let reads = try await Self.reads(store)
            #expect(reads.count == 1)
            #expect(reads.first?.object == "patient:\(patient)" && reads.first?.detail?.contains("pa-mask-1") == true)
        }
    }

    @Test("the mediator's agreement document masks the member's name and ID; the center's names them from the sealed rows, audited")
    func agreementDocument() async throws {
        try await TestApp.run { client, store in
            let (caseID, patient, payer) = try await PriorAuthorizationAPITests.prepareCase(client)
            let drafted = try await client.execute(uri: "/cases/\(caseID)/agreements", method: .post, headers: PriorAuthorizationPageTests.form,
                                                   body: PriorAuthorizationPageTests.encode([("templateId", "car-t-sca")])) { $0 }
            #expect(drafted.status == .seeOther, "\(drafted.text)")
            let path = String(try #require(drafted.headers[.location]).prefix { $0 != "?" }) + "/document"
            let identifiers = try Self.identifiers(of: patient)
            let memberID = try #require(TestApp.demo.coveragePeriods.last { $0.patientID.rawValue == patient && $0.payerID == payer }?.memberID)

            let operatorClient = try await TestApp.client(
                as: .mediatorOperator, at: Organization(id: "org-mask-mediator", name: "Mediator", kind: .mediator), sharing: client, store: store)
            let masked = try await operatorClient.execute(uri: path, method: .get) { $0 }
            #expect(masked.status == .ok, "\(masked.text)")
            #expect(masked.text.contains(IdentifierDisclosure.masked))
            for secret in [identifiers.familyName, identifiers.givenName, memberID] { #expect(!masked.text.contains(secret), "\(secret)") }
            #expect(try await Self.reads(store).isEmpty)

            let shown = try await client.execute(uri: path, method: .get) { $0 }
            #expect(shown.text.contains(identifiers.familyName))
            #expect(shown.text.contains(memberID))
            #expect(!shown.text.contains(IdentifierDisclosure.masked))
            #expect(try await Self.reads(store).count == 1)
        }
    }

    /// The age the regional standard's age criterion saw, from an evaluation's JSON.
    static func age(_ response: TestResponse) throws -> String {
        let evaluations = try #require(response.object["evaluations"] as? [[String: Any]])
        let results = evaluations.flatMap { $0["results"] as? [[String: Any]] ?? [] }
        let age = try #require(results.first { $0["key"] as? String == "age" })
        let evidence = try #require((age["evidence"] as? [[String: Any]])?.first)
        return try #require(evidence["value"] as? String)
    }

    @Test("stepping asOf across the birthday does not change the mediator's age (today's, by the server clock); the center's does")
    func ageDoesNotLeakBirthday() async throws {
        try await TestApp.run { client, store in
            let (_, patient, _) = try await PriorAuthorizationAPITests.prepareCase(client)
            let born = try Self.identifiers(of: patient).birthDate.components
            // The day before and the day of the birthday next year (the criteria are in effect
            // from 2026-01-01 on, so every date tried is one they apply on).
            let year = TestApp.today.year + 1
            let before = try #require(CalendarDate(year: year, month: born.month, day: born.day == 29 && born.month == 2 ? 28 : born.day)).adding(days: -1)
            let on = before.adding(days: 1)
            func evaluation(_ client: any TestClientProtocol, _ asOf: CalendarDate, page: Bool = false) async throws -> TestResponse {
                let base = page ? "/patients/\(patient)/evaluation" : "/api/v1/patients/\(patient)/evaluation"
                return try await client.execute(uri: "\(base)?product=prd-yescarta&asOf=\(asOf)", method: .get) { $0 }
            }

            let operatorClient = try await TestApp.client(
                as: .mediatorOperator, at: Organization(id: "org-mask-mediator", name: "Mediator", kind: .mediator), sharing: client, store: store)
            let now = TestApp.today.components
            let ageToday = String(now.year - born.year - ((now.month, now.day) < (born.month, born.day) ? 1 : 0))
            var seen: Set<String> = []
            for asOf in [before, on, before.adding(days: -200), on.adding(days: 200)] {
                let response = try await evaluation(operatorClient, asOf)
                #expect(response.status == .ok, "\(response.text)")
                seen.insert(try Self.age(response))
                let page = try await evaluation(operatorClient, asOf, page: true)
                #expect(page.text.contains("age = \(ageToday)"), "page as of \(asOf)")
            }
            #expect(seen == [ageToday])
            // Every one of those evaluations read the birth date, only to compute the age: audited.
            let ageReads = try await store.audit.entries(AuditQuery(action: "read-birth-date", limit: 100)).items
            #expect(ageReads.count == 8)
            #expect(ageReads.allSatisfy { $0.object == "patient:\(patient)" && $0.detail?.contains("age today (\(TestApp.today))") == true })

            // The patient's own center may read identifiers, so it sees the age as of asOf.
            let centerAges = [try Self.age(try await evaluation(client, before)), try Self.age(try await evaluation(client, on))]
            #expect(Int(centerAges[1]) == Int(centerAges[0])! + 1)
        }
    }

    @Test("a center reads its own patient's identifiers with a reason; another center's patient is not found")
    func centerReadsOwnPatient() async throws {
        try await TestApp.run { client, store in
            let own = try TestApp.openCase().record.patientID
            let response = try await client.execute(uri: "/api/v1/patients/\(own)/identifiers?reason=single-case%20agreement%20intake", method: .get) { $0 }
            #expect(response.status == .ok, "\(response.text)")
            let familyName = try Self.identifiers(of: own.rawValue).familyName
            #expect(response.object["familyName"] as? String == familyName)
            let ownPatients = Set(TestApp.demo.cases.filter { $0.record.centerID == TestApp.coordinatorCenter }.map(\.record.patientID))
            let elsewhere = try #require(TestApp.demo.cases.first { !ownPatients.contains($0.record.patientID) })
            let hidden = try await client.execute(uri: "/api/v1/patients/\(elsewhere.record.patientID)/identifiers?reason=single-case%20agreement%20intake", method: .get) { $0 }
            #expect(hidden.status == .notFound)
            #expect(try await Self.reads(store).count == 1)
        }
    }
}
