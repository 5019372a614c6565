import Core

/// Fee-for-service: each service paid on its own, either at a percentage of its billed
/// charges or at a fee schedule's amount for its code.
///
/// The payer's default for out-of-network care and the model that leaves the center's
/// chargemaster in charge; a percentage of charges on a $1M product charge is why payers
/// push for case rates and carve-outs instead.
public enum FeeForService: Hashable, Sendable {
    /// Every line paid at this percentage of its billed charges.
    case percentOfCharges(Percentage)
    /// Every line paid at its code's fee per unit; lines without a listed code by the
    /// schedule's rule for unlisted services.
    case feeSchedule(FeeSchedule)

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        switch self {
        case .percentOfCharges(let share):
            episode.lines.map { line in
                PaymentLine(label: line.label, kind: line.kind, rule: "\(share) of \(line.totalCharge) billed", amount: share.of(line.totalCharge))
            }
        case .feeSchedule(let schedule):
            episode.lines.map { line in
                guard let code = line.code, let fee = schedule.fees[code] else {
                    let reason = line.code.map { "code \($0) not on the fee schedule" } ?? "no billing code"
                    return schedule.unlisted.line(for: line, reason: reason)
                }
                return PaymentLine(label: line.label, kind: line.kind, rule: "\(line.quantity) × \(fee) fee schedule \(code)", amount: fee * Int64(line.quantity))
            }
        }
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        switch self {
        case .percentOfCharges(let share):
            share.checked(atMost: Percentage(100), field: "\(field).percentOfCharges", into: &issues)
        case .feeSchedule(let schedule):
            if schedule.fees.isEmpty {
                issues.append(.init(field: "\(field).feeSchedule.fees", problem: "must list at least one code"))
            }
            for (code, fee) in schedule.fees.sorted(by: { $0.key < $1.key }) {
                AmountCheck.check(fee, field: "\(field).feeSchedule.fees[\"\(code)\"]", currency: currency, into: &issues)
            }
            schedule.unlisted.check(field: "\(field).feeSchedule.unlisted", into: &issues)
        }
    }
}

/// Amounts per service code (per unit of the line's quantity), and what happens to a service
/// whose code is not listed.
///
/// Real fee schedules (Medicare's physician and outpatient schedules, a payer's own) are
/// licensed data with thousands of codes; CurePath ships none and takes the few codes an
/// agreement names.
public struct FeeSchedule: Hashable, Sendable, Codable {
    /// Fee per unit, by billing code.
    public var fees: [String: Money]
    /// How a line without a listed code is paid.
    public var unlisted: SecondaryRule

    public init(fees: [String: Money], unlisted: SecondaryRule) {
        self.fees = fees
        self.unlisted = unlisted
    }
}
