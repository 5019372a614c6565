import Testing
import Core
import CareNetwork
import Outcomes
import Contracts

@Suite("Idempotent settlement")
struct IdempotencyTests {
    func fixture() throws -> (terms: ContractTerms, patients: [TreatedPatient], coverage: [CoveragePeriod], events: [OutcomeEvent]) {
        let terms = try exampleContract("hemgenix-warranty")
        let patients = (1...20).map { treated("p\($0)", terms, infused: "2026-0\($0 % 9 + 1)-10", payer: $0 % 2 == 0 ? "pay-a" : "pay-b") }
        let periods = patients.flatMap { patient in
            [coverage(patient.patientID.rawValue, "pay-a", "2025-01-01", "2027-12-31"), coverage(patient.patientID.rawValue, "pay-c", "2028-01-01", nil)]
        }
        let events = patients.enumerated().flatMap { index, patient in
            index % 3 == 0
                ? [outcome("\(patient.patientID)-loss", patient.patientID.rawValue, "2028-0\(index % 9 + 1)-20", .subsequentTherapy)]
                : [outcome("\(patient.patientID)-ok", patient.patientID.rawValue, "2030-12-01", .responseAssessment, value: "complete")]
        }
        return (terms, patients, periods, events)
    }

    @Test func theSameInputsGiveTheSamePostingsWithTheSameKeys() throws {
        let (terms, patients, coverage, events) = try fixture()
        let first = Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: day("2031-01-01"))
        let second = Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: day("2031-01-01"))
        #expect(!first.isEmpty)
        #expect(first == second)
        // The order outcome events and coverage arrive in does not matter.
        let shuffled = Settlement.evaluate(
            contracts: [terms], treatedPatients: patients, coverage: coverage.reversed(), outcomes: events.reversed(), asOf: day("2031-01-01")
        )
        #expect(shuffled == first)
        // Re-running over the ledger posts nothing; so does a later date when nothing happened.
        #expect(Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: day("2031-01-01"), posted: first).isEmpty)
        #expect(Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: day("2032-06-01"), posted: first).isEmpty)
    }

    @Test func settlingDayByDayEndsWhereOneSettlementDoes() throws {
        // Monthly settlements, each posting only what is new, build the same balances as one
        // settlement at the end: every posting lands once, whichever run posts it.
        let (terms, patients, coverage, events) = try fixture()
        var ledger: [LedgerTransaction] = []
        var date = day("2026-01-31")
        while date <= day("2031-01-01") {
            ledger += Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: date, posted: ledger)
            date = date.addingMonthsForTest(1)
        }
        ledger += Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: day("2031-01-01"), posted: ledger)
        let once = Settlement.evaluate(contracts: [terms], treatedPatients: patients, coverage: coverage, outcomes: events, asOf: day("2031-01-01"))
        #expect(balances(ledger) == balances(once))
        #expect(Set(ledger.map(\.key)) == Set(once.map(\.key)))
        #expect(ledger.allSatisfy { !$0.isReversal })
    }

    @Test func aCorrectionPostsOnlyTheCorrectingEntriesAndARevertBringsTheOriginalBack() throws {
        let terms = try exampleContract("medicaid-outcome-tiers")
        let patient = [treated("e", terms, infused: "2026-01-15", payer: "medicaid-md")]
        let voe = OutcomeKind.hospitalization(reason: "vaso-occlusive-event")
        let original = outcome("h", "e", "2026-06-20", voe)
        let ledger1 = Settlement.evaluate(contracts: [terms], treatedPatients: patient, outcomes: [original], asOf: day("2026-07-01"))
        // The hospitalization was entered in error: the rebate is reversed, the upfront payment untouched.
        let withdrawn = outcome("h-x", "e", "2026-06-20", .enteredInError, recorded: "2026-08-01", corrects: "h")
        let ledger2 = Settlement.evaluate(contracts: [terms], treatedPatients: patient, outcomes: [original, withdrawn], asOf: day("2026-08-15"), posted: ledger1)
        #expect(ledger2.map(\.key.rawValue) == ["medicaid-sickle-cell-tiers@1/e/consequences.tier-year-1/result#2"])
        #expect(ledger2[0].isReversal)
        // It was right after all: a correction of the correction re-posts the rebate under #3.
        let restored = outcome("h-y", "e", "2026-06-20", voe, recorded: "2026-09-01", corrects: "h-x")
        let ledger3 = Settlement.evaluate(
            contracts: [terms], treatedPatients: patient, outcomes: [original, withdrawn, restored], asOf: day("2026-09-15"), posted: ledger1 + ledger2
        )
        #expect(ledger3.map(\.key.rawValue) == ["medicaid-sickle-cell-tiers@1/e/consequences.tier-year-1/result#3"])
        #expect(ledger3[0].date == day("2026-09-15") && ledger3[0].effectiveOn == day("2026-09-01") && ledger3[0].amount == usd(1_500_000))
        #expect(balances(ledger1 + ledger2 + ledger3) == balances(ledger1))
    }

    @Test func anAmendmentForAllPatientsReplacesTheOldVersionsPostings() throws {
        let v1 = try exampleContract("zynteglo-transfusion-independence")
        var v2 = v1
        v2.version = 2
        v2.amends = 1
        v2.appliesTo = .allPatients
        v2.consequences[0].action = .refund(.share(Share(percent: 70)))
        let patient = [treated("a", v1, infused: "2026-03-02", payer: "pay-a")]
        let events = (0..<24).map { outcome("tx\($0)", "a", day("2026-03-20").addingMonthsForTest($0).description, .transfusion) }
        let ledger1 = Settlement.evaluate(contracts: [v1], treatedPatients: patient, outcomes: events, asOf: day("2028-06-01"))
        let ledger2 = Settlement.evaluate(contracts: [v1, v2], treatedPatients: patient, outcomes: events, asOf: day("2028-07-01"), posted: ledger1)
        // Every version-1 posting is reversed and version 2's posted; the ledger ends as if v2 had always applied.
        #expect(ledger2.filter(\.isReversal).allSatisfy { $0.key.slot?.contractVersion == 1 })
        #expect(ledger2.filter { !$0.isReversal }.allSatisfy { $0.key.slot?.contractVersion == 2 && $0.citation?.contractVersion == 2 })
        let fresh = Settlement.evaluate(contracts: [v1, v2], treatedPatients: patient, outcomes: events, asOf: day("2028-07-01"))
        #expect(balances(ledger1 + ledger2) == balances(fresh))
        #expect(clause("consequences.ti-refund", fresh).first?.amount == usd(1_960_000))
        // An amendment for new infusions only leaves this patient on version 1.
        v2.appliesTo = .newInfusions
        v2.effective = EffectivePeriod(from: day("2027-01-01"))
        #expect(Settlement.evaluate(contracts: [v1, v2], treatedPatients: patient, outcomes: events, asOf: day("2028-07-01"), posted: ledger1).isEmpty)
    }

    @Test func patientsTheEngineCannotSettleAreFlaggedAndPostNothing() throws {
        let terms = try exampleContract("medicaid-outcome-tiers")
        let patients = [
            TreatedPatient(patientID: "x1", productID: "prd-other", infusionDate: day("2026-02-01"), contractID: terms.id, payingPayer: "medicaid-md"),
            TreatedPatient(patientID: "x2", productID: terms.product, infusionDate: day("2025-02-01"), contractID: terms.id, payingPayer: "medicaid-md"),
            TreatedPatient(patientID: "x3", productID: terms.product, infusionDate: day("2026-02-01"), contractID: "nope", payingPayer: "medicaid-md"),
            TreatedPatient(patientID: "x4", productID: terms.product, infusionDate: day("2026-02-01"), contractID: terms.id, payingPayer: "aetna"),
        ]
        let result = Settlement.run(contracts: [terms], treatedPatients: patients, coverage: [], outcomes: [], asOf: day("2026-12-31"))
        #expect(result.transactions.isEmpty)
        #expect(result.flags.map(\.kind) == [.productMismatch, .outsideEffectivePeriod, .unknownContract, .payerNotParty])
        // Settlements run forward: a ledger with later postings is left alone.
        let ok = treated("ok", terms, infused: "2026-02-01", payer: "medicaid-md")
        let voe = [outcome("ok-voe", "ok", "2026-06-20", .hospitalization(reason: "vaso-occlusive-event"))]
        let ledger = Settlement.evaluate(contracts: [terms], treatedPatients: [ok], coverage: [], outcomes: voe, asOf: day("2026-12-31"))
        let backwards = Settlement.run(contracts: [terms], treatedPatients: [ok], coverage: [], outcomes: voe, asOf: day("2026-03-01"), posted: ledger)
        #expect(backwards.transactions.isEmpty && backwards.flags.map(\.kind) == [.postedAfterAsOf])
    }
}
