import Access
import CareNetwork
import Contracts
import Core
import Foundation
import Hummingbird
import Storage

/// The reference-data pages: each kind listed, with forms to add and edit a record, a new
/// list price, and a CSV import. Every write goes through ``ReferenceChanges`` like the API's
/// and the CLI's; a refusal re-renders the form with each problem beside its field.
struct ReferenceRoutes<Context: RequestContext>: Sendable {
    let store: Store
    let renderer: PageRenderer
    let api: CurePathAPI

    func register(on routes: DeclaredRoutes<Context>) {
        routes.get("/reference", action: .readReference) { _, _ in Response(status: .seeOther, headers: [.location: "/reference/centers"]) }
        routes.get("/reference/:kind", action: .readReference, use: list)
        routes.post("/reference/:kind", action: .writeReference, use: add)
        // A CSV file of up to 4 MB, form-encoded, which can triple its size.
        routes.post("/reference/:kind/import", action: .writeReference, bodyLimit: 3 * ReferenceCSV.maximumBytes, use: importFile)
        // Under `:kind` like the rest: a literal `products` here would hide `GET /reference/products`
        // from the router, which does not fall back from a literal to a parameter.
        routes.post("/reference/:kind/:id/prices", action: .writeReference, use: addPrice)
        routes.post("/reference/:kind/:id", action: .writeReference, use: update)
    }

    static func kind(_ context: Context) throws -> ReferenceKind {
        guard let kind = context.parameters.get("kind").flatMap(ReferenceKind.init(rawValue:)) else {
            throw NotFoundError(entity: "page", id: context.parameters.get("kind") ?? "")
        }
        return kind
    }

    func list(_ request: Request, context: Context) async throws -> Response {
        let kind = try Self.kind(context)
        let query = request.uri.queryParameters
        let directory = try await store.reference.directory()
        let editing = query["edit"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        var values: [String: String] = [:]
        if let editing {
            guard let found = Self.values(of: kind, id: editing, in: directory) else { throw NotFoundError(entity: kind.singular, id: editing) }
            values = found
        }
        let notice = query["saved"].map { "Saved \(kind.singular) \($0)." } ?? query["imported"].map { "Imported \($0) \(kind.rawValue)." }
            ?? query["priced"].map { "Added a list price to \($0)." }
        return try await render(kind, form: ReferenceForm.make(kind, values: values, editing: editing != nil), editing: editing, notice: notice)
    }

    func add(_ request: Request, context: Context) async throws -> Response {
        try await save(try Self.kind(context), editing: nil)
    }

    func update(_ request: Request, context: Context) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        return try await save(try Self.kind(context), editing: id.removingPercentEncoding ?? id)
    }

    private func save(_ kind: ReferenceKind, editing: String?) async throws -> Response {
        var fields = WebRoutes<Context>.postedForm
        if let editing { fields["id"] = editing }
        var form = ReferenceForm.make(kind, values: fields, editing: editing != nil)
        let posted = form
        do {
            let id = try await store.changeReference(today: api.referenceToday) { changes in
                try await Self.apply(posted, kind: kind, editing: editing, to: &changes)
            }
            RequestIdentity.touch("\(kind.singular):\(id)")
            return Response(status: .seeOther, headers: [.location: "/reference/\(kind.rawValue)?saved=\(ReferencePage.encode(id))"])
        } catch let error as ValidationError {
            let unplaced = form.place(error.issues)
            return try await render(kind, form: form, editing: editing, error: "The \(kind.singular) was not saved: see the fields marked below.",
                                    errors: unplaced, status: .unprocessableContent)
        } catch StorageError.conflict(let message) {
            _ = form.place([.init(field: "id", problem: message)])
            return try await render(kind, form: form, editing: editing, error: "The \(kind.singular) was not saved.", status: .conflict)
        }
    }

    /// Adds or updates the record the form describes; returns its ID.
    private static func apply(_ form: ReferenceForm, kind: ReferenceKind, editing: String?, to changes: inout ReferenceChanges) async throws -> String {
        let from = try form["effectiveFrom"].nonEmpty.map { text throws(ValidationError) in try CalendarDate.parse(text, field: "effectiveFrom") }
        switch kind {
        case .centers:
            let draft = Center.Draft(
                id: form["id"], name: form["name"], street: form["street"], city: form["city"], state: form["state"], postalCode: form["postalCode"],
                timeZone: form["timeZone"], accreditations: form.list("accreditations"), workflow: form["workflow"], products: form.list("products"))
            if let editing { return try await changes.update(CenterID(editing), draft, productsFrom: from).id.rawValue }
            return try await changes.add(draft, productsFrom: from).id.rawValue
        case .payers:
            let draft = Payer.Draft(id: form["id"], name: form["name"], kind: form["kind"], state: form["state"].nonEmpty)
            if let editing { return try await changes.update(PayerID(editing), draft).id.rawValue }
            return try await changes.add(draft).id.rawValue
        case .plans:
            let draft = Plan.Draft(id: form["id"], payerID: form["payerId"], name: form["name"], type: form["type"], state: form["state"].nonEmpty)
            if let editing { return try await changes.update(PlanID(editing), draft).id.rawValue }
            return try await changes.add(draft).id.rawValue
        case .products:
            let days = form["typicalManufacturingDays"].trimmingCharacters(in: .whitespaces)
            guard days.isEmpty || Int(days) != nil else {
                throw ValidationError(field: "typicalManufacturingDays", problem: "must be a whole number of days, got \"\(days.prefix(20))\"")
            }
            let draft = Product.Draft(
                id: form["id"], name: form["name"], genericName: form["genericName"], manufacturer: form["manufacturer"], modality: form["modality"],
                journeyTemplate: form["journeyTemplate"], typicalManufacturingDays: Int(days), indications: form["indications"],
                ndc: form["ndc"].nonEmpty, hcpcs: form["hcpcs"].nonEmpty)
            if let editing { return try await changes.update(ProductID(editing), draft).id.rawValue }
            let price = try MoneyText.parse(form["listPrice"].trimmingCharacters(in: .whitespaces), field: "listPrice")
            return try await changes.add(draft, listPrice: price, priceFrom: from).id.rawValue
        }
    }

