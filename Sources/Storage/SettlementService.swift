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
        return try await database.transactionWithSQLite { db, sqlite in
            if database.dialect == .postgres {
                // One settlement at a time across servers.
                try await db.raw("SELECT pg_advisory_xact_lock(7340022)").run()
            }
            let inputs = try await Self.inputs(in: db)
            var run = SettlementRun(
                id: "run-\(asOf)-\(UUID().uuidString.prefix(8).lowercased())", asOf: asOf, startedAt: now, transactionsPosted: 0, flags: 0,
                requestedBy: requestedBy)
            if let last = try await Self.lastRun(in: db), last.asOf == asOf, last.inputs == inputs {
                try await SQLLedgerRepository.write(run, inputs: inputs, into: db)
                return SettlementReport(run: run, posted: [], flags: [], unchanged: true)
            }

            let contracts = try await SQLContractRepository.allVersions(in: db)
            let total = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("treated_patients").first()?.int("n") ?? 0
            var reported: [LedgerTransaction] = []
            var flags: [SettlementFlag] = []
            var settled = 0
            // The run holds the write lock (BEGIN IMMEDIATE on SQLite, the advisory lock on
            // PostgreSQL), so it can number its postings itself.
            var sequence = try await SQLLedgerRepository.nextSequence(in: db)
            let runID = run.id
            // Three batches in flight: while the engine settles one (this process's work, on one
            // core), the one before is written and the one after is read (the database's work,
            // on the other).
            var pending: Batch?
            let writer = try sqlite.flatMap { try SQLitePostingWriter(connection: $0) }
            func write(_ batch: Batch) async throws {
                if let writer, let bodies = batch.bodies {
                    try await writer.write(batch.result.transactions, bodies: bodies, firstSequence: batch.firstSequence, runID: runID)
                } else {
                    try await SQLLedgerRepository.write(batch.result.transactions, runID: runID, into: db)
                }
                run.transactionsPosted += batch.result.transactions.count
                if reported.count < Self.reportedPostings { reported += batch.result.transactions.prefix(Self.reportedPostings - reported.count) }
                flags += batch.result.flags
                settled += batch.patients
                progress?(settled, total)
            }
            // One batch's inputs: its patients' enrollments, coverage, outcome events and
            // earlier postings.
            func read(after: String?) async throws -> BatchInputs? {
                guard let (first, last) = try await Self.nextPatients(after: after, limit: batchSize, in: db) else { return nil }
                let treated: [TreatedPatient], coverage: [CoveragePeriod], outcomes: [OutcomeEvent]
                if let sqlite {
                    treated = try await SQLContractRepository.treatedPatients(from: first, through: last, in: sqlite)
                    coverage = try await SQLReferenceRepository.coveragePeriods(from: first, through: last, in: sqlite)
                    outcomes = try await SQLOutcomeRepository.events(from: first, through: last, in: sqlite)
                } else {
                    treated = try await SQLContractRepository.treatedPatients(from: first, through: last, in: db)
                    coverage = try await SQLReferenceRepository.coveragePeriods(from: first, through: last, in: db)
                    outcomes = try await SQLOutcomeRepository.events(from: first, through: last, in: db)
                }
                let posted = try await SQLLedgerRepository.transactions(ofPatientsFrom: first, through: last, in: db)
                return BatchInputs(last: last, treated: treated, coverage: coverage, outcomes: outcomes, posted: posted)
            }
            var next = try await read(after: nil)
            while let inputs = next {
                let firstSequence = sequence
                let encode = writer != nil
                async let settling = Batch(
                    result: Settlement.run(
                        contracts: contracts, treatedPatients: inputs.treated, coverage: inputs.coverage, outcomes: inputs.outcomes, asOf: asOf,
                        posted: inputs.posted),
                    patients: inputs.treated.count, firstSequence: firstSequence, encode: encode)
                if let pending { try await write(pending) }
                // The next batch's patients are others, so what it reads does not depend on
                // the postings of this one.
                next = try await read(after: inputs.last)
                let batch = await settling
                sequence += Int64(batch.result.transactions.count)
                pending = batch
            }
            if let pending { try await write(pending) }
            run.flags = flags.count
            try await SQLLedgerRepository.write(run, inputs: inputs, into: db)
            return SettlementReport(run: run, posted: reported, flags: flags, unchanged: false)
        }
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
