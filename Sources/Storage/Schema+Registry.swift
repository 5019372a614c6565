import SQLKit

extension Schema {
    /// CRS, ICANS and infection events carry a grade; older rows have none, which is right:
    /// no kind before this migration had one.
    @Sendable static func toxicityGrades(_ db: any SQLDatabase) async throws {
        try await db.alter(table: "outcome_events").column("grade", type: .int).run()
    }
}
