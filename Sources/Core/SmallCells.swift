/// The registry's disclosure rule: no count below 11 leaves the system in any aggregate.
///
/// Small cells can identify people (one patient treated with a product at a center in a year
/// is a person, not a statistic), so every count a report shows passes through here, and a
/// figure derived from a suppressed count (a rate, a survival estimate) is suppressed with it.
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
}
