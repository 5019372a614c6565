import Core
import Foundation

/// An exact percentage — of charges, of an invoice, of an excess, of a base payment — with at
/// most four decimals (`62.5`, `17`, `23.4567`).
///
/// Rates in reimbursement terms are decimal fractions that binary floating point cannot hold
/// (0.1 is not a `Double`), and a contract's "62.5% of charges" must give the same cent an
/// analyst computes by hand. So a percentage is kept as an integer count of millionths of the
/// whole (62.5% = 625,000 millionths), and applying it to money is integer arithmetic rounded
/// once, half to even (`HalfEven`). In JSON it is a string (`"62.5"`), never a JSON number,
/// so no decoder can turn it into a `Double` on the way in.
public struct Percentage: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The fraction of the whole in millionths: 100% is 1,000,000.
    public let millionths: Int64

    /// The most a percentage may be in this module (a 1,000% markup); it keeps every product
    /// of an amount and a rate far inside 64-bit cents.
    public static let maximum = Percentage(millionths: 10_000_000)

    public init(millionths: Int64) { self.millionths = millionths }

    /// A whole-number percentage: `Percentage(80)` is 80%.
    public init(_ wholePercent: Int) { self.millionths = Int64(wholePercent) * 10_000 }

    /// A percentage from a Foundation `Decimal` of percent (`62.5` for 62.5%).
    public init(percent: Decimal, field: String) throws(ValidationError) {
        self = try Percentage.parse("\(percent)", field: field)
    }

    /// Reads `62.5` or `62.5%`: non-negative, at most four decimals, at most 1,000%.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> Percentage {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasSuffix("%") { body = body.dropLast() }
        if body.hasPrefix("-") {
            throw ValidationError(field: field, problem: "must not be negative, got \"\(text.prefix(40))\"")
        }
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
        let digitsOnly = pieces.allSatisfy { $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty, digitsOnly, pieces.count == 1 || !pieces[1].isEmpty else {
            throw ValidationError(field: field, problem: "must be a percentage such as 62.5, got \"\(text.prefix(40))\"")
        }
        let fraction = pieces.count == 2 ? pieces[1] : ""
        guard fraction.count <= 4 else {
            throw ValidationError(field: field, problem: "must have at most four decimals, got \"\(text.prefix(40))\"")
        }
        let whole = pieces[0].drop(while: { $0 == "0" })
        guard whole.count <= 4, let wholeValue = Int64(whole.isEmpty ? "0" : String(whole)) else {
            throw ValidationError(field: field, problem: "must be at most 1000%, got \"\(text.prefix(40))\"")
        }
        let padded = fraction + String(repeating: "0", count: 4 - fraction.count)
        let value = Percentage(millionths: wholeValue * 10_000 + Int64(padded)!)
        guard value <= maximum else {
            throw ValidationError(field: field, problem: "must be at most 1000%, got \"\(text.prefix(40))\"")
        }
        return value
    }

    /// The percentage as a Foundation `Decimal` of percent: 62.5 for 62.5%.
    public var percent: Decimal { Decimal(millionths) / 10_000 }

    /// `amount × this percentage`, rounded half to even to the cent.
    public func of(_ amount: Money) -> Money {
        Money(minorUnits: HalfEven.scale(amount.minorUnits, by: millionths, over: 1_000_000), currency: amount.currency)
    }

    /// `62.5`, with no trailing zeros — the form this type reads and writes.
    public var text: String {
        let whole = millionths / 10_000
        var fraction = String(millionths % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }

    /// `62.5%`.
    public var description: String { text + "%" }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.millionths < rhs.millionths }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do throws(ValidationError) {
            self = try Percentage.parse(text, field: "percentage")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.issues.first?.problem ?? "is not a percentage")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Refuses a negative percentage, or one above `limit` (a share of charges above 100%, say).
    func checked(atMost limit: Percentage, field: String, into issues: inout [ValidationError.Issue]) {
        if millionths < 0 {
            issues.append(.init(field: field, problem: "must not be negative, got \(self)"))
        } else if self > limit {
            issues.append(.init(field: field, problem: "must be at most \(limit), got \(self)"))
        }
    }
}
