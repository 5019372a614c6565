/// What an outcome event says happened to a patient after infusion.
///
/// The kinds are the ones outcomes-based contracts and the registry's long-term follow-up
/// are written in; anything a contract measures is one of these, so a measure never has to
/// read free text. Kinds that need detail to be measured carry it: the reason for a
/// hospitalization, and the test, value and unit of a lab result.
public enum OutcomeKind: Hashable, Sendable {
    /// A clinician's assessment of response; the event's `value` is the category
    /// (`complete`, `partial`, `stable`, `progression`, `none`, `lost`, …).
    case responseAssessment
    /// A red-cell transfusion; transfusion independence is measured from these.
    case transfusion
    /// An inpatient admission, with a coded reason such as `vaso-occlusive-event`.
    case hospitalization(reason: String)
    case death
    /// A laboratory result kept exactly as reported, e.g. factor IX activity 5.2 %.
    case labValue(test: String, value: ExactDecimal, unit: String)
    /// Another therapy for the same disease started (return to prophylaxis, a transplant):
    /// the treatment did not last.
    case subsequentTherapy
    /// Cytokine release syndrome at its worst ASTCT consensus grade (1–4; 5 when it was
    /// fatal), the toxicity CAR-T registries report first.
    case cytokineReleaseSyndrome(grade: Int)
    /// Immune effector cell-associated neurotoxicity syndrome (ICANS) at its worst ASTCT grade.
    case neurotoxicity(grade: Int)
    /// A clinically significant infection; the CTCAE grade when the source reports one, and
    /// the event's `value` for the organism class (`bacterial`, `viral`, `fungal`).
    case infection(grade: Int?)
    /// Follow-up ended without an outcome; later windows have no data.
    case lostToFollowUp
    /// The corrected event (`corrects`) should not have been recorded at all.
    case enteredInError

    /// The name used in files and the API (`lab-value`).
    public var code: OutcomeKindCode {
        switch self {
        case .responseAssessment: .responseAssessment
        case .transfusion: .transfusion
        case .hospitalization: .hospitalization
        case .death: .death
        case .labValue: .labValue
        case .subsequentTherapy: .subsequentTherapy
        case .cytokineReleaseSyndrome: .cytokineReleaseSyndrome
        case .neurotoxicity: .neurotoxicity
        case .infection: .infection
        case .lostToFollowUp: .lostToFollowUp
        case .enteredInError: .enteredInError
        }
    }

    /// The toxicity grade, for the kinds that carry one.
    public var grade: Int? {
        switch self {
        case .cytokineReleaseSyndrome(let grade), .neurotoxicity(let grade): grade
        case .infection(let grade): grade
        default: nil
        }
    }

    /// Grades run 1–4 in the ASTCT consensus and CTCAE scales; 5 is a death from the toxicity.
    public static let grades = 1...5
}

/// An outcome kind's name without its details, as written in CSV and JSON files.
public enum OutcomeKindCode: String, Hashable, Sendable, Codable, CaseIterable {
    case responseAssessment = "response-assessment"
    case transfusion
    case hospitalization
    case death
    case labValue = "lab-value"
    case subsequentTherapy = "subsequent-therapy"
    case cytokineReleaseSyndrome = "crs"
    case neurotoxicity = "icans"
    case infection
    case lostToFollowUp = "lost-to-follow-up"
    case enteredInError = "entered-in-error"
}
