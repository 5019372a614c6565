import ArgumentParser
import CareNetwork
import Contracts
import Core
import Foundation
import Storage

/// `curepath centers|payers|plans|products add|update|list|import`: the network's reference
/// data from the terminal, through the same ``ReferenceChanges`` as the API and the pages.
/// An update changes only the fields given; every change is audited as the console's.
struct CentersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "centers", abstract: "Add, update, list and import treatment centers.",
        subcommands: [AddCenter.self, UpdateCenter.self, ListCenters.self, ImportReference<CentersFile>.self])
}

struct PayersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payers", abstract: "Add, update, list and import payers.",
        subcommands: [AddPayer.self, UpdatePayer.self, ListPayers.self, ImportReference<PayersFile>.self])
}

struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "Add, update, list and import payers' plans.",
        subcommands: [AddPlan.self, UpdatePlan.self, ListPlans.self, ImportReference<PlansFile>.self])
}

struct ProductsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products", abstract: "Add, update, list and import products; add and list their list prices.",
        subcommands: [AddProduct.self, UpdateProduct.self, ListProducts.self, ImportReference<ProductsFile>.self, AddPrice.self, ListPrices.self])
}

/// Runs reference changes in one transaction, audits what changed (one row: the action, the
/// record, and for a file the IDs it added), and turns any refusal into one line on stderr,
/// prefixed with `subject` (the file), and exit code 64.
func changeReference<T: Sendable>(
    _ database: DatabaseOptions, subject: String? = nil, audit: (T) -> (action: String, object: String, detail: String?),
    _ body: @escaping @Sendable (inout ReferenceChanges) async throws -> T
) async throws -> T {
    let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!)
    let prefix = subject.map { "\($0): " } ?? ""
    do {
        return try await database.withStore { store in
            let result = try await store.changeReference(today: today, body)
            let (action, object, detail) = audit(result)
            try await auditAdmin(store, action: action, object: object, detail: detail)
            return result
        }
    } catch let error as Core.ValidationError {
        throw refusal(prefix + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
    } catch let error as StorageError {
        throw refusal(prefix + error.description)
    } catch let error as NotFoundError {
        throw refusal(prefix + error.description)
    }
}

/// A date option, refused with its flag named.
func parseDate(_ text: String?, flag: String) throws -> CalendarDate? {
    do { return try text.map { text throws(Core.ValidationError) in try CalendarDate.parse(text, field: flag) } } catch {
        throw refusal(error.description)
    }
}

// MARK: Centers

struct CenterOptions: ParsableArguments {
    @Option(help: "Name.") var name: String?
    @Option(help: "Street address.") var street: String?
    @Option(help: "City.") var city: String?
    @Option(help: "Two-letter state or territory code.") var state: String?
    @Option(name: .customLong("postal-code"), help: "ZIP code.") var postalCode: String?
    @Option(name: .customLong("time-zone"), help: "IANA time zone, e.g. America/Chicago.") var timeZone: String?
    @Option(name: .customLong("accreditation"), help: "fact-iec, fact-hct or coe (repeat; replaces the list).") var accreditations: [String] = []
    @Option(help: "parallel or linear.") var workflow: String?
    @Option(name: .customLong("product"), help: "A product the center treats (repeat; replaces the list).") var products: [String] = []
    @Flag(name: .customLong("no-products"), help: "The center treats no product from --effective-from on.") var noProducts = false
    @Option(name: .customLong("effective-from"), help: "The day a change of products takes effect (YYYY-MM-DD); default today.") var effectiveFrom: String?

    func applied(to draft: Center.Draft) -> Center.Draft {
        var draft = draft
        if let name { draft.name = name }
        if let street { draft.street = street }
        if let city { draft.city = city }
        if let state { draft.state = state }
        if let postalCode { draft.postalCode = postalCode }
        if let timeZone { draft.timeZone = timeZone }
        if !accreditations.isEmpty { draft.accreditations = accreditations }
        if let workflow { draft.workflow = workflow }
        if !products.isEmpty || noProducts { draft.products = products }
        return draft
    }
}

