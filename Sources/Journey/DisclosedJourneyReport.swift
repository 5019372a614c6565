import Core

/// Journey metrics as one reader may see them: in full, or under the small-cell rule
/// (``SmallCells``) for a reader who sees aggregates only.
///
/// Filters narrow a report down to a center, a payer, a product and a single day of referrals,
/// which is one patient; so a reader who may not see the cases behind a report gets every count
/// below 11 withheld, everything derived from one withheld (a distribution, a mean, a rate), the
/// extremes of every distribution (a minimum or maximum is one case's value), and — by
/// complementary suppression over the report's sums (a group's cases are its open, infused
/// and lost cases; the network's are the groups') — enough other counts that none of them can
/// be worked out by subtraction.
public struct DisclosedJourneyReport: Hashable, Sendable {
    /// One group of a split report: a center, a payer or a product.
    public struct Group: Hashable, Sendable {
        public var key: String
        public var metrics: Metrics
    }

    /// The metrics of the whole filtered network, or of one group.
    public struct Metrics: Hashable, Sendable {
        public struct Interval: Hashable, Sendable {
            public var key: String
            public var label: String
            public var stage: StageKey?
            public var count: SmallCells.Shown
            /// `nil` when withheld (its count is).
            public var distribution: Distribution?
        }

        public struct Loss: Hashable, Sendable {
            public var reason: LossReason
            public var count: SmallCells.Shown
            public var share: Double?
        }

        public struct Bottleneck: Hashable, Sendable {
            public var stage: StageKey
            public var label: String
            public var meanCriticalDays: Double
            public var medianCriticalDays: Double
            /// `nil` when the cases on the path, or off it, are a small cell.
            public var shareOnCriticalPath: Double?
            public var controllable: Bool
        }

        public var caseCount: SmallCells.Shown
        public var openCount: SmallCells.Shown
        public var infusedCount: SmallCells.Shown
        public var lostCount: SmallCells.Shown
        public var lostBeforeInfusionShare: Double?
        public var intervals: [Interval]
        public var losses: [Loss]
        /// Empty when the infused count is withheld.
        public var bottlenecks: [Bottleneck]
        /// Whether anything in these metrics was withheld.
        public var isSuppressed: Bool

        public func interval(_ key: String) -> Interval? { intervals.first { $0.key == key } }
    }

    public var overall: Metrics
    /// The groups, largest first, when the report was split.
    public var groups: [Group]?

    /// Every figure, as computed: for a reader whose own cases are everything the report counts.
    public static func full(_ overall: NetworkMetrics, groups: [(group: String, metrics: NetworkMetrics)]?) -> Self {
        Self(overall: Metrics(overall, withholding: nil, block: 0), groups: groups?.enumerated().map { index, group in
            Group(key: group.group, metrics: Metrics(group.metrics, withholding: nil, block: index + 1))
        })
    }

    /// Under the small-cell rule, with complementary suppression across the groups and the
    /// overall figures (which the groups add up to).
    public static func suppressed(_ overall: NetworkMetrics, groups: [(group: String, metrics: NetworkMetrics)]?) -> Self {
        let blocks = [overall] + (groups?.map(\.metrics) ?? [])
        var counts: [Cell: Int] = [:]
        var always: Set<Cell> = []
        var sums: [SmallCells.Sum<Cell>] = []
        let fields = Field.allFixed + LossReason.allCases.map(Field.loss) + [.lossUnstated] + Metrics.everyInterval.map { Field.interval($0.key) }
        for (block, metrics) in blocks.enumerated() {
            for field in fields { counts[Cell(block: block, field: field)] = field.count(in: metrics) }
            let unstated = Cell(block: block, field: .lossUnstated)
            always.insert(unstated)
            sums.append(.init(total: Cell(block: block, field: .cases), parts: [.open, .infused, .lost].map { Cell(block: block, field: $0) }))
            sums.append(.init(total: Cell(block: block, field: .lost),
                              parts: LossReason.allCases.map { Cell(block: block, field: .loss($0)) } + [unstated]))
        }
        if blocks.count > 1 {
            for field in fields {
                sums.append(.init(total: Cell(block: 0, field: field), parts: (1..<blocks.count).map { Cell(block: $0, field: field) }))
            }
        }
        let hidden = SmallCells.withheld(counts, sums: sums, alwaysWithheld: always)
        return Self(overall: Metrics(overall, withholding: hidden, block: 0), groups: groups?.enumerated().map { index, group in
            Group(key: group.group, metrics: Metrics(group.metrics, withholding: hidden, block: index + 1))
        })
    }

