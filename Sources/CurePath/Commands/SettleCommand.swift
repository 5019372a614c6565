import ArgumentParser
import Contracts
import Core
import Foundation
import NIOConcurrencyHelpers
import Storage

/// `curepath settle --as-of DATE`: evaluate every contract for every treated patient as of
/// the date and post what the ledger is missing.
struct SettleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract: "Settle every contract as of a date; re-running the same date posts nothing.")

    @Option(help: "The settlement date (YYYY-MM-DD); outcomes learned later are not used.") var asOf: String
    @Flag(help: "List every posting and flag.") var verbose = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let date = CalendarDate(iso8601: asOf) else { throw refusal("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)") }
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!)
        guard date <= today else { throw refusal("--as-of: \(date) is in the future; settle as of today (\(today)) or earlier") }
        let steps = ["reading contracts", "reading coverage", "reading the ledger", "settling", "posting"]
        let progress = ProgressBar("settle as of \(date)", total: steps.count)
        let step = NIOStep()
        let report = try await database.withStore { store in
            let report = try await SettlementService(store: store).settle(asOf: date, requestedBy: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "console")") { _ in
                progress.update(step.next())
            }
            try await auditAdmin(store, action: "settle", object: "run:\(report.run.id)", detail: "\(report.posted.count) postings, \(report.flags.count) flags")
            return report
        }
        progress.finish("\(report.posted.count) postings, \(report.flags.count) flags")
        let moved = report.posted.reduce(Int64(0)) { $0 + $1.signedAmount.minorUnits }
        print("run \(report.run.id): \(report.posted.count) transactions posted (net \(Money(minorUnits: moved))), \(report.flags.count) flags")
        if verbose {
            for transaction in report.posted {
                print("  \(transaction.date)  \(transaction.key)  \(transaction.amount)  \(transaction.memo)")
            }
            for flag in report.flags { print("  flag: \(flag)") }
        }
    }
}

/// Counts progress callbacks from the settlement service.
final class NIOStep: Sendable {
    private let count = NIOLockedValueBox(0)
    func next() -> Int { count.withLockedValue { $0 += 1; return $0 } }
}
