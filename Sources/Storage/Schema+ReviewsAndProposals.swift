import SQLKit

extension Schema {
    /// Migration 22: a person's decisions where automatic linkage could not decide, and
    /// contracts manufacturers propose for the mediator to file.
    ///
    /// - `link_candidates`: the patients an ambiguous or unmatched record came close to, with
    ///   what agreed (`T2 T3`, `dice 0.742`) — the evidence a reviewer decides on. Replaced
    ///   whenever the record is linked again; never shown to the source.
    /// - `link_reviews`: every accept or reject, who made it and why. Append-only.
    /// - `link_rejections`: the pairs a reviewer said are not the same person; linkage never
    ///   offers them again, as a link or as a candidate.
    /// - `contract_proposals`: the file a manufacturer uploaded, and whether the mediator
    ///   filed it or rejected it (with the reason).
    @Sendable static func reviewsAndProposals(_ db: any SQLDatabase) async throws {
        try await db.create(table: "link_candidates")
            .column("source", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("evidence", type: .text, .notNull)
            .column("score", type: .real, .notNull)
            .primaryKey("source", "record_id", "patient_id")
            .run()
        try await db.create(table: "link_reviews")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("source", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("decision", type: .text, .notNull)
            .column("patient_id", type: .text, .references("patients", "id"))
            .column("reason", type: .text)
            .column("reviewed_by", type: .text, .notNull)
            .column("organization_id", type: .text, .notNull)
            .column("reviewed_at", type: .text, .notNull)
            .run()
        try await db.create(index: "link_reviews_by_record").on("link_reviews").column("source").column("record_id").run()
        try await db.create(table: "link_rejections")
            .column("source", type: .text, .notNull)
            .column("record_id", type: .text, .notNull)
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("review_id", type: .text, .notNull, .references("link_reviews", "id"))
            .primaryKey("source", "record_id", "patient_id")
            .run()
        try await db.create(table: "contract_proposals")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("organization_id", type: .text, .notNull, .references("organizations", "id"))
            .column("manufacturer", type: .text, .notNull)
            .column("contract_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("document", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("proposed_by", type: .text, .notNull)
            .column("proposed_at", type: .text, .notNull)
            .column("decided_by", type: .text)
            .column("decided_at", type: .text)
            .column("reason", type: .text)
            .run()
        try await db.create(index: "contract_proposals_by_organization").on("contract_proposals").column("organization_id").column("status").run()
    }
}
