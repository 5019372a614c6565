/// What a person does, which decides the actions they may take (their organization decides
/// on which data).
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    /// Treatment-center coordinator or financial counselor: runs the center's cases.
    case centerCoordinator = "center-coordinator"
    /// Payer utilization-management nurse or medical director: reviews its members' cases.
    case payerReviewer = "payer-reviewer"
    /// Manufacturer market access or health economics: aggregates, never patients.
    case manufacturerAnalyst = "manufacturer-analyst"
    /// Mediator operations: runs the network, sees every case (but not identifiers: documents
    /// and exports show them masked).
    case mediatorOperator = "mediator-operator"
    /// Registry data steward: reads any patient's personal identifiers (centers and payers
    /// read only their own patients').
    case identitySteward = "identity-steward"
    /// Compliance officer: reads the audit log.
    case complianceOfficer = "compliance-officer"
    /// Policy analyst: reads network-wide aggregates (journey metrics, outcomes reports) with
    /// small cells suppressed, and nothing patient-level. Belongs to a `policy` organization,
    /// which has no tie to any patient (see ``OrganizationKind/policy``).
    case policyAnalyst = "policy-analyst"
}
