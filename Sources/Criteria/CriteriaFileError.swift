import Core

/// Why a criteria file was refused: every problem found, each with its line, column and
/// the field it concerns.
///
/// Like contract files (``Outcomes/FileValidationError``), but with a column: criteria hold
/// expressions, and "line 31, column 24: unknown fact 'labs.lvfe'" points at the typo where
/// a line alone would not.
public struct CriteriaFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem in a criteria file.
    public struct Issue: Sendable, Equatable, Codable, CustomStringConvertible {
        /// 1-based line; `nil` for the file as a whole.
        public var line: Int?
        /// 1-based column, where the YAML parser or the expression parser knows it.
        public var column: Int?
        /// The field, as a path into the document (`criteria.organFunction.lvef.atLeast`).
        public var path: String
        public var problem: String
        /// The named rule that refused the input (`unknown-key`, `required`, `expression`, `syntax`).
        public var rule: String?

        public init(line: Int?, column: Int? = nil, path: String, problem: String, rule: String? = nil) {
            self.line = line
            self.column = column
            self.path = path
            self.problem = problem
            self.rule = rule
        }

        public var description: String {
            let place = line.map { line in "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": " } ?? ""
            let field = path.isEmpty ? "" : "\(path): "
            return "\(place)\(field)\(problem)\(rule.map { " [\($0)]" } ?? "")"
        }
    }

    public var issues: [Issue]

    public init(issues: [Issue]) { self.issues = issues }

    public init(line: Int?, column: Int? = nil, path: String, problem: String, rule: String? = nil) {
        issues = [Issue(line: line, column: column, path: path, problem: problem, rule: rule)]
    }

    /// Most issues listed; the first few hundred are enough to fix a file.
    public static let maximumIssues = 200

    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// The same problems in the shape every edge already presents (`line 12, column 5: path`).
    public var validationError: ValidationError {
        ValidationError(
            issues: issues.map { issue in
                let place = issue.line.map { line in "line \(line)" + (issue.column.map { ", column \($0)" } ?? "") }
                let field = [place, issue.path.isEmpty ? nil : issue.path].compactMap { $0 }.joined(separator: ": ")
                return .init(field: field.isEmpty ? "file" : field, problem: issue.problem, rule: issue.rule)
            }
        )
    }
}
