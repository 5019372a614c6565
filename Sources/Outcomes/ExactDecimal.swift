/// A decimal number held exactly, as an integer significand and a count of decimal places.
///
/// Lab results decide contract payments ("factor IX activity at least 5%"), so a reading of
/// `4.99` must never round up to `5` through binary floating point. The value is the text the
/// laboratory reported, kept to its stated precision: `5.0` and `5.00` compare equal.
public struct ExactDecimal: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digits without the decimal point: `525` for `5.25`.
    public let significand: Int64
    /// Digits after the decimal point: `2` for `5.25`.
    public let scale: Int

    /// The most digits a value may carry; more than any instrument reports, few enough that
    /// two values always compare exactly in 128-bit arithmetic.
    public static let maximumDigits = 18
    /// The most decimal places a value may carry.
    public static let maximumScale = 9

    public init(significand: Int64, scale: Int) {
        precondition((0...ExactDecimal.maximumScale).contains(scale), "scale out of range")
        self.significand = significand
        self.scale = scale
    }

    /// Why a text is not an exact decimal, in words a data steward can act on.
    public enum ParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
        case notANumber
        case tooManyDigits
        case tooManyDecimalPlaces

        public var description: String {
            switch self {
            case .notANumber: "must be a decimal number such as 5, 0.25 or -1.5 (no exponent, no thousands separators)"
            case .tooManyDigits: "has more than \(ExactDecimal.maximumDigits) digits"
            case .tooManyDecimalPlaces: "has more than \(ExactDecimal.maximumScale) decimal places"
            }
        }
    }

    /// Parses `-12.50`, `0.5`, `7`; refuses exponents, `+`, separators, `.5` and `5.`.
    public static func parse(_ text: some StringProtocol) -> Result<ExactDecimal, ParseFailure> {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var digits = 0
        var scale = 0
        var seenPoint = false
        var value: Int64 = 0
        var digitsAfterPoint = 0
        var digitsBeforePoint = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, digitsBeforePoint > 0 else { return .failure(.notANumber) }
                seenPoint = true
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return .failure(.notANumber) }
            if seenPoint { digitsAfterPoint += 1 } else { digitsBeforePoint += 1 }
            // Leading zeros carry no magnitude; they do not count against the digit limit.
            if value == 0 && byte == 0x30 && !seenPoint { continue }
            digits += 1
            guard digits <= maximumDigits else { return .failure(.tooManyDigits) }
            value = value * 10 + Int64(byte - 0x30)
        }
        guard digitsBeforePoint > 0, !seenPoint || digitsAfterPoint > 0 else { return .failure(.notANumber) }
        scale = digitsAfterPoint
        guard scale <= maximumScale else { return .failure(.tooManyDecimalPlaces) }
        return .success(ExactDecimal(significand: negative ? -value : value, scale: scale))
    }

    /// The significand at a larger scale, in 128 bits so that it cannot overflow.
    private func significand(atScale target: Int) -> Int128 {
        var result = Int128(significand)
        for _ in 0..<(target - scale) { result *= 10 }
        return result
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.significand(atScale: scale) == rhs.significand(atScale: scale)
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values at different scales must hash alike: hash the value at the largest scale.
        hasher.combine(significand(atScale: ExactDecimal.maximumScale))
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.significand(atScale: scale) < rhs.significand(atScale: scale)
    }

    /// The value as written, with its own number of decimal places: `5.25`, `-0.50`.
    public var description: String {
        let magnitude = String(significand.magnitude)
        let sign = significand < 0 ? "-" : ""
        guard scale > 0 else { return sign + magnitude }
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return sign + padded[..<split] + "." + padded[split...]
    }
}

extension ExactDecimal: Codable {
    /// Encoded as its text so that no JSON reader turns it into a binary float.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch ExactDecimal.parse(text) {
        case .success(let value): self = value
        case .failure(let failure):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: failure.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
