import Core

/// A case's journey: its template, its events, and the state of every stage derived from
/// them, enforcing the template's dependencies and the order of time.
///
/// `record(_:)` is the single gate through which an event enters the record. It either
/// accepts the event and updates the state, or throws a ``ValidationError`` naming the
/// broken rule and leaves the journey unchanged — so the edge that persists the event can
/// rely on a refused event never being half-applied.
public struct CaseJourney: Sendable {
    public let template: JourneyTemplate
    public let referralDate: CalendarDate
    public private(set) var stages: [StageKey: StageState]
    public private(set) var events: [JourneyEvent] = []
    public private(set) var status: CaseStatus = .open
    public private(set) var lossReason: LossReason?
    /// The day the case ended: infusion or loss.
    public private(set) var closedOn: CalendarDate?

    private let postInfusion: Set<StageKey>

    public init(template: JourneyTemplate, referralDate: CalendarDate) {
        self.template = template
        self.referralDate = referralDate
        self.stages = Dictionary(uniqueKeysWithValues: template.stages.map { ($0.key, StageState()) })
        self.postInfusion = template.postInfusionStages
    }

    /// Replays stored events; they were validated when recorded, so a failure here means the
    /// stored history was altered or the template changed incompatibly.
    public init(template: JourneyTemplate, referralDate: CalendarDate, events: [JourneyEvent]) throws(ValidationError) {
        self.init(template: template, referralDate: referralDate)
        for event in events { try record(event) }
    }

    public func state(of stage: StageKey) -> StageState { stages[stage] ?? StageState() }

    /// The last day anything happened on this case.
    public var lastEventDate: CalendarDate? { events.map(\.date).max() }

    /// Validates `event` against the journey's rules and, if it passes, applies it.
    /// - Parameter notAfter: the latest acceptable date (today at the center), if any.
    public mutating func record(_ event: JourneyEvent, notAfter: CalendarDate? = nil) throws(ValidationError) {
        try check(event, notAfter: notAfter)
        apply(event)
    }

    /// Checks every rule without changing anything.
    public func check(_ event: JourneyEvent, notAfter: CalendarDate? = nil) throws(ValidationError) {
        if let notAfter, event.date > notAfter {
            throw ValidationError(field: "date", problem: "\(event.date) is in the future at the center (today is \(notAfter))", rule: "time-order")
        }
        if event.date < referralDate {
            throw ValidationError(field: "date", problem: "\(event.date) is before the referral on \(referralDate)", rule: "time-order")
        }
        if event.kind == .lost {
            try checkLoss(event)
            return
        }
        guard let key = event.stage else {
            throw ValidationError(field: "stage", problem: "is required for a '\(event.kind.rawValue)' event")
        }
        guard let definition = template.stage(key) else {
            let known = template.stages.map(\.key.rawValue).joined(separator: ", ")
            throw ValidationError(field: "stage", problem: "'\(key)' is not a stage of the \(template.name) journey (stages: \(known))", rule: "unknown-stage")
        }
        switch status {
        case .lost:
            throw ValidationError(field: "stage", problem: "the case was lost on \(closedOn!); no further events can be recorded", rule: "case-closed")
        case .infused where !postInfusion.contains(key):
            throw ValidationError(field: "stage", problem: "the patient was infused on \(closedOn!); only stages after infusion can still change", rule: "case-closed")
        default: break
        }
        let state = state(of: key)
        if let last = state.lastEventDate, event.date < last {
            throw ValidationError(field: "date", problem: "\(event.date) is before the \(definition.name.lowercased()) stage's previous event on \(last)", rule: "time-order")
        }
        let name = definition.name
        switch event.kind {
        case .started:
            if state.status == .cancelled {
                throw ValidationError(field: "kind", problem: "\(name) was cancelled on \(state.cancelled!) and cannot start", rule: "stage-state")
            }
            guard state.started == nil else {
                throw ValidationError(field: "kind", problem: "\(name) already started on \(state.started!)", rule: "stage-state")
            }
            try checkDependencies(of: definition, startingOn: event.date, override: event.atRiskOverride)
        case .completed:
            guard let started = state.started else {
                throw ValidationError(field: "kind", problem: "\(name) has not started, so it cannot complete", rule: "stage-state")
            }
            switch state.status {
            case .completed: throw ValidationError(field: "kind", problem: "\(name) already completed on \(state.completed!)", rule: "stage-state")
            case .cancelled: throw ValidationError(field: "kind", problem: "\(name) was cancelled on \(state.cancelled!)", rule: "stage-state")
            case .blocked: throw ValidationError(field: "kind", problem: "\(name) is blocked (\(state.blocks.last!.reason)); record 'unblocked' first", rule: "stage-state")
            default: break
            }
            if event.date < started {
                throw ValidationError(field: "date", problem: "\(name) cannot complete on \(event.date), before it started on \(started)", rule: "time-order")
            }
        case .blocked:
            guard state.status == .inProgress else {
                throw ValidationError(field: "kind", problem: "only a stage in progress can be blocked; \(name) is \(state.status.rawValue)", rule: "stage-state")
            }
            try requireReason(event, for: "blocked")
        case .unblocked:
            guard state.status == .blocked else {
                throw ValidationError(field: "kind", problem: "\(name) is not blocked", rule: "stage-state")
            }
        case .cancelled:
            guard definition.skippable else {
                throw ValidationError(field: "stage", problem: "\(name) is required for every case and cannot be cancelled; record the case as lost instead", rule: "required-stage")
            }
            guard state.status == .notStarted || state.status == .inProgress || state.status == .blocked else {
                throw ValidationError(field: "kind", problem: "\(name) is already \(state.status.rawValue)", rule: "stage-state")
            }
            try requireReason(event, for: "cancelled")
        case .lost:
            break
        }
    }

