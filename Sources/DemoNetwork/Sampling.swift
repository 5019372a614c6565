import Foundation

/// Draws from the distributions the demo network's calibration uses.
///
/// Journey durations are right-skewed (most prior authorizations take a week, a few take a
/// month), so the calibration describes them as lognormal or triangular distributions
/// around the published medians and ranges rather than uniform ranges; losses while
/// waiting are a constant daily hazard, hence exponential. Every draw is built from
/// `next()` alone so a seed gives the same numbers on every platform and Swift release.
extension RandomNumberGenerator {
    /// A uniform draw in [0, 1) with 53 bits of precision.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// `true` with probability `probability`.
    public mutating func bernoulli(_ probability: Double) -> Bool {
        uniform() < probability
    }

    /// A uniform integer in `range` (multiply-shift; the bias is below 2⁻⁴⁰ for demo ranges).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// A standard normal draw (Box–Muller).
    public mutating func standardNormal() -> Double {
        let u1 = 1 - uniform()  // (0, 1], so the logarithm is finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * standardNormal()
    }

    /// A lognormal draw with the given median and log-scale standard deviation `sigma`:
    /// how published "median N days" figures become skewed durations.
    public mutating func lognormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * standardNormal())
    }

    /// A lognormal draw with the given arithmetic mean (for figures reported as averages,
    /// such as the 45-day mean of a first single-case agreement).
    public mutating func lognormal(mean: Double, sigma: Double) -> Double {
        lognormal(median: mean / exp(sigma * sigma / 2), sigma: sigma)
    }

    /// A triangular draw between `min` and `max` peaking at `mode`: for figures reported as
    /// a range with a typical value ("prior authorization 2–21 days").
    public mutating func triangular(min: Double, mode: Double, max: Double) -> Double {
        precondition(min <= mode && mode <= max && min < max, "triangular needs min <= mode <= max and min < max")
        let u = uniform()
        let split = (mode - min) / (max - min)
        if u < split {
            return min + ((max - min) * (mode - min) * u).squareRoot()
        }
        return max - ((max - min) * (max - mode) * (1 - u)).squareRoot()
    }

    /// An exponential draw: the waiting time to an event with a constant daily `rate`
    /// (the pre-infusion dropout hazard).
    public mutating func exponential(rate: Double) -> Double {
        -log(1 - uniform()) / rate
    }

    /// An index into `weights`, chosen with probability proportional to its weight.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        var total = 0.0
        for weight in weights { total += weight }
        var target = uniform() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }
}

extension Double {
    /// The nearest whole number (of days or years), kept within `range`.
    func rounded(clampedTo range: ClosedRange<Int>) -> Int {
        Swift.min(Swift.max(Int(self.rounded()), range.lowerBound), range.upperBound)
    }
}

extension RandomNumberGenerator {
    /// A triangular draw from a calibration tuple.
    mutating func triangular(_ shape: (min: Double, mode: Double, max: Double)) -> Double {
        triangular(min: shape.min, mode: shape.mode, max: shape.max)
    }

    /// A uniform draw within `range`.
    mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + uniform() * (range.upperBound - range.lowerBound)
    }
}
