import Core
import CareNetwork
import Outcomes

/// The settlement engine: evaluates every contract for every treated patient as of a date
/// and returns the ledger postings needed to make the ledger say what the contracts say.
///
/// Pure: the same inputs give the same postings with the same keys, on any machine, any
/// number of times. Pass what the ledger already holds for these patients (`posted`) and the
/// result is only what is missing — nothing on a re-run, a reversal and a replacement when a
/// late or corrected outcome changed a result. With an empty ledger it is the full set of
/// postings that should exist as of the date. Work is grouped by patient, so the cost grows
/// with the number of events, and storage may settle patients in batches.
public enum Settlement {
    /// New postings only; see ``run(contracts:treatedPatients:coverage:outcomes:asOf:posted:)``
    /// for measure results, unit net prices and flags.
    public static func evaluate(
        contracts: [ContractTerms], treatedPatients: [TreatedPatient], coverage: [CoveragePeriod] = [], outcomes: [OutcomeEvent],
        asOf: CalendarDate, posted: [LedgerTransaction] = []
    ) -> [LedgerTransaction] {
        run(contracts: contracts, treatedPatients: treatedPatients, coverage: coverage, outcomes: outcomes, asOf: asOf, posted: posted)
            .transactions
    }

    /// Settles as of `asOf`.
    /// - Parameters:
    ///   - contracts: every version of every contract the patients refer to.
    ///   - coverage: the patients' coverage periods (others are ignored).
    ///   - outcomes: the patients' outcome events, corrections included; events recorded after
    ///     `asOf` are ignored, so settling a past date sees what was known then.
    ///   - posted: the settlement postings already in the ledger for these patients' contracts;
    ///     postings for other patients are ignored, never reversed.
    public static func run(
        contracts: [ContractTerms], treatedPatients: [TreatedPatient], coverage: [CoveragePeriod] = [], outcomes: [OutcomeEvent],
        asOf: CalendarDate, posted: [LedgerTransaction] = []
    ) -> SettlementResult {
        let input = Input(contracts: contracts, coverage: coverage, outcomes: outcomes, asOf: asOf, posted: posted, patients: treatedPatients.count)
        return settle(treatedPatients[...], input)
    }

