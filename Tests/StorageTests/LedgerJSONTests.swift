import Contracts
import Core
import Foundation
@testable import Storage
import Testing

@Suite("Stored postings")
struct LedgerJSONTests {
    /// Reads a body back the way the repository does, with the posting's own columns.
    static func roundTrip(_ transaction: LedgerTransaction, body: String? = nil) throws -> LedgerTransaction {
        try LedgerJSON.decode(
            key: transaction.key.rawValue, date: transaction.date.description, effectiveOn: transaction.effectiveOn.description,
            category: transaction.category.rawValue, body: body ?? LedgerJSON.encode(transaction), using: JSONDecoder())
    }

    @Test("every kind of posting reads back equal, citation, measure result and evidence included")
    func sameAsWritten() throws {
        let result = SettlementBenchmark.measure(SettlementBenchmark.workload(patients: 600)).result
        // Every category the engine produces appears, reversals included once corrected.
        let categories = Set(result.transactions.map(\.category))
        #expect(categories.count >= 6, "\(categories)")
        #expect(result.transactions.contains { $0.citation?.measure != nil })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for transaction in result.transactions {
            let read = try Self.roundTrip(transaction)
            #expect(read == transaction, "\(transaction.key)")
            #expect(read.citation == transaction.citation, "\(transaction.key)")
            #expect(read.memo == transaction.memo)
            // And what the API would show: the posting's JSON is unchanged.
            #expect(try encoder.encode(read) == encoder.encode(transaction), "\(transaction.key)")
        }
    }

    @Test("bodies written in the first form (the whole posting as JSON) still read")
    func firstForm() throws {
        let result = SettlementBenchmark.measure(SettlementBenchmark.workload(patients: 100)).result
        for transaction in result.transactions.prefix(200) {
            let old = String(decoding: try JSONEncoder().encode(transaction), as: UTF8.self)
            #expect(try Self.roundTrip(transaction, body: old) == transaction, "\(transaction.key)")
        }
    }

    @Test("a citation that differs from its key, other currencies and a reversal's keys survive")
    func unusualCitation() throws {
        let slot = PostingSlot(contractID: "c1", contractVersion: 2, patientID: "p1", clause: "payment.upfront", period: "infusion")
        let measure = MeasureResult(
            measureID: "ti", status: .notMet, basis: .observed, decidedOn: .init(year: 2027, month: 1, day: 2), failureDate: nil,
            windowEnd: .init(year: 2027, month: 1, day: 1)!, evidence: ["e1", "e2"], explanation: "not met \"quoted\"")
        let transaction = try LedgerTransaction(
            key: .settlement(slot, sequence: 3), date: .init(year: 2027, month: 2, day: 1)!, effectiveOn: .init(year: 2026, month: 5, day: 1)!,
            category: .refund,
            entries: [.debit(LedgerAccount(.payer("p1"), .receivable), Money(minorUnits: 12_345, currency: Currency(rawValue: "EUR"))),
                      .credit(LedgerAccount(.manufacturer("m"), .payable), Money(minorUnits: 12_345, currency: Currency(rawValue: "EUR")))],
            citation: Citation(contractID: "c9", contractVersion: 7, productID: "prd", patientID: "p9", clause: "other", measure: measure,
                               eventIDs: ["e3"], tier: "gold"),
            reverses: [.settlement(slot, sequence: 1), .settlement(slot, sequence: 2)], memo: "reversed")
        #expect(try Self.roundTrip(transaction) == transaction)
        let noEvents = try LedgerTransaction(
            key: .settlement(slot, sequence: 1), date: .init(year: 2027, month: 2, day: 1)!, category: .fee,
            entries: [.debit(LedgerAccount(.mediator("x"), .fees), .init(dollars: 1)), .credit(LedgerAccount(.manufacturer("m"), .receivable), .init(dollars: 1))],
            citation: Citation(contractID: "c1", contractVersion: 2, productID: "prd", patientID: "p1", clause: "payment.upfront", measure: measure),
            memo: "fee")
        #expect(try Self.roundTrip(noEvents) == noEvents)
        #expect(try Self.roundTrip(noEvents).citation?.eventIDs == [])
    }

    @Test("quotes, backslashes, control characters and non-ASCII text survive")
    func escaping() throws {
        let memo = "line 1\nline \"2\"\t\\ tab \u{01} — café 💊"
        let transaction = try LedgerTransaction(
            key: .payment(reference: "ref \"q\""), date: .init(year: 2026, month: 1, day: 2)!, category: .payment,
            entries: [.debit(LedgerAccount(.payer("p1"), .cash), .init(dollars: 1)), .credit(LedgerAccount(.mediator("m"), .cash), .init(dollars: 1))],
            citation: nil, memo: memo)
        let decoded = try Self.roundTrip(transaction)
        #expect(decoded.memo == memo)
        #expect(decoded.key == transaction.key)
        #expect(decoded == transaction)
    }
}
