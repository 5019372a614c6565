import Access
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage

/// A test client that acts as one principal: every request carries that user's API token.
struct AuthorizedClient: TestClientProtocol {
    let base: any TestClientProtocol
    let token: String?

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}

extension TestApp {
    /// Issues an API token for the demo user with `role` and returns its secret.
    static func token(for role: Role, in store: Store, scopes: Set<Action>? = nil) async throws -> String {
        let users = try await store.identities.users()
        guard let user = users.first(where: { $0.role == role }) else { throw CancellationError() }
        let secret = Secret.generate()
        try await store.identities.insert(
            APIToken(id: APITokenID("tok-test-\(UUID().uuidString.prefix(8))"), userID: user.id,
                     scopes: scopes ?? AccessPolicy.roleActions[role, default: []], createdAt: now.addingTimeInterval(-60), expiresAt: now.addingTimeInterval(3600)),
            secretHash: Secret.storedHash(secret)
        )
        return secret
    }
}

extension TestApp {
    /// A client acting as a new user with `role` at a new `organization` — a second center,
    /// the payer that paid — for tests of what one organization may see of another's data.
    static func client(
        as role: Role, at organization: Organization, sharing client: any TestClientProtocol, store: Store
    ) async throws -> AuthorizedClient {
        try await store.identities.insert(organization)
        let user = User(
            id: UserID("user-\(organization.id)"), organizationID: organization.id, email: "\(role.rawValue)@\(organization.id).test",
            displayName: "Test \(role.rawValue)", role: role)
        try await store.identities.insert(user, passwordHash: "x")
        let secret = Secret.generate()
        try await store.identities.insert(
            APIToken(id: APITokenID("tok-\(organization.id)"), userID: user.id, scopes: AccessPolicy.roleActions[role, default: []],
                     createdAt: now.addingTimeInterval(-60), expiresAt: now.addingTimeInterval(3600)),
            secretHash: Secret.storedHash(secret))
        let base = (client as? AuthorizedClient)?.base ?? client
        return AuthorizedClient(base: base, token: secret)
    }
}
