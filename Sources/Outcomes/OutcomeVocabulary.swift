import Core

/// The codes an outcome file may use: the ``OutcomeDictionary``'s, and those the filed
/// contracts measure on.
///
/// Contracts are measured on exact codes, so a response written `complet` or a lab test
/// written `factor-ix-activty` would be recorded, match no measure, and fail it silently.
/// Files and the API are checked against this vocabulary when they arrive. A code of five
/// characters or more that neither the dictionary nor a contract knows, but that is within two
/// edits of one that is, is a typo: refused at its line with the code meant. Everything else
/// unknown is recorded with a notice that no measure reads it: another name of a known code
/// (`cr` for `complete`), a category of the sender's own (contracts in the wild define theirs;
/// filing the contract makes its codes known), a lab value in a unit no one reads (nothing
/// converts units). Short codes are never called typos: `pd` and `nr` are two edits from many.
public struct OutcomeVocabulary: Hashable, Sendable {
    public var responses: Set<String>
    public var hospitalizationReasons: Set<String>
    /// Lab test codes, each with the units a measure or the dictionary reads it in.
    public var labUnits: [String: Set<String>]

    public init(responses: Set<String> = [], hospitalizationReasons: Set<String> = [], labUnits: [String: Set<String>] = [:]) {
        self.responses = responses
        self.hospitalizationReasons = hospitalizationReasons
        self.labUnits = labUnits
    }

    /// The dictionary's codes alone.
    public static let dictionary = OutcomeVocabulary(
        responses: Set(OutcomeDictionary.responses.map(\.code)),
        hospitalizationReasons: Set(OutcomeDictionary.hospitalizationReasons.map(\.code)),
        labUnits: Dictionary(OutcomeDictionary.labTests.map { ($0.code, [$0.unit]) }, uniquingKeysWith: { $0.union($1) }))

    /// This vocabulary and `other`'s codes.
    public func union(_ other: OutcomeVocabulary) -> OutcomeVocabulary {
        OutcomeVocabulary(
            responses: responses.union(other.responses), hospitalizationReasons: hospitalizationReasons.union(other.hospitalizationReasons),
            labUnits: labUnits.merging(other.labUnits) { $0.union($1) })
    }

    /// What the vocabulary says about one code of an event.
    public struct Finding: Sendable {
        /// Named by the field that holds the code (`value`, `reason`, `test`, `unit`).
        public var issue: ValidationError.Issue
        /// A typo or a wrong unit: the event must not be recorded. Otherwise a notice.
        public var refuses: Bool
    }

    /// Everything to say about `event`'s codes; empty when every code is known.
    public func review(_ event: OutcomeEvent) -> [Finding] {
        switch event.kind {
        case .responseAssessment:
            guard let value = event.value, !responses.contains(value) else { return [] }
            return [unknown(value, field: "value", what: "response category", table: .responses, known: responses)]
        case .hospitalization(let reason):
            guard !hospitalizationReasons.contains(reason) else { return [] }
            return [unknown(reason, field: "reason", what: "hospitalization reason", table: .hospitalizationReasons, known: hospitalizationReasons)]
        case .labValue(let test, _, let unit):
            guard let units = labUnits[test] else {
                return [unknown(test, field: "test", what: "lab test", table: .labTests, known: Set(labUnits.keys))]
            }
            guard !units.contains(unit) else { return [] }
            let expected = units.sorted().joined(separator: " or ")
            let spelling = OutcomeDictionary.labTests.first { $0.code == test && $0.unitSpellings.contains(unit) }
            let advice = spelling.map { "it is the same number in \($0.unit): write \($0.unit)" } ?? "CurePath does not convert units"
            return [Finding(issue: .init(field: "unit", problem: "'\(unit)' is recorded, but \(test) is read in \(expected), so no measure reads this value; \(advice)", rule: "unknown-unit"),
                            refuses: false)]
        default:
            return []
        }
    }

    private func unknown(_ code: String, field: String, what: String, table: OutcomeDictionary.Table, known: Set<String>) -> Finding {
        if let canonical = Self.otherName(code, in: table), known.contains(canonical) {
            return Finding(issue: .init(field: field, problem: "'\(code)' is recorded as sent, but it is another name of \(canonical), the code contracts measure on: write \(canonical)", rule: "other-name"),
                           refuses: false)
        }
        if code.count >= 5, let meant = OutcomeDictionary.didYouMean(code, in: table), known.contains(meant) {
            return Finding(issue: .init(field: field, problem: "'\(code)' is not a \(what) CurePath knows; did you mean \(meant)? (docs/OUTCOME_CODES.md)", rule: "known-code"),
                           refuses: true)
        }
        return Finding(issue: .init(field: field, problem: "'\(code)' is not a \(what) in the outcome code dictionary or any filed contract: it is recorded, but no contract measure reads it", rule: "unknown-code"),
                       refuses: false)
    }

    /// The dictionary code `code` is a synonym of (`cr` → `complete`), if it is one.
    private static func otherName(_ code: String, in table: OutcomeDictionary.Table) -> String? {
        switch table {
        case .responses: OutcomeDictionary.lookupResponse(code)?.code
        case .hospitalizationReasons: OutcomeDictionary.lookupHospitalizationReason(code)?.code
        case .labTests: OutcomeDictionary.lookupLabTest(code)?.code
        case .infectionClasses: OutcomeDictionary.lookupInfectionClass(code)?.code
        case .kinds: nil
        }
    }
}
