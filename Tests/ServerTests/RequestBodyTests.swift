import Access
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
@testable import Server
import Storage
import Testing

/// Finding 3: bodies were read into memory before credentials were checked, so anonymous
/// 50 MB posts filled the server. These send bodies the way a client streams them and count
/// how much the server pulled.
@Suite("Credentials before bodies")
struct RequestBodyTests {
    /// A request body made on demand, counting what the server has read of it. With `hold`,
    /// it stops after that many bytes until `release()` is called.
    final class StreamedBody: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let total: Int
        let chunk: Int
        let hold: Int?
        private let consumed = NIOLockedValueBox(0)
        private let released = AsyncStream<Void>.makeStream()

        init(total: Int, chunk: Int = 64 * 1024, hold: Int? = nil) {
            self.total = total
            self.chunk = chunk
            self.hold = hold
        }

        var bytesRead: Int { consumed.withLockedValue { $0 } }
        func release() { released.continuation.finish() }

        struct AsyncIterator: AsyncIteratorProtocol {
            let body: StreamedBody
            var held = false

            mutating func next() async -> ByteBuffer? {
                let sent = body.bytesRead
                guard sent < body.total else { return nil }
                if let hold = body.hold, sent >= hold, !held {
                    held = true
                    for await _ in body.released.stream {}
                }
                let count = Swift.min(body.chunk, body.total - sent)
                body.consumed.withLockedValue { $0 += count }
                return ByteBuffer(repeating: UInt8(ascii: "a"), count: count)
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
    }

