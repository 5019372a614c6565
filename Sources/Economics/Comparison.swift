import Core
import Foundation

/// A reimbursement model with the name a table shows for it ("Acme case rate $450k").
public struct NamedModel: Hashable, Sendable, Codable {
    public var name: String
    public var model: ReimbursementModel

    public init(_ name: String, _ model: ReimbursementModel) {
        self.name = name
        self.model = model
    }

    /// Refuses empty and repeated names, and any invalid model, naming `models[i]`.
    static func check(_ models: [NamedModel], currency: Currency) throws(ValidationError) {
        var issues: [ValidationError.Issue] = []
        var seen: Set<String> = []
        if models.isEmpty { issues.append(.init(field: "models", problem: "must list at least one model")) }
        for (index, named) in models.enumerated() {
            if named.name.trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(.init(field: "models[\(index)].name", problem: "must not be empty"))
            } else if !seen.insert(named.name).inserted {
                issues.append(.init(field: "models[\(index)].name", problem: "\"\(named.name)\" is used twice"))
            }
            named.model.check(field: "models[\(index)]", currency: currency, into: &issues)
        }
        try AmountCheck.finish(issues)
    }
}

/// One episode priced under several models side by side: what each would cost the payer and
/// leave the center.
///
/// The table a coordinator brings to a single-case agreement negotiation ("your case rate
/// leaves us $61,000 short; a carve-out with this per diem leaves us whole"), and the one a
/// payer's analyst uses to answer.
public struct Comparison: Hashable, Sendable, Codable {
    public let episode: Episode
    /// One row per model, in the order given.
    public let rows: [Row]

    /// One model's result.
    public struct Row: Hashable, Sendable, Codable {
        public let name: String
        public let model: ReimbursementModel
        public let payment: Payment
    }

    /// Prices `episode` under every model. Validates everything first: names must be distinct.
    public init(episode: Episode, models: [NamedModel]) throws(ValidationError) {
        let episode = try episode.validated()
        try NamedModel.check(models, currency: episode.currency)
        let billable = episode.billable
        self.episode = episode
        self.rows = models.map { named in
            Row(
                name: named.name, model: named.model,
                payment: Payment(lines: named.model.lines(for: billable), centerCost: episode.totalCost, billedCharges: episode.totalCharges)
            )
        }
    }

    /// The row whose payment leaves the center the most (the first on a tie).
    public var bestForCenter: Row? {
        rows.reduce(nil) { best, row in best.map { row.payment.centerMargin > $0.payment.centerMargin ? row : $0 } ?? row }
    }
    /// The row that costs the payer the least (the first on a tie).
    public var cheapestForPayer: Row? {
        rows.reduce(nil) { best, row in best.map { row.payment.payerCost < $0.payment.payerCost ? row : $0 } ?? row }
    }
}
