/// How a source record's match tokens decide which registry patient it is.
///
/// Exact tokens are all-or-nothing per rule, so the decision weighs which rules agree. A rule
/// with the full given name and the birth date (T2, T3) identifies a person on its own; T1
/// (first initial) and T5 (no birth date) only support one — twins and common names share
/// them. Two patients equally supported is not a link but an ambiguity for a person to
/// resolve; a misspelled name agrees on nothing here and is left to CLK (fuzzy) linkage.
public enum TokenLink {
    public enum Decision<Patient: Hashable & Sendable>: Hashable, Sendable {
        /// One patient, with the rules that agreed.
        case linked(Patient, rules: Set<TokenRule>)
        /// Several patients are supported equally.
        case ambiguous([Patient])
        /// No patient has a rule that identifies on its own.
        case unmatched
    }

    /// Rules that identify a person on their own.
    public static let identifyingRules: Set<TokenRule> = [.t2, .t3]

    /// Decides among the candidates (each with the rules on which its tokens equal the record's).
    public static func decide<Patient: Hashable & Sendable & Comparable>(_ candidates: [Patient: Set<TokenRule>]) -> Decision<Patient> {
        let qualified = candidates.filter { !$0.value.isDisjoint(with: identifyingRules) }
        guard let best = qualified.values.map(\.count).max() else { return .unmatched }
        let top = qualified.filter { $0.value.count == best }
        if top.count == 1, let winner = top.first { return .linked(winner.key, rules: winner.value) }
        return .ambiguous(top.keys.sorted())
    }
}
