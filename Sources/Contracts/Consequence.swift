import Core

/// What a measure's result triggers: money back to the payer, more money to the
/// manufacturer, or the end of installments.
///
/// Several consequences may hang off one measure, each for one result — and, for failures,
/// for one range of months after infusion, which is how outcome tiers are written ("rebate
/// 75% if hospitalized in year 1, 62.5% in year 2, 50% in year 3").
public struct Consequence: Hashable, Sendable {
    public var id: ConsequenceID
    public var measure: MeasureID
    public var when: MeasureStatus.Decided
    /// For a failure: only when it happened in these months after infusion (`from` inclusive,
    /// `to` exclusive; months 0–12 is the first year).
    public var failedWithinMonths: MonthRange?
    /// The outcome tier this consequence sets, for reporting one Medicaid best price per tier.
    public var tier: String?
    public var action: ConsequenceAction

    public init(
        id: ConsequenceID, measure: MeasureID, when: MeasureStatus.Decided, failedWithinMonths: MonthRange? = nil,
        tier: String? = nil, action: ConsequenceAction
    ) {
        self.id = id
        self.measure = measure
        self.when = when
        self.failedWithinMonths = failedWithinMonths
        self.tier = tier
        self.action = action
    }
}

/// Months after infusion, `from` inclusive and `to` exclusive.
public struct MonthRange: Hashable, Sendable {
    public var from: Int
    public var to: Int

    public init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }
}

/// The money a consequence moves.
public enum ConsequenceAction: Hashable, Sendable {
    /// The manufacturer pays back part of the price (a price concession, e.g. a Medicaid
    /// supplemental rebate).
    case rebate(ContractAmount)
    /// The manufacturer returns part of what was paid.
    case refund(ContractAmount)
    /// A warranty: `share` of the price, reduced in proportion to the whole months that
    /// passed before the failure out of `overMonths`.
    case proRatedRefund(share: Share, overMonths: Int)
    /// No installment due on or after the failure date is paid.
    case stopInstallments
    /// The payer pays the manufacturer more for a result.
    case bonus(ContractAmount)

    /// The key used in contract files.
    public var name: String {
        switch self {
        case .rebate: "rebate"
        case .refund: "refund"
        case .proRatedRefund: "proRatedRefund"
        case .stopInstallments: "stopInstallments"
        case .bonus: "bonus"
        }
    }

    /// Money going back to payers (a rebate or refund of any kind).
    var isReturn: Bool {
        switch self {
        case .rebate, .refund, .proRatedRefund: true
        default: false
        }
    }
}

/// Caps and floors on the money outcomes move for one unit.
public struct ReturnLimits: Hashable, Sendable {
    /// The most all rebates and refunds for one unit may add up to.
    public var maximumReturn: ContractAmount?
    /// The least any triggered rebate or refund may be (a late pro-rated refund is not
    /// worth the paperwork below it).
    public var minimumReturn: ContractAmount?
    /// The most all bonuses for one unit may add up to.
    public var maximumBonus: ContractAmount?

    public init(maximumReturn: ContractAmount? = nil, minimumReturn: ContractAmount? = nil, maximumBonus: ContractAmount? = nil) {
        self.maximumReturn = maximumReturn
        self.minimumReturn = minimumReturn
        self.maximumBonus = maximumBonus
    }
}

/// Part of the upfront payment the mediator holds back from the manufacturer to fund
/// refunds, released when the guarantee ends.
public struct WarrantyReserve: Hashable, Sendable {
    public var share: Share
    public var releaseAfterMonths: Int

    public init(share: Share, releaseAfterMonths: Int) {
        self.share = share
        self.releaseAfterMonths = releaseAfterMonths
    }
}

/// The mediator's fee for running the contract, per treated patient, posted at infusion.
public struct MediatorFee: Hashable, Sendable {
    /// How the fee is counted.
    public enum Basis: Hashable, Sendable {
        /// A share of the unit price, in basis points.
        case basisPoints(Int)
        case perPatient(Money)
    }

    /// Who bears the fee: taken from what the manufacturer is owed, or billed to the paying payer.
    public enum Payer: String, Hashable, Sendable, CaseIterable {
        case manufacturer
        case payer
    }

    public var basis: Basis
    public var paidBy: Payer

    public init(basis: Basis, paidBy: Payer = .manufacturer) {
        self.basis = basis
        self.paidBy = paidBy
    }

    func amount(price: Money) -> Money {
        switch basis {
        case .basisPoints(let points): price.scaled(by: Share(basisPoints: points))
        case .perPatient(let money): money
        }
    }
}

/// Who owes and who is owed when the patient changes payer during the contract.
///
/// The paying payer bears the whole price at infusion, but the benefit lasts years and the
/// patient may be with two more insurers by the time it is measured. The rule decides
/// whether the contract stays with the payer who paid, follows the patient (the new payer
/// reimbursing the old for each outcome year it benefits from), or runs through a pool the
/// mediator holds. `docs/CONTRACTS.md` gives the postings of each.
public struct Portability: Hashable, Sendable {
    /// The three ways a contract can treat a change of payer, described in `docs/CONTRACTS.md`.
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        case followsCurrentPayer
        case staysWithPayingPayer
        case mediatorPool
    }

    public var rule: Rule
    /// Outcome years over which the price is spread when value moves between payers.
    public var benefitYears: Int?

    public init(rule: Rule, benefitYears: Int? = nil) {
        self.rule = rule
        self.benefitYears = benefitYears
    }
}
