import Core
import Coverage
import Foundation
import Linkage
import Logging

/// Everything the edges need from storage, opened and migrated in one call: the database
/// handle and a repository for each kind of data. Tests build one over in-memory SQLite or
/// a throwaway PostgreSQL schema; the server and the CLI over the configured database.
public struct Store: Sendable {
    public let database: Database
    public let reference: any ReferenceRepository
    public let cases: any CaseRepository
    public let custody: any CustodyRepository
    public let audit: any AuditRepository
    public let identities: any IdentityRepository
    public let outcomes: any OutcomeRepository
    public let contracts: any ContractRepository
    public let ledger: any LedgerRepository
    public let criteria: any CriteriaRepository
    public let clinicalFacts: any ClinicalFactsRepository
    public let priorAuthorizations: any PriorAuthorizationRepository
    public let agreements: any AgreementRepository
    /// Who registered, was referred, treats and covers each patient: the grounds of every patient read.
    public let relationships: any PatientRelationshipRepository
    /// Source records linked to registry patients by token or CLK.
    public let linkage: SQLLinkageRepository
    /// Filed journey templates, and the one resolver of a template reference (shipped or filed).
    public let journeyTemplates: any JourneyTemplateRepository
    public let proposals: SQLContractProposalRepository
    /// The decision-clock policy per plan type that prior-authorization requests run on.
    public let decisionClocks: DecisionClocks

    /// The keys personal identifiers are sealed with.
    public let identityKeys: IdentityKeyring
    /// The audit key and the heads of the audit and custody chains and of the ledger, kept outside the database.
    public let checkpoint: HeadCheckpoint

    public init(
        database: Database, identityKeys: IdentityKeyring = .development, decisionClocks: DecisionClocks = .cmsDefaults,
        linkageKeys: LinkageKeys = .development, checkpoint: HeadCheckpoint? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let checkpoint = checkpoint ?? HeadCheckpoint(path: nil, keys: .development, logger: database.logger)
        self.checkpoint = checkpoint
        self.database = database
        self.decisionClocks = decisionClocks
        self.identityKeys = identityKeys
        reference = SQLReferenceRepository(database: database, identityKeys: identityKeys)
        cases = SQLCaseRepository(database: database, now: now)
        custody = SQLCustodyRepository(database: database, checkpoint: checkpoint)
        audit = SQLAuditRepository(database: database, checkpoint: checkpoint)
        identities = SQLIdentityRepository(database: database)
        outcomes = SQLOutcomeRepository(database: database)
        contracts = SQLContractRepository(database: database)
        ledger = SQLLedgerRepository(database: database, checkpoint: checkpoint)
        criteria = SQLCriteriaRepository(database: database)
        clinicalFacts = SQLClinicalFactsRepository(database: database, now: now)
        priorAuthorizations = SQLPriorAuthorizationRepository(database: database, clocks: decisionClocks)
        agreements = SQLAgreementRepository(database: database)
        relationships = SQLPatientRelationshipRepository(database: database, now: now)
        linkage = SQLLinkageRepository(database: database, identityKeys: identityKeys, keys: linkageKeys, auditKeys: checkpoint.keys, now: now)
        journeyTemplates = SQLJourneyTemplateRepository(database: database)
        proposals = SQLContractProposalRepository(database: database, now: now)
    }

    /// Opens the database at `location` and applies any pending migrations. The heads of the
    /// audit and custody chains are checkpointed at `headsPath`, by default beside a SQLite
    /// file (``HeadCheckpoint/defaultPath(for:)``).
    public static func open(
        _ location: DatabaseLocation, identityKeys: IdentityKeyring = .development, decisionClocks: DecisionClocks = .cmsDefaults,
        linkageKeys: LinkageKeys = .development, auditKeys: ChainKeys = .development, headsPath: String? = nil,
        logger: Logger = Logger(label: "curepath.storage")
    ) async throws -> Store {
        let database = try await Database.open(location, logger: logger)
        do {
            try await Migrator.migrate(database, identityKeys: identityKeys)
        } catch {
            await database.close()
            throw error
        }
        let checkpoint = HeadCheckpoint(path: headsPath ?? HeadCheckpoint.defaultPath(for: location), keys: auditKeys, logger: logger)
        return Store(database: database, identityKeys: identityKeys, decisionClocks: decisionClocks, linkageKeys: linkageKeys, checkpoint: checkpoint)
    }

    public func close() async { await database.close() }
}
