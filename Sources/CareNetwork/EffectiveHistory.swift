import Core

/// A value that changes on dates — a product's list price, the products a center treats —
/// kept as every change with the day it took effect, oldest first.
///
/// The value on a date is the change most recently in effect then, so a change never
/// rewrites what an earlier date reads: a statement, a page or a model run for last year
/// reads last year's price. That is why a new change must start after every recorded one
/// and no earlier than today.
public struct EffectiveHistory<Value: Hashable & Sendable>: Hashable, Sendable {
    /// One value from a date on, until the next change's date.
    public struct Change: Hashable, Sendable {
        public var value: Value
        public var effectiveFrom: CalendarDate

        public init(_ value: Value, effectiveFrom: CalendarDate) {
            self.value = value
            self.effectiveFrom = effectiveFrom
        }
    }

    public private(set) var changes: [Change]

    /// The history, sorted by effective date.
    public init(_ changes: [Change] = []) {
        self.changes = changes.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The change in effect on `date`; `nil` before the first.
    public func change(on date: CalendarDate) -> Change? {
        changes.last { $0.effectiveFrom <= date }
    }

    /// The latest change, in effect now or scheduled.
    public var latest: Change? { changes.last }

    /// The history with `change` appended, or why it may not be: it must start after every
    /// recorded change (`effectiveFrom`, the field named in the error) and no earlier than `today`.
    public func adding(_ change: Change, today: CalendarDate, field: String = "effectiveFrom") throws(ValidationError) -> Self {
        if let latest, change.effectiveFrom <= latest.effectiveFrom {
            throw ValidationError(
                field: field, problem: "must be after \(latest.effectiveFrom), when the latest change took effect; history is never rewritten")
        }
        guard change.effectiveFrom >= today else {
            throw ValidationError(field: field, problem: "must be today (\(today)) or later; a change cannot take effect in the past")
        }
        return Self(changes + [change])
    }
}

/// A product's list (wholesale acquisition) prices over time.
public typealias PriceHistory = EffectiveHistory<Money>
/// A product's list price from a date on.
public typealias ListPrice = PriceHistory.Change

extension EffectiveHistory where Value == Money {
    /// A billion in major units: above any therapy's price, and the bound contract files use,
    /// so a price times any quantity stays far inside 64-bit minor units.
    public static var maximumMinorUnits: Int64 { 100_000_000_000 }

    /// The history with a new list price, checked as a price (more than zero, a currency code,
    /// the product's own currency) and as a change (after the latest, not in the past).
    public func adding(price: ListPrice, today: CalendarDate) throws(ValidationError) -> Self {
        var checks = FieldChecks()
        checks.price(price.value, field: "amount")
        if let latest, price.value.currency != latest.value.currency {
            checks.fail("amount.currency", "must be \(latest.value.currency.rawValue), the currency the product is priced in")
        }
        try checks.finish()
        return try adding(price, today: today)
    }
}

extension FieldChecks {
    /// A list price: a three-letter currency code, more than zero, at most ``PriceHistory/maximumMinorUnits``.
    mutating func price(_ amount: Money, field: String) {
        let code = amount.currency.rawValue
        if code.utf8.count != 3 || !code.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) {
            fail("\(field).currency", "must be a three-letter ISO 4217 code such as USD, got \"\(code.prefix(10))\"")
        }
        if amount.minorUnits <= 0 {
            fail(field, "must be more than zero")
        } else if amount.minorUnits > PriceHistory.maximumMinorUnits {
            fail(field, "must be at most 1000000000.00")
        }
    }
}
