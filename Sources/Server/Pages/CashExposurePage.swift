import CareNetwork
import Core
import Economics

/// A center's cash exposure: peak outstanding and when, days exposed, the bridging capital it
/// needs, the curve, and what N more patients this month would do to it.
struct CashExposurePage {
    struct FlowRow { var date, caseID, label, direction, amount: String }

    var session = PageSession.current
    var center, centerID: String
    var caseCount: Int
    var peak, peakDate, bridging, daysExposed, finalOutstanding: String
    var chart: String?
    var morePatients: String
    var whatIf: String?
    var flows: [FlowRow]
    var assumptions: String

    init(center: Center, exposure: CenterCashExposure, whatIf: CashExposure?, morePatients: Int?, today: CalendarDate) {
        self.center = center.name
        centerID = center.id.rawValue
        caseCount = exposure.caseCount
        let base = exposure.exposure
        peak = base.peak?.outstanding.description ?? Money.zero().description
        peakDate = base.peak?.date.description ?? "—"
        bridging = base.bridgingCapital.description
        daysExposed = String(base.daysExposed)
        finalOutstanding = base.finalOutstanding.description
        chart = CashCurveChart(base: base, whatIf: whatIf, today: today).render()
        self.morePatients = morePatients.map(String.init) ?? ""
        self.whatIf = whatIf.map { changed in
            let extra = Money(minorUnits: changed.bridgingCapital.minorUnits - base.bridgingCapital.minorUnits, currency: changed.bridgingCapital.currency)
            return "With \(morePatients ?? 0) more patient\(morePatients == 1 ? "" : "s") this month the peak is \(changed.peak?.outstanding.description ?? "–") on \(changed.peak?.date.description ?? "–"): \(extra) more bridging capital."
        }
        flows = base.flows.filter { $0.date >= today.adding(days: -30) }.prefix(60).map {
            FlowRow(date: $0.date.description, caseID: $0.caseID, label: $0.label, direction: $0.direction.rawValue, amount: $0.amount.description)
        }
        assumptions = "Each case follows a typical CAR-T episode at its product's list price; cases not yet infused are projected to infuse \(CenterCashExposure.projectedReferralToInfusion) days after referral (at least two weeks from today); the payer pays the case's agreement (a case rate plus the product at invoice cost and the handling markup) or the starter terms' defaults; claims go 14 days after discharge and are paid after the payer kind's typical days-to-pay."
    }
}