    /// The same settlement, with patients split across `concurrency` tasks. Patients are
    /// independent, so the result — postings, keys and order — is exactly that of
    /// ``run(contracts:treatedPatients:coverage:outcomes:asOf:posted:)``.
    public static func run(
        contracts: [ContractTerms], treatedPatients: [TreatedPatient], coverage: [CoveragePeriod] = [], outcomes: [OutcomeEvent],
        asOf: CalendarDate, posted: [LedgerTransaction] = [], concurrency: Int
    ) async -> SettlementResult {
        let input = Input(contracts: contracts, coverage: coverage, outcomes: outcomes, asOf: asOf, posted: posted, patients: treatedPatients.count)
        let chunks = max(1, min(treatedPatients.count / 1_000, concurrency * 4))
        guard concurrency > 1, chunks > 1 else { return settle(treatedPatients[...], input) }
        let size = (treatedPatients.count + chunks - 1) / chunks
        let parts = await withTaskGroup(of: (Int, SettlementResult).self) { group in
            for chunk in 0..<chunks {
                let range = (chunk * size)..<min(treatedPatients.count, (chunk + 1) * size)
                let patients = treatedPatients[range]
                group.addTask { (chunk, settle(patients, input)) }
            }
            var parts: [(Int, SettlementResult)] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var result = SettlementResult(asOf: asOf)
        result.transactions.reserveCapacity(parts.reduce(0) { $0 + $1.transactions.count })
        for part in parts {
            result.transactions += part.transactions
            result.results += part.results
            result.units += part.units
            result.flags += part.flags
        }
        return result
    }

    /// The inputs grouped once by patient, shared read-only by every task.
    struct Input: Sendable {
        let versions: [ContractID: [ContractTerms]]
        let coverage: [CoveragePeriod]
        let coverageRuns: [PatientID: [Range<Int>]]
        let outcomes: [OutcomeEvent]
        let eventRuns: [PatientID: [Range<Int>]]
        let posted: [LedgerTransaction]
        let postedRuns: [PatientID: [Range<Int>]]
        let asOf: CalendarDate
        let hasPosted: Bool

        init(contracts: [ContractTerms], coverage: [CoveragePeriod], outcomes: [OutcomeEvent], asOf: CalendarDate, posted: [LedgerTransaction], patients: Int) {
            var versions: [ContractID: [ContractTerms]] = [:]
            for terms in contracts { versions[terms.id, default: []].append(terms) }
            for id in versions.keys { versions[id]!.sort { $0.version < $1.version } }
            self.versions = versions
            self.coverage = coverage
            coverageRuns = runs(coverage, by: \.patientID, expected: patients)
            self.outcomes = outcomes
            eventRuns = runs(outcomes, by: \.patientID, expected: patients)
            self.posted = posted
            postedRuns = runs(posted, by: { $0.key.slot?.patientID ?? "" }, expected: patients)
            self.asOf = asOf
            hasPosted = !posted.isEmpty
        }
    }

    static func settle(_ treatedPatients: ArraySlice<TreatedPatient>, _ input: Input) -> SettlementResult {
        let asOf = input.asOf
        var result = SettlementResult(asOf: asOf)
        result.transactions.reserveCapacity(input.hasPosted ? 16 : treatedPatients.count * 5)
        result.units.reserveCapacity(treatedPatients.count)
        result.results.reserveCapacity(treatedPatients.count)
        for patient in treatedPatients {
            func skip(_ kind: SettlementFlag.Kind, _ message: String) {
                result.flags.append(SettlementFlag(kind: kind, contractID: patient.contractID, patientID: patient.patientID, message: message))
            }
            guard patient.infusionDate <= asOf else { continue }
            guard let candidates = input.versions[patient.contractID], let terms = governing(candidates, infusion: patient.infusionDate) else {
                skip(.unknownContract, "contract \(patient.contractID) is not among the contracts settled")
                continue
            }
            guard terms.effective.contains(patient.infusionDate) else {
                skip(.outsideEffectivePeriod, "infusion on \(patient.infusionDate) is outside version \(terms.version)'s effective dates")
                continue
            }
            guard terms.product == patient.productID else {
                skip(.productMismatch, "contract \(terms.id) covers \(terms.product), not \(patient.productID)")
                continue
            }
            guard terms.parties.includes(patient.payingPayer) else {
                skip(.payerNotParty, "paying payer \(patient.payingPayer) is not a party to contract \(terms.id)")
                continue
            }
            var ledger: ArraySlice<LedgerTransaction> = []
            if input.hasPosted {
                ledger = slice(input.posted, input.postedRuns[patient.patientID])
                if !ledger.allSatisfy({ $0.key.slot?.contractID == patient.contractID }) {
                    ledger = ArraySlice(ledger.filter { $0.key.slot?.contractID == patient.contractID })
                }
            }
            if let latest = ledger.lazy.map(\.date).max(), latest > asOf {
                skip(.postedAfterAsOf, "the ledger holds postings dated \(latest), after \(asOf); settle forward from there")
                continue
            }
            // The patient's events as a view into the input: no copy unless corrections, events
            // recorded after the settlement date, or disorder require one.
            var events = slice(input.outcomes, input.eventRuns[patient.patientID])
            if events.contains(where: { $0.corrects != nil || $0.recordedOn > asOf }) {
                events = ArraySlice(OutcomeHistory.effective(Array(events), knownOn: asOf))
            }
            let order: (OutcomeEvent, OutcomeEvent) -> Bool = { ($0.date, $0.recordedOn, $0.id) < ($1.date, $1.recordedOn, $1.id) }
            if !events.isSorted(by: order) { events = ArraySlice(events.sorted(by: order)) }
            let plan = UnitPlan(
                terms: terms, patient: patient, coverage: slice(input.coverage, input.coverageRuns[patient.patientID]), events: events,
                asOf: asOf
            )
            Reconciliation.append(targets: plan.targets, posted: ledger, asOf: asOf, results: plan.results, to: &result.transactions)
            result.results.append(PatientResults(contractID: terms.id, contractVersion: terms.version, patientID: patient.patientID, results: plan.results))
            result.units.append(plan.unit)
            result.flags += plan.flags
        }
        return result
    }

    /// The version that governs a patient infused on `infusion`: the original, replaced by
    /// each later amendment that applies to all patients or took effect by the infusion date.
    public static func applicableVersion(_ versions: [ContractTerms], infusion: CalendarDate) -> ContractTerms? {
        governing(versions.sorted { $0.version < $1.version }, infusion: infusion)
    }

    /// ``applicableVersion(_:infusion:)`` for versions already in order.
    static func governing(_ sorted: [ContractTerms], infusion: CalendarDate) -> ContractTerms? {
        var chosen = sorted.first
        for amendment in sorted.dropFirst() where amendment.appliesTo == .allPatients || amendment.effective.from <= infusion {
            chosen = amendment
        }
        return chosen
    }

    /// Where each patient's items are. Storage reads them ordered by patient, so a patient's
    /// items are usually one run: one dictionary entry per patient, not one per item, and the
    /// items themselves are never copied.
    static func runs<Item>(_ items: [Item], by patient: (Item) -> PatientID, expected: Int) -> [PatientID: [Range<Int>]] {
        var runs: [PatientID: [Range<Int>]] = [:]
        runs.reserveCapacity(min(expected, items.count))
        var start = 0
        var current: PatientID?
        for index in items.indices {
            let id = patient(items[index])
            if id != current {
                if let current { runs[current, default: []].append(start..<index) }
                current = id
                start = index
            }
        }
        if let current { runs[current, default: []].append(start..<items.count) }
        return runs
    }

    static func slice<Item>(_ items: [Item], _ ranges: [Range<Int>]?) -> ArraySlice<Item> {
        guard let ranges else { return [] }
        return ranges.count == 1 ? items[ranges[0]] : ArraySlice(ranges.flatMap { items[$0] })
    }

}

extension RandomAccessCollection {
    /// Whether the collection is already in order: checking is cheaper than sorting.
    func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        zip(self, dropFirst()).allSatisfy { !areInIncreasingOrder($1, $0) }
    }
}

/// What a settlement produced.
public struct SettlementResult: Sendable {
    public var asOf: CalendarDate
    /// The postings to append to the ledger: grouped by patient, in date order within a patient.
    public var transactions: [LedgerTransaction] = []
    /// Every measure's result for every settled patient.
    public var results: [PatientResults] = []
    /// Each settled unit's net price position, for price reporting.
    public var units: [UnitSettlement] = []
    public var flags: [SettlementFlag] = []

    public init(asOf: CalendarDate) { self.asOf = asOf }
}

/// One patient's measure results under one contract version.
public struct PatientResults: Hashable, Sendable, Codable {
    public var contractID: ContractID
    public var contractVersion: Int
    public var patientID: PatientID
    public var results: [MeasureResult]
}
