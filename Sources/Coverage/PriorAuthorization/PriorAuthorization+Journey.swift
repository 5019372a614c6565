import Core
import Journey

extension PriorAuthorization {
    /// Whether the request's steps move the case's prior-authorization stage. An evaluation
    /// authorization covers the work-up before the treatment decision, so it does not.
    public var drivesJourney: Bool { service.kind != .evaluation }

    /// The journey events that record filing this request: the prior-authorization stage
    /// starts, unless the coordinator already started it.
    public func journeyEventsOnFiling(_ journey: CaseJourney, on date: CalendarDate) -> [JourneyEvent] {
        guard drivesJourney, journey.template.stage(.priorAuthorization) != nil,
              journey.state(of: .priorAuthorization).status == .notStarted
        else { return [] }
        return [JourneyEvent(id: JourneyEventID("\(id.rawValue)-filed"), kind: .started, stage: .priorAuthorization, date: date, note: "prior authorization \(id) filed")]
    }

    /// The journey events that record `transition` (already applied to `self`), so that PA
    /// time, pends and denials show in the journey metrics like any other stage's.
    ///
    /// Pends and denials block the stage (with the payer's reason); information sent, and an
    /// approval of a blocked request, unblock it; an approval or overturned denial completes
    /// it. Submissions, appeals, revisions and withdrawals change nothing the journey counts.
    public func journeyEvents(for transition: PriorAuthorizationTransition, journey: CaseJourney, on date: CalendarDate) -> [JourneyEvent] {
        guard drivesJourney, journey.template.stage(.priorAuthorization) != nil else { return [] }
        let state = journey.state(of: .priorAuthorization).status
        let base = "\(id.rawValue)-\(transition.id.rawValue)"
        func event(_ kind: JourneyEventKind, _ suffix: String, reason: String? = nil) -> JourneyEvent {
            JourneyEvent(id: JourneyEventID(String("\(base)-\(suffix)".prefix(64))), kind: kind, stage: .priorAuthorization, date: date, reason: reason,
                         note: "prior authorization \(id): \(transition.action.rawValue)")
        }
        switch transition.action {
        case .pend where state == .inProgress:
            let needed = transition.requestedItems.isEmpty ? (transition.reason ?? "information") : transition.requestedItems.joined(separator: ", ")
            return [event(.blocked, "b", reason: "payer pended the request: \(needed)")]
        case .provideInformation where state == .blocked:
            return [event(.unblocked, "u")]
        case .deny where state == .inProgress:
            return [event(.blocked, "b", reason: "denied: \(transition.reason ?? "no reason given")")]
        case .approve, .overturn:
            switch state {
            case .blocked: return [event(.unblocked, "u"), event(.completed, "c")]
            case .inProgress: return [event(.completed, "c")]
            default: return []
            }
        default:
            return []
        }
    }
}
