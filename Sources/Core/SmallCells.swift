/// The disclosure rule for every aggregate CurePath shows to a reader who may not see the
/// patients behind it (the registry's outcome reports, journey metrics): no count below 11
/// leaves the system.
///
/// Small cells can identify people (one patient treated with a product at a center in a year
/// is a person, not a statistic), so every count a report shows passes through here, and a
/// figure derived from a suppressed count (a rate, a survival estimate, a mean) is suppressed
/// with it. Where counts add up to a total that is shown, ``withheld(_:sums:alwaysWithheld:)``
/// also withholds enough other counts that no suppressed one can be worked out by subtraction.
public enum SmallCells {
    public static let threshold = 11

    /// A count as it may be shown.
    public enum Shown: Hashable, Sendable, CustomStringConvertible {
        case count(Int)
        /// Fewer than the threshold (including zero).
        case suppressed

        public var description: String {
            switch self {
            case .count(let value): String(value)
            case .suppressed: "<\(SmallCells.threshold)"
            }
        }

        public var value: Int? { if case .count(let value) = self { value } else { nil } }
    }

    public static func show(_ count: Int) -> Shown { count >= threshold ? .count(count) : .suppressed }

    /// A rate `numerator / denominator`, shown only when both counts may be.
    public static func rate(_ numerator: Int, of denominator: Int) -> Double? {
        guard show(numerator) != .suppressed, show(denominator) != .suppressed, denominator > 0 else { return nil }
        return Double(numerator) / Double(denominator)
    }

    /// Counts that add up: `total` is the sum of `parts` (a row of a table and its margin).
    public struct Sum<Cell: Hashable>: Sendable where Cell: Sendable {
        public var total: Cell
        public var parts: [Cell]

        public init(total: Cell, parts: [Cell]) {
            self.total = total
            self.parts = parts
        }
    }

    /// The cells of a table to withhold: every count below the threshold (primary
    /// suppression), then, for each sum, more counts (the smallest shown part first) until
    /// none of them can be worked out from the others (complementary suppression):
    ///
    /// - a total that is shown leaves either no part withheld, or at least two whose sum is
    ///   itself at least the threshold — so subtracting the shown parts from the total gives
    ///   only a sum of 11 or more, never one cell, and never a small group of cells;
    /// - a total that is withheld has at least one part withheld, or it would be their sum.
    ///
    /// A cell may sit in several sums (a group's row and the network's column); the passes
    /// repeat until no sum needs another cell withheld. `alwaysWithheld` cells are never shown
    /// (a remainder no report prints, such as losses without a stated reason) but still count
    /// as withheld parts of their sums.
    public static func withheld<Cell: Hashable & Sendable>(_ counts: [Cell: Int], sums: [Sum<Cell>], alwaysWithheld: Set<Cell> = []) -> Set<Cell> {
        var hidden = alwaysWithheld.union(counts.filter { $0.value < threshold }.map(\.key))
        var changed = true
        while changed {
            changed = false
            for sum in sums {
                let hiddenParts = sum.parts.filter(hidden.contains)
                let needsMore: Bool
                if hidden.contains(sum.total) {
                    needsMore = hiddenParts.isEmpty && !sum.parts.isEmpty
                } else {
                    let hiddenTotal = hiddenParts.reduce(0) { $0 + counts[$1, default: 0] }
                    needsMore = !hiddenParts.isEmpty && (hiddenParts.count == 1 || hiddenTotal < threshold)
                }
                guard needsMore else { continue }
                let shown = sum.parts.filter { !hidden.contains($0) }
                if let smallest = shown.min(by: { counts[$0, default: 0] < counts[$1, default: 0] }) {
                    hidden.insert(smallest)
                } else {
                    // Every part is withheld and still too little: the total goes too.
                    hidden.insert(sum.total)
                }
                changed = true
            }
        }
        return hidden
    }
}
