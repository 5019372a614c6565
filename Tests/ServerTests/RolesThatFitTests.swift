import Access
import CareNetwork
import Core
import Foundation
import HummingbirdTesting
import Storage
import HTTPTypes
import Testing

/// Issue 16, "roles that fit": a policy analyst who reads network-wide aggregates and nothing
/// patient-level, and an identity steward who reaches the registry pages whose data it keeps.
@Suite("Roles that fit")
struct RolesThatFitTests {
    /// What a policy analyst exists for; every other action touches a patient, a case, a
    /// contract's parties or the audit log.
    static let aggregates: Set<Action> = [.readReference, .readMetrics]

    @Test("a policy analyst is refused every patient-level endpoint and page (403, audited) and reads reference data and aggregates")
    func policyAnalystMatrix() async throws {
        try await TestApp.run(as: .policyAnalyst) { client, store in
            let refused = AccessControlTests.endpoints.filter { !Self.aggregates.contains($0.action) }
            // The patient-level routes are all in that list: cases, patients, identifiers,
            // PA requests, agreements, statements, linkage, outcome events.
            for prefix in ["/api/v1/cases", "/api/v1/patients/", "/api/v1/prior-authorizations", "/api/v1/agreements", "/api/v1/ledger/statements",
                           "/api/v1/linkage/records", "/cases", "/patients/", "/prior-authorizations", "/agreements/", "/ledger", "/centers/", "/reports/site-burden"] {
                #expect(refused.contains { $0.uri.hasPrefix(prefix) }, "\(prefix)")
            }
            for endpoint in refused {
                let response = try await AccessControlTests.send(endpoint, client)
                #expect(response.status == .forbidden, "\(endpoint): \(response.status)")
                // The refusal names the rule, never a record (the path is the caller's own).
                #expect((response.object["detail"] as? String)?.contains("pat-") == false, "\(endpoint)")
            }
            let denied = try await store.audit.entries(AuditQuery(outcome: .denied, limit: 1000)).total
            #expect(denied == refused.count)
            for endpoint in AccessControlTests.endpoints where Self.aggregates.contains(endpoint.action) {
                let response = try await AccessControlTests.send(endpoint, client)
                // Allowed: the page or data, or — for a record the matrix names but nobody has — not found.
                let allowed: Set<HTTPResponse.Status> = endpoint.uri.contains("-nobody") ? [.ok, .seeOther, .notFound] : [.ok, .seeOther]
                #expect(allowed.contains(response.status), "\(endpoint): \(response.status)")
            }
        }
    }

