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

@Suite("Ledger pages")
struct LedgerPageTests {
    /// Files the Zolgensma contract, enrolls a patient, settles as of 2026-11-01 and returns
    /// the payer the first installment was billed to (under "follows the current payer", the
    /// patient's payer on the due date).
    static func settle(_ client: any TestClientProtocol, store: Store) async throws -> Party {
        _ = try await ContractsAPITests.prepare(client)
        let settled = try await client.execute(uri: "/api/v1/settlements", method: .post, headers: TestApp.jsonHeaders,
                                               body: TestApp.json(["asOf": "2026-11-01"])) { $0 }
        #expect(settled.status == .created, "\(settled.text)")
        let parties = try await store.ledger.transactions().flatMap(\.entries).map(\.account.party)
        return try #require(parties.first { if case .payer = $0 { true } else { false } })
    }

    /// A client acting as a reviewer at `payer`'s own organization.
    static func reviewer(at payer: PayerID, _ client: any TestClientProtocol, store: Store) async throws -> AuthorizedClient {
        try await TestApp.client(
            as: .payerReviewer, at: Organization(id: "org-ledger-payer", name: "Ledger payer", kind: .payer, payerID: payer), sharing: client, store: store)
    }

    @Test("the mediator's ledger page draws balances per party, says the ledger balances, and lists runs and parties")
    func ledgerPage() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let payer = try await Self.settle(client, store: store)
            let page = try await client.execute(uri: "/ledger", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = page.text
            #expect(html.contains("<svg id=\"balance-chart\""))
            #expect(html.contains("role=\"img\" aria-label=\"Net balance per party at each month end"))
            #expect(html.contains("<title>Net balance per party"))
            #expect(html.contains("Feb 2026"))  // the month of the first installment, on the time axis
            #expect(html.contains("id=\"balanced\">Balanced</span>"))
            #expect(html.contains("class=\"intact\""))
            #expect(!html.contains("id=\"ledger-empty\""))
            let transactions = try await store.ledger.count()
            #expect(html.contains("id=\"transaction-count\">\(transactions)</span>"))
            #expect(html.contains("id=\"run-count\">1</span>"))
            #expect(html.contains("<td>2026-11-01</td>"))  // the run's as-of date
            #expect(html.contains("href=\"/ledger/statements/\(payer.code)\""))
            #expect(html.contains("id=\"trial-balance\""))
            // Five installments of $425,000, the first billed: four still to come.
            #expect(html.contains("<code>zolgensma-annuity</code>"))
            #expect(html.contains("$1,700,000.00"))
            // Obligations only so far: no cash table until a payment is recorded.
            #expect(!html.contains("id=\"cash\""))
            #expect(html.contains("id=\"no-cash\""))
        }
    }

    @Test("recorded payments appear as cash moved per party per month")
    func cash() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let payer = try await Self.settle(client, store: store)
            let manufacturer = Party.manufacturer(ManufacturerID("mfr-novartis"))
            let payment = try LedgerTransaction.payment(
                reference: "wire-1", from: payer, to: manufacturer, amount: Money(dollars: 425_000), date: CalendarDate(year: 2026, month: 4, day: 15)!)
            try await store.ledger.post([payment], run: SettlementRun(
                id: "run-payments", asOf: CalendarDate(year: 2026, month: 4, day: 15)!, startedAt: TestApp.now, transactionsPosted: 1, flags: 0, requestedBy: nil))
            let html = try await client.execute(uri: "/ledger", method: .get) { $0.text }
            #expect(html.contains("id=\"cash\""))
            #expect(html.contains("<td>2026-04</td><td class=\"num\">$425,000.00</td><td class=\"num\">$0.00</td>"))  // the manufacturer received
            #expect(html.contains("<td>2026-04</td><td class=\"num\">$0.00</td><td class=\"num\">$425,000.00</td>"))  // the payer paid
            #expect(html.contains("Apr 2026"))
            #expect(html.contains("id=\"balanced\">Balanced</span>"))
        }
    }

    @Test("a statement page lists every line with its contract and patient, and downloads as CSV and JSON")
    func statementPage() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let payer = try await Self.settle(client, store: store)
            let patient = ContractsAPITests.enrolledPatient
            let page = try await client.execute(uri: "/ledger/statements/\(payer.code)", method: .get) { $0 }
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<code id=\"party\">\(payer.code)</code>"))
            #expect(html.contains("<tr class=\"line\">"))
            #expect(html.contains("zolgensma-annuity v1"))
            #expect(html.contains("<span class=\"patient\">\(patient)</span>"))
            #expect(html.contains("<svg id=\"statement-chart\""))
            #expect(html.contains("id=\"closing-net\">-$425,000.00</th>"))  // the payer owes the first installment
            #expect(html.contains("href=\"/ledger/statements/\(payer.code)?format=csv\""))

            let csv = try await client.execute(uri: "/ledger/statements/\(payer.code)?format=csv", method: .get) { $0 }
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"statement-payer-") == true)
            #expect(csv.text.hasPrefix("date,key,account,category,debit,credit,balance,currency,reversal,contract_id,patient_id,memo,record,due_on,billed,paid,outstanding,ageing\n"))
            #expect(csv.text.contains("zolgensma-annuity"))

            let json = try await client.execute(uri: "/ledger/statements/\(payer.code)?format=json", method: .get) { $0 }
            #expect(json.headers[.contentType] == "application/json")
            #expect(!(json.object["lines"] as? [Any] ?? []).isEmpty)

            // A period before the installment: no lines, the balance carried to the close.
            let before = try await client.execute(uri: "/ledger/statements/\(payer.code)?from=2025-01-01&to=2025-12-31", method: .get) { $0.text }
            #expect(before.contains("id=\"no-lines\""))
            #expect(before.contains("href=\"/ledger/statements/\(payer.code)?from=2025-01-01&amp;to=2025-12-31&amp;format=csv\""))
        }
    }

    @Test("bad dates, periods, formats and party codes are refused as problems naming the field")
    func refusals() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            for (uri, field) in [
                ("/ledger/statements/payer:pay-x?from=2026-02-30", "from"),
                ("/ledger/statements/payer:pay-x?from=2026-03-01&to=2026-02-01", "to"),
                ("/ledger/statements/payer:pay-x?format=xlsx", "format"),
                ("/ledger/statements/nobody", "party"),
            ] {
                let response = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(response.status == .unprocessableContent, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                let fields = (response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields == [field], "\(uri): \(response.text)")
            }
        }
    }

    @Test("a payer sees its own statement page, not another party's, and not the whole ledger")
    func payerScope() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let payer = try await Self.settle(client, store: store)
            guard case .payer(let payerID) = payer else { return }
            let reviewer = try await Self.reviewer(at: payerID, client, store: store)

            let own = try await reviewer.execute(uri: "/ledger/statements/\(payer.code)", method: .get) { $0 }
            #expect(own.status == .ok)
            #expect(own.text.contains("zolgensma-annuity v1"))
            let csv = try await reviewer.execute(uri: "/ledger/statements/\(payer.code)?format=csv", method: .get) { $0 }
            #expect(csv.status == .ok)

            let other = TestApp.demo.payers.first { $0.id != payerID }!.id
            #expect(try await reviewer.execute(uri: "/ledger/statements/payer:\(other)", method: .get) { $0.status } == .notFound)
            #expect(try await reviewer.execute(uri: "/ledger/statements/payer:\(other)?format=csv", method: .get) { $0.status } == .notFound)
            #expect(try await reviewer.execute(uri: "/ledger/statements/manufacturer:mfr-novartis", method: .get) { $0.status } == .notFound)
            let ledger = try await reviewer.execute(uri: "/ledger", method: .get) { $0 }
            #expect(ledger.status == .forbidden)
            #expect(ledger.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("an empty ledger says nothing is posted yet instead of drawing an empty chart")
    func emptyLedger() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let page = try await client.execute(uri: "/ledger", method: .get) { $0 }
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("id=\"ledger-empty\""))
            #expect(html.contains("Nothing posted yet"))
            #expect(!html.contains("<svg"))
            #expect(html.contains("id=\"transaction-count\">0</span>"))
            #expect(html.contains("No settlement has run yet."))
            #expect(html.contains("No party holds an account yet."))
            #expect(html.contains("id=\"balanced\">Balanced</span>"))
            #expect(html.contains("No treated patients are enrolled under a contract yet."))
            let statement = try await client.execute(uri: "/ledger/statements/payer:pay-none", method: .get) { $0 }
            #expect(statement.status == .ok)
            #expect(statement.text.contains("id=\"no-lines\""))
        }
    }
}
