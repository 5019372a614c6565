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
