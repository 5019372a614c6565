import SQLKit

extension Schema {
    /// Criteria sets (as their files), clinical facts (every version kept), prior-authorization
    /// requests and their transitions.
    @Sendable static func priorAuthorization(_ db: any SQLDatabase) async throws {
        try await db.create(table: "criteria_sets")
            .column("set_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("owner", type: .text, .notNull)
            .column("product_id", type: .text, .notNull)
            .column("basis", type: .text, .notNull)
            .column("effective_from", type: .text, .notNull)
            .column("effective_to", type: .text)
            .column("document", type: .text, .notNull)
            .primaryKey("set_id", "version")
            .run()
        // Clinical facts are replaced as a whole by each entry or import; older versions stay,
        // so an old evaluation can be reproduced from the facts it saw.
        try await db.create(table: "clinical_facts")
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("version", type: .int, .notNull)
            .column("facts", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .column("recorded_at", type: .text, .notNull)
            .column("recorded_by", type: .text)
            .primaryKey("patient_id", "version")
            .run()
        // One row per request, kept current as transitions are applied, so the work queue is
        // one indexed read; `body` is the full request with its history.
        try await db.create(table: "prior_authorizations")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("case_id", type: .text, .notNull, .references("cases", "id"))
            .column("patient_id", type: .text, .notNull)
            .column("center_id", type: .text, .notNull)
            .column("payer_id", type: .text, .notNull)
            .column("plan_type", type: .text, .notNull)
            .column("service", type: .text, .notNull)
            .column("urgency", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("open", type: .int, .notNull)
            // Seconds since 1970. `queue_order` is the due time for requests awaiting a decision on
            // a running clock and a large number otherwise (paused, then drafts), so one ascending
            // index serves the queue's order and its overdue and due-soon counts as index ranges.
            .column("queue_order", type: .bigint, .notNull)
            .column("due_at", type: .bigint)
            .column("due_soon_at", type: .bigint)
            .column("paused", type: .int, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("body", type: .text, .notNull)
            .run()
        try await db.create(index: "prior_authorizations_by_center").on("prior_authorizations").column("center_id").column("open").column("queue_order").column("id").column("due_soon_at").run()
        try await db.create(index: "prior_authorizations_by_payer").on("prior_authorizations").column("payer_id").column("open").column("queue_order").column("id").column("due_soon_at").run()
        try await db.create(index: "prior_authorizations_open").on("prior_authorizations").column("open").column("queue_order").column("id").column("due_soon_at").run()
        try await db.create(index: "prior_authorizations_by_case").on("prior_authorizations").column("case_id").run()
        try await db.create(table: "prior_authorization_transitions")
            .column("request_id", type: .text, .notNull, .references("prior_authorizations", "id"))
            .column("sequence", type: .int, .notNull)
            .column("transition_id", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .primaryKey("request_id", "sequence")
            .run()
    }
}
