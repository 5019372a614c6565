import Core

public enum UserTag {}
public typealias UserID = Identifier<UserTag>

/// Who is acting: a signed-in person, or a system holding an API token on a person's
/// behalf. A token can only narrow what its user may do, never widen it.
public struct Principal: Hashable, Sendable {
    public var userID: UserID
    public var organization: Organization
    public var role: Role
    /// The actions an API token was issued for; `nil` for a signed-in person.
    public var tokenScopes: Set<Action>?

    public init(userID: UserID, organization: Organization, role: Role, tokenScopes: Set<Action>? = nil) {
        self.userID = userID
        self.organization = organization
        self.role = role
        self.tokenScopes = tokenScopes
    }
}
