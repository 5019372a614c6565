import Core

/// The dictionary of CurePath outcome codes: every kind, response category, hospitalization
/// reason, lab test and infection class an outcome event is written in, what each means, and
/// which codes of the standard vocabularies (LOINC, SNOMED CT, ICD-10-CM, …) mean the same.
///
/// Contracts are measured on these codes ("no hospitalization for `vaso-occlusive-event`",
/// "`factor-ix-activity` at least 5 %"), so a feed that spells them differently silently
/// fails a measure. The dictionary is the one place that says what each code means, so that
/// an import from a health system's vocabulary (the FHIR outcome import) can map codes it
/// knows and refuse, with a did-you-mean, the ones it does not. The native outcome file checks
/// its codes against it and the filed contracts (``OutcomeVocabulary``): a typo of a known
/// code is refused, a category of the sender's own is recorded with a notice, since contracts
/// in the wild define their own. docs/OUTCOME_CODES.md is this dictionary as tables (a test
/// keeps the two equal).
///
/// Only standard codes checked against a published source are listed (each table says
/// where); a code mapped from memory would move patients between categories unseen.
public enum OutcomeDictionary {
    /// A standard terminology a code comes from; the names are the ones people use in
    /// messages (`LOINC 3187-2`), not system URIs, which belong to each exchange format.
    public enum Vocabulary: String, Hashable, Sendable, CaseIterable {
        case loinc = "LOINC"
        case snomedCT = "SNOMED CT"
        case icd10CM = "ICD-10-CM"
        case icd10PCS = "ICD-10-PCS"
        case cpt = "CPT"
        /// HL7 v3 ActCode, where encounter classes (inpatient `IMP`) live.
        case hl7ActCode = "HL7 ActCode"
    }

    /// A code in a standard vocabulary that means a CurePath code.
    public struct StandardCode: Hashable, Sendable, CustomStringConvertible {
        public var vocabulary: Vocabulary
        public var code: String
        public var display: String
        /// The toxicity grade the code itself states (ICD-10-CM D89.832 is CRS grade 2).
        public var grade: Int?

        public init(_ vocabulary: Vocabulary, _ code: String, _ display: String, grade: Int? = nil) {
            self.vocabulary = vocabulary
            self.code = code
            self.display = display
            self.grade = grade
        }

        /// `LOINC 3187-2`, as messages and the documentation show it.
        public var description: String { "\(vocabulary.rawValue) \(code)" }
    }

    /// One outcome kind: its code, what it means, what detail an event of it carries.
    public struct KindTerm: Hashable, Sendable {
        public var kind: OutcomeKindCode
        public var definition: String
        /// The detail fields an event of this kind needs (`reason`, `test, value, unit`, `grade`).
        public var details: String
        public var standardCodes: [StandardCode]
    }

    /// A coded value: a response category, a hospitalization reason or an infection class.
    public struct Term: Hashable, Sendable {
        public var code: String
        public var definition: String
        /// Other spellings read as this code (`cr` for `complete`), compared after normalizing.
        public var synonyms: [String]
        public var standardCodes: [StandardCode]
    }

    /// A laboratory test: its code, LOINC codes and the unit its values are recorded in.
    public struct LabTest: Hashable, Sendable {
        public var code: String
        public var definition: String
        public var loinc: [StandardCode]
        /// The UCUM unit events carry, so that a contract's threshold ("at least 5 %") meets
        /// results in the unit it names.
        public var unit: String
        /// Unit spellings that are the same quantity in the same number (`10*3/uL` is
        /// `10*9/L`): read as ``unit`` without touching the value. Never a conversion.
        public var unitSpellings: [String]
    }

    /// The dictionary's tables, for lookups and did-you-mean.
    public enum Table: String, Hashable, Sendable, CaseIterable {
        case kinds, responses, hospitalizationReasons, labTests, infectionClasses

