import Access
import Core
import Journey

/// Whether the current reader sees journey metrics in full or under the small-cell rule.
///
/// In full: the mediator (every case is in its scope), and a center or payer whose filters
/// keep the report inside its own cases (filtered to its own center, or to its own payer).
/// Everyone else — manufacturers, who see aggregates only, and a center or payer whose report
/// reaches other organizations' cases — gets ``DisclosedJourneyReport/suppressed(_:groups:)``.
enum JourneyDisclosure {
    static func seesFullDetail(_ filter: JourneyFilter) -> Bool {
        switch RequestIdentity.caseScope {
        case .all: true
        case .center(let center): filter.centerID == center
        case .payer(let payer): filter.payerID == payer
        case .none: false
        }
    }

    /// The report of `summaries` (already filtered by `filter`), split by `grouping` if given.
    static func report(_ summaries: [CaseSummary], filter: JourneyFilter, by grouping: JourneyGrouping?) -> DisclosedJourneyReport {
        let overall = NetworkMetrics(summaries: summaries)
        let groups = grouping.map { NetworkMetrics.grouped(summaries, by: $0) }
        return seesFullDetail(filter) ? .full(overall, groups: groups) : .suppressed(overall, groups: groups)
    }
}
