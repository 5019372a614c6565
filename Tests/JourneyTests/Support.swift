import Core
import CareNetwork
import Journey

/// A calendar date from a literal in a test.
func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso8601: text) else { preconditionFailure("bad test date \(text)") }
    return date
}

/// An event as a coordinator would record it.
func event(
    _ kind: JourneyEventKind, _ stage: StageKey?, _ date: String, reason: String? = nil, loss: LossReason? = nil,
    atRisk: String? = nil
) -> JourneyEvent {
    JourneyEvent(
        id: JourneyEventID("evt-\(kind.rawValue)-\(stage?.rawValue ?? "case")-\(date)"), kind: kind, stage: stage,
        date: day(date), reason: reason, lossReason: loss, atRiskOverride: atRisk
    )
}

extension CaseJourney {
    /// Records events in order, stopping at the first refusal.
    mutating func record(_ events: [JourneyEvent], notAfter: CalendarDate? = nil) throws(ValidationError) {
        for event in events { try record(event, notAfter: notAfter) }
    }
}

/// Referral on 2026-01-05; benefits investigation, prior authorization and the financial
/// agreement run in parallel; the referral completes on 01-12 and PA on 01-20. The agreement
/// is still being negotiated.
let awaitingAgreement: [JourneyEvent] = [
    event(.started, .referral, "2026-01-05"),
    event(.started, .benefitsInvestigation, "2026-01-05"),
    event(.started, .priorAuthorization, "2026-01-06"),
    event(.started, .financialAgreement, "2026-01-06"),
    event(.completed, .benefitsInvestigation, "2026-01-09"),
    event(.completed, .referral, "2026-01-12"),
    event(.completed, .priorAuthorization, "2026-01-20"),
]

/// A complete CAR-T journey from referral on 2026-01-05 to infusion on 2026-03-21 (75 days):
/// the agreement completes on `agreementDone`, apheresis on `apheresis`, manufacturing runs
/// 02-25 to 03-14 and lymphodepletion 03-16 to 03-18.
func infusedCarT(agreementDone: String = "2026-02-20", apheresis: String = "2026-02-24") -> [JourneyEvent] {
    awaitingAgreement + [
        event(.completed, .financialAgreement, agreementDone),
        event(.started, .apheresis, apheresis),
        event(.completed, .apheresis, apheresis),
        event(.started, .manufacturing, "2026-02-25"),
        event(.completed, .manufacturing, "2026-03-14"),
        event(.started, .lymphodepletion, "2026-03-16"),
        event(.completed, .lymphodepletion, "2026-03-18"),
        event(.started, .infusion, "2026-03-21"),
        event(.completed, .infusion, "2026-03-21"),
    ]
}

func carTJourney(_ events: [JourneyEvent], referral: String = "2026-01-05") throws -> CaseJourney {
    try CaseJourney(template: .carT, referralDate: day(referral), events: events)
}

/// Asserts-friendly snapshot of everything `record` may change.
struct JourneySnapshot: Equatable {
    var events: [JourneyEvent]
    var stages: [StageKey: StageState]
    var status: CaseStatus
    var lossReason: LossReason?
    var closedOn: CalendarDate?

    init(_ journey: CaseJourney) {
        events = journey.events
        stages = journey.stages
        status = journey.status
        lossReason = journey.lossReason
        closedOn = journey.closedOn
    }
}
