import Core
import CareNetwork
import Outcomes

/// Evaluates a patient's facts against criteria sets: one record, every payer's verdict.
///
/// Pure and deterministic: the same facts, sets and date always give the same results,
/// so a verdict shown to a center can be reproduced when a payer questions it. Facts dated
/// after the evaluation date are ignored, so re-running an old evaluation gives the old answer.
public enum CriteriaEvaluator {
    public static func evaluate(_ facts: ClinicalFacts, against sets: [CriteriaSet], asOf date: CalendarDate) -> [SetEvaluation] {
        sets.map { evaluate(facts, against: $0, asOf: date) }
    }

    public static func evaluate(_ facts: ClinicalFacts, against set: CriteriaSet, asOf date: CalendarDate) -> SetEvaluation {
        SetEvaluation(
            set: set.id, version: set.version, owner: set.owner, product: set.product, inEffect: set.isInEffect(on: date), asOf: date,
            results: set.criteria.map { evaluate(facts, $0, asOf: date) }
        )
    }

    /// One criterion, with evidence and missing items.
    public static func evaluate(_ facts: ClinicalFacts, _ criterion: Criterion, asOf date: CalendarDate) -> CriterionResult {
        var context = Context(facts: facts, date: date, recording: true)
        let status = context.status(of: criterion.rule)
        return CriterionResult(
            key: criterion.key, requirement: criterion.rule.description, status: status, evidence: context.evidence,
            missing: status == .unknown ? context.missing : [], line: criterion.line
        )
    }

    /// The status alone, without building evidence: the path the throughput benchmark and
    /// bulk screening take.
    public static func status(of facts: ClinicalFacts, _ rule: CriterionRule, asOf date: CalendarDate) -> CriterionStatus {
        var context = Context(facts: facts, date: date, recording: false)
        return context.status(of: rule)
    }

    /// The evaluation date less `months` calendar months, the day clamped to the month's end.
    static func subtracting(months: Int, from date: CalendarDate) -> CalendarDate {
        let (year, month, day) = date.components
        let total = year * 12 + (month - 1) - months
        let newYear = total / 12, newMonth = total % 12 + 1
        var newDay = day
        while CalendarDate(year: newYear, month: newMonth, day: newDay) == nil && newDay > 28 { newDay -= 1 }
        return CalendarDate(year: newYear, month: newMonth, day: newDay) ?? date
    }

    struct Context {
        let facts: ClinicalFacts
        let date: CalendarDate
        let recording: Bool
        var evidence: [Evidence] = []
        var missing: [MissingItem] = []

        init(facts: ClinicalFacts, date: CalendarDate, recording: Bool) {
            self.facts = facts
            self.date = date
            self.recording = recording
        }

        mutating func saw(_ fact: @autoclosure () -> String, _ value: @autoclosure () -> String, _ observed: CalendarDate? = nil) {
            if recording { evidence.append(Evidence(fact: fact(), value: value(), date: observed)) }
        }

        mutating func lack(_ kind: MissingItem.Kind, _ name: @autoclosure () -> String, after: CalendarDate? = nil, _ detail: @autoclosure () -> String) {
            if recording { missing.append(MissingItem(kind: kind, name: name(), neededOnOrAfter: after, detail: detail())) }
        }

        /// Whether a fact observed on `observed` is recent enough for a `withinDays` limit.
        func isFresh(_ observed: CalendarDate, withinDays: Int?) -> Bool {
            guard let withinDays else { return true }
            return observed.days(until: date) <= withinDays
        }

