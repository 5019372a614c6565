import Core

/// Integer arithmetic for money: products of prices, basis points and months are taken in
/// 128 bits and rounded once, so no intermediate step overflows or loses a cent.
enum ExactMath {
    /// `value × numerator ÷ denominator`, rounded half away from zero.
    static func scale(_ value: Int64, by numerator: Int64, over denominator: Int64) -> Int64 {
        precondition(denominator > 0, "denominator must be positive")
        let product = Int128(value) * Int128(numerator)
        let denominator = Int128(denominator)
        var quotient = product / denominator
        let remainder = product % denominator
        if remainder.magnitude * 2 >= denominator.magnitude { quotient += product < 0 ? -1 : 1 }
        return Int64(quotient)
    }

    /// Splits `total` in proportion to `weights` so that the parts add up to `total` exactly:
    /// each part is rounded down, and the cents left over go to the largest remainders
    /// (the earliest weight on a tie). All weights zero gives everything to the first.
    static func allocate(_ total: Int64, weights: [Int64]) -> [Int64] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(Int128(0)) { $0 + Int128($1) }
        guard sum > 0 else { return [total] + Array(repeating: 0, count: weights.count - 1) }
        var parts: [Int64] = []
        var remainders: [(remainder: Int128, index: Int)] = []
        for (index, weight) in weights.enumerated() {
            let product = Int128(total) * Int128(weight)
            parts.append(Int64(product / sum))
            remainders.append((product % sum, index))
        }
        var left = total - parts.reduce(0, +)
        for entry in remainders.sorted(by: { ($0.remainder, -$0.index) > ($1.remainder, -$1.index) }) where left > 0 {
            parts[entry.index] += 1
            left -= 1
        }
        return parts
    }
}

extension Money {
    /// This amount scaled by a share, rounded to the cent.
    func scaled(by share: Share) -> Money {
        Money(minorUnits: ExactMath.scale(minorUnits, by: Int64(share.basisPoints), over: 10_000), currency: currency)
    }

    static prefix func - (amount: Money) -> Money { Money(minorUnits: -amount.minorUnits, currency: amount.currency) }
}