struct AddCenter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a treatment center.")
    @Option(help: "Identifier, e.g. ctr-lakeside.") var id: String
    @OptionGroup var fields: CenterOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let empty = Center.Draft(id: id, name: "", street: "", city: "", state: "", postalCode: "", timeZone: "", accreditations: [], workflow: "", products: [])
        let draft = fields.applied(to: empty)
        let from = try parseDate(fields.effectiveFrom, flag: "--effective-from")
        let center = try await changeReference(database, audit: { ("add-center", "center:\($0.id)", nil) }) { try await $0.add(draft, productsFrom: from) }
        print("added center \(center.id): \(center.name)")
    }
}

struct UpdateCenter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a center's details; only the fields given change.")
    @Argument(help: "The center's identifier.") var id: String
    @OptionGroup var fields: CenterOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id = CenterID(id)
        let from = try parseDate(fields.effectiveFrom, flag: "--effective-from")
        let fields = self.fields
        let center = try await changeReference(database, audit: { (record: Center) in ("update-center", "center:\(record.id)", nil) }) { changes in
            guard let existing = changes.directory.center(id) else { throw NotFoundError(entity: "center", id: id.rawValue) }
            return try await changes.update(id, fields.applied(to: existing.draft), productsFrom: from)
        }
        print("updated center \(center.id): \(center.name)")
    }
}

struct ListCenters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List centers: id, name, address, time zone, accreditations, workflow, products.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        for c in try await database.withStore({ try await $0.reference.directory().centers }) {
            let address = [c.street, c.city, "\(c.state) \(c.postalCode)".trimmingCharacters(in: .whitespaces)].filter { !$0.isEmpty }.joined(separator: ", ")
            print([c.id.rawValue, c.name, address, c.timeZone, c.accreditations.map(\.rawValue).joined(separator: ";"), c.workflow.rawValue,
                   c.products.map(\.rawValue).joined(separator: ";")].joined(separator: "\t"))
        }
    }
}

// MARK: Payers and plans

struct AddPayer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a payer.")
    @Option(help: "Identifier, e.g. pay-acme.") var id: String
    @Option(help: "Name.") var name: String
    @Option(help: "commercial, medicare, medicare-advantage, medicaid or self-insured-employer.") var kind: String
    @Option(help: "Two-letter state code; required for a Medicaid program.") var state: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let draft = Payer.Draft(id: id, name: name, kind: kind, state: state)
        let payer = try await changeReference(database, audit: { ("add-payer", "payer:\($0.id)", nil) }) { try await $0.add(draft) }
        print("added payer \(payer.id): \(payer.name)")
    }
}

struct UpdatePayer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a payer's details; only the fields given change.")
    @Argument(help: "The payer's identifier.") var id: String
    @Option(help: "Name.") var name: String?
    @Option(help: "Kind.") var kind: String?
    @Option(help: "Two-letter state code (empty to clear).") var state: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id = PayerID(id)
        let (name, kind, state) = (name, kind, state)
        let payer = try await changeReference(database, audit: { (record: Payer) in ("update-payer", "payer:\(record.id)", nil) }) { changes in
            guard var draft = changes.directory.payer(id)?.draft else { throw NotFoundError(entity: "payer", id: id.rawValue) }
            if let name { draft.name = name }
            if let kind { draft.kind = kind }
            if let state { draft.state = state }
            return try await changes.update(id, draft)
        }
        print("updated payer \(payer.id): \(payer.name)")
    }
}

struct ListPayers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List payers: id, name, kind, state.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        for p in try await database.withStore({ try await $0.reference.directory().payers }) {
            print([p.id.rawValue, p.name, p.kind.rawValue, p.state ?? ""].joined(separator: "\t"))
        }
    }
}

