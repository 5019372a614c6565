import Core
import Economics
import Testing

@Suite("Case rate")
struct CaseRateTests {
    /// $425,000 for the product and the inpatient episode; bridging, outpatient and follow-up
    /// visits outside it at 60% of charges.
    static let caseRate = CaseRate(
        amount: usd(425_000),
        includes: [.product, .apheresis, .lymphodepletion, .infusion, .icuDay, .acuteDay, .crsIcansDrug, .complicationCare],
        outside: .percentOfCharges(pct("60"))
    )

    @Test func paysTheGlobalAmountAndTheRestBySecondaryRule() throws {
        let payment = try ReimbursementModel.caseRate(Self.caseRate).payment(for: carTEpisode())
        // Case rate $425,000.
        #expect(amount(payment, "Case rate") == usd(425_000))
        // Outside: bridging 60% × 19,600 = 11,760; outpatient 60% × 7,000 = 4,200; follow-ups 60% × 1,350 = 810 each.
        #expect(amount(payment, "Bridging chemotherapy, one cycle") == usd(11_760))
        #expect(amount(payment, "Outpatient visits, days 14 to 28") == usd(4_200))
        #expect(amount(payment, "Day 100 follow-up visit") == usd(810))
        // Payer 425,000 + 11,760 + 4,200 + 810 + 810 = 442,580; center 442,580 − 449,640 = −7,060.
        #expect(payment.payerCost == usd(442_580))
        #expect(payment.centerMargin == usd(-7_060))
        #expect(payment.lines.count == 5)
        #expect(payment.lines[0].rule.contains("includes product, apheresis, lymphodepletion, infusion, ICU days"))
    }

    @Test func complicationsCanBeOutsideTheCaseRate() throws {
        var caseRate = Self.caseRate
        caseRate.includesComplications = false
        let payment = try ReimbursementModel.caseRate(caseRate).payment(for: carTEpisode())
        // Now the ICU days (53,700 charged) and the ICANS work-up (12,600) are paid at 60%:
        // 32,220 + 7,560 more: 442,580 + 39,780 = 482,360.
        #expect(amount(payment, "ICU days for grade 3 CRS") == usd(32_220))
        #expect(amount(payment, "ICANS work-up: neurology consult, MRI, EEG") == usd(7_560))
        #expect(payment.payerCost == usd(482_360))
    }

    @Test func servicesOutsideThatAreNotPaidStillShowAtZero() throws {
        var caseRate = Self.caseRate
        caseRate.outside = .notPaid
        let payment = try ReimbursementModel.caseRate(caseRate).payment(for: carTEpisode())
        #expect(payment.payerCost == usd(425_000))
        #expect(payment.lines.count == 5)
        #expect(payment.lines.dropFirst().allSatisfy { $0.amount == usd(0) && $0.rule == "not paid (outside the case rate)" })
    }

    @Test func refusesAnEmptyOrRepeatedInclusionList() {
        let empty = CaseRate(amount: usd(1), includes: [], outside: .notPaid)
        #expect(issues { () throws(ValidationError) in _ = try ReimbursementModel.caseRate(empty).validated() }.map(\.field) == ["caseRate.includes"])
        let twice = CaseRate(amount: Money(minorUnits: 1, currency: Currency(rawValue: "EUR")), includes: [.icuDay, .icuDay], outside: .notPaid)
        let found = issues { () throws(ValidationError) in _ = try ReimbursementModel.caseRate(twice).validated() }
        #expect(found.map(\.field) == ["caseRate.amount", "caseRate.includes"])
    }
}
