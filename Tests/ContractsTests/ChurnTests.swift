import Testing
import Core
import CareNetwork
import Outcomes
import Contracts

/// One patient with three insurers over five years, settled under each portability rule.
///
/// Contract: price $2,000,000; 50% ($1,000,000) at infusion on 2026-01-10, then four annual
/// installments of $250,000 due 2027-01-10, 2028-01-10, 2029-01-10 and 2030-01-10; a rebate of
/// 20% ($400,000) if the patient is hospitalized within 36 months; value spread over 5 years.
/// Coverage: pay-a to 2027-03-09, pay-b 2027-03-10 to 2029-03-09, pay-c from 2029-03-10.
/// The patient is hospitalized on 2028-07-10, while with pay-b. Settled as of 2031-01-31.
@Suite("Churn: three insurers over five years")
struct ChurnTests {
    func contract(_ rule: Portability.Rule) throws -> ContractTerms {
        try ContractFile.parse("""
            format: curepath.contract/v1
            id: churn-\(rule.rawValue)
            version: 1
            parties: { manufacturer: mfr-x, payers: any, mediator: curepath }
            product: prd-x
            unitPrice: 2000000.00 USD
            effective: { from: 2026-01-01 }
            payment:
              upfront: 50%
              installments: { count: 4, intervalMonths: 12 }
            measures:
              - { id: no-hosp, kind: noHospitalization, window: { months: 36 }, graceDays: 0, missingData: assumeMet }
            consequences:
              - { id: hosp-rebate, measure: no-hosp, when: notMet, rebate: 20% }
            portability: { rule: \(rule.rawValue), benefitYears: 5 }
            """)
    }

    let periods = [
        coverage("p", "pay-a", "2025-01-01", "2027-03-09"), coverage("p", "pay-b", "2027-03-10", "2029-03-09"),
        coverage("p", "pay-c", "2029-03-10", nil),
    ]
    let events = [outcome("p-hosp", "p", "2028-07-10", .hospitalization(reason: "infection"))]

    func settled(_ rule: Portability.Rule) throws -> [LedgerTransaction] {
        let terms = try contract(rule)
        let result = settle([terms], [treated("p", terms, infused: "2026-01-10", payer: "pay-a")], coverage: periods, outcomes: events, asOf: "2031-01-31")
        #expect(result.units[0].netPrice == usd(1_600_000))
        #expect(net(.manufacturer("mfr-x"), result.transactions) == usd(1_600_000))
        return result.transactions
    }

    func obligor(_ transaction: LedgerTransaction) -> Party? { transaction.entries.first { $0.side == .credit }?.account.party }

    @Test func staysWithThePayingPayer() throws {
        let ledger = try settled(.staysWithPayingPayer)
        // pay-a pays everything — 1,000,000 + 4 × 250,000 — and gets the 400,000 rebate, long after the patient left.
        #expect(clause("payment.installments", ledger).allSatisfy { obligor($0) == .payer("pay-a") })
        #expect(clause("consequences.hosp-rebate", ledger).first?.entries.contains(.debit(payer("pay-a", .receivable), usd(400_000))) == true)
        #expect(net(.payer("pay-a"), ledger) == usd(-1_600_000))
        #expect(net(.payer("pay-b"), ledger) == .zero())
        #expect(net(.payer("pay-c"), ledger) == .zero())
        #expect(clause("portability.transfer", ledger).isEmpty)
    }

