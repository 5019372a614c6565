import Core
import CareNetwork
import Outcomes

/// A balanced set of ledger entries posted together, with the reason it exists.
///
/// The initializer refuses a transaction whose debits and credits differ, so an unbalanced
/// transaction cannot exist anywhere in CurePath and the trial balance always sums to zero.
/// Transactions are append-only: a wrong one is undone by a reversal that cites it.
public struct LedgerTransaction: Hashable, Sendable {
    public var key: PostingKey { storage.key }
    /// The day it is posted in the ledger: the day the obligation arose for an original,
    /// the settlement date for a correction.
    public var date: CalendarDate { storage.date }
    /// The day the obligation arose (an installment's due date, the day a result was decided).
    public var effectiveOn: CalendarDate { storage.effectiveOn }
    public var category: PostingCategory { storage.category }
    public var entries: [LedgerEntry] { storage.entries }
    /// The contract version, clause, measure result and events behind it; `nil` for payments.
    public var citation: Citation? { storage.citation }
    /// For a reversal, the keys of the postings it undoes.
    public var reverses: [PostingKey] { storage.reverses }
    /// What it is, in a sentence for a statement line.
    public var memo: String { storage.memo.text }
    /// For a recorded payment, the postings it settles and how much of each (``Payment``).
    public var settles: [PaymentApplication] { storage.settles }

    /// Transactions are immutable and settlements return millions of them: one shared box
    /// makes copying one a single reference count instead of a dozen.
    private final class Storage: Sendable {
        let key: PostingKey
        let date: CalendarDate
        let effectiveOn: CalendarDate
        let category: PostingCategory
        let entries: [LedgerEntry]
        let citation: Citation?
        let reverses: [PostingKey]
        let memo: PostingMemo
        let settles: [PaymentApplication]

        init(
            key: PostingKey, date: CalendarDate, effectiveOn: CalendarDate, category: PostingCategory, entries: [LedgerEntry],
            citation: Citation?, reverses: [PostingKey], memo: PostingMemo, settles: [PaymentApplication]
        ) {
            self.settles = settles
            self.key = key
            self.date = date
            self.effectiveOn = effectiveOn
            self.category = category
            self.entries = entries
            self.citation = citation
            self.reverses = reverses
            self.memo = memo
        }
    }

    private let storage: Storage

