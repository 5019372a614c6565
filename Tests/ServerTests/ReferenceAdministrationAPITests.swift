import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

/// The mediator operator builds a network over HTTP: centers, payers, plans and products,
/// prices with effective dates, CSV imports — and nobody else may.
@Suite("Reference data administered over HTTP")
struct ReferenceAdministrationAPITests {
    nonisolated(unsafe) static let center: [String: Any] = [
        "id": "ctr-lakeside", "name": "Lakeside Cancer Center", "street": "1 Shore Drive", "city": "Chicago", "state": "IL",
        "postalCode": "60601", "timeZone": "America/Chicago", "accreditations": ["fact-iec"], "workflow": "parallel", "products": ["prd-zolgensma"],
    ]
    nonisolated(unsafe) static let product: [String: Any] = [
        "id": "prd-zolgensma", "name": "Zolgensma", "genericName": "onasemnogene abeparvovec", "manufacturer": "Novartis Gene Therapies",
        "modality": "in-vivo-gene-therapy", "listPrice": ["minorUnits": 212_500_000, "currency": "USD"], "effectiveFrom": "2019-05-24",
        "journeyTemplate": "gene-therapy", "typicalManufacturingDays": 0, "ndc": "71894-120-01", "hcpcs": "J3399",
    ]

    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: [String: Any], method: HTTPRequest.Method = .post) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: TestApp.jsonHeaders, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) { $0 }
    }

    static func fields(_ response: TestResponse) -> [String] {
        (response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    @Test("the operator adds a product and a center treating it, reads them back, and a second add of the ID is a 409")
    func addAndRead() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let product = try await Self.post(client, "/api/v1/products", Self.product)
            #expect(product.status == .created, "\(product.text)")
            #expect(product.object["modality"] as? String == "in-vivo-gene-therapy")
            let center = try await Self.post(client, "/api/v1/centers", Self.center)
            #expect(center.status == .created, "\(center.text)")
            let read = try await client.execute(uri: "/api/v1/centers/ctr-lakeside", method: .get) { $0 }
            #expect(read.status == .ok)
            #expect(read.object["postalCode"] as? String == "60601")
            #expect(read.object["products"] as? [String] == ["prd-zolgensma"])
            let list = try await client.execute(uri: "/api/v1/centers", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(list.contains { $0["id"] as? String == "ctr-lakeside" && $0["street"] as? String == "1 Shore Drive" })

            let again = try await Self.post(client, "/api/v1/centers", Self.center)
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType] == "application/problem+json")
            // The audit rows name the records written, not only the path.
            let writes = try await store.audit.entries(AuditQuery(action: Action.writeReference.rawValue, limit: 10)).items
            #expect(writes.contains { $0.outcome == .allowed && $0.object == "product:prd-zolgensma" })
            #expect(writes.contains { $0.outcome == .allowed && $0.object == "center:ctr-lakeside" })
        }
    }

    @Test("bad fields are a 422 naming each field, and nothing is written")
    func badFields() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            var center = Self.center
            center["state"] = "Illinois"
            center["postalCode"] = "ABCDE"
            center["timeZone"] = "Central Time"
            center["products"] = ["prd-none"]
            let response = try await Self.post(client, "/api/v1/centers", center)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(Self.fields(response) == ["state", "postalCode", "timeZone", "products[0]"])
            var payer: [String: Any] = ["id": "pay-il-medicaid", "name": "Illinois Medicaid", "kind": "medicaid"]
            #expect(Self.fields(try await Self.post(client, "/api/v1/payers", payer)) == ["state"])
            payer["state"] = "IL"
            #expect(try await Self.post(client, "/api/v1/payers", payer).status == .created)
            let plan: [String: Any] = ["id": "plan-il", "payerId": "pay-il-medicaid", "name": "Illinois Medicaid FFS", "type": "medicaid", "state": "TX"]
            #expect(Self.fields(try await Self.post(client, "/api/v1/plans", plan)) == ["state"])
            var product = Self.product
            product["ndc"] = "12-34"
            product["modality"] = "car-t"
            #expect(Self.fields(try await Self.post(client, "/api/v1/products", product)) == ["typicalManufacturingDays", "ndc"])
            let directory = try await store.reference.directory()
            #expect(directory.center("ctr-lakeside") == nil && directory.plan("plan-il") == nil && directory.product("prd-zolgensma") == nil)
        }
    }

    @Test("updates replace details, keep the ID, and change a price only through its dated history")
    func updatesAndPrices() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            #expect(try await Self.post(client, "/api/v1/products", Self.product).status == .created)
            var changed = Self.product
            changed["id"] = nil
            changed["hcpcs"] = "J3590"
            let updated = try await Self.post(client, "/api/v1/products/prd-zolgensma", changed, method: .put)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(updated.object["hcpcs"] as? String == "J3590")
            changed["listPrice"] = ["minorUnits": 1, "currency": "USD"]
            #expect(Self.fields(try await Self.post(client, "/api/v1/products/prd-zolgensma", changed, method: .put)) == ["listPrice"])
            changed["id"] = "prd-other"
            changed["listPrice"] = nil
            #expect(Self.fields(try await Self.post(client, "/api/v1/products/prd-zolgensma", changed, method: .put)) == ["id"])
            #expect(try await Self.post(client, "/api/v1/products/prd-nobody", changed, method: .put).status == .notFound)

            let future = TestApp.today.adding(days: 30).description
            let price = try await Self.post(client, "/api/v1/products/prd-zolgensma/prices", [
                "amount": ["minorUnits": 230_000_000, "currency": "USD"], "effectiveFrom": future,
            ])
            #expect(price.status == .created, "\(price.text)")
            let backdated = try await Self.post(client, "/api/v1/products/prd-zolgensma/prices", [
                "amount": ["minorUnits": 1, "currency": "USD"], "effectiveFrom": TestApp.today.adding(days: -1).description,
            ])
            #expect(Self.fields(backdated) == ["effectiveFrom"])
            let history = try await client.execute(uri: "/api/v1/products/prd-zolgensma/prices", method: .get) { $0.object["items"] as? [[String: Any]] ?? [] }
            #expect(history.compactMap { $0["effectiveFrom"] as? String } == ["2019-05-24", future])
            // Today still reads the first price; the new one is for the future.
            #expect(try await store.reference.directory(on: TestApp.today).product("prd-zolgensma")?.listPrice == Money(dollars: 2_125_000))
        }
    }

    @Test("only the mediator operator writes reference data: a center, a payer or a manufacturer gets 403 and nothing changes",
          arguments: [Role.centerCoordinator, .payerReviewer, .manufacturerAnalyst, .complianceOfficer])
    func othersRefused(role: Role) async throws {
        try await TestApp.run(as: role) { client, store in
            let before = try await store.reference.directory()
            var own = Self.center
            // A center trying to rewrite its own record, or add a rival.
            own["id"] = TestApp.coordinatorCenter.rawValue
            #expect(try await Self.post(client, "/api/v1/centers/\(TestApp.coordinatorCenter)", own, method: .put).status == .forbidden)
            #expect(try await Self.post(client, "/api/v1/centers", Self.center).status == .forbidden)
            #expect(try await Self.post(client, "/api/v1/products", Self.product).status == .forbidden)
            let upload = try await client.execute(
                uri: "/api/v1/reference-imports/payers", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(string: "id,name,kind\npay-rogue,Rogue,commercial\n")) { $0.status }
            #expect(upload == .forbidden)
            #expect(try await store.reference.directory() == before)
        }
    }

    @Test("a CSV import is all or nothing, with line and column; a file over the limit is a 413")
    func csvImport() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let good = "id,name,kind,state\npay-il-medicaid,Illinois Medicaid,medicaid,IL\npay-acme,\"Acme Health, Inc.\",commercial,\n"
            let added = try await client.execute(uri: "/api/v1/reference-imports/payers", method: .post, headers: [.contentType: "text/csv"],
                                                 body: ByteBuffer(string: good)) { $0 }
            #expect(added.status == .created, "\(added.text)")
            #expect(added.object["added"] as? [String] == ["pay-il-medicaid", "pay-acme"])
            let bad = "id,payer_id,name,type,state\nplan-ok,pay-acme,Acme PPO,commercial,\nplan-bad,pay-acme,Acme Medicaid,medicaid,\n"
            let refused = try await client.execute(uri: "/api/v1/reference-imports/plans", method: .post, headers: [.contentType: "text/csv"],
                                                   body: ByteBuffer(string: bad)) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(Self.fields(refused) == ["line 3, column 5 (state)"])
            #expect(try await store.reference.directory().plan("plan-ok") == nil)
            let huge = String(repeating: "x", count: ReferenceCSV.maximumBytes + 10)
            let tooLarge = try await client.execute(uri: "/api/v1/reference-imports/plans", method: .post, headers: [.contentType: "text/csv"],
                                                    body: ByteBuffer(string: huge)) { $0.status }
            #expect(tooLarge == .contentTooLarge)
        }
    }
}
