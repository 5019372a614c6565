import Access
import Core
import Foundation
import SQLKit

/// Which audit entries to show.
public struct AuditQuery: Hashable, Sendable {
    public var userID: String?
    public var organizationID: String?
    public var action: String?
    public var outcome: AuditOutcome?
    public var limit: Int
    public var offset: Int

    public init(userID: String? = nil, organizationID: String? = nil, action: String? = nil, outcome: AuditOutcome? = nil, limit: Int = 100, offset: Int = 0) {
        self.userID = userID
        self.organizationID = organizationID
        self.action = action
        self.outcome = outcome
        self.limit = limit
        self.offset = offset
    }
}

/// The append-only, hash-chained audit log. There is no update or delete.
public protocol AuditRepository: Sendable {
    /// Appends in a transaction of its own, then advances the head checkpoint.
    @discardableResult
    func append(_ record: AuditRecord) async throws -> AuditEntry
    /// Newest first.
    func entries(_ query: AuditQuery) async throws -> (items: [AuditEntry], total: Int)
    /// The whole chain, in sequence order.
    func chain() async throws -> [AuditEntry]
    /// The chain checked link by link, MAC by MAC under the audit key, and against the head
    /// checkpoint kept outside the database.
    func verify() async throws -> HashChain.Verification
}

public struct SQLAuditRepository: AuditRepository {
    let database: Database
    let checkpoint: HeadCheckpoint

    public init(database: Database, checkpoint: HeadCheckpoint) {
        self.database = database
        self.checkpoint = checkpoint
    }

    public func append(_ record: AuditRecord) async throws -> AuditEntry {
        let keys = checkpoint.keys
        let (entry, previous) = try await database.transaction { db in
            try await Self.appendLinked(record, in: db, dialect: database.dialect, keys: keys)
        }
        // After the commit: a checkpoint ahead of the database would report a rolled-back entry missing.
        await checkpoint.advance([.init(.audit, to: HashChain.Head(count: entry.sequence, mac: entry.mac ?? ""), previous: previous)]) { _, sequence in
            try await database.withConnection { db in
                try await db.select().column("mac").from("audit_log").where("sequence", .equal, sequence).first()?.optionalString("mac")
            }
        }
        return entry
    }

    /// Appends inside the caller's transaction, so a write and its audit entry commit
    /// together. The head checkpoint is not advanced (the caller's transaction may still roll
    /// back); the next append on its own advances it past this entry.
    static func append(_ record: AuditRecord, in db: any SQLDatabase, dialect: Database.Dialect, keys: ChainKeys) async throws -> AuditEntry {
        try await appendLinked(record, in: db, dialect: dialect, keys: keys).entry
    }

    /// ``append(_:in:dialect:keys:)``, with the MAC of the entry before the new one.
    private static func appendLinked(
        _ record: AuditRecord, in db: any SQLDatabase, dialect: Database.Dialect, keys: ChainKeys
    ) async throws -> (entry: AuditEntry, previous: String?) {
        // One appender at a time: the chain has a single tail. SQLite's writer lock already
        // serialises; PostgreSQL needs the advisory lock (held to the end of the transaction).
        if dialect == .postgres { try await db.raw("SELECT pg_advisory_xact_lock(7340022)").run() }
        let last = try await db.select().column("*").from("audit_log").orderBy("sequence", .descending).limit(1).first().map(entry(from:))
        let entry = HashChain.signed(record.entry(after: last), with: keys)
        try await db.insert(into: "audit_log")
            .columns("sequence", "at_ms", "user_id", "organization_id", "action", "object", "outcome", "request_id", "detail", "previous_hash", "hash", "mac")
            .values(
                SQLBind(entry.sequence), SQLBind(entry.atMilliseconds), bind(entry.userID), bind(entry.organizationID),
                SQLBind(entry.action), SQLBind(entry.object), SQLBind(entry.outcome.rawValue), bind(entry.requestID), bind(entry.detail),
                SQLBind(entry.previousHash), SQLBind(entry.hash), bind(entry.mac)
            )
            .run()
        return (entry, last?.mac)
    }

    public func entries(_ query: AuditQuery) async throws -> (items: [AuditEntry], total: Int) {
        try await database.withConnection { db in
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select
                if let user = query.userID { select = select.where("user_id", .equal, user) }
                if let organization = query.organizationID { select = select.where("organization_id", .equal, organization) }
                if let action = query.action { select = select.where("action", .equal, action) }
                if let outcome = query.outcome { select = select.where("outcome", .equal, outcome.rawValue) }
                return select
            }
            let total = try await filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log")).first()?.int("n") ?? 0
            let rows = try await filtered(db.select().column("*").from("audit_log")).orderBy("sequence", .descending)
                .limit(query.limit).offset(query.offset).all()
            return (try rows.map(Self.entry(from:)), total)
        }
    }

    public func verify() async throws -> HashChain.Verification {
        let chain = try await chain()
        return checkpoint.verify(chain, of: .audit)
    }

    public func chain() async throws -> [AuditEntry] {
        try await database.withConnection { db in
            try await db.select().column("*").from("audit_log").orderBy("sequence").all().map(Self.entry(from:))
        }
    }

    static func entry(from row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.int("sequence"), atMilliseconds: try row.int64("at_ms"), userID: try row.optionalString("user_id"),
            organizationID: try row.optionalString("organization_id"), action: try row.string("action"), object: try row.string("object"),
            outcome: AuditOutcome(rawValue: try row.string("outcome")) ?? .failed, requestID: try row.optionalString("request_id"),
            detail: try row.optionalString("detail"), previousHash: try row.string("previous_hash"), hash: try row.string("hash"),
            mac: try row.optionalString("mac")
        )
    }
}
