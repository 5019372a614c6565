import Core
import CareNetwork

/// The compact, date-independent digest of one case that network metrics are computed
/// from: who, where, how it ended, and each stage's interval in days since referral.
///
/// Recomputed whenever the case's events change and stored beside them, so a report over
/// 100,000 cases reads one small row per case instead of replaying a million events.
public struct CaseSummary: Hashable, Sendable {
    public struct Interval: Hashable, Sendable {
        public var stage: StageKey
        /// Days from referral to the stage's start.
        public var start: Int
        /// Days from referral to completion; `nil` while running or if cancelled.
        public var completed: Int?
        public var cancelled: Bool
        public var waitingDays: Int?
        public var blockedDays: Int
        public var atRisk: Bool
        /// Days this stage (waiting plus active) put on the critical path to infusion.
        public var criticalDays: Int

        public init(
            stage: StageKey, start: Int, completed: Int?, cancelled: Bool, waitingDays: Int?, blockedDays: Int,
            atRisk: Bool, criticalDays: Int
        ) {
            self.stage = stage
            self.start = start
            self.completed = completed
            self.cancelled = cancelled
            self.waitingDays = waitingDays
            self.blockedDays = blockedDays
            self.atRisk = atRisk
            self.criticalDays = criticalDays
        }
    }

    public var caseID: CaseID
    public var centerID: CenterID
    public var payerID: PayerID
    public var productID: ProductID
    public var referralDate: CalendarDate
    public var status: CaseStatus
    public var lossReason: LossReason?
    public var closedOn: CalendarDate?
    /// The stages in progress, for lists.
    public var currentStages: [StageKey]
    /// Started (or cancelled) stages in template order.
    public var intervals: [Interval]

    public init(
        caseID: CaseID, centerID: CenterID, payerID: PayerID, productID: ProductID, referralDate: CalendarDate,
        status: CaseStatus, lossReason: LossReason?, closedOn: CalendarDate?, currentStages: [StageKey],
        intervals: [Interval]
    ) {
        self.caseID = caseID
        self.centerID = centerID
        self.payerID = payerID
        self.productID = productID
        self.referralDate = referralDate
        self.status = status
        self.lossReason = lossReason
        self.closedOn = closedOn
        self.currentStages = currentStages
        self.intervals = intervals
    }

    /// Digests a case and its journey. Critical days are counted only for infused cases, so
    /// the summary does not depend on the day it was computed.
    public init(case record: Case, journey: CaseJourney) {
        let referral = journey.referralDate
        let path = journey.status == .infused ? CriticalPath(journey: journey, asOf: journey.closedOn!) : nil
        var critical: [StageKey: Int] = [:]
        for step in path?.steps ?? [] { critical[step.stage, default: 0] += step.days }
        var intervals: [Interval] = []
        var current: [StageKey] = []
        for stage in journey.template.stages {
            let state = journey.state(of: stage.key)
            if state.status == .inProgress || state.status == .blocked { current.append(stage.key) }
            guard let start = state.started ?? state.cancelled else { continue }
            intervals.append(
                Interval(
                    stage: stage.key,
                    start: referral.days(until: start),
                    completed: state.completed.map { referral.days(until: $0) },
                    cancelled: state.cancelled != nil,
                    waitingDays: state.started.flatMap { CaseMetrics.waitingDays(before: stage, startedOn: $0, in: journey) },
                    blockedDays: state.blockedDays(asOf: state.finished ?? journey.closedOn ?? journey.lastEventDate ?? start),
                    atRisk: state.atRiskOverride != nil,
                    criticalDays: critical[stage.key] ?? 0
                )
            )
        }
        self.init(
            caseID: record.id, centerID: record.centerID, payerID: record.payerID, productID: record.productID,
            referralDate: referral, status: journey.status, lossReason: journey.lossReason, closedOn: journey.closedOn,
            currentStages: current, intervals: intervals
        )
    }

    /// Stages not yet started whose dependencies are all met: what an open case with no
    /// stage in progress is waiting to begin (a slot for apheresis, say).
    public func readyStages(in template: JourneyTemplate) -> [StageKey] {
        guard status == .open else { return [] }
        let byStage = Dictionary(uniqueKeysWithValues: intervals.map { ($0.stage, $0) })
        return template.stages.filter { stage in
            byStage[stage.key] == nil && stage.dependencies.allSatisfy { dependency in
                guard let predecessor = byStage[dependency.predecessor] else { return false }
                switch dependency.kind {
                case .finishToStart: return predecessor.completed != nil || predecessor.cancelled
                case .startToStart: return true
                }
            }
        }.map(\.key)
    }

    public var referralToInfusionDays: Int? {
        status == .infused ? closedOn.map { referralDate.days(until: $0) } : nil
    }
}
