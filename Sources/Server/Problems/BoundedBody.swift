import OpenAPIRuntime

extension Array where Element == UInt8 {
    /// The request body's bytes, refused with a 413 naming the limit as soon as more than
    /// `limit` bytes arrive. A file format's own limit can be lower than the route's declared
    /// body limit, so handlers read through this rather than `collecting(upTo:)`, whose error
    /// is not ours to map (it became a 500, and its log line carried the whole request).
    init(body: HTTPBody, limit: Int, describedAs what: String = "the body") async throws {
        if case .known(let length) = body.length, length > limit {
            throw Problem.tooLarge(what, limit: limit)
        }
        var bytes: [UInt8] = []
        for try await chunk in body {
            guard bytes.count + chunk.count <= limit else { throw Problem.tooLarge(what, limit: limit) }
            bytes += chunk
        }
        self = bytes
    }
}

extension Problem {
    /// 413 for a body over `limit` bytes, naming the limit in plain units.
    static func tooLarge(_ what: String, limit: Int) -> Problem {
        let size = limit >= 1024 * 1024 ? "\(limit / (1024 * 1024)) MiB" : limit >= 1024 ? "\(limit / 1024) KiB" : "\(limit) bytes"
        let problem = "\(what) must be at most \(size)"
        return Problem(status: .contentTooLarge, type: "too-large", title: "Content too large", detail: "body: \(problem)",
                       errors: [FieldError(field: "body", problem: problem)])
    }
}
