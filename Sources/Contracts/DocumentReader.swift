import Core
import Outcomes
import Yams

/// Reads a composed YAML document into typed values, collecting every problem with its
/// path and line instead of stopping at the first.
///
/// Each accessor returns `nil` after recording an issue, so a builder can keep going and
/// report a wrong price and an undefined measure in one reply. Values are read from the
/// scalar text, never from YAML's type guessing: `12` quoted is text, not a number, and
/// `no` is not `false`. The line of every field read is kept so that checks made after
/// parsing (dates out of order, undefined measures) can still say where the problem is.
struct DocumentReader {
    private(set) var issues: [FileValidationError.Issue] = []
    private(set) var dropped = 0
    /// The line of each path read, for checks made after parsing.
    private(set) var lines: [String: Int] = [:]

    mutating func fail(_ path: String, line: Int?, _ problem: String, rule: String? = nil) {
        if issues.count < FileValidationError.maximumIssues {
            issues.append(.init(line: line, path: path, problem: problem, rule: rule))
        } else {
            dropped += 1
        }
    }

    /// The line recorded for `path`, or for the nearest enclosing path that has one.
    func line(of path: String) -> Int? {
        var current = path
        while true {
            if let line = lines[current] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return current.isEmpty ? nil : lines[""] }
            current = String(current[..<cut])
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Structure

    /// The fields of a mapping, after refusing keys not in `allowed` and reporting missing
    /// `required` ones. Keys must be plain text.
    mutating func mapping(_ node: Node, _ path: String, allowed: [String], required: [String] = []) -> [String: Node]? {
        lines[path] = lines[path] ?? node.mark?.line
        guard let mapping = node.mapping else {
            fail(path, line: node.mark?.line, "must be a mapping of \(allowed.prefix(6).joined(separator: ", "))\(allowed.count > 6 ? ", …" : ""), got \(describe(node))")
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                fail(path, line: keyNode.mark?.line, "has a key that is not text")
                continue
            }
            let fieldPath = DocumentReader.join(path, key)
            guard allowed.contains(key) else {
                let hint = DidYouMean.closest(to: key, in: allowed).map { " (did you mean \($0)?)" } ?? ""
                fail(fieldPath, line: keyNode.mark?.line, "is not a field here\(hint); allowed: \(allowed.joined(separator: ", "))", rule: "unknown-key")
                continue
            }
            lines[fieldPath] = keyNode.mark?.line
            fields[key] = value
        }
        for key in required where fields[key] == nil || isNull(fields[key]!) {
            fail(DocumentReader.join(path, key), line: node.mark?.line, "is required", rule: "required")
        }
        return fields
    }

