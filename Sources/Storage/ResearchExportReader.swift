import Access
import CareNetwork
import Contracts
import Core
import Criteria
import Foundation
import Outcomes
import SQLKit

/// What a research export reads about each treated patient: the patient record (year of
/// birth and sex only), the infusions, the diagnoses of the latest clinical facts and every
/// outcome event.
public struct ResearchExportRecord: Hashable, Sendable {
    public var patient: Patient
    public var infusions: [TreatedPatient]
    public var diagnoses: [Diagnosis]
    public var events: [OutcomeEvent]
}

/// Gathers a research export's inputs, audited before any patient is read.
///
/// Year of birth and sex identify nobody alone but are personal data once they sit next to
/// dates of treatment, so the bulk read is recorded like an identifier read: one audit entry
/// (`export-research`, `patients:<count>`, the purpose) is appended in its own transaction
/// before the patients are read, and if it cannot be written nothing is read. Both come from
/// the patient record (`patients`), which holds only the year; the sealed identifiers, with
/// the full birth date and names, are never opened. There is no way to read these inputs
/// without that entry.
public struct ResearchExportReader: Sendable {
    let database: Database
    let audit: any AuditRepository

    public init(database: Database, audit: any AuditRepository) {
        self.database = database
        self.audit = audit
    }

    /// Every treated patient (by internal ID) with their records, and the products they were
    /// treated with. `progress` is called with (patients read, patients to read).
    public func read(
        userID: String?, organizationID: String?, purpose: String, at: Date = Date(),
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> (records: [ResearchExportRecord], products: [Product]) {
        let trimmed = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (10...500).contains(trimmed.count) else {
            throw ValidationError(field: "purpose", problem: "must say why, in 10 to 500 characters")
        }
        let infusions = try await database.withConnection { db in
            try await db.select().columns(SQLContractRepository.treatedColumns.map { SQLIdentifier($0) }).from("treated_patients")
                .orderBy("patient_id").orderBy("infusion_date").all().map(SQLContractRepository.treated)
        }
        let byPatient = Dictionary(grouping: infusions, by: \.patientID)
        let patientIDs = byPatient.keys.sorted()
        let record = AuditRecord(
            at: at, userID: userID, organizationID: organizationID, action: "export-research", object: "patients:\(patientIDs.count)",
            outcome: .allowed, detail: "\(trimmed): year of birth and sex of \(patientIDs.count) treated patients; sealed identifiers not opened")
        try await audit.append(record)

        var records: [ResearchExportRecord] = []
        records.reserveCapacity(patientIDs.count)
        let chunk = SQLOutcomeRepository.lookupChunk
        for start in stride(from: 0, to: patientIDs.count, by: chunk) {
            let ids = Array(patientIDs[start..<min(patientIDs.count, start + chunk)])
            records += try await database.withConnection { db in
                try await Self.records(of: ids, infusions: byPatient, in: db)
            }
            progress(records.count, patientIDs.count)
        }
        let used = Set(infusions.map(\.productID))
        let products = try await SQLReferenceRepository(database: database).directory().products.filter { used.contains($0.id) }
        return (records, products)
    }

    /// One chunk of patients: their records, events and latest clinical facts, a query each.
    static func records(of ids: [PatientID], infusions: [PatientID: [TreatedPatient]], in db: any SQLDatabase) async throws -> [ResearchExportRecord] {
        let raw = ids.map(\.rawValue)
        var patients: [PatientID: Patient] = [:]
        for row in try await db.select().columns("id", "birth_year", "sex").from("patients").where("id", .in, raw).all() {
            let id = PatientID(try row.string("id"))
            patients[id] = Patient(id: id, birthYear: try row.int("birth_year"), sex: try row.enumeration("sex", as: Sex.self))
        }
        var events: [PatientID: [OutcomeEvent]] = [:]
        for row in try await db.select().columns(SQLOutcomeRepository.columns.map { SQLIdentifier($0) }).from("outcome_events")
            .where("patient_id", .in, raw).orderBy("patient_id").orderBy("date").orderBy("id").all()
        {
            let event = try SQLOutcomeRepository.event(row)
            events[event.patientID, default: []].append(event)
        }
        var latestFacts: [PatientID: (version: Int, json: String)] = [:]
        for row in try await db.select().columns("patient_id", "version", "facts").from("clinical_facts").where("patient_id", .in, raw).all() {
            let id = PatientID(try row.string("patient_id"))
            let version = try row.int("version")
            if let current = latestFacts[id], current.version >= version { continue }
            latestFacts[id] = (version, try row.string("facts"))
        }
        return try ids.map { id in
            guard let patient = patients[id] else { throw StorageError.corrupt("treated patient '\(id)' has no patient record") }
            var diagnoses: [Diagnosis] = []
            if let facts = latestFacts[id] {
                do {
                    diagnoses = try JSONDecoder().decode(ClinicalFacts.self, from: Data(facts.json.utf8)).diagnoses
                } catch {
                    throw StorageError.corrupt("clinical facts of \(id) version \(facts.version) no longer decode: \(error)")
                }
            }
            return ResearchExportRecord(patient: patient, infusions: infusions[id] ?? [], diagnoses: diagnoses, events: events[id] ?? [])
        }
    }
}
