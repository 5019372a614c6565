import Core
import Documents
import Outcomes
import Yams

/// The value types only contract files hold: shares of the price, amounts of money, exact
/// decimals written as text, and outcome codes.
extension DocumentReader {
    mutating func share(_ node: Node, _ path: String) -> Share? {
        guard let text = text(node, path) else { return nil }
        switch Share.parse(text) {
        case .success(let share): return share
        case .failure(let failure):
            fail(path, node, "\(failure.problem), got \"\(text.prefix(40))\"", rule: failure == .overWhole ? "percentage" : nil)
            return nil
        }
    }

    mutating func money(_ node: Node, _ path: String) -> Money? {
        guard let text = text(node, path) else { return nil }
        switch MoneyText.parse(text) {
        case .success(let money): return money
        case .failure(let failure):
            fail(path, node, "\(failure.problem), got \"\(text.prefix(40))\"", rule: failure == .negative ? "negative" : nil)
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
            fail(path, node, "\(failure), got \"\(text.prefix(40))\"")
            return nil
        }
    }

    /// Codes (response categories, reasons, tests) must be spelled as outcome events spell
    /// them, or a measure would silently never match.
    static func code(_ text: String, _ path: String, _ reader: inout DocumentReader, _ node: Node) -> String? {
        let allowed = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
        guard allowed, text.utf8.count <= 64 else {
            reader.fail(path, node, "must be a code of lowercase letters, digits, '-', '_' or '.' as outcome events write it, got \"\(text.prefix(40))\"")
            return nil
        }
        return text
    }
}
