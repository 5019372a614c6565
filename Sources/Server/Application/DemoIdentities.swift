import Access
import CareNetwork
import Core
import DemoNetwork
import Storage

/// One organization and one user per role for the demo network, so every view can be tried.
/// Their shared password is published in the README: demo data only.
public enum DemoIdentities {
    public static let password = "curepath-demo-password"

    public struct Account: Sendable {
        public var email: String
        public var role: Role
        public var organization: String
    }

    static func organizations(_ demo: Directory) -> [Organization] {
        let center = demo.centers[0]
        let payer = demo.payers.first { $0.kind == .commercial } ?? demo.payers[0]
        let maker = demo.products.first?.manufacturer ?? "Manufacturer"
        // Contracts name a manufacturer by its ledger identifier (`mfr-novartis`), so the demo
        // manufacturer's organization carries that identifier to see its contracts and statement.
        let makerID = "mfr-" + (maker.split(separator: " ").first.map { $0.lowercased() } ?? "manufacturer")
        return [
            Organization(id: "org-center", name: center.name, kind: .center, centerID: center.id),
            Organization(id: "org-payer", name: payer.name, kind: .payer, payerID: payer.id),
            Organization(id: "org-manufacturer", name: maker, kind: .manufacturer, manufacturer: makerID),
            Organization(id: "org-mediator", name: "CurePath Mediator", kind: .mediator),
            Organization(id: "org-registry", name: "Outcomes Registry", kind: .registry),
            Organization(id: "org-policy", name: "Network Policy Office", kind: .policy),
        ]
    }

    public static let accounts: [Account] = [
        Account(email: "coordinator@center.demo", role: .centerCoordinator, organization: "org-center"),
        Account(email: "reviewer@payer.demo", role: .payerReviewer, organization: "org-payer"),
        Account(email: "analyst@manufacturer.demo", role: .manufacturerAnalyst, organization: "org-manufacturer"),
        Account(email: "operator@mediator.demo", role: .mediatorOperator, organization: "org-mediator"),
        Account(email: "steward@registry.demo", role: .identitySteward, organization: "org-registry"),
        Account(email: "compliance@mediator.demo", role: .complianceOfficer, organization: "org-mediator"),
        Account(email: "analyst@policy.demo", role: .policyAnalyst, organization: "org-policy"),
    ]

    /// The demo organizations and users (with password hashes) for a network.
    public static func make(for directory: Directory, cost: UInt8 = 10) throws -> (organizations: [Organization], users: [(user: User, passwordHash: String)]) {
        let hash = try Passwords.hash(password, cost: cost)
        let users = accounts.enumerated().map { index, account in
            let name = account.email.split(separator: "@").first.map(String.init) ?? account.email
            return (
                user: User(id: UserID("usr-demo-\(index + 1)"), organizationID: OrganizationID(account.organization), email: account.email,
                           displayName: name.capitalized, role: account.role),
                passwordHash: hash
            )
        }
        return (organizations(directory), users)
    }
}
