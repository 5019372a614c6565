import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes
import SQLKit
import SQLiteNIO

/// What one settlement run did.
public struct SettlementReport: Sendable {
    public var run: SettlementRun
    /// The first ``SettlementService/reportedPostings`` postings it added (none on a re-run
    /// with nothing new); `run.transactionsPosted` counts them all.
    public var posted: [LedgerTransaction]
    public var flags: [SettlementFlag]
    /// True when nothing had changed since the last run as of the same date, so the engine
    /// was not run at all.
    public var unchanged: Bool
    /// Whether the batches were read on a second connection beside the writes (a SQLite
    /// file), for tests of that path.
    var readBeside = false
}

/// Runs the settlement engine over what the store holds and appends what it finds missing.
///
/// Treated patients are settled in batches (by patient ID), each batch reading only its own
/// coverage, outcome events and earlier postings, so memory stays bounded however large the
/// book; the whole run is still one transaction, so a run that dies part-way posts nothing
/// and can simply be run again.
///
/// Every input is append-only (contract versions, enrollments, coverage periods, outcome
/// events), so the row counts at the start of a run identify what it saw. A run as of the
/// same date as the last one, over the same counts, would post nothing: it is recorded
/// without running the engine.
public struct SettlementService: Sendable {
    /// Postings kept in the report; a run over a large book posts millions.
    public static let reportedPostings = 1_000

    let store: Store
    let batchSize: Int

    public init(store: Store, batchSize: Int = 20_000) {
        self.store = store
        self.batchSize = max(1, batchSize)
    }

