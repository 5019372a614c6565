import Core

/// Pairs whose Dice reached the threshold, as comparison found them: a pair that shares two
/// blocks is here twice, as in anonlink before its merge. Kept apart from the solve so a caller
/// can time the two steps (this module has no clock).
public struct CandidatePairs: Sendable {
    var items: [GreedySolver.Candidate]
    let leftCount: Int
    let rightCount: Int
    /// Dice coefficients computed to find them (see ``BlockIndex/comparisons``).
    public let comparisons: Int

    /// Candidates found, repeats included.
    public var count: Int { items.count }

    /// The one-to-one matches, as anonlink's `greedy_solve` picks them.
    public func solved() -> MatchResult {
        var items = items
        let solved = GreedySolver.solve(&items, leftCount: leftCount, rightCount: rightCount)
        return MatchResult(pairs: solved.pairs, comparisons: comparisons, candidates: solved.distinct)
    }
}

/// Blocked Dice matching of two sources of packed CLKs, the blocks split across cores.
///
/// Exists because the record-by-record ``Matcher`` path is far too slow for a registry's million
/// records a side: here each block's left members are compared with its right members over
/// contiguous words (``DiceKernel``), and the blocks are divided into chunks of about equal cost
/// that child tasks take in turn. The result does not depend on the number of tasks or their
/// timing: candidates are sorted before the greedy solve.
public enum ParallelMatcher {
    /// Compares every pair of every block and keeps those with Dice ≥ `threshold`.
    public static func compare(
        left: PackedCLKs, right: PackedCLKs, blocks: BlockIndex, threshold: Double, tasks: Int
    ) async throws(ValidationError) -> CandidatePairs {
        try validate(left: left, right: right, blocks: blocks, threshold: threshold)
        let tasks = max(1, tasks)
        let chunks = chunks(of: blocks, count: tasks * 8)
        let items = await withTaskGroup(of: [GreedySolver.Candidate].self) { group in
            // At most `tasks` chunks in flight: a new one starts as one finishes, so `tasks: 1` is
            // one core however many the runtime's pool has.
            var next = 0
            func startNext() {
                guard next < chunks.count else { return }
                let chunk = chunks[next]
                next += 1
                group.addTask {
                    // Sorted here, in parallel: the solve's sort then finds these runs and only merges them.
                    var part = scan(chunk, left: left, right: right, blocks: blocks, threshold: threshold)
                    part.sort()
                    return part
                }
            }
            for _ in 0..<tasks { startNext() }
            var all: [GreedySolver.Candidate] = []
            for await part in group {
                all.append(contentsOf: part)
                startNext()
            }
            return all
        }
        return CandidatePairs(items: items, leftCount: left.count, rightCount: right.count, comparisons: blocks.comparisons)
    }

    /// ``compare(left:right:blocks:threshold:tasks:)`` then the greedy one-to-one solve.
    public static func match(
        left: PackedCLKs, right: PackedCLKs, blocks: BlockIndex, threshold: Double, tasks: Int
    ) async throws(ValidationError) -> MatchResult {
        try await compare(left: left, right: right, blocks: blocks, threshold: threshold, tasks: tasks).solved()
    }

    /// The same on the caller's thread, for callers that are not async (``Matcher``).
    public static func matchSerially(
        left: PackedCLKs, right: PackedCLKs, blocks: BlockIndex, threshold: Double
    ) throws(ValidationError) -> MatchResult {
        try validate(left: left, right: right, blocks: blocks, threshold: threshold)
        let items = scan(0..<blocks.blockCount, left: left, right: right, blocks: blocks, threshold: threshold)
        return CandidatePairs(items: items, leftCount: left.count, rightCount: right.count, comparisons: blocks.comparisons).solved()
    }

    static func validate(left: PackedCLKs, right: PackedCLKs, blocks: BlockIndex, threshold: Double) throws(ValidationError) {
        guard threshold > 0, threshold <= 1 else {
            throw ValidationError(field: "threshold", problem: "must be in (0, 1], got \(threshold)")
        }
        guard left.bitCount == right.bitCount else {
            throw ValidationError(field: "right", problem: "has \(right.bitCount)-bit CLKs, the left source \(left.bitCount)-bit")
        }
        if let top = blocks.leftMembers.max(), Int(top) >= left.count {
            throw ValidationError(field: "blocks", problem: "names left record \(top), the left source has \(left.count)")
        }
        if let top = blocks.rightMembers.max(), Int(top) >= right.count {
            throw ValidationError(field: "blocks", problem: "names right record \(top), the right source has \(right.count)")
        }
    }

    /// Consecutive block ranges of about equal comparison cost: more chunks than tasks, so a task
    /// that drew cheap blocks takes another chunk instead of waiting for the one with the largest block.
    static func chunks(of blocks: BlockIndex, count: Int) -> [Range<Int>] {
        let target = max(1, blocks.comparisons / max(1, count))
        var chunks: [Range<Int>] = []
        var start = 0, cost = 0
        for b in 0..<blocks.blockCount {
            cost += blocks.cost(of: b)
            if cost >= target {
                chunks.append(start..<(b + 1))
                start = b + 1
                cost = 0
            }
        }
        if start < blocks.blockCount { chunks.append(start..<blocks.blockCount) }
        return chunks
    }

