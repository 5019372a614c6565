import CareNetwork
import Contracts
import Core
import Foundation
import Journey
import Outcomes

/// Treated patients under the demo contracts, and what happened after infusion to them and
/// to every other infused patient (``registryFollowUp(of:product:carT:infusion:until:random:)``).
///
/// Every infused demo case whose product has a demo contract (and whose payer at infusion is
/// a party to it) is enrolled; its outcomes are drawn from a stream seeded per case, so the
/// same network always has the same outcomes. Rates are illustrative, in the range the
/// pivotal trials report: about 80% of CAR-T patients respond by day 30; about one sickle
/// cell patient in five is hospitalized for a vaso-occlusive event within three years; some
/// events reach CurePath weeks late, as registry and claims data do.
public struct DemoOutcomes: Sendable {
    public var treatedPatients: [TreatedPatient]
    public var events: [OutcomeEvent]

    public static func build(for network: DemoNetwork, contracts: [ContractTerms] = DemoContracts.terms) -> DemoOutcomes {
        let byProduct = Dictionary(contracts.map { ($0.product, $0) }, uniquingKeysWith: { first, _ in first })
        let coverage = Dictionary(grouping: network.coveragePeriods, by: \.patientID)
        var treated: [TreatedPatient] = []
        var events: [OutcomeEvent] = []
        let root = SeededGenerator(seed: network.seed).derived(0x0C7C_0E5)
        for (index, demoCase) in network.cases.enumerated() {
            let record = demoCase.record
            guard let journey = try? demoCase.journey(), let infusion = journey.state(of: demoCase.template.infusionStage).completed else { continue }
            let payer = coverage[record.patientID]?.first { $0.covers(infusion) }?.payerID ?? record.payerID
            guard let terms = byProduct[record.productID], terms.effective.contains(infusion), terms.parties.includes(payer) else {
                // Outside the contracts the registry still follows every infused patient.
                var random = root.derived(0x5E6_0000 + UInt64(index))
                events += registryFollowUp(of: record.patientID, product: record.productID, carT: demoCase.template.id == "car-t",
                                           infusion: infusion, until: network.today, random: &random)
                continue
            }
            treated.append(TreatedPatient(
                patientID: record.patientID, productID: record.productID, infusionDate: infusion, contractID: terms.id,
                payingPayer: payer, centerID: record.centerID))
            var random = root.derived(UInt64(index))
            events += outcomes(of: record.patientID, product: terms, infusion: infusion, until: network.today, random: &random)
            if record.productID.rawValue == "prd-kymriah" {
                var toxicity = root.derived(0x70C1_0000 + UInt64(index))
                events += toxicities(of: record.patientID, infusion: infusion, until: network.today, random: &toxicity)
            }
        }
        return DemoOutcomes(treatedPatients: treated, events: events)
    }

    static func outcomes(
        of patient: PatientID, product terms: ContractTerms, infusion: CalendarDate, until today: CalendarDate, random: inout SeededGenerator
    ) -> [OutcomeEvent] {
        var events: [OutcomeEvent] = []
        func add(_ days: Int, _ kind: OutcomeKind, value: String? = nil, source: String, lateBy: Int = 0) {
            let date = infusion.adding(days: days)
            guard date <= today else { return }
            events.append(OutcomeEvent(
                id: OutcomeEventID("oe-\(patient.rawValue)-\(events.count + 1)"), patientID: patient, date: date, kind: kind, value: value,
                source: source, recordedOn: min(today, date.adding(days: lateBy))))
        }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        // Registry data arrives within days; a few reports lag by weeks.
        func lag() -> Int { chance(10) ? 20 + Int(random.next() % 40) : Int(random.next() % 7) }

        if terms.product.rawValue == "prd-kymriah" {
            let roll = random.next() % 100
            let day30 = roll < 62 ? "complete" : roll < 80 ? "partial" : "none"
            add(28, .responseAssessment, value: day30, source: "ctr-registry", lateBy: lag())
            guard day30 != "none" else {
                if chance(40) { add(60 + Int(random.next() % 120), .death, source: "ctr-registry", lateBy: lag()) }
                return events
            }
            for (day, relapse) in [(90, 10), (180, 10), (365, 12), (730, 10)] {
                if chance(UInt64(relapse)) {
                    add(day, .responseAssessment, value: "progression", source: "ctr-registry", lateBy: lag())
                    add(day + 20, .subsequentTherapy, source: "claims", lateBy: lag())
                    return events
                }
                add(day, .responseAssessment, value: "complete", source: "ctr-registry", lateBy: lag())
            }
        } else {
            // Sickle cell gene therapy: visits every six months; a vaso-occlusive admission for some.
            if chance(20) {
                add(30 + Int(random.next() % 1000), .hospitalization(reason: "vaso-occlusive-event"), source: "claims", lateBy: 30 + Int(random.next() % 60))
            }
            for month in stride(from: 6, through: 48, by: 6) {
                add(month * 30, .responseAssessment, value: "complete", source: "scd-registry", lateBy: lag())
            }
        }
        return events.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
    }

