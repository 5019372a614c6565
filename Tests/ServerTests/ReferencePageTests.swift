import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

/// The reference-data pages: the operator adds and edits records from forms, with each
/// problem beside its field, and imports CSV; others read the lists and cannot write.
@Suite("Reference data pages")
struct ReferencePageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: form, body: PriorAuthorizationPageTests.encode(fields)) { $0 }
    }

    static let center: [(String, String)] = [
        ("id", "ctr-lakeside"), ("name", "Lakeside Cancer Center"), ("street", "1 Shore Drive"), ("city", "Chicago"), ("state", "IL"),
        ("postalCode", "60601"), ("timeZone", "America/Chicago"), ("accreditations", "fact-iec; coe"), ("workflow", "parallel"),
        ("products", "prd-kymriah"), ("effectiveFrom", ""),
    ]

    @Test("the operator adds a center from the form; a bad field comes back beside it with what was typed")
    func addCenter() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let page = try await client.execute(uri: "/reference/centers", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("Add a center") && page.text.contains("id=\"records\""))
            var bad = Self.center
            bad[5] = ("postalCode", "6060")
            let refused = try await Self.post(client, "/reference/centers", bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"error-postalCode\""))
            #expect(refused.text.contains("must be a US ZIP code"))
            #expect(refused.text.contains("value=\"Lakeside Cancer Center\""))
            #expect(try await store.reference.directory().center("ctr-lakeside") == nil)
            let added = try await Self.post(client, "/reference/centers", Self.center)
            #expect(added.status == .seeOther, "\(added.text)")
            let center = try #require(try await store.reference.directory().center("ctr-lakeside"))
            #expect(center.accreditations == [.factImmuneEffectorCells, .centerOfExcellence] && center.products == ["prd-kymriah"])
            let again = try await Self.post(client, "/reference/centers", Self.center)
            #expect(again.status == .conflict && again.text.contains("id=\"error-id\""))
            // Editing: the form is filled, the ID fixed; a change is saved.
            let edit = try await client.execute(uri: "/reference/centers?edit=ctr-lakeside", method: .get) { $0 }
            #expect(edit.text.contains("Edit center ctr-lakeside") && edit.text.contains("value=\"1 Shore Drive\""))
            var renamed = Self.center
            renamed[1] = ("name", "Lakeside Cancer Institute")
            #expect(try await Self.post(client, "/reference/centers/ctr-lakeside", renamed).status == .seeOther)
            #expect(try await store.reference.directory().center("ctr-lakeside")?.name == "Lakeside Cancer Institute")
        }
    }

    @Test("a product's price is added from its edit page; a backdated one is refused beside the date")
    func productPrice() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let product = try #require(TestApp.demo.products.first).id.rawValue
            let page = try await client.execute(uri: "/reference/products?edit=\(product)", method: .get) { $0 }
            #expect(page.text.contains("id=\"price-history\""))
            let backdated = try await Self.post(client, "/reference/products/\(product)/prices", [
                ("amount", "500000.00 USD"), ("effectiveFrom", TestApp.today.adding(days: -10).description),
            ])
            #expect(backdated.status == .unprocessableContent)
            #expect(backdated.text.contains("id=\"price-error-effectiveFrom\""))
            let added = try await Self.post(client, "/reference/products/\(product)/prices", [
                ("amount", "500000.00 USD"), ("effectiveFrom", TestApp.today.adding(days: 10).description),
            ])
            #expect(added.status == .seeOther)
            #expect(try await store.reference.priceHistory(of: ProductID(product))?.changes.count == 2)
        }
    }

    @Test("a pasted CSV file is imported whole, or refused with every line's problem and nothing added")
    func importCSV() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let refused = try await Self.post(client, "/reference/payers/import", [
                ("csv", "id,name,kind,state\npay-a,A,commercial,\npay-b,B,medicaid,\n"),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("line 3, column 4 (state)"))
            #expect(try await store.reference.directory().payer("pay-a") == nil)
            let imported = try await Self.post(client, "/reference/payers/import", [("csv", "id,name,kind,state\npay-a,A,commercial,\npay-b,B,medicaid,TX\n")])
            #expect(imported.status == .seeOther)
            #expect(try await store.reference.directory().payer("pay-b")?.state == "TX")
        }
    }

    @Test("a coordinator reads the lists but sees no form, and a forged post is refused")
    func readOnlyForOthers() async throws {
        try await TestApp.run(as: .centerCoordinator) { client, store in
            let page = try await client.execute(uri: "/reference/products", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(!page.text.contains("class=\"record-form\"") && !page.text.contains("/reference/products/import"))
            let forged = try await Self.post(client, "/reference/centers/\(TestApp.coordinatorCenter)", Self.center)
            #expect(forged.status == .forbidden)
            #expect(try await store.reference.directory().center("ctr-lakeside") == nil)
        }
    }
}
