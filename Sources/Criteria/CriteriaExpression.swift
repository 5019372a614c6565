import Outcomes

/// A small, typed expression for criteria the format has no field for
/// (`labs.ldh <= 2 * uln.ldh`): comparisons, `and`/`or`/`not`, `+ - *`, exact decimal
/// literals and references to facts.
///
/// Deliberately small: no functions, no division, no variables, so a payer's medical
/// director can read every criterion and evaluation is a walk over a few nodes. It is
/// type-checked when the file is read — a number where a condition belongs, or a fact that
/// does not exist, is refused with its column — so a criterion can never fail at
/// evaluation time for any patient.
public struct CriteriaExpression: Hashable, Sendable, CustomStringConvertible {
    /// The text as written, shown to reviewers and compared when sets are lined up.
    public let source: String
    public let root: ExpressionNode

    /// Parses and type-checks `source`; the whole expression must be a condition.
    public static func parse(_ source: String) -> Result<CriteriaExpression, ExpressionError> {
        var parser = ExpressionParser(source)
        do throws(ExpressionError) {
            let (node, type) = try parser.parseExpression()
            try parser.expectEnd()
            guard type == .boolean else {
                throw ExpressionError(column: 1, problem: "must be a condition (a comparison, and, or, not), but the whole expression is a number")
            }
            return .success(CriteriaExpression(source: source, root: node))
        } catch {
            return .failure(error)
        }
    }

    public var description: String { source }

    /// Every fact the expression reads, in order of first use.
    public var facts: [FactReference] {
        var found: [FactReference] = []
        func walk(_ node: ExpressionNode) {
            switch node {
            case .number, .boolean: break
            case .fact(let fact): if !found.contains(fact) { found.append(fact) }
            case .not(let inner): walk(inner)
            case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b): walk(a); walk(b)
            }
        }
        walk(root)
        return found
    }
}

/// Why an expression was refused, and where: `column` is 1-based within the expression text.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var problem: String

    public init(column: Int, problem: String) {
        self.column = column
        self.problem = problem
    }

    public var description: String { "column \(column): \(problem)" }
}

/// The two types an expression can have.
public enum ExpressionType: String, Sendable, Hashable {
    case number
    case boolean = "condition"
}

/// One node of a parsed expression.
public indirect enum ExpressionNode: Hashable, Sendable {
    case number(ExactDecimal)
    case boolean(Bool)
    case fact(FactReference)
    case not(ExpressionNode)
    case and(ExpressionNode, ExpressionNode)
    case or(ExpressionNode, ExpressionNode)
    case compare(Comparison, ExpressionNode, ExpressionNode)
    case arithmetic(ArithmeticOperator, ExpressionNode, ExpressionNode)
}

public enum Comparison: String, Hashable, Sendable, CaseIterable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

    func holds(_ a: ExactDecimal, _ b: ExactDecimal) -> Bool {
        switch self {
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        case .equal: a == b
        case .notEqual: a != b
        }
    }
}

public enum ArithmeticOperator: String, Hashable, Sendable {
    case plus = "+", minus = "-", times = "*"
}

/// A fact an expression may read. The list is closed so that a misspelt fact is an error
/// when the file is read, not an "unknown" for every patient.
public enum FactReference: Hashable, Sendable, CustomStringConvertible {
    /// Age in whole years on the evaluation date.
    case age
    /// Latest ECOG score.
    case ecog
    /// Number of prior lines of therapy.
    case priorLines
    /// Latest value of a lab.
    case lab(LabCode)
    /// Upper limit of normal reported with the latest value of a lab.
    case upperLimitOfNormal(LabCode)
    /// Whether an exclusion is present (a condition).
    case exclusion(ExclusionKind)

    public var type: ExpressionType {
        if case .exclusion = self { return .boolean }
        return .number
    }

    /// The name as written in an expression (`labs.ldh`, `uln.ldh`, `exclusions.activeInfection`).
    public var description: String {
        switch self {
        case .age: "age"
        case .ecog: "ecog"
        case .priorLines: "priorLines"
        case .lab(let code): "labs.\(code.rawValue)"
        case .upperLimitOfNormal(let code): "uln.\(code.rawValue)"
        case .exclusion(let kind): "exclusions.\(kind.rawValue)"
        }
    }

    /// Every name an expression may use, for error messages and the documentation.
    public static var allNames: [String] {
        ["age", "ecog", "priorLines"] + LabCode.knownNames.map { "labs.\($0)" } + LabCode.knownNames.map { "uln.\($0)" }
            + ExclusionKind.allCases.map { "exclusions.\($0.rawValue)" }
    }

    public init?(name: String) {
        switch name {
        case "age": self = .age
        case "ecog": self = .ecog
        case "priorLines": self = .priorLines
        default:
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let code = LabCode(rawValue: String(parts[1]))
            switch parts[0] {
            case "labs" where code.isKnown: self = .lab(code)
            case "uln" where code.isKnown: self = .upperLimitOfNormal(code)
            case "exclusions":
                guard let kind = ExclusionKind(rawValue: String(parts[1])) else { return nil }
                self = .exclusion(kind)
            default: return nil
            }
        }
    }
}
