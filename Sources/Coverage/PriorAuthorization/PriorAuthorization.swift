import CareNetwork
import Core
import Criteria
import Foundation
import Journey

public enum PriorAuthorizationTag {}
public typealias PriorAuthorizationID = Identifier<PriorAuthorizationTag>

/// One prior-authorization request on a case: what is asked, of which payer, where it
/// stands, and when the payer must decide.
///
/// The request is rebuilt from its filing and its transitions (``applying(_:policy:)``),
/// never edited in place, so its history is complete by construction: a revision from a
/// transplant to CAR-T is one more transition, and the clock it started under carries on.
public struct PriorAuthorization: Hashable, Sendable, Codable {
    public var id: PriorAuthorizationID
    public var caseID: CaseID
    public var patient: PatientID
    public var center: CenterID
    public var payer: PayerID
    public var plan: PlanID?
    /// Decides the clock policy.
    public var planType: PlanType
    public var service: RequestedService
    public var urgency: Urgency
    /// The criteria set (and version) the request was prepared against, when there was one.
    public var criteriaSet: CriteriaSetID?
    public var criteriaVersion: Int?
    public var status: PriorAuthorizationStatus
    public var createdAt: Date
    /// Receipt by the payer: when the clock started.
    public var submittedAt: Date?
    /// When the running clock (first decision or appeal) started.
    public var clockStartedAt: Date?
    /// When the owed decision is due; kept after a decision, to show whether it was on time.
    public var dueAt: Date?
    /// Set while a pend stops the clock, under a policy that allows it.
    public var pausedSince: Date?
    public var decidedAt: Date?
    public var decisionReason: String?
    public var payerReference: String?
    public var validFrom: CalendarDate?
    public var validTo: CalendarDate?
    public var transitions: [PriorAuthorizationTransition]

    /// A new draft. Nothing is owed by anyone until it is submitted.
    public init(
        id: PriorAuthorizationID, caseID: CaseID, patient: PatientID, center: CenterID, payer: PayerID, plan: PlanID? = nil,
        planType: PlanType, service: RequestedService, urgency: Urgency, criteriaSet: CriteriaSetID? = nil, criteriaVersion: Int? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.caseID = caseID
        self.patient = patient
        self.center = center
        self.payer = payer
        self.plan = plan
        self.planType = planType
        self.service = service
        self.urgency = urgency
        self.criteriaSet = criteriaSet
        self.criteriaVersion = criteriaVersion
        self.status = .draft
        self.createdAt = createdAt
        self.transitions = []
    }

    /// The request with `transition` applied, or an error naming what is wrong; `self` is unchanged either way.
    public func applying(_ transition: PriorAuthorizationTransition, policy: DecisionClockPolicy) throws(ValidationError) -> PriorAuthorization {
        try check(transition)
        var next = self
        let at = transition.at
        switch transition.action {
        case .submit:
            next.submittedAt = at
            next.startClock(at: at, allowance: policy.allowance(urgency))
        case .pend:
            if policy.pauseWhilePended { next.pausedSince = at }
        case .provideInformation:
            if let paused = pausedSince, let due = dueAt { next.dueAt = due.addingTimeInterval(at.timeIntervalSince(paused)) }
            next.pausedSince = nil
        case .approve, .overturn:
            next.decide(at: transition.receivedAt ?? at, reason: transition.reason, reference: transition.payerReference)
            next.validFrom = transition.validFrom
            next.validTo = transition.validTo
        case .deny, .uphold:
            next.decide(at: transition.receivedAt ?? at, reason: transition.reason, reference: transition.payerReference)
        case .appeal:
            next.decidedAt = nil
            next.startClock(at: at, allowance: policy.appealAllowance(urgency))
        case .withdraw:
            next.pausedSince = nil
        case .revise:
            if let service = transition.service { next.service = service }
            if let urgency = transition.urgency, urgency != self.urgency {
                next.urgency = urgency
                // Escalating never buys the payer time: the earlier of the two deadlines holds.
                if status.awaitsDecision, let due = dueAt {
                    let escalated = at.addingTimeInterval(policy.allowance(urgency))
                    next.dueAt = min(due, escalated)
                }
            }
        }
        if let target = transition.action.target { next.status = target }
        next.transitions.append(transition)
        return next
    }

