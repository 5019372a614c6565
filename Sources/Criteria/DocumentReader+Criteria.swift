import Documents
import Outcomes
import Yams

/// The value types only criteria files hold: lower-case names of agents, classes and
/// pretests, and thresholds as exact, non-negative decimals written as numbers.
extension DocumentReader {
    /// A lower-case name of letters, digits and `-` (agents, classes, pretest codes).
    mutating func name(_ node: Node, _ path: String) -> String? {
        guard let raw = text(node, path, maximumLength: 64) else { return nil }
        guard TherapyLine.isWellFormedName(raw) else {
            fail(path, node, "must be a lower-case name of letters, digits and '-', got \"\(raw.prefix(40))\"")
            return nil
        }
        return raw
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
}
