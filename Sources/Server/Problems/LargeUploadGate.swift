import NIOConcurrencyHelpers

/// Bounds how many large request bodies are held in memory at once.
///
/// Outcome files may be 50 MiB and linkage files 20 MiB; a body is read whole before its
/// handler runs. A body over `threshold` bytes (by its declared length, or as soon as that
/// many bytes have arrived) needs one of `capacity` places; when all are taken the request is
/// refused with 503 and `Retry-After` instead of waiting, so memory stays near
/// `capacity × the largest limit` however many callers upload at once. Only callers that are
/// already signed in and allowed the route ever get here (``RequestBodyMiddleware`` runs
/// after ``AccessMiddleware``).
final class LargeUploadGate: Sendable {
    let threshold: Int
    let capacity: Int
    private let inFlight = NIOLockedValueBox(0)

    init(threshold: Int = 1_048_576, capacity: Int = 4) {
        self.threshold = threshold
        self.capacity = capacity
    }

    /// Takes a place, or answers `false` when every place is taken.
    func enter() -> Bool {
        inFlight.withLockedValue { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        inFlight.withLockedValue { $0 -= 1 }
    }

    /// Places taken now (for tests and the curious).
    var taken: Int { inFlight.withLockedValue { $0 } }
}
