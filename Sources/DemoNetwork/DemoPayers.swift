import CareNetwork

/// A demo payer with its plans and what the generator needs to shape its cases.
struct DemoPayer: Sendable {
    var payer: Payer
    var plans: [Plan]
    /// Prefix of synthetic member IDs, so a coverage period's payer shows at a glance.
    var memberPrefix: String

    var kind: PayerKind { payer.kind }

    /// Share of this payer's cases that need a single-case agreement with a center.
    /// - Commercial and self-insured plans: 68% of cases needed one (2025 abstract quoted
    ///   in the brief, "More published figures").
    /// - Medicare Advantage: 40%, an assumption (out-of-network centers negotiate; many
    ///   plans contract CAR-T centers directly).
    /// - Original Medicare and in-state Medicaid fee-for-service pay published rates
    ///   (MS-DRG 018, the state fee schedule): no agreement. A Medicaid patient treated out
    ///   of state always needs one (handled by the case generator).
    var agreementNeededShare: Double {
        switch kind {
        case .commercial, .selfInsuredEmployer: return 0.68
        case .medicareAdvantage: return 0.40
        case .medicare, .medicaid: return 0
        }
    }

    /// Why a case's financial agreement stage is cancelled as not needed.
    var agreementNotNeededReason: String {
        switch kind {
        case .medicare:
            return "Not needed: Original Medicare pays the inpatient stay under MS-DRG 018; no single-case agreement"
        case .medicaid:
            return "Not needed: in-state Medicaid fee-for-service pays the state's published rate; no single-case agreement"
        case .medicareAdvantage:
            return "Not needed: the center is in the plan's network for cell and gene therapy"
        case .commercial, .selfInsuredEmployer:
            return "Not needed: the center's network contract with this payer covers the therapy at a case rate"
        }
    }
}

extension DemoPayer {
    /// Eight payers of the kinds the brief's users deal with: two national commercial
    /// insurers, Original Medicare, a Medicare Advantage plan, three state Medicaid programs
    /// (with CHIP) in states that have demo centers, and a self-insured employer.
    static let all: [DemoPayer] = [
        make("pay-national-health", "National Health Alliance", .commercial, prefix: "NHA", plans: [
            ("plan-nha-ppo", "National Health Alliance PPO", .commercial),
            ("plan-nha-hmo", "National Health Alliance HMO", .commercial),
        ]),
        make("pay-heartland-mutual", "Heartland Mutual Insurance", .commercial, prefix: "HMI", plans: [
            ("plan-hmi-choice", "Heartland Choice PPO", .commercial),
            ("plan-hmi-select", "Heartland Select EPO", .commercial),
        ]),
        make("pay-medicare", "Medicare (Original, fee-for-service)", .medicare, prefix: "MBI", plans: [
            ("plan-medicare-ab", "Original Medicare Parts A and B", .medicare),
        ]),
        make("pay-evergreen-ma", "Evergreen Senior Advantage", .medicareAdvantage, prefix: "ESA", plans: [
            ("plan-evergreen-hmo", "Evergreen Senior Advantage HMO", .medicareAdvantage),
            ("plan-evergreen-ppo", "Evergreen Senior Advantage PPO", .medicareAdvantage),
        ]),
        make("pay-oh-medicaid", "Ohio Medicaid", .medicaid, state: "OH", prefix: "OHM", plans: [
            ("plan-oh-medicaid-ffs", "Ohio Medicaid fee-for-service", .medicaid),
            ("plan-oh-chip", "Ohio Healthy Start (CHIP)", .chip),
        ]),
        make("pay-tx-medicaid", "Texas Medicaid", .medicaid, state: "TX", prefix: "TXM", plans: [
            ("plan-tx-medicaid-ffs", "Texas Medicaid fee-for-service", .medicaid),
            ("plan-tx-chip", "Texas CHIP", .chip),
        ]),
        make("pay-ca-medicaid", "Medi-Cal (California Medicaid)", .medicaid, state: "CA", prefix: "MCL", plans: [
            ("plan-ca-medi-cal-ffs", "Medi-Cal fee-for-service", .medicaid),
            ("plan-ca-chip", "Medi-Cal Targeted Low-Income Children's Program (CHIP)", .chip),
        ]),
        make("pay-freightline-health", "Consolidated Freightline Employee Health Plan", .selfInsuredEmployer,
             prefix: "CFE", plans: [
                ("plan-freightline-ppo", "Freightline Employee PPO (self-funded)", .selfInsured),
             ]),
    ]

    private static func make(
        _ id: String, _ name: String, _ kind: PayerKind, state: String? = nil, prefix: String,
        plans: [(String, String, PlanType)]
    ) -> DemoPayer {
        let payerID = PayerID(id)
        return DemoPayer(
            payer: Payer(id: payerID, name: name, kind: kind, state: state),
            // A state program's Medicaid and CHIP plans are that state's.
            plans: plans.map { Plan(id: PlanID($0.0), payerID: payerID, name: $0.1, type: $0.2, state: [.medicaid, .chip].contains($0.2) ? state : nil) },
            memberPrefix: prefix
        )
    }
}
