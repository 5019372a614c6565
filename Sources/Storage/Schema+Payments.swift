import SQLKit

extension Schema {
    /// Recorded payments: one row per payment, beside its posting in the ledger.
    ///
    /// The posting (`ledger_transactions`, key `payment:<payer>/<reference>`) is the record —
    /// its entries, the postings it settles and its place in the sequence the head checkpoint
    /// covers; this table lets a party's payments be listed without reading its whole ledger,
    /// and says who recorded each and when. A reference is unique per payer: two banks may
    /// use the same remittance number, and a payer learns nothing of another's references.
    @Sendable static func payments(_ db: any SQLDatabase) async throws {
        try await db.create(table: "payments")
            .column("transaction_key", type: .text, .primaryKey(autoIncrement: false))
            .column("reference", type: .text, .notNull)
            .column("payer", type: .text, .notNull)
            .column("payee", type: .text, .notNull)
            .column("value_date", type: .text, .notNull)
            .column("currency", type: .text, .notNull)
            .column("amount_cents", type: .bigint, .notNull)
            .column("postings", type: .int, .notNull)
            .column("recorded_by", type: .text)
            .column("recorded_at", type: .text, .notNull)
            .run()
        try await db.create(index: "payments_by_payer").on("payments").column("payer").column("value_date").run()
        try await db.create(index: "payments_by_payee").on("payments").column("payee").column("value_date").run()
    }
}
