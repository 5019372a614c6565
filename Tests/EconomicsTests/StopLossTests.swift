import Core
import Economics
import Testing

@Suite("Outlier and stop-loss")
struct StopLossTests {
    static let caseRate = ReimbursementModel.caseRate(CaseRateTests.caseRate)

    @Test func paysAShareOfChargesAboveTheThreshold() throws {
        let model = ReimbursementModel.stopLoss(StopLoss(base: Self.caseRate, basis: .charges, threshold: usd(1_000_000), rate: pct("50")))
        let payment = try model.payment(for: carTEpisode())
        // Charges 1,152,500 − threshold 1,000,000 = 152,500; 50% = 76,250. Case rate as before 442,580.
        #expect(amount(payment, "Stop-loss") == usd(76_250))
        #expect(payment.payerCost == usd(442_580 + 76_250))
        #expect(payment.lines.last?.rule == "50% × (billed charges $1,152,500.00 − threshold $1,000,000.00) = 50% of $152,500.00")
    }

    @Test func canMeasureTheCentersCost() throws {
        let model = ReimbursementModel.stopLoss(StopLoss(base: Self.caseRate, basis: .cost, threshold: usd(400_000), rate: pct("80")))
        // Cost 449,640 − 400,000 = 49,640; 80% = 39,712.
        #expect(amount(try model.payment(for: carTEpisode()), "Stop-loss") == usd(39_712))
    }

    @Test func thresholdJustBelowAtAndAbove() throws {
        // Charges: product $200.00 + one visit $1,000.00 = $1,200.00.
        let episode = smallEpisode(services: [
            ServiceLine(kind: .outpatientVisit, label: "Visit", quantity: 1, unitCost: usd(10), unitCharge: usd(1_000), day: 1)
        ])
        let base = ReimbursementModel.caseRate(CaseRate(amount: usd(500), includes: CaseRate.everything, outside: .notPaid))
        func outlier(threshold: Money, rate: String) throws -> Money? {
            amount(try ReimbursementModel.stopLoss(StopLoss(base: base, basis: .charges, threshold: threshold, rate: pct(rate))).payment(for: episode), "Stop-loss")
        }
        // Charges below the threshold ($1,200.00 < $1,200.01): nothing.
        #expect(try outlier(threshold: Money(minorUnits: 120_001), rate: "60") == usd(0))
        // At the threshold: the excess is zero, so nothing.
        #expect(try outlier(threshold: usd(1_200), rate: "60") == usd(0))
        // One cent above: 60% × $0.01 = 0.6 cent → $0.01.
        #expect(try outlier(threshold: Money(minorUnits: 119_999), rate: "60") == Money(minorUnits: 1))
        // One cent above at 50%: half a cent → even → $0.00; three cents above: 1.5 cents → $0.02.
        #expect(try outlier(threshold: Money(minorUnits: 119_999), rate: "50") == usd(0))
        #expect(try outlier(threshold: Money(minorUnits: 119_997), rate: "50") == Money(minorUnits: 2))
        // $100 above at 50%: $50.00.
        #expect(try outlier(threshold: usd(1_100), rate: "50") == usd(50))
    }

    @Test func insideACarveOutTheProductDoesNotCount() throws {
        let rest = ReimbursementModel.stopLoss(StopLoss(base: .caseRate(CarveOutTests.restCaseRate), basis: .charges, threshold: usd(150_000), rate: pct("50")))
        let payment = try ReimbursementModel.carveOut(ProductCarveOut(handling: .fee(usd(0)), rest: rest)).payment(for: carTEpisode())
        // Charges without the product: 220,000 − 150,000 = 70,000; 50% = 35,000.
        #expect(amount(payment, "Stop-loss") == usd(35_000))
    }

    @Test func refusesARateAbove100Percent() {
        let model = ReimbursementModel.stopLoss(StopLoss(base: Self.caseRate, basis: .charges, threshold: usd(-1), rate: pct("150")))
        #expect(issues { () throws(ValidationError) in _ = try model.validated() }.map(\.field) == ["stopLoss.threshold", "stopLoss.rate"])
        // A percentage built in code can be negative; validation refuses it.
        let negative = ReimbursementModel.stopLoss(StopLoss(base: Self.caseRate, basis: .charges, threshold: usd(1), rate: Percentage(millionths: -1)))
        let found = issues { () throws(ValidationError) in _ = try negative.validated() }
        #expect(found.map(\.field) == ["stopLoss.rate"] && found.first?.problem.hasPrefix("must not be negative") == true)
    }
}
