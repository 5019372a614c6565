import CareNetwork
import Core

/// What one party owes, or is owed, on one posting: billed, paid and still outstanding.
///
/// A settlement posting says who owes whom (the accounts it credits owe, the accounts it
/// debits are owed); recorded ``Payment``s say how much of it has been paid. An item is one
/// party's side of one posting in one direction; its due date is the posting's effective
/// date (an installment's due date, the day a refund was decided), from which it ages.
public struct OpenItem: Hashable, Sendable {
    /// Whether the party pays this item or is paid it.
    public enum Direction: String, Hashable, Sendable, Codable {
        /// The party owes it (the posting credited the party's payable, pool or reserve).
        case owes
        /// The party is owed it (the posting debited the party's receivable, reserve, pool or fees).
        case owed

        public var opposite: Direction { self == .owes ? .owed : .owes }
    }

    public var posting: PostingKey
    public var party: Party
    /// The account the posting moved for the party; a payment moves it back to cash.
    public var account: LedgerAccount
    public var direction: Direction
    public var category: PostingCategory
    public var postedOn: CalendarDate
    /// When it is due: the posting's effective date.
    public var dueOn: CalendarDate
    public var billed: Money
    /// What a later reversal took back before it was paid (a stopped installment, a refund
    /// withdrawn by a late outcome).
    public var cancelled: Money
    public var paid: Money
    public var contractID: ContractID?
    public var patientID: PatientID?
    public var memo: String

    public var outstanding: Money { billed - cancelled - paid }

    /// Which ageing bucket the outstanding amount falls in on `asOf`.
    public func ageing(asOf: CalendarDate) -> AgeingBucket { AgeingBucket(daysPastDue: dueOn.days(until: asOf)) }
}

/// How long an outstanding amount is past its due date, in the buckets statements use.
public enum AgeingBucket: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Not yet due, or due today.
    case current
    case days1to30 = "1-30"
    case days31to60 = "31-60"
    case days61to90 = "61-90"
    case over90 = "over-90"

    public init(daysPastDue days: Int) {
        switch days {
        case ...0: self = .current
        case 1...30: self = .days1to30
        case 31...60: self = .days31to60
        case 61...90: self = .days61to90
        default: self = .over90
        }
    }

    /// `1–30 days`, for people.
    public var label: String {
        switch self {
        case .current: "current"
        case .days1to30: "1–30 days"
        case .days31to60: "31–60 days"
        case .days61to90: "61–90 days"
        case .over90: "over 90 days"
        }
    }

    public static func < (lhs: AgeingBucket, rhs: AgeingBucket) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Every party's open items in a ledger: each posting's billed, cancelled, paid and outstanding
/// amounts, read in the order posted.
///
/// A reversal first cancels what is still unpaid of the postings it reverses; only what had
/// already been paid stays outstanding on it, owed back the other way. So an installment
/// stopped before it was paid leaves nothing outstanding on either posting, and a refund
/// reversed after it was paid is owed back.
public struct OpenItems: Sendable {
    private struct ItemKey: Hashable {
        var posting: PostingKey
        var party: Party
        var direction: OpenItem.Direction
    }

    /// In the order the postings were made.
    public private(set) var items: [OpenItem] = []
    private var index: [ItemKey: Int] = [:]

    public init(_ ledger: some Sequence<LedgerTransaction>) {
        for transaction in ledger { include(transaction) }
    }

    /// Takes in one more transaction, as if it had been in the ledger given: a batch of payments
    /// is checked against items kept up to date, not against the whole ledger rebuilt for each.
    public mutating func include(_ transaction: LedgerTransaction) {
        if transaction.category == .payment {
            record(payment: transaction)
        } else {
            add(transaction)
        }
    }

    public func item(_ posting: PostingKey, party: Party, direction: OpenItem.Direction) -> OpenItem? {
        index[ItemKey(posting: posting, party: party, direction: direction)].map { items[$0] }
    }

