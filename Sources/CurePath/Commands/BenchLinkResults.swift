import Foundation

/// One matcher's run in `bench link`: its timings, its counts, and its pairs scored against the truth.
struct LinkBenchRun: Encodable {
    var name: String
    var version = ""
    /// Matching tasks (Swift only; anonlink's matching runs on one core).
    var tasks: Int?
    /// Reading the files (the peer only; the Swift side has them in memory already).
    var loadSeconds: Double?
    /// Building the block index, when the matcher times it apart (anonlink builds its blocks inside
    /// `find_candidate_pairs`, so its comparison time includes them).
    var indexSeconds: Double?
    var compareSeconds = 0.0
    var solveSeconds = 0.0
    var comparisons = 0
    /// Distinct pairs at or above the threshold.
    var candidates = 0
    var correct = 0
    var precision = 0.0
    var recall = 0.0
    /// The linked pairs as `left << 32 | right`, sorted, for the agreement check; not written to JSON.
    var pairKeys: [UInt64] = []

    init(name: String) { self.name = name }

    var pairs: Int { pairKeys.count }
    /// From CLKs and blocking keys in memory to the linked pairs.
    var wallSeconds: Double { (indexSeconds ?? 0) + compareSeconds + solveSeconds }
    var comparisonsPerSecond: Double { Double(comparisons) / max(wallSeconds, 1e-9) }

    var summary: String {
        String(format: "%ld comparisons in %.2f s (%.1f M/s), %ld pairs, precision %.4f, recall %.4f",
               comparisons, wallSeconds, comparisonsPerSecond / 1e6, pairs, precision, recall)
    }

    /// Precision and recall against the population's truth (left is source A, right source B).
    mutating func score(truth: [Int?], shared: Int) {
        correct = pairKeys.reduce(0) { count, key in
            let left = Int(key >> 32), right = Int(key & 0xFFFF_FFFF)
            return count + (right < truth.count && truth[right] == left ? 1 : 0)
        }
        precision = Double(correct) / Double(max(1, pairs))
        recall = Double(correct) / Double(max(1, shared))
    }

    enum CodingKeys: String, CodingKey {
        case name, version, tasks, loadSeconds, indexSeconds, compareSeconds, solveSeconds, comparisons, candidates, correct, precision, recall
        case pairs, wallSeconds, comparisonsPerSecond
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(tasks, forKey: .tasks)
        try c.encodeIfPresent(loadSeconds, forKey: .loadSeconds)
        try c.encodeIfPresent(indexSeconds, forKey: .indexSeconds)
        try c.encode(compareSeconds, forKey: .compareSeconds)
        try c.encode(solveSeconds, forKey: .solveSeconds)
        try c.encode(comparisons, forKey: .comparisons)
        try c.encode(candidates, forKey: .candidates)
        try c.encode(correct, forKey: .correct)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(comparisonsPerSecond, forKey: .comparisonsPerSecond)
    }
}

/// What `bench link` measured, side by side, against the floor of registry issue item 8: at least
/// anonlink's Dice comparisons per second on this machine, and the same matched pairs.
struct LinkBenchResults: Encodable {
    var records: Int
    var threshold: Double
    var tasks: Int
    /// Timed passes of each Swift configuration (the fastest is kept).
    var passes: Int
    var shared = 0
    var generateSeconds = 0.0
    var encodeSeconds = 0.0
    var swift = LinkBenchRun(name: "Swift")
    var swiftOneTask = LinkBenchRun(name: "Swift, 1 task")
    var anonlink: LinkBenchRun?
    /// Why there is no anonlink column, when there is none.
    var peerNote: String?

    /// Pairs both linked, and pairs either linked.
    var agreement: (both: Int, union: Int)? {
        guard let anonlink else { return nil }
        var i = 0, j = 0, both = 0
        let a = swift.pairKeys, b = anonlink.pairKeys
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                both += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return (both, a.count + b.count - both)
    }

