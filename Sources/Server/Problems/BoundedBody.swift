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
    /// 413 for `what` over `limit` bytes, the limit written as route rules write sizes.
    static func tooLarge(_ what: String, limit: Int) -> Problem {
        .contentTooLarge("\(what) must be at most \(RouteRule.describe(bytes: limit))")
    }
}
