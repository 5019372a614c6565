import Foundation
import SQLKit

/// One step in the evolution of the schema. Steps run in `id` order, each in its own
/// transaction, and are recorded in `curepath_migrations` so that each runs exactly once.
public struct Migration: Sendable {
    public var id: Int
    public var name: String
    /// The step, given the database and the keys personal identifiers are sealed with.
    public var apply: @Sendable (any SQLDatabase, IdentityKeyring) async throws -> Void

    public init(id: Int, name: String, apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.id = id
        self.name = name
        self.apply = { db, _ in try await apply(db) }
    }

    /// A step that seals identifiers already stored in clear, and so needs the identity keys
    /// (which come from configuration, never from the database).
    public init(id: Int, name: String, sealing apply: @escaping @Sendable (any SQLDatabase, IdentityKeyring) async throws -> Void) {
        self.id = id
        self.name = name
        self.apply = apply
    }
}

/// Applies the ordered migrations that have not run yet.
public enum Migrator {
    /// Every migration, oldest first. Append; never edit or reorder a released step.
    public static let all: [Migration] = [
        Migration(id: 1, name: "reference data", apply: Schema.referenceData),
        Migration(id: 2, name: "cases and journey events", apply: Schema.journey),
        Migration(id: 3, name: "custody log", apply: Schema.custody),
        Migration(id: 4, name: "identities and audit log", apply: Schema.identities),
        Migration(id: 5, name: "data generation counter", apply: Schema.dataGeneration),
        Migration(id: 6, name: "patient registrations", apply: Schema.patientRegistrations),
        Migration(id: 7, name: "outcome events", apply: Schema.outcomeEvents),
        Migration(id: 8, name: "contracts and the ledger", apply: Schema.contractsAndLedger),
        Migration(id: 9, name: "settlement in batches", apply: Schema.settlementBatches),
        Migration(id: 10, name: "prior authorization", apply: Schema.priorAuthorization),
        Migration(id: 11, name: "single-case agreements", apply: Schema.agreements),
        Migration(id: 12, name: "toxicity grades on outcome events", apply: Schema.toxicityGrades),
        Migration(id: 13, name: "record linkage", apply: Schema.recordLinkage),
        Migration(id: 14, name: "ledger entries by party in posting order", apply: Schema.ledgerEntriesInPostingOrder),
        Migration(id: 15, name: "patient referrals", apply: Schema.patientReferrals),
        Migration(id: 16, name: "keyed MACs on the audit and custody chains", apply: Schema.chainMACs),
        Migration(id: 18, name: "member IDs sealed apart from coverage periods", sealing: Schema.sealedMemberIDs),
        Migration(id: 19, name: "reference data with addresses, codes and dated prices", apply: Schema.referenceHistory),
        Migration(id: 20, name: "filed journey templates", apply: Schema.journeyTemplates),
        Migration(id: 21, name: "recorded payments", apply: Schema.payments),
        Migration(id: 22, name: "link reviews and contract proposals", apply: Schema.reviewsAndProposals),
    ]

    /// Brings the schema up to date; returns the names of the steps applied.
    ///
    /// Safe to run from several servers at once on PostgreSQL: a transaction-scoped advisory
    /// lock makes the others wait, then find nothing left to do. `identityKeys` seal what a
    /// step moves out of the clear; pass the configured ones (the default is the published
    /// development key, like ``Store/open(_:identityKeys:decisionClocks:linkageKeys:logger:)``'s).
    @discardableResult
    public static func migrate(
        _ database: Database, migrations: [Migration] = Migrator.all, identityKeys: IdentityKeyring = .development
    ) async throws -> [String] {
        try await database.withConnection { db in
            try await db.create(table: "curepath_migrations").ifNotExists()
                .column("id", type: .int, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .text, .notNull)
                .run()
        }
        var applied: [String] = []
        for migration in migrations.sorted(by: { $0.id < $1.id }) {
            let ran = try await database.transaction { db -> Bool in
                if database.dialect == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(7340021)").run()
                }
                let done = try await db.select().column("id").from("curepath_migrations")
                    .where("id", .equal, migration.id).first()
                guard done == nil else { return false }
                try await migration.apply(db, identityKeys)
                try await db.insert(into: "curepath_migrations")
                    .columns("id", "name", "applied_at")
                    .values(SQLBind(migration.id), SQLBind(migration.name), SQLBind(ISO8601DateFormatter().string(from: Date())))
                    .run()
                return true
            }
            if ran { applied.append(migration.name) }
        }
        if migrations.contains(where: { $0.id == 5 }) { database.changes.startTrackingStoredGeneration() }
        return applied
    }
}
