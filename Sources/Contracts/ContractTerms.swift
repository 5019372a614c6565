import Core
import CareNetwork

/// One version of an outcomes-based contract: who the parties are, what the product costs,
/// how and when it is paid, which outcomes are measured and what each result triggers.
///
/// Terms are data, not code, so manufacturers and payers can read, negotiate and amend them
/// and the mediator can settle every contract with one engine. They come from a contract
/// file (``ContractFile``, format `curepath.contract/v1`) and are immutable once parsed: an
/// amendment is a new version that names the version it amends, and every ledger posting
/// cites the version it was computed from.
public struct ContractTerms: Hashable, Sendable {
    public var id: ContractID
    /// 1 for the original; each amendment is the next number.
    public var version: Int
    /// The version this one amends; `nil` for the original.
    public var amends: Int?
    /// Which treated patients an amendment governs.
    public var appliesTo: AmendmentScope
    public var title: String?
    public var parties: ContractParties
    public var product: ProductID
    /// The price of one unit (one patient's dose) before any outcome adjustment.
    public var unitPrice: Money
    /// Infusions on these dates are covered by this version.
    public var effective: EffectivePeriod
    public var payment: PaymentSchedule
    public var measures: [OutcomeMeasure]
    public var consequences: [Consequence]
    public var limits: ReturnLimits
    public var reserve: WarrantyReserve?
    public var fee: MediatorFee?
    public var portability: Portability

    public init(
        id: ContractID, version: Int = 1, amends: Int? = nil, appliesTo: AmendmentScope = .newInfusions, title: String? = nil,
        parties: ContractParties, product: ProductID, unitPrice: Money, effective: EffectivePeriod,
        payment: PaymentSchedule = PaymentSchedule(), measures: [OutcomeMeasure] = [], consequences: [Consequence] = [],
        limits: ReturnLimits = ReturnLimits(), reserve: WarrantyReserve? = nil, fee: MediatorFee? = nil,
        portability: Portability = Portability(rule: .staysWithPayingPayer)
    ) {
        self.id = id
        self.version = version
        self.amends = amends
        self.appliesTo = appliesTo
        self.title = title
        self.parties = parties
        self.product = product
        self.unitPrice = unitPrice
        self.effective = effective
        self.payment = payment
        self.measures = measures
        self.consequences = consequences
        self.limits = limits
        self.reserve = reserve
        self.fee = fee
        self.portability = portability
    }

    public func measure(_ id: MeasureID) -> OutcomeMeasure? { measures.first { $0.id == id } }

    /// The outcome years over which value moves between payers (``Portability/benefitYears``),
    /// or by default the longest measure window rounded up to whole years.
    public var benefitYears: Int {
        if let years = portability.benefitYears { return years }
        let longest = measures.map { measure -> Int in
            switch measure.window {
            case .months(let months): months
            case .days(let days): (days + 29) / 30
            }
        }.max() ?? 12
        return max(1, (longest + 11) / 12)
    }
}

/// Whether an amendment governs only patients infused from its effective date, or every
/// patient of the contract (a correction of the terms themselves).
public enum AmendmentScope: String, Hashable, Sendable, CaseIterable {
    case newInfusions
    case allPatients
}

/// The dates of infusion a contract version covers.
public struct EffectivePeriod: Hashable, Sendable {
    public var from: CalendarDate
    /// Last infusion date covered; `nil` while the contract is open.
    public var to: CalendarDate?

    public init(from: CalendarDate, to: CalendarDate? = nil) {
        self.from = from
        self.to = to
    }

    public func contains(_ date: CalendarDate) -> Bool { date >= from && (to.map { date <= $0 } ?? true) }
}

/// Who is bound by a contract. The mediator is always a party: it holds reserves, keeps the
/// ledger and settles, which is what makes the arrangement neutral.
public struct ContractParties: Hashable, Sendable {
    public var manufacturer: ManufacturerID
    /// The payers that may be billed or credited; `nil` means any payer covering a patient.
    public var payers: [PayerID]?
    public var mediator: MediatorID
    /// A treatment center party to the contract, when there is one.
    public var center: CenterID?

    public init(manufacturer: ManufacturerID, payers: [PayerID]? = nil, mediator: MediatorID, center: CenterID? = nil) {
        self.manufacturer = manufacturer
        self.payers = payers
        self.mediator = mediator
        self.center = center
    }

    public func includes(_ payer: PayerID) -> Bool { payers?.contains(payer) ?? true }
}
