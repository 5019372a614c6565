import Access
import CareNetwork
import Contracts
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("Recording payments from the statement page")
struct PaymentPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func encoded(_ fields: [(String, String)]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
    }

    @Test("the payer sees billed, paid and outstanding with ageing, records a payment, and sees a refused one's error beside its field")
    func payerRecordsFromThePage() async throws {
        try await TestApp.run(as: .mediatorOperator) { mediator, store in
            let party = try await LedgerPageTests.settle(mediator, store: store)
            guard case .payer(let payerID) = party else { throw CancellationError() }
            let client = try await LedgerPageTests.reviewer(at: payerID, mediator, store: store)
            let path = "/ledger/statements/\(party.code)"
            let posting = "zolgensma-annuity@1/\(ContractsAPITests.enrolledPatient.rawValue)/payment.installments/1#1"

            let page = try await client.execute(uri: path, method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"items\""))
            #expect(page.text.contains("id=\"payment-form\""))
            #expect(page.text.contains("<option value=\"\(posting)\""))
            #expect(page.text.contains("id=\"total-owes\">$425,000.00</th>"))

            let fields = [("reference", "ACH-PAGE-1"), ("payee", "manufacturer:mfr-novartis"), ("valueDate", "2026-11-20"), ("posting", posting)]
            let over = try await client.execute(uri: path + "/payments", method: .post, headers: Self.form,
                                                body: Self.encoded(fields + [("amount", "425000.01")])) { $0 }
            #expect(over.status == .unprocessableContent)
            #expect(over.text.contains("id=\"amount-error\""))
            #expect(over.text.contains("more than the $425,000.00 outstanding"))
            #expect(over.text.contains("value=\"ACH-PAGE-1\""), "the refused values are kept")

            let paid = try await client.execute(uri: path + "/payments", method: .post, headers: Self.form,
                                                body: Self.encoded(fields + [("amount", "400000.00")])) { $0 }
            #expect(paid.status == .seeOther, "\(paid.text)")
            let after = try await client.execute(uri: path, method: .get) { $0.text }
            #expect(after.contains("id=\"total-owes\">$25,000.00</th>"))
            #expect(after.contains("$400,000.00"))

            // A pasted remittance file's problems are listed against their lines.
            let file = "reference,payer,payee,value_date,posting,amount,currency\nACH-PAGE-2,\(party.code),manufacturer:mfr-novartis,2026-11-21,\(posting),30000.00,USD\n"
            let refused = try await client.execute(uri: path + "/remittances", method: .post, headers: Self.form, body: Self.encoded([("file", file)])) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"remittance-errors\""))
            #expect(refused.text.contains("line 2: amount"))
            #expect(try await store.ledger.transactions().filter { $0.category == .payment }.count == 1)
        }
    }

    @Test("a second payer has no form on another payer's statement and cannot post to it")
    func secondPayerHasNoForm() async throws {
        try await TestApp.run(as: .mediatorOperator) { mediator, store in
            let party = try await LedgerPageTests.settle(mediator, store: store)
            let other = try #require(TestApp.demo.payers.first { Party.payer($0.id) != party }).id
            let second = try await TestApp.client(
                as: .payerReviewer, at: Organization(id: "org-other-payer", name: "Other payer", kind: .payer, payerID: other), sharing: mediator, store: store)
            let posted = try await second.execute(uri: "/ledger/statements/\(party.code)/payments", method: .post, headers: Self.form,
                                                  body: Self.encoded([("reference", "X"), ("amount", "1.00")])) { $0.status }
            #expect(posted == .notFound)
            let own = try await second.execute(uri: "/ledger/statements/payer:\(other.rawValue)", method: .get) { $0.text }
            #expect(!own.contains("<option value=\"zolgensma-annuity"), "no other payer's posting is offered")
        }
    }
}
