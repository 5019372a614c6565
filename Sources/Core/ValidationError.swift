/// Why input was refused: one or more issues, each naming the field it concerns.
///
/// Every edge turns this into its own shape — an RFC 9457 problem document over HTTP,
/// one line on stderr in the CLI — so the domain states a problem once and each user
/// reads it where they are.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One reason input was refused.
    public struct Issue: Sendable, Equatable, Codable {
        /// Where the problem is, as a path into the input (`stage`, `events[3].date`).
        public var field: String
        /// What is wrong, in a sentence a coordinator can act on.
        public var problem: String
        /// The named domain rule that refused the input, when one did (`dependency`, `time-order`).
        public var rule: String?

        public init(field: String, problem: String, rule: String? = nil) {
            self.field = field
            self.problem = problem
            self.rule = rule
        }
    }

    public var issues: [Issue]

    public init(issues: [Issue]) { self.issues = issues }

    public init(field: String, problem: String, rule: String? = nil) {
        self.issues = [Issue(field: field, problem: problem, rule: rule)]
    }

    public var description: String {
        issues.map { issue in
            let rule = issue.rule.map { " [\($0)]" } ?? ""
            return "\(issue.field): \(issue.problem)\(rule)"
        }.joined(separator: "; ")
    }
}

/// Raised when a lookup names something that does not exist.
public struct NotFoundError: Error, Sendable, Equatable, CustomStringConvertible {
    public var entity: String
    public var id: String

    public init(entity: String, id: String) {
        self.entity = entity
        self.id = id
    }

    public var description: String { "\(entity) '\(id)' does not exist" }
}
