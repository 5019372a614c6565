import Access
import ArgumentParser
import Core
import DemoNetwork
import Foundation
import Hummingbird
import HummingbirdTesting
import Journey
import Server
import Storage

/// `curepath bench …`: benchmarks run against a throwaway database, printed as a table and
/// optionally as JSON, so figures in docs/PERFORMANCE.md can be reproduced.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks.", subcommands: [JourneyBench.self, SettleBench.self, CriteriaBench.self, LinkBench.self])
}

/// `curepath bench journey`: load N synthetic cases (≈10 events each), compute network
/// metrics over all of them, and time the case page.
struct JourneyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "Load cases and events, compute network metrics, time case pages (SQLite by default; --database-url for PostgreSQL)."
    )

    @Option(help: "Cases to generate.") var cases: Int = 100_000
    @Option(help: "Times the network metrics are computed (the median is reported).") var metricRuns: Int = 5
    @Option(help: "Case pages requested for the page timing.") var pageSamples: Int = 300
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; the run uses a throwaway schema that is dropped afterwards.")
    var databaseURL: String?
    @Option(help: "Write the results as JSON to this file too.") var json: String?

    func run() async throws {
        guard cases > 0 else { throw refusal("--cases: must be positive") }
        let bench = try BenchStore(databaseURL: databaseURL)
        let location = bench.location
        defer { bench.cleanup?() }

        var started = Date()
        let demo = DemoNetwork.build(caseCount: cases)
        let eventCount = demo.eventCount
        FileHandle.standardError.write(Data("generated \(cases) cases, \(eventCount) events in \(seconds(since: started)) s\n".utf8))

        let store = try await Store.open(location)
        var results = BenchResults(database: location.description, cases: cases, events: eventCount)
        do {
            let bar = ProgressBar("loading", total: cases)
            started = Date()
            try await DemoLoader.load(demo, into: store, custody: false, identities: false, contracts: false) { done, _ in bar.update(done) }
            results.loadSeconds = Date().timeIntervalSince(started)
            bar.finish("\(Int(Double(eventCount) / results.loadSeconds)) events/s")

            var metricTimes: [(total: Double, read: Double)] = []
            var metrics: NetworkMetrics?
            for _ in 0..<max(1, metricRuns) {
                started = Date()
                let summaries = try await store.cases.summaries(JourneyFilter())
                let read = Date().timeIntervalSince(started)
                metrics = NetworkMetrics(summaries: summaries)
                metricTimes.append((Date().timeIntervalSince(started), read))
            }
            let median = metricTimes.sorted { $0.total < $1.total }[metricTimes.count / 2]
            results.metricsSeconds = median.total
            results.metricsReadSeconds = median.read
            results.medianReferralToInfusion = metrics?.interval("referral_to_infusion")?.distribution.median

            var configuration = AppConfiguration()
            configuration.loadDemo = false
            // The response cache is off: every sampled page is rendered, as a first read after a
            // write is, and the pages are read as the mediator operator, who may see every case.
            configuration.cachesResponses = false
            let router = try await buildRouter(configuration, store: store)
            // A mediator operator to read the pages as, made here rather than with the demo's
            // users so that no password hashing lands in the load timing.
            let secret = try await BenchRequests.credential(.mediatorOperator, in: Organization(id: "org-bench", name: "Benchmark mediator", kind: .mediator), store: store)
            let ids = (0..<max(1, pageSamples)).map { index in demo.cases[(index * 7919) % demo.cases.count].record.id.rawValue }
            let pageTimes = try await BenchRequests.time(ids.map { "/cases/\($0)" }, secret: secret, on: Application(router: router))
            results.pageP50Milliseconds = pageTimes[pageTimes.count / 2] * 1000
            results.pageP90Milliseconds = pageTimes[pageTimes.count * 9 / 10] * 1000
            try await bench.dropSchema(of: store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        print(results.table)
        if let json { try writeResults(results, to: json) }
    }

    private func seconds(since date: Date) -> String { String(format: "%.2f", Date().timeIntervalSince(date)) }
}

/// Writes a benchmark's results as pretty, key-sorted JSON, for tracking runs over time.
func writeResults(_ results: some Encodable, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(results).write(to: URL(fileURLWithPath: path))
}

/// What `bench journey` measured, against the floors in the foundation issue.
struct BenchResults: Encodable {
    var database: String
    var cases: Int
    var events: Int
    var loadSeconds: Double = 0
    var metricsSeconds: Double = 0
    /// The part of `metricsSeconds` spent reading summaries from the database.
    var metricsReadSeconds: Double = 0
    var pageP50Milliseconds: Double = 0
    var pageP90Milliseconds: Double = 0
    var medianReferralToInfusion: Double?

    var eventsPerSecond: Double { Double(events) / max(loadSeconds, 1e-9) }

    /// The floors are set for the embedded SQLite default; PostgreSQL runs are reported beside them.
    var floorsApply: Bool { database.hasPrefix("SQLite") }

    var table: String {
        let row = BenchTable(widths: (34, 18, 14), missed: "BELOW FLOOR", floorsApply: floorsApply).row
        return [
            "bench journey — \(database), \(cases) cases, \(events) events",
            row("measure", "result", "floor", nil),
            row("load (validate + insert)", String(format: "%.0f events/s", eventsPerSecond), "≥ 50000/s", eventsPerSecond >= 50_000),
            row("network metrics, all cases", String(format: "%.3f s", metricsSeconds), "≤ 1 s", metricsSeconds <= 1),
            row("  of which reading summaries", String(format: "%.3f s", metricsReadSeconds), "", nil),
            row("case page p50 (server)", String(format: "%.2f ms", pageP50Milliseconds), "≤ 10 ms", pageP50Milliseconds <= 10),
            row("case page p90 (server)", String(format: "%.2f ms", pageP90Milliseconds), "", nil),
            row("median referral→infusion", medianReferralToInfusion.map { String(format: "%.1f days", $0) } ?? "–", "", nil),
        ].joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey {
        case database, cases, events, loadSeconds, metricsSeconds, metricsReadSeconds, pageP50Milliseconds, pageP90Milliseconds, medianReferralToInfusion
    }
}
