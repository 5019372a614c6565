import Core
import CareNetwork

/// Which cases a network report covers.
public struct JourneyFilter: Hashable, Sendable, Codable {
    public var centerID: CenterID?
    public var payerID: PayerID?
    public var productID: ProductID?
    /// Cases referred within this period.
    public var referred: DateInterval

    public init(centerID: CenterID? = nil, payerID: PayerID? = nil, productID: ProductID? = nil, referred: DateInterval = DateInterval()) {
        self.centerID = centerID
        self.payerID = payerID
        self.productID = productID
        self.referred = referred
    }

    public func includes(_ summary: CaseSummary) -> Bool {
        if let centerID, summary.centerID != centerID { return false }
        if let payerID, summary.payerID != payerID { return false }
        if let productID, summary.productID != productID { return false }
        return referred.contains(summary.referralDate)
    }
}

/// How a report splits the network.
public enum JourneyGrouping: String, Hashable, Sendable, Codable, CaseIterable {
    case center, payer, product
}

/// Journey metrics across many cases: how long each interval takes, who is lost and why,
/// and which stages cost the most days on the way to infusion.
public struct NetworkMetrics: Hashable, Sendable, Codable {
    /// The distribution of one interval over the cases that have it.
    public struct Interval: Hashable, Sendable, Codable {
        /// `referral_to_infusion`, `stage:<key>` (days in the stage) or `wait:<key>` (days before it).
        public var key: String
        public var label: String
        public var stage: StageKey?
        public var distribution: Distribution
    }

    public struct Loss: Hashable, Sendable, Codable {
        public var reason: LossReason
        public var count: Int
        /// Share of closed cases (infused or lost) lost for this reason.
        public var share: Double
    }

    /// A stage's weight on the critical path of infused cases.
    public struct Bottleneck: Hashable, Sendable, Codable {
        public var stage: StageKey
        public var label: String
        /// Mean days (waiting plus active) the stage put on the critical path; the means of
        /// all stages add up to the mean referral-to-infusion time.
        public var meanCriticalDays: Double
        public var medianCriticalDays: Double
        /// Share of infused cases whose critical path ran through the stage.
        public var shareOnCriticalPath: Double
        /// Whether the center and payer control the stage (and so can shorten it).
        public var controllable: Bool
    }

    public var caseCount: Int
    public var openCount: Int
    public var infusedCount: Int
    public var lostCount: Int
    /// Lost / (infused + lost): the share of closed cases that never reached infusion.
    public var lostBeforeInfusionShare: Double?
    public var intervals: [Interval]
    public var losses: [Loss]
    /// Most days first.
    public var bottlenecks: [Bottleneck]

