import Core
import Foundation

/// A person who signs in. The password is never held here: storage keeps a bcrypt hash.
public struct User: Hashable, Sendable, Codable {
    public var id: UserID
    public var organizationID: OrganizationID
    public var email: String
    public var displayName: String
    public var role: Role
    public var disabled: Bool

    public init(id: UserID, organizationID: OrganizationID, email: String, displayName: String, role: Role, disabled: Bool = false) {
        self.id = id
        self.organizationID = organizationID
        self.email = email
        self.displayName = displayName
        self.role = role
        self.disabled = disabled
    }

    /// Emails are compared case-insensitively, so they are stored lowercased.
    public static func normalizedEmail(_ email: String) throws(ValidationError) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), trimmed.count <= 254,
            !trimmed.contains(where: { $0.isWhitespace })
        else { throw ValidationError(field: "email", problem: "must be an email address, got \"\(email.prefix(80))\"") }
        return trimmed
    }
}

public enum APITokenTag {}
public typealias APITokenID = Identifier<APITokenTag>

/// A credential for a system acting on a user's behalf: scoped, expiring, revocable. Only
/// the SHA-256 of its secret is stored; the secret is shown once when issued.
public struct APIToken: Hashable, Sendable, Codable {
    public var id: APITokenID
    public var userID: UserID
    public var scopes: Set<Action>
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: APITokenID, userID: UserID, scopes: Set<Action>, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public func isUsable(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}

/// Random secrets for tokens, sessions and CSRF, and the hash under which they are stored.
public enum Secret {
    /// 32 random bytes, URL-safe base64 without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What is stored instead of the secret. SHA-256 suffices: the secrets are 256 random bits.
    public static func storedHash(_ secret: String) -> String { HashChain.hash(secret) }
}