    @Test func followsTheCurrentPayer() throws {
        let ledger = try settled(.followsCurrentPayer)
        // Installments: the payer covering on the due date.
        #expect(clause("payment.installments", ledger).map(obligor) == [.payer("pay-a"), .payer("pay-b"), .payer("pay-b"), .payer("pay-c")])
        // Value moves: the upfront $1,000,000 is 5 outcome years of $200,000. Year 3 starts
        // 2028-01-10 with pay-b, which reimburses pay-a $200,000. Years 4 and 5 start after the
        // hospitalization on 2028-07-10 ended the benefit: no transfer.
        let transfers = clause("portability.transfer", ledger)
        #expect(transfers.map { $0.key.slot!.period } == ["year-3"])
        #expect(Set(transfers[0].entries) == [.debit(payer("pay-a", .receivable), usd(200_000)), .credit(payer("pay-b", .payable), usd(200_000))])
        // The rebate goes to pay-b, covering the patient on 2028-07-10, which passes on pay-a's share.
        // Borne by then: pay-a 1,000,000 + 250,000 − 200,000 = 1,050,000; pay-b 250,000 + 200,000 = 450,000.
        // pay-a's share: 400,000 × 1,050,000 / 1,500,000 = 280,000; pay-b keeps 120,000.
        #expect(clause("consequences.hosp-rebate", ledger).first?.entries.contains(.debit(payer("pay-b", .receivable), usd(400_000))) == true)
        let share = try #require(clause("consequences.hosp-rebate.share", ledger).first)
        #expect(Set(share.entries) == [.debit(payer("pay-a", .receivable), usd(280_000)), .credit(payer("pay-b", .payable), usd(280_000))])
        // pay-a: −1,250,000 + 200,000 + 280,000; pay-b: −250,000 − 250,000 − 200,000 + 120,000; pay-c: −250,000.
        #expect(net(.payer("pay-a"), ledger) == usd(-770_000))
        #expect(net(.payer("pay-b"), ledger) == usd(-580_000))
        #expect(net(.payer("pay-c"), ledger) == usd(-250_000))
    }

    @Test func goesThroughTheMediatorsPool() throws {
        let ledger = try settled(.mediatorPool)
        // The pool pays the manufacturer 1,000,000 upfront and every installment, and receives the rebate.
        #expect(clause("payment.installments", ledger).allSatisfy { obligor($0) == .mediator("curepath") })
        #expect(clause("consequences.hosp-rebate", ledger).first?.entries.contains(.debit(mediator(.pool), usd(400_000))) == true)
        // Payers contribute 2,000,000 / 5 = 400,000 per outcome year they cover: year 1 (2026-01-10)
        // and year 2 (2027-01-10) pay-a, year 3 (2028-01-10) pay-b; the benefit ends before year 4.
        let contributions = clause("portability.contribution", ledger)
        #expect(contributions.map { "\($0.key.slot!.period) \(obligor($0)!)" } == ["year-1 payer:pay-a", "year-2 payer:pay-a", "year-3 payer:pay-b"])
        #expect(contributions.allSatisfy { $0.amount == usd(400_000) })
        #expect(net(.payer("pay-a"), ledger) == usd(-800_000))
        #expect(net(.payer("pay-b"), ledger) == usd(-400_000))
        #expect(net(.payer("pay-c"), ledger) == .zero())
        // The pool paid 2,000,000 and received 1,200,000 + 400,000: it carries the 400,000 difference.
        #expect(net(.mediator("curepath"), ledger) == usd(-400_000))
    }

    @Test func aLateCoverageCorrectionMovesTheInstallmentToTheRightPayer() throws {
        // Without a hospitalization. The 2029-01-10 installment and the year-4 transfer were
        // billed to pay-b; an eligibility file later shows the patient had moved to pay-c on
        // 2028-12-01. Under followsCurrentPayer both are reversed from pay-b and billed to pay-c;
        // the earlier postings are unaffected.
        let terms = try contract(.followsCurrentPayer)
        let patient = [treated("p", terms, infused: "2026-01-10", payer: "pay-a")]
        let first = settle([terms], patient, coverage: periods, asOf: "2029-02-01")
        let corrected = [
            coverage("p", "pay-a", "2025-01-01", "2027-03-09"), coverage("p", "pay-b", "2027-03-10", "2028-11-30"),
            coverage("p", "pay-c", "2028-12-01", nil),
        ]
        let second = settle([terms], patient, coverage: corrected, asOf: "2029-02-15", posted: first.transactions)
        #expect(second.transactions.map(\.key.rawValue) == [
            "churn-followsCurrentPayer@1/p/payment.installments/3#2", "churn-followsCurrentPayer@1/p/payment.installments/3#3",
            "churn-followsCurrentPayer@1/p/portability.transfer/year-4#2", "churn-followsCurrentPayer@1/p/portability.transfer/year-4#3",
        ])
        #expect(second.transactions[0].isReversal && second.transactions[1].entries.contains(.credit(payer("pay-c", .payable), usd(250_000))))
        #expect(second.transactions[2].isReversal && second.transactions[3].entries.contains(.credit(payer("pay-c", .payable), usd(200_000))))
        #expect(net(.payer("pay-b"), first.transactions + second.transactions) == usd(-450_000))
    }
}
