import Access
import CareNetwork
import Core
import Foundation
import Journey
import SQLKit

/// A journey event as stored: the event plus its place in the case's history.
public struct RecordedJourneyEvent: Hashable, Sendable {
    public var event: JourneyEvent
    public var sequence: Int
    /// When the event reached CurePath (UTC), as opposed to the day it happened.
    public var recordedAt: Date
}

/// Whether a submitted event was new or a retry of one already stored.
public enum RecordingOutcome: Hashable, Sendable {
    case recorded(sequence: Int)
    /// The same event (same ID, same content) was already recorded; nothing changed.
    case alreadyRecorded(sequence: Int)

    public var isNew: Bool { if case .recorded = self { true } else { false } }
}

/// What recording an event left behind: the stored event and where the case now stands.
public struct RecordingResult: Hashable, Sendable {
    public var outcome: RecordingOutcome
    public var event: RecordedJourneyEvent
    public var caseStatus: CaseStatus
}

/// A case as stored: the record, its events in order, and the journey they replay to.
public struct CaseHistory: Sendable {
    public var record: Case
    public var events: [RecordedJourneyEvent]
    public var journey: CaseJourney
}

/// Which page of which cases a list shows.
public struct CaseQuery: Hashable, Sendable {
    public var filter: JourneyFilter
    public var status: CaseStatus?
    /// Which cases the asker may see at all; the filter narrows within it.
    public var scope: CaseScope
    public var limit: Int
    public var offset: Int

    public init(filter: JourneyFilter = JourneyFilter(), status: CaseStatus? = nil, scope: CaseScope = .all, limit: Int = 50, offset: Int = 0) {
        self.filter = filter
        self.status = status
        self.scope = scope
        self.limit = limit
        self.offset = offset
    }
}

/// One page of a case list, with the total so pages can be counted.
public struct CaseListPage: Sendable {
    public var items: [CaseSummary]
    public var total: Int
}

/// Cases and their journey events.
///
/// Every write goes through ``CaseJourney`` inside one transaction: the case's stored events
/// are replayed, the new event is checked against the template's rules, and only then are
/// the event and the case's refreshed summary written — so a refused event changes nothing,
/// and two servers recording on one case at once are serialised by the case's row lock.
public protocol CaseRepository: Sendable {
    /// Opens a case, starting its first stage on the referral date. Retrying with the same
    /// case is harmless; reusing its ID for a different case is a conflict.
    func open(_ record: Case) async throws -> RecordingOutcome
    func record(_ event: JourneyEvent, on caseID: CaseID, notAfter: CalendarDate?) async throws -> RecordingResult
    func find(_ id: CaseID) async throws -> Case?
    /// Whether the case exists and is within `scope`.
    func isCase(_ id: CaseID, in scope: CaseScope) async throws -> Bool
    /// The centers where the patient has cases.
    func centers(ofPatient patient: PatientID) async throws -> Set<CenterID>
    /// The patient's open cases within `scope`, newest referral first.
    func openCases(ofPatient patient: PatientID, in scope: CaseScope) async throws -> [Case]
    /// The case with its stored events and the journey rebuilt from them, in one read.
    func history(of id: CaseID) async throws -> CaseHistory?
    func events(of id: CaseID) async throws -> [RecordedJourneyEvent]
    func list(_ query: CaseQuery) async throws -> CaseListPage
    func summaries(_ filter: JourneyFilter) async throws -> [CaseSummary]
    /// Loads many cases with their events in one transaction, validating every event; if
    /// any is refused nothing is written. `progress` is called with cases done so far.
    func importCases(_ cases: [(record: Case, events: [JourneyEvent])], progress: (@Sendable (Int) -> Void)?) async throws
    func caseCount() async throws -> Int
}

