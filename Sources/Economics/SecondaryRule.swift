import Core

/// How a model pays the services its main rule does not cover: the lines outside a case
/// rate, the services a per diem has no rate for, codes missing from a fee schedule.
///
/// Agreements always say something about "everything else" — paid at a percentage of
/// charges, or not paid at all (bundled, or billed elsewhere) — and the answer moves the
/// center's margin as much as the main rate does, so it is an explicit part of each model.
public enum SecondaryRule: Hashable, Sendable {
    /// Not paid under this agreement: bundled into the main rate or billed elsewhere.
    case notPaid
    /// A percentage of the line's billed charges.
    case percentOfCharges(Percentage)

    /// The payment line for one service under this rule; unpaid lines are kept, at zero, so
    /// the payment shows what was not paid.
    func line(for service: BillableLine, reason: String) -> PaymentLine {
        switch self {
        case .notPaid:
            return PaymentLine(
                label: service.label, kind: service.kind, rule: "not paid (\(reason))", amount: .zero(service.unitCharge.currency)
            )
        case .percentOfCharges(let share):
            let charges = service.totalCharge
            return PaymentLine(
                label: service.label, kind: service.kind, rule: "\(share) of \(charges) billed (\(reason))", amount: share.of(charges)
            )
        }
    }

    /// At most 100% of charges.
    func check(field: String, into issues: inout [ValidationError.Issue]) {
        if case .percentOfCharges(let share) = self {
            share.checked(atMost: Percentage(100), field: "\(field).percentOfCharges", into: &issues)
        }
    }

    var summary: String {
        switch self {
        case .notPaid: "not paid"
        case .percentOfCharges(let share): "\(share) of charges"
        }
    }
}