    public static func == (lhs: LedgerTransaction, rhs: LedgerTransaction) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.key == rhs.key && lhs.date == rhs.date && lhs.effectiveOn == rhs.effectiveOn && lhs.category == rhs.category
                && lhs.entries == rhs.entries && lhs.citation == rhs.citation && lhs.reverses == rhs.reverses && lhs.memo == rhs.memo
                && lhs.settles == rhs.settles)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(date)
        hasher.combine(entries)
    }

    public init(
        key: PostingKey, date: CalendarDate, effectiveOn: CalendarDate? = nil, category: PostingCategory, entries: [LedgerEntry],
        citation: Citation?, reverses: [PostingKey] = [], memo: String, settles: [PaymentApplication] = []
    ) throws(LedgerError) {
        try self.init(
            key: key, date: date, effectiveOn: effectiveOn, category: category, entries: entries, citation: citation, reverses: reverses,
            memo: PostingMemo.text(memo), settles: settles)
    }

    init(
        key: PostingKey, date: CalendarDate, effectiveOn: CalendarDate? = nil, category: PostingCategory, entries: [LedgerEntry],
        citation: Citation?, reverses: [PostingKey] = [], memo: PostingMemo, settles: [PaymentApplication] = []
    ) throws(LedgerError) {
        guard !entries.isEmpty else { throw LedgerError.noEntries(key: key.rawValue) }
        // One currency, the usual case, needs no table of sums.
        let currency = entries[0].amount.currency
        if entries.allSatisfy({ $0.amount.currency == currency }) {
            var debits: Int64 = 0
            var credits: Int64 = 0
            for (index, entry) in entries.enumerated() {
                guard entry.amount.minorUnits > 0 else {
                    throw LedgerError.nonPositiveAmount(key: key.rawValue, entry: index, amount: entry.amount)
                }
                let overflow: Bool
                if entry.side == .debit { (debits, overflow) = debits.addingReportingOverflow(entry.amount.minorUnits) } else {
                    (credits, overflow) = credits.addingReportingOverflow(entry.amount.minorUnits)
                }
                guard !overflow else { throw LedgerError.overflow(key: key.rawValue) }
            }
            guard debits == credits else {
                throw LedgerError.unbalanced(
                    key: key.rawValue, debits: Money(minorUnits: debits, currency: currency), credits: Money(minorUnits: credits, currency: currency)
                )
            }
            self.init(
                checked: key, date: date, effectiveOn: effectiveOn, category: category, entries: entries, citation: citation, reverses: reverses,
                memo: memo, settles: settles)
            return
        }
        var sums: [Currency: (debits: Int64, credits: Int64)] = [:]
        for (index, entry) in entries.enumerated() {
            guard entry.amount.minorUnits > 0 else {
                throw LedgerError.nonPositiveAmount(key: key.rawValue, entry: index, amount: entry.amount)
            }
            var sum = sums[entry.amount.currency] ?? (0, 0)
            let (added, overflow) = (entry.side == .debit ? sum.debits : sum.credits).addingReportingOverflow(entry.amount.minorUnits)
            guard !overflow else { throw LedgerError.overflow(key: key.rawValue) }
            if entry.side == .debit { sum.debits = added } else { sum.credits = added }
            sums[entry.amount.currency] = sum
        }
        for (currency, sum) in sums where sum.debits != sum.credits {
            throw LedgerError.unbalanced(
                key: key.rawValue, debits: Money(minorUnits: sum.debits, currency: currency),
                credits: Money(minorUnits: sum.credits, currency: currency)
            )
        }
        self.init(checked: key, date: date, effectiveOn: effectiveOn, category: category, entries: entries, citation: citation, reverses: reverses, memo: memo, settles: settles)
    }

    private init(
        checked key: PostingKey, date: CalendarDate, effectiveOn: CalendarDate?, category: PostingCategory, entries: [LedgerEntry],
        citation: Citation?, reverses: [PostingKey], memo: PostingMemo, settles: [PaymentApplication]
    ) {
        storage = Storage(
            key: key, date: date, effectiveOn: effectiveOn ?? date, category: category, entries: entries, citation: citation,
            reverses: reverses, memo: memo, settles: settles
        )
    }

    public var isReversal: Bool { !reverses.isEmpty }

    /// The total debited (equal to the total credited).
    public var amount: Money {
        let currency = entries[0].amount.currency
        return Money(minorUnits: entries.filter { $0.side == .debit }.reduce(0) { $0 + $1.amount.minorUnits }, currency: currency)
    }

    /// The amount with the sign of its effect: negative for a reversal.
    public var signedAmount: Money { isReversal ? -amount : amount }

    /// A payment on account: money that moved from one party to another, settling what one
    /// owed and the other was owed without naming the postings. Payments recorded through
    /// the API, pages and CLI name the postings they settle and are built by ``Payment``.
    public static func payment(
        reference: String, from payer: Party, to payee: Party, amount: Money, date: CalendarDate, memo: String? = nil
    ) throws(LedgerError) -> LedgerTransaction {
        try LedgerTransaction(
            key: .payment(reference: reference), date: date, category: .payment,
            entries: [
                .debit(LedgerAccount(payer, .payable), amount), .credit(LedgerAccount(payer, .cash), amount),
                .debit(LedgerAccount(payee, .cash), amount), .credit(LedgerAccount(payee, .receivable), amount),
            ],
            citation: nil, memo: memo ?? "payment \(reference) from \(payer) to \(payee)"
        )
    }
}