    /// Every left member of each block against every right member of it.
    static func scan(
        _ range: Range<Int>, left: PackedCLKs, right: PackedCLKs, blocks: BlockIndex, threshold: Double
    ) -> [GreedySolver.Candidate] {
        var out: [GreedySolver.Candidate] = []
        let words = left.wordsPerCLK
        let largestRight = range.reduce(0) { max($0, blocks.rightStarts[$1 + 1] - blocks.rightStarts[$1]) }
        let largestLeft = range.reduce(0) { max($0, blocks.leftStarts[$1 + 1] - blocks.leftStarts[$1]) }
        // A block's CLKs are copied next to each other before they are compared: read where they
        // lie, a million records apart, each would be a cache and TLB miss that the comparison
        // waits on; the copy loop issues those misses back to back, and the comparisons then read
        // in order from cache (anonlink copies each block's CLKs into one buffer for the same reason).
        let gathered = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, (largestLeft + largestRight) * words))
        let gatheredPopcounts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: largestLeft + largestRight)
        let minimumIntersections = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * left.bitCount + 1)
        defer {
            gathered.deallocate()
            gatheredPopcounts.deallocate()
            minimumIntersections.deallocate()
        }
        _ = minimumIntersections.initialize(from: DiceKernel.minimumIntersections(threshold: threshold, maxSum: 2 * left.bitCount))
        left.words.withUnsafeBufferPointer { lw in
            right.words.withUnsafeBufferPointer { rw in
                left.popcounts.withUnsafeBufferPointer { lp in
                    right.popcounts.withUnsafeBufferPointer { rp in
                        blocks.leftMembers.withUnsafeBufferPointer { lm in
                            blocks.rightMembers.withUnsafeBufferPointer { rm in
                                blocks.leftStarts.withUnsafeBufferPointer { ls in
                                    blocks.rightStarts.withUnsafeBufferPointer { rs in
                                        guard let lw = lw.baseAddress, let rw = rw.baseAddress else { return }
                                        let o = Operands(
                                            leftWords: lw, rightWords: rw, leftPopcounts: lp, rightPopcounts: rp, leftMembers: lm,
                                            rightMembers: rm, leftStarts: ls, rightStarts: rs, gathered: gathered,
                                            gatheredPopcounts: gatheredPopcounts, minimumIntersections: UnsafeBufferPointer(minimumIntersections))
                                        // 1024-bit CLKs (the registry schema, and clkhash's usual length) get a loop the
                                        // compiler unrolls and vectorizes; other lengths the general one.
                                        if words == 16 {
                                            scan(range, o, words: 16, threshold: threshold, into: &out)
                                        } else {
                                            scan(range, o, words: words, threshold: threshold, into: &out)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The buffers the inner loop reads, borrowed for the length of one scan.
    struct Operands {
        let leftWords: UnsafePointer<UInt64>
        let rightWords: UnsafePointer<UInt64>
        let leftPopcounts: UnsafeBufferPointer<UInt32>
        let rightPopcounts: UnsafeBufferPointer<UInt32>
        let leftMembers: UnsafeBufferPointer<UInt32>
        let rightMembers: UnsafeBufferPointer<UInt32>
        let leftStarts: UnsafeBufferPointer<Int>
        let rightStarts: UnsafeBufferPointer<Int>
        /// Scratch for one block's left then right CLKs and popcounts, as large as the chunk's largest block.
        let gathered: UnsafeMutablePointer<UInt64>
        let gatheredPopcounts: UnsafeMutableBufferPointer<UInt32>
        /// ``DiceKernel/minimumIntersections(threshold:maxSum:)`` for this threshold and length.
        let minimumIntersections: UnsafeBufferPointer<Int>
    }

    /// Right CLKs compared per pass over a block's left members: 256 × 128 bytes stay in L1 while
    /// every left member meets them.
    static let tile = 256

    @inline(__always)
    static func scan(_ range: Range<Int>, _ o: Operands, words: Int, threshold: Double, into out: inout [GreedySolver.Candidate]) {
        for b in range {
            let leftBase = o.leftStarts[b], leftCount = o.leftStarts[b + 1] - leftBase
            let rightBase = o.rightStarts[b], rightCount = o.rightStarts[b + 1] - rightBase
            // Left CLKs first in the scratch, right ones after them.
            for k in 0..<leftCount {
                let i = Int(o.leftMembers[leftBase + k])
                (o.gathered + k * words).update(from: o.leftWords + i * words, count: words)
                o.gatheredPopcounts[k] = o.leftPopcounts[i]
            }
            let right = o.gathered + leftCount * words
            for k in 0..<rightCount {
                let j = Int(o.rightMembers[rightBase + k])
                (right + k * words).update(from: o.rightWords + j * words, count: words)
                o.gatheredPopcounts[leftCount + k] = o.rightPopcounts[j]
            }
            for tileStart in stride(from: 0, to: rightCount, by: tile) {
                let tileEnd = min(rightCount, tileStart + tile)
                for li in 0..<leftCount {
                    let a = o.gatheredPopcounts[li]
                    // anonlink finds nothing for an empty left CLK at a positive threshold.
                    guard a > 0 else { continue }
                    let delta = DiceKernel.maxPopcountDifference(a, threshold: threshold)
                    let p = o.gathered + li * words
                    for k in tileStart..<tileEnd {
                        let c = o.gatheredPopcounts[leftCount + k]
                        if (a > c ? a - c : c - a) > delta { continue }
                        let inter = DiceKernel.andPopcount(p, right + k * words, words: words)
                        if inter >= o.minimumIntersections[Int(a &+ c)] {
                            let score = DiceKernel.score(intersection: inter, a, c)
                            out.append(GreedySolver.Candidate(score: score, left: o.leftMembers[leftBase + li], right: o.rightMembers[rightBase + k]))
                        }
                    }
                }
            }
        }
    }
}
