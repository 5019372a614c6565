/// The innermost loop of matching: Dice of two packed CLKs, with the popcount bound anonlink
/// uses to skip pairs that cannot reach the threshold.
///
/// Both are written exactly as anonlink 0.15.3's `dice.cpp` computes them (the bound truncated
/// to an unsigned integer, the score `(2·|A∩B|) / (double)(|A|+|B|)`), so the pairs kept at a
/// threshold, and so the matches, agree with anonlink's to the last bit of the score.
enum DiceKernel {
    /// anonlink's `calculate_max_difference`: a pair whose popcounts differ by more than this cannot
    /// reach `threshold` (Dice ≤ 2·min/(|A|+|B|)), so its intersection is not counted. The C++
    /// computes `2·a·(1/t − 1)` in double and truncates it to uint32; so does this.
    @inline(__always)
    static func maxPopcountDifference(_ a: UInt32, threshold: Double) -> UInt32 {
        let bound = Double(2 &* a) * (1 / threshold - 1)
        return bound >= Double(UInt32.max) ? UInt32.max : UInt32(bound)
    }

    /// |A ∩ B| over `words` UInt64 words. Callers pass a constant `words` (16 for 1024-bit CLKs)
    /// from an inlined call site, so the loop is unrolled and vectorized.
    @inline(__always)
    static func andPopcount(_ p: UnsafePointer<UInt64>, _ q: UnsafePointer<UInt64>, words: Int) -> Int {
        var c = 0
        for k in 0..<words { c &+= (p[k] & q[k]).nonzeroBitCount }
        return c
    }

    /// The Dice coefficient from the intersection and the two popcounts, as anonlink rounds it.
    @inline(__always)
    static func score(intersection c: Int, _ a: UInt32, _ b: UInt32) -> Double {
        Double(2 &* c) / Double(a &+ b)
    }

    /// For each popcount sum `s` = |A|+|B| (0 … `maxSum`), the least intersection whose
    /// ``score(intersection:_:_:)`` reaches `threshold`, or `Int.max` when none does.
    ///
    /// The division is correctly rounded, so for a fixed `s` the score never falls as the
    /// intersection grows, and `score ≥ threshold` is exactly `intersection ≥ bound[s]`: the inner
    /// loop compares integers and divides only for the pairs it keeps, with the very same result.
    static func minimumIntersections(threshold: Double, maxSum: Int) -> [Int] {
        (0...maxSum).map { sum in
            guard sum > 0 else { return Int.max }
            // Start from the real-number bound and step to the exact boundary of the double expression.
            var x = max(0, min(sum / 2, Int((threshold * Double(sum) / 2).rounded(.down))))
            while x > 0, Double(2 &* (x - 1)) / Double(sum) >= threshold { x -= 1 }
            while x <= sum / 2, Double(2 &* x) / Double(sum) < threshold { x += 1 }
            return x <= sum / 2 ? x : Int.max
        }
    }
}
