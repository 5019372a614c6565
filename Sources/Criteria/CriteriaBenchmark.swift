import Core
import CareNetwork
import Outcomes

/// The workload and measurement behind `curepath bench criteria`: many patients against many
/// criteria sets, counting criterion evaluations per second on one core.
///
/// A center screens its whole referral list against every payer, and a payer re-checks open
/// requests when its criteria change, so evaluation must stay cheap at scale. The workload is
/// generated from a seed, so every run measures the same work.
public enum CriteriaBenchmark {
    /// Patients and sets to evaluate, with the evaluation date.
    public struct Workload: Sendable {
        public var patients: [ClinicalFacts]
        public var sets: [CriteriaSet]
        public var asOf: CalendarDate

        /// Criterion evaluations one pass does.
        public var criterionEvaluations: Int { patients.count * sets.reduce(0) { $0 + $1.criteria.count } }
    }

    /// What one pass did and how long it took.
    public struct Measurement: Sendable, CustomStringConvertible {
        public var patients: Int
        public var sets: Int
        public var criterionEvaluations: Int
        /// Set evaluations by verdict, to show the work was real.
        public var likelyApprovable: Int
        public var notApprovable: Int
        public var incomplete: Int
        public var seconds: Double
        public var evaluationsPerSecond: Double { seconds > 0 ? Double(criterionEvaluations) / seconds : 0 }

        public var description: String {
            "\(patients) patients × \(sets) criteria sets = \(criterionEvaluations) criterion evaluations in "
                + "\((seconds * 1000).rounded() / 1000) s (\(Int(evaluationsPerSecond.rounded())) evaluations/s); verdicts: "
                + "\(likelyApprovable) likely-approvable, \(notApprovable) not-approvable, \(incomplete) incomplete"
        }
    }

    /// Verdict counts for every patient against every set, by the status-only path. Pure: no clock.
    public static func run(_ workload: Workload) -> (likelyApprovable: Int, notApprovable: Int, incomplete: Int) {
        var counts = (likelyApprovable: 0, notApprovable: 0, incomplete: 0)
        for facts in workload.patients {
            for set in workload.sets {
                var failed = false, unknown = false
                for criterion in set.criteria {
                    switch CriteriaEvaluator.status(of: facts, criterion.rule, asOf: workload.asOf) {
                    case .met: break
                    case .notMet: failed = true
                    case .unknown: unknown = true
                    }
                }
                if failed { counts.notApprovable += 1 } else if unknown { counts.incomplete += 1 } else { counts.likelyApprovable += 1 }
            }
        }
        return counts
    }

