import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Gives every request an ID (the caller's `X-Request-ID` if it sent a sane one), puts it in
/// the log metadata and the response, and turns any error thrown below into a problem+json
/// response. Unexpected errors are logged with the request ID and answered with a 500 that
/// reveals nothing but that ID.
///
/// The body of an API write is read here (up to ``Problem/maxBodyBytes``) and kept, so a
/// body the decoder refuses without naming a field can be read again to name it, and so a
/// handler that must see the exact bytes (FHIR, whose decimals a generic JSON decoder would
/// round) can read them from ``RawRequestBody``.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-ID")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let incoming = request.headers[Self.requestIDHeader].flatMap { id in
            id.count <= 64 && id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } ? id : nil
        }
        let requestID = incoming ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        var request = request
        var body: ByteBuffer?
        do {
            if Self.keepsBody(request) {
                body = try await request.collectBody(upTo: Problem.maxBodyBytes(forPath: request.uri.path))
            }
            let kept = body.map { Array(buffer: $0) }
            response = try await RawRequestBody.$current.withValue(kept) { try await next(request, context) }
        } catch {
            var problem: Problem
            if let known = Problem.from(error, body: body.map { Array(buffer: $0) }) {
                problem = known
                if problem.status >= 500 { context.logger.error("request failed: \(error)") }
            } else {
                context.logger.error("unexpected error: \(String(reflecting: error))")
                problem = Problem(status: .internalServerError, type: "internal", title: "Internal error",
                                  detail: "Something went wrong on our side; quote request ID \(requestID).")
            }
            problem.requestId = requestID
            problem.instance = request.uri.path
            response = Self.response(for: problem)
        }
        response.headers[Self.requestIDHeader] = requestID
        return response
    }

    /// API writes: the only requests with a JSON body to diagnose.
    static func keepsBody(_ request: Request) -> Bool {
        [.post, .put, .patch].contains(request.method) && request.uri.path.hasPrefix("/api/")
    }

    static func response(for problem: Problem) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(problem)) ?? Data("{\"title\":\"Internal error\",\"status\":500}".utf8)
        return Response(
            status: problem.httpStatus,
            headers: [.contentType: "application/problem+json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

/// The exact bytes of the current API write, as ``ProblemMiddleware`` read them.
///
/// Generated handlers receive FHIR bodies already decoded into generic JSON values, which
/// hold numbers as binary floats; FHIR readers parse these bytes instead so `49.99` stays
/// exactly 49.99 and errors can name the JSON path.
enum RawRequestBody {
    @TaskLocal static var current: [UInt8]?
}
