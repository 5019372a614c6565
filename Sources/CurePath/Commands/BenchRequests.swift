import Access
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Storage

/// Timing pages in-process, as the benchmarks do: a user and token for the role whose view
/// is measured, then each URI requested through the router with no socket in the timing.
enum BenchRequests {
    /// Creates `organization`, a user with `role` in it and a token; returns the token's secret.
    static func credential(_ role: Role, in organization: Organization, store: Store) async throws -> String {
        let secret = Secret.generate()
        try await store.identities.insert(organization)
        let user = User(id: UserID("user-\(organization.id)"), organizationID: organization.id, email: "bench@\(organization.id).invalid",
                        displayName: "Benchmark", role: role)
        try await store.identities.insert(user, passwordHash: "!")
        try await store.identities.insert(
            APIToken(id: APITokenID("tok-\(organization.id)"), userID: user.id, scopes: AccessPolicy.roleActions[role, default: []], createdAt: Date(),
                     expiresAt: Date().addingTimeInterval(3600)),
            secretHash: Secret.storedHash(secret))
        return secret
    }

    /// Requests each of `uris` in order with `secret`, and returns the times in seconds, sorted.
    static func time(_ uris: [String], secret: String, on app: some ApplicationProtocol) async throws -> [Double] {
        try await app.test(.router) { client in
            var times: [Double] = []
            for uri in uris {
                let start = ContinuousClock.now
                let status = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(secret)"]) { $0.status }
                let elapsed = ContinuousClock.now - start
                guard status == .ok else { throw ValidationError(field: "uri", problem: "GET \(uri) answered \(status)") }
                times.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            }
            return times.sorted()
        }
    }
}
