import Access
import Core
import Foundation
import Hummingbird
import Storage

/// The review page for what record linkage could not decide: identity stewards and the
/// mediator's operators accept a candidate or reject them all. Decisions go through the same
/// use case as `POST /api/v1/linkage/reviews` (``CurePathAPI/decideLink(source:recordID:decision:patientID:reason:)``).
struct LinkReviewRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    static var pageSize: Int { 25 }

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/linkage/review", action: .reviewLinks, use: list)
        routes.post("/linkage/review", action: .reviewLinks, use: decide)
    }

    func list(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let offset = WebRoutes<Context>.pageOffset(query["offset"].map(String.init))
        let notice: String? = switch query["done"].map(String.init) {
        case "accept": "Linked. The record now resolves to the patient you chose."
        case "reject": "Rejected. None of those patients will be offered for that record again."
        default: nil
        }
        return try await render(offset: offset, notice: notice, posted: nil, status: .ok)
    }

    func decide(_ request: Request, context: Context) async throws -> Response {
        let fields = WebRoutes<Context>.postedForm
        do {
            let (review, _) = try await api.decideLink(
                source: fields["source"], recordID: fields["recordId"], decision: fields["decision"], patientID: fields["patientId"], reason: fields["reason"])
            return Response(status: .seeOther, headers: [.location: "/linkage/review?done=\(review.decision.name)"])
        } catch let error as ValidationError {
            let posted = LinkReviewPage.Posted(source: fields["source"] ?? "", recordID: fields["recordId"] ?? "", patientID: fields["patientId"] ?? "",
                                               reason: fields["reason"] ?? "", error: Self.plainWords(error))
            return try await render(offset: 0, notice: nil, posted: posted, status: .unprocessableContent)
        }
    }

    /// A refusal as a reviewer reads it: "Choose a patient: …" rather than a field name.
    static func plainWords(_ error: ValidationError) -> String {
        error.issues.map { issue in
            let field = ["patientId": "Patient", "decision": "Decision", "reason": "Reason", "source": "Source", "recordId": "Record"][issue.field] ?? issue.field
            return "\(field) \(issue.problem)."
        }.joined(separator: " ")
    }

    private func render(offset: Int, notice: String?, posted: LinkReviewPage.Posted?, status: HTTPResponse.Status) async throws -> Response {
        let (pending, total) = try await store.linkage.pending(limit: Self.pageSize, offset: offset)
        let organizations = Dictionary(try await store.identities.organizations().map { ($0.id.rawValue, $0.name) }) { first, _ in first }
        let page = LinkReviewPage(pending: pending, total: total, offset: offset, limit: Self.pageSize, organizations: organizations, notice: notice, posted: posted)
        return try renderer.render(page, template: "link-review", status: status)
    }
}
