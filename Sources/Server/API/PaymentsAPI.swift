import APIContract
import Access
import Contracts
import Core
import Foundation
import OpenAPIRuntime
import Storage

/// Payments over HTTP: one payment as JSON, a remittance file as CSV, and the list of
/// recorded payments. All three go through ``PaymentRecording``.
extension CurePathAPI {
    func recordPayment(_ input: Operations.RecordPayment.Input) async throws -> Operations.RecordPayment.Output {
        guard case .json(let body) = input.body else { throw ValidationError(field: "body", problem: "must be JSON") }
        let payment = try Payment(body)
        guard let recorded = try await PaymentRecording(store: store).record(
            [payment], by: try PaymentRecording.current(), recordedBy: requester, now: clock()
        ).first else { throw ValidationError(field: "applications", problem: "nothing was recorded") }
        let answer = Components.Schemas.RecordedPayment(recorded)
        return recorded.wasAlreadyRecorded ? .ok(.init(body: .json(answer))) : .created(.init(body: .json(answer)))
    }

    func importRemittance(_ input: Operations.ImportRemittance.Input) async throws -> Operations.ImportRemittance.Output {
        guard case .csv(let body) = input.body else { throw ValidationError(field: "body", problem: "must be text/csv") }
        let bytes = try await [UInt8](body: body, limit: RemittanceFile.maximumBytes, describedAs: "a remittance file")
        let file = try RemittanceFile.parse(Data(bytes))
        let recorded = try await PaymentRecording(store: store).record(
            file.entries.map(\.payment), by: try PaymentRecording.current(), recordedBy: requester, now: clock(), locate: { file.located($1, ofEntry: $0) })
        return .created(.init(body: .json(.init(items: recorded.map(Components.Schemas.RecordedPayment.init)))))
    }

    func listPayments(_ input: Operations.ListPayments.Input) async throws -> Operations.ListPayments.Output {
        let limit = input.query.limit ?? 200
        guard (1...1_000).contains(limit) else { throw ValidationError(field: "limit", problem: "must be from 1 to 1000, got \(limit)") }
        let party: Party?
        if let code = input.query.party {
            party = try StatementAccess.readableParty(code)
        } else if let organization = RequestIdentity.current?.principal.organization, organization.kind != .mediator {
            guard let own = Self.party(of: organization) else { return .ok(.init(body: .json(.init(items: [])))) }
            party = own
        } else {
            party = nil
        }
        let payments = try await store.ledger.payments(involving: party, limit: limit)
        return .ok(.init(body: .json(.init(items: payments.map(Components.Schemas.RecordedPayment.init)))))
    }

    /// Who recorded it, for the payment's row (the user's ID).
    private var requester: String? { RequestIdentity.current.map { "\($0.principal.userID)" } }
}

extension Payment {
    /// A payment as the API sends it; each problem names its JSON field.
    init(_ body: Components.Schemas.PaymentRequest) throws(ValidationError) {
        var issues: [ValidationError.Issue] = []
        func party(_ code: String, _ field: String) -> Party? {
            guard let party = Party(code: code) else {
                issues.append(.init(field: field, problem: "'\(code)' must look like payer:<id>, manufacturer:<id>, center:<id> or mediator:<id>"))
                return nil
            }
            return party
        }
        func money(_ value: Components.Schemas.Money, _ field: String) -> Money? {
            guard value.currency.count == 3, value.currency.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
                issues.append(.init(field: "\(field).currency", problem: "'\(value.currency)' must be an ISO 4217 code in capitals, such as USD or EUR"))
                return nil
            }
            guard value.minorUnits > 0, value.minorUnits <= MoneyText.maximumMinorUnits else {
                issues.append(.init(field: "\(field).minorUnits", problem: value.minorUnits <= 0 ? "must be more than zero" : "is too large: at most \(MoneyText.maximumMinorUnits)"))
                return nil
            }
            return Money(minorUnits: value.minorUnits, currency: Currency(rawValue: value.currency))
        }
        let payer = party(body.payer, "payer")
        let payee = party(body.payee, "payee")
        let date = CalendarDate(iso8601: body.valueDate)
        if date == nil { issues.append(.init(field: "valueDate", problem: "'\(body.valueDate)' is not a date (YYYY-MM-DD)")) }
        let amount = money(body.amount, "amount")
        if body.applications.count > Payment.maximumApplications {
            throw ValidationError(field: "applications", problem: "names \(body.applications.count) postings; at most \(Payment.maximumApplications) per payment")
        }
        var applications: [PaymentApplication] = []
        for (index, application) in body.applications.enumerated() {
            let field = "applications[\(index)]"
            guard let key = PostingKey(rawValue: application.posting), key.slot != nil else {
                issues.append(.init(field: "\(field).posting", problem: "is not a posting key; copy it from the statement (contract@version/patient/clause/period#n)"))
                continue
            }
            if let amount = money(application.amount, "\(field).amount") { applications.append(PaymentApplication(posting: key, amount: amount)) }
        }
        guard issues.isEmpty, let payer, let payee, let date, let amount else { throw ValidationError(issues: issues) }
        self.init(reference: body.reference, payer: payer, payee: payee, valueDate: date, amount: amount, applications: applications)
    }
}

extension Components.Schemas.RecordedPayment {
    init(_ payment: RecordedPayment) {
        self.init(
            reference: payment.reference, payer: payment.payer.code, payee: payment.payee.code, valueDate: payment.valueDate.description,
            amount: .init(payment.amount), key: payment.transaction.key.rawValue,
            applications: payment.transaction.settles.map { .init(posting: $0.posting.rawValue, amount: .init($0.amount)) },
            recordedAt: payment.recordedAt, alreadyRecorded: payment.wasAlreadyRecorded)
    }
}