    func addPrice(_ request: Request, context: Context) async throws -> Response {
        guard try Self.kind(context) == .products else { throw NotFoundError(entity: "page", id: "prices") }
        let raw = context.parameters.get("id") ?? ""
        let id: ProductID = try Identifier.validated(raw.removingPercentEncoding ?? raw, field: "id")
        let fields = WebRoutes<Context>.postedForm
        var priceForm = ReferencePage.priceForm(fields)
        let posted = priceForm
        do {
            let price = ListPrice(
                try MoneyText.parse(posted["amount"].trimmingCharacters(in: .whitespaces), field: "amount"),
                effectiveFrom: try CalendarDate.parse(posted["effectiveFrom"].trimmingCharacters(in: .whitespaces), field: "effectiveFrom"))
            RequestIdentity.touch("product:\(id)")
            _ = try await store.changeReference(today: api.referenceToday) { try await $0.add(price: price, to: id) }
            return Response(status: .seeOther, headers: [.location: "/reference/products?edit=\(ReferencePage.encode(id.rawValue))&priced=\(ReferencePage.encode(id.rawValue))#prices"])
        } catch let error as ValidationError {
            _ = priceForm.place(error.issues)
            let directory = try await store.reference.directory()
            guard let values = Self.values(of: .products, id: id.rawValue, in: directory) else { throw NotFoundError(entity: "product", id: id.rawValue) }
            return try await render(.products, form: ReferenceForm.make(.products, values: values, editing: true), editing: id.rawValue,
                                    priceForm: priceForm, status: .unprocessableContent)
        }
    }

    func importFile(_ request: Request, context: Context) async throws -> Response {
        let kind = try Self.kind(context)
        let csv = WebRoutes<Context>.postedForm["csv"] ?? ""
        do {
            let added = try await store.changeReference(today: api.referenceToday) { try await $0.importCSV(Array(csv.utf8), kind: kind) }
            RequestIdentity.touch(added.map { "\(kind.singular):\($0)" })
            return Response(status: .seeOther, headers: [.location: "/reference/\(kind.rawValue)?imported=\(added.count)"])
        } catch let error as ValidationError {
            return try await render(kind, form: ReferenceForm.make(kind, values: [:], editing: false), editing: nil, csv: csv,
                                    csvErrors: error.issues.map { "\($0.field): \($0.problem)" }, status: .unprocessableContent)
        }
    }

    private func render(
        _ kind: ReferenceKind, form: ReferenceForm, editing: String?, error: String? = nil, errors: [String] = [], notice: String? = nil,
        csv: String = "", csvErrors: [String] = [], priceForm: ReferenceForm? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let directory = try await store.reference.directory()
        let canWrite = RequestIdentity.current.map { AccessPolicy.decide($0.principal, .writeReference).isAllowed } == true
        var page = ReferencePage(
            kind: kind, directory: directory, form: form, editing: editing, canWrite: canWrite, error: error, errors: errors, notice: notice,
            csv: csv, csvErrors: csvErrors)
        if kind == .products, let editing, let history = try await store.reference.priceHistory(of: ProductID(editing)) {
            page.showPrices(history, product: ProductID(editing), form: priceForm ?? ReferencePage.priceForm([:]))
        }
        return try renderer.render(page, template: "reference", status: status)
    }

    /// The form values of a stored record, for editing it.
    static func values(of kind: ReferenceKind, id: String, in directory: Directory) -> [String: String]? {
        switch kind {
        case .centers:
            return directory.center(CenterID(id)).map { c in
                ["id": c.id.rawValue, "name": c.name, "street": c.street, "city": c.city, "state": c.state, "postalCode": c.postalCode,
                 "timeZone": c.timeZone, "accreditations": c.accreditations.map(\.rawValue).joined(separator: "; "), "workflow": c.workflow.rawValue,
                 "products": c.products.map(\.rawValue).joined(separator: "; ")]
            }
        case .payers:
            return directory.payer(PayerID(id)).map { ["id": $0.id.rawValue, "name": $0.name, "kind": $0.kind.rawValue, "state": $0.state ?? ""] }
        case .plans:
            return directory.plan(PlanID(id)).map {
                ["id": $0.id.rawValue, "payerId": $0.payerID.rawValue, "name": $0.name, "type": $0.type.rawValue, "state": $0.state ?? ""]
            }
        case .products:
            return directory.product(ProductID(id)).map { p in
                ["id": p.id.rawValue, "name": p.name, "genericName": p.genericName, "manufacturer": p.manufacturer, "modality": p.modality.rawValue,
                 "journeyTemplate": p.journeyTemplate, "typicalManufacturingDays": String(p.typicalManufacturingDays), "indications": p.indications,
                 "ndc": p.ndc ?? "", "hcpcs": p.hcpcs ?? ""]
            }
        }
    }
}
