import Core

/// Why a criteria file was refused: every problem found, each with its line, column and
/// the field it concerns.
///
/// Like contract files (``Outcomes/FileValidationError``), but with a column: criteria hold
/// expressions, and "line 31, column 24: unknown fact 'labs.lvfe'" points at the typo where
/// a line alone would not.
public struct CriteriaFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem in a criteria file, with its line, column and field.
    public typealias Issue = FileIssue

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
        ValidationError(issues: issues.map(\.located))
    }
}
