import Foundation
import Testing
import Core
import CareNetwork
import Criteria
import Outcomes
@testable import FHIR

/// A calendar date from a literal in a test.
func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso8601: text) else { preconditionFailure("bad test date \(text)") }
    return date
}

func dec(_ text: String) -> ExactDecimal {
    guard case .success(let value) = ExactDecimal.parse(text) else { preconditionFailure("bad test decimal \(text)") }
    return value
}

/// The bytes of `Examples/fhir/<name>`.
func example(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/fhir/\(name)")
    return [UInt8](try Data(contentsOf: url))
}

let dlbclBundle = "patient-dlbcl-bundle.json"
let patientID: PatientID = "pt-000123"

/// A collection Bundle around resources written as JSON text, each its own entry.
func bundle(_ resources: String...) -> [UInt8] {
    let entries = resources.map { "{\"resource\": \($0)}" }.joined(separator: ",\n")
    return Array("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [\(entries)]}".utf8)
}

/// A final LOINC Observation with a quantity.
func labObservation(loinc: String, value: String, unit: String, date: String = "2026-05-08", status: String = "final", extra: String = "") -> String {
    """
    {"resourceType": "Observation", "id": "obs-\(loinc)", "status": "\(status)",
     "code": {"coding": [{"system": "http://loinc.org", "code": "\(loinc)"}]},
     "effectiveDateTime": "\(date)",
     "valueQuantity": {"value": \(value), "unit": "\(unit)", "system": "http://unitsofmeasure.org", "code": "\(unit)"}\(extra)}
    """
}

/// Reads a bundle, failing the test with the error's text if it is refused.
func imported(_ bytes: [UInt8], receivedOn: CalendarDate? = nil) throws -> ClinicalFactsImport.Result {
    try ClinicalFactsImport.read(bytes, patient: patientID, receivedOn: receivedOn)
}

/// The error a refused input gives, or `nil` if it was read.
func refusal(_ bytes: [UInt8]) -> FHIRError? {
    do {
        _ = try ClinicalFactsImport.read(bytes, patient: patientID)
        return nil
    } catch {
        return error
    }
}

/// The facts of the worked DLBCL example (docs/CRITERIA.md), as the example bundle states them.
func dlbclFacts() -> ClinicalFacts {
    ClinicalFacts(
        patient: patientID,
        birthDate: day("1968-02-10"),
        diagnoses: [Diagnosis(code: "C83.30", date: day("2025-03-02"))],
        therapyLines: [
            TherapyLine(agents: ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"],
                classes: ["anti-cd20", "alkylating-agent", "anthracycline", "vinca-alkaloid", "corticosteroid"],
                start: day("2025-03-20"), end: day("2025-07-10"), outcome: .relapsed, outcomeDate: day("2025-10-01")),
            TherapyLine(agents: ["rituximab", "ifosfamide", "carboplatin", "etoposide"],
                classes: ["anti-cd20", "alkylating-agent", "platinum", "topoisomerase-inhibitor"],
                start: day("2025-10-15"), end: day("2026-01-20"), outcome: .refractory, outcomeDate: day("2026-02-05")),
        ],
        performanceStatus: [PerformanceStatus(score: 1, date: day("2026-05-08"))],
        labs: [
            LabObservation(code: .lvef, value: dec("55"), date: day("2026-04-28")),
            LabObservation(code: .creatinineClearance, value: dec("72"), date: day("2026-05-08")),
            LabObservation(code: .bilirubin, value: dec("0.8"), upperLimitOfNormal: dec("1.2"), date: day("2026-05-08")),
            LabObservation(code: .spo2, value: dec("96"), date: day("2026-05-08")),
            LabObservation(code: LabCode(rawValue: "ldh"), value: dec("410"), upperLimitOfNormal: dec("222"), date: day("2026-05-08")),
        ],
        exclusions: [
            ExclusionFact(kind: .cnsInvolvement, present: false, date: day("2026-05-08")),
            ExclusionFact(kind: .activeInfection, present: false, date: day("2026-05-08")),
            ExclusionFact(kind: .priorCarT, present: false, date: day("2026-05-08")),
        ],
        pretests: [
            PretestResult(code: "id-panel", date: day("2026-05-08")),
            PretestResult(code: "echo", date: day("2026-04-28")),
        ]
    )
}

/// A request for the DLBCL example patient.
func submission(priority: PriorAuthorizationSubmission.Priority = .expedited, evidence: ClinicalFacts = dlbclFacts()) -> PriorAuthorizationSubmission {
    PriorAuthorizationSubmission(
        requestID: "pa-2026-000123", created: day("2026-05-15"), priority: priority, patient: patientID, birthDate: day("1968-02-10"),
        gender: .male, payer: "pay-national-health", payerName: "National Health Assurance", coverageID: "cov-778812",
        plan: "pln-nha-ppo", planType: .commercial, center: "ctr-lakeside", centerName: "Lakeside Cancer Center",
        practitionerName: "Dr. Ana Ruiz", product: "prd-yescarta", productName: "Yescarta",
        productCode: .hcpcs("Q2041", display: "Axicabtagene ciloleucel, up to 200 million autologous anti-CD19 CAR positive viable T cells"),
        diagnoses: [Diagnosis(code: "C83.30", date: day("2025-03-02"))], evidence: evidence)
}

/// Parsed JSON for shape assertions (Foundation is fine in tests: exactness is tested elsewhere).
func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}
