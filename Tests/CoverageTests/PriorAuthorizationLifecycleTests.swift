import CareNetwork
import Core
import Coverage
import Foundation
import Journey
import Testing

/// 2026-03-02 09:00 UTC, a Monday.
let monday = Date(timeIntervalSince1970: 1_772_442_000)
let hour: TimeInterval = 3600
let day: TimeInterval = 86_400

func request(_ planType: PlanType = .medicaid, urgency: Urgency = .standard, service: RequestedService = .therapy("prd-yescarta")) -> PriorAuthorization {
    PriorAuthorization(
        id: "pa-1", caseID: "case-1", patient: "pat-1", center: "ctr-1", payer: "pay-1", planType: planType, service: service,
        urgency: urgency, createdAt: monday
    )
}

func step(_ action: PriorAuthorizationAction, _ at: Date, reason: String? = nil, items: [String] = [], service: RequestedService? = nil, urgency: Urgency? = nil, id: String? = nil) -> PriorAuthorizationTransition {
    PriorAuthorizationTransition(id: PriorAuthorizationTransitionID(id ?? "\(action.rawValue)-\(Int(at.timeIntervalSince1970))"), action: action, at: at,
                                 reason: reason, requestedItems: items, service: service, urgency: urgency)
}

extension PriorAuthorization {
    func then(_ transition: PriorAuthorizationTransition, _ clocks: DecisionClocks = .cmsDefaults) throws -> PriorAuthorization {
        try applying(transition, policy: clocks.policy(for: planType))
    }
}

@Suite("Prior authorization: lifecycle")
struct PriorAuthorizationLifecycleTests {
    @Test func aStandardMedicaidRequestIsDueSevenCalendarDaysAfterReceipt() throws {
        let submitted = try request(.medicaid).then(step(.submit, monday))
        #expect(submitted.status == .submitted)
        #expect(submitted.dueAt == monday.addingTimeInterval(7 * day))
        #expect(submitted.clockStatus(at: monday.addingTimeInterval(3 * day)) == .onTime)
        #expect(submitted.clockStatus(at: monday.addingTimeInterval(6 * day)) == .dueSoon)
        #expect(submitted.clockStatus(at: monday.addingTimeInterval(7 * day + 1)) == .overdue)
    }

    @Test func anExpeditedRequestIsDueInSeventyTwoHoursAndDueSoonInItsLastEighteen() throws {
        let submitted = try request(.medicareAdvantage, urgency: .expedited).then(step(.submit, monday))
        #expect(submitted.dueAt == monday.addingTimeInterval(72 * hour))
        #expect(submitted.clockStatus(at: monday.addingTimeInterval(53 * hour)) == .onTime)
        #expect(submitted.clockStatus(at: monday.addingTimeInterval(55 * hour)) == .dueSoon)
    }

    @Test func commercialPlansGetFifteenDaysAndPoliciesCanBeOverridden() throws {
        #expect(try request(.commercial).then(step(.submit, monday)).dueAt == monday.addingTimeInterval(15 * day))
        var clocks = DecisionClocks.cmsDefaults
        clocks.policies[.commercial] = DecisionClockPolicy(expeditedHours: 24, standardDays: 5)
        #expect(try request(.commercial).then(step(.submit, monday), clocks).dueAt == monday.addingTimeInterval(5 * day))
    }

    @Test func aDraftHasNoClockAndADecisionStopsIt() throws {
        #expect(request().clockStatus(at: monday) == .stopped)
        let approved = try request().then(step(.submit, monday)).then(step(.approve, monday.addingTimeInterval(2 * day)))
        #expect(approved.status == .approved)
        #expect(approved.clockStatus(at: monday.addingTimeInterval(30 * day)) == .stopped)
        #expect(approved.decidedOnTime(now: monday.addingTimeInterval(30 * day)) == true)
    }