    /// Sends one request with a streamed body straight to the router, as the server would.
    static func send(
        _ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: StreamedBody, to responder: some HTTPResponder<CurePathRequestContext>
    ) async throws -> Response {
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers),
            body: RequestBody(asyncSequence: body))
        let context = CurePathRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: Logger(label: "test")))
        return try await responder.respond(to: request, context: context)
    }

    static func withRouter<T: Sendable>(
        configure: (inout AppConfiguration) -> Void = { _ in },
        _ test: (RouterResponder<CurePathRequestContext>, Store) async throws -> T
    ) async throws -> T {
        let store = try await Store.open(.sqliteInMemory)
        do {
            try await DemoLoader.load(TestApp.demo, into: store, contracts: false)
            var configuration = AppConfiguration()
            configuration.loadDemo = false
            configuration.clock = { TestApp.now }
            configure(&configuration)
            let responder = try await buildRouter(configuration, store: store).buildResponder()
            let result = try await test(responder, store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    static let fifty = 50 * 1_048_576

    static func text(of response: Response) async throws -> String {
        struct Collector: ResponseBodyWriter {
            let buffer = NIOLockedValueBox(ByteBuffer())
            mutating func write(_ part: ByteBuffer) async throws { _ = buffer.withLockedValue { $0.writeImmutableBuffer(part) } }
            consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
        }
        let collector = Collector()
        try await response.body.write(collector)
        return String(buffer: collector.buffer.withLockedValue { $0 })
    }

    @Test("an anonymous 50 MB post is refused with 401 without reading its body")
    func anonymousLargePost() async throws {
        try await Self.withRouter { responder, _ in
            for declared in [true, false] {
                let body = StreamedBody(total: Self.fifty)
                var headers: HTTPFields = [.contentType: "text/csv"]
                if declared { headers[.contentLength] = "\(Self.fifty)" }
                let response = try await Self.send(.post, "/api/v1/outcome-events", headers: headers, body: body, to: responder)
                #expect(response.status == .unauthorized)
                #expect(body.bytesRead == 0, "the server read \(body.bytesRead) bytes of an anonymous body")
            }
            // A bad token is no better, and neither is a page form without a session.
            let bogus = StreamedBody(total: Self.fifty)
            let refused = try await Self.send(.post, "/api/v1/outcome-events", headers: [.contentType: "text/csv", .authorization: "Bearer nope"], body: bogus, to: responder)
            #expect(refused.status == .unauthorized)
            #expect(bogus.bytesRead == 0)
            let form = StreamedBody(total: Self.fifty)
            let page = try await Self.send(.post, "/patients/p-1/clinical-facts/fhir", headers: [.contentType: "application/x-www-form-urlencoded"], body: form, to: responder)
            #expect(page.status == .seeOther)
            #expect(form.bytesRead == 0)
        }
    }

    @Test("a caller whose role may not use the route is refused with 403 without reading its body")
    func forbiddenLargePost() async throws {
        try await Self.withRouter { responder, store in
            let token = try await TestApp.token(for: .manufacturerAnalyst, in: store)
            let body = StreamedBody(total: Self.fifty)
            let response = try await Self.send(.post, "/api/v1/outcome-events", headers: [.contentType: "text/csv", .authorization: "Bearer \(token)"],
                                               body: body, to: responder)
            #expect(response.status == .forbidden)
            #expect(body.bytesRead == 0)
        }
    }

    @Test("a body over the route's declared limit is refused with 413 as soon as it passes the limit")
    func overTheLimit() async throws {
        try await Self.withRouter { responder, store in
            let token = try await TestApp.token(for: .centerCoordinator, in: store)
            // Declared too large: refused before a byte is read.
            let declared = StreamedBody(total: 3 * 1_048_576)
            let early = try await Self.send(.post, "/api/v1/cases", headers: [.contentType: "application/json", .authorization: "Bearer \(token)",
                                                                             .contentLength: "\(3 * 1_048_576)"], body: declared, to: responder)
            #expect(early.status == .contentTooLarge)
            #expect(early.headers[.contentType] == "application/problem+json")
            #expect(declared.bytesRead == 0)
            // Streamed without a length: read up to the limit (2 MiB) and no further.
            let streamed = StreamedBody(total: Self.fifty)
            let late = try await Self.send(.post, "/api/v1/cases", headers: [.contentType: "application/json", .authorization: "Bearer \(token)"],
                                           body: streamed, to: responder)
            #expect(late.status == .contentTooLarge)
            #expect(streamed.bytesRead <= RouteRule.defaultBodyLimit + streamed.chunk)
            #expect(try await Self.text(of: late).contains("body: must be at most 2 MiB"))
            // A page form's limit is its own (64 KiB), declared where the page is registered.
            let form = StreamedBody(total: 1_048_576)
            let caseID = TestApp.coordinatorCase.record.id
            let page = try await Self.send(.post, "/cases/\(caseID)/events", headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Bearer \(token)"],
                                           body: form, to: responder)
            #expect(page.status == .contentTooLarge)
            #expect(form.bytesRead <= RouteRule.formBodyLimit + form.chunk)
            // And the refusal was audited as a failed write.
            let failed = try await store.audit.entries(AuditQuery(action: Action.writeCases.rawValue, outcome: .failed, limit: 10)).total
            #expect(failed == 3)
        }
    }

    @Test("at most four large bodies are read at once; the fifth is told to retry")
    func concurrentLargeUploads() async throws {
        let gate = LargeUploadGate(threshold: 1_048_576, capacity: 4)
        try await Self.withRouter(configure: { $0.largeUploads = gate }) { responder, store in
            let token = try await TestApp.token(for: .mediatorOperator, in: store)
            let headers: HTTPFields = [.contentType: "text/csv", .authorization: "Bearer \(token)"]
            let held = (0..<4).map { _ in StreamedBody(total: 3 * 1_048_576, hold: 2 * 1_048_576) }
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for body in held {
                    group.addTask { try await Self.send(.post, "/api/v1/outcome-events", headers: headers, body: body, to: responder).status }
                }
                // Wait until all four hold a place.
                for _ in 0..<500 where gate.taken < 4 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(gate.taken == 4)
                let fifth = StreamedBody(total: 3 * 1_048_576)
                var declared = headers
                declared[.contentLength] = "\(3 * 1_048_576)"
                let busy = try await Self.send(.post, "/api/v1/outcome-events", headers: declared, body: fifth, to: responder)
                #expect(busy.status == .serviceUnavailable)
                #expect(busy.headers[.retryAfter] == "5")
                #expect(fifth.bytesRead == 0)
                // Small bodies still go through meanwhile.
                let small = StreamedBody(total: 100)
                let allowed = try await Self.send(.post, "/api/v1/outcome-events", headers: headers, body: small, to: responder)
                #expect(allowed.status != .serviceUnavailable)
                for body in held { body.release() }
                for try await status in group { #expect(status != .serviceUnavailable && status.code < 500) }
            }
            #expect(gate.taken == 0)
        }
    }

    /// Red-team pass 4: unfinished bodies (a sign-in form that never ends) were waited on for
    /// ever; 20,000 of them brought the process down. A body has a deadline; past it, 408.
    @Test(.timeLimit(.minutes(1))) func aBodyThatStopsArrivingIsRefusedAtItsDeadline() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        continuation.yield(ByteBuffer(string: "email="))
        let gate = LargeUploadGate(threshold: 4, capacity: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: Problem.self) {
            try await RequestBodyMiddleware<CurePathRequestContext>.read(
                RequestBody(asyncSequence: stream), declared: nil, limit: 16_384, gate: gate, within: .milliseconds(500))
        }
        #expect(error?.status == 408)
        #expect(ContinuousClock.now - started < .seconds(20))
        // The place it took at the gate (6 bytes > threshold 4) was given back.
        #expect(gate.enter())
        continuation.finish()
        // A body that does arrive in time is read whole.
        let (whole, sender) = AsyncStream<ByteBuffer>.makeStream()
        sender.yield(ByteBuffer(string: "email=a"))
        sender.finish()
        let read = try await RequestBodyMiddleware<CurePathRequestContext>.read(
            RequestBody(asyncSequence: whole), declared: nil, limit: 16_384, gate: LargeUploadGate(), within: .seconds(30))
        #expect(read.buffer.map { String(buffer: $0) } == "email=a")
        #expect(RequestBodyMiddleware<CurePathRequestContext>.deadline(forLimit: 16_384) < .seconds(31))
        #expect(RequestBodyMiddleware<CurePathRequestContext>.deadline(forLimit: 50_000_000) == .seconds(530))
    }
}
