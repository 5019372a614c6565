import ArgumentParser
import Contracts
import Core
import Foundation
import Storage

/// `curepath settle --as-of DATE`: evaluate every contract for every treated patient as of
/// the date and post what the ledger is missing.
struct SettleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract: "Settle every contract as of a date; re-running the same date posts nothing.")

    @Option(help: "The settlement date (YYYY-MM-DD); outcomes learned later are not used.") var asOf: String
    @Flag(help: "List every posting and flag.") var verbose = false
    @Flag(help: .hidden) var allowFutureDate = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let date = CalendarDate(iso8601: asOf) else { throw refusal("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)") }
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!)
        guard date <= today || allowFutureDate else { throw refusal("--as-of: \(date) is in the future; settle as of today (\(today)) or earlier") }
        let report = try await database.withStore { store in
            let progress = ProgressBar("settle as of \(date)", total: max(1, try await store.contracts.treatedPatientCount()))
            let report = try await SettlementService(store: store).settle(asOf: date, requestedBy: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "console")") { done, _ in
                progress.update(done)
            }
            progress.finish("\(report.run.transactionsPosted) postings, \(report.flags.count) flags\(report.unchanged ? " (nothing new since the last run as of this date)" : "")")
            try await auditAdmin(store, action: "settle", object: "run:\(report.run.id)", detail: "\(report.run.transactionsPosted) postings, \(report.flags.count) flags")
            return report
        }
        print("run \(report.run.id): \(report.run.transactionsPosted) transactions posted, \(report.flags.count) flags")
        if verbose {
            for transaction in report.posted {
                print("  \(transaction.date)  \(transaction.key)  \(transaction.amount)  \(transaction.memo)")
            }
            for flag in report.flags { print("  flag: \(flag)") }
        }
    }
}