    @Test func aLateDecisionBackdatedByThePayerIsStillLate() throws {
        let submitted = try request(.medicaid).then(step(.submit, monday))
        // The payer states it decided on day 2; CurePath received it on day 9, after the 7-day clock.
        var backdated = step(.approve, monday.addingTimeInterval(2 * day))
        backdated.receivedAt = monday.addingTimeInterval(9 * day)
        let approved = try submitted.then(backdated)
        #expect(approved.decidedAt == monday.addingTimeInterval(9 * day))
        #expect(approved.decidedOnTime(now: monday.addingTimeInterval(10 * day)) == false)
        #expect(approved.transitions.last?.at == monday.addingTimeInterval(2 * day))
        // Without a receipt (history loaded in bulk) the stated time is all there is.
        let loaded = try submitted.then(step(.approve, monday.addingTimeInterval(2 * day)))
        #expect(loaded.decidedOnTime(now: monday.addingTimeInterval(10 * day)) == true)
    }

    @Test func aPendKeepsTheClockRunningUnderTheCMSRule() throws {
        let pended = try request().then(step(.submit, monday)).then(step(.pend, monday.addingTimeInterval(day), items: ["echocardiogram within 30 days"]))
        #expect(pended.status == .pended)
        #expect(pended.dueAt == monday.addingTimeInterval(7 * day))
        #expect(pended.clockStatus(at: monday.addingTimeInterval(8 * day)) == .overdue)
        let answered = try pended.then(step(.provideInformation, monday.addingTimeInterval(3 * day)))
        #expect(answered.status == .submitted)
        #expect(answered.dueAt == monday.addingTimeInterval(7 * day))
    }

    @Test func aPolicyThatPausesOnPendAddsTheTimeThePendLasted() throws {
        var clocks = DecisionClocks.cmsDefaults
        clocks.policies[.commercial] = DecisionClockPolicy(expeditedHours: 72, standardDays: 15, pauseWhilePended: true)
        let pended = try request(.commercial).then(step(.submit, monday), clocks).then(step(.pend, monday.addingTimeInterval(day), items: ["pft"]), clocks)
        #expect(pended.clockStatus(at: monday.addingTimeInterval(20 * day)) == .paused)
        let answered = try pended.then(step(.provideInformation, monday.addingTimeInterval(4 * day)), clocks)
        #expect(answered.dueAt == monday.addingTimeInterval(18 * day))
    }

    @Test func aDenialCanBeAppealedOnItsOwnThirtyDayClockAndOverturned() throws {
        let denied = try request().then(step(.submit, monday)).then(step(.deny, monday.addingTimeInterval(5 * day), reason: "ECOG 3 exceeds the criteria's maximum of 2"))
        #expect(denied.status == .denied)
        #expect(denied.decisionReason?.contains("ECOG 3") == true)
        let appealed = try denied.then(step(.appeal, monday.addingTimeInterval(6 * day), reason: "ECOG re-assessed at 1 after steroids"))
        #expect(appealed.status == .appealed)
        #expect(appealed.dueAt == monday.addingTimeInterval(36 * day))
        let overturned = try appealed.then(step(.overturn, monday.addingTimeInterval(10 * day)))
        #expect(overturned.status == .overturned)
        #expect(overturned.status.isApproved)
        #expect(overturned.transitions.map(\.action) == [.submit, .deny, .appeal, .overturn])
    }

    @Test func revisingFromTransplantToCarTKeepsTheHistoryAndTheClock() throws {
        let submitted = try request(service: RequestedService(kind: .transplant)).then(step(.submit, monday))
        let revised = try submitted.then(step(.revise, monday.addingTimeInterval(2 * day), reason: "team chose CAR-T over autologous transplant", service: .therapy("prd-yescarta")))
        #expect(revised.service == .therapy("prd-yescarta"))
        #expect(revised.status == .submitted)
        #expect(revised.submittedAt == monday)
        #expect(revised.dueAt == submitted.dueAt)
        #expect(revised.transitions.count == 2)
    }

