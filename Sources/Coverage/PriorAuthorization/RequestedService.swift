import CareNetwork
import Core

/// What a prior-authorization request asks the payer to cover.
///
/// A request can be revised from one service to another — a transplant work-up becomes a
/// CAR-T request when the team changes course, or one CAR-T product replaces another —
/// without losing its history or its clock, which is the point of modelling the service as
/// a value the request carries rather than as the request's identity.
public struct RequestedService: Hashable, Sendable, Codable, CustomStringConvertible {
    public var kind: ServiceKind
    /// The product, for a cell or gene therapy; `nil` for an evaluation or a transplant.
    public var product: ProductID?

    public init(kind: ServiceKind, product: ProductID? = nil) {
        self.kind = kind
        self.product = product
    }

    public static func therapy(_ product: ProductID) -> RequestedService { RequestedService(kind: .therapy, product: product) }

    /// Checks that a therapy names its product and that other services do not.
    public func validated(field: String = "service") throws(ValidationError) -> RequestedService {
        switch kind {
        case .therapy where product == nil:
            throw ValidationError(field: "\(field).product", problem: "is required when the service is a therapy")
        case .evaluation, .transplant:
            if product != nil {
                throw ValidationError(field: "\(field).product", problem: "must be left out for \(kind.rawValue == "evaluation" ? "an" : "a") \(kind.rawValue)")
            }
        default: break
        }
        return self
    }

    public var description: String {
        switch kind {
        case .therapy: "therapy \(product?.rawValue ?? "?")"
        case .evaluation: "evaluation"
        case .transplant: "transplant"
        }
    }
}

/// The kinds of service a request may cover.
public enum ServiceKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// An evaluation authorization: preliminary services (consultation, pretests) while
    /// candidacy is decided, so the work-up need not wait for the treatment decision.
    case evaluation
    /// Hematopoietic stem-cell transplant, the path CAR-T often replaces mid-way.
    case transplant
    /// A cell or gene therapy product.
    case therapy
}

/// How fast the payer must decide.
public enum Urgency: String, Hashable, Sendable, Codable, CaseIterable {
    /// The patient's life or function is at risk from waiting; the 72-hour clock.
    case expedited
    case standard
}
