import CareNetwork
import Core
import Foundation
import SQLKit
import Storage
import Testing

/// The operator's writes of reference data, on each database: validated, dated, audited by
/// the edges, and all-or-nothing.
@Suite("Reference data changes")
struct ReferenceChangesTests {
    static let today = CalendarDate(iso8601: "2026-03-02")!
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso8601: text)! }

    static let zolgensma = Product.Draft(
        id: "prd-zolgensma", name: "Zolgensma", genericName: "onasemnogene abeparvovec", manufacturer: "Novartis Gene Therapies",
        modality: "in-vivo-gene-therapy", journeyTemplate: "gene-therapy", typicalManufacturingDays: 0, indications: "SMA",
        ndc: "71894-120-01", hcpcs: "J3399")

    static let lakeside = Center.Draft(
        id: "ctr-lakeside", name: "Lakeside Cancer Center", street: "1 Shore Drive", city: "Chicago", state: "IL", postalCode: "60601",
        timeZone: "America/Chicago", accreditations: ["fact-iec"], workflow: "parallel", products: ["prd-zolgensma"])

    @Test("a product, its prices and a center round-trip; a past date still reads the old price", arguments: TestDatabase.available)
    func roundTripWithHistory(database: TestDatabase) async throws {
        try await database.withStore { store in
            let added = try await store.changeReference(today: Self.today) { changes in
                let product = try await changes.add(Self.zolgensma, listPrice: Money(dollars: 2_125_000), priceFrom: Self.day("2019-05-24"))
                _ = try await changes.add(Self.lakeside, productsFrom: nil)
                return product
            }
            #expect(added.ndc == "71894-120-01" && added.hcpcs == "J3399" && added.modality == .inVivoGeneTherapy)
            let stored = try #require(try await store.reference.directory(on: Self.today).product("prd-zolgensma"))
            #expect(stored == added)
            _ = try await store.changeReference(today: Self.today) { changes in
                try await changes.add(price: ListPrice(Money(dollars: 2_300_000), effectiveFrom: Self.day("2026-04-01")), to: "prd-zolgensma")
            }
            #expect(try await store.reference.directory(on: Self.day("2026-03-31")).product("prd-zolgensma")?.listPrice == Money(dollars: 2_125_000))
            #expect(try await store.reference.directory(on: Self.day("2026-04-01")).product("prd-zolgensma")?.listPrice == Money(dollars: 2_300_000))
            #expect(try await store.reference.priceHistory(of: "prd-zolgensma")?.changes.map(\.effectiveFrom) == [Self.day("2019-05-24"), Self.day("2026-04-01")])
            // A backdated price is refused and nothing is written.
            await #expect(throws: ValidationError.self) {
                try await store.changeReference(today: Self.today) { changes in
                    try await changes.add(price: ListPrice(Money(dollars: 1), effectiveFrom: Self.day("2026-01-01")), to: "prd-zolgensma")
                }
            }
            #expect(try await store.reference.priceHistory(of: "prd-zolgensma")?.changes.count == 2)

            let center = try #require(try await store.reference.directory(on: Self.today).center("ctr-lakeside"))
            #expect(center.street == "1 Shore Drive" && center.postalCode == "60601" && center.products == ["prd-zolgensma"])
        }
    }

    @Test("a center's products change on a date; the day before still reads the old list", arguments: TestDatabase.available)
    func centerProductHistory(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            try await store.changeReference(today: Self.today) { changes in
                _ = try await changes.add(Self.zolgensma, listPrice: Money(dollars: 2_125_000), priceFrom: nil)
                _ = try await changes.add(Self.lakeside, productsFrom: nil)
            }
            var draft = Self.lakeside
            draft.products = ["prd-zolgensma", Fixtures.demo.products[0].id.rawValue]
            draft.name = "Lakeside Cancer Institute"
            let renamed = draft
            _ = try await store.changeReference(today: Self.today) { try await $0.update("ctr-lakeside", renamed, productsFrom: Self.day("2026-05-01")) }
            let before = try #require(try await store.reference.directory(on: Self.day("2026-04-30")).center("ctr-lakeside"))
            let after = try #require(try await store.reference.directory(on: Self.day("2026-05-01")).center("ctr-lakeside"))
            #expect(before.products == ["prd-zolgensma"])
            #expect(after.products == draft.products.map { ProductID($0) })
            // Details are not dated: the new name shows on every date.
            #expect(before.name == "Lakeside Cancer Institute")
            // A change dated before the latest one is refused.
            draft.products = []
            let emptied = draft
            await #expect(throws: ValidationError.self) {
                try await store.changeReference(today: Self.today) { try await $0.update("ctr-lakeside", emptied, productsFrom: Self.day("2026-04-15")) }
            }
            #expect(try await store.reference.productHistory(of: "ctr-lakeside").changes.count == 2)
        }
    }

    @Test("an ID already used is a conflict; a plan needs its payer; updates keep a plan with its payer", arguments: TestDatabase.available)
    func conflictsAndReferences(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await Fixtures.loadReference(into: store)
            let existing = Fixtures.demo.payers[0]
            await #expect(throws: StorageError.self) {
                try await store.changeReference(today: Self.today) {
                    try await $0.add(Payer.Draft(id: existing.id.rawValue, name: "Another", kind: "commercial", state: nil))
                }
            }
            #expect(try await store.reference.directory().payer(existing.id) == existing)
            let orphan = Plan.Draft(id: "plan-orphan", payerID: "pay-nobody", name: "Orphan", type: "commercial", state: nil)
            await #expect(throws: ValidationError.self) { try await store.changeReference(today: Self.today) { try await $0.add(orphan) } }
            let plan = Fixtures.demo.plans.first { $0.payerID == existing.id }!
            var moving = plan.draft
            moving.payerID = Fixtures.demo.payers[1].id.rawValue
            let moved = moving
            await #expect(throws: ValidationError.self) { try await store.changeReference(today: Self.today) { try await $0.update(plan.id, moved) } }
            await #expect(throws: NotFoundError.self) { try await store.changeReference(today: Self.today) { try await $0.update("plan-nobody", moved) } }
            #expect(try await store.reference.directory().plan(plan.id) == plan)
        }
    }

    @Test("a CSV file is added whole, or not at all, with every problem's line and column", arguments: TestDatabase.available)
    func csvAllOrNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            let payers = """
                id,name,kind,state
                pay-il-medicaid,Illinois Medicaid,medicaid,IL
                pay-acme,"Acme Health, Inc.",commercial,

                """
            let added = try await store.changeReference(today: Self.today) { try await $0.importCSV(Array(payers.utf8), kind: .payers) }
            #expect(added == ["pay-il-medicaid", "pay-acme"])
            #expect(try await store.reference.directory().payer("pay-acme")?.name == "Acme Health, Inc.")

            let plans = """
                id,payer_id,name,type,state
                plan-il-medicaid,pay-il-medicaid,Illinois Medicaid FFS,medicaid,IL
                plan-bad,pay-il-medicaid,Wrong type,commercial,
                plan-acme-ppo,pay-acme,Acme PPO,ppo,
                plan-il-medicaid,pay-il-medicaid,Twice,medicaid,IL
                """
            let error = try await #require(throws: ValidationError.self) {
                try await store.changeReference(today: Self.today) { try await $0.importCSV(Array(plans.utf8), kind: .plans) }
            }
            #expect(error.issues.map(\.field) == ["line 3, column 4 (type)", "line 4, column 4 (type)", "line 5, column 1 (id)"])
            #expect(try await store.reference.directory().plans.isEmpty)
        }
    }

    /// The fields an import of `bytes` is refused with.
    static func refusal(_ store: Store, _ bytes: [UInt8], _ kind: ReferenceKind = .payers) async throws -> [String] {
        do {
            _ = try await store.changeReference(today: today) { try await $0.importCSV(bytes, kind: kind) }
            return []
        } catch let error as ValidationError {
            return error.issues.map(\.field)
        }
    }

    @Test("hostile CSV: not UTF-8, too large, unclosed quotes, unknown columns", arguments: TestDatabase.available)
    func hostileCSV(database: TestDatabase) async throws {
        try await database.withStore { store in
            // Every refusal below must leave the payers as they are: none.
            let before = try await store.reference.directory().payers
            #expect(before.isEmpty)
            #expect(try await Self.refusal(store, Array("id,name,kind\npay-a,Caf".utf8) + [0xC3, 0x28] + Array(",commercial\n".utf8)) == ["line 2"])
            #expect(try await Self.refusal(store, [UInt8](repeating: UInt8(ascii: "a"), count: ReferenceCSV.maximumBytes + 1)) == ["file"])
            #expect(try await Self.refusal(store, Array("id,name,kind\npay-a,\"never closed,commercial\n".utf8)) == ["line 2"])
            #expect(try await Self.refusal(store, Array("id,name,kind,secret\npay-a,A,commercial,x\n".utf8)).first == "line 1: secret")
            #expect(try await Self.refusal(store, Array("".utf8)) == ["line 1"])
            // A formula-looking name is stored as text, never evaluated; a control character is refused.
            #expect(try await Self.refusal(store, Array("id,name,kind\npay-a,\"A\u{7}B\",commercial\n".utf8)) == ["line 2, column 2 (name)"])
            #expect(try await store.reference.directory().payers.isEmpty)
        }
    }

    @Test("migration 19 keeps the price each product had, for every earlier date")
    func migrationCarriesPrices() async throws {
        try await TestDatabase.sqlite.withUnmigratedDatabase { db in
            try await Migrator.migrate(db, migrations: Migrator.all.filter { $0.id < 19 })
            try await db.withConnection { sql in
                try await sql.insert(into: "products")
                    .columns("id", "name", "generic_name", "manufacturer", "modality", "list_price_cents", "currency", "journey_template", "manufacturing_days", "indications")
                    .values(SQLBind("prd-old"), SQLBind("Old"), SQLBind("old"), SQLBind("Maker"), SQLBind("gene-therapy"), SQLBind(Int64(310_000_000)),
                            SQLBind("USD"), SQLBind("gene-therapy"), SQLBind(60), SQLBind("x"))
                    .run()
            }
            #expect(try await Migrator.migrate(db).contains("reference data with addresses, codes and dated prices"))
            let store = Store(database: db)
            let product = try #require(try await store.reference.directory(on: Self.day("2000-01-01")).product("prd-old"))
            #expect(product.listPrice == Money(dollars: 3_100_000) && product.modality == .exVivoGeneTherapy)
        }
    }
}
