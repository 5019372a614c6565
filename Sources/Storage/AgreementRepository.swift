import CareNetwork
import Core
import Coverage
import Foundation
import Journey
import SQLKit

/// The term library, templates, and single-case agreements.
///
/// An agreement is stored whole (every version in its body) and changed only through a step
/// applied inside one transaction with the journey events it implies — sending starts the
/// case's financial-agreement stage, the second signature completes it — so the agreement and
/// the journey never disagree, and a step the journey refuses writes nothing.
public protocol AgreementRepository: Sendable {
    /// Stores a term version (validated). The same term again is harmless; other wording under
    /// a stored version is a conflict; a new version must be numbered above the stored ones.
    func store(_ term: Term) async throws -> Bool
    func library() async throws -> TermLibrary
    /// Stores a template version, checked against the library.
    func store(_ template: AgreementTemplate) async throws -> Bool
    func templates() async throws -> [AgreementTemplate]
    /// Creates a drafted agreement on its case (idempotent by id).
    func create(_ agreement: Agreement, scope: PartyScope) async throws -> (agreement: Agreement, created: Bool)
    /// Applies `step` to the stored agreement inside one transaction; `step` returns the new
    /// agreement and which journey step it was, if any.
    func update(
        _ id: AgreementID, scope: PartyScope, at: Date,
        _ step: @Sendable (Agreement, TermLibrary) throws -> (Agreement, AgreementStep?)
    ) async throws -> Agreement
    func find(_ id: AgreementID, scope: PartyScope) async throws -> Agreement?
    /// Agreements in scope, newest first; `caseID` narrows to one case.
    func list(scope: PartyScope, caseID: CaseID?) async throws -> [Agreement]
}

