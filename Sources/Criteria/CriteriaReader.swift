import Core
import Outcomes
import Yams

/// Reads a composed YAML document into typed values, collecting every problem with its
/// path, line and column instead of stopping at the first.
///
/// The criteria counterpart of the contract reader: accessors return `nil` after recording
/// an issue so a file with three mistakes gets three messages; numbers are read from the
/// scalar text, never from YAML's type guessing, and thresholds become exact decimals.
struct CriteriaReader {
    private(set) var issues: [CriteriaFileError.Issue] = []
    private(set) var dropped = 0

    mutating func fail(_ path: String, _ node: Node?, _ problem: String, rule: String? = nil) {
        fail(path, line: node?.mark?.line, column: node?.mark?.column, problem, rule: rule)
    }

    mutating func fail(_ path: String, line: Int?, column: Int?, _ problem: String, rule: String? = nil) {
        if issues.count < CriteriaFileError.maximumIssues {
            issues.append(.init(line: line, column: column, path: path, problem: problem, rule: rule))
        } else {
            dropped += 1
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The fields of a mapping, refusing keys not in `allowed` (with a did-you-mean hint)
    /// and reporting missing `required` ones. Also returns the key nodes, for their lines.
    mutating func mapping(_ node: Node, _ path: String, allowed: [String], required: [String] = []) -> [String: (key: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            fail(path, node, "must be a mapping of \(allowed.prefix(6).joined(separator: ", "))\(allowed.count > 6 ? ", …" : ""), got \(describe(node))")
            return nil
        }
        var fields: [String: (key: Node, value: Node)] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                fail(path, keyNode, "has a key that is not text")
                continue
            }
            guard allowed.contains(key) else {
                let hint = DidYouMean.closest(to: key, in: allowed).map { " (did you mean \($0)?)" } ?? ""
                fail(CriteriaReader.join(path, key), keyNode, "is not a field here\(hint); expected one of \(allowed.joined(separator: ", "))", rule: "unknown-key")
                continue
            }
            fields[key] = (keyNode, value)
        }
        for key in required where fields[key] == nil || isNull(fields[key]!.value) {
            fail(CriteriaReader.join(path, key), fields[key]?.key ?? node, "is required", rule: "required")
        }
        return fields
    }

    mutating func list(_ node: Node, _ path: String) -> [Node]? {
        guard let sequence = node.sequence else {
            fail(path, node, "must be a list, got \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    mutating func text(_ node: Node, _ path: String, maximumLength: Int = 200) -> String? {
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
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) else {
            fail(path, node, "contains a control character")
            return nil
        }
        return value
    }

    mutating func identifier<Tag>(_ node: Node, _ path: String, as type: Identifier<Tag>.Type = Identifier<Tag>.self) -> Identifier<Tag>? {
        guard let raw = text(node, path) else { return nil }
        do {
            return try Identifier<Tag>.validated(raw, field: path)
        } catch {
            fail(path, node, error.issues.first?.problem ?? "is not a valid identifier")
            return nil
        }
    }

    /// A lower-case name of letters, digits and `-` (agents, classes, pretest codes).
    mutating func name(_ node: Node, _ path: String) -> String? {
        guard let raw = text(node, path, maximumLength: 64) else { return nil }
        guard TherapyLine.isWellFormedName(raw) else {
            fail(path, node, "must be a lower-case name of letters, digits and '-', got \"\(raw.prefix(40))\"")
            return nil
        }
        return raw
    }

    /// The text of a plain scalar: a quoted `"12"` is text, and is refused where a number belongs.
    private mutating func plain(_ node: Node, _ path: String, expecting what: String) -> String? {
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

    mutating func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = plain(node, path, expecting: "a whole number") else { return nil }
        guard text.utf8.count <= 10, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) || (text.hasPrefix("-") && text.utf8.dropFirst().allSatisfy({ (0x30...0x39).contains($0) }) && text.count > 1),
            let value = Int(text)
        else {
            fail(path, node, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text.prefix(40))\"")
            return nil
        }
        guard range.contains(value) else {
            fail(path, node, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
            return nil
        }
        return value
    }

    /// An exact, non-negative decimal written without quotes (`1.5`, `50`).
    mutating func decimal(_ node: Node, _ path: String) -> ExactDecimal? {
        guard let text = plain(node, path, expecting: "a number") else { return nil }
        switch ExactDecimal.parse(text) {
        case .success(let value):
            guard value >= ExactDecimal(significand: 0, scale: 0) else {
                fail(path, node, "must not be negative, got \(text)")
                return nil
            }
            return value
        case .failure(let failure):
            fail(path, node, "\(failure), got \"\(text.prefix(40))\"")
            return nil
        }
    }

    mutating func date(_ node: Node, _ path: String) -> CalendarDate? {
        guard let text = text(node, path) else { return nil }
        guard let date = CalendarDate(iso8601: text) else {
            fail(path, node, "must be a calendar date as YYYY-MM-DD, got \"\(text.prefix(40))\"")
            return nil
        }
        return date
    }

    mutating func choice(_ node: Node, _ path: String, among choices: [String]) -> String? {
        guard let text = text(node, path) else { return nil }
        guard choices.contains(text) else {
            let hint = DidYouMean.closest(to: text, in: choices).map { " (did you mean \($0)?)" } ?? ""
            fail(path, node, "must be one of \(choices.joined(separator: ", ")), got \"\(text.prefix(40))\"\(hint)")
            return nil
        }
        return text
    }

    /// A list of values read by `item`, or a single value standing for a list of one.
    mutating func values<T>(_ node: Node, _ path: String, _ item: (inout CriteriaReader, Node, String) -> T?) -> [T]? {
        guard let nodes = list(node, path) else { return nil }
        var result: [T] = []
        var ok = true
        for (index, element) in nodes.enumerated() {
            if let value = item(&self, element, "\(path)[\(index)]") { result.append(value) } else { ok = false }
        }
        return ok ? result : nil
    }

    func describe(_ node: Node) -> String {
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        if isNull(node) { return "nothing" }
        return "\"\(node.scalar?.string.prefix(40) ?? "")\""
    }
}
