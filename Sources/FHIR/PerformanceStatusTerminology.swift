/// How an ECOG performance status is coded: the Observation codes and the LOINC answer codes.
///
/// mCODE writes ECOG as LOINC 89247-1 with a LOINC answer (LA9622-7 … LA9627-6); other
/// systems use 89262-0 or SNOMED CT 423740007 with a plain integer. All are read; the
/// export writes mCODE's form.
public enum PerformanceStatusTerminology {
    /// Observation codes meaning an ECOG score; the first is written on export.
    public static let codes: [(system: String, code: String)] = [
        (FHIRCodeSystem.loinc, "89247-1"), (FHIRCodeSystem.loinc, "89262-0"), (FHIRCodeSystem.snomed, "423740007"),
    ]
    /// LOINC answer codes for ECOG 0 to 5, in order.
    public static let answers: [String] = ["LA9622-7", "LA9623-5", "LA9624-3", "LA9625-0", "LA9626-8", "LA9627-6"]

    static func isECOG(_ coding: Coding) -> Bool { codes.contains { $0.system == coding.system && $0.code == coding.code } }
}