    var table: String {
        let widths = [36, 18, 18, 20, 20]
        func row(_ cells: [String], _ ok: Bool? = nil) -> String {
            var line = ""
            for (cell, width) in zip(cells, widths) { line += cell.padding(toLength: max(width, cell.count + 1), withPad: " ", startingAt: 0) }
            return line + (ok.map { $0 ? "ok" : "BELOW FLOOR" } ?? "")
        }
        let runs = [swift, swiftOneTask] + (anonlink.map { [$0] } ?? [])
        func cells(_ name: String, _ value: (LinkBenchRun) -> String, floor: String = "") -> [String] {
            let values = runs.map(value) + (anonlink == nil ? ["–"] : [])
            return [name] + values + [floor]
        }
        let seconds = { (s: Double) in String(format: "%.2f s", s) }
        let count = { (n: Int) in n.formatted(.number.grouping(.automatic)) }
        var lines = [
            "bench link — \(count(records)) + \(count(records)) records (\(count(shared)) people in both), registry schema, threshold \(threshold)",
            "generating: " + seconds(generateSeconds) + "; encoding (normalize, CLK and blocking keys, both sources, \(tasks) tasks): " + seconds(encodeSeconds)
                + String(format: ", %.0f records/s — not compared: both matchers read the same CLKs", Double(2 * records) / max(encodeSeconds, 1e-9)),
            row(["measure", swift.name, swiftOneTask.name, anonlink?.name ?? "anonlink", "floor"]),
        ]
        let sameCount = anonlink.map { $0.comparisons == swift.comparisons }
        lines.append(row(cells("Dice comparisons (Σ |A_b|·|B_b|)", { count($0.comparisons) }, floor: "same on both sides"), sameCount))
        lines.append(row(cells("  blocking index", { $0.indexSeconds.map(seconds) ?? "(in the next line)" })))
        lines.append(row(cells("  comparing", { seconds($0.compareSeconds) })))
        lines.append(row(cells("  greedy solve", { seconds($0.solveSeconds) })))
        lines.append(row(cells("wall time, keys and CLKs → pairs", { seconds($0.wallSeconds) })))
        let fastEnough = anonlink.map { swift.comparisonsPerSecond >= $0.comparisonsPerSecond }
        lines.append(row(cells("comparisons/s", { String(format: "%.1f M/s", $0.comparisonsPerSecond / 1e6) }, floor: "≥ anonlink's"), fastEnough))
        if let anonlink {
            let ratio = { (run: LinkBenchRun) in String(format: "%.2f×", run.comparisonsPerSecond / max(anonlink.comparisonsPerSecond, 1e-9)) }
            lines.append(row(["  ratio to anonlink", ratio(swift), ratio(swiftOneTask), "1×", ""]))
        }
        lines.append(row(cells("candidates ≥ threshold (distinct)", { count($0.candidates) })))
        lines.append(row(cells("matched pairs", { count($0.pairs) })))
        if let agreement {
            lines.append(row(
                ["pairs linked by both / by either", "", "", "\(count(agreement.both)) / \(count(agreement.union))", "identical"],
                agreement.both == agreement.union))
        }
        lines.append(row(cells("precision (vs truth)", { String(format: "%.4f", $0.precision) })))
        lines.append(row(cells("recall (vs truth)", { String(format: "%.4f", $0.recall) })))
        if let anonlink, let load = anonlink.loadSeconds {
            lines.append("peer: \(anonlink.version), one pass (Swift: the fastest of \(passes)); it read the files in " + seconds(load) + ", not timed")
        }
        if let peerNote { lines.append(peerNote) }
        return lines.joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey {
        case records, threshold, tasks, passes, shared, generateSeconds, encodeSeconds, swift, swiftOneTask, anonlink, peerNote, pairsInBoth, pairsInEither
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(records, forKey: .records)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(tasks, forKey: .tasks)
        try c.encode(passes, forKey: .passes)
        try c.encode(shared, forKey: .shared)
        try c.encode(generateSeconds, forKey: .generateSeconds)
        try c.encode(encodeSeconds, forKey: .encodeSeconds)
        try c.encode(swift, forKey: .swift)
        try c.encode(swiftOneTask, forKey: .swiftOneTask)
        try c.encodeIfPresent(anonlink, forKey: .anonlink)
        try c.encodeIfPresent(peerNote, forKey: .peerNote)
        try c.encodeIfPresent(agreement?.both, forKey: .pairsInBoth)
        try c.encodeIfPresent(agreement?.union, forKey: .pairsInEither)
    }
}
