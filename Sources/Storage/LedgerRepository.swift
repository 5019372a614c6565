import CareNetwork
import Contracts
import Core
import Foundation
import SQLKit

/// One run of the settlement engine, as the ledger remembers it.
public struct SettlementRun: Hashable, Sendable, Codable {
    public var id: String
    public var asOf: CalendarDate
    public var startedAt: Date
    public var transactionsPosted: Int
    public var flags: Int
    public var requestedBy: String?

    public init(id: String, asOf: CalendarDate, startedAt: Date, transactionsPosted: Int, flags: Int, requestedBy: String?) {
        self.id = id
        self.asOf = asOf
        self.startedAt = startedAt
        self.transactionsPosted = transactionsPosted
        self.flags = flags
        self.requestedBy = requestedBy
    }
}

/// What one party's account of one kind moved in one calendar month: the ledger summed by
/// the database, so pages can draw balances over time without reading every posting.
public struct LedgerMovement: Hashable, Sendable {
    public var account: LedgerAccount
    public var year: Int
    public var month: Int
    public var currency: Currency
    public var debits: Int64
    public var credits: Int64

    public init(account: LedgerAccount, year: Int, month: Int, currency: Currency, debits: Int64, credits: Int64) {
        self.account = account
        self.year = year
        self.month = month
        self.currency = currency
        self.debits = debits
        self.credits = credits
    }
}

/// The mediator's double-entry ledger: append-only transactions, each with balanced entries.
///
/// Nothing here edits or deletes a posting. Keys are unique, so a posting computed twice
/// (a re-run, two servers settling at once) is stored once; a correction is a new posting
/// that reverses the old one, made by the engine.
public protocol LedgerRepository: Sendable {
    /// Appends `transactions` and records the run, in one transaction: all or nothing.
    func post(_ transactions: [LedgerTransaction], run: SettlementRun) async throws
    /// Every posting, in the order posted.
    func transactions() async throws -> [LedgerTransaction]
    /// Postings that touch `party`'s accounts, in the order posted.
    func transactions(touching party: Party) async throws -> [LedgerTransaction]
    /// Debits and credits per account, summed by the database.
    func trialBalance() async throws -> TrialBalance
    func runs(limit: Int) async throws -> [SettlementRun]
    func runCount() async throws -> Int
    func count() async throws -> Int
    /// Debits and credits per account and calendar month, oldest month first.
    func monthlyMovements() async throws -> [LedgerMovement]
    /// Records payments that settle postings, all or nothing (``Payment``); throws
    /// ``PaymentsRefused`` with every problem when any is refused.
    func record(_ payments: [Payment], recordedBy: String?, now: Date) async throws -> [RecordedPayment]
    /// Payments `party` made or received (every payment when `nil`), newest first.
    func payments(involving party: Party?, limit: Int) async throws -> [RecordedPayment]
}

public struct SQLLedgerRepository: LedgerRepository {
    let database: Database
    /// Where the ledger's head is recorded after each commit that posts (``LedgerHead``).
    let checkpoint: HeadCheckpoint

    public init(database: Database, checkpoint: HeadCheckpoint) {
        self.database = database
        self.checkpoint = checkpoint
    }

    public func post(_ transactions: [LedgerTransaction], run: SettlementRun) async throws {
        let keys = checkpoint.keys
        let heads = try await database.transaction { db in
            if database.dialect == .postgres {
                // One settlement at a time across servers; the unique keys would refuse a
                // duplicate anyway, but waiting is kinder than failing.
                try await db.raw("SELECT pg_advisory_xact_lock(7340022)").run()
            }
            let postingKeys = transactions.map(\.key.rawValue)
            for start in stride(from: 0, to: postingKeys.count, by: 500) {
                let chunk = Array(postingKeys[start..<min(postingKeys.count, start + 500)])
                if let clash = try await db.select().column("key").from("ledger_transactions").where("key", .in, chunk).first() {
                    throw StorageError.conflict("posting '\(try clash.string("key"))' is already in the ledger; settle again to post only what is missing")
                }
            }
            let before = try await LedgerHead.read(in: db, keys: keys)
            try await Self.write(transactions, run: run, into: db)
            return (before, try await LedgerHead.read(in: db, keys: keys))
        }
        // After the commit: a checkpoint ahead of the database would report rolled-back postings missing.
        await checkpoint.advanceLedger(from: heads.0, to: heads.1, reading: database)
    }

