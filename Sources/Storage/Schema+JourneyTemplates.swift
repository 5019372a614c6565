import SQLKit

extension Schema {
    /// Journey templates a network filed, every version as the file it was read from. A
    /// filed version is never rewritten: a change is a new version, and cases keep the
    /// version they were opened with. The shipped templates are not stored; they come with
    /// the program.
    @Sendable static func journeyTemplates(_ db: any SQLDatabase) async throws {
        try await db.create(table: "journey_templates")
            .column("template_id", type: .text, .notNull)
            .column("version", type: .int, .notNull)
            .column("name", type: .text, .notNull)
            .column("document", type: .text, .notNull)
            .column("filed_by", type: .text)
            .column("filed_at", type: .text, .notNull)
            .primaryKey("template_id", "version")
            .run()
    }
}
