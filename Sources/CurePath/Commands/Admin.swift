import Access
import ArgumentParser
import CareNetwork
import Core
import Foundation
import Server
import Storage

/// `curepath admin …`: organizations, users and API tokens. Every change is audited.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage organizations, users and API tokens.",
        subcommands: [CreateOrganization.self, CreateUser.self, IssueToken.self, RevokeToken.self, GenerateIdentityKey.self, RotateIdentityKey.self, GenerateAuditKey.self]
    )
}

extension OrganizationKind: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}

/// Opens the store, runs `body`, closes it, and turns domain refusals into one-line errors.
func withStore<T>(_ database: DatabaseOptions, _ body: (Store) async throws -> T) async throws -> T {
    let configuration = try database.configuration()
    let store = try await configuration.openStore()
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch let error as Core.ValidationError {
        await store.close()
        throw refusal(error.description)
    } catch let error as StorageError {
        await store.close()
        throw refusal(error.description)
    } catch {
        await store.close()
        throw error
    }
}

/// Records an administrative action in the audit log as done by the operator at the console.
func auditAdmin(_ store: Store, action: String, object: String, detail: String? = nil) async throws {
    try await store.audit.append(AuditRecord(at: Date(), userID: consoleUser, organizationID: nil, action: action, object: object, outcome: .allowed, detail: detail))
}

/// Who the audit log names for a command run at the console: `cli:<login>`.
var consoleUser: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "console")" }

struct CreateOrganization: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-org", abstract: "Create an organization.")

    @Option(help: "Identifier, e.g. org-acme.") var id: String
    @Option(help: "Display name.") var name: String
    @Option(help: "center, payer, manufacturer, mediator, registry or policy (a policy office: aggregates only).") var kind: OrganizationKind
    @Option(help: "For a center organization: the center it is.") var center: String?
    @Option(help: "For a payer organization: the payer it is.") var payer: String?
    @Option(help: "For a manufacturer organization: its name as on products.") var manufacturer: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await withStore(database) { store in
            let organization = Organization(
                id: try Identifier.validated(id, field: "--id"), name: name, kind: kind,
                centerID: try center.map { raw throws(Core.ValidationError) in try Identifier.validated(raw, field: "--center") },
                payerID: try payer.map { raw throws(Core.ValidationError) in try Identifier.validated(raw, field: "--payer") },
                manufacturer: manufacturer
            )
            let directory = try await store.reference.directory()
            if let center = organization.centerID, directory.center(center) == nil { throw Core.ValidationError(field: "--center", problem: "no center '\(center)'") }
            if let payer = organization.payerID, directory.payer(payer) == nil { throw Core.ValidationError(field: "--payer", problem: "no payer '\(payer)'") }
            try await store.identities.insert(organization)
            try await auditAdmin(store, action: "create-organization", object: "organization:\(organization.id)")
            print("created organization \(organization.id) (\(kind.rawValue))")
        }
    }
}

struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create-user", abstract: "Create a user; the password is read from standard input.")

    @Option(help: "Email address (the sign-in name).") var email: String
    @Option(help: "Display name.") var name: String
    @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role
    @Option(help: "The organization's identifier.") var organization: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw refusal("password: give it on standard input, e.g. printf '%s' \"$PASSWORD\" | curepath admin create-user …")
        }
        let hash: String
        do { hash = try Passwords.hash(password) } catch { throw refusal(error.description) }
        try await withStore(database) { store in
            let user = User(
                id: UserID("usr-\(UUID().uuidString.prefix(8).lowercased())"), organizationID: try Identifier.validated(organization, field: "--organization"),
                email: try User.normalizedEmail(email), displayName: name, role: role
            )
            try await store.identities.insert(user, passwordHash: hash)
            try await auditAdmin(store, action: "create-user", object: "user:\(user.id)", detail: "\(role.rawValue) in \(organization)")
            print("created user \(user.id) <\(user.email)> as \(role.rawValue)")
        }
    }
}

