import ArgumentParser
import Core
import Foundation
import Linkage

/// `curepath bench link`: link two synthetic sources of a million records each with blocking, and
/// measure it beside the Python `anonlink` library on the same encodings and the same blocks.
///
/// The sources come from ``SyntheticPopulation`` (known truth, registry-like errors), are encoded
/// with ``RegistrySchema`` and blocked with ``RegistryBlocking``. Encoding is timed and reported on
/// its own: both sides match the same CLKs, so it is not part of the comparison. The encodings and
/// blocking keys are written to the work directory, the Swift matcher runs (all cores, then one
/// task), then `scripts/linkage/anonlink_bench.py` runs anonlink on those files as a child process,
/// and the two are compared: comparisons per second, wall time, and whether they link the same pairs.
struct LinkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Blocked CLK matching of two sources (1,000,000 records each by default), side by side with anonlink (docs/PERFORMANCE.md).")

    @Option(help: "Records in each source.") var records: Int = 1_000_000
    @Option(help: "Share of source B's records that are people in source A.") var overlap: Double = 0.5
    @Option(help: "Dice threshold a pair must reach to be a candidate.") var threshold: Double = Matcher.defaultThreshold
    @Flag(name: .customLong("no-peer"), help: "Run the Swift matcher only, not anonlink.") var noPeer = false
    @Option(name: .customLong("work-dir"), help: "Directory for the encodings, blocks and anonlink's pairs (kept); a temporary one, removed afterwards, if not given.")
    var workDir: String?
    @Option(help: "Python interpreter that has anonlink installed (pip install anonlink==0.15.3).") var python: String = "python3"
    @Option(name: .customLong("peer-script"), help: "The anonlink peer script.") var peerScript: String = "scripts/linkage/anonlink_bench.py"
    @Option(help: "Matching tasks (default: the active processor count).") var tasks: Int?
    @Option(help: "Timed passes of each Swift configuration; the fastest is reported (the least disturbed by other work). anonlink runs once.")
    var passes: Int = 3
    @Option(help: "Seed of the synthetic population.") var seed: UInt64 = 8
    @Option(help: "Write the results as JSON to this file too.") var json: String?

    func run() async throws {
        guard records > 0 else { throw refusal("--records: must be positive") }
        guard overlap >= 0, overlap <= 1 else { throw refusal("--overlap: must be between 0 and 1") }
        guard threshold > 0, threshold <= 1 else { throw refusal("--threshold: must be in (0, 1]") }
        let taskCount = tasks ?? ProcessInfo.processInfo.activeProcessorCount
        guard taskCount > 0 else { throw refusal("--tasks: must be positive") }
        guard passes > 0 else { throw refusal("--passes: must be positive") }
        let peerProblem = noPeer ? nil : LinkBenchPeer.check(python: python, script: peerScript)
        if let peerProblem { note("anonlink peer: \(peerProblem.description); Swift numbers only") }
        let directory = try prepareWorkDirectory()
        defer { if workDir == nil { try? FileManager.default.removeItem(at: directory) } }

        var results = LinkBenchResults(records: records, threshold: threshold, tasks: taskCount, passes: passes)
        var started = ContinuousClock.now
        let shared = Int((overlap * Double(records)).rounded())
        let population: SyntheticPopulation
        do {
            population = try SyntheticPopulation(seed: seed, sourceA: records, shared: shared, onlyInB: records - shared, vocabulary: .large)
        } catch {
            throw refusal(error.description)
        }
        results.shared = shared
        results.generateSeconds = (ContinuousClock.now - started).seconds
        note("generated \(records) + \(records) records (\(shared) people in both) in \(String(format: "%.1f", results.generateSeconds)) s")

        started = ContinuousClock.now
        let bar = ProgressBar("encoding", total: 2 * records)
        let encoder = BloomEncoder(schema: try LinkageSchema(json: Data(RegistrySchema.json.utf8)), secret: LinkageKey(utf8: "curepath bench link secret"))
        let left = try await Self.encode(population.a, encoder: encoder, bar: bar, done: 0)
        let right = try await Self.encode(population.b, encoder: encoder, bar: bar, done: records)
        results.encodeSeconds = (ContinuousClock.now - started).seconds
        bar.finish(String(format: "%.0f records/s", Double(2 * records) / max(results.encodeSeconds, 1e-9)))
        let truth = population.truth

        try LinkBenchFiles.write(left: left, right: right, threshold: threshold, to: directory)
        note("wrote encodings and blocking keys to \(directory.path)")

        // Passes alternate the two configurations, so neither always runs on a warmer (or busier) machine.
        var best: [Int: LinkBenchRun] = [:]
        for _ in 0..<passes {
            for count in Set([1, taskCount]).sorted() {
                let run = try await Self.matchInSwift(left: left, right: right, threshold: threshold, tasks: count, truth: truth, shared: shared)
                note("\(run.name): \(run.summary)")
                if let previous = best[count], previous.pairKeys != run.pairKeys {
                    throw refusal("the Swift matcher linked different pairs in two passes; this is a bug")
                }
                if best[count].map({ run.wallSeconds < $0.wallSeconds }) ?? true { best[count] = run }
            }
        }
        guard let many = best[taskCount], let one = best[1] else { throw refusal("--passes: no Swift pass ran") }
        guard many.pairKeys == one.pairKeys else {
            throw refusal("the Swift matcher linked different pairs with 1 and \(taskCount) tasks; this is a bug")
        }
        results.swift = many
        results.swiftOneTask = one

        if noPeer {
            results.peerNote = "anonlink: not run (--no-peer)"
        } else if let peerProblem {
            results.peerNote = "anonlink: not run — \(peerProblem.description)"
        } else {
            switch LinkBenchPeer.run(python: python, script: peerScript, workDirectory: directory) {
            case .success(var peer):
                peer.score(truth: truth, shared: shared)
                results.anonlink = peer
            case .failure(let problem):
                results.peerNote = "anonlink: \(problem.description)"
            }
        }
        print(results.table)
        if let json { try writeResults(results, to: json) }
    }

    private func note(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    private func prepareWorkDirectory() throws -> URL {
        let url = workDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("curepath-bench-link-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw refusal("--work-dir: \(url.path) cannot be created")
        }
        return url
    }

    /// The records' CLKs and blocking keys, encoded in chunks on every core; chunks are joined in
    /// record order, so the result is the same however the tasks interleave.
    static func encode(_ records: [IdentifierRecord], encoder: BloomEncoder, bar: ProgressBar, done: Int) async throws -> LinkBenchSource {
        let chunk = 5_000
        let bits = encoder.schema.bitLength
        let parts = try await withThrowingTaskGroup(of: (Int, PackedCLKs, BlockingKeys).self) { group in
            for start in stride(from: 0, to: records.count, by: chunk) {
                group.addTask {
                    var clks = try PackedCLKs(bitCount: bits)
                    var keys = BlockingKeys()
                    let end = min(records.count, start + chunk)
                    clks.reserveCapacity(end - start)
                    for r in start..<end {
                        let row = RegistrySchema.row(records[r])
                        try clks.append(try encoder.encode(row, field: "records[\(r)]"), field: "records[\(r)]")
                        keys.append(text: RegistryBlocking.keys(row))
                    }
                    return (start, clks, keys)
                }
            }
            var parts: [(Int, PackedCLKs, BlockingKeys)] = []
            var encoded = 0
            for try await part in group {
                parts.append(part)
                encoded += part.1.count
                bar.update(done + encoded)
            }
            return parts.sorted { $0.0 < $1.0 }
        }
        var clks = try PackedCLKs(bitCount: bits)
        clks.reserveCapacity(records.count)
        var keys = BlockingKeys()
        for (_, c, k) in parts {
            try clks.append(contentsOf: c)
            keys.append(contentsOf: k)
        }
        return LinkBenchSource(clks: clks, keys: keys)
    }

    /// Index, compare and solve, each timed: the same work anonlink's `find_candidate_pairs` and
    /// `greedy_solve` do from the same CLKs and keys in memory.
    static func matchInSwift(left: LinkBenchSource, right: LinkBenchSource, threshold: Double, tasks: Int, truth: [Int?], shared: Int) async throws -> LinkBenchRun {
        var run = LinkBenchRun(name: tasks == 1 ? "Swift, 1 task" : "Swift, \(tasks) tasks")
        run.tasks = tasks
        do {
            var started = ContinuousClock.now
            let blocks = try BlockIndex(left: left.keys, right: right.keys)
            run.indexSeconds = (ContinuousClock.now - started).seconds
            started = ContinuousClock.now
            let candidates = try await ParallelMatcher.compare(left: left.clks, right: right.clks, blocks: blocks, threshold: threshold, tasks: tasks)
            run.compareSeconds = (ContinuousClock.now - started).seconds
            started = ContinuousClock.now
            let result = candidates.solved()
            run.solveSeconds = (ContinuousClock.now - started).seconds
            run.comparisons = result.comparisons
            run.candidates = result.candidates
            run.pairKeys = result.pairs.map { UInt64($0.left) << 32 | UInt64($0.right) }.sorted()
        } catch {
            throw refusal(error.description)
        }
        run.score(truth: truth, shared: shared)
        return run
    }
}

/// One source as the benchmark matches it: packed CLKs and integer blocking keys.
struct LinkBenchSource: Sendable {
    var clks: PackedCLKs
    var keys: BlockingKeys
}