    @Test("a policy analyst's journey metrics and outcomes follow the small-cell rule, as a manufacturer's do, and name no patient")
    func policyAnalystAggregates() async throws {
        try await TestApp.run(as: .policyAnalyst) { client, _ in
            let record = try #require(TestApp.demo.cases.first).record
            let oneCase = "center=\(record.centerID)&payer=\(record.payerID)&product=\(record.productID)&referredFrom=\(record.referralDate)&referredTo=\(record.referralDate)"
            let metrics = try await client.execute(uri: "/api/v1/metrics/journey?\(oneCase)", method: .get) { $0 }
            #expect(metrics.status == .ok)
            let overall = try #require(metrics.object["overall"] as? [String: Any])
            #expect(overall["suppressed"] as? Bool == true)
            #expect(overall["caseCount"] == nil)
            // Even filtered to a center of its choosing, nothing is shown in full: it has no own cases.
            let byCenter = try await client.execute(uri: "/api/v1/metrics/journey?center=\(record.centerID)", method: .get) { $0.object }
            #expect((byCenter["overall"] as? [String: Any])?["suppressed"] as? Bool == true)

            let network = try await client.execute(uri: "/network?\(oneCase)", method: .get) { $0 }
            #expect(network.status == .ok)
            #expect(network.text.contains("id=\"case-count\">&lt;11<"))
            // The header offers only what the analyst may open.
            #expect(network.text.contains("href=\"/reports/outcomes\""))
            for hidden in ["href=\"/cases\"", "href=\"/prior-authorizations\"", "href=\"/ledger\"", "href=\"/audit\"", "href=\"/reports/site-burden\""] {
                #expect(!network.text.contains(hidden), "\(hidden)")
            }
            let outcomes = try await client.execute(uri: "/reports/outcomes?center=\(TestApp.demo.centers[0].id.rawValue)&product=prd-lyfgenia", method: .get) { $0 }
            #expect(outcomes.status == .ok)
            #expect(outcomes.text.contains("id=\"patients\">&lt;11</span>"))
            #expect(!outcomes.text.contains("survival-chart"))
            for patient in TestApp.demo.patients.prefix(50) { #expect(!outcomes.text.contains(patient.id.rawValue)) }
        }
    }

    @Test("a policy analyst belongs only to a policy organization: in the mediator's it would inherit every case")
    func policyAnalystOrganization() async throws {
        try await TestApp.run(as: nil) { _, store in
            let mediator = try #require(try await store.identities.organizations().first { $0.kind == .mediator })
            let user = User(id: "usr-policy-at-mediator", organizationID: mediator.id, email: "policy@mediator.test", displayName: "Policy", role: .policyAnalyst)
            do {
                try await store.identities.insert(user, passwordHash: "x")
                Issue.record("a policy analyst was created in a mediator organization")
            } catch let error as ValidationError {
                #expect(error.issues.first?.field == "role")
            }
            // And a principal forged that way is still refused everything.
            let forged = Principal(userID: "u", organization: mediator, role: .policyAnalyst)
            for action in Action.allCases { #expect(!AccessPolicy.decide(forged, action).isAllowed) }
            #expect(AccessPolicy.caseScope(of: Principal(userID: "u", organization: Organization(id: "o", name: "P", kind: .policy), role: .policyAnalyst)) == .none)
        }
    }

    @Test("the identity steward opens the outcomes report, the site-burden page and every center's follow-up list")
    func stewardPages() async throws {
        try await TestApp.run(as: .identitySteward) { client, _ in
            let outcomes = try await client.execute(uri: "/reports/outcomes", method: .get) { $0 }
            #expect(outcomes.status == .ok)
            // Aggregates for the steward follow the same small-cell rule as for everyone.
            let small = try await client.execute(uri: "/reports/outcomes?center=\(TestApp.demo.centers[0].id.rawValue)&product=prd-lyfgenia", method: .get) { $0.text }
            #expect(small.contains("id=\"patients\">&lt;11</span>"))
            let burden = try await client.execute(uri: "/reports/site-burden", method: .get) { $0 }
            #expect(burden.status == .ok)
            for center in TestApp.demo.centers { #expect(burden.text.contains("id=\"center-\(center.id.rawValue)\""), "\(center.id)") }
            #expect(burden.text.contains("href=\"/reports/site-burden\""))
            #expect(!burden.text.contains("href=\"/cases\""))
            for center in TestApp.demo.centers {
                let followUp = try await client.execute(uri: "/centers/\(center.id.rawValue)/follow-up", method: .get) { $0 }
                #expect(followUp.status == .ok, "\(center.id)")
            }
            // Still no case, and no center's cash.
            #expect(try await client.execute(uri: "/cases", method: .get) { $0.status } == .forbidden)
            #expect(try await client.execute(uri: "/centers/\(TestApp.coordinatorCenter.rawValue)/cash", method: .get) { $0.status } == .forbidden)
        }
    }

    @Test("a payer reads outcomes but no center's follow-up list or site burden; a center only its own")
    func registryPagesStayScoped() async throws {
        try await TestApp.run(as: .payerReviewer) { client, _ in
            let followUp = try await client.execute(uri: "/centers/\(TestApp.coordinatorCenter.rawValue)/follow-up", method: .get) { $0.status }
            #expect(followUp == .notFound)
            let burden = try await client.execute(uri: "/reports/site-burden", method: .get) { $0.status }
            #expect(burden == .notFound)
        }
        try await TestApp.run(as: .centerCoordinator) { client, _ in
            let other = try #require(TestApp.demo.centers.first { $0.id != TestApp.coordinatorCenter })
            #expect(try await client.execute(uri: "/centers/\(other.id.rawValue)/follow-up", method: .get) { $0.status } == .notFound)
            let burden = try await client.execute(uri: "/reports/site-burden", method: .get) { $0.text }
            #expect(burden.contains("id=\"center-\(TestApp.coordinatorCenter.rawValue)\""))
            #expect(!burden.contains("id=\"center-\(other.id.rawValue)\""))
        }
    }
}
