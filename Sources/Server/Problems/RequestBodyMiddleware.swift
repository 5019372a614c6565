import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a request's body, within its route's declared limit, once the caller has been
/// authenticated and authorized (it runs after ``AccessMiddleware``): an anonymous or
/// forbidden request is answered before a byte of its body is read.
///
/// - A body whose `Content-Length` is over the route's ``RouteRule/bodyLimit`` is refused
///   with 413 before reading; a streamed one as soon as it passes the limit.
/// - A large body needs a place at the ``LargeUploadGate``; without one it is a 503 with
///   `Retry-After`.
/// - A body must arrive within ``deadline(forLimit:)``, else 408 and the connection closes.
/// - The bytes are kept (``RawRequestBody``) so a handler can read them exactly, and so a
///   body the JSON decoder refused without naming a field can be read again to name it.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let rules: RouteRules
    let gate: LargeUploadGate
    /// What a caller refused by a full ``LargeUploadGate`` is told to wait, in seconds.
    static var retryAfterSeconds: Int { 5 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let rule = rules.rule(request.method, endpointPath: context.endpointPath), rule.bodyLimit > 0 else {
            return try await next(request, context)
        }
        let limit = rule.bodyLimit
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit { throw Self.tooLarge(limit) }
        let read = try await Self.read(request.body, declared: declared, limit: limit, gate: gate, within: Self.deadline(forLimit: limit))
        defer { if read.holdsPlace { gate.leave() } }
        guard let buffer = read.buffer else { return Self.busy() }
        var request = request
        request.body = .init(buffer: buffer)
        let bytes = Array(buffer: buffer)
        do {
            return try await RawRequestBody.$current.withValue(bytes) { try await next(request, context) }
        } catch {
            // Name the field now, while the body is at hand (the decoder cannot always say).
            if let problem = Problem.from(error, body: bytes), problem.status < 500 { throw problem }
            throw error
        }
    }

    /// How long a body may take to arrive: half a minute, plus a second for every 100 KB the
    /// route allows. A client that trickles a body (or stops half-way) would otherwise hold its
    /// connection and a task for ever — the fourth red-team pass held 20,000 unfinished sign-in
    /// forms open until the process fell over.
    static func deadline(forLimit limit: Int) -> Duration {
        .seconds(30) + .milliseconds(limit / 100)
    }

    /// The body, within `limit` and before ``deadline(forLimit:)``; `buffer` is `nil` when the
    /// upload gate is full. A place taken at the gate is returned in `holdsPlace` (the caller
    /// leaves it), or left here when reading fails.
    static func read(
        _ body: RequestBody, declared: Int?, limit: Int, gate: LargeUploadGate, within deadline: Duration
    ) async throws -> (buffer: ByteBuffer?, holdsPlace: Bool) {
        try await withThrowingTaskGroup(of: (buffer: ByteBuffer?, holdsPlace: Bool)?.self) { group in
            group.addTask {
                var holdsPlace = false
                func takePlace() -> Bool {
                    holdsPlace = holdsPlace || gate.enter()
                    return holdsPlace
                }
                do {
                    if let declared, declared > gate.threshold, !takePlace() { return (nil, false) }
                    var buffer = ByteBuffer()
                    for try await chunk in body {
                        let total = buffer.readableBytes + chunk.readableBytes
                        if total > limit { throw Self.tooLarge(limit) }
                        if total > gate.threshold, !takePlace() { return (nil, false) }
                        buffer.writeImmutableBuffer(chunk)
                    }
                    try Task.checkCancellation()
                    return (buffer, holdsPlace)
                } catch {
                    if holdsPlace { gate.leave() }
                    throw error
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let read = first else { throw Self.tooSlow(limit) }
            return read
        }
    }

    static func tooSlow(_ limit: Int) -> Problem {
        Problem(status: .requestTimeout, type: "request-timeout", title: "The body arrived too slowly",
                detail: "a body of up to \(RouteRule.describe(bytes: limit)) must arrive within \(deadline(forLimit: limit).components.seconds) seconds; send it again")
    }

    static func tooLarge(_ limit: Int) -> Problem {
        .contentTooLarge("must be at most \(RouteRule.describe(bytes: limit))")
    }

    static func busy() -> Response {
        var response = ProblemMiddleware<Context>.response(for: Problem(
            status: .serviceUnavailable, type: "busy", title: "Too many large uploads at once",
            detail: "the server is reading as many large bodies as it holds at once; send this one again in \(retryAfterSeconds) seconds"))
        response.headers[.retryAfter] = "\(retryAfterSeconds)"
        return response
    }
}

/// The exact bytes of the current request's body, as ``RequestBodyMiddleware`` read them.
///
/// Generated handlers receive FHIR bodies already decoded into generic JSON values, which
/// hold numbers as binary floats; FHIR readers parse these bytes instead so `49.99` stays
/// exactly 49.99 and errors can name the JSON path. Page forms read their fields from here.
enum RawRequestBody {
    @TaskLocal static var current: [UInt8]?

    /// The body as text, for form posts.
    static var text: String { String(decoding: current ?? [], as: UTF8.self) }
}
