import Core

public enum CoveragePeriodTag {}
public typealias CoveragePeriodID = Identifier<CoveragePeriodTag>

/// A patient's enrollment with one payer and plan between two dates.
///
/// Patients change insurers (churn) over the years a contract runs; the coverage period in
/// force on a date decides who pays for what happened that day.
public struct CoveragePeriod: Hashable, Sendable, Codable {
    public var id: CoveragePeriodID
    public var patientID: PatientID
    public var payerID: PayerID
    public var planID: PlanID
    /// The payer's identifier of the member: a personal identifier, stored sealed and apart
    /// (`coverage_members`). `nil` when the period was read without it, which is every read
    /// but the audited one that fills in a document the caller may see identifiers in.
    public var memberID: String?
    public var start: CalendarDate
    /// Last covered day; `nil` while the enrollment is open.
    public var end: CalendarDate?

    public init(
        id: CoveragePeriodID, patientID: PatientID, payerID: PayerID, planID: PlanID, memberID: String?,
        start: CalendarDate, end: CalendarDate?
    ) {
        self.id = id
        self.patientID = patientID
        self.payerID = payerID
        self.planID = planID
        self.memberID = memberID
        self.start = start
        self.end = end
    }

    public func covers(_ date: CalendarDate) -> Bool {
        date >= start && (end.map { date <= $0 } ?? true)
    }
}

extension Sequence where Element == CoveragePeriod {
    /// The coverage in force on `date`, the latest-starting one if periods overlap.
    public func inForce(on date: CalendarDate) -> CoveragePeriod? {
        filter { $0.covers(date) }.max { $0.start < $1.start }
    }
}
