import CareNetwork
import Core
import Journey

/// The network page: filters, headline figures, the bottleneck ranking, interval
/// distributions (drawn and tabled) and losses.
struct NetworkPage {
    var session = PageSession.current
    struct BottleneckRow { var label, mean, median, share, control: String; var controllable: Bool; var barWidth: String }
    struct IntervalRow { var label, kind, count, p25, median, p75, p90: String }
    struct LossRow { var reason, count, share: String }

    var filterDescription: String
    var centers: [Option]
    var payers: [Option]
    var products: [Option]
    var referredFrom: String
    var referredTo: String
    var caseCount: String
    var infusedCount: String
    var openCount: String
    /// Set when figures were withheld under the small-cell rule: says why.
    var suppressionNote: String?
    var medianToInfusion: String
    var lostShare: String
    var bottlenecks: [BottleneckRow]
    var intervals: [IntervalRow]
    var losses: [LossRow]
    var distributionChart: String
    var apiLink: String

    init(metrics: DisclosedJourneyReport.Metrics, filter: JourneyFilter, directory: Directory, query: String) {
        let choices = FilterChoices(directory, filter)
        (centers, payers, products) = (choices.centers, choices.payers, choices.products)
        referredFrom = filter.referred.start?.description ?? ""
        referredTo = filter.referred.end?.description ?? ""
        var scope: [String] = []
        if let id = filter.centerID { scope.append(directory.center(id)?.name ?? id.rawValue) }
        if let id = filter.payerID { scope.append(directory.payer(id)?.name ?? id.rawValue) }
        if let id = filter.productID { scope.append(directory.product(id)?.name ?? id.rawValue) }
        filterDescription = scope.isEmpty ? "the whole network" : scope.joined(separator: " · ")
        caseCount = metrics.caseCount.description
        infusedCount = metrics.infusedCount.description
        openCount = metrics.openCount.description
        suppressionNote = metrics.isSuppressed
            ? "Counts below \(SmallCells.threshold) show as <\(SmallCells.threshold), and figures derived from them are withheld (–), as are some other counts so that none can be worked out from the rest."
            : nil
        medianToInfusion = metrics.interval("referral_to_infusion")?.distribution?.median.map(Format.number) ?? "–"
        lostShare = metrics.lostBeforeInfusionShare.map(Format.percent) ?? "–"
        let widest = metrics.bottlenecks.first?.meanCriticalDays ?? 1
        bottlenecks = metrics.bottlenecks.map { b in
            BottleneckRow(
                label: b.label, mean: Format.number(b.meanCriticalDays), median: Format.number(b.medianCriticalDays),
                share: b.shareOnCriticalPath.map(Format.percent) ?? "–", control: b.controllable ? "center and payer" : "manufacturer / clinical",
                controllable: b.controllable, barWidth: Format.number(widest > 0 ? 100 * b.meanCriticalDays / widest : 0)
            )
        }
        intervals = metrics.intervals.map { i in
            let d = i.distribution
            return IntervalRow(
                label: i.label, kind: i.key.split(separator: ":").first.map(String.init) ?? i.key, count: i.count.description,
                p25: d?.p25.map(Format.number) ?? "–", median: d?.median.map(Format.number) ?? "–",
                p75: d?.p75.map(Format.number) ?? "–", p90: d?.p90.map(Format.number) ?? "–"
            )
        }
        losses = metrics.losses.map { LossRow(reason: $0.reason.rawValue, count: $0.count.description, share: $0.share.map(Format.percent) ?? "–") }
        distributionChart = DistributionChart(intervals: metrics.intervals).render()
        apiLink = "/api/v1/metrics/journey" + (query.isEmpty ? "" : "?" + query)
    }
}
