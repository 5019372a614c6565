import Core
import CareNetwork
import Journey

/// A synthetic but realistic network — centers, payers, products, patients, coverage and
/// cases with their journeys — for demos, tests, calibration and benchmarks.
///
/// Everything is drawn from a seed, so the same seed always gives the same network, and
/// from the published figures in the brief (see `Calibration`), so the demo's medians,
/// losses and bottlenecks look like the ones in the studies rather than like noise. Pure
/// Swift and no I/O: the server and the command line load it into storage.
///
/// ```swift
/// let demo = DemoNetwork.build()                          // 300 cases, as of 2026-11-23
/// let bench = DemoNetwork.build(caseCount: 100_000)       // ≈1.3 million events
/// ```
public struct DemoNetwork: Hashable, Sendable {
    public var seed: UInt64
    /// The day the network is seen from: no event is later.
    public var today: CalendarDate
    public var centers: [Center]
    public var payers: [Payer]
    public var plans: [Plan]
    public var products: [Product]
    /// One patient per case, in case order.
    public var patients: [Patient]
    /// Kept apart from `patients`, as the registry keeps them.
    public var personalIdentifiers: [PersonalIdentifiers]
    public var coveragePeriods: [CoveragePeriod]
    /// In referral order; `case-00001` is the earliest.
    public var cases: [DemoCase]

    public static let defaultSeed: UInt64 = 2026
    public static let defaultToday = CalendarDate(year: 2026, month: 11, day: 23)!
    /// Referral dates spread over the two years up to `today`, so older cases have ended and
    /// recent ones are still open.
    public static let referralWindowDays = 730

    /// The reference data, for lookups by identifier.
    public var directory: Directory {
        Directory(centers: centers, payers: payers, plans: plans, products: products)
    }

    /// All events of all cases.
    public var eventCount: Int { cases.reduce(0) { $0 + $1.events.count } }

    /// Builds the network.
    ///
    /// - Parameters:
    ///   - seed: the same seed gives the same network, on any machine.
    ///   - caseCount: cases (and patients) to generate; linear in time and memory, about
    ///     thirteen events per case.
    ///   - today: the last day events may fall on; referrals spread over the two years before.
    public static func build(seed: UInt64 = defaultSeed, caseCount: Int = 300, today: CalendarDate = defaultToday) -> DemoNetwork {
        precondition(caseCount >= 0, "caseCount must not be negative")
        let centers = DemoCenter.all
        let payers = DemoPayer.all
        let products = DemoProduct.all
        let root = SeededGenerator(seed: seed)
        var setup = root.derived(0)

        let windowStart = today.adding(days: -(referralWindowDays - 1))
        var offsets = (0..<caseCount).map { _ in setup.integer(in: 0...(referralWindowDays - 1)) }
        offsets.sort()
        var agreements = AgreementHistory(
            centerCount: centers.count, payerCount: payers.count, priorShare: Calibration.priorAgreementShare,
            before: windowStart, rng: &setup
        )

        let productWeights = products.map(\.referralShare)
        let allCenters = Array(centers.indices)
        let geneTherapyCenters = centers.indices.filter { centers[$0].givesGeneTherapy }
        let allCenterWeights = allCenters.map { centers[$0].volume }
        let geneTherapyCenterWeights = geneTherapyCenters.map { centers[$0].volume }
        let ranks = (carT: StageRanks(.carT), geneTherapy: StageRanks(.geneTherapy))

        var network = DemoNetwork(
            seed: seed, today: today, centers: centers.map(\.center), payers: payers.map(\.payer),
            plans: payers.flatMap(\.plans), products: products.map(\.product), patients: [], personalIdentifiers: [],
            coveragePeriods: [], cases: []
        )
        network.patients.reserveCapacity(caseCount)
        network.personalIdentifiers.reserveCapacity(caseCount)
        network.coveragePeriods.reserveCapacity(caseCount + caseCount / 8)
        network.cases.reserveCapacity(caseCount)

        for (index, offset) in offsets.enumerated() {
            // Each case draws from its own stream, so changing how one case is drawn does not
            // reshuffle every later case.
            var rng = root.derived(UInt64(index) + 1)
            let number = padded(index + 1, width: 5)
            let referralDate = windowStart.adding(days: offset)
            let product = products[rng.weightedIndex(productWeights)]
            let centerIndex = product.isGeneTherapy
                ? geneTherapyCenters[rng.weightedIndex(geneTherapyCenterWeights)]
                : allCenters[rng.weightedIndex(allCenterWeights)]
            let age = product.ages.draw(&rng)
            let coverage = CoverageHistory.choose(
                age: age, product: product, centerIndex: centerIndex, centers: centers, rng: &rng
            )
            let person = SyntheticPerson.make(
                number: number, age: age, geneTherapy: product.isGeneTherapy,
                home: centers[coverage.homeCenterIndex], referralDate: referralDate, rng: &rng
            )
            let payer = payers[coverage.payerIndex]
            let record = Case(
                id: CaseID("case-\(number)"), patientID: person.patient.id, productID: product.product.id,
                centerID: centers[centerIndex].center.id, payerID: payer.payer.id,
                templateID: product.product.journeyTemplate, referralDate: referralDate
            )
            let outcome = CaseTimeline.generate(
                CaseScenario(
                    referralDate: referralDate, product: product, center: centers[centerIndex], centerIndex: centerIndex,
                    payer: payer, payerIndex: coverage.payerIndex, treatedOutOfState: coverage.treatedOutOfState
                ),
                caseNumber: number, today: today, agreements: agreements,
                ranks: product.isGeneTherapy ? ranks.geneTherapy : ranks.carT, rng: &rng
            )
            if let signed = outcome.agreementSignedOn {
                agreements.record(center: centerIndex, payer: coverage.payerIndex, signedOn: signed)
            }
            network.patients.append(person.patient)
            network.personalIdentifiers.append(person.identifiers)
            network.coveragePeriods.append(
                contentsOf: coverage.periods(
                    patient: person.patient.id, number: number, birthDate: person.identifiers.birthDate,
                    age: person.ageAtReferral, referralDate: referralDate, today: today, rng: &rng
                )
            )
            network.cases.append(DemoCase(record: record, events: outcome.events))
        }
        return network
    }
}
