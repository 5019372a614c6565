import CareNetwork
import Core

/// Everything a coordinator needs at a glance for one patient: each candidate payer's
/// verdict, the single pretest plan that satisfies all of them, and where each payer's
/// criteria depart from the regional standard.
///
/// Built once here so the API, the evaluation page and the command line show the same thing.
public struct PatientEvaluation: Hashable, Sendable {
    public var patient: PatientID
    public var asOf: CalendarDate
    public var evaluations: [SetEvaluation]
    public var pretestPlan: PretestPlan
    /// For each payer set that has a regional standard for its product: the differences.
    public var differences: [(set: CriteriaSetID, standard: CriteriaSetID, differences: [CriteriaDifference])]

    public static func == (lhs: PatientEvaluation, rhs: PatientEvaluation) -> Bool {
        lhs.patient == rhs.patient && lhs.asOf == rhs.asOf && lhs.evaluations == rhs.evaluations && lhs.pretestPlan == rhs.pretestPlan
            && lhs.differences.map(\.set) == rhs.differences.map(\.set) && lhs.differences.map(\.differences) == rhs.differences.map(\.differences)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(patient)
        hasher.combine(asOf)
        hasher.combine(evaluations)
    }

    /// Evaluates `facts` against `candidates` on `asOf`, planning pretests for submission on
    /// `submitBy`. Regional standards among `candidates` are evaluated too (they show what a
    /// standardized region would decide) and serve as the baseline for differences.
    public static func make(_ facts: ClinicalFacts, candidates: [CriteriaSet], asOf: CalendarDate, submitBy: CalendarDate) -> PatientEvaluation {
        let evaluations = CriteriaEvaluator.evaluate(facts, against: candidates, asOf: asOf)
        let plan = PretestPlan.plan(for: facts, candidates: candidates, asOf: asOf, submitBy: submitBy)
        var differences: [(CriteriaSetID, CriteriaSetID, [CriteriaDifference])] = []
        for set in candidates where set.owner != .regionalStandard {
            if let standard = candidates.first(where: { $0.owner == .regionalStandard && $0.product == set.product }) {
                differences.append((set.id, standard.id, CriteriaDifference.between(set, standard: standard)))
            }
        }
        return PatientEvaluation(patient: facts.patient, asOf: asOf, evaluations: evaluations, pretestPlan: plan,
                                 differences: differences.map { (set: $0.0, standard: $0.1, differences: $0.2) })
    }
}

extension CriteriaSet {
    /// The sets to evaluate a patient against for `product` on `date`: the newest version of
    /// each set for the product that is in effect then (or, if none of a set's versions is,
    /// none of it), regional standards first.
    public static func candidates(from versions: [CriteriaSet], product: ProductID, on date: CalendarDate) -> [CriteriaSet] {
        var newest: [CriteriaSetID: CriteriaSet] = [:]
        for set in versions where set.product == product && set.isInEffect(on: date) {
            if let current = newest[set.id], current.version >= set.version { continue }
            newest[set.id] = set
        }
        return newest.values.sorted { lhs, rhs in
            let (left, right) = (lhs.owner == .regionalStandard, rhs.owner == .regionalStandard)
            return left != right ? left : lhs.id < rhs.id
        }
    }
}
