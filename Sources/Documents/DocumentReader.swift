import Core
import Yams

/// Reads a composed document (from ``YAMLDocument``) into typed values, collecting every
/// problem with its path, line and column instead of stopping at the first.
///
/// One reader for every document format, so that contract and criteria files read text,
/// numbers and dates the same way. Each accessor returns `nil` after recording an issue, so
/// a builder keeps going and reports a wrong price and an undefined measure in one reply.
/// Values are read from the scalar text, never from YAML's type guessing: `12` quoted is
/// text, not a number, and `no` is not `false`. The place of every field read is kept so
/// that checks made after reading (dates out of order, undefined measures) can still say
/// where the problem is. Formats add their own value types in extensions (money and shares
/// for contracts, lower-case names for criteria).
public struct DocumentReader {
    public private(set) var issues: [FileIssue] = []
    /// Issues past `maximumIssues`, counted but not kept.
    public private(set) var dropped = 0
    /// Most issues kept; the first few hundred are enough to fix a file.
    public let maximumIssues: Int
    /// The line and column of each path read.
    private var places: [String: Mark] = [:]

    public init(maximumIssues: Int) {
        self.maximumIssues = maximumIssues
    }

    public mutating func fail(_ path: String, line: Int?, column: Int? = nil, _ problem: String, rule: String? = nil) {
        if issues.count < maximumIssues {
            issues.append(FileIssue(line: line, column: column, path: path, problem: problem, rule: rule))
        } else {
            dropped += 1
        }
    }

    /// Records a problem at `node`'s place (or the file's, when there is no node).
    public mutating func fail(_ path: String, _ node: Node?, _ problem: String, rule: String? = nil) {
        fail(path, line: node?.mark?.line, column: node?.mark?.column, problem, rule: rule)
    }

    /// The place recorded for `path`, or for the nearest enclosing path that has one.
    public func place(of path: String) -> (line: Int, column: Int)? {
        var current = path
        while true {
            if let mark = places[current] { return (mark.line, mark.column) }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else {
                return current.isEmpty ? nil : places[""].map { ($0.line, $0.column) }
            }
            current = String(current[..<cut])
        }
    }

    private mutating func note(_ path: String, _ node: Node?) {
        if places[path] == nil, let mark = node?.mark { places[path] = mark }
    }

    public static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Every issue in file order (by line, column, then path), and a last one counting those
    /// past ``maximumIssues``: what a format reports when it refuses a file.
    public var issuesInFileOrder: [FileIssue] {
        var sorted = issues.sorted { ($0.line ?? 0, $0.column ?? 0, $0.path) < ($1.line ?? 0, $1.column ?? 0, $1.path) }
        if dropped > 0 { sorted.append(FileIssue(line: nil, path: "", problem: "\(dropped) more problems not listed")) }
        return sorted
    }

    // MARK: Structure

