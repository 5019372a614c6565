import Core
import Foundation

public enum PriorAuthorizationTransitionTag {}
/// Chosen by the client (or generated), so a retried transition is recognised, not applied twice.
public typealias PriorAuthorizationTransitionID = Identifier<PriorAuthorizationTransitionTag>

/// One step in a request's life, as it happened. The request is the fold of its transitions;
/// they are kept, in order, as its history.
public struct PriorAuthorizationTransition: Hashable, Sendable, Codable {
    public var id: PriorAuthorizationTransitionID
    public var action: PriorAuthorizationAction
    /// When it happened: receipt by the payer for a submission, the decision time for a decision.
    public var at: Date
    /// Why (a denial's reason, what a pend asks for, why a request was revised or withdrawn).
    public var reason: String?
    /// What a pend asks the center to send.
    public var requestedItems: [String]
    /// The new service, for a revision.
    public var service: RequestedService?
    /// A new urgency, for a revision (a patient whose condition worsens is escalated).
    public var urgency: Urgency?
    /// The payer's reference for its decision (the PAS `preAuthRef`).
    public var payerReference: String?
    /// The period an approval covers.
    public var validFrom: CalendarDate?
    public var validTo: CalendarDate?
    /// Who recorded it (a user id), for the history.
    public var recordedBy: String?
    /// When CurePath received it, by the server's clock (`nil` for history loaded in bulk).
    /// A decision is timed by this, not by `at`: the deciding side states `at`, and a clock
    /// the judged party can set judges nothing.
    public var receivedAt: Date?

    public init(
        id: PriorAuthorizationTransitionID, action: PriorAuthorizationAction, at: Date, reason: String? = nil, requestedItems: [String] = [],
        service: RequestedService? = nil, urgency: Urgency? = nil, payerReference: String? = nil, validFrom: CalendarDate? = nil,
        validTo: CalendarDate? = nil, recordedBy: String? = nil, receivedAt: Date? = nil
    ) {
        self.id = id
        self.action = action
        self.at = at
        self.reason = reason
        self.requestedItems = requestedItems
        self.service = service
        self.urgency = urgency
        self.payerReference = payerReference
        self.validFrom = validFrom
        self.validTo = validTo
        self.recordedBy = recordedBy
        self.receivedAt = receivedAt
    }
}

/// What can happen to a request, and who does it.
public enum PriorAuthorizationAction: String, Hashable, Sendable, Codable, CaseIterable {
    case submit
    case pend
    case provideInformation = "provide-information"
    case approve
    case deny
    case appeal
    case overturn
    case uphold
    case withdraw
    /// Changes the service (transplant → CAR-T, one product → another) or escalates the
    /// urgency, keeping the request's history and clock.
    case revise

    /// Which side acts: the center files, answers, appeals and revises; the payer decides.
    public var actor: Actor {
        switch self {
        case .submit, .provideInformation, .appeal, .withdraw, .revise: .center
        case .pend, .approve, .deny, .overturn, .uphold: .payer
        }
    }

    public enum Actor: String, Hashable, Sendable, Codable {
        case center, payer
    }

    /// The status the action leads to; a revision keeps the status.
    var target: PriorAuthorizationStatus? {
        switch self {
        case .submit, .provideInformation: .submitted
        case .pend: .pended
        case .approve: .approved
        case .deny: .denied
        case .appeal: .appealed
        case .overturn: .overturned
        case .uphold: .upheld
        case .withdraw: .withdrawn
        case .revise: nil
        }
    }

    /// The statuses the action may be taken from.
    var allowedFrom: Set<PriorAuthorizationStatus> {
        switch self {
        case .submit: [.draft]
        case .pend: [.submitted]
        case .provideInformation: [.pended]
        case .approve, .deny: [.submitted, .pended]
        case .appeal: [.denied]
        case .overturn, .uphold: [.appealed]
        case .withdraw: [.draft, .submitted, .pended, .appealed]
        case .revise: [.draft, .submitted, .pended]
        }
    }
}

extension PriorAuthorization {
    /// The actions the request's status allows next, in lifecycle order.
    public var possibleActions: [PriorAuthorizationAction] {
        PriorAuthorizationAction.allCases.filter { $0.allowedFrom.contains(status) }
    }
}