/// ``CaseRepository`` over SQL, the same on SQLite and PostgreSQL.
public struct SQLCaseRepository: CaseRepository {
    let database: Database
    /// Injected so tests can fix the clock.
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    static func firstEvent(of record: Case, template: JourneyTemplate) -> JourneyEvent {
        JourneyEvent(id: JourneyEventID("\(record.id.rawValue)-opened"), kind: .started, stage: template.firstStage, date: record.referralDate)
    }

    /// The case is stored with its template pinned (``JourneyTemplate/reference``): a
    /// product naming a filed template opens cases on its newest version, and a version filed
    /// later changes nothing for them.
    public func open(_ record: Case) async throws -> RecordingOutcome {
        let recordedAt = now()
        return try await database.transaction { db in
            let template = try await SQLJourneyTemplateRepository.template(of: record, in: db)
            var record = record
            record.templateID = template.reference
            let first = Self.firstEvent(of: record, template: template)
            var journey = CaseJourney(template: template, referralDate: record.referralDate)
            try journey.record(first)
            let summary = CaseSummary(case: record, journey: journey)
            if let existing = try await Self.findCase(record.id, in: db, lock: false) {
                guard existing == record else {
                    throw StorageError.idTaken(record.id.rawValue)
                }
                return .alreadyRecorded(sequence: 1)
            }
            try await Self.insertCases([(record, summary, 1)], into: db)
            try await Self.insertEvents([(record.id, 1, first)], recordedAt: recordedAt, into: db)
            return .recorded(sequence: 1)
        }
    }

    public func record(_ event: JourneyEvent, on caseID: CaseID, notAfter: CalendarDate?) async throws -> RecordingResult {
        let recordedAt = now()
        return try await database.transaction { db in
            guard let record = try await Self.findCase(caseID, in: db, lock: true) else {
                throw NotFoundError(entity: "case", id: caseID.rawValue)
            }
            let stored = try await Self.events(of: caseID, in: db)
            let template = try await SQLJourneyTemplateRepository.template(of: record, in: db)
            var journey = try CaseJourney(template: template, referralDate: record.referralDate, events: stored.map(\.event))
            if let previous = stored.first(where: { $0.event.id == event.id }) {
                guard previous.event == event else {
                    throw StorageError.conflict("event '\(event.id)' was already recorded with different content")
                }
                return RecordingResult(outcome: .alreadyRecorded(sequence: previous.sequence), event: previous, caseStatus: journey.status)
            }
            if try await Self.eventIDExists(event.id, in: db) {
                throw StorageError.idTaken(event.id.rawValue)
            }
            try journey.record(event, notAfter: notAfter)
            let sequence = (stored.last?.sequence ?? 0) + 1
            try await Self.insertEvents([(caseID, sequence, event)], recordedAt: recordedAt, into: db)
            try await Self.updateSummary(CaseSummary(case: record, journey: journey), eventCount: sequence, in: db)
            // Stored timestamps have whole seconds; report what a later read will return.
            let stamp = Date(timeIntervalSince1970: recordedAt.timeIntervalSince1970.rounded(.down))
            return RecordingResult(
                outcome: .recorded(sequence: sequence), event: RecordedJourneyEvent(event: event, sequence: sequence, recordedAt: stamp),
                caseStatus: journey.status
            )
        }
    }

    public func isCase(_ id: CaseID, in scope: CaseScope) async throws -> Bool {
        try await database.withConnection { db in
            try await Self.filtered(db.select().column("id").from("cases").where("id", .equal, id.rawValue), JourneyFilter(), nil, scope).first() != nil
        }
    }

    public func centers(ofPatient patient: PatientID) async throws -> Set<CenterID> {
        try await database.withConnection { db in
            Set(try await db.select().distinct().column("center_id").from("cases").where("patient_id", .equal, patient.rawValue).all()
                .map { CenterID(try $0.string("center_id")) })
        }
    }

