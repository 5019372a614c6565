/// Why FHIR input was refused: every problem found, each with the JSON path it concerns.
///
/// A health system's interface team fixes their feed from this message, so each issue names
/// the element exactly as it sits in their JSON (`entry[3].resource.valueQuantity.value`)
/// and says what is wrong in a sentence. Problems are collected rather than stopping at the
/// first, so one round trip shows them all.
public struct FHIRError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem in the input.
    public struct Issue: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Where: a JSON path into the input (`entry[3].resource.status`), `$` for the whole document.
        public var path: String
        /// What is wrong, in words.
        public var problem: String

        public init(path: String, problem: String) {
            self.path = path
            self.problem = problem
        }

        public var description: String { "\(path): \(problem)" }
    }

    /// Beyond this many issues a message stops helping; the rest are counted.
    static let maximumIssues = 50

    public var issues: [Issue]

    public init(issues: [Issue]) {
        if issues.count > FHIRError.maximumIssues {
            let more = issues.count - FHIRError.maximumIssues + 1
            self.issues = Array(issues.prefix(FHIRError.maximumIssues - 1)) + [Issue(path: "$", problem: "and \(more) more problems")]
        } else {
            self.issues = issues
        }
    }

    public init(path: String, problem: String) { issues = [Issue(path: path, problem: problem)] }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