    /// Times one pass of ``run(_:)`` on the calling thread.
    public static func measure(_ workload: Workload) -> Measurement {
        let clock = ContinuousClock()
        var counts = (likelyApprovable: 0, notApprovable: 0, incomplete: 0)
        let elapsed = clock.measure { counts = run(workload) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Measurement(
            patients: workload.patients.count, sets: workload.sets.count, criterionEvaluations: workload.criterionEvaluations,
            likelyApprovable: counts.likelyApprovable, notApprovable: counts.notApprovable, incomplete: counts.incomplete, seconds: seconds
        )
    }

    /// `patients` synthetic patients with r/r large B-cell lymphoma (some facts missing, some
    /// stale, some failing) and `sets` criteria sets varied around the label and the pivotal trial.
    public static func workload(patients count: Int = 100_000, sets setCount: Int = 20, seed: UInt64 = 0xC817_E21A) -> Workload {
        var random = SeededGenerator(seed: seed)
        let asOf = CalendarDate(year: 2026, month: 6, day: 1)!
        let sets = (0..<setCount).map { benchmarkSet($0, asOf: asOf) }
        let ldh = LabCode(rawValue: "ldh")
        var patients: [ClinicalFacts] = []
        patients.reserveCapacity(count)
        for index in 0..<count {
            func ago(_ days: Int) -> CalendarDate { asOf.adding(days: -days) }
            func chance(_ percent: Int) -> Bool { random.below(100) < percent }
            func decimal(_ low: Int, _ high: Int, scale: Int = 0) -> ExactDecimal {
                ExactDecimal(significand: Int64(low + random.below(high - low + 1)), scale: scale)
            }
            var facts = ClinicalFacts(patient: PatientID("pt-\(index)"))
            if !chance(3) { facts.birthDate = ago(365 * (20 + random.below(62)) + random.below(365)) }
            let codes = ["C83.30", "C83.38", "C85.20", "C83.80", "C83.39", "C83.38", "C83.30", "C82.90"]
            facts.diagnoses = [Diagnosis(code: codes[random.below(codes.count)], date: ago(200 + random.below(600)))]
            let lineCount = chance(10) ? random.below(2) : 2 + random.below(3)
            for line in 0..<lineCount {
                let start = ago(700 - line * 150)
                let classes = line == 0 ? ["anti-cd20", "anthracycline"] : (chance(50) ? ["anti-cd20", "platinum"] : ["bispecific"])
                let outcome: TherapyOutcome? = chance(10) ? nil : (chance(60) ? .refractory : .relapsed)
                facts.therapyLines.append(TherapyLine(classes: classes, start: start, end: start.adding(days: 100), outcome: outcome, outcomeDate: outcome == nil ? nil : start.adding(days: 120)))
            }
            if !chance(5) { facts.performanceStatus = [PerformanceStatus(score: random.below(100) < 85 ? random.below(2) : 2 + random.below(2), date: ago(random.below(35)))] }
            if !chance(5) { facts.labs.append(LabObservation(code: .creatinineClearance, value: decimal(40, 120), date: ago(random.below(20)))) }
            if !chance(8) { facts.labs.append(LabObservation(code: .lvef, value: decimal(45, 70), date: ago(random.below(60)))) }
            if !chance(5) { facts.labs.append(LabObservation(code: .bilirubin, value: decimal(2, 18, scale: 1), date: ago(random.below(20)))) }
            if !chance(5) { facts.labs.append(LabObservation(code: .spo2, value: decimal(90, 100), date: ago(random.below(20)))) }
            if !chance(10) { facts.labs.append(LabObservation(code: ldh, value: decimal(150, 600), upperLimitOfNormal: ExactDecimal(222), date: ago(random.below(30)))) }
            for kind in ExclusionKind.allCases where !chance(5) {
                facts.exclusions.append(ExclusionFact(kind: kind, present: chance(4), date: ago(random.below(30))))
            }
            for code in ["echo", "id-panel", "pft"] where !chance(15) {
                facts.pretests.append(PretestResult(code: code, date: ago(random.below(45))))
            }
            patients.append(facts)
        }
        return Workload(patients: patients, sets: sets, asOf: asOf)
    }

    /// Criteria sets around the label (even) and the pivotal trial (odd), thresholds nudged by index.
    static func benchmarkSet(_ index: Int, asOf: CalendarDate) -> CriteriaSet {
        let pivotal = index % 2 == 1
        let nudge = index / 2
        var criteria: [CriterionRule] = [
            .diagnosis(codes: [], prefixes: pivotal ? ["C83.3", "C85.2"] : ["C83.3", "C85.2", "C83.8"]),
            .priorLines(PriorLinesRule(minimum: 2, requiredClasses: pivotal ? ["anti-cd20", "anthracycline"] : [], refractoryOrRelapsedWithinMonths: pivotal ? 12 : nil)),
            .age(minimum: 18, maximum: pivotal ? 75 + nudge % 5 : nil),
            .ecog(maximum: pivotal ? 1 : 2, withinDays: 30 - nudge),
            .organ(OrganThreshold(lab: .creatinineClearance, bound: .atLeast, value: ExactDecimal(pivotal ? 60 : 30 + nudge), withinDays: 30)),
            .organ(OrganThreshold(lab: .lvef, bound: .atLeast, value: ExactDecimal(pivotal ? 50 : 40), withinDays: 60 - nudge)),
            .exclusion(.activeInfection),
            .exclusion(.priorCarT),
            .pretest(code: "echo", withinDays: 60 - 2 * nudge),
            .pretest(code: "id-panel", withinDays: 30),
        ]
        if pivotal {
            criteria += [
                .organ(OrganThreshold(lab: .bilirubin, bound: .atMost, value: ExactDecimal(significand: 15, scale: 1), withinDays: 14 + nudge)),
                .exclusion(.cnsInvolvement),
                .pretest(code: "pft", withinDays: 90),
            ]
            if case .success(let ldh) = CriteriaExpression.parse("labs.ldh <= 2 * uln.ldh") { criteria.append(.expression(name: "ldh-limit", ldh)) }
            if case .success(let spo2) = CriteriaExpression.parse("labs.spo2 > 92") { criteria.append(.expression(name: "spo2", spo2)) }
        }
        return CriteriaSet(
            id: CriteriaSetID("bench-\(index)"), version: 1, owner: index == 0 ? .regionalStandard : .payer(PayerID("pay-bench-\(index)")),
            product: "prd-yescarta", indication: "relapsed or refractory large B-cell lymphoma", basis: pivotal ? .pivotalTrial : .label,
            effectiveFrom: asOf.adding(days: -365), criteria: criteria.map { Criterion($0) }
        )
    }
}

extension SeededGenerator {
    /// Uniform in 0..<bound (bound > 0); modulo bias is irrelevant for a benchmark.
    fileprivate mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
