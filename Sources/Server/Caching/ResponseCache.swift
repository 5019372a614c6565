import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import Storage

/// Responses to reads, kept until the data behind them changes.
///
/// Each entry is filed under the exact request (path, query, `Accept`) and the credential
/// that made it — so one organization's view is never served to another, and a page's
/// CSRF token stays with its session — and stamped with the ``ChangeTracker/Stamp`` it was
/// built at. An entry whose stamp is not the current one is never served: any committed
/// write, in this process or (within the tracker's poll interval) in another, retires every
/// entry at once. ``maxAge`` bounds how long an entry lives even if no write is seen.
///
/// Reading a cached page still passes through authentication and the access policy; only
/// the database reads and the rendering are skipped.
final class ResponseCache: Sendable {
    struct Key: Hashable, Sendable {
        var credential: String
        var target: String
        var accept: String
    }

    struct Entry: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
        var stamp: ChangeTracker.Stamp
        var storedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    let maxEntries: Int
    let maxBytes: Int
    let maxEntryBytes: Int
    let maxAge: Duration
    private let state = NIOLockedValueBox(State())

    init(maxEntries: Int = 20_000, maxBytes: Int = 128 << 20, maxEntryBytes: Int = 1 << 20, maxAge: Duration = .seconds(30)) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxAge = maxAge
    }

    /// The entry for `key` if it was built at `stamp` and is young enough.
    func entry(for key: Key, at stamp: ChangeTracker.Stamp, now: ContinuousClock.Instant = .now) -> Entry? {
        state.withLockedValue { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.stamp == stamp, now - entry.storedAt < maxAge else {
                state.entries[key] = nil
                state.bytes -= entry.body.readableBytes
                return nil
            }
            return entry
        }
    }

    /// Files `entry` under `key`. When the cache is full, entries from older stamps go
    /// first; if that is not enough, everything goes (a refill costs one render each).
    func store(_ entry: Entry, for key: Key) {
        let size = entry.body.readableBytes
        guard size <= maxEntryBytes else { return }
        state.withLockedValue { state in
            if let old = state.entries.updateValue(entry, forKey: key) { state.bytes -= old.body.readableBytes }
            state.bytes += size
            guard state.entries.count > maxEntries || state.bytes > maxBytes else { return }
            state.entries = state.entries.filter { $0.value.stamp == entry.stamp }
            if state.entries.count > maxEntries || state.entries.values.reduce(0, { $0 + $1.body.readableBytes }) > maxBytes {
                state.entries = [key: entry]
            }
            state.bytes = state.entries.values.reduce(0) { $0 + $1.body.readableBytes }
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}
