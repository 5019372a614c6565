/// Order statistics of a set of day counts: what a network report shows for each interval.
///
/// Quantiles use linear interpolation between closest ranks (R's type 7, NumPy's default),
/// so the figures match what an analyst recomputes from the CSV export.
public struct Distribution: Hashable, Sendable, Codable {
    public var count: Int
    public var mean: Double?
    public var p25: Double?
    public var median: Double?
    public var p75: Double?
    public var p90: Double?
    public var min: Int?
    public var max: Int?

    public init(_ values: [Int]) {
        var sorted = values
        sorted.sort()
        self.init(sorted: sorted)
    }

    /// Builds from values already in ascending order, skipping the sort.
    public init(sorted: [Int]) {
        count = sorted.count
        guard !sorted.isEmpty else { return }
        var total = 0
        for value in sorted { total += value }
        mean = Double(total) / Double(sorted.count)
        p25 = Distribution.quantile(sorted, 0.25)
        median = Distribution.quantile(sorted, 0.5)
        p75 = Distribution.quantile(sorted, 0.75)
        p90 = Distribution.quantile(sorted, 0.90)
        min = sorted.first
        max = sorted.last
    }

    /// The `q` quantile of ascending `sorted` (not empty), type 7.
    public static func quantile(_ sorted: [Int], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return Double(sorted[lower]) + (Double(sorted[upper]) - Double(sorted[lower])) * fraction
    }
}
