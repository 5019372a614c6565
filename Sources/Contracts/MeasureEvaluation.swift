import Core
import Outcomes

/// Computes a measure's result for one patient from the outcome events standing as of a date.
///
/// This is the one reading of each measure kind (see `docs/CONTRACTS.md`). The rules it
/// follows: results of measures assessed at a point in time are declared when the grace
/// period ends; a failure of a "no X within the window" measure is declared the day the
/// failing event is recorded; when the data that would decide the result is missing once
/// the grace period has passed, the contract's missing-data rule decides and the result says so.
public enum MeasureEvaluation {
    /// - Parameter events: the patient's standing events (``OutcomeHistory/effective(_:knownOn:)``),
    ///   sorted by date; any recorded after `asOf` are ignored.
    public static func evaluate(
        _ measure: OutcomeMeasure, infusion: CalendarDate, events: [OutcomeEvent], asOf: CalendarDate
    ) -> MeasureResult {
        evaluate(measure, infusion: infusion, slice: events[...], asOf: asOf)
    }

    /// The engine's entry: the patient's events as a view into the settlement's input.
    static func evaluate(
        _ measure: OutcomeMeasure, infusion: CalendarDate, slice events: ArraySlice<OutcomeEvent>, asOf: CalendarDate
    ) -> MeasureResult {
        // What was recorded after the settlement date was not known on it.
        let events = events.allSatisfy { $0.recordedOn <= asOf } ? events : ArraySlice(events.filter { $0.recordedOn <= asOf })
        let windowEnd = measure.window.end(from: infusion)
        let deadline = windowEnd.adding(days: measure.graceDays)
        // Nothing is declared before the grace period ends, except an early failure.
        if asOf < deadline && !measure.kind.failsEarly {
            return MeasureResult(
                measureID: measure.id, status: .pending, basis: .observed, decidedOn: nil, failureDate: nil, windowEnd: windowEnd,
                evidence: [], explanation: "window or grace period open until \(deadline.iso)"
            )
        }
        var outcome: Finding
        switch measure.kind {
        case .responseBy(let responses):
            outcome = responseBy(responses, infusion: infusion, end: windowEnd, events: events)
        case .aliveAt:
            outcome = aliveAt(end: windowEnd, events: events)
        case .transfusionIndependence(let months):
            outcome = transfusionIndependence(months: months, infusion: infusion, end: windowEnd, events: events)
        case .noHospitalization(let reason):
            outcome = noHospitalization(reason, infusion: infusion, end: windowEnd, events: events)
        case .labAtLeast(let test, let threshold, let unit, let tolerance):
            outcome = labAtLeast(test, threshold, unit, tolerance: tolerance, end: windowEnd, events: events)
        case .responseMaintained(let responses):
            outcome = responseMaintained(responses, infusion: infusion, end: windowEnd, events: events)
        }
        func result(_ status: MeasureStatus, _ basis: ResultBasis, decidedOn: CalendarDate?, failure: CalendarDate?, _ text: String)
            -> MeasureResult
        {
            MeasureResult(
                measureID: measure.id, status: status, basis: basis, decidedOn: decidedOn,
                failureDate: status == .notMet ? failure : nil, windowEnd: windowEnd, evidence: outcome.evidence.map(\.id),
                explanation: text
            )
        }
        let learned = outcome.evidence.map { max($0.recordedOn, $0.date) }.max()
        switch outcome.verdict {
        case .failedEarly(let date) where measure.kind.failsEarly:
            return result(.notMet, .observed, decidedOn: learned ?? date, failure: date, outcome.explanation)
        case .failedEarly(let date), .notMet(let date):
            guard asOf >= deadline else { return result(.pending, .observed, decidedOn: nil, failure: nil, "window or grace period open until \(deadline.iso)") }
            return result(.notMet, .observed, decidedOn: max(deadline, learned ?? deadline), failure: date, outcome.explanation)
        case .met:
            guard asOf >= deadline else { return result(.pending, .observed, decidedOn: nil, failure: nil, "window or grace period open until \(deadline.iso)") }
            return result(.met, .observed, decidedOn: max(deadline, learned ?? deadline), failure: nil, outcome.explanation)
        case .missing:
            outcome.evidence = []
            let why = "missing data: \(outcome.explanation)"
            guard asOf >= deadline else { return result(.pending, .awaitingData, decidedOn: nil, failure: nil, "\(why); waiting until \(deadline.iso)") }
            switch measure.missingData {
            case .assumeMet:
                return result(.met, .assumedMet, decidedOn: deadline, failure: nil, "\(why); assumed met by the contract's rule")
            case .assumeNotMet:
                return result(.notMet, .assumedNotMet, decidedOn: deadline, failure: windowEnd, "\(why); assumed not met by the contract's rule")
            case .extend(let days):
                let extended = deadline.adding(days: days)
                guard asOf >= extended else {
                    return result(.pending, .awaitingData, decidedOn: nil, failure: nil, "\(why); window extended until \(extended.iso)")
                }
                return result(.escalated, .escalated, decidedOn: extended, failure: nil, "\(why); still missing after the extension to \(extended.iso); escalated")
            case .escalate:
                return result(.escalated, .escalated, decidedOn: deadline, failure: nil, "\(why); escalated for a decision")
            }
        }
    }

