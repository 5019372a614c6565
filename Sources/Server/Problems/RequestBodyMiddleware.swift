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
        var holdsPlace = false
        defer { if holdsPlace { gate.leave() } }
        func takePlace() -> Bool {
            holdsPlace = holdsPlace || gate.enter()
            return holdsPlace
        }
        if let declared, declared > gate.threshold, !takePlace() { return Self.busy() }

        var buffer = ByteBuffer()
        for try await chunk in request.body {
            let total = buffer.readableBytes + chunk.readableBytes
            if total > limit { throw Self.tooLarge(limit) }
            if total > gate.threshold, !takePlace() { return Self.busy() }
            buffer.writeImmutableBuffer(chunk)
        }
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