    /// The fields of a mapping, after refusing keys not in `allowed` (with a did-you-mean
    /// hint) and reporting missing `required` ones.
    public mutating func mapping(_ node: Node, _ path: String, allowed: [String], required: [String] = []) -> DocumentFields? {
        note(path, node)
        guard let mapping = node.mapping else {
            fail(path, node, "must be a mapping of \(allowed.prefix(6).joined(separator: ", "))\(allowed.count > 6 ? ", …" : ""), got \(describe(node))")
            return nil
        }
        var fields = DocumentFields()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                fail(path, keyNode, "has a key that is not text")
                continue
            }
            let fieldPath = DocumentReader.join(path, key)
            guard allowed.contains(key) else {
                let hint = DidYouMean.closest(to: key, in: allowed).map { " (did you mean \($0)?)" } ?? ""
                fail(fieldPath, keyNode, "is not a field here\(hint); expected one of \(allowed.joined(separator: ", "))", rule: "unknown-key")
                continue
            }
            places[fieldPath] = keyNode.mark
            fields.entries[key] = (keyNode, value)
        }
        for key in required where fields[key] == nil || isNull(fields[key]!) {
            fail(DocumentReader.join(path, key), fields.key(key) ?? node, "is required", rule: "required")
        }
        return fields
    }

    public mutating func list(_ node: Node, _ path: String) -> [Node]? {
        note(path, node)
        guard let sequence = node.sequence else {
            fail(path, node, "must be a list, got \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A list of values read by `item`, or `nil` when any of them could not be read.
    public mutating func values<T>(_ node: Node, _ path: String, _ item: (inout DocumentReader, Node, String) -> T?) -> [T]? {
        guard let nodes = list(node, path) else { return nil }
        var result: [T] = []
        var ok = true
        for (index, element) in nodes.enumerated() {
            if let value = item(&self, element, "\(path)[\(index)]") { result.append(value) } else { ok = false }
        }
        return ok ? result : nil
    }

    // MARK: Scalars

    public func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Non-empty text (a quoted or plain scalar) without control characters; line breaks
    /// only where `lineBreaks` allows them (a long expression folded over lines).
    public mutating func text(_ node: Node, _ path: String, maximumLength: Int = 200, lineBreaks: Bool = false) -> String? {
        note(path, node)
        guard let scalar = node.scalar, !isNull(node) else {
            fail(path, node, "must be text, got \(describe(node))")
            return nil
        }
        let value = scalar.string
        guard !value.isEmpty else {
            fail(path, node, "must not be empty")
            return nil
        }
        guard value.count <= maximumLength else {
            fail(path, node, "is longer than \(maximumLength) characters")
            return nil
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !(lineBreaks && $0 == "\n") }) else {
            fail(path, node, "contains a control character")
            return nil
        }
        return value
    }

    /// An identifier: 1–64 letters, digits, `-`, `_` or `.`.
    public mutating func identifier<Tag>(_ node: Node, _ path: String, as type: Identifier<Tag>.Type = Identifier<Tag>.self) -> Identifier<Tag>? {
        guard let raw = text(node, path) else { return nil }
        do {
            return try Identifier<Tag>.validated(raw, field: path)
        } catch {
            fail(path, node, error.issues.first?.problem ?? "is not a valid identifier")
            return nil
        }
    }

    /// The text of a plain (unquoted) scalar, for numbers and booleans: a quoted `"12"` is
    /// text, and JSON `"12"` is a string, so both are refused where a number is expected.
    public mutating func plain(_ node: Node, _ path: String, expecting what: String) -> String? {
        note(path, node)
        guard let scalar = node.scalar, !isNull(node) else {
            fail(path, node, "must be \(what), got \(describe(node))")
            return nil
        }
        guard scalar.style == .plain || scalar.style == .any else {
            fail(path, node, "must be \(what), not quoted text")
            return nil
        }
        return scalar.string
    }

    public mutating func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = plain(node, path, expecting: "a whole number") else { return nil }
        var digits = Substring(text)
        let negative = digits.hasPrefix("-")
        if negative || digits.hasPrefix("+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            fail(path, node, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text.prefix(40))\"")
            return nil
        }
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 9, let magnitude = Int(significant.isEmpty ? "0" : significant) else {
            fail(path, node, "is too large: at most \(range.upperBound)")
            return nil
        }
        let value = negative ? -magnitude : magnitude
        guard range.contains(value) else {
            let problem = value < 0 && range.lowerBound >= 0 ? "must not be negative" : "must be between \(range.lowerBound) and \(range.upperBound)"
            fail(path, node, "\(problem), got \(value)")
            return nil
        }
        return value
    }

    public mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        guard let text = plain(node, path, expecting: "true or false") else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            fail(path, node, "must be true or false, got \"\(text.prefix(40))\"")
            return nil
        }
    }

    public mutating func date(_ node: Node, _ path: String) -> CalendarDate? {
        guard let text = text(node, path) else { return nil }
        guard let date = CalendarDate(iso8601: text) else {
            fail(path, node, "must be a calendar date as YYYY-MM-DD, got \"\(text.prefix(40))\"")
            return nil
        }
        return date
    }

    /// One of a fixed set of words.
    public mutating func choice(_ node: Node, _ path: String, among choices: [String]) -> String? {
        guard let text = text(node, path) else { return nil }
        guard choices.contains(text) else {
            let hint = DidYouMean.closest(to: text, in: choices).map { " (did you mean \($0)?)" } ?? ""
            fail(path, node, "must be one of \(choices.joined(separator: ", ")), got \"\(text.prefix(40))\"\(hint)")
            return nil
        }
        return text
    }

    /// What a node is, in words, for "must be a list, got a mapping".
    public func describe(_ node: Node) -> String {
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        if isNull(node) { return "nothing" }
        return "\"\(node.scalar?.string.prefix(40) ?? "")\""
    }
}

/// The known fields of one mapping, each with its key node (for the key's place and the
/// order the author wrote them in) and its value.
public struct DocumentFields {
    public var entries: [String: (key: Node, value: Node)] = [:]

    /// The value of `name`, when it was given.
    public subscript(_ name: String) -> Node? { entries[name]?.value }

    /// The key node of `name`, for where it was written.
    public func key(_ name: String) -> Node? { entries[name]?.key }

    public var isEmpty: Bool { entries.isEmpty }

    /// The fields in the order they were written (JSON puts many keys on one line, so by
    /// line and then column).
    public var inFileOrder: [(name: String, key: Node, value: Node)] {
        entries.map { (name: $0.key, key: $0.value.key, value: $0.value.value) }
            .sorted { ($0.key.mark?.line ?? 0, $0.key.mark?.column ?? 0) < ($1.key.mark?.line ?? 0, $1.key.mark?.column ?? 0) }
    }
}
