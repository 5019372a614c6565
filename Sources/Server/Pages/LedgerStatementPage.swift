import CareNetwork
import Contracts
import Core
import Foundation

/// One party's statement as a page: what it stood at when the period opened, every posting
/// with the contract and patient behind it, and where it closed — what a payer's or a
/// manufacturer's finance team reconciles against their own books, with the same figures as
/// the CSV and JSON downloads beside it.
struct LedgerStatementPage {
    struct Balance { var kind, amount: String; var negative: Bool }
    struct Line {
        var date, key, kind, category, debit, credit, balance, net, memo, contract, patient: String
        /// Optional so the template's section skips it for payments, which cite no clause.
        var clause: String?
        var reversal: Bool
    }

    var session = PageSession.current
    var party: String
    var name: String
    var path: String
    var from: String
    var to: String
    var periodText: String
    var opening: [Balance]
    var openingNet: String
    var lines: [Line]
    var closing: [Balance]
    var closingNet: String
    var closingNegative: Bool
    var chart: String?
    var csvLink: String
    var jsonLink: String
    /// The party's statements in other currencies, one link each (never a sum across them).
    var currencies: [Option] = []
    var showsCurrencies = false
    var currency: String
    var receivables: StatementReceivables
    var payments: StatementPaymentForms?
    var notice: String?

    init(_ statement: Statement, directory: Directory, currencies: [Currency] = []) {
        self.currency = statement.currency.rawValue
        receivables = StatementReceivables(statement)
        let currency = statement.currency
        func money(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: currency).description }
        func balances(_ byKind: [AccountKind: Money]) -> [Balance] {
            byKind.sorted { $0.key < $1.key }.map { Balance(kind: $0.key.rawValue, amount: $0.value.description, negative: $0.value.minorUnits < 0) }
        }

        party = statement.party.code
        name = LedgerPartyLabel.name(of: statement.party, in: directory)
        path = LedgerPartyLabel.statementPath(statement.party)
        from = statement.period.start?.description ?? ""
        to = statement.period.end?.description ?? ""
        switch (statement.period.start, statement.period.end) {
        case (nil, nil): periodText = "all postings"
        case (let start?, nil): periodText = "postings from \(start)"
        case (nil, let end?): periodText = "postings up to \(end)"
        case (let start?, let end?): periodText = "postings from \(start) to \(end)"
        }

        opening = balances(statement.opening)
        closing = balances(statement.closing)
        let openingValue = statement.opening.values.reduce(0) { $0 + $1.minorUnits }
        let closingValue = statement.closing.values.reduce(0) { $0 + $1.minorUnits }
        openingNet = money(openingValue)
        closingNet = money(closingValue)
        closingNegative = closingValue < 0

        // The net position after each line, across all the party's accounts: the per-account
        // balance the statement carries cannot show whether the party is owed or owes overall.
        var running = openingValue
        var points: [(date: CalendarDate, value: Int64)] = []
        if let start = statement.period.start ?? statement.lines.first?.date { points.append((start, openingValue)) }
        // The opening point stays even when postings fall on the first day, so the chart
        // shows the step from where the period opened; later postings of one day make one step.
        let openingPoints = points.count
        lines = statement.lines.map { line in
            running += (line.debit?.minorUnits ?? 0) - (line.credit?.minorUnits ?? 0)
            if points.count > openingPoints, let last = points.last, last.date == line.date {
                points[points.count - 1].value = running
            } else {
                points.append((line.date, running))
            }
            return Line(
                date: line.date.description, key: line.key, kind: line.account.kind.rawValue, category: line.category.rawValue,
                debit: line.debit?.description ?? "", credit: line.credit?.description ?? "", balance: line.balance.description,
                net: money(running), memo: line.memo,
                contract: line.contractID.map { "\($0) v\(line.contractVersion ?? 0)" } ?? "", patient: line.patientID?.rawValue ?? "",
                clause: line.clause, reversal: line.isReversal)
        }
        if let end = statement.period.end, let last = points.last, end > last.date { points.append((end, last.value)) }
        if !statement.lines.isEmpty {
            chart = BalanceChart(
                id: "statement-chart", title: "Net balance of \(name) (\(party)) after each posting, \(periodText)",
                dates: points.map(\.date), series: [BalanceChart.Series(label: "\(name) net", values: points.map(\.value))],
                stepped: true, caption: "net balance after each day's postings", ticksAtMonthEnd: false, currency: currency
            ).render()
        }

        var query: [String] = []
        if let start = statement.period.start { query.append("from=\(start)") }
        if let end = statement.period.end { query.append("to=\(end)") }
        csvLink = path + "?" + (query + ["format=csv"]).joined(separator: "&")
        jsonLink = path + "?" + (query + ["currency=\(statement.currency.rawValue)", "format=json"]).joined(separator: "&")
        let path = path
        if currencies.count > 1 {
            showsCurrencies = true
            self.currencies = currencies.map {
                Option(value: path + "?" + (query + ["currency=\($0.rawValue)"]).joined(separator: "&"), label: $0.rawValue, selected: $0 == statement.currency)
            }
        }
    }
}
