import Foundation
import Core
import CareNetwork
import Outcomes

/// A synthetic, seeded workload for timing the settlement engine alone, without storage:
/// what `curepath bench settle` reports as the pure engine's events per second.
///
/// Ten contracts of the five worked kinds under different portability rules; patients
/// infused over 2026–2027 and followed to 2031; two payer changes per ten patients a year;
/// about ten outcome events per patient over five years. The same seed gives the same workload.
public enum SettlementBenchmark {
    /// Everything one settlement reads, generated from a seed.
    public struct Workload: Sendable {
        public var contracts: [ContractTerms]
        public var treatedPatients: [TreatedPatient]
        public var coverage: [CoveragePeriod]
        public var outcomes: [OutcomeEvent]
        public var asOf: CalendarDate
        /// Where each patient's coverage and events start, so batches can be cut as storage would read them.
        var coverageStart: [Int] = []
        var eventStart: [Int] = []
    }

    /// How long a settlement took and how much it did, for `curepath bench settle`.
    public struct Measurement: Sendable, CustomStringConvertible {
        public var patients: Int
        public var events: Int
        public var coveragePeriods: Int
        public var transactions: Int
        public var seconds: Double
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }

        public var description: String {
            let rate = Int(eventsPerSecond.rounded())
            return "\(patients) patients, \(events) events, \(coveragePeriods) coverage periods → \(transactions) postings in "
                + "\(String(format: "%.2f", seconds)) s (\(rate) events/s)"
        }
    }

    /// Times one settlement of `workload` (pass `posted` to time a re-run).
    public static func measure(_ workload: Workload, posted: [LedgerTransaction] = []) -> (measurement: Measurement, result: SettlementResult) {
        let clock = ContinuousClock()
        var result = SettlementResult(asOf: workload.asOf)
        let elapsed = clock.measure {
            result = Settlement.run(
                contracts: workload.contracts, treatedPatients: workload.treatedPatients, coverage: workload.coverage,
                outcomes: workload.outcomes, asOf: workload.asOf, posted: posted
            )
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (
            Measurement(
                patients: workload.treatedPatients.count, events: workload.outcomes.count, coveragePeriods: workload.coverage.count,
                transactions: result.transactions.count, seconds: seconds
            ),
            result
        )
    }

    /// Times one settlement of `workload` split across `concurrency` tasks.
    public static func measure(_ workload: Workload, posted: [LedgerTransaction] = [], concurrency: Int) async
        -> (measurement: Measurement, result: SettlementResult)
    {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await Settlement.run(
            contracts: workload.contracts, treatedPatients: workload.treatedPatients, coverage: workload.coverage,
            outcomes: workload.outcomes, asOf: workload.asOf, posted: posted, concurrency: concurrency
        )
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (
            Measurement(
                patients: workload.treatedPatients.count, events: workload.outcomes.count, coveragePeriods: workload.coverage.count,
                transactions: result.transactions.count, seconds: seconds
            ),
            result
        )
    }

    /// Times a settlement of `workload` in batches of `batchSize` patients, the way storage
    /// settles a large book: each batch's patients, coverage and events are handed to the
    /// engine and its postings counted and let go, so memory stays bounded by the batch.
    public static func measure(_ workload: Workload, batchSize: Int, concurrency: Int = 1) async -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        var transactions = 0
        var low = 0
        while low < workload.treatedPatients.count {
            let high = min(workload.treatedPatients.count, low + batchSize)
            let patients = Array(workload.treatedPatients[low..<high])
            let coverage = Array(workload.coverage[workload.coverageStart[low]..<workload.coverageStart[high]])
            let outcomes = Array(workload.outcomes[workload.eventStart[low]..<workload.eventStart[high]])
            let result = concurrency > 1
                ? await Settlement.run(
                    contracts: workload.contracts, treatedPatients: patients, coverage: coverage, outcomes: outcomes, asOf: workload.asOf,
                    concurrency: concurrency
                )
                : Settlement.run(contracts: workload.contracts, treatedPatients: patients, coverage: coverage, outcomes: outcomes, asOf: workload.asOf)
            transactions += result.transactions.count
            low = high
        }
        let elapsed = clock.now - start
        return Measurement(
            patients: workload.treatedPatients.count, events: workload.outcomes.count, coveragePeriods: workload.coverage.count,
            transactions: transactions, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }

    /// Builds a workload of `patients` treated patients.
    public static func workload(patients count: Int, seed: UInt64 = 0x5EED) -> Workload {
        var random = SeededGenerator(seed: seed)
        let contracts = benchmarkContracts()
        let payers = (1...20).map { PayerID("pay-\($0)") }
        let start = CalendarDate(year: 2026, month: 1, day: 1)!
        let asOf = CalendarDate(year: 2031, month: 1, day: 1)!
        var patients: [TreatedPatient] = []
        var coverage: [CoveragePeriod] = []
        var events: [OutcomeEvent] = []
        patients.reserveCapacity(count)
        events.reserveCapacity(count * 11)
        coverage.reserveCapacity(count * 2)
        var coverageStart: [Int] = []
        var eventStart: [Int] = []
        for index in 0..<count {
            coverageStart.append(coverage.count)
            eventStart.append(events.count)
            let patient = PatientID("p\(index)")
            let terms = contracts[index % contracts.count]
            let infusion = start.adding(days: Int(random.next() % 730))
            var payer = payers[Int(random.next() % UInt64(payers.count))]
            patients.append(TreatedPatient(patientID: patient, productID: terms.product, infusionDate: infusion, contractID: terms.id, payingPayer: payer))
            // Two payer changes per ten patients a year.
            var periodStart = CalendarDate(year: 2025, month: 1, day: 1)!
            for year in 2026...2030 where random.next() % 10 < 2 {
                let change = CalendarDate(year: year, month: 1, day: 1)!.adding(days: Int(random.next() % 365))
                coverage.append(CoveragePeriod(
                    id: CoveragePeriodID("c\(index)-\(year)"), patientID: patient, payerID: payer, planID: "plan", memberID: "m",
                    start: periodStart, end: change.adding(days: -1)
                ))
                periodStart = change
                payer = payers[Int(random.next() % UInt64(payers.count))]
            }
            coverage.append(CoveragePeriod(
                id: CoveragePeriodID("c\(index)-open"), patientID: patient, payerID: payer, planID: "plan", memberID: "m", start: periodStart, end: nil
            ))
            appendEvents(for: patient, kind: index % contracts.count, infusion: infusion, until: asOf, random: &random, into: &events)
        }
        coverageStart.append(coverage.count)
        eventStart.append(events.count)
        return Workload(
            contracts: contracts, treatedPatients: patients, coverage: coverage, outcomes: events, asOf: asOf, coverageStart: coverageStart,
            eventStart: eventStart
        )
    }

    private static func appendEvents(
        for patient: PatientID, kind: Int, infusion: CalendarDate, until end: CalendarDate, random: inout SeededGenerator,
        into events: inout [OutcomeEvent]
    ) {
        var number = 0
        func add(_ date: CalendarDate, _ kind: OutcomeKind, value: String? = nil, late: Bool = false) {
            guard date <= end else { return }
            number += 1
            let recorded = late ? min(end, date.adding(days: 200)) : date
            events.append(OutcomeEvent(
                id: OutcomeEventID("\(patient)-\(number)"), patientID: patient, date: date, kind: kind, value: value, source: "bench",
                recordedOn: recorded
            ))
        }
        // One in fifty patients dies, at a random point in five years.
        let death: CalendarDate? = random.next() % 50 == 0 ? infusion.adding(days: Int(random.next() % 1825)) : nil
        let horizon = min(end, death ?? end)
        switch kind {
        case 0, 1:  // transfusion independence: transfusions every two months for a while, then labs every six months
            let months = Int(random.next() % 24)
            for month in stride(from: 1, through: months, by: 2) { add(infusion.adding(months: month), .transfusion) }
            for half in 1...8 {
                add(infusion.adding(months: 6 * half), .labValue(test: "hemoglobin", value: ExactDecimal(significand: 105, scale: 1), unit: "g/dL"))
            }
        case 6, 7, 8:  // sickle cell: visits every six months, some vaso-occlusive hospitalizations
            for half in 1...10 { add(infusion.adding(months: 6 * half), .responseAssessment, value: "complete") }
            for _ in 0..<Int(random.next() % 3) where random.next() % 3 == 0 {
                add(infusion.adding(days: 1 + Int(random.next() % 1500)), .hospitalization(reason: "vaso-occlusive-event"), late: random.next() % 10 == 0)
            }
        default:  // response: assessments every six months, some losses of response
            for half in 1...10 { add(infusion.adding(months: 6 * half), .responseAssessment, value: "complete") }
            if random.next() % 8 == 0 { add(infusion.adding(days: 200 + Int(random.next() % 1200)), .subsequentTherapy, late: random.next() % 4 == 0) }
        }
        if let death, death <= horizon { add(death, .death) }
    }

    /// Ten contracts: the five worked kinds, each under two portability rules.
    static func benchmarkContracts() -> [ContractTerms] {
        let parties = ContractParties(manufacturer: "mfr-bench", mediator: "curepath")
        let from = EffectivePeriod(from: CalendarDate(year: 2025, month: 1, day: 1)!)
        func contract(_ id: String, _ product: String, _ price: Int64, _ rule: Portability.Rule, payment: PaymentSchedule = PaymentSchedule(),
            measures: [OutcomeMeasure], consequences: [Consequence] = [], reserve: WarrantyReserve? = nil) -> ContractTerms
        {
            ContractTerms(
                id: ContractID(id), parties: parties, product: ProductID(product), unitPrice: Money(dollars: price), effective: from,
                payment: payment, measures: measures, consequences: consequences, reserve: reserve,
                fee: MediatorFee(basis: .basisPoints(25)), portability: Portability(rule: rule, benefitYears: 5)
            )
        }
        let ti = OutcomeMeasure(id: "ti", kind: .transfusionIndependence(forMonths: 12), window: .months(24), graceDays: 60, missingData: .assumeNotMet)
        let durable = OutcomeMeasure(id: "durable", kind: .responseMaintained(responses: ["complete", "partial"]), window: .months(48), graceDays: 30, missingData: .escalate)
        let motor = OutcomeMeasure(id: "motor", kind: .responseMaintained(responses: ["complete"]), window: .months(60), graceDays: 30, missingData: .escalate)
        let voe18 = OutcomeMeasure(id: "voe18", kind: .noHospitalization(reason: "vaso-occlusive-event"), window: .months(18), graceDays: 45, missingData: .assumeMet)
        let voe36 = OutcomeMeasure(id: "voe36", kind: .noHospitalization(reason: "vaso-occlusive-event"), window: .months(36), graceDays: 30, missingData: .assumeMet)
        let refund = Consequence(id: "refund", measure: "ti", when: .notMet, action: .refund(.share(Share(percent: 80))))
        let warranty = Consequence(id: "warranty", measure: "durable", when: .notMet, action: .proRatedRefund(share: .whole, overMonths: 48))
        let annuity = PaymentSchedule(upfront: .zero, installments: InstallmentPlan(count: 5, intervalMonths: 12, firstDueMonths: 0, stopWhen: [.death, .measureNotMet("motor")]))
        let remainder = PaymentSchedule(upfront: Share(percent: 50), installments: InstallmentPlan(count: 1, intervalMonths: 18, payableIf: ["voe18"]))
        let tiers = [(0, 12, 7_500), (12, 24, 6_250), (24, 36, 5_000)].map { from, to, points in
            Consequence(id: ConsequenceID("tier-\(from)"), measure: "voe36", when: .notMet, failedWithinMonths: MonthRange(from: from, to: to),
                tier: "months-\(from)-\(to)", action: .rebate(.share(Share(basisPoints: points))))
        }
        return [
            contract("ti-stays", "prd-ti", 2_800_000, .staysWithPayingPayer, measures: [ti], consequences: [refund]),
            contract("ti-follows", "prd-ti", 2_800_000, .followsCurrentPayer, measures: [ti], consequences: [refund]),
            contract("warranty-follows", "prd-hb", 3_500_000, .followsCurrentPayer, measures: [durable], consequences: [warranty],
                reserve: WarrantyReserve(share: Share(percent: 20), releaseAfterMonths: 49)),
            contract("warranty-pool", "prd-hb", 3_500_000, .mediatorPool, measures: [durable], consequences: [warranty]),
            contract("annuity-follows", "prd-sma", 2_125_000, .followsCurrentPayer, payment: annuity, measures: [motor]),
            contract("annuity-stays", "prd-sma", 2_125_000, .staysWithPayingPayer, payment: annuity, measures: [motor]),
            contract("remainder-stays", "prd-scd", 3_100_000, .staysWithPayingPayer, payment: remainder, measures: [voe18]),
            contract("remainder-pool", "prd-scd", 3_100_000, .mediatorPool, payment: remainder, measures: [voe18]),
            contract("tiers-stays", "prd-scd2", 2_000_000, .staysWithPayingPayer, measures: [voe36], consequences: tiers),
            contract("response-follows", "prd-cart", 475_000, .followsCurrentPayer, measures: [durable], consequences: [warranty]),
        ]
    }
}
