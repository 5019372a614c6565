import Coverage
import SQLKit

extension Schema {
    /// The term library, templates and single-case agreements (each with every version in its
    /// body). CurePath's starter terms and the network-wide CAR-T template are seeded, so a
    /// center can draft its first SCA on a fresh database.
    @Sendable static func agreements(_ db: any SQLDatabase) async throws {
        try await db.create(table: "agreement_terms")
            .column("term_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("body", type: .text, .notNull)
            .primaryKey("term_id", "version")
            .run()
        try await db.create(table: "agreement_templates")
            .column("template_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("center_id", type: .text)
            .column("body", type: .text, .notNull)
            .primaryKey("template_id", "version")
            .run()
        try await db.create(table: "agreements")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("case_id", type: .text, .notNull, .references("cases", "id"))
            .column("center_id", type: .text, .notNull)
            .column("payer_id", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .column("body", type: .text, .notNull)
            .run()
        try await db.create(index: "agreements_by_case").on("agreements").column("case_id").run()
        try await db.create(index: "agreements_by_parties").on("agreements").column("center_id").column("payer_id").run()
        for term in StandardTerms.library.terms {
            try await db.insert(into: "agreement_terms").columns("term_id", "version", "body")
                .values(SQLBind(term.id.rawValue), SQLBind(term.version), SQLBind(try SQLAgreementRepository.json(term))).run()
        }
        let template = StandardTerms.carTTemplate()
        try await db.insert(into: "agreement_templates").columns("template_id", "version", "center_id", "body")
            .values(SQLBind(template.id.rawValue), SQLBind(template.version), SQLLiteral.null, SQLBind(try SQLAgreementRepository.json(template))).run()
    }
}