    /// What the events say, before timing and the missing-data rule are applied.
    struct Finding {
        enum Verdict {
            case met
            /// Not met, with the failure date; declared when the grace period ends.
            case notMet(CalendarDate)
            /// Failed on a date, declared as soon as the event is recorded (for measures that fail early).
            case failedEarly(CalendarDate)
            case missing
        }

        var verdict: Verdict
        var evidence: [OutcomeEvent]
        var explanation: String
    }

    /// An event that shows the patient was followed through `end`: a death on or before it
    /// (follow-up is complete at death), or else the first event on or after it.
    private static func followUpEvent(through end: CalendarDate, _ events: ArraySlice<OutcomeEvent>) -> OutcomeEvent? {
        if let death = events.first(where: { $0.kind == .death }), death.date <= end { return death }
        return events.first { event in
            switch event.kind {
            case .lostToFollowUp, .enteredInError: false
            default: event.date >= end
            }
        }
    }

    private static func responseBy(_ responses: [String], infusion: CalendarDate, end: CalendarDate, events: ArraySlice<OutcomeEvent>) -> Finding {
        let assessments = events.filter { $0.kind == .responseAssessment && $0.date >= infusion && $0.date <= end }
        if let response = assessments.first(where: { responses.contains(($0.value ?? "").lowercased()) }) {
            return Finding(verdict: .met, evidence: [response], explanation: "response '\(response.value ?? "")' on \(response.date.iso), by \(end.iso)")
        }
        guard !assessments.isEmpty else { return Finding(verdict: .missing, evidence: [], explanation: "no response assessment by \(end.iso)") }
        return Finding(
            verdict: .notMet(end), evidence: assessments,
            explanation: "no response among \(assessments.count) assessment(s) by \(end.iso)"
        )
    }

    private static func aliveAt(end: CalendarDate, events: ArraySlice<OutcomeEvent>) -> Finding {
        if let death = events.first(where: { $0.kind == .death }), death.date <= end {
            return Finding(verdict: .notMet(death.date), evidence: [death], explanation: "died on \(death.date.iso), before \(end.iso)")
        }
        if let seen = events.first(where: { $0.date >= end && $0.kind != .lostToFollowUp }) {
            return Finding(verdict: .met, evidence: [seen], explanation: "alive on \(end.iso): event on \(seen.date.iso)")
        }
        return Finding(verdict: .missing, evidence: [], explanation: "no event on or after \(end.iso) shows the patient alive")
    }

    private static func transfusionIndependence(months: Int, infusion: CalendarDate, end: CalendarDate, events: ArraySlice<OutcomeEvent>) -> Finding {
        func isTransfusion(_ event: OutcomeEvent) -> Bool {
            if case .transfusion = event.kind { return event.date >= infusion && event.date <= end }
            return false
        }
        let death = events.first { $0.kind == .death && $0.date <= end }
        // How far follow-up reaches inside the window, and which event shows it.
        var followed: (date: CalendarDate, event: OutcomeEvent?) = (infusion, nil)
        if let death {
            followed = (death.date, death)
        } else if let last = events.last(where: { $0.kind != .lostToFollowUp && $0.kind != .enteredInError }) {
            followed = (min(last.date, end), last)
        }
        // Each stretch starts at infusion or a transfusion and ends at the next transfusion, or
        // for the last one where follow-up ends.
        var anchor: (date: CalendarDate, event: OutcomeEvent?) = (infusion, nil)
        func met(until freeUntil: CalendarDate, shownBy: OutcomeEvent?) -> Finding {
            Finding(
                verdict: .met, evidence: [anchor.event, shownBy].compactMap { $0 },
                explanation: "no transfusion from \(anchor.date.iso) to \(freeUntil.iso), at least \(months) months, by \(end.iso)"
            )
        }
        for next in events where isTransfusion(next) {
            if anchor.date.adding(months: months) <= next.date { return met(until: next.date, shownBy: next) }
            anchor = (next.date, next)
        }
        if anchor.date.adding(months: months) <= followed.date { return met(until: followed.date, shownBy: followed.event) }
        let reachable = anchor.date.adding(months: months)
        if death != nil || reachable > end {
            let why = death.map { "died on \($0.date.iso)" } ?? "last transfusion on \(anchor.date.iso) leaves less than \(months) months before \(end.iso)"
            return Finding(
                verdict: .notMet(end), evidence: events.filter(isTransfusion) + [death].compactMap { $0 },
                explanation: "not transfusion-independent: \(why)"
            )
        }
        return Finding(
            verdict: .missing, evidence: [],
            explanation: "follow-up ends on \(followed.date.iso); independence from \(anchor.date.iso) would need data through \(reachable.iso)"
        )
    }

