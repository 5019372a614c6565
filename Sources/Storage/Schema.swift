import SQLKit

/// The tables, one function per migration. Dates are `YYYY-MM-DD` text (sortable and the
/// same in both databases), money is integer cents, enumerations are their raw strings.
///
/// Personal identifiers have a table of their own (`patient_identifiers`); every other
/// table refers to a patient by internal ID only.
enum Schema {
    @Sendable static func referenceData(_ db: any SQLDatabase) async throws {
        try await db.create(table: "centers")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("city", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("time_zone", type: .text, .notNull)
            .column("accreditations", type: .text, .notNull)
            .column("workflow", type: .text, .notNull)
            .run()
        try await db.create(table: "payers")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("state", type: .text)
            .run()
        try await db.create(table: "plans")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("payer_id", type: .text, .notNull, .references("payers", "id"))
            .column("name", type: .text, .notNull)
            .column("type", type: .text, .notNull)
            .run()
        try await db.create(table: "products")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("generic_name", type: .text, .notNull)
            .column("manufacturer", type: .text, .notNull)
            .column("modality", type: .text, .notNull)
            .column("list_price_cents", type: .bigint, .notNull)
            .column("currency", type: .text, .notNull)
            .column("journey_template", type: .text, .notNull)
            .column("manufacturing_days", type: .int, .notNull)
            .column("indications", type: .text, .notNull)
            .run()
        try await db.create(table: "patients")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("birth_year", type: .int, .notNull)
            .column("sex", type: .text, .notNull)
            .run()
        // AES-GCM sealed identifiers (IdentityKeyring): no name, date or address in clear.
        try await db.create(table: "patient_identifiers")
            .column("patient_id", type: .text, .primaryKey(autoIncrement: false), .references("patients", "id"))
            .column("key_id", type: .text, .notNull)
            .column("sealed", type: .text, .notNull)
            .run()
        try await db.create(table: "coverage_periods")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("payer_id", type: .text, .notNull, .references("payers", "id"))
            .column("plan_id", type: .text, .notNull, .references("plans", "id"))
            .column("member_id", type: .text, .notNull)
            .column("start_date", type: .text, .notNull)
            .column("end_date", type: .text)
            .run()
        try await db.create(index: "coverage_periods_patient").on("coverage_periods").column("patient_id").run()
    }

    @Sendable static func journey(_ db: any SQLDatabase) async throws {
        try await db.create(table: "cases")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("product_id", type: .text, .notNull, .references("products", "id"))
            .column("center_id", type: .text, .notNull, .references("centers", "id"))
            .column("payer_id", type: .text, .notNull, .references("payers", "id"))
            .column("template_id", type: .text, .notNull)
            .column("referral_date", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("loss_reason", type: .text)
            .column("closed_on", type: .text)
            .column("current_stages", type: .text, .notNull)
            // The CaseSummary intervals in SummaryEncoding's compact form.
            .column("intervals", type: .text, .notNull)
            .column("event_count", type: .int, .notNull)
            .run()
        for column in ["status", "center_id", "payer_id", "product_id", "referral_date"] {
            try await db.create(index: "cases_\(column)").on("cases").column(column).run()
        }
        try await db.create(table: "journey_events")
            .column("case_id", type: .text, .notNull, .references("cases", "id"))
            .column("sequence", type: .int, .notNull)
            .column("id", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("stage", type: .text)
            .column("event_date", type: .text, .notNull)
            .column("reason", type: .text)
            .column("loss_reason", type: .text)
            .column("at_risk_override", type: .text)
            .column("note", type: .text)
            .column("recorded_at", type: .text, .notNull)
            .primaryKey("case_id", "sequence")
            .run()
        try await db.create(index: "journey_events_id").unique().on("journey_events").column("id").run()
    }

    @Sendable static func custody(_ db: any SQLDatabase) async throws {
        try await db.create(table: "custody_entries")
            .column("case_id", type: .text, .notNull, .references("cases", "id"))
            .column("sequence", type: .int, .notNull)
            .column("kind", type: .text, .notNull)
            .column("occurred_at", type: .text, .notNull)
            .column("party", type: .text, .notNull)
            .column("collection_id", type: .text, .notNull)
            .column("lot", type: .text)
            .column("note", type: .text)
            .column("previous_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .primaryKey("case_id", "sequence")
            .run()
    }

    /// One row counting committed writes across every process (see ``ChangeTracker``).
    @Sendable static func dataGeneration(_ db: any SQLDatabase) async throws {
        try await db.create(table: "data_generation")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("value", type: .bigint, .notNull)
            .run()
        try await db.insert(into: "data_generation").columns("id", "value").values(SQLBind(1), SQLBind(Int64(0))).run()
    }

    /// Which organization registered a patient through the API, so it (and no other
    /// center) can see the patient before a case or coverage links them.
    @Sendable static func patientRegistrations(_ db: any SQLDatabase) async throws {
        try await db.create(table: "patient_registrations")
            .column("patient_id", type: .text, .primaryKey(autoIncrement: false), .references("patients", "id"))
            .column("organization_id", type: .text, .notNull, .references("organizations", "id"))
            .run()
    }

    /// Outcome events, append-only: a correction is a new row naming the one it supersedes.
    @Sendable static func outcomeEvents(_ db: any SQLDatabase) async throws {
        try await db.create(table: "outcome_events")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("date", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("reason", type: .text)
            .column("test", type: .text)
            .column("value", type: .text)
            .column("unit", type: .text)
            .column("source", type: .text, .notNull)
            .column("recorded_on", type: .text, .notNull)
            .column("corrects", type: .text)
            .run()
        try await db.create(index: "outcome_events_by_patient").on("outcome_events").column("patient_id").column("date").run()
    }

    /// Contract versions as their original files; treated patients under them; the ledger
    /// (transactions with their balanced entries, append-only) and the settlement runs.
    @Sendable static func contractsAndLedger(_ db: any SQLDatabase) async throws {
        try await db.create(table: "contracts")
            .column("contract_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("product_id", type: .text, .notNull)
            .column("effective_from", type: .text, .notNull)
            .column("effective_to", type: .text)
            .column("document", type: .text, .notNull)
            .primaryKey("contract_id", "version")
            .run()
        try await db.create(table: "treated_patients")
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("contract_id", type: .text, .notNull)
            .column("product_id", type: .text, .notNull)
            .column("infusion_date", type: .text, .notNull)
            .column("paying_payer", type: .text, .notNull)
            .column("center_id", type: .text)
            .primaryKey("patient_id", "contract_id")
            .run()
        // Postings are appended in `sequence` order, so the sequence is the primary key (SQLite's
        // rowid: every insert goes to the end of the B-tree); the key's uniqueness is what makes
        // a posting computed twice be stored once.
        try await db.create(table: "ledger_transactions")
            .column("sequence", type: .bigint, .primaryKey(autoIncrement: false))
            .column("key", type: .text, .notNull, .unique)
            .column("date", type: .text, .notNull)
            .column("effective_on", type: .text, .notNull)
            .column("category", type: .text, .notNull)
            .column("contract_id", type: .text)
            .column("patient_id", type: .text)
            .column("run_id", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .run()
        // Entries are written only together with their transaction (LedgerRepository), in the
        // same database transaction; they are read by party, never looked up one by one.
        try await db.create(table: "ledger_entries")
            .column("transaction_sequence", type: .bigint, .notNull)
            .column("line", type: .int, .notNull)
            .column("party", type: .text, .notNull)
            .column("account_kind", type: .text, .notNull)
            // Debit positive, credit negative: every transaction's entries sum to zero.
            .column("amount_cents", type: .bigint, .notNull)
            .column("currency", type: .text, .notNull)
            .column("date", type: .text, .notNull)
            .run()
        try await db.create(index: "ledger_entries_by_party").on("ledger_entries").column("party").column("date").run()
        try await db.create(table: "settlement_runs")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("as_of", type: .text, .notNull)
            .column("started_at", type: .text, .notNull)
            .column("transactions_posted", type: .int, .notNull)
            .column("flags", type: .int, .notNull)
            .column("requested_by", type: .text)
            .run()
    }

    /// Entries are read by party (a party's postings), never by party and date, so the index
    /// need not be by date: by party in posting order, a settlement's entries are appended at
    /// the end of each party's run instead of at some forty thousand places (party × date)
    /// across an index of millions, which made a large settlement's writes random once the
    /// index outgrew the page cache (docs/PERFORMANCE.md).
    @Sendable static func ledgerEntriesInPostingOrder(_ db: any SQLDatabase) async throws {
        try await db.drop(index: "ledger_entries_by_party").run()
        try await db.create(index: "ledger_entries_by_party_in_order").on("ledger_entries").column("party").column("transaction_sequence").run()
    }

    /// Lets a settlement read one batch of patients' postings, and remember what it read.
    @Sendable static func settlementBatches(_ db: any SQLDatabase) async throws {
        try await db.create(index: "ledger_transactions_by_patient").on("ledger_transactions").column("patient_id").run()
        try await db.alter(table: "settlement_runs").column("inputs", type: .text).run()
    }

    @Sendable static func identities(_ db: any SQLDatabase) async throws {
        try await db.create(table: "organizations")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("center_id", type: .text, .references("centers", "id"))
            .column("payer_id", type: .text, .references("payers", "id"))
            .column("manufacturer", type: .text)
            .run()
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("organization_id", type: .text, .notNull, .references("organizations", "id"))
            .column("email", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("role", type: .text, .notNull)
            // bcrypt; never the password.
            .column("password_hash", type: .text, .notNull)
            .column("disabled", type: .int, .notNull)
            .run()
        try await db.create(table: "api_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            // SHA-256 of the secret; the secret itself is shown once and never stored.
            .column("secret_hash", type: .text, .notNull, .unique)
            .column("scopes", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .column("revoked_at", type: .text)
            .run()
        try await db.create(table: "sessions")
            .column("id_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("csrf_token", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .run()
        try await db.create(table: "audit_log")
            .column("sequence", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at_ms", type: .bigint, .notNull)
            .column("user_id", type: .text)
            .column("organization_id", type: .text)
            .column("action", type: .text, .notNull)
            .column("object", type: .text, .notNull)
            .column("outcome", type: .text, .notNull)
            .column("request_id", type: .text)
            .column("detail", type: .text)
            .column("previous_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        for column in ["user_id", "organization_id", "action", "at_ms"] {
            try await db.create(index: "audit_log_\(column)").on("audit_log").column(column).run()
        }
    }
}
