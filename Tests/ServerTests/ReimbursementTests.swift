import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Reimbursement comparison")
struct ReimbursementTests {
    static func episode() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/episodes/car-t-episode.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    @Test("the example episode under percent of charges and a case rate with carve-out, to the cent; a bad model is refused by path")
    func api() async throws {
        try await TestApp.run { client, _ in
            let body: [String: Any] = [
                "episode": try Self.episode(),
                "models": [
                    ["name": "62% of charges", "model": ["feeForService": ["percentOfCharges": "62"]]],
                    ["name": "case rate + carve-out", "model": ["carveOut": ["handling": ["markup": "5"],
                                                                              "rest": ["caseRate": ["amount": ["minorUnits": 18_500_000, "currency": "USD"], "includes": ["apheresis", "bridging-therapy", "lymphodepletion", "infusion", "icu-day", "acute-day", "outpatient-visit", "crs-icans-drug", "follow-up-visit", "complication-care", "other"], "includesComplications": true, "outside": ["notPaid": true]]]]]],
                ],
                "sensitivity": ["icuDayChanges": [0, 3], "complications": [true]],
            ]
            let response = try await client.execute(uri: "/api/v1/reimbursement/comparison", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(body)) { $0 }
            #expect(response.status == .ok, "\(response.text.prefix(600))")
            let rows = try #require((response.object["comparison"] as? [String: Any])?["rows"] as? [[String: Any]])
            func cents(_ row: [String: Any], _ key: String) -> Int? { ((row["payment"] as? [String: Any])?[key] as? [String: Any])?["minorUnits"] as? Int }
            // 62% of $1,152,500.00 in charges = $714,550.00; the episode costs the center $449,640.00.
            #expect(cents(rows[0], "payerCost") == 71_455_000)
            #expect(cents(rows[0], "centerCost") == 44_964_000)
            #expect(cents(rows[0], "centerMargin") == 71_455_000 - 44_964_000)
            // $185,000 case rate + product at $373,000 × 1.05 = $391,650 → $576,650.00.
            #expect(cents(rows[1], "payerCost") == 57_665_000)
            #expect(response.object["bestForCenter"] as? String == "62% of charges")
            #expect(((response.object["sensitivity"] as? [String: Any])?["rows"] as? [Any])?.count == 2)

            var bad = body
            bad["models"] = [["name": "per diem", "model": ["perDiem": ["icu": ["minorUnits": -5, "currency": "USD"]]]]]
            let refused = try await client.execute(uri: "/api/v1/reimbursement/comparison", method: .post, headers: TestApp.jsonHeaders, body: TestApp.json(bad)) { $0 }
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(refused.text)")
            #expect(refused.text.contains("models"))
        }
    }

    @Test("the page compares the default models for a product and draws the sensitivity grid")
    func page() async throws {
        try await TestApp.run { client, _ in
            let page = try await client.execute(uri: "/reimbursement?product=prd-kymriah", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.text.contains("Kymriah"))
            #expect(page.text.contains("id=\"comparison\""))
            #expect(page.text.contains("Medicare MS-DRG 018, FY2026"))
            #expect(page.text.contains("id=\"sensitivity\""))
            #expect(page.text.contains("best for the center"))
        }
    }
}
