import Access
import CareNetwork
import Core
import Economics
import Foundation
import Hummingbird
import Storage

/// Pages of aggregates and models rather than records: the reimbursement comparison and the
/// outcomes report.
struct ReportRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/reimbursement", action: .readAgreements, use: reimbursement)
        routes.get("/reports/outcomes", action: .readMetrics, use: outcomesReport)
    }

    /// A typical episode of the chosen product under the default models, with its sensitivity grid.
    func reimbursement(_ request: Request, context: Context) async throws -> Response {
        let directory = try await store.reference.directory()
        let chosen: ProductID = try Parse.identifier(request.uri.queryParameters["product"].map(String.init)?.nonEmpty, field: "product") ?? "prd-yescarta"
        guard let product = directory.product(chosen) ?? directory.products.first(where: { $0.modality == .carT }) else {
            throw NotFoundError(entity: "product", id: chosen.rawValue)
        }
        let episode = TypicalEpisode.carT(productName: product.name, productID: product.id, code: nil, acquisitionCost: product.listPrice)
        let models = ReimbursementDefaults.models(productCost: product.listPrice)
        let comparison = try Comparison(episode: episode, models: models)
        let sensitivity = try Sensitivity(episode: episode, models: models, icuDayChanges: [-3, 0, 3, 7], acuteDayChanges: [0], complications: [false, true])
        return try renderer.render(ReimbursementPage(comparison: comparison, sensitivity: sensitivity, directory: directory, product: product.id), template: "reimbursement")
    }

    /// Survival and volumes by center and product, with small cells suppressed; aggregates, so
    /// every role that reads metrics (manufacturers included) may see them.
    func outcomesReport(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let center: CenterID? = try Parse.identifier(query["center"].map(String.init)?.nonEmpty, field: "center")
        let product: ProductID? = try Parse.identifier(query["product"].map(String.init)?.nonEmpty, field: "product")
        let page = try await OutcomesReportPage.load(store, center: center, product: product, today: api.utcToday())
        return try renderer.render(page, template: "outcomes-report")
    }
}
