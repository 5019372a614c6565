/// An exact amount of money in integer minor units (cents for USD).
///
/// Therapy prices run to millions of dollars and settlements must balance to the cent, so
/// amounts are never floating point. Arithmetic traps on overflow rather than wrapping, and
/// mixing currencies is a programming error.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in the currency's minor unit.
    public var minorUnits: Int64
    /// ISO 4217 code.
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency = .usd) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Whole major units: `Money(dollars: 475_000)`.
    public init(dollars: Int64, currency: Currency = .usd) {
        self.init(minorUnits: dollars * 100, currency: currency)
    }

    public static func zero(_ currency: Currency = .usd) -> Money { Money(minorUnits: 0, currency: currency) }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "cannot add \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "cannot subtract \(rhs.currency) from \(lhs.currency)")
        return Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    public static func * (lhs: Money, rhs: Int64) -> Money {
        Money(minorUnits: lhs.minorUnits * rhs, currency: lhs.currency)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "cannot compare \(lhs.currency) with \(rhs.currency)")
        return lhs.minorUnits < rhs.minorUnits
    }

    /// `-1234567.89`: no symbol, no grouping, for CSV and spreadsheets.
    public var decimalText: String {
        let magnitude = minorUnits.magnitude
        let minor = magnitude % 100
        return "\(minorUnits < 0 ? "-" : "")\(magnitude / 100).\(minor < 10 ? "0" : "")\(minor)"
    }

    /// `$1,234,567.89`, for people; machines get `minorUnits`.
    public var description: String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        let major = magnitude / 100
        let minor = magnitude % 100
        var digits = String(major)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        let cents = minor < 10 ? "0\(minor)" : "\(minor)"
        return "\(negative ? "-" : "")\(currency.symbol)\(grouped).\(cents)"
    }
}

/// An ISO 4217 currency; CurePath settles in US dollars today and keeps the code explicit.
public struct Currency: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let usd = Currency(rawValue: "USD")

    public var symbol: String { self == .usd ? "$" : rawValue + " " }
}
