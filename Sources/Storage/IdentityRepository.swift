import Access
import CareNetwork
import Core
import Foundation
import SQLKit

/// Organizations, users, API tokens and sign-in sessions.
public protocol IdentityRepository: Sendable {
    func insert(_ organization: Organization) async throws
    func organizations() async throws -> [Organization]
    func insert(_ user: User, passwordHash: String) async throws
    /// The user with this (normalized) email and their bcrypt hash.
    func user(email: String) async throws -> (user: User, passwordHash: String)?
    func users() async throws -> [User]
    func insert(_ token: APIToken, secretHash: String) async throws
    func revoke(_ token: APITokenID, at: Date) async throws -> Bool
    /// Who holds a token secret (by its hash), if the token is usable now and its user
    /// active, and when the token expires.
    func principal(tokenHash: String, now: Date) async throws -> (principal: Principal, expiresAt: Date)?
    func createSession(idHash: String, userID: UserID, csrfToken: String, expiresAt: Date) async throws
    /// Who a session belongs to, with its CSRF token, if it has not expired.
    func session(idHash: String, now: Date) async throws -> (principal: Principal, csrfToken: String, expiresAt: Date)?
    func deleteSession(idHash: String) async throws
}

public struct SQLIdentityRepository: IdentityRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    static func stamp(_ date: Date) -> String { AuditEntry.timestamp(date) }
    static func date(_ text: String) throws -> Date {
        guard let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) else { throw StorageError.corrupt("timestamp '\(text)'") }
        return date
    }

    public func insert(_ organization: Organization) async throws {
        let organization = try organization.validated()
        try await database.transaction { db in
            if try await db.select().column("id").from("organizations").where("id", .equal, organization.id.rawValue).first() != nil {
                throw StorageError.conflict("organization '\(organization.id)' already exists")
            }
            try await db.insert(into: "organizations").columns("id", "name", "kind", "center_id", "payer_id", "manufacturer")
                .values(SQLBind(organization.id.rawValue), SQLBind(organization.name), SQLBind(organization.kind.rawValue),
                        bind(organization.centerID?.rawValue), bind(organization.payerID?.rawValue), bind(organization.manufacturer))
                .run()
        }
    }

    public func organizations() async throws -> [Organization] {
        try await database.withConnection { db in
            try await db.select().column("*").from("organizations").orderBy("id").all().map { try Self.organization(from: $0) }
        }
    }

    static func organization(from row: any SQLRow, prefix: String = "") throws -> Organization {
        Organization(
            id: OrganizationID(try row.string(prefix + "id")), name: try row.string(prefix + "name"),
            kind: try row.enumeration(prefix + "kind", as: OrganizationKind.self),
            centerID: try row.optionalString(prefix + "center_id").map { CenterID($0) },
            payerID: try row.optionalString(prefix + "payer_id").map { PayerID($0) }, manufacturer: try row.optionalString(prefix + "manufacturer")
        )
    }

    public func insert(_ user: User, passwordHash: String) async throws {
        let email = try User.normalizedEmail(user.email)
        try await database.transaction { db in
            guard let row = try await db.select().column("*").from("organizations").where("id", .equal, user.organizationID.rawValue).first() else {
                throw ValidationError(field: "organization", problem: "no organization '\(user.organizationID)'")
            }
            let organization = try Self.organization(from: row)
            guard AccessPolicy.roleOrganizations[user.role, default: []].contains(organization.kind) else {
                throw ValidationError(field: "role", problem: "a \(user.role.rawValue) cannot belong to a \(organization.kind.rawValue) organization")
            }
            if try await db.select().column("id").from("users").where("email", .equal, email).first() != nil {
                throw StorageError.conflict("a user with email \(email) already exists")
            }
            try await db.insert(into: "users").columns("id", "organization_id", "email", "display_name", "role", "password_hash", "disabled")
                .values(SQLBind(user.id.rawValue), SQLBind(user.organizationID.rawValue), SQLBind(email), SQLBind(user.displayName),
                        SQLBind(user.role.rawValue), SQLBind(passwordHash), SQLBind(user.disabled ? 1 : 0))
                .run()
        }
    }

    static func user(from row: any SQLRow) throws -> User {
        User(
            id: UserID(try row.string("id")), organizationID: OrganizationID(try row.string("organization_id")), email: try row.string("email"),
            displayName: try row.string("display_name"), role: try row.enumeration("role", as: Role.self), disabled: try row.int("disabled") != 0
        )
    }

    public func user(email: String) async throws -> (user: User, passwordHash: String)? {
        guard let normalized = try? User.normalizedEmail(email) else { return nil }
        return try await database.withConnection { db in
            try await db.select().column("*").from("users").where("email", .equal, normalized).first().map { row in
                (try Self.user(from: row), try row.string("password_hash"))
            }
        }
    }

    public func users() async throws -> [User] {
        try await database.withConnection { db in try await db.select().column("*").from("users").orderBy("email").all().map(Self.user(from:)) }
    }

    public func insert(_ token: APIToken, secretHash: String) async throws {
        try await database.transaction { db in
            try await db.insert(into: "api_tokens").columns("id", "user_id", "secret_hash", "scopes", "created_at", "expires_at", "revoked_at")
                .values(SQLBind(token.id.rawValue), SQLBind(token.userID.rawValue), SQLBind(secretHash),
                        SQLBind(token.scopes.map(\.rawValue).sorted().joined(separator: ",")), SQLBind(Self.stamp(token.createdAt)),
                        SQLBind(Self.stamp(token.expiresAt)), bind(token.revokedAt.map(Self.stamp)))
                .run()
        }
    }

    public func revoke(_ token: APITokenID, at: Date) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.select().column("id").from("api_tokens").where("id", .equal, token.rawValue).where("revoked_at", .is, SQLLiteral.null).first() != nil else {
                return false
            }
            try await db.update("api_tokens").set("revoked_at", to: Self.stamp(at)).where("id", .equal, token.rawValue).run()
            return true
        }
    }

    /// The principal of a user row joined with its organization.
    static func principal(userID: String, in db: any SQLDatabase, scopes: Set<Action>?) async throws -> Principal? {
        guard let userRow = try await db.select().column("*").from("users").where("id", .equal, userID).first() else { return nil }
        let user = try Self.user(from: userRow)
        guard !user.disabled,
            let orgRow = try await db.select().column("*").from("organizations").where("id", .equal, user.organizationID.rawValue).first()
        else { return nil }
        return Principal(userID: user.id, organization: try Self.organization(from: orgRow), role: user.role, tokenScopes: scopes)
    }

    public func principal(tokenHash: String, now: Date) async throws -> (principal: Principal, expiresAt: Date)? {
        try await database.withConnection { db in
            guard let row = try await db.select().column("*").from("api_tokens").where("secret_hash", .equal, tokenHash).first() else { return nil }
            let token = APIToken(
                id: APITokenID(try row.string("id")), userID: UserID(try row.string("user_id")),
                scopes: Set(try row.string("scopes").split(separator: ",").compactMap { Action(rawValue: String($0)) }),
                createdAt: try Self.date(try row.string("created_at")), expiresAt: try Self.date(try row.string("expires_at")),
                revokedAt: try row.optionalString("revoked_at").map(Self.date)
            )
            guard token.isUsable(at: now),
                let principal = try await Self.principal(userID: token.userID.rawValue, in: db, scopes: token.scopes)
            else { return nil }
            return (principal, token.expiresAt)
        }
    }

    public func createSession(idHash: String, userID: UserID, csrfToken: String, expiresAt: Date) async throws {
        try await database.transaction { db in
            try await db.insert(into: "sessions").columns("id_hash", "user_id", "csrf_token", "expires_at")
                .values(SQLBind(idHash), SQLBind(userID.rawValue), SQLBind(csrfToken), SQLBind(Self.stamp(expiresAt))).run()
        }
    }

    public func session(idHash: String, now: Date) async throws -> (principal: Principal, csrfToken: String, expiresAt: Date)? {
        try await database.withConnection { db in
            guard let row = try await db.select().column("*").from("sessions").where("id_hash", .equal, idHash).first() else { return nil }
            let expiresAt = try Self.date(try row.string("expires_at"))
            guard expiresAt > now,
                let principal = try await Self.principal(userID: try row.string("user_id"), in: db, scopes: nil)
            else { return nil }
            return (principal, try row.string("csrf_token"), expiresAt)
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await database.transaction { db in try await db.delete(from: "sessions").where("id_hash", .equal, idHash).run() }
    }

    /// Inserts organizations and users inside the caller's transaction (bulk loads).
    static func write(_ organizations: [Organization], _ users: [(user: User, passwordHash: String)], into db: any SQLDatabase) async throws {
        try await insertChunked(db, into: "organizations", columns: ["id", "name", "kind", "center_id", "payer_id", "manufacturer"], rows: organizations.map { o in
            [SQLBind(o.id.rawValue), SQLBind(o.name), SQLBind(o.kind.rawValue), bind(o.centerID?.rawValue), bind(o.payerID?.rawValue), bind(o.manufacturer)]
        })
        let rows: [[any SQLExpression]] = try users.map { item in
            let email = try User.normalizedEmail(item.user.email)
            return [SQLBind(item.user.id.rawValue), SQLBind(item.user.organizationID.rawValue), SQLBind(email), SQLBind(item.user.displayName),
                    SQLBind(item.user.role.rawValue), SQLBind(item.passwordHash), SQLBind(item.user.disabled ? 1 : 0)]
        }
        try await insertChunked(db, into: "users", columns: ["id", "organization_id", "email", "display_name", "role", "password_hash", "disabled"], rows: rows)
    }
}
