import Access
import CareNetwork
import Contracts
import Core
import Foundation
import Storage

/// The mediator's view of the ledger: whether it balances, how each party's position has
/// moved month by month, the cash that changed hands, the latest settlement runs, and a way
/// into every party's statement — the page the mediator checks after each settlement.
struct LedgerPage {
    struct TrialRow { var account, name, kind, debits, credits, balance: String; var negative: Bool; var link: String }
    struct RunRow { var id, asOf, startedAt, requestedBy: String; var posted, flags: Int }
    struct PartyRow { var code, name, net, link: String; var negative: Bool }
    struct CashRow { var party, name, link, month, received, paid, net: String; var negative: Bool }

    /// Lines a chart can carry before it turns into a tangle.
    static let chartedParties = 8
    /// Runs listed; the total counts more.
    static let listedRuns = 20

    var session = PageSession.current
    var empty: Bool
    var transactionCount: Int
    var runCount: Int
    var balanced: Bool
    var balanceStatus: String
    var balanceClass: String
    var totalDebits: String
    var totalCredits: String
    var balanceChart: String?
    var cashRows: [CashRow]
    var hasCash: Bool
    var trialBalance: [TrialRow]
    var runs: [RunRow]
    var parties: [PartyRow]
    var outstanding: LedgerOutstanding

    init(
        transactionCount: Int, history: LedgerHistory, trialBalance balance: TrialBalance, runs allRuns: [SettlementRun], runCount: Int,
        directory: Directory, outstanding: LedgerOutstanding, currency: Currency = .usd
    ) {
        empty = transactionCount == 0
        self.transactionCount = transactionCount
        self.runCount = runCount
        func money(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: currency).description }
        func amounts(_ byCurrency: [Currency: Money]) -> String {
            byCurrency.isEmpty ? Money.zero(currency).description
                : byCurrency.values.sorted { $0.currency.rawValue < $1.currency.rawValue }.map(\.description).joined(separator: " + ")
        }

        balanced = balance.isBalanced
        totalDebits = amounts(balance.totalDebits)
        totalCredits = amounts(balance.totalCredits)
        if balance.isBalanced {
            balanceStatus = "Balanced: debits equal credits (\(totalDebits)) across \(balance.lines.count) accounts."
            balanceClass = "intact"
        } else {
            balanceStatus = "Out of balance: debits \(totalDebits), credits \(totalCredits). Postings bypassed the ledger's checks; investigate before settling again."
            balanceClass = "broken"
        }
        trialBalance = balance.lines.map {
            TrialRow(account: $0.account.code, name: LedgerPartyLabel.name(of: $0.account.party, in: directory), kind: $0.account.kind.rawValue,
                     debits: $0.debits.description, credits: $0.credits.description, balance: $0.balance.description,
                     negative: $0.balance.minorUnits < 0, link: LedgerPartyLabel.statementPath($0.account.party))
        }

        var net: [Party: Int64] = [:]
        for line in balance.lines where line.debits.currency == currency { net[line.account.party, default: 0] += line.balance.minorUnits }
        parties = Set(balance.lines.map(\.account.party)).sorted().map { party in
            let value = net[party] ?? 0
            return PartyRow(code: party.code, name: LedgerPartyLabel.name(of: party, in: directory), net: money(value),
                            link: LedgerPartyLabel.statementPath(party), negative: value < 0)
        }

        runs = allRuns.prefix(Self.listedRuns).map {
            RunRow(id: $0.id, asOf: $0.asOf.description, startedAt: AuditEntry.timestamp($0.startedAt), requestedBy: $0.requestedBy ?? "",
                   posted: $0.transactionsPosted, flags: $0.flags)
        }

        let charted = history.largestParties(limit: Self.chartedParties)
        if !charted.isEmpty {
            let all = history.balances.count
            let note = all > charted.count
                ? "Showing the \(charted.count) parties with the largest balances either way, of \(all); every party is in the table below."
                : "Every party with postings: \(all)."
            let chart = BalanceChart(
                id: "balance-chart",
                title: "Net balance per party at each month end, \(history.months.first!.label) to \(history.months.last!.label): debits minus credits over all of the party's accounts",
                dates: history.monthEnds,
                series: charted.map { BalanceChart.Series(label: LedgerPartyLabel.label(of: $0, in: directory), values: history.balances[$0]!) },
                note: note, currency: currency)
            balanceChart = chart.render()
        }

        hasCash = history.hasCash
        cashRows = history.cash.sorted { $0.key < $1.key }.flatMap { party, months in
            months.sorted { $0.key < $1.key }.map { month, cash in
                CashRow(party: party.code, name: LedgerPartyLabel.name(of: party, in: directory), link: LedgerPartyLabel.statementPath(party),
                        month: month.label, received: money(cash.received), paid: money(cash.paid), net: money(cash.received - cash.paid),
                        negative: cash.received < cash.paid)
            }
        }
        self.outstanding = outstanding
    }
}