    public func openCases(ofPatient patient: PatientID, in scope: CaseScope) async throws -> [Case] {
        try await database.withConnection { db in
            let ids = try await Self.filtered(db.select().column("id").from("cases").where("patient_id", .equal, patient.rawValue), JourneyFilter(), .open, scope)
                .orderBy("referral_date", .descending).all().map { CaseID(try $0.string("id")) }
            var cases: [Case] = []
            for id in ids { if let found = try await Self.findCase(id, in: db, lock: false) { cases.append(found) } }
            return cases
        }
    }

    public func find(_ id: CaseID) async throws -> Case? {
        try await database.withConnection { db in try await Self.findCase(id, in: db, lock: false) }
    }

    public func history(of id: CaseID) async throws -> CaseHistory? {
        let loaded: (Case, [RecordedJourneyEvent], JourneyTemplate)? = try await database.withConnection { db in
            guard let record = try await Self.findCase(id, in: db, lock: false) else { return nil }
            return (record, try await Self.events(of: id, in: db), try await SQLJourneyTemplateRepository.template(of: record, in: db))
        }
        guard let (record, events, template) = loaded else { return nil }
        do {
            let journey = try CaseJourney(template: template, referralDate: record.referralDate, events: events.map(\.event))
            return CaseHistory(record: record, events: events, journey: journey)
        } catch {
            throw StorageError.corrupt("case \(id) no longer replays: \(error)")
        }
    }

    public func events(of id: CaseID) async throws -> [RecordedJourneyEvent] {
        try await database.withConnection { db in try await Self.events(of: id, in: db) }
    }

