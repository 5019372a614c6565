import ArgumentParser
import Contracts
import Core
import Foundation
import Server
import Storage

/// `curepath ledger trial-balance|statement|net-prices|verify|pay|import-remittance`: read and
/// check the mediator's ledger, and record the money that moved.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Read the ledger: the trial balance, statements per party, net prices; verify it; record payments.",
        subcommands: [TrialBalanceCommand.self, StatementCommand.self, NetPricesCommand.self, VerifyLedgerCommand.self,
                      PayCommand.self, ImportRemittanceCommand.self])
}

/// `curepath ledger verify`: what a balanced trial balance cannot show — that every posting
/// equals its entries, that none is missing from the sequence or from the end the head
/// checkpoint recorded, and that every settlement run's postings are what the engine derives
/// again from the stored inputs (``LedgerVerifier``). Exits 1 with the first difference each
/// check found.
struct VerifyLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check each posting against its entries, the sequence and the head checkpoint, and re-derive every settlement run read-only; exits 1 on a difference.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let verification = try await database.withStore { try await LedgerVerifier(store: $0).verify() }
        guard verification.intact else {
            for problem in verification.problems { printError(problem) }
            throw ExitCode(1)
        }
        let direct = verification.postedDirectly > 0 ? " (\(verification.postedDirectly) posted outside the engine, checked for form only)" : ""
        let head = verification.checkpoint.map { "the checkpoint records \($0.postings) postings and \($0.runs) settlement run\($0.runs == 1 ? "" : "s")" }
            ?? "the checkpoint records no ledger head yet (the next settlement records one)"
        print("ledger verified: \(verification.postings) postings in sequence, each equal to its entries\(direct); "
            + "\(verification.runs) settlement runs re-derived over \(verification.patients) enrollments; \(head)")
    }
}

struct TrialBalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trial-balance", abstract: "Debits, credits and balance per account; exits 1 if they do not balance.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let balance = try await database.withStore { try await $0.ledger.trialBalance() }
        print("account".padding(toLength: 44, withPad: " ", startingAt: 0) + "debits".leftPadded(18) + "credits".leftPadded(18) + "balance".leftPadded(18))
        for line in balance.lines {
            print(line.account.code.padding(toLength: 44, withPad: " ", startingAt: 0) + line.debits.description.leftPadded(18)
                + line.credits.description.leftPadded(18) + line.balance.description.leftPadded(18))
        }
        for (currency, debits) in balance.totalDebits.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print("total \(currency.rawValue)".padding(toLength: 44, withPad: " ", startingAt: 0) + debits.description.leftPadded(18)
                + (balance.totalCredits[currency]?.description ?? "").leftPadded(18))
        }
        guard balance.isBalanced else {
            printError("the ledger does not balance")
            throw ExitCode(1)
        }
        print(balance.lines.isEmpty ? "the ledger is empty" : "balanced")
    }
}

struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statement", abstract: "A party's statement for a period, as a table, CSV or JSON.")
    enum Format: String, ExpressibleByArgument { case table, csv, json }

    @Argument(help: "The party: payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>.") var party: String
    @Option(help: "First day (YYYY-MM-DD).") var from: String?
    @Option(help: "Last day (YYYY-MM-DD).") var to: String?
    @Option(help: "table, csv or json.") var format: Format = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let party = Party(code: party) else { throw refusal("PARTY: '\(self.party)' must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>") }
        func day(_ text: String?, _ flag: String) throws -> CalendarDate? {
            guard let text else { return nil }
            guard let date = CalendarDate(iso8601: text) else { throw refusal("--\(flag): '\(text)' is not a date (YYYY-MM-DD)") }
            return date
        }
        let period = Core.DateInterval(start: try day(from, "from"), end: try day(to, "to"))
        let transactions = try await database.withStore { try await $0.ledger.transactions(touching: party) }
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!)
        let statements = Statement.perCurrency(party: party, period: period, transactions: transactions, asOf: today)
        switch format {
        case .csv: print(StatementText.csv(statements, asOf: today), terminator: "")
        case .json: for statement in statements { print(try StatementText.json(statement)) }
        case .table:
            for statement in statements {
                print("statement of \(party.code) in \(statement.currency.rawValue) \(period.start?.description ?? "beginning") – \(period.end?.description ?? "now")")
                for line in statement.lines {
                    let amount = line.debit.map { "Dr \($0)" } ?? line.credit.map { "Cr \($0)" } ?? ""
                    print("\(line.date)  \(line.account.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(amount.leftPadded(20))  \(line.balance.description.leftPadded(18))  \(line.memo)")
                }
                print("closing: " + statement.closing.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
                let ageing = statement.ageing
                print("outstanding as of \(ageing.asOf): owes " + AgeingBucket.allCases.map { "\($0.label) \(ageing.owes[$0]!)" }.joined(separator: ", ")
                    + "; owed " + AgeingBucket.allCases.map { "\($0.label) \(ageing.owed[$0]!)" }.joined(separator: ", "))
            }
        }
    }
}

struct NetPricesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "net-prices",
        abstract: "Each treated unit's net price after rebates and refunds to date, flagged when it sets a new Medicaid best price; then the best price per product and outcome tier.")
    enum Format: String, ExpressibleByArgument { case table, csv }

    @Option(help: "The date (YYYY-MM-DD); default today, UTC.") var asOf: String?
    @Option(help: "table or csv.") var format: Format = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let date: CalendarDate
        if let asOf {
            guard let parsed = CalendarDate(iso8601: asOf) else { throw refusal("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)") }
            date = parsed
        } else {
            date = CalendarDate.today(in: TimeZone(identifier: "UTC")!)
        }
        let report = NetPrice.report(units: try await database.withStore { try await SettlementService(store: $0).units(asOf: date) })
        switch format {
        case .csv:
            print("contract_id,patient_id,product_id,tier,unit_price,net_price,currency,prior_best_price,sets_new_best_price,set_on")
            for unit in report {
                print([unit.contractID.rawValue, unit.patientID.rawValue, unit.productID.rawValue, unit.tier, unit.unitPrice.decimalText,
                       unit.netPrice.decimalText, unit.netPrice.currency.rawValue, unit.priorBestPrice?.decimalText ?? "",
                       unit.setsNewBestPrice ? "true" : "false", unit.setOn.description].map(StatementText.csvField).joined(separator: ","))
            }
        case .table:
            for unit in report {
                print("\(unit.setOn)  \(unit.contractID)  \(unit.patientID)  \(unit.tier)  \(unit.netPrice.description.leftPadded(16)) of \(unit.unitPrice)\(unit.setsNewBestPrice ? "  NEW BEST PRICE" : "")")
            }
            print("best prices:")
            for best in NetPrice.bestPrices(report).sorted(by: { ($0.productID, $0.tier) < ($1.productID, $1.tier) }) {
                print("  \(best.productID)  \(best.tier)  \(best.price)  (\(best.patientID))")
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