    @Test func escalatingToExpeditedNeverExtendsTheDeadline() throws {
        let submitted = try request(.medicaid).then(step(.submit, monday))
        let early = try submitted.then(step(.revise, monday.addingTimeInterval(day), reason: "progressing", urgency: .expedited))
        #expect(early.dueAt == monday.addingTimeInterval(4 * day))
        let late = try submitted.then(step(.revise, monday.addingTimeInterval(6 * day), reason: "progressing", urgency: .expedited))
        #expect(late.dueAt == monday.addingTimeInterval(7 * day))
    }

    @Test(arguments: [
        (PriorAuthorizationAction.approve, "cannot approve a request that is draft"),
        (.appeal, "cannot appeal a request that is draft"),
        (.provideInformation, "cannot provide-information a request that is draft"),
    ])
    func stepsOutOfOrderAreRefusedAndNameTheState(action: PriorAuthorizationAction, message: String) throws {
        let draft = request()
        let error = #expect(throws: ValidationError.self) { try draft.then(step(action, monday, reason: "x")) }
        #expect(error?.issues.first?.field == "action")
        #expect(error?.issues.first?.problem.contains(message) == true)
        #expect(error?.issues.first?.rule == "pa-state")
    }

    @Test func refusalsNameTheMissingField() throws {
        let submitted = try request().then(step(.submit, monday))
        #expect(throws: ValidationError(field: "reason", problem: "is required to deny a request")) { try submitted.then(step(.deny, monday.addingTimeInterval(hour))) }
        let pendError = #expect(throws: ValidationError.self) { try submitted.then(step(.pend, monday.addingTimeInterval(hour))) }
        #expect(pendError?.issues.first?.field == "requestedItems")
        let backwards = #expect(throws: ValidationError.self) { try submitted.then(step(.approve, monday.addingTimeInterval(-hour))) }
        #expect(backwards?.issues.first?.rule == "time-order")
        let sameService = #expect(throws: ValidationError.self) { try submitted.then(step(.revise, monday.addingTimeInterval(hour), reason: "r", service: .therapy("prd-yescarta"))) }
        #expect(sameService?.issues.first?.field == "service")
        let evaluation = #expect(throws: ValidationError.self) { try submitted.then(step(.revise, monday.addingTimeInterval(hour), reason: "r", service: RequestedService(kind: .evaluation))) }
        #expect(evaluation?.issues.first?.rule == "pa-revision")
        let noProduct = #expect(throws: ValidationError.self) { try submitted.then(step(.revise, monday.addingTimeInterval(hour), reason: "r", service: RequestedService(kind: .therapy))) }
        #expect(noProduct?.issues.first?.field == "service.product")
    }

    @Test func clockPoliciesAreValidated() {
        let error = #expect(throws: ValidationError.self) { try DecisionClockPolicy(expeditedHours: 0, standardDays: 400).validated(field: "clocks.medicaid") }
        #expect(error?.issues.map(\.field) == ["clocks.medicaid.expeditedHours", "clocks.medicaid.standardDays"])
    }
}

@Suite("Decision clock configuration")
struct DecisionClockConfigurationTests {
    @Test func overridesNamePlanTypesAndKeepTheRest() throws {
        let clocks = try DecisionClocks.parse("commercial=48h/10d, medicaid=72h/7d/24h/14d/pause")
        #expect(clocks.policy(for: .commercial) == DecisionClockPolicy(expeditedHours: 48, standardDays: 10))
        #expect(clocks.policy(for: .medicaid) == DecisionClockPolicy(expeditedHours: 72, standardDays: 7, expeditedAppealHours: 24, standardAppealDays: 14, pauseWhilePended: true))
        #expect(clocks.policy(for: .chip) == DecisionClocks.cmsDefaults.policy(for: .chip))
    }

    @Test(arguments: ["hmo=72h/7d", "commercial=72/7d", "commercial=72h", "commercial=0h/7d"])
    func badOverridesAreRefusedByPosition(text: String) {
        let error = #expect(throws: ValidationError.self) { try DecisionClocks.parse(text) }
        #expect(error?.issues.first?.field.hasPrefix("CUREPATH_PA_CLOCKS[0]") == true)
    }
}
