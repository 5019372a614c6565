import CareNetwork
import Core

/// One party's accounts over a period: the opening balance, every posting in the period
/// with its reason, and the closing balance.
///
/// This is what the mediator sends a payer or a manufacturer; each line carries the posting
/// key and citation, so any amount can be traced to the contract clause and outcome events.
public struct Statement: Hashable, Sendable {
    /// One entry on one of the party's accounts, with the reason for it — or, in a statement
    /// ``withoutPatients()``, the sum of the entries that share everything but the patient.
    public struct Line: Hashable, Sendable {
        public var date: CalendarDate
        /// The posting key (`zynteglo-ti@1/pat-001/payment.upfront/infusion#1`), or for a
        /// line that sums postings, what they share (`2026-03-04/zynteglo-ti@1/payment.upfront/credit`).
        public var key: String
        public var account: LedgerAccount
        public var category: PostingCategory
        public var debit: Money?
        public var credit: Money?
        /// The account's balance after this line.
        public var balance: Money
        public var memo: String
        public var contractID: ContractID?
        public var contractVersion: Int?
        /// The contract clause the posting follows from (`consequences.ti-refund`).
        public var clause: String?
        /// The patient whose unit the posting is for; `nil` for payments and summed lines.
        public var patientID: PatientID?
        public var isReversal: Bool
        /// How many postings the line is: 1, or more on a summed line.
        public var postings: Int
    }

    public var party: Party
    public var period: DateInterval
    public var currency: Currency
    /// Balance per account before the period starts.
    public var opening: [AccountKind: Money]
    public var lines: [Line]
    /// Balance per account at the end of the period.
    public var closing: [AccountKind: Money]
    /// Per posting, what the party was billed, paid and still has outstanding at the end of
    /// the period (``OpenItems``), in posting order; empty in a statement ``withoutPatients()``,
    /// whose posting keys would name patients.
    public var items: [OpenItem]
    /// What is outstanding by how long it is past due, as of the statement's date.
    public var ageing: AgeingSummary

    /// The statement of `party` for the dates in `period` (open ends run to the ledger's ends),
    /// in one currency: amounts in others are on that currency's statement, never added in.
    /// Ageing is counted to `asOf`, by default the period's end or the last posting's date.
    public init(party: Party, period: DateInterval, transactions: [LedgerTransaction], currency: Currency = .usd, asOf: CalendarDate? = nil) {
        self.party = party
        self.period = period
        self.currency = currency
        let known = transactions.filter { transaction in period.end.map { transaction.date <= $0 } ?? true }
        let items = OpenItems(known).items(of: party, in: currency)
        self.items = items
        let ageingDate = asOf ?? period.end ?? known.map(\.date).max() ?? CalendarDate(daysSinceEpoch: 0)
        ageing = AgeingSummary(items: items, currency: currency, asOf: ageingDate)
        var balances: [AccountKind: Int64] = [:]
        var lines: [Line] = []
        let ordered = transactions.sorted { ($0.date, $0.key.rawValue) < ($1.date, $1.key.rawValue) }
        var opening: [AccountKind: Money]?
        for transaction in ordered {
            if let end = period.end, transaction.date > end { break }
            let inPeriod = period.contains(transaction.date)
            if inPeriod && opening == nil { opening = balances.mapValues { Money(minorUnits: $0, currency: currency) } }
            for entry in transaction.entries where entry.account.party == party && entry.amount.currency == currency {
                balances[entry.account.kind, default: 0] += entry.signedMinorUnits
                guard inPeriod else { continue }
                let citation = transaction.citation
                lines.append(Line(
                    date: transaction.date, key: transaction.key.rawValue, account: entry.account, category: transaction.category,
                    debit: entry.side == .debit ? entry.amount : nil, credit: entry.side == .credit ? entry.amount : nil,
                    balance: Money(minorUnits: balances[entry.account.kind]!, currency: currency), memo: transaction.memo,
                    contractID: citation?.contractID, contractVersion: citation?.contractVersion, clause: citation?.clause,
                    patientID: citation?.patientID, isReversal: transaction.isReversal, postings: 1
                ))
            }
        }
        let closing = balances.mapValues { Money(minorUnits: $0, currency: currency) }
        self.opening = opening ?? closing
        self.lines = lines
        self.closing = closing
    }

    /// The party's net position at the end of the period: what it is owed (positive) or owes.
    public var closingNet: Money { closing.values.reduce(.zero(currency), +) }

    /// The currencies `party` has entries in, US dollars first, then by code: a party's
    /// statement is one statement per currency.
    public static func currencies(of party: Party, in transactions: [LedgerTransaction]) -> [Currency] {
        var found: Set<Currency> = []
        for transaction in transactions {
            for entry in transaction.entries where entry.account.party == party { found.insert(entry.amount.currency) }
        }
        return found.sorted { ($0 == .usd ? 0 : 1, $0.rawValue) < ($1 == .usd ? 0 : 1, $1.rawValue) }
    }

    /// One statement per currency the party has entries in (one in US dollars when it has none).
    public static func perCurrency(party: Party, period: DateInterval, transactions: [LedgerTransaction], asOf: CalendarDate? = nil) -> [Statement] {
        let found = currencies(of: party, in: transactions)
        return (found.isEmpty ? [.usd] : found).map {
            Statement(party: party, period: period, transactions: transactions, currency: $0, asOf: asOf)
        }
    }
}
