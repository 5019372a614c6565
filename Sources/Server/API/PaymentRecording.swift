import Access
import Contracts
import Core
import Foundation
import Storage

/// Records payments for whoever asks: the one use case behind `POST /ledger/payments`, the
/// remittance upload, the statement page's form and `curepath ledger pay|import-remittance`.
///
/// Who may record: an organization records the payments it made — the payer of each payment
/// must be the caller's own party — and the mediator's operators record any party's (a
/// manufacturer's refund, say, or the mediator's own transfers); the command line is the
/// operator at the database. Whether the payment itself may be recorded (its postings, its
/// currency, what is outstanding) is ``Payment/transaction(in:)``'s one rule, checked by the
/// ledger inside the write.
public struct PaymentRecording: Sendable {
    /// Who is recording.
    public enum Recorder: Sendable {
        /// A signed-in user of an organization (from the request's identity).
        case organization(Organization)
        /// The operator running `curepath` against the database.
        case console
    }

    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Records `payments`, all or nothing. Refusals are a ``ValidationError`` whose issues
    /// `locate` places (the payment's index, the issue as ``Payment`` names it); a used
    /// reference is `StorageError.conflict`.
    public func record(
        _ payments: [Payment], by recorder: Recorder, recordedBy: String?, now: Date,
        locate: (Int, ValidationError.Issue) -> ValidationError.Issue = { _, issue in issue }
    ) async throws -> [RecordedPayment] {
        let today = CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: now)
        var issues: [ValidationError.Issue] = []
        for (index, payment) in payments.enumerated() {
            if case .organization(let organization) = recorder, organization.kind != .mediator {
                let own = CurePathAPI.party(of: organization)
                if own != payment.payer {
                    issues.append(locate(index, .init(
                        field: "payer", problem: "must be your organization (\(own?.code ?? "none")): you record the payments your organization made",
                        rule: "scope")))
                }
            }
            if payment.valueDate > today {
                issues.append(locate(index, .init(field: "valueDate", problem: "\(payment.valueDate) is after today (\(today)); record money once it has moved")))
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues: issues) }
        do {
            return try await store.ledger.record(payments, recordedBy: recordedBy, now: now)
        } catch let refused as PaymentsRefused {
            let located = refused.refusals.flatMap { refusal in refusal.error.issues.map { locate(refusal.index, $0) } }
            if refused.isConflict { throw StorageError.conflict(located.map { "\($0.field): \($0.problem)" }.joined(separator: "; ")) }
            throw ValidationError(issues: located)
        }
    }

    /// The recorder of the current request: its signed-in organization. A request without one
    /// never reaches a route that records (they all declare an action), and is refused here too
    /// rather than treated as the console.
    static func current() throws -> Recorder {
        guard let identity = RequestIdentity.current else { throw NotFoundError(entity: "statement", id: "payments") }
        return .organization(identity.principal.organization)
    }
}
