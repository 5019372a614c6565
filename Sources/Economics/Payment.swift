import Core

/// What a payer pays for one episode under one reimbursement model, line by line, and what
/// that leaves the center.
///
/// Itemised lines are the point: a coordinator negotiating a single-case agreement and a
/// payer's contracting analyst must be able to check every dollar against the terms, so each
/// line says what it pays for, the rule and the arithmetic, and its amount. Totals are exact
/// sums of the lines; nothing is rounded after the lines.
public struct Payment: Hashable, Sendable, Codable {
    /// The lines, in the order the model computed them.
    public let lines: [PaymentLine]
    /// What the payer pays: the sum of the lines. (Member cost sharing is not modelled: this
    /// is the allowed amount.)
    public let payerCost: Money
    /// What the episode costs the center: the product invoice plus every service's cost.
    public let centerCost: Money
    /// `payerCost − centerCost`; negative when the center loses money on the episode.
    public let centerMargin: Money
    /// The episode's billed charges, for reference (percent-of-charges terms read them).
    public let billedCharges: Money

    public init(lines: [PaymentLine], centerCost: Money, billedCharges: Money) {
        self.lines = lines
        self.payerCost = lines.reduce(.zero(centerCost.currency)) { $0 + $1.amount }
        self.centerCost = centerCost
        self.centerMargin = payerCost - centerCost
        self.billedCharges = billedCharges
    }
}

/// One line of a payment: what was paid for, by which rule, and how much.
public struct PaymentLine: Hashable, Sendable, Codable {
    /// What the line pays for: "Acute inpatient days", "Case rate", "Outlier".
    public var label: String
    /// The kind of service paid, when the line pays for one kind.
    public var kind: ServiceKind?
    /// The rule and its arithmetic, so a reader can check it: "9 days × $2,100.00 acute per diem".
    public var rule: String
    /// The amount, rounded (half to even, to the cent) once, here.
    public var amount: Money

    public init(label: String, kind: ServiceKind? = nil, rule: String, amount: Money) {
        self.label = label
        self.kind = kind
        self.rule = rule
        self.amount = amount
    }
}
