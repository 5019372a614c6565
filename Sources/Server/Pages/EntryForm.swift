import Core
import Foundation

/// The fields of a page form that enters something (a patient, a coverage period, a case,
/// a PA request), each with the value the person typed and, after a refusal, the problem
/// beside it in plain words.
///
/// The rules live in the use-case function the API calls too; its ``ValidationError`` names
/// fields the API's way (`identifiers.birthDate`), and `apiNames` says which form field
/// each of those is, so the message lands beside the box the person must fix. An issue no
/// field claims is shown above the form.
struct EntryForm {
    struct Field {
        enum Kind { case text, date, number, select, textarea, file }

        let name: String
        let label: String
        let kind: Kind
        var value: String
        var options: [Option]
        var required: Bool
        var maxLength: Int?
        var help: String?
        var error: String?

        // Stored, not computed: templates read stored properties only.
        let isSelect: Bool
        let isTextarea: Bool
        let isInput: Bool
        let inputType: String
        let errorID: String

        init(_ name: String, _ label: String, kind: Kind = .text, value: String = "", options: [Option] = [], required: Bool = false,
             maxLength: Int? = nil, help: String? = nil) {
            self.name = name
            self.label = label
            self.kind = kind
            self.value = value
            self.options = options
            self.required = required
            self.maxLength = maxLength
            self.help = help
            isSelect = kind == .select
            isTextarea = kind == .textarea
            isInput = !isSelect && !isTextarea
            inputType = switch kind {
            case .date: "date"
            case .number: "number"
            case .file: "file"
            default: "text"
            }
            errorID = "error-\(name)"
        }
    }

    var fields: [Field]
    /// Problems no single field owns, shown above the form.
    var errors: [String] = [] { didSet { hasFormErrors = !errors.isEmpty } }
    private(set) var hasFormErrors = false
    /// The API's field name for each form field whose name differs (`identifiers.birthDate` → `birthDate`).
    var apiNames: [String: String] = [:]

    init(_ fields: [Field], apiNames: [String: String] = [:]) {
        self.fields = fields
        self.apiNames = apiNames
    }

    /// The submitted value of `name`.
    subscript(name: String) -> String {
        fields.first { $0.name == name }?.value ?? ""
    }

    /// The submitted value of `name`, or `nil` when the box was left empty.
    func optional(_ name: String) -> String? {
        let value = self[name]
        return value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : value
    }

    /// The same form with the values a person posted (selects keep their choice).
    func filled(from posted: [String: String]) -> EntryForm {
        var form = self
        for index in form.fields.indices where form.fields[index].kind != .file {
            let value = posted[form.fields[index].name] ?? ""
            form.fields[index].value = value
            form.fields[index].options = form.fields[index].options.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) }
        }
        return form
    }

    /// The same form with each issue of `error` beside the field it names.
    func refused(_ error: ValidationError) -> EntryForm {
        var form = self
        for issue in error.issues {
            let name = Self.formField(for: issue.field, in: apiNames)
            if let index = form.fields.firstIndex(where: { $0.name == name }) {
                // A box left empty is told so plainly, whatever the rule's wording for a bad value.
                let empty = form.fields[index].value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && form.fields[index].kind != .file
                let problem = empty ? (form.fields[index].kind == .select ? "Choose one." : "Is required.") : Self.sentence(issue.problem)
                form.fields[index].error = form.fields[index].error.map { "\($0) \(problem)" } ?? problem
            } else {
                form.errors.append("\(issue.field): \(issue.problem)")
            }
        }
        return form
    }

    /// The same form with `problem` beside `field` (a form field's name).
    func refused(field: String, _ problem: String) -> EntryForm {
        refused(ValidationError(field: apiNames.first { $0.value == field }?.key ?? field, problem: problem))
    }

    var hasErrors: Bool { !errors.isEmpty || fields.contains { $0.error != nil } }

    /// The form field an API field name stands for: a mapped name, else the name itself,
    /// with any index (`requestedItems[2]`) dropped.
    static func formField(for apiField: String, in apiNames: [String: String]) -> String {
        if let mapped = apiNames[apiField] { return mapped }
        let base = String(apiField.prefix { $0 != "[" })
        return apiNames[base] ?? base
    }

    /// A problem as a sentence beside its field: "is required" → "Is required."
    static func sentence(_ problem: String) -> String {
        guard let first = problem.first else { return problem }
        let text = first.uppercased() + problem.dropFirst()
        return text.hasSuffix(".") ? text : text + "."
    }
}
