import Core

/// One payment a center expects for a case: an amount and when it comes.
///
/// Usually one per case (the total a reimbursement model computes); two when a carved-out
/// product is billed on its own claim with its own timing.
public struct Receipt: Hashable, Sendable, Codable {
    /// What the payment is for: "Case rate claim", "Carved-out product".
    public var label: String
    public var amount: Money
    public var timing: ClaimTiming

    public init(label: String, amount: Money, timing: ClaimTiming) {
        self.label = label
        self.amount = amount
        self.timing = timing
    }
}
