import CareNetwork
import Contracts
import Core
import Foundation
import SQLKit

/// What storing a contract file did.
public enum ContractFiling: Hashable, Sendable {
    /// A new version was stored.
    case stored(version: Int)
    /// The same file was already stored under this version; nothing changed.
    case alreadyStored(version: Int)
}

/// Contract versions (as their original files) and the treated patients each one governs.
public protocol ContractRepository: Sendable {
    /// Stores a parsed contract version with the file it came from. Version 1 must come first
    /// and each amendment must be the next number; storing the same file again is harmless,
    /// a different file under an existing version is a conflict (amend instead).
    func store(_ terms: ContractTerms, document: String) async throws -> ContractFiling
    /// Every version of every contract, oldest first.
    func allVersions() async throws -> [ContractTerms]
    /// The file a version was stored from.
    func document(of contract: ContractID, version: Int) async throws -> String?
    /// Puts treated patients under contracts, all or none; the same enrollment again is harmless.
    func enroll(_ patients: [TreatedPatient]) async throws -> Int
    func treatedPatients() async throws -> [TreatedPatient]
    /// One page of the enrollments, by patient then contract, and how many there are in all.
    func treatedPatients(limit: Int, offset: Int) async throws -> (patients: [TreatedPatient], total: Int)
    func treatedPatientCount() async throws -> Int
}

