import Access
import CareNetwork
import Contracts
import Core
import Coverage
import Criteria
import Foundation
import Journey
import Outcomes
import SQLKit

/// A whole network to load at once — reference data, patients, cases with their events and
/// custody logs — as the demo loader and migrations from another system need it.
public struct NetworkImport: Sendable {
    public var directory: Directory
    public var patients: [Patient]
    public var identifiers: [PersonalIdentifiers]
    public var coverage: [CoveragePeriod]
    public var cases: [(record: Case, events: [JourneyEvent])]
    public var custody: [(caseID: CaseID, records: [CustodyRecord])]
    public var organizations: [Organization]
    /// Users with their bcrypt password hashes.
    public var users: [(user: User, passwordHash: String)]
    /// Contract versions with the files they were read from.
    public var contracts: [(terms: ContractTerms, document: String)] = []
    public var treatedPatients: [TreatedPatient] = []
    public var outcomes: [OutcomeEvent] = []
    /// A settlement already computed over the rest (the demo settles as of its today).
    public var settlement: (transactions: [LedgerTransaction], run: SettlementRun)?
    /// Criteria set versions with the files they were read from.
    public var criteriaSets: [(set: CriteriaSet, document: String)] = []
    public var clinicalFacts: [ClinicalFacts] = []
    /// Requests with their transitions applied; their journey events are among `cases`' events.
    public var priorAuthorizations: [PriorAuthorization] = []
    /// Agreements with every version; their journey events are among `cases`' events.
    public var agreements: [Agreement] = []

    public init(
        directory: Directory, patients: [Patient], identifiers: [PersonalIdentifiers], coverage: [CoveragePeriod],
        cases: [(record: Case, events: [JourneyEvent])], custody: [(caseID: CaseID, records: [CustodyRecord])],
        organizations: [Organization] = [], users: [(user: User, passwordHash: String)] = []
    ) {
        self.organizations = organizations
        self.users = users
        self.directory = directory
        self.patients = patients
        self.identifiers = identifiers
        self.coverage = coverage
        self.cases = cases
        self.custody = custody
    }
}

extension Store {
    /// Validates everything, then writes it in ONE transaction: if the process dies or any
    /// statement fails part-way, the database holds none of it and the import can simply be
    /// run again. `progress` is called with the cases written so far.
    public func importNetwork(_ network: NetworkImport, now: Date = Date(), progress: (@Sendable (Int) -> Void)? = nil) async throws {
        let cases = try SQLCaseRepository.prepareImport(network.cases, templates: try await journeyTemplates.catalog())
        let custody = try SQLCustodyRepository.prepareChains(network.custody).map { HashChain.signed($0, with: checkpoint.keys) }
        for organization in network.organizations { _ = try organization.validated() }
        for event in network.outcomes { _ = try event.validated() }
        let keys = checkpoint.keys
        let ledgerHeads = try await database.transaction { db in
            try await SQLReferenceRepository.insert(network.directory, into: db)
            try await SQLReferenceRepository.insert(
                patients: network.patients, identifiers: network.identifiers, coverage: network.coverage, keys: identityKeys, into: db
            )
            try await SQLCaseRepository.write(cases, recordedAt: now, into: db, progress: progress)
            try await SQLCustodyRepository.write(custody, into: db)
            try await SQLIdentityRepository.write(network.organizations, network.users, into: db)
            try await SQLContractRepository.write(network.contracts, network.treatedPatients, into: db)
            try await insertChunked(db, into: "outcome_events", columns: SQLOutcomeRepository.columns, items: network.outcomes, row: SQLOutcomeRepository.row)
            var ledgerHeads: (LedgerHead, LedgerHead)?
            if let settlement = network.settlement {
                // Computed by the engine over exactly the inputs written above: recording what
                // it read lets `ledger verify` replay it (``LedgerVerifier``).
                let before = try await LedgerHead.read(in: db, keys: keys)
                try await SQLLedgerRepository.write(settlement.transactions, runID: settlement.run.id, into: db)
                try await SQLLedgerRepository.write(settlement.run, inputs: try await SettlementService.inputs(in: db), into: db)
                ledgerHeads = (before, try await LedgerHead.read(in: db, keys: keys))
            }
            try await SQLCriteriaRepository.write(network.criteriaSets, into: db)
            try await SQLClinicalFactsRepository.write(network.clinicalFacts, recordedAt: now, into: db)
            try await SQLPriorAuthorizationRepository.write(network.priorAuthorizations, into: db)
            try await SQLAgreementRepository.write(network.agreements, into: db)
            return ledgerHeads
        }
        await SQLCustodyRepository(database: database, checkpoint: checkpoint).recordHeads(of: custody)
        if let (before, after) = ledgerHeads { await checkpoint.advanceLedger(from: before, to: after, reading: database) }
    }
}