public struct SQLAgreementRepository: AgreementRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    static var encoder: JSONEncoder { StoredJSON.encoder }
    static var decoder: JSONDecoder { StoredJSON.decoder }

    static func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    static func decode<T: Decodable>(_ type: T.Type, _ body: String, what: String) throws -> T {
        do { return try decoder.decode(type, from: Data(body.utf8)) } catch { throw StorageError.corrupt("a stored \(what) no longer decodes: \(error)") }
    }

    public func store(_ term: Term) async throws -> Bool {
        _ = try term.validated()
        let body = try Self.json(term)
        return try await database.transaction { db in
            let stored = try await db.select().columns("version", "body").from("agreement_terms").where("term_id", .equal, term.id.rawValue).all()
                .map { (try $0.int("version"), try $0.string("body")) }
            if let same = stored.first(where: { $0.0 == term.version }) {
                guard same.1 == body else { throw StorageError.conflict("term \(term.id) version \(term.version) is already stored with other wording; store the change as a new version") }
                return false
            }
            if let newest = stored.map(\.0).max(), term.version < newest {
                throw ValidationError(field: "version", problem: "must be above \(newest), the newest stored version of term \(term.id)")
            }
            try await db.insert(into: "agreement_terms").columns("term_id", "version", "body")
                .values(SQLBind(term.id.rawValue), SQLBind(term.version), SQLBind(body)).run()
            return true
        }
    }

    public func library() async throws -> TermLibrary {
        try await database.withConnection { db in try await Self.library(in: db) }
    }

    static func library(in db: any SQLDatabase) async throws -> TermLibrary {
        TermLibrary(try await db.select().column("body").from("agreement_terms").orderBy("term_id").orderBy("version").all()
            .map { try decode(Term.self, try $0.string("body"), what: "term") })
    }

    public func store(_ template: AgreementTemplate) async throws -> Bool {
        let body = try Self.json(template)
        return try await database.transaction { db in
            _ = try template.validated(against: try await Self.library(in: db))
            if let existing = try await db.select().column("body").from("agreement_templates")
                .where("template_id", .equal, template.id.rawValue).where("version", .equal, template.version).first() {
                guard try existing.string("body") == body else {
                    throw StorageError.conflict("template \(template.id) version \(template.version) is already stored with other terms; store the change as a new version")
                }
                return false
            }
            try await db.insert(into: "agreement_templates").columns("template_id", "version", "center_id", "body")
                .values(SQLBind(template.id.rawValue), SQLBind(template.version), bind(template.center?.rawValue), SQLBind(body)).run()
            return true
        }
    }

    public func templates() async throws -> [AgreementTemplate] {
        try await database.withConnection { db in
            try await db.select().column("body").from("agreement_templates").orderBy("template_id").orderBy("version").all()
                .map { try Self.decode(AgreementTemplate.self, try $0.string("body"), what: "template") }
        }
    }

    public func create(_ agreement: Agreement, scope: PartyScope) async throws -> (agreement: Agreement, created: Bool) {
        try await database.transaction { db in
            guard let record = try await SQLCaseRepository.findCase(agreement.caseID, in: db, lock: true),
                  scope.includes(center: record.centerID, payer: record.payerID)
            else { throw NotFoundError(entity: "case", id: agreement.caseID.rawValue) }
            guard record.centerID == agreement.center, record.payerID == agreement.payer, record.patientID == agreement.patient else {
                throw ValidationError(field: "caseId", problem: "the agreement's center, payer and patient must be the case's")
            }
            if let existing = try await Self.find(agreement.id, in: db, lock: false) {
                guard existing.caseID == agreement.caseID, existing.template == agreement.template else {
                    throw StorageError.conflict("agreement '\(agreement.id)' already exists for another case or template")
                }
                return (existing, false)
            }
            try await db.insert(into: "agreements").columns("id", "case_id", "center_id", "payer_id", "status", "updated_at", "body")
                .values(SQLBind(agreement.id.rawValue), SQLBind(agreement.caseID.rawValue), SQLBind(agreement.center.rawValue), SQLBind(agreement.payer.rawValue),
                        SQLBind(agreement.status.rawValue), SQLBind(Int64(agreement.createdAt.timeIntervalSince1970)), SQLBind(try Self.json(agreement)))
                .run()
            return (agreement, true)
        }
    }

    public func update(
        _ id: AgreementID, scope: PartyScope, at: Date, _ step: @Sendable (Agreement, TermLibrary) throws -> (Agreement, AgreementStep?)
    ) async throws -> Agreement {
        try await database.transaction { db in
            guard let current = try await Self.find(id, in: db, lock: true), scope.includes(center: current.center, payer: current.payer) else {
                throw NotFoundError(entity: "agreement", id: id.rawValue)
            }
            let (next, journeyStep) = try step(current, try await Self.library(in: db))
            if let journeyStep {
                guard let record = try await SQLCaseRepository.findCase(current.caseID, in: db, lock: true) else {
                    throw StorageError.corrupt("agreement \(id) names case \(current.caseID), which does not exist")
                }
                try await SQLCaseRepository.recordImpliedEvents(for: record, at: at, in: db) { journey, date in
                    next.journeyEvents(after: journeyStep, journey: journey, on: date)
                }
            }
            try await db.update("agreements").set("status", to: next.status.rawValue).set("updated_at", to: Int64(at.timeIntervalSince1970))
                .set("body", to: try Self.json(next)).where("id", .equal, id.rawValue).run()
            return next
        }
    }

    public func find(_ id: AgreementID, scope: PartyScope) async throws -> Agreement? {
        try await database.withConnection { db in
            guard let agreement = try await Self.find(id, in: db, lock: false), scope.includes(center: agreement.center, payer: agreement.payer) else { return nil }
            return agreement
        }
    }

    public func list(scope: PartyScope, caseID: CaseID?) async throws -> [Agreement] {
        try await database.withConnection { db in
            var select = db.select().column("body").from("agreements")
            switch scope {
            case .all: break
            case .center(let id): select = select.where("center_id", .equal, id.rawValue)
            case .payer(let id): select = select.where("payer_id", .equal, id.rawValue)
            case .none: select = select.where(SQLLiteral.boolean(false))
            }
            if let caseID { select = select.where("case_id", .equal, caseID.rawValue) }
            return try await select.orderBy("updated_at", .descending).limit(500).all().map { try Self.decode(Agreement.self, try $0.string("body"), what: "agreement") }
        }
    }

    /// Bulk load (demo data), without journey events.
    static func write(_ agreements: [Agreement], into db: any SQLDatabase) async throws {
        let rows = try agreements.map { ($0, try json($0)) }
        try await insertChunked(db, into: "agreements", columns: ["id", "case_id", "center_id", "payer_id", "status", "updated_at", "body"], items: rows) { agreement, body in
            let updated = [agreement.latest.at, agreement.acceptance?.at, agreement.signatures.values.max()].compactMap { $0 }.max() ?? agreement.createdAt
            return [SQLBind(agreement.id.rawValue), SQLBind(agreement.caseID.rawValue), SQLBind(agreement.center.rawValue), SQLBind(agreement.payer.rawValue),
                    SQLBind(agreement.status.rawValue), SQLBind(Int64(updated.timeIntervalSince1970)), SQLBind(body)]
        }
    }

    static func find(_ id: AgreementID, in db: any SQLDatabase, lock: Bool) async throws -> Agreement? {
        var select = db.select().column("body").from("agreements").where("id", .equal, id.rawValue)
        if lock { select = select.for(.update) }
        return try await select.first().map { try decode(Agreement.self, try $0.string("body"), what: "agreement") }
    }
}
