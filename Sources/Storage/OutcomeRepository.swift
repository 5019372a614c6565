import CareNetwork
import Core
import Foundation
import Outcomes
import SQLKit

/// What recording a batch of outcome events did.
public struct OutcomeBatchResult: Hashable, Sendable, Codable {
    /// Events stored by this batch.
    public var recorded: Int
    /// Events the store already held with the same content (a re-sent file).
    public var alreadyRecorded: Int

    public init(recorded: Int, alreadyRecorded: Int) {
        self.recorded = recorded
        self.alreadyRecorded = alreadyRecorded
    }
}

/// Outcome events: what happened to treated patients, as settlements and the registry read it.
public protocol OutcomeRepository: Sendable {
    /// Records a batch in one transaction: every event, or — if any is refused — none.
    ///
    /// An event whose ID is already stored with the same facts is skipped, so re-sending a
    /// file changes nothing (the first `recordedOn` stands: that is when CurePath learned
    /// it). The same ID with different facts, an unknown patient, or a correction naming an
    /// event that does not exist or belongs to another patient is refused, naming the
    /// batch position (`events[3].patientId`).
    func record(_ events: [OutcomeEvent]) async throws -> OutcomeBatchResult
    /// ``record(_:)`` for a batch handed over a chunk at a time (a large upload): the same
    /// checks, messages and all-or-nothing transaction, holding one chunk of events at once.
    func record(chunks: some OutcomeEventChunks) async throws -> OutcomeBatchResult
    /// One patient's events, oldest first.
    func events(of patient: PatientID) async throws -> [OutcomeEvent]
    /// One page of the patient's events, oldest first, and how many there are in all.
    func events(of patient: PatientID, limit: Int, offset: Int) async throws -> (events: [OutcomeEvent], total: Int)
    /// Every event, grouped by patient and oldest first within each, for a settlement run.
    func allEvents() async throws -> [OutcomeEvent]
    func count() async throws -> Int
}