struct IssueToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "issue-token", abstract: "Issue an API token for a user; the secret is printed once.")

    @Option(help: "The user's email.") var email: String
    @Option(help: "Comma-separated actions the token may perform: \(Action.allCases.map(\.rawValue).joined(separator: ", ")). Default: all the user's role allows.")
    var scopes: String?
    @Option(help: "Days until it expires (1–365).") var days: Int = 90
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard (1...365).contains(days) else { throw refusal("--days: must be between 1 and 365") }
        try await withStore(database) { store in
            guard let (user, _) = try await store.identities.user(email: email) else { throw Core.ValidationError(field: "--email", problem: "no user \(email)") }
            let allowed = AccessPolicy.roleActions[user.role, default: []]
            var requested = allowed
            if let scopes {
                requested = []
                for name in scopes.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    guard let action = Action(rawValue: name) else { throw Core.ValidationError(field: "--scopes", problem: "'\(name)' is not an action") }
                    guard allowed.contains(action) else { throw Core.ValidationError(field: "--scopes", problem: "a \(user.role.rawValue) cannot be given \(name)") }
                    requested.insert(action)
                }
            }
            let secret = Secret.generate()
            let now = Date()
            let token = APIToken(
                id: APITokenID("tok-\(UUID().uuidString.prefix(8).lowercased())"), userID: user.id, scopes: requested, createdAt: now,
                expiresAt: now.addingTimeInterval(Double(days) * 86_400)
            )
            try await store.identities.insert(token, secretHash: Secret.storedHash(secret))
            try await auditAdmin(store, action: "issue-token", object: "token:\(token.id)", detail: "for \(user.id), scopes \(requested.map(\.rawValue).sorted().joined(separator: ","))")
            FileHandle.standardError.write(Data("issued \(token.id) for \(user.email), expires \(CustodyEntryFormat.day(token.expiresAt)); the secret is shown once:\n".utf8))
            print(secret)
        }
    }
}

struct RevokeToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke-token", abstract: "Revoke an API token at once.")

    @Argument(help: "The token's identifier (tok-…).") var token: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await withStore(database) { store in
            let id: APITokenID = try Identifier.validated(token, field: "TOKEN")
            guard try await store.identities.revoke(id, at: Date()) else { throw Core.ValidationError(field: "TOKEN", problem: "no active token \(id)") }
            try await auditAdmin(store, action: "revoke-token", object: "token:\(id)")
            print("revoked \(id)")
        }
    }
}

/// Day formatting for messages.
enum CustodyEntryFormat {
    static func day(_ date: Date) -> String { String(AuditEntry.timestamp(date).prefix(10)) }
}

/// `curepath admin generate-identity-key`: a new random key in the CUREPATH_IDENTITY_KEYS format.
struct GenerateIdentityKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate-identity-key", abstract: "Print a new identity key (id:base64) for CUREPATH_IDENTITY_KEYS.")
    @Option(help: "The key's id, e.g. k2.") var id: String

    func run() async throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { throw refusal("--id: letters, digits, '-' or '_'") }
        print(IdentityKeyring.generateKey(id: id))
    }
}

/// `curepath admin generate-audit-key`: a new random key in the CUREPATH_AUDIT_KEY format.
struct GenerateAuditKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-audit-key", abstract: "Print a new audit key (id:base64) for CUREPATH_AUDIT_KEY; list older keys after it to verify what they signed.")
    @Option(help: "The key's id, e.g. a2.") var id: String

    func run() async throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { throw refusal("--id: letters, digits, '-' or '_'") }
        print(ChainKeys.generateKey(id: id))
    }
}

/// `curepath admin rotate-identity-key`: re-seal every identifier not sealed with the current
/// key (the first in CUREPATH_IDENTITY_KEYS), in one transaction; then the old key can go.
struct RotateIdentityKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-identity-key",
        abstract: "Re-seal identifiers with the current key (list the new key first in CUREPATH_IDENTITY_KEYS, the old ones after)."
    )
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await withStore(database) { store in
            let count = try await store.reference.resealIdentifiers()
            try await auditAdmin(store, action: "rotate-identity-key", object: "key:\(store.identityKeys.currentID)", detail: "\(count) rows re-sealed")
            print("re-sealed \(count) identifier rows with key \(store.identityKeys.currentID)")
        }
    }
}
