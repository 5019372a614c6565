import APIContract
import CareNetwork
import Core
import Journey
import Storage

extension CurePathAPI {
    func getJourneyMetrics(_ input: Operations.GetJourneyMetrics.Input) async throws -> Operations.GetJourneyMetrics.Output {
        let query = input.query
        let filter = try Parse.filter(center: query.center, payer: query.payer, product: query.product, referredFrom: query.referredFrom, referredTo: query.referredTo)
        let grouping = query.by.map { JourneyGrouping(rawValue: $0.rawValue)! }
        let report = JourneyDisclosure.report(try await store.cases.summaries(filter), filter: filter, by: grouping)
        var groups: [Components.Schemas.MetricsGroup]?
        if let grouping, let split = report.groups {
            let directory = try await store.reference.directory()
            groups = split.map { group in
                .init(key: group.key, name: directory.name(of: group.key, grouping: grouping), metrics: .init(group.metrics))
            }
        }
        return .ok(.init(body: .json(.init(overall: .init(report.overall), by: query.by.map { .init(rawValue: $0.rawValue)! }, groups: groups))))
    }
}

extension Directory {
    /// The display name of a grouping key, falling back to the key itself.
    public func name(of key: String, grouping: JourneyGrouping) -> String {
        switch grouping {
        case .center: center(CenterID(key))?.name ?? key
        case .payer: payer(PayerID(key))?.name ?? key
        case .product: product(ProductID(key))?.name ?? key
        }
    }
}

extension Components.Schemas.NetworkMetrics {
    /// Withheld figures (``DisclosedJourneyReport``) are left out, and `suppressed` says so.
    init(_ metrics: DisclosedJourneyReport.Metrics) {
        self.init(
            suppressed: metrics.isSuppressed ? true : nil,
            caseCount: metrics.caseCount.value, openCount: metrics.openCount.value, infusedCount: metrics.infusedCount.value, lostCount: metrics.lostCount.value,
            lostBeforeInfusionShare: metrics.lostBeforeInfusionShare,
            intervals: metrics.intervals.map { interval in
                let d = interval.distribution
                return .init(
                    key: interval.key, label: interval.label, stage: interval.stage?.rawValue,
                    distribution: .init(count: interval.count.value, mean: d?.mean, p25: d?.p25, median: d?.median, p75: d?.p75, p90: d?.p90, min: d?.min, max: d?.max)
                )
            },
            losses: metrics.losses.map { .init(reason: .init(rawValue: $0.reason.rawValue)!, count: $0.count.value, share: $0.share) },
            bottlenecks: metrics.bottlenecks.map {
                .init(stage: $0.stage.rawValue, label: $0.label, meanCriticalDays: $0.meanCriticalDays,
                      medianCriticalDays: $0.medianCriticalDays, shareOnCriticalPath: $0.shareOnCriticalPath, controllable: $0.controllable)
            }
        )
    }
}
