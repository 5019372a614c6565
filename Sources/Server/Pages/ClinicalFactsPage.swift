import Criteria
import Storage

/// A patient's clinical facts as a form to correct or complete, with a box to paste a FHIR
/// R4 Bundle instead — the one record every payer's criteria are evaluated against.
struct ClinicalFactsPage {
    struct ListView { var id, title, help: String; var headers: [String]; var rows: [[ClinicalFactsForm.Field]] }

    var session = PageSession.current
    var patient: String
    var version: String?
    var recorded: String?
    var lists: [ListView]
    var labCodes: String
    var error: String?
    var errors: [String]
    var notice: String?
    var unmapped: [String]
    var hasUnmapped: Bool
    var canEdit: Bool
    var fhirText: String

    init(patient: String, recorded: RecordedClinicalFacts?, form: ClinicalFactsForm, canEdit: Bool, error: String? = nil, errors: [String] = [],
         notice: String? = nil, unmapped: [String] = [], fhirText: String = "") {
        self.patient = patient
        version = recorded.map { String($0.version) }
        self.recorded = recorded.map { "version \($0.version), \($0.source.rawValue), \(ClockLabel.stamp($0.recordedAt))" + ($0.recordedBy.map { " by \($0)" } ?? "") }
        let help: [String: (String, String)] = [
            "diagnoses": ("Diagnoses", "ICD-10-CM code (C83.30) and the date it was made."),
            "therapyLines": ("Prior lines of therapy", "Agents and classes comma-separated, lower case (rituximab, doxorubicin; anti-cd20, anthracycline). Outcome: refractory, relapsed or response."),
            "performanceStatus": ("Performance status (ECOG)", "Score 0–5 and the day it was assessed."),
            "labs": ("Labs and organ function", "Exact values as reported; the upper limit of normal when a criterion is relative to it."),
            "exclusions": ("Exclusions", "activeInfection, cnsInvolvement or priorCarT; present yes or no. Never assessed is unknown, not absent."),
            "pretests": ("Pretests done", "Test code (echo, id-panel, pft) and the day it was done."),
        ]
        lists = ClinicalFactsForm.lists.map { list in
            ListView(id: list.name, title: help[list.name]?.0 ?? list.name, help: help[list.name]?.1 ?? "", headers: list.fields, rows: form.rows(list.name))
        }
        labCodes = LabCode.knownNames.joined(separator: ", ")
        self.error = error
        self.errors = errors
        self.notice = notice
        self.unmapped = unmapped
        hasUnmapped = !unmapped.isEmpty
        self.canEdit = canEdit
        self.fhirText = fhirText
    }
}
