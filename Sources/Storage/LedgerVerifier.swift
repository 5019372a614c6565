import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes
import SQLKit

/// What `curepath ledger verify` found.
public struct LedgerVerification: Sendable {
    /// Postings read.
    public var postings = 0
    /// Settlement runs replayed.
    public var runs = 0
    /// Treated patients re-settled.
    public var patients = 0
    /// Postings of runs that did not record what they read (recorded payments, direct posts,
    /// runs from before inputs were recorded): checked against their entries and sequence,
    /// not re-derived.
    public var postedDirectly = 0
    /// The ledger's head as the checkpoint outside the database records it; nil when it
    /// records none yet (nothing was posted since the ledger was first checkpointed).
    public var checkpoint: LedgerHead?
    /// The first problem each check found, in the order checked; empty when the ledger verifies.
    public var problems: [String] = []

    public var intact: Bool { problems.isEmpty }
}

/// Checks that the ledger is what the settlement engine wrote, beyond balancing.
///
/// A trial balance only proves that every posting's entries sum to zero: whoever can write
/// the database can change a refund on both sides, move an entry to another payer, or delete
/// a whole posting, and the ledger still balances. The verifier checks three things:
///
/// 1. **Form**: each posting's rows in `ledger_entries` are exactly the entries of its stored
///    body (account, amount, currency, line, date), its `contract_id` and `patient_id`
///    columns match its key, and no entry row lacks its posting.
/// 2. **Sequence**: postings are numbered 1, 2, 3 … without a gap, and each settlement run
///    holds as many postings as it recorded posting.
/// 3. **Head**: the ledger reaches the head the checkpoint outside the database recorded
///    (``LedgerHead``) — at least as many postings, the last of them as it was MACed, and at
///    least as many settlement runs — so that postings deleted at the end with their runs, or
///    the whole ledger, do not pass as a shorter ledger.
/// 4. **Derivation**: every settlement run is replayed read-only — the engine re-run over the
///    stored contracts, enrollments, coverage and outcome events as of the run's date, given
///    the postings of the runs before it — and what it derives must be exactly what the run
///    posted: the same keys, entries, dates, citations and memos.
///
/// Memory stays bounded as in a settlement: postings are read in pages, and the replay works
/// in batches of patients. The replay sees the inputs as they are now: an enrollment, or an
/// outcome event recorded as of a date before a run, that was entered after that run also
/// changes what the replay derives, and the report says when a run's inputs have grown since.
public struct LedgerVerifier: Sendable {
    let store: Store
    let batchSize: Int
    let pageSize: Int

