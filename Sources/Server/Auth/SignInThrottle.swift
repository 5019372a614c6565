import Foundation
import NIOConcurrencyHelpers

/// Slows password guessing: at most `limit` failed sign-ins per email in `window`, counted
/// in this process (each server of a deployment keeps its own count).
final class SignInThrottle: Sendable {
    private let limit: Int
    private let window: TimeInterval
    private let failures = NIOLockedValueBox<[String: [Date]]>([:])

    init(limit: Int = 5, window: TimeInterval = 300) {
        self.limit = limit
        self.window = window
    }

    /// Whether another attempt for `key` is allowed now.
    func allows(_ key: String, now: Date) -> Bool {
        failures.withLockedValue { table in
            table[key] = table[key]?.filter { now.timeIntervalSince($0) < window }
            return (table[key]?.count ?? 0) < limit
        }
    }

    func recordFailure(_ key: String, now: Date) {
        failures.withLockedValue { table in table[key, default: []].append(now) }
    }

    func reset(_ key: String) {
        _ = failures.withLockedValue { table in table.removeValue(forKey: key) }
    }
}
