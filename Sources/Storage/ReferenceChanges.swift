import CareNetwork
import Core
import Journey
import SQLKit

/// The operator's changes to reference data — centers, payers, plans, products and list
/// prices — checked and written inside one transaction.
///
/// Every edge (the API, the pages, the CLI, CSV imports) comes here, so a rule is stated
/// once: a draft is validated by its domain type, the references it names are looked up in
/// what is stored (and what this transaction already wrote: a CSV file may add a product and
/// a center that treats it), an ID already used is a conflict, and a dated change (a price,
/// a center's products) is appended to its history, never written over it. Nothing here
/// commits: the caller's transaction does, all of it or none.
public struct ReferenceChanges {
    let db: any SQLDatabase
    /// Today at the mediator (UTC): no dated change may take effect before it.
    public let today: CalendarDate
    /// The directory as of today, with this transaction's changes.
    public private(set) var directory: Directory

    static func begin(in db: any SQLDatabase, today: CalendarDate) async throws -> ReferenceChanges {
        ReferenceChanges(db: db, today: today, directory: try await SQLReferenceRepository.directory(on: today, in: db))
    }

    private init(db: any SQLDatabase, today: CalendarDate, directory: Directory) {
        self.db = db
        self.today = today
        self.directory = directory
    }

    /// The one test of a journey template's name for reference writes: a shipped template or
    /// a filed one, resolved as cases resolve it (``SQLJourneyTemplateRepository``).
    static func journeyTemplateExists(_ id: String, in db: any SQLDatabase) async throws -> Bool {
        try await SQLJourneyTemplateRepository.template(for: id, in: db) != nil
    }

    // MARK: Centers

    /// Adds a center treating its products from `productsFrom` (default today; any date, since
    /// a new center has no past to rewrite).
    public mutating func add(_ draft: Center.Draft, productsFrom: CalendarDate?) async throws -> Center {
        let center = try draft.validated { directory.product($0) != nil }
        guard directory.center(center.id) == nil else { throw StorageError.idTaken(center.id.rawValue) }
        try await db.insert(into: "centers").columns(SQLReferenceRepository.centerColumns).values(SQLReferenceRepository.centerRow(center)).run()
        if !center.products.isEmpty {
            try await insertProducts(center.products, of: center.id, from: productsFrom ?? today)
        }
        directory.centers.append(center)
        return center
    }

    /// Replaces a center's details; a change to its products takes effect on `productsFrom`
    /// (default today), appended to its history.
    public mutating func update(_ id: CenterID, _ draft: Center.Draft, productsFrom: CalendarDate?) async throws -> Center {
        guard let index = directory.centers.firstIndex(where: { $0.id == id }) else { throw NotFoundError(entity: "center", id: id.rawValue) }
        let center = try draft.validated { directory.product($0) != nil }
        try Self.requireSameID(center.id.rawValue, as: id.rawValue)
        let history = try await SQLReferenceRepository.productHistories(of: id, in: db)[id] ?? EffectiveHistory()
        if (history.latest?.value ?? []) != center.products {
            _ = try history.adding(.init(center.products, effectiveFrom: productsFrom ?? today), today: today)
            try await insertProducts(center.products, of: id, from: productsFrom ?? today)
        }
        try await SQLReferenceRepository.update(
            "centers", id: id.rawValue, columns: SQLReferenceRepository.centerColumns, values: SQLReferenceRepository.centerRow(center), in: db)
        directory.centers[index] = center
        return center
    }

    private func insertProducts(_ products: [ProductID], of center: CenterID, from date: CalendarDate) async throws {
        try await db.insert(into: "center_products").columns("center_id", "effective_from", "products")
            .values(SQLBind(center.rawValue), SQLBind(date.description), SQLBind(products.map(\.rawValue).joined(separator: ",")))
            .run()
    }

    // MARK: Payers and plans

    public mutating func add(_ draft: Payer.Draft) async throws -> Payer {
        let payer = try draft.validated()
        guard directory.payer(payer.id) == nil else { throw StorageError.idTaken(payer.id.rawValue) }
        try await db.insert(into: "payers").columns(SQLReferenceRepository.payerColumns).values(SQLReferenceRepository.payerRow(payer)).run()
        directory.payers.append(payer)
        return payer
    }

    /// Replaces a payer's details, refusing a kind or state its plans could not have.
    public mutating func update(_ id: PayerID, _ draft: Payer.Draft) async throws -> Payer {
        guard let index = directory.payers.firstIndex(where: { $0.id == id }) else { throw NotFoundError(entity: "payer", id: id.rawValue) }
        let payer = try draft.validated()
        try Self.requireSameID(payer.id.rawValue, as: id.rawValue)
        for plan in directory.plans where plan.payerID == id {
            do throws(ValidationError) {
                _ = try plan.draft.validated(payer: payer)
            } catch {
                let issue = error.issues[0]
                throw ValidationError(field: issue.field == "state" ? "state" : "kind", problem: "its plan \(plan.id) would be refused: \(issue.problem)")
            }
        }
        try await SQLReferenceRepository.update(
            "payers", id: id.rawValue, columns: SQLReferenceRepository.payerColumns, values: SQLReferenceRepository.payerRow(payer), in: db)
        directory.payers[index] = payer
        return payer
    }