struct AddPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a plan to a payer.")
    @Option(help: "Identifier, e.g. plan-acme-ppo.") var id: String
    @Option(help: "The payer offering it.") var payer: String
    @Option(help: "Name.") var name: String
    @Option(help: "commercial, medicare, medicare-advantage, medicaid, chip or self-insured: decides the PA decision clock.") var type: String
    @Option(help: "Two-letter state code; required for Medicaid and CHIP plans.") var state: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let draft = Plan.Draft(id: id, payerID: payer, name: name, type: type, state: state)
        let plan = try await changeReference(database, audit: { ("add-plan", "plan:\($0.id)", nil) }) { try await $0.add(draft) }
        print("added plan \(plan.id) of \(plan.payerID): \(plan.name)")
    }
}

struct UpdatePlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a plan's details; only the fields given change.")
    @Argument(help: "The plan's identifier.") var id: String
    @Option(help: "Name.") var name: String?
    @Option(help: "Plan type.") var type: String?
    @Option(help: "Two-letter state code (empty to clear).") var state: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id = PlanID(id)
        let (name, type, state) = (name, type, state)
        let plan = try await changeReference(database, audit: { (record: Plan) in ("update-plan", "plan:\(record.id)", nil) }) { changes in
            guard var draft = changes.directory.plan(id)?.draft else { throw NotFoundError(entity: "plan", id: id.rawValue) }
            if let name { draft.name = name }
            if let type { draft.type = type }
            if let state { draft.state = state }
            return try await changes.update(id, draft)
        }
        print("updated plan \(plan.id): \(plan.name)")
    }
}

struct ListPlans: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List plans: id, payer, name, type, state.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        for p in try await database.withStore({ try await $0.reference.directory().plans }) {
            print([p.id.rawValue, p.payerID.rawValue, p.name, p.type.rawValue, p.state ?? ""].joined(separator: "\t"))
        }
    }
}

// MARK: Products and prices

struct ProductOptions: ParsableArguments {
    @Option(help: "Brand name.") var name: String?
    @Option(name: .customLong("generic-name"), help: "Non-proprietary name.") var genericName: String?
    @Option(help: "Manufacturer.") var manufacturer: String?
    @Option(help: "car-t, gene-therapy (ex vivo) or in-vivo-gene-therapy.") var modality: String?
    @Option(name: .customLong("journey-template"), help: "The journey template its cases follow.") var journeyTemplate: String?
    @Option(name: .customLong("manufacturing-days"), help: "Typical days from apheresis to release (0 for in vivo).") var manufacturingDays: Int?
    @Option(help: "Indications.") var indications: String?
    @Option(help: "National Drug Code.") var ndc: String?
    @Option(help: "HCPCS code.") var hcpcs: String?

    func applied(to draft: Product.Draft) -> Product.Draft {
        var draft = draft
        if let name { draft.name = name }
        if let genericName { draft.genericName = genericName }
        if let manufacturer { draft.manufacturer = manufacturer }
        if let modality { draft.modality = modality }
        if let journeyTemplate { draft.journeyTemplate = journeyTemplate }
        if let manufacturingDays { draft.typicalManufacturingDays = manufacturingDays }
        if let indications { draft.indications = indications }
        if let ndc { draft.ndc = ndc }
        if let hcpcs { draft.hcpcs = hcpcs }
        return draft
    }
}

/// `2800000.00 USD`, refused with its flag named.
func parseMoney(_ text: String, flag: String) throws -> Money {
    do { return try MoneyText.parse(text, field: flag) } catch { throw refusal(error.description) }
}

struct AddProduct: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a product with its first list price.")
    @Option(help: "Identifier, e.g. prd-zolgensma.") var id: String
    @OptionGroup var fields: ProductOptions
    @Option(name: .customLong("list-price"), help: "List price and currency, e.g. \"2125000.00 USD\".") var listPrice: String
    @Option(name: .customLong("effective-from"), help: "The day the price takes effect (YYYY-MM-DD); default today.") var effectiveFrom: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let empty = Product.Draft(
            id: id, name: "", genericName: "", manufacturer: "", modality: "", journeyTemplate: "", typicalManufacturingDays: nil,
            indications: "", ndc: nil, hcpcs: nil)
        let draft = fields.applied(to: empty)
        let price = try parseMoney(listPrice, flag: "--list-price")
        let from = try parseDate(effectiveFrom, flag: "--effective-from")
        let product = try await changeReference(database, audit: { ("add-product", "product:\($0.id)", nil) }) {
            try await $0.add(draft, listPrice: price, priceFrom: from)
        }
        print("added product \(product.id): \(product.name) at \(product.listPrice)")
    }
}

