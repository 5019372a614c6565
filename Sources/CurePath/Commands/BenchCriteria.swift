import Access
import ArgumentParser
import CareNetwork
import Core
import Coverage
import Criteria
import DemoNetwork
import Foundation
import Hummingbird
import Server
import Storage

/// `curepath bench criteria`: criterion evaluations per second on one core (100,000
/// patients against 20 criteria sets by default), then the PA work-queue page with 50,000
/// open requests, as the mediator (every request) and as one center.
struct CriteriaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "Criteria evaluation throughput on one core, then the PA work queue page over many open requests.")

    @Option(help: "Synthetic patients to evaluate.") var patients: Int = 100_000
    @Option(help: "Criteria sets each patient is evaluated against.") var sets: Int = 20
    @Option(help: "Timed passes over the whole workload (the best is reported: the least disturbed by other work).") var passes: Int = 3
    @Option(help: "Open PA requests in the store for the work-queue timing (0 skips it).") var openRequests: Int = 50_000
    @Option(help: "Work-queue pages requested per view.") var pageSamples: Int = 100
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; the run uses a throwaway schema that is dropped afterwards.")
    var databaseURL: String?
    @Option(help: "Write the results as JSON to this file too.") var json: String?

    func run() async throws {
        guard patients > 0, sets > 0 else { throw refusal("--patients and --sets: must be positive") }
        guard openRequests >= 0 else { throw refusal("--open-requests: must not be negative") }
        var results = CriteriaBenchResults(patients: patients, sets: sets)
        let workload = CriteriaBenchmark.workload(patients: patients, sets: sets)
        results.criterionEvaluations = workload.criterionEvaluations
        let bar = ProgressBar("evaluating", total: max(1, passes))
        var best: CriteriaBenchmark.Measurement?
        for pass in 0..<max(1, passes) {
            let measurement = CriteriaBenchmark.measure(workload)
            if best == nil || measurement.seconds < best!.seconds { best = measurement }
            bar.update(pass + 1)
        }
        bar.finish(best.map { "\(Int($0.evaluationsPerSecond)) evaluations/s" } ?? "")
        if let best {
            results.seconds = best.seconds
            results.verdicts = "\(best.likelyApprovable) likely-approvable, \(best.notApprovable) not-approvable, \(best.incomplete) incomplete"
        }
        if openRequests > 0 { try await timeQueue(into: &results) }
        print(results.table)
        if let json { try writeResults(results, to: json) }
    }

    /// Loads a small demo network, spreads `openRequests` submitted and draft requests over
    /// its cases, and times the queue page for the mediator and for the busiest center.
    private func timeQueue(into results: inout CriteriaBenchResults) async throws {
        let bench = try BenchStore(databaseURL: databaseURL)
        defer { bench.cleanup?() }
        results.database = bench.location.description
        let store = try await Store.open(bench.location)
        do {
            let demo = DemoNetwork.build(caseCount: 2_000)
            try await DemoLoader.load(demo, into: store, custody: false, identities: false, contracts: false)
            let requests = Self.openRequests(openRequests, over: demo, now: Date())
            let started = ContinuousClock.now
            try await store.priorAuthorizations.importRequests(requests)
            results.requestsLoaded = try await store.priorAuthorizations.queue(PriorAuthorizationQuery(scope: .all, limit: 1), now: Date()).open
            results.loadSeconds = (ContinuousClock.now - started).seconds
            if bench.schema != nil {
                // What autovacuum does soon after a bulk load: statistics and the visibility map
                // that lets PostgreSQL count from the index alone. Timed pages then show the
                // steady state, not the minute after the load.
                try await store.database.withConnection { db in try await db.raw("VACUUM ANALYZE prior_authorizations").run() }
            }

            var configuration = AppConfiguration()
            configuration.loadDemo = false
            let app = Application(router: try await buildRouter(configuration, store: store))
            let busiest = Dictionary(grouping: requests, by: \.center).max { $0.value.count < $1.value.count }!
            results.centerRequests = busiest.value.count
            let mediator = try await BenchRequests.credential(.mediatorOperator, in: Organization(id: "org-bench-mediator", name: "Mediator", kind: .mediator), store: store)
            let coordinator = try await BenchRequests.credential(
                .centerCoordinator, in: Organization(id: "org-bench-center", name: "Center", kind: .center, centerID: busiest.key), store: store)
            let uris = (0..<max(1, pageSamples)).map { index in
                ["/prior-authorizations", "/prior-authorizations?clock=overdue", "/prior-authorizations?offset=\(index % 20 * 50)"][index % 3]
            }
            let all = try await BenchRequests.time(uris, secret: mediator, on: app)
            let center = try await BenchRequests.time(uris, secret: coordinator, on: app)
            results.mediatorP50Milliseconds = all[all.count / 2] * 1000
            results.mediatorP95Milliseconds = all[all.count * 95 / 100] * 1000
            results.centerP50Milliseconds = center[center.count / 2] * 1000
            results.centerP95Milliseconds = center[center.count * 95 / 100] * 1000
            try await bench.dropSchema(of: store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// `count` requests on the demo's cases: most submitted over the past ten days under
    /// each plan type's clock (so some are overdue and some due soon), a tenth still drafts.
    static func openRequests(_ count: Int, over demo: DemoNetwork, now: Date) -> [PriorAuthorization] {
        var random = SeededGenerator(seed: 0x9A_0E0E)
        let kinds = Dictionary(uniqueKeysWithValues: demo.payers.map { ($0.id, $0.kind) })
        return (0..<count).map { index in
            let record = demo.cases[index % demo.cases.count].record
            let planType = (kinds[record.payerID] ?? .commercial).defaultPlanType
            let created = now.addingTimeInterval(-Double(random.next() % (10 * 86_400)))
            var request = PriorAuthorization(
                id: PriorAuthorizationID("pa-bench-\(index)"), caseID: record.id, patient: record.patientID, center: record.centerID, payer: record.payerID,
                planType: planType, service: .therapy(record.productID), urgency: index % 4 == 0 ? .expedited : .standard, createdAt: created)
            if index % 10 != 0 {
                let submit = PriorAuthorizationTransition(id: "t1", action: .submit, at: created.addingTimeInterval(600))
                request = (try? request.applying(submit, policy: DecisionClocks.cmsDefaults.policy(for: planType))) ?? request
            }
            return request
        }
    }
}

struct CriteriaBenchResults: Encodable {
    var patients: Int
    var sets: Int
    var criterionEvaluations = 0
    var seconds = 0.0
    var verdicts = ""
    var database = ""
    var requestsLoaded = 0
    var loadSeconds = 0.0
    var centerRequests = 0
    var mediatorP50Milliseconds = 0.0
    var mediatorP95Milliseconds = 0.0
    var centerP50Milliseconds = 0.0
    var centerP95Milliseconds = 0.0

    var evaluationsPerSecond: Double { Double(criterionEvaluations) / max(seconds, 1e-9) }

    var table: String {
        // Both floors of the PA issue are measured on each database, so they apply to both.
        let row = BenchTable(widths: (40, 22, 14), missed: "BELOW FLOOR", floorsApply: true).row
        var lines = [
            "bench criteria — \(patients) patients × \(sets) criteria sets, one core",
            row("measure", "result", "floor", nil),
            row("criterion evaluations", "\(criterionEvaluations) in " + String(format: "%.2f s", seconds), "", nil),
            row("throughput (best pass)", String(format: "%.0f /s", evaluationsPerSecond), "≥ 1000000/s", evaluationsPerSecond >= 1_000_000),
        ]
        lines.append("  verdicts: " + verdicts)
        if requestsLoaded > 0 {
            lines += [
                row("open PA requests (\(database.hasPrefix("SQLite") ? "SQLite" : "PostgreSQL"))", "\(requestsLoaded) in " + String(format: "%.1f s", loadSeconds), "", nil),
                row("queue page, mediator (all) p50", String(format: "%.2f ms", mediatorP50Milliseconds), "< 50 ms", mediatorP50Milliseconds < 50),
                row("queue page, mediator (all) p95", String(format: "%.2f ms", mediatorP95Milliseconds), "< 50 ms", mediatorP95Milliseconds < 50),
                row("queue page, center (\(centerRequests)) p50", String(format: "%.2f ms", centerP50Milliseconds), "< 50 ms", centerP50Milliseconds < 50),
                row("queue page, center p95", String(format: "%.2f ms", centerP95Milliseconds), "< 50 ms", centerP95Milliseconds < 50),
            ]
        }
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
