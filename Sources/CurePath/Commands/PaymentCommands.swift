import ArgumentParser
import Contracts
import Core
import Foundation
import Server
import Storage

/// `curepath ledger pay`: record one payment against the postings it settles, as the operator
/// at the database (``PaymentRecording``, the same use case as `POST /ledger/payments`).
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Record money that moved: a payment from one party to another against the postings it settles; the same payment again is recorded once.")

    @Option(help: "The remittance number (letters, digits, -_./).") var reference: String
    @Option(help: "Who paid: payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>.") var payer: String
    @Option(help: "Who was paid.") var payee: String
    @Option(help: "The day the money moved (YYYY-MM-DD).") var valueDate: String
    @Option(help: "ISO 4217 code of the payment.") var currency: String = "USD"
    @Option(name: .customLong("posting"), help: "A posting settled and the amount applied, KEY=AMOUNT (425000.00); repeat for each posting.")
    var postings: [String]
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let payer = Party(code: payer) else { throw refusal("--payer: '\(self.payer)' must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>") }
        guard let payee = Party(code: payee) else { throw refusal("--payee: '\(self.payee)' must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>") }
        guard let date = CalendarDate(iso8601: valueDate) else { throw refusal("--value-date: '\(valueDate)' is not a date (YYYY-MM-DD)") }
        guard !postings.isEmpty else { throw refusal("--posting: name at least one posting the payment settles, KEY=AMOUNT") }
        var applications: [PaymentApplication] = []
        for (index, text) in postings.enumerated() {
            guard let equals = text.lastIndex(of: "="), let key = PostingKey(rawValue: String(text[..<equals])), key.slot != nil else {
                throw refusal("--posting \(index + 1): '\(text)' must be a posting key and an amount, KEY=425000.00")
            }
            guard case .success(let amount) = MoneyText.parse("\(text[text.index(after: equals)...]) \(currency)") else {
                throw refusal("--posting \(index + 1): '\(text[text.index(after: equals)...])' must be an amount such as 425000.00 and --currency an ISO 4217 code")
            }
            applications.append(PaymentApplication(posting: key, amount: amount))
        }
        let total = applications.dropFirst().reduce(applications[0].amount) { $0 + $1.amount }
        let payment = Payment(reference: reference, payer: payer, payee: payee, valueDate: date, amount: total, applications: applications)
        let recorded = try await database.withStore(filing: "payment \(reference)") { store in
            try await PaymentRecording(store: store).record([payment], by: .console, recordedBy: "curepath ledger pay", now: Date())
        }
        for payment in recorded { print(PaymentText.line(payment)) }
    }
}

/// `curepath ledger import-remittance FILE`: record every payment of a remittance file, all
/// or nothing (``RemittanceFile``, the format of `POST /ledger/remittances`).
struct ImportRemittanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-remittance",
        abstract: "Record the payments of a remittance file (CSV: reference,payer,payee,value_date,posting,amount,currency), all or nothing.")

    @Argument(help: "The remittance file.") var file: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let data = try readInput(file, upTo: RemittanceFile.maximumBytes, or: "split the remittance into several files")
        let remittance: RemittanceFile
        switch Self.read(data) {
        case .success(let parsed): remittance = parsed
        case .failure(let error): throw refusal("\(file): " + error.issues.map { "\($0.field): \($0.problem)" }.joined(separator: "; "))
        }
        let recorded = try await database.withStore(filing: file) { store in
            try await PaymentRecording(store: store).record(
                remittance.entries.map(\.payment), by: .console, recordedBy: "curepath ledger import-remittance", now: Date(), locate: { remittance.located($1, ofEntry: $0) })
        }
        for payment in recorded { print(PaymentText.line(payment)) }
        let new = recorded.filter { !$0.wasAlreadyRecorded }.count
        print("\(new) payment\(new == 1 ? "" : "s") recorded, \(recorded.count - new) already recorded")
    }
}

extension ImportRemittanceCommand {
    /// The file's payments, or every problem with its line.
    static func read(_ data: Data) -> Result<RemittanceFile, Core.ValidationError> {
        do {
            return .success(try RemittanceFile.parse(data))
        } catch {
            return .failure(error)
        }
    }
}

/// One payment on one line, for the command line.
enum PaymentText {
    static func line(_ payment: RecordedPayment) -> String {
        "\(payment.wasAlreadyRecorded ? "already recorded" : "recorded") \(payment.reference): \(payment.payer) → \(payment.payee) "
            + "\(payment.amount) on \(payment.valueDate), \(payment.transaction.settles.count) posting\(payment.transaction.settles.count == 1 ? "" : "s")"
    }
}
