import Core
import Economics
import Testing

@Suite("Medicare MS-DRG 018")
struct MedicareDRG018Tests {
    static let adjustment = MedicareDRG018.fy2021ClinicalTrialAdjustment

    @Test func theBriefsBasePayments() throws {
        #expect(MedicareDRG018.fy2024BasePayment == usd(257_958))
        #expect(MedicareDRG018.fy2026BasePayment == usd(314_231))
        #expect(MedicareDRG018.fy2021ClinicalTrialAdjustment == pct("17"))

        let fy2024 = try ReimbursementModel.medicareDRG018(.fy2024(clinicalTrialAdjustment: Self.adjustment)).payment(for: carTEpisode())
        // One DRG payment for the stay; outpatient services off the inpatient claim are not paid here.
        #expect(fy2024.payerCost == usd(257_958))
        // 257,958 − 449,640 = −191,682.
        #expect(fy2024.centerMargin == usd(-191_682))
        #expect(amount(fy2024, "Bridging chemotherapy, one cycle") == usd(0))

        let fy2026 = try ReimbursementModel.medicareDRG018(.fy2026(clinicalTrialAdjustment: Self.adjustment)).payment(for: carTEpisode())
        // 314,231 − 449,640 = −135,409.
        #expect(fy2026.payerCost == usd(314_231))
        #expect(fy2026.centerMargin == usd(-135_409))
        #expect(fy2026.lines.first?.rule == "FY2026 base payment $314,231.00")
    }

    @Test func reducedPaymentWhenTheProductIsFreeInATrial() throws {
        var episode = carTEpisode()
        episode.product.acquisitionCost = usd(0)
        episode.product.charge = usd(0)
        episode.product.suppliedFree = true
        let fy2026 = try ReimbursementModel.medicareDRG018(.fy2026(clinicalTrialAdjustment: Self.adjustment)).payment(for: episode)
        // 17% × 314,231 = 53,419.27. Cost without the product 76,640: margin 53,419.27 − 76,640 = −23,220.73.
        #expect(fy2026.payerCost == usd(53_419, cents: 27))
        #expect(fy2026.centerMargin == Money(minorUnits: -2_322_073))
        #expect(fy2026.lines.first?.label == "MS-DRG 018 (product supplied free)")
        // 17% × 257,958 = 43,852.86.
        let fy2024 = try ReimbursementModel.medicareDRG018(.fy2024(clinicalTrialAdjustment: Self.adjustment)).payment(for: episode)
        #expect(fy2024.payerCost == usd(43_852, cents: 86))
        // Any adjustor, rounded once: 12.3457% × 314,231.00 = 38,794.016567 → 38,794.02.
        let other = try ReimbursementModel.medicareDRG018(.fy2026(clinicalTrialAdjustment: pct("12.3457"))).payment(for: episode)
        #expect(other.payerCost == usd(38_794, cents: 2))
    }

    @Test func costOutlier() throws {
        // Illustrative parameters, not a fiscal year's: fixed-loss $40,000, cost-to-charge 35%, marginal cost 80%.
        let outlier = MedicareOutlier(fixedLossThreshold: usd(40_000), costToChargeRatio: pct("35"))
        let payment = try ReimbursementModel.medicareDRG018(.fy2026(clinicalTrialAdjustment: Self.adjustment, outlier: outlier)).payment(for: carTEpisode())
        // Inpatient claim charges: product 932,500 + apheresis 18,500 + infusion 5,200 + acute 70,200 + ICU 53,700
        // + tocilizumab 18,800 + ICANS 12,600 = 1,111,500. Estimated cost 35% = 389,025.
        // Threshold 314,231 + 40,000 = 354,231. Excess 34,794; 80% = 27,835.20.
        #expect(amount(payment, "Medicare cost outlier") == usd(27_835, cents: 20))
        #expect(payment.payerCost == usd(342_066, cents: 20))

        // With a 25% cost-to-charge ratio the estimated cost (277,875) is under the threshold: nothing.
        let low = MedicareOutlier(fixedLossThreshold: usd(40_000), costToChargeRatio: pct("25"))
        let none = try ReimbursementModel.medicareDRG018(.fy2026(clinicalTrialAdjustment: Self.adjustment, outlier: low)).payment(for: carTEpisode())
        #expect(amount(none, "Medicare cost outlier") == usd(0))
        #expect(none.payerCost == usd(314_231))
    }

    @Test func outpatientServicesCanBePaidBySecondaryRule() throws {
        var drg = MedicareDRG018.fy2026(clinicalTrialAdjustment: Self.adjustment)
        drg.outside = .percentOfCharges(pct("20"))
        // Off the claim: bridging 19,600 + lymphodepletion 11,700 + outpatient 7,000 + follow-ups 2,700 = 41,000 charged; 20% = 8,200.
        #expect(try ReimbursementModel.medicareDRG018(drg).payment(for: carTEpisode()).payerCost == usd(314_231 + 8_200))
    }

    @Test func refusesParametersOutOfRange() {
        var drg = MedicareDRG018.fy2026(clinicalTrialAdjustment: pct("101"), outlier: MedicareOutlier(fixedLossThreshold: usd(-1), costToChargeRatio: pct("35")))
        drg.fiscalYear = 2019
        let found = issues { () throws(ValidationError) in _ = try ReimbursementModel.medicareDRG018(drg).validated() }
        #expect(found.map(\.field) == [
            "medicareDRG018.fiscalYear", "medicareDRG018.clinicalTrialAdjustment", "medicareDRG018.outlier.fixedLossThreshold",
        ])
    }
}
