import CareNetwork
import Core
import Journey
import Outcomes
import Registry
import Storage

/// A center's follow-up: completeness and timeliness of the visits owed so far, and the list of
/// visits due now and overdue — what the coordinator chases this week.
struct FollowUpPage {
    struct Row { var patient, product, visit, dueDate, window, state, days: String; var overdue: Bool }

    var session = PageSession.current
    var center, centerID: String
    var patients, owed, dueNow, overdue: Int
    var completeness, timeliness, medianDaysLate: String
    var rows: [Row]
    var burden: BurdenFigures

    /// The center's infused patients and their visits as of `asOf`, from the outcome events on file.
    static func load(_ store: Store, center: Center, asOf: CalendarDate) async throws -> FollowUpPage {
        let directory = try await store.reference.directory()
        let record = try await CenterRegistryRecord.load(store, center: center, directory: directory, contracts: try await CenterRegistryRecord.contractCounts(store), asOf: asOf)
        return FollowUpPage(center: center, followUps: record.followUps, burden: record.burden, directory: directory)
    }

    init(center: Center, followUps: [TreatedPatientFollowUp], burden: SiteBurden, directory: Directory) {
        self.burden = BurdenFigures(burden)
        self.center = center.name
        centerID = center.id.rawValue
        let record = FollowUpCompleteness.of(center.id, followUps)
        patients = record.patients
        owed = record.owed
        dueNow = record.dueNow
        overdue = record.overdue
        completeness = record.completeness.map(Format.percent) ?? "—"
        timeliness = record.timeliness.map(Format.percent) ?? "—"
        medianDaysLate = record.medianDaysLate.map { "\($0) days" } ?? "—"
        rows = followUps.flatMap { followUp in
            followUp.visits.filter { $0.state == .due || $0.state == .overdue }.map { visit in
                Row(patient: followUp.patient.rawValue, product: directory.product(followUp.product)?.name ?? followUp.product.rawValue, visit: visit.visit.name,
                    dueDate: visit.dueDate.description, window: "\(visit.windowStart) – \(visit.windowEnd)", state: visit.state.rawValue,
                    days: visit.state == .overdue ? "\(visit.daysLate) days overdue" : "open", overdue: visit.state == .overdue)
            }
        }.sorted { ($0.overdue ? 0 : 1, $0.dueDate) < ($1.overdue ? 0 : 1, $1.dueDate) }
    }
}
