import Core

public enum PayerTag {}
public typealias PayerID = Identifier<PayerTag>
public enum PlanTag {}
public typealias PlanID = Identifier<PlanTag>

/// An organization that pays for care: a health insurer, a government program or a
/// self-insured employer.
public struct Payer: Hashable, Sendable, Codable {
    public var id: PayerID
    public var name: String
    public var kind: PayerKind
    /// The state, for state Medicaid programs; `nil` for national payers.
    public var state: String?

    public init(id: PayerID, name: String, kind: PayerKind, state: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.state = state
    }
}

/// The broad kind of payer, which decides default agreement and authorization rules.
public enum PayerKind: String, Hashable, Sendable, Codable, CaseIterable {
    case commercial
    case medicare
    case medicareAdvantage = "medicare-advantage"
    case medicaid
    case selfInsuredEmployer = "self-insured-employer"
}

/// One plan (line of business) offered by a payer.
public struct Plan: Hashable, Sendable, Codable {
    public var id: PlanID
    public var payerID: PayerID
    public var name: String
    /// Decides the regulatory prior-authorization clock its requests run on (`DecisionClocks`).
    public var type: PlanType
    /// The state whose program it is, for Medicaid and CHIP plans; `nil` otherwise.
    public var state: String?

    public init(id: PlanID, payerID: PayerID, name: String, type: PlanType, state: String? = nil) {
        self.id = id
        self.payerID = payerID
        self.name = name
        self.type = type
        self.state = state
    }
}

/// Plan types, as the CMS interoperability and prior authorization rule distinguishes them.
public enum PlanType: String, Hashable, Sendable, Codable, CaseIterable {
    case commercial
    case medicare
    case medicareAdvantage = "medicare-advantage"
    case medicaid
    case chip
    case selfInsured = "self-insured"
}

extension PayerKind {
    /// The plan type to assume when a request names the payer but not the plan.
    public var defaultPlanType: PlanType {
        switch self {
        case .commercial: .commercial
        case .medicare: .medicare
        case .medicareAdvantage: .medicareAdvantage
        case .medicaid: .medicaid
        case .selfInsuredEmployer: .selfInsured
        }
    }
}