    public func list(_ query: CaseQuery) async throws -> CaseListPage {
        try await database.withConnection { db in
            let count = try await Self.filtered(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cases"), query.filter, query.status, query.scope)
                .first()?.int("n") ?? 0
            let rows = try await Self.filtered(
                db.select().column(SQLRaw(SummaryReader.selectList), as: "summary").from("cases"), query.filter, query.status, query.scope
            )
            .orderBy("referral_date", .descending).orderBy("id")
            .limit(query.limit).offset(query.offset).all()
            return CaseListPage(items: try rows.map { try SummaryReader.summary(try $0.string("summary")) }, total: count)
        }
    }

    public func summaries(_ filter: JourneyFilter) async throws -> [CaseSummary] {
        if let fast = try await SummaryReader.summaries(filter, in: database) { return fast }
        return try await database.withConnection { db in
            let rows = try await Self.filtered(
                db.select().column(SQLRaw(SummaryReader.selectList), as: "summary").from("cases"), filter, nil
            ).all()
            return try rows.map { try SummaryReader.summary(try $0.string("summary")) }
        }
    }

    public func caseCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cases").first()?.int("n") ?? 0
        }
    }

    public func importCases(_ cases: [(record: Case, events: [JourneyEvent])], progress: (@Sendable (Int) -> Void)?) async throws {
        let templates = try await database.withConnection { db in try await SQLJourneyTemplateRepository.catalog(in: db) }
        let prepared = try Self.prepareImport(cases, templates: templates)
        let recordedAt = now()
        try await database.transaction { db in try await Self.write(prepared, recordedAt: recordedAt, into: db, progress: progress) }
    }

    /// Cases validated and digested for import: every event replayed through the journey
    /// rules before anything touches the database, so a refused event names its case.
    struct PreparedImport: Sendable {
        var cases: [(Case, CaseSummary, Int)] = []
        var events: [(CaseID, Int, JourneyEvent)] = []
    }

    static func prepareImport(_ cases: [(record: Case, events: [JourneyEvent])], templates: JourneyTemplateCatalog) throws -> PreparedImport {
        var prepared = PreparedImport()
        prepared.cases.reserveCapacity(cases.count)
        var seen: Set<JourneyEventID> = []
        for (index, original) in cases.enumerated() {
            guard let template = templates.template(for: original.record.templateID) else {
                throw ValidationError(field: "cases[\(index)].templateID", problem: "'\(original.record.templateID.prefix(80))' is not a known journey template")
            }
            // Pinned as ``open(_:)`` pins it.
            var item = original
            item.record.templateID = template.reference
            var journey = CaseJourney(template: template, referralDate: item.record.referralDate)
            var all = item.events
            if all.first.map({ $0.kind != .started || $0.stage != template.firstStage }) ?? true {
                all.insert(firstEvent(of: item.record, template: template), at: 0)
            }
            for (position, event) in all.enumerated() {
                do {
                    try journey.record(event)
                } catch {
                    throw ValidationError(issues: error.issues.map {
                        .init(field: "cases[\(index)].events[\(position)].\($0.field)", problem: "case \(item.record.id): \($0.problem)", rule: $0.rule)
                    })
                }
                guard seen.insert(event.id).inserted else {
                    throw ValidationError(field: "cases[\(index)].events[\(position)].id", problem: "event id '\(event.id)' appears twice")
                }
                prepared.events.append((item.record.id, position + 1, event))
            }
            prepared.cases.append((item.record, CaseSummary(case: item.record, journey: journey), all.count))
        }
        return prepared
    }

    /// Writes prepared cases inside the caller's transaction, in chunks, reporting cases done.
    static func write(_ prepared: PreparedImport, recordedAt: Date, into db: any SQLDatabase, progress: (@Sendable (Int) -> Void)?) async throws {
        let chunk = 2_000
        var done = 0
        var eventIndex = 0
        while done < prepared.cases.count {
            let slice = Array(prepared.cases[done..<min(done + chunk, prepared.cases.count)])
            try await insertCases(slice, into: db)
            // Events are in case order, so this chunk's events are a contiguous run.
            let sliceIDs = Set(slice.map(\.0.id))
            var eventEnd = eventIndex
            while eventEnd < prepared.events.count, sliceIDs.contains(prepared.events[eventEnd].0) { eventEnd += 1 }
            try await insertEvents(Array(prepared.events[eventIndex..<eventEnd]), recordedAt: recordedAt, into: db)
            eventIndex = eventEnd
            done += slice.count
            progress?(done)
        }
    }

    // MARK: - SQL

    static func filtered(_ select: SQLSelectBuilder, _ filter: JourneyFilter, _ status: CaseStatus?, _ scope: CaseScope = .all) -> SQLSelectBuilder {
        var select = select
        switch scope {
        case .all: break
        case .center(let center): select = select.where("center_id", .equal, center.rawValue)
        case .payer(let payer):
            // The payer at referral, or any payer that has or had the patient's coverage.
            select = select.where(SQLQueryString(
                "(payer_id = \(bind: payer.rawValue) OR patient_id IN (SELECT patient_id FROM coverage_periods WHERE payer_id = \(bind: payer.rawValue)))"
            ))
        case .none: select = select.where(SQLLiteral.boolean(false))
        }
        if let center = filter.centerID { select = select.where("center_id", .equal, center.rawValue) }
        if let payer = filter.payerID { select = select.where("payer_id", .equal, payer.rawValue) }
        if let product = filter.productID { select = select.where("product_id", .equal, product.rawValue) }
        if let start = filter.referred.start { select = select.where("referral_date", .greaterThanOrEqual, start.description) }
        if let end = filter.referred.end { select = select.where("referral_date", .lessThanOrEqual, end.description) }
        if let status { select = select.where("status", .equal, status.rawValue) }
        return select
    }

    static func findCase(_ id: CaseID, in db: any SQLDatabase, lock: Bool) async throws -> Case? {
        var select = db.select().column("*").from("cases").where("id", .equal, id.rawValue)
        // Serialises concurrent writers to one case on PostgreSQL; SQLite's writer lock already does.
        if lock { select = select.for(.update) }
        return try await select.first().map { row in
            Case(
                id: id, patientID: PatientID(try row.string("patient_id")), productID: ProductID(try row.string("product_id")),
                centerID: CenterID(try row.string("center_id")), payerID: PayerID(try row.string("payer_id")),
                templateID: try row.string("template_id"), referralDate: try row.date("referral_date")
            )
        }
    }

    static func eventIDExists(_ id: JourneyEventID, in db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("id").from("journey_events").where("id", .equal, id.rawValue).first() != nil
    }

    static func events(of id: CaseID, in db: any SQLDatabase) async throws -> [RecordedJourneyEvent] {
        let rows = try await db.select().column("*").from("journey_events").where("case_id", .equal, id.rawValue).orderBy("sequence").all()
        return try rows.map { row in
            let recordedText = try row.string("recorded_at")
            guard let recordedAt = try? Date(recordedText, strategy: .iso8601) else {  // a formatter per row cost ~100 µs
                throw StorageError.corrupt("recorded_at '\(recordedText)'")
            }
            return RecordedJourneyEvent(
                event: JourneyEvent(
                    id: JourneyEventID(try row.string("id")), kind: try row.enumeration("kind", as: JourneyEventKind.self),
                    stage: try row.optionalString("stage").map { StageKey(rawValue: $0) }, date: try row.date("event_date"),
                    reason: try row.optionalString("reason"), lossReason: try row.optionalEnumeration("loss_reason", as: LossReason.self),
                    atRiskOverride: try row.optionalString("at_risk_override"), note: try row.optionalString("note")
                ),
                sequence: try row.int("sequence"),
                recordedAt: recordedAt
            )
        }
    }

    static func insertCases(_ cases: [(Case, CaseSummary, Int)], into db: any SQLDatabase) async throws {
        try await insertChunked(
            db, into: "cases",
            columns: ["id", "patient_id", "product_id", "center_id", "payer_id", "template_id", "referral_date", "status", "loss_reason", "closed_on", "current_stages", "intervals", "event_count"],
            rows: cases.map { record, summary, count in
                [SQLBind(record.id.rawValue), SQLBind(record.patientID.rawValue), SQLBind(record.productID.rawValue), SQLBind(record.centerID.rawValue),
                 SQLBind(record.payerID.rawValue), SQLBind(record.templateID), SQLBind(record.referralDate.description),
                 SQLBind(summary.status.rawValue), bind(summary.lossReason?.rawValue), bind(summary.closedOn),
                 SQLBind(summary.currentStages.map(\.rawValue).joined(separator: ",")), SQLBind(SummaryEncoding.encode(summary.intervals)), SQLBind(count)]
            }
        )
    }

    static func insertEvents(_ events: [(CaseID, Int, JourneyEvent)], recordedAt: Date, into db: any SQLDatabase) async throws {
        let recorded = ISO8601DateFormatter().string(from: recordedAt)
        try await insertChunked(
            db, into: "journey_events",
            columns: ["case_id", "sequence", "id", "kind", "stage", "event_date", "reason", "loss_reason", "at_risk_override", "note", "recorded_at"],
            rows: events.map { caseID, sequence, event in
                [SQLBind(caseID.rawValue), SQLBind(sequence), SQLBind(event.id.rawValue), SQLBind(event.kind.rawValue), bind(event.stage?.rawValue),
                 SQLBind(event.date.description), bind(event.reason), bind(event.lossReason?.rawValue), bind(event.atRiskOverride),
                 bind(event.note), SQLBind(recorded)]
            }
        )
    }

    static func updateSummary(_ summary: CaseSummary, eventCount: Int, in db: any SQLDatabase) async throws {
        try await db.update("cases")
            .set("status", to: summary.status.rawValue)
            .set("loss_reason", to: bind(summary.lossReason?.rawValue))
            .set("closed_on", to: bind(summary.closedOn))
            .set("current_stages", to: summary.currentStages.map(\.rawValue).joined(separator: ","))
            .set("intervals", to: SummaryEncoding.encode(summary.intervals))
            .set("event_count", to: eventCount)
            .where("id", .equal, summary.caseID.rawValue)
            .run()
    }
}
