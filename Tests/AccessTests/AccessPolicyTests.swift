import Access
import CareNetwork
import Core
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    static let organizations: [OrganizationKind: Organization] = [
        .center: Organization(id: "org-center", name: "Center", kind: .center, centerID: "ctr-1"),
        .payer: Organization(id: "org-payer", name: "Payer", kind: .payer, payerID: "pay-1"),
        .manufacturer: Organization(id: "org-maker", name: "Maker", kind: .manufacturer, manufacturer: "Maker Inc."),
        .mediator: Organization(id: "org-mediator", name: "Mediator", kind: .mediator),
        .registry: Organization(id: "org-registry", name: "Registry", kind: .registry),
        .policy: Organization(id: "org-policy", name: "Policy office", kind: .policy),
    ]

    /// The home organization of each role in the matrix.
    static let home: [Role: OrganizationKind] = [
        .centerCoordinator: .center, .payerReviewer: .payer, .manufacturerAnalyst: .manufacturer,
        .mediatorOperator: .mediator, .identitySteward: .registry, .complianceOfficer: .mediator, .policyAnalyst: .policy,
    ]

    /// Written out in full, so a change to the policy has to change this table too.
    static let expected: [Role: Set<Action>] = [
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

    static func principal(_ role: Role, in kind: OrganizationKind? = nil, scopes: Set<Action>? = nil) -> Principal {
        Principal(userID: "usr-1", organization: organizations[kind ?? home[role]!]!, role: role, tokenScopes: scopes)
    }

    @Test("every role × every action is allowed exactly as the table says", arguments: Role.allCases)
    func matrix(role: Role) {
        for action in Action.allCases {
            let allowed = AccessPolicy.decide(Self.principal(role), action).isAllowed
            #expect(allowed == Self.expected[role]!.contains(action), "\(role.rawValue) × \(action.rawValue)")
        }
    }

    @Test("identifiers are read by stewards and by the patient's own center and payer, never by the mediator's operators or manufacturers; only compliance officers read the audit log")
    func protectedActions() {
        for role in Role.allCases {
            #expect(AccessPolicy.decide(Self.principal(role), .readIdentifiers).isAllowed == [.identitySteward, .centerCoordinator, .payerReviewer].contains(role))
            #expect(AccessPolicy.decide(Self.principal(role), .readAudit).isAllowed == (role == .complianceOfficer))
        }
    }

    @Test("a role outside its kind of organization is denied everything")
    func wrongOrganization() {
        let reviewerAtCenter = Self.principal(.payerReviewer, in: .center)
        for action in Action.allCases { #expect(!AccessPolicy.decide(reviewerAtCenter, action).isAllowed) }
        guard case .deny(let reason) = AccessPolicy.decide(reviewerAtCenter, .readCases) else { Issue.record("allowed"); return }
        #expect(reason.contains("payer-reviewer"))
    }

    @Test("a token narrows its user's rights and never widens them")
    func tokenScopes() {
        let token = Self.principal(.centerCoordinator, scopes: [.readCases, .readAudit])
        #expect(AccessPolicy.decide(token, .readCases).isAllowed)
        #expect(!AccessPolicy.decide(token, .writeCases).isAllowed)
        #expect(!AccessPolicy.decide(token, .readAudit).isAllowed)
        // A coordinator may read identifiers, but a token not scoped for it may not.
        #expect(!AccessPolicy.decide(token, .readIdentifiers).isAllowed)
    }

    @Test("the organization decides which cases are in scope")
    func scopes() {
        #expect(AccessPolicy.caseScope(of: Self.principal(.centerCoordinator)) == .center("ctr-1"))
        #expect(AccessPolicy.caseScope(of: Self.principal(.payerReviewer)) == .payer("pay-1"))
        #expect(AccessPolicy.caseScope(of: Self.principal(.mediatorOperator)) == .all)
        #expect(AccessPolicy.caseScope(of: Self.principal(.manufacturerAnalyst)) == .none)
        #expect(AccessPolicy.caseScope(of: Self.principal(.policyAnalyst)) == .none)
        #expect(AccessPolicy.caseScope(of: Self.principal(.identitySteward)) == .none)
        // The registry keeps every center's follow-up record, though it reads no case.
        #expect(AccessPolicy.registryScope(of: Self.principal(.identitySteward)) == .all)
        #expect(AccessPolicy.registryScope(of: Self.principal(.mediatorOperator)) == .all)
        #expect(AccessPolicy.registryScope(of: Self.principal(.centerCoordinator)) == .center("ctr-1"))
        #expect(AccessPolicy.registryScope(of: Self.principal(.payerReviewer)) == .none)
        #expect(AccessPolicy.registryScope(of: Self.principal(.policyAnalyst)) == .none)
        #expect(AccessPolicy.scope(.center("ctr-1"), includesCaseAt: "ctr-1", payers: []))
        #expect(!AccessPolicy.scope(.center("ctr-1"), includesCaseAt: "ctr-2", payers: []))
        // A payer sees a case whose patient has or had its coverage, whoever paid at referral.
        #expect(AccessPolicy.scope(.payer("pay-1"), includesCaseAt: "ctr-9", payers: ["pay-2", "pay-1"]))
        #expect(!AccessPolicy.scope(.payer("pay-1"), includesCaseAt: "ctr-9", payers: ["pay-2"]))
        #expect(!AccessPolicy.scope(.none, includesCaseAt: "ctr-1", payers: ["pay-1"]))
    }

    @Test("an organization must name the party its kind requires")
    func organizationValidation() throws {
        #expect(throws: ValidationError.self) { try Organization(id: "o", name: "C", kind: .center).validated() }
        #expect(throws: ValidationError.self) { try Organization(id: "o", name: "P", kind: .payer).validated() }
        #expect(throws: ValidationError.self) { try Organization(id: "o", name: "M", kind: .manufacturer, manufacturer: "").validated() }
        #expect(try Organization(id: "o", name: "Med", kind: .mediator).validated().kind == .mediator)
    }
}
