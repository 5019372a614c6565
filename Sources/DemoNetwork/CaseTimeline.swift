import Core
import CareNetwork
import Journey

/// Who, what and where of one demo case: the inputs its timeline is drawn from.
struct CaseScenario {
    var referralDate: CalendarDate
    var product: DemoProduct
    var center: DemoCenter
    var centerIndex: Int
    var payer: DemoPayer
    var payerIndex: Int
    /// A Medicaid patient treated in another state, which always needs an agreement.
    var treatedOutOfState: Bool
}

/// Draws one case's journey directly as events that ``CaseJourney`` accepts in order.
///
/// The stages before apheresis follow the center's workflow: a parallel center starts
/// benefits investigation at referral and files prior authorization and negotiates the
/// agreement while it runs; a linear center waits for the consult, then does one step after
/// another (seed 004: about 70 versus about 100 days to infusion). Apheresis (mobilization
/// for gene therapy) waits for the referral, the authorization and the agreement, unless
/// the center collects at its own risk. Manufacturing, lymphodepletion or conditioning and
/// infusion follow the product. A daily dropout hazard, ineligibility, refusals, upheld
/// denials and failed lots end some cases early; events after `today` are not recorded yet.
enum CaseTimeline {
    struct Outcome {
        var events: [JourneyEvent]
        /// The day a single-case agreement was signed, if the case got one.
        var agreementSignedOn: CalendarDate?
    }

    static let pendReasons = [
        "Payer pended the request: additional documentation requested (PET-CT report and pathology)",
        "Payer pended the request: prior lines of therapy not documented",
        "Payer pended the request: site-of-care and network status under review",
    ]

