import CareNetwork
import Contracts
import Core
import Foundation
import SQLKit

/// A payment as the ledger holds it: its posting and who recorded it.
public struct RecordedPayment: Hashable, Sendable {
    public var reference: String
    public var payer: Party
    public var payee: Party
    public var valueDate: CalendarDate
    public var amount: Money
    /// The posting that records it (key `payment:<payer>/<reference>`), with the postings it settles.
    public var transaction: LedgerTransaction
    public var recordedBy: String?
    public var recordedAt: Date
    /// True when this request named a payment already recorded (the same payment sent twice).
    public var wasAlreadyRecorded: Bool

    public init(
        reference: String, payer: Party, payee: Party, valueDate: CalendarDate, amount: Money, transaction: LedgerTransaction,
        recordedBy: String?, recordedAt: Date, wasAlreadyRecorded: Bool
    ) {
        self.reference = reference
        self.payer = payer
        self.payee = payee
        self.valueDate = valueDate
        self.amount = amount
        self.transaction = transaction
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.wasAlreadyRecorded = wasAlreadyRecorded
    }
}

/// Payments refused, each with its position in the request and every problem found; nothing
/// of the request was recorded. An issue with rule `conflict` is a reference already used for
/// a different payment.
public struct PaymentsRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public var refusals: [Refusal]

    public struct Refusal: Sendable, Equatable {
        /// Which payment of the request, from 0.
        public var index: Int
        public var error: ValidationError
    }

    /// Whether every problem is a used reference, so the request conflicts with the ledger
    /// rather than being wrong in itself.
    public var isConflict: Bool { refusals.allSatisfy { $0.error.issues.allSatisfy { $0.rule == "conflict" } } }

    public var description: String { refusals.map { "payment \($0.index + 1): \($0.error)" }.joined(separator: "; ") }
}

