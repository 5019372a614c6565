/// The code systems and CurePath-defined URLs the FHIR module reads and writes.
///
/// Written once so that the import and the export cannot disagree on a URI, and public so
/// that the API and documentation can show partners exactly what to send.
public enum FHIRCodeSystem {
    public static let loinc = "http://loinc.org"
    public static let snomed = "http://snomed.info/sct"
    public static let icd10CM = "http://hl7.org/fhir/sid/icd-10-cm"
    public static let rxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
    public static let cpt = "http://www.ama-assn.org/go/cpt"
    public static let ucum = "http://unitsofmeasure.org"
    /// HCPCS Level II, where CAR-T products have their Q codes (Q2041 Yescarta).
    public static let hcpcs = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
    /// X12 health care service review decision reason codes, used by Da Vinci PAS review actions.
    public static let x12ReviewAction = "https://codesystem.x12.org/005010/306"

    public static let conditionClinicalStatus = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    public static let conditionVerificationStatus = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
    public static let conditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category"
    public static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    public static let claimType = "http://terminology.hl7.org/CodeSystem/claim-type"
    public static let processPriority = "http://terminology.hl7.org/CodeSystem/processpriority"
    public static let claimInformationCategory = "http://terminology.hl7.org/CodeSystem/claiminformationcategory"
    public static let coverageClass = "http://terminology.hl7.org/CodeSystem/coverage-class"

    /// CurePath's exclusion assessments: codes are ``ExclusionKind`` raw values, the value a boolean.
    public static let curePathExclusion = "https://curepath.example/fhir/CodeSystem/exclusion"
    /// CurePath's pretest codes (`echo`, `id-panel`, `pft`), for tests without a standard code.
    public static let curePathPretest = "https://curepath.example/fhir/CodeSystem/pretest"
    /// CurePath's therapy classes (`anti-cd20`, `autologous-hsct`), for a line known only by class.
    public static let curePathTherapyClass = "https://curepath.example/fhir/CodeSystem/therapy-class"
    /// CurePath products, when a request names no HCPCS code.
    public static let curePathProduct = "https://curepath.example/fhir/CodeSystem/product"
    /// CurePath plan types (``PlanType`` raw values).
    public static let curePathPlanType = "https://curepath.example/fhir/CodeSystem/plan-type"
    /// Identifier system for prior-authorization request ids.
    public static let curePathRequest = "https://curepath.example/fhir/prior-authorization-request"
    /// Identifier system for CurePath patient ids.
    public static let curePathPatient = "https://curepath.example/fhir/patient"

    /// Extension grouping medication and procedure records into one line of therapy (valueInteger, 1 = first line).
    public static let therapyLineExtension = "https://curepath.example/fhir/StructureDefinition/therapy-line"
    /// Extension with a line's outcome (valueCode `refractory`, `relapsed` or `response`).
    public static let therapyLineOutcomeExtension = "https://curepath.example/fhir/StructureDefinition/therapy-line-outcome"
    /// Extension with the day a line's outcome was established (valueDate).
    public static let therapyLineOutcomeDateExtension = "https://curepath.example/fhir/StructureDefinition/therapy-line-outcome-date"
    /// Da Vinci PAS review action on a ClaimResponse item's adjudication.
    public static let pasReviewActionExtension = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction"
    /// Da Vinci PAS authorization period of one item.
    public static let pasItemPreAuthPeriodExtension = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemPreAuthPeriod"

    /// A short name for a system in messages (`LOINC 2345-7`), the URI itself for others.
    static func shortName(_ system: String?) -> String {
        switch system {
        case loinc?: "LOINC"
        case snomed?: "SNOMED CT"
        case icd10CM?: "ICD-10-CM"
        case rxNorm?: "RxNorm"
        case cpt?: "CPT"
        case hcpcs?: "HCPCS"
        case curePathExclusion?: "CurePath exclusion"
        case curePathPretest?: "CurePath pretest"
        case curePathTherapyClass?: "CurePath therapy class"
        case nil: "code (no system)"
        case let other?: other
        }
    }
}
