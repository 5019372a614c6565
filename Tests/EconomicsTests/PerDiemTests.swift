import Core
import Economics
import Testing

@Suite("Per diem")
struct PerDiemTests {
    static let rates = PerDiem(icu: usd(4_500), acute: usd(2_100), outpatientVisit: usd(350), otherServices: .notPaid)

    @Test func paysEachLevelOfCarePerDayAndVisitsPerVisit() throws {
        let payment = try ReimbursementModel.perDiem(Self.rates).payment(for: carTEpisode())
        // ICU 3 days × $4,500 = $13,500; acute 9 days × $2,100 = $18,900; together $32,400.
        #expect(amount(payment, "ICU days for grade 3 CRS") == usd(13_500))
        #expect(amount(payment, "Acute inpatient days") == usd(18_900))
        #expect(payment.lines.filter { $0.kind == .icuDay || $0.kind == .acuteDay }.reduce(usd(0)) { $0 + $1.amount } == usd(32_400))
        // Outpatient 4 visits × $350 = $1,400; follow-up 1 × $350 on day 30 and again on day 100.
        #expect(amount(payment, "Outpatient visits, days 14 to 28") == usd(1_400))
        #expect(amount(payment, "Day 30 follow-up visit") == usd(350))
        // Everything else (product, apheresis, bridging, lymphodepletion, infusion, drugs, ICANS) is not paid.
        #expect(amount(payment, "Yescarta") == usd(0))
        #expect(payment.lines.first { $0.label == "Yescarta" }?.rule == "not paid (no per diem for product)")
        // Payer: 32,400 + 1,400 + 350 + 350 = $34,500. Center: 34,500 − 449,640 = −$415,140.
        #expect(payment.payerCost == usd(34_500))
        #expect(payment.centerCost == usd(449_640))
        #expect(payment.centerMargin == usd(-415_140))
        #expect(payment.lines.count == 12)  // one line per episode line, product included
        #expect(payment.lines.first { $0.kind == .icuDay }?.rule == "3 days × $4,500.00 ICU per diem")
    }

    @Test func paysOtherServicesByTheSecondaryRule() throws {
        var rates = Self.rates
        rates.otherServices = .percentOfCharges(pct("50"))
        let payment = try ReimbursementModel.perDiem(rates).payment(for: carTEpisode())
        // Per diem lines as above: $34,500. Others at 50% of charges:
        // product 466,250 + apheresis 9,250 + bridging 9,800 + lymphodepletion 5,850 + infusion 2,600 + tocilizumab 9,400 + ICANS 6,300 = 509,450.
        #expect(amount(payment, "Yescarta") == usd(466_250))
        #expect(payment.payerCost == usd(34_500 + 509_450))
    }

    @Test func refusesNegativeRatesNamingTheField() {
        var rates = Self.rates
        rates.icu = usd(-4_500)
        rates.otherServices = .percentOfCharges(pct("120"))
        let found = issues { () throws(ValidationError) in _ = try ReimbursementModel.perDiem(rates).validated() }
        #expect(found.map(\.field) == ["perDiem.icu", "perDiem.otherServices.percentOfCharges"])
        #expect(found.first?.problem == "must not be negative, got -$4,500.00")
        // Through payment(for:) as well: nothing is priced with an invalid model.
        let viaPayment = issues { () throws(ValidationError) in _ = try ReimbursementModel.perDiem(rates).payment(for: carTEpisode()) }
        #expect(viaPayment.first?.field == "perDiem.icu")
    }
}
