import CareNetwork
import Contracts
import Core
import Foundation
import Storage

/// One kind of reference record as a page: the list, a form to add one or edit the one
/// chosen, and a box for a CSV file of them — the mediator operator's way to set up a network
/// without writing a request. Others who may read reference data see the list only.
struct ReferencePage {
    struct Tab { var link, label: String; var current: Bool }
    struct Row { var id: String; var cells: [String]; var editLink: String }

    var session = PageSession.current
    var kind: String
    var title: String
    var singular: String
    var tabs: [Tab]
    var headers: [String]
    var rows: [Row]
    var hasRows: Bool
    var canWrite: Bool
    var form: [ReferenceForm.Field]
    var formTitle: String
    var formAction: String
    var editing: String?
    var error: String?
    var errors: [String]
    var hasErrors: Bool
    var notice: String?
    var csv: String
    var csvColumns: String
    var csvErrors: [String]
    var hasCSVErrors: Bool
    /// A product's list prices and the form for a new one, when a product is being edited.
    var prices: [String]?
    var priceAction: String?
    var priceForm: [ReferenceForm.Field]?

    init(
        kind: ReferenceKind, directory: Directory, form: ReferenceForm, editing: String?, canWrite: Bool, error: String? = nil,
        errors: [String] = [], notice: String? = nil, csv: String = "", csvErrors: [String] = []
    ) {
        self.kind = kind.rawValue
        title = kind.title
        singular = kind.singular
        tabs = ReferenceKind.allCases.map { Tab(link: "/reference/\($0.rawValue)", label: $0.title, current: $0 == kind) }
        let edit = { (id: String) in "/reference/\(kind.rawValue)?edit=\(Self.encode(id))#record-form" }
        switch kind {
        case .centers:
            headers = ["ID", "Name", "Address", "Time zone", "Accreditations", "Workflow", "Products"]
            rows = directory.centers.map { c in
                let address = [c.street, c.city, "\(c.state) \(c.postalCode)".trimmingCharacters(in: .whitespaces)].filter { !$0.isEmpty }.joined(separator: ", ")
                return Row(id: c.id.rawValue, cells: [c.name, address, c.timeZone, c.accreditations.map(\.rawValue).joined(separator: ", "), c.workflow.rawValue,
                                                      c.products.map(\.rawValue).joined(separator: ", ")], editLink: edit(c.id.rawValue))
            }
        case .payers:
            headers = ["ID", "Name", "Kind", "State", "Plans"]
            rows = directory.payers.map { p in
                Row(id: p.id.rawValue, cells: [p.name, p.kind.rawValue, p.state ?? "", String(directory.plans.filter { $0.payerID == p.id }.count)],
                    editLink: edit(p.id.rawValue))
            }
        case .plans:
            headers = ["ID", "Payer", "Name", "Type", "State"]
            rows = directory.plans.map { p in
                Row(id: p.id.rawValue, cells: [directory.payer(p.payerID)?.name ?? p.payerID.rawValue, p.name, p.type.rawValue, p.state ?? ""],
                    editLink: edit(p.id.rawValue))
            }
        case .products:
            headers = ["ID", "Name", "Manufacturer", "Kind", "List price today", "Manufacturing days", "NDC", "HCPCS"]
            rows = directory.products.map { p in
                Row(id: p.id.rawValue, cells: [p.name, p.manufacturer, p.modality.rawValue, p.listPrice.description, String(p.typicalManufacturingDays),
                                               p.ndc ?? "", p.hcpcs ?? ""], editLink: edit(p.id.rawValue))
            }
        }
        hasRows = !rows.isEmpty
        self.canWrite = canWrite
        self.form = form.fields
        self.editing = editing
        formTitle = editing.map { "Edit \(kind.singular) \($0)" } ?? "Add a \(kind.singular)"
        formAction = editing.map { "/reference/\(kind.rawValue)/\(Self.encode($0))" } ?? "/reference/\(kind.rawValue)"
        self.error = error
        self.errors = errors
        hasErrors = !errors.isEmpty
        self.notice = notice
        self.csv = csv
        csvColumns = kind.columns.all.joined(separator: ",")
        self.csvErrors = csvErrors
        hasCSVErrors = !csvErrors.isEmpty
    }

    /// Adds a product's price history and the form for a new price.
    mutating func showPrices(_ history: PriceHistory, product: ProductID, form: ReferenceForm) {
        prices = history.changes.map { "\(MoneyText.format($0.value)) from \($0.effectiveFrom)" }
        priceAction = "/reference/products/\(Self.encode(product.rawValue))/prices"
        priceForm = form.fields
    }

    /// An ID as a URL path segment or query value.
    static func encode(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
    }

    /// The form for a new list price.
    static func priceForm(_ values: [String: String]) -> ReferenceForm {
        ReferenceForm(fields: [
            .init(name: "amount", label: "New list price", value: values["amount"] ?? "", help: "Amount and currency, e.g. 2300000.00 USD."),
            .init(name: "effectiveFrom", label: "From", value: values["effectiveFrom"] ?? "", help: "YYYY-MM-DD, today or later."),
        ])
    }
}
