import Outcomes

/// Exact arithmetic for criteria expressions (`2 * uln.ldh`), so that a threshold of twice
/// the upper limit of normal is computed without binary rounding.
extension ExactDecimal {
    /// A whole number as a decimal.
    public init(_ integer: Int) { self.init(significand: Int64(integer), scale: 0) }

    /// Parses text, or `nil`.
    public init?(text: some StringProtocol) {
        guard case .success(let value) = ExactDecimal.parse(text) else { return nil }
        self = value
    }

    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int) {
        let scale = max(a.scale, b.scale)
        var x = Int128(a.significand), y = Int128(b.significand)
        for _ in a.scale..<scale { x *= 10 }
        for _ in b.scale..<scale { y *= 10 }
        return (x, y, scale)
    }

    /// Back to 64 bits, dropping trailing zeros and then rounding half away from zero when
    /// the scale or magnitude is too large; `nil` only when the value itself is out of range.
    private static func narrowed(_ value: Int128, scale: Int) -> ExactDecimal? {
        var value = value, scale = scale
        while scale > 0, value % 10 == 0 { value /= 10; scale -= 1 }
        while scale > maximumScale || (scale > 0 && value.magnitude > UInt128(Int64.max)) {
            let remainder = value % 10
            value /= 10
            if remainder >= 5 { value += 1 } else if remainder <= -5 { value -= 1 }
            scale -= 1
        }
        guard value.magnitude <= UInt128(Int64.max) else { return nil }
        return ExactDecimal(significand: Int64(value), scale: scale)
    }

    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let (x, y, scale) = ExactDecimal.aligned(self, other)
        return ExactDecimal.narrowed(x + y, scale: scale)
    }

    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        let (x, y, scale) = ExactDecimal.aligned(self, other)
        return ExactDecimal.narrowed(x - y, scale: scale)
    }

    public func multiplied(by other: ExactDecimal) -> ExactDecimal? {
        let product = Int128(significand).multipliedReportingOverflow(by: Int128(other.significand))
        guard !product.overflow else { return nil }
        return ExactDecimal.narrowed(product.partialValue, scale: scale + other.scale)
    }
}
