import Contracts
import Core
import Storage

/// Each party's net balance at every month end, and the cash it moved each month, replayed
/// from the postings.
///
/// The ledger keeps transactions, not balances over time, and the trial balance only says
/// where things stand now; the mediator's page needs the path that led there, so it is summed
/// here from the same postings, in exact minor units.
struct LedgerHistory {
    /// A calendar month, counted in months since year 0 so that a range of months is a range
    /// of integers.
    struct Month: Hashable, Comparable {
        var index: Int

        init(index: Int) { self.index = index }

        init(_ date: CalendarDate) {
            let (year, month, _) = date.components
            index = year * 12 + month - 1
        }

        var year: Int { index / 12 }
        var month: Int { index % 12 + 1 }

        /// The month's last day: balances are read at month end.
        var lastDay: CalendarDate {
            CalendarDate(year: Month(index: index + 1).year, month: Month(index: index + 1).month, day: 1)!.adding(days: -1)
        }

        /// `2026-03`, sortable and unambiguous in tables and CSV-minded eyes.
        var label: String {
            let digits = String(month)
            return "\(year)-\(digits.count == 1 ? "0" : "")\(digits)"
        }

        static func < (lhs: Month, rhs: Month) -> Bool { lhs.index < rhs.index }
    }

    /// Cash debited to a party's cash account (received) and credited (paid) in one month.
    struct Cash: Hashable {
        var received: Int64 = 0
        var paid: Int64 = 0
    }

    let currency: Currency
    /// Every month from the first posting's to the last's, gaps included, so lines are drawn
    /// on a continuous time axis.
    let months: [Month]
    /// Net balance (debits minus credits, minor units) at the end of each of ``months``.
    let balances: [Party: [Int64]]
    /// Cash moved per party, only in months when some moved.
    let cash: [Party: [Month: Cash]]

    /// The history of `transactions` in `currency`; entries in other currencies are left out,
    /// as statements leave them out, rather than added to dollars.
    init(_ transactions: [LedgerTransaction], currency: Currency = .usd) {
        let movements = transactions.flatMap { transaction in
            transaction.entries.map { entry in
                let (year, month, _) = transaction.date.components
                return LedgerMovement(
                    account: entry.account, year: year, month: month, currency: entry.amount.currency,
                    debits: entry.side == .debit ? entry.amount.minorUnits : 0, credits: entry.side == .credit ? entry.amount.minorUnits : 0)
            }
        }
        self.init(movements: movements, currency: currency)
    }

    /// The history from the ledger summed per account and month (``LedgerRepository/monthlyMovements()``),
    /// which a ledger of millions of postings can give without being read whole.
    init(movements: [LedgerMovement], currency: Currency = .usd) {
        self.currency = currency
        var changes: [Party: [Int: Int64]] = [:]
        var cash: [Party: [Month: Cash]] = [:]
        var first: Int?
        var last: Int?
        for movement in movements where movement.currency == currency {
            let month = Month(index: movement.year * 12 + movement.month - 1)
            let party = movement.account.party
            changes[party, default: [:]][month.index, default: 0] += movement.debits - movement.credits
            if movement.account.kind == .cash {
                cash[party, default: [:]][month, default: Cash()].received += movement.debits
                cash[party, default: [:]][month, default: Cash()].paid += movement.credits
            }
            first = min(first ?? month.index, month.index)
            last = max(last ?? month.index, month.index)
        }
        guard let first, let last else {
            months = []
            balances = [:]
            self.cash = [:]
            return
        }
        months = (first...last).map(Month.init(index:))
        balances = changes.mapValues { byMonth in
            var running: Int64 = 0
            return (first...last).map { index in
                running += byMonth[index] ?? 0
                return running
            }
        }
        self.cash = cash
    }

    /// Month-end dates, the x positions of the balance lines.
    var monthEnds: [CalendarDate] { months.map(\.lastDay) }

    /// Whether any cash moved at all: before payments are recorded the ledger holds only
    /// obligations, and a cash table would be empty.
    var hasCash: Bool { !cash.isEmpty }

    /// The parties with the largest closing balances either way, at most `limit` of them:
    /// a chart with a line per party stops being readable long before the ledger runs out of
    /// parties.
    func largestParties(limit: Int) -> [Party] {
        balances.sorted { lhs, rhs in
            let (left, right) = ((lhs.value.last ?? 0).magnitude, (rhs.value.last ?? 0).magnitude)
            return left != right ? left > right : lhs.key < rhs.key
        }
        .prefix(limit).map(\.key)
    }
}
