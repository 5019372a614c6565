import Access
import CareNetwork
import Core
import Journey
import Linkage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OpenAPIRuntime
@testable import Server
import Storage
import Testing

/// Findings of the attack pass made after the first round of fixes, each replayed as the
/// tester did it.
@Suite("Attack pass regressions")
struct RedTeamRegressionTests {
    @Test("an upload between a file format's limit and the route's body limit is a 413 naming the limit, not a 500")
    func oversizedUploads() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let yaml: HTTPFields = [.contentType: "application/yaml"]
            let criteria = "# " + String(repeating: "x", count: 300_000)
            let refused = try await client.execute(uri: "/api/v1/criteria-sets", method: .post, headers: yaml, body: ByteBuffer(string: criteria)) { $0 }
            #expect(refused.status == .contentTooLarge, "\(refused.text)")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.text.contains("a criteria file must be at most"))
            let contract = "# " + String(repeating: "x", count: 1_500_000)
            let alsoRefused = try await client.execute(uri: "/api/v1/contracts", method: .post, headers: yaml, body: ByteBuffer(string: contract)) { $0 }
            #expect(alsoRefused.status == .contentTooLarge, "\(alsoRefused.text)")
            #expect(try await store.contracts.allVersions().isEmpty)
        }
    }

    @Test("a failed request's log line names its operation and cause, never its Authorization or Cookie header")
    func noCredentialsInErrorLogs() {
        var request = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/api/v1/criteria-sets")
        request.headerFields[.authorization] = "Bearer SECRET-TOKEN-VALUE"
        request.headerFields[.cookie] = "curepath_session=SECRET-COOKIE-VALUE"
        struct Cause: Error, CustomStringConvertible { var description: String { "the cause" } }
        let error = ServerError(
            operationID: "fileCriteriaSet", request: request, requestBody: nil, requestMetadata: .init(),
            causeDescription: "handler threw", underlyingError: Cause())
        // The runtime's own description carries the request, headers included.
        #expect("\(error)".contains("SECRET-TOKEN-VALUE"))
        let logged = ProblemMiddleware<BasicRequestContext>.loggable(error)
        #expect(logged.contains("fileCriteriaSet") && logged.contains("the cause"), "\(logged)")
        #expect(!logged.contains("SECRET-TOKEN-VALUE") && !logged.contains("SECRET-COOKIE-VALUE"), "\(logged)")
    }

    @Test("narrowed to one lost case, a manufacturer's metrics list the same loss reasons and intervals as for no case at all")
    func suppressedShapeDoesNotDependOnTheCase() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, _ in
            let lost = try #require(TestApp.demo.cases.first { (try? $0.journey().status) == .lost })
            let record = lost.record
            func metrics(_ day: String) async throws -> [String: Any] {
                let uri = "/api/v1/metrics/journey?center=\(record.centerID)&product=\(record.productID)&referredFrom=\(day)&referredTo=\(day)"
                let response = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(response.status == .ok, "\(response.text)")
                return response.object["overall"] as? [String: Any] ?? [:]
            }
            let one = try await metrics(record.referralDate.description)
            let none = try await metrics("2001-01-01")
            func reasons(_ overall: [String: Any]) -> [String] { (overall["losses"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String } }
            func intervals(_ overall: [String: Any]) -> [String] { (overall["intervals"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String } }
            #expect(reasons(one) == reasons(none))
            #expect(Set(reasons(one)) == Set(LossReason.allCases.map(\.rawValue)))
            #expect(intervals(one) == intervals(none))
            #expect(!intervals(one).isEmpty)
        }
    }

    @Test("a unit is enrolled only under a payer that covered the patient that day, and only once its journey reached infusion")
    func enrollmentNeedsCoverageAndInfusion() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let file = try ContractsAPITests.example("zolgensma-installments.yaml")
            #expect(try await client.execute(uri: "/api/v1/contracts", method: .post, headers: ContractsAPITests.yaml, body: ByteBuffer(string: file)) { $0.status } == .created)
            func enroll(_ patient: PatientID, product: String = "prd-zolgensma", contract: String = "zolgensma-annuity", on date: CalendarDate, payer: PayerID) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/treated-patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["patients": [[
                    "patientId": patient.rawValue, "contractId": contract, "productId": product, "infusionDate": date.description, "payingPayer": payer.rawValue,
                ]]])) { $0 }
            }
            // A payer that never covered the patient (the attack: Medicare coverage, a Medicaid plan charged).
            let infusion = CalendarDate(year: 2026, month: 2, day: 2)!
            let period = try #require(TestApp.demo.coveragePeriods.first { $0.covers(infusion) })
            let stranger = try #require(TestApp.demo.payers.first { payer in
                !TestApp.demo.coveragePeriods.contains { $0.patientID == period.patientID && $0.payerID == payer.id }
            })
            let uncovered = try await enroll(period.patientID, on: infusion, payer: stranger.id)
            #expect(uncovered.status == .unprocessableContent)
            #expect(uncovered.text.contains("patients[0].payingPayer"), "\(uncovered.text)")
            // A case of the product that never reached infusion.
            let open = try TestApp.openCase().record
            let contractFile = file.replacingOccurrences(of: "prd-zolgensma", with: open.productID.rawValue).replacingOccurrences(of: "zolgensma-annuity", with: "open-case-annuity")
            let filed = try await client.execute(uri: "/api/v1/contracts", method: .post, headers: ContractsAPITests.yaml, body: ByteBuffer(string: contractFile)) { $0 }
            #expect(filed.status == .created, "\(filed.text)")
            let when = max(open.referralDate, TestApp.today.adding(days: -1))
            let payer = try #require(TestApp.payer(of: open.patientID, on: when) ?? TestApp.demo.coveragePeriods.first { $0.patientID == open.patientID }?.payerID)
            let notInfused = try await enroll(open.patientID, product: open.productID.rawValue, contract: "open-case-annuity", on: when, payer: payer)
            #expect(notInfused.status == .unprocessableContent)
            #expect(notInfused.text.contains("has not reached infusion"), "\(notInfused.text)")
            #expect(try await store.contracts.treatedPatients().isEmpty)
            // The payer in force that day, and no case for the product: enrolled.
            #expect(try await enroll(period.patientID, on: infusion, payer: period.payerID).object["enrolled"] as? Int == 1)
        }
    }

    @Test("linking tokens of another center's patient reads exactly like linking a stranger, and outcomes cannot be sent under that record")
    func linkageIsNoOracle() async throws {
        try await TestApp.run { client, store in
            let stranger = PatientRelationshipTests.strangerCase.patient
            let organization = try #require(try await store.identities.organizations().first { $0.centerID == TestApp.coordinatorCenter }).id.rawValue
            let theirs = try RegistryIntakeTests.tokenFile(recordID: "probe-1", organization: organization, patient: stranger)
            let headers: HTTPFields = [.contentType: "text/csv"]
            let probe = try await client.execute(uri: "/api/v1/linkage/tokens", method: .post, headers: headers, body: ByteBuffer(string: theirs)) { $0 }
            #expect(probe.status == .ok, "\(probe.text)")
            let record = try #require((probe.object["records"] as? [[String: Any]])?.first)
            #expect(record["status"] as? String == "unmatched")
            #expect(record["patientId"] == nil)
            #expect(record["evidence"] as? String == "no patient of this organization matches")
            #expect(probe.object["linked"] as? Int == 0 && probe.object["unmatched"] as? Int == 1)
            // Outcomes under that record are refused as for a record never linked.
            let outcome: [String: Any] = ["events": [["id": "oe-probe", "patientId": "probe-1", "date": "2026-10-01", "kind": "transfusion", "source": "x"]]]
            let sent = try await client.execute(uri: "/api/v1/outcome-events?identifiedBy=record", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(outcome)) { $0 }
            var never = outcome
            never["events"] = [["id": "oe-probe", "patientId": "never-linked-1", "date": "2026-10-01", "kind": "transfusion", "source": "x"]]
            let notLinked = try await client.execute(uri: "/api/v1/outcome-events?identifiedBy=record", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(never)) { $0 }
            #expect(sent.status == .unprocessableContent && notLinked.status == .unprocessableContent)
            #expect(PatientRelationshipTests.problems(sent).map { $0.replacingOccurrences(of: "probe-1", with: "X") }
                == PatientRelationshipTests.problems(notLinked).map { $0.replacingOccurrences(of: "never-linked-1", with: "X") })
            #expect(!sent.text.contains(stranger.rawValue))
        }
    }

    @Test("a decoy registered under a hidden patient's name and birth date links the same as under any other date")
    func decoysTellNothing() async throws {
        try await TestApp.run { client, store in
            let stranger = PatientRelationshipTests.strangerCase.patient
            let person = try #require(TestApp.demo.personalIdentifiers.first { $0.patientID == stranger })
            let patient = try #require(TestApp.demo.patients.first { $0.id == stranger })
            let wrongDay = person.birthDate.components.day == 1 ? person.birthDate.adding(days: 1) : person.birthDate.adding(days: -1)
            // The center registers one decoy per guessed birth date: the true one and a wrong one.
            for (id, date) in [("pat-decoy-true", person.birthDate), ("pat-decoy-wrong", wrongDay)] {
                let registered = try await PatientRelationshipTests.post(client, "/api/v1/patients", [
                    "id": id, "birthYear": patient.birthYear, "sex": patient.sex.rawValue,
                    "identifiers": ["givenName": person.givenName, "familyName": person.familyName, "birthDate": date.description, "postalCode": person.postalCode],
                ])
                #expect(registered.status == .created, "\(registered.text)")
            }
            let organization = try #require(try await store.identities.organizations().first { $0.centerID == TestApp.coordinatorCenter }).id.rawValue
            let generator = try TokenGenerator(hashingSecret: LinkageKeys.development.hashingSecret)
            let partnerKey = LinkageKeys.developmentPartnerKey(for: organization)
            var csv = "record_id," + TokenRule.allCases.map { $0.rawValue.lowercased() }.joined(separator: ",") + "\n"
            for (record, date) in [("guess-true", person.birthDate), ("guess-wrong", wrongDay)] {
                let tokens = try generator.tokens(for: IdentifierRecord(
                    givenName: person.givenName, familyName: person.familyName, birthDate: date.description, sex: patient.sex.rawValue, postalCode: person.postalCode))
                let cells = try TokenRule.allCases.map { rule in try tokens[rule].map { try TokenTransformation.encrypt($0, partnerKey: partnerKey) } ?? "" }
                csv += ([record] + cells).joined(separator: ",") + "\n"
            }
            let answer = try await client.execute(uri: "/api/v1/linkage/tokens", method: .post, headers: [.contentType: "text/csv"], body: ByteBuffer(string: csv)) { $0 }
            #expect(answer.status == .ok, "\(answer.text)")
            let records = Dictionary(uniqueKeysWithValues: (answer.object["records"] as? [[String: Any]] ?? []).map { ($0["recordId"] as? String ?? "", $0) })
            // Each guess links to its own decoy: the hidden patient sharing the true date changes nothing.
            #expect(records["guess-true"]?["status"] as? String == "linked", "\(answer.text)")
            #expect(records["guess-true"]?["patientId"] as? String == "pat-decoy-true")
            #expect(records["guess-wrong"]?["status"] as? String == "linked")
            #expect(records["guess-wrong"]?["patientId"] as? String == "pat-decoy-wrong")
            #expect(!answer.text.contains(stranger.rawValue))
        }
    }

    @Test("enrollments and linked records come a page at a time")
    func listsArePaged() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let file = try ContractsAPITests.example("zolgensma-installments.yaml")
            #expect(try await client.execute(uri: "/api/v1/contracts", method: .post, headers: ContractsAPITests.yaml, body: ByteBuffer(string: file)) { $0.status } == .created)
            let infusion = CalendarDate(year: 2026, month: 2, day: 2)!
            let covered = Array(TestApp.demo.coveragePeriods.filter { $0.covers(infusion) }.prefix(3))
            let enrollment: [String: Any] = ["patients": covered.map { period in
                ["patientId": period.patientID.rawValue, "contractId": "zolgensma-annuity", "productId": "prd-zolgensma",
                 "infusionDate": infusion.description, "payingPayer": period.payerID.rawValue]
            }]
            let enrolled = try await client.execute(uri: "/api/v1/treated-patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(enrollment)) { $0 }
            #expect(enrolled.object["enrolled"] as? Int == covered.count, "\(enrolled.text)")
            let first = try await client.execute(uri: "/api/v1/treated-patients?limit=2", method: .get) { $0.object }
            #expect(first["total"] as? Int == covered.count)
            #expect((first["patients"] as? [Any])?.count == min(2, covered.count))
            let rest = try await client.execute(uri: "/api/v1/treated-patients?limit=2&offset=2", method: .get) { $0.object }
            #expect((rest["patients"] as? [Any])?.count == max(0, covered.count - 2))
            for uri in ["/api/v1/treated-patients?limit=5000", "/api/v1/linkage/records?limit=0", "/api/v1/linkage/records?offset=-1"] {
                let refused = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(uri): \(refused.status)")
            }
            let records = try await client.execute(uri: "/api/v1/linkage/records?limit=10", method: .get) { $0.object }
            #expect(records["total"] as? Int == 0 && records["limit"] as? Int == 10)
        }
    }

    @Test("a payer's net prices list only the units it paid for")
    func netPricesInScope() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            // File the demo's contracts and settle, as the mediator.
            for name in ["zolgensma-installments.yaml"] {
                let file = try ContractsAPITests.example(name)
                let filed = try await client.execute(uri: "/api/v1/contracts", method: .post, headers: ContractsAPITests.yaml, body: ByteBuffer(string: file)) { $0 }
                #expect(filed.status == .created, "\(filed.text)")
            }
            // Two patients of two different payers, each covered on the infusion date.
            let infusion = CalendarDate(year: 2026, month: 2, day: 2)!
            let covering = TestApp.demo.coveragePeriods.filter { $0.covers(infusion) }
            let first = try #require(covering.first)
            let second = try #require(covering.first { $0.payerID != first.payerID && $0.patientID != first.patientID })
            let patients = [first.patientID, second.patientID]
            let payers = [first.payerID, second.payerID]
            let enrollment: [String: Any] = ["patients": zip(patients, payers).map { patient, payer in
                ["patientId": patient.rawValue, "contractId": "zolgensma-annuity", "productId": "prd-zolgensma", "infusionDate": "2026-02-02", "payingPayer": payer.rawValue]
            }]
            let enrolled = try await client.execute(uri: "/api/v1/treated-patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(enrollment)) { $0 }
            #expect(enrolled.object["enrolled"] as? Int == 2, "\(enrolled.text)")
            let all = try await client.execute(uri: "/api/v1/ledger/net-prices", method: .get) { $0.object["units"] as? [[String: Any]] ?? [] }
            #expect(all.count == 2)

            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-np-payer", name: "Net price payer", kind: .payer, payerID: payers[0]), sharing: client, store: store)
            let answer = try await reviewer.execute(uri: "/api/v1/ledger/net-prices", method: .get) { $0 }
            #expect(answer.status == .ok, "\(answer.text)")
            let units = answer.object["units"] as? [[String: Any]] ?? []
            let expected = zip(patients, payers).filter { $0.1 == payers[0] }.map(\.0.rawValue)
            #expect(Set(units.compactMap { $0["patientId"] as? String }) == Set(expected))
            // Its one unit has no prior best price: the other payer's unit is not counted.
            #expect(units.count == 1 && units.allSatisfy { $0["priorBestPrice"] == nil }, "\(answer.text)")
            for (patient, payer) in zip(patients, payers) where payer != payers[0] {
                #expect(!answer.text.contains(patient.rawValue))
            }
        }
    }
}
