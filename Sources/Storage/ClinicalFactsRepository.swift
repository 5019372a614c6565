import CareNetwork
import Core
import Criteria
import Foundation
import SQLKit

/// Where a version of a patient's clinical facts came from.
public enum ClinicalFactsSource: String, Hashable, Sendable, Codable, CaseIterable {
    /// Typed into the facts page.
    case form
    /// Sent as JSON through the API.
    case api
    /// Imported from a FHIR R4 Bundle.
    case fhir
}

/// One stored version of a patient's clinical facts.
public struct RecordedClinicalFacts: Hashable, Sendable {
    public var facts: ClinicalFacts
    public var version: Int
    public var source: ClinicalFactsSource
    public var recordedAt: Date
    public var recordedBy: String?
}

/// Patients' clinical facts, versioned: each entry or import replaces the whole record and
/// the older versions stay, so the facts an evaluation or a request saw can be shown later.
///
/// The birth date is never stored here: it is a personal identifier and lives, sealed, with
/// the patient's identifiers. Facts are stored (and compared) without it; evaluations that
/// need age read it from there, audited.
public protocol ClinicalFactsRepository: Sendable {
    /// Stores `facts` as the patient's new version, unless they equal the current version
    /// (a retried save), which is returned unchanged.
    func record(_ facts: ClinicalFacts, source: ClinicalFactsSource, recordedBy: String?) async throws -> RecordedClinicalFacts
    func latest(of patient: PatientID) async throws -> RecordedClinicalFacts?
    func versions(of patient: PatientID) async throws -> [RecordedClinicalFacts]
}

public struct SQLClinicalFactsRepository: ClinicalFactsRepository {
    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    public func record(_ facts: ClinicalFacts, source: ClinicalFactsSource, recordedBy: String?) async throws -> RecordedClinicalFacts {
        var withoutBirthDate = facts
        withoutBirthDate.birthDate = nil
        let facts = withoutBirthDate
        let json = String(decoding: try Self.encoder.encode(facts), as: UTF8.self)
        let at = Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
        return try await database.transaction { db in
            guard try await db.select().column("id").from("patients").where("id", .equal, facts.patient.rawValue).first() != nil else {
                throw NotFoundError(entity: "patient", id: facts.patient.rawValue)
            }
            if let current = try await Self.versions(of: facts.patient, in: db, latestOnly: true).first {
                if current.facts == facts { return current }
            }
            let version = try await (db.select().column(SQLFunction("max", args: SQLColumn("version")), as: "v").from("clinical_facts")
                .where("patient_id", .equal, facts.patient.rawValue).first().flatMap { try $0.optionalInt("v") } ?? 0) + 1
            try await db.insert(into: "clinical_facts").columns("patient_id", "version", "facts", "source", "recorded_at", "recorded_by")
                .values(SQLBind(facts.patient.rawValue), SQLBind(version), SQLBind(json), SQLBind(source.rawValue),
                        SQLBind(at.formatted(.iso8601)), bind(recordedBy))
                .run()
            return RecordedClinicalFacts(facts: facts, version: version, source: source, recordedAt: at, recordedBy: recordedBy)
        }
    }

    public func latest(of patient: PatientID) async throws -> RecordedClinicalFacts? {
        try await database.withConnection { db in try await Self.versions(of: patient, in: db, latestOnly: true).first }
    }

    public func versions(of patient: PatientID) async throws -> [RecordedClinicalFacts] {
        try await database.withConnection { db in try await Self.versions(of: patient, in: db, latestOnly: false) }
    }

    /// Bulk load (demo data): each patient's facts as version 1, birth dates dropped.
    static func write(_ facts: [ClinicalFacts], recordedAt: Date, into db: any SQLDatabase) async throws {
        let at = recordedAt.formatted(.iso8601)
        let rows = try facts.map { facts in
            var stored = facts
            stored.birthDate = nil
            return (facts.patient, String(decoding: try encoder.encode(stored), as: UTF8.self))
        }
        try await insertChunked(db, into: "clinical_facts", columns: ["patient_id", "version", "facts", "source", "recorded_at", "recorded_by"], items: rows) { patient, json in
            [SQLBind(patient.rawValue), SQLBind(1), SQLBind(json), SQLBind(ClinicalFactsSource.api.rawValue), SQLBind(at), SQLBind("demo")]
        }
    }

    static func versions(of patient: PatientID, in db: any SQLDatabase, latestOnly: Bool) async throws -> [RecordedClinicalFacts] {
        var query = db.select().columns("version", "facts", "source", "recorded_at", "recorded_by").from("clinical_facts")
            .where("patient_id", .equal, patient.rawValue).orderBy("version", .descending)
        if latestOnly { query = query.limit(1) }
        return try await query.all().map { row in
            let text = try row.string("recorded_at")
            guard let at = try? Date(text, strategy: .iso8601) else { throw StorageError.corrupt("clinical_facts.recorded_at '\(text)' is not a time") }
            let facts: ClinicalFacts
            do { facts = try JSONDecoder().decode(ClinicalFacts.self, from: Data(try row.string("facts").utf8)) } catch {
                throw StorageError.corrupt("clinical facts of \(patient) version \(try row.int("version")) no longer decode: \(error)")
            }
            return RecordedClinicalFacts(facts: facts, version: try row.int("version"), source: try row.enumeration("source", as: ClinicalFactsSource.self),
                                         recordedAt: at, recordedBy: try row.optionalString("recorded_by"))
        }
    }
}
