import Core

/// The intervals of one case: days in and before each stage, referral to infusion, and its
/// critical path. What the case page shows and the network report aggregates.
public struct CaseMetrics: Hashable, Sendable, Codable {
    public struct StageMetrics: Hashable, Sendable, Codable {
        public var stage: StageKey
        public var name: String
        public var status: StageStatus
        public var started: CalendarDate?
        /// Completion or cancellation.
        public var ended: CalendarDate?
        /// Days from start to end, or to `asOf` while running.
        public var days: Int?
        /// Days between the stage becoming ready to start and starting.
        public var waitingDays: Int?
        public var blockedDays: Int
        public var blocks: [BlockedPeriod]
        public var atRiskOverride: String?
        public var onCriticalPath: Bool
    }

    public var asOf: CalendarDate
    public var status: CaseStatus
    public var lossReason: LossReason?
    public var closedOn: CalendarDate?
    public var referralDate: CalendarDate
    public var stages: [StageMetrics]
    /// Days from referral to infusion; `nil` unless infused.
    public var referralToInfusionDays: Int?
    /// Days since referral to the close of the case, or to `asOf` while open.
    public var elapsedDays: Int
    public var criticalPath: CriticalPath?
    /// The stages in progress or blocked, in template order.
    public var currentStages: [StageKey]
    /// Stages not yet started whose dependencies are all met: what an open case with nothing
    /// in progress is waiting to begin (lymphodepletion once manufacturing is done, say).
    /// The same rule as ``CaseSummary/readyStages(in:)``, read from the journey.
    public var readyStages: [StageKey]

    public init(journey: CaseJourney, asOf: CalendarDate) {
        let path = CriticalPath(journey: journey, asOf: asOf)
        self.asOf = asOf
        status = journey.status
        lossReason = journey.lossReason
        closedOn = journey.closedOn
        referralDate = journey.referralDate
        criticalPath = path
        elapsedDays = journey.referralDate.days(until: journey.closedOn ?? asOf)
        referralToInfusionDays =
            journey.status == .infused ? journey.closedOn.map { journey.referralDate.days(until: $0) } : nil
        stages = journey.template.stages.map { stage in
            let state = journey.state(of: stage.key)
            let end = state.finished ?? (journey.status == .lost ? journey.closedOn : nil)
            return StageMetrics(
                stage: stage.key,
                name: stage.name,
                status: state.status,
                started: state.started,
                ended: state.finished,
                days: state.started.map { $0.days(until: end ?? asOf) },
                waitingDays: state.started.flatMap { CaseMetrics.waitingDays(before: stage, startedOn: $0, in: journey) },
                blockedDays: state.blockedDays(asOf: end ?? asOf),
                blocks: state.blocks,
                atRiskOverride: state.atRiskOverride,
                onCriticalPath: path?.contains(stage.key) ?? false
            )
        }
        currentStages = stages.filter { $0.status == .inProgress || $0.status == .blocked }.map(\.stage)
        readyStages = journey.status != .open ? [] : journey.template.stages.filter { stage in
            journey.state(of: stage.key).status == .notStarted && stage.dependencies.allSatisfy { dependency in
                let predecessor = journey.state(of: dependency.predecessor)
                switch dependency.kind {
                case .finishToStart: return predecessor.finished != nil
                case .startToStart: return predecessor.started != nil || predecessor.cancelled != nil
                }
            }
        }.map(\.key)
    }

    /// Days from the last of a stage's dependencies becoming ready to the stage starting;
    /// zero when it started at risk before they were.
    static func waitingDays(before stage: Stage, startedOn start: CalendarDate, in journey: CaseJourney) -> Int? {
        guard !stage.dependencies.isEmpty else { return nil }
        var ready: CalendarDate?
        for dependency in stage.dependencies {
            let predecessor = journey.state(of: dependency.predecessor)
            let date = dependency.kind == .finishToStart ? predecessor.finished : (predecessor.started ?? predecessor.cancelled)
            // Not ready even now: the stage started at risk, and waited for nothing.
            guard let date else { return 0 }
            ready = ready.map { max($0, date) } ?? date
        }
        return ready.map { max(0, $0.days(until: start)) }
    }
}
