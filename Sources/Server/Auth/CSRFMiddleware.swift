import HTTPTypes
import Hummingbird

/// A form posted with a session cookie must prove it came from our own page by echoing the
/// session's CSRF token (in the `csrf` field — of a URL-encoded or multipart form — or an
/// `X-CSRF-Token` header). API tokens are
/// not sent by browsers on their own, so requests carrying one need no proof.
///
/// Runs after ``RequestBodyMiddleware`` (the token may be in the form) and so after
/// authentication; a refusal is audited as denied by ``AccessMiddleware``.
struct CSRFMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-CSRF-Token")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get, let expected = RequestIdentity.current?.csrfToken else { return try await next(request, context) }
        // A form with a file input is sent as multipart form data, its token one of the parts.
        let sent = request.headers[Self.header]
            ?? MultipartForm(RawRequestBody.current ?? [], contentType: request.headers[.contentType]).map { $0["csrf"]?.text ?? "" }
            ?? WebRoutes<Context>.formFields(RawRequestBody.text)["csrf"]
        guard let sent, ConstantTime.equal(sent, expected) else { throw CSRFRefusal() }
        return try await next(request, context)
    }
}

/// A session form post without the session's CSRF token.
struct CSRFRefusal: Error {
    var problem: Problem {
        Problem(status: .forbidden, type: "csrf", title: "Not allowed", detail: "the form's CSRF token is missing or wrong; reload the page and try again")
    }
}
