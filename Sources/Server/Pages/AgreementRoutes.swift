import Access
import CareNetwork
import Core
import Coverage
import Foundation
import Hummingbird
import Journey
import Storage

/// The agreement pages: one agreement with its redline and next step, drafting one from a
/// case, and the printable document.
struct AgreementRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/agreements/:agreementId", action: .readAgreements, use: agreement)
        // A counter-proposal carries the whole set of terms.
        routes.post("/agreements/:agreementId/steps", action: .writeAgreements, bodyLimit: 256 * 1024, use: step)
        routes.get("/agreements/:agreementId/document", action: .readAgreements, use: document)
        routes.post("/cases/:caseId/agreements", action: .writeAgreements, use: draft)
    }





    func agreement(_ request: Request, context: Context) async throws -> Response {
        let found = try await api.visibleAgreement(context.parameters.get("agreementId") ?? "")
        let query = request.uri.queryParameters
        return try await render(found, from: query["from"].flatMap { Int($0) }, to: query["to"].flatMap { Int($0) }, error: nil,
                                notice: query["done"].map { "Recorded: \($0)." }, status: .ok)
    }

    func draft(_ request: Request, context: Context) async throws -> Response {
        let caseID: CaseID = try Identifier.validated(context.parameters.get("caseId") ?? "", field: "caseId")
        let fields = WebRoutes<Context>.postedForm
        let template: AgreementTemplateID = try Identifier.validated(fields["templateId"] ?? "", field: "templateId")
        let id = AgreementID("sca-" + UUID().uuidString.prefix(12).lowercased())
        let (drafted, _) = try await api.draft(id: id, caseID: caseID, template: template, templateVersion: nil, diagnosisCode: nil)
        return Response(status: .seeOther, headers: [.location: "/agreements/\(drafted.id.rawValue)?done=drafted"])
    }

    func step(_ request: Request, context: Context) async throws -> Response {
        let current = try await api.visibleAgreement(context.parameters.get("agreementId") ?? "")
        let fields = WebRoutes<Context>.postedForm
        do {
            let party = try CurePathAPI.agreementParty(named: fields["party"]?.nonEmpty)
            let step = fields["step"] ?? ""
            var proposal = Agreement.Proposal(note: try Parse.text(fields["note"], field: "note"))
            for (name, value) in fields where name.hasPrefix("value.") {
                let parts = name.split(separator: ".", maxSplits: 2).map(String.init)
                guard parts.count == 3, let term = current.latest.term(TermID(parts[1])) else { continue }
                if term.values[parts[2]] != value.trimmingCharacters(in: .whitespaces) { proposal.values[TermID(parts[1]), default: [:]][parts[2]] = value }
            }
            let action = try AgreementAction.named(step, proposal: proposal, version: current.latest.number)
            _ = try await api.takeStep(on: current.id, party: party) { agreement, library, at in try agreement.taking(action, by: party, library: library, at: at) }
            return Response(status: .seeOther, headers: [.location: "/agreements/\(current.id.rawValue)?done=\(step)"])
        } catch let error as ValidationError {
            return try await render(current, from: nil, to: nil, error: error.description, notice: nil, status: .unprocessableContent)
        }
    }

    /// The printable document, with the member's name and ID filled in from the sealed
    /// identifiers; the read is audited before it happens.
    func document(_ request: Request, context: Context) async throws -> Response {
        let agreement = try await api.visibleAgreement(context.parameters.get("agreementId") ?? "")
        let number = request.uri.queryParameters["version"].flatMap { Int($0) } ?? agreement.acceptance?.version ?? agreement.latest.number
        guard let version = agreement.version(number) else {
            throw ValidationError(field: "version", problem: "version \(number) does not exist (the agreement has 1 to \(agreement.latest.number))")
        }
        let (name, member) = try await api.memberIdentity(for: agreement, purpose: "agreement document, version \(number)")
        let html = AgreementDocument.html(agreement, version: version, library: try await store.agreements.library(),
                                          directory: try await store.reference.directory(), memberName: name, memberID: member)
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }


    private func render(_ agreement: Agreement, from: Int?, to: Int?, error: String?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let library = try await store.agreements.library()
        let target = to ?? agreement.latest.number
        let redline = agreement.versions.count > 1 ? try? agreement.redline(from: from ?? max(1, target - 1), to: target, library: library) : nil
        let canWrite = RequestIdentity.current.map { AccessPolicy.decide($0.principal, .writeAgreements).isAllowed } ?? false
        var steps: [String] = []
        if canWrite {
            switch agreement.status {
            case .draft: steps = ["propose", "send"]
            case .negotiating: steps = ["propose", "accept", "interim-letter"]
            case .agreed: steps = ["sign"]
            case .signed: steps = []
            }
            if CurePathAPI.agreementSide == .payer { steps.removeAll { $0 == "send" || (agreement.status == .draft) } }
        }
        let others = try await store.agreements.list(scope: .center(agreement.center), caseID: nil)
        let page = AgreementPage(agreement, library: library, redline: redline, reuse: agreement.reuseShare(previous: others),
                                 directory: try await store.reference.directory(), steps: steps, error: error, notice: notice)
        return try renderer.render(page, template: "agreement", status: status)
    }
}
