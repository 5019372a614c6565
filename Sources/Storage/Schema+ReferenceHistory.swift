import SQLKit

extension Schema {
    /// Reference data an operator administers, with history: centers get a street address and
    /// ZIP code, plans the state of a Medicaid or CHIP program, products their NDC and HCPCS
    /// codes; list prices and the products each center treats become dated changes.
    ///
    /// A product's single list price moves to `product_prices`, one row per price with the day
    /// it took effect, so a new price never overwrites the one earlier dates read. The price a
    /// product had before history was kept is carried over as effective from 1900-01-01: it is
    /// what every earlier date read. `center_products` keeps each center's list of products
    /// (comma-separated IDs) from the day it took effect; centers recorded before have none.
    @Sendable static func referenceHistory(_ db: any SQLDatabase) async throws {
        try await db.alter(table: "centers").column("street", type: .text, .notNull, .default("")).run()
        try await db.alter(table: "centers").column("postal_code", type: .text, .notNull, .default("")).run()
        try await db.alter(table: "plans").column("state", type: .text).run()
        try await db.alter(table: "products").column("ndc", type: .text).run()
        try await db.alter(table: "products").column("hcpcs", type: .text).run()
        try await db.create(table: "product_prices")
            .column("product_id", type: .text, .notNull, .references("products", "id"))
            .column("effective_from", type: .text, .notNull)
            .column("minor_units", type: .bigint, .notNull)
            .column("currency", type: .text, .notNull)
            .primaryKey("product_id", "effective_from")
            .run()
        try await db.raw("""
            INSERT INTO \(ident: "product_prices") (\(ident: "product_id"), \(ident: "effective_from"), \(ident: "minor_units"), \(ident: "currency"))
            SELECT \(ident: "id"), \(bind: Self.priceHistoryStart), \(ident: "list_price_cents"), \(ident: "currency") FROM \(ident: "products")
            """).run()
        try await db.raw("ALTER TABLE \(ident: "products") DROP COLUMN \(ident: "list_price_cents")").run()
        try await db.raw("ALTER TABLE \(ident: "products") DROP COLUMN \(ident: "currency")").run()
        try await db.create(table: "center_products")
            .column("center_id", type: .text, .notNull, .references("centers", "id"))
            .column("effective_from", type: .text, .notNull)
            .column("products", type: .text, .notNull)
            .primaryKey("center_id", "effective_from")
            .run()
    }

    /// The effective date of prices recorded before price history was kept.
    static let priceHistoryStart = "1900-01-01"
}
