import Core

/// One movement of a center's cash for a case: money out (the product, care) or in (a payment).
///
/// The unit the cash curve is summed from, kept so a page can list what makes up a day.
public struct CashFlow: Hashable, Sendable, Codable {
    public let date: CalendarDate
    public let caseID: String
    public let label: String
    public let direction: Direction
    /// Always positive; `direction` says which way.
    public let amount: Money

    public init(date: CalendarDate, caseID: String, label: String, direction: Direction, amount: Money) {
        self.date = date
        self.caseID = caseID
        self.label = label
        self.direction = direction
        self.amount = amount
    }

    public enum Direction: String, Hashable, Sendable, Codable {
        /// The center pays (the product, the cost of care).
        case out
        /// The center is paid.
        case `in`

        /// Out before in on the same day, so listings are stable; the curve itself is end of day.
        var order: Int { self == .out ? 0 : 1 }
    }

    /// What the flow adds to the center's outstanding amount: + out, − in.
    public var outstandingChange: Money {
        direction == .out ? amount : Money(minorUnits: -amount.minorUnits, currency: amount.currency)
    }
}

/// The center's outstanding cash at the end of one day: everything paid out so far minus
/// everything received so far, over all cases. A point of the cash curve, ready for a chart.
public struct CashPoint: Hashable, Sendable, Codable {
    public let date: CalendarDate
    public let outstanding: Money

    public init(date: CalendarDate, outstanding: Money) {
        self.date = date
        self.outstanding = outstanding
    }
}
