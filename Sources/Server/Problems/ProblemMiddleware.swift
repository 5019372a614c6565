import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// Gives every request an ID (the caller's `X-Request-ID` if it sent a sane one), puts it in
/// the log metadata and the response, and turns any error thrown below into a problem+json
/// response — or, for a person's page request, an ``ErrorPage``. Unexpected errors are logged with the request ID and answered with a 500 that
/// reveals nothing but that ID.
///
/// It reads no request body: bodies are read only after the caller is known and allowed
/// (``RequestBodyMiddleware``, which also names the field of a body the decoder refused).
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
        do {
            response = try await next(request, context)
        } catch {
            var problem: Problem
            if let known = Problem.from(error) {
                problem = known
                if problem.status >= 500 { context.logger.error("request failed: \(Self.loggable(error))") }
            } else {
                context.logger.error("unexpected error: \(Self.loggable(error))")
                problem = Problem(status: .internalServerError, type: "internal", title: "Internal error",
                                  detail: "Something went wrong on our side; quote request ID \(requestID).")
            }
            problem.requestId = requestID
            problem.instance = request.uri.path
            response = ErrorPage.wanted(by: request) ? ErrorPage.response(for: problem) : Self.response(for: problem)
            // A body that arrived too slowly may still be arriving: end the connection with the answer.
            if problem.status == HTTPResponse.Status.requestTimeout.code { response.headers[.connection] = "close" }
        }
        response.headers[Self.requestIDHeader] = requestID
        return response
    }

    /// What the log may say of an error: its cause, never the request. The OpenAPI runtime's
    /// `ServerError` describes the whole request, headers included — a bearer token or a
    /// session cookie in the log is a credential anyone who reads the log can use.
    static func loggable(_ error: any Error) -> String {
        if let error = error as? ServerError {
            return "operation \(error.operationID): \(loggable(error.underlyingError))"
        }
        return String(reflecting: error)
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
