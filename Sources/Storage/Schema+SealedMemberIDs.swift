import CareNetwork
import SQLKit

extension Schema {
    /// Member IDs leave `coverage_periods` for a table of their own, sealed like the other
    /// identifiers (``IdentityKeyring``, AES-256-GCM, each bound to its coverage period).
    ///
    /// A member ID names a person to the payer as surely as a name does, yet it sat in clear
    /// next to the dates every settlement reads. Keeping it apart also keeps the settlement's
    /// bulk read of coverage (a million patients' periods per run) free of ciphertext it never
    /// needs: that read touches `coverage_periods` only. Existing rows are sealed here, in the
    /// migration's transaction, and the clear column is dropped.
    @Sendable static func sealedMemberIDs(_ db: any SQLDatabase, keys: IdentityKeyring) async throws {
        try await db.create(table: "coverage_members")
            .column("coverage_id", type: .text, .primaryKey(autoIncrement: false), .references("coverage_periods", "id"))
            .column("key_id", type: .text, .notNull)
            .column("sealed", type: .text, .notNull)
            .run()
        var after = ""
        // In pages by coverage ID, so a million-patient database is sealed in bounded memory.
        while true {
            let page = try await db.select().column("id").column("member_id").from("coverage_periods")
                .where("id", .greaterThan, after).orderBy("id").limit(10_000).all()
            guard let last = page.last else { break }
            let rows: [[any SQLExpression]] = try page.map { row in
                let coverage = CoveragePeriodID(try row.string("id"))
                let (keyID, sealed) = try keys.seal(memberID: try row.string("member_id"), of: coverage)
                return [SQLBind(coverage.rawValue), SQLBind(keyID), SQLBind(sealed)]
            }
            try await insertChunked(db, into: "coverage_members", columns: ["coverage_id", "key_id", "sealed"], rows: rows)
            after = try last.string("id")
        }
        try await db.raw("ALTER TABLE \(ident: "coverage_periods") DROP COLUMN \(ident: "member_id")").run()
    }
}
