/// When a payment for a case arrives: a claim submitted some days after discharge (or
/// infusion), paid after the payer's typical days-to-pay.
///
/// The gap between buying a product and being paid for it is what a center must finance;
/// these three numbers are where that gap comes from, and the ones a center can negotiate
/// (prompt-pay clauses) or improve (submitting faster).
public struct ClaimTiming: Hashable, Sendable, Codable {
    /// The event the claim waits for.
    public var anchor: Anchor
    /// Days from the anchor to submitting the claim (coding, documentation, invoice attached).
    public var submitAfterDays: Int
    /// The payer's typical days from submission to payment.
    public var daysToPay: Int

    public init(anchor: Anchor = .discharge, submitAfterDays: Int, daysToPay: Int) {
        self.anchor = anchor
        self.submitAfterDays = submitAfterDays
        self.daysToPay = daysToPay
    }

    public enum Anchor: String, Hashable, Sendable, Codable {
        /// Inpatient claims are submitted after discharge.
        case discharge
        /// Outpatient infusions, and carved-out products some payers pay on infusion.
        case infusion
    }

    /// Days from infusion to payment for `episode`.
    func paymentDay(for episode: Episode) -> Int {
        (anchor == .discharge ? episode.dischargeDay : 0) + submitAfterDays + daysToPay
    }
}
