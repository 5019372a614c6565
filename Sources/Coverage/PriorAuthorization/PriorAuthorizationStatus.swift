/// Where a prior-authorization request stands.
///
/// The states are the ones centers and payers already name (draft, submitted, pended,
/// approved, denied, appealed, overturned, upheld), so a work queue reads like the phone
/// calls it replaces.
public enum PriorAuthorizationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Being prepared by the center; no clock runs.
    case draft
    /// Received by the payer; the decision clock runs.
    case submitted
    /// The payer asked for more information; the clock keeps running unless the plan type's
    /// policy says a pend stops it.
    case pended
    case approved
    case denied
    /// The center appealed a denial; the appeal's own clock runs.
    case appealed
    /// The appeal reversed the denial: approved after all.
    case overturned
    /// The appeal confirmed the denial.
    case upheld
    /// The center withdrew the request (the patient declined, or the team chose another path).
    case withdrawn

    /// Whether someone still has to act: a decision is owed or the center is preparing it.
    public var isOpen: Bool {
        switch self {
        case .draft, .submitted, .pended, .appealed: true
        case .approved, .denied, .overturned, .upheld, .withdrawn: false
        }
    }

    /// Whether the payer owes a decision now, which is when the regulatory clock matters.
    public var awaitsDecision: Bool { self == .submitted || self == .pended || self == .appealed }

    /// Whether the service may go ahead.
    public var isApproved: Bool { self == .approved || self == .overturned }
}
