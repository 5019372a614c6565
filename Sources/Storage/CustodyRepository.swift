import Core
import Foundation
import Journey
import SQLKit

/// The chain of identity and custody of each case's cells.
public protocol CustodyRepository: Sendable {
    /// Validates `record` against the stored chain and appends it, hashed and linked.
    func append(_ record: CustodyRecord, to caseID: CaseID) async throws -> CustodyEntry
    func chain(of caseID: CaseID) async throws -> [CustodyEntry]
    /// Starts the custody logs of many cases in one transaction (demo data, migrations from
    /// another system); every record is validated, and if any is refused nothing is written.
    func importChains(_ chains: [(caseID: CaseID, records: [CustodyRecord])]) async throws
}

/// ``CustodyRepository`` over SQL. There is no update or delete: history changes only by
/// appending, and ``CustodyChain/verify(_:)`` catches anyone who edits the table directly.
public struct SQLCustodyRepository: CustodyRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func append(_ record: CustodyRecord, to caseID: CaseID) async throws -> CustodyEntry {
        try await database.transaction { db in
            guard try await SQLCaseRepository.findCase(caseID, in: db, lock: true) != nil else {
                throw NotFoundError(entity: "case", id: caseID.rawValue)
            }
            let chain = try await Self.chain(of: caseID, in: db)
            let verification = CustodyChain.verify(chain)
            guard verification.intact else {
                throw StorageError.corrupt("custody log of case \(caseID) is broken at entry \(verification.firstBrokenSequence!): \(verification.problem!)")
            }
            let entry = try CustodyChain.append(record, to: chain, caseID: caseID)
            try await db.insert(into: "custody_entries")
                .columns("case_id", "sequence", "kind", "occurred_at", "party", "collection_id", "lot", "note", "previous_hash", "hash")
                .values(Self.row(entry))
                .run()
            return entry
        }
    }

    public func chain(of caseID: CaseID) async throws -> [CustodyEntry] {
        try await database.withConnection { db in try await Self.chain(of: caseID, in: db) }
    }

    public func importChains(_ chains: [(caseID: CaseID, records: [CustodyRecord])]) async throws {
        let entries = try Self.prepareChains(chains)
        try await database.transaction { db in try await Self.write(entries, into: db) }
    }

    /// Links and validates every record before anything is written.
    static func prepareChains(_ chains: [(caseID: CaseID, records: [CustodyRecord])]) throws -> [CustodyEntry] {
        var entries: [CustodyEntry] = []
        for (index, item) in chains.enumerated() {
            var chain: [CustodyEntry] = []
            for (position, record) in item.records.enumerated() {
                do {
                    chain.append(try CustodyChain.append(record, to: chain, caseID: item.caseID))
                } catch {
                    throw ValidationError(issues: error.issues.map {
                        .init(field: "chains[\(index)].records[\(position)].\($0.field)", problem: "case \(item.caseID): \($0.problem)", rule: $0.rule)
                    })
                }
            }
            entries += chain
        }
        return entries
    }

    static func write(_ entries: [CustodyEntry], into db: any SQLDatabase) async throws {
        try await insertChunked(
            db, into: "custody_entries",
            columns: ["case_id", "sequence", "kind", "occurred_at", "party", "collection_id", "lot", "note", "previous_hash", "hash"],
            rows: entries.map { row($0) }
        )
    }

    static func row(_ entry: CustodyEntry) -> [any SQLExpression] {
        [SQLBind(entry.caseID.rawValue), SQLBind(entry.sequence), SQLBind(entry.kind.rawValue), SQLBind(CustodyEntry.timestamp(entry.occurredAt)),
         SQLBind(entry.party), SQLBind(entry.collectionID), bind(entry.lot), bind(entry.note), SQLBind(entry.previousHash), SQLBind(entry.hash)]
    }

    static func chain(of caseID: CaseID, in db: any SQLDatabase) async throws -> [CustodyEntry] {
        let rows = try await db.select().column("*").from("custody_entries").where("case_id", .equal, caseID.rawValue).orderBy("sequence").all()
        return try rows.map { row in
            let text = try row.string("occurred_at")
            guard let occurredAt = try? Date(text, strategy: .iso8601) else { throw StorageError.corrupt("occurred_at '\(text)'") }
            // An unknown kind is kept visible to verification rather than failing the read.
            let kind = CustodyEventKind(rawValue: try row.string("kind")) ?? .handoff
            return CustodyEntry(
                caseID: caseID, sequence: try row.int("sequence"), kind: kind, occurredAt: occurredAt,
                party: try row.string("party"), collectionID: try row.string("collection_id"), lot: try row.optionalString("lot"),
                note: try row.optionalString("note"), previousHash: try row.string("previous_hash"), hash: try row.string("hash")
            )
        }
    }
}
