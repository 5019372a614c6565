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
    /// The case's chain checked link by link, MAC by MAC under the audit key, and against the
    /// head checkpoint kept outside the database (which remembers a chain deleted whole).
    func verify(_ caseID: CaseID) async throws -> CustodyChain.Verification
    /// Every chain the database holds or the checkpoint records, by case ID, each verified
    /// as ``verify(_:)`` does; a chain the checkpoint names and the database lacks is there.
    func verifyAll() async throws -> [(caseID: CaseID, verification: CustodyChain.Verification)]
}

/// ``CustodyRepository`` over SQL. There is no update or delete: history changes only by
/// appending, and ``verify(_:)`` catches anyone who edits the table directly.
public struct SQLCustodyRepository: CustodyRepository {
    let database: Database
    let checkpoint: HeadCheckpoint

    public init(database: Database, checkpoint: HeadCheckpoint) {
        self.database = database
        self.checkpoint = checkpoint
    }

    public func append(_ record: CustodyRecord, to caseID: CaseID) async throws -> CustodyEntry {
        let (entry, previous) = try await database.transaction { db in
            guard try await SQLCaseRepository.findCase(caseID, in: db, lock: true) != nil else {
                throw NotFoundError(entity: "case", id: caseID.rawValue)
            }
            let chain = try await Self.chain(of: caseID, in: db)
            // Nothing is appended to a chain that fails verification, so its break stays the
            // first thing anyone sees.
            let verification = checkpoint.verifyBeforeAppending(chain, to: .custody(caseID))
            guard verification.intact else {
                let at = verification.firstBrokenSequence.map { " at entry \($0)" } ?? ""
                throw StorageError.corrupt("custody log of case \(caseID) is broken\(at): \(verification.problem!)")
            }
            let entry = HashChain.signed(try CustodyChain.append(record, to: chain, caseID: caseID), with: checkpoint.keys)
            try await db.insert(into: "custody_entries").columns(Self.columns).values(Self.row(entry)).run()
            return (entry, chain.last?.mac)
        }
        await advance([(entry, previous)])
        return entry
    }

    public func verify(_ caseID: CaseID) async throws -> CustodyChain.Verification {
        checkpoint.verify(try await chain(of: caseID), of: .custody(caseID))
    }

    public func verifyAll() async throws -> [(caseID: CaseID, verification: CustodyChain.Verification)] {
        var ids = Set(try await database.withConnection { db in
            try await db.select().distinct().column("case_id").from("custody_entries").all().map { CaseID(try $0.string("case_id")) }
        })
        if case .heads(let heads) = checkpoint.read() { ids.formUnion(heads.custody.keys.map { CaseID($0) }) }
        var results: [(caseID: CaseID, verification: CustodyChain.Verification)] = []
        for id in ids.sorted(by: { $0.rawValue < $1.rawValue }) { results.append((id, try await verify(id))) }
        return results
    }

    /// Moves the checkpointed heads of the chains these entries now end with.
    private func advance(_ heads: [(entry: CustodyEntry, previous: String?)]) async {
        let database = database
        await checkpoint.advance(heads.map {
            HeadCheckpoint.Step(.custody($0.entry.caseID), to: HashChain.Head(count: $0.entry.sequence, mac: $0.entry.mac ?? ""), previous: $0.previous)
        }) { chain, sequence in
            guard case .custody(let caseID) = chain else { return nil }
            return try await database.withConnection { db in
                try await db.select().column("mac").from("custody_entries").where("case_id", .equal, caseID.rawValue)
                    .where("sequence", .equal, sequence).first()?.optionalString("mac")
            }
        }
    }

    public func chain(of caseID: CaseID) async throws -> [CustodyEntry] {
        try await database.withConnection { db in try await Self.chain(of: caseID, in: db) }
    }

    public func importChains(_ chains: [(caseID: CaseID, records: [CustodyRecord])]) async throws {
        let entries = try Self.prepareChains(chains).map { HashChain.signed($0, with: checkpoint.keys) }
        try await database.transaction { db in try await Self.write(entries, into: db) }
        await recordHeads(of: entries)
    }

    /// Checkpoints the heads of chains just imported (``prepareChains(_:)``, signed), after
    /// their transaction committed: each chain's last entry, linked to the one before it.
    func recordHeads(of entries: [CustodyEntry]) async {
        var heads: [(entry: CustodyEntry, previous: String?)] = []
        for (index, entry) in entries.enumerated() where index + 1 == entries.count || entries[index + 1].caseID != entry.caseID {
            heads.append((entry, entry.sequence > 1 ? entries[index - 1].mac : nil))
        }
        await advance(heads)
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
        try await insertChunked(db, into: "custody_entries", columns: columns, rows: entries.map { row($0) })
    }

    static let columns = ["case_id", "sequence", "kind", "occurred_at", "party", "collection_id", "lot", "note", "previous_hash", "hash", "mac"]

    static func row(_ entry: CustodyEntry) -> [any SQLExpression] {
        [SQLBind(entry.caseID.rawValue), SQLBind(entry.sequence), SQLBind(entry.kind.rawValue), SQLBind(CustodyEntry.timestamp(entry.occurredAt)),
         SQLBind(entry.party), SQLBind(entry.collectionID), bind(entry.lot), bind(entry.note), SQLBind(entry.previousHash), SQLBind(entry.hash),
         bind(entry.mac)]
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
                note: try row.optionalString("note"), previousHash: try row.string("previous_hash"), hash: try row.string("hash"),
                mac: try row.optionalString("mac")
            )
        }
    }
}