    public func settle(
        asOf: CalendarDate, requestedBy: String?, now: Date = Date(), progress: (@Sendable (_ settled: Int, _ total: Int) -> Void)? = nil
    ) async throws -> SettlementReport {
        let batchSize = batchSize
        let database = store.database
        let keys = store.checkpoint.keys
        let (report, before, after) = try await database.transactionWithSQLite { db, sqlite in
            if database.dialect == .postgres {
                // One settlement at a time across servers.
                try await db.raw("SELECT pg_advisory_xact_lock(7340022)").run()
            }
            let inputs = try await Self.inputs(in: db)
            // The ledger's head before and after the run, for the checkpoint: two reads of
            // the last posting per run, however many it posts.
            let before = try await LedgerHead.read(in: db, keys: keys)
            var run = SettlementRun(
                id: "run-\(asOf)-\(UUID().uuidString.prefix(8).lowercased())", asOf: asOf, startedAt: now, transactionsPosted: 0, flags: 0,
                requestedBy: requestedBy)
            if let last = try await Self.lastRun(in: db), last.asOf == asOf, last.inputs == inputs {
                try await SQLLedgerRepository.write(run, inputs: inputs, into: db)
                return (SettlementReport(run: run, posted: [], flags: [], unchanged: true), before, try await LedgerHead.read(in: db, keys: keys))
            }

            let contracts = try await SQLContractRepository.allVersions(in: db)
            let total = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("treated_patients").first()?.int("n") ?? 0
            var reported: [LedgerTransaction] = []
            var flags: [SettlementFlag] = []
            var settled = 0
            // The run holds the write lock (BEGIN IMMEDIATE on SQLite, the advisory lock on
            // PostgreSQL), so it can number its postings itself.
            var sequence = Int64(before.postings) + 1
            let runID = run.id
            // Three batches in flight: while the engine settles one (this process's work), the
            // one before is written and the one after is read (the database's work). On a file
            // the reads go through a second, read-only connection, so they run beside the
            // writes instead of taking turns with them on the one connection.
            var pending: Batch?
            let handle = sqlite.flatMap(SQLiteHandle.init(connection:))
            let writer = try handle.map(SQLitePostingWriter.init(handle:))
            let snapshot = try handle.flatMap(SQLiteHandle.openSnapshot(beside:))
            // Before the commit: a reader's open snapshot would hold back its checkpoint.
            defer { snapshot?.close() }
            @Sendable func store(_ batch: Batch?) async throws {
                guard let batch else { return }
                if let writer, let bodies = batch.bodies {
                    try await writer.write(batch.result.transactions, bodies: bodies, firstSequence: batch.firstSequence, runID: runID)
                } else {
                    try await SQLLedgerRepository.write(batch.result.transactions, runID: runID, into: db)
                }
            }
            func write(_ batch: Batch) async throws {
                try await store(batch)
                record(batch)
            }
            func record(_ batch: Batch) {
                run.transactionsPosted += batch.result.transactions.count
                if reported.count < Self.reportedPostings { reported += batch.result.transactions.prefix(Self.reportedPostings - reported.count) }
                flags += batch.result.flags
                settled += batch.patients
                progress?(settled, total)
            }
            // One batch's inputs: its patients' enrollments, coverage, outcome events and
            // earlier postings.
            func read(after: String?) async throws -> BatchInputs? {
                if let source = snapshot ?? handle { return try await Self.batch(after: after, limit: batchSize, in: source) }
                guard let (first, last) = try await Self.nextPatients(after: after, limit: batchSize, in: db) else { return nil }
                return BatchInputs(
                    last: last, treated: try await SQLContractRepository.treatedPatients(from: first, through: last, in: db),
                    coverage: try await SQLReferenceRepository.coveragePeriods(from: first, through: last, in: db),
                    outcomes: try await SQLOutcomeRepository.events(from: first, through: last, in: db),
                    posted: try await SQLLedgerRepository.transactions(ofPatientsFrom: first, through: last, in: db))
            }
            let encode = writer != nil
            @Sendable func settle(_ inputs: BatchInputs, from firstSequence: Int64) -> Batch {
                Batch(
                    result: Settlement.run(
                        contracts: contracts, treatedPatients: inputs.treated, coverage: inputs.coverage, outcomes: inputs.outcomes, asOf: asOf,
                        posted: inputs.posted),
                    patients: inputs.treated.count, firstSequence: firstSequence, encode: encode)
            }
            var next = try await read(after: nil)
            while let inputs = next {
                // The next batch's patients are others, so what it reads does not depend on
                // the postings of this one.
                let batch: Batch
                if snapshot != nil {
                    // Two lanes, one per core: the writer writes the last batch while this task
                    // settles this one and then reads the next. (The engine beside the reads as
                    // well made three busy threads for two cores, and slowed the writer.)
                    let previous = pending
                    async let written: Void = store(previous)
                    batch = settle(inputs, from: sequence)
                    next = try await read(after: inputs.last)
                    try await written
                } else {
                    // One connection: the engine settles this batch while the connection
                    // writes the last one and then reads the next.
                    async let settling = settle(inputs, from: sequence)
                    try await store(pending)
                    next = try await read(after: inputs.last)
                    batch = await settling
                }
                if let pending { record(pending) }
                sequence += Int64(batch.result.transactions.count)
                pending = batch
            }
            if let pending { try await write(pending) }
            run.flags = flags.count
            try await SQLLedgerRepository.write(run, inputs: inputs, into: db)
            let report = SettlementReport(run: run, posted: reported, flags: flags, unchanged: false, readBeside: snapshot != nil)
            return (report, before, try await LedgerHead.read(in: db, keys: keys))
        }
        // After the commit: a checkpoint ahead of the database would report rolled-back postings missing.
        await store.checkpoint.advanceLedger(from: before, to: after, reading: database)
        return report
    }

    /// What the engine needs for one batch of patients; `last` is its last patient's ID.
    struct BatchInputs: Sendable {
        var last: String
        var treated: [TreatedPatient]
        var coverage: [CoveragePeriod]
        var outcomes: [OutcomeEvent]
        var posted: [LedgerTransaction]
    }

    /// One batch settled: its postings, numbered from `firstSequence`, and for the SQLite
    /// writer their stored forms, encoded with the engine's work rather than the database's.
    struct Batch: Sendable {
        var result: SettlementResult
        var patients: Int
        var firstSequence: Int64
        var bodies: [String]?

