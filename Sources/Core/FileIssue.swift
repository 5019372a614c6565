/// One problem in a file a person handed CurePath — a contract, a criteria set, an outcome
/// export: where it is (line, column, field path) and what is wrong.
///
/// Files are fixed in an editor, not in CurePath, so the place matters as much as the
/// problem: "line 4, column 3: anchors and aliases are not allowed in criteria files". Each
/// file format collects these into its own error (`FileValidationError`, `CriteriaFileError`);
/// the edges show them through ``located``.
public struct FileIssue: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// 1-based line; `nil` for the file as a whole (too large, empty).
    public var line: Int?
    /// 1-based column, in characters, where the reader knows it (YAML and expressions do;
    /// CSV rows do not).
    public var column: Int?
    /// The field, as a path into the document (`measures[1].window.months`); empty for
    /// problems with the file itself (syntax, anchors, limits).
    public var path: String
    public var problem: String
    /// The named rule that refused the input (`anchors`, `depth`, `size-limit`, `unknown-key`).
    public var rule: String?

    public init(line: Int?, column: Int? = nil, path: String = "", problem: String, rule: String? = nil) {
        self.line = line
        self.column = column
        self.path = path
        self.problem = problem
        self.rule = rule
    }

    /// `line 12, column 5`, or `nil` for the file as a whole.
    public var place: String? {
        line.map { line in "line \(line)" + (column.map { ", column \($0)" } ?? "") }
    }

    public var description: String {
        let field = path.isEmpty ? "" : "\(path): "
        return "\(place.map { "\($0): " } ?? "")\(field)\(problem)\(rule.map { " [\($0)]" } ?? "")"
    }

    /// The issue with its place in front of its field (`line 12, column 5: date`), as the
    /// API's problem documents and the CLI show it.
    public var located: ValidationError.Issue {
        let field = [place, path.isEmpty ? nil : path].compactMap { $0 }.joined(separator: ": ")
        return .init(field: field.isEmpty ? "file" : field, problem: problem, rule: rule)
    }
}
