import HTTPTypes
import Hummingbird
import NIOCore

/// What a person sees when a page cannot be shown: a designed HTML page in plain words with a
/// way back, never the problem+json an API client gets.
///
/// ``ProblemMiddleware`` chooses: a request for a page (not under `/api/`, from a client that
/// accepts HTML) gets this; everything else gets the problem document. It is drawn without the
/// signed-in header on purpose: it may answer a request that failed before the caller was known,
/// and it must reveal nothing the problem would not.
enum ErrorPage {
    /// Whether a request is a person's page request rather than an API call.
    static func wanted(by request: Request) -> Bool {
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), !path.hasPrefix("/fhir/"), path != "/openapi.yaml" else { return false }
        return request.headers[.accept]?.contains("text/html") ?? false
    }

    static func response(for problem: Problem) -> Response {
        Response(
            status: problem.httpStatus,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html(for: problem)))
        )
    }

    static func html(for problem: Problem) -> String {
        let (heading, advice) = words(for: problem.status)
        // A 500's detail is already only the request ID, and a 404's names the router's path
        // ("no route GET /…"): the heading says it in words. Other details were written for the caller.
        let detail = problem.status >= 500 || problem.status == 404 ? nil : problem.detail
        let fields = (problem.errors ?? []).map { "<li><strong>\(HTML.escape($0.field))</strong>: \(HTML.escape($0.problem))</li>" }.joined()
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(heading)) — CurePath</title><link rel="stylesheet" href="/static/curepath.css"></head>
        <body><main class="error-page" id="main">
        <p class="brand"><a href="/">CurePath</a></p>
        <h1>\(HTML.escape(heading))</h1>
        <p>\(HTML.escape(advice))</p>
        \(detail.map { "<p class=\"detail\">\(HTML.escape($0))</p>" } ?? "")
        \(fields.isEmpty ? "" : "<ul class=\"field-errors\">\(fields)</ul>")
        <p><a href="/">Go to your start page</a> · <a href="/sign-in">Sign in as someone else</a></p>
        \(problem.requestId.map { "<p class=\"request-id\">If you contact support, quote request ID <code>\(HTML.escape($0))</code>.</p>" } ?? "")
        </main></body></html>
        """
    }

    static func words(for status: Int) -> (heading: String, advice: String) {
        switch status {
        case 401: ("Please sign in", "Your session has ended or you are not signed in.")
        case 403: ("You do not have access to this page",
                   "Your role or your organization does not allow it. If your work needs it, ask your organization's CurePath administrator.")
        case 404: ("Page not found", "There is no page at this address, or nothing here that your organization may see. Check the link, or start again from your start page.")
        case 409: ("That change conflicts with another", "Someone else may have changed this record; reload the page and try again.")
        case 413: ("That upload is too large", "Split the file into smaller parts and upload them one at a time.")
        case 429: ("Too many attempts", "Wait a few minutes and try again.")
        case 400, 422: ("That could not be done", "Nothing was changed. Correct what is described below and try again.")
        case 500...: ("Something went wrong on our side", "Nothing you did caused this. Try again in a moment; if it keeps happening, contact support.")
        default: ("That could not be done", "Nothing was changed.")
        }
    }
}
