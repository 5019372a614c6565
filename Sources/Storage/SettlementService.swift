import CareNetwork
import Contracts
import Core
import Foundation
import Outcomes

/// What one settlement run did.
public struct SettlementReport: Sendable {
    public var run: SettlementRun
    /// The postings it added (none on a re-run with nothing new).
    public var posted: [LedgerTransaction]
    public var flags: [SettlementFlag]
    public var results: [PatientResults]
    public var units: [UnitSettlement]
}

/// Runs the settlement engine over what the store holds and appends what it finds missing.
///
/// Reads every contract version, treated patient, their coverage and outcome events and the
/// postings already made, asks the pure engine (``Settlement/run``) what is missing as of the
/// date, and posts exactly that in one transaction. Running it again as of the same date
/// posts nothing; a late or corrected outcome posts only the reversal and its replacement.
public struct SettlementService: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    public func settle(asOf: CalendarDate, requestedBy: String?, now: Date = Date(), progress: (@Sendable (String) -> Void)? = nil) async throws -> SettlementReport {
        progress?("reading contracts and treated patients")
        let contracts = try await store.contracts.allVersions()
        let treated = try await store.contracts.treatedPatients()
        progress?("reading coverage and outcome events")
        let coverage = try await store.reference.allCoveragePeriods()
        let outcomes = try await store.outcomes.allEvents()
        progress?("reading the ledger")
        let posted = try await store.ledger.transactions()
        progress?("settling \(treated.count) treated patients as of \(asOf)")
        let result = Settlement.run(contracts: contracts, treatedPatients: treated, coverage: coverage, outcomes: outcomes, asOf: asOf, posted: posted)
        let run = SettlementRun(
            id: "run-\(asOf)-\(UUID().uuidString.prefix(8).lowercased())", asOf: asOf, startedAt: now,
            transactionsPosted: result.transactions.count, flags: result.flags.count, requestedBy: requestedBy)
        progress?("posting \(result.transactions.count) transactions")
        try await store.ledger.post(result.transactions, run: run)
        return SettlementReport(run: run, posted: result.transactions, flags: result.flags, results: result.results, units: result.units)
    }
}