public struct SQLContractRepository: ContractRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func store(_ terms: ContractTerms, document: String) async throws -> ContractFiling {
        try await database.transaction { db in try await Self.store(terms, document: document, in: db) }
    }

    /// Files a version inside the caller's transaction (filing a manufacturer's proposal
    /// files the contract and closes the proposal together).
    static func store(_ terms: ContractTerms, document: String, in db: any SQLDatabase) async throws -> ContractFiling {
        let rows = try await db.select().column("version").column("document").from("contracts")
            .where("contract_id", .equal, terms.id.rawValue).all()
        let versions = try rows.map { (try $0.int("version"), try $0.string("document")) }
        if let same = versions.first(where: { $0.0 == terms.version }) {
            guard same.1 == document else {
                throw StorageError.conflict("contract '\(terms.id)' version \(terms.version) is already stored with different terms; file an amendment as version \((versions.map(\.0).max() ?? 0) + 1)")
            }
            return .alreadyStored(version: terms.version)
        }
        let next = (versions.map(\.0).max() ?? 0) + 1
        guard terms.version == next else {
            throw ValidationError(field: "version", problem: "must be \(next): contract '\(terms.id)' has \(versions.isEmpty ? "no versions yet" : "versions up to \(next - 1)")")
        }
        if terms.version > 1, terms.amends != terms.version - 1 {
            throw ValidationError(field: "amends", problem: "must be \(terms.version - 1), the version this amendment follows")
        }
        try await db.insert(into: "contracts")
            .columns("contract_id", "version", "product_id", "effective_from", "effective_to", "document")
            .values(SQLBind(terms.id.rawValue), SQLBind(terms.version), SQLBind(terms.product.rawValue),
                    SQLBind(terms.effective.from.description), bind(terms.effective.to), SQLBind(document))
            .run()
        return .stored(version: terms.version)
    }

    public func allVersions() async throws -> [ContractTerms] {
        try await database.withConnection { db in try await Self.allVersions(in: db) }
    }

    static func allVersions(in db: any SQLDatabase) async throws -> [ContractTerms] {
        let rows = try await db.select().column("contract_id").column("version").column("document").from("contracts")
            .orderBy("contract_id").orderBy("version").all()
            .map { (try $0.string("contract_id"), try $0.int("version"), try $0.string("document")) }
        return try rows.map { id, version, document in
            do {
                return try ContractFile.parse(document)
            } catch {
                throw StorageError.corrupt("contract \(id) version \(version) no longer parses: \(error)")
            }
        }
    }

    public func document(of contract: ContractID, version: Int) async throws -> String? {
        try await database.withConnection { db in
            try await db.select().column("document").from("contracts")
                .where("contract_id", .equal, contract.rawValue).where("version", .equal, version).first()
                .map { try $0.string("document") }
        }
    }

    static let treatedColumns = ["patient_id", "contract_id", "product_id", "infusion_date", "paying_payer", "center_id"]

    public func enroll(_ patients: [TreatedPatient]) async throws -> Int {
        try await database.transaction { db in
            var issues: [ValidationError.Issue] = []
            let contracts = Set(try await db.select().column("contract_id").from("contracts").all().map { try $0.string("contract_id") })
            let known = Set(try await SQLOutcomeRepository.timelines(Set(patients.map(\.patientID)), in: db).keys)
            let enrolled = try await Self.enrollments(of: Array(Set(patients.map(\.patientID))), in: db)
            let (coverage, cases) = try await Self.enrollmentFacts(of: Array(known), in: db)
            var fresh: [TreatedPatient] = []
            var seen = Set<String>()
            for (index, patient) in patients.enumerated() {
                let key = "\(patient.patientID)|\(patient.contractID)"
                guard seen.insert(key).inserted else { continue }
                if !known.contains(patient.patientID) { issues.append(.init(field: "patients[\(index)].patientId", problem: "no patient '\(patient.patientID)'")) }
                if !contracts.contains(patient.contractID.rawValue) { issues.append(.init(field: "patients[\(index)].contractId", problem: "no contract '\(patient.contractID)'")) }
                if known.contains(patient.patientID), enrolled[key] == nil {
                    issues += patient.enrollmentIssues(coverage: coverage[patient.patientID] ?? [], cases: cases[patient.patientID] ?? [], prefix: "patients[\(index)]")
                }
                if let existing = enrolled[key] {
                    if existing != patient {
                        issues.append(.init(field: "patients[\(index)]", problem: "'\(patient.patientID)' is already enrolled under '\(patient.contractID)' with different details"))
                    }
                    continue
                }
                fresh.append(patient)
            }
            guard issues.isEmpty else { throw ValidationError(issues: issues) }
            try await insertChunked(db, into: "treated_patients", columns: Self.treatedColumns, items: fresh, row: Self.treatedRow)
            return fresh.count
        }
    }

    /// Each patient's coverage periods and cases (product and infusion date), which decide
    /// whether a unit may be enrolled (``TreatedPatient/enrollmentIssues(coverage:cases:prefix:)``).
    static func enrollmentFacts(of patients: [PatientID], in db: any SQLDatabase) async throws
        -> (coverage: [PatientID: [CoveragePeriod]], cases: [PatientID: [TreatedPatient.CaseOutcome]])
    {
        var coverage: [PatientID: [CoveragePeriod]] = [:]
        var cases: [PatientID: [TreatedPatient.CaseOutcome]] = [:]
        for start in stride(from: 0, to: patients.count, by: 500) {
            let chunk = patients[start..<min(patients.count, start + 500)].map(\.rawValue)
            for row in try await db.select().columns("id", "patient_id", "payer_id", "plan_id", "start_date", "end_date").from("coverage_periods")
                .where("patient_id", .in, chunk).all() {
                let period = try SQLReferenceRepository.coveragePeriod(row)
                coverage[period.patientID, default: []].append(period)
            }
            for row in try await db.select().columns("patient_id", "product_id", "status", "closed_on").from("cases").where("patient_id", .in, chunk).all() {
                let infused = try row.string("status") == "infused" ? try row.optionalDate("closed_on") : nil
                cases[PatientID(try row.string("patient_id")), default: []].append(.init(productID: ProductID(try row.string("product_id")), infusedOn: infused))
            }
        }
        return (coverage, cases)
    }

    /// Inserts contract versions and enrollments inside the caller's transaction (bulk loads).
    static func write(_ contracts: [(terms: ContractTerms, document: String)], _ treated: [TreatedPatient], into db: any SQLDatabase) async throws {
        try await insertChunked(db, into: "contracts", columns: ["contract_id", "version", "product_id", "effective_from", "effective_to", "document"],
                                rows: contracts.map { terms, document in
                                    [SQLBind(terms.id.rawValue), SQLBind(terms.version), SQLBind(terms.product.rawValue),
                                     SQLBind(terms.effective.from.description), bind(terms.effective.to), SQLBind(document)]
                                })
        try await insertChunked(db, into: "treated_patients", columns: treatedColumns, items: treated, row: treatedRow)
    }

    static func treatedRow(_ p: TreatedPatient) -> [any SQLExpression] {
        [SQLBind(p.patientID.rawValue), SQLBind(p.contractID.rawValue), SQLBind(p.productID.rawValue), SQLBind(p.infusionDate.description),
         SQLBind(p.payingPayer.rawValue), bind(p.centerID?.rawValue)]
    }

    /// The enrollments of the patients whose IDs fall in the range.
    static func treatedPatients(from first: String, through last: String, in db: any SQLDatabase) async throws -> [TreatedPatient] {
        try await db.select().columns(treatedColumns.map { SQLIdentifier($0) }).from("treated_patients")
            .where("patient_id", .greaterThanOrEqual, first).where("patient_id", .lessThanOrEqual, last)
            .orderBy("patient_id").orderBy("contract_id").all().map(treated)
    }

    /// ``treatedPatients(from:through:in:)`` for a settlement on SQLite (``TextRows``).
    static func treatedPatients(from first: String, through last: String, in handle: SQLiteHandle) async throws -> [TreatedPatient] {
        try await TextRows.select(
            treatedColumns, "treated_patients WHERE patient_id >= ? AND patient_id <= ? ORDER BY patient_id, contract_id", [first, last], in: handle, as: treated)
    }

    public func treatedPatientCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("treated_patients").first()?.int("n") ?? 0
        }
    }

    public func treatedPatients(limit: Int, offset: Int) async throws -> (patients: [TreatedPatient], total: Int) {
        try await database.withConnection { db in
            let total = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("treated_patients").first()?.int("n") ?? 0
            let page = try await db.select().columns(Self.treatedColumns.map { SQLIdentifier($0) }).from("treated_patients")
                .orderBy("patient_id").orderBy("contract_id").limit(limit).offset(offset).all().map(Self.treated)
            return (page, total)
        }
    }

    public func treatedPatients() async throws -> [TreatedPatient] {
        try await database.withConnection { db in
            try await db.select().columns(Self.treatedColumns.map { SQLIdentifier($0) }).from("treated_patients")
                .orderBy("patient_id").orderBy("contract_id").all().map(Self.treated)
        }
    }

    /// The stored enrollments of `patients`, keyed `patient|contract`, read a chunk of IDs at a time.
    static func enrollments(of patients: [PatientID], in db: any SQLDatabase) async throws -> [String: TreatedPatient] {
        var found: [String: TreatedPatient] = [:]
        for start in stride(from: 0, to: patients.count, by: SQLOutcomeRepository.lookupChunk) {
            let chunk = patients[start..<min(patients.count, start + SQLOutcomeRepository.lookupChunk)].map(\.rawValue)
            for row in try await db.select().columns(treatedColumns.map { SQLIdentifier($0) }).from("treated_patients")
                .where("patient_id", .in, chunk).all()
            {
                let enrollment = try treated(row)
                found["\(enrollment.patientID)|\(enrollment.contractID)"] = enrollment
            }
        }
        return found
    }

    static func treated(_ row: any SQLRow) throws -> TreatedPatient {
        TreatedPatient(
            patientID: PatientID(try row.string("patient_id")), productID: ProductID(try row.string("product_id")),
            infusionDate: try row.date("infusion_date"), contractID: ContractID(try row.string("contract_id")),
            payingPayer: PayerID(try row.string("paying_payer")), centerID: try row.optionalString("center_id").map { CenterID($0) })
    }
}