extension LedgerTransaction: Codable {
    enum CodingKeys: String, CodingKey {
        case key, date, effectiveOn, category, entries, citation, reverses, memo, settles
    }

    /// Decoding goes through the balancing initializer: a stored or received transaction that
    /// does not balance is refused, not loaded.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            key: container.decode(PostingKey.self, forKey: .key), date: container.decode(CalendarDate.self, forKey: .date),
            effectiveOn: container.decodeIfPresent(CalendarDate.self, forKey: .effectiveOn),
            category: container.decode(PostingCategory.self, forKey: .category),
            entries: container.decode([LedgerEntry].self, forKey: .entries),
            citation: container.decodeIfPresent(Citation.self, forKey: .citation),
            reverses: container.decodeIfPresent([PostingKey].self, forKey: .reverses) ?? [],
            memo: container.decode(String.self, forKey: .memo),
            settles: container.decodeIfPresent([PaymentApplication].self, forKey: .settles) ?? []
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(date, forKey: .date)
        try container.encode(effectiveOn, forKey: .effectiveOn)
        try container.encode(category, forKey: .category)
        try container.encode(entries, forKey: .entries)
        try container.encodeIfPresent(citation, forKey: .citation)
        if !reverses.isEmpty { try container.encode(reverses, forKey: .reverses) }
        try container.encode(memo, forKey: .memo)
        if !settles.isEmpty { try container.encode(settles, forKey: .settles) }
    }
}

/// Why a transaction could not be constructed.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case noEntries(key: String)
    case nonPositiveAmount(key: String, entry: Int, amount: Money)
    case unbalanced(key: String, debits: Money, credits: Money)
    case overflow(key: String)

    public var description: String {
        switch self {
        case .noEntries(let key): "transaction \(key) has no entries"
        case .nonPositiveAmount(let key, let entry, let amount):
            "transaction \(key): entry \(entry + 1) is \(amount); amounts are positive and the side gives the direction"
        case .unbalanced(let key, let debits, let credits):
            "transaction \(key) does not balance: debits \(debits), credits \(credits)"
        case .overflow(let key): "transaction \(key): amounts too large to add"
        }
    }
}

/// What a posting is, for statements and price reporting.
public enum PostingCategory: String, Hashable, Sendable, Codable, CaseIterable {
    /// The share of the price due at infusion.
    case upfront
    case installment
    case interest
    case fee
    case rebate
    case refund
    case bonus
    /// Warranty reserve paid out to the manufacturer.
    case reserveRelease
    /// Value moved between payers when the patient changed payer.
    case valueTransfer
    /// A payer's yearly contribution to the mediator's pool.
    case poolContribution
    /// Money that actually moved.
    case payment

    /// Whether the posting lowers the manufacturer's net price (rebates and refunds).
    public var isReturn: Bool { self == .rebate || self == .refund }
}

/// The reason a settlement posting exists, down to the outcome events.
public struct Citation: Hashable, Sendable, Codable {
    public var contractID: ContractID
    public var contractVersion: Int
    public var productID: ProductID
    public var patientID: PatientID
    /// The clause of the contract file (`consequences.ti-refund`, `payment.installments`).
    public var clause: String
    /// The measure result the posting follows from, for outcome postings.
    public var measure: MeasureResult?
    /// The outcome events behind the posting.
    public var eventIDs: [OutcomeEventID]
    /// The outcome tier the posting sets, for price reporting.
    public var tier: String?

    public init(
        contractID: ContractID, contractVersion: Int, productID: ProductID, patientID: PatientID, clause: String,
        measure: MeasureResult? = nil, eventIDs: [OutcomeEventID] = [], tier: String? = nil
    ) {
        self.contractID = contractID
        self.contractVersion = contractVersion
        self.productID = productID
        self.patientID = patientID
        self.clause = clause
        self.measure = measure
        self.eventIDs = eventIDs
        self.tier = tier
    }
}