    public mutating func add(_ draft: Plan.Draft) async throws -> Plan {
        let plan = try draft.validated(payer: directory.payer(PayerID(draft.payerID.trimmingCharacters(in: .whitespaces))))
        guard directory.plan(plan.id) == nil else { throw StorageError.idTaken(plan.id.rawValue) }
        try await db.insert(into: "plans").columns(SQLReferenceRepository.planColumns).values(SQLReferenceRepository.planRow(plan)).run()
        directory.plans.append(plan)
        return plan
    }

    /// Replaces a plan's details; it stays with its payer (coverage periods name both).
    public mutating func update(_ id: PlanID, _ draft: Plan.Draft) async throws -> Plan {
        guard let index = directory.plans.firstIndex(where: { $0.id == id }) else { throw NotFoundError(entity: "plan", id: id.rawValue) }
        let existing = directory.plans[index]
        let plan = try draft.validated(payer: directory.payer(existing.payerID))
        try Self.requireSameID(plan.id.rawValue, as: id.rawValue)
        guard plan.payerID == existing.payerID else {
            throw ValidationError(field: "payerId", problem: "a plan stays with its payer (\(existing.payerID)); add a new plan for \(plan.payerID)")
        }
        try await SQLReferenceRepository.update(
            "plans", id: id.rawValue, columns: SQLReferenceRepository.planColumns, values: SQLReferenceRepository.planRow(plan), in: db)
        directory.plans[index] = plan
        return plan
    }

    // MARK: Products and prices

    /// Adds a product with its first list price, in effect from `priceFrom` (default today).
    public mutating func add(_ draft: Product.Draft, listPrice: Money, priceFrom: CalendarDate?) async throws -> Product {
        let templateExists = try await Self.journeyTemplateExists(draft.journeyTemplate.trimmingCharacters(in: .whitespaces), in: db)
        let product = try draft.validated(listPrice: listPrice) { _ in templateExists }
        guard directory.product(product.id) == nil else { throw StorageError.idTaken(product.id.rawValue) }
        try await db.insert(into: "products").columns(SQLReferenceRepository.productColumns).values(SQLReferenceRepository.productRow(product)).run()
        try await db.insert(into: "product_prices").columns(SQLReferenceRepository.priceColumns)
            .values(SQLReferenceRepository.priceRow(product.id, ListPrice(listPrice, effectiveFrom: priceFrom ?? today))).run()
        directory.products.append(product)
        return product
    }

    /// Replaces a product's details. Its price is left alone: a `listPrice` other than the
    /// current one is refused, since only ``add(price:to:)`` changes a price, with its date.
    public mutating func update(_ id: ProductID, _ draft: Product.Draft, listPrice: Money? = nil) async throws -> Product {
        guard let index = directory.products.firstIndex(where: { $0.id == id }) else { throw NotFoundError(entity: "product", id: id.rawValue) }
        if let listPrice, listPrice != directory.products[index].listPrice {
            throw ValidationError(
                field: "listPrice", problem: "is \(directory.products[index].listPrice) today; add a new price with the day it takes effect instead of editing it")
        }
        let templateExists = try await Self.journeyTemplateExists(draft.journeyTemplate.trimmingCharacters(in: .whitespaces), in: db)
        let product = try draft.validated(listPrice: directory.products[index].listPrice) { _ in templateExists }
        try Self.requireSameID(product.id.rawValue, as: id.rawValue)
        try await SQLReferenceRepository.update(
            "products", id: id.rawValue, columns: SQLReferenceRepository.productColumns, values: SQLReferenceRepository.productRow(product), in: db)
        directory.products[index] = product
        return product
    }

    /// Appends a list price to a product's history; returns the whole history.
    public func add(price: ListPrice, to id: ProductID) async throws -> PriceHistory {
        guard let history = try await SQLReferenceRepository.priceHistories(of: id, in: db)[id] else {
            throw NotFoundError(entity: "product", id: id.rawValue)
        }
        let updated = try history.adding(price: price, today: today)
        try await db.insert(into: "product_prices").columns(SQLReferenceRepository.priceColumns)
            .values(SQLReferenceRepository.priceRow(id, price)).run()
        return updated
    }

    /// An update names its record in the path (or on the command line); a body naming another is refused.
    private static func requireSameID(_ given: String, as expected: String) throws(ValidationError) {
        guard given == expected else { throw ValidationError(field: "id", problem: "must be \(expected), the record being updated, or left out") }
    }
}

extension Store {
    /// Runs `body` over the reference data in one transaction: everything it changes is
    /// committed together, or nothing is.
    public func changeReference<T: Sendable>(
        today: CalendarDate, _ body: @Sendable (inout ReferenceChanges) async throws -> T
    ) async throws -> T {
        try await database.transaction { db in
            var changes = try await ReferenceChanges.begin(in: db, today: today)
            return try await body(&changes)
        }
    }
}