        init(result: SettlementResult, patients: Int, firstSequence: Int64, encode: Bool) {
            self.result = result
            self.patients = patients
            self.firstSequence = firstSequence
            bodies = encode ? result.transactions.map(LedgerJSON.encode) : nil
        }
    }

    /// Every treated unit as the engine sees it as of `asOf` — billed, outstanding and
    /// cancelled installments, returns, net price and outcome tiers — read in the same batches
    /// as a settlement, without posting anything. The net-price report and the mediator's
    /// outstanding-installments table read this.
    public func units(asOf: CalendarDate) async throws -> [UnitSettlement] {
        let batchSize = batchSize
        return try await store.database.withConnection { db in
            let contracts = try await SQLContractRepository.allVersions(in: db)
            var units: [UnitSettlement] = []
            var after: String?
            while let (first, last) = try await Self.nextPatients(after: after, limit: batchSize, in: db) {
                let result = Settlement.run(
                    contracts: contracts, treatedPatients: try await SQLContractRepository.treatedPatients(from: first, through: last, in: db),
                    coverage: try await SQLReferenceRepository.coveragePeriods(from: first, through: last, in: db),
                    outcomes: try await SQLOutcomeRepository.events(from: first, through: last, in: db), asOf: asOf,
                    posted: try await SQLLedgerRepository.transactions(ofPatientsFrom: first, through: last, in: db))
                units += result.units
                after = last
            }
            return units
        }
    }

    /// ``BatchInputs`` for the next `limit` patients after `after`, read on `handle`
    /// (``TextRows``); `nil` when none are left.
    static func batch(after: String?, limit: Int, in handle: SQLiteHandle) async throws -> BatchInputs? {
        let ids = try await TextRows.select(
            ["patient_id"], "treated_patients \(after == nil ? "" : "WHERE patient_id > ? ")GROUP BY patient_id ORDER BY patient_id LIMIT \(limit)",
            after.map { [$0] } ?? [], in: handle
        ) { try $0.string("patient_id") }
        guard let first = ids.first, let last = ids.last else { return nil }
        return BatchInputs(
            last: last, treated: try await SQLContractRepository.treatedPatients(from: first, through: last, in: handle),
            coverage: try await SQLReferenceRepository.coveragePeriods(from: first, through: last, in: handle),
            outcomes: try await SQLOutcomeRepository.events(from: first, through: last, in: handle),
            posted: try await SQLLedgerRepository.transactions(ofPatientsFrom: first, through: last, in: handle))
    }

    /// The next `limit` distinct patients with enrollments after `after`, as a closed range.
    static func nextPatients(after: String?, limit: Int, in db: any SQLDatabase) async throws -> (String, String)? {
        var query = db.select().distinct().column("patient_id").from("treated_patients")
        if let after { query = query.where("patient_id", .greaterThan, after) }
        let ids = try await query.orderBy("patient_id").limit(limit).all().map { try $0.string("patient_id") }
        guard let first = ids.first, let last = ids.last else { return nil }
        return (first, last)
    }

    /// What a run reads, by the row counts of its append-only inputs.
    static func inputs(in db: any SQLDatabase) async throws -> String {
        var parts: [String] = []
        for table in ["contracts", "treated_patients", "coverage_periods", "outcome_events"] {
            let count = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.int64("n") ?? 0
            parts.append("\(table)=\(count)")
        }
        return parts.joined(separator: ";")
    }

    static func lastRun(in db: any SQLDatabase) async throws -> (asOf: CalendarDate, inputs: String?)? {
        guard let row = try await db.select().column("as_of").column("inputs").from("settlement_runs")
            .orderBy("started_at", .descending).orderBy("id", .descending).limit(1).first()
        else { return nil }
        return (try row.date("as_of"), try row.optionalString("inputs"))
    }
}