    private func requireReason(_ event: JourneyEvent, for kind: String) throws(ValidationError) {
        guard let reason = event.reason, !reason.trimmingWhitespace.isEmpty else {
            throw ValidationError(field: "reason", problem: "is required when a stage is \(kind)")
        }
    }

    private func checkLoss(_ event: JourneyEvent) throws(ValidationError) {
        guard status == .open else {
            throw ValidationError(field: "kind", problem: "the case is already \(status.rawValue) (\(closedOn!)); it cannot be lost", rule: "case-closed")
        }
        guard event.lossReason != nil else {
            let reasons = LossReason.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(field: "lossReason", problem: "is required for a 'lost' event (one of \(reasons))")
        }
        if let last = lastEventDate, event.date < last {
            throw ValidationError(field: "date", problem: "the case cannot be lost on \(event.date), before its latest event on \(last)", rule: "time-order")
        }
    }

    private func checkDependencies(of stage: Stage, startingOn date: CalendarDate, override: String?) throws(ValidationError) {
        for dependency in stage.dependencies {
            let predecessor = state(of: dependency.predecessor)
            let predecessorName = template.stage(dependency.predecessor)?.name.lowercased() ?? dependency.predecessor.rawValue
            let ready: CalendarDate?
            let needed: String
            switch dependency.kind {
            case .finishToStart:
                ready = predecessor.finished
                needed = "complete"
            case .startToStart:
                ready = predecessor.started ?? predecessor.cancelled
                needed = "start"
            }
            if let ready, ready <= date { continue }
            if dependency.overridable, let override, !override.trimmingWhitespace.isEmpty { continue }
            let when = ready.map { "it does on \($0)" } ?? "it has not"
            var problem = "\(stage.name) cannot start on \(date): it waits for \(predecessorName) to \(needed) (\(dependency.kind.rawValue)), and \(when)"
            if dependency.overridable { problem += "; to proceed at the center's risk, record an at-risk override with a reason" }
            throw ValidationError(field: "stage", problem: problem, rule: "dependency")
        }
    }

    private mutating func apply(_ event: JourneyEvent) {
        events.append(event)
        if event.kind == .lost {
            status = .lost
            lossReason = event.lossReason
            closedOn = event.date
            return
        }
        let key = event.stage!
        var state = stages[key] ?? StageState()
        state.lastEventDate = event.date
        switch event.kind {
        case .started:
            state.started = event.date
            // Record the override only where it was needed, so at-risk starts are countable.
            if let override = event.atRiskOverride, !override.trimmingWhitespace.isEmpty,
                let stage = template.stage(key),
                stage.dependencies.contains(where: { dependency in
                    let predecessor = self.state(of: dependency.predecessor)
                    let ready = dependency.kind == .finishToStart ? predecessor.finished : (predecessor.started ?? predecessor.cancelled)
                    return ready.map { $0 > event.date } ?? true
                })
            {
                state.atRiskOverride = override
            }
        case .completed:
            state.completed = event.date
            if key == template.infusionStage {
                status = .infused
                closedOn = event.date
            }
        case .blocked:
            state.blocks.append(BlockedPeriod(start: event.date, end: nil, reason: event.reason ?? ""))
        case .unblocked:
            state.blocks[state.blocks.count - 1].end = event.date
        case .cancelled:
            state.cancelled = event.date
            if let last = state.blocks.last, last.end == nil { state.blocks[state.blocks.count - 1].end = event.date }
        case .lost:
            break
        }
        stages[key] = state
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var view = self[...]
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return view
    }
}