    static func generate(
        _ scenario: CaseScenario, caseNumber: String, today: CalendarDate, agreements: AgreementHistory,
        ranks: StageRanks, rng: inout SeededGenerator
    ) -> Outcome {
        typealias C = Calibration
        var plan = EventPlan(ranks: ranks)
        var losses: [EventPlan.Loss] = []
        let parallel = scenario.center.center.workflow == .parallel
        let payerKind = scenario.payer.kind
        let product = scenario.product
        let referralDate = scenario.referralDate

        // Referral: opened on the referral date, complete once the consult confirms candidacy.
        let referralDone = rng.lognormal(median: C.referralMedianDays, sigma: C.referralSigma).rounded(clampedTo: C.referralRange)
        plan.add(.started, .referral, on: 0)
        plan.add(.completed, .referral, on: referralDone)

        // Benefits investigation: at referral when working in parallel, after the consult otherwise.
        let biStart = parallel ? 0 : referralDone
        let biDone = biStart + rng.triangular(C.benefitsInvestigation).rounded(clampedTo: 1...14)
        plan.add(.started, .benefitsInvestigation, on: biStart)
        plan.add(.completed, .benefitsInvestigation, on: biDone)

        // Prior authorization.
        let paFinished: Int
        if payerKind == .medicare {
            plan.add(.cancelled, .priorAuthorization, on: biDone,
                     reason: "Not needed: Original Medicare does not require prior authorization for this therapy")
            paFinished = biDone
        } else {
            let pretest = rng.lognormal(median: C.pretestMedianDays, sigma: C.pretestSigma).rounded(clampedTo: C.pretestRange)
            let paStart = (parallel ? biStart : biDone) + pretest
            let regulated = (payerKind == .medicareAdvantage || payerKind == .medicaid)
                && referralDate.adding(days: paStart) >= C.regulatedFrom
            var decision = rng.triangular(C.priorAuthorization).rounded(clampedTo: C.priorAuthorizationDays)
            if regulated { decision = min(decision, C.regulatedDecisionDays) }
            plan.add(.started, .priorAuthorization, on: paStart)
            var decided = paStart + decision
            if !regulated, rng.bernoulli(C.pendedShare) {
                // A pend delays the decision, which still comes within the 21 days centers report.
                let pendedOn = paStart + rng.integer(in: 0...(decision - 1))
                let longest = C.priorAuthorizationDays.upperBound - (pendedOn - paStart)
                let pended = rng.triangular(C.pendedDays).rounded(clampedTo: 1...max(1, longest))
                plan.add(.blocked, .priorAuthorization, on: pendedOn,
                         reason: pendReasons[rng.integer(in: 0...(pendReasons.count - 1))])
                plan.add(.unblocked, .priorAuthorization, on: pendedOn + pended)
                decided = min(decided + pended, paStart + C.priorAuthorizationDays.upperBound)
            }
            if rng.bernoulli(C.appealShare) {
                let remaining = max(2, C.appealWithinDays - (decided - paStart))
                let appeal = min(rng.triangular(C.appealDays).rounded(clampedTo: 2...15), remaining)
                plan.add(.blocked, .priorAuthorization, on: decided,
                         reason: "Denied on first review as not meeting the plan's criteria; peer-to-peer review and appeal filed")
                decided += appeal
                if rng.bernoulli(C.appealOverturnedShare) {
                    plan.add(.unblocked, .priorAuthorization, on: decided, note: "Denial overturned on appeal")
                    plan.add(.completed, .priorAuthorization, on: decided)
                } else {
                    losses.append(EventPlan.Loss(day: decided, reason: .denied, note: "Denial upheld on appeal"))
                }
            } else {
                plan.add(.completed, .priorAuthorization, on: decided)
            }
            paFinished = decided
        }

        // Financial agreement: when one is needed, how long it will take.
        let agreementNeeded = scenario.treatedOutOfState || rng.bernoulli(scenario.payer.agreementNeededShare)
        var agreementStart = 0
        var agreementDone = biDone
        var firstAgreement = false
        if agreementNeeded {
            agreementStart = parallel ? biStart + rng.integer(in: 0...3) : paFinished + rng.integer(in: 0...2)
            firstAgreement = !agreements.hasAgreement(
                center: scenario.centerIndex, payer: scenario.payerIndex, before: referralDate.adding(days: agreementStart)
            )
            let duration = firstAgreement
                ? rng.lognormal(mean: C.firstAgreementMeanDays, sigma: C.firstAgreementSigma).rounded(clampedTo: C.firstAgreementRange)
                : rng.triangular(C.repeatAgreement).rounded(clampedTo: 7...18)
            agreementDone = agreementStart + duration
        }

        // Apheresis (or mobilization): once everything is ready and a slot is free.
        let approvals = max(referralDone, paFinished)
        let slot = rng.lognormal(
            median: parallel ? C.parallelSlotMedianDays : C.linearSlotMedianDays, sigma: C.slotSigma
        ).rounded(clampedTo: C.slotRange)
        var gateStart = max(approvals, agreementDone) + slot
        var atRisk: String?
        if agreementNeeded, approvals + slot < agreementDone, rng.bernoulli(C.atRiskShare) {
            gateStart = approvals + slot
            atRisk = product.isGeneTherapy
                ? "Mobilizing before the single-case agreement is signed to keep the manufacturing slot, at the center's financial risk"
                : "Rapidly progressing disease: collecting cells before the single-case agreement is signed, at the center's financial risk"
        }

        let infusionDay = product.isGeneTherapy
            ? planGeneTherapy(from: gateStart, atRisk: atRisk, product: product, plan: &plan, losses: &losses, rng: &rng)
            : planCarT(from: gateStart, atRisk: atRisk, product: product, plan: &plan, losses: &losses, rng: &rng)

        // The agreement's events, now that the infusion day is known: one collected at risk
        // is signed before the infusion at the latest.
        if agreementNeeded {
            if atRisk != nil { agreementDone = max(agreementStart + 1, min(agreementDone, infusionDay - 1)) }
            plan.add(.started, .financialAgreement, on: agreementStart)
            let duration = agreementDone - agreementStart
            if atRisk == nil, firstAgreement, duration >= 6, rng.bernoulli(C.agreementBlockedShare) {
                plan.add(.blocked, .financialAgreement, on: agreementStart + duration / 3,
                         reason: "Payer contracting review: redlines on outlier, carve-out and readmission terms")
                plan.add(.unblocked, .financialAgreement, on: agreementStart + 2 * duration / 3)
            }
            plan.add(.completed, .financialAgreement, on: agreementDone)
        } else {
            plan.add(.cancelled, .financialAgreement, on: biDone, reason: scenario.payer.agreementNotNeededReason)
        }

        // Losses while waiting: a daily hazard, ineligibility at workup, refusals.
        let hazard = rng.uniform(in: product.isGeneTherapy ? C.geneTherapyDropoutHazard : C.carTDropoutHazard)
        let dropoutDay = max(1, Int(rng.exponential(rate: hazard).rounded(.up)))
        let dropoutReason: LossReason
        if product.isGeneTherapy {
            dropoutReason = [LossReason.declined, .ineligible, .death][rng.weightedIndex([0.4, 0.3, 0.3])]
        } else {
            dropoutReason = rng.bernoulli(C.carTDeathShare) ? .death : .progression
        }
        losses.append(EventPlan.Loss(day: dropoutDay, reason: dropoutReason, note: nil))
        if rng.bernoulli(C.ineligibleShare) {
            losses.append(EventPlan.Loss(day: rng.integer(in: 1...referralDone), reason: .ineligible,
                                         note: "Did not meet the product's eligibility criteria at workup"))
        }
        if rng.bernoulli(C.declinedShare) {
            losses.append(EventPlan.Loss(day: rng.integer(in: 1...gateStart), reason: .declined,
                                         note: "Patient chose another treatment"))
        }
        let loss = losses.filter { $0.day < infusionDay }.min { $0.day < $1.day }

        let events = plan.events(caseNumber: caseNumber, referralDate: referralDate, loss: loss, today: today)
        let signed = agreementNeeded && (loss.map { agreementDone <= $0.day } ?? true)
        return Outcome(events: events, agreementSignedOn: signed ? referralDate.adding(days: agreementDone) : nil)
    }