    mutating func list(_ node: Node, _ path: String) -> [Node]? {
        lines[path] = lines[path] ?? node.mark?.line
        guard let sequence = node.sequence else {
            fail(path, line: node.mark?.line, "must be a list, got \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Non-empty text (a quoted or plain scalar).
    mutating func text(_ node: Node, _ path: String, maximumLength: Int = 200) -> String? {
        lines[path] = lines[path] ?? node.mark?.line
        guard let scalar = node.scalar, !isNull(node) else {
            fail(path, line: node.mark?.line, "must be text, got \(describe(node))")
            return nil
        }
        let value = scalar.string
        guard !value.isEmpty else {
            fail(path, line: node.mark?.line, "must not be empty")
            return nil
        }
        guard value.count <= maximumLength else {
            fail(path, line: node.mark?.line, "is longer than \(maximumLength) characters")
            return nil
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            fail(path, line: node.mark?.line, "contains a control character")
            return nil
        }
        return value
    }

    /// An identifier: 1–64 letters, digits, `-`, `_` or `.`.
    mutating func identifier<Tag>(_ node: Node, _ path: String, as type: Identifier<Tag>.Type = Identifier<Tag>.self) -> Identifier<Tag>? {
        guard let raw = text(node, path) else { return nil }
        do {
            return try Identifier<Tag>.validated(raw, field: path)
        } catch {
            fail(path, line: node.mark?.line, error.issues.first?.problem ?? "is not a valid identifier")
            return nil
        }
    }

    /// The text of a plain (unquoted) scalar, for numbers and booleans: a quoted `"12"` is
    /// text, and JSON `"12"` is a string, so both are refused where a number is expected.
    private mutating func plain(_ node: Node, _ path: String, expecting what: String) -> String? {
        lines[path] = lines[path] ?? node.mark?.line
        guard let scalar = node.scalar, !isNull(node) else {
            fail(path, line: node.mark?.line, "must be \(what), got \(describe(node))")
            return nil
        }
        guard scalar.style == .plain || scalar.style == .any else {
            fail(path, line: node.mark?.line, "must be \(what), not quoted text")
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = plain(node, path, expecting: "a whole number") else { return nil }
        var digits = Substring(text)
        let negative = digits.hasPrefix("-")
        if negative || digits.hasPrefix("+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            fail(path, line: node.mark?.line, "must be a whole number, got \"\(text.prefix(40))\"")
            return nil
        }
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 9, let magnitude = Int(significant.isEmpty ? "0" : significant) else {
            fail(path, line: node.mark?.line, "is too large: at most \(range.upperBound)")
            return nil
        }
        let value = negative ? -magnitude : magnitude
        guard range.contains(value) else {
            let problem = value < 0 && range.lowerBound >= 0 ? "must not be negative" : "must be between \(range.lowerBound) and \(range.upperBound)"
            fail(path, line: node.mark?.line, "\(problem), got \(value)")
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node, _ path: String) -> Bool? {
        guard let text = plain(node, path, expecting: "true or false") else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            fail(path, line: node.mark?.line, "must be true or false, got \"\(text.prefix(40))\"")
            return nil
        }
    }

    mutating func date(_ node: Node, _ path: String) -> CalendarDate? {
        guard let text = text(node, path) else { return nil }
        guard let date = CalendarDate(iso8601: text) else {
            fail(path, line: node.mark?.line, "must be a calendar date as YYYY-MM-DD, got \"\(text.prefix(40))\"")
            return nil
        }
        return date
    }

    mutating func share(_ node: Node, _ path: String) -> Share? {
        guard let text = text(node, path) else { return nil }
        switch Share.parse(text) {
        case .success(let share): return share
        case .failure(let failure):
            fail(path, line: node.mark?.line, "\(failure.problem), got \"\(text.prefix(40))\"", rule: failure == .overWhole ? "percentage" : nil)
            return nil
        }
    }

    mutating func money(_ node: Node, _ path: String) -> Money? {
        guard let text = text(node, path) else { return nil }
        switch MoneyText.parse(text) {
        case .success(let money): return money
        case .failure(let failure):
            fail(path, line: node.mark?.line, "\(failure.problem), got \"\(text.prefix(40))\"", rule: failure == .negative ? "negative" : nil)
            return nil
        }
    }

    /// A share of the price (`80%`) or an amount (`1500000.00 USD`).
    mutating func amount(_ node: Node, _ path: String) -> ContractAmount? {
        guard let text = text(node, path) else { return nil }
        if text.hasSuffix("%") { return share(node, path).map(ContractAmount.share) }
        return money(node, path).map(ContractAmount.money)
    }

    mutating func decimal(_ node: Node, _ path: String) -> ExactDecimal? {
        guard let text = text(node, path) else { return nil }
        switch ExactDecimal.parse(text) {
        case .success(let value): return value
        case .failure(let failure):
            fail(path, line: node.mark?.line, "\(failure), got \"\(text.prefix(40))\"")
            return nil
        }
    }

    /// One of a fixed set of words.
    mutating func choice(_ node: Node, _ path: String, among choices: [String]) -> String? {
        guard let text = text(node, path) else { return nil }
        guard choices.contains(text) else {
            let hint = DidYouMean.closest(to: text, in: choices).map { " (did you mean \($0)?)" } ?? ""
            fail(path, line: node.mark?.line, "must be one of \(choices.joined(separator: ", ")), got \"\(text.prefix(40))\"\(hint)")
            return nil
        }
        return text
    }

    func describe(_ node: Node) -> String {
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        if isNull(node) { return "nothing" }
        return "\"\(node.scalar?.string.prefix(40) ?? "")\""
    }
}