public struct SQLOutcomeRepository: OutcomeRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns = ["id", "patient_id", "date", "kind", "reason", "test", "value", "unit", "grade", "source", "recorded_on", "corrects"]
    /// Keeps `IN (…)` lists well under both databases' parameter limits.
    static let lookupChunk = 500

    public func record(_ events: [OutcomeEvent]) async throws -> OutcomeBatchResult {
        try await record(chunks: OutcomeEventList(events))
    }

    public func record(chunks: some OutcomeEventChunks) async throws -> OutcomeBatchResult {
        try await database.transaction { db in
            var chunks = chunks
            var check = OutcomeBatchCheck()
            while let chunk = try await chunks.next() {
                try await check.add(chunk, in: db)
            }
            return try check.finish()
        }
    }

    public func events(of patient: PatientID) async throws -> [OutcomeEvent] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns.map { SQLIdentifier($0) }).from("outcome_events")
                .where("patient_id", .equal, patient.rawValue).orderBy("date").orderBy("id").all().map(Self.event)
        }
    }

    public func events(of patient: PatientID, limit: Int, offset: Int) async throws -> (events: [OutcomeEvent], total: Int) {
        try await database.withConnection { db in
            let total = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("outcome_events")
                .where("patient_id", .equal, patient.rawValue).first()?.int("n") ?? 0
            let page = try await db.select().columns(Self.columns.map { SQLIdentifier($0) }).from("outcome_events")
                .where("patient_id", .equal, patient.rawValue).orderBy("date").orderBy("id").limit(limit).offset(offset).all().map(Self.event)
            return (page, total)
        }
    }

    public func allEvents() async throws -> [OutcomeEvent] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns.map { SQLIdentifier($0) }).from("outcome_events")
                .orderBy("patient_id").orderBy("date").orderBy("id").all().map(Self.event)
        }
    }

    /// The events of the patients whose IDs fall in the range.
    static func events(from first: String, through last: String, in db: any SQLDatabase) async throws -> [OutcomeEvent] {
        try await db.select().columns(columns.map { SQLIdentifier($0) }).from("outcome_events")
            .where("patient_id", .greaterThanOrEqual, first).where("patient_id", .lessThanOrEqual, last)
            .all().map(event)
    }

    /// ``events(from:through:in:)`` for a settlement on SQLite (``TextRows``).
    static func events(from first: String, through last: String, in handle: SQLiteHandle) async throws -> [OutcomeEvent] {
        try await TextRows.select(
            columns, "outcome_events WHERE patient_id >= ? AND patient_id <= ? ORDER BY patient_id, date", [first, last], in: handle) { (row: StatementColumns) in try event(row) }
    }

    public func count() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("outcome_events").first()?.int("n") ?? 0
        }
    }

    /// Equal facts, whatever day each copy says it was learned.
    static func sameFacts(_ a: OutcomeEvent, _ b: OutcomeEvent) -> Bool {
        var b = b
        b.recordedOn = a.recordedOn
        return a == b
    }

    static func find(ids: [OutcomeEventID], in db: any SQLDatabase) async throws -> [OutcomeEventID: OutcomeEvent] {
        var found: [OutcomeEventID: OutcomeEvent] = [:]
        for start in stride(from: 0, to: ids.count, by: lookupChunk) {
            let chunk = ids[start..<min(ids.count, start + lookupChunk)].map(\.rawValue)
            for row in try await db.select().columns(columns.map { SQLIdentifier($0) }).from("outcome_events")
                .where("id", .in, chunk).all()
            {
                let event = try event(row)
                found[event.id] = event
            }
        }
        return found
    }

    /// Each existing patient's birth year and earliest infusion — from an infused case or a
    /// contract enrollment — which bound when its outcomes can be dated. Absent patients are absent.
    static func timelines(_ ids: Set<PatientID>, in db: any SQLDatabase) async throws -> [PatientID: OutcomeTimeline] {
        let all = Array(ids)
        var found: [PatientID: OutcomeTimeline] = [:]
        for start in stride(from: 0, to: all.count, by: lookupChunk) {
            let chunk = all[start..<min(all.count, start + lookupChunk)].map(\.rawValue)
            for row in try await db.select().columns("id", "birth_year").from("patients").where("id", .in, chunk).all() {
                found[PatientID(try row.string("id"))] = OutcomeTimeline(birthYear: try row.int("birth_year"), infusedOn: nil)
            }
            let infused = try await db.select().columns("patient_id", "closed_on").from("cases")
                .where("patient_id", .in, chunk).where("status", .equal, "infused").all()
            let enrolled = try await db.select().column("patient_id").column("infusion_date", as: "closed_on").from("treated_patients")
                .where("patient_id", .in, chunk).all()
            for row in infused + enrolled {
                guard let date = try row.optionalDate("closed_on") else { continue }
                let patient = PatientID(try row.string("patient_id"))
                if let known = found[patient]?.infusedOn, known <= date { continue }
                found[patient]?.infusedOn = date
            }
        }
        return found
    }

    static func row(_ event: OutcomeEvent) -> [any SQLExpression] {
        let details = event.details
        return [SQLBind(event.id.rawValue), SQLBind(event.patientID.rawValue), SQLBind(event.date.description), SQLBind(event.kind.code.rawValue),
                bind(details.reason), bind(details.test), bind(details.value), bind(details.unit), bind(event.kind.grade), SQLBind(event.source),
                SQLBind(event.recordedOn.description), bind(event.corrects?.rawValue)]
    }

    static func event(_ row: any SQLRow) throws -> OutcomeEvent {
        try event(StoredEvent(
            id: try row.string("id"), patientID: try row.string("patient_id"), date: try row.string("date"), kind: try row.string("kind"),
            reason: try row.optionalString("reason"), test: try row.optionalString("test"), value: try row.optionalString("value"),
            unit: try row.optionalString("unit"), grade: try row.optionalInt("grade").map(String.init), source: try row.string("source"),
            recordedOn: try row.string("recorded_on"), corrects: try row.optionalString("corrects")))
    }

    /// ``event(_:)-(any SQLRow)`` for a settlement's read, column by column in ``columns``' order.
    static func event(_ row: StatementColumns) throws -> OutcomeEvent {
        func required(_ column: Int32) throws -> String {
            guard let text = row.text(column) else { throw StorageError.corrupt("\(columns[Int(column)]) is NULL") }
            return text
        }
        return try event(StoredEvent(
            id: try required(0), patientID: try required(1), date: try required(2), kind: try required(3), reason: row.text(4), test: row.text(5),
            value: row.text(6), unit: row.text(7), grade: row.text(8), source: try required(9), recordedOn: try required(10), corrects: row.text(11)))
    }

    /// An outcome event's row as stored, every column as text.
    struct StoredEvent {
        var id, patientID, date, kind: String
        var reason, test, value, unit, grade: String?
        var source, recordedOn: String
        var corrects: String?
    }

    static func event(_ stored: StoredEvent) throws -> OutcomeEvent {
        guard let code = OutcomeKindCode(rawValue: stored.kind) else { throw StorageError.corrupt("kind '\(stored.kind)' is not a known OutcomeKindCode") }
        let reading = OutcomeKind.reading(code, .init(reason: stored.reason, test: stored.test, value: stored.value, unit: stored.unit, grade: stored.grade))
        guard let kind = reading.kind else {
            throw StorageError.corrupt("outcome event '\(stored.id)': \(reading.issues.map { "\($0.field) \($0.problem)" }.joined(separator: "; "))")
        }
        guard let date = CalendarDate(iso8601: stored.date) else { throw StorageError.corrupt("date '\(stored.date)' is not a date") }
        guard let recordedOn = CalendarDate(iso8601: stored.recordedOn) else {
            throw StorageError.corrupt("recorded_on '\(stored.recordedOn)' is not a date")
        }
        return OutcomeEvent(
            id: OutcomeEventID(stored.id), patientID: PatientID(stored.patientID), date: date, kind: kind, value: reading.value, source: stored.source,
            recordedOn: recordedOn, corrects: stored.corrects.map { OutcomeEventID($0) })
    }
}
