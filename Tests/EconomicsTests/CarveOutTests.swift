import Core
import Economics
import Testing

@Suite("Product carve-out")
struct CarveOutTests {
    /// A case rate for everything but the product, $62,000; bridging and visits at 60% of charges.
    static let restCaseRate = CaseRate(
        amount: usd(62_000), includes: [.apheresis, .lymphodepletion, .infusion, .icuDay, .acuteDay, .crsIcansDrug, .complicationCare],
        outside: .percentOfCharges(pct("60"))
    )

    @Test func carveOutWithMarkupPlusCaseRate() throws {
        let model = ReimbursementModel.carveOut(ProductCarveOut(handling: .markup(pct("9.5")), rest: .caseRate(Self.restCaseRate)))
        let payment = try model.payment(for: carTEpisode())
        // Product at invoice $373,000; markup 9.5% × 373,000 = $35,435.
        #expect(amount(payment, "Yescarta") == usd(373_000))
        #expect(amount(payment, "Product markup") == usd(35_435))
        // Rest: case rate 62,000; bridging 11,760; outpatient 4,200; follow-ups 810 + 810.
        #expect(amount(payment, "Case rate") == usd(62_000))
        // 373,000 + 35,435 + 62,000 + 11,760 + 4,200 + 810 + 810 = 488,015; margin 488,015 − 449,640 = 38,375.
        #expect(payment.payerCost == usd(488_015))
        #expect(payment.centerMargin == usd(38_375))
        #expect(model.kindName == "carve-out + case rate")
    }

    @Test func theProductIsNeverPaidTwice() throws {
        // The rest's case rate lists the product too; the carve-out has already taken it out.
        var rest = Self.restCaseRate
        rest.includes.append(.product)
        rest.outside = .percentOfCharges(pct("100"))
        let payment = try ReimbursementModel.carveOut(ProductCarveOut(handling: .fee(usd(5_000)), rest: .caseRate(rest))).payment(for: carTEpisode())
        #expect(payment.lines.filter { $0.kind == .product }.map(\.amount) == [usd(373_000), usd(5_000)])
    }

    @Test func carveOutWithHandlingFeePlusPerDiem() throws {
        let perDiem = PerDiem(icu: usd(4_500), acute: usd(2_100), outpatientVisit: usd(350), otherServices: .percentOfCharges(pct("50")))
        let payment = try ReimbursementModel.carveOut(ProductCarveOut(handling: .fee(usd(5_000)), rest: .perDiem(perDiem))).payment(for: carTEpisode())
        // Product 373,000 + fee 5,000; per diem 13,500 + 18,900 + 1,400 + 350 + 350;
        // others at 50%: apheresis 9,250 + bridging 9,800 + lymphodepletion 5,850 + infusion 2,600 + tocilizumab 9,400 + ICANS 6,300 = 43,200.
        // 378,000 + 34,500 + 43,200 = 455,700; margin 6,060.
        #expect(payment.payerCost == usd(455_700))
        #expect(payment.centerMargin == usd(6_060))
    }

    @Test func markupRoundsHalfToEven() throws {
        // Invoice $0.05 × 50% = 2.5 cents → 2 (even). Invoice $0.07 × 50% = 3.5 cents → 4 (even).
        let model = ReimbursementModel.carveOut(ProductCarveOut(handling: .markup(pct("50")), rest: .caseRate(CaseRate(amount: usd(0), includes: [.other], outside: .notPaid))))
        #expect(amount(try model.payment(for: smallEpisode(productCost: Money(minorUnits: 5))), "Product markup") == Money(minorUnits: 2))
        #expect(amount(try model.payment(for: smallEpisode(productCost: Money(minorUnits: 7))), "Product markup") == Money(minorUnits: 4))
    }

    @Test func refusesACarveOutInsideACarveOut() {
        let inner = ReimbursementModel.carveOut(ProductCarveOut(handling: .fee(usd(1)), rest: .caseRate(Self.restCaseRate)))
        let outer = ReimbursementModel.carveOut(ProductCarveOut(handling: .fee(usd(-1)), rest: inner))
        let found = issues { () throws(ValidationError) in _ = try outer.validated() }
        #expect(found.map(\.field) == ["carveOut.handling.fee", "carveOut.rest"])
    }
}
