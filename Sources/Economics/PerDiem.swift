import Core

/// A per diem: a daily rate for each level of inpatient care (ICU, acute) and a rate per
/// outpatient visit; other services are paid by a secondary rule.
///
/// Per diems move the length-of-stay risk to the payer: a grade 3 CRS that adds three ICU
/// days adds three ICU per diems. Paired with a product carve-out they are a common
/// alternative to a case rate.
public struct PerDiem: Hashable, Sendable, Codable {
    /// Paid per ICU day.
    public var icu: Money
    /// Paid per acute (ward) inpatient day.
    public var acute: Money
    /// Paid per outpatient visit and per follow-up visit.
    public var outpatientVisit: Money
    /// How every other service (the product, apheresis, lymphodepletion, drugs) is paid.
    public var otherServices: SecondaryRule

    public init(icu: Money, acute: Money, outpatientVisit: Money, otherServices: SecondaryRule) {
        self.icu = icu
        self.acute = acute
        self.outpatientVisit = outpatientVisit
        self.otherServices = otherServices
    }

    func lines(for episode: BillableEpisode) -> [PaymentLine] {
        episode.lines.map { line in
            switch line.kind {
            case .icuDay: perUnit(line, rate: icu, unit: "days", name: "ICU per diem")
            case .acuteDay: perUnit(line, rate: acute, unit: "days", name: "acute per diem")
            case .outpatientVisit, .followUpVisit: perUnit(line, rate: outpatientVisit, unit: "visits", name: "per outpatient visit")
            default: otherServices.line(for: line, reason: "no per diem for \(line.kind.label)")
            }
        }
    }

    private func perUnit(_ line: BillableLine, rate: Money, unit: String, name: String) -> PaymentLine {
        PaymentLine(label: line.label, kind: line.kind, rule: "\(line.quantity) \(unit) × \(rate) \(name)", amount: rate * Int64(line.quantity))
    }

    func check(field: String, currency: Currency, into issues: inout [ValidationError.Issue]) {
        AmountCheck.check(icu, field: "\(field).icu", currency: currency, into: &issues)
        AmountCheck.check(acute, field: "\(field).acute", currency: currency, into: &issues)
        AmountCheck.check(outpatientVisit, field: "\(field).outpatientVisit", currency: currency, into: &issues)
        otherServices.check(field: "\(field).otherServices", into: &issues)
    }
}
