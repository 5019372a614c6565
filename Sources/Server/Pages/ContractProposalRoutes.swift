import Access
import Core
import Foundation
import Hummingbird
import Storage

/// The contract proposals page: manufacturers propose, the mediator files or rejects, through
/// the same use cases as the API (``CurePathAPI/proposeContract(_:)``, ``CurePathAPI/decideProposal(_:decision:reason:)``).
struct ContractProposalRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    /// A contract file may be 1 MiB; form encoding can triple it.
    static var uploadLimit: Int { 4 * 1_048_576 }

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/contract-proposals", action: .readContracts, use: list)
        routes.post("/contract-proposals", action: .proposeContracts, bodyLimit: Self.uploadLimit, use: propose)
        routes.post("/contract-proposals/:proposalId/decision", action: .writeContracts, use: decide)
    }

    func list(_ request: Request, context: Context) async throws -> Response {
        let notice: String? = switch request.uri.queryParameters["done"].map(String.init) {
        case "proposed": "Proposed. The mediator will file it or tell you why not."
        case "file": "Filed. The contract version is now in force for settlement."
        case "reject": "Rejected. The manufacturer sees your reason."
        default: nil
        }
        return try await render(notice: notice)
    }

    func propose(_ request: Request, context: Context) async throws -> Response {
        let document = WebRoutes<Context>.postedForm["document"] ?? ""
        do {
            guard !document.isEmpty else { throw ValidationError(field: "document", problem: "is empty: paste the contract file") }
            _ = try await api.proposeContract(Array(document.utf8))
            return Response(status: .seeOther, headers: [.location: "/contract-proposals?done=proposed"])
        } catch let error as ValidationError {
            return try await render(notice: nil, uploadError: error, document: document, status: .unprocessableContent)
        }
    }

    func decide(_ request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("proposalId") ?? ""
        let fields = WebRoutes<Context>.postedForm
        do {
            let decided = try await api.decideProposal(id, decision: fields["decision"], reason: fields["reason"])
            return Response(status: .seeOther, headers: [.location: "/contract-proposals?done=\(decided.status == .filed ? "file" : "reject")"])
        } catch let error as ValidationError {
            return try await render(notice: nil, decisionError: (id: id, message: error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; ")), status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            return try await render(notice: nil, decisionError: (id: id, message: message), status: .conflict)
        }
    }

    private func render(notice: String?, uploadError: ValidationError? = nil, document: String = "", decisionError: (id: String, message: String)? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let principal = RequestIdentity.current?.principal
        let organizations = Dictionary(try await store.identities.organizations().map { ($0.id.rawValue, $0.name) }) { first, _ in first }
        let page = ContractProposalsPage(
            proposals: try await api.visibleProposals(status: nil), organizations: organizations,
            canPropose: principal.map { AccessPolicy.decide($0, .proposeContracts).isAllowed } ?? false,
            canDecide: principal.map { AccessPolicy.decide($0, .writeContracts).isAllowed } ?? false,
            notice: notice, uploadError: uploadError, document: document, decisionError: decisionError)
        return try renderer.render(page, template: "contract-proposals", status: status)
    }
}
