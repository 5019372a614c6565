import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Outcomes report")
struct OutcomesReportTests {
    @Test("the network's survival curve is drawn; a slice under 11 patients shows '<11' and withholds the estimate; a manufacturer reads it too")
    func suppression() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, _ in
            let all = try await client.execute(uri: "/reports/outcomes", method: .get) { $0 }
            #expect(all.status == .ok)
            let count = Int(all.text.components(separatedBy: "id=\"patients\">").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? 0
            #expect(count >= 11)
            #expect(all.text.contains("<svg id=\"survival-chart\""))
            #expect(all.text.contains("95% CI"))
            // The smallest slice of one center and one product: under 11 patients, nothing derived is shown.
            let small = try await client.execute(uri: "/reports/outcomes?center=\(TestApp.demo.centers[0].id.rawValue)&product=prd-lyfgenia", method: .get) { $0 }
            #expect(small.text.contains("id=\"patients\">&lt;11</span>") || small.text.contains("id=\"patients\"><11</span>"))
            #expect(!small.text.contains("survival-chart"))
            #expect(small.text.contains("withheld"))
            // No count between 1 and 10 appears in any per-year row.
            for cell in all.text.components(separatedBy: "<td class=\"num\">").dropFirst() {
                if let value = Int(cell.prefix { $0.isNumber }) { #expect(value >= 11) }
            }
        }
    }
}
