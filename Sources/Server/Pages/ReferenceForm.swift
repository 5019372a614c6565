import CareNetwork
import Core
import Storage

/// The add/edit form of one kind of reference record: its fields as the operator typed them,
/// each with the problem found in it beside it, turned into the domain's `Draft`.
///
/// Field names are the API's (`postalCode`, `typicalManufacturingDays`), so a
/// ``ValidationError`` from ``ReferenceChanges`` lands beside the field it names.
struct ReferenceForm {
    struct Field {
        var name: String
        var label: String
        var value: String
        var help: String?
        /// The problem found in the field; not `error`, which the page's own message would answer for in the template.
        var problem: String?
        /// Choices, for a select box; `nil` for a text box.
        var options: [Option]?
        var readonly: Bool
        /// Stored, not computed: the templates read stored properties only.
        var isSelect: Bool

        init(name: String, label: String, value: String, help: String? = nil, options: [Option]? = nil, readonly: Bool = false) {
            self.name = name
            self.label = label
            self.value = value
            self.help = help
            self.options = options
            self.readonly = readonly
            isSelect = options != nil
        }
    }

    var fields: [Field]

    subscript(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }

    /// A `;`- or `,`-separated list typed in one box.
    func list(_ name: String) -> [String] {
        self[name].split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Puts each problem beside its field (`products[2]` beside `products`); returns those
    /// that name no field of the form.
    mutating func place(_ issues: [ValidationError.Issue]) -> [String] {
        var unplaced: [String] = []
        for issue in issues {
            let stem = String(issue.field.prefix { $0 != "[" && $0 != "." })
            if let index = fields.firstIndex(where: { $0.name == stem }) {
                fields[index].problem = [fields[index].problem, issue.problem].compactMap { $0 }.joined(separator: "; ")
            } else {
                unplaced.append("\(issue.field): \(issue.problem)")
            }
        }
        return unplaced
    }

    /// The form of `kind`, filled from `values` (what was posted, or the record being edited).
    static func make(_ kind: ReferenceKind, values: [String: String], editing: Bool) -> ReferenceForm {
        func field(_ name: String, _ label: String, help: String? = nil, choices: [String]? = nil) -> Field {
            let value = values[name] ?? ""
            return Field(
                name: name, label: label, value: value, help: help,
                options: choices.map { ([""] + $0).map { Option(value: $0, label: $0.isEmpty ? "—" : $0, selected: $0 == value) } },
                readonly: editing && name == "id")
        }
        switch kind {
        case .centers:
            return ReferenceForm(fields: [
                field("id", "ID", help: "Letters, digits, - _ . (e.g. ctr-lakeside); cannot be changed later."),
                field("name", "Name"), field("street", "Street"), field("city", "City"),
                field("state", "State", help: "Two letters, e.g. IL."), field("postalCode", "ZIP code"),
                field("timeZone", "Time zone", help: "IANA name, e.g. America/Chicago."),
                field("accreditations", "Accreditations", help: "fact-iec, fact-hct, coe; separate with ;"),
                field("workflow", "Workflow", choices: Workflow.allCases.map(\.rawValue)),
                field("products", "Products treated", help: "Product IDs separated with ;"),
                field("effectiveFrom", "Products from", help: "YYYY-MM-DD; when a change of products takes effect (default today)."),
            ])
        case .payers:
            return ReferenceForm(fields: [
                field("id", "ID"), field("name", "Name"), field("kind", "Kind", choices: PayerKind.allCases.map(\.rawValue)),
                field("state", "State", help: "Required for a Medicaid program."),
            ])
        case .plans:
            return ReferenceForm(fields: [
                field("id", "ID"), field("payerId", "Payer", help: "The payer's ID; a plan stays with its payer."), field("name", "Name"),
                field("type", "Plan type", help: "Decides the prior-authorization decision clock.", choices: PlanType.allCases.map(\.rawValue)),
                field("state", "State", help: "Required for Medicaid and CHIP plans."),
            ])
        case .products:
            var fields = [
                field("id", "ID"), field("name", "Brand name"), field("genericName", "Generic name"), field("manufacturer", "Manufacturer"),
                field("modality", "Kind", help: "gene-therapy is ex vivo.", choices: Modality.allCases.map(\.rawValue)),
                field("journeyTemplate", "Journey template"),
                field("typicalManufacturingDays", "Manufacturing days", help: "0 for an in vivo gene therapy."),
                field("indications", "Indications"), field("ndc", "NDC", help: "Optional, e.g. 71894-120-01."),
                field("hcpcs", "HCPCS", help: "Optional, e.g. Q2041."),
            ]
            if !editing {
                fields += [
                    field("listPrice", "List price", help: "Amount and currency, e.g. 2125000.00 USD."),
                    field("effectiveFrom", "Price from", help: "YYYY-MM-DD (default today)."),
                ]
            }
            return ReferenceForm(fields: fields)
        }
    }
}
