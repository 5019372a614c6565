import CareNetwork
import Core

extension TreatedPatient {
    /// What a journey knows of one case of the patient's with this product: when it was
    /// infused, or `nil` while it is open or if it was lost.
    public struct CaseOutcome: Hashable, Sendable {
        public var productID: ProductID
        public var infusedOn: CalendarDate?

        public init(productID: ProductID, infusedOn: CalendarDate?) {
            self.productID = productID
            self.infusedOn = infusedOn
        }
    }

    /// Why this patient cannot be enrolled, each naming a field under `prefix`
    /// (`patients[3]`): the paying payer must have covered the patient on the day of
    /// infusion, and when CurePath follows the patient's journey with this product, that
    /// journey must have reached infusion on that very day.
    ///
    /// A unit with no case for its product is accepted on the payer's coverage alone: units
    /// given before the network used CurePath, or of products without a journey template,
    /// are enrolled from the registry's records. A case that was never infused is the
    /// opposite — the journey says there is no unit to pay for.
    public func enrollmentIssues(coverage: [CoveragePeriod], cases: [CaseOutcome], prefix: String) -> [ValidationError.Issue] {
        var issues: [ValidationError.Issue] = []
        if !coverage.contains(where: { $0.payerID == payingPayer && $0.covers(infusionDate) }) {
            issues.append(.init(field: "\(prefix).payingPayer",
                                problem: "'\(payingPayer)' did not cover the patient on the infusion date \(infusionDate)", rule: "coverage"))
        }
        let journeys = cases.filter { $0.productID == productID }
        if !journeys.isEmpty, !journeys.contains(where: { $0.infusedOn == infusionDate }) {
            let infused = journeys.compactMap(\.infusedOn).map(\.description)
            issues.append(.init(field: "\(prefix).infusionDate",
                                problem: infused.isEmpty
                                    ? "the patient's \(productID) case has not reached infusion; a unit is enrolled once it is given"
                                    : "is not the infusion date the patient's \(productID) case records (\(infused.joined(separator: ", ")))",
                                rule: "infusion"))
        }
        return issues
    }
}
