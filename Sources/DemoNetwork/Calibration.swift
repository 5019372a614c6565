import Core

/// The figures the demo journeys are drawn from, each with its source.
///
/// Sources, as the brief names them: "seed 004" (the access-journey seed document and its
/// focus groups), Battiwalla 2025 (median referral-to-infusion 143 days; 41% of 357
/// intended patients never infused), Hu 2024 (median 62 days referral-to-infusion across
/// centers), the 2025 single-case-agreement abstract (68% of cases needed one; intent to
/// apheresis 17 → 33 days with one), CMS-0057-F (7-day standard decisions from 2026).
/// Values marked "assumption" are not published; they were chosen so that the medians land
/// on the targets: about 70 days from referral to infusion at parallel centers and about
/// 100 at linear ones (seed 004), within the 62–143 day range of the studies.
enum Calibration {
    // MARK: Before apheresis

    /// Referral to consult and confirmed candidacy (the referral stage completing).
    /// Assumption: median 18 days (a consult within one to two weeks, then a week of
    /// workup), 4–60.
    static let referralMedianDays = 18.0
    static let referralSigma = 0.45
    static let referralRange = 4...60

    /// Benefits investigation: up to two weeks (seed 004).
    static let benefitsInvestigation = (min: 1.0, mode: 4.0, max: 14.0)

    /// Pretesting gathered before the PA request is filed. More than 2–3 weeks of PA
    /// pretesting is unreasonable for these patients (seed 004), so it is capped at 21 days.
    static let pretestMedianDays = 8.0
    static let pretestSigma = 0.5
    static let pretestRange = 1...21

    /// PA decision: 2–21 days as centers report it (seed 004).
    static let priorAuthorization = (min: 2.0, mode: 7.0, max: 21.0)
    static let priorAuthorizationDays = 2...21
    /// Medicare Advantage and Medicaid plans decide standard requests within 7 calendar days
    /// from 1 January 2026 (CMS-0057-F), so they decide rather than pend.
    static let regulatedDecisionDays = 7
    static let regulatedFrom = CalendarDate(year: 2026, month: 1, day: 1)!
    /// Share of requests pended for more documentation, and for how long. Assumption.
    static let pendedShare = 0.18
    static let pendedDays = (min: 1.0, mode: 4.0, max: 10.0)
    /// Share of requests denied on first review and appealed; an appeal brings PA up to 30
    /// days (seed 004). Assumption: 70% of appeals succeed, the rest end the case as denied.
    static let appealShare = 0.06
    static let appealDays = (min: 3.0, mode: 8.0, max: 15.0)
    static let appealWithinDays = 30
    static let appealOverturnedShare = 0.7

    /// A center's first single-case agreement with a payer: 45 days on average at one
    /// academic center (seed 004). Lognormal, 10–150 days.
    static let firstAgreementMeanDays = 45.0
    static let firstAgreementSigma = 0.45
    static let firstAgreementRange = 10...150
    /// With a previous agreement with that payer to copy: 7–18 days (payers' estimate, seed 004).
    static let repeatAgreement = (min: 7.0, mode: 11.0, max: 18.0)
    /// Share of center–payer pairs that already had an agreement before the demo's two
    /// years begin. Assumption.
    static let priorAgreementShare = 0.5
    /// Share of first agreements held up in payer contracting for a while. Assumption.
    static let agreementBlockedShare = 0.25
    /// When an agreement is what apheresis waits for, the share of cases in which the center
    /// collects cells anyway, at its own financial risk. Assumption.
    static let atRiskShare = 0.2

    /// From everything being ready to the apheresis (or mobilization) day. Parallel centers
    /// book the slot while approvals run; linear ones book after the last approval.
    /// Assumption: medians 7 and 14 days.
    static let parallelSlotMedianDays = 7.0
    static let linearSlotMedianDays = 14.0
    static let slotSigma = 0.5
    static let slotRange = 1...40

    // MARK: After apheresis

