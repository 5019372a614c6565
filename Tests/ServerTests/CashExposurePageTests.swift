import Access
import CareNetwork
import Core
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Cash exposure page")
struct CashExposurePageTests {
    @Test("a center sees its cash curve with peak and bridging capital; more patients raise the peak; other centers' curves are not found")
    func curve() async throws {
        try await TestApp.run { client, _ in
            let center = TestApp.coordinatorCenter.rawValue
            let page = try await client.execute(uri: "/centers/\(center)/cash", method: .get) { $0 }
            #expect(page.status == .ok, "\(page.text.prefix(300))")
            #expect(page.text.contains("<svg id=\"cash-curve\""))
            #expect(page.text.contains("href=\"/centers/\(center)/cash\">Cash</a>"))
            func peak(_ html: String) -> Int64? {
                guard let range = html.range(of: "id=\"peak\">$") else { return nil }
                let digits = html[range.upperBound...].prefix { $0.isNumber || $0 == "," || $0 == "." }
                return Int64(digits.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: ".", with: ""))
            }
            let before = try #require(peak(page.text))
            #expect(before > 0)
            let more = try await client.execute(uri: "/centers/\(center)/cash?morePatients=3", method: .get) { $0 }
            #expect(more.text.contains("id=\"what-if\""))
            #expect(more.text.contains("cash-whatif"))
            #expect(try await client.execute(uri: "/centers/\(center)/cash?morePatients=0", method: .get) { $0 }.status == .unprocessableContent)
            let other = TestApp.demo.centers[1].id.rawValue
            #expect(try await client.execute(uri: "/centers/\(other)/cash", method: .get) { $0 }.status == .notFound)
        }
    }
}
