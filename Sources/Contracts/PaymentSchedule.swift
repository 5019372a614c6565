import Core

/// How the unit price is paid: a share at infusion and the rest in installments.
///
/// Installments spread a one-time price over the years the benefit is supposed to last and
/// let the payer stop paying when it does not: each installment can wait for a measure to be
/// met (`payableIf`) and all remaining ones stop on a stop condition.
public struct PaymentSchedule: Hashable, Sendable {
    /// The share of the unit price due at infusion.
    public var upfront: Share
    public var installments: InstallmentPlan?

    public init(upfront: Share = .whole, installments: InstallmentPlan? = nil) {
        self.upfront = upfront
        self.installments = installments
    }
}

/// The part of the price not paid at infusion, paid in equal installments.
public struct InstallmentPlan: Hashable, Sendable {
    public var count: Int
    public var intervalMonths: Int
    /// Months from infusion to the first installment; the interval when not given.
    public var firstDueMonths: Int
    /// Simple annual interest on the unpaid balance, in basis points (500 = 5% a year).
    public var annualInterestBasisPoints: Int
    /// What stops every installment not yet due.
    public var stopWhen: [StopCondition]
    /// Measures that must be met before an installment is paid; an installment waits for
    /// their results and is cancelled if one is not met.
    public var payableIf: [MeasureID]

    public init(
        count: Int, intervalMonths: Int, firstDueMonths: Int? = nil, annualInterestBasisPoints: Int = 0,
        stopWhen: [StopCondition] = [], payableIf: [MeasureID] = []
    ) {
        self.count = count
        self.intervalMonths = intervalMonths
        self.firstDueMonths = firstDueMonths ?? intervalMonths
        self.annualInterestBasisPoints = annualInterestBasisPoints
        self.stopWhen = stopWhen
        self.payableIf = payableIf
    }
}

/// An event that ends the installments still to come.
public enum StopCondition: Hashable, Sendable {
    case death
    case lostToFollowUp
    case subsequentTherapy
    /// The measure's result is "not met" (from the failure date on).
    case measureNotMet(MeasureID)
}
