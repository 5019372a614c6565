import Core

extension OutcomeKind {
    /// A kind's details as the flat text fields of files, the API and the database.
    ///
    /// Files, the JSON API and stored rows all spell an event the same flat way (`kind` plus
    /// `reason`, `test`, `value`, `unit`, `grade`), so turning those fields back into a kind
    /// happens here once: every reader accepts and refuses exactly the same events.
    public struct Details: Hashable, Sendable {
        public var reason: String?
        public var test: String?
        public var value: String?
        public var unit: String?
        public var grade: String?

        public init(reason: String? = nil, test: String? = nil, value: String? = nil, unit: String? = nil, grade: String? = nil) {
            self.reason = reason
            self.test = test
            self.value = value
            self.unit = unit
            self.grade = grade
        }
    }

    /// What reading a kind from its code and details gave: the kind and the event's own
    /// `value` (a lab value's number belongs to the kind), or every field that is wrong,
    /// named as the JSON file spells it.
    public struct Reading: Sendable {
        public var kind: OutcomeKind?
        public var value: String?
        public var issues: [ValidationError.Issue]
    }

    /// Builds a kind from its code and flat details.
    public static func reading(_ code: OutcomeKindCode, _ details: Details) -> Reading {
        var issues: [ValidationError.Issue] = []
        var grade: Int?
        if let text = details.grade {
            if let number = Int(text), grades.contains(number) {
                grade = number
            } else {
                issues.append(.init(field: "grade", problem: "must be a whole number from 1 to 5, got \"\(text.prefix(40))\""))
            }
            if ![.cytokineReleaseSyndrome, .neurotoxicity, .infection].contains(code) {
                issues.append(.init(field: "grade", problem: "applies only to crs, icans and infection, not \(code.rawValue)"))
            }
        } else if code == .cytokineReleaseSyndrome || code == .neurotoxicity {
            issues.append(.init(field: "grade", problem: "is required for \(code.rawValue): the worst grade, 1 to 5"))
        }
        var value = details.value
        var kind: OutcomeKind?
        switch code {
        case .responseAssessment: kind = .responseAssessment
        case .transfusion: kind = .transfusion
        case .death: kind = .death
        case .subsequentTherapy: kind = .subsequentTherapy
        case .lostToFollowUp: kind = .lostToFollowUp
        case .enteredInError: kind = .enteredInError
        case .cytokineReleaseSyndrome: kind = grade.map { .cytokineReleaseSyndrome(grade: $0) }
        case .neurotoxicity: kind = grade.map { .neurotoxicity(grade: $0) }
        case .infection: kind = .infection(grade: grade)
        case .hospitalization:
            if let reason = details.reason {
                kind = .hospitalization(reason: reason)
            } else {
                issues.append(.init(field: "reason", problem: "is required for a hospitalization: the coded reason, e.g. vaso-occlusive-event"))
            }
        case .labValue:
            if details.test == nil { issues.append(.init(field: "test", problem: "is required for a lab value: the test, e.g. factor-ix-activity")) }
            if details.unit == nil { issues.append(.init(field: "unit", problem: "is required for a lab value, e.g. % or IU/dL")) }
            var number: ExactDecimal?
            if let text = details.value {
                switch ExactDecimal.parse(text) {
                case .success(let parsed): number = parsed
                case .failure(let failure): issues.append(.init(field: "value", problem: "\(failure) (got \"\(text.prefix(40))\")"))
                }
            } else {
                issues.append(.init(field: "value", problem: "is required for a lab value: the result as a decimal number"))
            }
            if let test = details.test, let unit = details.unit, let number { kind = .labValue(test: test, value: number, unit: unit) }
            value = nil
        }
        if code != .labValue, details.test != nil || details.unit != nil {
            issues.append(.init(field: details.test != nil ? "test" : "unit", problem: "applies only to lab-value, not \(code.rawValue)"))
        }
        if code != .hospitalization, details.reason != nil {
            issues.append(.init(field: "reason", problem: "applies only to hospitalization, not \(code.rawValue)"))
        }
        return Reading(kind: issues.isEmpty ? kind : nil, value: value, issues: issues)
    }
}
