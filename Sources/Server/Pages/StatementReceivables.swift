import Contracts
import Core

/// The statement page's "billed, paid and outstanding" section: one row per posting the
/// party owes or is owed on, and the outstanding amounts by ageing bucket — the same figures
/// as the statement's `items` and `ageing` in the API and the CSV.
struct StatementReceivables {
    struct Row {
        var posting, patient, category, direction, dueOn, billed, paid, outstanding, ageing: String
        var overdue: Bool
        var settled: Bool
    }
    struct Bucket { var label, owes, owed: String }

    var rows: [Row]
    var buckets: [Bucket]
    var totalOwes: String
    var totalOwed: String
    var asOf: String

    init(_ statement: Statement) {
        let asOf = statement.ageing.asOf
        rows = statement.items.map { item in
            let bucket = item.ageing(asOf: asOf)
            let open = item.outstanding.minorUnits > 0
            return Row(
                posting: item.posting.rawValue, patient: item.patientID?.rawValue ?? "", category: item.category.rawValue,
                direction: item.direction == .owes ? "owes" : "is owed", dueOn: item.dueOn.description, billed: item.billed.description,
                paid: item.paid.description, outstanding: item.outstanding.description,
                ageing: open ? bucket.label : (item.cancelled.minorUnits > 0 && item.paid.minorUnits == 0 ? "reversed" : "settled"),
                overdue: open && bucket != .current, settled: !open)
        }
        buckets = AgeingBucket.allCases.map { Bucket(label: $0.label, owes: statement.ageing.owes[$0]!.description, owed: statement.ageing.owed[$0]!.description) }
        totalOwes = statement.ageing.totalOwes.description
        totalOwed = statement.ageing.totalOwed.description
        self.asOf = asOf.description
    }
}

/// The statement page's forms: record a payment the party made against its postings, and a
/// remittance file pasted whole. Shown to the party's own organization when its role may
/// record payments, and to the mediator's operators; errors are shown beside their field, a
/// file's against its lines.
struct StatementPaymentForms {
    var action: String
    var remittanceAction: String
    var reference = ""
    var payee = ""
    var valueDate = ""
    var posting = ""
    var amount = ""
    var remittance = ""
    var currency: String
    var payees: [Option] = []
    var postings: [Option] = []
    var referenceError: String?
    var payeeError: String?
    var valueDateError: String?
    var postingError: String?
    var amountError: String?
    var formError: String?
    var remittanceErrors: [String] = [] {
        didSet { remittanceRefused = !remittanceErrors.isEmpty }
    }
    /// Set with the errors: the page's templates cannot ask an array whether it is empty.
    var remittanceRefused = false

    init(path: String, statement: Statement, ledger: [LedgerTransaction]) {
        action = path + "/payments"
        remittanceAction = path + "/remittances"
        currency = statement.currency.rawValue
        // What the party still owes, and to whom: the postings a payment may settle.
        let items = OpenItems(ledger)
        let owing = statement.items.filter { $0.direction == .owes && $0.outstanding.minorUnits > 0 }
        postings = owing.map { Option(value: $0.posting.rawValue, label: "\($0.posting.rawValue) — \($0.outstanding) due \($0.dueOn)", selected: false) }
        let payeeCodes = Set(owing.flatMap { owed in
            items.items.filter { $0.posting == owed.posting && $0.direction == .owed && $0.party != statement.party }.map(\.party.code)
        })
        payees = payeeCodes.sorted().map { Option(value: $0, label: $0, selected: false) }
    }

    /// Puts the refused values back and each problem beside its field.
    mutating func show(_ error: ValidationError) {
        for issue in error.issues {
            let text = issue.problem
            switch issue.field {
            case "reference": referenceError = text
            case "payee": payeeError = text
            case "valueDate": valueDateError = text
            case let field where field.hasSuffix(".posting") || field == "applications": postingError = text
            case let field where field.hasSuffix(".amount") || field.hasPrefix("amount"): amountError = text
            default: formError = (formError.map { $0 + " " } ?? "") + "\(issue.field): \(text)"
            }
        }
        payees = payees.map { Option(value: $0.value, label: $0.label, selected: $0.value == payee) }
        postings = postings.map { Option(value: $0.value, label: $0.label, selected: $0.value == posting) }
    }
}
