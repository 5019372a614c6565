import Core

/// An outlier or stop-loss provision: on top of another model, when the episode's billed
/// charges (or the center's cost) exceed a threshold, the payer also pays a percentage of
/// the excess.
///
/// A case rate or per diem fixes the payer's cost; a catastrophic episode (weeks in the ICU
/// with grade 4 CRS) can ruin the center. Stop-loss caps that risk, and where the threshold
/// sits decides who bears the tail. Above means strictly above: at the threshold exactly,
/// the excess is zero.
public struct StopLoss: Hashable, Sendable, Codable {
    /// The model that pays the episode below the threshold.
    public var base: ReimbursementModel
    /// What is compared with the threshold.
    public var basis: Basis
    public var threshold: Money
    /// The share of the excess paid.
    public var rate: Percentage

    public init(base: ReimbursementModel, basis: Basis, threshold: Money, rate: Percentage) {
        self.base = base
        self.basis = basis
        self.threshold = threshold
        self.rate = rate
    }

    /// What the threshold is measured against, over the episode the provision sees (without
    /// the product when it sits inside a carve-out).
    public enum Basis: String, Hashable, Sendable, Codable {
        /// Total billed charges.
        case charges
        /// The center's total cost.
        case cost
    }

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        let measure = basis == .charges ? episode.totalCharges : episode.totalCost
        let name = basis == .charges ? "billed charges" : "cost"
        let excess = measure - threshold
        let outlier: PaymentLine
        if excess.minorUnits > 0 {
            outlier = PaymentLine(
                label: "Stop-loss", rule: "\(rate) × (\(name) \(measure) − threshold \(threshold)) = \(rate) of \(excess)",
                amount: rate.of(excess)
            )
        } else {
            outlier = PaymentLine(label: "Stop-loss", rule: "\(name) \(measure) not above threshold \(threshold): nothing", amount: .zero(episode.currency))
        }
        return base.lines(for: episode) + [outlier]
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        AmountCheck.check(threshold, field: "\(field).threshold", currency: currency, into: &issues)
        rate.checked(atMost: Percentage(100), field: "\(field).rate", into: &issues)
        base.check(field: "\(field).base", currency: currency, into: &issues)
    }
}
