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

    /// The statement of `party` for the dates in `period` (open ends run to the ledger's ends).
    public init(party: Party, period: DateInterval, transactions: [LedgerTransaction], currency: Currency = .usd) {
        self.party = party
        self.period = period
        self.currency = currency
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
}
