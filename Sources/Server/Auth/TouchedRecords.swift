import Synchronization

/// The records one request read or changed — `patient:pat-00042`, `case:case-00007` — so
/// its audit row names them, not only the path it came in on (a `POST /api/v1/cases` row
/// that does not say which patient it opened a case for proves nothing).
///
/// Handlers call ``RequestIdentity/touch(_:)`` as they resolve each record;
/// ``AccessMiddleware`` writes the names on the request's audit row.
final class TouchedRecords: Sendable {
    private let names = Mutex<[String]>([])

    /// At most this many names on one row: a bulk upload names its first ones and a count.
    static let limit = 20

    func add(_ new: [String]) {
        names.withLock { names in
            for name in new where !names.contains(name) { names.append(name) }
        }
    }

    /// The names, comma-separated, with how many more were touched past ``limit``.
    var summary: String? {
        names.withLock { names in
            guard !names.isEmpty else { return nil }
            let shown = names.prefix(Self.limit).joined(separator: ",")
            return names.count > Self.limit ? "\(shown) (+\(names.count - Self.limit) more)" : shown
        }
    }
}

extension RequestIdentity {
    /// The current request's touched records; set by ``AccessMiddleware`` around each request.
    @TaskLocal static var touched: TouchedRecords?

    /// Names records on the current request's audit row.
    static func touch(_ names: String...) {
        touched?.add(names)
    }

    /// Names records on the current request's audit row.
    static func touch(_ names: [String]) {
        touched?.add(names)
    }
}
