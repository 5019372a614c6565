import Core

/// One-to-one assignment of candidate pairs, best score first: anonlink's `greedy_solve` for two
/// sources.
///
/// anonlink 0.15.3 walks candidates in the order `find_candidate_pairs` returns them — score
/// descending, then left index ascending, then right index ascending — and, with two sources,
/// links a pair exactly when neither record is linked yet (its groups never grow past two, since
/// two records of one source are never a candidate pair). Sorting the same way and taking the same
/// pairs gives the same matches, ties included; `Tests/LinkageTests/Golden/anonlink-match.json`
/// holds anonlink's own answers on inputs full of ties.
public enum GreedySolver {
    /// A candidate as the matcher collects it: one 128-bit integer whose ascending order is
    /// anonlink's order, so millions sort as plain integers, without a comparison closure.
    ///
    /// The top 64 bits are the complement of the score's bit pattern (scores are positive, where a
    /// double's bits order like its value, so the complement orders by descending score), then the
    /// left index, then the right index.
    struct Candidate: Sendable, Comparable {
        var key: UInt128

        @inline(__always)
        init(score: Double, left: UInt32, right: UInt32) {
            key = UInt128(~score.bitPattern) << 64 | UInt128(left) << 32 | UInt128(right)
        }

        var score: Double { Double(bitPattern: ~UInt64(truncatingIfNeeded: key >> 64)) }
        var left: UInt32 { UInt32(truncatingIfNeeded: key >> 32) }
        var right: UInt32 { UInt32(truncatingIfNeeded: key) }

        static func < (a: Candidate, b: Candidate) -> Bool { a.key < b.key }
    }

    /// The pairs anonlink's `greedy_solve` links among `candidates`, in the order they were linked.
    /// Candidates may come in any order and repeat (a pair found in two blocks); scores must be positive.
    public static func solve(_ candidates: [MatchPair]) throws(ValidationError) -> [MatchPair] {
        var sorted: [Candidate] = []
        sorted.reserveCapacity(candidates.count)
        var leftCount = 0, rightCount = 0
        for (i, c) in candidates.enumerated() {
            guard c.left >= 0, c.left < Int(UInt32.max) else {
                throw ValidationError(field: "candidates[\(i)].left", problem: "must be a record index, got \(c.left)")
            }
            guard c.right >= 0, c.right < Int(UInt32.max) else {
                throw ValidationError(field: "candidates[\(i)].right", problem: "must be a record index, got \(c.right)")
            }
            guard c.score > 0, c.score.isFinite else {
                throw ValidationError(field: "candidates[\(i)].score", problem: "must be a positive similarity, got \(c.score)")
            }
            sorted.append(Candidate(score: c.score, left: UInt32(c.left), right: UInt32(c.right)))
            leftCount = max(leftCount, c.left + 1)
            rightCount = max(rightCount, c.right + 1)
        }
        return solve(&sorted, leftCount: leftCount, rightCount: rightCount).pairs
    }

    /// Sorts `candidates` into anonlink's order and links greedily; also counts the distinct pairs
    /// (what anonlink's candidate list holds after its merge). A repeated pair needs no special case
    /// in the solve: the second time, both of its records are already linked (or one was taken by a
    /// better pair).
    static func solve(_ candidates: inout [Candidate], leftCount: Int, rightCount: Int) -> (pairs: [MatchPair], distinct: Int) {
        candidates.sort()
        var leftUsed = [Bool](repeating: false, count: leftCount)
        var rightUsed = [Bool](repeating: false, count: rightCount)
        var pairs: [MatchPair] = []
        var distinct = 0
        var previous: UInt64?
        for c in candidates {
            // A repeat has the same score, so it sorts right after the first.
            let pair = UInt64(truncatingIfNeeded: c.key)
            if previous != pair { distinct += 1 }
            previous = pair
            guard !leftUsed[Int(c.left)], !rightUsed[Int(c.right)] else { continue }
            leftUsed[Int(c.left)] = true
            rightUsed[Int(c.right)] = true
            pairs.append(MatchPair(left: Int(c.left), right: Int(c.right), score: c.score))
        }
        return (pairs, distinct)
    }
}
