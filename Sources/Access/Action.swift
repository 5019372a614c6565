/// Something a principal asks to do. Every API operation and page maps to exactly one.
public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
    /// Centers, payers, plans, products, journey templates.
    case readReference = "read-reference"
    /// Adding and changing centers, payers, plans, products, list prices and journey templates,
    /// for every organization to use (the mediator's operators).
    case writeReference = "write-reference"
    /// Case lists, case details, journey events and custody logs.
    case readCases = "read-cases"
    /// Opening cases, recording events and custody entries.
    case writeCases = "write-cases"
    /// Registering patients and coverage; referring a patient to another center.
    case writePatients = "write-patients"
    /// Patients without identifiers, and their coverage periods.
    case readPatients = "read-patients"
    /// Network metrics (aggregates).
    case readMetrics = "read-metrics"
    /// Names, birth dates, addresses: protected health information.
    case readIdentifiers = "read-identifiers"
    /// The audit log.
    case readAudit = "read-audit"
    /// Outcome events of the patients the caller may see.
    case readOutcomes = "read-outcomes"
    /// Recording outcome events (a center: for its own cases' patients).
    case writeOutcomes = "write-outcomes"
    /// Contracts the caller's organization is party to (the mediator: all).
    case readContracts = "read-contracts"
    /// Filing contract versions and enrolling treated patients under them.
    case writeContracts = "write-contracts"
    /// Running a settlement, which posts to the ledger.
    case settle
    /// The whole ledger: trial balance, settlement runs, enrollments.
    case readLedger = "read-ledger"
    /// One party's own statement, and the net prices of its contracts' units.
    case readStatements = "read-statements"
    /// Filing criteria sets: a payer its own, the mediator regional standards.
    case writeCriteria = "write-criteria"
    /// Clinical facts and criteria evaluations of the patients the caller may see.
    case readClinicalFacts = "read-clinical-facts"
    /// Entering or importing clinical facts (a center: for its own patients).
    case writeClinicalFacts = "write-clinical-facts"
    /// PA requests and the work queue: a center its own, a payer those addressed to it.
    case readPriorAuthorizations = "read-prior-authorizations"
    /// Filing and moving PA requests: the center files, answers and appeals; the payer decides.
    case writePriorAuthorizations = "write-prior-authorizations"
    /// Single-case agreements between the caller's organization and the other side; the term library and templates.
    case readAgreements = "read-agreements"
    /// Drafting, negotiating, accepting and signing agreements; a center's own templates.
    case writeAgreements = "write-agreements"
    /// The shared term library (the mediator's).
    case writeAgreementTerms = "write-agreement-terms"
    /// Linking the caller's own records to registry patients by token or CLK.
    case linkRecords = "link-records"
    /// Deciding what linkage could not: accepting a candidate of an ambiguous or near-miss
    /// record, or rejecting them all (stewards and the mediator's operators, never a source).
    case reviewLinks = "review-links"
    /// Proposing a contract version for the mediator to file (a manufacturer, for contracts it
    /// is the manufacturer party of).
    case proposeContracts = "propose-contracts"
    /// Recording payments the caller's organization made against the postings they settle
    /// (the mediator: any party's), by request, remittance file or page.
    case recordPayments = "record-payments"
}
