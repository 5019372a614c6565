import Core
import Coverage
import Economics

/// The reimbursement models the comparison page sets side by side when nobody supplies their
/// own: the arrangements payers offer centers for CAR-T, at illustrative rates (the starter
/// terms' case rate and carve-out handling, a per diem, a share of charges, a global rate with
/// stop-loss, and Medicare's MS-DRG 018 for FY2026). The API compares any models sent to it.
enum ReimbursementDefaults {
    static func models(productCost: Money) -> [NamedModel] {
        func usd(_ dollars: Int64) -> Money { Money(dollars: dollars, currency: productCost.currency) }
        let caseRate = CaseRate(amount: usd(185_000), includes: CaseRate.everything, outside: .notPaid)
        let globalRate = CaseRate(amount: Money(minorUnits: productCost.minorUnits + 210_000_00, currency: productCost.currency), includes: CaseRate.everything, outside: .notPaid)
        return [
            NamedModel("Case rate + product carve-out (cost + 5%)", .carveOut(ProductCarveOut(handling: .markup(Percentage(5)), rest: .caseRate(caseRate)))),
            NamedModel("Per diem + product carve-out (cost + 5%)", .carveOut(ProductCarveOut(
                handling: .markup(Percentage(5)), rest: .perDiem(PerDiem(icu: usd(6_500), acute: usd(3_100), outpatientVisit: usd(750), otherServices: .percentOfCharges(Percentage(50))))))),
            NamedModel("Fee-for-service, 62% of charges", .feeForService(.percentOfCharges(Percentage(62)))),
            NamedModel("Global case rate with stop-loss (50% of charges over $1.2M)", .stopLoss(StopLoss(
                base: .caseRate(globalRate), basis: .charges, threshold: usd(1_200_000), rate: Percentage(50)))),
            NamedModel("Medicare MS-DRG 018, FY2026", .medicareDRG018(.fy2026(clinicalTrialAdjustment: MedicareDRG018.fy2021ClinicalTrialAdjustment))),
        ]
    }
}