struct UpdateProduct: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a product's details (not its price: see `products price`); only the fields given change.")
    @Argument(help: "The product's identifier.") var id: String
    @OptionGroup var fields: ProductOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id = ProductID(id)
        let fields = self.fields
        let product = try await changeReference(database, audit: { (record: Product) in ("update-product", "product:\(record.id)", nil) }) { changes in
            guard let existing = changes.directory.product(id) else { throw NotFoundError(entity: "product", id: id.rawValue) }
            return try await changes.update(id, fields.applied(to: existing.draft))
        }
        print("updated product \(product.id): \(product.name)")
    }
}

struct ListProducts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List products: id, name, manufacturer, modality, list price (on --on, default today), NDC, HCPCS.")
    @Option(help: "The day whose list prices to show (YYYY-MM-DD).") var on: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let day = try parseDate(on, flag: "--on") ?? CalendarDate.today(in: TimeZone(identifier: "UTC")!)
        for p in try await database.withStore({ try await $0.reference.directory(on: day).products }) {
            print([p.id.rawValue, p.name, p.manufacturer, p.modality.rawValue, MoneyText.format(p.listPrice), p.ndc ?? "", p.hcpcs ?? ""].joined(separator: "\t"))
        }
    }
}

struct AddPrice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price", abstract: "Add a list price from a date on (today or later); earlier dates keep the earlier price.")
    @Argument(help: "The product's identifier.") var id: String
    @Option(help: "The price and currency, e.g. \"500000.00 USD\".") var amount: String
    @Option(name: .customLong("effective-from"), help: "The first day it applies (YYYY-MM-DD).") var effectiveFrom: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id = ProductID(id)
        let price = ListPrice(try parseMoney(amount, flag: "--amount"), effectiveFrom: try parseDate(effectiveFrom, flag: "--effective-from")!)
        _ = try await changeReference(database, audit: { _ in ("add-price", "product:\(id)", "\(MoneyText.format(price.value)) from \(price.effectiveFrom)") }) { try await $0.add(price: price, to: id) }
        print("\(id): \(MoneyText.format(price.value)) from \(price.effectiveFrom)")
    }
}

struct ListPrices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prices", abstract: "List a product's list prices, oldest first.")
    @Argument(help: "The product's identifier.") var id: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let id = ProductID(id)
        guard let history = try await database.withStore({ try await $0.reference.priceHistory(of: id) }) else {
            throw refusal("product '\(id)' does not exist")
        }
        for price in history.changes { print("\(price.effectiveFrom)\t\(MoneyText.format(price.value))") }
    }
}

// MARK: CSV import

/// The kind of records one `import` subcommand reads.
protocol ReferenceFile { static var kind: ReferenceKind { get } }
enum CentersFile: ReferenceFile { static let kind = ReferenceKind.centers }
enum PayersFile: ReferenceFile { static let kind = ReferenceKind.payers }
enum PlansFile: ReferenceFile { static let kind = ReferenceKind.plans }
enum ProductsFile: ReferenceFile { static let kind = ReferenceKind.products }

struct ImportReference<File: ReferenceFile>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "import",
            abstract: "Add \(File.kind.rawValue) from a CSV file (docs/REFERENCE_DATA.md), all or none.")
    }
    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let bytes = [UInt8](try readInput(file, upTo: ReferenceCSV.maximumBytes, or: "split the file"))
        let kind = File.kind
        let added = try await changeReference(database, subject: file, audit: { added in
            ("import-\(kind.rawValue)", "file:\((file as NSString).lastPathComponent)",
             "added \(added.count): " + added.prefix(20).joined(separator: ",") + (added.count > 20 ? ",…" : ""))
        }) { try await $0.importCSV(bytes, kind: kind) }
        print("\(file): added \(added.count) \(kind.rawValue)")
    }
}
