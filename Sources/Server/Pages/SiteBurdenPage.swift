import CareNetwork
import Core
import Registry
import Storage

/// Every center the caller may see, side by side: follow-up completeness and timeliness, and
/// the data-entry burden per patient-year — where the mediator looks for a center that is
/// falling behind or is asked to key too much.
struct SiteBurdenPage {
    struct Row {
        var centerID, center, completeness, timeliness: String
        var patients, overdue: Int
        var burden: BurdenFigures
    }

    var session = PageSession.current
    var asOf: String
    var rows: [Row]

    /// `centers` are those in the caller's scope.
    static func load(_ store: Store, centers: [Center], asOf: CalendarDate) async throws -> SiteBurdenPage {
        let directory = try await store.reference.directory()
        let contracts = try await CenterRegistryRecord.contractCounts(store)
        var rows: [Row] = []
        for center in centers {
            let record = try await CenterRegistryRecord.load(store, center: center, directory: directory, contracts: contracts, asOf: asOf)
            let completeness = FollowUpCompleteness.of(center.id, record.followUps)
            rows.append(Row(
                centerID: center.id.rawValue, center: center.name,
                completeness: completeness.completeness.map(Format.percent) ?? "—", timeliness: completeness.timeliness.map(Format.percent) ?? "—",
                patients: completeness.patients, overdue: completeness.overdue, burden: BurdenFigures(record.burden)))
        }
        return SiteBurdenPage(asOf: asOf.description, rows: rows)
    }
}
