import Testing
import Core
import CareNetwork
import Outcomes
import Contracts

/// The five real-world arrangements of issue 3, as contract files in `Examples/contracts/`,
/// settled to amounts computed by hand. The arithmetic is in the comments.
@Suite("Worked examples")
struct WorkedExampleTests {
    let bluebird = Party.manufacturer("mfr-bluebird")

    // MARK: (a) Zynteglo: refund 80% if transfusion independence is not reached by month 24

    /// Monthly transfusions from `first` for `count` months.
    func transfusions(_ patient: String, from first: String, count: Int) -> [OutcomeEvent] {
        (0..<count).map { month in
            let date = day(first).addingMonthsForTest(month)
            return outcome("\(patient)-tx-\(month)", patient, date.description, .transfusion)
        }
    }

    func hemoglobin(_ id: String, _ patient: String, _ date: String, recorded: String? = nil) -> OutcomeEvent {
        outcome(id, patient, date, .labValue(test: "hemoglobin", value: ExactDecimal(significand: 112, scale: 1), unit: "g/dL"), recorded: recorded)
    }

    @Test func zynteglo() throws {
        let terms = try exampleContract("zynteglo-transfusion-independence")
        // Three patients infused 2026-03-02, all paid for by pay-a. Month 24 is 2028-03-02 and
        // the grace period of 60 days ends 2028-05-01 (29 days to 31 March, 30 in April, 1 in May).
        let patients = ["a1", "a2", "a3"].map { treated($0, terms, infused: "2026-03-02", payer: "pay-a") }
        var events: [OutcomeEvent] = []
        // a1: last transfusion 2026-08-15; followed up to 2028-03-01, so transfusion-free from
        // 2026-08-15 for more than 12 months (to 2027-08-15): met, no refund.
        events += transfusions("a1", from: "2026-03-15", count: 5) + [outcome("a1-tx-last", "a1", "2026-08-15", .transfusion)]
        events += [hemoglobin("a1-hb", "a1", "2027-09-01"), hemoglobin("a1-hb2", "a1", "2028-03-01")]
        // a2: transfused every month to 2028-02-20; 12 free months cannot fit before month 24: not met.
        events += transfusions("a2", from: "2026-03-20", count: 24)
        // a3: last transfusion 2026-07-10, last follow-up 2026-12-01; independence could have
        // been reached by 2027-07-10 but nobody knows: missing data, assumed not met.
        events += transfusions("a3", from: "2026-03-10", count: 5) + [hemoglobin("a3-hb", "a3", "2026-12-01")]

        let first = settle([terms], patients, outcomes: events, asOf: "2028-05-01")
        let ledger = first.transactions
        // Per patient: upfront 100% of $2,800,000 at infusion, and the 0.25% fee = $7,000.
        #expect(clause("payment.upfront", ledger).map(\.amount) == [usd(2_800_000), usd(2_800_000), usd(2_800_000)])
        #expect(clause("fee", ledger).map(\.amount) == [usd(7_000), usd(7_000), usd(7_000)])
        // a2 and a3: refund 80% × $2,800,000 = $2,240,000, decided 2028-05-01.
        let refunds = clause("consequences.ti-refund", ledger)
        #expect(refunds.map(\.key.slot!.patientID) == ["a2", "a3"])
        #expect(refunds.allSatisfy { $0.amount == usd(2_240_000) && $0.date == day("2028-05-01") && $0.category == .refund })
        #expect(refunds[0].citation?.measure?.basis == .observed)
        #expect(refunds[0].citation?.eventIDs.count == 24)
        #expect(refunds[1].citation?.measure?.basis == .assumedNotMet)
        #expect(first.flags.contains { $0.kind == .missingDataAssumed && $0.patientID == "a3" })
        #expect(first.results.first { $0.patientID == "a1" }?.results[0].status == .met)
        // Balances: manufacturer owed 3 × 2,800,000 − 3 × 7,000 = 8,379,000 and owes 2 × 2,240,000.
        let balance = balances(ledger)
        #expect(balance[manufacturer("mfr-bluebird", .receivable)] == usd(8_379_000))
        #expect(balance[manufacturer("mfr-bluebird", .payable)] == usd(-4_480_000))
        #expect(balance[mediator(.fees)] == usd(21_000))
        #expect(balance[payer("pay-a", .payable)] == usd(-8_400_000))
        #expect(balance[payer("pay-a", .receivable)] == usd(4_480_000))

        // The late outcome: a3's registry sends a hemoglobin from 2027-10-01 on 2028-06-15.
        // Transfusion-free from 2026-07-10 to 2027-10-01 is more than 12 months: met after all.
        // Only the correcting entry is posted: the refund is reversed, nothing else moves.
        let late = hemoglobin("a3-hb-late", "a3", "2027-10-01", recorded: "2028-06-15")
        let second = settle([terms], patients, outcomes: events + [late], asOf: "2028-06-30", posted: ledger)
        #expect(second.transactions.count == 1)
        let reversal = try #require(second.transactions.first)
        #expect(reversal.key.rawValue == "zynteglo-ti@1/a3/consequences.ti-refund/result#2")
        #expect(reversal.reverses == [refunds[1].key])
        #expect(reversal.date == day("2028-06-30"))
        #expect(Set(reversal.entries) == [
            .debit(manufacturer("mfr-bluebird", .payable), usd(2_240_000)), .credit(payer("pay-a", .receivable), usd(2_240_000)),
        ])
        #expect(reversal.citation?.measure?.status == .met)
        #expect(second.units.first { $0.patientID == "a3" }?.netPrice == usd(2_800_000))
        // Settling the earlier date again, after the late event was loaded, sees what was known then.
        let replay = Settlement.evaluate(contracts: [terms], treatedPatients: patients, outcomes: events + [late], asOf: day("2028-05-01"))
        #expect(replay == ledger)
    }

    // MARK: (b) Hemgenix: warranty refunding the price pro-rated by month if response is lost within 4 years

    @Test func hemgenix() throws {
        let terms = try exampleContract("hemgenix-warranty")
        let b1 = treated("b1", terms, infused: "2026-04-15", payer: "pay-a")
        let b2 = treated("b2", terms, infused: "2026-04-15", payer: "pay-a")
        // b1 changes payer mid-contract: pay-a to 2027-06-30, pay-b from 2027-07-01.
        let periods = [
            coverage("b1", "pay-a", "2025-01-01", "2027-06-30"), coverage("b1", "pay-b", "2027-07-01", nil),
            coverage("b2", "pay-a", "2025-01-01", nil),
        ]
        let events = [
            outcome("b1-r1", "b1", "2026-07-15", .responseAssessment, value: "complete"),
            outcome("b1-r2", "b1", "2027-04-20", .responseAssessment, value: "complete"),
            // Back on factor IX prophylaxis on 2028-10-20: response lost in month 31.
            outcome("b1-prophylaxis", "b1", "2028-10-20", .subsequentTherapy),
        ] + ["2026-07-15", "2027-04-15", "2028-04-15", "2029-04-15", "2030-05-01"].enumerated().map { index, date in
            outcome("b2-r\(index)", "b2", date, .responseAssessment, value: "complete")
        }
        let result = settle([terms], [b1, b2], coverage: periods, outcomes: events, asOf: "2030-06-30")
        let ledger = result.transactions
        // Upfront: $3,500,000 owed by pay-a; 20% ($700,000) held by the mediator, $2,800,000 to CSL.
        let upfront = clause("payment.upfront", ledger)
        #expect(upfront.count == 2)
        #expect(Set(upfront[0].entries) == [
            .debit(manufacturer("mfr-csl", .receivable), usd(2_800_000)), .debit(mediator(.reserve), usd(700_000)),
            .credit(payer("pay-a", .payable), usd(3_500_000)),
        ])
        // Value follows the patient: outcome year 3 starts 2028-04-15 with pay-b covering b1, so
        // pay-b reimburses pay-a one year of four: $3,500,000 / 4 = $875,000. Year 2 (2027-04-15)
        // was still pay-a's; year 4 (2029-04-15) comes after the failure.
        let transfers = clause("portability.transfer", ledger)
        #expect(transfers.map(\.key.slot!.period) == ["year-3"])
        #expect(Set(transfers[0].entries) == [.debit(payer("pay-a", .receivable), usd(875_000)), .credit(payer("pay-b", .payable), usd(875_000))])
        // The warranty: 2026-04-15 to 2028-10-20 is 30 whole months, so 18 of 48 months are refunded:
        // $3,500,000 × 18 / 48 = $1,312,500, decided the day the event was recorded. The reserve
        // pays $700,000 of it and CSL owes $612,500. pay-b, covering the patient, receives it.
        let warranty = try #require(clause("consequences.warranty", ledger).first)
        #expect(warranty.date == day("2028-10-20"))
        #expect(Set(warranty.entries) == [
            .debit(payer("pay-b", .receivable), usd(1_312_500)), .credit(mediator(.reserve), usd(700_000)),
            .credit(manufacturer("mfr-csl", .payable), usd(612_500)),
        ])
        // pay-b passes on pay-a's share. Price borne by then: pay-a 3,500,000 − 875,000 = 2,625,000;
        // pay-b 875,000. pay-a's share: 1,312,500 × 2,625,000 / 3,500,000 = 984,375.
        let share = try #require(clause("consequences.warranty.share", ledger).first)
        #expect(Set(share.entries) == [.debit(payer("pay-a", .receivable), usd(984_375)), .credit(payer("pay-b", .payable), usd(984_375))])
        // b2 never lost response: its reserve of $700,000 is released at month 49, 2030-05-15.
        let release = clause("reserve.release", ledger)
        #expect(release.map { $0.key.slot!.patientID } == ["b2"])
        #expect(release.first?.date == day("2030-05-15") && release.first?.amount == usd(700_000))
        // What each payer bore in the end: pay-a paid 7,000,000 for two units and got back
        // 875,000 + 984,375 (b1) = 5,140,625 net; pay-b bore 875,000 and kept 328,125 of the refund.
        #expect(net(.payer("pay-a"), ledger) == usd(-5_140_625))
        #expect(net(.payer("pay-b"), ledger) == usd(-546_875))
        #expect(net(.manufacturer("mfr-csl"), ledger) == usd(3_500_000 + 2_187_500))
        #expect(net(.mediator("curepath"), ledger) == .zero())
        #expect(result.units.map(\.netPrice) == [usd(2_187_500), usd(3_500_000)])
    }

    // MARK: (c) Zolgensma: five annual installments of $425,000, stopped on failure

    @Test func zolgensma() throws {
        let terms = try exampleContract("zolgensma-installments")
        let c1 = treated("c1", terms, infused: "2026-02-01", payer: "pay-a")
        let periods = [coverage("c1", "pay-a", "2025-01-01", "2027-06-30"), coverage("c1", "pay-b", "2027-07-01", nil)]
        var events = ["2026-08-01", "2027-08-01", "2028-08-01"].map { outcome("c1-\($0)", "c1", $0, .responseAssessment, value: "responding") }
        // Installments are due 2026-02-01, 2027-02-01, 2028-02-01, 2029-02-01 and 2030-02-01;
        // $2,125,000 / 5 = $425,000 each. The payer covering the patient on the due date pays it.
        let first = settle([terms], [c1], coverage: periods, outcomes: events, asOf: "2029-02-28")
        let installments = clause("payment.installments", first.transactions)
        #expect(installments.map(\.amount) == Array(repeating: usd(425_000), count: 4))
        #expect(installments.map { $0.entries.first { $0.side == .credit }!.account } == [
            payer("pay-a", .payable), payer("pay-a", .payable), payer("pay-b", .payable), payer("pay-b", .payable),
        ])
        #expect(first.units[0].outstandingInstallments == usd(425_000))

        // Late outcome: a switch to another SMA therapy on 2028-09-10 is reported on 2029-03-15.
        // Installments due on or after the failure stop: the 4th, already posted, is reversed,
        // and the 5th is never billed. Net price: 2,125,000 − 2 × 425,000 = 1,275,000.
        events.append(outcome("c1-switch", "c1", "2028-09-10", .subsequentTherapy, recorded: "2029-03-15"))
        let second = settle([terms], [c1], coverage: periods, outcomes: events, asOf: "2029-03-31", posted: first.transactions)
        #expect(second.transactions.count == 1)
        let reversal = try #require(second.transactions.first)
        #expect(reversal.key.rawValue == "zolgensma-annuity@1/c1/payment.installments/4#2")
        #expect(Set(reversal.entries) == [.debit(payer("pay-b", .payable), usd(425_000)), .credit(manufacturer("mfr-novartis", .receivable), usd(425_000))])
        #expect(second.units[0].cancelledInstallments == usd(850_000))
        #expect(second.units[0].netPrice == usd(1_275_000))
        let ledger = first.transactions + second.transactions
        #expect(net(.payer("pay-a"), ledger) == usd(-850_000))
        #expect(net(.payer("pay-b"), ledger) == usd(-425_000))
        // Nothing more is ever billed, even years later.
        #expect(Settlement.evaluate(contracts: [terms], treatedPatients: [c1], coverage: periods, outcomes: events, asOf: day("2031-06-30"), posted: ledger).isEmpty)
    }

    // MARK: (d) Lyfgenia: half at infusion, the rest at 18 months only if the benefit is confirmed

    @Test func lyfgenia() throws {
        let terms = try exampleContract("lyfgenia-confirmed-benefit")
        let d1 = treated("d1", terms, infused: "2026-05-10", payer: "pay-a")
        let d2 = treated("d2", terms, infused: "2026-05-10", payer: "pay-a")
        // d1 changes payer on 2027-01-01; under staysWithPayingPayer pay-a still owes the remainder.
        let periods = [coverage("d1", "pay-a", "2025-01-01", "2026-12-31"), coverage("d1", "pay-b", "2027-01-01", nil)]
        let events = [
            outcome("d1-visit", "d1", "2026-11-10", .responseAssessment, value: "complete"),
            outcome("d1-visit2", "d1", "2027-11-20", .responseAssessment, value: "complete"),
            outcome("d2-voe", "d2", "2026-12-03", .hospitalization(reason: "vaso-occlusive-event")),
        ]
        // Month 18 is 2027-11-10; with 45 days' grace the benefit is confirmed on 2027-12-25.
        // Before then the remainder waits, flagged because it is past due.
        let early = settle([terms], [d1, d2], coverage: periods, outcomes: events, asOf: "2027-11-30")
        #expect(clause("payment.installments", early.transactions).isEmpty)
        #expect(early.flags.contains { $0.kind == .installmentHeld && $0.patientID == "d1" })

        let result = settle([terms], [d1, d2], coverage: periods, outcomes: events, asOf: "2028-01-31")
        // Upfront 50% of $3,100,000 = $1,550,000 each.
        #expect(clause("payment.upfront", result.transactions).map(\.amount) == [usd(1_550_000), usd(1_550_000)])
        // d1: the other $1,550,000 on 2027-12-25, from pay-a. d2 was hospitalized for a
        // vaso-occlusive event on 2026-12-03: the remainder is never due; net price $1,550,000.
        let remainder = clause("payment.installments", result.transactions)
        #expect(remainder.count == 1)
        #expect(remainder[0].date == day("2027-12-25") && remainder[0].effectiveOn == day("2027-12-25"))
        #expect(Set(remainder[0].entries) == [.debit(manufacturer("mfr-bluebird", .receivable), usd(1_550_000)), .credit(payer("pay-a", .payable), usd(1_550_000))])
        #expect(remainder[0].citation?.measure?.measureID == "no-voe-18m")
        #expect(result.units.map(\.netPrice) == [usd(3_100_000), usd(1_550_000)])
        #expect(net(bluebird, result.transactions) == usd(4_650_000))
    }

    // MARK: (e) Medicaid outcome tiers: a lower net price by year of hospitalization

    @Test func medicaidOutcomeTiers() throws {
        let terms = try exampleContract("medicaid-outcome-tiers")
        let e1 = treated("e1", terms, infused: "2026-01-15", payer: "medicaid-md")
        let e2 = treated("e2", terms, infused: "2026-02-01", payer: "medicaid-va")
        let e3 = treated("e3", terms, infused: "2026-03-01", payer: "medicaid-md")
        // e1 moves from Maryland to Virginia Medicaid on 2026-04-01; the rebate stays with Maryland.
        let periods = [coverage("e1", "medicaid-md", "2025-01-01", "2026-03-31"), coverage("e1", "medicaid-va", "2026-04-01", nil)]
        let voe = OutcomeKind.hospitalization(reason: "vaso-occlusive-event")
        var events = [
            outcome("e1-voe", "e1", "2026-06-20", voe),  // month 6: year 1
            outcome("e2-voe", "e2", "2027-05-10", voe),  // month 15: year 2
            outcome("e2-other", "e2", "2026-09-01", .hospitalization(reason: "infection")),  // another reason: ignored
            outcome("e3-visit", "e3", "2029-03-15", .responseAssessment, value: "complete"),
        ]
        let first = settle([terms], [e1, e2, e3], coverage: periods, outcomes: events, asOf: "2027-06-15")
        // Year 1: rebate 75% of $2,000,000 = $1,500,000 (net $500,000). Year 2: 62.5% = $1,250,000 (net $750,000).
        let year1 = clause("consequences.tier-year-1", first.transactions)
        let year2 = clause("consequences.tier-year-2", first.transactions)
        #expect(year1.map(\.amount) == [usd(1_500_000)] && year1[0].date == day("2026-06-20"))
        #expect(Set(year1[0].entries) == [.debit(payer("medicaid-md", .receivable), usd(1_500_000)), .credit(manufacturer("mfr-vertex", .payable), usd(1_500_000))])
        #expect(year2.map(\.amount) == [usd(1_250_000)] && year2[0].citation?.tier == "year-2")
        let prior = [ProductID("prd-sickle-gt"): usd(1_800_000)]
        let before = NetPrice.report(units: first.units, priorBestPrices: prior)
        #expect(before.map(\.netPrice) == [usd(2_000_000), usd(500_000), usd(750_000)])
        #expect(before.map(\.tier) == ["base", "year-1", "year-2"])
        // Both tiered units set a new best price in their tier (below the $1,800,000 reported before).
        #expect(before.map(\.setsNewBestPrice) == [false, true, true])

        // A correction: e2 was already hospitalized on 2026-11-20 (month 9), reported 2027-07-01.
        // The year-2 rebate is reversed and the year-1 rebate posted: 1,250,000 back, 1,500,000 out.
        events.append(outcome("e2-voe-earlier", "e2", "2026-11-20", voe, recorded: "2027-07-01"))
        let second = settle([terms], [e1, e2, e3], coverage: periods, outcomes: events, asOf: "2027-07-31", posted: first.transactions)
        #expect(second.transactions.map(\.key.rawValue) == [
            "medicaid-sickle-cell-tiers@1/e2/consequences.tier-year-1/result#1",
            "medicaid-sickle-cell-tiers@1/e2/consequences.tier-year-2/result#2",
        ])
        #expect(second.transactions[0].amount == usd(1_500_000) && second.transactions[0].date == day("2027-07-01"))
        #expect(second.transactions[1].isReversal && second.transactions[1].amount == usd(1_250_000))

        // e3 was never hospitalized in 36 months (to 2029-03-01; confirmed after 30 days' grace): no rebate.
        let ledger = first.transactions + second.transactions
        let last = settle([terms], [e1, e2, e3], coverage: periods, outcomes: events, asOf: "2029-04-30", posted: ledger)
        #expect(last.transactions.isEmpty)
        #expect(last.results.first { $0.patientID == "e3" }?.results[0].status == .met)
        let report = NetPrice.report(units: last.units, priorBestPrices: prior)
        // In the order the net prices were set: e3 at infusion, e1 on 2026-06-20, e2 on 2027-07-01.
        #expect(report.map(\.patientID) == ["e3", "e1", "e2"])
        #expect(report.map(\.netPrice) == [usd(2_000_000), usd(500_000), usd(500_000)])
        #expect(report.map(\.setsNewBestPrice) == [false, true, false])
        #expect(NetPrice.bestPrices(report).map { "\($0.tier) \($0.price)" } == ["base $2,000,000.00", "year-1 $500,000.00"])
        // Maryland bore 4,000,000 and got 1,500,000 back; Virginia 2,000,000 and 1,500,000.
        #expect(net(.payer("medicaid-md"), ledger) == usd(-2_500_000))
        #expect(net(.payer("medicaid-va"), ledger) == usd(-500_000))
    }
}

extension CalendarDate {
    /// Calendar-month arithmetic for building test data (the engine's own is internal).
    func addingMonthsForTest(_ months: Int) -> CalendarDate {
        let (year, month, dayOfMonth) = components
        let total = year * 12 + (month - 1) + months
        return CalendarDate(year: total / 12, month: total % 12 + 1, day: min(dayOfMonth, 28))!
    }
}