        mutating func status(of rule: CriterionRule) -> CriterionStatus {
            // Local copies: reading them while recording evidence must not overlap access to `self`.
            let facts = self.facts, date = self.date
            switch rule {
            case .diagnosis(let codes, let prefixes):
                var any = false
                for diagnosis in facts.diagnoses where diagnosis.date <= date {
                    any = true
                    if codes.contains(where: { ICD10.matches(diagnosis.code, $0, whole: true) })
                        || prefixes.contains(where: { ICD10.matches(diagnosis.code, $0, whole: false) })
                    {
                        saw("diagnoses", diagnosis.code, diagnosis.date)
                        return .met
                    }
                }
                guard any else {
                    lack(.fact, "diagnoses", "record the diagnosis (ICD-10-CM code and date)")
                    return .unknown
                }
                saw("diagnoses", facts.diagnoses.filter { $0.date <= date }.map(\.code).joined(separator: ", "))
                return .notMet

            case .priorLines(let rule):
                return priorLines(rule)

            case .age(let minimum, let maximum):
                guard let age = facts.age(on: date) else {
                    lack(.fact, "birthDate", "record the birth date")
                    return .unknown
                }
                saw("age", String(age))
                if let minimum, age < minimum { return .notMet }
                if let maximum, age > maximum { return .notMet }
                return .met

            case .ecog(let maximum, let within):
                guard let latest = facts.latestPerformanceStatus(asOf: date) else {
                    lack(.fact, "ecog", after: within.map { date.adding(days: -$0) }, "assess ECOG performance status")
                    return .unknown
                }
                saw("ecog", String(latest.score), latest.date)
                guard isFresh(latest.date, withinDays: within) else {
                    lack(.stale, "ecog", after: date.adding(days: -within!), "reassess ECOG: the last assessment (\(latest.date)) is older than \(within!) days")
                    return .unknown
                }
                return latest.score <= maximum ? .met : .notMet

            case .organ(let threshold):
                let name = "labs.\(threshold.lab.rawValue)"
                guard let latest = facts.latestLab(threshold.lab, asOf: date) else {
                    lack(.fact, name, after: threshold.withinDays.map { date.adding(days: -$0) }, "measure \(threshold.lab.rawValue) (\(threshold.lab.unit))")
                    return .unknown
                }
                saw(name, "\(latest.value) \(threshold.lab.unit)", latest.date)
                guard isFresh(latest.date, withinDays: threshold.withinDays) else {
                    let within = threshold.withinDays!
                    lack(.stale, name, after: date.adding(days: -within), "measure \(threshold.lab.rawValue) again: the last result (\(latest.date)) is older than \(within) days")
                    return .unknown
                }
                return threshold.isSatisfied(by: latest.value) ? .met : .notMet

            case .exclusion(let kind):
                let name = "exclusions.\(kind.rawValue)"
                guard let fact = facts.exclusion(kind, asOf: date) else {
                    lack(.fact, name, "assess and record whether \(kind.rawValue) is present")
                    return .unknown
                }
                saw(name, fact.present ? "present" : "absent", fact.date)
                return fact.present ? .notMet : .met

            case .pretest(let code, let within):
                let name = "pretests.\(code)"
                let earliest = date.adding(days: -within)
                guard let latest = facts.latestPretest(code, asOf: date) else {
                    lack(.pretest, name, after: earliest, "do \(code) (counts if done on or after \(earliest))")
                    return .unknown
                }
                saw(name, "done", latest.date)
                guard isFresh(latest.date, withinDays: within) else {
                    lack(.pretest, name, after: earliest, "repeat \(code): done \(latest.date), more than \(within) days ago")
                    return .unknown
                }
                return .met

            case .expression(_, let expression):
                switch value(of: expression.root) {
                case .boolean(true): return .met
                case .boolean(false): return .notMet
                case .number, .unknown: return .unknown
                }
            }
        }

        private mutating func priorLines(_ rule: PriorLinesRule) -> CriterionStatus {
            let date = self.date
            let lines = facts.therapyLines.lazy.filter { $0.start <= date }
            var count = 0
            for _ in lines { count += 1 }
            guard count > 0 else {
                lack(.fact, "therapyLines", "record prior lines of therapy (agents or classes, dates, outcome)")
                return .unknown
            }
            saw("priorLines", String(count))
            var status = CriterionStatus.met
            if let minimum = rule.minimum, count < minimum { status = .notMet }
            for agent in rule.requiredAgents where !lines.contains(where: { $0.agents.contains(agent) }) { status = .notMet }
            for drugClass in rule.requiredClasses where !lines.contains(where: { $0.classes.contains(drugClass) }) { status = .notMet }
            if !rule.requiredAgents.isEmpty { saw("therapyLines.agents", Set(lines.flatMap(\.agents)).sorted().joined(separator: ", ")) }
            if !rule.requiredClasses.isEmpty { saw("therapyLines.classes", Set(lines.flatMap(\.classes)).sorted().joined(separator: ", ")) }
            if status == .notMet { return .notMet }
            guard let months = rule.refractoryOrRelapsedWithinMonths else { return status }
            let since = CriteriaEvaluator.subtracting(months: months, from: date)
            var undated = false
            // The most recent refractory or relapsed line is the evidence a reviewer expects.
            var latest: (outcome: TherapyOutcome, date: CalendarDate)?
            for line in lines {
                guard let outcome = line.outcome, outcome != .response else { continue }
                guard let when = line.outcomeDate ?? line.end else {
                    undated = true
                    continue
                }
                if when >= since && when <= date && (latest == nil || when >= latest!.date) { latest = (outcome, when) }
            }
            if let latest {
                saw("therapyLines.outcome", latest.outcome.rawValue, latest.date)
                return .met
            }
            if undated || !lines.contains(where: { $0.outcome != nil }) {
                lack(.fact, "therapyLines.outcomeDate", "record when the disease proved refractory or relapsed (on or after \(since))")
                return .unknown
            }
            return .notMet
        }

