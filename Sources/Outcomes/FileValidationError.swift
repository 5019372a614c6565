import Core

/// Why an uploaded file was refused: every problem found, each with the line it is on and
/// the field it concerns.
///
/// A registry export or a contract file is fixed in an editor, not in CurePath, so the
/// person fixing it needs all the problems at once and where to find each. Parsing goes on
/// past the first problem wherever the rest of the file can still be read.
public struct FileValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem in a file, with its line and field.
    public typealias Issue = FileIssue

    public var issues: [Issue]

    public init(issues: [Issue]) { self.issues = issues }

    public init(line: Int?, path: String, problem: String, rule: String? = nil) {
        issues = [Issue(line: line, path: path, problem: problem, rule: rule)]
    }

    /// Most issues listed; a file that is wrong on every one of a million lines needs the
    /// first few hundred to be fixed, not a million-line reply.
    public static let maximumIssues = 500

    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// The same problems in the shape every edge already presents: the line goes in front of
    /// the field (`line 12: date`), so an HTTP problem document or a CLI message shows both.
    public var validationError: ValidationError {
        ValidationError(issues: issues.map(\.located))
    }
}

/// Collects issues up to the limit and notes how many more there were.
struct IssueCollector {
    private(set) var issues: [FileValidationError.Issue] = []
    private(set) var dropped = 0

    mutating func add(_ issue: FileValidationError.Issue) {
        if issues.count < FileValidationError.maximumIssues { issues.append(issue) } else { dropped += 1 }
    }

    mutating func add(line: Int?, path: String, problem: String, rule: String? = nil) {
        add(.init(line: line, path: path, problem: problem, rule: rule))
    }

    var isEmpty: Bool { issues.isEmpty }

    var isFull: Bool { issues.count >= FileValidationError.maximumIssues }

    /// The error to throw, with a last line saying that more problems were not listed.
    var error: FileValidationError {
        var all = issues
        if dropped > 0 || isFull {
            all.append(.init(line: nil, path: "", problem: "more problems may follow: only the first \(FileValidationError.maximumIssues) are listed; fix these and upload again"))
        }
        return FileValidationError(issues: all)
    }
}
