import Core

/// Every account's total debits, credits and balance: the proof that the ledger balances.
///
/// Because every transaction balances, the balances always sum to zero; a trial balance that
/// does not is evidence of tampering or of postings that bypassed ``LedgerTransaction``.
public struct TrialBalance: Hashable, Sendable, Codable {
    /// One account's totals.
    public struct Line: Hashable, Sendable, Codable {
        public var account: LedgerAccount
        public var debits: Money
        public var credits: Money
        /// Debits minus credits: positive when the party is owed or holds value.
        public var balance: Money { debits - credits }

        /// A line summed elsewhere (by the database, over the stored ledger).
        public init(account: LedgerAccount, debits: Money, credits: Money) {
            self.account = account
            self.debits = debits
            self.credits = credits
        }
    }

    public var lines: [Line]
    public var asOf: CalendarDate?

    /// The trial balance of `transactions` posted on or before `asOf` (all when `nil`).
    public init(_ transactions: [LedgerTransaction], asOf: CalendarDate? = nil) {
        self.asOf = asOf
        // One line per account and currency: an account with euro and dollar entries has two
        // lines, never one sum.
        struct AccountInCurrency: Hashable {
            var account: LedgerAccount
            var currency: Currency
        }
        var totals: [AccountInCurrency: (debits: Money, credits: Money)] = [:]
        for transaction in transactions where asOf.map({ transaction.date <= $0 }) ?? true {
            for entry in transaction.entries {
                let zero = Money.zero(entry.amount.currency)
                let key = AccountInCurrency(account: entry.account, currency: entry.amount.currency)
                var total = totals[key] ?? (zero, zero)
                if entry.side == .debit { total.debits = total.debits + entry.amount } else { total.credits = total.credits + entry.amount }
                totals[key] = total
            }
        }
        lines = totals.map { Line(account: $0.key.account, debits: $0.value.debits, credits: $0.value.credits) }
            .sorted { ($0.account, $0.debits.currency.rawValue) < ($1.account, $1.debits.currency.rawValue) }
    }

    /// Total debits per currency.
    public var totalDebits: [Currency: Money] { sum(\.debits) }
    /// Total credits per currency.
    public var totalCredits: [Currency: Money] { sum(\.credits) }

    /// Whether the balances sum to zero in every currency.
    public var isBalanced: Bool { totalDebits == totalCredits }

    /// The balance of one account in one currency (zero when it has no entries in it).
    public func balance(of account: LedgerAccount, currency: Currency = .usd) -> Money {
        lines.first { $0.account == account && $0.debits.currency == currency }?.balance ?? .zero(currency)
    }

    /// The currencies the ledger holds, US dollars first, then by code.
    public var currencies: [Currency] {
        Set(lines.map(\.debits.currency)).sorted { ($0 == .usd ? 0 : 1, $0.rawValue) < ($1 == .usd ? 0 : 1, $1.rawValue) }
    }

    private func sum(_ side: KeyPath<Line, Money>) -> [Currency: Money] {
        var sums: [Currency: Money] = [:]
        for line in lines {
            let amount = line[keyPath: side]
            sums[amount.currency] = (sums[amount.currency] ?? .zero(amount.currency)) + amount
        }
        return sums
    }
}