        enum Value {
            case number(ExactDecimal)
            case boolean(Bool)
            case unknown
        }

        /// Three-valued (Kleene) evaluation: `false and unknown` is false, `true or unknown`
        /// is true, anything else touching an unknown is unknown.
        private mutating func value(of node: ExpressionNode) -> Value {
            switch node {
            case .number(let value): return .number(value)
            case .boolean(let value): return .boolean(value)
            case .fact(let fact): return read(fact)
            case .not(let inner):
                if case .boolean(let value) = self.value(of: inner) { return .boolean(!value) }
                return .unknown
            case .and(let a, let b):
                let left = value(of: a), right = value(of: b)
                if case .boolean(false) = left { return .boolean(false) }
                if case .boolean(false) = right { return .boolean(false) }
                if case .boolean(true) = left, case .boolean(true) = right { return .boolean(true) }
                return .unknown
            case .or(let a, let b):
                let left = value(of: a), right = value(of: b)
                if case .boolean(true) = left { return .boolean(true) }
                if case .boolean(true) = right { return .boolean(true) }
                if case .boolean(false) = left, case .boolean(false) = right { return .boolean(false) }
                return .unknown
            case .compare(let comparison, let a, let b):
                // Both sides are read even when one is unknown, so every missing fact is named.
                let left = value(of: a), right = value(of: b)
                guard case .number(let x) = left, case .number(let y) = right else { return .unknown }
                return .boolean(comparison.holds(x, y))
            case .arithmetic(let op, let a, let b):
                let left = value(of: a), right = value(of: b)
                guard case .number(let x) = left, case .number(let y) = right else { return .unknown }
                let result: ExactDecimal? = switch op {
                case .plus: x.adding(y)
                case .minus: x.subtracting(y)
                case .times: x.multiplied(by: y)
                }
                guard let result else {
                    lack(.fact, "expression", "the arithmetic is out of range")
                    return .unknown
                }
                return .number(result)
            }
        }

        private mutating func read(_ fact: FactReference) -> Value {
            switch fact {
            case .age:
                guard let age = facts.age(on: date) else {
                    lack(.fact, "birthDate", "record the birth date")
                    return .unknown
                }
                saw("age", String(age))
                return .number(ExactDecimal(age))
            case .ecog:
                guard let latest = facts.latestPerformanceStatus(asOf: date) else {
                    lack(.fact, "ecog", "assess ECOG performance status")
                    return .unknown
                }
                saw("ecog", String(latest.score), latest.date)
                return .number(ExactDecimal(latest.score))
            case .priorLines:
                let lines = facts.therapyLines(asOf: date)
                guard !lines.isEmpty else {
                    lack(.fact, "therapyLines", "record prior lines of therapy")
                    return .unknown
                }
                saw("priorLines", String(lines.count))
                return .number(ExactDecimal(lines.count))
            case .lab(let code):
                guard let latest = facts.latestLab(code, asOf: date) else {
                    lack(.fact, fact.description, "measure \(code.rawValue) (\(code.unit))")
                    return .unknown
                }
                saw(fact.description, "\(latest.value) \(code.unit)", latest.date)
                return .number(latest.value)
            case .upperLimitOfNormal(let code):
                guard let latest = facts.latestLab(code, asOf: date), let uln = latest.upperLimitOfNormal else {
                    lack(.fact, fact.description, "record the laboratory's upper limit of normal with the \(code.rawValue) result")
                    return .unknown
                }
                saw(fact.description, "\(uln) \(code.unit)", latest.date)
                return .number(uln)
            case .exclusion(let kind):
                guard let assessed = facts.exclusion(kind, asOf: date) else {
                    lack(.fact, fact.description, "assess and record whether \(kind.rawValue) is present")
                    return .unknown
                }
                saw(fact.description, assessed.present ? "present" : "absent", assessed.date)
                return .boolean(assessed.present)
            }
        }
    }
}
