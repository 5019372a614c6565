import Access
import CareNetwork
import Core
import Foundation
import Linkage
import SQLKit

/// Review of what linkage could not decide: a steward or the mediator's operator reads the
/// ambiguous and near-miss records with their evidence, and accepts one candidate or rejects
/// them all. The decision is recorded (`link_reviews`), and every later read of links obeys
/// it: an accepted record is `linked`, so outcome files and bundles naming it resolve to the
/// patient; a rejected pair is never offered again (``keep(_:candidates:in:)``).
extension SQLLinkageRepository {
    /// Candidates kept per record: enough to choose from, few enough to read.
    static let candidatesPerRecord = 5
    /// CLKs this close to a record without reaching the link threshold are offered for review.
    public static let reviewFloor = 0.6
    /// Near misses are searched by comparing every unmatched CLK with every patient's; past this
    /// many comparisons a request records no near misses (linkage at that size is batch work).
    static let nearMissComparisons = 2_000_000
    /// The evidence of a record whose only candidates a reviewer rejected.
    static let rejectedOnReview = "a reviewer rejected the patients it matched"

    /// The patients within reach of an unmatched CLK: Dice from the review floor up to the
    /// link threshold, closest first. `comparing` is how many records need this, to bound the work.
    static func nearMisses(_ clk: BitArray, among registry: [(PatientID, BitArray)], below threshold: Double, comparing records: Int) -> [LinkCandidate] {
        guard records * registry.count <= nearMissComparisons else { return [] }
        return registry.compactMap { patient, other in
            let score = Dice.similarity(clk, other)
            guard score >= reviewFloor, score < threshold else { return nil }
            return LinkCandidate(patientID: patient, evidence: "dice " + String(format: "%.3f", score), score: score)
        }
    }

    /// The patients reviewers rejected for each of these records.
    static func rejections(source: String, records: [String], in db: any SQLDatabase) async throws -> [String: Set<PatientID>] {
        var rejected: [String: Set<PatientID>] = [:]
        for start in stride(from: 0, to: records.count, by: 500) {
            let chunk = Array(records[start..<min(records.count, start + 500)])
            for row in try await db.select().columns("record_id", "patient_id").from("link_rejections")
                .where("source", .equal, source).where("record_id", .in, chunk).all() {
                rejected[try row.string("record_id"), default: []].insert(PatientID(try row.string("patient_id")))
            }
        }
        return rejected
    }

