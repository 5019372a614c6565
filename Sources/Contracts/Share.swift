import Foundation
import Core

/// A proportion of a price between 0% and 100%, held in basis points (1/100 of a percent).
///
/// Contract shares ("refund 80%", "hold 12.5% in reserve", "fee 0.25%") are exact decimals in
/// the contract; basis points keep them integers so every amount computed from them is exact.
public struct Share: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let basisPoints: Int

    public init(basisPoints: Int) {
        precondition((0...10_000).contains(basisPoints), "a share is between 0 and 10,000 basis points")
        self.basisPoints = basisPoints
    }

    public init(percent: Int) { self.init(basisPoints: percent * 100) }

    public static let zero = Share(basisPoints: 0)
    public static let whole = Share(basisPoints: 10_000)

    public static func < (lhs: Share, rhs: Share) -> Bool { lhs.basisPoints < rhs.basisPoints }

    /// Parses `80%`, `12.5%`, `0.25%`: at most two decimals, at most 100%.
    static func parse(_ text: String) -> Result<Share, ParseFailure> {
        guard text.hasSuffix("%") else { return .failure(.notAPercentage) }
        let number = text.dropLast().trimmingCharacters(in: .whitespaces)
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            parts.count == 1 || (!parts[1].isEmpty && parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }))
        else { return .failure(.notAPercentage) }
        if parts.count == 2, parts[1].count > 2 { return .failure(.tooPrecise) }
        guard parts[0].count <= 4, let whole = Int(parts[0]) else { return .failure(.overWhole) }
        var fraction = parts.count == 2 ? Int(parts[1])! : 0
        if parts.count == 2, parts[1].count == 1 { fraction *= 10 }
        let basisPoints = whole * 100 + fraction
        guard basisPoints <= 10_000 else { return .failure(.overWhole) }
        return .success(Share(basisPoints: basisPoints))
    }

    enum ParseFailure: Error {
        case notAPercentage, tooPrecise, overWhole

        var problem: String {
            switch self {
            case .notAPercentage: "must be a percentage such as 80% or 12.5%"
            case .tooPrecise: "must have at most two decimals (a basis point is 0.01%)"
            case .overWhole: "must be at most 100%"
            }
        }
    }

    /// `80%`, `12.5%`, `0.25%`.
    public var description: String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)%" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)%" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
