import Core
import Outcomes

/// Where one standing outcome event goes in the CDM, and which of its fields leave with it.
///
/// Only codes leave: the kind's own code (`crs`, `lab-value`), a response category, a
/// hospitalization reason, a lab test, its exact value and unit, a toxicity grade. An event's
/// free-text `value` on other kinds (a note a registry sent with a death, say) could name a
/// person and is never exported; an infection's organism class leaves only when it is one of
/// the documented classes.
public enum OutcomeMapping {
    /// The CDM place of an event.
    public enum Destination: Hashable, Sendable {
        /// condition_occurrence: `source` as condition_source_value, `status` (the toxicity
        /// grade, `grade-3`) as condition_status_source_value.
        case condition(source: String, status: String?)
        /// observation: `source` as observation_source_value, `value` as value_as_string.
        case observation(source: String, value: String?)
        /// measurement: the test as measurement_source_value, the value exactly as reported.
        case measurement(test: String, value: ExactDecimal, unit: String)
        /// procedure_occurrence: `source` as procedure_source_value.
        case procedure(source: String)
        /// The death table.
        case death
        /// No row: the event only bounds the observation period (a loss to follow-up).
        case periodBound
    }

    /// Organism classes an infection's `value` may name (OutcomeKind.infection); anything
    /// else in that free-text field stays behind.
    public static let organismClasses: Set<String> = ["bacterial", "viral", "fungal"]

    /// Where `event` goes, or `nil` for an entered-in-error event (which ``OutcomeHistory``
    /// has already removed together with the event it withdraws).
    public static func destination(of event: OutcomeEvent) -> Destination? {
        let code = event.kind.code.rawValue
        switch event.kind {
        case .responseAssessment:
            return .observation(source: code, value: event.value)
        case .hospitalization(let reason):
            // No visit_occurrence table in this extract: the admission is an observation whose
            // value is the coded reason.
            return .observation(source: code, value: reason)
        case .labValue(let test, let value, let unit):
            return .measurement(test: test, value: value, unit: unit)
        case .transfusion, .subsequentTherapy:
            // Subsequent therapy may be a drug or a transplant; only a procedure row needs no
            // drug concept or end date CurePath does not have.
            return .procedure(source: code)
        case .cytokineReleaseSyndrome(let grade), .neurotoxicity(let grade):
            return .condition(source: code, status: "grade-\(grade)")
        case .infection(let grade):
            let organism = event.value.map { $0.lowercased() }.flatMap { organismClasses.contains($0) ? $0 : nil }
            return .condition(source: organism.map { "\(code)-\($0)" } ?? code, status: grade.map { "grade-\($0)" })
        case .death:
            return .death
        case .lostToFollowUp:
            return .periodBound
        case .enteredInError:
            return nil
        }
    }
}
