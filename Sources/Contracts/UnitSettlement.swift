import Core
import CareNetwork

/// Where one treated patient's unit stands under its contract as of a settlement date:
/// what the manufacturer has been owed, what it gave back, and so the net price.
///
/// Price reporting needs the net price per unit, including installments that will never be
/// paid because the therapy failed; only the engine knows those, so it reports them here.
public struct UnitSettlement: Hashable, Sendable, Codable {
    public var contractID: ContractID
    public var contractVersion: Int
    public var patientID: PatientID
    public var productID: ProductID
    public var infusionDate: CalendarDate
    public var unitPrice: Money
    /// Upfront payment and installments due so far (principal, without interest).
    public var billed: Money
    /// Installments not yet due that will still be paid if nothing stops them.
    public var outstandingInstallments: Money
    /// Installments that will never be paid: stopped, or cancelled by an unmet condition.
    public var cancelledInstallments: Money
    /// Rebates and refunds, including pro-rated warranty refunds.
    public var returns: Money
    public var bonuses: Money
    /// The outcome tiers the unit's results set (`year-1`); empty when no tiered clause applied.
    public var tiers: [String]
    /// The last day anything that changes the net price happened.
    public var netPriceSetOn: CalendarDate

    /// Price plus bonuses, less rebates, refunds and installments that will never be paid.
    public var netPrice: Money { unitPrice + bonuses - returns - cancelledInstallments }
}