    /// Manufacturing varies around each product's typical days (14–25 for CAR-T, brief).
    static let carTManufacturingSigma = 0.15
    static let geneTherapyManufacturingSigma = 0.12
    /// Lymphodepletion starts 5–7 days before infusion (brief); fludarabine and
    /// cyclophosphamide run three days, then the patient rests until infusion.
    static let lymphodepletionToInfusion = 5...7
    static let lymphodepletionChemotherapyDays = 3

    /// Gene therapy: one to three mobilization and collection cycles (exa-cel patients
    /// needed a median of two). Assumption: 10–21 days per cycle.
    static let mobilizationCycle = (min: 10.0, mode: 14.0, max: 21.0)
    static let secondCycleShare = 0.55
    static let thirdCycleShare = 0.2
    /// Release to admission for myeloablative conditioning (busulfan, four days), then two
    /// to three days of washout before infusion. Assumption.
    static let conditioningWaitMedianDays = 10.0
    static let conditioningDays = 4
    static let conditioningToInfusionRest = 2...3
    /// Inpatient recovery until engraftment and discharge. Assumption: median 35 days.
    static let inpatientRecoveryMedianDays = 35.0

    // MARK: Losses before infusion

    /// Pre-infusion dropout hazard for CAR-T candidates: 0.0035–0.0058 per day (brief,
    /// "More published figures"), drawn per case; 80% progression, 20% death.
    static let carTDropoutHazard = 0.0035...0.0058
    static let carTDeathShare = 0.2
    /// Gene therapy candidates (sickle cell disease) are not racing a cancer. Assumption:
    /// 0.0008–0.0015 per day, split between declining, ineligibility and death.
    static let geneTherapyDropoutHazard = 0.0008...0.0015
    /// Found ineligible at consult or workup, and declining treatment. Assumptions that,
    /// with the hazard, denials and manufacturing failures, lose about 40% of intended
    /// patients (Battiwalla 2025: 41% of 357 never infused).
    static let ineligibleShare = 0.04
    static let declinedShare = 0.02

    // MARK: After infusion

    /// One-year overall survival after infusion, by product, from the pivotal trials: JULIET
    /// (tisagenlecleucel, LBCL; Schuster, NEJM 2019) 49%; ZUMA-1 (axicabtagene ciloleucel;
    /// Locke, Lancet Oncol 2019) 59%; TRANSCEND NHL 001 (lisocabtagene maraleucel; Abramson,
    /// Lancet 2020) 58%; ZUMA-2 (brexucabtagene autoleucel, MCL; Wang, NEJM 2020) 83%; KarMMa
    /// (idecabtagene vicleucel; Munshi, NEJM 2021; median OS 19.4 months) about 78%;
    /// CARTITUDE-1 (ciltacabtagene autoleucel; Berdeja, Lancet 2021) 89%; FELIX (obecabtagene
    /// autoleucel, adult B-ALL; Roddie, NEJM 2024; median OS 15.6 months) about 61%. Sickle
    /// cell gene therapies (CLIMB-121, Frangoul, NEJM 2024; HGB-206, Kanter, NEJM 2022) lost
    /// about one patient in fifty: 98%. Products not listed use the LBCL figure, 58%.
    static let oneYearSurvival: [String: Double] = [
        "prd-kymriah": 0.49, "prd-yescarta": 0.59, "prd-breyanzi": 0.58, "prd-tecartus": 0.83,
        "prd-abecma": 0.78, "prd-carvykti": 0.89, "prd-aucatzyl": 0.61, "prd-casgevy": 0.98, "prd-lyfgenia": 0.98,
    ]
    static let defaultOneYearSurvival = 0.58
    /// After the first year the CAR-T curves flatten (the trials' plateaus): the daily hazard
    /// falls to a quarter. Assumption within the published curves' shape.
    static let laterHazardFactor = 0.25
    /// Share of deaths after CAR-T without a relapse first (non-relapse mortality of about
    /// 5–8% of patients against about 40% dying within a year, real-world LBCL series). Assumption: 15%.
    static let nonRelapseDeathShare = 0.15
    /// Patients whose follow-up stops (moved, transferred care) each year. Assumption: 5%.
    static let lostToFollowUpPerYear = 0.05
}
