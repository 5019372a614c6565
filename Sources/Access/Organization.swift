import CareNetwork
import Core

public enum OrganizationTag {}
public typealias OrganizationID = Identifier<OrganizationTag>

/// An organization whose people and systems use CurePath. What its members may see follows
/// from what kind of organization it is and which center, payer or manufacturer it is.
public struct Organization: Hashable, Sendable, Codable {
    public var id: OrganizationID
    public var name: String
    public var kind: OrganizationKind
    /// The center a treatment-center organization is.
    public var centerID: CenterID?
    /// The payer a payer organization is.
    public var payerID: PayerID?
    /// The manufacturer a manufacturer organization is, by the identifier contracts and the
    /// ledger use for it (`mfr-novartis`).
    public var manufacturer: String?

    public init(id: OrganizationID, name: String, kind: OrganizationKind, centerID: CenterID? = nil, payerID: PayerID? = nil, manufacturer: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.centerID = centerID
        self.payerID = payerID
        self.manufacturer = manufacturer
    }

    /// Checks that the organization names the party its kind requires.
    public func validated() throws(ValidationError) -> Organization {
        switch kind {
        case .center where centerID == nil: throw ValidationError(field: "centerId", problem: "is required for a center organization")
        case .payer where payerID == nil: throw ValidationError(field: "payerId", problem: "is required for a payer organization")
        case .manufacturer where manufacturer?.isEmpty ?? true:
            throw ValidationError(field: "manufacturer", problem: "is required for a manufacturer organization")
        default: return self
        }
    }
}

public enum OrganizationKind: String, Hashable, Sendable, Codable, CaseIterable {
    case center, payer, manufacturer, mediator, registry
    /// A health-policy office, research group or the mediator's own policy unit: it studies
    /// the network and sees no patient. Its own kind rather than the mediator's, because the
    /// organization decides the data and the mediator's decides "every case, every patient":
    /// a policy analyst there would inherit that scope, unsuppressed.
    case policy
}