    /// One party's items in one currency, in posting order.
    public func items(of party: Party, in currency: Currency) -> [OpenItem] {
        items.filter { $0.party == party && $0.billed.currency == currency }
    }

    private mutating func add(_ transaction: LedgerTransaction) {
        var net: [LedgerAccount: Int64] = [:]
        for entry in transaction.entries { net[entry.account, default: 0] += entry.signedMinorUnits }
        let currency = transaction.entries[0].amount.currency
        var added: [ItemKey] = []
        // A party with two accounts moved the same way in one posting (rare) has one item, on
        // the first account.
        for (account, balance) in net.sorted(by: { $0.key < $1.key }) where balance != 0 {
            let key = ItemKey(posting: transaction.key, party: account.party, direction: balance < 0 ? .owes : .owed)
            let amount = Money(minorUnits: Int64(balance.magnitude), currency: currency)
            if let existing = index[key] {
                items[existing].billed = items[existing].billed + amount
                continue
            }
            index[key] = items.count
            added.append(key)
            let citation = transaction.citation
            items.append(OpenItem(
                posting: transaction.key, party: account.party, account: account, direction: key.direction, category: transaction.category,
                postedOn: transaction.date, dueOn: transaction.effectiveOn, billed: amount, cancelled: .zero(currency), paid: .zero(currency),
                contractID: citation?.contractID, patientID: citation?.patientID, memo: transaction.memo))
        }
        guard transaction.isReversal else { return }
        for key in added {
            for reversed in transaction.reverses {
                guard let original = index[ItemKey(posting: reversed, party: key.party, direction: key.direction.opposite)],
                    let reversal = index[key], items[original].billed.currency == currency
                else { continue }
                let cancel = min(items[original].outstanding.minorUnits, items[reversal].outstanding.minorUnits)
                guard cancel > 0 else { continue }
                let amount = Money(minorUnits: cancel, currency: currency)
                items[original].cancelled = items[original].cancelled + amount
                items[reversal].cancelled = items[reversal].cancelled + amount
            }
        }
    }

    private mutating func record(payment: LedgerTransaction) {
        guard let payer = payment.entries.first(where: { $0.account.kind == .cash && $0.side == .credit })?.account.party,
            let payee = payment.entries.first(where: { $0.account.kind == .cash && $0.side == .debit })?.account.party
        else { return }
        for application in payment.settles {
            for (party, direction) in [(payer, OpenItem.Direction.owes), (payee, .owed)] {
                guard let position = index[ItemKey(posting: application.posting, party: party, direction: direction)],
                    items[position].billed.currency == application.amount.currency
                else { continue }
                items[position].paid = items[position].paid + application.amount
            }
        }
    }
}

/// A party's outstanding amounts by ageing bucket, in one currency: what it owes and what it
/// is owed, never netted against each other or added across currencies.
public struct AgeingSummary: Hashable, Sendable {
    public var currency: Currency
    public var asOf: CalendarDate
    public var owes: [AgeingBucket: Money]
    public var owed: [AgeingBucket: Money]

    public init(items: [OpenItem], currency: Currency, asOf: CalendarDate) {
        self.currency = currency
        self.asOf = asOf
        var owes: [AgeingBucket: Money] = [:]
        var owed: [AgeingBucket: Money] = [:]
        for bucket in AgeingBucket.allCases {
            owes[bucket] = .zero(currency)
            owed[bucket] = .zero(currency)
        }
        for item in items where item.billed.currency == currency && item.outstanding.minorUnits > 0 {
            let bucket = item.ageing(asOf: asOf)
            if item.direction == .owes { owes[bucket] = owes[bucket]! + item.outstanding } else { owed[bucket] = owed[bucket]! + item.outstanding }
        }
        self.owes = owes
        self.owed = owed
    }

    public var totalOwes: Money { owes.values.reduce(.zero(currency), +) }
    public var totalOwed: Money { owed.values.reduce(.zero(currency), +) }
}
