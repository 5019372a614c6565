import Core
import Yams

/// The one way CurePath reads YAML (and JSON, which is YAML) that a person uploaded:
/// contract files, criteria files, and any document format added later.
///
/// Files are hostile until checked. In order, and stopping at the first problem: the size
/// against ``DocumentLimits/maximumBytes``; then one linear pass over libyaml's events
/// (``YAMLEventScan``) that refuses anchors, aliases, merge keys, tags, keys that are not
/// text, more than one document, invalid UTF-8, control characters and syntax errors, and
/// checks depth, the number of values and each value's length — all before a node exists;
/// only then does Yams compose the tree, which is now bounded in size and depth and holds
/// no shared references to expand.
public enum YAMLDocument {
    /// The document's root node, or the first problem with its line and column.
    public static func compose(_ bytes: [UInt8], limits: DocumentLimits) throws(FileIssue) -> Node {
        guard bytes.count <= limits.maximumBytes else {
            throw FileIssue(
                line: nil,
                problem: "the file is \(DocumentLimits.describe(bytes: bytes.count)); a \(limits.documentName) may be at most \(DocumentLimits.describe(bytes: limits.maximumBytes))",
                rule: "size-limit")
        }
        let scan = YAMLEventScan(limits: limits)
        if let problem = bytes.withUnsafeBufferPointer({ scan.firstProblem(in: $0) }) { throw problem }
        // Valid UTF-8 now: libyaml's reader checked every byte.
        let text = String(decoding: bytes, as: UTF8.self)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw issue(from: error)
        } catch {
            throw FileIssue(line: nil, problem: "could not be read as YAML or JSON: \(error)", rule: "syntax")
        }
        guard let root, !isEmpty(root) else { throw FileIssue(line: nil, problem: "the file is empty", rule: "required") }
        return root
    }

    /// A file of blanks and comments composes to a null scalar.
    private static func isEmpty(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return scalar.string.isEmpty
    }

    /// What Yams still refuses after the scan: mostly a key given twice in one mapping.
    private static func issue(from error: YamlError) -> FileIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let around = context.map { " (\($0.text))" } ?? ""
            return FileIssue(line: mark.line, column: mark.column, problem: "YAML syntax: \(problem)\(around)", rule: "syntax")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return FileIssue(
                line: context.mark.line, column: context.mark.column,
                problem: "a key is given twice: \(duplicates.map { String($0.prefix(40)) }.joined(separator: ", "))", rule: "unique")
        default:
            return FileIssue(line: nil, problem: "could not be read as YAML or JSON: \(error)", rule: "syntax")
        }
    }
}
