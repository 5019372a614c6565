import Outcomes

/// One requirement of a criteria set, under a key that is the same in every set that has
/// it (`age`, `organ.lvef`, `pretest.echo`), so a payer's criterion can be lined up with
/// the regional standard's.
public struct Criterion: Hashable, Sendable {
    public var rule: CriterionRule
    /// 1-based line of the criterion in its file, for pointing reviewers at it; `nil` when built in code.
    public var line: Int?

    public init(_ rule: CriterionRule, line: Int? = nil) {
        self.rule = rule
        self.line = line
    }

    public var key: String { rule.key }

    public static func == (lhs: Criterion, rhs: Criterion) -> Bool { lhs.rule == rhs.rule }
    public func hash(into hasher: inout Hasher) { hasher.combine(rule) }
}

/// The kinds of requirement the format knows, each with its parameters.
public enum CriterionRule: Hashable, Sendable, CustomStringConvertible {
    /// At least one diagnosis whose code is one of `codes` or starts with one of `prefixes`
    /// (both compared upper case without the dot).
    case diagnosis(codes: [String], prefixes: [String])
    case priorLines(PriorLinesRule)
    /// Age in whole years on the evaluation date, bounds inclusive.
    case age(minimum: Int?, maximum: Int?)
    /// Latest ECOG score at most `maximum`, assessed within `withinDays` when given.
    case ecog(maximum: Int, withinDays: Int?)
    case organ(OrganThreshold)
    /// The exclusion must be assessed and absent.
    case exclusion(ExclusionKind)
    /// The pretest must have been done within `withinDays` days before the evaluation date.
    case pretest(code: String, withinDays: Int)
    /// Anything else, as a boolean expression over facts; `name` keys it.
    case expression(name: String, CriteriaExpression)

    public var key: String {
        switch self {
        case .diagnosis: "diagnosis"
        case .priorLines: "priorLines"
        case .age: "age"
        case .ecog: "ecog"
        case .organ(let threshold): "organ.\(threshold.lab.rawValue)"
        case .exclusion(let kind): "exclusion.\(kind.rawValue)"
        case .pretest(let code, _): "pretest.\(code)"
        case .expression(let name, _): "expr.\(name)"
        }
    }

    /// The requirement in a line a coordinator can read.
    public var description: String {
        switch self {
        case .diagnosis(let codes, let prefixes):
            let all = codes + prefixes.map { "\($0)*" }
            return "diagnosis is one of \(all.joined(separator: ", "))"
        case .priorLines(let rule): return rule.description
        case .age(let minimum, let maximum):
            switch (minimum, maximum) {
            case let (low?, high?): return "age \(low) to \(high)"
            case let (low?, nil): return "age at least \(low)"
            case let (nil, high?): return "age at most \(high)"
            case (nil, nil): return "any age"
            }
        case .ecog(let maximum, let within):
            return "ECOG at most \(maximum)" + (within.map { ", assessed within \($0) days" } ?? "")
        case .organ(let threshold): return threshold.description
        case .exclusion(let kind): return "no \(kind.rawValue)"
        case .pretest(let code, let within): return "\(code) done within \(within) days"
        case .expression(_, let expression): return expression.source
        }
    }
}

/// Prior lines of therapy: how many, which agents or classes, and how recently the disease
/// proved refractory or relapsed.
public struct PriorLinesRule: Hashable, Sendable, CustomStringConvertible {
    public var minimum: Int?
    /// Every one of these agents must appear in some prior line.
    public var requiredAgents: [String]
    /// Every one of these classes must appear in some prior line.
    public var requiredClasses: [String]
    /// Some line ended refractory or relapsed within this many months before the evaluation date.
    public var refractoryOrRelapsedWithinMonths: Int?

    public init(minimum: Int? = nil, requiredAgents: [String] = [], requiredClasses: [String] = [], refractoryOrRelapsedWithinMonths: Int? = nil) {
        self.minimum = minimum
        self.requiredAgents = requiredAgents
        self.requiredClasses = requiredClasses
        self.refractoryOrRelapsedWithinMonths = refractoryOrRelapsedWithinMonths
    }

    public var description: String {
        var parts: [String] = []
        if let minimum { parts.append("at least \(minimum) prior lines") }
        if !requiredAgents.isEmpty { parts.append("including \(requiredAgents.joined(separator: ", "))") }
        if !requiredClasses.isEmpty { parts.append("including classes \(requiredClasses.joined(separator: ", "))") }
        if let months = refractoryOrRelapsedWithinMonths { parts.append("refractory or relapsed within \(months) months") }
        return parts.isEmpty ? "any prior therapy" : parts.joined(separator: "; ")
    }
}

/// A bound on one organ-function measurement.
public struct OrganThreshold: Hashable, Sendable, CustomStringConvertible {
    public enum Bound: String, Hashable, Sendable {
        case atLeast
        case atMost
    }

    public var lab: LabCode
    public var bound: Bound
    public var value: ExactDecimal
    /// How old the measurement may be on the evaluation date; `nil` for any age.
    public var withinDays: Int?

    public init(lab: LabCode, bound: Bound, value: ExactDecimal, withinDays: Int? = nil) {
        self.lab = lab
        self.bound = bound
        self.value = value
        self.withinDays = withinDays
    }

    public func isSatisfied(by measured: ExactDecimal) -> Bool {
        bound == .atLeast ? measured >= value : measured <= value
    }

    public var description: String {
        "\(lab.rawValue) \(bound == .atLeast ? "≥" : "≤") \(value) \(lab.unit)" + (withinDays.map { ", measured within \($0) days" } ?? "")
    }
}
