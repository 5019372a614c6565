import Access
@testable import Server
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Error pages")
struct ErrorPageTests {
    static let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]

    @Test("a page that does not exist, or that the role may not open, is an HTML page in words; the API still answers problem+json")
    func pagesGetHTMLAndTheAPIGetsProblems() async throws {
        try await TestApp.run(as: .manufacturerAnalyst) { client, _ in
            let missing = try await client.execute(uri: "/no-such-page", method: .get, headers: Self.browser) { $0 }
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(missing.text.contains("<h1>Page not found</h1>"))
            #expect(missing.text.contains("href=\"/\""))
            #expect(!missing.text.contains("\"status\""))
            #expect(!missing.text.contains("no route"))

            // A manufacturer may not read the audit log.
            let refused = try await client.execute(uri: "/audit", method: .get, headers: Self.browser) { $0 }
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(refused.text.contains("You do not have access to this page"))
            #expect(refused.text.contains("request ID"))

            // An API client gets the problem document for the same failures, browser or not.
            let api = try await client.execute(uri: "/api/v1/no-such-thing", method: .get, headers: Self.browser) { $0 }
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType] == "application/problem+json")
            let plain = try await client.execute(uri: "/audit", method: .get) { $0 }
            #expect(plain.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("the page escapes what the problem says")
    func escapes() {
        var problem = Problem(status: .unprocessableContent, type: "validation", title: "The request was refused", detail: "<script>x</script>",
                              errors: [.init(field: "<b>name</b>", problem: "is required")])
        problem.requestId = "abc"
        let html = ErrorPage.html(for: problem)
        #expect(!html.contains("<script>x"))
        #expect(html.contains("&lt;b&gt;name&lt;/b&gt;"))
        #expect(html.contains("That could not be done"))
    }
}