extension SQLLedgerRepository {
    /// Records `payments`, all or nothing, each checked by ``Payment/transaction(in:)`` against
    /// the ledger as it stands inside the write (so two payments at once cannot both take the
    /// last of what is outstanding) and after the payments before it in the request.
    ///
    /// A payment already recorded under its reference by its payer is returned, not recorded
    /// again; a different payment under a used reference is refused (`conflict`). The
    /// postings are appended after every posting in the ledger, with a run of their own, and
    /// the ledger's head is checkpointed after the commit, like a settlement's.
    public func record(_ payments: [Payment], recordedBy: String?, now: Date) async throws -> [RecordedPayment] {
        let keys = checkpoint.keys
        let database = database
        let (recorded, heads) = try await database.transaction { db -> ([RecordedPayment], (LedgerHead, LedgerHead)?) in
            if database.dialect == .postgres {
                // The same lock as a settlement: what is outstanding cannot change under the check.
                try await db.raw("SELECT pg_advisory_xact_lock(7340022)").run()
            }
            // Each party's open items, read once and kept current as the request's payments are
            // checked: rebuilding them from the ledger for every row made a remittance file
            // quadratic, and it held the write lock (red-team pass 5: 2,000 rows, 31 s).
            var open: [Party: OpenItems] = [:]
            var refusals: [PaymentsRefused.Refusal] = []
            var recorded: [RecordedPayment] = []
            var postings: [LedgerTransaction] = []
            var given: Set<PostingKey> = []
            for (index, payment) in payments.enumerated() {
                guard given.insert(payment.postingKey).inserted else {
                    refusals.append(.init(index: index, error: ValidationError(
                        field: "reference", problem: "\(payment.reference) is given twice for \(payment.payer); one reference, one payment", rule: "unique")))
                    continue
                }
                if let existing = try await Self.transaction(key: payment.postingKey, in: db) {
                    if payment.isRecorded(as: existing) {
                        recorded.append(try await Self.recordedPayment(existing, in: db, wasAlreadyRecorded: true))
                    } else {
                        refusals.append(.init(index: index, error: ValidationError(
                            field: "reference",
                            problem: "\(payment.reference) is already recorded for a different payment from \(payment.payer); a new payment needs a new reference",
                            rule: "conflict")))
                    }
                    continue
                }
                if open[payment.payer] == nil { open[payment.payer] = OpenItems(try await Self.transactions(touching: payment.payer, in: db)) }
                do {
                    let posting = try payment.transaction(against: open[payment.payer]!)
                    open[payment.payer]!.include(posting)
                    if open[payment.payee] != nil { open[payment.payee]!.include(posting) }
                    postings.append(posting)
                    recorded.append(RecordedPayment(
                        reference: payment.reference, payer: payment.payer, payee: payment.payee, valueDate: payment.valueDate, amount: payment.amount,
                        transaction: posting, recordedBy: recordedBy, recordedAt: now, wasAlreadyRecorded: false))
                } catch let error as ValidationError {
                    refusals.append(.init(index: index, error: error))
                }
            }
            guard refusals.isEmpty else { throw PaymentsRefused(refusals: refusals) }
            guard !postings.isEmpty else { return (recorded, nil) }
            let before = try await LedgerHead.read(in: db, keys: keys)
            let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: now)
            let run = SettlementRun(
                id: "payments-\(today)-\(UUID().uuidString.prefix(8).lowercased())", asOf: today, startedAt: now,
                transactionsPosted: postings.count, flags: 0, requestedBy: recordedBy)
            try await Self.write(postings, run: run, into: db)
            for payment in recorded where !payment.wasAlreadyRecorded {
                try await db.insert(into: "payments")
                    .columns("transaction_key", "reference", "payer", "payee", "value_date", "currency", "amount_cents", "postings", "recorded_by", "recorded_at")
                    .values(
                        SQLBind(payment.transaction.key.rawValue), SQLBind(payment.reference), SQLBind(payment.payer.code), SQLBind(payment.payee.code),
                        SQLBind(payment.valueDate.description), SQLBind(payment.amount.currency.rawValue), SQLBind(payment.amount.minorUnits),
                        SQLBind(payment.transaction.settles.count), bind(recordedBy), SQLBind(SQLIdentityRepository.stamp(now)))
                    .run()
            }
            return (recorded, (before, try await LedgerHead.read(in: db, keys: keys)))
        }
        // After the commit: a checkpoint ahead of the database would report rolled-back postings missing.
        if let (before, after) = heads { await checkpoint.advanceLedger(from: before, to: after, reading: database) }
        return recorded
    }

    /// Payments `party` made or received (every payment when `nil`), newest value date first.
    public func payments(involving party: Party?, limit: Int) async throws -> [RecordedPayment] {
        try await database.withConnection { db in
            var query = db.select().column("transaction_key").from("payments")
            if let party { query = query.where("payer", .equal, party.code).orWhere("payee", .equal, party.code) }
            let keys = try await query.orderBy("value_date", .descending).orderBy("transaction_key").limit(limit).all()
                .map { try $0.string("transaction_key") }
            var found: [RecordedPayment] = []
            for key in keys {
                guard let postingKey = PostingKey(rawValue: key), let transaction = try await Self.transaction(key: postingKey, in: db) else {
                    throw StorageError.corrupt("payment '\(key)' has no posting in the ledger")
                }
                found.append(try await Self.recordedPayment(transaction, in: db, wasAlreadyRecorded: false))
            }
            return found
        }
    }

    /// The posting under `key`, if the ledger holds one.
    static func transaction(key: PostingKey, in db: any SQLDatabase) async throws -> LedgerTransaction? {
        try await db.select().columns(readColumns).from("ledger_transactions").where("key", .equal, key.rawValue).first()
            .map { try decode($0, using: JSONDecoder()) }
    }

    private static func recordedPayment(_ transaction: LedgerTransaction, in db: any SQLDatabase, wasAlreadyRecorded: Bool) async throws -> RecordedPayment {
        guard let row = try await db.select().column("*").from("payments").where("transaction_key", .equal, transaction.key.rawValue).first(),
            let payer = Party(code: try row.string("payer")), let payee = Party(code: try row.string("payee"))
        else { throw StorageError.corrupt("payment '\(transaction.key)' is in the ledger but not in payments") }
        guard let recordedAt = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(try row.string("recorded_at")) else {
            throw StorageError.corrupt("payment '\(transaction.key)' timestamp")
        }
        return RecordedPayment(
            reference: try row.string("reference"), payer: payer, payee: payee, valueDate: try row.date("value_date"),
            amount: Money(minorUnits: try row.int64("amount_cents"), currency: Currency(rawValue: try row.string("currency"))),
            transaction: transaction, recordedBy: try row.optionalString("recorded_by"), recordedAt: recordedAt,
            wasAlreadyRecorded: wasAlreadyRecorded)
    }
}
