import CareNetwork
import Core
import Coverage
import Foundation
import Journey
import Testing

@Suite("Prior authorization: journey events")
struct PriorAuthorizationJourneyTests {
    let date = CalendarDate(year: 2026, month: 3, day: 2)!

    func journey(paStarted: Bool) throws -> CaseJourney {
        var journey = CaseJourney(template: .carT, referralDate: date)
        try journey.record(JourneyEvent(id: "e1", kind: .started, stage: .referral, date: date))
        try journey.record(JourneyEvent(id: "e2", kind: .started, stage: .benefitsInvestigation, date: date))
        if paStarted { try journey.record(JourneyEvent(id: "e3", kind: .started, stage: .priorAuthorization, date: date)) }
        return journey
    }

    @Test func filingStartsThePriorAuthorizationStageOnlyIfItHasNotStarted() throws {
        var fresh = try journey(paStarted: false)
        let events = request().journeyEventsOnFiling(fresh, on: date)
        #expect(events.map(\.kind) == [.started])
        for event in events { try fresh.record(event) }
        #expect(fresh.state(of: .priorAuthorization).status == .inProgress)
        #expect(request().journeyEventsOnFiling(try journey(paStarted: true), on: date).isEmpty)
    }

    @Test func aPendBlocksTheStageAndAnApprovalUnblocksAndCompletesIt() throws {
        var journey = try journey(paStarted: true)
        var pa = try request().then(step(.submit, monday))
        for transition in [step(.pend, monday.addingTimeInterval(day), items: ["brain MRI"]), step(.approve, monday.addingTimeInterval(3 * day))] {
            pa = try pa.then(transition)
            for event in pa.journeyEvents(for: transition, journey: journey, on: date) { try journey.record(event) }
            if transition.action == .pend {
                #expect(journey.state(of: .priorAuthorization).status == .blocked)
                #expect(journey.state(of: .priorAuthorization).blocks.last?.reason.contains("brain MRI") == true)
            }
        }
        #expect(journey.state(of: .priorAuthorization).status == .completed)
    }

    @Test func anEvaluationAuthorizationLeavesTheJourneyAlone() throws {
        let journey = try journey(paStarted: false)
        let evaluation = request(service: RequestedService(kind: .evaluation))
        #expect(evaluation.journeyEventsOnFiling(journey, on: date).isEmpty)
        let submitted = try evaluation.then(step(.submit, monday))
        let approve = step(.approve, monday.addingTimeInterval(day))
        #expect(try submitted.then(approve).journeyEvents(for: approve, journey: journey, on: date).isEmpty)
    }
}
