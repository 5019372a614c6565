import Core
import CareNetwork

/// The overall reading of one criteria set for one patient.
public enum CriteriaVerdict: String, Hashable, Sendable, Codable {
    /// Every criterion is met.
    case likelyApprovable = "likely-approvable"
    /// At least one criterion is not met, whatever the missing facts would show.
    case notApprovable = "not-approvable"
    /// Nothing fails, but something is unknown: gather the missing items first.
    case incomplete
}

/// One patient's facts against one criteria set, as of a date.
///
/// Codable for storing and sending; ``verdict`` and ``missing`` are derived from the results and not encoded.
public struct SetEvaluation: Hashable, Sendable, Codable {
    public var set: CriteriaSetID
    public var version: Int
    public var owner: CriteriaOwner
    public var product: ProductID
    /// Whether the set was in effect on the evaluation date; evaluated either way, so a
    /// center can see the effect of a set before it applies.
    public var inEffect: Bool
    public var asOf: CalendarDate
    public var results: [CriterionResult]

    public var verdict: CriteriaVerdict {
        if results.contains(where: { $0.status == .notMet }) { return .notApprovable }
        if results.contains(where: { $0.status == .unknown }) { return .incomplete }
        return .likelyApprovable
    }

    /// Every missing item, once, in criterion order.
    public var missing: [MissingItem] {
        var seen: Set<MissingItem> = []
        return results.flatMap(\.missing).filter { seen.insert($0).inserted }
    }
}
