import Foundation
import Core
import CareNetwork
import Outcomes
import Criteria

/// A calendar date from a literal in a test.
func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso8601: text) else { preconditionFailure("bad test date \(text)") }
    return date
}

func dec(_ text: String) -> ExactDecimal {
    guard case .success(let value) = ExactDecimal.parse(text) else { preconditionFailure("bad test decimal \(text)") }
    return value
}

/// The repository's `Examples/criteria/<name>.yaml`, parsed.
func exampleCriteria(_ name: String) throws -> CriteriaSet {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/criteria/\(name).yaml")
    return try CriteriaFile.parse(try Data(contentsOf: url))
}

let regional = "regional-standard-yescarta-lbcl"
let heartland = "heartland-yescarta-lbcl-label"
let nationalHealth = "national-health-yescarta-lbcl-zuma1"

/// The evaluation date of the worked example.
let evaluationDay = day("2026-05-15")

/// A 58-year-old with refractory DLBCL after R-CHOP and salvage, fit and with every test
/// done recently: the worked example in docs/CRITERIA.md.
func candidate() -> ClinicalFacts {
    ClinicalFacts(
        patient: "pt-000123",
        birthDate: day("1968-02-10"),
        diagnoses: [Diagnosis(code: "C83.38", date: day("2025-03-02"))],
        therapyLines: [
            TherapyLine(agents: ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"], classes: ["anti-cd20", "anthracycline"],
                start: day("2025-03-20"), end: day("2025-07-10"), outcome: .relapsed, outcomeDate: day("2025-10-01")),
            TherapyLine(agents: ["rituximab", "ifosfamide", "carboplatin", "etoposide"], classes: ["anti-cd20", "platinum"],
                start: day("2025-10-15"), end: day("2026-01-20"), outcome: .refractory, outcomeDate: day("2026-02-05")),
        ],
        performanceStatus: [PerformanceStatus(score: 1, date: day("2026-05-08"))],
        labs: [
            LabObservation(code: .creatinineClearance, value: dec("72"), date: day("2026-05-08")),
            LabObservation(code: .lvef, value: dec("55"), date: day("2026-04-28")),
            LabObservation(code: .bilirubin, value: dec("0.8"), date: day("2026-05-08")),
            LabObservation(code: .spo2, value: dec("96"), date: day("2026-05-08")),
            LabObservation(code: LabCode(rawValue: "ldh"), value: dec("410"), upperLimitOfNormal: dec("222"), date: day("2026-05-08")),
        ],
        exclusions: [
            ExclusionFact(kind: .activeInfection, present: false, date: day("2026-05-08")),
            ExclusionFact(kind: .cnsInvolvement, present: false, date: day("2026-05-08")),
            ExclusionFact(kind: .priorCarT, present: false, date: day("2026-05-08")),
        ],
        pretests: [
            PretestResult(code: "echo", date: day("2026-04-28")),
            PretestResult(code: "id-panel", date: day("2026-05-08")),
        ]
    )
}

/// A minimal valid criteria file with `criteria` spliced in (indented by the caller).
func criteriaFile(_ criteria: String) -> String {
    """
    format: curepath.criteria/v1
    id: test-set
    version: 1
    payer: pay-test
    product: prd-yescarta
    indication: r/r LBCL
    basis: label
    effective:
      from: 2026-01-01
    criteria:
    \(criteria)
    """
}
