import Core

/// Whether one criterion holds for a patient.
public enum CriterionStatus: String, Hashable, Sendable, Codable {
    case met
    case notMet = "not-met"
    /// A fact or test the criterion needs is missing or too old; the result names it.
    case unknown
}

/// A fact the evaluation read, shown beside the verdict so a reviewer can check it.
public struct Evidence: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The fact's name as expressions and results use it (`labs.lvef`, `age`, `pretests.echo`).
    public var fact: String
    public var value: String
    /// When the fact was observed; `nil` for derived facts such as age.
    public var date: CalendarDate?

    public init(fact: String, value: String, date: CalendarDate? = nil) {
        self.fact = fact
        self.value = value
        self.date = date
    }

    public var description: String { "\(fact) = \(value)" + (date.map { " (\($0))" } ?? "") }
}

/// Exactly what is missing for an unknown criterion to be decided.
public struct MissingItem: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A clinical fact that was never recorded (birth date, LVEF, an exclusion assessment).
        case fact
        /// A fact recorded too long ago for the criterion.
        case stale
        /// A pretest not done, or done too long ago.
        case pretest
    }

    public var kind: Kind
    /// The fact or test (`labs.lvef`, `birthDate`, `pretests.echo`).
    public var name: String
    /// The earliest date a new result would count, for stale facts and pretests with a freshness limit.
    public var neededOnOrAfter: CalendarDate?
    /// What to do, in a sentence.
    public var detail: String

    public init(kind: Kind, name: String, neededOnOrAfter: CalendarDate? = nil, detail: String) {
        self.kind = kind
        self.name = name
        self.neededOnOrAfter = neededOnOrAfter
        self.detail = detail
    }

    public var description: String { "\(name): \(detail)" }
}

/// One criterion's result for one patient.
public struct CriterionResult: Hashable, Sendable, Codable {
    public var key: String
    /// The requirement in words (`lvef ≥ 50 %`).
    public var requirement: String
    public var status: CriterionStatus
    public var evidence: [Evidence]
    /// Empty unless `status` is unknown.
    public var missing: [MissingItem]
    /// The criterion's line in its file, when it came from one.
    public var line: Int?

    public init(key: String, requirement: String, status: CriterionStatus, evidence: [Evidence] = [], missing: [MissingItem] = [], line: Int? = nil) {
        self.key = key
        self.requirement = requirement
        self.status = status
        self.evidence = evidence
        self.missing = missing
        self.line = line
    }
}
