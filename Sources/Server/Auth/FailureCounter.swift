import Foundation
import NIOConcurrencyHelpers

/// Counts failures per key in fixed windows, in bounded memory: an entry is forgotten when
/// its window ends, and when `capacity` keys are counted the entries with the fewest
/// failures (the oldest first among equals) are dropped to make room. A flood of new keys,
/// each with one failure, so evicts its own kind before any counter that is holding a client
/// back.
final class FailureCounter: Sendable {
    struct Entry: Sendable {
        var failures: Int
        var windowStart: Date
        /// Whether a refusal in this window has already been audited (later ones are not).
        var refusalAudited = false
    }

    let window: TimeInterval
    let capacity: Int
    private let entries = NIOLockedValueBox([String: Entry]())

    init(window: TimeInterval, capacity: Int) {
        self.window = window
        self.capacity = capacity
    }

    /// Failures of `key` in the current window.
    func failures(_ key: String, now: Date) -> Int {
        entries.withLockedValue { entries in live(&entries, key, now)?.failures ?? 0 }
    }

    /// When the window of `key` ends, if it has one.
    func windowEnd(_ key: String, now: Date) -> Date? {
        entries.withLockedValue { entries in live(&entries, key, now).map { $0.windowStart.addingTimeInterval(window) } }
    }

    func recordFailure(_ key: String, now: Date) {
        entries.withLockedValue { entries in
            if var entry = live(&entries, key, now) {
                entry.failures += 1
                entries[key] = entry
                return
            }
            if entries.count >= capacity { makeRoom(&entries, now: now) }
            entries[key] = Entry(failures: 1, windowStart: now)
        }
    }

    /// Marks a refusal of `key` audited; answers whether it was the first in its window.
    func firstRefusal(_ key: String, now: Date) -> Bool {
        entries.withLockedValue { entries in
            guard var entry = live(&entries, key, now) else { return true }
            defer { entry.refusalAudited = true; entries[key] = entry }
            return !entry.refusalAudited
        }
    }

    func forget(_ key: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: key) }
    }

    /// Keys counted now (expired ones included until they are next touched or room is made).
    var count: Int { entries.withLockedValue { $0.count } }

    private func live(_ entries: inout [String: Entry], _ key: String, _ now: Date) -> Entry? {
        guard let entry = entries[key] else { return nil }
        guard now.timeIntervalSince(entry.windowStart) < window else {
            entries[key] = nil
            return nil
        }
        return entry
    }

    /// Drops every expired entry, then, if that was not enough, the quarter with the fewest
    /// failures.
    private func makeRoom(_ entries: inout [String: Entry], now: Date) {
        entries = entries.filter { now.timeIntervalSince($0.value.windowStart) < window }
        guard entries.count >= capacity else { return }
        let least = entries.sorted { a, b in
            (a.value.failures, a.value.windowStart) < (b.value.failures, b.value.windowStart)
        }.prefix(max(1, capacity / 4))
        for (key, _) in least { entries[key] = nil }
    }
}
