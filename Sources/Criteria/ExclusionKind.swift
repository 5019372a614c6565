/// A condition that rules a patient out regardless of every other criterion.
///
/// Kept as a closed list because "absent" must be asserted by a clinician: a fact that
/// was never recorded is unknown, not absent, and evaluation says so.
public enum ExclusionKind: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case activeInfection
    case cnsInvolvement
    case priorCarT

    public static func < (lhs: ExclusionKind, rhs: ExclusionKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
