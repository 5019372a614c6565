/// The one rounding rule of this module: a computed amount is rounded to the cent half to
/// even ("banker's rounding"), once, where the line it belongs to is computed.
///
/// Reimbursement lines multiply money by percentages that often land on half a cent
/// (50% of $0.05). Half-even rounds those halves up and down equally often, so a long claim
/// does not drift upward the way half-up would. (A spreadsheet's `ROUND` rounds halves away
/// from zero; an analyst checking by hand must round the halves to even.) The arithmetic is
/// done on integers in 128 bits: nothing is approximated before the single rounding.
enum HalfEven {
    /// `value × numerator ÷ denominator`, rounded half to even.
    static func scale(_ value: Int64, by numerator: Int64, over denominator: Int64) -> Int64 {
        precondition(denominator > 0, "denominator must be positive")
        let product = Int128(value) * Int128(numerator)
        let divisor = Int128(denominator)
        var quotient = product / divisor
        let remainder = product % divisor
        let twice = remainder.magnitude * 2
        if twice > divisor.magnitude || (twice == divisor.magnitude && quotient % 2 != 0) {
            quotient += product < 0 ? -1 : 1
        }
        return Int64(quotient)
    }
}
