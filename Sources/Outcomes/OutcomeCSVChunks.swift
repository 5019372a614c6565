import Core

/// A CSV outcome file whose events are handed out a chunk at a time, so the events of a
/// 50 MB upload (some 800,000) never all exist at once.
///
/// The file is read twice. Creating the value checks all of it exactly as
/// ``OutcomeEventFile/read(_:format:receivedOn:vocabulary:)-([UInt8],_,_,_)`` does — the same
/// problems, lines and notices, all or nothing — keeping of its events only each ID's first
/// line (to name a repeated ID's first use). ``next(upTo:)`` then reads the checked
/// file again from where the last chunk ended. Peak memory is the file's bytes, that map of
/// IDs and one chunk of events, not the whole file's events.
public struct OutcomeCSVChunks: Sendable {
    /// What the vocabulary noticed without refusing, each at its line.
    public let notices: [FileValidationError.Issue]
    /// How many events the file holds.
    public let count: Int
    private let bytes: [UInt8]
    private let columns: [OutcomeEventFile.Field?]
    private let receivedOn: CalendarDate
    private var position: CSVReader.Position

    /// Checks a whole CSV outcome file; see ``OutcomeEventFile/read(_:format:receivedOn:vocabulary:)-([UInt8],_,_,_)``.
    public init(checking bytes: [UInt8], receivedOn: CalendarDate, vocabulary: OutcomeVocabulary?) throws(FileValidationError) {
        typealias Checked = (columns: [OutcomeEventFile.Field?], start: CSVReader.Position, notices: [FileValidationError.Issue], count: Int)
        let checked: Result<Checked, FileValidationError> = bytes.withUnsafeBytes { buffer in
            if let refusal = OutcomeEventFile.refusal(ofSizeOrEncoding: buffer) { return .failure(refusal) }
            var builder = OutcomeEventFile.EventBuilder(receivedOn: receivedOn, vocabulary: vocabulary, keepsEvents: false)
            var reader = CSVReader(bytes: buffer)
            guard let columns = OutcomeEventFile.readCSVHeader(&reader, into: &builder) else { return .failure(builder.collector.error) }
            let start = reader.position
            OutcomeEventFile.readCSVRows(&reader, columns: columns, into: &builder)
            guard builder.collector.isEmpty else { return .failure(builder.collector.error) }
            return .success((columns, start, builder.notices, builder.accepted))
        }
        let file = try checked.get()
        self.bytes = bytes
        self.receivedOn = receivedOn
        columns = file.columns
        position = file.start
        notices = file.notices
        count = file.count
    }

    /// The next `limit` events of the file (fewer at its end), in file order; `nil` once
    /// every event has been handed out.
    public mutating func next(upTo limit: Int) -> [OutcomeEvent]? {
        let (events, end) = bytes.withUnsafeBytes { buffer in
            var reader = CSVReader(bytes: buffer, from: position)
            // Checked already: the codes against the vocabulary, and every ID unique.
            var builder = OutcomeEventFile.EventBuilder(receivedOn: receivedOn, vocabulary: nil, checksUniqueIDs: false)
            OutcomeEventFile.readCSVRows(&reader, columns: columns, into: &builder, limit: max(1, limit))
            return (builder.events, reader.position)
        }
        position = end
        return events.isEmpty ? nil : events
    }
}
