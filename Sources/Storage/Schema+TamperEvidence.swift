import SQLKit

extension Schema {
    /// Each audit and custody entry's hash MACed under the audit key (``ChainKeys``), so that
    /// whoever can write the database cannot rewrite history and re-hash it. Entries recorded
    /// before this step have none; the first keyed entry after them anchors them through the
    /// links (``HashChain/verify(_:keys:checkpoint:)``).
    @Sendable static func chainMACs(_ db: any SQLDatabase) async throws {
        try await db.alter(table: "audit_log").column("mac", type: .text).run()
        try await db.alter(table: "custody_entries").column("mac", type: .text).run()
    }
}
