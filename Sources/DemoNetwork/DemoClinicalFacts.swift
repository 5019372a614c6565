import CareNetwork
import Core
import Criteria
import Journey
import Outcomes

/// Clinical facts for the demo's large B-cell lymphoma patients (the Yescarta cases, which
/// the demo criteria sets cover), varied so the evaluation page shows every verdict: most
/// patients likely approvable under the label, some failing the pivotal trial's stricter
/// limits, some with a pretest too old or an exclusion never assessed.
public enum DemoClinicalFacts {
    public static let product = ProductID("prd-yescarta")

    public static func build(for demo: DemoNetwork) -> [ClinicalFacts] {
        var rng = SeededGenerator(seed: demo.seed &+ 0xC417E121A)
        var facts: [ClinicalFacts] = []
        for demoCase in demo.cases where demoCase.record.productID == product {
            facts.append(make(for: demoCase.record, rng: &rng))
        }
        return facts
    }

    static func make(for record: Case, rng: inout SeededGenerator) -> ClinicalFacts {
        let referral = record.referralDate
        func before(_ days: ClosedRange<Int>) -> CalendarDate { referral.adding(days: -rng.integer(in: days)) }
        let diagnosed = before(300...900)
        let codes = ["C83.30", "C83.38", "C85.20", "C83.39"]
        var lines = [
            TherapyLine(agents: ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"], classes: ["anti-cd20", "anthracycline"],
                        start: diagnosed.adding(days: 20), end: diagnosed.adding(days: 140), outcome: .relapsed, outcomeDate: diagnosed.adding(days: 260)),
        ]
        // A quarter are referred after one line: second-line use, outside a third-line label set.
        if !rng.bernoulli(0.25) {
            lines.append(TherapyLine(agents: ["rituximab", "ifosfamide", "carboplatin", "etoposide"], classes: ["anti-cd20"],
                                     start: diagnosed.adding(days: 280), end: diagnosed.adding(days: 340), outcome: .refractory,
                                     outcomeDate: min(diagnosed.adding(days: 350), referral.adding(days: -5))))
        }
        let ecog = rng.bernoulli(0.1) ? 2 : rng.integer(in: 0...1)
        var labs = [
            LabObservation(code: .creatinineClearance, value: ExactDecimal(rng.integer(in: 38...110)), date: before(3...20)),
            LabObservation(code: .bilirubin, value: exact("0.\(rng.integer(in: 3...9))"), upperLimitOfNormal: exact("1.2"), date: before(3...20)),
            LabObservation(code: .spo2, value: ExactDecimal(rng.integer(in: 91...99)), date: before(1...10)),
            LabObservation(code: LabCode(rawValue: "ldh"), value: ExactDecimal(rng.integer(in: 180...700)), upperLimitOfNormal: ExactDecimal(250), date: before(3...20)),
        ]
        // Some echocardiograms are old enough that a payer with a short window wants a new one.
        let echo = before(rng.bernoulli(0.3) ? 70...120 : 5...40)
        labs.append(LabObservation(code: .lvef, value: ExactDecimal(rng.bernoulli(0.1) ? rng.integer(in: 40...49) : rng.integer(in: 50...65)), date: echo))
        var exclusions = [ExclusionFact(kind: .priorCarT, present: false, date: before(1...10))]
        if rng.bernoulli(0.8) { exclusions.append(ExclusionFact(kind: .activeInfection, present: false, date: before(1...10))) }
        if rng.bernoulli(0.6) { exclusions.append(ExclusionFact(kind: .cnsInvolvement, present: rng.bernoulli(0.05), date: before(5...30))) }
        var pretests = [PretestResult(code: "echo", date: echo)]
        if rng.bernoulli(0.7) { pretests.append(PretestResult(code: "id-panel", date: before(1...25))) }
        return ClinicalFacts(
            patient: record.patientID, diagnoses: [Diagnosis(code: codes[rng.integer(in: 0...(codes.count - 1))], date: diagnosed)],
            therapyLines: lines, performanceStatus: [PerformanceStatus(score: ecog, date: before(1...20))], labs: labs, exclusions: exclusions,
            pretests: pretests
        )
    }

    private static func exact(_ text: String) -> ExactDecimal {
        guard case .success(let value) = ExactDecimal.parse(text) else { preconditionFailure("\(text) is not a decimal") }
        return value
    }
}
