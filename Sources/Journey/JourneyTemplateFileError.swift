import Core

/// Why a journey template file was refused: every problem found, each with its line, column
/// and the field it concerns (`stages[4].waitsFor[1].stage`), as criteria files report them.
public struct JourneyTemplateFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [FileIssue]

    public init(issues: [FileIssue]) { self.issues = issues }

    /// Most issues listed; the first few hundred are enough to fix a file.
    public static let maximumIssues = 200

    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// The same problems in the shape every edge already presents (`line 12, column 5: path`).
    public var validationError: ValidationError {
        ValidationError(issues: issues.map(\.located))
    }
}