    /// What the registry records for an infused patient no contract follows: a response at
    /// day 28, assessments every three months (CAR-T) or six (gene therapy), and — at each
    /// product's published one-year survival (``Calibration/oneYearSurvival``) — progression
    /// and death, or a loss to follow-up. Deaths are drawn from a hazard that holds the
    /// published one-year figure and flattens after it, so the outcomes report's curve is the
    /// trials' curve, not a flat line.
    static func registryFollowUp(
        of patient: PatientID, product: ProductID, carT: Bool, infusion: CalendarDate, until today: CalendarDate, random: inout SeededGenerator
    ) -> [OutcomeEvent] {
        var events: [OutcomeEvent] = []
        let source = carT ? "ctr-registry" : "scd-registry"
        func add(_ days: Int, _ kind: OutcomeKind, value: String? = nil) {
            let date = infusion.adding(days: days)
            guard date <= today else { return }
            events.append(OutcomeEvent(
                id: OutcomeEventID("oe-\(patient.rawValue)-fu-\(events.count + 1)"), patientID: patient, date: date, kind: kind, value: value,
                source: source, recordedOn: min(today, date.adding(days: random.integer(in: 0...6)))))
        }
        let survival = Calibration.oneYearSurvival[product.rawValue] ?? Calibration.defaultOneYearSurvival
        let hazard = -log(survival) / 365
        var deathDay = -log(1 - random.uniform()) / hazard
        if deathDay > 365 { deathDay = 365 + (deathDay - 365) / Calibration.laterHazardFactor }
        let lostDay = -log(1 - random.uniform()) / (-log(1 - Calibration.lostToFollowUpPerYear) / 365)
        let relapses = carT && !random.bernoulli(Calibration.nonRelapseDeathShare)
        // Disease returns about two thirds of the way to a relapse death, not before the first assessment.
        let progressionDay = relapses ? max(28, Int(deathDay * 0.66)) : Int.max
        let interval = carT ? 90 : 180
        var day = 28
        while Double(day) < min(deathDay, lostDay), day < progressionDay {
            let response = day == 28 && carT ? (random.bernoulli(0.75) ? "complete" : "partial") : "complete"
            add(day, .responseAssessment, value: response)
            day = day == 28 ? interval : day + interval
        }
        if progressionDay != .max, Double(progressionDay) < min(deathDay, lostDay) {
            add(progressionDay, .responseAssessment, value: "progression")
        }
        if deathDay <= lostDay {
            add(Int(deathDay.rounded(.down)), .death)
        } else {
            add(Int(lostDay.rounded(.down)), .lostToFollowUp)
        }
        return events.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
    }

    /// CRS and ICANS in the first days after a CAR-T infusion, at about JULIET's rates
    /// (tisagenlecleucel in large B-cell lymphoma: CRS in 58%, grade 3 or more in 22%;
    /// neurological events grade 3 or more in 12%). Drawn from a stream of their own so the
    /// other outcomes, and the settlements that read them, stay as they were.
    static func toxicities(of patient: PatientID, infusion: CalendarDate, until today: CalendarDate, random: inout SeededGenerator) -> [OutcomeEvent] {
        var events: [OutcomeEvent] = []
        func add(_ days: Int, _ kind: OutcomeKind) {
            let date = infusion.adding(days: days)
            guard date <= today else { return }
            events.append(OutcomeEvent(
                id: OutcomeEventID("oe-\(patient.rawValue)-tox-\(events.count + 1)"), patientID: patient, date: date, kind: kind,
                source: "ctr-registry", recordedOn: min(today, date.adding(days: 3))))
        }
        let crs = random.next() % 100
        if crs < 58 { add(2 + Int(random.next() % 5), .cytokineReleaseSyndrome(grade: crs < 22 ? 3 + Int(random.next() % 2) : 1 + Int(random.next() % 2))) }
        let icans = random.next() % 100
        if icans < 21 { add(5 + Int(random.next() % 6), .neurotoxicity(grade: icans < 12 ? 3 + Int(random.next() % 2) : 1 + Int(random.next() % 2))) }
        return events
    }
}