    private static func noHospitalization(_ reason: String?, infusion: CalendarDate, end: CalendarDate, events: ArraySlice<OutcomeEvent>) -> Finding {
        let first = events.first { event in
            guard case .hospitalization(let why) = event.kind, event.date > infusion, event.date <= end else { return false }
            return reason == nil || why == reason
        }
        if let first, case .hospitalization(let why) = first.kind {
            return Finding(verdict: .failedEarly(first.date), evidence: [first], explanation: "hospitalized (\(why)) on \(first.date.iso)")
        }
        if let seen = followUpEvent(through: end, events) {
            let what = reason.map { "for \($0) " } ?? ""
            return Finding(verdict: .met, evidence: [seen], explanation: "no hospitalization \(what)through \(end.iso) (followed up to \(seen.date.iso))")
        }
        return Finding(verdict: .missing, evidence: [], explanation: "follow-up does not reach \(end.iso)")
    }

    private static func labAtLeast(
        _ test: String, _ threshold: ExactDecimal, _ unit: String, tolerance: Int, end: CalendarDate, events: ArraySlice<OutcomeEvent>
    ) -> Finding {
        var best: (event: OutcomeEvent, value: ExactDecimal, distance: Int)?
        var otherUnits: [String] = []
        for event in events {
            guard case .labValue(let name, let value, let reported) = event.kind, name == test else { continue }
            let distance = abs(end.days(until: event.date))
            guard distance <= tolerance else { continue }
            guard reported == unit else {
                otherUnits.append(reported)
                continue
            }
            // Nearest to the assessment day; on a tie the later reading, then the later record.
            if let current = best,
                (current.distance, -Int(current.event.date.daysSinceEpoch), -Int(current.event.recordedOn.daysSinceEpoch), current.event.id.rawValue)
                    <= (distance, -Int(event.date.daysSinceEpoch), -Int(event.recordedOn.daysSinceEpoch), event.id.rawValue)
            {
                continue
            }
            best = (event, value, distance)
        }
        guard let best else {
            let units = otherUnits.isEmpty ? "" : " (results in \(Set(otherUnits).sorted().joined(separator: ", ")) were not compared with a threshold in \(unit))"
            return Finding(verdict: .missing, evidence: [], explanation: "no \(test) result within \(tolerance) days of \(end.iso)\(units)")
        }
        let text = "\(test) \(best.value) \(unit) on \(best.event.date.iso), threshold \(threshold)"
        return best.value >= threshold
            ? Finding(verdict: .met, evidence: [best.event], explanation: text)
            : Finding(verdict: .notMet(end), evidence: [best.event], explanation: text)
    }

    private static func responseMaintained(_ responses: [String], infusion: CalendarDate, end: CalendarDate, events: ArraySlice<OutcomeEvent>) -> Finding {
        let loss = events.first { event in
            guard event.date > infusion, event.date <= end else { return false }
            switch event.kind {
            case .responseAssessment: return !responses.contains((event.value ?? "").lowercased())
            case .subsequentTherapy: return true
            default: return false
            }
        }
        if let loss {
            let what = loss.kind == .subsequentTherapy ? "subsequent therapy" : "response '\(loss.value ?? "")'"
            return Finding(verdict: .failedEarly(loss.date), evidence: [loss], explanation: "response lost: \(what) on \(loss.date.iso)")
        }
        if let seen = followUpEvent(through: end, events) {
            return Finding(verdict: .met, evidence: [seen], explanation: "response maintained through \(end.iso) (followed up to \(seen.date.iso))")
        }
        return Finding(verdict: .missing, evidence: [], explanation: "follow-up does not reach \(end.iso)")
    }
}
