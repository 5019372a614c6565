import Core

/// Medicare's inpatient payment for a CAR-T stay: MS-DRG 018 ("Chimeric Antigen Receptor
/// (CAR) T-cell and Other Immunotherapies"), at a base payment that is a parameter, reduced
/// when the product was supplied free in a clinical trial or under expanded access, with the
/// inpatient cost-outlier payment as an option.
///
/// Medicare fee-for-service pays one amount per discharge whatever the product cost, so the
/// center's margin on a Medicare CAR-T patient is `base payment − cost` and depends mostly on
/// the product's price. The rules implemented, and their sources, are in docs/ECONOMICS.md:
///
/// - payment = base payment, or `clinicalTrialAdjustment × base payment` when
///   `episode.product.suppliedFree` (FY2021 IPPS final rule: the relative weight is
///   multiplied by an adjustor, 0.17 in FY2021; CMS recomputes it each year, so it is a
///   parameter here, not a constant);
/// - outlier (optional) = `marginalCostFactor × (estimated cost − (payment + fixed-loss
///   threshold))` when positive, estimated cost = `costToChargeRatio × charges` on the
///   inpatient claim (42 CFR 412.84; 80% marginal cost factor).
///
/// Not modelled: wage index and the labor share, IME, DSH and uncompensated care, the
/// separate capital outlier threshold, transfers and short stays, NTAP. The base payment is
/// the national figure the brief gives (FY2024 $257,958, FY2026 $314,231); a hospital's own
/// rate differs.
public struct MedicareDRG018: Hashable, Sendable, Codable {
    /// The federal fiscal year the base payment belongs to (FY2026 runs October 2025 to September 2026).
    public var fiscalYear: Int
    /// The MS-DRG 018 payment for a case where the center bought the product.
    public var basePayment: Money
    /// The share of the base payment paid when the product was supplied free.
    public var clinicalTrialAdjustment: Percentage
    /// The kinds of service on the inpatient claim the DRG pays; by default `inpatientClaim`.
    public var includes: [ServiceKind]
    /// How services off the inpatient claim are paid (outpatient care is paid under other
    /// Medicare systems this module does not model; by default not paid here).
    public var outside: SecondaryRule
    /// The inpatient cost-outlier payment, when wanted.
    public var outlier: MedicareOutlier?

    public init(
        fiscalYear: Int, basePayment: Money, clinicalTrialAdjustment: Percentage, includes: [ServiceKind] = MedicareDRG018.inpatientClaim,
        outside: SecondaryRule = .notPaid, outlier: MedicareOutlier? = nil
    ) {
        self.fiscalYear = fiscalYear
        self.basePayment = basePayment
        self.clinicalTrialAdjustment = clinicalTrialAdjustment
        self.includes = includes
        self.outside = outside
        self.outlier = outlier
    }

    private enum CodingKeys: String, CodingKey {
        case fiscalYear, basePayment, clinicalTrialAdjustment, includes, outside, outlier
    }

    /// `includes`, `outside` and `outlier` may be left out of JSON (the inpatient claim, not paid, none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fiscalYear = try container.decode(Int.self, forKey: .fiscalYear)
        basePayment = try container.decode(Money.self, forKey: .basePayment)
        clinicalTrialAdjustment = try container.decode(Percentage.self, forKey: .clinicalTrialAdjustment)
        includes = try container.decodeIfPresent([ServiceKind].self, forKey: .includes) ?? MedicareDRG018.inpatientClaim
        outside = try container.decodeIfPresent(SecondaryRule.self, forKey: .outside) ?? .notPaid
        outlier = try container.decodeIfPresent(MedicareOutlier.self, forKey: .outlier)
    }

    /// FY2024 national MS-DRG 018 base payment (brief; Avalere's summary of the FY2025 IPPS proposed rule).
    public static let fy2024BasePayment = Money(dollars: 257_958)
    /// FY2026 national MS-DRG 018 base payment (brief; Avalere's summary of the FY2027 IPPS proposed rule).
    public static let fy2026BasePayment = Money(dollars: 314_231)
    /// The clinical-trial adjustor CMS finalized for FY2021, the first year of MS-DRG 018: 17%
    /// of the full payment. Later years have their own adjustor, which this module does not carry.
    public static let fy2021ClinicalTrialAdjustment = Percentage(17)

    /// What a CAR-T inpatient claim carries: the product (revenue code 0891, with cell
    /// collection reported in its charge), the infusion, every inpatient day, CRS/ICANS drugs
    /// and complication care given during the stay.
    public static let inpatientClaim: [ServiceKind] = [.product, .apheresis, .infusion, .icuDay, .acuteDay, .crsIcansDrug, .complicationCare]

    /// MS-DRG 018 for FY2024 at the brief's base payment, with the adjustor you supply.
    public static func fy2024(clinicalTrialAdjustment: Percentage, outlier: MedicareOutlier? = nil) -> MedicareDRG018 {
        MedicareDRG018(fiscalYear: 2024, basePayment: fy2024BasePayment, clinicalTrialAdjustment: clinicalTrialAdjustment, outlier: outlier)
    }

    /// MS-DRG 018 for FY2026 at the brief's base payment, with the adjustor you supply.
    public static func fy2026(clinicalTrialAdjustment: Percentage, outlier: MedicareOutlier? = nil) -> MedicareDRG018 {
        MedicareDRG018(fiscalYear: 2026, basePayment: fy2026BasePayment, clinicalTrialAdjustment: clinicalTrialAdjustment, outlier: outlier)
    }

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        let drg: PaymentLine
        if episode.productSuppliedFree {
            drg = PaymentLine(
                label: "MS-DRG 018 (product supplied free)",
                rule: "clinical-trial adjustment \(clinicalTrialAdjustment) of FY\(fiscalYear) base payment \(basePayment)",
                amount: clinicalTrialAdjustment.of(basePayment)
            )
        } else {
            drg = PaymentLine(label: "MS-DRG 018", rule: "FY\(fiscalYear) base payment \(basePayment)", amount: basePayment)
        }
        var lines = [drg]
        let claim = episode.lines.filter { includes.contains($0.kind) }
        if let outlier {
            let charges = claim.reduce(.zero(episode.currency)) { $0 + $1.totalCharge }
            lines.append(outlier.line(charges: charges, drgPayment: drg.amount))
        }
        for line in episode.lines where !includes.contains(line.kind) {
            lines.append(outside.line(for: line, reason: "not on the inpatient claim"))
        }
        return lines
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        if !(2021...2100).contains(fiscalYear) {
            issues.append(.init(field: "\(field).fiscalYear", problem: "must be 2021 (the first year of MS-DRG 018) or later, got \(fiscalYear)"))
        }
        AmountCheck.check(basePayment, field: "\(field).basePayment", currency: currency, into: &issues)
        clinicalTrialAdjustment.checked(atMost: Percentage(100), field: "\(field).clinicalTrialAdjustment", into: &issues)
        if includes.isEmpty {
            issues.append(.init(field: "\(field).includes", problem: "must list at least one kind of service"))
        }
        outside.check(field: "\(field).outside", into: &issues)
        outlier?.check(field: "\(field).outlier", currency: currency, into: &issues)
    }
}

