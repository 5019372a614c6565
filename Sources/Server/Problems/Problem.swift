import Outcomes
import Core
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OpenAPIRuntime
import Storage

/// An RFC 9457 problem document: how every HTTP error leaves CurePath.
///
/// Handlers and the domain throw ordinary errors (``ValidationError``, ``NotFoundError``,
/// ``StorageError``); ``ProblemMiddleware`` turns each into one of these at the edge, so no
/// handler formats an error body itself and every error names the field it concerns.
struct Problem: Codable, Sendable, Error {
    struct FieldError: Codable, Sendable {
        var field: String
        var problem: String
        var rule: String?
    }

    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var requestId: String?
    var errors: [FieldError]?

    init(status: HTTPResponse.Status, type: String, title: String, detail: String? = nil, errors: [FieldError]? = nil) {
        self.type = "https://curepath.org/problems/\(type)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.errors = errors
    }

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }

    /// The problem an error should produce, looking through the OpenAPI runtime's wrapper.
    ///
    /// `body` is the request body as received (``RequestBodyMiddleware`` keeps it):
    /// JSONDecoder cannot say which field a number too large for its type or a malformed
    /// date-time was in, so the body is read again to name it.
    static func from(_ error: any Error, body: [UInt8]? = nil) -> Problem? {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ValidationError:
            let rule = error.issues.first?.rule
            return Problem(
                status: .unprocessableContent, type: rule ?? "validation", title: "The request was refused",
                detail: error.description,
                errors: error.issues.map { FieldError(field: $0.field, problem: $0.problem, rule: $0.rule) }
            )
        case let error as NotFoundError:
            return Problem(status: .notFound, type: "not-found", title: "Not found", detail: error.description)
        case StorageError.conflict(let message):
            return Problem(status: .conflict, type: "conflict", title: "Conflict", detail: message)
        case let error as DecodingError:
            let (field, problem) = describe(error)
            return malformed(field: field, problem: problem)
        case let error as ServerError:
            if error.underlyingError is DecodingError, let blamed = QueryParameters.blame(error.request.path ?? "") {
                return malformed(field: blamed.field, problem: blamed.problem)
            }
            if let decoding = error.underlyingError as? DecodingError, codingPath(of: decoding).isEmpty, let body {
                let blamed = RequestBodies.blame(body, operationID: error.operationID, error: decoding)
                return malformed(field: blamed.field, problem: blamed.problem)
            }
            if let inner = from(error.underlyingError, body: body) { return inner }
            // The runtime refused the request itself (its content type, its Accept header, a
            // missing part) with a 4xx and a message naming the part; or a handler failed in a
            // way nobody foresaw, which the runtime rates 500: that is ours, logged, and not
            // explained to the client.
            let text = "\(error.underlyingError)"
            let status = error.httpStatus
            switch status {
            case .unsupportedMediaType:
                return Problem(status: status, type: "unsupported-media-type", title: "Unsupported media type", detail: text,
                               errors: [FieldError(field: "Content-Type", problem: "must be application/json")])
            case .notAcceptable:
                return Problem(status: status, type: "not-acceptable", title: "Not acceptable", detail: text,
                               errors: [FieldError(field: "Accept", problem: "must accept application/json")])
            case _ where status.kind == .clientError:
                let field = text.contains("Accept header") ? "Accept" : text.contains("request body") ? "body" : field(in: text) ?? "request"
                return Problem(status: status, type: "malformed", title: "The request could not be read", detail: "\(field): \(text)",
                               errors: [FieldError(field: field, problem: text)])
            default:
                return nil
            }
        case is NIOTooManyBytesError:
            // A handler's own bound (a file format's limit) below the route's declared one.
            return .contentTooLarge("is larger than this request may be")
        case let error as HTTPError:
            return Problem(status: error.status, type: "http", title: error.status.reasonPhrase, detail: error.body)
        default:
            return nil
        }
    }

    private static func malformed(field: String, problem: String) -> Problem {
        Problem(status: .badRequest, type: "malformed", title: "The request could not be read", detail: "\(field): \(problem)",
                errors: [FieldError(field: field, problem: problem)])
    }

    /// Where the decoder was when it failed (for a missing key, the key itself).
    private static func codingPath(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .keyNotFound(let key, let context): context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath
        @unknown default: []
        }
    }

    private static func describe(_ error: DecodingError) -> (field: String, problem: String) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
            return trimmed.isEmpty ? "body" : trimmed
        }
        switch error {
        case .keyNotFound(let key, let context): return (path(context.codingPath, key), "is required")
        case .typeMismatch(let type, let context): return (path(context.codingPath), "must be \(describe(type))")
        case .valueNotFound(let type, let context): return (path(context.codingPath), "must be \(describe(type)), not null")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription.isEmpty ? "is not valid" : context.debugDescription)
        @unknown default: return ("body", "is not valid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case _ where "\(type)".hasPrefix("Dictionary<"): "a JSON object"
        case _ where "\(type)".hasPrefix("Array<"): "a JSON array"
        default: "a valid \(type)"
        }
    }

    /// Picks the parameter or field name out of a runtime message such as
    /// `… for parameter 'limit' …` or `… key "kind" …`.
    private static func field(in text: String) -> String? {
        for (open, close) in [("'", "'"), ("\"", "\"")] {
            if let start = text.range(of: open), let end = text[start.upperBound...].range(of: close) {
                let name = text[start.upperBound..<end.lowerBound]
                if !name.isEmpty, name.count < 64 { return String(name) }
            }
        }
        return nil
    }
}

extension Problem {
    /// A signed-in caller asking for something its organization may not do, though its role may.
    static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, type: "forbidden", title: "Not allowed", detail: detail)
    }
}

extension Problem {
    /// 413 naming the body and what is wrong with its size: the one shape every too-large
    /// refusal takes, whether the route's limit or a file format's was passed.
    static func contentTooLarge(_ problem: String) -> Problem {
        Problem(status: .contentTooLarge, type: "too-large", title: "Content too large", detail: "body: \(problem)",
                errors: [FieldError(field: "body", problem: problem)])
    }
}
