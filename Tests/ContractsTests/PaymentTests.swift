import Foundation
import Testing
import Core
import CareNetwork
import Contracts

/// Payments against postings (``Payment``), open items with ageing (``OpenItems``) and
/// statements per currency.
@Suite struct PaymentTests {
    static let payerA = Party.payer("pay-a")
    static let payerB = Party.payer("pay-b")
    static let novartis = Party.manufacturer("mfr-novartis")
    static let eur = Currency(rawValue: "EUR")

    /// An installment `payer` owes the manufacturer, due on `due`.
    static func installment(_ number: Int, payer payerID: String, amount: Money, due: String, patient: String = "c1") throws -> LedgerTransaction {
        try LedgerTransaction(
            key: .settlement(PostingSlot(contractID: "zolgensma-annuity", contractVersion: 1, patientID: PatientID(patient),
                                         clause: "payment.installments", period: "\(number)"), sequence: 1),
            date: day(due), category: .installment,
            entries: [.debit(manufacturer("mfr-novartis", .receivable), amount), .credit(payer(payerID, .payable), amount)],
            citation: nil, memo: "installment \(number)")
    }

    static func pay(
        _ reference: String, from payer: Party = payerA, to payee: Party = novartis, on date: String = "2026-02-10",
        _ applications: (LedgerTransaction, Money)...
    ) -> Payment {
        let total = applications.dropFirst().reduce(applications[0].1) { $0 + $1.1 }
        return Payment(reference: reference, payer: payer, payee: payee, valueDate: day(date), amount: total,
                       applications: applications.map { PaymentApplication(posting: $0.0.key, amount: $0.1) })
    }

    @Test func aPaymentMovesTheObligationToCashAndTheLedgerStillBalances() throws {
        let first = try Self.installment(1, payer: "pay-a", amount: usd(425_000), due: "2026-02-01")
        let payment = try Self.pay("ACH-1", (first, usd(425_000))).transaction(in: [first])
        let ledger = [first, payment]
        #expect(TrialBalance(ledger).isBalanced)
        #expect(payment.key.rawValue == "payment:payer:pay-a/ACH-1")
        #expect(payment.settles == [PaymentApplication(posting: first.key, amount: usd(425_000))])
        let balances = balances(ledger)
        #expect(balances[payer("pay-a", .payable)] == nil, "the payable is settled")
        #expect(balances[manufacturer("mfr-novartis", .receivable)] == nil, "the receivable is settled")
        #expect(balances[payer("pay-a", .cash)] == usd(-425_000))
        #expect(balances[manufacturer("mfr-novartis", .cash)] == usd(425_000))
        let item = try #require(OpenItems(ledger).item(first.key, party: Self.payerA, direction: .owes))
        #expect(item.billed == usd(425_000) && item.paid == usd(425_000) && item.outstanding == .zero())
    }