    public init(store: Store, batchSize: Int = 20_000, pageSize: Int = 5_000) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.pageSize = max(1, pageSize)
    }

    public func verify(progress: (@Sendable (_ settled: Int, _ total: Int) -> Void)? = nil) async throws -> LedgerVerification {
        try await store.database.withConnection { db in
            var verification = LedgerVerification()
            let recorded = store.checkpoint.read()
            if case .heads(let heads) = recorded { verification.checkpoint = heads.ledger }
            let runs = try await Self.runs(in: db)
            let form = try await checkForm(in: db, checkpointed: verification.checkpoint, into: &verification)
            Self.checkRunCounts(runs, posted: form.perRun, into: &verification)
            checkHead(recorded, form: form, runs: runs.count, into: &verification)
            do {
                try await replay(runs, in: db, into: &verification, progress: progress)
            } catch let error as StorageError {
                // A posting that does not decode was reported by the form check.
                verification.problems.append("re-settlement stopped: \(error)")
            }
            return verification
        }
    }

    // MARK: Form and sequence

    /// One row of `ledger_entries`.
    private struct EntryRow: Equatable, CustomStringConvertible {
        var line: Int
        var party: String
        var kind: String
        var signed: Int64
        var currency: String
        var date: String

        var description: String {
            let side = signed < 0 ? "Cr" : "Dr"
            let amount = Money(minorUnits: signed < 0 ? -signed : signed, currency: Currency(rawValue: currency))
            return "line \(line) \(side) \(party):\(kind) \(amount) on \(date)"
        }
    }

    /// What reading the postings found beyond form problems.
    private struct Form {
        /// Postings by run ID.
        var perRun: [String: Int] = [:]
        /// The highest sequence, 0 for an empty ledger.
        var lastSequence = 0
        /// How the posting at the checkpoint's last sequence checks against its MAC; nil when
        /// the ledger does not hold it.
        var checkpointed: ChainKeys.Check?
    }

    /// Reads every posting in sequence order, a page at a time, with its entry rows; returns
    /// how many postings each run holds, and checks the posting at the checkpoint's head.
    private func checkForm(in db: any SQLDatabase, checkpointed head: LedgerHead?, into verification: inout LedgerVerification) async throws -> Form {
        // Entries are indexed by party and posting sequence: a page's entries are found by
        // probing each party's range, not by scanning the table once per page.
        let parties = try await db.select().distinct().column("party").from("ledger_entries").all().map { try $0.string("party") }
        var form = Form()
        var formProblem: String?
        var gapProblem: String?
        var expected: Int64 = 1
        var after: Int64 = 0
        let decoder = JSONDecoder()
        while true {
            let rows = try await db.select()
                .columns(["sequence", "key", "date", "effective_on", "category", "contract_id", "patient_id", "run_id", "body"].map { SQLIdentifier($0) })
                .from("ledger_transactions").where("sequence", .greaterThan, SQLBind(after)).orderBy("sequence").limit(pageSize).all()
            guard let lastRow = rows.last else { break }
            let last = try lastRow.int64("sequence")
            var entries = try await Self.entries(of: parties, after: after, through: last, in: db)
            for row in rows {
                let sequence = try row.int64("sequence")
                let key = try row.string("key")
                verification.postings += 1
                form.perRun[try row.string("run_id"), default: 0] += 1
                form.lastSequence = Int(sequence)
                if let head, sequence == head.postings {
                    form.checkpointed = store.checkpoint.keys.check(
                        head.mac ?? "", of: LedgerHead.text(sequence: sequence, key: key, body: try row.string("body")))
                }
                if sequence != expected, gapProblem == nil {
                    gapProblem = sequence > expected
                        ? "posting sequence jumps from \(expected - 1) to \(sequence): "
                            + (sequence - expected == 1 ? "posting \(expected) is missing" : "postings \(expected)–\(sequence - 1) are missing")
                        : "posting sequence \(sequence) (\(key)) is out of order after \(expected - 1)"
                }
                expected = sequence + 1
                let stored = entries.removeValue(forKey: sequence) ?? []
                guard formProblem == nil else { continue }
                let transaction: LedgerTransaction
                do {
                    transaction = try SQLLedgerRepository.decode(row, using: decoder)
                } catch {
                    formProblem = "posting \(key) (sequence \(sequence)) does not decode: \(error)"
                    continue
                }
                formProblem = Self.formProblem(transaction, sequence: sequence, row: row, entries: stored)
            }
            if formProblem == nil, let orphan = entries.keys.min() {
                formProblem = "ledger entries of posting sequence \(orphan) have no posting: it was deleted, its entries left behind"
            }
            after = last
        }
        if formProblem == nil, let stray = try await db.select().column("transaction_sequence").from("ledger_entries")
            .where("transaction_sequence", .greaterThan, SQLBind(after)).orWhere("transaction_sequence", .lessThan, SQLBind(Int64(1))).limit(1).first()
        {
            formProblem = "ledger entries of posting sequence \(try stray.int64("transaction_sequence")) have no posting: it was deleted, its entries left behind"
        }
        verification.problems += [formProblem, gapProblem].compactMap { $0 }
        return form
    }

    /// Compares the ledger with the head the checkpoint recorded. A checkpoint file deleted
    /// or altered while the ledger holds postings or runs fails too: without it, postings
    /// deleted at the end cannot be ruled out.
    private func checkHead(_ recorded: HeadCheckpoint.Reading, form: Form, runs: Int, into verification: inout LedgerVerification) {
        switch recorded {
        case .heads(let heads):
            guard let head = heads.ledger else { return }
            verification.problems += head.losses(lastPosting: form.lastSequence, runs: runs, recorded: form.checkpointed)
        case .absent(let path):
            guard form.lastSequence > 0 || runs > 0 else { return }
            verification.problems.append(
                "the head checkpoint \(path) is missing, though the ledger holds \(verification.postings) postings and \(runs) settlement runs: "
                    + "it was deleted or moved, and postings deleted at the end cannot be ruled out")
        case .altered(let path, let problem):
            verification.problems.append("the head checkpoint \(path) is not valid (\(problem)): postings deleted at the end cannot be ruled out")
        }
    }

    /// The first way a posting's columns and entry rows disagree with its body.
    private static func formProblem(_ transaction: LedgerTransaction, sequence: Int64, row: any SQLRow, entries: [EntryRow]) -> String? {
        let key = transaction.key.rawValue
        let slot = transaction.key.slot
        if (try? row.optionalString("contract_id")) != slot?.contractID.rawValue || (try? row.optionalString("patient_id")) != slot?.patientID.rawValue {
            return "posting \(key) (sequence \(sequence)): its contract_id and patient_id columns do not match its key"
        }
        let body = transaction.entries.enumerated().map { line, entry in
            EntryRow(line: line, party: entry.account.party.code, kind: entry.account.kind.rawValue, signed: entry.signedMinorUnits,
                     currency: entry.amount.currency.rawValue, date: transaction.date.description)
        }
        for index in 0..<max(body.count, entries.count) {
            let fromBody = index < body.count ? body[index] : nil, stored = index < entries.count ? entries[index] : nil
            guard fromBody != stored else { continue }
            return "posting \(key) (sequence \(sequence)): ledger_entries hold "
                + (stored.map { "\($0)" } ?? "no line \(index)") + " but its body says " + (fromBody.map { "\($0)" } ?? "there is no line \(index)")
        }
        return nil
    }

    /// The entry rows of postings `after` < sequence ≤ `through`, by posting, in line order.
    private static func entries(of parties: [String], after: Int64, through last: Int64, in db: any SQLDatabase) async throws -> [Int64: [EntryRow]] {
        var entries: [Int64: [EntryRow]] = [:]
        for start in stride(from: 0, to: parties.count, by: 500) {
            let rows = try await db.select()
                .columns(["transaction_sequence", "line", "party", "account_kind", "amount_cents", "currency", "date"].map { SQLIdentifier($0) })
                .from("ledger_entries").where("party", .in, Array(parties[start..<min(parties.count, start + 500)]))
                .where("transaction_sequence", .greaterThan, SQLBind(after)).where("transaction_sequence", .lessThanOrEqual, SQLBind(last)).all()
            for row in rows {
                entries[try row.int64("transaction_sequence"), default: []].append(EntryRow(
                    line: try row.int("line"), party: try row.string("party"), kind: try row.string("account_kind"),
                    signed: try row.int64("amount_cents"), currency: try row.string("currency"), date: try row.string("date")))
            }
        }
        for sequence in entries.keys { entries[sequence]!.sort { $0.line < $1.line } }
        return entries
    }

    // MARK: Runs

    /// A settlement run as the replay needs it.
    private struct Run {
        var id: String
        var asOf: CalendarDate
        var posted: Int
        /// What the run read (``SettlementService``); nil for postings made without the engine.
        var inputs: String?
    }

    private static func runs(in db: any SQLDatabase) async throws -> [Run] {
        try await db.select().columns(["id", "as_of", "transactions_posted", "inputs"].map { SQLIdentifier($0) }).from("settlement_runs")
            .orderBy("started_at").orderBy("id").all()
            .map { Run(id: try $0.string("id"), asOf: try $0.date("as_of"), posted: try $0.int("transactions_posted"), inputs: try $0.optionalString("inputs")) }
    }

    private static func checkRunCounts(_ runs: [Run], posted: [String: Int], into verification: inout LedgerVerification) {
        let recorded = Set(runs.map(\.id))
        verification.postedDirectly = runs.filter { $0.inputs == nil }.reduce(0) { $0 + posted[$1.id, default: 0] }
        if let stranger = posted.keys.sorted().first(where: { !recorded.contains($0) }) {
            verification.problems.append("\(posted[stranger]!) postings name run \(stranger), which is not recorded")
        }
        if let run = runs.first(where: { $0.posted != posted[$0.id, default: 0] }) {
            verification.problems.append("run \(run.id) recorded \(run.posted) postings, the ledger holds \(posted[run.id, default: 0])")
        }
    }

    // MARK: Derivation

    /// Replays every engine run over each batch of patients and reports the first posting
    /// the replay does not derive, or derives differently, or derives and the ledger lacks.
    private func replay(
        _ runs: [Run], in db: any SQLDatabase, into verification: inout LedgerVerification, progress: (@Sendable (Int, Int) -> Void)?
    ) async throws {
        let contracts = try await SQLContractRepository.allVersions(in: db)
        let current = try await SettlementService.inputs(in: db)
        let total = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("treated_patients").first()?.int("n") ?? 0
        let engineRuns = runs.filter { $0.inputs != nil }
        verification.runs = engineRuns.count
        var after: String?
        while true {
            let range = try await SettlementService.nextPatients(after: after, limit: batchSize, in: db)
            // The last batch reaches past the last enrolled patient, so a posting moved to
            // a patient with no enrollment is read too.
            var treated: [TreatedPatient] = [], coverage: [CoveragePeriod] = [], outcomes: [OutcomeEvent] = []
            if let (first, last) = range {
                treated = try await SQLContractRepository.treatedPatients(from: first, through: last, in: db)
                coverage = try await SQLReferenceRepository.coveragePeriods(from: first, through: last, in: db)
                outcomes = try await SQLOutcomeRepository.events(from: first, through: last, in: db)
            }
            let stored = try await Self.postings(after: after, through: range?.1, in: db)
            verification.patients += treated.count
            var ledger: [LedgerTransaction] = []
            for run in runs {
                let found = stored[run.id] ?? []
                if run.inputs != nil {
                    let derived = Settlement.run(
                        contracts: contracts, treatedPatients: treated, coverage: coverage, outcomes: outcomes, asOf: run.asOf, posted: ledger)
                    if let difference = Self.difference(derived.transactions, found, run: run) {
                        let hint = run.inputs == current ? "" : " (the settlement inputs have grown since this run — \(run.inputs!) then, \(current) now; an enrollment or outcome entered late with an earlier date would also explain this)"
                        verification.problems.append(difference + hint)
                        return
                    }
                }
                ledger += found
            }
            progress?(verification.patients, total)
            guard let range else { return }
            after = range.1
        }
    }

    /// The settlement postings of patients `after` < ID ≤ `last` (or every later patient), by
    /// run, in posting order.
    private static func postings(after: String?, through last: String?, in db: any SQLDatabase) async throws -> [String: [LedgerTransaction]] {
        var query = db.select().columns(SQLLedgerRepository.readColumns + [SQLIdentifier("run_id")]).from("ledger_transactions")
            .where("patient_id", .isNot, SQLLiteral.null)
        if let after { query = query.where("patient_id", .greaterThan, after) }
        if let last { query = query.where("patient_id", .lessThanOrEqual, last) }
        let decoder = JSONDecoder()
        var byRun: [String: [LedgerTransaction]] = [:]
        for row in try await query.orderBy("sequence").all() {
            byRun[try row.string("run_id"), default: []].append(try SQLLedgerRepository.decode(row, using: decoder))
        }
        return byRun
    }

    /// The first difference between what a run's replay derives and what the run posted.
    private static func difference(_ derived: [LedgerTransaction], _ found: [LedgerTransaction], run: Run) -> String? {
        let foundByKey = Dictionary(found.map { ($0.key, $0) }) { first, _ in first }
        func entries(_ transaction: LedgerTransaction) -> String { transaction.entries.map(\.description).joined(separator: ", ") }
        for expected in derived {
            guard let posted = foundByKey[expected.key] else {
                return "re-settling as of \(run.asOf) (run \(run.id)) derives posting \(expected.key) [\(entries(expected))], which the ledger does not hold"
            }
            guard posted != expected else { continue }
            if posted.entries != expected.entries {
                return "posting \(expected.key) (run \(run.id)): re-settling as of \(run.asOf) derives [\(entries(expected))], the ledger holds [\(entries(posted))]"
            }
            let fields = [
                posted.date != expected.date ? "date" : nil, posted.effectiveOn != expected.effectiveOn ? "effective date" : nil,
                posted.category != expected.category ? "category" : nil, posted.citation != expected.citation ? "citation" : nil,
                posted.reverses != expected.reverses ? "reversed keys" : nil, posted.memo != expected.memo ? "memo" : nil,
            ].compactMap { $0 }
            return "posting \(expected.key) (run \(run.id)): its \(fields.joined(separator: ", ")) differ from what re-settling as of \(run.asOf) derives"
        }
        let derivedKeys = Set(derived.map(\.key))
        if let stranger = found.first(where: { !derivedKeys.contains($0.key) }) {
            return "posting \(stranger.key) (run \(run.id)) [\(entries(stranger))] is not derived by re-settling as of \(run.asOf)"
        }
        return nil
    }
}
