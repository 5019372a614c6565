import CareNetwork
import Core
import Outcomes
import Registry
import Testing

@Suite("Follow-up schedules")
struct FollowUpTests {
    static let infusion = CalendarDate(year: 2025, month: 1, day: 10)!

    static func event(_ id: String, _ kind: OutcomeKind, _ days: Int, corrects: String? = nil) -> OutcomeEvent {
        OutcomeEvent(id: OutcomeEventID(id), patientID: "pat-1", date: infusion.adding(days: days), kind: kind, value: kind == .responseAssessment ? "complete" : nil,
                     source: "registry", recordedOn: infusion.adding(days: days), corrects: corrects.map { OutcomeEventID($0) })
    }

    static func status(_ events: [OutcomeEvent], asOf days: Int, schedule: FollowUpSchedule = .carT) -> TreatedPatientFollowUp {
        TreatedPatientFollowUp.status(patient: "pat-1", center: "ctr-1", product: "prd-1", infusionDate: infusion, schedule: schedule, events: events,
                                      asOf: infusion.adding(days: days))
    }

    @Test func carTIsDay30Day100Month6ThenYearlyForFifteenYears() {
        #expect(FollowUpSchedule.carT.visits.prefix(4).map(\.key) == ["d30", "d100", "m6", "y1"])
        #expect(FollowUpSchedule.carT.visits.last?.key == "y15")
        #expect(FollowUpSchedule.geneTherapy.visits.count == 15)
        #expect(FollowUpSchedule.for(.exVivoGeneTherapy).visits.first?.day == 365)
    }

    @Test func visitsAreOnTimeLateOverdueDueOrUpcoming() {
        let followUp = Self.status([
            Self.event("e1", .responseAssessment, 29),          // day 30 window 23...37: on time
            Self.event("e2", .labValue(test: "ldh", value: try! ExactDecimal.parse("200").get(), unit: "U/L"), 120),  // day 100 window 86...114: late by 6
        ], asOf: 200)
        let states = Dictionary(uniqueKeysWithValues: followUp.visits.map { ($0.visit.key, $0) })
        #expect(states["d30"]?.state == .completedOnTime)
        #expect(states["d100"]?.state == .completedLate)
        #expect(states["d100"]?.daysLate == 6)
        #expect(states["m6"]?.state == .due)         // window 152...212
        #expect(states["y1"]?.state == .upcoming)
        let later = Self.status([Self.event("e1", .responseAssessment, 29)], asOf: 250)
        let m6 = later.visits.first { $0.visit.key == "m6" }
        #expect(m6?.state == .overdue)
        #expect(m6?.daysLate == 250 - 212)
    }

    @Test func deathStopsTheScheduleAndErrorsDoNotCount() {
        let followUp = Self.status([
            Self.event("e1", .responseAssessment, 30),
            Self.event("e2", .responseAssessment, 100),
            Self.event("e3", .enteredInError, 101, corrects: "e2"),
            Self.event("e4", .death, 140),
        ], asOf: 400)
        let states = Dictionary(uniqueKeysWithValues: followUp.visits.map { ($0.visit.key, $0.state) })
        #expect(states["d30"] == .completedOnTime)
        #expect(states["d100"] == .overdue)          // its only assessment was corrected away
        #expect(states["m6"] == .notOwed)
        #expect(states["y15"] == .notOwed)
        #expect(followUp.stoppedBy == .death)
    }

    @Test func completenessCountsOwedVisitsOnly() {
        let a = Self.status([Self.event("e1", .responseAssessment, 30), Self.event("e2", .responseAssessment, 120)], asOf: 200)
        let b = Self.status([], asOf: 200)
        let record = FollowUpCompleteness.of("ctr-1", [a, b])
        #expect(record.patients == 2)
        #expect(record.owed == 4)                 // d30 and d100 for each
        #expect(record.completed == 2)
        #expect(record.completedOnTime == 1)
        #expect(record.overdue == 2)
        #expect(record.dueNow == 2)               // month 6 for each
        #expect(record.completeness == 0.5)
        #expect(record.timeliness == 0.25)
        #expect(record.medianDaysLate == 86)      // late by 6; overdue by 200-37=163 and 200-114=86
        #expect(FollowUpCompleteness.of("ctr-other", [a]).completeness == nil)
    }
}