    private mutating func startClock(at: Date, allowance: TimeInterval) {
        clockStartedAt = at
        dueAt = at.addingTimeInterval(allowance)
        pausedSince = nil
    }

    private mutating func decide(at: Date, reason: String?, reference: String?) {
        decidedAt = at
        decisionReason = reason
        if let reference { payerReference = reference }
        pausedSince = nil
    }

    /// Checks `transition` against the request's state and history without applying it.
    public func check(_ transition: PriorAuthorizationTransition) throws(ValidationError) {
        let action = transition.action
        guard action.allowedFrom.contains(status) else {
            let from = action.allowedFrom.map(\.rawValue).sorted().joined(separator: ", ")
            throw ValidationError(field: "action", problem: "cannot \(action.rawValue) a request that is \(status.rawValue) (only from: \(from))", rule: "pa-state")
        }
        let last = transitions.last?.at ?? createdAt
        if transition.at < last {
            throw ValidationError(field: "at", problem: "\(Self.stamp(transition.at)) is before the request's previous step at \(Self.stamp(last))", rule: "time-order")
        }
        func requireReason(_ what: String) throws(ValidationError) {
            guard let reason = transition.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError(field: "reason", problem: "is required to \(what)")
            }
        }
        switch action {
        case .deny: try requireReason("deny a request")
        case .uphold: try requireReason("uphold a denial")
        case .appeal: try requireReason("appeal (state the grounds)")
        case .withdraw: try requireReason("withdraw a request")
        case .pend:
            if transition.requestedItems.isEmpty && (transition.reason?.isEmpty ?? true) {
                throw ValidationError(field: "requestedItems", problem: "name what the payer needs to decide (or give a reason)")
            }
        case .revise:
            try requireReason("revise a request")
            guard transition.service != nil || transition.urgency != nil else {
                throw ValidationError(field: "service", problem: "a revision changes the service or the urgency; neither was given")
            }
            if let service = transition.service {
                _ = try service.validated()
                if service == self.service, transition.urgency == nil || transition.urgency == urgency {
                    throw ValidationError(field: "service", problem: "is already \(service); nothing to revise")
                }
                if (service.kind == .evaluation) != (self.service.kind == .evaluation) {
                    throw ValidationError(field: "service.kind", problem: "an evaluation authorization and a treatment request are separate requests; file a new request instead of revising", rule: "pa-revision")
                }
            }
        case .approve, .overturn:
            if let from = transition.validFrom, let to = transition.validTo, to < from {
                throw ValidationError(field: "validTo", problem: "\(to) is before validFrom \(from)")
            }
        default: break
        }
    }

    /// How the request stands against its clock at `now`.
    public func clockStatus(at now: Date) -> ClockStatus {
        guard status.awaitsDecision, let due = dueAt else { return .stopped }
        if pausedSince != nil { return .paused }
        if now > due { return .overdue }
        return now >= dueSoonAt(due) ? .dueSoon : .onTime
    }

    /// From when the request counts as due soon: the last quarter of its allowance, at most 48 hours.
    public var dueSoonAt: Date? { dueAt.map(dueSoonAt) }

    private func dueSoonAt(_ due: Date) -> Date {
        let allowance = due.timeIntervalSince(clockStartedAt ?? due)
        return due.addingTimeInterval(-min(allowance / 4, 48 * 3600))
    }

    /// Whether the decision came (or, if still owed, is) within the clock.
    public func decidedOnTime(now: Date) -> Bool? {
        guard let due = dueAt else { return nil }
        if let decided = decidedAt { return decided <= due }
        return status.awaitsDecision ? (now <= due ? nil : false) : nil
    }

    static func stamp(_ date: Date) -> String { date.formatted(.iso8601) }
}
