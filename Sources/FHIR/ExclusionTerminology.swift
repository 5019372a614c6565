import Criteria

/// Condition codes that assert or refute an exclusion, and CurePath's own assessment codes.
///
/// Few standard codes mean exactly "CNS involvement" or "active infection", so the table is
/// short and specific; anything else stays a reported unmapped Condition. The reliable route
/// is CurePath's assessment Observation (``FHIRCodeSystem/curePathExclusion``, valueBoolean),
/// which is also what the export writes, because it can say "absent" plainly and covers prior
/// CAR-T, which no condition code does.
public enum ExclusionTerminology {
    public static let conditionCodes: [(system: String, code: String, display: String, kind: ExclusionKind)] = [
        (FHIRCodeSystem.snomed, "94225005", "Secondary malignant neoplasm of brain", .cnsInvolvement),
        (FHIRCodeSystem.icd10CM, "C79.31", "Secondary malignant neoplasm of brain", .cnsInvolvement),
        (FHIRCodeSystem.icd10CM, "C79.32", "Secondary malignant neoplasm of cerebral meninges", .cnsInvolvement),
        (FHIRCodeSystem.snomed, "40733004", "Infectious disease", .activeInfection),
    ]

    static func kind(for coding: Coding) -> ExclusionKind? {
        guard let code = coding.code else { return nil }
        if coding.system == FHIRCodeSystem.icd10CM {
            return conditionCodes.first { $0.system == FHIRCodeSystem.icd10CM && ICD10.normalized($0.code) == ICD10.normalized(code) }?.kind
        }
        return conditionCodes.first { $0.system == coding.system && $0.code == code }?.kind
    }

    static func assessedKind(_ coding: Coding) -> ExclusionKind? {
        guard coding.system == FHIRCodeSystem.curePathExclusion, let code = coding.code else { return nil }
        return ExclusionKind(rawValue: code)
    }
}
