import ArgumentParser
import CareNetwork
import Contracts
import Core
import Foundation
import Storage

/// `curepath bench settle`: the settlement engine alone, then a full settlement and a re-run
/// with nothing new through the store, on SQLite (default) or PostgreSQL.
///
/// The workload is ``SettlementBenchmark``'s: ten contracts of the five worked kinds under
/// the three portability rules, patients infused over two years and followed for five, about
/// ten outcome events each, two payer changes per ten patients a year. The store is loaded
/// in-process; each settlement then runs as a child `curepath settle`, so its time and peak
/// memory are those of the real command, without the generator's data in the same process.
struct SettleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract: "Settlement at scale: the pure engine's events/s, then a full settlement and a re-run through the store.")

    @Option(help: "Treated patients to generate.") var patients: Int = 1_000_000
    @Option(help: "Patients per engine batch in the pure-engine timing.") var batchSize: Int = 50_000
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; the run uses a throwaway schema that is dropped afterwards.")
    var databaseURL: String?
    @Flag(help: "Time the pure engine only.") var engineOnly = false
    @Flag(help: "Keep the SQLite benchmark database (its path is printed) instead of deleting it.") var keep = false
    @Flag(help: "Load the store and stop, keeping the SQLite database (for fault tests of a settlement).") var loadOnly = false
    @Option(help: "Write the results as JSON to this file too.") var json: String?

    func run() async throws {
        guard patients > 0 else { throw refusal("--patients: must be positive") }
        var results = SettleBenchResults(patients: patients)
        var started = ContinuousClock.now
        func lap() -> Double {
            let elapsed = ContinuousClock.now - started
            started = ContinuousClock.now
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }

        let files = BenchSettleContracts.files
        let contracts = try files.map { try ContractFile.parse($0) }
        do {
            let workload = SettlementBenchmark.workload(patients: patients)
            results.events = workload.outcomes.count
            results.coveragePeriods = workload.coverage.count
            results.asOf = workload.asOf.description
            FileHandle.standardError.write(Data("generated \(patients) patients, \(workload.outcomes.count) events, \(workload.coverage.count) coverage periods in \(String(format: "%.1f", lap())) s\n".utf8))

            var engineWorkload = workload
            engineWorkload.contracts = contracts
            let engine = await SettlementBenchmark.measure(engineWorkload, batchSize: batchSize)
            results.engineSeconds = engine.seconds
            results.engineTransactions = engine.transactions
            FileHandle.standardError.write(Data("pure engine: \(engine)\n".utf8))
            if engineOnly {
                print(results.table)
                return
            }

            let (location, arguments, cleanup) = try prepareDatabase()
            results.database = location.description
            defer { cleanup() }
            let store = try await Store.open(location)
            do {
                _ = lap()
                try await load(workload, files: files, contracts: contracts, into: store)
                results.loadSeconds = lap()
                FileHandle.standardError.write(Data("loaded the store in \(String(format: "%.1f", results.loadSeconds)) s\n".utf8))
                if loadOnly {
                    await store.close()
                    return
                }
            } catch {
                await store.close()
                throw error
            }
            await store.close()

            let full = try settleInChild(asOf: workload.asOf, arguments: arguments)
            results.fullSeconds = full.seconds
            results.fullTransactions = full.posted
            results.fullPeakMemoryBytes = full.peakBytes
            let again = try settleInChild(asOf: workload.asOf, arguments: arguments)
            results.rerunSeconds = again.seconds
            results.rerunTransactions = again.posted
            results.rerunPeakMemoryBytes = again.peakBytes
            if case .postgres(let url) = location, let schema = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "schema" })?.value {
                let store = try await Store.open(location)
                try? await store.database.withConnection { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
                await store.close()
            }
        }
        print(results.table)
        if let json { try writeResults(results, to: json) }
    }

    private func prepareDatabase() throws -> (DatabaseLocation, [String], () -> Void) {
        if let databaseURL {
            let name = "bench_settle_\(Int(Date().timeIntervalSince1970))"
            let url = databaseURL + (databaseURL.contains("?") ? "&" : "?") + "schema=\(name)"
            let location = DatabaseLocation.postgres(url: url)
            return (location, ["--database-url", url], {})
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curepath-bench-settle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("bench.sqlite").path
        let keeps = keep || loadOnly
        if keeps { print("keeping the benchmark database at \(path)") }
        return (.sqliteFile(path: path), ["--database", path], { if !keeps { try? FileManager.default.removeItem(at: directory) } })
    }

    /// Files the contracts, then loads payers, patients, coverage, enrollments and outcome
    /// events in one import transaction.
    private func load(_ workload: SettlementBenchmark.Workload, files: [String], contracts: [ContractTerms], into store: Store) async throws {
        let payerIDs = Set(workload.coverage.map(\.payerID)).union(workload.treatedPatients.map(\.payingPayer)).sorted()
        let payers = payerIDs.map { Payer(id: $0, name: "Bench payer \($0)", kind: .commercial) }
        let plans = Set(workload.coverage.map(\.planID)).sorted().map { Plan(id: $0, payerID: payerIDs[0], name: "Bench plan", type: .commercial) }
        let patients = workload.treatedPatients.map { Patient(id: $0.patientID, birthYear: 1980, sex: .unknown) }
        var network = NetworkImport(
            directory: Directory(payers: payers, plans: plans), patients: patients, identifiers: [], coverage: workload.coverage,
            cases: [], custody: [])
        network.contracts = Array(zip(contracts, files)).map { (terms: $0.0, document: $0.1) }
        network.treatedPatients = workload.treatedPatients
        network.outcomes = workload.outcomes
        try await store.importNetwork(network)
    }

    struct ChildRun {
        var seconds: Double
        var posted: Int
        var peakBytes: Int
    }

    /// Runs `curepath settle` as a child and measures its wall time and peak resident memory.
    private func settleInChild(asOf: CalendarDate, arguments: [String]) throws -> ChildRun {
        let start = ContinuousClock.now
        // The synthetic book runs to 2031; a real settlement may not be dated in the future.
        let output = try Self.runChild(["settle", "--as-of", asOf.description, "--allow-future-date"] + arguments)
        let elapsed = ContinuousClock.now - start
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        let posted = output.split(separator: " ").firstIndex(of: "transactions").flatMap { index in
            Int(output.split(separator: " ")[index - 1])
        } ?? -1
        FileHandle.standardError.write(Data("settle: \(output.trimmingCharacters(in: .whitespacesAndNewlines))\n".utf8))
        return ChildRun(
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, posted: posted,
            // Linux reports kilobytes; the largest child waited for so far.
            peakBytes: Int(usage.ru_maxrss) * 1024)
    }

    @discardableResult
    static func runChild(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("curepath \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// What `bench settle` measured, against the floors in the contracts issue.
struct SettleBenchResults: Encodable {
    var database = "–"
    var patients: Int
    var events = 0
    var coveragePeriods = 0
    var asOf = ""
    var engineSeconds = 0.0
    var engineTransactions = 0
    var loadSeconds = 0.0
    var fullSeconds = 0.0
    var fullTransactions = 0
    var fullPeakMemoryBytes = 0
    var rerunSeconds = 0.0
    var rerunTransactions = 0
    var rerunPeakMemoryBytes = 0

    var engineEventsPerSecond: Double { Double(events) / max(engineSeconds, 1e-9) }

    var table: String {
        let row = BenchTable(widths: (34, 22, 12), missed: "ABOVE FLOOR", floorsApply: database.hasPrefix("SQLite")).row
        let gib = 1024.0 * 1024 * 1024
        var lines = [
            "bench settle — \(database), \(patients) treated patients, \(events) outcome events, \(coveragePeriods) coverage periods, as of \(asOf)",
            row("measure", "result", "floor", nil),
            row("pure engine", String(format: "%.0f events/s", engineEventsPerSecond), "", nil),
            row("  postings", "\(engineTransactions)", "", nil),
        ]
        if fullSeconds > 0 {
            lines += [
                row("load the store (untimed)", String(format: "%.1f s", loadSeconds), "", nil),
                row("full settlement", String(format: "%.1f s", fullSeconds), "≤ 60 s", fullSeconds <= 60),
                row("  postings", "\(fullTransactions)", "", nil),
                row("  peak memory", String(format: "%.2f GiB", Double(fullPeakMemoryBytes) / gib), "≤ 4 GiB", Double(fullPeakMemoryBytes) <= 4 * gib),
                row("re-run, nothing new", String(format: "%.1f s", rerunSeconds), "≤ 10 s", rerunSeconds <= 10),
                row("  postings", "\(rerunTransactions)", "0", rerunTransactions == 0),
            ]
        }
        return lines.joined(separator: "\n")
    }
}
