import Access
import Foundation
import NIOConcurrencyHelpers
import Storage

/// Remembers who a token or session cookie belongs to, so that each request does not pay
/// two or three database reads before its real work.
///
/// An entry is used only while the data is unchanged since it was read (same
/// ``ChangeTracker/Stamp``: revoking a token, disabling a user or signing out is a write,
/// and retires every entry) and only before the credential's own expiry, checked on every
/// request against the injected clock.
final class CredentialCache: Sendable {
    struct Entry: Sendable {
        var principal: Principal
        var csrfToken: String?
        var expiresAt: Date
        var stamp: ChangeTracker.Stamp
    }

    let maxEntries: Int
    private let entries = NIOLockedValueBox([String: Entry]())

    init(maxEntries: Int = 10_000) { self.maxEntries = maxEntries }

    func entry(for key: String, at stamp: ChangeTracker.Stamp, now: Date) -> Entry? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.stamp == stamp, now < entry.expiresAt else {
                entries[key] = nil
                return nil
            }
            return entry
        }
    }

    func store(_ entry: Entry, for key: String) {
        entries.withLockedValue { entries in
            if entries.count >= maxEntries { entries = entries.filter { $0.value.stamp == entry.stamp } }
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }
}
