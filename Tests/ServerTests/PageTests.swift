import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Journey
import NIOCore
import Server
import Storage
import Testing

@Suite("Web pages")
struct PageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("the network page shows bottlenecks, intervals and the distribution chart")
    func network() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let page = try await client.execute(uri: "/network", method: .get) { $0 }
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = page.text
            #expect(html.contains("id=\"bottlenecks\""))
            #expect(html.contains("<svg id=\"distribution-chart\""))
            #expect(html.contains("<span class=\"value\" id=\"case-count\">\(TestApp.demo.cases.count)</span>"))
            let center = TestApp.demo.centers[0]
            let filtered = try await client.execute(uri: "/network?center=\(center.id)", method: .get) { $0.text }
            let expected = TestApp.demo.cases.filter { $0.record.centerID == center.id }.count
            #expect(filtered.contains("id=\"case-count\">\(expected)</span>"))
        }
    }

    @Test("a case page draws the timeline with the critical path highlighted")
    func casePage() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let infused = try #require(try TestApp.demo.cases.first { try $0.journey().status == .infused })
            let html = try await client.execute(uri: "/cases/\(infused.record.id)", method: .get) { $0.text }
            #expect(html.contains("<svg id=\"timeline\""))
            #expect(html.contains("class=\"stage critical"))
            #expect(html.contains("data-stage=\"infusion\""))
            #expect(html.contains("Critical path:"))
            let missing = try await client.execute(uri: "/cases/case-none", method: .get) { $0.status }
            #expect(missing == .notFound)
        }
    }

    @Test("the case list filters by status and pages")
    func caseList() async throws {
        try await TestApp.run(as: .mediatorOperator) { client, _ in
            let lost = try await client.execute(uri: "/cases?status=lost", method: .get) { $0.text }
            #expect(!lost.contains("class=\"status open\""))
            #expect(!lost.contains("class=\"status infused\""))
            let first = try await client.execute(uri: "/cases", method: .get) { $0.text }
            #expect(first.contains("id=\"next-page\""))
            #expect(first.contains("href=\"/cases?offset=50\""))
        }
    }

    @Test("the event form refuses a broken rule with the reason and records a valid event")
    func recordThroughForm() async throws {
        try await TestApp.run { client, store in
            let open = try TestApp.openCase()
            let id = open.record.id
            let count = try await store.cases.events(of: id).count
            let bad = "stage=infusion&kind=completed&date=\(TestApp.today)&reason=&lossReason=&atRiskOverride=&id=form-1"
            let refused = try await client.execute(uri: "/cases/\(id)/events", method: .post, headers: Self.form, body: ByteBuffer(string: bad)) { $0 }
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("class=\"error\""))
            #expect(refused.text.contains("Infusion has not started"))
            #expect(try await store.cases.events(of: id).count == count)
            let good = "stage=&kind=lost&date=\(TestApp.today)&reason=&lossReason=declined&atRiskOverride=&id=form-2"
            let recorded = try await client.execute(uri: "/cases/\(id)/events", method: .post, headers: Self.form, body: ByteBuffer(string: good)) { $0 }
            #expect(recorded.status == .seeOther)
            #expect(recorded.headers[.location]?.hasPrefix("/cases/\(id)?recorded=") == true)
            #expect(try await store.cases.events(of: id).count == count + 1)
        }
    }
}
