import CareNetwork
import Core
import Outcomes
import Registry
import Testing

@Suite("Cohort outcomes and site burden")
struct CohortOutcomesTests {
    let infusion = CalendarDate(year: 2025, month: 1, day: 10)!
    let asOf = CalendarDate(year: 2026, month: 6, day: 1)!

    func event(_ id: String, _ patient: String, day: Int, _ kind: OutcomeKind, value: String? = nil, corrects: String? = nil, recordedAfter: Int = 0) -> OutcomeEvent {
        let date = infusion.adding(days: day)
        return OutcomeEvent(id: OutcomeEventID(id), patientID: PatientID(patient), date: date, kind: kind, value: value, source: "test",
                            recordedOn: date.adding(days: recordedAfter), corrects: corrects.map { OutcomeEventID(rawValue: $0) })
    }

    @Test("grade ≥3 CRS and ICANS count once per patient; a death after relapse is not non-relapse mortality; corrections apply")
    func toxicityAndNonRelapseMortality() {
        let patients: [CohortOutcomes.Patient] = [
            // Grade 2 then grade 4 CRS: one severe patient.
            .init(infusedOn: infusion, events: [event("a1", "p-a", day: 2, .cytokineReleaseSyndrome(grade: 2)), event("a2", "p-a", day: 4, .cytokineReleaseSyndrome(grade: 4))]),
            // Grade 3 ICANS, then a death with no relapse on day 200: non-relapse, within a year.
            .init(infusedOn: infusion, events: [event("b1", "p-b", day: 6, .neurotoxicity(grade: 3)), event("b2", "p-b", day: 200, .death)]),
            // Progression on day 90, death on day 150: relapse mortality.
            .init(infusedOn: infusion, events: [event("c1", "p-c", day: 90, .responseAssessment, value: "progression"), event("c2", "p-c", day: 150, .death)]),
            // Grade 3 CRS entered in error: not severe. Death at day 400: non-relapse, after the first year.
            .init(infusedOn: infusion, events: [
                event("d1", "p-d", day: 3, .cytokineReleaseSyndrome(grade: 3)), event("d2", "p-d", day: 3, .enteredInError, corrects: "d1", recordedAfter: 5),
                event("d3", "p-d", day: 400, .death),
            ]),
            // Grade 1 CRS, lost to follow-up on day 100.
            .init(infusedOn: CalendarDate(year: 2026, month: 2, day: 1)!, events: [event("e1", "p-e", day: 1, .cytokineReleaseSyndrome(grade: 1))]),
        ]
        let cohort = CohortOutcomes(patients, asOf: asOf)
        #expect(cohort.infused == 5)
        #expect(cohort.infusedPerYear == [2025: 4, 2026: 1])
        #expect(cohort.severeCRS == 1)
        #expect(cohort.severeICANS == 1)
        #expect(cohort.nonRelapseDeaths == 2)
        #expect(cohort.nonRelapseDeathsFirstYear == 1)
        #expect(cohort.survival.filter(\.died).map(\.days).sorted() == [150, 200, 400])
    }

    @Test("a patient without a death is censored at the last day known alive, not at the report's day")
    func censoredAtLastKnownAlive() {
        let cohort = CohortOutcomes([
            // Seen at day 28 and day 365: known alive on day 365, censored there.
            .init(infusedOn: infusion, events: [event("f1", "p-f", day: 28, .responseAssessment, value: "complete"),
                                                event("f2", "p-f", day: 365, .responseAssessment, value: "complete")]),
            // Never seen after infusion: censored on the day of infusion, not counted alive at asOf.
            .init(infusedOn: infusion, events: []),
            // Lost to follow-up on day 100.
            .init(infusedOn: infusion, events: [event("g1", "p-g", day: 100, .lostToFollowUp)]),
        ], asOf: asOf)
        #expect(cohort.survival.map(\.days) == [365, 0, 100])
        #expect(cohort.survival.allSatisfy { !$0.died })
        #expect(cohort.survival.allSatisfy { $0.days < infusion.days(until: asOf) })
    }

    @Test("an event recorded after the report's day does not count yet")
    func lateEventsWaitForTheirDay() {
        let late = event("x1", "p-x", day: 4, .cytokineReleaseSyndrome(grade: 3), recordedAfter: 600)
        #expect(CohortOutcomes([.init(infusedOn: infusion, events: [late])], asOf: asOf).severeCRS == 0)
        #expect(CohortOutcomes([.init(infusedOn: infusion, events: [late])], asOf: asOf.adding(days: 400)).severeCRS == 1)
    }

    @Test("burden counts keyed fields per patient-year, FHIR-received events apart, and the re-entry each contract would have needed")
    func siteBurden() {
        let keyed = [
            event("k1", "p-a", day: 30, .responseAssessment, value: "complete"),             // patient, date, kind, value = 4
            event("k2", "p-a", day: 60, .labValue(test: "factor-viii", value: ExactDecimal(significand: 125, scale: 1), unit: "%")), // + test, value, unit = 6
            event("k3", "p-a", day: 61, .enteredInError, corrects: "k2"),                     // + corrects = 4
        ]
        let received = event("fhir-0123456789abcdef0123456789abcdef", "p-a", day: 90, .cytokineReleaseSyndrome(grade: 2))
        // Infused 365.25 days before asOf would be one patient-year; use a death to end follow-up at day 365.
        let death = event("k4", "p-b", day: 365, .death)                                      // 3
        let burden = SiteBurden([
            .init(infusedOn: infusion, events: keyed + [received], contracts: 2),
            .init(infusedOn: infusion, events: [death], contracts: 0),
        ], asOf: asOf)
        #expect(burden.patients == 2)
        #expect(burden.eventsEntered == 4)
        #expect(burden.fieldsEntered == 4 + 6 + 4 + 3)
        #expect(burden.eventsReceived == 1)
        #expect(burden.reentryAvoided == (4 + 6 + 4) * 2)
        #expect(burden.followUpDays == infusion.days(until: asOf) + 365)
        let perYear = try! #require(burden.fieldsPerPatientYear)
        #expect(abs(perYear - 17 / (Double(infusion.days(until: asOf) + 365) / 365.25)) < 1e-9)
        #expect(SiteBurden([], asOf: asOf).fieldsPerPatientYear == nil)
    }
}
