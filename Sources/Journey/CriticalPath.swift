import Core

/// The chain of stages that set a case's end date: for each, the days it ran on the path
/// and the days the case waited before it could start.
///
/// Walking back from the target stage, each step follows the predecessor whose readiness
/// came last — the one the stage was actually waiting for. Active and waiting days of the
/// steps add up exactly to the days from referral to the target, which is what lets the
/// network report attribute every day of delay to one stage.
public struct CriticalPath: Hashable, Sendable, Codable {
    public struct Step: Hashable, Sendable, Codable {
        public var stage: StageKey
        /// Days waited between the predecessor becoming ready and this stage starting.
        public var waitingDays: Int
        /// Days this stage ran before handing on to the next step of the path.
        public var activeDays: Int
        public var days: Int { waitingDays + activeDays }
    }

    /// From the first stage to the target.
    public var steps: [Step]
    public var totalDays: Int { steps.reduce(0) { $0 + $1.days } }

    public func contains(_ stage: StageKey) -> Bool { steps.contains { $0.stage == stage } }

    /// The critical path of `journey` to its infusion if infused, else to the latest stage
    /// reached, with open stages counted to `asOf`. `nil` before anything has started.
    public init?(journey: CaseJourney, asOf: CalendarDate) {
        let template = journey.template
        let target: StageKey
        var cursor: CalendarDate
        if journey.status == .infused, let infused = journey.state(of: template.infusionStage).completed {
            target = template.infusionStage
            cursor = infused
        } else {
            let reached = template.stages.filter { journey.state(of: $0.key).started != nil }
            guard let latest = reached.max(by: { journey.state(of: $0.key).started! < journey.state(of: $1.key).started! }) else {
                return nil
            }
            target = latest.key
            let state = journey.state(of: target)
            cursor = state.finished ?? journey.closedOn ?? asOf
        }

        var reversed: [Step] = []
        var node: StageKey? = target
        var visited: Set<StageKey> = []
        while let key = node, !visited.contains(key), let stage = template.stage(key) {
            visited.insert(key)
            let state = journey.state(of: key)
            // A stage that started after the step it hands on to (recorded late, or after an
            // at-risk successor) counts from the hand-over, so the days never add up twice.
            let start = min(state.started ?? state.cancelled ?? cursor, cursor)
            let active = start.days(until: cursor)
            // The predecessor whose readiness came last is what this stage waited for. One
            // that became ready only after the stage started (an at-risk override) held
            // nothing up, so it is not followed.
            var binding: (key: StageKey, ready: CalendarDate, handOver: CalendarDate)?
            for dependency in stage.dependencies {
                let predecessor = journey.state(of: dependency.predecessor)
                let ready: CalendarDate?
                // Where the path hands over to the predecessor. Finish-to-start: at its
                // finish. Start-to-start: the days the predecessor was still running before
                // this stage started are its days (a linear center starting benefits work
                // only when the referral work is done is waiting on the referral, not idle).
                let handOver: CalendarDate?
                switch dependency.kind {
                case .finishToStart:
                    ready = predecessor.finished
                    handOver = ready
                case .startToStart:
                    ready = predecessor.started ?? predecessor.cancelled
                    handOver = ready.map { ready in max(ready, min(predecessor.finished ?? start, start)) }
                }
                guard let ready, let handOver, ready <= start else { continue }
                if binding == nil || ready > binding!.ready { binding = (dependency.predecessor, ready, handOver) }
            }
            if let binding {
                reversed.append(Step(stage: key, waitingDays: binding.handOver.days(until: start), activeDays: active))
                cursor = binding.handOver
                node = binding.key
            } else {
                // The root: anything before its start since referral counts as waiting for it.
                let waiting = max(0, journey.referralDate.days(until: start))
                reversed.append(Step(stage: key, waitingDays: waiting, activeDays: active))
                node = nil
            }
        }
        steps = reversed.reversed()
    }
}