        /// What the table's codes are, for messages (`a response category`).
        public var noun: String {
            switch self {
            case .kinds: "an outcome kind"
            case .responses: "a response category"
            case .hospitalizationReasons: "a hospitalization reason"
            case .labTests: "a lab test"
            case .infectionClasses: "an infection class"
            }
        }
    }

    /// What a standard code means in this dictionary; one code may mean several things (an
    /// infection code is both the `infection` kind's class and a hospitalization reason), and
    /// the reader of a format decides by where the code stands.
    public enum Meaning: Hashable, Sendable {
        case kind(OutcomeKindCode, grade: Int?)
        case response(String)
        case hospitalizationReason(String)
        case labTest(String)
        case infectionClass(String)
    }

    // MARK: Standard codes

    // ICD-10-CM D89.83x: cytokine release syndrome by grade, FY2021 onward (code lists of
    // the CMS ICD-10-CM release; D89.831–D89.835 are cited as "Grade 1-5" in the NIS CAR-T
    // literature). G92.0x: immune effector cell-associated neurotoxicity syndrome by grade.
    static let crsCodes: [StandardCode] = (1...5).map { (grade: Int) in
        StandardCode(.icd10CM, "D89.83\(grade)", "Cytokine release syndrome, grade \(grade)", grade: grade)
    } + [StandardCode(.icd10CM, "D89.839", "Cytokine release syndrome, grade unspecified")]
    static let icansCodes: [StandardCode] = (1...5).map { (grade: Int) in
        StandardCode(.icd10CM, "G92.0\(grade)", "Immune effector cell-associated neurotoxicity syndrome, grade \(grade)", grade: grade)
    } + [StandardCode(.icd10CM, "G92.00", "Immune effector cell-associated neurotoxicity syndrome, grade unspecified")]
    // SNOMED CT infection concepts as used by SNOMED International's own QI templates
    // (IHTSDO reporting tools: 87628006 |Bacterial infectious disease|, 34014006 |Viral
    // disease|, 3218000 |Mycosis|); 40733004 |Infectious disease| is already read by the FHIR
    // module's exclusion table.
    static let infectionCode = StandardCode(.snomedCT, "40733004", "Infectious disease (disorder)")
    static let bacterialCode = StandardCode(.snomedCT, "87628006", "Bacterial infectious disease (disorder)")
    static let viralCode = StandardCode(.snomedCT, "34014006", "Viral disease (disorder)")
    static let fungalCode = StandardCode(.snomedCT, "3218000", "Mycosis (disorder)")

    // MARK: Kinds

