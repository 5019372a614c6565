import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Tells readers whether anything has been written since they last looked, so that a
/// response built from the database can be reused until the data behind it changes.
///
/// Two counters make up a ``Stamp``:
/// - **local**, bumped by this process right after each of its transactions commits, so a
///   reader on the same server always sees its own writes at once;
/// - **stored**, the `data_generation` row, bumped by every process after each commit
///   (another app server on the same PostgreSQL, or a `curepath` command on the same SQLite
///   file). A reader re-reads it at most once per ``pollInterval``, so a write made
///   elsewhere is seen within that interval.
///
/// The stored counter is bumped after the commit, never before, so a stamp that has
/// moved always means the new data is already visible.
public final class ChangeTracker: Sendable {
    /// A moment in the data's history; two equal stamps saw the same data.
    public struct Stamp: Hashable, Sendable {
        public var local: UInt64
        public var stored: Int64
    }

    private struct State {
        var local: UInt64 = 0
        var stored: Int64 = 0
        var checkedAt: ContinuousClock.Instant?
        /// Set once the schema has the `data_generation` table (after migrations).
        var tracksStoredGeneration = false
    }

    /// How stale another process's write may look here, at most.
    public let pollInterval: Duration
    private let state = NIOLockedValueBox(State())

    public init(pollInterval: Duration = .milliseconds(100)) {
        self.pollInterval = pollInterval
    }

    /// The current stamp, re-reading the stored generation when the last read is older
    /// than ``pollInterval``. One caller per interval pays for the read; the others use
    /// the value it left.
    public func stamp(in database: Database) async -> Stamp {
        let now = ContinuousClock.now
        let due = state.withLockedValue { state -> Bool in
            guard state.tracksStoredGeneration else { return false }
            if let checked = state.checkedAt, now - checked < pollInterval { return false }
            state.checkedAt = now
            return true
        }
        if due, let stored = try? await database.withConnection({ db in try await Self.readStored(db) }) {
            state.withLockedValue { $0.stored = max($0.stored, stored) }
        }
        return state.withLockedValue { Stamp(local: $0.local, stored: $0.stored) }
    }

    /// Records that this process committed a write; called by ``Database/transaction(_:)``.
    func noteCommittedWrite(in db: any SQLDatabase) async {
        let tracks = state.withLockedValue { $0.tracksStoredGeneration }
        if tracks {
            // Best effort: if this fails the local bump below still covers this server, and
            // other servers catch up with the next write.
            try? await db.raw("UPDATE data_generation SET value = value + 1 WHERE id = 1").run()
        }
        state.withLockedValue { $0.local &+= 1 }
    }

    /// Called once the migrations have created `data_generation`.
    func startTrackingStoredGeneration() {
        state.withLockedValue {
            $0.tracksStoredGeneration = true
            $0.checkedAt = nil
        }
    }

    static func readStored(_ db: any SQLDatabase) async throws -> Int64 {
        guard let row = try await db.select().column("value").from("data_generation").where("id", .equal, 1).first() else { return 0 }
        return try row.decode(column: "value", as: Int64.self)
    }
}
