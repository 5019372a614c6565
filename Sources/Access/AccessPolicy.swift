import CareNetwork
import Core

/// Which cases a principal may see.
public enum CaseScope: Hashable, Sendable {
    /// Every case (the mediator).
    case all
    /// The cases at one center.
    case center(CenterID)
    /// The cases of patients who have or had coverage with one payer.
    case payer(PayerID)
    /// None: aggregates only.
    case none
}

/// The answer to "may this principal do this?".
public enum Decision: Hashable, Sendable {
    case allow
    case deny(reason: String)

    public var isAllowed: Bool { self == .allow }
}

/// Who may do what, as three composed rules, all of which must allow:
///
/// 1. **role** — the actions a role exists for (identifiers are read by identity stewards and
///    by the center and payer of the patient's own case or coverage, never by the mediator's
///    operators or manufacturers; only compliance officers read the audit log; manufacturers
///    read aggregates; policy analysts read only aggregates and reference data);
/// 2. **organization** — a role only makes sense in its kind of organization (a payer
///    reviewer must belong to a payer), and the organization decides which cases are in
///    scope (``caseScope(of:)``);
/// 3. **token** — an API token's scopes narrow its user's rights.
///
/// The server asks this once per request, for both the API and the pages, and filters
/// case data by the scope; nothing else decides access.
public enum AccessPolicy {
    /// The actions each role exists for.
    public static let roleActions: [Role: Set<Action>] = [
        .centerCoordinator: [
            .readReference, .readCases, .writeCases, .readPatients, .writePatients, .readMetrics, .readOutcomes, .writeOutcomes, .readStatements,
            .readClinicalFacts, .writeClinicalFacts, .readPriorAuthorizations, .writePriorAuthorizations, .readAgreements, .writeAgreements,
            .linkRecords, .readIdentifiers,
        ],
        .payerReviewer: [
            .readReference, .readCases, .readPatients, .readMetrics, .readOutcomes, .readContracts, .readStatements,
            .writeCriteria, .readClinicalFacts, .readPriorAuthorizations, .writePriorAuthorizations, .readAgreements, .writeAgreements,
            .readIdentifiers, .recordPayments,
        ],
        .manufacturerAnalyst: [.readReference, .readMetrics, .readContracts, .readStatements, .proposeContracts],
        .mediatorOperator: [
            .readReference, .readCases, .readPatients, .readMetrics, .readOutcomes, .writeOutcomes,
            .readContracts, .writeContracts, .settle, .readLedger, .readStatements,
            .writeCriteria, .readClinicalFacts, .writeClinicalFacts, .readPriorAuthorizations, .writePriorAuthorizations,
            .readAgreements, .writeAgreements, .writeAgreementTerms, .linkRecords, .writeReference, .reviewLinks, .recordPayments,
        ],
        .identitySteward: [.readReference, .readPatients, .writePatients, .readIdentifiers, .readOutcomes, .writeOutcomes, .linkRecords, .readMetrics, .reviewLinks],
        .complianceOfficer: [.readReference, .readAudit],
        .policyAnalyst: [.readReference, .readMetrics],
    ]

    /// The organization kinds each role may belong to.
    public static let roleOrganizations: [Role: Set<OrganizationKind>] = [
        .centerCoordinator: [.center],
        .payerReviewer: [.payer],
        .manufacturerAnalyst: [.manufacturer],
        .mediatorOperator: [.mediator],
        .identitySteward: [.registry, .mediator],
        .complianceOfficer: [.mediator, .center, .payer, .manufacturer, .registry],
        .policyAnalyst: [.policy],
    ]

    public static func decide(_ principal: Principal, _ action: Action) -> Decision {
        guard roleOrganizations[principal.role, default: []].contains(principal.organization.kind) else {
            return .deny(reason: "a \(principal.role.rawValue) cannot act for a \(principal.organization.kind.rawValue) organization")
        }
        guard roleActions[principal.role, default: []].contains(action) else {
            return .deny(reason: "the \(principal.role.rawValue) role does not include \(action.rawValue)")
        }
        if let scopes = principal.tokenScopes, !scopes.contains(action) {
            return .deny(reason: "the API token is not scoped for \(action.rawValue)")
        }
        return .allow
    }

    /// The cases the principal's organization may see.
    public static func caseScope(of principal: Principal) -> CaseScope {
        switch principal.organization.kind {
        case .mediator: return .all
        case .center: return principal.organization.centerID.map(CaseScope.center) ?? .none
        case .payer: return principal.organization.payerID.map(CaseScope.payer) ?? .none
        case .manufacturer, .registry, .policy: return .none
        }
    }

    /// Whose registry record — follow-up due lists, completeness, data-entry burden — the
    /// principal's organization sees: the organizations that keep the shared record (the
    /// mediator and the registry) every center's, a center its own, nobody else any. Wider
    /// than ``caseScope(of:)`` for the registry, whose stewards keep that record but read no
    /// case.
    public static func registryScope(of principal: Principal) -> CaseScope {
        switch principal.organization.kind {
        case .mediator, .registry: return .all
        case .center: return principal.organization.centerID.map(CaseScope.center) ?? .none
        case .payer, .manufacturer, .policy: return .none
        }
    }

    /// Whether a case (at `center`, for a patient with these coverage periods' payers) is
    /// within `scope`.
    public static func scope(_ scope: CaseScope, includesCaseAt center: CenterID, payers: Set<PayerID>) -> Bool {
        switch scope {
        case .all: return true
        case .center(let id): return id == center
        case .payer(let id): return payers.contains(id)
        case .none: return false
        }
    }
}
