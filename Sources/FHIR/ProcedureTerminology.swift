/// Procedure codes CurePath reads: pretests and stem-cell transplants.
///
/// A pretest is known by its CurePath code (`echo`, `pft`), which criteria name; standard
/// SNOMED CT and CPT codes map onto it. A transplant is a line of therapy with a class
/// (`autologous-hsct`), because criteria count it among prior lines.
public struct ProcedureTerm: Hashable, Sendable {
    public enum Meaning: Hashable, Sendable {
        /// A pretest with this CurePath code.
        case pretest(String)
        /// A line of therapy of this class.
        case therapy(String)
    }

    public let system: String
    public let code: String
    public let display: String
    public let meaning: Meaning
}

/// SNOMED CT and CPT procedure codes ↔ pretests and transplant lines: the one table the
/// import reads and the export writes.
public enum ProcedureTerminology {
    /// The first entry for a meaning is the code written on export.
    public static let all: [ProcedureTerm] = [
        ProcedureTerm(system: FHIRCodeSystem.snomed, code: "40701008", display: "Echocardiography", meaning: .pretest("echo")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "93306", display: "Transthoracic echocardiography, complete, with Doppler", meaning: .pretest("echo")),
        ProcedureTerm(system: FHIRCodeSystem.snomed, code: "23426006", display: "Measurement of respiratory function", meaning: .pretest("pft")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "94010", display: "Spirometry", meaning: .pretest("pft")),
        ProcedureTerm(system: FHIRCodeSystem.snomed, code: "816077007", display: "Magnetic resonance imaging of brain", meaning: .pretest("brain-mri")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "70551", display: "MRI brain without contrast", meaning: .pretest("brain-mri")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "70552", display: "MRI brain with contrast", meaning: .pretest("brain-mri")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "70553", display: "MRI brain without and with contrast", meaning: .pretest("brain-mri")),
        ProcedureTerm(system: FHIRCodeSystem.snomed, code: "277762005", display: "Lumbar puncture", meaning: .pretest("lumbar-puncture")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "62270", display: "Spinal puncture, lumbar, diagnostic", meaning: .pretest("lumbar-puncture")),
        ProcedureTerm(system: FHIRCodeSystem.snomed, code: "709115004", display: "Transplantation of autologous hematopoietic stem cell", meaning: .therapy("autologous-hsct")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "38241", display: "Hematopoietic progenitor cell transplantation, autologous", meaning: .therapy("autologous-hsct")),
        ProcedureTerm(system: FHIRCodeSystem.cpt, code: "38240", display: "Hematopoietic progenitor cell transplantation, allogeneic", meaning: .therapy("allogeneic-hsct")),
    ]

    /// What a coding means: the table, then CurePath's own pretest and therapy-class codes.
    static func meaning(of coding: Coding) -> ProcedureTerm.Meaning? {
        guard let code = coding.code else { return nil }
        switch coding.system {
        case FHIRCodeSystem.curePathPretest?: return .pretest(code)
        case FHIRCodeSystem.curePathTherapyClass?: return .therapy(code)
        default: return all.first { $0.system == coding.system && $0.code == code }?.meaning
        }
    }

    static func preferred(for meaning: ProcedureTerm.Meaning) -> ProcedureTerm? { all.first { $0.meaning == meaning } }
}