    /// One page of the records waiting for a person — ambiguous, or unmatched with candidates
    /// — across every source, oldest first, and how many wait in all.
    public func pending(limit: Int, offset: Int) async throws -> (items: [PendingLink], total: Int) {
        try await database.withConnection { db in
            let waiting = """
                FROM linked_records r WHERE r.status <> 'linked'
                AND EXISTS (SELECT 1 FROM link_candidates c WHERE c.source = r.source AND c.record_id = r.record_id)
                """
            let total = try await db.raw("SELECT COUNT(*) AS n \(unsafeRaw: waiting)").first()?.int("n") ?? 0
            let rows = try await db.raw("SELECT r.* \(unsafeRaw: waiting) ORDER BY r.linked_on, r.source, r.record_id LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
            var items: [PendingLink] = []
            for row in rows {
                let record = try Self.linkedRecord(row)
                items.append(PendingLink(record: record, candidates: try await Self.candidates(of: record, in: db)))
            }
            return (items, total)
        }
    }

    /// A record waiting for review, with its candidates; `nil` when there is no such record or
    /// nothing about it is left to decide.
    public func pending(source: String, recordID: String) async throws -> PendingLink? {
        try await database.withConnection { db in try await Self.pending(source: source, recordID: recordID, in: db) }
    }

    /// Records a reviewer's decision and applies it, in one transaction: accepting links the
    /// record to the chosen candidate; rejecting drops every candidate and remembers each
    /// pair as not the same person. Throws ``NotFoundError`` when the record is not waiting,
    /// and a ``ValidationError`` on `patientId` when the chosen patient is not a candidate.
    public func review(source: String, recordID: String, decision: LinkDecision, reason: String?,
                       by reviewer: String, organization: String) async throws -> (review: LinkReview, record: LinkedRecord) {
        let at = now()
        return try await database.transaction { db in
            guard let waiting = try await Self.pending(source: source, recordID: recordID, in: db) else {
                throw NotFoundError(entity: "linked record", id: "\(source)/\(recordID)")
            }
            let review = LinkReview(id: LinkReviewID("lrv-\(UUID().uuidString.prefix(12).lowercased())"), source: source, recordID: recordID,
                                    decision: decision, reason: reason, reviewedBy: reviewer, organizationID: organization, reviewedAt: at)
            var record = waiting.record
            switch decision {
            case .accept(let patient):
                guard let chosen = waiting.candidates.first(where: { $0.patientID == patient }) else {
                    throw ValidationError(field: "patientId", problem: "'\(patient)' is not a candidate of record '\(recordID)'; choose one of its candidates")
                }
                record.status = .linked
                record.patientID = patient
                record.evidence = "accepted on review: \(chosen.evidence)"
                record.linkedOn = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: at)
            case .reject:
                record.status = .unmatched
                record.patientID = nil
                record.evidence = Self.rejectedOnReview
            }
            try await db.insert(into: "link_reviews")
                .columns("id", "source", "record_id", "decision", "patient_id", "reason", "reviewed_by", "organization_id", "reviewed_at")
                .values(SQLBind(review.id.rawValue), SQLBind(source), SQLBind(recordID), SQLBind(decision.name), bind(record.patientID?.rawValue),
                        bind(reason), SQLBind(reviewer), SQLBind(organization), SQLBind(ISO8601DateFormatter().string(from: at)))
                .run()
            if decision == .reject {
                try await insertChunked(db, into: "link_rejections", columns: ["source", "record_id", "patient_id", "review_id"], items: waiting.candidates) {
                    [SQLBind(source), SQLBind(recordID), SQLBind($0.patientID.rawValue), SQLBind(review.id.rawValue)]
                }
            }
            try await db.delete(from: "link_candidates").where("source", .equal, source).where("record_id", .equal, recordID).run()
            try await db.update("linked_records")
                .set("status", to: SQLBind(record.status.rawValue)).set("patient_id", to: bind(record.patientID?.rawValue))
                .set("evidence", to: SQLBind(record.evidence)).set("linked_on", to: SQLBind(record.linkedOn.description))
                .where("source", .equal, source).where("record_id", .equal, recordID)
                .run()
            return (review, record)
        }
    }

    /// The decisions recorded about one source record, oldest first.
    public func reviews(source: String, recordID: String) async throws -> [LinkReview] {
        try await database.withConnection { db in
            try await db.select().column("*").from("link_reviews").where("source", .equal, source).where("record_id", .equal, recordID)
                .orderBy("reviewed_at").all().map { row in
                    let decision: LinkDecision = try row.string("decision") == "accept"
                        ? .accept(PatientID(try row.optionalString("patient_id") ?? "")) : .reject
                    return LinkReview(
                        id: LinkReviewID(try row.string("id")), source: try row.string("source"), recordID: try row.string("record_id"),
                        decision: decision, reason: try row.optionalString("reason"), reviewedBy: try row.string("reviewed_by"),
                        organizationID: try row.string("organization_id"),
                        reviewedAt: ISO8601DateFormatter().date(from: try row.string("reviewed_at")) ?? .distantPast)
                }
        }
    }

    static func pending(source: String, recordID: String, in db: any SQLDatabase) async throws -> PendingLink? {
        guard let row = try await db.select().column("*").from("linked_records").where("source", .equal, source).where("record_id", .equal, recordID).first()
        else { return nil }
        let record = try linkedRecord(row)
        guard record.status != .linked else { return nil }
        let candidates = try await candidates(of: record, in: db)
        return candidates.isEmpty ? nil : PendingLink(record: record, candidates: candidates)
    }

    static func candidates(of record: LinkedRecord, in db: any SQLDatabase) async throws -> [LinkCandidate] {
        try await db.select().columns("patient_id", "evidence", "score").from("link_candidates")
            .where("source", .equal, record.source).where("record_id", .equal, record.recordID)
            .orderBy("score", .descending).orderBy("patient_id").all().map { row in
                LinkCandidate(patientID: PatientID(try row.string("patient_id")), evidence: try row.string("evidence"), score: try row.decode(column: "score", as: Double.self))
            }
    }
}
