import SQLKit

extension Schema {
    /// Referrals of patients to treatment centers: the documented act that lets a second
    /// center see a patient and open a case. Append-only.
    @Sendable static func patientReferrals(_ db: any SQLDatabase) async throws {
        try await db.create(table: "patient_referrals")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("patient_id", type: .text, .notNull, .references("patients", "id"))
            .column("from_organization_id", type: .text, .notNull, .references("organizations", "id"))
            .column("to_center_id", type: .text, .notNull, .references("centers", "id"))
            .column("referral_date", type: .text, .notNull)
            .column("reason", type: .text)
            .column("recorded_by", type: .text)
            .column("recorded_at", type: .text, .notNull)
            .run()
        // Every visibility check asks "which centers was this patient referred to?".
        try await db.create(index: "patient_referrals_by_patient").on("patient_referrals").column("patient_id").column("to_center_id").run()
    }
}
