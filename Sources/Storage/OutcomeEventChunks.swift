import Outcomes

/// A batch of outcome events handed to ``OutcomeRepository/record(chunks:)`` a chunk at a
/// time, so that recording it holds one chunk of events and its rows at once, not the batch.
///
/// `next()` runs inside the recording's transaction, on its connection: it must not use the
/// store (on SQLite that would wait for the very connection the transaction holds).
public protocol OutcomeEventChunks: Sendable {
    /// The batch's next events, in batch order; `nil` once every event has been given.
    mutating func next() async throws -> [OutcomeEvent]?
}

/// A batch already in memory (a JSON body, a FHIR bundle), given a chunk at a time.
public struct OutcomeEventList: OutcomeEventChunks {
    /// Events checked and inserted together: a few thousand keep the lookups and the rows
    /// of one chunk to a few megabytes.
    public static let chunkSize = 5_000

    private let events: [OutcomeEvent]
    private let chunkSize: Int
    private var start = 0

    public init(_ events: [OutcomeEvent], chunkSize: Int = OutcomeEventList.chunkSize) {
        self.events = events
        self.chunkSize = max(1, chunkSize)
    }

    public mutating func next() -> [OutcomeEvent]? {
        guard start < events.count else { return nil }
        let end = min(events.count, start + chunkSize)
        defer { start = end }
        return Array(events[start..<end])
    }
}

/// A checked CSV outcome file recorded as it is read again, a chunk at a time.
extension OutcomeCSVChunks: OutcomeEventChunks {
    public mutating func next() -> [OutcomeEvent]? {
        next(upTo: OutcomeEventList.chunkSize)
    }
}
