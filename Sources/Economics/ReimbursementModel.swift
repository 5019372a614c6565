import Core

/// How a payer reimburses the center for an episode: one of the models single-case
/// agreements use, possibly combined (a carve-out with a case rate for the rest, a per diem
/// with a stop-loss).
///
/// An enum rather than a protocol so that a model is a plain value: it can be stored in an
/// agreement, compared, encoded to JSON and decoded again, and the set of models is closed —
/// each one is documented with its formula in docs/ECONOMICS.md and checked by hand in tests.
public indirect enum ReimbursementModel: Hashable, Sendable {
    case caseRate(CaseRate)
    case perDiem(PerDiem)
    case feeForService(FeeForService)
    case carveOut(ProductCarveOut)
    case stopLoss(StopLoss)
    case medicareDRG018(MedicareDRG018)

    /// The model, when every parameter makes sense for an episode in `currency`; otherwise
    /// every problem, each naming its field (`perDiem.icu`, `carveOut.rest.caseRate.amount`).
    public func validated(currency: Currency = .usd, field: String? = nil) throws(ValidationError) -> ReimbursementModel {
        var issues: [ValidationError.Issue] = []
        check(field: field, currency: currency, into: &issues)
        try AmountCheck.finish(issues)
        return self
    }

    /// What the payer pays for `episode` under this model, line by line, with the center's
    /// cost and margin. Validates the episode and the model first (their currencies must agree).
    public func payment(for episode: Episode) throws(ValidationError) -> Payment {
        let episode = try episode.validated()
        _ = try validated(currency: episode.currency)
        return Payment(lines: lines(for: episode.billable), centerCost: episode.totalCost, billedCharges: episode.totalCharges)
    }

    /// The name of the model's kind, for tables: "case rate", "carve-out + per diem".
    public var kindName: String {
        switch self {
        case .caseRate: "case rate"
        case .perDiem: "per diem"
        case .feeForService(.percentOfCharges): "percent of charges"
        case .feeForService(.feeSchedule): "fee schedule"
        case .carveOut(let carveOut): "carve-out + \(carveOut.rest.kindName)"
        case .stopLoss(let stopLoss): "\(stopLoss.base.kindName) + stop-loss"
        case .medicareDRG018: "Medicare MS-DRG 018"
        }
    }

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        switch self {
        case .caseRate(let model): model.lines(for: episode)
        case .perDiem(let model): model.lines(for: episode)
        case .feeForService(let model): model.lines(for: episode)
        case .carveOut(let model): model.lines(for: episode)
        case .stopLoss(let model): model.lines(for: episode)
        case .medicareDRG018(let model): model.lines(for: episode)
        }
    }

    func check(field: String?, currency: Currency, into issues: inout [ValidationError.Issue]) {
        func path(_ name: String) -> String { field.map { "\($0).\(name)" } ?? name }
        switch self {
        case .caseRate(let model): model.check(field: path("caseRate"), currency: currency, into: &issues)
        case .perDiem(let model): model.check(field: path("perDiem"), currency: currency, into: &issues)
        case .feeForService(let model): model.check(field: path("feeForService"), currency: currency, into: &issues)
        case .carveOut(let model): model.check(field: path("carveOut"), currency: currency, into: &issues)
        case .stopLoss(let model): model.check(field: path("stopLoss"), currency: currency, into: &issues)
        case .medicareDRG018(let model): model.check(field: path("medicareDRG018"), currency: currency, into: &issues)
        }
    }
}