    public init<S: Sequence>(summaries: S, filter: JourneyFilter = JourneyFilter()) where S.Element == CaseSummary {
        let stageOrder = NetworkMetrics.stageOrder
        var caseCount = 0, open = 0, infused = 0, lost = 0
        var toInfusion: [Int] = []
        var stageDays: [StageKey: [Int]] = [:]
        var waitDays: [StageKey: [Int]] = [:]
        var criticalDays: [StageKey: [Int]] = [:]
        var lossCounts: [LossReason: Int] = [:]
        for summary in summaries where filter.includes(summary) {
            caseCount += 1
            switch summary.status {
            case .open: open += 1
            case .infused:
                infused += 1
                if let days = summary.referralToInfusionDays { toInfusion.append(days) }
            case .lost:
                lost += 1
                if let reason = summary.lossReason { lossCounts[reason, default: 0] += 1 }
            }
            for interval in summary.intervals {
                if let completed = interval.completed { stageDays[interval.stage, default: []].append(completed - interval.start) }
                if let wait = interval.waitingDays { waitDays[interval.stage, default: []].append(wait) }
                if summary.status == .infused { criticalDays[interval.stage, default: []].append(interval.criticalDays) }
            }
        }
        self.caseCount = caseCount
        openCount = open
        infusedCount = infused
        lostCount = lost
        lostBeforeInfusionShare = infused + lost > 0 ? Double(lost) / Double(infused + lost) : nil

        var intervals = [Interval(key: "referral_to_infusion", label: "Referral to infusion", stage: nil, distribution: Distribution(toInfusion))]
        // Shipped stages in journey order, then those only filed templates have, by key.
        let known = Set(stageOrder.map(\.key))
        let keys = stageOrder.map(\.key).filter { stageDays[$0] != nil || waitDays[$0] != nil }
            + Set(stageDays.keys).union(waitDays.keys).subtracting(known).sorted()
        for key in keys {
            let label = NetworkMetrics.label(key)
            if let waits = waitDays[key] {
                intervals.append(Interval(key: "wait:\(key)", label: "Waiting before \(label.lowercased())", stage: key, distribution: Distribution(waits)))
            }
            if let days = stageDays[key] {
                intervals.append(Interval(key: "stage:\(key)", label: label, stage: key, distribution: Distribution(days)))
            }
        }
        self.intervals = intervals

        let closed = infused + lost
        losses = LossReason.allCases.compactMap { reason in
            guard let count = lossCounts[reason] else { return nil }
            return Loss(reason: reason, count: count, share: Double(count) / Double(closed))
        }

        bottlenecks = criticalDays.map { key, values in
            // A stage a case never reached counts as zero days on that case's path.
            var all = values
            all.append(contentsOf: repeatElement(0, count: max(0, infused - values.count)))
            let distribution = Distribution(all)
            let onPath = values.filter { $0 > 0 }.count
            return Bottleneck(
                stage: key,
                label: NetworkMetrics.label(key),
                meanCriticalDays: distribution.mean ?? 0,
                medianCriticalDays: distribution.median ?? 0,
                shareOnCriticalPath: infused > 0 ? Double(onPath) / Double(infused) : 0,
                controllable: stageOrder.first { $0.key == key }?.controllable ?? true
            )
        }
        .sorted { ($0.meanCriticalDays, $1.stage.rawValue) > ($1.meanCriticalDays, $0.stage.rawValue) }
    }

    /// Metrics for each group the cases fall into, largest group first.
    public static func grouped<S: Sequence>(
        _ summaries: S, by grouping: JourneyGrouping, filter: JourneyFilter = JourneyFilter()
    ) -> [(group: String, metrics: NetworkMetrics)] where S.Element == CaseSummary {
        var groups: [String: [CaseSummary]] = [:]
        for summary in summaries where filter.includes(summary) {
            let key: String
            switch grouping {
            case .center: key = summary.centerID.rawValue
            case .payer: key = summary.payerID.rawValue
            case .product: key = summary.productID.rawValue
            }
            groups[key, default: []].append(summary)
        }
        return groups.map { ($0.key, NetworkMetrics(summaries: $0.value)) }
            .sorted { ($0.metrics.caseCount, $1.group) > ($1.metrics.caseCount, $0.group) }
    }

    public func interval(_ key: String) -> Interval? { intervals.first { $0.key == key } }

    /// Every stage of the built-in templates, in journey order, without repeats.
    static let stageOrder: [Stage] = {
        var seen: Set<StageKey> = []
        var order: [Stage] = []
        for template in JourneyTemplate.builtIn {
            for (index, stage) in template.stages.enumerated() where !seen.contains(stage.key) {
                seen.insert(stage.key)
                // Insert stages a later template adds just after their predecessor in that template.
                if index > 0, let after = order.firstIndex(where: { $0.key == template.stages[index - 1].key }) {
                    order.insert(stage, at: after + 1)
                } else {
                    order.append(stage)
                }
            }
        }
        return order
    }()

    static func label(_ key: StageKey) -> String {
        stageOrder.first { $0.key == key }?.name ?? key.rawValue
    }
}
