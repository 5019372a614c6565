import Core
import Foundation

/// One typed blank in a term's text, with the range a negotiated value must stay in.
public struct TermParameter: Hashable, Sendable, Codable {
    public var name: String
    public var type: ParameterType
    /// Inclusive bounds for days, money (in dollars) and percentages.
    public var minimum: Decimal?
    public var maximum: Decimal?
    /// Used when a template or proposal does not set the value.
    public var defaultValue: String?
    /// Where the value comes from: negotiated, or filled from the case when the document is made.
    public var source: ParameterSource

    public init(name: String, type: ParameterType, minimum: Decimal? = nil, maximum: Decimal? = nil, defaultValue: String? = nil, source: ParameterSource = .negotiated) {
        self.name = name
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.defaultValue = defaultValue
        self.source = source
    }

    func validated(field: String) throws(ValidationError) -> TermParameter {
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }) else {
            throw ValidationError(field: "\(field).name", problem: "must be lower-case letters, digits and '_', got \"\(name.prefix(40))\"")
        }
        if let minimum, let maximum, maximum < minimum {
            throw ValidationError(field: "\(field).maximum", problem: "is below the minimum \(minimum)")
        }
        if let defaultValue { _ = try check(defaultValue, field: "\(field).defaultValue") }
        return self
    }

    /// The value in canonical form, or an error naming the field and what is wrong — its
    /// type, or its range.
    public func check(_ raw: String, field: String) throws(ValidationError) -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let canonical = try type.canonical(text, field: field)
        if let number = type.number(canonical) {
            if let minimum, number < minimum {
                throw ValidationError(field: field, problem: "\(type.display(canonical)) is below the term's minimum \(type.display(type.text(minimum)))", rule: "parameter-range")
            }
            if let maximum, number > maximum {
                throw ValidationError(field: field, problem: "\(type.display(canonical)) is above the term's maximum \(type.display(type.text(maximum)))", rule: "parameter-range")
            }
        }
        return canonical
    }
}

/// Where a parameter's value comes from.
public enum ParameterSource: String, Hashable, Sendable, Codable {
    /// Proposed and countered by the parties.
    case negotiated
    /// The member's name and ID, filled from the sealed identifiers only when the document is
    /// rendered for sending, so they are never stored with the negotiation.
    case memberIdentity = "member-identity"
    /// Filled from the case (diagnosis, product) when the agreement is created.
    case caseRecord = "case"
}

/// The type of a parameter: how its text is read, compared and shown.
public enum ParameterType: String, Hashable, Sendable, Codable, CaseIterable {
    /// Whole days.
    case days
    /// Dollars and cents, exact (`373000`, `1250.50`).
    case money
    /// A percentage, exact (`15`, `12.5`).
    case percent
    case text
    /// Items separated by `;`.
    case list

    func canonical(_ text: String, field: String) throws(ValidationError) -> String {
        switch self {
        case .days:
            guard let days = Int(text), days >= 0, days <= 3650 else {
                throw ValidationError(field: field, problem: "must be a whole number of days from 0 to 3650, got \"\(text.prefix(40))\"")
            }
            return String(days)
        case .money:
            guard let value = Self.decimal(text), value >= 0, Self.isCents(value) else {
                throw ValidationError(field: field, problem: "must be an amount in dollars with at most two decimals, got \"\(text.prefix(40))\"")
            }
            guard value <= 1_000_000_000 else { throw ValidationError(field: field, problem: "must be at most $1,000,000,000, got \(text.prefix(40))") }
            return Self.text(value)
        case .percent:
            guard let value = Self.decimal(text), value >= 0, value <= 1000 else {
                throw ValidationError(field: field, problem: "must be a percentage from 0 to 1000, got \"\(text.prefix(40))\"")
            }
            return Self.text(value)
        case .text:
            guard !text.isEmpty, text.count <= 2000 else { throw ValidationError(field: field, problem: "must be 1 to 2000 characters") }
            return text
        case .list:
            let items = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty, items.count <= 100 else { throw ValidationError(field: field, problem: "must list 1 to 100 items separated by ';'") }
            return items.joined(separator: "; ")
        }
    }

    /// The numeric value of a canonical value, for range checks.
    func number(_ canonical: String) -> Decimal? {
        switch self {
        case .days, .money, .percent: Self.decimal(canonical)
        case .text, .list: nil
        }
    }

    /// A bound as the canonical text of this type.
    func text(_ value: Decimal) -> String { Self.text(value) }

    /// How a value reads in a document.
    public func display(_ canonical: String) -> String {
        switch self {
        case .days: canonical == "1" ? "1 day" : "\(canonical) days"
        case .money: Self.decimal(canonical).map { Money(minorUnits: Self.cents($0), currency: .usd).description } ?? canonical
        case .percent: "\(canonical)%"
        case .text, .list: canonical
        }
    }

    /// Reads plain decimal text only (no exponent, no locale).
    static func decimal(_ text: String) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              parts.count == 1 || !parts[1].isEmpty, text.count <= 24
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    static func isCents(_ value: Decimal) -> Bool { Decimal(cents(value)) / 100 == value }

    static func cents(_ value: Decimal) -> Int64 {
        var scaled = value * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .bankers)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    static func text(_ value: Decimal) -> String {
        var value = value
        var normalized = Decimal()
        NSDecimalRound(&normalized, &value, 9, .plain)
        return NSDecimalNumber(decimal: normalized).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }
}
