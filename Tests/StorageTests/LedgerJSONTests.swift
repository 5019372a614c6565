import Contracts
import Foundation
@testable import Storage
import Testing

@Suite("Stored postings")
struct LedgerJSONTests {
    @Test("the fast writer's JSON decodes to exactly what JSONEncoder's does, for every kind of posting")
    func sameAsCodable() throws {
        let workload = SettlementBenchmark.workload(patients: 600)
        let result = Settlement.run(
            contracts: workload.contracts, treatedPatients: workload.treatedPatients, coverage: workload.coverage,
            outcomes: workload.outcomes, asOf: workload.asOf)
        // Every category the engine produces appears, reversals included once corrected.
        let categories = Set(result.transactions.map(\.category))
        #expect(categories.count >= 6, "\(categories)")
        #expect(result.transactions.contains { $0.citation?.measure != nil })
        let decoder = JSONDecoder()
        for transaction in result.transactions {
            let fast = try decoder.decode(LedgerTransaction.self, from: Data(LedgerJSON.encode(transaction).utf8))
            let codable = try decoder.decode(LedgerTransaction.self, from: JSONEncoder().encode(transaction))
            #expect(fast == codable, "\(transaction.key)")
            #expect(fast.memo == transaction.memo)
        }
    }

    @Test("quotes, backslashes, control characters and non-ASCII text survive")
    func escaping() throws {
        let memo = "line 1\nline \"2\"\t\\ tab \u{01} — café 💊"
        let transaction = try LedgerTransaction(
            key: .payment(reference: "ref \"q\""), date: .init(year: 2026, month: 1, day: 2)!, category: .payment,
            entries: [.debit(LedgerAccount(.payer("p1"), .cash), .init(dollars: 1)), .credit(LedgerAccount(.mediator("m"), .cash), .init(dollars: 1))],
            citation: nil, memo: memo)
        let decoded = try JSONDecoder().decode(LedgerTransaction.self, from: Data(LedgerJSON.encode(transaction).utf8))
        #expect(decoded.memo == memo)
        #expect(decoded.key == transaction.key)
    }
}
