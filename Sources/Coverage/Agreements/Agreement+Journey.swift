import Core
import Journey

extension Agreement {
    /// Journey events that record the agreement on the case's financial-agreement stage:
    /// sending starts it (unless the coordinator already did), both signatures complete it —
    /// so time to agreement is the stage's days in the journey metrics.
    public func journeyEvents(after step: AgreementStep, journey: CaseJourney, on date: CalendarDate) -> [JourneyEvent] {
        guard journey.template.stage(.financialAgreement) != nil else { return [] }
        let state = journey.state(of: .financialAgreement).status
        switch step {
        case .sent where state == .notStarted:
            return [JourneyEvent(id: JourneyEventID("\(id.rawValue)-sent"), kind: .started, stage: .financialAgreement, date: date, note: "agreement \(id) sent")]
        case .signed where status == .signed && (state == .inProgress):
            return [JourneyEvent(id: JourneyEventID("\(id.rawValue)-signed"), kind: .completed, stage: .financialAgreement, date: date, note: "agreement \(id) signed")]
        case .signed where status == .signed && state == .blocked:
            return [JourneyEvent(id: JourneyEventID("\(id.rawValue)-unblocked"), kind: .unblocked, stage: .financialAgreement, date: date),
                    JourneyEvent(id: JourneyEventID("\(id.rawValue)-signed"), kind: .completed, stage: .financialAgreement, date: date, note: "agreement \(id) signed")]
        default:
            return []
        }
    }
}

/// The agreement steps that move the journey.
public enum AgreementStep: String, Hashable, Sendable {
    case sent, signed
}