    /// Every outcome kind, in the order files document them.
    public static let kinds: [KindTerm] = [
        KindTerm(kind: .responseAssessment, definition: "A clinician's assessment of response to the therapy.",
                 details: "value: a response category", standardCodes: [
                    // mCODE CancerDiseaseStatus: LOINC 97509-4 from STU2 on, 88040-1 in STU1
                    // (hl7.org/fhir/us/mcode, StructureDefinition-mcode-cancer-disease-status).
                    StandardCode(.loinc, "97509-4", "Cancer disease progression"),
                    StandardCode(.loinc, "88040-1", "Response to cancer treatment"),
                 ]),
        KindTerm(kind: .transfusion, definition: "A transfusion of red blood cells; transfusion independence is measured from these.",
                 details: "none", standardCodes: [
                    // SNOMED CT 116859006 as profiled by HL7 BFDR (ProcedureBloodTransfusion);
                    // CPT 36430 and the ICD-10-PCS red-cell codes from the HL7 ICSR transfusion
                    // guide's TransfusionProcedureCodeVS. The first two name any blood product.
                    StandardCode(.snomedCT, "116859006", "Transfusion of blood product (procedure)"),
                    StandardCode(.cpt, "36430", "Transfusion, blood or blood components"),
                    StandardCode(.icd10PCS, "30233N1", "Transfusion of Nonautologous Red Blood Cells into Peripheral Vein, Percutaneous Approach"),
                    StandardCode(.icd10PCS, "30230N1", "Transfusion of Nonautologous Red Blood Cells into Peripheral Vein, Open Approach"),
                    StandardCode(.icd10PCS, "30243N1", "Transfusion of Nonautologous Red Blood Cells into Central Vein, Percutaneous Approach"),
                    StandardCode(.icd10PCS, "30240N1", "Transfusion of Nonautologous Red Blood Cells into Central Vein, Open Approach"),
                 ]),
        KindTerm(kind: .hospitalization, definition: "An inpatient admission, for a coded reason.",
                 details: "reason: a hospitalization reason", standardCodes: [
                    // HL7 v3 ActEncounterCode, the FHIR R4 Encounter.class binding.
                    StandardCode(.hl7ActCode, "IMP", "inpatient encounter"),
                    StandardCode(.hl7ActCode, "ACUTE", "inpatient acute"),
                    StandardCode(.hl7ActCode, "NONAC", "inpatient non-acute"),
                 ]),
        KindTerm(kind: .death, definition: "The patient died, of any cause.", details: "none", standardCodes: []),
        KindTerm(kind: .labValue, definition: "A laboratory result kept exactly as reported.",
                 details: "test: a lab test; value: an exact decimal; unit", standardCodes: []),
        KindTerm(kind: .subsequentTherapy, definition: "Another therapy for the same disease started (a transplant, new anticancer drugs, a return to prophylaxis): the treatment did not last.",
                 details: "none", standardCodes: [
                    // The transplant codes of the FHIR module's ProcedureTerminology.
                    StandardCode(.snomedCT, "709115004", "Transplantation of autologous hematopoietic stem cell"),
                    StandardCode(.cpt, "38241", "Hematopoietic progenitor cell transplantation, autologous"),
                    StandardCode(.cpt, "38240", "Hematopoietic progenitor cell transplantation, allogeneic"),
                 ]),
        KindTerm(kind: .cytokineReleaseSyndrome, definition: "Cytokine release syndrome at its worst ASTCT grade (5: fatal).",
                 details: "grade: 1 to 5 (required)", standardCodes: crsCodes),
        KindTerm(kind: .neurotoxicity, definition: "Immune effector cell-associated neurotoxicity syndrome (ICANS) at its worst ASTCT grade.",
                 details: "grade: 1 to 5 (required)", standardCodes: icansCodes),
        KindTerm(kind: .infection, definition: "A clinically significant infection.",
                 details: "grade: CTCAE 1 to 5 (optional); value: an infection class (optional)", standardCodes: [infectionCode]),
        KindTerm(kind: .lostToFollowUp, definition: "Follow-up ended without an outcome; later visits have no data.",
                 details: "none", standardCodes: [
                    // mCODE TreatmentTerminationReasonVS (FHIR-32832).
                    StandardCode(.snomedCT, "399307001", "Lost to follow-up (finding)"),
                 ]),
        KindTerm(kind: .enteredInError, definition: "The corrected event should not have been recorded at all.",
                 details: "corrects: the event's ID", standardCodes: []),
    ]

    // MARK: Response categories

