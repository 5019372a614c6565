import Core
import Economics
import Testing

@Suite("Cash exposure")
struct CashExposureTests {
    /// A product bought for $400,000 (ordered day −30, shipped day −5), ten acute days from
    /// infusion ($30,000 paid out on day 0), a $1,000 follow-up on day 30. Discharge on day 10.
    static let episode = Episode(
        name: "Cash test episode",
        product: ProductAcquisition(name: "Product", acquisitionCost: usd(400_000), charge: usd(800_000), orderDay: -30, shipmentDay: -5),
        services: [
            ServiceLine(kind: .acuteDay, label: "Acute days", quantity: 10, unitCost: usd(3_000), unitCharge: usd(8_000), day: 0),
            ServiceLine(kind: .followUpVisit, label: "Day 30 visit", quantity: 1, unitCost: usd(1_000), unitCharge: usd(2_000), day: 30),
        ]
    )
    /// Paid $450,000 in one claim: submitted 5 days after discharge, paid 30 days later (day 10 + 5 + 30 = 45).
    static func profile(_ id: String, infused: String, paidAt: CaseCashProfile.PurchasePoint = .shipment) -> CaseCashProfile {
        CaseCashProfile(
            caseID: id, episode: episode, infusionDate: day(infused), productPaidAt: paidAt,
            receipts: [Receipt(label: "Claim", amount: usd(450_000), timing: ClaimTiming(anchor: .discharge, submitAfterDays: 5, daysToPay: 30))]
        )
    }

    @Test func oneCasesTimeline() {
        let flows = Self.profile("A", infused: "2026-03-10").flows
        // Product at shipment (day −5): 03-05; care on day 0: 03-10; visit on day 30: 04-09; paid on day 45: 04-24.
        #expect(flows.map(\.date) == [day("2026-03-05"), day("2026-03-10"), day("2026-04-09"), day("2026-04-24")])
        #expect(flows.map(\.amount) == [usd(400_000), usd(30_000), usd(1_000), usd(450_000)])
        #expect(flows.map(\.direction) == [.out, .out, .out, .in])
        // Bought at order (day −30) instead: 02-08.
        #expect(Self.profile("A", infused: "2026-03-10", paidAt: .order).flows.first?.date == day("2026-02-08"))
    }

    @Test func twoOverlappingCasesPeakOnTheRightDay() throws {
        let exposure = try CashExposure(cases: [Self.profile("A", infused: "2026-03-10"), Self.profile("B", infused: "2026-04-01")])
        // A: out 400,000 on 03-05, 30,000 on 03-10, 1,000 on 04-09; in 450,000 on 04-24.
        // B: out 400,000 on 03-27, 30,000 on 04-01, 1,000 on 05-01; in 450,000 on 05-16.
        // Outstanding: 03-05 400,000 · 03-10 430,000 · 03-27 830,000 · 04-01 860,000 · 04-09 861,000
        //              04-24 411,000 · 05-01 412,000 · 05-16 −38,000.
        #expect(exposure.peak == CashPoint(date: day("2026-04-09"), outstanding: usd(861_000)))
        #expect(exposure.bridgingCapital == usd(861_000))
        func outstanding(_ date: String) -> Money? { exposure.points.first { $0.date == day(date) }?.outstanding }
        #expect(outstanding("2026-03-26") == usd(430_000))
        #expect(outstanding("2026-04-08") == usd(860_000))
        #expect(outstanding("2026-04-24") == usd(411_000))
        #expect(outstanding("2026-05-15") == usd(412_000))
        // A point per day from 03-05 to 05-16: 27 + 30 + 16 = 73; exposed every day but the last: 72.
        #expect(exposure.points.count == 73)
        #expect(exposure.points.first?.date == day("2026-03-05") && exposure.points.last?.date == day("2026-05-16"))
        #expect(exposure.daysExposed == 72)
        // Each case leaves 450,000 − 431,000 = 19,000.
        #expect(exposure.finalOutstanding == usd(-38_000))
    }

    @Test func morePatientsRaiseThePeak() throws {
        let exposure = try CashExposure(cases: [Self.profile("A", infused: "2026-03-10"), Self.profile("B", infused: "2026-04-01")])
        let more = try exposure.whatIf(adding: Self.profile("T", infused: "2026-01-01"), infusionDates: [day("2026-04-05"), day("2026-04-20")])
        // Copies infused 04-05 (product 03-31, care 04-05, visit 05-05, paid 05-20) and 04-20 (product 04-15,
        // care 04-20, visit 05-20, paid 06-04). Outstanding climbs: 03-31 1,230,000 · 04-01 1,260,000 · 04-05 1,290,000
        // · 04-09 1,291,000 · 04-15 1,691,000 · 04-20 1,721,000, then A is paid on 04-24 (1,271,000).
        #expect(more.peak == CashPoint(date: day("2026-04-20"), outstanding: usd(1_721_000)))
        #expect(more.bridgingCapital > exposure.bridgingCapital)
        #expect(more.cases.map(\.caseID) == ["A", "B", "T+1", "T+2"])
        // 05-20: copy 2's visit out (1,000) and copy 1's claim in (450,000): 823,000 + 1,000 − 450,000 = 374,000.
        #expect(more.points.first { $0.date == day("2026-05-20") }?.outstanding == usd(374_000))
        #expect(more.finalOutstanding == usd(-76_000))
        #expect(more.points.last?.date == day("2026-06-04"))
    }

