import Foundation
import Testing
import Core
import CareNetwork
import Contracts

@Suite("Ledger")
struct LedgerTests {
    let slot = PostingSlot(contractID: "c", contractVersion: 1, patientID: "pat-1", clause: "payment.upfront", period: "infusion")

    @Test func anUnbalancedTransactionCannotBeConstructed() {
        let key = PostingKey.settlement(slot, sequence: 1)
        #expect(throws: LedgerError.unbalanced(key: key.rawValue, debits: usd(100), credits: usd(99))) {
            try LedgerTransaction(
                key: key, date: day("2026-01-01"), category: .upfront,
                entries: [.debit(manufacturer("m", .receivable), usd(100)), .credit(payer("p", .payable), usd(99))], citation: nil, memo: "x"
            )
        }
        #expect(throws: LedgerError.noEntries(key: key.rawValue)) {
            try LedgerTransaction(key: key, date: day("2026-01-01"), category: .upfront, entries: [], citation: nil, memo: "x")
        }
        #expect(throws: LedgerError.self) {
            try LedgerTransaction(
                key: key, date: day("2026-01-01"), category: .upfront,
                entries: [.debit(manufacturer("m", .receivable), usd(-5)), .credit(payer("p", .payable), usd(-5))], citation: nil, memo: "x"
            )
        }
        // Balanced in total but not per currency.
        #expect(throws: LedgerError.self) {
            try LedgerTransaction(
                key: key, date: day("2026-01-01"), category: .upfront,
                entries: [
                    .debit(manufacturer("m", .receivable), usd(100)),
                    .credit(payer("p", .payable), Money(minorUnits: 10_000, currency: Currency(rawValue: "EUR"))),
                ],
                citation: nil, memo: "x"
            )
        }
    }

    @Test func aStoredTransactionThatDoesNotBalanceIsRefusedWhenRead() throws {
        let transaction = try LedgerTransaction(
            key: .settlement(slot, sequence: 1), date: day("2026-01-01"), category: .upfront,
            entries: [.debit(manufacturer("m", .receivable), usd(100)), .credit(payer("p", .payable), usd(100))], citation: nil, memo: "x"
        )
        let json = String(decoding: try JSONEncoder().encode(transaction), as: UTF8.self)
        #expect(try JSONDecoder().decode(LedgerTransaction.self, from: Data(json.utf8)) == transaction)
        // JSONEncoder's key order varies between runs, so change the first amount wherever it is.
        let tampered = json.replacingOccurrences(of: "\"minorUnits\":10000", with: "\"minorUnits\":10001", options: [], range: json.range(of: "\"minorUnits\":10000"))
        #expect(tampered != json)
        #expect(throws: LedgerError.self) { try JSONDecoder().decode(LedgerTransaction.self, from: Data(tampered.utf8)) }
    }

    @Test func keysAndAccountsRoundTripThroughText() {
        let key = PostingKey.settlement(slot, sequence: 3)
        #expect(key.rawValue == "c@1/pat-1/payment.upfront/infusion#3")
        #expect(PostingKey(rawValue: key.rawValue) == key)
        #expect(PostingKey(rawValue: "payment:ACH-1") == .payment(reference: "ACH-1"))
        #expect(PostingKey(rawValue: "c@x/pat-1/a/b#1") == nil)
        #expect(PostingKey(rawValue: "c@1/pat-1/a/b#0") == nil)
        let account = payer("pay-a", .receivable)
        #expect(account.code == "payer:pay-a:receivable")
        #expect(LedgerAccount(code: account.code) == account)
        #expect(LedgerAccount(code: "nobody:x:receivable") == nil)
    }

    @Test func paymentsSettleWhatWasOwedAndTheTrialBalanceStaysAtZero() throws {
        let owed = try LedgerTransaction(
            key: .settlement(slot, sequence: 1), date: day("2026-01-01"), category: .upfront,
            entries: [.debit(manufacturer("m", .receivable), usd(2_800_000)), .credit(payer("pay-a", .payable), usd(2_800_000))],
            citation: nil, memo: "upfront"
        )
        let paid = try LedgerTransaction.payment(
            reference: "ACH-1", from: .payer("pay-a"), to: .manufacturer("m"), amount: usd(2_800_000), date: day("2026-02-01")
        )
        let trial = TrialBalance([owed, paid])
        #expect(trial.isBalanced)
        #expect(trial.balance(of: payer("pay-a", .payable)) == .zero())
        #expect(trial.balance(of: manufacturer("m", .receivable)) == .zero())
        #expect(trial.balance(of: manufacturer("m", .cash)) == usd(2_800_000))
        #expect(trial.balance(of: payer("pay-a", .cash)) == usd(-2_800_000))
        #expect(trial.totalDebits[.usd] == usd(8_400_000) && trial.totalCredits[.usd] == usd(8_400_000))

        let statement = Statement(party: .payer("pay-a"), period: DateInterval(start: day("2026-01-15")), transactions: [owed, paid])
        #expect(statement.opening[.payable] == usd(-2_800_000))
        #expect(statement.lines.count == 2)
        #expect(statement.closing[.payable] == .zero() && statement.closing[.cash] == usd(-2_800_000))
        #expect(statement.closingNet == usd(-2_800_000))
    }
}
