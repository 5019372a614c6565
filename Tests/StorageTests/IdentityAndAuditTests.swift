import Access
import CareNetwork
import Core
import Foundation
import SQLKit
import Storage
import Testing

@Suite("Identities and the audit log")
struct IdentityAndAuditTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func seed(_ store: Store) async throws -> (Organization, User) {
        try await Fixtures.loadReference(into: store)
        let center = Organization(id: "org-ctr", name: "A center", kind: .center, centerID: Fixtures.demo.centers[0].id)
        try await store.identities.insert(center)
        let user = User(id: "usr-1", organizationID: center.id, email: "Coordinator@Example.org", displayName: "Coordinator", role: .centerCoordinator)
        try await store.identities.insert(user, passwordHash: "$2b$10$notarealhashbutstoredasis")
        return (center, user)
    }

    @Test("users are found by email in any case; a role outside its organization kind is refused", arguments: TestDatabase.available)
    func users(database: TestDatabase) async throws {
        try await database.withStore { store in
            let (center, _) = try await Self.seed(store)
            let found = try #require(try await store.identities.user(email: "coordinator@EXAMPLE.org"))
            #expect(found.user.email == "coordinator@example.org")
            #expect(found.passwordHash.hasPrefix("$2b$"))
            let reviewer = User(id: "usr-2", organizationID: center.id, email: "r@example.org", displayName: "R", role: .payerReviewer)
            let error = await #expect(throws: ValidationError.self) { try await store.identities.insert(reviewer, passwordHash: "x") }
            #expect(error?.issues.first?.field == "role")
            let duplicate = User(id: "usr-3", organizationID: center.id, email: "COORDINATOR@example.org", displayName: "D", role: .centerCoordinator)
            await #expect(throws: StorageError.self) { try await store.identities.insert(duplicate, passwordHash: "x") }
        }
    }

    @Test("tokens resolve to their user's principal with their scopes until they expire or are revoked", arguments: TestDatabase.available)
    func tokens(database: TestDatabase) async throws {
        try await database.withStore { store in
            let (center, user) = try await Self.seed(store)
            let secret = Secret.generate()
            let token = APIToken(id: "tok-1", userID: user.id, scopes: [.readCases], createdAt: Self.now, expiresAt: Self.now.addingTimeInterval(3600))
            try await store.identities.insert(token, secretHash: Secret.storedHash(secret))
            let signedIn = try #require(try await store.identities.principal(tokenHash: Secret.storedHash(secret), now: Self.now))
            #expect(signedIn.expiresAt == Self.now.addingTimeInterval(3600))
            let principal = signedIn.principal
            #expect(principal.organization == center)
            #expect(principal.tokenScopes == [.readCases])
            #expect(try await store.identities.principal(tokenHash: Secret.storedHash("wrong"), now: Self.now) == nil)
            #expect(try await store.identities.principal(tokenHash: Secret.storedHash(secret), now: Self.now.addingTimeInterval(7200)) == nil)
            #expect(try await store.identities.revoke("tok-1", at: Self.now))
            #expect(try await !store.identities.revoke("tok-1", at: Self.now))
            #expect(try await store.identities.principal(tokenHash: Secret.storedHash(secret), now: Self.now) == nil)
        }
    }

    @Test("sessions carry their CSRF token, expire, and end on sign-out", arguments: TestDatabase.available)
    func sessions(database: TestDatabase) async throws {
        try await database.withStore { store in
            let (_, user) = try await Self.seed(store)
            try await store.identities.createSession(idHash: "h1", userID: user.id, csrfToken: "csrf-1", expiresAt: Self.now.addingTimeInterval(60))
            let session = try #require(try await store.identities.session(idHash: "h1", now: Self.now))
            #expect(session.csrfToken == "csrf-1")
            #expect(session.principal.userID == user.id)
            #expect(try await store.identities.session(idHash: "h1", now: Self.now.addingTimeInterval(61)) == nil)
            try await store.identities.deleteSession(idHash: "h1")
            #expect(try await store.identities.session(idHash: "h1", now: Self.now) == nil)
        }
    }

    @Test("concurrent audit appends form one unbroken chain, and an edit in the table is detected", arguments: TestDatabase.available)
    func auditChain(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await store.audit.append(AuditRecord(
                            at: Self.now.addingTimeInterval(Double(index)), userID: "usr-\(index % 4)", organizationID: "org-a",
                            action: "read-identifiers", object: "patient:pat-\(index)", outcome: .allowed, requestID: "req-\(index)", detail: "test"
                        ))
                    }
                }
                try await group.waitForAll()
            }
            let chain = try await store.audit.chain()
            #expect(chain.map(\.sequence) == Array(1...24))
            #expect(HashChain.verify(chain).intact)
            let page = try await store.audit.entries(AuditQuery(userID: "usr-1", limit: 10))
            #expect(page.total == 6)
            #expect(page.items.allSatisfy { $0.userID == "usr-1" })
            try await store.database.withConnection { db in
                try await db.update("audit_log").set("object", to: "patient:nobody").where("sequence", .equal, 7).run()
            }
            let verification = HashChain.verify(try await store.audit.chain())
            #expect(verification.firstBrokenSequence == 7)
        }
    }
}
