import Access
import CareNetwork
import Core
import Foundation
import HummingbirdTesting
import Journey
import Storage
import Testing

/// Finding 5: journey metrics answered for a single case once filtered to one center, payer,
/// product and day — to a manufacturer. Aggregates a reader sees only as aggregates now follow
/// the registry's small-cell rule, with complementary suppression.
@Suite("Small cells in journey metrics")
struct SmallCellSuppressionTests {
    /// A client acting as the demo's manufacturer analyst.
    static func manufacturer(_ client: any TestClientProtocol, store: Store) async throws -> AuthorizedClient {
        AuthorizedClient(base: (client as? AuthorizedClient)?.base ?? client, token: try await TestApp.token(for: .manufacturerAnalyst, in: store))
    }

    /// The filter that narrows the demo to one case: its center, payer, product and referral day.
    static func oneCaseQuery() throws -> String {
        let record = try #require(TestApp.demo.cases.first).record
        return "center=\(record.centerID)&payer=\(record.payerID)&product=\(record.productID)&referredFrom=\(record.referralDate)&referredTo=\(record.referralDate)"
    }

    @Test("a manufacturer filtering down to one case gets every count withheld and nothing derived, in the JSON and on the page; the mediator sees the case")
    func singleCase() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let query = try Self.oneCaseQuery()
            let full = try await client.execute(uri: "/api/v1/metrics/journey?\(query)", method: .get) { $0 }
            let fullOverall = try #require(full.object["overall"] as? [String: Any])
            let cases = try #require(fullOverall["caseCount"] as? Int)
            #expect((1..<SmallCells.threshold).contains(cases))
            #expect(fullOverall["suppressed"] == nil)

            let analyst = try await Self.manufacturer(client, store: store)
            let response = try await analyst.execute(uri: "/api/v1/metrics/journey?\(query)", method: .get) { $0 }
            #expect(response.status == .ok, "\(response.text)")
            let overall = try #require(response.object["overall"] as? [String: Any])
            #expect(overall["suppressed"] as? Bool == true)
            for key in ["caseCount", "openCount", "infusedCount", "lostCount", "lostBeforeInfusionShare"] { #expect(overall[key] == nil, "\(key)") }
            for interval in overall["intervals"] as? [[String: Any]] ?? [] {
                #expect((interval["distribution"] as? [String: Any])?.isEmpty == true, "\(interval["key"] ?? "")")
            }
            #expect((overall["bottlenecks"] as? [Any])?.isEmpty == true)
            for loss in overall["losses"] as? [[String: Any]] ?? [] { #expect(loss["count"] == nil && loss["share"] == nil) }

            let page = try await analyst.execute(uri: "/network?\(query)", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"case-count\">&lt;11<"))
            #expect(page.text.contains("id=\"small-cells\""))
            #expect(!page.text.contains("class=\"box\""))  // no distribution drawn
            let mediatorPage = try await client.execute(uri: "/network?\(query)", method: .get) { $0 }
            #expect(mediatorPage.text.contains("id=\"case-count\">\(cases)<"))
            #expect(!mediatorPage.text.contains("id=\"small-cells\""))
        }
    }

    @Test("split by center, payer or product: no count below 11 is shown, and the network total less the shown groups never isolates a withheld group")
    func complementarySuppression() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, store in
            let analyst = try await Self.manufacturer(client, store: store)
            var withheldGroups = 0
            for query in ["by=center", "by=payer", "by=product", "by=center&product=prd-yescarta", "by=payer&product=prd-yescarta"] {
                let full = try await client.execute(uri: "/api/v1/metrics/journey?\(query)", method: .get) { $0.object }
                let shown = try await analyst.execute(uri: "/api/v1/metrics/journey?\(query)", method: .get) { $0.object }
                let fullGroups = try #require(full["groups"] as? [[String: Any]])
                let shownGroups = try #require(shown["groups"] as? [[String: Any]])
                #expect(fullGroups.map { $0["key"] as? String } == shownGroups.map { $0["key"] as? String })
                let fullOverall = try #require(full["overall"] as? [String: Any])
                let shownOverall = try #require(shown["overall"] as? [String: Any])
                for field in ["caseCount", "openCount", "infusedCount", "lostCount"] {
                    let actual = fullGroups.map { ($0["metrics"] as? [String: Any])?[field] as? Int ?? 0 }
                    let visible = shownGroups.map { ($0["metrics"] as? [String: Any])?[field] as? Int }
                    // What is shown is true and never a small cell.
                    for (value, truth) in zip(visible, actual) where value != nil {
                        #expect(value == truth)
                        #expect(value! >= SmallCells.threshold, "\(query) \(field)")
                    }
                    let hidden = zip(visible, actual).filter { $0.0 == nil }.map(\.1)
                    withheldGroups += hidden.count
                    // With the total shown, subtraction leaves the withheld groups' sum: never one group, never a small sum.
                    if let total = shownOverall[field] as? Int {
                        #expect(total == fullOverall[field] as? Int)
                        #expect(hidden.isEmpty || (hidden.count >= 2 && hidden.reduce(0, +) >= SmallCells.threshold), "\(query) \(field): \(hidden)")
                    }
                }
            }
            // The demo's 150 cases split this way have small groups, so the rule was exercised.
            #expect(withheldGroups > 0)
        }
    }

    @Test("a center sees its own center's figures in full, and another center's under the rule")
    func centerScope() async throws {
        try await TestApp.run(as: .centerCoordinator) { client, _ in
            let own = TestApp.coordinatorCenter
            let day = try #require(TestApp.demo.cases.first { $0.record.centerID == own }).record.referralDate
            let ownReport = try await client.execute(uri: "/api/v1/metrics/journey?center=\(own)&referredFrom=\(day)&referredTo=\(day)", method: .get) { $0.object }
            let ownOverall = try #require(ownReport["overall"] as? [String: Any])
            #expect(ownOverall["suppressed"] == nil)
            #expect((ownOverall["caseCount"] as? Int).map { $0 >= 1 } == true)
            let other = try #require(TestApp.demo.cases.first { $0.record.centerID != own }).record
            let otherReport = try await client.execute(
                uri: "/api/v1/metrics/journey?center=\(other.centerID)&referredFrom=\(other.referralDate)&referredTo=\(other.referralDate)", method: .get) { $0.object }
            let otherOverall = try #require(otherReport["overall"] as? [String: Any])
            #expect(otherOverall["suppressed"] as? Bool == true)
            #expect(otherOverall["caseCount"] == nil)
        }
    }
}
