import APIContract
import CareNetwork
import Core
import Foundation
import Storage

/// The mediator operator's writes of reference data over HTTP. Each handler turns its body
/// into a domain draft and hands it to ``ReferenceChanges``, the one place the rules are
/// (the CLI and the pages go there too), and names the record on the request's audit row.
extension CurePathAPI {
    /// Today at the mediator, the earliest day a dated change may take effect.
    var referenceToday: CalendarDate { CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: clock()) }

    func getCenter(_ input: Operations.GetCenter.Input) async throws -> Operations.GetCenter.Output {
        let id: CenterID = try Identifier.validated(input.path.centerId, field: "centerId")
        guard let center = try await store.reference.directory().center(id) else { throw NotFoundError(entity: "center", id: id.rawValue) }
        return .ok(.init(body: .json(.init(center))))
    }

    func addCenter(_ input: Operations.AddCenter.Input) async throws -> Operations.AddCenter.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let from = try Parse.date(body.effectiveFrom, field: "effectiveFrom")
        let center = try await store.changeReference(today: referenceToday) { try await $0.add(Center.Draft(body, id: body.id), productsFrom: from) }
        RequestIdentity.touch("center:\(center.id)")
        return .created(.init(body: .json(.init(center))))
    }

    func updateCenter(_ input: Operations.UpdateCenter.Input) async throws -> Operations.UpdateCenter.Output {
        let id: CenterID = try Identifier.validated(input.path.centerId, field: "centerId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        RequestIdentity.touch("center:\(id)")
        let from = try Parse.date(body.effectiveFrom, field: "effectiveFrom")
        let center = try await store.changeReference(today: referenceToday) {
            try await $0.update(id, Center.Draft(body, id: body.id ?? id.rawValue), productsFrom: from)
        }
        return .ok(.init(body: .json(.init(center))))
    }

    func getPayer(_ input: Operations.GetPayer.Input) async throws -> Operations.GetPayer.Output {
        let id: PayerID = try Identifier.validated(input.path.payerId, field: "payerId")
        let directory = try await store.reference.directory()
        guard let payer = directory.payer(id) else { throw NotFoundError(entity: "payer", id: id.rawValue) }
        return .ok(.init(body: .json(.init(payer, plans: directory.plans))))
    }

    func addPayer(_ input: Operations.AddPayer.Input) async throws -> Operations.AddPayer.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let draft = Payer.Draft(id: body.id ?? "", name: body.name, kind: body.kind, state: body.state)
        let payer = try await store.changeReference(today: referenceToday) { try await $0.add(draft) }
        RequestIdentity.touch("payer:\(payer.id)")
        return .created(.init(body: .json(.init(payer, plans: []))))
    }

    func updatePayer(_ input: Operations.UpdatePayer.Input) async throws -> Operations.UpdatePayer.Output {
        let id: PayerID = try Identifier.validated(input.path.payerId, field: "payerId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        RequestIdentity.touch("payer:\(id)")
        let draft = Payer.Draft(id: body.id ?? id.rawValue, name: body.name, kind: body.kind, state: body.state)
        let payer = try await store.changeReference(today: referenceToday) { try await $0.update(id, draft) }
        return .ok(.init(body: .json(.init(payer, plans: try await store.reference.directory().plans))))
    }

    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        .ok(.init(body: .json(.init(items: try await store.reference.directory().plans.map(Components.Schemas.Plan.init)))))
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        let id: PlanID = try Identifier.validated(input.path.planId, field: "planId")
        guard let plan = try await store.reference.directory().plan(id) else { throw NotFoundError(entity: "plan", id: id.rawValue) }
        return .ok(.init(body: .json(.init(plan))))
    }

    func addPlan(_ input: Operations.AddPlan.Input) async throws -> Operations.AddPlan.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let draft = Plan.Draft(id: body.id ?? "", payerID: body.payerId, name: body.name, type: body._type, state: body.state)
        let plan = try await store.changeReference(today: referenceToday) { try await $0.add(draft) }
        RequestIdentity.touch("plan:\(plan.id)")
        return .created(.init(body: .json(.init(plan))))
    }

    func updatePlan(_ input: Operations.UpdatePlan.Input) async throws -> Operations.UpdatePlan.Output {
        let id: PlanID = try Identifier.validated(input.path.planId, field: "planId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        RequestIdentity.touch("plan:\(id)")
        let draft = Plan.Draft(id: body.id ?? id.rawValue, payerID: body.payerId, name: body.name, type: body._type, state: body.state)
        let plan = try await store.changeReference(today: referenceToday) { try await $0.update(id, draft) }
        return .ok(.init(body: .json(.init(plan))))
    }

    func getProduct(_ input: Operations.GetProduct.Input) async throws -> Operations.GetProduct.Output {
        let id: ProductID = try Identifier.validated(input.path.productId, field: "productId")
        guard let product = try await store.reference.directory().product(id) else { throw NotFoundError(entity: "product", id: id.rawValue) }
        return .ok(.init(body: .json(.init(product))))
    }

    func addProduct(_ input: Operations.AddProduct.Input) async throws -> Operations.AddProduct.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        guard let price = body.listPrice else { throw ValidationError(field: "listPrice", problem: "is required to add a product") }
        let from = try Parse.date(body.effectiveFrom, field: "effectiveFrom")
        let product = try await store.changeReference(today: referenceToday) {
            try await $0.add(Product.Draft(body, id: body.id), listPrice: Money(price), priceFrom: from)
        }
        RequestIdentity.touch("product:\(product.id)")
        return .created(.init(body: .json(.init(product))))
    }

    func updateProduct(_ input: Operations.UpdateProduct.Input) async throws -> Operations.UpdateProduct.Output {
        let id: ProductID = try Identifier.validated(input.path.productId, field: "productId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        RequestIdentity.touch("product:\(id)")
        let product = try await store.changeReference(today: referenceToday) {
            try await $0.update(id, Product.Draft(body, id: body.id ?? id.rawValue), listPrice: body.listPrice.map(Money.init))
        }
        return .ok(.init(body: .json(.init(product))))
    }

    func listProductPrices(_ input: Operations.ListProductPrices.Input) async throws -> Operations.ListProductPrices.Output {
        let id: ProductID = try Identifier.validated(input.path.productId, field: "productId")
        guard let history = try await store.reference.priceHistory(of: id) else { throw NotFoundError(entity: "product", id: id.rawValue) }
        return .ok(.init(body: .json(.init(id, history))))
    }

    func addProductPrice(_ input: Operations.AddProductPrice.Input) async throws -> Operations.AddProductPrice.Output {
        let id: ProductID = try Identifier.validated(input.path.productId, field: "productId")
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        RequestIdentity.touch("product:\(id)")
        let price = ListPrice(Money(body.amount), effectiveFrom: try CalendarDate.parse(body.effectiveFrom, field: "effectiveFrom"))
        let history = try await store.changeReference(today: referenceToday) { try await $0.add(price: price, to: id) }
        return .created(.init(body: .json(.init(id, history))))
    }

    func importReferenceData(_ input: Operations.ImportReferenceData.Input) async throws -> Operations.ImportReferenceData.Output {
        guard case .csv(let body) = input.body else { throw ValidationError(field: "body", problem: "must be text/csv") }
        let kind = ReferenceKind(rawValue: input.path.kind.rawValue)!
        let bytes = try await [UInt8](body: body, limit: ReferenceCSV.maximumBytes, describedAs: "a reference data file")
        let added = try await store.changeReference(today: referenceToday) { try await $0.importCSV(bytes, kind: kind) }
        RequestIdentity.touch(added.map { "\(kind.singular):\($0)" })
        return .created(.init(body: .json(.init(kind: .init(rawValue: kind.rawValue)!, added: added))))
    }
}

extension Center.Draft {
    init(_ body: Components.Schemas.CenterInput, id: String?) {
        self.init(
            id: id ?? "", name: body.name, street: body.street, city: body.city, state: body.state, postalCode: body.postalCode,
            timeZone: body.timeZone, accreditations: body.accreditations ?? [], workflow: body.workflow, products: body.products ?? [])
    }
}

extension Product.Draft {
    init(_ body: Components.Schemas.ProductInput, id: String?) {
        self.init(
            id: id ?? "", name: body.name, genericName: body.genericName, manufacturer: body.manufacturer, modality: body.modality,
            journeyTemplate: body.journeyTemplate, typicalManufacturingDays: body.typicalManufacturingDays, indications: body.indications ?? "",
            ndc: body.ndc, hcpcs: body.hcpcs)
    }
}

extension Money {
    init(_ money: Components.Schemas.Money) {
        self.init(minorUnits: money.minorUnits, currency: Currency(rawValue: money.currency))
    }
}

extension Components.Schemas.PriceHistory {
    init(_ product: ProductID, _ history: PriceHistory) {
        self.init(productId: product.rawValue, items: history.changes.map { .init(amount: .init($0.value), effectiveFrom: $0.effectiveFrom.description) })
    }
}
