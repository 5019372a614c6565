import Testing
import Core
import Outcomes
import Contracts

@Suite("Measures")
struct MeasureEvaluationTests {
    let infusion = day("2026-01-10")

    func evaluate(_ kind: MeasureKind, window: MeasureWindow, grace: Int = 30, missing: MissingDataRule = .escalate, _ events: [OutcomeEvent], asOf: String)
        -> MeasureResult
    {
        MeasureEvaluation.evaluate(
            OutcomeMeasure(id: "m", kind: kind, window: window, graceDays: grace, missingData: missing), infusion: infusion,
            events: events.sorted { $0.date < $1.date }, asOf: day(asOf)
        )
    }

    @Test func responseByDay30() {
        let kind = MeasureKind.responseBy(responses: ["complete", "partial"])
        // Day 30 is 2026-02-09; declared when the 30-day grace period ends, 2026-03-11.
        let partial = [outcome("r", "p", "2026-02-05", .responseAssessment, value: "partial")]
        #expect(evaluate(kind, window: .days(30), partial, asOf: "2026-03-10").status == .pending)
        let met = evaluate(kind, window: .days(30), partial, asOf: "2026-03-11")
        #expect(met.status == .met && met.decidedOn == day("2026-03-11") && met.evidence == ["r"])
        let none = [outcome("r", "p", "2026-02-05", .responseAssessment, value: "stable")]
        #expect(evaluate(kind, window: .days(30), none, asOf: "2026-04-01").status == .notMet)
        // A response after day 30 does not count.
        let late = [outcome("r", "p", "2026-02-20", .responseAssessment, value: "complete")]
        #expect(evaluate(kind, window: .days(30), late, asOf: "2026-04-01").status == .escalated)
    }

    @Test func aliveAtMonth12AndTheMissingDataRules() {
        let death = [outcome("d", "p", "2026-09-01", .death)]
        let died = evaluate(.aliveAt, window: .months(12), death, asOf: "2027-03-01")
        #expect(died.status == .notMet && died.failureDate == day("2026-09-01"))
        let seen = [outcome("v", "p", "2027-01-20", .responseAssessment, value: "complete")]
        #expect(evaluate(.aliveAt, window: .months(12), seen, asOf: "2027-03-01").status == .met)
        // No data: each rule, flagged by its basis. The window ends 2027-01-10, grace 2027-02-09.
        let quiet = [outcome("v", "p", "2026-06-01", .responseAssessment, value: "complete")]
        #expect(evaluate(.aliveAt, window: .months(12), missing: .assumeMet, quiet, asOf: "2027-02-09").basis == .assumedMet)
        #expect(evaluate(.aliveAt, window: .months(12), missing: .assumeNotMet, quiet, asOf: "2027-02-09").status == .notMet)
        let extended = evaluate(.aliveAt, window: .months(12), missing: .extend(days: 60), quiet, asOf: "2027-03-01")
        #expect(extended.status == .pending && extended.basis == .awaitingData)
        let escalated = evaluate(.aliveAt, window: .months(12), missing: .extend(days: 60), quiet, asOf: "2027-04-10")
        #expect(escalated.status == .escalated && escalated.decidedOn == day("2027-04-10"))
        // Lost to follow-up is not evidence of being alive.
        let lost = quiet + [outcome("l", "p", "2027-02-01", .lostToFollowUp)]
        #expect(evaluate(.aliveAt, window: .months(12), lost, asOf: "2027-03-01").status == .escalated)
    }

    @Test func labAtLeastUsesTheResultNearestTheMonthExactly() {
        func lab(_ id: String, _ date: String, _ value: String, unit: String = "%") -> OutcomeEvent {
            guard case .success(let number) = ExactDecimal.parse(value) else { preconditionFailure() }
            return outcome(id, "p", date, .labValue(test: "factor-ix-activity", value: number, unit: unit))
        }
        let kind = MeasureKind.labAtLeast(test: "factor-ix-activity", threshold: ExactDecimal(significand: 5, scale: 0), unit: "%", toleranceDays: 30)
        // Month 18 is 2027-07-10. The reading of 2027-07-01 (9 days off) beats 2027-06-15 (25 days off).
        let near = [lab("far", "2027-06-15", "12.0"), lab("near", "2027-07-01", "4.99")]
        let result = evaluate(kind, window: .months(18), near, asOf: "2027-09-01")
        #expect(result.status == .notMet && result.evidence == ["near"])
        #expect(evaluate(kind, window: .months(18), [lab("ok", "2027-07-20", "5.00")], asOf: "2027-09-01").status == .met)
        // A result in another unit is not compared with a threshold in %.
        let other = evaluate(kind, window: .months(18), [lab("iu", "2027-07-10", "40", unit: "IU/dL")], asOf: "2027-09-01")
        #expect(other.status == .escalated && other.explanation.contains("IU/dL"))
    }

    @Test func noHospitalizationFailsOnTheDayTheEventIsRecorded() {
        let kind = MeasureKind.noHospitalization(reason: "vaso-occlusive-event")
        let events = [
            outcome("inf", "p", "2026-03-01", .hospitalization(reason: "infection")),
            outcome("voe", "p", "2026-08-01", .hospitalization(reason: "vaso-occlusive-event"), recorded: "2026-09-15"),
        ]
        #expect(evaluate(kind, window: .months(36), events, asOf: "2026-09-14").status == .pending)
        let failed = evaluate(kind, window: .months(36), events, asOf: "2026-09-15")
        #expect(failed.status == .notMet && failed.failureDate == day("2026-08-01") && failed.decidedOn == day("2026-09-15"))
    }

    @Test func transfusionIndependenceNeedsFollowUpToShowIt() {
        let kind = MeasureKind.transfusionIndependence(forMonths: 12)
        let early = [outcome("t", "p", "2026-02-01", .transfusion)]
        // Independent from 2026-02-01, but only known once an event on or after 2027-02-01 is in.
        #expect(evaluate(kind, window: .months(24), early, asOf: "2028-03-01").basis == .escalated)
        let shown = early + [outcome("v", "p", "2027-03-01", .responseAssessment, value: "complete")]
        let met = evaluate(kind, window: .months(24), shown, asOf: "2028-03-01")
        #expect(met.status == .met && met.evidence == ["t", "v"])
        // A death ends follow-up: not met, whatever the data.
        let died = early + [outcome("d", "p", "2026-09-01", .death)]
        #expect(evaluate(kind, window: .months(24), died, asOf: "2028-03-01").status == .notMet)
    }
}