    @Test func nMorePatientsThisMonthAreSpreadEvenly() throws {
        // 30-day April, 4 patients: day 1 + ⌊i × 30 ÷ 4⌋ = 1st, 8th, 16th, 23rd.
        #expect(CashExposure.infusionDates(count: 4, inMonthOf: day("2026-04-17")) == [
            day("2026-04-01"), day("2026-04-08"), day("2026-04-16"), day("2026-04-23"),
        ])
        #expect(CashExposure.infusionDates(count: 2, inMonthOf: day("2026-02-27")) == [day("2026-02-01"), day("2026-02-15")])
        #expect(CashExposure.infusionDates(count: 1, inMonthOf: day("2026-12-31")) == [day("2026-12-01")])
        let base = try CashExposure(cases: [Self.profile("A", infused: "2026-03-10")])
        let more = try base.whatIf(morePatients: 3, like: Self.profile("New", infused: "2026-01-01"), inMonthOf: day("2026-03-01"))
        #expect(more.cases.count == 4)
        #expect(more.cases.dropFirst().map(\.infusionDate) == [day("2026-03-01"), day("2026-03-11"), day("2026-03-21")])
        #expect(more.bridgingCapital > base.bridgingCapital)
    }

    @Test func aCaseThatIsNeverRepaidStaysExposed() throws {
        // Paid only $100,000 of the $431,000 laid out: outstanding never returns to zero.
        var profile = Self.profile("Loss", infused: "2026-03-10")
        profile.receipts[0].amount = usd(100_000)
        let exposure = try CashExposure(cases: [profile])
        #expect(exposure.finalOutstanding == usd(331_000))
        #expect(exposure.daysExposed == exposure.points.count)
        #expect(exposure.peak?.outstanding == usd(431_000))
    }

    @Test func aPaymentFromAModelAndASplitCarveOutClaim() throws {
        let model = ReimbursementModel.carveOut(ProductCarveOut(handling: .fee(usd(0)), rest: .caseRate(CarveOutTests.restCaseRate)))
        let payment = try model.payment(for: carTEpisode())
        let single = CaseCashProfile(
            caseID: "one-claim", episode: carTEpisode(), infusionDate: day("2026-05-01"), payment: payment,
            claim: ClaimTiming(submitAfterDays: 10, daysToPay: 45)
        )
        // Discharge day 12 + 10 + 45 = day 67: 2026-07-07.
        #expect(single.flows.filter { $0.direction == .in } == [CashFlow(date: day("2026-07-07"), caseID: "one-claim", label: "Claim", direction: .in, amount: payment.payerCost)])
        // The day-100 visit is the last flow, after the payment.
        #expect(single.flows.last?.date == day("2026-08-09"))
        // The product invoiced on its own claim at infusion, paid in 30 days, shortens the exposure.
        var split = single
        split.caseID = "split"
        split.receipts = [
            Receipt(label: "Carved-out product", amount: usd(373_000), timing: ClaimTiming(anchor: .infusion, submitAfterDays: 0, daysToPay: 30)),
            Receipt(label: "Rest of episode", amount: payment.payerCost - usd(373_000), timing: ClaimTiming(submitAfterDays: 10, daysToPay: 45)),
        ]
        let oneClaim = try CashExposure(cases: [single])
        let twoClaims = try CashExposure(cases: [split])
        #expect(twoClaims.finalOutstanding == oneClaim.finalOutstanding)
        // One claim: everything but the day-100 visit is out by day 30 (05-31): 449,640 − 480 = 449,160.
        #expect(oneClaim.peak == CashPoint(date: day("2026-05-31"), outstanding: usd(449_160)))
        // Two claims: the product is repaid on day 30, the day of the day-30 visit, so the peak is the
        // day-14 visits (05-15): 449,640 − 480 − 480 = 448,680.
        #expect(twoClaims.peak == CashPoint(date: day("2026-05-15"), outstanding: usd(448_680)))
        #expect(twoClaims.points.filter { $0.outstanding.minorUnits > 100_000_00 }.count < oneClaim.points.filter { $0.outstanding.minorUnits > 100_000_00 }.count)
    }

    @Test func noCasesNoCurve() throws {
        let exposure = try CashExposure(cases: [])
        #expect(exposure.points.isEmpty && exposure.peak == nil && exposure.daysExposed == 0 && exposure.bridgingCapital == usd(0))
    }

    @Test func refusesBadProfilesNamingTheField() {
        var bad = Self.profile("A", infused: "2026-03-10")
        bad.receipts[0].timing.daysToPay = -1
        bad.receipts[0].amount = usd(-5)
        bad.episode.services[0].quantity = -1
        bad.productPaymentTermsDays = 1_000
        let found = issues { () throws(ValidationError) in _ = try CashExposure(cases: [bad, Self.profile("A", infused: "2026-04-01")]) }
        #expect(found.map(\.field) == [
            "cases[0].episode.services[0].quantity", "cases[0].productPaymentTermsDays", "cases[0].receipts[0].amount",
            "cases[0].receipts[0].timing.daysToPay", "cases[1].caseID",
        ])
        let exposure = try? CashExposure(cases: [Self.profile("A", infused: "2026-03-10")])
        let whatIf = issues { () throws(ValidationError) in _ = try exposure?.whatIf(adding: Self.profile("T", infused: "2026-01-01"), infusionDates: []) }
        #expect(whatIf.map(\.field) == ["whatIf.infusionDates"])
    }
}
