import Access
import CareNetwork
import Contracts
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import Testing

/// Finding 5, ledger side: a manufacturer's statement and net prices listed patient IDs with
/// their outcomes. A manufacturer now gets summed statement lines and per-unit prices with no
/// patient in them, in every format; the mediator still sees the patients.
@Suite("Manufacturers' ledger documents without patients")
struct ManufacturerLedgerPrivacyTests {
    static let party = "manufacturer:mfr-novartis"

    /// Every demo patient ID found in `text`.
    static func patientIDs(in text: String) -> [String] {
        TestApp.demo.patients.map(\.id.rawValue).filter { id in
            // Whole IDs only: `pat-12` must not match inside `pat-120`.
            text.range(of: "\(id)(?![0-9])", options: .regularExpression) != nil
        }
    }

    @Test("the manufacturer's statement (JSON, CSV, page and downloads) and net prices name no patient; the mediator's do")
    func noPatientIDs() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            _ = try await LedgerPageTests.settle(client, store: store)
            let enrolled = ContractsAPITests.enrolledPatient.rawValue

            // The mediator sees the unit's patient, on its statement lines and net prices.
            let mediatorStatement = try await client.execute(uri: "/api/v1/ledger/statements/\(Self.party)", method: .get) { $0 }
            #expect(Self.patientIDs(in: mediatorStatement.text) == [enrolled])
            let mediatorPrices = try await client.execute(uri: "/api/v1/ledger/net-prices", method: .get) { $0 }
            #expect(Self.patientIDs(in: mediatorPrices.text) == [enrolled])
            let postings = (mediatorStatement.object["lines"] as? [[String: Any]] ?? []).count
            #expect(postings > 0)

            let analyst = AuthorizedClient(base: (client as? AuthorizedClient)?.base ?? client,
                                           token: try await TestApp.token(for: .manufacturerAnalyst, in: store))
            let json = try await analyst.execute(uri: "/api/v1/ledger/statements/\(Self.party)", method: .get) { $0 }
            #expect(json.status == .ok, "\(json.text)")
            let csv = try await analyst.execute(uri: "/api/v1/ledger/statements/\(Self.party)", method: .get, headers: [.accept: "text/csv"]) { $0 }
            #expect(csv.status == .ok)
            #expect(csv.text.hasPrefix("date,key,account"))
            let page = try await analyst.execute(uri: "/ledger/statements/\(Self.party)", method: .get) { $0 }
            #expect(page.status == .ok)
            let pageCSV = try await analyst.execute(uri: "/ledger/statements/\(Self.party)?format=csv", method: .get) { $0 }
            let pageJSON = try await analyst.execute(uri: "/ledger/statements/\(Self.party)?format=json", method: .get) { $0 }
            let prices = try await analyst.execute(uri: "/api/v1/ledger/net-prices", method: .get) { $0 }
            #expect(prices.status == .ok)
            for (name, response) in [("json", json), ("csv", csv), ("page", page), ("page csv", pageCSV), ("page json", pageJSON), ("net prices", prices)] {
                #expect(Self.patientIDs(in: response.text).isEmpty, "\(name)")
            }

            // Summed, the lines still reconcile: the same closing balances, and every posting counted.
            let lines = json.object["lines"] as? [[String: Any]] ?? []
            #expect(!lines.isEmpty && lines.count <= postings)
            #expect(lines.allSatisfy { $0["patientId"] == nil })
            #expect(NSDictionary(dictionary: json.object["closing"] as? [String: Any] ?? [:])
                    == NSDictionary(dictionary: mediatorStatement.object["closing"] as? [String: Any] ?? [:]))
            let counted = lines.compactMap { ($0["memo"] as? String)?.split(separator: " ").first.flatMap { Int($0) } }.reduce(0, +)
            #expect(counted == postings)
            let units = prices.object["units"] as? [[String: Any]] ?? []
            #expect(!units.isEmpty)
            #expect(units.allSatisfy { $0["patientId"] == nil && $0["netPrice"] != nil })
        }
    }
}
