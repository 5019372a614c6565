import APIContract
import Access
import CareNetwork
import Core
import Foundation
import Storage

/// Review of what record linkage could not decide, for identity stewards and the mediator's
/// operators (the `review-links` action; a center, whose records they are, never decides).
/// The API and the review page both go through ``decideLink(source:recordID:decision:patientID:reason:)``.
extension CurePathAPI {
    func listPendingLinks(_ input: Operations.ListPendingLinks.Input) async throws -> Operations.ListPendingLinks.Output {
        let (limit, offset) = try Parse.page(limit: input.query.limit, offset: input.query.offset, maximum: 200)
        let (items, total) = try await store.linkage.pending(limit: limit, offset: offset)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.PendingLink.init), total: total, limit: limit, offset: offset))))
    }

    func reviewLink(_ input: Operations.ReviewLink.Input) async throws -> Operations.ReviewLink.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let (review, record) = try await decideLink(
            source: body.source, recordID: body.recordId, decision: body.decision.rawValue, patientID: body.patientId, reason: body.reason)
        return .ok(.init(body: .json(.init(
            reviewId: review.id.rawValue, decision: .init(rawValue: review.decision.name)!, source: record.source, record: .init(record)))))
    }

    /// Validates a reviewer's decision, records it and applies it: the one use case behind
    /// `POST /api/v1/linkage/reviews` and the review page's form. Fields are named as the API
    /// names them (`source`, `recordId`, `decision`, `patientId`, `reason`).
    func decideLink(source rawSource: String?, recordID rawRecord: String?, decision rawDecision: String?, patientID rawPatient: String?,
                    reason rawReason: String?) async throws -> (review: LinkReview, record: LinkedRecord) {
        guard let current = RequestIdentity.current else { throw Problem.forbidden("not signed in") }
        var issues: [ValidationError.Issue] = []
        func field<T>(_ parse: () throws(ValidationError) -> T?) -> T? {
            do throws(ValidationError) { return try parse() } catch { issues += error.issues; return nil }
        }
        let source: OrganizationID? = field { () throws(ValidationError) in
            try Identifier.validated(rawSource?.nonEmpty ?? "", field: "source")
        }
        let record: Identifier<LinkedRecord>? = field { () throws(ValidationError) in
            try Identifier.validated(rawRecord?.nonEmpty ?? "", field: "recordId")
        }
        let decision: LinkDecision? = field { () throws(ValidationError) -> LinkDecision? in
            switch rawDecision {
            case "accept":
                guard let raw = rawPatient?.nonEmpty else { throw ValidationError(field: "patientId", problem: "is required to accept: choose one of the record's candidates") }
                return .accept(try Identifier.validated(raw, field: "patientId"))
            case "reject":
                return .reject
            default:
                throw ValidationError(field: "decision", problem: "must be accept or reject")
            }
        }
        let reason = field { () throws(ValidationError) in try Parse.text(rawReason, field: "reason", maxLength: 500) }
        guard issues.isEmpty, let source, let record, let decision else { throw ValidationError(issues: issues) }
        RequestIdentity.touch("linked-record:\(source)/\(record)")
        if case .accept(let patient) = decision { RequestIdentity.touch("patient:\(patient)") }
        return try await store.linkage.review(
            source: source.rawValue, recordID: record.rawValue, decision: decision, reason: reason,
            by: current.principal.userID.rawValue, organization: current.principal.organization.id.rawValue)
    }
}

extension Components.Schemas.PendingLink {
    init(_ pending: PendingLink) {
        self.init(source: pending.record.source, record: .init(pending.record), candidates: pending.candidates.map {
            .init(patientId: $0.patientID.rawValue, evidence: $0.evidence, score: $0.score)
        })
    }
}

extension Components.Schemas.LinkedRecord {
    /// The record in full, for a reader who sees every patient (a reviewer).
    init(_ record: LinkedRecord) {
        self.init(recordId: record.recordID, status: .init(rawValue: record.status.rawValue)!, patientId: record.patientID?.rawValue,
                  method: .init(rawValue: record.method.rawValue)!, evidence: record.evidence, linkedOn: record.linkedOn.description)
    }
}
