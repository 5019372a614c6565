import CareNetwork
import Core
import Outcomes

/// One treated patient's follow-up, as the registry sees it on a date.
public struct TreatedPatientFollowUp: Hashable, Sendable {
    public var patient: PatientID
    public var center: CenterID
    public var product: ProductID
    public var infusionDate: CalendarDate
    public var visits: [VisitStatus]
    /// Why follow-up stopped (death, lost to follow-up), and when; later visits are not owed.
    public var stoppedBy: OutcomeKindCode?
    public var stoppedOn: CalendarDate?
}

/// Where one owed visit stands.
public struct VisitStatus: Hashable, Sendable {
    public enum State: String, Hashable, Sendable, Codable {
        /// Its window has not opened yet.
        case upcoming
        /// Its window is open and no assessment has come in.
        case due
        /// An assessment came in inside the window.
        case completedOnTime = "completed-on-time"
        /// An assessment came in after the window closed (before the next visit's window).
        case completedLate = "completed-late"
        /// The window closed with no assessment.
        case overdue
        /// Not owed: follow-up stopped before the window opened.
        case notOwed = "not-owed"
    }

    public var visit: FollowUpSchedule.Visit
    public var dueDate: CalendarDate
    public var windowStart: CalendarDate
    public var windowEnd: CalendarDate
    public var state: State
    /// The assessment that completed it.
    public var assessedOn: CalendarDate?
    /// Days after the window closed that it was completed, or has been overdue, as of the date.
    public var daysLate: Int
}

extension TreatedPatientFollowUp {
    /// The patient's visits as of `asOf`, read from their outcome events (corrections applied:
    /// events entered in error and superseded events do not count).
    ///
    /// Any event other than a death, a loss to follow-up or an error dated inside a visit's
    /// window completes it — one submitted assessment serves every purpose. A death or a loss to
    /// follow-up stops the schedule: visits whose window opens after it are not owed.
    public static func status(
        patient: PatientID, center: CenterID, product: ProductID, infusionDate: CalendarDate, schedule: FollowUpSchedule,
        events: [OutcomeEvent], asOf: CalendarDate
    ) -> TreatedPatientFollowUp {
        let superseded = Set(events.compactMap(\.corrects))
        let valid = events.filter { !superseded.contains($0.id) && $0.kind.code != .enteredInError && $0.date <= asOf }
        let stop = valid.filter { $0.kind.code == .death || $0.kind.code == .lostToFollowUp }.min { $0.date < $1.date }
        let assessments = valid.filter { $0.kind.code != .death && $0.kind.code != .lostToFollowUp && $0.date >= infusionDate }.map(\.date).sorted()
        var visits: [VisitStatus] = []
        for (index, visit) in schedule.visits.enumerated() {
            let due = infusionDate.adding(days: visit.day)
            let start = due.adding(days: -visit.window), end = due.adding(days: visit.window)
            // A late assessment still counts until the next visit's window opens.
            let lateLimit = index + 1 < schedule.visits.count
                ? infusionDate.adding(days: schedule.visits[index + 1].day - schedule.visits[index + 1].window - 1) : end.adding(days: 365)
            var status = VisitStatus(visit: visit, dueDate: due, windowStart: start, windowEnd: end, state: .upcoming, assessedOn: nil, daysLate: 0)
            if let stop, stop.date < start {
                status.state = .notOwed
            } else if let onTime = assessments.first(where: { $0 >= start && $0 <= end }) {
                status.state = .completedOnTime
                status.assessedOn = onTime
            } else if let late = assessments.first(where: { $0 > end && $0 <= lateLimit }) {
                status.state = .completedLate
                status.assessedOn = late
                status.daysLate = end.days(until: late)
            } else if asOf < start {
                status.state = .upcoming
            } else if asOf <= end {
                status.state = .due
            } else {
                status.state = .overdue
                status.daysLate = end.days(until: asOf)
            }
            visits.append(status)
        }
        return TreatedPatientFollowUp(patient: patient, center: center, product: product, infusionDate: infusionDate, visits: visits,
                                      stoppedBy: stop?.kind.code, stoppedOn: stop?.date)
    }
}