/// Medicare's inpatient cost-outlier payment: when a stay's estimated cost exceeds the DRG
/// payment plus a fixed-loss threshold, Medicare pays a share (the marginal cost factor) of
/// the cost above that sum.
///
/// CAR-T stays whose charges are far above the DRG — a long ICU stay, an expensive product on
/// a high chargemaster — reach it; the fixed-loss threshold is set each year in the IPPS rule
/// and the cost-to-charge ratio is the hospital's own, so both are parameters.
public struct MedicareOutlier: Hashable, Sendable, Codable {
    /// The fixed-loss cost threshold for the fiscal year.
    public var fixedLossThreshold: Money
    /// The hospital's operating cost-to-charge ratio, as a percentage (0.254 is 25.4%).
    public var costToChargeRatio: Percentage
    /// The share of cost above the outlier threshold Medicare pays: 80% (90% for burn DRGs).
    public var marginalCostFactor: Percentage

    public init(fixedLossThreshold: Money, costToChargeRatio: Percentage, marginalCostFactor: Percentage = Percentage(80)) {
        self.fixedLossThreshold = fixedLossThreshold
        self.costToChargeRatio = costToChargeRatio
        self.marginalCostFactor = marginalCostFactor
    }

    private enum CodingKeys: String, CodingKey {
        case fixedLossThreshold, costToChargeRatio, marginalCostFactor
    }

    /// `marginalCostFactor` may be left out of JSON (80%).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fixedLossThreshold = try container.decode(Money.self, forKey: .fixedLossThreshold)
        costToChargeRatio = try container.decode(Percentage.self, forKey: .costToChargeRatio)
        marginalCostFactor = try container.decodeIfPresent(Percentage.self, forKey: .marginalCostFactor) ?? Percentage(80)
    }

    /// The estimated cost is rounded (half to even) to the cent as a figure of its own, then
    /// the outlier payment is computed from it and rounded once.
    func line(charges: Money, drgPayment: Money) -> PaymentLine {
        let cost = costToChargeRatio.of(charges)
        let threshold = drgPayment + fixedLossThreshold
        let excess = cost - threshold
        let arithmetic = "estimated cost \(cost) (\(costToChargeRatio) cost-to-charge × \(charges) charges) − threshold \(threshold) (DRG \(drgPayment) + fixed-loss \(fixedLossThreshold))"
        guard excess.minorUnits > 0 else {
            return PaymentLine(label: "Medicare cost outlier", rule: "\(arithmetic) is not positive: nothing", amount: .zero(charges.currency))
        }
        return PaymentLine(label: "Medicare cost outlier", rule: "\(marginalCostFactor) × (\(arithmetic)) = \(marginalCostFactor) of \(excess)", amount: marginalCostFactor.of(excess))
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        AmountCheck.check(fixedLossThreshold, field: "\(field).fixedLossThreshold", currency: currency, into: &issues)
        costToChargeRatio.checked(atMost: Percentage(300), field: "\(field).costToChargeRatio", into: &issues)
        marginalCostFactor.checked(atMost: Percentage(100), field: "\(field).marginalCostFactor", into: &issues)
    }
}
