import Core

/// An amount a contract names either as a share of the unit price ("refund 80%") or as
/// money ("rebate 1,500,000.00 USD"), resolved against the price when it is applied.
public enum ContractAmount: Hashable, Sendable {
    case share(Share)
    case money(Money)

    /// The amount for one unit at `price`.
    public func resolved(price: Money) -> Money {
        switch self {
        case .share(let share): price.scaled(by: share)
        case .money(let money): money
        }
    }

    public var text: String {
        switch self {
        case .share(let share): share.description
        case .money(let money): MoneyText.format(money)
        }
    }
}

/// Money as contract files write it: `2800000.00 USD`.
public enum MoneyText {
    /// The most a single amount in a contract may be: a billion in major units. Prices,
    /// shares and months multiply; this bound keeps every product far inside 64-bit cents.
    public static let maximumMinorUnits: Int64 = 100_000_000_000

    /// `2800000.00 USD`, the form contract files use.
    public static func format(_ money: Money) -> String {
        let negative = money.minorUnits < 0
        let magnitude = money.minorUnits.magnitude
        let cents = magnitude % 100
        return "\(negative ? "-" : "")\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) \(money.currency.rawValue)"
    }

    public enum ParseFailure: Error {
        case shape, negative, tooPrecise, tooLarge

        public var problem: String {
            switch self {
            case .shape: "must be an amount and a currency code, such as \"2800000.00 USD\" (no thousands separators)"
            case .negative: "must not be negative"
            case .tooPrecise: "must have at most two decimals"
            case .tooLarge: "is too large: at most 1000000000.00 per amount"
            }
        }
    }

    /// Parses `2800000.00 USD` as a field of other input (a CSV column), refusing it with the
    /// field named: the one reading of an amount and its currency outside contract files too.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> Money {
        switch parse(text) {
        case .success(let money): return money
        case .failure(let failure): throw ValidationError(field: field, problem: failure.problem)
        }
    }

    /// Parses `2800000.00 USD`, `425000 USD`.
    public static func parse(_ text: String) -> Result<Money, ParseFailure> {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return .failure(.shape) }
        let currency = parts[1]
        guard currency.count == 3, currency.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else { return .failure(.shape) }
        var number = parts[0]
        if number.hasPrefix("-") {
            number = number.dropFirst()
            guard !number.isEmpty, number.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E }) else { return .failure(.shape) }
            return .failure(.negative)
        }
        let pieces = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty, pieces.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            pieces.count == 1 || !pieces[1].isEmpty
        else { return .failure(.shape) }
        if pieces.count == 2, pieces[1].count > 2 { return .failure(.tooPrecise) }
        let major = pieces[0].drop(while: { $0 == "0" })
        guard major.count <= 10, let whole = Int64(major.isEmpty ? "0" : String(major)) else { return .failure(.tooLarge) }
        var cents: Int64 = pieces.count == 2 ? Int64(pieces[1])! : 0
        if pieces.count == 2, pieces[1].count == 1 { cents *= 10 }
        let minor = whole * 100 + cents
        guard minor <= maximumMinorUnits else { return .failure(.tooLarge) }
        return .success(Money(minorUnits: minor, currency: Currency(rawValue: String(currency))))
    }
}
