import Core
import CareNetwork

/// Who insures a demo patient at referral, and whether they change insurer afterwards.
///
/// The mix follows the patients: CAR-T patients are mostly in their sixties, so many
/// are on Medicare, Original or Advantage; younger adults are mostly commercially insured;
/// Medicaid insures about half of US children (seed 003) and many adults with sickle cell
/// disease. A share of patients churn to another payer after referral, which is what makes
/// outcomes-based contracts follow the patient from insurer to insurer.
struct CoverageHistory {
    /// The payer and plan at referral.
    var payerIndex: Int
    var planIndex: Int
    /// The center whose area the patient lives in (for postal code and phone).
    var homeCenterIndex: Int
    /// The patient's state, whose Medicaid program they may move to.
    var homeState: String
    /// A Medicaid patient referred to a center in another state.
    var treatedOutOfState: Bool

    static let payers = DemoPayer.all
    static let medicare = payers.firstIndex { $0.kind == .medicare }!
    static let medicareAdvantage = payers.firstIndex { $0.kind == .medicareAdvantage }!
    static let medicaid = payers.indices.filter { payers[$0].kind == .medicaid }
    static let commercial = payers.indices.filter { payers[$0].kind == .commercial || payers[$0].kind == .selfInsuredEmployer }
    static let commercialWeights = commercial.map { payers[$0].kind == .selfInsuredEmployer ? 0.12 : 0.44 }

    /// Share of patients who change payer within the 2 years after referral. Assumption.
    static let churnShare = 0.12

    static func choose(
        age: Int, product: DemoProduct, centerIndex: Int, centers: [DemoCenter], rng: inout SeededGenerator
    ) -> CoverageHistory {
        let centerState = centers[centerIndex].center.state
        var payer: Int
        var home = centerIndex
        var outOfState = false
        if age >= 65 {
            payer = rng.bernoulli(0.55) ? medicare : medicareAdvantage
        } else {
            let medicaidShare = age < 19 ? 0.45 : product.isGeneTherapy ? 0.5 : 0.18
            payer = commercial[rng.weightedIndex(commercialWeights)]
            if rng.bernoulli(medicaidShare) {
                if let inState = medicaid.first(where: { payers[$0].payer.state == centerState }) {
                    payer = inState
                } else if rng.bernoulli(0.35) {
                    payer = medicaid[rng.integer(in: 0...(medicaid.count - 1))]
                    let state = payers[payer].payer.state
                    home = centers.firstIndex { $0.center.state == state } ?? centerIndex
                    outOfState = true
                }
            }
        }
        let plans = payers[payer].plans
        var plan = rng.integer(in: 0...(plans.count - 1))
        if payers[payer].kind == .medicaid {
            // CHIP covers some children; adults are on the fee-for-service plan.
            let chip = plans.firstIndex { $0.type == .chip }
            let ffs = plans.firstIndex { $0.type == .medicaid } ?? 0
            plan = age < 19 && rng.bernoulli(0.4) ? (chip ?? ffs) : ffs
        }
        return CoverageHistory(
            payerIndex: payer, planIndex: plan, homeCenterIndex: home, homeState: centers[home].center.state,
            treatedOutOfState: outOfState
        )
    }

    /// The patient's coverage periods: one in force at referral and, for those who churn, a
    /// second with another payer from the first of a later month (Medicare changes take
    /// effect on 1 January). Nothing starts after `today`.
    func periods(
        patient: PatientID, number: String, birthDate: CalendarDate, age: Int, referralDate: CalendarDate,
        today: CalendarDate, rng: inout SeededGenerator
    ) -> [CoveragePeriod] {
        let payers = Self.payers
        let current = payers[payerIndex]
        let turned65 = CalendarDate(year: birthDate.year + 65, month: birthDate.components.month, day: 1)!
        var start: CalendarDate
        switch current.kind {
        case .medicare:
            start = turned65
        case .medicareAdvantage:
            start = max(turned65, CalendarDate(year: referralDate.year - rng.integer(in: 0...4), month: 1, day: 1)!)
        case .commercial, .selfInsuredEmployer, .medicaid:
            start = max(birthDate, Self.monthStart(referralDate.adding(days: -rng.integer(in: 30...2_500))))
        }
        // The coverage at referral is the case's payer, whatever rounding of ages did.
        start = min(start, referralDate)
        var first = CoveragePeriod(
            id: CoveragePeriodID("cov-\(number)-1"), patientID: patient, payerID: current.payer.id,
            planID: current.plans[planIndex].id, memberID: Self.memberID(current, &rng), start: start, end: nil
        )
        guard rng.bernoulli(Self.churnShare) else { return [first] }

        // Churn: to another payer of a kind the patient can have.
        let next: Int
        let changeOn: CalendarDate
        switch current.kind {
        case .medicare, .medicareAdvantage:
            next = current.kind == .medicare ? Self.medicareAdvantage : Self.medicare
            changeOn = CalendarDate(year: referralDate.adding(days: 60).year + 1, month: 1, day: 1)!
        case .medicaid:
            next = Self.commercial[rng.weightedIndex(Self.commercialWeights)]
            changeOn = Self.monthStart(referralDate.adding(days: rng.integer(in: 60...540)))
        case .commercial, .selfInsuredEmployer:
            // A job change to another employer's plan, or (under 65) onto the home state's Medicaid.
            let homeMedicaid = Self.medicaid.first { payers[$0].payer.state == homeState }
            if age < 65, let homeMedicaid, rng.bernoulli(0.25) {
                next = homeMedicaid
            } else {
                let others = Self.commercial.filter { $0 != payerIndex }
                next = others[rng.integer(in: 0...(others.count - 1))]
            }
            changeOn = Self.monthStart(referralDate.adding(days: rng.integer(in: 60...540)))
        }
        guard changeOn <= today else { return [first] }
        first.end = changeOn.adding(days: -1)
        let target = payers[next]
        let plan = target.plans.firstIndex { $0.type != .chip } ?? 0
        let second = CoveragePeriod(
            id: CoveragePeriodID("cov-\(number)-2"), patientID: patient, payerID: target.payer.id,
            planID: target.plans[plan].id, memberID: Self.memberID(target, &rng), start: changeOn, end: nil
        )
        return [first, second]
    }

    static func monthStart(_ date: CalendarDate) -> CalendarDate {
        let (year, month, _) = date.components
        return CalendarDate(year: year, month: month, day: 1)!
    }

    static func memberID(_ payer: DemoPayer, _ rng: inout SeededGenerator) -> String {
        payer.memberPrefix + padded(rng.integer(in: 0...999_999_999), width: 9)
    }
}
