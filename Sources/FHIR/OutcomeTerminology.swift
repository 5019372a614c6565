import Outcomes

/// How outcome codes are spelt in FHIR: the system URI of each vocabulary of the
/// ``OutcomeDictionary``, CurePath's own code systems for what no standard vocabulary says,
/// the toxicity grade codes, and the statuses under which a resource is read.
///
/// The dictionary says what a code means in words; this table says which FHIR `system` it
/// arrives under, so the outcome import and its documentation cannot disagree on a URI.
/// Sources for each code are cited in ``OutcomeDictionary``; the FHIR-only codes are cited
/// here.
public enum OutcomeTerminology {
    // MARK: Code systems

    /// ICD-10-PCS (procedures), as HL7's ICSR transfusion guide spells it.
    public static let icd10PCS = "http://www.cms.gov/Medicare/Coding/ICD10"
    /// HL7 v3 ActCode: the binding of R4 `Encounter.class`.
    public static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    /// NCI Thesaurus, as HL7 Terminology (THO) spells it.
    public static let nciThesaurus = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
    /// The CTCAE grade code system of the HL7 CTCAE guide (draft, `fsh-ae`): codes `0`–`5`.
    public static let ctcaeGrade = "http://hl7.org/fhir/us/ctcae/CodeSystem/ctcae-grade-code-system"

    /// CurePath outcome kinds (``OutcomeKindCode`` raw values: `response-assessment`, `crs`, …),
    /// for what no standard code says (a subsequent therapy in general, a lost patient).
    public static let curePathKind = "https://curepath.example/fhir/CodeSystem/outcome-kind"
    /// CurePath response categories (`complete`, `partial`, synonyms read too).
    public static let curePathResponse = "https://curepath.example/fhir/CodeSystem/response"
    /// CurePath hospitalization reasons (`vaso-occlusive-event`, `other`).
    public static let curePathReason = "https://curepath.example/fhir/CodeSystem/hospitalization-reason"
    /// CurePath lab tests (`factor-ix-activity`).
    public static let curePathLabTest = "https://curepath.example/fhir/CodeSystem/lab-test"
    /// CurePath infection classes (`bacterial`, `viral`, `fungal`).
    public static let curePathInfectionClass = "https://curepath.example/fhir/CodeSystem/infection-class"
    /// Extension on a Condition or Observation with a toxicity grade (`valueInteger` 1–5), for
    /// sources that grade by ASTCT consensus rather than in a coded `stage`.
    public static let toxicityGradeExtension = "https://curepath.example/fhir/StructureDefinition/toxicity-grade"

    /// The FHIR system of a dictionary vocabulary.
    public static func system(of vocabulary: OutcomeDictionary.Vocabulary) -> String {
        switch vocabulary {
        case .loinc: FHIRCodeSystem.loinc
        case .snomedCT: FHIRCodeSystem.snomed
        case .icd10CM: FHIRCodeSystem.icd10CM
        case .icd10PCS: icd10PCS
        case .cpt: FHIRCodeSystem.cpt
        case .hl7ActCode: actCode
        }
    }

    /// A short name for a system in messages (`ICD-10-PCS 30233N1`, `CurePath lab test …`).
    static func shortName(_ system: String?) -> String {
        switch system {
        case icd10PCS?: "ICD-10-PCS"
        case actCode?: "HL7 ActCode"
        case nciThesaurus?: "NCIt"
        case ctcaeGrade?: "CTCAE grade"
        case curePathKind?: "CurePath outcome kind"
        case curePathResponse?: "CurePath response"
        case curePathReason?: "CurePath hospitalization reason"
        case curePathLabTest?: "CurePath lab test"
        case curePathInfectionClass?: "CurePath infection class"
        default: FHIRCodeSystem.shortName(system)
        }
    }

    /// `LOINC 3209-7`, for messages.
    static func shown(_ coding: Coding) -> String { "\(shortName(coding.system)) \(coding.code ?? "(no code)")" }

    /// The dictionary vocabulary of a FHIR system, if it is one.
    static func vocabulary(of system: String?) -> OutcomeDictionary.Vocabulary? {
        OutcomeDictionary.Vocabulary.allCases.first { self.system(of: $0) == system }
    }

    /// What a coding means in the dictionary. ICD-10-CM is compared without its dot, as the
    /// facts import does, because EHRs send `D89832` as often as `D89.832`.
    static func meanings(of coding: Coding) -> [OutcomeDictionary.Meaning] {
        guard let code = coding.code, let vocabulary = vocabulary(of: coding.system) else { return [] }
        if vocabulary == .icd10CM {
            let wanted = code.filter { $0 != "." }.uppercased()
            guard let listed = OutcomeDictionary.standardCodes(in: .icd10CM).first(where: { $0.filter { $0 != "." } == wanted }) else { return [] }
            return OutcomeDictionary.meanings(of: .icd10CM, listed)
        }
        return OutcomeDictionary.meanings(of: vocabulary, code)
    }

    // MARK: Grades

    /// NCI Thesaurus CTCAE grade concepts (HL7 THO value set adverse-event-clinical-research-grades).
    /// Grade 5's concept is not listed: it could not be checked; send grade 5 in the CTCAE
    /// grade system or the extension.
    static let nciGrades: [String: Int] = ["C41338": 1, "C41339": 2, "C41340": 3, "C41337": 4]

    /// The grade a coding states (`ctcae-grade-code-system#3`, NCIt C41340), `0` included so
    /// that "did not occur" can be refused by name.
    static func grade(of coding: Coding) -> Int? {
        guard let code = coding.code else { return nil }
        switch coding.system {
        case ctcaeGrade?: return Int(code).flatMap { (0...5).contains($0) ? $0 : nil }
        case nciThesaurus?: return nciGrades[code]
        default: return nil
        }
    }

    // MARK: Encounters

    /// `Encounter.class` codes that are an inpatient admission.
    static let inpatientClasses: Set<String> = ["IMP", "ACUTE", "NONAC"]

    // MARK: Statuses

    /// Observation statuses whose result stands.
    static let observationStatuses: Set<String> = ["final", "amended", "corrected"]
    /// Encounter statuses of an admission that happened (an ongoing stay is a hospitalization already).
    static let encounterStatuses: Set<String> = ["in-progress", "finished"]
    /// MedicationAdministration statuses of a drug that was given.
    static let administrationStatuses: Set<String> = ["completed", "in-progress", "stopped"]
    /// MedicationRequest statuses of a therapy that was ordered to start.
    static let requestStatuses: Set<String> = ["active", "completed", "stopped"]
    /// MedicationRequest intents that are an order, not a plan or a proposal.
    static let requestIntents: Set<String> = ["order", "original-order", "reflex-order", "filler-order", "instance-order"]

    // MARK: Medications

    /// Therapy classes that are supportive care, not a subsequent therapy: corticosteroids
    /// treat CRS and ICANS after CAR-T.
    static let supportiveClasses: Set<String> = ["corticosteroid"]
    /// Agents whose start means a return to prophylaxis after gene therapy, matched by name
    /// (no RxNorm code could be checked): emicizumab is given only as hemophilia A prophylaxis.
    static let prophylaxisAgents: [String: String] = ["emicizumab": "emicizumab", "hemlibra": "emicizumab"]
}
