import Core
import Foundation

/// Filing a contract or a criteria set by uploading its file (or pasting its text), and —
/// when the reader refuses it — every problem against the line it is on, the line itself
/// shown with a mark under the column, so the operator can fix the file in their editor.
struct DocumentFilingPage {
    /// What kind of file the page files.
    enum Kind {
        case contract, criteriaSet

        var title: String { self == .contract ? "File a contract" : "File a criteria set" }
        var path: String { self == .contract ? "/contracts" : "/criteria-sets" }
        var noun: String { self == .contract ? "contract" : "criteria set" }
    }

    /// One problem, placed in the file.
    struct Problem {
        var place: String
        var field: String
        var problem: String
        var line: Int?
        /// The offending line of the file, cut to a readable length.
        var excerpt: String?
        /// Spaces then a caret under the column, when the reader knows it.
        var marker: String?
    }

    static let shownProblems = 50
    static let excerptLength = 160

    var session = PageSession.current
    var title: String
    var noun: String
    var action: String
    var lede: String
    var notice: String?
    var problems: [Problem]
    var hasProblems: Bool
    /// "And 12 more", when more problems were found than are shown.
    var moreProblems: String?
    var text: String
    var fileName: String?
    /// A form-level error that is not about a line of the file (no file chosen).
    var error: String?

    init(_ kind: Kind, lede: String, notice: String? = nil, issues: [FileIssue] = [], document: [UInt8] = [], fileName: String? = nil, error: String? = nil) {
        title = kind.title
        noun = kind.noun
        action = kind.path
        self.lede = lede
        self.notice = notice
        // "\r\n" is one Character in Swift: lines are split on the bytes' own line ends.
        let lines = issues.isEmpty ? [] : String(decoding: document, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        problems = issues.prefix(Self.shownProblems).map { issue in
            var excerpt: String?
            var marker: String?
            if let line = issue.line, line >= 1, line <= lines.count {
                let text = lines[line - 1].replacingOccurrences(of: "\t", with: " ")
                excerpt = String(text.prefix(Self.excerptLength)) + (text.count > Self.excerptLength ? " …" : "")
                if let column = issue.column, column >= 1, column <= Self.excerptLength + 1 {
                    marker = String(repeating: " ", count: column - 1) + "^"
                }
            }
            return Problem(place: issue.place ?? "the whole file", field: issue.path, problem: issue.problem, line: issue.line,
                           excerpt: excerpt, marker: marker)
        }
        hasProblems = !problems.isEmpty
        moreProblems = issues.count > Self.shownProblems ? "And \(issues.count - Self.shownProblems) more; fix these first." : nil
        // A pasted document comes back in the box to be fixed; an uploaded one is fixed in the editor.
        text = fileName == nil ? String(decoding: document, as: UTF8.self) : ""
        self.fileName = fileName
        self.error = error
    }
}
