import Access
import CareNetwork
import Contracts
import Core
import DemoNetwork
import Foundation
import Journey
import Storage

/// Puts the demo network into an empty database, so a first `curepath serve` shows a living
/// network instead of empty pages.
public enum DemoLoader {
    /// Loads the demo network (as of `today`) unless the database already has reference data.
    /// - Returns: the number of cases loaded, 0 when the database was not empty.
    @discardableResult
    public static func loadIfEmpty(
        into store: Store, today: CalendarDate, caseCount: Int = 300, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> Int {
        guard try await store.reference.directory().isEmpty else { return 0 }
        let demo = DemoNetwork.build(caseCount: caseCount, today: today)
        try await load(demo, into: store, progress: progress)
        return demo.cases.count
    }

    /// Loads a built network — reference data, patients, cases with all their events, and
    /// (unless `custody` is false) the custody log of every case that reached collection, and
    /// (unless `identities` is false) one demo user per role; and (unless `contracts` is false)
    /// the demo contracts, their treated patients and outcome events, settled as of the
    /// network's today; the demo criteria sets, clinical facts of the Yescarta patients and
    /// the prior-authorization requests read off every case's PA stage — in one transaction, so an interrupted load leaves the database empty.
    public static func load(
        _ demo: DemoNetwork, into store: Store, custody: Bool = true, identities: Bool = true, contracts: Bool = true,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws {
        let total = demo.cases.count
        var casesDone: (@Sendable (Int) -> Void)?
        if let progress { casesDone = { done in progress(done, total) } }
        let people = identities ? try DemoIdentities.make(for: demo.directory) : (organizations: [], users: [])
        var network = NetworkImport(
            directory: demo.directory, patients: demo.patients, identifiers: demo.personalIdentifiers, coverage: demo.coveragePeriods,
            cases: demo.cases.map { (record: $0.record, events: $0.events) }, custody: custody ? demo.custodyRecords() : [],
            organizations: people.organizations, users: people.users
        )
        if contracts {
            let terms = DemoContracts.terms
            let outcomes = DemoOutcomes.build(for: demo, contracts: terms)
            network.contracts = Array(zip(terms, DemoContracts.files)).map { (terms: $0.0, document: $0.1) }
            network.treatedPatients = outcomes.treatedPatients
            network.outcomes = outcomes.events
            let result = Settlement.run(
                contracts: terms, treatedPatients: outcomes.treatedPatients, coverage: demo.coveragePeriods, outcomes: outcomes.events, asOf: demo.today)
            let run = SettlementRun(
                id: "run-\(demo.today)-demo", asOf: demo.today, startedAt: Date(), transactionsPosted: result.transactions.count,
                flags: result.flags.count, requestedBy: "demo")
            network.settlement = (result.transactions, run)
        }
        network.criteriaSets = DemoCriteria.files.map { (set: $0.set, document: $0.document) }
        network.clinicalFacts = DemoClinicalFacts.build(for: demo)
        network.priorAuthorizations = DemoPriorAuthorizations.build(for: demo, clocks: store.decisionClocks)
        network.agreements = DemoAgreements.build(for: demo)
        try await store.importNetwork(network, progress: casesDone)
    }
}