    /// Response categories, best first. The mCODE codes are the CancerDiseaseStatus answers
    /// (ConditionStatusTrendVS and its maximum value set, mCODE STU4); "improved" (SNOMED CT
    /// 268910001) is deliberately absent: it says neither complete nor partial.
    public static let responses: [Term] = [
        Term(code: "complete", definition: "Complete response or remission: no detectable disease.",
             synonyms: ["cr", "complete-response", "complete-remission", "complete-metabolic-response", "cmr", "scr", "stringent-complete-response"],
             standardCodes: [StandardCode(.snomedCT, "550991000124107", "Malignant neoplasm in full remission (disorder)")]),
        Term(code: "very-good-partial", definition: "Very good partial response (IMWG, multiple myeloma).",
             synonyms: ["vgpr", "very-good-partial-response"], standardCodes: []),
        Term(code: "partial", definition: "Partial response or remission: disease reduced, not gone.",
             synonyms: ["pr", "partial-response", "partial-remission", "partial-metabolic-response", "pmr"],
             standardCodes: [StandardCode(.snomedCT, "551001000124108", "Malignant neoplasm in partial remission (disorder)")]),
        Term(code: "stable", definition: "Stable disease: neither response nor progression.",
             synonyms: ["sd", "stable-disease", "no-metabolic-response", "nmr"],
             standardCodes: [StandardCode(.snomedCT, "359746009", "Patient's condition stable (finding)")]),
        Term(code: "none", definition: "No response: the disease did not respond to the therapy.",
             synonyms: ["nr", "no-response", "non-response", "refractory"], standardCodes: []),
        Term(code: "progression", definition: "Progressive disease after or without a response.",
             synonyms: ["pd", "progressive-disease", "progressive", "progressive-metabolic-disease", "pmd"],
             standardCodes: [StandardCode(.snomedCT, "271299001", "Patient's condition worsened (finding)")]),
        Term(code: "relapse", definition: "The disease returned after a complete response.",
             synonyms: ["relapsed", "recurrence", "recurrent"], standardCodes: []),
        Term(code: "not-evaluable", definition: "Assessed, but the response could not be determined.",
             synonyms: ["ne", "undetermined", "indeterminate"],
             standardCodes: [StandardCode(.snomedCT, "709137006", "Patient condition undetermined (finding)")]),
    ]

    // MARK: Hospitalization reasons

    /// Why a patient was admitted. The vaso-occlusive codes are the ICD-10-CM sickle-cell
    /// "with crisis" codes that gene therapy trials count as vaso-occlusive events (pain
    /// crisis, acute chest syndrome, splenic sequestration); cerebral vascular involvement
    /// (D57.03, D57.213) is a stroke, not one.
    public static let hospitalizationReasons: [Term] = [
        Term(code: "vaso-occlusive-event", definition: "A vaso-occlusive crisis of sickle cell disease: pain crisis, acute chest syndrome or splenic sequestration.",
             synonyms: ["voe", "vaso-occlusive-crisis", "voc", "sickle-cell-crisis", "pain-crisis"], standardCodes: [
                StandardCode(.icd10CM, "D57.00", "Hb-SS disease with crisis, unspecified"),
                StandardCode(.icd10CM, "D57.01", "Hb-SS disease with acute chest syndrome"),
                StandardCode(.icd10CM, "D57.02", "Hb-SS disease with splenic sequestration"),
                StandardCode(.icd10CM, "D57.09", "Hb-SS disease with crisis with other specified complication"),
                StandardCode(.icd10CM, "D57.211", "Sickle-cell/Hb-C disease with acute chest syndrome"),
                StandardCode(.icd10CM, "D57.212", "Sickle-cell/Hb-C disease with splenic sequestration"),
                StandardCode(.icd10CM, "D57.218", "Sickle-cell/Hb-C disease with crisis with other specified complication"),
                StandardCode(.icd10CM, "D57.219", "Sickle-cell/Hb-C disease with crisis, unspecified"),
             ]),
        Term(code: "infection", definition: "An infection.", synonyms: ["sepsis"],
             standardCodes: [infectionCode, bacterialCode, viralCode, fungalCode]),
        Term(code: "crs", definition: "Cytokine release syndrome.", synonyms: ["cytokine-release-syndrome"], standardCodes: crsCodes),
        Term(code: "icans", definition: "Immune effector cell-associated neurotoxicity syndrome.",
             synonyms: ["neurotoxicity", "immune-effector-cell-associated-neurotoxicity-syndrome"], standardCodes: icansCodes),
        // SNOMED CT 131148009 |Bleeding (finding)|, as coded in HL7 and SNOMED International examples.
        Term(code: "bleeding", definition: "A bleed (hemophilia: the event gene therapy should prevent).", synonyms: ["bleed", "hemorrhage", "haemorrhage"],
             standardCodes: [StandardCode(.snomedCT, "131148009", "Bleeding (finding)")]),
        Term(code: "other", definition: "Any other reason; contracts that count admissions of every cause read these too.",
             synonyms: [], standardCodes: []),
    ]

