import CareNetwork
import Core
import Criteria
import Foundation
import SQLKit

/// What storing a criteria file did.
public enum CriteriaFiling: Hashable, Sendable {
    case stored(version: Int)
    /// The same file was already stored under this version; nothing changed.
    case alreadyStored(version: Int)
}

/// Criteria sets, every version kept as the file it was read from.
///
/// The file is the record (what a payer published, with its line numbers); the parsed set is
/// rebuilt from it on read, so results can always point back at the line that decided them.
public protocol CriteriaRepository: Sendable {
    /// Stores a version. Each new version must be numbered above every stored one (a payer's
    /// own numbering may start anywhere and skip); the same file again is harmless; a
    /// different file under a stored version is a conflict.
    func store(_ set: CriteriaSet, document: String) async throws -> CriteriaFiling
    /// Every version of every set, by set and version.
    func allVersions() async throws -> [CriteriaSet]
    /// The newest version of each set.
    func latestVersions() async throws -> [CriteriaSet]
    /// One version, or the newest when `version` is `nil`.
    func set(_ id: CriteriaSetID, version: Int?) async throws -> CriteriaSet?
    func document(of id: CriteriaSetID, version: Int) async throws -> String?
}

public struct SQLCriteriaRepository: CriteriaRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func store(_ set: CriteriaSet, document: String) async throws -> CriteriaFiling {
        try await database.transaction { db in
            let versions = try await db.select().column("version").column("document").from("criteria_sets")
                .where("set_id", .equal, set.id.rawValue).all()
                .map { (try $0.int("version"), try $0.string("document")) }
            if let same = versions.first(where: { $0.0 == set.version }) {
                guard same.1 == document else {
                    throw StorageError.conflict("criteria set '\(set.id)' version \(set.version) is already stored with different content; file the change as version \((versions.map(\.0).max() ?? 0) + 1)")
                }
                return .alreadyStored(version: set.version)
            }
            if let latest = versions.map(\.0).max(), set.version < latest {
                throw ValidationError(field: "version", problem: "must be above \(latest), the newest stored version of criteria set '\(set.id)'")
            }
            try await db.insert(into: "criteria_sets")
                .columns("set_id", "version", "owner", "product_id", "basis", "effective_from", "effective_to", "document")
                .values(SQLBind(set.id.rawValue), SQLBind(set.version), SQLBind(set.owner.description), SQLBind(set.product.rawValue),
                        SQLBind(set.basis.rawValue), SQLBind(set.effectiveFrom.description), bind(set.effectiveTo), SQLBind(document))
                .run()
            return .stored(version: set.version)
        }
    }

    public func allVersions() async throws -> [CriteriaSet] {
        try await database.withConnection { db in
            try await Self.parse(db.select().column("set_id").column("version").column("document").from("criteria_sets")
                .orderBy("set_id").orderBy("version").all())
        }
    }

    public func latestVersions() async throws -> [CriteriaSet] {
        var latest: [CriteriaSetID: CriteriaSet] = [:]
        for set in try await allVersions() { latest[set.id] = set }
        return latest.values.sorted { $0.id < $1.id }
    }

    public func set(_ id: CriteriaSetID, version: Int?) async throws -> CriteriaSet? {
        try await database.withConnection { db in
            var query = db.select().column("set_id").column("version").column("document").from("criteria_sets").where("set_id", .equal, id.rawValue)
            if let version { query = query.where("version", .equal, version) }
            return try await Self.parse(query.orderBy("version", .descending).limit(1).all()).first
        }
    }

    public func document(of id: CriteriaSetID, version: Int) async throws -> String? {
        try await database.withConnection { db in
            try await db.select().column("document").from("criteria_sets").where("set_id", .equal, id.rawValue).where("version", .equal, version)
                .first().map { try $0.string("document") }
        }
    }

    static func write(_ sets: [(set: CriteriaSet, document: String)], into db: any SQLDatabase) async throws {
        try await insertChunked(db, into: "criteria_sets", columns: ["set_id", "version", "owner", "product_id", "basis", "effective_from", "effective_to", "document"], items: sets) { set, document in
            [SQLBind(set.id.rawValue), SQLBind(set.version), SQLBind(set.owner.description), SQLBind(set.product.rawValue),
             SQLBind(set.basis.rawValue), SQLBind(set.effectiveFrom.description), bind(set.effectiveTo), SQLBind(document)]
        }
    }

    static func parse(_ rows: [any SQLRow]) throws -> [CriteriaSet] {
        try rows.map { row in
            let document = try row.string("document")
            do {
                return try CriteriaFile.parse(document)
            } catch {
                throw StorageError.corrupt("criteria set \(try row.string("set_id")) version \(try row.int("version")) no longer parses: \(error)")
            }
        }
    }
}
