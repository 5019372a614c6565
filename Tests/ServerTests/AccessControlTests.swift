import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Server
import SQLKit
import Storage
import Testing

@Suite("Access control over HTTP")
struct AccessControlTests {
    /// One request per route the server has, with what it needs to get past validation.
    /// `RouteRulesTests` fails when a route the server serves has no row here, so a new
    /// operation in openapi.yaml needs its `x-curepath-action` and a row in this list.
    struct Endpoint: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var action: Action
        var body: [String: String]?
        var form: String?
        /// A body sent as is, with its content type (CSV, FHIR).
        var raw: (contentType: String, text: String)?
        var description: String { "\(method.rawValue) \(uri)" }
    }

    static var endpoints: [Endpoint] {
        let caseID = TestApp.coordinatorCase.record.id.rawValue
        let patient = TestApp.demo.patients[0].id.rawValue
        return [
            Endpoint(method: .get, uri: "/api/v1/centers", action: .readReference),
            Endpoint(method: .get, uri: "/api/v1/payers", action: .readReference),
            Endpoint(method: .get, uri: "/api/v1/products", action: .readReference),
            Endpoint(method: .get, uri: "/api/v1/journey-templates", action: .readReference),
            Endpoint(method: .post, uri: "/api/v1/journey-templates", action: .writeReference, body: ["format": "x"]),
            Endpoint(method: .get, uri: "/api/v1/cases", action: .readCases),
            Endpoint(method: .get, uri: "/api/v1/cases/\(caseID)", action: .readCases),
            Endpoint(method: .get, uri: "/api/v1/cases/\(caseID)/events", action: .readCases),
            Endpoint(method: .get, uri: "/api/v1/cases/\(caseID)/custody", action: .readCases),
            Endpoint(method: .get, uri: "/api/v1/cases/\(caseID)/custody/verification", action: .readCases),
            Endpoint(method: .post, uri: "/api/v1/cases", action: .writeCases, body: ["patientId": patient]),
            Endpoint(method: .post, uri: "/api/v1/cases/\(caseID)/events", action: .writeCases, body: ["kind": "started"]),
            Endpoint(method: .post, uri: "/api/v1/cases/\(caseID)/custody", action: .writeCases, body: ["kind": "collection"]),
            Endpoint(method: .post, uri: "/api/v1/patients", action: .writePatients, body: ["sex": "female"]),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)", action: .readPatients),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)/coverage", action: .readPatients),
            Endpoint(method: .post, uri: "/api/v1/patients/\(patient)/coverage", action: .writePatients, body: ["memberId": "x"]),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)/referrals", action: .readPatients),
            Endpoint(method: .post, uri: "/api/v1/patients/\(patient)/referrals", action: .writePatients, body: ["date": "x"]),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)/identifiers?reason=linkage%20review%20LR-1", action: .readIdentifiers),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)/outcome-events", action: .readOutcomes),
            Endpoint(method: .post, uri: "/api/v1/outcome-events", action: .writeOutcomes, body: ["format": "curepath.outcomes/v1"]),
            Endpoint(method: .post, uri: "/api/v1/outcome-events/fhir", action: .writeOutcomes,
                     raw: ("application/fhir+json", #"{"resourceType":"Bundle","type":"collection","entry":[]}"#)),
            Endpoint(method: .post, uri: "/api/v1/linkage/tokens", action: .linkRecords, raw: ("text/csv", "record_id\nrec-1\n")),
            Endpoint(method: .post, uri: "/api/v1/linkage/clks", action: .linkRecords, raw: ("text/csv", "record_id,clk\nrec-1,AAAA\n")),
            Endpoint(method: .get, uri: "/api/v1/linkage/records", action: .linkRecords),
            Endpoint(method: .get, uri: "/api/v1/contracts", action: .readContracts),
            Endpoint(method: .post, uri: "/api/v1/contracts", action: .writeContracts, body: ["format": "x"]),
            Endpoint(method: .get, uri: "/api/v1/treated-patients", action: .readLedger),
            Endpoint(method: .post, uri: "/api/v1/treated-patients", action: .writeContracts, body: ["x": "y"]),
            Endpoint(method: .get, uri: "/api/v1/settlements", action: .readLedger),
            Endpoint(method: .post, uri: "/api/v1/settlements", action: .settle, body: ["asOf": "2026-13-01"]),
            Endpoint(method: .get, uri: "/api/v1/ledger/trial-balance", action: .readLedger),
            Endpoint(method: .get, uri: "/api/v1/ledger/statements/payer:pay-nobody", action: .readStatements),
            Endpoint(method: .get, uri: "/api/v1/ledger/net-prices", action: .readStatements),
            Endpoint(method: .get, uri: "/api/v1/ledger/payments", action: .readStatements),
            Endpoint(method: .post, uri: "/api/v1/ledger/payments", action: .recordPayments, body: ["reference": "x"]),
            Endpoint(method: .post, uri: "/api/v1/ledger/remittances", action: .recordPayments, raw: ("text/csv", "reference\nx\n")),
            Endpoint(method: .get, uri: "/api/v1/metrics/journey", action: .readMetrics),
            Endpoint(method: .get, uri: "/api/v1/criteria-sets", action: .readReference),
            Endpoint(method: .get, uri: "/api/v1/criteria-sets/regional-yescarta-lbcl", action: .readReference),
            Endpoint(method: .post, uri: "/api/v1/criteria-sets", action: .writeCriteria, body: ["format": "x"]),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)/clinical-facts", action: .readClinicalFacts),
            Endpoint(method: .put, uri: "/api/v1/patients/\(patient)/clinical-facts", action: .writeClinicalFacts, body: ["patient": "x"]),
            Endpoint(method: .post, uri: "/api/v1/patients/\(patient)/clinical-facts/fhir", action: .writeClinicalFacts, body: ["resourceType": "x"]),
            Endpoint(method: .get, uri: "/api/v1/patients/\(patient)/evaluation?product=prd-yescarta", action: .readClinicalFacts),
            Endpoint(method: .get, uri: "/api/v1/prior-authorizations", action: .readPriorAuthorizations),
            Endpoint(method: .post, uri: "/api/v1/prior-authorizations", action: .writePriorAuthorizations, body: ["id": "x"]),
            Endpoint(method: .get, uri: "/api/v1/prior-authorizations/pa-nobody", action: .readPriorAuthorizations),
            Endpoint(method: .post, uri: "/api/v1/prior-authorizations/pa-nobody/transitions", action: .writePriorAuthorizations, body: ["id": "x"]),
            Endpoint(method: .get, uri: "/api/v1/prior-authorizations/pa-nobody/fhir", action: .readPriorAuthorizations),
            Endpoint(method: .post, uri: "/api/v1/prior-authorizations/pa-nobody/claim-response", action: .writePriorAuthorizations, body: ["resourceType": "x"]),
            Endpoint(method: .get, uri: "/api/v1/agreement-terms", action: .readAgreements),
            Endpoint(method: .post, uri: "/api/v1/agreement-terms", action: .writeAgreementTerms, body: ["id": "x"]),
            Endpoint(method: .get, uri: "/api/v1/agreement-templates", action: .readAgreements),
            Endpoint(method: .post, uri: "/api/v1/agreement-templates", action: .writeAgreements, body: ["id": "x"]),
            Endpoint(method: .get, uri: "/api/v1/agreements", action: .readAgreements),
            Endpoint(method: .post, uri: "/api/v1/agreements", action: .writeAgreements, body: ["id": "x"]),
            Endpoint(method: .get, uri: "/api/v1/agreements/sca-nobody", action: .readAgreements),
            Endpoint(method: .post, uri: "/api/v1/agreements/sca-nobody/steps", action: .writeAgreements, body: ["step": "x"]),
            Endpoint(method: .get, uri: "/api/v1/agreements/sca-nobody/redline", action: .readAgreements),
            Endpoint(method: .post, uri: "/api/v1/reimbursement/comparison", action: .readAgreements, body: ["episode": "x"]),
            Endpoint(method: .get, uri: "/reimbursement", action: .readAgreements),
            Endpoint(method: .get, uri: "/reports/outcomes", action: .readMetrics),
            Endpoint(method: .get, uri: "/centers/\(TestApp.coordinatorCenter.rawValue)/follow-up", action: .readOutcomes),
            Endpoint(method: .get, uri: "/network", action: .readMetrics),
            Endpoint(method: .get, uri: "/", action: .readMetrics),
            Endpoint(method: .get, uri: "/reports/site-burden", action: .readOutcomes),
            Endpoint(method: .get, uri: "/cases", action: .readCases),
            Endpoint(method: .get, uri: "/cases/\(caseID)", action: .readCases),
            Endpoint(method: .post, uri: "/cases/\(caseID)/events", action: .writeCases, form: "kind=started&stage=&date=2026-11-23"),
            Endpoint(method: .get, uri: "/audit", action: .readAudit),
            Endpoint(method: .get, uri: "/ledger", action: .readLedger),
            Endpoint(method: .get, uri: "/ledger/statements/payer:pay-nobody", action: .readStatements),
            Endpoint(method: .post, uri: "/ledger/statements/payer:pay-nobody/payments", action: .recordPayments, form: "reference=x"),
            Endpoint(method: .post, uri: "/ledger/statements/payer:pay-nobody/remittances", action: .recordPayments, form: "file=x"),
            Endpoint(method: .get, uri: "/prior-authorizations", action: .readPriorAuthorizations),
            Endpoint(method: .get, uri: "/agreements/sca-nobody", action: .readAgreements),
            Endpoint(method: .get, uri: "/centers/\(TestApp.coordinatorCenter.rawValue)/cash", action: .readAgreements),
            Endpoint(method: .get, uri: "/agreements/sca-nobody/document", action: .readAgreements),
            Endpoint(method: .post, uri: "/agreements/sca-nobody/steps", action: .writeAgreements, form: "step=send"),
            Endpoint(method: .post, uri: "/cases/\(caseID)/agreements", action: .writeAgreements, form: "templateId=x"),
            Endpoint(method: .get, uri: "/prior-authorizations/pa-nobody", action: .readPriorAuthorizations),
            Endpoint(method: .post, uri: "/prior-authorizations/pa-nobody/transitions", action: .writePriorAuthorizations, form: "action=submit"),
            Endpoint(method: .post, uri: "/prior-authorizations", action: .writePriorAuthorizations, form: "caseId=x"),
            Endpoint(method: .get, uri: "/patients/\(patient)/evaluation", action: .readClinicalFacts),
            Endpoint(method: .get, uri: "/patients/\(patient)/clinical-facts", action: .readClinicalFacts),
            Endpoint(method: .post, uri: "/patients/\(patient)/clinical-facts", action: .writeClinicalFacts, form: "x=y"),
            Endpoint(method: .post, uri: "/patients/\(patient)/clinical-facts/fhir", action: .writeClinicalFacts, form: "bundle=x"),
            Endpoint(method: .post, uri: "/api/v1/centers", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .get, uri: "/api/v1/centers/ctr-nobody", action: .readReference),
            Endpoint(method: .put, uri: "/api/v1/centers/ctr-nobody", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .post, uri: "/api/v1/payers", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .get, uri: "/api/v1/payers/pay-nobody", action: .readReference),
            Endpoint(method: .put, uri: "/api/v1/payers/pay-nobody", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .get, uri: "/api/v1/plans", action: .readReference),
            Endpoint(method: .post, uri: "/api/v1/plans", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .get, uri: "/api/v1/plans/plan-nobody", action: .readReference),
            Endpoint(method: .put, uri: "/api/v1/plans/plan-nobody", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .post, uri: "/api/v1/products", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .get, uri: "/api/v1/products/prd-nobody", action: .readReference),
            Endpoint(method: .put, uri: "/api/v1/products/prd-nobody", action: .writeReference, body: ["name": "x"]),
            Endpoint(method: .get, uri: "/api/v1/products/prd-nobody/prices", action: .readReference),
            Endpoint(method: .post, uri: "/api/v1/products/prd-nobody/prices", action: .writeReference, body: ["effectiveFrom": "x"]),
            Endpoint(method: .post, uri: "/api/v1/reference-imports/payers", action: .writeReference, raw: ("text/csv", "id,name,kind\n")),
            Endpoint(method: .get, uri: "/reference", action: .readReference),
            Endpoint(method: .get, uri: "/reference/centers", action: .readReference),
            Endpoint(method: .post, uri: "/reference/centers", action: .writeReference, form: "name=x"),
            Endpoint(method: .post, uri: "/reference/centers/ctr-nobody", action: .writeReference, form: "name=x"),
            Endpoint(method: .post, uri: "/reference/payers/import", action: .writeReference, form: "csv=x"),
            Endpoint(method: .post, uri: "/reference/products/prd-nobody/prices", action: .writeReference, form: "amount=x"),
            // Entry pages (EntryRoutes).
            Endpoint(method: .get, uri: "/patients/new", action: .writePatients),
            Endpoint(method: .post, uri: "/patients", action: .writePatients, form: "sex=x"),
            Endpoint(method: .get, uri: "/patients/\(patient)", action: .readPatients),
            Endpoint(method: .post, uri: "/patients/\(patient)/coverage", action: .writePatients, form: "memberId=x"),
            Endpoint(method: .get, uri: "/cases/new", action: .writeCases),
            Endpoint(method: .post, uri: "/cases", action: .writeCases, form: "patientId=x"),
            Endpoint(method: .get, uri: "/contracts/new", action: .writeContracts),
            Endpoint(method: .post, uri: "/contracts", action: .writeContracts, form: "text=x"),
            Endpoint(method: .get, uri: "/criteria-sets/new", action: .writeCriteria),
            Endpoint(method: .post, uri: "/criteria-sets", action: .writeCriteria, form: "text=x"),
            Endpoint(method: .get, uri: "/api/v1/linkage/reviews", action: .reviewLinks),
            Endpoint(method: .post, uri: "/api/v1/linkage/reviews", action: .reviewLinks, body: ["source": "x"]),
            Endpoint(method: .get, uri: "/linkage/review", action: .reviewLinks),
            Endpoint(method: .post, uri: "/linkage/review", action: .reviewLinks, form: "decision=reject&source=org-center&recordId=nobody"),
            Endpoint(method: .get, uri: "/api/v1/contract-proposals", action: .readContracts),
            Endpoint(method: .post, uri: "/api/v1/contract-proposals", action: .proposeContracts, raw: ("application/yaml", "format: x\n")),
            Endpoint(method: .get, uri: "/api/v1/contract-proposals/cpr-nobody", action: .readContracts),
            Endpoint(method: .post, uri: "/api/v1/contract-proposals/cpr-nobody/decision", action: .writeContracts, body: ["decision": "x"]),
            Endpoint(method: .get, uri: "/contract-proposals", action: .readContracts),
            Endpoint(method: .post, uri: "/contract-proposals", action: .proposeContracts, form: "document=x"),
            Endpoint(method: .post, uri: "/contract-proposals/cpr-nobody/decision", action: .writeContracts, form: "decision=file"),
        ]
    }

    static func send(_ endpoint: Endpoint, _ client: any TestClientProtocol, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json = endpoint.body {
            headers[.contentType] = "application/json"
            body = TestApp.json(json)
        } else if let form = endpoint.form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        } else if let raw = endpoint.raw {
            headers[.contentType] = raw.contentType
            body = ByteBuffer(string: raw.text)
        }
        return try await client.execute(uri: endpoint.uri, method: endpoint.method, headers: headers, body: body) { $0 }
    }

    @Test("every role × every endpoint: allowed exactly where the policy allows, else 403", arguments: Role.allCases)
    func matrix(role: Role) async throws {
        try await TestApp.run(as: role) { client, store in
            for endpoint in Self.endpoints {
                let response = try await Self.send(endpoint, client)
                let allowed = AccessPolicy.roleActions[role, default: []].contains(endpoint.action)
                if allowed {
                    #expect(response.status != .forbidden && response.status != .unauthorized, "\(role.rawValue) \(endpoint): \(response.status)")
                    #expect(response.status.code < 500, "\(role.rawValue) \(endpoint): \(response.status)")
                } else {
                    #expect(response.status == .forbidden, "\(role.rawValue) \(endpoint): \(response.status)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            // Every denial was audited.
            let denied = try await store.audit.entries(AuditQuery(outcome: .denied, limit: 1000)).total
            let expectedDenials = Self.endpoints.filter { !AccessPolicy.roleActions[role, default: []].contains($0.action) }.count
            #expect(denied == expectedDenials)
        }
    }

    /// A second organization of the kind `role` works for, with a user of that role: a second
    /// center, or a payer other than the demo's that never covered the coordinator's case.
    static func secondOrganization(for role: Role, store: Store) async throws -> Organization {
        let demoCase = TestApp.coordinatorCase.record
        switch role {
        case .centerCoordinator:
            let center = try #require(TestApp.demo.centers.first { $0.id != TestApp.coordinatorCenter })
            return Organization(id: "org-second-center", name: "Second center", kind: .center, centerID: center.id)
        case .payerReviewer:
            let demoPayer = try await store.identities.organizations().first { $0.kind == .payer }?.payerID
            let payer = try #require(TestApp.demo.payers.first { payer in
                payer.id != demoPayer && payer.id != demoCase.payerID
                    && !TestApp.demo.coveragePeriods.contains { $0.patientID == demoCase.patientID && $0.payerID == payer.id }
            })
            return Organization(id: "org-second-payer", name: "Second payer", kind: .payer, payerID: payer.id)
        default:
            throw CancellationError()
        }
    }

    @Test("a second center and a second payer: every endpoint allowed or refused as for the role, the first center's case out of sight",
          arguments: [Role.centerCoordinator, .payerReviewer])
    func secondOrganizations(role: Role) async throws {
        try await TestApp.run(as: nil) { base, store in
            let organization = try await Self.secondOrganization(for: role, store: store)
            let client = try await TestApp.client(as: role, at: organization, sharing: base, store: store)
            let caseID = TestApp.coordinatorCase.record.id.rawValue
            for endpoint in Self.endpoints {
                let response = try await Self.send(endpoint, client)
                let allowed = AccessPolicy.roleActions[role, default: []].contains(endpoint.action)
                if !allowed {
                    #expect(response.status == .forbidden, "\(organization.id) \(endpoint): \(response.status)")
                } else if endpoint.uri.contains(caseID) {
                    // The case is the first center's, and this payer never covered its patient:
                    // not found. (A write whose matrix body is incomplete is refused as
                    // unreadable first, before any case is looked up, which tells nothing.)
                    #expect(response.status == .notFound || (endpoint.method != .get && response.status == .badRequest),
                            "\(organization.id) \(endpoint): \(response.status)")
                } else {
                    #expect(response.status != .forbidden && response.status != .unauthorized && response.status.code < 500,
                            "\(organization.id) \(endpoint): \(response.status)")
                }
            }
            let denied = try await store.audit.entries(AuditQuery(organizationID: organization.id.rawValue, outcome: .denied, limit: 1000)).total
            #expect(denied == Self.endpoints.filter { !AccessPolicy.roleActions[role, default: []].contains($0.action) }.count)
        }
    }

    @Test("without credentials the API answers 401 and pages send you to sign in")
    func unauthenticated() async throws {
        try await TestApp.run(as: nil) { client, _ in
            for endpoint in Self.endpoints {
                let response = try await Self.send(endpoint, client)
                if endpoint.uri.hasPrefix("/api/") {
                    #expect(response.status == .unauthorized, "\(endpoint)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                } else {
                    #expect(response.status == .seeOther, "\(endpoint)")
                    #expect(response.headers[.location]?.hasPrefix("/sign-in?next=") == true)
                }
            }
            let bogus = try await client.execute(uri: "/api/v1/cases", method: .get, headers: [.authorization: "Bearer not-a-token"]) { $0.status }
            #expect(bogus == .unauthorized)
            #expect(try await client.execute(uri: "/health", method: .get) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/openapi.yaml", method: .get) { $0.status } == .ok)
        }
    }

    @Test("a center sees only its cases; another center's case is not found")
    func centerScope() async throws {
        try await TestApp.run(as: .centerCoordinator) { client, _ in
            let items = try await client.execute(uri: "/api/v1/cases?limit=500", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { $0["centerId"] as? String == TestApp.coordinatorCenter.rawValue })
            let elsewhere = TestApp.demo.cases.first { $0.record.centerID != TestApp.coordinatorCenter }!.record.id
            #expect(try await client.execute(uri: "/api/v1/cases/\(elsewhere)", method: .get) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/cases/\(elsewhere)", method: .get) { $0.status } == .notFound)
            let event: [String: Any] = ["kind": "lost", "lossReason": "declined", "date": TestApp.today.description]
            let write = try await client.execute(uri: "/api/v1/cases/\(elsewhere)/events", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(event)) { $0.status }
            #expect(write == .notFound)
        }
    }

    @Test("a payer sees the cases of patients it covers or covered, and no others")
    func payerScope() async throws {
        try await TestApp.run(as: .payerReviewer) { client, store in
            let organization = try #require(try await store.identities.organizations().first { $0.kind == .payer })
            let payer = try #require(organization.payerID)
            let items = try await client.execute(uri: "/api/v1/cases?limit=500", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            let covered = Set(TestApp.demo.coveragePeriods.filter { $0.payerID == payer }.map(\.patientID))
            let expected = Set(TestApp.demo.cases.filter { $0.record.payerID == payer || covered.contains($0.record.patientID) }.map(\.record.id.rawValue))
            #expect(Set(items.compactMap { $0["id"] as? String }) == expected)
        }
    }

    @Test("patients are visible to the payers that cover or covered them and the centers that treat them")
    func patientVisibility() async throws {
        try await TestApp.run(as: .payerReviewer) { client, store in
            let payer = try #require(try await store.identities.organizations().first { $0.kind == .payer }?.payerID)
            let covered = try #require(TestApp.demo.coveragePeriods.first { $0.payerID == payer }?.patientID)
            let uncovered = try #require(TestApp.demo.patients.first { patient in
                !TestApp.demo.coveragePeriods.contains { $0.patientID == patient.id && $0.payerID == payer }
            }?.id)
            #expect(try await client.execute(uri: "/api/v1/patients/\(covered)", method: .get) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/api/v1/patients/\(uncovered)", method: .get) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/api/v1/patients/\(uncovered)/coverage", method: .get) { $0.status } == .notFound)
        }
        try await TestApp.run(as: .centerCoordinator) { client, _ in
            let own = TestApp.coordinatorCase.record.patientID
            let elsewhere = try #require(TestApp.demo.cases.first { demoCase in
                demoCase.record.centerID != TestApp.coordinatorCenter
                    && !TestApp.demo.cases.contains { $0.record.patientID == demoCase.record.patientID && $0.record.centerID == TestApp.coordinatorCenter }
            }?.record.patientID)
            #expect(try await client.execute(uri: "/api/v1/patients/\(own)", method: .get) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/api/v1/patients/\(elsewhere)", method: .get) { $0.status } == .notFound)
        }
    }

    @Test("a token's scopes narrow what it may do")
    func tokenScope() async throws {
        try await TestApp.run(as: nil) { client, store in
            let token = try await TestApp.token(for: .centerCoordinator, in: store, scopes: [.readCases])
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            #expect(try await client.execute(uri: "/api/v1/cases", method: .get, headers: headers) { $0.status } == .ok)
            let write = try await client.execute(uri: "/api/v1/cases/\(TestApp.coordinatorCase.record.id)/events", method: .post, headers: headers,
                                                 body: TestApp.json(["kind": "lost", "lossReason": "declined", "date": "2026-11-23"])) { $0 }
            #expect(write.status == .forbidden)
            #expect((write.object["detail"] as? String)?.contains("token") == true)
        }
    }

    @Test("signing in gives a session whose forms need its CSRF token; wrong passwords are throttled")
    func signInAndCSRF() async throws {
        try await TestApp.run(as: nil) { client, store in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let wrong = try await client.execute(uri: "/sign-in", method: .post, headers: form,
                                                 body: ByteBuffer(string: "email=coordinator%40center.demo&password=nope&next=%2Fcases")) { $0.status }
            #expect(wrong == .unauthorized)
            let signedIn = try await client.execute(uri: "/sign-in", method: .post, headers: form,
                                                    body: ByteBuffer(string: "email=coordinator%40center.demo&password=\(DemoIdentities.password)&next=%2Fcases")) { $0 }
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/cases")
            let setCookie = try #require(signedIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let page = try await client.execute(uri: "/cases/\(try TestApp.openCase().record.id)", method: .get, headers: [.cookie: cookie]) { $0 }
            #expect(page.status == .ok)
            let csrf = try #require(page.text.range(of: "name=\"csrf\" value=\"").map { page.text[$0.upperBound...].prefix(while: { $0 != "\"" }) })
            let caseURI = "/cases/\(try TestApp.openCase().record.id)/events"
            var headers = form
            headers[.cookie] = cookie
            let forged = try await client.execute(uri: caseURI, method: .post, headers: headers,
                                                  body: ByteBuffer(string: "kind=lost&stage=&lossReason=declined&date=2026-11-23")) { $0.status }
            #expect(forged == .forbidden)
            let genuine = try await client.execute(uri: caseURI, method: .post, headers: headers,
                                                   body: ByteBuffer(string: "kind=lost&stage=&lossReason=declined&date=2026-11-23&csrf=\(csrf)")) { $0.status }
            #expect(genuine == .seeOther)
            let writes = try await store.audit.entries(AuditQuery(action: Action.writeCases.rawValue, limit: 10)).items
            // The row names the case it wrote to; the path is in the detail.
            #expect(writes.contains { $0.outcome == .allowed && $0.object == "case:\(try! TestApp.openCase().record.id)" && $0.detail?.contains(caseURI) == true })
            #expect(writes.contains { $0.outcome == .denied && $0.detail?.contains("CSRF") == true })
            // Five wrong passwords, then even the right one waits.
            for _ in 0..<5 {
                _ = try await client.execute(uri: "/sign-in", method: .post, headers: form, body: ByteBuffer(string: "email=reviewer%40payer.demo&password=bad")) { $0 }
            }
            let throttled = try await client.execute(uri: "/sign-in", method: .post, headers: form,
                                                     body: ByteBuffer(string: "email=reviewer%40payer.demo&password=\(DemoIdentities.password)")) { $0.status }
            #expect(throttled == .tooManyRequests)
            #expect(HashChain.verify(try await store.audit.chain()).intact)
        }
    }

    @Test("compliance officers read the audit log page, which verifies the chain and filters")
    func auditPage() async throws {
        try await TestApp.run(as: .complianceOfficer) { client, store in
            // A refusal to audit: compliance officers may not read cases.
            #expect(try await client.execute(uri: "/api/v1/cases", method: .get) { $0.status } == .forbidden)
            let page = try await client.execute(uri: "/audit?outcome=denied", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("Chain intact"))
            #expect(page.text.contains("read-cases"))
            #expect(!page.text.contains("class=\"status allowed\""))
            try await store.database.withConnection { db in try await db.raw("UPDATE audit_log SET detail = 'edited' WHERE sequence = 1").run() }
            let broken = try await client.execute(uri: "/audit", method: .get) { $0.text }
            #expect(broken.contains("Chain broken at entry 1"))
        }
    }

    @Test("pages carry security headers")
    func securityHeaders() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let response = try await client.execute(uri: "/network", method: .get) { $0 }
            #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'none'") == true)
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
        }
    }
}