    // MARK: Lab tests

    /// Laboratory tests. Factor activity in IU/dL is the same number as in % (1 IU is the
    /// activity of 1 mL of normal plasma), so both spellings read as `%`.
    public static let labTests: [LabTest] = [
        // LOINC 3187-2 and 3209-4 (loinc.org; ARUP and Billings Clinic test catalogues).
        LabTest(code: "factor-ix-activity", definition: "Coagulation factor IX activity (hemophilia B).",
                loinc: [StandardCode(.loinc, "3187-2", "Coagulation factor IX activity actual/normal in Platelet poor plasma by Coagulation assay")],
                unit: "%", unitSpellings: ["%", "[IU]/dL", "[iU]/dL"]),
        LabTest(code: "factor-viii-activity", definition: "Coagulation factor VIII activity (hemophilia A).",
                loinc: [StandardCode(.loinc, "3209-4", "Coagulation factor VIII activity actual/normal in Platelet poor plasma by Coagulation assay")],
                unit: "%", unitSpellings: ["%", "[IU]/dL", "[iU]/dL"]),
        LabTest(code: "hemoglobin", definition: "Total hemoglobin (thalassemia, sickle cell disease).",
                loinc: [StandardCode(.loinc, "718-7", "Hemoglobin [Mass/volume] in Blood")], unit: "g/dL", unitSpellings: ["g/dL"]),
        // LOINC 4576-5 (ARUP test 0081348 "Hemoglobin F").
        LabTest(code: "fetal-hemoglobin", definition: "Fetal hemoglobin as a share of total hemoglobin (sickle cell disease).",
                loinc: [StandardCode(.loinc, "4576-5", "Hemoglobin F/Hemoglobin.total in Blood")], unit: "%", unitSpellings: ["%"]),
        LabTest(code: "anc", definition: "Absolute neutrophil count (cytopenias after CAR-T).",
                loinc: [StandardCode(.loinc, "751-8", "Neutrophils [#/volume] in Blood by Automated count")],
                unit: "10*9/L", unitSpellings: ["10*9/L", "10*3/uL", "/nL", "10^9/L"]),
        LabTest(code: "platelets", definition: "Platelet count (cytopenias after CAR-T).",
                loinc: [StandardCode(.loinc, "777-3", "Platelets [#/volume] in Blood by Automated count")],
                unit: "10*9/L", unitSpellings: ["10*9/L", "10*3/uL", "/nL", "10^9/L"]),
        LabTest(code: "ldh", definition: "Lactate dehydrogenase (hemolysis, tumor burden).",
                loinc: [StandardCode(.loinc, "2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma"),
                        StandardCode(.loinc, "14804-9", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma by Lactate to pyruvate reaction")],
                unit: "U/L", unitSpellings: ["U/L"]),
    ]

    // MARK: Infection classes

    /// The organism class of an infection, carried in the event's `value`.
    public static let infectionClasses: [Term] = [
        Term(code: "bacterial", definition: "Caused by bacteria.", synonyms: ["bacteria"], standardCodes: [bacterialCode]),
        Term(code: "viral", definition: "Caused by a virus.", synonyms: ["virus"], standardCodes: [viralCode]),
        Term(code: "fungal", definition: "Caused by a fungus.", synonyms: ["fungus", "mycosis"], standardCodes: [fungalCode]),
    ]

    // MARK: Lookups

    /// The kind with this code (`lab-value`), in any case.
    public static func lookupKind(_ text: String) -> KindTerm? {
        let wanted = normalized(text)
        return kinds.first { $0.kind.rawValue == wanted }
    }

    /// The response category `text` names, by code or synonym (`CR`, `Complete Response`).
    public static func lookupResponse(_ text: String) -> Term? { find(text, in: responses) }

    public static func lookupHospitalizationReason(_ text: String) -> Term? { find(text, in: hospitalizationReasons) }

    public static func lookupInfectionClass(_ text: String) -> Term? { find(text, in: infectionClasses) }

    /// The lab test `text` names, by code (`factor-ix-activity`) or by one of its LOINC codes.
    public static func lookupLabTest(_ text: String) -> LabTest? {
        let wanted = normalized(text)
        return labTests.first { $0.code == wanted || $0.loinc.contains { $0.code == text } }
    }

    /// The lab test a LOINC code means.
    public static func labTest(loinc code: String) -> LabTest? { labTests.first { $0.loinc.contains { $0.code == code } } }

    /// The known code closest to a mistyped `text` in `table` (`factor-ix-activty` →
    /// `factor-ix-activity`), synonyms included; `nil` when none is within two edits.
    public static func didYouMean(_ text: String, in table: Table) -> String? {
        let candidates: [String]
        switch table {
        case .kinds: candidates = kinds.map(\.kind.rawValue)
        case .responses: candidates = responses.flatMap { [$0.code] + $0.synonyms }
        case .hospitalizationReasons: candidates = hospitalizationReasons.flatMap { [$0.code] + $0.synonyms }
        case .labTests: candidates = labTests.flatMap { [$0.code] + $0.loinc.map(\.code) }
        case .infectionClasses: candidates = infectionClasses.flatMap { [$0.code] + $0.synonyms }
        }
        guard let close = DidYouMean.closest(to: normalized(text), in: candidates) else { return nil }
        // Show the code a synonym stands for: `cr` was meant, but `complete` is what is recorded.
        switch table {
        case .responses: return lookupResponse(close)?.code
        case .hospitalizationReasons: return lookupHospitalizationReason(close)?.code
        case .infectionClasses: return lookupInfectionClass(close)?.code
        case .labTests: return lookupLabTest(close)?.code
        case .kinds: return close
        }
    }

    /// Every meaning of a standard code in this dictionary, in table order.
    public static func meanings(of vocabulary: Vocabulary, _ code: String) -> [Meaning] {
        let matches: (StandardCode) -> Bool = { $0.vocabulary == vocabulary && $0.code == code }
        var found: [Meaning] = []
        for term in kinds { if let standard = term.standardCodes.first(where: matches) { found.append(.kind(term.kind, grade: standard.grade)) } }
        for term in responses where term.standardCodes.contains(where: matches) { found.append(.response(term.code)) }
        for term in hospitalizationReasons where term.standardCodes.contains(where: matches) { found.append(.hospitalizationReason(term.code)) }
        for test in labTests where test.loinc.contains(where: matches) { found.append(.labTest(test.code)) }
        for term in infectionClasses where term.standardCodes.contains(where: matches) { found.append(.infectionClass(term.code)) }
        return found
    }

    /// Every standard code of a vocabulary the dictionary lists, for did-you-mean on codes
    /// (a transposed LOINC digit).
    public static func standardCodes(in vocabulary: Vocabulary) -> [String] {
        let all = kinds.flatMap(\.standardCodes) + responses.flatMap(\.standardCodes) + hospitalizationReasons.flatMap(\.standardCodes)
            + labTests.flatMap(\.loinc) + infectionClasses.flatMap(\.standardCodes)
        var seen = Set<String>()
        return all.filter { $0.vocabulary == vocabulary }.map(\.code).filter { seen.insert($0).inserted }
    }

    /// Lower case, trimmed, spaces and underscores as hyphens: `Complete Response` reads as
    /// `complete-response`, which is how synonyms are listed.
    static func normalized(_ text: String) -> String {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        return String(String(trimmed).lowercased().map { $0 == " " || $0 == "_" ? "-" : $0 })
    }

    private static func find(_ text: String, in terms: [Term]) -> Term? {
        let wanted = normalized(text)
        return terms.first { $0.code == wanted || $0.synonyms.contains(wanted) }
    }
}
