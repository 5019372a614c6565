import ArgumentParser
import CareNetwork
import Core
import Foundation
import Journey
import Server
import Storage

/// `curepath report …`: reports for people (table) and machines (JSON, CSV).
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reports over the stored cases.", subcommands: [JourneyReport.self])
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

extension JourneyGrouping: ExpressibleByArgument {}

/// `curepath report journey`: interval distributions, losses and bottlenecks, overall or by
/// center, payer or product.
struct JourneyReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "Journey metrics: days per interval (median, p25, p75, p90), losses and bottlenecks."
    )

    @Option(help: "Group by center, payer or product.")
    var by: JourneyGrouping?

    @Option(help: "table (for people), json, or csv (one row per group and interval).")
    var format: ReportFormat = .table

    @Option(help: "Only cases at this center.") var center: String?
    @Option(help: "Only cases with this payer at referral.") var payer: String?
    @Option(help: "Only cases for this product.") var product: String?
    @Option(help: "Only cases referred on or after YYYY-MM-DD.") var referredFrom: String?
    @Option(help: "Only cases referred on or before YYYY-MM-DD.") var referredTo: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let filter: JourneyFilter
        do {
            filter = try JourneyFilter.parse(center: center, payer: payer, product: product, referredFrom: referredFrom, referredTo: referredTo)
        } catch {
            throw refusal(error.description)
        }
        let configuration = try database.configuration()
        let store = try await configuration.openStore()
        let summaries: [CaseSummary]
        let directory: Directory
        do {
            summaries = try await store.cases.summaries(filter)
            directory = try await store.reference.directory()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let groups: [(key: String, name: String, metrics: NetworkMetrics)]
        if let by {
            groups = NetworkMetrics.grouped(summaries, by: by).map { ($0.group, directory.name(of: $0.group, grouping: by), $0.metrics) }
        } else {
            groups = [("network", "Whole network", NetworkMetrics(summaries: summaries))]
        }
        switch format {
        case .json: print(try JourneyReportOutput.json(groups: groups, by: by))
        case .csv: print(JourneyReportOutput.csv(groups: groups), terminator: "")
        case .table: print(JourneyReportOutput.table(groups: groups), terminator: "")
        }
    }
}

extension JourneyFilter {
    /// Parses filter flags, naming the flag in the error.
    static func parse(center: String?, payer: String?, product: String?, referredFrom: String?, referredTo: String?) throws(Core.ValidationError) -> JourneyFilter {
        JourneyFilter(
            centerID: try center.map { raw throws(Core.ValidationError) in try Identifier.validated(raw, field: "--center") },
            payerID: try payer.map { raw throws(Core.ValidationError) in try Identifier.validated(raw, field: "--payer") },
            productID: try product.map { raw throws(Core.ValidationError) in try Identifier.validated(raw, field: "--product") },
            referred: DateInterval(
                start: try referredFrom.map { raw throws(Core.ValidationError) in try CalendarDate.parse(raw, field: "--referred-from") },
                end: try referredTo.map { raw throws(Core.ValidationError) in try CalendarDate.parse(raw, field: "--referred-to") }
            )
        )
    }
}
