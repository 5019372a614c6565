import CareNetwork

/// Whose PA requests and agreements a caller sees: a center its own, a payer those addressed
/// to it (not every record of the patients it covers), the mediator all.
public enum PartyScope: Hashable, Sendable {
    case all
    case center(CenterID)
    case payer(PayerID)
    case none
}

extension PartyScope {
    /// Whether a record between `center` and `payer` is within the scope.
    public func includes(center: CenterID, payer: PayerID) -> Bool {
        switch self {
        case .all: true
        case .center(let id): id == center
        case .payer(let id): id == payer
        case .none: false
        }
    }
}