    /// Appends postings and their run inside the caller's transaction.
    static func write(_ transactions: [LedgerTransaction], run: SettlementRun, into db: any SQLDatabase) async throws {
        try await write(transactions, runID: run.id, into: db)
        try await write(run, inputs: nil, into: db)
    }

    /// Appends postings inside the caller's transaction, after every posting already there.
    static func write(_ transactions: [LedgerTransaction], runID: String, into db: any SQLDatabase) async throws {
        guard !transactions.isEmpty else { return }
        let bodies = transactions.map(LedgerJSON.encode)
        let first = try await nextSequence(in: db)
        var transactionRows: [[any SQLExpression]] = []
        var entryRows: [[any SQLExpression]] = []
        transactionRows.reserveCapacity(transactions.count)
        for (index, transaction) in transactions.enumerated() {
            let slot = transaction.key.slot
            transactionRows.append([
                SQLBind(transaction.key.rawValue), SQLBind(first + Int64(index)), SQLBind(transaction.date.description),
                SQLBind(transaction.effectiveOn.description), SQLBind(transaction.category.rawValue),
                bind(slot?.contractID.rawValue), bind(slot?.patientID.rawValue), SQLBind(runID), SQLBind(bodies[index]),
            ])
            for (line, entry) in transaction.entries.enumerated() {
                entryRows.append([
                    SQLBind(first + Int64(index)), SQLBind(line), SQLBind(entry.account.party.code), SQLBind(entry.account.kind.rawValue),
                    SQLBind(entry.signedMinorUnits), SQLBind(entry.amount.currency.rawValue), SQLBind(transaction.date.description),
                ])
            }
        }
        try await insertChunked(db, into: "ledger_transactions",
                                columns: transactionColumns, rows: transactionRows)
        try await insertChunked(db, into: "ledger_entries",
                                columns: entryColumns, rows: entryRows)
    }

    static let transactionColumns = ["key", "sequence", "date", "effective_on", "category", "contract_id", "patient_id", "run_id", "body"]
    static let entryColumns = ["transaction_sequence", "line", "party", "account_kind", "amount_cents", "currency", "date"]

