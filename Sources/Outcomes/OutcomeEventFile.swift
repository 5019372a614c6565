import Foundation
import Core
import CareNetwork

/// The outcome event files a registry, a center or a claims feed uploads until the registry
/// module feeds outcomes directly: CSV (one event a row) or JSON (a list of events).
///
/// A file is all or nothing: it is refused with every problem listed, each with its line
/// and field, or every event in it is returned valid. Input is hostile until checked, so the
/// size is bounded, the text must be UTF-8, nesting is bounded and numbers must be exact.
///
/// CSV columns (header required, any order): `id, patient_id, date, kind, reason, test,
/// value, unit, grade, source, recorded_on, corrects`. JSON: `{"format": "curepath.outcomes/v1",
/// "events": [...]}` or a bare list, with keys `id, patientId, date, kind, reason, test,
/// value, unit, grade, source, recordedOn, corrects`.
public enum OutcomeEventFile {
    /// The two file formats, told apart by their first character when not given.
    public enum Format: String, Sendable, CaseIterable {
        case csv, json

        /// JSON when the first significant character opens a list or an object.
        public static func detect(_ bytes: some Sequence<UInt8>) -> Format {
            for byte in bytes {
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF: continue
                case UInt8(ascii: "["), UInt8(ascii: "{"): return .json
                default: return .csv
                }
            }
            return .csv
        }
    }

    /// The `format` value a JSON outcome file declares.
    public static let formatName = "curepath.outcomes/v1"
    /// Larger files are refused before being read: about 500,000 events of CSV.
    public static let maximumBytes = 50 * 1_048_576

    static let csvColumns: [String: Field] = [
        "id": .id, "patient_id": .patientID, "date": .date, "kind": .kind, "reason": .reason, "test": .test,
        "value": .value, "unit": .unit, "grade": .grade, "source": .source, "recorded_on": .recordedOn, "corrects": .corrects,
    ]
    static let jsonKeys: [String: Field] = [
        "id": .id, "patientId": .patientID, "date": .date, "kind": .kind, "reason": .reason, "test": .test,
        "value": .value, "unit": .unit, "grade": .grade, "source": .source, "recordedOn": .recordedOn, "corrects": .corrects,
    ]

    /// Parses a file.
    /// - Parameters:
    ///   - format: `nil` to detect it from the first character.
    ///   - receivedOn: the day CurePath received the file: the `recordedOn` of events that do
    ///     not say, and the latest `recordedOn` an event may claim.
    public static func parse(_ data: Data, format: Format? = nil, receivedOn: CalendarDate) throws(FileValidationError) -> [OutcomeEvent] {
        try read(data, format: format, receivedOn: receivedOn, vocabulary: nil).events
    }

    public static func parse(_ bytes: [UInt8], format: Format? = nil, receivedOn: CalendarDate) throws(FileValidationError) -> [OutcomeEvent] {
        try read(bytes, format: format, receivedOn: receivedOn, vocabulary: nil).events
    }

    public static func parse(_ text: String, format: Format? = nil, receivedOn: CalendarDate) throws(FileValidationError) -> [OutcomeEvent] {
        try parse(Array(text.utf8), format: format, receivedOn: receivedOn)
    }

    /// A file's events, and what the vocabulary noticed without refusing (codes of the
    /// sender's own that no measure reads), each at its line or path.
    public struct Reading: Sendable {
        public var events: [OutcomeEvent]
        public var notices: [FileValidationError.Issue]
    }

    /// Parses a file and checks its codes against `vocabulary` (``OutcomeVocabulary``): a
    /// typo of a known code or a wrong unit is an issue like any other; `nil` checks only
    /// that codes are well formed.
    public static func read(_ data: Data, format: Format? = nil, receivedOn: CalendarDate, vocabulary: OutcomeVocabulary?) throws(FileValidationError) -> Reading {
        let result: Result<Reading, FileValidationError> = data.withUnsafeBytes { buffer in
            parse(buffer: buffer, format: format, receivedOn: receivedOn, vocabulary: vocabulary)
        }
        return try result.get()
    }

    public static func read(_ bytes: [UInt8], format: Format? = nil, receivedOn: CalendarDate, vocabulary: OutcomeVocabulary?) throws(FileValidationError) -> Reading {
        let result: Result<Reading, FileValidationError> = bytes.withUnsafeBytes { buffer in
            parse(buffer: buffer, format: format, receivedOn: receivedOn, vocabulary: vocabulary)
        }
        return try result.get()
    }

    static func parse(buffer: UnsafeRawBufferPointer, format: Format?, receivedOn: CalendarDate, vocabulary: OutcomeVocabulary?) -> Result<Reading, FileValidationError> {
        if let refusal = refusal(ofSizeOrEncoding: buffer) { return .failure(refusal) }
        var builder = EventBuilder(receivedOn: receivedOn, vocabulary: vocabulary)
        switch format ?? Format.detect(buffer) {
        case .csv: readCSV(buffer, into: &builder)
        case .json: readJSON(buffer, into: &builder)
        }
        return builder.collector.isEmpty ? .success(Reading(events: builder.events, notices: builder.notices)) : .failure(builder.collector.error)
    }

    /// Why a file is refused before it is parsed: too large, or not UTF-8.
    static func refusal(ofSizeOrEncoding buffer: UnsafeRawBufferPointer) -> FileValidationError? {
        guard buffer.count <= maximumBytes else {
            return FileValidationError(
                line: nil, path: "",
                problem: "the file is \(TextInput.describe(bytes: buffer.count)); at most \(TextInput.describe(bytes: maximumBytes)) is accepted, split it into several files",
                rule: "size-limit"
            )
        }
        if let bad = TextInput.firstInvalidUTF8(in: buffer) {
            return FileValidationError(
                line: bad.line, path: "",
                problem: "byte \(bad.offset + 1) is not valid UTF-8; save the file as UTF-8", rule: "encoding"
            )
        }
        return nil
    }

    // MARK: CSV

    private static func readCSV(_ buffer: UnsafeRawBufferPointer, into builder: inout EventBuilder) {
        var reader = CSVReader(bytes: buffer)
        guard let columns = readCSVHeader(&reader, into: &builder) else { return }
        readCSVRows(&reader, columns: columns, into: &builder)
    }

    /// The header's columns in order (`nil` for a name that is not a column), or `nil` when
    /// the header is refused — its problems are then in `builder`.
    static func readCSVHeader(_ reader: inout CSVReader, into builder: inout EventBuilder) -> [Field?]? {
        guard let first = reader.next() else {
            builder.collector.add(line: 1, path: "", problem: "the file is empty; the first line must name the columns")
            return nil
        }
        let header: CSVReader.Record
        switch first {
        case .success(let record): header = record
        case .failure(.malformed(let line, let problem)):
            builder.collector.add(line: line, path: "", problem: problem)
            return nil
        }
        var columns: [Field?] = []
        var seen: Set<Field> = []
        for name in header.fields {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let field = csvColumns[trimmed] else {
                builder.collector.add(line: header.line, path: trimmed, problem: "is not a column of an outcome file; the columns are \(csvColumns.keys.sorted().joined(separator: ", "))")
                columns.append(nil)
                continue
            }
            if !seen.insert(field).inserted {
                builder.collector.add(line: header.line, path: trimmed, problem: "is named twice in the header")
            }
            columns.append(field)
        }
        for required in Field.required where !seen.contains(required) {
            builder.collector.add(line: header.line, path: required.csvName, problem: "column is missing from the header")
        }
        return builder.collector.isEmpty ? columns : nil
    }

    /// Reads records into `builder` until the file ends, the issue list is full, or `builder`
    /// holds `limit` events.
    static func readCSVRows(_ reader: inout CSVReader, columns: [Field?], into builder: inout EventBuilder, limit: Int = .max) {
        while !builder.collector.isFull, builder.events.count < limit, let next = reader.next() {
            switch next {
            case .failure(.malformed(let line, let problem)):
                builder.collector.add(line: line, path: "", problem: problem)
            case .success(let record):
                guard record.fields.count == columns.count else {
                    builder.collector.add(line: record.line, path: "", problem: "has \(record.fields.count) fields; the header has \(columns.count)")
                    continue
                }
                var raw = RawEvent(line: record.line, naming: .csv)
                for (field, text) in zip(columns, record.fields) where !text.isEmpty {
                    raw.values[field!] = (text, record.line)
                }
                builder.add(raw, path: "")
            }
        }
    }

    // MARK: JSON

    private static func readJSON(_ buffer: UnsafeRawBufferPointer, into builder: inout EventBuilder) {
        var reader = JSONReader(bytes: buffer)
        do throws(JSONReader.SyntaxError) {
            switch reader.peek() {
            case UInt8(ascii: "["):
                try readEventList(&reader, path: "", into: &builder)
            case UInt8(ascii: "{"):
                _ = reader.consume(UInt8(ascii: "{"))
                var sawEvents = false
                var sawFormat = false
                if !reader.consume(UInt8(ascii: "}")) {
                    repeat {
                        let keyItem = try reader.parseValue()
                        guard case .string(let key) = keyItem.value else { throw JSONReader.SyntaxError(line: keyItem.line, problem: "expected a quoted key") }
                        try reader.expect(UInt8(ascii: ":"), "':' after a key")
                        switch key {
                        case "events":
                            sawEvents = true
                            guard reader.peek() == UInt8(ascii: "[") else {
                                let item = try reader.parseValue()
                                builder.collector.add(line: item.line, path: "events", problem: "must be a list of events, got \(item.typeName)")
                                continue
                            }
                            try readEventList(&reader, path: "events", into: &builder)
                        case "format":
                            sawFormat = true
                            let item = try reader.parseValue()
                            guard case .string(let format) = item.value, format == formatName else {
                                builder.collector.add(line: item.line, path: "format", problem: "must be \"\(formatName)\"")
                                continue
                            }
                        default:
                            let item = try reader.parseValue()
                            builder.collector.add(line: item.line, path: key, problem: "is not a field of an outcome file; expected format and events")
                        }
                    } while reader.consume(UInt8(ascii: ","))
                    try reader.expect(UInt8(ascii: "}"), "',' or '}'")
                }
                if !sawEvents { builder.collector.add(line: 1, path: "events", problem: "is required: the list of outcome events") }
                if !sawFormat { builder.collector.add(line: 1, path: "format", problem: "is required: \"\(formatName)\"") }
            default:
                throw reader.unexpected("a list of events or an object with \"events\"")
            }
            if reader.peek() != nil { throw reader.unexpected("the end of the file") }
        } catch {
            builder.collector.add(line: error.line, path: "", problem: "JSON syntax: \(error.problem)", rule: "syntax")
        }
    }

    /// Reads a list one event at a time, so a 50 MB file never exists as one tree in memory.
    private static func readEventList(_ reader: inout JSONReader, path: String, into builder: inout EventBuilder) throws(JSONReader.SyntaxError) {
        try reader.expect(UInt8(ascii: "["), "'['")
        if reader.consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            let item = try reader.parseValue()
            let itemPath = "\(path)[\(index)]"
            index += 1
            guard !builder.collector.isFull else { continue }
            guard case .object(let members) = item.value else {
                builder.collector.add(line: item.line, path: itemPath, problem: "must be an event object, got \(item.typeName)")
                continue
            }
            var raw = RawEvent(line: item.line, naming: .json)
            for (key, value) in members {
                guard let field = jsonKeys[key] else {
                    builder.collector.add(line: value.line, path: "\(itemPath).\(key)", problem: "is not a field of an outcome event; the fields are \(jsonKeys.keys.sorted().joined(separator: ", "))")
                    continue
                }
                guard raw.values[field] == nil else {
                    builder.collector.add(line: value.line, path: "\(itemPath).\(key)", problem: "is given twice")
                    continue
                }
                switch value.value {
                case .string(let text): raw.values[field] = (text, value.line)
                case .number(let text) where field == .value || field == .grade: raw.values[field] = (text, value.line)
                case .null: continue
                default:
                    builder.collector.add(line: value.line, path: "\(itemPath).\(key)", problem: "must be text, got \(value.typeName)")
                }
            }
            builder.add(raw, path: itemPath)
        } while reader.consume(UInt8(ascii: ","))
        try reader.expect(UInt8(ascii: "]"), "',' or ']'")
    }

    // MARK: Events

    enum Field: Hashable, CaseIterable {
        case id, patientID, date, kind, reason, test, value, unit, grade, source, recordedOn, corrects

        static let required: [Field] = [.id, .patientID, .date, .kind, .source]

        var csvName: String {
            switch self {
            case .patientID: "patient_id"
            case .recordedOn: "recorded_on"
            default: jsonName
            }
        }

        var jsonName: String {
            switch self {
            case .id: "id"
            case .patientID: "patientId"
            case .date: "date"
            case .kind: "kind"
            case .reason: "reason"
            case .test: "test"
            case .value: "value"
            case .unit: "unit"
            case .grade: "grade"
            case .source: "source"
            case .recordedOn: "recordedOn"
            case .corrects: "corrects"
            }
        }

        /// The field an `OutcomeEvent` issue names (the API's spelling).
        init?(issueField: String) {
            guard let field = Field.allCases.first(where: { $0.jsonName == issueField }) else { return nil }
            self = field
        }
    }

    enum Naming { case csv, json }

    /// One event's fields as text, with the line each came from.
    struct RawEvent {
        var line: Int
        var naming: Naming
        var values: [Field: (text: String, line: Int)] = [:]
    }

    struct EventBuilder {
        let receivedOn: CalendarDate
        let vocabulary: OutcomeVocabulary?
        var collector = IssueCollector()
        var notices: [FileValidationError.Issue] = []
        var events: [OutcomeEvent] = []
        var firstLineOfID: [OutcomeEventID: Int] = [:]
        /// `false` when only checking a file: its events are read again later, a chunk at a time.
        var keepsEvents = true
        /// `false` when re-reading a file already checked, whose IDs are known to be unique.
        var checksUniqueIDs = true
        /// Events that passed every check.
        var accepted = 0

        mutating func add(_ raw: RawEvent, path: String) {
            func name(_ field: Field) -> String {
                let key = raw.naming == .csv ? field.csvName : field.jsonName
                return path.isEmpty ? key : "\(path).\(key)"
            }
            func line(_ field: Field) -> Int { raw.values[field]?.line ?? raw.line }
            var problems = 0
            func fail(_ field: Field, _ problem: String, rule: String? = nil) {
                collector.add(line: line(field), path: name(field), problem: problem, rule: rule)
                problems += 1
            }
            for field in Field.required where raw.values[field] == nil {
                fail(field, "is required")
            }
            func date(_ field: Field) -> CalendarDate? {
                guard let text = raw.values[field]?.text else { return nil }
                guard let date = CalendarDate(iso8601: text) else {
                    fail(field, "must be a calendar date as YYYY-MM-DD, got \"\(text.prefix(40))\"")
                    return nil
                }
                return date
            }
            let eventDate = date(.date)
            let recordedOn = date(.recordedOn)
            var kind: OutcomeKind?
            var value = raw.values[.value]?.text
            if let code = raw.values[.kind]?.text {
                if let code = OutcomeKindCode(rawValue: code) {
                    let reading = OutcomeKind.reading(code, .init(
                        reason: raw.values[.reason]?.text, test: raw.values[.test]?.text, value: value,
                        unit: raw.values[.unit]?.text, grade: raw.values[.grade]?.text))
                    for issue in reading.issues { fail(Field(issueField: issue.field) ?? .kind, issue.problem) }
                    kind = reading.kind
                    value = reading.value
                } else {
                    fail(.kind, "must be one of \(OutcomeKindCode.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(code.prefix(40))\"")
                }
            }
            if let eventDate, eventDate > receivedOn {
                fail(.date, "is after \(receivedOn), the day the file was received; outcomes are recorded after they happen", rule: "time-order")
            }
            if let recordedOn, recordedOn > receivedOn {
                fail(.recordedOn, "is after \(receivedOn), the day the file was received", rule: "time-order")
            }
            // The event's own checks (identifiers, text, time order) run even when a field above
            // failed, with stand-ins for what could not be read; stand-in fields are not reported.
            let failedFields = Set(collector.issues.suffix(problems).compactMap { issue in
                Field.allCases.first { name($0) == issue.path }
            })
            let event = OutcomeEvent(
                id: OutcomeEventID(raw.values[.id]?.text ?? ""), patientID: PatientID(raw.values[.patientID]?.text ?? ""),
                date: eventDate ?? receivedOn, kind: kind ?? .death, value: kind == nil ? nil : value,
                source: raw.values[.source]?.text ?? "", recordedOn: recordedOn ?? receivedOn,
                corrects: raw.values[.corrects].map { OutcomeEventID($0.text) }
            )
            let issues = event.issues.filter { issue in
                guard let field = Field(issueField: issue.field) else { return true }
                if failedFields.contains(field) { return false }
                if field == .recordedOn && (eventDate == nil || raw.values[.recordedOn] == nil && eventDate! > receivedOn) { return false }
                return true
            }
            for issue in issues {
                let field = Field(issueField: issue.field) ?? .id
                fail(field, issue.problem, rule: issue.rule)
            }
            if let vocabulary, problems == 0 {
                for finding in vocabulary.review(event) {
                    let field = Field(issueField: finding.issue.field) ?? .value
                    if finding.refuses {
                        fail(field, finding.issue.problem, rule: finding.issue.rule)
                    } else if notices.count < FileValidationError.maximumIssues {
                        notices.append(.init(line: line(field), path: name(field), problem: finding.issue.problem, rule: finding.issue.rule))
                    }
                }
            }
            guard problems == 0 else { return }
            if checksUniqueIDs {
                if let first = firstLineOfID[event.id] {
                    fail(.id, "\"\(event.id)\" is already used on line \(first); each event needs its own id", rule: "unique")
                }
                guard firstLineOfID[event.id] == nil else { return }
                firstLineOfID[event.id] = raw.line
            }
            accepted += 1
            if keepsEvents { events.append(event) }
        }
    }
}
