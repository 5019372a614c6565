import CareNetwork
import Core

/// A center's follow-up record: of the visits owed so far, how many came in, how many on
/// time, and how late the rest are — what a center is held to and what a payer relies on
/// when an outcomes-based contract settles from registry data.
public struct FollowUpCompleteness: Hashable, Sendable {
    public var center: CenterID
    public var patients: Int
    /// Visits whose window has closed (or that were completed), and so are owed by now.
    public var owed: Int
    public var completed: Int
    public var completedOnTime: Int
    public var overdue: Int
    public var dueNow: Int
    /// Median days late of late and overdue visits; `nil` when none is late.
    public var medianDaysLate: Int?

    /// Completed ÷ owed; `nil` when nothing is owed yet.
    public var completeness: Double? { owed == 0 ? nil : Double(completed) / Double(owed) }
    /// On time ÷ owed.
    public var timeliness: Double? { owed == 0 ? nil : Double(completedOnTime) / Double(owed) }

    public static func of(_ center: CenterID, _ followUps: [TreatedPatientFollowUp]) -> FollowUpCompleteness {
        let visits = followUps.filter { $0.center == center }.flatMap(\.visits)
        let owed = visits.filter { [.completedOnTime, .completedLate, .overdue].contains($0.state) }
        let late = owed.filter { $0.daysLate > 0 }.map(\.daysLate).sorted()
        return FollowUpCompleteness(
            center: center, patients: followUps.filter { $0.center == center }.count, owed: owed.count,
            completed: owed.filter { $0.state != .overdue }.count, completedOnTime: owed.filter { $0.state == .completedOnTime }.count,
            overdue: owed.filter { $0.state == .overdue }.count, dueNow: visits.filter { $0.state == .due }.count,
            medianDaysLate: late.isEmpty ? nil : late[late.count / 2])
    }
}