    /// The sequence the next posting gets.
    static func nextSequence(in db: any SQLDatabase) async throws -> Int64 {
        let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("sequence")), as: "n").from("ledger_transactions").first()
        return (try last.flatMap { try $0.decodeNil(column: "n") ? nil : try $0.int64("n") } ?? 0) + 1
    }

    /// Records a run; `inputs` identifies what a settlement run read (see ``SettlementService``).
    static func write(_ run: SettlementRun, inputs: String?, into db: any SQLDatabase) async throws {
        try await db.insert(into: "settlement_runs")
            .columns("id", "as_of", "started_at", "transactions_posted", "flags", "requested_by", "inputs")
            .values(SQLBind(run.id), SQLBind(run.asOf.description), SQLBind(SQLIdentityRepository.stamp(run.startedAt)),
                    SQLBind(run.transactionsPosted), SQLBind(run.flags), bind(run.requestedBy), bind(inputs))
            .run()
    }

    /// The postings of the patients whose IDs fall in the range, in posting order.
    static func transactions(ofPatientsFrom first: String, through last: String, in db: any SQLDatabase) async throws -> [LedgerTransaction] {
        let decoder = JSONDecoder()
        return try await db.select().columns(readColumns).from("ledger_transactions")
            .where("patient_id", .greaterThanOrEqual, first).where("patient_id", .lessThanOrEqual, last)
            .orderBy("sequence").all().map { try decode($0, using: decoder) }
    }

    /// ``transactions(ofPatientsFrom:through:in:)`` for a settlement on SQLite (``TextRows``).
    static func transactions(ofPatientsFrom first: String, through last: String, in handle: SQLiteHandle) async throws -> [LedgerTransaction] {
        let decoder = JSONDecoder()
        return try await TextRows.select(
            readColumns.map(\.string), "ledger_transactions WHERE patient_id >= ? AND patient_id <= ? ORDER BY sequence", [first, last], in: handle
        ) { try decode($0, using: decoder) }
    }

    public func transactions() async throws -> [LedgerTransaction] {
        try await database.withConnection { db in
            let decoder = JSONDecoder()
            return try await db.select().columns(Self.readColumns).from("ledger_transactions").orderBy("sequence").all().map { try Self.decode($0, using: decoder) }
        }
    }

    public func transactions(touching party: Party) async throws -> [LedgerTransaction] {
        try await database.withConnection { db in try await Self.transactions(touching: party, in: db) }
    }

    /// Postings that touch `party`'s accounts, in the order posted, inside the caller's transaction.
    static func transactions(touching party: Party, in db: any SQLDatabase) async throws -> [LedgerTransaction] {
        let decoder = JSONDecoder()
        return try await db.select().columns(Self.readColumns).from("ledger_transactions")
            .where(SQLIdentifier("sequence"), .in, SQLGroupExpression(
                db.select().distinct().column("transaction_sequence").from("ledger_entries").where("party", .equal, party.code).query))
            .orderBy("sequence").all().map { try Self.decode($0, using: decoder) }
    }

    public func trialBalance() async throws -> TrialBalance {
        let rows = try await database.withConnection { db in
            try await db.raw("""
                SELECT party, account_kind, currency,
                       CAST(SUM(CASE WHEN amount_cents > 0 THEN amount_cents ELSE 0 END) AS BIGINT) AS debits,
                       CAST(SUM(CASE WHEN amount_cents < 0 THEN -amount_cents ELSE 0 END) AS BIGINT) AS credits
                FROM ledger_entries GROUP BY party, account_kind, currency ORDER BY party, account_kind, currency
                -- PostgreSQL's SUM of bigint is numeric; the cast keeps it an exact 64-bit integer.
                """).all()
        }
        let lines = try rows.map { row -> TrialBalance.Line in
            let party = try row.string("party"), kind = try row.string("account_kind"), currency = Currency(rawValue: try row.string("currency"))
            guard let account = LedgerAccount(code: "\(party):\(kind)") else { throw StorageError.corrupt("ledger account '\(party):\(kind)'") }
            return TrialBalance.Line(account: account, debits: Money(minorUnits: try row.int64("debits"), currency: currency),
                                     credits: Money(minorUnits: try row.int64("credits"), currency: currency))
        }
        var balance = TrialBalance([])
        balance.lines = lines
        return balance
    }

    public func runs(limit: Int) async throws -> [SettlementRun] {
        try await database.withConnection { db in
            try await db.select().column("*").from("settlement_runs").orderBy("started_at", .descending).orderBy("id", .descending).limit(limit).all()
                .map { row in
                    guard let started = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(try row.string("started_at")) else {
                        throw StorageError.corrupt("settlement run timestamp")
                    }
                    return SettlementRun(id: try row.string("id"), asOf: try row.date("as_of"), startedAt: started,
                                         transactionsPosted: try row.int("transactions_posted"), flags: try row.int("flags"),
                                         requestedBy: try row.optionalString("requested_by"))
                }
        }
    }

    public func runCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("settlement_runs").first()?.int("n") ?? 0
        }
    }

    public func monthlyMovements() async throws -> [LedgerMovement] {
        let rows = try await database.withConnection { db in
            try await db.raw("""
                SELECT party, account_kind, substr(date, 1, 7) AS month, currency,
                       CAST(SUM(CASE WHEN amount_cents > 0 THEN amount_cents ELSE 0 END) AS BIGINT) AS debits,
                       CAST(SUM(CASE WHEN amount_cents < 0 THEN -amount_cents ELSE 0 END) AS BIGINT) AS credits
                FROM ledger_entries GROUP BY party, account_kind, substr(date, 1, 7), currency
                ORDER BY month, party, account_kind, currency
                """).all()
        }
        return try rows.map { row in
            let party = try row.string("party"), kind = try row.string("account_kind"), month = try row.string("month")
            let parts = month.split(separator: "-").compactMap { Int($0) }
            guard let account = LedgerAccount(code: "\(party):\(kind)"), parts.count == 2 else {
                throw StorageError.corrupt("ledger movement \(party):\(kind) in '\(month)'")
            }
            return LedgerMovement(account: account, year: parts[0], month: parts[1], currency: Currency(rawValue: try row.string("currency")),
                                  debits: try row.int64("debits"), credits: try row.int64("credits"))
        }
    }

    public func count() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("ledger_transactions").first()?.int("n") ?? 0
        }
    }

    /// What a read needs of a posting's row: the body and the columns it leaves out.
    static let readColumns = ["key", "date", "effective_on", "category", "body"].map { SQLIdentifier($0) }

    static func decode(_ row: any SQLRow, using decoder: JSONDecoder) throws -> LedgerTransaction {
        do {
            return try LedgerJSON.decode(
                key: try row.string("key"), date: try row.string("date"), effectiveOn: try row.string("effective_on"),
                category: try row.string("category"), body: try row.string("body"), using: decoder)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.corrupt("a ledger posting does not decode: \(error)")
        }
    }
}
