import Core
import Foundation
import Journey
import NIOConcurrencyHelpers
import SQLKit

/// What filing a journey template file did.
public enum JourneyTemplateFiling: Hashable, Sendable {
    case stored(version: Int)
    /// The same file was already filed under this version; nothing changed.
    case alreadyStored(version: Int)
}

/// Journey templates a network filed, every version kept as the file it was read from, and
/// the one place a template reference is resolved — shipped or filed, for cases, events,
/// metrics and pages alike.
public protocol JourneyTemplateRepository: Sendable {
    /// Files a version. The id must not be a shipped template's; each new version must be
    /// numbered above every filed one; the same file again is harmless; a different file
    /// under a filed version is a conflict (a filed version is never rewritten).
    func file(_ template: JourneyTemplate, document: String, filedBy: String?) async throws -> JourneyTemplateFiling
    /// The shipped templates and every filed version.
    func catalog() async throws -> JourneyTemplateCatalog
    /// The template `reference` names (``JourneyTemplateCatalog``), or `nil`.
    func template(for reference: String) async throws -> JourneyTemplate?
    /// The file a version was filed as.
    func document(of id: String, version: Int) async throws -> String?
}

public struct SQLJourneyTemplateRepository: JourneyTemplateRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func file(_ template: JourneyTemplate, document: String, filedBy: String?) async throws -> JourneyTemplateFiling {
        guard !JourneyTemplate.isBuiltIn(template.id) else {
            throw ValidationError(field: "id", problem: "'\(template.id)' is a journey template CurePath ships; file yours under an id of its own", rule: "reserved")
        }
        let filedAt = Date().formatted(.iso8601)
        return try await database.transaction { db in
            let versions = try await db.select().column("version").column("document").from("journey_templates")
                .where("template_id", .equal, template.id).all()
                .map { (try $0.int("version"), try $0.string("document")) }
            if let same = versions.first(where: { $0.0 == template.version }) {
                guard same.1 == document else {
                    throw StorageError.conflict("journey template '\(template.id)' version \(template.version) is already filed with different content; a filed version is never rewritten, so file the change as version \((versions.map(\.0).max() ?? 0) + 1)")
                }
                return .alreadyStored(version: template.version)
            }
            if let latest = versions.map(\.0).max(), template.version < latest {
                throw ValidationError(field: "version", problem: "must be above \(latest), the newest filed version of journey template '\(template.id)'")
            }
            try await db.insert(into: "journey_templates").columns("template_id", "version", "name", "document", "filed_by", "filed_at")
                .values(SQLBind(template.id), SQLBind(template.version), SQLBind(template.name), SQLBind(document),
                        bind(filedBy), SQLBind(filedAt))
                .run()
            return .stored(version: template.version)
        }
    }

    public func catalog() async throws -> JourneyTemplateCatalog {
        try await database.withConnection { db in try await Self.catalog(in: db) }
    }

    public func template(for reference: String) async throws -> JourneyTemplate? {
        if let shipped = JourneyTemplateCatalog.builtIn.template(for: reference) { return shipped }
        return try await database.withConnection { db in try await Self.template(for: reference, in: db) }
    }

    public func document(of id: String, version: Int) async throws -> String? {
        try await database.withConnection { db in
            try await db.select().column("document").from("journey_templates").where("template_id", .equal, id).where("version", .equal, version)
                .first().map { try $0.string("document") }
        }
    }

    // MARK: - The one resolver, on any connection (inside a case's transaction too)

    /// Every filed version with the shipped templates.
    static func catalog(in db: any SQLDatabase) async throws -> JourneyTemplateCatalog {
        let rows = try await db.select().column("template_id").column("version").column("document").from("journey_templates")
            .orderBy("template_id").orderBy("version").all()
        return JourneyTemplateCatalog(filed: try rows.map(parse))
    }

    /// The template `reference` names: a shipped one from memory; a filed one (`id` for its
    /// newest version, `id@version` for one) by its primary key, read from the parse cache.
    static func template(for reference: String, in db: any SQLDatabase) async throws -> JourneyTemplate? {
        if let shipped = JourneyTemplateCatalog.builtIn.template(for: reference) { return shipped }
        let parts = reference.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard JourneyTemplate.isValidID(parts[0]) else { return nil }
        var query = db.select().column("template_id").column("version").column("document").from("journey_templates")
            .where("template_id", .equal, parts[0])
        if parts.count == 2 {
            guard let version = Int(parts[1]), (1...100_000).contains(version) else { return nil }
            query = query.where("version", .equal, version)
        }
        return try await query.orderBy("version", .descending).limit(1).first().map(parse)
    }

    /// The template a case record names; a case whose template cannot be found is refused.
    static func template(of record: Case, in db: any SQLDatabase) async throws -> JourneyTemplate {
        guard let template = try await template(for: record.templateID, in: db) else {
            throw ValidationError(field: "templateID", problem: "'\(record.templateID.prefix(80))' is not a known journey template")
        }
        return template
    }

    private static func parse(_ row: any SQLRow) throws -> JourneyTemplate {
        let document = try row.string("document")
        if let known = ParsedTemplates.shared.template(of: document) { return known }
        do {
            let template = try JourneyTemplateFile.parse(document)
            ParsedTemplates.shared.remember(template, of: document)
            return template
        } catch {
            throw StorageError.corrupt("journey template \(try row.string("template_id")) version \(try row.int("version")) no longer reads: \(error)")
        }
    }
}

/// Filed templates as read, by the exact text of their file.
///
/// Every event recorded on a case replays it through its template, so a filed template is
/// read from its file once, not once per event. Keyed by the file's text, the cache is never
/// stale — a filed version is never rewritten, and a new version is a new text — so filing
/// needs no invalidation, even by another process on the same database. It holds at most
/// ``limit`` templates (a few KB each) and starts over when full.
final class ParsedTemplates: Sendable {
    static let shared = ParsedTemplates()
    static let limit = 256

    private let byDocument = NIOLockedValueBox<[String: JourneyTemplate]>([:])

    func template(of document: String) -> JourneyTemplate? {
        byDocument.withLockedValue { $0[document] }
    }

    func remember(_ template: JourneyTemplate, of document: String) {
        byDocument.withLockedValue { cache in
            if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
            cache[document] = template
        }
    }
}
