import SQLKit

extension Schema {
    /// The registry's side of record linkage: each patient's match tokens and CLK (computed
    /// by the mediator from the sealed identifiers), and every source record's link. Only
    /// re-keyed tokens and Bloom filters are stored — nothing here reverses to a name.
    @Sendable static func recordLinkage(_ db: any SQLDatabase) async throws {
        try await db.create(table: "link_tokens")
            .column("rule", type: .text, .notNull)
            .column("token", type: .text, .notNull)
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            // Token first: a link request looks tokens up by value (`token IN (…)`).
            .primaryKey("token", "rule", "patient_id")
            .run()
        try await db.create(table: "link_clks")
            .column("patient_id", type: .text, .primaryKey(autoIncrement: false), .references("patients", "id"))
            .column("clk", type: .text, .notNull)
            .run()
        try await db.create(table: "linked_records")
            .column("source", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("patient_id", type: .text, .references("patients", "id"))
            .column("method", type: .text, .notNull)
            .column("evidence", type: .text, .notNull)
            .column("linked_on", type: .text, .notNull)
            .primaryKey("source", "record_id")
            .run()
        try await db.create(index: "linked_records_by_patient").on("linked_records").column("patient_id").run()
    }
}
