import Access
import CareNetwork
import Core
import Economics
import Foundation
import Hummingbird
import Storage

/// A center's own pages: its cash exposure (the center's staff's and the mediator's) and its
/// follow-up due list (theirs and the registry's, which keeps that record); to anyone else the
/// center is "not found".
struct CenterRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/centers/:centerId/cash", action: .readAgreements, use: cash)
        routes.get("/centers/:centerId/follow-up", action: .readOutcomes, use: followUp)
        routes.get("/reports/site-burden", action: .readOutcomes, use: siteBurden)
    }

    /// A center's cash exposure; a center sees its own, the mediator any, anyone else a 404.
    func cash(_ request: Request, context: Context) async throws -> Response {
        let center = try await visibleCenter(context.parameters.get("centerId") ?? "", in: RequestIdentity.caseScope)
        let id = center.id
        let more = try request.uri.queryParameters["morePatients"].flatMap { raw throws(ValidationError) -> Int? in
            if raw.isEmpty { return nil }
            guard let count = Int(raw), (1...1_000).contains(count) else { throw ValidationError(field: "morePatients", problem: "must be a whole number from 1 to 1000") }
            return count
        }
        let today = api.utcToday()
        let exposure = try await CenterCashExposure.load(store, center: id, today: today)
        var whatIf: CashExposure?
        if let more, let template = exposure.template { whatIf = try exposure.exposure.whatIf(morePatients: more, like: template, inMonthOf: today) }
        return try renderer.render(CashExposurePage(center: center, exposure: exposure, whatIf: whatIf, morePatients: more, today: today), template: "cash")
    }

    /// A center's follow-up due list and completeness; its own staff, the mediator and the
    /// registry's stewards only.
    func followUp(_ request: Request, context: Context) async throws -> Response {
        let center = try await visibleCenter(context.parameters.get("centerId") ?? "", in: RequestIdentity.registryScope)
        return try renderer.render(try await FollowUpPage.load(store, center: center, asOf: api.today(at: center)), template: "follow-up")
    }

    /// Follow-up and data-entry burden for every center in the caller's registry scope: the
    /// mediator and the registry see all, a center its own row; to anyone else there is no
    /// such page.
    func siteBurden(_ request: Request, context: Context) async throws -> Response {
        let scope = RequestIdentity.registryScope
        let centers = try await store.reference.directory().centers.filter { center in
            AccessPolicy.scope(scope, includesCaseAt: center.id, payers: [])
        }
        guard !centers.isEmpty else { throw NotFoundError(entity: "page", id: "site-burden") }
        return try renderer.render(try await SiteBurdenPage.load(store, centers: centers, asOf: api.utcToday()), template: "site-burden")
    }

    /// The center if `scope` includes it; to anyone else it is "not found".
    private func visibleCenter(_ raw: String, in scope: CaseScope) async throws -> Center {
        let id: CenterID = try Identifier.validated(raw, field: "centerId")
        guard let center = try await store.reference.directory().center(id), AccessPolicy.scope(scope, includesCaseAt: id, payers: []) else {
            throw NotFoundError(entity: "center", id: id.rawValue)
        }
        return center
    }
}