    /// Apheresis, manufacturing, lymphodepletion, infusion and follow-up; returns the infusion day.
    private static func planCarT(
        from apheresis: Int, atRisk: String?, product: DemoProduct, plan: inout EventPlan,
        losses: inout [EventPlan.Loss], rng: inout SeededGenerator
    ) -> Int {
        typealias C = Calibration
        plan.add(.started, .apheresis, on: apheresis, atRiskOverride: atRisk)
        plan.add(.completed, .apheresis, on: apheresis)
        let typical = Double(product.product.typicalManufacturingDays)
        let manufacturingStart = apheresis + rng.integer(in: 0...1)
        let manufacturingDone = manufacturingStart
            + rng.lognormal(median: typical, sigma: C.carTManufacturingSigma)
                .rounded(clampedTo: Int(typical) - 5...Int(typical) + 30)
        plan.add(.started, .manufacturing, on: manufacturingStart)
        if rng.bernoulli(product.manufacturingFailureRate) {
            losses.append(EventPlan.Loss(day: manufacturingDone, reason: .manufacturingFailure,
                                         note: "Lot failed release testing (out of specification)"))
        } else {
            plan.add(.completed, .manufacturing, on: manufacturingDone)
        }
        // Release to lymphodepletion: shipping and scheduling, sized so apheresis to infusion
        // lands on the product's vein-to-vein median.
        let lymphodepletionLead = rng.integer(in: C.lymphodepletionToInfusion)
        let veinToVein = Double(product.veinToVeinMedianDays ?? 30)
        let waitMedian = max(1, veinToVein - typical - 0.5 - 6)
        let lymphodepletion = manufacturingDone + rng.lognormal(median: waitMedian, sigma: 0.5).rounded(clampedTo: 1...45)
        let infusion = lymphodepletion + lymphodepletionLead
        plan.add(.started, .lymphodepletion, on: lymphodepletion)
        plan.add(.completed, .lymphodepletion, on: lymphodepletion + C.lymphodepletionChemotherapyDays - 1)
        plan.add(.started, .infusion, on: infusion)
        plan.add(.completed, .infusion, on: infusion)
        plan.add(.started, .followUp, on: infusion)
        return infusion
    }

    /// Mobilization cycles, collection, manufacturing, conditioning, infusion, inpatient
    /// recovery and long-term follow-up; returns the infusion day.
    private static func planGeneTherapy(
        from mobilization: Int, atRisk: String?, product: DemoProduct, plan: inout EventPlan,
        losses: inout [EventPlan.Loss], rng: inout SeededGenerator
    ) -> Int {
        typealias C = Calibration
        var cycles = 1
        if rng.bernoulli(C.secondCycleShare) {
            cycles += 1
            if rng.bernoulli(C.thirdCycleShare) { cycles += 1 }
        }
        var mobilizationDays = 0
        for _ in 0..<cycles { mobilizationDays += rng.triangular(C.mobilizationCycle).rounded(clampedTo: 7...28) }
        let mobilizationDone = mobilization + mobilizationDays
        plan.add(.started, .mobilization, on: mobilization, atRiskOverride: atRisk)
        plan.add(.completed, .mobilization, on: mobilizationDone,
                 note: cycles == 1 ? "1 mobilization cycle" : "\(cycles) mobilization cycles")
        let apheresisDone = mobilizationDone + rng.integer(in: 1...2)
        plan.add(.started, .apheresis, on: mobilizationDone)
        plan.add(.completed, .apheresis, on: apheresisDone)
        let typical = Double(product.product.typicalManufacturingDays)
        let manufacturingStart = apheresisDone + 1
        let manufacturingDone = manufacturingStart
            + rng.lognormal(median: typical, sigma: C.geneTherapyManufacturingSigma)
                .rounded(clampedTo: Int(typical) - 10...Int(typical) + 45)
        plan.add(.started, .manufacturing, on: manufacturingStart)
        if rng.bernoulli(product.manufacturingFailureRate) {
            losses.append(EventPlan.Loss(day: manufacturingDone, reason: .manufacturingFailure,
                                         note: "Drug product did not meet release specifications"))
        } else {
            plan.add(.completed, .manufacturing, on: manufacturingDone)
        }
        let conditioning = manufacturingDone
            + rng.lognormal(median: C.conditioningWaitMedianDays, sigma: 0.5).rounded(clampedTo: 2...60)
        let conditioningDone = conditioning + C.conditioningDays - 1
        let infusion = conditioningDone + rng.integer(in: C.conditioningToInfusionRest)
        let discharge = infusion + rng.lognormal(median: C.inpatientRecoveryMedianDays, sigma: 0.25).rounded(clampedTo: 18...90)
        plan.add(.started, .conditioning, on: conditioning)
        plan.add(.completed, .conditioning, on: conditioningDone)
        plan.add(.started, .infusion, on: infusion)
        plan.add(.completed, .infusion, on: infusion)
        plan.add(.started, .inpatientRecovery, on: infusion)
        plan.add(.completed, .inpatientRecovery, on: discharge)
        plan.add(.started, .longTermFollowUp, on: discharge)
        return infusion
    }
}