    /// One count of the report: a figure of the overall metrics (block 0) or of a group.
    struct Cell: Hashable, Sendable {
        var block: Int
        var field: Field
    }

    enum Field: Hashable, Sendable {
        case cases, open, infused, lost
        case loss(LossReason)
        /// Lost cases without a stated reason: never shown, but part of the lost count.
        case lossUnstated
        /// The number of cases an interval's distribution is over.
        case interval(String)

        static let allFixed: [Field] = [.cases, .open, .infused, .lost]

        func count(in metrics: NetworkMetrics) -> Int {
            switch self {
            case .cases: metrics.caseCount
            case .open: metrics.openCount
            case .infused: metrics.infusedCount
            case .lost: metrics.lostCount
            case .loss(let reason): metrics.losses.first { $0.reason == reason }?.count ?? 0
            case .lossUnstated: metrics.lostCount - metrics.losses.reduce(0) { $0 + $1.count }
            case .interval(let key): metrics.interval(key)?.distribution.count ?? 0
            }
        }
    }
}

extension DisclosedJourneyReport.Metrics {
    /// Every interval any report can have, in the order reports give them: referral to
    /// infusion, then the wait before and the time in each stage of every template.
    static let everyInterval: [(key: String, label: String, stage: StageKey?)] = {
        var intervals: [(key: String, label: String, stage: StageKey?)] = [("referral_to_infusion", "Referral to infusion", nil)]
        for stage in NetworkMetrics.stageOrder.map(\.key) {
            let label = NetworkMetrics.label(stage)
            intervals.append(("wait:\(stage)", "Waiting before \(label.lowercased())", stage))
            intervals.append(("stage:\(stage)", label, stage))
        }
        return intervals
    }()

    /// The metrics with the `hidden` cells of `block` withheld (`nil`: nothing withheld).
    init(_ metrics: NetworkMetrics, withholding hidden: Set<DisclosedJourneyReport.Cell>?, block: Int) {
        func shown(_ field: DisclosedJourneyReport.Field) -> SmallCells.Shown {
            hidden?.contains(.init(block: block, field: field)) == true ? .suppressed : .count(field.count(in: metrics))
        }
        let suppressing = hidden != nil
        caseCount = shown(.cases)
        openCount = shown(.open)
        infusedCount = shown(.infused)
        lostCount = shown(.lost)
        // Shares are of closed cases (infused or lost); with either count withheld, a share
        // would give it back (closed = count / share).
        let closed = metrics.infusedCount + metrics.lostCount
        let closedShown = infusedCount != .suppressed && lostCount != .suppressed
        func share(_ count: SmallCells.Shown) -> Double? {
            guard let count = count.value else { return nil }
            guard suppressing else { return closed > 0 ? Double(count) / Double(closed) : nil }
            return closedShown ? SmallCells.rate(count, of: closed) : nil
        }
        lostBeforeInfusionShare = share(lostCount)
        // Under the rule every interval and every loss reason is listed, reached or not: which
        // rows appear would otherwise say which stages a single patient reached and why it was lost.
        let listed = suppressing ? Self.everyInterval : metrics.intervals.map { ($0.key, $0.label, $0.stage) }
        intervals = listed.map { key, label, stage in
            let count = shown(.interval(key))
            var distribution: Distribution? = count == .suppressed ? nil : metrics.interval(key)?.distribution
            // A minimum or a maximum is one case's value.
            if suppressing { distribution?.min = nil; distribution?.max = nil }
            return Interval(key: key, label: label, stage: stage, count: count, distribution: distribution)
        }
        let reasons = suppressing ? LossReason.allCases : metrics.losses.map(\.reason)
        losses = reasons.map { reason in
            let count = shown(.loss(reason))
            return Loss(reason: reason, count: count, share: share(count))
        }
        let infused = metrics.infusedCount
        bottlenecks = infusedCount == .suppressed ? [] : metrics.bottlenecks.map { b in
            let onPath = Int((b.shareOnCriticalPath * Double(infused)).rounded())
            let share: Double? = suppressing ? SmallCells.rate(onPath, of: infused) : b.shareOnCriticalPath
            return Bottleneck(stage: b.stage, label: b.label, meanCriticalDays: b.meanCriticalDays, medianCriticalDays: b.medianCriticalDays,
                              shareOnCriticalPath: share, controllable: b.controllable)
        }
        isSuppressed = suppressing && (
            [caseCount, openCount, infusedCount, lostCount].contains(.suppressed) || intervals.contains { $0.count == .suppressed }
                || losses.contains { $0.count == .suppressed } || (infusedCount == .suppressed && !metrics.bottlenecks.isEmpty)
                || bottlenecks.contains { $0.shareOnCriticalPath == nil })
    }
}
