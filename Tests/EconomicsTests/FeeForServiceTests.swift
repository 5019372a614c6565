import Core
import Economics
import Testing

@Suite("Fee-for-service")
struct FeeForServiceTests {
    @Test func percentOfChargesPaysEachLine() throws {
        let payment = try ReimbursementModel.feeForService(.percentOfCharges(pct("45"))).payment(for: carTEpisode())
        // Product 45% × 932,500 = 419,625; a follow-up visit 45% × 1,350 = 607.50.
        #expect(amount(payment, "Yescarta") == usd(419_625))
        #expect(amount(payment, "Day 30 follow-up visit") == usd(607, cents: 50))
        #expect(payment.lines.first { $0.label == "Yescarta" }?.rule == "45% of $932,500.00 billed")
        // Every line is a whole cent here, so the total is 45% × 1,152,500 = 518,625; margin 518,625 − 449,640 = 68,985.
        #expect(payment.payerCost == usd(518_625))
        #expect(payment.centerMargin == usd(68_985))
        #expect(payment.billedCharges == usd(1_152_500))
    }

    @Test func roundingIsPerLineHalfToEven() throws {
        let line = { (label: String, charge: Int64) in
            ServiceLine(kind: .outpatientVisit, label: label, quantity: 1, unitCost: usd(1), unitCharge: Money(minorUnits: charge), day: 1)
        }
        // Product charge $200.00 × 50% = $100.00.
        // Three visits charged $100.01: 50% = $50.005 each, half a cent → even → $50.00 each.
        // One visit charged $100.03: 50% = $50.015 → even → $50.02.
        let episode = smallEpisode(services: [line("A", 10_001), line("B", 10_001), line("C", 10_001), line("D", 10_003)])
        let payment = try ReimbursementModel.feeForService(.percentOfCharges(pct("50"))).payment(for: episode)
        #expect(payment.lines.map(\.amount.minorUnits) == [10_000, 5_000, 5_000, 5_000, 5_002])
        // 100.00 + 3 × 50.00 + 50.02 = 300.02, where rounding the total once (50% × $600.06 = $300.03) would differ.
        #expect(payment.payerCost == Money(minorUnits: 30_002))
    }

    @Test func feeSchedulePaysListedCodesAndTheRestByTheUnlistedRule() throws {
        let schedule = FeeSchedule(
            fees: ["Q2041": usd(390_000), "38225": usd(4_000), "38228": usd(900), "99214": usd(180)],
            unlisted: .percentOfCharges(pct("35"))
        )
        let payment = try ReimbursementModel.feeForService(.feeSchedule(schedule)).payment(for: carTEpisode())
        // Listed: Q2041 390,000; 38225 4,000; 38228 900; 99214: 4 × 180 = 720, 180, 180.
        #expect(amount(payment, "Yescarta") == usd(390_000))
        #expect(amount(payment, "Outpatient visits, days 14 to 28") == usd(720))
        #expect(payment.lines.first { $0.label == "Outpatient visits, days 14 to 28" }?.rule == "4 × $180.00 fee schedule 99214")
        // Unlisted at 35%: bridging 6,860; lymphodepletion 4,095; acute 24,570; ICU 18,795; tocilizumab 6,580; ICANS 4,410.
        #expect(amount(payment, "Acute inpatient days") == usd(24_570))
        #expect(payment.lines.first { $0.label == "Acute inpatient days" }?.rule == "35% of $70,200.00 billed (no billing code)")
        // 390,000 + 4,000 + 900 + 720 + 180 + 180 + 6,860 + 4,095 + 24,570 + 18,795 + 6,580 + 4,410 = 461,290; margin 11,650.
        #expect(payment.payerCost == usd(461_290))
        #expect(payment.centerMargin == usd(11_650))
    }

    @Test func refusesAnEmptyScheduleAndNegativeFees() {
        let empty = ReimbursementModel.feeForService(.feeSchedule(FeeSchedule(fees: [:], unlisted: .notPaid)))
        #expect(issues { () throws(ValidationError) in _ = try empty.validated() }.map(\.field) == ["feeForService.feeSchedule.fees"])
        let negative = ReimbursementModel.feeForService(.feeSchedule(FeeSchedule(fees: ["38225": usd(-1)], unlisted: .notPaid)))
        #expect(issues { () throws(ValidationError) in _ = try negative.validated() }.map(\.field) == ["feeForService.feeSchedule.fees[\"38225\"]"])
        let tooMuch = ReimbursementModel.feeForService(.percentOfCharges(pct("100.0001")))
        #expect(issues { () throws(ValidationError) in _ = try tooMuch.validated() }.map(\.field) == ["feeForService.percentOfCharges"])
    }
}
