import CareNetwork
import Core
import SQLKit

/// The rows of the reference tables, one builder per table, shared by the bulk insert (the
/// demo, imports) and by the operator's adds and updates, so both write the same columns.
extension SQLReferenceRepository {
    static let centerColumns = ["id", "name", "street", "city", "state", "postal_code", "time_zone", "accreditations", "workflow"]
    static func centerRow(_ c: Center) -> [any SQLExpression] {
        [SQLBind(c.id.rawValue), SQLBind(c.name), SQLBind(c.street), SQLBind(c.city), SQLBind(c.state), SQLBind(c.postalCode),
         SQLBind(c.timeZone), SQLBind(c.accreditations.map(\.rawValue).joined(separator: ",")), SQLBind(c.workflow.rawValue)]
    }

    static let payerColumns = ["id", "name", "kind", "state"]
    static func payerRow(_ p: Payer) -> [any SQLExpression] {
        [SQLBind(p.id.rawValue), SQLBind(p.name), SQLBind(p.kind.rawValue), bind(p.state)]
    }

    static let planColumns = ["id", "payer_id", "name", "type", "state"]
    static func planRow(_ p: Plan) -> [any SQLExpression] {
        [SQLBind(p.id.rawValue), SQLBind(p.payerID.rawValue), SQLBind(p.name), SQLBind(p.type.rawValue), bind(p.state)]
    }

    static let productColumns = [
        "id", "name", "generic_name", "manufacturer", "modality", "journey_template", "manufacturing_days", "indications", "ndc", "hcpcs",
    ]
    static func productRow(_ p: Product) -> [any SQLExpression] {
        [SQLBind(p.id.rawValue), SQLBind(p.name), SQLBind(p.genericName), SQLBind(p.manufacturer), SQLBind(p.modality.rawValue),
         SQLBind(p.journeyTemplate), SQLBind(p.typicalManufacturingDays), SQLBind(p.indications), bind(p.ndc), bind(p.hcpcs)]
    }

    static let priceColumns = ["product_id", "effective_from", "minor_units", "currency"]
    static func priceRow(_ product: ProductID, _ price: ListPrice) -> [any SQLExpression] {
        [SQLBind(product.rawValue), SQLBind(price.effectiveFrom.description), SQLBind(price.value.minorUnits), SQLBind(price.value.currency.rawValue)]
    }

    /// Replaces the row `id` of `table` with `values` (every column but the ID).
    static func update(_ table: String, id: String, columns: [String], values: [any SQLExpression], in db: any SQLDatabase) async throws {
        var update = db.update(table)
        for (column, value) in zip(columns, values) where column != "id" { update = update.set(SQLIdentifier(column), to: value) }
        try await update.where("id", .equal, id).run()
    }

    /// Whether `table` has a row `id`.
    static func exists(_ table: String, id: String, in db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("id").from(table).where("id", .equal, id).first() != nil
    }
}
