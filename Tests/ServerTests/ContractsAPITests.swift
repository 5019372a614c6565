import Access
import CareNetwork
import Core
import DemoNetwork
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Contracts, settlement and the ledger over the API")
struct ContractsAPITests {
    static var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/contracts")
    }

    static func example(_ name: String) throws -> String {
        try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
    }

    static let yaml: HTTPFields = [.contentType: "application/yaml"]

    /// Files the Zolgensma installments contract, enrolls the coordinator's patient under it
    /// with a response on record, and returns the paying payer.
    /// The patient ``prepare(_:)`` enrolls: one of the coordinator's, covered on the infusion date.
    static var enrolledPatient: PatientID { TestApp.coordinatorPatient(coveredOn: CalendarDate(year: 2026, month: 2, day: 2)!).patient }

    static func prepare(_ client: any TestClientProtocol) async throws -> PayerID {
        let filed = try await client.execute(uri: "/api/v1/contracts", method: .post, headers: yaml,
                                             body: ByteBuffer(string: try example("zolgensma-installments.yaml"))) { $0 }
        #expect(filed.status == .created, "\(filed.text)")
        let (patient, payer) = TestApp.coordinatorPatient(coveredOn: CalendarDate(year: 2026, month: 2, day: 2)!)
        let enrollment: [String: Any] = ["patients": [[
            "patientId": patient.rawValue, "contractId": "zolgensma-annuity", "productId": "prd-zolgensma",
            "infusionDate": "2026-02-02", "payingPayer": payer.rawValue,
        ]]]
        let enrolled = try await client.execute(uri: "/api/v1/treated-patients", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(enrollment)) { $0 }
        #expect(enrolled.object["enrolled"] as? Int == 1, "\(enrolled.text)")
        let outcome: [String: Any] = ["events": [["id": "oe-z1", "patientId": patient.rawValue, "date": "2026-05-01", "kind": "response-assessment",
                                                  "value": "responding", "source": "registry"]]]
        let recorded = try await client.execute(uri: "/api/v1/outcome-events", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(outcome)) { $0.status }
        #expect(recorded == .created)
        return payer
    }

    @Test("the mediator files a contract, settles, and a re-run posts nothing; the trial balance balances")
    func settleOverAPI() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let payer = try await Self.prepare(client)
            let again = try await client.execute(uri: "/api/v1/contracts", method: .post, headers: Self.yaml,
                                                 body: ByteBuffer(string: try Self.example("zolgensma-installments.yaml"))) { $0.status }
            #expect(again == .ok)

            let settled = try await client.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["asOf": "2026-11-01"])) { $0 }
            #expect(settled.status == .created, "\(settled.text)")
            let posted = settled.object["posted"] as? [[String: Any]] ?? []
            #expect(!posted.isEmpty)
            // The first installment, due at infusion, cites the contract version.
            #expect(posted.contains { ($0["contractId"] as? String) == "zolgensma-annuity" && ($0["contractVersion"] as? Int) == 1 })

            let rerun = try await client.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["asOf": "2026-11-01"])) { $0 }
            #expect((rerun.object["posted"] as? [Any])?.isEmpty == true)
            #expect(try await store.ledger.count() == posted.count)

            let balance = try await client.execute(uri: "/api/v1/ledger/trial-balance", method: .get) { $0.object }
            #expect(balance["balanced"] as? Bool == true)

            // One unit so far: billed its first installment, four still to come, so its net price
            // is the list price and it is the product's first (best) price.
            let prices = try await client.execute(uri: "/api/v1/ledger/net-prices", method: .get) { $0.object }
            let units = prices["units"] as? [[String: Any]] ?? []
            #expect(units.count == 1)
            #expect((units.first?["netPrice"] as? [String: Any])?["minorUnits"] as? Int == 212_500_000)
            #expect((prices["bestPrices"] as? [[String: Any]])?.first?["productId"] as? String == "prd-zolgensma")

            // The payer billed: under "follows the current payer" it is whoever covers the
            // patient on the due date.
            let accounts = posted.flatMap { ($0["entries"] as? [[String: Any]] ?? []).compactMap { $0["account"] as? String } }
            let billed = try #require(accounts.first { $0.hasPrefix("payer:") }.map { String($0.split(separator: ":").prefix(2).joined(separator: ":")) })
            _ = payer
            let statement = try await client.execute(uri: "/api/v1/ledger/statements/\(billed)", method: .get) { $0 }
            #expect(statement.status == .ok)
            #expect(!(statement.object["lines"] as? [Any] ?? []).isEmpty)
            let csv = try await client.execute(uri: "/api/v1/ledger/statements/\(billed)", method: .get, headers: [.accept: "text/csv"]) { $0 }
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasPrefix("date,key,account,category,debit,credit,balance"))

            let future = try await client.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["asOf": "2030-01-01"])) { $0 }
            #expect(future.status == .unprocessableContent)
            #expect(future.text.contains("asOf"))
        }
    }

    @Test("an invalid contract file is refused with every problem, each with its line and path, and nothing is filed")
    func badContract() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let bad = try Self.example("zolgensma-installments.yaml")
                .replacingOccurrences(of: "unitPrice: 2125000.00 USD", with: "unitPrice: -5 USD")
                .replacingOccurrences(of: "count: 5", with: "count: many")
            let refused = try await client.execute(uri: "/api/v1/contracts", method: .post, headers: Self.yaml, body: ByteBuffer(string: bad)) { $0 }
            #expect(refused.status == .unprocessableContent)
            let fields = (refused.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.count >= 2, "\(refused.text)")
            #expect(fields.allSatisfy { $0.hasPrefix("line ") })
            #expect(fields.contains { $0.contains("unitPrice") })
            #expect(try await store.contracts.allVersions().isEmpty)
        }
    }

    @Test("a payer reads its own statement only; the whole ledger is the mediator's")
    func payerScope() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let payer = try await Self.prepare(client)
            _ = try await client.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["asOf": "2026-11-01"])) { $0.status }

            // A reviewer at the paying payer.
            let reviewer = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-paying-payer", name: "Paying payer", kind: .payer, payerID: payer), sharing: client, store: store)
            #expect(try await reviewer.execute(uri: "/api/v1/ledger/statements/payer:\(payer)", method: .get) { $0.status } == .ok)
            let other = TestApp.demo.payers.first { $0.id != payer }!.id
            #expect(try await reviewer.execute(uri: "/api/v1/ledger/statements/payer:\(other)", method: .get) { $0.status } == .notFound)
            #expect(try await reviewer.execute(uri: "/api/v1/ledger/trial-balance", method: .get) { $0.status } == .forbidden)
            #expect(try await reviewer.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(["asOf": "2026-11-01"])) { $0.status } == .forbidden)
            let contracts = try await reviewer.execute(uri: "/api/v1/contracts", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(contracts.map { $0["id"] as? String } == ["zolgensma-annuity"])  // "any payer" includes this one
        }
    }

    @Test("the demo manufacturer sees its own contract and statement, and no one else's")
    func manufacturerScope() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, store in
            for (terms, file) in zip(DemoContracts.terms, DemoContracts.files) {
                _ = try await store.contracts.store(terms, document: file)
            }
            let items = try await client.execute(uri: "/api/v1/contracts", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(items.map { $0["id"] as? String } == ["kymriah-response"])
            #expect(try await client.execute(uri: "/api/v1/ledger/statements/manufacturer:mfr-novartis", method: .get) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/api/v1/ledger/statements/manufacturer:mfr-vertex", method: .get) { $0.status } == .notFound)
        }
    }
}