    @Test func partPaymentsAddUpAndAnOverpaymentIsRefusedNamingTheField() throws {
        let first = try Self.installment(1, payer: "pay-a", amount: usd(425_000), due: "2026-02-01")
        let part = try Self.pay("ACH-1", (first, usd(400_000))).transaction(in: [first])
        let item = try #require(OpenItems([first, part]).item(first.key, party: Self.payerA, direction: .owes))
        #expect(item.outstanding == usd(25_000))
        #expect {
            try Self.pay("ACH-2", (first, usd(25_001))).transaction(in: [first, part])
        } throws: { error in
            let issue = (error as? ValidationError)?.issues.first
            return issue?.field == "applications[0].amount" && issue?.rule == "overpayment" && issue?.problem.contains("$25,000.00 outstanding") == true
        }
        // The rest is accepted.
        _ = try Self.pay("ACH-2", (first, usd(25_000))).transaction(in: [first, part])
    }

    @Test func openItemsKeptCurrentAgreeWithTheLedgerRebuilt() throws {
        // A remittance file is checked against open items kept current (OpenItems.include), not
        // rebuilt per row: both must give the same answers, payment after payment.
        let first = try Self.installment(1, payer: "pay-a", amount: usd(1_000), due: "2026-02-01")
        let second = try Self.installment(2, payer: "pay-a", amount: usd(500), due: "2027-02-01")
        var ledger = [first, second]
        var kept = OpenItems(ledger)
        for cent in 1...50 {
            let payment = try Self.pay("R-\(cent)", (first, usd(10)), (second, usd(5))).transaction(against: kept)
            #expect(payment == (try Self.pay("R-\(cent)", (first, usd(10)), (second, usd(5))).transaction(in: ledger)))
            kept.include(payment)
            ledger.append(payment)
            let rebuilt = OpenItems(ledger)
            for posting in [first, second] {
                #expect(kept.item(posting.key, party: Self.payerA, direction: .owes) == rebuilt.item(posting.key, party: Self.payerA, direction: .owes))
                #expect(kept.item(posting.key, party: Self.novartis, direction: .owed) == rebuilt.item(posting.key, party: Self.novartis, direction: .owed))
            }
        }
        #expect(kept.item(first.key, party: Self.payerA, direction: .owes)?.outstanding == usd(500))
        #expect(throws: ValidationError.self) { try Self.pay("R-over", (second, usd(251))).transaction(against: kept) }
    }

    @Test func aPaymentInAnotherCurrencyThanItsPostingIsRefused() throws {
        let euro = try Self.installment(1, payer: "pay-a", amount: Money(minorUnits: 42_500_000, currency: Self.eur), due: "2026-02-01")
        #expect {
            try Self.pay("ACH-1", (euro, usd(425_000))).transaction(in: [euro])
        } throws: { ($0 as? ValidationError)?.issues.first?.rule == "currency" }
        // Applications in two currencies in one payment are refused too.
        let dollars = try Self.installment(2, payer: "pay-a", amount: usd(425_000), due: "2027-02-01")
        let mixed = Payment(
            reference: "ACH-2", payer: Self.payerA, payee: Self.novartis, valueDate: day("2026-02-10"), amount: usd(425_000),
            applications: [PaymentApplication(posting: dollars.key, amount: usd(425_000)),
                           PaymentApplication(posting: euro.key, amount: Money(minorUnits: 100, currency: Self.eur))])
        #expect { try mixed.transaction(in: [euro, dollars]) } throws: { error in
            (error as? ValidationError)?.issues.contains { $0.field == "applications[1].amount" && $0.rule == "currency" } == true
        }
        // In euros it is recorded, and balances in euros.
        let paid = try Self.pay("ACH-3", (euro, Money(minorUnits: 42_500_000, currency: Self.eur))).transaction(in: [euro])
        #expect(TrialBalance([euro, paid]).isBalanced)
    }

    @Test func aPayerCannotPayAnotherPayersPostingAndLearnsNothingOfIt() throws {
        let theirs = try Self.installment(1, payer: "pay-a", amount: usd(425_000), due: "2026-02-01")
        var messages: [String] = []
        for key in [theirs.key, PostingKey(rawValue: "zolgensma-annuity@1/c9/payment.installments/1#1")!] {
            let payment = Payment(reference: "ACH-1", payer: Self.payerB, payee: Self.novartis, valueDate: day("2026-02-10"), amount: usd(1),
                                  applications: [PaymentApplication(posting: key, amount: usd(1))])
            #expect { try payment.transaction(in: [theirs]) } throws: { error in
                guard let issue = (error as? ValidationError)?.issues.first, issue.rule == "parties" else { return false }
                messages.append(issue.problem.replacingOccurrences(of: key.rawValue, with: "KEY"))
                return true
            }
        }
        // Another payer's posting and a posting that does not exist read the same.
        #expect(messages.count == 2 && messages[0] == messages[1])
        // Nor may the payee be someone the posting owes nothing.
        let wrongPayee = Self.pay("ACH-2", to: .center("ctr-1"), (theirs, usd(1)))
        #expect { try wrongPayee.transaction(in: [theirs]) } throws: { ($0 as? ValidationError)?.issues.first?.rule == "parties" }
    }

    @Test func aPaymentIsRecognisedWhenSentAgainAndADifferentOneUnderItsReferenceIsNot() throws {
        let first = try Self.installment(1, payer: "pay-a", amount: usd(425_000), due: "2026-02-01")
        let payment = Self.pay("ACH-1", (first, usd(425_000)))
        let recorded = try payment.transaction(in: [first])
        #expect(payment.isRecorded(as: recorded))
        var other = payment
        other.valueDate = day("2026-02-11")
        #expect(!other.isRecorded(as: recorded))
        var smaller = Self.pay("ACH-1", (first, usd(1)))
        smaller.amount = usd(1)
        #expect(!smaller.isRecorded(as: recorded))
    }

    @Test func badReferencesAndAmountsAreRefusedWithEveryProblem() throws {
        let first = try Self.installment(1, payer: "pay-a", amount: usd(425_000), due: "2026-02-01")
        for reference in ["", "=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "has space", String(repeating: "9", count: 65), "ACH:1"] {
            #expect { try Self.pay(reference, (first, usd(1))).transaction(in: [first]) } throws: { error in
                (error as? ValidationError)?.issues.contains { $0.field == "reference" } == true
            }
        }
        var wrongTotal = Self.pay("ACH-1", (first, usd(10)))
        wrongTotal.amount = usd(11)
        #expect { try wrongTotal.transaction(in: [first]) } throws: { ($0 as? ValidationError)?.issues.first?.field == "amount" }
        let twice = Payment(reference: "ACH-1", payer: Self.payerA, payee: Self.novartis, valueDate: day("2026-02-10"), amount: usd(2),
                            applications: [PaymentApplication(posting: first.key, amount: usd(1)), PaymentApplication(posting: first.key, amount: usd(1))])
        #expect { try twice.transaction(in: [first]) } throws: { ($0 as? ValidationError)?.issues.first?.rule == "unique" }
    }

    @Test func aReversalCancelsWhatWasUnpaidAndLeavesWhatWasPaidOwedBack() throws {
        let fourth = try Self.installment(4, payer: "pay-b", amount: usd(425_000), due: "2029-02-01")
        let reversal = try LedgerTransaction(
            key: .settlement(fourth.key.slot!, sequence: 2), date: day("2029-03-31"), category: .installment,
            entries: [.debit(payer("pay-b", .payable), usd(425_000)), .credit(manufacturer("mfr-novartis", .receivable), usd(425_000))],
            citation: nil, reverses: [fourth.key], memo: "installment 4 reversed")
        // Unpaid: nothing is left on either posting.
        let unpaid = OpenItems([fourth, reversal])
        #expect(unpaid.item(fourth.key, party: Self.payerB, direction: .owes)?.outstanding == .zero())
        #expect(unpaid.item(reversal.key, party: Self.payerB, direction: .owed)?.outstanding == .zero())
        // Paid first: the manufacturer owes it back on the reversal.
        let paid = try Self.pay("ACH-9", from: Self.payerB, on: "2029-02-05", (fourth, usd(425_000))).transaction(in: [fourth])
        let refunded = OpenItems([fourth, paid, reversal])
        #expect(refunded.item(fourth.key, party: Self.payerB, direction: .owes)?.outstanding == .zero())
        #expect(refunded.item(reversal.key, party: Self.payerB, direction: .owed)?.outstanding == usd(425_000))
        #expect(refunded.item(reversal.key, party: Self.novartis, direction: .owes)?.outstanding == usd(425_000))
        // …which the manufacturer's refund settles.
        let refund = try Self.pay("REF-1", from: Self.novartis, to: Self.payerB, on: "2029-04-10", (reversal, usd(425_000)))
            .transaction(in: [fourth, paid, reversal])
        #expect(TrialBalance([fourth, paid, reversal, refund]).isBalanced)
        #expect(OpenItems([fourth, paid, reversal, refund]).item(reversal.key, party: Self.payerB, direction: .owed)?.outstanding == .zero())
    }

    @Test("ageing buckets count days past the posting's due date", arguments: [
        ("2026-01-31", AgeingBucket.current), ("2026-02-01", .current), ("2026-02-02", .days1to30), ("2026-03-03", .days1to30),
        ("2026-03-04", .days31to60), ("2026-04-02", .days31to60), ("2026-04-03", .days61to90), ("2026-05-02", .days61to90),
        ("2026-05-03", .over90), ("2027-02-01", .over90),
    ])
    func ageing(asOf: String, bucket: AgeingBucket) throws {
        let first = try Self.installment(1, payer: "pay-a", amount: usd(425_000), due: "2026-02-01")
        let part = try Self.pay("ACH-1", on: "2026-01-20", (first, usd(25_000))).transaction(in: [first])
        let statement = Statement(party: Self.payerA, period: .init(), transactions: [first, part], asOf: day(asOf))
        #expect(statement.items.count == 1)
        #expect(statement.items[0].ageing(asOf: day(asOf)) == bucket)
        for each in AgeingBucket.allCases {
            #expect(statement.ageing.owes[each] == (each == bucket ? usd(400_000) : .zero()), "\(each) on \(asOf)")
            #expect(statement.ageing.owed[each] == .zero())
        }
    }

    /// Issue 16's reproduction: a contract filed in euros settled, but its postings were on no
    /// statement (the statement was always in dollars).
    @Test func aContractFiledInEurosIsOnTheStatementInEuros() throws {
        let text = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/contracts/zolgensma-installments.yaml"), encoding: .utf8)
        let terms = try ContractFile.parse(text.replacingOccurrences(of: " USD", with: " EUR"))
        let result = settle([terms], [treated("c1", terms, infused: "2026-02-01", payer: "pay-a")], coverage: [coverage("c1", "pay-a", "2025-01-01", nil)],
                            asOf: "2027-03-01")
        #expect(!result.transactions.isEmpty)
        #expect(result.transactions.allSatisfy { $0.entries.allSatisfy { $0.amount.currency == Self.eur } })
        // The dollar statement (what every statement used to be) has none of it.
        #expect(Statement(party: Self.payerA, period: .init(), transactions: result.transactions).lines.isEmpty)
        let statements = Statement.perCurrency(party: Self.payerA, period: .init(), transactions: result.transactions, asOf: day("2027-03-01"))
        #expect(statements.map(\.currency) == [Self.eur])
        let euros = try #require(statements.first)
        #expect(euros.lines.count == 2, "installments 1 and 2")
        #expect(euros.closing[.payable] == Money(minorUnits: -85_000_000, currency: Self.eur))
        #expect(euros.items.map(\.outstanding) == [Money(minorUnits: 42_500_000, currency: Self.eur), Money(minorUnits: 42_500_000, currency: Self.eur)])
        #expect(euros.ageing.owes[.over90] == Money(minorUnits: 42_500_000, currency: Self.eur), "installment 1, due 2026-02-01")
        #expect(euros.ageing.owes[.days1to30] == Money(minorUnits: 42_500_000, currency: Self.eur), "installment 2, due 2027-02-01")
        // The trial balance keeps euros apart and balances in each currency.
        let dollars = try Self.installment(9, payer: "pay-a", amount: usd(1), due: "2026-03-01", patient: "c2")
        let both = TrialBalance(result.transactions + [dollars])
        #expect(both.isBalanced)
        #expect(both.currencies == [.usd, Self.eur])
        #expect(both.balance(of: payer("pay-a", .payable), currency: Self.eur) == Money(minorUnits: -85_000_000, currency: Self.eur))
        #expect(both.balance(of: payer("pay-a", .payable)) == usd(-1))
    }
}
